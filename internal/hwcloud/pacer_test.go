package hwcloud

import (
	"context"
	"fmt"
	"math"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"sync"
	"testing"
	"time"
)

// rateStep is a success (or, with throttled, a 429) after the step before.
type rateStep struct {
	after     time.Duration
	throttled bool
}

// successes is n successes, every d.
func successes(n int, d time.Duration) []rateStep {
	out := make([]rateStep, n)
	for i := range out {
		out[i] = rateStep{after: d}
	}
	return out
}

func steps(parts ...[]rateStep) []rateStep { return slices.Concat(parts...) }

func throttle(after time.Duration) []rateStep { return []rateStep{{after: after, throttled: true}} }

func TestRateState(t *testing.T) {
	const ms = time.Millisecond
	for _, tc := range []struct {
		name    string
		from    rateState
		steps   []rateStep
		limit   float64
		growing bool
		blocked bool
	}{
		{name: "not paced before a 429", steps: successes(50, ms), limit: 0},
		{name: "a 429 before any success starts cold", steps: throttle(0), limit: coldRate, growing: true, blocked: true},
		{name: "a 429 after a short run starts cold", steps: steps(successes(4, ms), throttle(ms)), limit: coldRate, growing: true, blocked: true},
		{name: "successes older than the window teach nothing", steps: steps(successes(20, ms), throttle(2*time.Second)), limit: coldRate, growing: true, blocked: true},
		{name: "cold, then the first success resumes the cold rate", steps: steps(throttle(0), successes(1, ms)), limit: coldRate, growing: true},
		{name: "cold, refused even at the floor: unpaced at the end",
			steps: steps(throttle(0), throttle(ms), throttle(ms), throttle(ms), successes(1, ms)), limit: 0},
		{name: "cold, then each success adds one", steps: steps(throttle(0), successes(5, ms)), limit: coldRate + 4, growing: true},
		// 8 a second observed over the window: 0.85 × 8.
		{name: "a 429 after a second of successes decreases from the rate observed",
			steps: steps(successes(9, 125*ms), throttle(50*ms)), limit: 6.8, blocked: true},
		{name: "observed over the run when it is shorter than the window",
			steps: steps(successes(6, 100*ms), throttle(100*ms)), limit: 0.85 * 6 / 0.6, blocked: true},
		// 5 raised by 9 successes to 6.58, below the 8 observed.
		{name: "the rate in force, when lower than observed", from: rateState{limit: 5},
			steps: steps(successes(9, 125*ms), throttle(50*ms)), limit: 0.85 * 6.58, blocked: true},
		// 10 raised by 3 successes to 10.30.
		{name: "paced, a short run: from the rate in force", from: rateState{limit: 10},
			steps: steps(successes(3, 10*ms), throttle(10*ms)), limit: 0.85 * 10.30, blocked: true},
		{name: "growth ends at a 429 that observed a rate", from: rateState{limit: 20, growing: true},
			steps: steps(successes(9, 125*ms), throttle(50*ms)), limit: 6.8, blocked: true},
		{name: "blocked: each 429 halves the stand-in",
			steps: steps(successes(9, 125*ms), throttle(50*ms), throttle(ms), throttle(ms)), limit: 1.7, blocked: true},
		{name: "blocked: never below the floor",
			steps: steps(successes(9, 125*ms), throttle(50*ms), throttle(ms), throttle(ms), throttle(ms), throttle(ms)), limit: minPacedRate, blocked: true},
		{name: "blocked: the first success resumes the rate of the decrease",
			steps: steps(successes(9, 125*ms), throttle(50*ms), throttle(ms), throttle(ms), successes(1, ms)), limit: 6.8},
		// 1/limit a success: 8 successes at about 8 a second add about one.
		{name: "additive increase", from: rateState{limit: 8}, steps: successes(8, 125*ms), limit: 8.95},
		// Two a second: the first success, before a rate is observed, adds
		// 1/8, the others nothing.
		{name: "no increase while the requests do not use half the rate", from: rateState{limit: 8}, steps: successes(8, 500*ms), limit: 8.125},
		{name: "above the highest rate: not paced", from: rateState{limit: maxPacedRate, growing: true}, steps: successes(1, ms), limit: 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := tc.from
			now := time.Unix(1_700_000_000, 0)
			for _, st := range tc.steps {
				now = now.Add(st.after)
				if st.throttled {
					s.throttled(now)
				} else {
					s.succeeded(now)
				}
			}
			if math.Abs(s.limit-tc.limit) > 0.01 || s.growing != tc.growing || s.blocked != tc.blocked {
				t.Fatalf("limit %.3f growing %v blocked %v, want %.3f %v %v", s.limit, s.growing, s.blocked, tc.limit, tc.growing, tc.blocked)
			}
		})
	}
}

// The turns of a paced host are one interval apart; a 429 voids the turns
// given and the next is one interval of the new rate after it; a 429 of a
// request sent before the last decrease changes nothing.
func TestPacer_turns(t *testing.T) {
	fc := newFakeClock()
	stop := make(chan struct{})
	defer close(stop)
	go fc.drive(stop)
	p := newPacer(fc)
	start := fc.Now()
	turn := func() (uint64, time.Duration) {
		t.Helper()
		epoch, err := p.wait(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		return epoch, fc.Now().Sub(start)
	}
	if _, at := turn(); at != 0 {
		t.Fatalf("an unpaced turn waited %s", at)
	}
	p.throttled(0) // cold: coldRate, 250 ms apart
	var epoch uint64
	for i, want := range []time.Duration{250, 500, 750} {
		var at time.Duration
		if epoch, at = turn(); at != want*time.Millisecond {
			t.Fatalf("turn %d at %s, want %dms", i+1, at, want)
		}
	}
	p.throttled(0) // sent before the decrease
	if p.limit() != coldRate {
		t.Fatalf("a stale 429 changed the rate to %v", p.limit())
	}
	p.throttled(epoch) // blocked: the stand-in halves
	if _, at := turn(); at != 1250*time.Millisecond || p.limit() != coldRate/2 {
		t.Fatalf("turn at %s, rate %v after a 429 at 750ms; want 1.25s and %v", at, p.limit(), coldRate/2)
	}
}

// Requests waiting for their turn when a 429 lowers the rate leave at the
// new rate: the first one interval after the 429.
func TestPacer_queueAfterA429(t *testing.T) {
	fc := newFakeClock()
	p := newPacer(fc)
	p.rate.limit = 100 // 10 ms apart
	start := fc.Now()
	const waiters = 5
	got := make(chan time.Duration, waiters)
	for range waiters {
		go func() {
			if _, err := p.wait(t.Context()); err != nil {
				t.Error(err)
			}
			got <- fc.Now().Sub(start)
		}()
	}
	<-got // the first turn is at once
	for fc.pending(start) != 1 {
		time.Sleep(time.Millisecond) // not an assertion: the next waits for its turn
	}
	p.throttled(p.epoch) // 85 % of the rate in force
	want := interval(p.limit())
	fc.advance(want - time.Nanosecond)
	for fc.pending(start.Add(want)) != 1 {
		time.Sleep(time.Millisecond) // the head waits again, for the new turn
	}
	select {
	case at := <-got:
		t.Fatalf("a waiter left at %s, before one interval (%s) after the 429", at, want)
	default:
	}
	fc.advance(time.Nanosecond)
	if at := <-got; at != want {
		t.Errorf("the first waiter left at %s, want %s", at, want)
	}
	for i := 2; i < waiters; i++ {
		for fc.pending(start) != 1 {
			time.Sleep(time.Millisecond) // not an assertion: the next waits for its turn
		}
		fc.advance(want)
		if at := <-got; at != time.Duration(i)*want {
			t.Errorf("waiter %d left at %s, want %s", i, at, time.Duration(i)*want)
		}
	}
}

// Waiters leave first come, first served, and one that gives up leaves
// the queue.
func TestPacer_firstComeFirstServed(t *testing.T) {
	fc := newFakeClock()
	p := newPacer(fc)
	p.rate.limit = 10
	if _, err := p.wait(t.Context()); err != nil {
		t.Fatal(err)
	}
	order := make(chan int, 3)
	ctx, cancel := context.WithCancel(t.Context())
	for i := range 3 {
		c := t.Context()
		if i == 1 {
			c = ctx
		}
		go func() {
			if _, err := p.wait(c); err == nil {
				order <- i
			}
		}()
		for { // not an assertion: each queues before the next
			p.mu.Lock()
			n := len(p.queue)
			p.mu.Unlock()
			if n == i+1 {
				break
			}
			time.Sleep(time.Millisecond)
		}
	}
	cancel()
	for _, want := range []int{0, 2} {
		for fc.pending(time.Time{}) != 1 {
			time.Sleep(time.Millisecond) // not an assertion: the head waits for its turn
		}
		fc.advance(100 * time.Millisecond)
		if got := <-order; got != want {
			t.Fatalf("waiter %d left, want %d (1 gave up)", got, want)
		}
	}
}

// Requests that queued for the one in-flight slot while the first was
// answered 429 are not sent together when the slot frees: each takes its
// own turn of the pacer, the first of them one interval after the 429.
// Times are the pacer's fake clock, read by the server as requests arrive.
func TestTransport_pacerHoldsQueuedRequests(t *testing.T) {
	fc := newFakeClock()
	var (
		mu       sync.Mutex
		arrivals []time.Time // fake time of each arrival, in order
	)
	first, release := make(chan struct{}), make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		mu.Lock()
		arrivals = append(arrivals, fc.Now())
		n := len(arrivals)
		mu.Unlock()
		if n == 1 {
			close(first)
			<-release
			w.Header().Set("Retry-After", "0")
			w.WriteHeader(http.StatusTooManyRequests)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, `{}`)
	}))
	defer srv.Close()
	tr, err := New(Config{Credentials: StaticCredentials{AuthToken: "t"}, MaxConcurrency: 1, RetryBaseDelay: time.Millisecond, RetryMaxDelay: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	tr.clock = fc
	stop := make(chan struct{})
	defer close(stop)
	go fc.drive(stop)
	u, _ := url.Parse(srv.URL + "/v1/x")

	const queued = 7
	errs := make(chan error, queued+1)
	get := func() { errs <- tr.GetJSON(t.Context(), "HSS", u, nil) }
	go get()
	<-first
	for range queued {
		go get()
	}
	// Not an assertion: time for the requests to queue for the slot.
	time.Sleep(100 * time.Millisecond)
	throttledAt := fc.Now()
	close(release)
	for range queued + 1 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}

	mu.Lock()
	defer mu.Unlock()
	after := arrivals[1:] // everything sent after the 429: the queued requests and the retry
	interval := time.Duration(float64(time.Second) / coldRate)
	early := 0
	for i, at := range after {
		if at.Sub(throttledAt) < interval {
			early++
		}
		if i > 0 && !at.After(after[i-1]) {
			t.Errorf("requests %d and %d after the 429 were sent at the same instant, %s after it", i, i+1, at.Sub(throttledAt))
		}
	}
	if early > 0 {
		t.Errorf("%d of the %d requests after the 429 were sent within the pacer's interval of %s after it", early, len(after), interval)
	}
}

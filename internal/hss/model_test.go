package hss_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/clusterprotect/terraform-provider-clusterprotect/internal/hss"
	"github.com/clusterprotect/terraform-provider-clusterprotect/internal/hwcloud"
)

// The model test of the paged read: an in-memory list (listServer) that
// moves between answers as a random schedule says (arrivals at the head,
// some not yet counted in total_num; single deletions anywhere; deletions of
// more events than the pages overlap by, at once; a repeated event_id), its
// pages served in a random order of those in flight at the configured
// concurrency. Property (listServer.check): a consistent result is the list
// at one of the instants it passed through; otherwise the read fails with
// ErrListMoved or says why it is incomplete; and no result loses an event
// that was in the list the whole time.

// schedule is one random run of the model.
type schedule struct {
	seed        uint64
	events      int     // at the start
	concurrency int     // requests in flight at most
	moves       float64 // chance that the list moves before an answer
	duplicate   bool    // the API answers one event twice
}

// newSchedule draws a schedule from seed.
func newSchedule(seed uint64) schedule {
	r := rand.New(rand.NewPCG(seed, 25))
	sizes := []int{0, 1, 150, 199, 200, 201, 399, 400, 401, 600, 790, 1000, 1200, 1510}
	n := sizes[r.IntN(len(sizes))]
	if r.IntN(2) == 0 {
		n = r.IntN(1600)
	}
	return schedule{
		seed:        seed,
		events:      n,
		concurrency: []int{1, 2, 4, hwcloud.DefaultMaxConcurrency}[r.IntN(4)],
		moves:       []float64{0, 0.05, 0.2, 0.5, 0.9}[r.IntN(5)],
		duplicate:   r.IntN(8) == 0,
	}
}

// outcome is what a read of a schedule came to, for the test's summary.
type outcome struct {
	moved                          bool // the list passed through more than one state
	consistent, incomplete, failed bool
}

// run reads the schedule's list through the client and holds the result to
// the property.
func (sc schedule) run(t testing.TB) (o outcome) {
	t.Helper()
	r := rand.New(rand.NewPCG(sc.seed, 2025))
	list := numbered(sc.events)
	if sc.duplicate && sc.events > 1 {
		i := r.IntN(sc.events - 1)
		list[i+1+r.IntN(sc.events-1-i)] = list[i]
	}
	s := newListServer(list)
	tr := &scheduler{s: s, r: r, sc: sc, arrived: 0}
	c, err := newClient("http://model.invalid", hwcloud.Config{
		Credentials:    hwcloud.StaticCredentials{AuthToken: testToken},
		HTTPClient:     &http.Client{Transport: tr},
		MaxConcurrency: sc.concurrency,
		MaxRetries:     -1,
	})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go tr.serve(ctx)
	defer func() {
		if t.Failed() {
			t.Logf("schedule %+v", sc)
		}
	}()
	res, err := c.ReadAllClusterEvents(ctx, hss.Filter{ProjectID: testProject})
	s.mu.Lock()
	o.moved = len(s.states) > 1
	s.mu.Unlock()
	if err != nil {
		if !errors.Is(err, hss.ErrListMoved) {
			t.Fatalf("not a failure of a moving list: %v", err)
		}
		o.failed = true
		return o
	}
	s.check(t, res, list)
	o.consistent, o.incomplete = res.Consistent, !res.Consistent
	return o
}

// scheduler is the model's transport: it holds the requests in flight and
// answers them one at a time, in a random order, once as many are in
// flight as the concurrency allows or no more arrive; before each answer
// the list may move.
type scheduler struct {
	s       *listServer
	r       *rand.Rand
	sc      schedule
	mu      sync.Mutex
	waiting []*held
	arrived int // events that arrived, for their IDs
	kick    chan struct{}
	once    sync.Once
}

type held struct {
	req  *http.Request
	body chan []byte
}

func (m *scheduler) init() { m.once.Do(func() { m.kick = make(chan struct{}, 1) }) }

func (m *scheduler) RoundTrip(req *http.Request) (*http.Response, error) {
	m.init()
	h := &held{req: req, body: make(chan []byte, 1)}
	m.mu.Lock()
	m.waiting = append(m.waiting, h)
	m.mu.Unlock()
	select {
	case m.kick <- struct{}{}:
	default:
	}
	select {
	case b := <-h.body:
		return &http.Response{StatusCode: http.StatusOK, Header: http.Header{"Content-Type": {"application/json"}},
			Body: io.NopCloser(bytes.NewReader(b)), ContentLength: int64(len(b)), Request: req}, nil
	case <-req.Context().Done():
		return nil, req.Context().Err()
	}
}

// serve answers the requests until ctx ends.
func (m *scheduler) serve(ctx context.Context) {
	m.init()
	quiet := time.NewTimer(time.Hour)
	defer quiet.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-m.kick:
		case <-quiet.C:
			m.answer(true)
		}
		for m.answer(false) {
		}
		// Always armed: a request left waiting, fewer than the
		// concurrency, is answered once no more arrive.
		quiet.Reset(200 * time.Microsecond)
	}
}

// answer answers one request when concurrency many wait, or when quiet
// and any waits; it reports whether it did.
func (m *scheduler) answer(quiet bool) bool {
	m.mu.Lock()
	n := len(m.waiting)
	if n == 0 || (n < m.sc.concurrency && !quiet) {
		m.mu.Unlock()
		return false
	}
	i := m.r.IntN(n)
	h := m.waiting[i]
	m.waiting = append(m.waiting[:i], m.waiting[i+1:]...)
	offset, _ := strconv.Atoi(h.req.URL.Query().Get("offset"))
	limit, _ := strconv.Atoi(h.req.URL.Query().Get("limit"))
	m.s.mu.Lock()
	m.move()
	body := m.s.page(offset, limit)
	m.s.served = append(m.s.served, offset)
	m.s.mu.Unlock()
	m.mu.Unlock()
	h.body <- body
	return true
}

// move changes the list at random, as the schedule says. s.mu is held.
func (m *scheduler) move() {
	if m.r.Float64() >= m.sc.moves {
		return
	}
	s, r := m.s, m.r
	switch k := r.IntN(10); {
	case k < 4: // arrivals, some not counted yet
		n := 1 + r.IntN(3)
		ids := make([]string, n)
		for i := range ids {
			m.arrived++
			ids[i] = fmt.Sprintf("n%d", m.arrived)
		}
		s.arrive(r.IntN(n+1), ids...)
	case k < 7 && len(s.ids) > 0: // one leaves, anywhere
		s.leave(r.IntN(len(s.ids)))
	case k < 8 && len(s.ids) > 0: // more than the overlap leave at once
		n := min(len(s.ids), 11+r.IntN(30))
		start := r.IntN(len(s.ids) - n + 1)
		pos := make([]int, n)
		for i := range pos {
			pos[i] = start + i
		}
		s.leave(pos...)
	case k < 9: // total_num catches up
		s.settle()
		s.record()
	default: // the newest leaves
		if len(s.ids) > 0 {
			s.leave(0)
		}
	}
}

// TestModel runs fixed schedules of the model; go test -fuzz
// FuzzReadSchedule runs more.
func TestModel(t *testing.T) {
	schedules := 2000
	if testing.Short() || raceEnabled {
		schedules = 200
	}
	var moved, consistent, movedConsistent, incomplete, failed int
	for seed := range uint64(schedules) {
		o := newSchedule(seed).run(t)
		moved += boolToInt(o.moved)
		consistent += boolToInt(o.consistent)
		movedConsistent += boolToInt(o.moved && o.consistent)
		incomplete += boolToInt(o.incomplete)
		failed += boolToInt(o.failed)
	}
	t.Logf("%d schedules, %d of lists that moved: %d consistent (%d of them moved), %d said incomplete, %d failed",
		schedules, moved, consistent, movedConsistent, incomplete, failed)
}

// FuzzReadSchedule runs the model on schedules drawn from the fuzzer's
// seeds. Run: go test -run '^$' -fuzz FuzzReadSchedule ./internal/hss/ .
func FuzzReadSchedule(f *testing.F) {
	for seed := range uint64(8) {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, seed uint64) {
		newSchedule(seed).run(t)
	})
}

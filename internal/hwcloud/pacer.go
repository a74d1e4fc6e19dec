package hwcloud

import (
	"context"
	"slices"
	"sync"
	"time"
)

// pacer spaces the requests to one host once it has throttled them. One
// pacer serves every read of a client, and so of a provider: Terraform
// reads up to ten data sources at once against one tenant's limit.
//
// What it promises:
//
//   - Until the first 429 it does not pace at all.
//   - While it paces, requests take turns first come, first served, and
//     each turn comes one interval (1/rate, of the rate in force) after the
//     last. A request takes its turn right before it is sent, after it got
//     its in-flight slot, so that requests that waited for a slot are not
//     sent together when slots free up.
//   - After a 429 that lowers the rate, the next request leaves one
//     interval of the new rate after that 429, however long it has waited.
//   - A 429 from a request sent before the last decrease says nothing about
//     the new rate and is ignored: one burst of concurrent 429s lowers the
//     rate once.
//
// How it learns the rate is rateState's: additive increase after
// successes, multiplicative decrease on a 429 from the rate of successes
// observed. Its methods are pure functions of the answers and their times,
// tested as a table.
type pacer struct {
	clock clock

	mu    sync.Mutex
	rate  rateState
	next  time.Time // the earliest time of the next turn
	left  time.Time // the time of the last turn
	epoch uint64    // counts the decreases
	// queue holds the requests waiting for their turn, first come first:
	// the head waits for next, the others for ready.
	queue []*turnWaiter
	// changed is closed, and replaced, when next moves earlier: the head
	// waits again.
	changed chan struct{}
	heard   bool // the host has answered
}

type turnWaiter struct{ ready chan struct{} } // closed when it is the head

func newPacer(clk clock) *pacer {
	return &pacer{clock: clk, changed: make(chan struct{})}
}

// clock is what the pacer reads the time from and waits on: the real one,
// or a test's.
type clock interface {
	Now() time.Time
	// After returns a channel that receives once d has passed, and a
	// function that releases the timer.
	After(d time.Duration) (<-chan time.Time, func())
}

type realClock struct{}

func (realClock) Now() time.Time { return time.Now() }

func (realClock) After(d time.Duration) (<-chan time.Time, func()) {
	t := time.NewTimer(d)
	return t.C, func() { t.Stop() }
}

// wait blocks until the request may be sent, first come first served, and
// returns the epoch to report its outcome with. Call it right before
// sending, not before a wait of another kind: the next turn is one interval
// after this one, at the rate in force then.
func (p *pacer) wait(ctx context.Context) (uint64, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	w := &turnWaiter{ready: make(chan struct{})}
	p.mu.Lock()
	p.queue = append(p.queue, w)
	if len(p.queue) == 1 {
		close(w.ready)
	}
	p.mu.Unlock()
	select {
	case <-w.ready:
	case <-ctx.Done():
		p.leave(w)
		return 0, ctx.Err()
	}
	for {
		p.mu.Lock()
		now := p.clock.Now()
		if p.rate.limit == 0 || !now.Before(p.next) {
			epoch := p.epoch
			p.left, p.next = now, now.Add(interval(p.rate.limit))
			p.leaveLocked(w)
			p.mu.Unlock()
			return epoch, nil
		}
		wait, changed := p.next.Sub(now), p.changed
		p.mu.Unlock()
		fired, stop := p.clock.After(wait)
		select {
		case <-fired:
		case <-changed:
		case <-ctx.Done():
			stop()
			p.leave(w)
			return 0, ctx.Err()
		}
		stop()
	}
}

// leave takes w out of the queue; the next in line becomes the head.
func (p *pacer) leave(w *turnWaiter) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.leaveLocked(w)
}

// leaveLocked is leave with p.mu held.
func (p *pacer) leaveLocked(w *turnWaiter) {
	i := slices.Index(p.queue, w)
	if i < 0 {
		return
	}
	p.queue = slices.Delete(p.queue, i, i+1)
	if i == 0 && len(p.queue) > 0 {
		close(p.queue[0].ready)
	}
}

// schedule sets the next turn after a change of rate: one interval of the
// new rate after the last turn, or after from if later. p.mu is held.
func (p *pacer) schedule(from time.Time) {
	next := p.left.Add(interval(p.rate.limit))
	if next.Before(from) {
		next = from
	}
	if next.Before(p.next) {
		close(p.changed)
		p.changed = make(chan struct{})
	}
	p.next = next
}

// answered reports whether the host has answered anything yet.
func (p *pacer) answered() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.heard
}

// succeeded records an answer that was not a 429.
func (p *pacer) succeeded() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.heard = true
	before := p.rate.limit
	p.rate.succeeded(p.clock.Now())
	if p.rate.limit != before {
		p.schedule(time.Time{})
	}
}

// throttled records a 429 for a request sent in epoch.
func (p *pacer) throttled(epoch uint64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.heard = true
	if epoch != p.epoch {
		return
	}
	now := p.clock.Now()
	p.rate.throttled(now)
	p.epoch++
	p.schedule(now.Add(interval(p.rate.limit)))
}

// limit is the rate in force, in requests per second (0: none), for tests
// and logs.
func (p *pacer) limit() float64 {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.rate.limit
}

// interval is the time between two turns at limit requests a second; none
// when unpaced.
func interval(limit float64) time.Duration {
	if limit <= 0 {
		return 0
	}
	return time.Duration(float64(time.Second) / limit)
}

// Rates, in requests per second, and how they change.
const (
	// minPacedRate is the slowest the pacer goes; above maxPacedRate it
	// stops pacing.
	minPacedRate = 1
	maxPacedRate = 1000
	// coldRate is where a pacer starts that has observed no rate: the
	// host throttled before the successes spanned minObserved.
	coldRate = 4
	// decrease is the multiplicative decrease: a 429 sets the rate to this
	// share of the rate observed (of the rate in force, if lower). What a
	// token bucket lets through once its burst is spent is its rate, so a
	// step just below it keeps most of the limit, where halving would keep
	// three quarters on average.
	decrease = 0.85
	// increase is the additive increase: each second of successes at the
	// rate raises it by this much (1/rate for each success).
	increase = 1.0
	// growth is the increase for each success while no rate has been
	// observed: the rate doubles with each second of successes, until a 429.
	growth = 1.0
)

// The window of the observed rate: successes of the last observeWindow,
// over the time they span (at least minObserved, else no rate is
// observed).
const (
	observeWindow = time.Second
	minObserved   = 500 * time.Millisecond
)

// rateState is what a pacer has learned, and how the answers change it: its
// methods are pure functions of the state and the time given.
type rateState struct {
	limit float64 // requests a second; 0: not paced
	// growing is true from a 429 that found no rate to observe (the host
	// throttled a burst) to the next 429, which observes one: until then the
	// rate grows multiplicatively, not additively, so that a low cold start
	// costs a second or two, not the whole read.
	growing bool
	// blocked is true from a decrease to the next success: every answer
	// since was a 429, and the rate in force is a stand-in that halves with
	// each; resume is the rate to go back to at the next success.
	blocked bool
	resume  float64
	recent  []time.Time // successes of the last observeWindow, oldest first
	since   time.Time   // the first success of the current run: none for observeWindow before it
}

// observed is the rate of successes of the last observeWindow, over the
// time they span since the run began; ok is false when that is shorter
// than minObserved.
func (s *rateState) observed(now time.Time) (rate float64, ok bool) {
	span := min(now.Sub(s.since), observeWindow)
	if len(s.recent) == 0 || span < minObserved {
		return 0, false
	}
	return float64(len(s.recent)) / span.Seconds(), true
}

// unused reports whether the successes observed come at less than half the
// rate: the requests do not use it, and their successes say nothing of a
// higher one.
func (s *rateState) unused(now time.Time) bool {
	observed, ok := s.observed(now)
	return ok && observed < s.limit/2
}

// forget drops the successes older than observeWindow.
func (s *rateState) forget(now time.Time) {
	cut := 0
	for cut < len(s.recent) && now.Sub(s.recent[cut]) > observeWindow {
		cut++
	}
	s.recent = s.recent[cut:]
}

// succeeded records a success at now.
func (s *rateState) succeeded(now time.Time) {
	s.forget(now)
	if len(s.recent) == 0 {
		s.since = now
	}
	s.recent = append(s.recent, now)
	switch {
	case s.blocked:
		s.blocked = false
		s.limit = s.resume
		return
	case s.limit == 0:
		return
	case s.unused(now):
		return
	case s.growing:
		s.limit += growth
	default:
		s.limit += increase / s.limit
	}
	if s.limit > maxPacedRate {
		s.limit, s.growing = 0, false
	}
}

// throttled records a 429, of a request sent after the last decrease, at
// now.
func (s *rateState) throttled(now time.Time) {
	s.forget(now)
	if s.blocked {
		// Nothing got through since the last decrease: slow the stand-in
		// down, and keep the rate to resume at.
		if s.growing && s.limit == minPacedRate {
			// Refused even at the slowest rate, and no rate was ever
			// observed: the host is throttled whatever the rate (an
			// outage, a tenant throttled from the start). When it takes
			// requests again, they go unpaced, as before the block.
			s.resume, s.growing = 0, false
		}
		s.limit = max(s.limit/2, minPacedRate)
		return
	}
	next := s.limit * decrease
	observed, ok := s.observed(now)
	switch {
	case ok:
		if s.limit == 0 || observed < s.limit {
			next = observed * decrease
		}
		s.growing = false
	case s.limit == 0:
		// Throttled before a rate could be observed: start low and grow.
		next, s.growing = coldRate, true
	}
	next = min(max(next, minPacedRate), maxPacedRate)
	s.limit, s.resume, s.blocked = next, next, true
}

package hwcloud

import (
	"context"
	"math"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// pacer spaces requests once the API has throttled them. It starts with no
// limit. On the first 429 it takes the rate the API just accepted, the
// successes of the last second, as the tenant's limit; each later 429 halves
// the rate, and each half second or so of successes raises it by one request
// a second (additive increase, multiplicative decrease). It never paces
// below one request a second.
//
// A host that throttles before anything succeeded in the last second gives
// no rate to learn: the pacer then paces at coldRate, halving it with each
// further 429, until a request gets through. That first success ends the
// stand-in: the pacer goes back to the rate it had learned (none, when it
// had learned none), so the end of a throttle is not paced at the rate of
// its refusals. A 429 from a request sent before the last decrease says
// nothing about the new rate and is ignored, so one burst of concurrent 429s
// lowers the rate once.
//
// One pacer serves every read of a client, and so of a provider: Terraform
// reads up to ten data sources at once against one tenant's limit.
type pacer struct {
	mu        sync.Mutex
	limiter   *rate.Limiter
	epoch     uint64      // counts the decreases
	recent    []time.Time // successes of the last second, oldest first
	successes int         // since the last change of rate
	// blocked is true from a decrease to the next success: every answer
	// since was a 429, and the rate in force is a stand-in; resume is the
	// rate to go back to at the next success.
	blocked bool
	resume  rate.Limit
	heard   bool // the host has answered
	now     func() time.Time
}

// Bounds of the learned rate, in requests per second. Above maxPacedRate
// the pacer lets requests go unpaced again. coldRate is where a pacer
// with nothing to learn from starts.
const (
	minPacedRate = 1
	maxPacedRate = 1000
	coldRate     = 4
)

func newPacer(clk clock) *pacer {
	return &pacer{limiter: rate.NewLimiter(rate.Inf, 1), now: clk.Now}
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

// wait blocks until a request may be sent and returns the epoch to report
// its outcome with.
func (p *pacer) wait(ctx context.Context) (uint64, error) {
	p.mu.Lock()
	epoch, limiter := p.epoch, p.limiter
	p.mu.Unlock()
	return epoch, limiter.Wait(ctx)
}

// answered reports whether the host has answered anything yet.
func (p *pacer) answered() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.heard
}

// forget drops the successes older than a second.
func (p *pacer) forget(now time.Time) {
	cut := 0
	for cut < len(p.recent) && now.Sub(p.recent[cut]) > time.Second {
		cut++
	}
	p.recent = p.recent[cut:]
}

// succeeded records an answer that was not a 429.
func (p *pacer) succeeded() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.heard = true
	now := p.now()
	p.recent = append(p.recent, now)
	p.forget(now)

	if p.blocked {
		p.blocked = false
		p.successes = 0
		p.limiter.SetLimitAt(now, p.resume)
		return
	}
	limit := p.limiter.Limit()
	if limit == rate.Inf {
		return
	}
	p.successes++
	if float64(p.successes) >= math.Max(1, math.Ceil(float64(limit)/2)) {
		p.successes = 0
		if limit+1 > maxPacedRate {
			p.limiter.SetLimit(rate.Inf)
			return
		}
		p.limiter.SetLimit(limit + 1)
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
	now := p.now()
	p.forget(now)
	limit := p.limiter.Limit()
	next := limit / 2
	switch {
	case p.blocked:
		// Nothing got through since the last decrease: slow the stand-in
		// down, and keep the rate to resume at.
	case limit == rate.Inf && len(p.recent) == 0:
		next, p.resume = coldRate, rate.Inf
	case limit == rate.Inf:
		next = rate.Limit(len(p.recent))
		p.resume = max(next, minPacedRate)
	default:
		p.resume = max(next, minPacedRate)
	}
	p.blocked = true
	p.epoch++
	p.successes = 0
	// Burst 1: requests leave one at a time at the rate, never in a clump,
	// and the first of them only one interval after this 429.
	p.limiter.SetLimitAt(now, max(next, minPacedRate))
	p.limiter.AllowN(now, 1)
}

// limit is the rate in force, in requests per second, for tests and logs.
func (p *pacer) limit() float64 {
	p.mu.Lock()
	defer p.mu.Unlock()
	return float64(p.limiter.Limit())
}

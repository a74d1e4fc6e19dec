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
// a second (additive increase, multiplicative decrease). It never
// paces below one request a second: where nothing succeeded in the last
// second, the 429's own Retry-After or backoff spaces the retries instead. A 429 from a
// request sent before the last decrease says nothing about the new rate and
// is ignored, so one burst of concurrent 429s lowers the rate once.
//
// One pacer serves every read of a client, and so of a provider: Terraform
// reads up to ten data sources at once against one tenant's limit.
type pacer struct {
	mu        sync.Mutex
	limiter   *rate.Limiter
	epoch     uint64      // counts the decreases
	recent    []time.Time // successes of the last second, oldest first
	successes int         // since the last change of rate
	now       func() time.Time
}

// Bounds of the learned rate, in requests per second. Above maxPacedRate
// the pacer lets requests go unpaced again.
const (
	minPacedRate = 1
	maxPacedRate = 1000
)

func newPacer() *pacer {
	return &pacer{limiter: rate.NewLimiter(rate.Inf, 1), now: time.Now}
}

// wait blocks until a request may be sent and returns the epoch to report
// its outcome with.
func (p *pacer) wait(ctx context.Context) (uint64, error) {
	p.mu.Lock()
	epoch, limiter := p.epoch, p.limiter
	p.mu.Unlock()
	return epoch, limiter.Wait(ctx)
}

// succeeded records an answer that was not a 429.
func (p *pacer) succeeded() {
	p.mu.Lock()
	defer p.mu.Unlock()
	now := p.now()
	p.recent = append(p.recent, now)
	cut := 0
	for cut < len(p.recent) && now.Sub(p.recent[cut]) > time.Second {
		cut++
	}
	p.recent = p.recent[cut:]

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
	if epoch != p.epoch {
		return
	}
	next := p.limiter.Limit() / 2
	if p.limiter.Limit() == rate.Inf {
		if len(p.recent) == 0 {
			return // no rate to learn from
		}
		next = rate.Limit(len(p.recent))
	}
	p.epoch++
	p.successes = 0
	// Burst 1: requests leave one at a time at the rate, never in a clump,
	// and the first of them only one interval after this 429.
	now := p.now()
	p.limiter.SetLimitAt(now, max(next, minPacedRate))
	p.limiter.AllowN(now, 1)
}

// limit is the rate in force, in requests per second, for tests and logs.
func (p *pacer) limit() float64 {
	p.mu.Lock()
	defer p.mu.Unlock()
	return float64(p.limiter.Limit())
}

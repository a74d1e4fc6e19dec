package hss

import (
	"context"
	"sync"
)

// limiter bounds the requests in flight. On a 429 it halves its limit; after
// as many successes in a row as the current limit it allows one more, up to
// the configured maximum (additive increase, multiplicative decrease).
type limiter struct {
	mu        sync.Mutex
	max       int
	limit     int
	inFlight  int
	successes int
	changed   chan struct{} // closed whenever a slot may have opened
}

func newLimiter(max int) *limiter {
	return &limiter{max: max, limit: max, changed: make(chan struct{})}
}

func (l *limiter) acquire(ctx context.Context) error {
	for {
		l.mu.Lock()
		if l.inFlight < l.limit {
			l.inFlight++
			l.mu.Unlock()
			return nil
		}
		ch := l.changed
		l.mu.Unlock()
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-ch:
		}
	}
}

func (l *limiter) release(success bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.inFlight--
	if success {
		l.successes++
		if l.limit < l.max && l.successes >= l.limit {
			l.limit++
			l.successes = 0
		}
	}
	close(l.changed)
	l.changed = make(chan struct{})
}

// throttled halves the limit after a 429.
func (l *limiter) throttled() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.limit = max(1, l.limit/2)
	l.successes = 0
}

// current is the limit in force, for tests.
func (l *limiter) current() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.limit
}

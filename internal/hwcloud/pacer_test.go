package hwcloud

import (
	"testing"
	"time"

	"golang.org/x/time/rate"
)

func TestPacer_learnsHalvesAndRecovers(t *testing.T) {
	p, now := clockedPacer()

	for range 6 {
		p.succeeded()
	}
	epoch := p.epoch
	p.throttled(epoch)
	if p.limit() != 6 {
		t.Fatalf("rate %v after 6 successes in the last second, want 6", p.limit())
	}
	p.throttled(epoch) // sent before the decrease: says nothing of the new rate
	if p.limit() != 6 {
		t.Fatalf("a stale 429 changed the rate to %v", p.limit())
	}
	p.succeeded()
	p.throttled(p.epoch)
	if p.limit() != 3 {
		t.Fatalf("rate %v after a second 429, want 3", p.limit())
	}
	for range 4 {
		p.succeeded()
		p.throttled(p.epoch)
	}
	if p.limit() != minPacedRate {
		t.Fatalf("rate %v, want the floor %v", p.limit(), minPacedRate)
	}
	for range 100 {
		*now = (*now).Add(100 * time.Millisecond)
		p.succeeded()
	}
	if p.limit() < 10 {
		t.Fatalf("rate %v after 100 successes, want it raised", p.limit())
	}
}

// A pacer throttled before anything succeeded paces at coldRate, slows
// down while nothing gets through, and stops pacing at the first success.
func TestPacer_coldThrottle(t *testing.T) {
	p, _ := clockedPacer()

	p.throttled(p.epoch)
	if p.limit() != coldRate {
		t.Fatalf("a cold pacer's first 429 set the rate to %v, want %v", p.limit(), coldRate)
	}
	for range 5 {
		p.throttled(p.epoch)
	}
	if p.limit() != minPacedRate {
		t.Fatalf("rate %v after 429s and no success, want %v", p.limit(), minPacedRate)
	}
	p.succeeded()
	if p.limit() != float64(rate.Inf) {
		t.Fatalf("rate %v after the throttle ended, want no pacing (nothing was learned)", p.limit())
	}
}

// Only the successes of the last second teach a rate.
func TestPacer_oldSuccessesTeachNothing(t *testing.T) {
	p, now := clockedPacer()
	for range 20 {
		p.succeeded()
	}
	*now = (*now).Add(2 * time.Second)
	p.throttled(p.epoch)
	if p.limit() != coldRate {
		t.Fatalf("rate %v from successes 2 s old, want the cold rate %v", p.limit(), coldRate)
	}
}

// After a learned rate, 429s with no success between slow the pacer
// further, and the first success goes back to the learned rate.
func TestPacer_blockedResumesLearnedRate(t *testing.T) {
	p, _ := clockedPacer()
	for range 8 {
		p.succeeded()
	}
	p.throttled(p.epoch)
	p.throttled(p.epoch)
	p.throttled(p.epoch)
	if p.limit() != 2 {
		t.Fatalf("rate %v, want 8 halved twice", p.limit())
	}
	p.succeeded()
	if p.limit() != 8 {
		t.Fatalf("rate %v after a success, want the learned 8 back", p.limit())
	}
}

// clockedPacer is a pacer on a clock that moves only when the test moves it.
func clockedPacer() (*pacer, *time.Time) {
	now := time.Unix(1_700_000_000, 0)
	p := newPacer(realClock{})
	p.now = func() time.Time { return now }
	return p, &now
}

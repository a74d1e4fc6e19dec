package hwcloud

import (
	"testing"
	"time"

	"golang.org/x/time/rate"
)

func TestPacer_learnsHalvesAndRecovers(t *testing.T) {
	now := time.Unix(1_700_000_000, 0)
	p := newPacer()
	p.now = func() time.Time { return now }

	p.throttled(0)
	if p.limit() != float64(rate.Inf) {
		t.Fatalf("a 429 with nothing to learn from set the rate to %v", p.limit())
	}
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
	p.throttled(p.epoch)
	if p.limit() != 3 {
		t.Fatalf("rate %v after a second 429, want 3", p.limit())
	}
	for range 4 {
		p.throttled(p.epoch)
	}
	if p.limit() != minPacedRate {
		t.Fatalf("rate %v, want the floor %v", p.limit(), minPacedRate)
	}
	for range 100 {
		now = now.Add(100 * time.Millisecond)
		p.succeeded()
	}
	if p.limit() < 10 {
		t.Fatalf("rate %v after 100 successes, want it raised", p.limit())
	}
}

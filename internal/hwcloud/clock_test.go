package hwcloud

import (
	"slices"
	"sync"
	"time"
)

// fakeClock is a clock that moves only when a test moves it: drive moves
// it to each timer's deadline as timers are set, so whatever waits on it
// runs at once, and the times it reads are those a real clock would show
// with no time lost anywhere but in the waits.
type fakeClock struct {
	mu     sync.Mutex
	now    time.Time
	timers []*fakeTimer
	set    chan struct{} // receives when a timer is set
}

type fakeTimer struct {
	at time.Time
	c  chan time.Time
}

func newFakeClock() *fakeClock {
	return &fakeClock{now: time.Unix(1_700_000_000, 0), set: make(chan struct{}, 1)}
}

func (f *fakeClock) Now() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.now
}

func (f *fakeClock) After(d time.Duration) (<-chan time.Time, func()) {
	f.mu.Lock()
	defer f.mu.Unlock()
	t := &fakeTimer{at: f.now.Add(d), c: make(chan time.Time, 1)}
	if d <= 0 {
		t.c <- f.now
		return t.c, func() {}
	}
	f.timers = append(f.timers, t)
	select {
	case f.set <- struct{}{}:
	default:
	}
	return t.c, func() {
		f.mu.Lock()
		defer f.mu.Unlock()
		f.timers = slices.DeleteFunc(f.timers, func(o *fakeTimer) bool { return o == t })
	}
}

// advance moves the clock by d, firing the timers it passes.
func (f *fakeClock) advance(d time.Duration) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.now = f.now.Add(d)
	f.timers = slices.DeleteFunc(f.timers, func(t *fakeTimer) bool {
		if t.at.After(f.now) {
			return false
		}
		t.c <- t.at
		return true
	})
}

// fireNext moves the clock to the earliest timer, if any, and fires it.
func (f *fakeClock) fireNext() bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.timers) == 0 {
		return false
	}
	i := 0
	for j, t := range f.timers {
		if t.at.Before(f.timers[i].at) {
			i = j
		}
	}
	t := f.timers[i]
	f.timers = slices.Delete(f.timers, i, i+1)
	if t.at.After(f.now) {
		f.now = t.at
	}
	t.c <- t.at
	return true
}

// pending is how many timers are set for from or later.
func (f *fakeClock) pending(from time.Time) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := 0
	for _, t := range f.timers {
		if !t.at.Before(from) {
			n++
		}
	}
	return n
}

// drive fires each timer as it is set, until stop is closed.
func (f *fakeClock) drive(stop <-chan struct{}) {
	for {
		select {
		case <-stop:
			return
		case <-f.set:
			for f.fireNext() {
			}
		}
	}
}

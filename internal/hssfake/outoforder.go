package hssfake

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"sync"
	"time"
)

// OutOfOrder serves the first pass of a paged read (the pages it asks for
// after the first page, all at once) in an order of the test's choosing,
// with a change of the list in between, whatever order the requests come
// in: it holds them until the pages asked for cover the list past Total,
// answers the pages at the positions in Before (0 is the page after the
// first, in offset order) one after another, calls Change, and answers the
// others. The pages are held by the offsets the read asks for, not by
// offsets a test assumes. Every other request, of that read or a later one,
// is passed to Next as it comes.
type OutOfOrder struct {
	Next   http.Handler
	Total  int   // the list's length when the first page is answered
	Before []int // positions in the first pass answered before the change, in this order
	Change func()

	once    sync.Once
	allIn   chan struct{} // closed when the whole first pass is asked for
	turns   []chan struct{}
	changed chan struct{} // closed after the change

	mu      sync.Mutex
	phase   int   // 0: no first page yet; 1: the first pass; 2: the change is made (or given up)
	in      bool  // allIn is closed
	offsets []int // of the first pass, in the order asked for
	problem string
}

// holdLimit guards against a read that never asks for its whole first
// pass at once (a concurrency below its pages): the hold ends and Problem
// says so.
const holdLimit = 10 * time.Second

func (o *OutOfOrder) init() {
	o.once.Do(func() {
		o.allIn, o.changed = make(chan struct{}), make(chan struct{})
		o.turns = make([]chan struct{}, len(o.Before))
		for k := range o.turns {
			o.turns[k] = make(chan struct{})
		}
	})
}

func (o *OutOfOrder) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	o.init()
	at, _ := strconv.Atoi(r.URL.Query().Get("offset"))
	limit, _ := strconv.Atoi(r.URL.Query().Get("limit"))
	o.mu.Lock()
	switch {
	case o.phase == 0 && at == 0:
		o.phase = 1
	case o.phase == 1 && at > 0:
		o.offsets = append(o.offsets, at)
		if !o.in && o.covered(limit) {
			o.in = true
			close(o.allIn)
		}
		o.mu.Unlock()
		o.serve(w, r, at)
		return
	}
	o.mu.Unlock()
	o.Next.ServeHTTP(w, r)
}

// covered reports whether the pages asked for, with the first, cover the
// list from its head to past its end: the first pass is all in flight
// (its last page reaches past total_num, where it is short). o.mu is held.
func (o *OutOfOrder) covered(limit int) bool {
	end := limit // the first page's
	for _, at := range slices.Sorted(slices.Values(o.offsets)) {
		if at > end {
			return false
		}
		end = max(end, at+limit)
	}
	return end > o.Total
}

// serve answers a page of the first pass in its turn.
func (o *OutOfOrder) serve(w http.ResponseWriter, r *http.Request, at int) {
	select {
	case <-o.allIn:
	case <-time.After(holdLimit):
		o.giveUp("the first pass was never all in flight at once")
	}
	o.mu.Lock()
	sorted := slices.Sorted(slices.Values(o.offsets))
	o.mu.Unlock()
	if len(o.Before) == 0 || slices.ContainsFunc(o.Before, func(p int) bool { return p < 0 || p >= len(sorted) }) {
		o.giveUp(fmt.Sprintf("the first pass has no page at each of the positions %v", o.Before))
	}
	k := slices.Index(o.Before, slices.Index(sorted, at))
	if k < 0 {
		<-o.changed
		o.Next.ServeHTTP(w, r)
		return
	}
	if k > 0 {
		select {
		case <-o.turns[k-1]:
		case <-o.changed: // given up
		}
	}
	o.Next.ServeHTTP(w, r)
	close(o.turns[k])
	if k == len(o.Before)-1 {
		o.mu.Lock()
		defer o.mu.Unlock()
		if o.phase == 1 {
			o.Change()
			o.phase = 2
			close(o.changed)
		}
	}
}

func (o *OutOfOrder) giveUp(problem string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.problem == "" {
		o.problem = problem
	}
	if o.phase == 1 {
		o.phase = 2
		close(o.changed)
	}
}

// Problem says why the scenario did not run as asked, "" when it did: the
// change was made after the pages in Before were answered, and before the
// others.
func (o *OutOfOrder) Problem() string {
	o.mu.Lock()
	defer o.mu.Unlock()
	switch {
	case o.problem != "":
		return fmt.Sprintf("%s (first pass %v)", o.problem, o.offsets)
	case o.phase != 2:
		return fmt.Sprintf("the change was never made (first pass %v)", o.offsets)
	}
	return ""
}

package hss

import (
	"context"
	"fmt"
	"slices"
)

// Lining up a list that moved during a read.
//
// The list is newest first and paged by offset, so an event that arrives
// shifts every later page by one towards the tail, and one that leaves shifts
// them towards the head. A page is a run of events that were next to each
// other when it was read. event_id is the field the document gives each event
// alone (event_class_id names the kind of event: the document's example is
// "clusterprotect_1001"), so two pages that share an event_id can be laid one
// over the other, and what lies between the events they share is known. Two
// pages that share none meet only if they were read from the same list (the
// same total_num, at adjacent offsets); elsewhere they may leave a gap, which
// is read again at where its first event is now.
//
// The guarantee: every event that stayed in the list for the whole read is in
// the result once. Events that arrived are in it when a page showed them;
// events that left may be in it, when a page showed them before they left.

// lineUp is the list as the pages show it so far.
type lineUp struct {
	limit int
	start int64 // total_num of the first page
	front int   // events placed before the first page's, from pages of arrivals only
	// events in list order; linked[i] is true when nothing that stayed lies
	// between events[i] and events[i+1].
	events []ClusterEvent
	linked []bool
	index  map[string]int      // event_id -> position in events
	seen   map[string]sighting // event_id -> where a page last showed it
	end    bool                // events ends where the list ends
	latest page                // the answer read last, for where events are now
	head   page                // the last read of offset 0
	prev   page                // the previous page of the first pass
	broken string              // why the pages cannot be lined up at all
	// drift is how far the events moved per request, measured by the
	// pages read furthest apart that share an event: where total_num stays
	// at the cap, it tells where an event is now.
	drift, driftSpan float64
}

type sighting struct {
	offset int
	total  int64
	seq    int64
}

// lineUp lines the pages of a read up, re-reading the first page and the
// places where pages do not meet, and returns the result or ErrListMoved.
func (r *reader) lineUp(ctx context.Context, pages []page) (*ReadResult, error) {
	l := &lineUp{limit: r.base.Limit, start: pages[0].total, index: map[string]int{}, seen: map[string]sighting{}}
	for _, p := range pages {
		l.merge(p, true)
	}
	rounds := 0
	for ; rounds < MaxLineUpRounds && l.broken == ""; rounds++ {
		offsets := l.gaps()
		if rounds == 0 {
			// The first page again: the events that arrived since, and the
			// total_num to hold the result to.
			offsets = append([]int{0}, offsets...)
		}
		if len(offsets) == 0 {
			break
		}
		more, err := r.fetch(ctx, offsets)
		if err != nil {
			return nil, err
		}
		for _, p := range more {
			l.merge(p, false)
		}
	}
	if open := len(l.gaps()); open > 0 || l.broken != "" {
		return nil, l.failure(pages[0].total, int(r.requests.Load()), open, rounds)
	}
	return l.result(pages[0].total, int(r.requests.Load())), nil
}

// merge lays p over the events so far. A page that shares no event_id is
// placed when it is a page of the first pass (in offset order) or the first
// page; otherwise it is dropped: it was read where the gap it was for is no
// longer.
func (l *lineUp) merge(p page, firstPass bool) {
	if l.latest.seq < p.seq {
		l.latest = p
	}
	if p.offset == 0 && l.head.seq < p.seq {
		l.head = p
	}
	anchors := l.anchors(p)
	if l.broken != "" || !l.place(p, anchors, firstPass) {
		return
	}
	if firstPass {
		l.prev = p
	}
	l.measure(p, anchors)
	for j, e := range p.events {
		if s, ok := l.seen[*e.EventID]; !ok || s.seq < p.seq {
			l.seen[*e.EventID] = sighting{offset: p.offset + j, total: p.total, seq: p.seq}
		}
	}
	l.reindex()
	if n := len(p.events); n > 0 && *l.events[len(l.events)-1].EventID == *p.events[n-1].EventID &&
		(n < l.limit || int64(p.offset+n) >= min(p.total, MaxTotalNum)) {
		l.end = true
	}
}

// place puts the events of p in, and reports whether it did.
func (l *lineUp) place(p page, anchors []anchor, firstPass bool) bool {
	switch {
	case len(anchors) > 0:
		l.mergeAnchored(p, anchors)
	case p.offset == 0:
		l.insert(0, p.events, false, false)
	case firstPass && l.arrivals(p):
		l.insert(l.front, p.events, false, false)
		l.front += len(p.events)
	case firstPass:
		l.insert(len(l.events), p.events, l.sameList(p), false)
	default:
		return false
	}
	return true
}

// arrivals reports whether p holds only events that arrived after the first
// page was read: it lies wholly before where the first page's first event is
// now (by total_num; at the cap it cannot tell).
func (l *lineUp) arrivals(p page) bool {
	return p.total < MaxTotalNum && int64(p.offset+len(p.events)) <= p.total-l.start
}

// sameList reports whether p continues the previous page of the first pass
// exactly: read from a list of the same length, at the next offset.
func (l *lineUp) sameList(p page) bool {
	return len(l.events) > 0 && l.prev.total == p.total && p.total < MaxTotalNum && // at the cap total_num stays put
		len(l.prev.events) == l.limit && l.prev.offset+l.limit == p.offset
}

// anchor is an event of a page (at j) that the events so far hold (at i).
type anchor struct{ j, i int }

// anchors are the events p shares with the events so far, in order.
func (l *lineUp) anchors(p page) []anchor {
	var out []anchor
	inPage := make(map[string]bool, len(p.events))
	for j, e := range p.events {
		switch {
		case e.EventID == nil:
			l.broken = "an event has no event_id, so the pages cannot be laid over each other"
		case inPage[*e.EventID]:
			l.broken = fmt.Sprintf("event_id %q is twice in the page at offset %d", *e.EventID, p.offset)
		}
		if l.broken != "" {
			return nil
		}
		inPage[*e.EventID] = true
		if i, ok := l.index[*e.EventID]; ok {
			if len(out) > 0 && i <= out[len(out)-1].i {
				l.broken = fmt.Sprintf("the pages put event_id %q on different sides of another event", *e.EventID)
				return nil
			}
			out = append(out, anchor{j: j, i: i})
		}
	}
	return out
}

// mergeAnchored inserts the events of p that are new around the events it
// shares, from the last to the first so that the positions stay valid.
func (l *lineUp) mergeAnchored(p page, a []anchor) {
	last := a[len(a)-1]
	after := true // the end of p says nothing of what follows it
	if last.i+1 < len(l.events) {
		after = l.linked[last.i]
	}
	l.insert(last.i+1, p.events[last.j+1:], true, after)
	for k := len(a) - 1; k > 0; k-- {
		n := a[k].j - a[k-1].j - 1
		l.insert(a[k].i, p.events[a[k-1].j+1:a[k].j], true, true)
		// p shows all that lay between the two: what the events so far hold
		// there and p does not had left when p was read.
		l.link(a[k-1].i, a[k].i+n)
	}
	first := a[0]
	if p.offset == 0 {
		// Nothing lay before p's first event: what p shows before the
		// anchor arrived, what the events so far hold before it left.
		l.insert(0, p.events[:first.j], true, true)
		l.link(0, first.i+first.j)
		return
	}
	before := true
	if first.i > 0 {
		before = l.linked[first.i-1]
	}
	l.insert(first.i, p.events[:first.j], before, true)
}

// insert puts evs before position at; left and right say whether the events
// on either side are linked to them.
func (l *lineUp) insert(at int, evs []ClusterEvent, left, right bool) {
	if len(evs) == 0 {
		return
	}
	links := make([]bool, 0, len(evs)+1)
	if at > 0 {
		links = append(links, left)
	}
	for range len(evs) - 1 {
		links = append(links, true)
	}
	if at < len(l.events) {
		links = append(links, right)
	}
	// Inside the events, linked[at-1] (between events[at-1] and events[at])
	// is replaced; at either end, the links are added.
	lo, hi := at-1, at
	switch {
	case at == 0:
		lo, hi = 0, 0
	case at == len(l.events):
		hi = lo
	}
	l.linked = slices.Replace(l.linked, lo, hi, links...)
	l.events = slices.Insert(l.events, at, evs...)
}

// link marks the events from position from to position to as linked.
func (l *lineUp) link(from, to int) {
	for i := from; i < to && i < len(l.linked); i++ {
		l.linked[i] = true
	}
}

func (l *lineUp) reindex() {
	clear(l.index)
	for i, e := range l.events {
		l.index[*e.EventID] = i
	}
}

// gaps are the offsets to read for the places where the pages do not meet,
// and for the tail when the events do not reach the end of the list yet.
func (l *lineUp) gaps() []int {
	need := min(len(l.events), MaxTotalNum)
	var at []int
	for i := 0; i < need-1; i++ {
		if !l.linked[i] {
			at = append(at, l.now(l.events[i]))
		}
	}
	if !l.end && len(l.events) < MaxTotalNum && len(l.events) > 0 {
		at = append(at, l.now(l.events[len(l.events)-1]))
	}
	slices.Sort(at)
	// A page from a quarter of a page before the event: it still holds the
	// event when some arrive or leave before it is read.
	margin := l.limit / 4
	var offsets []int
	for _, o := range at {
		o = min(max(o-margin, 0), MaxOffset)
		if n := len(offsets); n > 0 && o < offsets[n-1]+l.limit-2*margin {
			continue
		}
		offsets = append(offsets, o)
	}
	return offsets
}

// measure updates the drift from the events p shares with earlier pages.
func (l *lineUp) measure(p page, anchors []anchor) {
	for _, a := range anchors {
		s := l.seen[*p.events[a.j].EventID]
		if span := float64(p.seq - s.seq); span > l.driftSpan {
			l.drift, l.driftSpan = float64(p.offset+a.j-s.offset)/span, span
		}
	}
}

// now estimates where e is now: where it was seen, moved by how much the
// list grew since, or, at the cap, by the drift since.
func (l *lineUp) now(e ClusterEvent) int {
	s := l.seen[*e.EventID]
	moved := int(l.latest.total - s.total)
	if l.latest.total >= MaxTotalNum {
		moved = int(l.drift * float64(l.latest.seq+1-s.seq))
	}
	return max(s.offset+moved, 0)
}

// result is the lined-up events: complete for every event that stayed.
func (l *lineUp) result(startTotal int64, requests int) *ReadResult {
	events := l.events[:min(len(l.events), MaxTotalNum)]
	res := &ReadResult{TotalNum: l.head.total, LastUpdateTime: l.head.last, Events: events, Consistent: true}
	if int64(len(events)) != min(l.head.total, int64(MaxTotalNum)) {
		res.Consistent = false
		res.Warnings = append(res.Warnings, fmt.Sprintf(
			"The list moved while it was read: total_num went from %d to %d over %d requests. "+
				"The pages were lined up by event_id, so every event that stayed in the list is here once, but the %d events here do not match total_num %d: "+
				"events that left during the read can be here, and events that arrived during it can be missing. Read again for a list that matches total_num.",
			startTotal, l.head.total, requests, len(events), l.head.total))
	}
	return res
}

func (l *lineUp) failure(startTotal int64, requests, open, rounds int) error {
	why := fmt.Sprintf("%d places where the pages do not meet were still open after %d rounds of re-reads", open, rounds)
	if l.broken != "" {
		why = l.broken
	}
	return fmt.Errorf("%w: total_num went from %d to %d over %d requests, and the pages could not be lined up by event_id: %s. Events may be missing, so no list is returned",
		ErrListMoved, startTotal, l.latest.total, requests, why)
}

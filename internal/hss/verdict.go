package hss

import (
	"context"
	"fmt"
	"slices"
	"strings"
)

// What a read can be said to be.
//
// The guarantee: a Consistent result is the list as it stood at one
// instant, the instant the last read of the first page was answered. It
// rests on what the pages show, on the list growing only at its head, and
// on one assumption about total_num:
//
//   - Every two neighbours in the result were shown next to each other by a
//     page read before that instant; nothing can be inserted between two
//     items, so nothing lay between them at that instant either. The same
//     holds for the end of the list, shown by a page shorter than the limit.
//   - The last read of the first page is a batch of its own, sent after
//     every other page was answered: it shows the head at that instant.
//   - So every item of the list at that instant is in the result. Items
//     that left before it may be in it too, where no page read after they
//     left covered their place: the result holds the list and such items.
//   - total_num may lag behind items that arrived, but never counts an item
//     that left nor more items than its page was read from: it is at most
//     the length of the list at that instant. When the result holds exactly
//     total_num items, it holds no item that had left: it is the list.
//
// Otherwise the result is not Consistent and a warning says why; at the
// API's cap total_num counts nothing and the result is never Consistent.
// When the pages cannot be lined up within MaxLineUpRounds rounds of
// re-reads, the read fails with ErrListMoved.

// lineUp lays the pages over each other, reads again where they do not
// meet, reads the first page once more on its own, and decides.
func (r *reader[T]) lineUp(ctx context.Context, pages []*page[T]) (*Result[T], error) {
	c := newChain[T](r.p)
	c.firstPass(pages)
	batch := 2
	lone := len(pages) == 1 // the last batch was a read of the first page alone
	rounds, heads := 0, 0
	for c.broken == "" {
		var offsets []int
		switch gaps := c.gaps(); {
		case len(gaps) > 0 && rounds < MaxLineUpRounds:
			rounds++
			offsets = gaps
		case len(gaps) > 0:
			return nil, c.failure(int(r.requests.Load()), fmt.Sprintf("%d places where the pages do not meet were still open after %d rounds of re-reads", len(gaps), rounds))
		case lone || c.head.total >= int64(c.cap) && len(c.entries) >= c.cap:
			// Lined up; at the cap there is nothing a last read could prove,
			// but where items arrived it brings in the newest.
			return c.verdict(int(r.requests.Load())), nil
		case heads < MaxLineUpRounds:
			heads++
			offsets = []int{0}
		default:
			return nil, c.failure(int(r.requests.Load()), fmt.Sprintf("the head of the list moved on each of %d last reads", heads))
		}
		more, err := r.fetch(ctx, offsets, batch)
		if err != nil {
			return nil, err
		}
		batch++
		for _, p := range more {
			c.overlay(p)
		}
		lone = len(offsets) == 1 && offsets[0] == 0
	}
	return nil, c.failure(int(r.requests.Load()), c.broken)
}

// gaps are the offsets to read for the places where the pages do not meet:
// the head when it is not known, each open link, and the tail when no page
// showed the end yet.
func (c *chain[T]) gaps() []int {
	var at []int
	if c.headBatch < 0 {
		at = append(at, 0)
	}
	n := min(len(c.entries), c.cap)
	for i := 0; i < n-1; i++ {
		if !c.entries[i].next {
			at = append(at, c.now(i))
		}
	}
	if !c.end && !c.reached && len(c.entries) > 0 && len(c.entries) < c.cap {
		at = append(at, c.now(len(c.entries)-1))
	}
	slices.Sort(at)
	// A page from a quarter of a page before the item: it still holds the
	// item when some arrive or leave before it is read.
	margin := c.limit / 4
	var offsets []int
	for _, o := range at {
		o = min(max(o-margin, 0), MaxOffset)
		if k := len(offsets); k > 0 && o < offsets[k-1]+c.limit-2*margin {
			continue
		}
		offsets = append(offsets, o)
	}
	return offsets
}

// now estimates where the entry at i is now: where it was last seen, moved
// by how much the list grew since, or, at the cap, by the last shift seen.
func (c *chain[T]) now(i int) int {
	s := c.seen[c.entries[i].id]
	moved := int(c.latest.total - s.total)
	if c.latest.total >= int64(c.cap) {
		moved = c.shift
	}
	return max(s.offset+moved, 0)
}

// verdict is the lined-up list and what it can be said to be.
func (c *chain[T]) verdict(requests int) *Result[T] {
	n := min(len(c.entries), c.cap)
	items := make([]T, n)
	for i := range n {
		items[i] = c.entries[i].item
	}
	res := &Result[T]{TotalNum: c.head.total, LastUpdateTime: c.head.last, Items: items, Requests: requests}
	total := c.head.total
	if total >= int64(c.cap) {
		defer func() { res.Warnings = append(res.Warnings, capWarning(total, c.noun, c.capHint)) }()
	}
	switch {
	case total >= int64(c.cap) && (!c.end || n >= c.cap):
		// Cut at the cap, where total_num counts nothing.
	case int64(n) == total:
		res.Consistent = true
	case c.moved:
		res.Warnings = append(res.Warnings, fmt.Sprintf(
			"The list moved while it was read (%d requests): the pages were lined up by %s, but the %d %s here do not match total_num %d, so they are not shown to be the list at one instant: "+
				"%s that left during the read can be here. Read again for a list that matches total_num.",
			requests, c.idName, n, c.noun, total, c.noun))
	default:
		res.Warnings = append(res.Warnings, fmt.Sprintf(
			"total_num disagrees with the pages: the %d pages hold %d %s, one after another and without a repeated %s, but total_num is %d. "+
				"Every page agreed with the others, so these are all the %s the API served, and its count does not match them.",
			requests, n, c.noun, c.idName, total, c.noun))
	}
	return res
}

func capWarning(total int64, noun, hint string) string {
	return fmt.Sprintf("The API reports total_num %d, its documented maximum: older %s may be left out. %s", total, noun, hint)
}

func (c *chain[T]) failure(requests int, why string) error {
	start := int64(0)
	if c.first != nil {
		start = c.first.total
	}
	return fmt.Errorf("%w: total_num went from %d to %d over %d requests, and the pages could not be lined up by %s: %s. %s may be missing, so no list is returned",
		ErrListMoved, start, c.latest.total, requests, c.idName, why, strings.ToUpper(c.noun[:1])+c.noun[1:])
}

// stillWithDuplicates is the result of a first pass whose pages agree on
// every offset they share, cover the list from its head to its end, and
// hold an ID at two offsets: the list did not move, and the API answered
// the same item twice. Each is kept once, and the result says so. nil for
// any other first pass.
func stillWithDuplicates[T any](r *reader[T], pages []*page[T]) *Result[T] {
	s, ok := stitchStill(pages)
	last := pages[len(pages)-1]
	if !ok || len(s.repeated) == 0 || !last.ends(r.p.Limit) && !last.reachEnd() {
		return nil
	}
	kept := make([]T, 0, len(s.items))
	seen := map[string]bool{}
	for k, it := range s.items {
		if !seen[s.ids[k]] {
			seen[s.ids[k]] = true
			kept = append(kept, it)
		}
	}
	head := pages[0]
	res := &Result[T]{TotalNum: head.total, LastUpdateTime: head.last, Items: kept, Requests: int(r.requests.Load())}
	res.Warnings = append(res.Warnings, fmt.Sprintf(
		"The API answered the same %s twice: %s. The pages agree on every offset they share, so this is not the list moving; each is kept once.",
		strings.TrimSuffix(r.p.Noun, "s"), s.repeats(r.p.IDName)))
	if head.total >= int64(r.p.reach()) {
		res.Warnings = append(res.Warnings, capWarning(head.total, r.p.Noun, r.p.CapHint))
	}
	return res
}

// stitched is a first pass laid end to end by offset: ids[o] is the ID at
// offset o, at the offsets of each ID, repeated the IDs at two or more.
type stitched[T any] struct {
	items    []T
	ids      []string
	at       map[string][]int
	repeated []string
}

// stitchStill lays pages in offset order end to end, each starting inside
// the ones before; false when they leave a hole, disagree on an offset (the
// list moved) or hold an item without an ID.
func stitchStill[T any](pages []*page[T]) (stitched[T], bool) {
	s := stitched[T]{at: map[string][]int{}}
	for _, p := range pages {
		if p.offset > len(s.ids) || p.offset > 0 && (p.offset == len(s.ids) || len(p.items) == 0) {
			return s, false // the pages share no offset: they may not meet
		}
		for j, id := range p.ids {
			o := p.offset + j
			switch {
			case id == "":
				return s, false
			case o < len(s.ids) && s.ids[o] != id:
				return s, false // the list moved
			case o < len(s.ids):
				continue
			}
			s.items, s.ids = append(s.items, p.items[j]), append(s.ids, id)
			if s.at[id] = append(s.at[id], o); len(s.at[id]) == 2 {
				s.repeated = append(s.repeated, id)
			}
		}
	}
	return s, true
}

// repeats names the first five repeated IDs with their offsets.
func (s stitched[T]) repeats(idName string) string {
	var said []string
	for _, id := range s.repeated[:min(len(s.repeated), 5)] {
		offs := make([]string, len(s.at[id]))
		for k, o := range s.at[id] {
			offs[k] = fmt.Sprint(o)
		}
		said = append(said, fmt.Sprintf("%s %q at offsets %s", idName, id, strings.Join(offs, " and ")))
	}
	if len(s.repeated) > 5 {
		said = append(said, fmt.Sprintf("and %d more", len(s.repeated)-5))
	}
	return strings.Join(said, "; ")
}

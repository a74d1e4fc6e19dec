package hss

import (
	"fmt"
	"slices"
)

// Lining the pages of a read up by ID.
//
// The list is newest first and paged by offset: an item that arrives goes
// to the head and shifts every later page by one towards the tail, one that
// leaves (from anywhere) shifts them towards the head; nothing is inserted
// between two items, and an item that left does not come back. A page is a
// run of items that were next to each other when it was read.
//
// So two pages meet only where they share an item: then what lies between
// the items they share is known, and where the two disagree on it, the
// items only one of them shows between the same two items had left (an item
// cannot appear between two others). An equal total_num, or offsets that
// seem to follow on, prove nothing: where pages share no item there is a
// gap, read again where its first item is now.
//
// The chain is the list as the pages show it so far: each link says
// whether some page showed the two items next to each other. Where two
// pages disagree on what lies next to an item at an end of a page, the page
// of the later batch is right; pages of the same batch were read in an
// unknown order, so the link is opened and read again.

// entry is an item of the chain.
type entry[T any] struct {
	id   string
	item T
	// next is true when a page showed the entry and the one after it next
	// to each other; batch is the latest batch of such a page.
	next  bool
	batch int
}

// chain is the list as the pages show it so far.
type chain[T any] struct {
	limit   int
	cap     int // the API's cap on the items of the query
	idName  string
	noun    string
	capHint string
	first   *page[T] // the first page read
	latest  *page[T] // the page answered last
	entries []entry[T]
	index   map[string]int // id -> position in entries
	seen    map[string]sighting
	head    *page[T] // the latest read of offset 0
	// headBatch is the batch of the page that showed entries[0] at offset
	// 0; -1 when entries[0] is not known to be the first.
	headBatch int
	end       bool // a page showed that the list ends at the last entry
	reached   bool // a page showed that the last entry is the last the API serves, at its cap
	shift     int  // how far the items moved between their last two sightings
	moved     bool // the pages showed the list move
	broken    string
}

// sighting is where a page last showed an item.
type sighting struct {
	offset int
	total  int64
	batch  int
}

func newChain[T any](p Paged[T]) *chain[T] {
	c := &chain[T]{limit: p.Limit, cap: p.reach(), idName: p.IDName, noun: p.Noun, capHint: p.CapHint, index: map[string]int{}, seen: map[string]sighting{}, headBatch: -1}
	if c.idName == "" {
		c.idName = "ID"
	}
	if c.noun == "" {
		c.noun = "items"
	}
	return c
}

// firstPass lays the pages of the first pass over the chain in offset
// order, each page that shares no item yet after the others: where more
// items arrived than the pages overlap by, a page of new items only meets
// the list through the page after it. Pages that meet nothing are put
// after the rest, in offset order, with gaps between to be read again.
func (c *chain[T]) firstPass(pages []*page[T]) {
	for progress := true; progress && len(pages) > 0; {
		progress = false
		var rest []*page[T]
		for _, p := range pages {
			if len(c.entries) == 0 || p.offset == 0 || c.shares(p) {
				c.overlay(p)
				progress = true
			} else {
				rest = append(rest, p)
			}
		}
		pages = rest
	}
	for _, p := range pages {
		c.overlay(p)
	}
}

func (c *chain[T]) shares(p *page[T]) bool {
	for _, id := range p.ids {
		if _, ok := c.index[id]; ok {
			return true
		}
	}
	return false
}

// anchor is an item of a page (at j) that the chain holds (at i).
type anchor struct{ j, i int }

// overlay lays p over the chain.
func (c *chain[T]) overlay(p *page[T]) {
	if c.broken != "" {
		return
	}
	c.note(p)
	if p.offset == 0 && p.ends(c.limit) && p.batch >= c.headBatch {
		c.whole(p)
		return
	}
	anchors := c.anchors(p)
	if c.broken != "" || !c.place(p, anchors) {
		return
	}
	if c.broken == "" {
		c.ended(p)
		c.sighted(p, anchors)
	}
}

// note keeps the first page, the latest and the newest read of the head.
func (c *chain[T]) note(p *page[T]) {
	if c.first == nil {
		c.first = p
	}
	if c.latest == nil || p.seq > c.latest.seq {
		c.latest = p
	}
	if p.offset == 0 && (c.head == nil || p.batch >= c.head.batch) {
		c.head = p
	}
}

// whole takes in a first page that shows the end: the whole list at one
// instant.
func (c *chain[T]) whole(p *page[T]) {
	c.moved = c.moved || len(c.entries) > 0 && !slices.Equal(c.ids(), p.ids)
	c.entries = c.entries[:0]
	c.splice(0, 0, p, 0, len(p.items), p.batch)
	c.headBatch, c.end = p.batch, true
	c.sighted(p, nil)
}

// place puts the items of p in the chain, and reports whether it did.
func (c *chain[T]) place(p *page[T], anchors []anchor) bool {
	switch {
	case len(anchors) == 0 && (p.offset == 0 || len(c.entries) == 0):
		// A first page, or one of new items only: the head of the list,
		// not yet known to meet what follows.
		c.moved = c.moved || len(c.entries) > 0
		c.splice(0, 0, p, 0, len(p.items), p.batch)
		c.headBatch = p.batch
	case len(anchors) == 0 && p.batch <= 1:
		// The first pass, in offset order: after what it has so far.
		c.splice(len(c.entries), len(c.entries), p, 0, len(p.items), p.batch)
	case len(anchors) == 0:
		// Read for a gap that is no longer where it was looked for.
		return false
	default:
		c.lay(p, anchors)
	}
	return true
}

// ended takes in where p shows the list end: what the chain holds after
// p's last item had left (nothing appears after the end of the list).
func (c *chain[T]) ended(p *page[T]) {
	shown := len(p.items) > 0 && (p.ends(c.limit) || p.reachEnd())
	if !shown {
		return
	}
	i, ok := c.index[p.ids[len(p.ids)-1]]
	if !ok {
		return
	}
	if i < len(c.entries)-1 && p.ends(c.limit) {
		if !c.connected(i, len(c.entries)) {
			c.broken = "a page shows the list end before items whose place is not known"
			return
		}
		c.entries = c.entries[:i+1]
		c.reindex()
		c.moved = true
	}
	if i == len(c.entries)-1 {
		c.end = c.end || p.ends(c.limit)
		c.reached = c.reached || p.reachEnd()
	}
}

func (c *chain[T]) ids() []string {
	out := make([]string, len(c.entries))
	for i, e := range c.entries {
		out[i] = e.id
	}
	return out
}

// anchors are the items p shares with the chain, in order; an item twice
// in p, or shared items in another order than the chain's, break the read.
func (c *chain[T]) anchors(p *page[T]) []anchor {
	var out []anchor
	at := make(map[string]int, len(p.ids))
	for j, id := range p.ids {
		if id == "" {
			c.broken = fmt.Sprintf("an item has no %s, so the pages cannot be laid over each other", c.idName)
			return nil
		}
		if k, dup := at[id]; dup {
			c.broken = fmt.Sprintf("the API answered %s %q twice in the page at offset %d (at offsets %d and %d)", c.idName, id, p.offset, p.offset+k, p.offset+j)
			return nil
		}
		at[id] = j
		if i, ok := c.index[id]; ok {
			if n := len(out); n > 0 && i <= out[n-1].i {
				c.broken = fmt.Sprintf("%s %q is at offset %d, on the other side of %s %q than an earlier page showed: either the API answered it twice or the list was reordered",
					c.idName, id, p.offset+j, c.idName, c.entries[out[n-1].i].id)
				return nil
			}
			out = append(out, anchor{j: j, i: i})
		}
	}
	return out
}

// lay lays p over the chain where they share items: between two shared
// items the page and the chain must agree but for items that left; before
// the first and after the last, a page of a later batch is right.
func (c *chain[T]) lay(p *page[T], a []anchor) {
	// From the last anchor back, so that positions before stay valid.
	c.after(p, a[len(a)-1])
	for k := len(a) - 1; k > 0; k-- {
		c.between(p, a[k-1], a[k])
		if c.broken != "" {
			return
		}
	}
	c.before(p, a[0])
}

// between settles what lies between two items the page and the chain
// share: only one of them can show items there, and those left (an item
// cannot appear between two others); the other's view stands.
func (c *chain[T]) between(p *page[T], lo, hi anchor) {
	inChain, inPage := hi.i-lo.i-1, hi.j-lo.j-1
	linked := true
	for i := lo.i; i < hi.i; i++ {
		linked = linked && c.entries[i].next
	}
	switch {
	case inChain == 0 && inPage == 0:
		c.link(lo.i, p.batch)
	case inPage == 0:
		// The page, of a later list, shows the two next to each other.
		if !c.connected(lo.i, hi.i) {
			c.broken = "a page shows two items next to each other that earlier pages put apart, with items of unknown place between"
			return
		}
		c.splice(lo.i+1, hi.i, p, 0, 0, p.batch)
		c.link(lo.i, p.batch)
		c.moved = true
	case inChain == 0 && linked:
		// An earlier page showed the two next to each other: what this
		// page shows between them had left.
		c.moved = true
	case inChain == 0:
		c.splice(lo.i+1, lo.i+1, p, lo.j+1, hi.j, p.batch)
		c.link(lo.i, p.batch)
		c.link(lo.i+inPage, p.batch)
	default:
		// Both show items there, with a gap in the chain: the chain's items
		// next to either end left (the page is later); its items of unknown
		// place make the read fail rather than be guessed.
		if !c.connected(lo.i, hi.i) {
			c.broken = "pages disagree on what lies between two items, around a part of the list whose place is not known"
			return
		}
		c.splice(lo.i+1, hi.i, p, lo.j+1, hi.j, p.batch)
		c.link(lo.i, p.batch)
		c.link(lo.i+inPage, p.batch)
		c.moved = true
	}
}

// connected reports whether every entry strictly between lo and hi is
// linked to lo or to hi, so that its place between them is known.
func (c *chain[T]) connected(lo, hi int) bool {
	i := lo
	for i < hi && c.entries[i].next {
		i++
	}
	j := hi
	for j > i && c.entries[j-1].next {
		j--
	}
	return j <= i+1
}

// before settles the items p shows before the first item it shares.
func (c *chain[T]) before(p *page[T], first anchor) {
	lead := first.j
	switch {
	case p.offset == 0 && p.batch >= c.headBatch:
		// Nothing lay before p's first item: the chain's items before the
		// anchor left, p's arrived.
		if first.i > 0 || lead > 0 {
			c.moved = true
		}
		c.splice(0, first.i, p, 0, lead, p.batch)
		c.link(lead-1, p.batch)
		c.headBatch = p.batch
	case p.offset == 0:
		// An older read of the head: what only it shows had left.
	case lead == 0:
	case first.i == 0:
		c.splice(0, 0, p, 0, lead, p.batch)
		c.link(lead-1, p.batch)
		c.headBatch = -1
	case !c.entries[first.i-1].next:
		c.splice(first.i, first.i, p, 0, lead, p.batch)
		c.link(first.i+lead-1, p.batch)
	default:
		c.conflict(p, first.i-1, func() {
			c.splice(first.i-1, first.i, p, 0, lead, p.batch)
			c.link(first.i-1+lead-1, p.batch)
			if first.i-2 >= 0 {
				c.entries[first.i-2].next = false
			}
		})
	}
}

// after settles the items p shows after the last item it shares.
func (c *chain[T]) after(p *page[T], last anchor) {
	tail := len(p.items) - last.j - 1
	next := last.i + 1
	switch {
	case tail == 0:
	case next == len(c.entries) && c.end:
		// The list ended there when an earlier page was read: what p shows
		// after it had left.
		c.moved = true
	case next == len(c.entries) || !c.entries[last.i].next:
		c.splice(next, next, p, last.j+1, len(p.items), p.batch)
		c.link(last.i, p.batch)
	default:
		c.conflict(p, last.i, func() {
			c.splice(next, next+1, p, last.j+1, len(p.items), p.batch)
			c.link(last.i, p.batch)
		})
	}
}

// conflict settles a page that shows other items next to an item than the
// chain's link at position i does: the later batch is right (the other's
// item left); in the same batch, the link is opened to be read again.
func (c *chain[T]) conflict(p *page[T], i int, pageWins func()) {
	c.moved = true
	switch {
	case p.batch > c.entries[i].batch:
		pageWins()
	case p.batch == c.entries[i].batch:
		c.entries[i].next = false
	}
}

// splice replaces the entries from position lo to hi with the items of p
// from j to k, linked among themselves; the callers link their ends.
func (c *chain[T]) splice(lo, hi int, p *page[T], j, k, batch int) {
	add := make([]entry[T], 0, k-j)
	for x := j; x < k; x++ {
		add = append(add, entry[T]{id: p.ids[x], item: p.items[x], next: x+1 < k, batch: batch})
	}
	c.entries = slices.Replace(c.entries, lo, hi, add...)
	if lo > 0 && (lo != hi || len(add) > 0) {
		// What follows the entry before is no longer what a page showed.
		c.entries[lo-1].next = false
	}
	c.reindex()
}

func (c *chain[T]) link(i, batch int) {
	if i >= 0 && i < len(c.entries)-1 {
		c.entries[i].next = true
		c.entries[i].batch = max(c.entries[i].batch, batch)
	}
}

func (c *chain[T]) reindex() {
	clear(c.index)
	for i, e := range c.entries {
		c.index[e.id] = i
	}
}

// sighted notes where p showed its items, and how far they had moved.
func (c *chain[T]) sighted(p *page[T], anchors []anchor) {
	for _, a := range anchors[:min(len(anchors), 1)] {
		if s, ok := c.seen[p.ids[a.j]]; ok && s.batch < p.batch {
			c.shift = p.offset + a.j - s.offset
		}
	}
	for j, id := range p.ids {
		if s, ok := c.seen[id]; !ok || s.batch <= p.batch {
			c.seen[id] = sighting{offset: p.offset + j, total: p.total, batch: p.batch}
		}
	}
}

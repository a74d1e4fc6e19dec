package hss

import (
	"context"
	"errors"
	"math"
	"slices"
	"sync"
	"sync/atomic"

	"golang.org/x/sync/errgroup"
)

// The paged read, written once for any list the API pages by offset, limit
// and total_num, newest first: events by event_id, clusters by cluster_id.
// ReadAll reads the first page, then the others concurrently, lines them up
// by ID (lineup.go) and decides what the result can be said to be
// (verdict.go).

// MaxLineUpRounds bounds the rounds of extra reads that line the pages up
// when the list moves during a read.
const MaxLineUpRounds = 4

// ErrListMoved is returned when the list moved during a read and its pages
// could not be lined up: items may be missing, so no list is returned.
var ErrListMoved = errors.New("the list moved while it was read")

// Page is one answer of a paged list.
type Page[T any] struct {
	Items    []T
	TotalNum int64
	// LastUpdateTime is the answer's last_update_time, nil where the API
	// sends none.
	LastUpdateTime *int64
}

// Paged is a list API to read every item of.
type Paged[T any] struct {
	// Limit is the page size asked for.
	Limit int
	// MaxConcurrency bounds the pages read at once.
	MaxConcurrency int
	// ID gives an item's ID, false when the item has none.
	ID func(T) (string, bool)
	// IDName names the ID in messages, such as "event_id"; Noun the
	// items, such as "events".
	IDName, Noun string
	// CapHint tells, in the warning of a list cut at the API's cap, how to
	// see the items left out.
	CapHint string
	// Fetch reads the page at offset.
	Fetch func(ctx context.Context, offset int) (Page[T], error)
	// Cap is how many items of one query the API serves at most, and the
	// most its total_num says: MaxTotalNum when not positive.
	Cap int
}

// reach is the API's cap on the items of one query.
func (p Paged[T]) reach() int {
	if p.Cap > 0 {
		return p.Cap
	}
	return MaxTotalNum
}

// Result is every item of a paged list.
type Result[T any] struct {
	// TotalNum is the API's total_num on the last read of the first page.
	TotalNum       int64
	LastUpdateTime *int64
	// Items in the API's order, without a repeated ID.
	Items []T
	// Requests counts the pages fetched (retries not included).
	Requests int
	// Consistent is true when Items are the list as it stood at one
	// instant: see verdict.go for what proves it.
	Consistent bool
	// Complete is true when Items are every item of the list: Consistent,
	// and total_num below the API's cap.
	Complete bool
	// Warnings are for the user: why the result is not Consistent, and
	// truncation at the API's cap.
	Warnings []string
}

// ReadAll reads every item of p. The result is the list at one instant
// (Consistent), or is said not to be, with the reason in Warnings; or the
// read fails with ErrListMoved when the pages cannot be lined up.
func ReadAll[T any](ctx context.Context, p Paged[T]) (*Result[T], error) {
	r := &reader[T]{p: p}
	pages, err := r.firstPass(ctx)
	if err != nil {
		return nil, err
	}
	res := stillWithDuplicates(r, pages)
	if res == nil {
		if res, err = r.lineUp(ctx, pages); err != nil {
			return nil, err
		}
	}
	res.Complete = res.Consistent && res.TotalNum < int64(p.reach())
	return res, nil
}

// page is one answer, with where and in which batch of requests it was
// read: every request of a batch is sent after every answer of the
// batches before it has arrived, so a page of a later batch shows the
// list as it stood later.
type page[T any] struct {
	offset int
	total  int64
	batch  int
	seq    int64 // completion order within a read
	items  []T
	ids    []string // "" for an item without an ID
	last   *int64
	cap    int // the API's cap on the items of the query
}

// ends reports whether the page shows where the list ended when it was
// read: it holds fewer items than asked for, short of the API's cap.
func (p *page[T]) ends(limit int) bool {
	return len(p.items) < limit && !p.reachEnd()
}

// reachEnd reports whether the page reaches the API's cap, past which
// nothing can be read.
func (p *page[T]) reachEnd() bool { return p.offset+len(p.items) >= p.cap }

// reader fetches the pages of one read.
type reader[T any] struct {
	p        Paged[T]
	requests atomic.Int64 // pages fetched, also their completion order
}

// firstPass reads the first page (batch 0), then every page its total_num
// calls for (batch 1). Each page starts a few items before the end of the
// one before, so that pages that share items can be laid over each other
// by ID; once a page shows that the list moves, the pages still to be sent
// overlap by about as many items as move while a full set of concurrent
// requests is served, so that pages served out of order still share items.
// The last page reaches past total_num, where it is short: the end of the
// list is shown, not inferred from total_num.
func (r *reader[T]) firstPass(ctx context.Context) ([]*page[T], error) {
	first, err := r.fetch(ctx, []int{0}, 0)
	if err != nil {
		return nil, err
	}
	limit := r.p.Limit
	if first[0].ends(limit) || first[0].reachEnd() {
		return first, nil
	}
	capped := r.p.reach()
	total := min(first[0].total, int64(capped))
	w := watch[T]{first: first[0], window: r.p.MaxConcurrency, limit: limit, base: baseOverlap(limit, total)}
	var (
		mu    sync.Mutex
		pages = first
	)
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(max(w.window, 1))
	// Each page starts w.overlap() items before the end of the one before,
	// until one reaches past total_num (and so shows where the list ends).
	for end := limit; int64(end) <= total && end < capped; {
		o := end - w.overlap()
		end = o + limit
		g.Go(func() error {
			p, err := r.get(gctx, o, 1)
			if err != nil {
				return err
			}
			mu.Lock()
			pages = append(pages, p)
			mu.Unlock()
			w.saw(p)
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	slices.SortFunc(pages, func(a, b *page[T]) int { return a.offset - b.offset })
	return pages, nil
}

// watch tells, during the first pass, how fast the list moves.
type watch[T any] struct {
	first         *page[T]
	window, limit int
	mu            sync.Mutex
	drift         float64 // items moved per request, at most
	base          int     // the overlap from the start
	at            map[string]int
}

// saw takes in a page: its total_num against the first page's, and the
// place of an item the first page holds too.
func (w *watch[T]) saw(p *page[T]) {
	w.mu.Lock()
	defer w.mu.Unlock()
	moved := p.total - w.first.total
	if p.offset < w.limit+w.limit/2 {
		// A page that starts where the first ended shows, by where the
		// first page's items are in it, how far they moved: at the cap
		// total_num stays put while items arrive.
		if w.at == nil {
			w.at = make(map[string]int, len(w.first.ids))
			for j, id := range w.first.ids {
				w.at[id] = j
			}
		}
		for j, id := range p.ids {
			if i, ok := w.at[id]; ok && id != "" {
				moved = int64(p.offset + j - i)
				break
			}
		}
	}
	if moved < 0 {
		moved = -moved
	}
	w.drift = max(w.drift, float64(moved)/float64(max(p.seq-w.first.seq, 1)))
}

// overlap is how many items the next page shares with the one before: at
// least w.base, more once the list is seen to move faster than that covers.
func (w *watch[T]) overlap() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.drift == 0 {
		return w.base
	}
	return max(w.base, min(int(math.Ceil(2*w.drift*float64(w.window)))+1, w.limit/4))
}

// baseOverlap is how many items each page shares with the one before from
// the start of a read of total items: limit/20, so that a list that moves
// by fewer items than that while a set of concurrent requests is served is
// lined up from the pages alone, with nothing read again; but at least one,
// since only a shared item proves that two pages meet. Where limit/20 costs
// more than 1.2 times the pages (lists of fewer than about 1,000 items at
// the default limit), one.
func baseOverlap(limit int, total int64) int {
	k := max(limit/20, 1)
	pages := (total + int64(limit) - 1) / int64(limit)
	requests := 1 + (total-int64(limit)+int64(limit-k))/int64(limit-k)
	if 5*requests > 6*pages {
		return 1
	}
	return k
}

// fetch reads the pages at offsets concurrently, as one batch, in their
// order.
func (r *reader[T]) fetch(ctx context.Context, offsets []int, batch int) ([]*page[T], error) {
	pages := make([]*page[T], len(offsets))
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(max(r.p.MaxConcurrency, 1))
	for i, o := range offsets {
		g.Go(func() (err error) {
			pages[i], err = r.get(gctx, o, batch)
			return err
		})
	}
	return pages, g.Wait()
}

// get reads the page at offset o.
func (r *reader[T]) get(ctx context.Context, o, batch int) (*page[T], error) {
	ans, err := r.p.Fetch(ctx, o)
	if err != nil {
		return nil, err
	}
	p := &page[T]{offset: o, total: ans.TotalNum, batch: batch, seq: r.requests.Add(1), items: ans.Items, last: ans.LastUpdateTime, cap: r.p.reach()}
	p.ids = make([]string, len(ans.Items))
	for j, it := range ans.Items {
		if id, ok := r.p.ID(it); ok {
			p.ids[j] = id
		}
	}
	return p, nil
}

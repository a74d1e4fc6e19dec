package hss

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net/url"
	"slices"
	"sync"
	"sync/atomic"

	"golang.org/x/sync/errgroup"
)

// MaxLineUpRounds bounds the rounds of extra reads that line the pages up
// when the list moves during a read.
const MaxLineUpRounds = 4

// ErrListMoved is returned when the list moved during a read and its pages
// could not be lined up: events may be missing, so no list is returned.
var ErrListMoved = errors.New("the list moved while it was read")

// ListClusterEvents reads one page. The request is checked against the
// document's ranges before anything is sent.
func (c *Client) ListClusterEvents(ctx context.Context, req ListClusterEventsRequest) (*ListClusterEventsResponse, error) {
	if err := req.Validate(); err != nil {
		return nil, err
	}
	extra := url.Values{}
	if req.ClusterID != "" {
		extra.Set("cluster_id", req.ClusterID)
	}
	var out ListClusterEventsResponse
	if err := c.getPage(ctx, "events", "events", req.page(), extra, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

func (r ListClusterEventsRequest) page() pageRequest {
	return pageRequest{ProjectID: r.ProjectID, EnterpriseProjectID: r.EnterpriseProjectID, Offset: r.Offset, Limit: r.Limit}
}

func (r *ListClusterEventsResponse) counts() (int64, int) { return r.TotalNum, len(r.DataList) }

// Validate checks the request against the document's ranges.
func (r ListClusterEventsRequest) Validate() error {
	if err := r.page().validate(); err != nil {
		return err
	}
	return checkID("cluster_id", r.ClusterID, false)
}

// Filter selects the events ReadAllClusterEvents reads.
type Filter struct {
	ProjectID           string
	EnterpriseProjectID string // empty: not sent, the API's default project "0"
	ClusterID           string // empty: all clusters
}

// ReadResult is every event of a query.
type ReadResult struct {
	// TotalNum is the API's total_num on the last read of the first page.
	TotalNum       int64
	LastUpdateTime *int64
	// Events in the API's order, without duplicate event_id.
	Events []ClusterEvent
	// Requests counts the pages fetched (retries not included).
	Requests int
	// Consistent is true when the events add up to TotalNum without a
	// repeated event_id, and the pages either agreed on total_num or were
	// lined up by event_id. last_update_time is not a change marker: the
	// document does not define it as one.
	Consistent bool
	// Warnings are for the user: truncation at the API's cap, a total_num
	// that disagrees with the pages, a list that moved in a way that leaves
	// the count off.
	Warnings []string
}

// page is one answer, with where and when it was read.
type page struct {
	offset int
	total  int64
	seq    int64 // completion order within a read
	events []ClusterEvent
	last   *int64 // last_update_time
}

// ReadAllClusterEvents reads every page of the query: the first page gives
// total_num, the others are fetched concurrently (bounded by the client's
// max concurrency) and put back in offset order. When the pages disagree on
// total_num, the list moved during the read (the API is newest first, so
// new events shift the later pages): the pages are lined up by event_id,
// against a re-read of the first page, and the places they do not meet are
// read again, for at most MaxLineUpRounds rounds. A list that still cannot
// be lined up is ErrListMoved.
func (c *Client) ReadAllClusterEvents(ctx context.Context, f Filter) (*ReadResult, error) {
	base := ListClusterEventsRequest{ProjectID: f.ProjectID, EnterpriseProjectID: f.EnterpriseProjectID, ClusterID: f.ClusterID, Limit: DefaultLimit}
	if err := base.Validate(); err != nil {
		return nil, err
	}
	r := &reader{c: c, base: base}
	pages, err := r.readPages(ctx)
	if err != nil {
		return nil, err
	}
	var result *ReadResult
	if moved(pages) {
		if result, err = r.lineUp(ctx, pages); err != nil {
			return nil, err
		}
	} else {
		result = still(pages)
	}
	result.Requests = int(r.requests.Load())
	if result.TotalNum >= MaxTotalNum {
		result.Warnings = append(result.Warnings, fmt.Sprintf(
			"The API reports total_num %d, its documented maximum: older events may be left out. Narrow the query with cluster_id or enterprise_project_id to see them.",
			result.TotalNum))
	}
	return result, nil
}

// reader fetches the pages of one read.
type reader struct {
	c        *Client
	base     ListClusterEventsRequest
	requests atomic.Int64 // pages fetched, also their completion order
}

// readPages reads the first page, then every page its total_num calls for.
// Once a page shows that the list moves, the pages still to be sent overlap
// the one before by about as many events as move while a full set of
// concurrent requests is served, so that pages served out of order still
// share events and leave no gap to read again.
func (r *reader) readPages(ctx context.Context) ([]page, error) {
	first, err := r.fetch(ctx, []int{0})
	if err != nil {
		return nil, err
	}
	total := min(first[0].total, MaxTotalNum)
	w := watch{first: first[0], window: r.c.t.MaxConcurrency(), limit: r.base.Limit, base: baseOverlap(r.base.Limit, total)}
	var (
		mu    sync.Mutex
		pages = first
	)
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(w.window)
	// Each page starts w.overlap() events before the end of the one before.
	for end := r.base.Limit; int64(end) < total; {
		o := end - w.overlap()
		end = o + r.base.Limit
		g.Go(func() error {
			p, err := r.get(gctx, o)
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
	slices.SortFunc(pages, func(a, b page) int { return a.offset - b.offset })
	return pages, nil
}

// watch tells, during the first pass, how fast the list moves.
type watch struct {
	first         page
	window, limit int
	mu            sync.Mutex
	drift         float64 // events moved per request, at most
	base          int     // the overlap from the start
	ids           map[string]int64
}

// saw takes in a page: its total_num against the first page's, or, at the
// cap where total_num stays put, its events against the first page's.
func (w *watch) saw(p page) {
	w.mu.Lock()
	defer w.mu.Unlock()
	moved := p.total - w.first.total
	if w.first.total >= MaxTotalNum && p.offset < w.limit+w.limit/2 {
		// A page that starts where the first ended holds first-page
		// events only when events arrived.
		if w.ids == nil {
			w.ids = make(map[string]int64, len(w.first.events))
			for j, e := range w.first.events {
				if e.EventID != nil {
					w.ids[*e.EventID] = int64(j)
				}
			}
		}
		if len(p.events) > 0 && p.events[0].EventID != nil {
			if j, ok := w.ids[*p.events[0].EventID]; ok {
				moved = int64(p.offset) - j
			}
		}
	}
	if moved < 0 {
		moved = -moved
	}
	w.drift = max(w.drift, float64(moved)/float64(max(p.seq-w.first.seq, 1)))
}

// overlap is how many events the next page shares with the one before: at
// least w.base, more once the list is seen to move faster than that covers.
func (w *watch) overlap() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.drift == 0 {
		return w.base
	}
	return max(w.base, min(int(math.Ceil(2*w.drift*float64(w.window)))+1, w.limit/4))
}

// baseOverlap is how many events each page shares with the one before from
// the start of a read of total events: limit/20, so that a list that moves
// by fewer events than that while a set of concurrent requests is served is
// lined up from the pages alone, with nothing read again. A list that does
// not move then costs 1 + ceil((total-limit) / (limit-limit/20)) requests;
// where that is more than 1.2 times its pages (some lists of fewer than 1,000
// events at the default limit), the pages do not overlap until the list is
// seen to move.
func baseOverlap(limit int, total int64) int {
	k := limit / 20
	pages := (total + int64(limit) - 1) / int64(limit)
	if total <= int64(limit) || k == 0 {
		return 0
	}
	requests := 1 + (total-int64(limit)+int64(limit-k)-1)/int64(limit-k)
	if 5*requests > 6*pages {
		return 0
	}
	return k
}

// fetch reads the pages at offsets concurrently, in their order.
func (r *reader) fetch(ctx context.Context, offsets []int) ([]page, error) {
	pages := make([]page, len(offsets))
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(r.c.t.MaxConcurrency())
	for i, o := range offsets {
		g.Go(func() (err error) {
			pages[i], err = r.get(gctx, o)
			return err
		})
	}
	return pages, g.Wait()
}

// get reads the page at offset o.
func (r *reader) get(ctx context.Context, o int) (page, error) {
	req := r.base
	req.Offset = o
	resp, err := r.c.ListClusterEvents(ctx, req)
	if err != nil {
		return page{}, err
	}
	return page{offset: o, total: resp.TotalNum, seq: r.requests.Add(1), events: resp.DataList, last: resp.LastUpdateTime}, nil
}

// moved reports whether the list changed while the pages were read: they
// disagree on total_num, or two pages hold the same event_id at different
// places (at the API's cap total_num stays 10,000 while events arrive;
// pages that overlap hold the same events at the same places).
func moved(pages []page) bool {
	for _, p := range pages[1:] {
		if p.total != pages[0].total {
			return true
		}
	}
	type place struct{ page, at int }
	seen := map[string]place{}
	for i, p := range pages {
		for j, e := range p.events {
			if e.EventID == nil {
				continue
			}
			if s, ok := seen[*e.EventID]; ok && s.page != i && s.at != p.offset+j {
				return true
			}
			seen[*e.EventID] = place{i, p.offset + j}
		}
	}
	return false
}

// still is the result of pages that agree on total_num. When they do not
// add up to it, the API's count is off: nothing moved, so the events are
// what it serves.
func still(pages []page) *ReadResult {
	var events []ClusterEvent
	for _, p := range pages {
		// Where pages overlap, the later one repeats the events before.
		skip := min(max(len(events)-p.offset, 0), len(p.events))
		events = append(events, p.events[skip:]...)
	}
	total := min(pages[0].total, MaxTotalNum)
	unique := dedupe(events)
	res := &ReadResult{TotalNum: pages[0].total, LastUpdateTime: pages[0].last, Events: unique, Consistent: true}
	if len(unique) != len(events) || int64(len(unique)) != total {
		res.Consistent = false
		repeated := ""
		if len(unique) != len(events) {
			repeated = fmt.Sprintf(" (%d with repeated event_id, each kept once)", len(events))
		}
		res.Warnings = append(res.Warnings, fmt.Sprintf(
			"total_num disagrees with the pages: each of the %d pages reported total_num %d, but they hold %d events%s. "+
				"Every page reported the same total_num, so the list did not change during the read: these are all the events the API served, and its count does not match them.",
			len(pages), pages[0].total, len(unique), repeated))
	}
	return res
}

// dedupe keeps the first event of each event_id, in order. Events without an
// event_id cannot be told apart and are all kept.
func dedupe(events []ClusterEvent) []ClusterEvent {
	seen := make(map[string]struct{}, len(events))
	out := make([]ClusterEvent, 0, len(events))
	for _, e := range events {
		if e.EventID != nil {
			if _, dup := seen[*e.EventID]; dup {
				continue
			}
			seen[*e.EventID] = struct{}{}
		}
		out = append(out, e)
	}
	return out
}

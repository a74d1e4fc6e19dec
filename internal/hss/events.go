package hss

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
	"unicode/utf8"

	"golang.org/x/sync/errgroup"

	"github.com/clusterprotect/terraform-provider-clusterprotect/internal/hwcloud"
)

// MaxSnapshotAttempts bounds how often ReadAllClusterEvents starts over when
// the event list changes under it.
const MaxSnapshotAttempts = 3

// ListClusterEvents reads one page. The request is checked against the
// document's ranges before anything is sent.
func (c *Client) ListClusterEvents(ctx context.Context, req ListClusterEventsRequest) (*ListClusterEventsResponse, error) {
	if err := req.Validate(); err != nil {
		return nil, err
	}
	q := url.Values{}
	q.Set("offset", strconv.Itoa(req.Offset))
	q.Set("limit", strconv.Itoa(req.Limit))
	if req.EnterpriseProjectID != "" {
		q.Set("enterprise_project_id", req.EnterpriseProjectID)
	}
	if req.ClusterID != "" {
		q.Set("cluster_id", req.ClusterID)
	}
	u := c.base.JoinPath("v5", url.PathEscape(req.ProjectID), "cluster-protect", "events")
	u.RawQuery = hwcloud.EncodeQuery(q)
	var out ListClusterEventsResponse
	if err := c.t.GetJSON(ctx, "HSS", u, &out); err != nil {
		return nil, err
	}
	if out.TotalNum < 0 {
		return nil, fmt.Errorf("the API answered total_num %d, below the documented minimum 0", out.TotalNum)
	}
	if len(out.DataList) > req.Limit {
		return nil, fmt.Errorf("the API answered %d events for limit %d at offset %d", len(out.DataList), req.Limit, req.Offset)
	}
	return &out, nil
}

// Validate checks the request against the document's ranges.
func (r ListClusterEventsRequest) Validate() error {
	if err := checkID("project_id", r.ProjectID, true); err != nil {
		return err
	}
	if r.ProjectID == "." || r.ProjectID == ".." {
		return fmt.Errorf("project_id %q is not a project ID", r.ProjectID)
	}
	if err := checkID("enterprise_project_id", r.EnterpriseProjectID, false); err != nil {
		return err
	}
	if err := checkID("cluster_id", r.ClusterID, false); err != nil {
		return err
	}
	if r.Offset < 0 || r.Offset > MaxOffset {
		return fmt.Errorf("offset %d is out of range: it must be 0 to %d", r.Offset, MaxOffset)
	}
	if r.Limit < MinLimit || r.Limit > MaxLimit {
		return fmt.Errorf("limit %d is out of range: it must be %d to %d", r.Limit, MinLimit, MaxLimit)
	}
	return nil
}

func checkID(name, v string, required bool) error {
	n := utf8.RuneCountInString(v)
	if n == 0 && !required {
		return nil
	}
	if n < 1 || n > MaxIDLength {
		return fmt.Errorf("%s must be 1 to %d characters, got %d", name, MaxIDLength, n)
	}
	return nil
}

// Filter selects the events ReadAllClusterEvents reads.
type Filter struct {
	ProjectID           string
	EnterpriseProjectID string // empty: not sent, the API's default project "0"
	ClusterID           string // empty: all clusters
	// MaxResults, when positive, stops the read once the newest MaxResults
	// events are in hand.
	MaxResults int
}

// ReadResult is every event of a query.
type ReadResult struct {
	// TotalNum is the API's total_num of the snapshot returned.
	TotalNum       int64
	LastUpdateTime *int64
	// Events in the API's order, without duplicate event_id.
	Events []ClusterEvent
	// Requests counts the pages fetched (retries not included).
	Requests int
	// Consistent is true when every page agreed on total_num and the pages
	// added up to total_num without a repeated event_id. last_update_time is
	// not a change marker: the document does not define it as one.
	Consistent bool
	// Warnings are for the user: truncation at the API's cap, a read that
	// stayed inconsistent.
	Warnings []string
}

// ReadAllClusterEvents reads every page of the query: the first page gives
// total_num, the others are fetched concurrently (bounded by the client's
// max concurrency) and put back in offset order. When the list changes during
// the read it starts over, at most MaxSnapshotAttempts times, and otherwise
// returns the de-duplicated union with a warning.
func (c *Client) ReadAllClusterEvents(ctx context.Context, f Filter) (*ReadResult, error) {
	base := ListClusterEventsRequest{ProjectID: f.ProjectID, EnterpriseProjectID: f.EnterpriseProjectID, ClusterID: f.ClusterID, Limit: DefaultLimit}
	if f.MaxResults < 0 {
		return nil, fmt.Errorf("max results %d must not be negative", f.MaxResults)
	}
	if f.MaxResults > 0 {
		// A small read asks for no more than it needs.
		base.Limit = min(max(f.MaxResults, MinLimit), MaxLimit)
	}
	if err := base.Validate(); err != nil {
		return nil, err
	}
	var (
		result   *ReadResult
		earlier  [][]ClusterEvent
		requests int
	)
	for try := 1; try <= MaxSnapshotAttempts; try++ {
		snap, err := c.readSnapshot(ctx, base, f.MaxResults)
		if err != nil {
			return nil, err
		}
		requests += snap.Requests
		if snap.Consistent {
			snap.Requests = requests
			result = snap
			break
		}
		earlier = append(earlier, snap.Events)
		result = snap
	}
	result.Requests = requests
	if !result.Consistent {
		all := append([]ClusterEvent(nil), result.Events...)
		for _, events := range earlier[:len(earlier)-1] {
			all = append(all, events...)
		}
		result.Events = dedupe(all)
		if f.MaxResults > 0 && len(result.Events) > f.MaxResults {
			result.Events = result.Events[:f.MaxResults]
		}
		result.Warnings = append(result.Warnings, fmt.Sprintf(
			"The events changed while they were read, %d times in a row: the result is the union of what was seen, without duplicates (%d events; the API's total_num is %d). It may lack events that moved between pages; read again for an exact snapshot.",
			MaxSnapshotAttempts, len(result.Events), result.TotalNum))
	}
	if result.TotalNum >= MaxTotalNum && (f.MaxResults == 0 || f.MaxResults >= MaxTotalNum) {
		result.Warnings = append(result.Warnings, fmt.Sprintf(
			"The API reports total_num %d, its documented maximum: older events may be left out. Narrow the query with cluster_id or enterprise_project_id to see them.",
			result.TotalNum))
	}
	return result, nil
}

// readSnapshot reads all pages once.
func (c *Client) readSnapshot(ctx context.Context, base ListClusterEventsRequest, maxResults int) (*ReadResult, error) {
	first, err := c.ListClusterEvents(ctx, base)
	if err != nil {
		return nil, err
	}
	total := min(first.TotalNum, MaxTotalNum)
	if maxResults > 0 {
		total = min(total, int64(maxResults))
	}
	pageCount := 1
	if total > int64(base.Limit) {
		pageCount = int((total + int64(base.Limit) - 1) / int64(base.Limit))
	}
	pages := make([][]ClusterEvent, pageCount)
	pages[0] = first.DataList
	consistent := true

	if pageCount > 1 {
		totals := make([]int64, pageCount)
		g, gctx := errgroup.WithContext(ctx)
		g.SetLimit(c.t.MaxConcurrency())
		for i := 1; i < pageCount; i++ {
			g.Go(func() error {
				req := base
				req.Offset = i * base.Limit
				page, err := c.ListClusterEvents(gctx, req)
				if err != nil {
					return err
				}
				pages[i], totals[i] = page.DataList, page.TotalNum
				return nil
			})
		}
		if err := g.Wait(); err != nil {
			return nil, err
		}
		for _, t := range totals[1:] {
			consistent = consistent && t == first.TotalNum
		}
	}

	n := 0
	for _, p := range pages {
		n += len(p)
	}
	events := make([]ClusterEvent, 0, n)
	for _, p := range pages {
		events = append(events, p...)
	}
	unique := dedupe(events)
	if maxResults > 0 && int64(len(unique)) > total {
		unique = unique[:total] // the newest maxResults
	}
	if len(unique) != len(events) && maxResults == 0 || int64(len(unique)) != total {
		consistent = false
	}
	return &ReadResult{
		TotalNum:       first.TotalNum,
		LastUpdateTime: first.LastUpdateTime,
		Events:         unique,
		Requests:       pageCount,
		Consistent:     consistent,
	}, nil
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

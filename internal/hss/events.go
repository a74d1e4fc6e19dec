package hss

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
	"sync/atomic"
	"unicode/utf8"

	"github.com/clusterprotect/terraform-provider-clusterprotect/internal/hwcloud"
)

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
	// Consistent is true when the events are the list as it stood at one
	// instant (see verdict.go for what proves it); read cluster by cluster
	// (ReadEvents), when each cluster's events are, each at an instant of
	// its own. last_update_time is not a change marker: the document does
	// not define it as one.
	Consistent bool
	// Complete is true when the events are every event of the query:
	// Consistent, and each query read stayed below the API's cap (see
	// ReadEvents for what a read cluster by cluster covers).
	Complete bool
	// Warnings are for the user: why the events are not Consistent, and
	// truncation at the API's cap.
	Warnings []string
}

// ReadAllClusterEvents reads every event of the query (see ReadAll): the
// events as they stood at one instant (Consistent), or a list said not to
// be, or ErrListMoved. A query past the API's cap is cut there; ReadEvents
// reads past it cluster by cluster.
func (c *Client) ReadAllClusterEvents(ctx context.Context, f Filter) (*ReadResult, error) {
	return c.readQuery(ctx, f, nil)
}

// readQuery is ReadAllClusterEvents, with the answer of the first page
// when it was read already, so that it is not read again.
func (c *Client) readQuery(ctx context.Context, f Filter, first *ListClusterEventsResponse) (*ReadResult, error) {
	base := ListClusterEventsRequest{ProjectID: f.ProjectID, EnterpriseProjectID: f.EnterpriseProjectID, ClusterID: f.ClusterID, Limit: DefaultLimit}
	if err := base.Validate(); err != nil {
		return nil, err
	}
	hint := "Narrow the query with cluster_id or enterprise_project_id to see them."
	if f.ClusterID != "" {
		hint = fmt.Sprintf("Cluster %q alone reaches it: its older events cannot be read through the API.", f.ClusterID)
	}
	var reused atomic.Bool
	res, err := ReadAll(ctx, Paged[ClusterEvent]{
		Limit:          base.Limit,
		MaxConcurrency: c.t.MaxConcurrency(),
		Cap:            c.cap,
		ID:             eventID,
		IDName:         "event_id",
		Noun:           "events",
		CapHint:        hint,
		Fetch: func(ctx context.Context, offset int) (Page[ClusterEvent], error) {
			resp := first
			if offset != 0 || first == nil || reused.Swap(true) {
				req := base
				req.Offset = offset
				var err error
				if resp, err = c.ListClusterEvents(ctx, req); err != nil {
					return Page[ClusterEvent]{}, err
				}
			}
			return Page[ClusterEvent]{Items: resp.DataList, TotalNum: resp.TotalNum, LastUpdateTime: resp.LastUpdateTime}, nil
		},
	})
	if err != nil {
		return nil, err
	}
	return &ReadResult{TotalNum: res.TotalNum, LastUpdateTime: res.LastUpdateTime, Events: res.Items,
		Requests: res.Requests, Consistent: res.Consistent, Complete: res.Consistent && res.TotalNum < int64(c.cap), Warnings: res.Warnings}, nil
}

func eventID(e ClusterEvent) (string, bool) {
	if e.EventID == nil {
		return "", false
	}
	return *e.EventID, true
}

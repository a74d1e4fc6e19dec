package hss

import (
	"context"
	"fmt"
	"net/url"
	"sync/atomic"
)

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

func (r ListClusterEventsRequest) at(offset int) ListClusterEventsRequest {
	r.Offset = offset
	return r
}

func (r *ListClusterEventsResponse) counts() (int64, int) { return r.TotalNum, len(r.DataList) }

func (r *ListClusterEventsResponse) asPage() Page[ClusterEvent] {
	return Page[ClusterEvent]{Items: r.DataList, TotalNum: r.TotalNum, LastUpdateTime: r.LastUpdateTime}
}

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
	hint := "Narrow the query with cluster_id or enterprise_project_id to see them."
	if f.ClusterID != "" {
		hint = fmt.Sprintf("Cluster %q alone reaches it: its older events cannot be read through the API.", f.ClusterID)
	}
	call := c.ListClusterEvents
	if first != nil {
		var reused atomic.Bool
		call = func(ctx context.Context, req ListClusterEventsRequest) (*ListClusterEventsResponse, error) {
			if req.Offset == 0 && !reused.Swap(true) {
				return first, nil
			}
			return c.ListClusterEvents(ctx, req)
		}
	}
	res, err := readAll(ctx, c, base, call, listSpec[ClusterEvent]{
		id: eventID, idName: "event_id", noun: "events", capHint: hint,
	})
	if err != nil {
		return nil, err
	}
	return &ReadResult{TotalNum: res.TotalNum, LastUpdateTime: res.LastUpdateTime, Events: res.Items,
		Requests: res.Requests, Consistent: res.Consistent, Complete: res.Complete, Warnings: res.Warnings}, nil
}

func eventID(e ClusterEvent) (string, bool) {
	if e.EventID == nil {
		return "", false
	}
	return *e.EventID, true
}

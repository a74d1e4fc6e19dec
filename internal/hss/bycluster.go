package hss

import (
	"cmp"
	"context"
	"fmt"
	"slices"

	"golang.org/x/sync/errgroup"
)

// Reading past the API's cap, cluster by cluster.
//
// The events call serves at most the newest TotalNumCap events of a query
// and has no time filter, but it filters by cluster_id, and each cluster
// is a query with a cap of its own. So a read without cluster_id whose
// first page shows total_num at the cap stops there (its other pages
// would only be read again cluster by cluster) and reads instead every
// cluster the clusters call lists for the same project and enterprise
// project, and every cluster_id of that first page's events the list
// lacks: a cluster HSS no longer lists keeps its events. The reads of the
// clusters run concurrently, under the transport's pacer and bound on
// requests in flight, each exact as ReadAllClusterEvents.

// ReadEvents reads every event of f: the query itself when it names a
// cluster or stays below the API's cap, as ReadAllClusterEvents; else
// cluster by cluster (see above). The events read cluster by cluster are
// each kept once and ordered newest first by create_time, then by event_id
// (events without a create_time last). Complete is then true when the
// clusters list and every cluster's read are complete (each below the
// cap); that covers every event of every cluster HSS lists and of every
// cluster with an event on the first page. A cluster whose events alone
// reach the cap is named in Warnings.
func (c *Client) ReadEvents(ctx context.Context, f Filter) (*ReadResult, error) {
	if f.ClusterID != "" {
		return c.readQuery(ctx, f, nil)
	}
	req := ListClusterEventsRequest{ProjectID: f.ProjectID, EnterpriseProjectID: f.EnterpriseProjectID, Limit: DefaultLimit}
	first, err := c.ListClusterEvents(ctx, req)
	if err != nil {
		return nil, err
	}
	if first.TotalNum < int64(c.cap) {
		return c.readQuery(ctx, f, first)
	}
	return c.readByCluster(ctx, f, first)
}

// readByCluster reads the events of f, a query at the cap whose first
// page is first, cluster by cluster.
func (c *Client) readByCluster(ctx context.Context, f Filter, first *ListClusterEventsResponse) (*ReadResult, error) {
	listed, err := c.ReadAllClusters(ctx, Filter{ProjectID: f.ProjectID, EnterpriseProjectID: f.EnterpriseProjectID})
	if err != nil {
		return nil, fmt.Errorf("the events reach the API's cap of %d, so they are read cluster by cluster, and listing the clusters failed: %w", c.cap, err)
	}
	out := &ReadResult{Requests: 1 + listed.Requests, Consistent: listed.Consistent, Complete: listed.Complete}
	for _, w := range listed.Warnings {
		out.Warnings = append(out.Warnings, "Listing the clusters to read their events one cluster at a time: "+w)
	}
	var ids []string
	seen := map[string]bool{}
	add := func(id *string) {
		if id != nil && *id != "" && !seen[*id] {
			seen[*id] = true
			ids = append(ids, *id)
		}
	}
	for _, cl := range listed.Items {
		add(cl.ClusterID)
	}
	unnamed := 0
	for _, e := range first.DataList {
		if e.ClusterID == nil || *e.ClusterID == "" {
			unnamed++
		}
		add(e.ClusterID)
	}
	if unnamed > 0 {
		out.Complete = false
		out.Warnings = append(out.Warnings, fmt.Sprintf(
			"The events reach the API's cap of %d and are read one cluster at a time, but %d of the newest %d events have no cluster_id: events without one cannot be read past the cap.",
			c.cap, unnamed, len(first.DataList)))
	}

	reads := make([]*ReadResult, len(ids))
	g, gctx := errgroup.WithContext(ctx)
	for i, id := range ids {
		g.Go(func() (err error) {
			cf := f
			cf.ClusterID = id
			if reads[i], err = c.readQuery(gctx, cf, nil); err != nil {
				return fmt.Errorf("reading the events of cluster %q (one cluster at a time, past the API's cap of %d): %w", id, c.cap, err)
			}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	return merge(out, ids, reads, c.cap), nil
}

// merge adds the reads of the clusters ids to out: their events each once,
// newest first, and what they can be said to be. The warnings of a read
// at capN name its cluster already; the others are prefixed with it.
func merge(out *ReadResult, ids []string, reads []*ReadResult, capN int) *ReadResult {
	n := 0
	for _, r := range reads {
		n += len(r.Events)
	}
	out.Events = make([]ClusterEvent, 0, n)
	kept := make(map[string]bool, n)
	for i, r := range reads {
		out.TotalNum += r.TotalNum
		out.Requests += r.Requests
		out.Consistent = out.Consistent && r.Consistent
		out.Complete = out.Complete && r.Complete
		if r.LastUpdateTime != nil && (out.LastUpdateTime == nil || *r.LastUpdateTime > *out.LastUpdateTime) {
			out.LastUpdateTime = r.LastUpdateTime
		}
		for _, w := range r.Warnings {
			if r.TotalNum < int64(capN) {
				w = fmt.Sprintf("Cluster %q: %s", ids[i], w)
			}
			out.Warnings = append(out.Warnings, w)
		}
		for _, e := range r.Events {
			if e.EventID != nil {
				if kept[*e.EventID] {
					continue
				}
				kept[*e.EventID] = true
			}
			out.Events = append(out.Events, e)
		}
	}
	slices.SortStableFunc(out.Events, newestFirst)
	return out
}

// newestFirst orders events by create_time, newest first, then by
// event_id; an event without a create_time after those with one, without
// an event_id after those with one.
func newestFirst(a, b ClusterEvent) int {
	if c := cmpMissingLast(a.CreateTime, b.CreateTime, func(x, y int64) int { return cmp.Compare(y, x) }); c != 0 {
		return c
	}
	return cmpMissingLast(a.EventID, b.EventID, cmp.Compare[string])
}

func cmpMissingLast[V any](a, b *V, f func(V, V) int) int {
	switch {
	case a == nil && b == nil:
		return 0
	case a == nil:
		return 1
	case b == nil:
		return -1
	}
	return f(*a, *b)
}

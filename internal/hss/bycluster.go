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
// first page shows total_num at the cap reads no further page of it (they
// would only be read again cluster by cluster) but the last one the cap
// leaves reachable, at once with the clusters list; and reads every
// cluster the clusters call lists for the same project and enterprise
// project, and every cluster_id of those two pages' events that the list
// lacks: a cluster HSS no longer lists keeps its events. The reads of the
// clusters run concurrently, under the transport's pacer and bound on
// requests in flight, each exact as ReadAllClusterEvents.
//
// The last reachable page then tells whether the clusters read hold every
// event up to it: its last event's offset counts the events as new as it
// or newer, and the clusters' reads must hold as many. When they hold
// fewer, a cluster that is neither listed nor on those pages has events in
// between; the newest events are read whole (the first page reused) to
// find it, and it is read too. So every cluster with an event among the
// newest TotalNumCap is read; one with none there, and not listed, cannot
// be reached through the API at all.

// ReadEvents reads every event of f: the query itself when it names a
// cluster or stays below the API's cap, as ReadAllClusterEvents; else
// cluster by cluster (see above). The events read cluster by cluster are
// each kept once and ordered newest first by create_time, then by event_id
// (events without a create_time last). Complete is then true when the
// clusters list and every cluster's read are complete (each below the
// cap), and no event read lacks a cluster_id; that covers every event of
// every cluster HSS lists and of every cluster with an event among the
// newest TotalNumCap. A cluster whose events alone reach the cap is named
// in Warnings.
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
// page is first, cluster by cluster: the listed clusters and those the
// first page names; then, where the newest events reach past the first
// page, it checks that the clusters read hold every event of the last page
// the cap leaves reachable, and every event before it (see unread).
func (c *Client) readByCluster(ctx context.Context, f Filter, first *ListClusterEventsResponse) (*ReadResult, error) {
	var (
		listed *Result[Cluster]
		last   *ListClusterEventsResponse // the last reachable page, nil when the first is it
		lastAt = c.cap - DefaultLimit
	)
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() (err error) {
		if listed, err = c.ReadAllClusters(gctx, Filter{ProjectID: f.ProjectID, EnterpriseProjectID: f.EnterpriseProjectID}); err != nil {
			return fmt.Errorf("the events reach the API's cap of %d, so they are read cluster by cluster, and listing the clusters failed: %w", c.cap, err)
		}
		return nil
	})
	if lastAt >= len(first.DataList) {
		g.Go(func() (err error) {
			req := ListClusterEventsRequest{ProjectID: f.ProjectID, EnterpriseProjectID: f.EnterpriseProjectID, Offset: lastAt, Limit: DefaultLimit}
			last, err = c.ListClusterEvents(gctx, req)
			return err
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	out := &ReadResult{Requests: 1 + listed.Requests, Consistent: listed.Consistent, Complete: listed.Complete}
	if last != nil {
		out.Requests++
	}
	for _, w := range listed.Warnings {
		out.Warnings = append(out.Warnings, "Listing the clusters to read their events one cluster at a time: "+w)
	}
	b := byCluster{c: c, f: f, seen: map[string]bool{}}
	for _, cl := range listed.Items {
		b.add(cl.ClusterID)
	}
	b.named(first.DataList)
	if last != nil {
		b.named(last.DataList)
	}
	if err := b.read(ctx); err != nil {
		return nil, err
	}
	if last != nil && b.unread(lastAt, last.DataList) {
		// Events of a cluster neither listed nor on those two pages lie
		// between them: read the newest events whole to find it.
		window, err := c.readQuery(ctx, Filter{ProjectID: f.ProjectID, EnterpriseProjectID: f.EnterpriseProjectID}, first)
		if err != nil {
			return nil, fmt.Errorf("the clusters read past the API's cap lack some of its newest %d events, and reading those to find their clusters failed: %w", c.cap, err)
		}
		out.Requests += window.Requests - 1 // its first page is first
		b.named(window.Events)
		if err := b.read(ctx); err != nil {
			return nil, err
		}
	}
	if b.unnamed > 0 {
		out.Complete = false
		out.Warnings = append(out.Warnings, fmt.Sprintf(
			"The events reach the API's cap of %d and are read one cluster at a time, but %d of the newest events read have no cluster_id: events without one cannot be read past the cap.",
			c.cap, b.unnamed))
	}
	return merge(out, b.ids, b.reads, c.cap), nil
}

// byCluster is the clusters of a read past the cap, and their reads.
type byCluster struct {
	c       *Client
	f       Filter
	seen    map[string]bool
	ids     []string      // every cluster to read, in the order found
	reads   []*ReadResult // of ids[:len(reads)]
	unnamed int           // events seen without a cluster_id
}

func (b *byCluster) add(id *string) {
	if id != nil && *id != "" && !b.seen[*id] {
		b.seen[*id] = true
		b.ids = append(b.ids, *id)
	}
}

// named adds the clusters events name, and counts those naming none.
func (b *byCluster) named(events []ClusterEvent) {
	for _, e := range events {
		if e.ClusterID == nil || *e.ClusterID == "" {
			b.unnamed++
		}
		b.add(e.ClusterID)
	}
}

// read reads the clusters not read yet, concurrently.
func (b *byCluster) read(ctx context.Context) error {
	todo := b.ids[len(b.reads):]
	reads := make([]*ReadResult, len(todo))
	g, gctx := errgroup.WithContext(ctx)
	for i, id := range todo {
		g.Go(func() (err error) {
			cf := b.f
			cf.ClusterID = id
			if reads[i], err = b.c.readQuery(gctx, cf, nil); err != nil {
				return fmt.Errorf("reading the events of cluster %q (one cluster at a time, past the API's cap of %d): %w", id, b.c.cap, err)
			}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return err
	}
	b.reads = append(b.reads, reads...)
	return nil
}

// unread reports whether the unfiltered page at offset, read before the
// clusters were, shows more events before its last than the clusters'
// reads hold as new or newer: events of a cluster not read. The list is
// newest first, so the last event's offset counts the events newer than or
// as new as it; events that arrived since only add to the clusters' side.
func (b *byCluster) unread(offset int, page []ClusterEvent) bool {
	if len(page) == 0 {
		return false
	}
	e := page[len(page)-1]
	if e.CreateTime == nil {
		return false
	}
	before := offset + len(page) - 1
	held := 0
	for _, r := range b.reads {
		for _, x := range r.Events {
			if x.CreateTime != nil && *x.CreateTime >= *e.CreateTime && (x.EventID == nil || e.EventID == nil || *x.EventID != *e.EventID) {
				held++
			}
		}
	}
	return before > held
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

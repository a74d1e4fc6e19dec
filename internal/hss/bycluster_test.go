package hss_test

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/clusterprotect/terraform-provider-clusterprotect/internal/hss"
	"github.com/clusterprotect/terraform-provider-clusterprotect/internal/hssfake"
	"github.com/clusterprotect/terraform-provider-clusterprotect/internal/hwcloud"
)

// testCap is the fake's cap on one query in these tests, and the client's.
const testCap = 100

// queryLog records the query string of every HSS request that reaches the
// fake.
type queryLog struct {
	mu      sync.Mutex
	queries []string
}

func (l *queryLog) count(f func(path, query string) bool) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := 0
	for _, q := range l.queries {
		path, query, _ := strings.Cut(q, "?")
		if f(path, query) {
			n++
		}
	}
	return n
}

// newCappedFake serves events with a cap of capN per query, and returns a
// client that knows the cap, and the log of the requests.
func newCappedFake(t testing.TB, capN int, events []hssfake.Event, mutate ...func(*hwcloud.Config)) (*hssfake.Server, *hss.Client, *queryLog) {
	t.Helper()
	cfg := fakeConfig()
	cfg.TotalNumCap = capN
	fake := hssfake.New(cfg, events)
	log := &queryLog{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		log.mu.Lock()
		log.queries = append(log.queries, r.URL.Path+"?"+r.URL.RawQuery)
		log.mu.Unlock()
		fake.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	tcfg := hwcloud.Config{Credentials: hwcloud.StaticCredentials{AuthToken: testToken}, RetryBaseDelay: time.Millisecond, RetryMaxDelay: 10 * time.Millisecond}
	for _, m := range mutate {
		m(&tcfg)
	}
	tr, err := hwcloud.New(tcfg)
	if err != nil {
		t.Fatal(err)
	}
	base, err := hss.Endpoint(srv.URL, "", "")
	if err != nil {
		t.Fatal(err)
	}
	return fake, hss.New(tr, base, hss.WithTotalNumCap(capN)), log
}

// clusterEvents are n events of cluster id, the newest created at newest,
// event_id prefixed with id.
func clusterEvents(id string, n int, seed uint64, newest int64) []hssfake.Event {
	events := hssfake.Generate(hssfake.GenerateOptions{Count: n, Seed: seed, ProjectID: testProject, Clusters: 1, NewestMillis: newest})
	for i := range events {
		events[i].ClusterID = hssfake.Ptr(id)
		events[i].EventID = hssfake.Ptr(fmt.Sprintf("%s-%05d", id, i))
	}
	return events
}

// spread is events of clusters c0, c1, ... with counts[i] events each,
// their times interleaved, some equal across clusters.
func spread(counts ...int) []hssfake.Event {
	var out []hssfake.Event
	for i, n := range counts {
		out = append(out, clusterEvents(fmt.Sprintf("c%d", i), n, uint64(i+1), 1_767_225_600_000-int64(i%2)*1000)...)
	}
	return out
}

// newestFirst is events ordered as a read cluster by cluster promises:
// create_time newest first, then event_id.
func newestFirst(events []hssfake.Event) []string {
	events = slices.Clone(events)
	slices.SortStableFunc(events, func(a, b hssfake.Event) int {
		return cmp.Or(cmp.Compare(*b.CreateTime, *a.CreateTime), cmp.Compare(*a.EventID, *b.EventID))
	})
	return fakeIDs(events)
}

func unfiltered(path, query string) bool {
	return strings.HasSuffix(path, "/events") && !strings.Contains(query, "cluster_id=")
}

// A query past the cap is read cluster by cluster: every event once, in
// the documented order, complete; the capped query is read at offset 0
// only, once.
// With a cap of 450, each cluster's read takes pages of its own.
func TestReadEvents_pastTheCapClusterByCluster(t *testing.T) {
	for _, tc := range []struct {
		capN   int
		counts []int
	}{{testCap, []int{90, 60, 99, 1, 75}}, {450, []int{400, 250, 449, 1, 300}}} {
		t.Run(fmt.Sprint(tc.capN), func(t *testing.T) { testPastTheCap(t, tc.capN, tc.counts) })
	}
}

func testPastTheCap(t *testing.T, capN int, counts []int) {
	events := spread(counts...)
	_, c, log := newCappedFake(t, capN, events)
	res, err := c.ReadEvents(context.Background(), hss.Filter{ProjectID: testProject})
	if err != nil {
		t.Fatal(err)
	}
	if !res.Complete || !res.Consistent || len(res.Warnings) != 0 || res.TotalNum != int64(len(events)) {
		t.Fatalf("complete %v, consistent %v, total_num %d, warnings %q", res.Complete, res.Consistent, res.TotalNum, res.Warnings)
	}
	if got, want := ids(res.Events), newestFirst(events); !slices.Equal(got, want) {
		t.Errorf("%d events, want %d in order; first %v, want %v", len(got), len(want), got[:5], want[:5])
	}
	// The capped query: its first page, and the last page the cap leaves
	// reachable where that is another, each once.
	at := func(offset int) func(p, q string) bool {
		return func(p, q string) bool {
			return unfiltered(p, q) && strings.Contains("&"+q+"&", fmt.Sprintf("&offset=%d&", offset))
		}
	}
	want := 1
	if capN > hss.DefaultLimit {
		want = 2
		if log.count(at(capN-hss.DefaultLimit)) != 1 {
			t.Errorf("the last reachable page was not read once: %q", log.queries)
		}
	}
	if n := log.count(unfiltered); n != want || log.count(at(0)) != 1 {
		t.Errorf("the capped query was read %d times: %q", n, log.queries)
	}
	if n := log.count(func(string, string) bool { return true }); res.Requests != n {
		t.Errorf("Requests %d, the fake saw %d", res.Requests, n)
	}
}

// A cluster HSS no longer lists keeps its events: one named on the first
// page is read too. One whose events alone reach the cap is named in the
// warnings and the read is not complete; the events of the others are all
// there.
func TestReadEvents_unlistedAndCappedClusters(t *testing.T) {
	events := spread(60, 150, 40)
	fake, c, _ := newCappedFake(t, testCap, events)
	// c0's events are the newest of all (spread gives even clusters the
	// later time): it is on the first page; c2 is listed.
	fake.SetClusters(slices.DeleteFunc(fake.Clusters(), func(cl hssfake.Cluster) bool { return *cl.ClusterID == "c0" }))
	res, err := c.ReadEvents(context.Background(), hss.Filter{ProjectID: testProject})
	if err != nil {
		t.Fatal(err)
	}
	if res.Complete || len(res.Warnings) != 1 || !strings.Contains(res.Warnings[0], `Cluster "c1" alone reaches it`) {
		t.Fatalf("complete %v, warnings %q", res.Complete, res.Warnings)
	}
	count := map[string]int{}
	for _, e := range res.Events {
		count[*e.ClusterID]++
	}
	if count["c0"] != 60 || count["c1"] != testCap || count["c2"] != 40 {
		t.Errorf("events by cluster: %v", count)
	}
}

// An event_id that two clusters' reads both answer is kept once; events
// without a cluster_id on the first page cannot be read past the cap, and
// the read says so.
func TestReadEvents_repeatedAndUnnamed(t *testing.T) {
	events := spread(80, 80)
	events[100].EventID = events[0].EventID // c1's, as c0's newest
	events[1].ClusterID = nil
	_, c, _ := newCappedFake(t, testCap, events)
	res, err := c.ReadEvents(context.Background(), hss.Filter{ProjectID: testProject})
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, e := range res.Events {
		if seen[*e.EventID] {
			t.Errorf("event %s twice", *e.EventID)
		}
		seen[*e.EventID] = true
	}
	if len(res.Events) != 158 || res.Complete || len(res.Warnings) != 1 || !strings.Contains(res.Warnings[0], "1 of the newest events read have no cluster_id") {
		t.Errorf("%d events, complete %v, warnings %q", len(res.Events), res.Complete, res.Warnings)
	}
}

// Below the cap, and with cluster_id, a read is the query's read as
// before: no clusters listed, no page read twice.
func TestReadEvents_belowTheCapAndOneCluster(t *testing.T) {
	events := spread(30, 40, 20)
	for _, tc := range []struct {
		name   string
		capN   int
		filter hss.Filter
		want   int
	}{
		{"below the cap", testCap, hss.Filter{ProjectID: testProject}, 90},
		{"cluster_id", 50, hss.Filter{ProjectID: testProject, ClusterID: "c1"}, 40},
		{"cluster_id at the cap", 30, hss.Filter{ProjectID: testProject, ClusterID: "c1"}, 30},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, c, log := newCappedFake(t, tc.capN, events)
			res, err := c.ReadEvents(context.Background(), tc.filter)
			if err != nil {
				t.Fatal(err)
			}
			_, c2, log2 := newCappedFake(t, tc.capN, events)
			want, err := c2.ReadAllClusterEvents(context.Background(), tc.filter)
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Events) != tc.want || !slices.Equal(ids(res.Events), ids(want.Events)) || res.Complete != (tc.want < tc.capN) ||
				!slices.Equal(res.Warnings, want.Warnings) || res.Requests != want.Requests || !slices.Equal(log.queries, log2.queries) {
				t.Errorf("%d events, complete %v, %d requests %q; want %d, %d requests %q", len(res.Events), res.Complete, res.Requests, log.queries, tc.want, want.Requests, log2.queries)
			}
			if log.count(func(p, _ string) bool { return strings.HasSuffix(p, "/clusters") }) != 0 {
				t.Errorf("clusters listed: %q", log.queries)
			}
		})
	}
}

// Clusters whose events arrive during the read, cluster by cluster: every
// event there from the start is read, each once, in the documented order,
// and what arrived is there too or the read says it is not complete.
func TestReadEvents_pastTheCapWhileEventsArrive(t *testing.T) {
	for _, every := range []int{1, 3, 7} {
		t.Run(fmt.Sprint(every), func(t *testing.T) {
			events := spread(420, 300, 5, 260)
			fake, c, _ := newCappedFake(t, 450, events, func(c *hwcloud.Config) { c.MaxConcurrency = 4 })
			fake.SetFaults(hssfake.Faults{NewEventEvery: every})
			res, err := c.ReadEvents(context.Background(), hss.Filter{ProjectID: testProject})
			if err != nil {
				if errors.Is(err, hss.ErrListMoved) {
					t.Skipf("the lists moved too fast to line up: %v", err)
				}
				t.Fatal(err)
			}
			got := map[string]int{}
			for _, e := range res.Events {
				got[*e.EventID]++
			}
			for _, e := range events {
				if got[*e.EventID] != 1 {
					t.Fatalf("event %s read %d times", *e.EventID, got[*e.EventID])
				}
			}
			if !slices.IsSortedFunc(res.Events, func(a, b hss.ClusterEvent) int {
				return cmp.Or(cmp.Compare(*b.CreateTime, *a.CreateTime), cmp.Compare(*a.EventID, *b.EventID))
			}) {
				t.Error("not newest first, then by event_id")
			}
			// Complete: every event of the clusters read, arrivals too (the
			// fake adds each to the cluster of the request, and one to a
			// cluster of its own on each request without cluster_id).
			read := map[string]bool{}
			for _, e := range res.Events {
				read[*e.ClusterID] = true
			}
			for _, e := range fake.Events() {
				if res.Complete && read[*e.ClusterID] && got[*e.EventID] != 1 {
					t.Errorf("complete without event %s of cluster %s", *e.EventID, *e.ClusterID)
				}
			}
		})
	}
}

// A cluster HSS no longer lists, whose events are among the newest the cap
// leaves reachable but not on the first page, is found: on the last
// reachable page, which the read checks against the clusters it read, or,
// when the clusters read lack events before that page, by reading the
// newest events whole.
func TestReadEvents_unlistedClusterPastTheFirstPage(t *testing.T) {
	const base = 1_767_225_600_000
	for _, tc := range []struct {
		name           string
		counts         [3]int // c0 (newest), c1 (unlisted, older), c2 (oldest)
		unfilteredRead int    // requests of the capped query
	}{
		{"on the last page", [3]int{200, 200, 100}, 2},
		{"between the first and the last page", [3]int{200, 50, 300}, 2 + 2}, // and the pages between, once
	} {
		t.Run(tc.name, func(t *testing.T) {
			events := append(append(clusterEvents("c0", tc.counts[0], 1, base), clusterEvents("c1", tc.counts[1], 2, base-2_000_000)...),
				clusterEvents("c2", tc.counts[2], 3, base-4_000_000)...)
			if tc.name == "on the last page" { // c1 older than c2 here
				events = append(append(clusterEvents("c0", tc.counts[0], 1, base), clusterEvents("c2", tc.counts[2], 3, base-2_000_000)...),
					clusterEvents("c1", tc.counts[1], 2, base-4_000_000)...)
			}
			fake, c, log := newCappedFake(t, 450, events)
			fake.SetClusters(slices.DeleteFunc(fake.Clusters(), func(cl hssfake.Cluster) bool { return *cl.ClusterID == "c1" }))
			res, err := c.ReadEvents(context.Background(), hss.Filter{ProjectID: testProject})
			if err != nil {
				t.Fatal(err)
			}
			if !res.Complete || len(res.Warnings) != 0 || !slices.Equal(ids(res.Events), newestFirst(events)) {
				t.Errorf("complete %v, warnings %q, %d events, want %d", res.Complete, res.Warnings, len(res.Events), len(events))
			}
			if n := log.count(unfiltered); n != tc.unfilteredRead {
				t.Errorf("the capped query was read %d times, want %d: %q", n, tc.unfilteredRead, log.queries)
			}
			if n := log.count(func(string, string) bool { return true }); res.Requests != n {
				t.Errorf("Requests %d, the fake saw %d", res.Requests, n)
			}
		})
	}
}

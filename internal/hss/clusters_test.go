package hss_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/clusterprotect/terraform-provider-clusterprotect/internal/hss"
	"github.com/clusterprotect/terraform-provider-clusterprotect/internal/hssfake"
	"github.com/clusterprotect/terraform-provider-clusterprotect/internal/hwcloud"
)

// clusters are n clusters of testProject, with IDs c-00000, c-00001, ...
func clusters(n int) []hssfake.Cluster {
	out := make([]hssfake.Cluster, n)
	for i := range out {
		out[i] = hssfake.Cluster{ClusterID: hssfake.Ptr(fmt.Sprintf("c-%05d", i)), ProtectStatus: hssfake.Ptr(hssfake.ProtectStatuses[i%len(hssfake.ProtectStatuses)])}
	}
	return out
}

// newClustersFake serves clusters (and no events) with keys that sign
// every request, as the fake checks signatures.
func newClustersFake(t testing.TB, cs []hssfake.Cluster, mutate ...func(*hwcloud.Config)) (*hssfake.Server, *hss.Client) {
	t.Helper()
	fake, c := newFake(t, nil, append([]func(*hwcloud.Config){func(c *hwcloud.Config) {
		c.Credentials = hwcloud.StaticCredentials{AccessKey: testAK, SecretKey: testSK}
	}}, mutate...)...)
	fake.SetClusters(cs)
	return fake, c
}

// pageCalls are the page calls of every list, each with the parameters
// every list has.
func pageCalls(c *hss.Client) map[string]func(hss.ListClustersRequest) error {
	return map[string]func(hss.ListClustersRequest) error{
		"events": func(r hss.ListClustersRequest) error {
			_, err := c.ListClusterEvents(context.Background(), hss.ListClusterEventsRequest{ProjectID: r.ProjectID, EnterpriseProjectID: r.EnterpriseProjectID, Offset: r.Offset, Limit: r.Limit})
			return err
		},
		"clusters": func(r hss.ListClustersRequest) error {
			_, err := c.ListClusters(context.Background(), r)
			return err
		},
	}
}

// A request outside the document's ranges is refused before it is sent,
// by the page call of every list; its edges are accepted by the (strict)
// fake.
func TestPageRequests_validation(t *testing.T) {
	fake, c := newClustersFake(t, clusters(3))
	long := strings.Repeat("x", 257)
	for name, call := range pageCalls(c) {
		t.Run(name, func(t *testing.T) {
			fake.ResetStats()
			for _, tc := range []struct {
				req  hss.ListClustersRequest
				want string
			}{
				{hss.ListClustersRequest{ProjectID: testProject, Limit: 9}, "limit 9 is out of range: it must be 10 to 200"},
				{hss.ListClustersRequest{ProjectID: testProject, Limit: 201}, "limit 201"},
				{hss.ListClustersRequest{ProjectID: testProject, Limit: 10, Offset: -1}, "offset -1 is out of range: it must be 0 to 2000000"},
				{hss.ListClustersRequest{ProjectID: testProject, Limit: 10, Offset: 2_000_001}, "offset 2000001"},
				{hss.ListClustersRequest{Limit: 10}, "project_id must be 1 to 256 characters"},
				{hss.ListClustersRequest{ProjectID: "..", Limit: 10}, "not a project ID"},
				{hss.ListClustersRequest{ProjectID: long, Limit: 10}, "project_id"},
				{hss.ListClustersRequest{ProjectID: testProject, EnterpriseProjectID: long, Limit: 10}, "enterprise_project_id"},
			} {
				if err := call(tc.req); err == nil || !strings.Contains(err.Error(), tc.want) {
					t.Errorf("%+v: err %v, want %q", tc.req, err, tc.want)
				}
			}
			if st := fake.Stats(); st.Requests != 0 {
				t.Errorf("%d requests sent for invalid input", st.Requests)
			}
			for _, req := range []hss.ListClustersRequest{
				{ProjectID: longestProject, Limit: 10, Offset: 2_000_000},
				{ProjectID: testProject, Limit: 200, EnterpriseProjectID: strings.Repeat("é", 256)},
				{ProjectID: testProject, Limit: 10, EnterpriseProjectID: "all_granted_eps"},
			} {
				if err := call(req); err != nil {
					t.Errorf("%+v: %v", req, err)
				}
			}
		})
	}
}

// A page of the fake: the clusters at offset, total_num of all, every
// field decoded, a missing one nil.
func TestListClusters_page(t *testing.T) {
	cs := clusters(25)
	cs[11] = hssfake.Cluster{
		ClusterName: hssfake.Ptr("payments-prod"), ClusterID: hssfake.Ptr("c-00011"), ClusterVersion: hssfake.Ptr("v1.29"),
		ProtectStatus: hssfake.Ptr("a status of a later API"), PolicyNum: hssfake.Ptr[int64](4), ClusterStatus: hssfake.Ptr("Available"), ClusterType: hssfake.Ptr("cce"),
	}
	_, c := newClustersFake(t, cs)
	res, err := c.ListClusters(context.Background(), hss.ListClustersRequest{ProjectID: testProject, Offset: 10, Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	if res.TotalNum != 25 || len(res.DataList) != 10 || *res.DataList[0].ClusterID != "c-00010" {
		t.Fatalf("total_num %d, %d clusters, first %v", res.TotalNum, len(res.DataList), res.DataList[0].ClusterID)
	}
	got := res.DataList[1]
	if *got.ClusterName != "payments-prod" || *got.ClusterVersion != "v1.29" || *got.ProtectStatus != "a status of a later API" ||
		*got.PolicyNum != 4 || *got.ClusterStatus != "Available" || *got.ClusterType != "cce" {
		t.Errorf("fields: %+v", got)
	}
	if bare := res.DataList[0]; bare.ClusterName != nil || bare.PolicyNum != nil || bare.ClusterType != nil {
		t.Errorf("a field left out is not nil: %+v", bare)
	}
}

// An answer outside the document is an error: more clusters than the
// limit, a negative total_num; an API error keeps its status and code.
func TestListClusters_badAnswers(t *testing.T) {
	for _, tc := range []struct {
		name, body string
		status     int
		want       string
	}{
		{"too many", `{"total_num": 20, "data_list": [` + strings.Repeat(`{"cluster_id":"x"},`, 10) + `{"cluster_id":"y"}]}`, 200, "the API answered 11 clusters for limit 10 at offset 0"},
		{"negative total", `{"total_num": -1, "data_list": []}`, 200, "total_num -1"},
		{"error document", `{"error_code": "HSS.1001", "error_msg": "no such project"}`, 404, `HSS API answered 404 Not Found, error_code="HSS.1001", error_msg="no such project"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var path string
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				path = r.URL.Path + "?" + r.URL.RawQuery
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(tc.status)
				_, _ = w.Write([]byte(tc.body))
			}))
			t.Cleanup(srv.Close)
			c, err := newClient(srv.URL, hwcloud.Config{Credentials: hwcloud.StaticCredentials{AuthToken: testToken}})
			if err != nil {
				t.Fatal(err)
			}
			_, err = c.ListClusters(context.Background(), hss.ListClustersRequest{ProjectID: "p", EnterpriseProjectID: "all_granted_eps", Limit: 10})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err %v, want %q", err, tc.want)
			}
			if want := "/v5/p/cluster-protect/clusters?enterprise_project_id=all_granted_eps&limit=10&offset=0"; path != want {
				t.Errorf("requested %s, want %s", path, want)
			}
		})
	}
}

// Every cluster over several pages, in the API's order, Consistent, in
// one request a page plus the last read of the first page and the page
// that shows the end.
func TestReadAllClusters_pages(t *testing.T) {
	for _, n := range []int{0, 1, 200, 201, 450} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			fake, c := newClustersFake(t, clusters(n))
			res, err := c.ReadAllClusters(context.Background(), hss.Filter{ProjectID: testProject, EnterpriseProjectID: "all_granted_eps"})
			if err != nil {
				t.Fatal(err)
			}
			if !res.Consistent || len(res.Warnings) > 0 || res.TotalNum != int64(n) || len(res.Items) != n {
				t.Fatalf("consistent %v, warnings %q, total_num %d, %d clusters", res.Consistent, res.Warnings, res.TotalNum, len(res.Items))
			}
			for i, cl := range res.Items {
				if want := fmt.Sprintf("c-%05d", i); *cl.ClusterID != want {
					t.Fatalf("cluster %d is %s, want %s", i, *cl.ClusterID, want)
				}
			}
			if st := fake.Stats(); st.Requests != res.Requests || st.Requests > (n+199)/200+2 {
				t.Errorf("%d requests (result says %d) for %d clusters", st.Requests, res.Requests, n)
			}
		})
	}
}

// The call has no cluster filter: asking for one is an error, before any
// request.
func TestReadAllClusters_noClusterFilter(t *testing.T) {
	fake, c := newClustersFake(t, clusters(3))
	if _, err := c.ReadAllClusters(context.Background(), hss.Filter{ProjectID: testProject, ClusterID: "c-00001"}); err == nil || !strings.Contains(err.Error(), "no cluster_id filter") {
		t.Errorf("err %v", err)
	}
	if _, err := c.ReadAllClusters(context.Background(), hss.Filter{ProjectID: testProject, EnterpriseProjectID: strings.Repeat("x", 257)}); err == nil || !strings.Contains(err.Error(), "enterprise_project_id") {
		t.Errorf("err %v", err)
	}
	if st := fake.Stats(); st.Requests != 0 {
		t.Errorf("%d requests", st.Requests)
	}
}

// A list of clusters that moves during the read is lined up by
// cluster_id, as events are by event_id: every cluster that stayed is in
// the result once, and a Consistent result is the list at one instant.
func TestReadAllClusters_linedUpByClusterID(t *testing.T) {
	first := numbered(700)
	s := newListServer(first)
	s.idName = "cluster_id"
	arrived := 0
	s.hook = func(s *listServer, offset int) {
		if offset > 0 && arrived < 3 {
			arrived++
			s.arrive(0, fmt.Sprintf("new-%d", arrived))
		}
	}
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	c, err := newClient(srv.URL, hwcloud.Config{Credentials: hwcloud.StaticCredentials{AuthToken: testToken}})
	if err != nil {
		t.Fatal(err)
	}
	res, err := c.ReadAllClusters(context.Background(), hss.Filter{ProjectID: testProject})
	if err != nil {
		t.Fatal(err)
	}
	// check holds any list by its IDs: the clusters as items with an ID.
	asEvents := make([]hss.ClusterEvent, len(res.Items))
	for i, cl := range res.Items {
		asEvents[i].EventID = cl.ClusterID
	}
	s.check(t, &hss.ReadResult{Events: asEvents, Consistent: res.Consistent, Warnings: res.Warnings}, first)
	if len(res.Items) < len(first) {
		t.Errorf("%d clusters of at least %d", len(res.Items), len(first))
	}
}

// BenchmarkReadAllClusters reads 1,000 clusters from the fake at 50 ms a
// request, at the default concurrency, and reports the requests and the
// seconds of each read.
// Run: go test -run '^$' -bench ReadAllClusters -benchtime 5x ./internal/hss/ .
func BenchmarkReadAllClusters(b *testing.B) {
	fake, c := newClustersFake(b, clusters(1000))
	fake.SetFaults(hssfake.Faults{Latency: 50 * time.Millisecond})
	fake.ResetStats()
	b.ReportAllocs()
	for b.Loop() {
		res, err := c.ReadAllClusters(context.Background(), hss.Filter{ProjectID: testProject})
		if err != nil || len(res.Items) != 1000 || !res.Consistent {
			b.Fatal(err, res)
		}
	}
	st := fake.Stats()
	b.ReportMetric(float64(st.Requests)/float64(b.N), "requests/op")
	b.ReportMetric(float64(st.MaxInFlight), "max-in-flight")
	b.ReportMetric(b.Elapsed().Seconds()/float64(b.N), "s/op")
}

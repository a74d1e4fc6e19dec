package hssfake_test

import (
	"encoding/json"
	"maps"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/clusterprotect/terraform-provider-clusterprotect/internal/hssfake"
)

// clustersPage is one answer of the clusters route, each cluster as the raw
// fields served.
type clustersPage struct {
	TotalNum int                          `json:"total_num"`
	DataList []map[string]json.RawMessage `json:"data_list"`
}

// getClusters reads one page of clusters of project p with token tok.
func getClusters(t *testing.T, srv *httptest.Server, tok, p, query string) clustersPage {
	t.Helper()
	status, body, _ := getAs(t, srv, tok, "/v5/"+p+"/cluster-protect/clusters?"+query)
	var page clustersPage
	if err := json.Unmarshal(body, &page); err != nil || status != 200 {
		t.Fatalf("%s: %d %s", query, status, body)
	}
	return page
}

// The clusters route serves each cluster with the API's seven fields under
// the API's names, every protect_status of the document as given (spaces
// kept), leaves out what the cluster lacks, and never serves the project
// and enterprise project the fake files a cluster under.
func TestServer_clustersFields(t *testing.T) {
	p := hssfake.Ptr[string]
	var clusters []hssfake.Cluster
	for i, status := range append(slices.Clone(hssfake.ProtectStatuses), "a status HSS adds later") {
		clusters = append(clusters, hssfake.Cluster{
			ClusterName: p("c-" + itoa(i)), ClusterID: p("id-" + itoa(i)), ClusterVersion: p("v1.29"),
			ProtectStatus: p(status), PolicyNum: hssfake.Ptr(int64(i)), ClusterStatus: p("Available"), ClusterType: p("cce"),
			ProjectID: p(project), EnterpriseProjectID: p("0"),
		})
	}
	clusters = append(clusters, hssfake.Cluster{ClusterID: p("bare")})
	fake := hssfake.New(hssfake.Config{Projects: []hssfake.Project{{ID: project, Tokens: []string{"tok"}}}}, nil)
	fake.SetClusters(clusters)
	srv := httptest.NewServer(fake)
	defer srv.Close()

	page := getClusters(t, srv, "tok", project, "offset=0&limit=10")
	if page.TotalNum != 9 || len(page.DataList) != 9 {
		t.Fatalf("total_num %d, %d clusters, want 9", page.TotalNum, len(page.DataList))
	}
	fields := []string{"cluster_name", "cluster_id", "cluster_version", "protect_status", "policy_num", "cluster_status", "cluster_type"}
	for i, status := range hssfake.ProtectStatuses {
		c := page.DataList[i]
		if got := slices.Sorted(maps.Keys(c)); !slices.Equal(got, slices.Sorted(slices.Values(fields))) {
			t.Errorf("cluster %d has fields %v, want %v", i, got, fields)
		}
		if string(c["protect_status"]) != `"`+status+`"` || string(c["policy_num"]) != itoa(i) {
			t.Errorf("cluster %d: protect_status %s policy_num %s, want %q and %d", i, c["protect_status"], c["policy_num"], status, i)
		}
	}
	if string(page.DataList[7]["protect_status"]) != `"a status HSS adds later"` {
		t.Errorf("an unknown status is served as %s", page.DataList[7]["protect_status"])
	}
	if bare := page.DataList[8]; len(bare) != 1 || string(bare["cluster_id"]) != `"bare"` {
		t.Errorf("a cluster with only an ID is served as %v", bare)
	}
}

// Clusters page as events do (offset, limit, total_num on every page), in
// the order set, filtered by project and enterprise project; a cluster
// filed under no project or enterprise project is listed in each.
func TestServer_clustersPagesAndScope(t *testing.T) {
	p := hssfake.Ptr[string]
	var clusters []hssfake.Cluster
	for i := range 25 {
		clusters = append(clusters, hssfake.Cluster{ClusterID: p("a" + itoa(i)), ProjectID: p("pa"), EnterpriseProjectID: p([]string{"0", "ep-1"}[i%2])})
	}
	clusters = append(clusters, hssfake.Cluster{ClusterID: p("b"), ProjectID: p("pb")}, hssfake.Cluster{ClusterID: p("everywhere")})
	fake := hssfake.New(hssfake.Config{Projects: []hssfake.Project{{ID: "pa", Tokens: []string{"ta"}}, {ID: "pb", Tokens: []string{"tb"}}}}, nil)
	fake.SetClusters(clusters)
	srv := httptest.NewServer(fake)
	defer srv.Close()

	var ids []string
	for offset := 0; offset < 40; offset += 10 {
		page := getClusters(t, srv, "ta", "pa", "limit=10&enterprise_project_id=all_granted_eps&offset="+itoa(offset))
		if page.TotalNum != 26 {
			t.Fatalf("offset %d: total_num %d, want 26", offset, page.TotalNum)
		}
		for _, c := range page.DataList {
			var id string
			_ = json.Unmarshal(c["cluster_id"], &id)
			ids = append(ids, id)
		}
	}
	if len(ids) != 26 || ids[0] != "a0" || ids[24] != "a24" || ids[25] != "everywhere" {
		t.Errorf("paged ids %v", ids)
	}
	for _, tc := range []struct {
		tok, project, query string
		total               int
	}{
		{"ta", "pa", "", 14},                            // the default enterprise project "0", and the cluster of every one
		{"ta", "pa", "&enterprise_project_id=ep-1", 13}, // 12 of ep-1, and the cluster of every one
		{"ta", "pa", "&enterprise_project_id=other", 1}, // only the cluster of every one
		{"tb", "pb", "&enterprise_project_id=all_granted_eps", 2},
	} {
		if page := getClusters(t, srv, tc.tok, tc.project, "offset=0&limit=200"+tc.query); page.TotalNum != tc.total || len(page.DataList) != tc.total {
			t.Errorf("%s%s: total_num %d, %d clusters, want %d", tc.project, tc.query, page.TotalNum, len(page.DataList), tc.total)
		}
	}
}

// By default the fake lists the clusters its events name, in their own
// project: every cluster_id of an event is a listed cluster, and nothing
// else is.
func TestServer_clustersNamedByEvents(t *testing.T) {
	events := append(hssfake.Generate(hssfake.GenerateOptions{Count: 60, ProjectID: "pa", Clusters: 4, EnterpriseProjectIDs: []string{"0", "ep-1"}}),
		hssfake.Generate(hssfake.GenerateOptions{Count: 20, ProjectID: "pb", Clusters: 2, Seed: 3})...)
	fake := hssfake.New(hssfake.Config{Projects: []hssfake.Project{{ID: "pa", Tokens: []string{"ta"}}, {ID: "pb", Tokens: []string{"tb"}}}}, events)
	srv := httptest.NewServer(fake)
	defer srv.Close()
	for _, tc := range []struct{ tok, project, eps string }{
		{"ta", "pa", "0"}, {"ta", "pa", "ep-1"}, {"ta", "pa", "all_granted_eps"}, {"tb", "pb", "0"},
	} {
		listed := map[string]bool{}
		for _, c := range getClusters(t, srv, tc.tok, tc.project, "offset=0&limit=200&enterprise_project_id="+tc.eps).DataList {
			var id, status string
			_ = json.Unmarshal(c["cluster_id"], &id)
			_ = json.Unmarshal(c["protect_status"], &status)
			listed[id] = status == "protected with policy"
		}
		named := map[string]bool{}
		for _, e := range events {
			if *e.ProjectID == tc.project && (tc.eps == "all_granted_eps" || *e.EnterpriseProjectID == tc.eps) {
				named[*e.ClusterID] = true
			}
		}
		if len(named) == 0 || len(listed) != len(named) {
			t.Errorf("%s/%s: listed %v, events name %v", tc.project, tc.eps, listed, named)
		}
		for id := range named {
			if !listed[id] {
				t.Errorf("%s/%s: events name %s, not listed as protected with policy: %v", tc.project, tc.eps, id, listed)
			}
		}
	}
}

// The API caps every query, not the whole list: at most the cap (10,000 in
// the API, TotalNumCap here) of the records a query matches can be reached,
// and total_num says the cap, with or without a cluster_id filter, for
// events and clusters alike.
func TestServer_capPerQuery(t *testing.T) {
	p := hssfake.Ptr[string]
	events := append(hssfake.Generate(hssfake.GenerateOptions{Count: 9, ProjectID: project, Clusters: 1}),
		hssfake.Generate(hssfake.GenerateOptions{Count: 3, ProjectID: project, Clusters: 1, Seed: 2, NewestMillis: 1})...)
	for i := range events[9:] {
		events[9+i].ClusterID = p("small")
	}
	fake := hssfake.New(hssfake.Config{Projects: []hssfake.Project{{ID: project, Tokens: []string{"tok"}}}, TotalNumCap: 5}, events)
	var clusters []hssfake.Cluster
	for i := range 8 {
		clusters = append(clusters, hssfake.Cluster{ClusterID: p("c" + itoa(i))})
	}
	fake.SetClusters(clusters)
	srv := httptest.NewServer(fake)
	defer srv.Close()
	big := *events[0].ClusterID
	for _, tc := range []struct {
		path         string
		total, items int
	}{
		{"events?offset=0&limit=10", 5, 5},
		{"events?offset=3&limit=10", 5, 2},
		{"events?offset=5&limit=10", 5, 0},
		{"events?offset=0&limit=10&cluster_id=" + big, 5, 5},
		{"events?offset=4&limit=10&cluster_id=" + big, 5, 1},
		{"events?offset=0&limit=10&cluster_id=small", 3, 3}, // under the cap: all of them, though older than 5 others
		{"clusters?offset=0&limit=10", 5, 5},
		{"clusters?offset=5&limit=10", 5, 0},
	} {
		status, body, _ := getAs(t, srv, "tok", "/v5/"+project+"/cluster-protect/"+tc.path)
		var page struct {
			TotalNum int               `json:"total_num"`
			DataList []json.RawMessage `json:"data_list"`
		}
		if err := json.Unmarshal(body, &page); err != nil || status != 200 || page.TotalNum != tc.total || len(page.DataList) != tc.items {
			t.Errorf("%s: %d, total_num %d, %d items; want %d and %d", tc.path, status, page.TotalNum, len(page.DataList), tc.total, tc.items)
		}
		if strings.Contains(tc.path, "small") && !strings.Contains(string(body), `"cluster_id":"small"`) {
			t.Errorf("%s: %s", tc.path, body)
		}
	}
}

// A file may list clusters beside its events; one without them, in either
// of the events' forms, leaves Clusters nil (the caller lists the clusters
// the events name).
func TestLoad_clusters(t *testing.T) {
	dir := t.TempDir()
	for name, tc := range map[string]struct {
		content          string
		events, clusters int
	}{
		"array.json":    {`[{"event_id":"a"}]`, 1, -1},
		"page.json":     {`{"total_num":1,"data_list":[{"event_id":"a"}]}`, 1, -1},
		"clusters.json": {`{"data_list":[{"event_id":"a","cluster_id":"c"}],"clusters":[{"cluster_id":"c","protect_status":"plugin error","project_id":"p"},{}]}`, 1, 2},
		"empty.json":    {`{"clusters":[]}`, 0, 0},
	} {
		path := dir + "/" + name
		if err := writeFile(path, tc.content); err != nil {
			t.Fatal(err)
		}
		d, err := hssfake.Load(path)
		if err != nil || len(d.Events) != tc.events || tc.clusters < 0 && d.Clusters != nil || tc.clusters >= 0 && (d.Clusters == nil || len(d.Clusters) != tc.clusters) {
			t.Errorf("%s: %+v %v", name, d, err)
		}
		if tc.clusters == 2 && (*d.Clusters[0].ProtectStatus != "plugin error" || *d.Clusters[0].ProjectID != "p") {
			t.Errorf("%s: %+v", name, d.Clusters[0])
		}
	}
	if err := writeFile(dir+"/bad.json", `{"clusters":{}}`); err != nil {
		t.Fatal(err)
	}
	if _, err := hssfake.Load(dir + "/bad.json"); err == nil || !strings.Contains(err.Error(), "data_list and clusters") {
		t.Errorf("a malformed file: %v", err)
	}
}

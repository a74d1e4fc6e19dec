package examples

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/clusterprotect/terraform-provider-clusterprotect/internal/hssfake"
)

// The bundled policy's coverage rules on real plans, on the CLI of
// TF_ACC_TERRAFORM_PATH (Terraform, or OpenTofu): every cluster protected and
// the events clean; one cluster unprotected; one in plugin error; the
// clusters read failed; events of a cluster HSS does not list; and, in
// TestExample_multiAccount, one account's module removed.

// clustersWith are the clusters the events name, all "protected with
// policy", but the first, whose protect_status is status.
func clustersWith(evs []hssfake.Event, status string) []hssfake.Cluster {
	cs := hssfake.ClustersOf(evs)
	cs[0].ProtectStatus = hssfake.Ptr(status)
	return cs
}

// coverageExample is the opa plan example on handled events, in region
// ap-southeast-1 (so the messages name it).
func coverageExample(t *testing.T) (ex *example, tf, opa string, evs []hssfake.Event) {
	t.Helper()
	evs = events()
	ex, tf, opa = newOPAPlanExample(t, evs, `
data "clusterprotect_events" "all" {
  enterprise_project_id = "all_granted_eps"
}
`)
	ex.fake.MarkHandled()
	ex.setEnv("HW_REGION_NAME", "ap-southeast-1")
	return ex, tf, opa, evs
}

func TestExample_opaPlan_coverage(t *testing.T) {
	ex, tf, opa, evs := coverageExample(t)
	if verdict, pass := ex.gateOnce(tf, opa); !pass || len(verdict) != 0 {
		t.Fatalf("every cluster protected, events clean: want a passing job:\n%s", verdict)
	}

	for _, status := range []string{"unprotected", "plugin error"} {
		cs := clustersWith(evs, status)
		ex.fake.SetClusters(cs)
		verdict, pass := ex.gateOnce(tf, opa)
		want := fmt.Sprintf(`data.clusterprotect_clusters.all: project %s, region ap-southeast-1: cluster %s (%s) has protect_status %q (`,
			project, *cs[0].ClusterName, *cs[0].ClusterID, status)
		if pass || len(verdict) != 1 || !strings.HasPrefix(verdict[0], want) {
			t.Fatalf("one cluster %s: want a job that fails with %q alone:\n%s", status, want, verdict)
		}
	}

	// HSS no longer lists the first cluster; its events stay.
	cs := hssfake.ClustersOf(evs)
	gone := cs[0]
	ex.fake.SetClusters(cs[1:])
	n := 0
	for _, e := range evs {
		if e.ClusterID != nil && *e.ClusterID == *gone.ClusterID {
			n++
		}
	}
	verdict, pass := ex.gateOnce(tf, opa)
	want := fmt.Sprintf("project %s, region ap-southeast-1: %d event(s) of cluster %s (%s) (data.clusterprotect_events.all), which HSS does not list: a cluster removed from HSS keeps its events",
		project, n, *gone.ClusterID, *gone.ClusterName)
	if pass || len(verdict) != 1 || !strings.HasPrefix(verdict[0], want) {
		t.Fatalf("events of a cluster HSS does not list: want a job that fails with %q alone:\n%s", want, verdict)
	}
	ex.writeFile("removed.json", fmt.Sprintf(`{"clusterprotect": {"removed_clusters": [%q]}}`, *gone.ClusterID))
	if _, planOK, out, pass := ex.planAndGate(tf, opa, "-d", "removed.json"); !planOK || !pass {
		t.Fatalf("the cluster listed in removed_clusters: want a passing job:\n%s", out)
	}
}

// The clusters route fails (the events route answers): the read in a check
// block only warns, and the job fails on the clusters read and on the
// events whose coverage is unknown.
func TestExample_opaPlan_clustersReadFailed(t *testing.T) {
	evs := events()
	fake := hssfake.New(tokenConfig(), evs)
	fake.MarkHandled()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/cluster-protect/clusters") {
			w.Header().Set("Content-Type", "application/json")
			w.Header().Set("X-Request-Id", "req-clusters-down")
			w.WriteHeader(http.StatusInternalServerError)
			_, _ = w.Write([]byte(`{"error_code":"HSS.0001","error_msg":"internal error"}`))
			return
		}
		fake.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	tf := tool(t, "TF_ACC_TERRAFORM_PATH", "terraform")
	opa := tool(t, "OPA", "opa")
	ex := newExampleFor(t, "opa", fake, srv.URL)
	ex.setEnv("HW_REGION_NAME", "ap-southeast-1", "HW_MAX_RETRIES", "0")
	if out, ok := ex.run(tf, "get", "-no-color"); !ok {
		t.Fatalf("terraform get:\n%s", out)
	}
	verdict, pass := ex.gateOnce(tf, opa)
	for _, want := range []string{
		"data.clusterprotect_clusters.all: its clusters are not known: the read failed at plan time",
		fmt.Sprintf("project %s, region ap-southeast-1: its events are read (data.clusterprotect_events.all, module.prod.data.clusterprotect_events.deny) but no clusterprotect_clusters data source read its clusters completely in this plan", project),
	} {
		if pass || !has(verdict, want) {
			t.Fatalf("clusters read failed: want a failed job with %q:\n%s", want, verdict)
		}
	}

	// A top-level read fails the plan; the saved plan fails the job too.
	// Terraform 1.5 writes no errored field: there the clusters read the
	// plan never finished is denied.
	ex.writeFile("main.tf", providerHeader+"data \"clusterprotect_events\" \"all\" {\n  enterprise_project_id = \"all_granted_eps\"\n}\n")
	plan, planOK, out, pass := ex.planAndGate(tf, opa)
	out = strings.Join(strings.Fields(out), " ")
	if planOK || !strings.Contains(plan, "reading clusters") || pass ||
		!strings.Contains(out, "the plan errored (errored: true)") && !strings.Contains(out, "data.clusterprotect_clusters.all: neither read at plan time nor planned for apply") {
		t.Fatalf("a top-level clusters read failed: want a failed plan and job:\n%s\n%s", plan, out)
	}
}

// threeAccounts is a central security account (keys SECAK) and two members,
// member-a through its agency hss-reader, member-b with keys of its own, each
// with a project in two regions, events in each, and the clusters they name.
func threeAccounts() (hssfake.Config, []hssfake.Event, map[string]map[string]string) {
	cfg := hssfake.Config{
		Keys: map[string]hssfake.Credential{"SECAK": {SecretKey: "sec-sk"}},
		Accounts: []hssfake.Account{
			{DomainID: "d-sec", DomainName: "security"},
			{DomainID: "d-a", DomainName: "member-a"},
			{DomainID: "d-b", DomainName: "member-b", Keys: map[string]hssfake.Credential{"BAK": {SecretKey: "b-sk"}}},
		},
		Agencies: []hssfake.Agency{{Name: "hss-reader", DomainName: "member-a", DomainID: "d-a", Trusts: "d-sec"}},
	}
	projects := map[string]map[string]string{}
	var evs []hssfake.Event
	newest := time.Now().Add(-time.Hour).UnixMilli()
	for i, a := range []struct{ account, domain string }{{"security", "d-sec"}, {"member-a", "d-a"}, {"member-b", "d-b"}} {
		projects[a.account] = map[string]string{}
		for j, region := range []string{"ap-southeast-1", "cn-north-4"} {
			id := fmt.Sprintf("%d%d%030d", i, j, 0)
			projects[a.account][region] = id
			cfg.Projects = append(cfg.Projects, hssfake.Project{ID: id, Name: region, DomainID: a.domain, Enabled: true})
			evs = append(evs, hssfake.Generate(hssfake.GenerateOptions{Count: 20, Seed: uint64(40 + 2*i + j), ProjectID: id,
				NewestMillis: newest - int64(1000*(2*i+j))})...)
		}
	}
	return cfg, evs, projects
}

// The multi-account example on three accounts of the fake, each region at
// its own address: the report per account and region, and the gate with
// required_reads. Removing member-b's module passes required_regions (one
// account's read covers the region for all) and fails required_reads.
func TestExample_multiAccount(t *testing.T) {
	tf := tool(t, "TF_ACC_TERRAFORM_PATH", "terraform")
	opa := tool(t, "OPA", "opa")
	cfg, evs, projects := threeAccounts()
	fake := hssfake.New(cfg, evs)
	fake.MarkHandled()
	srv := httptest.NewServer(fake)
	t.Cleanup(srv.Close)
	ex := newExampleFor(t, "multi-account", fake, srv.URL+"/{region}")
	ex.setEnv("HW_PROJECT_ID", "", "HW_AUTH_TOKEN", "", "HW_REGION_NAME", "ap-southeast-1",
		"HW_HSS_ENDPOINT", srv.URL+"/{region}", "HW_IAM_ENDPOINT", srv.URL+"/{region}",
		"HW_ACCESS_KEY", "SECAK", "HW_SECRET_KEY", "sec-sk",
		"TF_VAR_member_b_access_key", "BAK", "TF_VAR_member_b_secret_key", "b-sk", "HW_MAX_RETRIES", "0")
	policy, err := filepath.Abs("opa/policy")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.CopyFS(filepath.Join(ex.dir, "policy"), os.DirFS(policy)); err != nil {
		t.Fatal(err)
	}
	getModules := func() {
		t.Helper()
		if out, ok := ex.run(tf, "get", "-no-color"); !ok {
			t.Fatalf("terraform get:\n%s", out)
		}
	}
	var required []map[string]string
	for _, account := range []string{"security", "member-a", "member-b"} {
		for _, region := range []string{"ap-southeast-1", "cn-north-4"} {
			required = append(required, map[string]string{"account": account, "project_id": projects[account][region], "region": region})
		}
	}
	doc, _ := json.Marshal(map[string]any{"clusterprotect": map[string]any{"required_reads": required}})
	ex.writeFile("required.json", string(doc))
	ex.writeFile("regions.json", `{"clusterprotect": {"required_regions": ["ap-southeast-1", "cn-north-4"]}}`)
	gate := func(data string) ([]string, bool) {
		t.Helper()
		return ex.gateOnce(tf, opa, "-d", data)
	}

	t.Run("report", func(t *testing.T) {
		parent := ex.t
		ex.t = t
		defer func() { ex.t = parent }()
		skipWithoutFunctions(t, ex, tf)
		getModules()
		type region struct {
			ProjectID     string   `json:"project_id"`
			Events        int      `json:"events"`
			UnhandledDeny int      `json:"unhandled_deny"`
			NewestEventAt *string  `json:"newest_event_at"`
			NotProtected  []string `json:"not_protected"`
			Complete      bool
		}
		var got struct {
			Report   struct{ Value map[string]map[string]region }
			Required struct {
				Value struct {
					Clusterprotect struct {
						RequiredReads []map[string]string `json:"required_reads"`
					}
				}
			} `json:"required_reads"`
		}
		ex.applyOutputs(tf, &got)
		for account, key := range map[string]string{"security": "security", "member-a": "member_a", "member-b": "member_b"} {
			for reg, id := range projects[account] {
				r := got.Report.Value[key][reg]
				var newest int64
				for _, e := range evs {
					if *e.ProjectID == id && *e.CreateTime > newest {
						newest = *e.CreateTime
					}
				}
				want := time.UnixMilli(newest).UTC().Format("2006-01-02T15:04:05.000Z")
				if r.ProjectID != id || r.Events != 20 || r.UnhandledDeny != 0 || r.NewestEventAt == nil || *r.NewestEventAt != want || len(r.NotProtected) != 0 || !r.Complete {
					t.Errorf("report %s %s: %+v, want project %s, 20 events, newest at %s", key, reg, r, id, want)
				}
			}
		}
		if fmt.Sprint(got.Required.Value.Clusterprotect.RequiredReads) != fmt.Sprint(required) {
			t.Errorf("required_reads output %v, want %v", got.Required.Value.Clusterprotect.RequiredReads, required)
		}
	})

	// The gate from here on needs no provider function: the report is left
	// out, so that it runs on every CLI (Terraform 1.5.7 cannot parse it).
	main, err := os.ReadFile(filepath.Join(ex.dir, "main.tf"))
	if err != nil {
		t.Fatal(err)
	}
	cut := func(s, from, to string) string {
		i := strings.Index(s, from)
		j := -1
		if i >= 0 {
			j = strings.Index(s[i:], to)
		}
		if j < 0 {
			t.Fatalf("main.tf has no %q ... %q", from, to)
		}
		return s[:i] + s[i+j:]
	}
	withoutReport := cut(string(main), `output "report" {`, `output "required_reads" {`)
	ex.writeFile("main.tf", withoutReport)
	getModules()
	if verdict, pass := gate("required.json"); !pass || len(verdict) != 0 {
		t.Fatalf("three accounts clean, every read required: want a passing job:\n%s", verdict)
	}

	// A cluster of member-b in cn-north-4 in plugin error.
	cs := hssfake.ClustersOf(evs)
	var broken hssfake.Cluster
	for i := range cs {
		if *cs[i].ProjectID == projects["member-b"]["cn-north-4"] {
			cs[i].ProtectStatus = hssfake.Ptr("plugin error")
			broken = cs[i]
			break
		}
	}
	fake.SetClusters(cs)
	verdict, pass := gate("required.json")
	want := fmt.Sprintf(`module.member_b.data.clusterprotect_clusters.region["cn-north-4"]: account member-b (project %s, region cn-north-4): cluster %s (%s) has protect_status "plugin error" (the protection plug-in is in error)`,
		projects["member-b"]["cn-north-4"], *broken.ClusterName, *broken.ClusterID)
	if pass || len(verdict) != 1 || !strings.HasPrefix(verdict[0], want) {
		t.Fatalf("a cluster in plugin error: want a job that fails with %q alone:\n%s", want, verdict)
	}

	// member-b's module removed: its cluster in plugin error is no longer
	// read. required_regions passes, as the other accounts read both
	// regions; required_reads fails for both of member-b's regions.
	removed := cut(withoutReport, `module "member_b" {`, `output "required_reads" {`)
	removed = strings.Replace(removed, ", module.member_b.required_reads", "", 1)
	ex.writeFile("main.tf", removed)
	if verdict, pass := gate("regions.json"); !pass {
		t.Fatalf("member-b removed, required_regions: the weaker check passes:\n%s", verdict)
	}
	verdict, pass = gate("required.json")
	if pass || len(verdict) != 4 {
		t.Fatalf("member-b removed, required_reads: want a job that fails with 4 denies:\n%s", verdict)
	}
	for _, region := range []string{"ap-southeast-1", "cn-north-4"} {
		for _, what := range []string{"clusterprotect_events data source read it completely", "clusterprotect_clusters data source read its clusters completely"} {
			want := fmt.Sprintf("account member-b (project %s, region %s): required (data.clusterprotect.required_reads), but no %s", projects["member-b"][region], region, what)
			if !has(verdict, want) {
				t.Errorf("member-b removed: want %q:\n%s", want, verdict)
			}
		}
	}
}

// The coverage gate: postconditions fail the plan, and the policy fails the
// job, when a cluster is not protected or a deny event is unhandled.
func TestExample_coverageGate(t *testing.T) {
	tf := tool(t, "TF_ACC_TERRAFORM_PATH", "terraform")
	opa := tool(t, "OPA", "opa")
	evs := events()
	ex := newExample(t, "coverage-gate", evs)
	ex.fake.MarkHandled()
	ex.setEnv("HW_REGION_NAME", "ap-southeast-1")
	policy, err := filepath.Abs("opa/policy")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.CopyFS(filepath.Join(ex.dir, "policy"), os.DirFS(policy)); err != nil {
		t.Fatal(err)
	}
	plan, planOK, verdict, pass := ex.planAndGate(tf, opa)
	if !planOK || !pass {
		t.Fatalf("clean and protected: want a passing plan and job:\n%s\n%s", plan, verdict)
	}

	cs := clustersWith(evs, "protected without policy")
	ex.fake.SetClusters(cs)
	plan, planOK, verdict, pass = ex.planAndGate(tf, opa)
	plan = strings.Join(strings.Fields(plan), " ")
	want := fmt.Sprintf("Clusters not protected in ap-southeast-1 (project %s): %s (protected without policy).", project, *cs[0].ClusterName)
	if planOK || !strings.Contains(plan, "Resource postcondition failed") || !strings.Contains(plan, want) || pass {
		t.Fatalf("a cluster without policy: want a plan that fails with %q and a failed job:\n%s\n%s", want, plan, verdict)
	}
	if !strings.Contains(verdict, fmt.Sprintf("cluster %s (%s) has protect_status", *cs[0].ClusterName, *cs[0].ClusterID)) {
		t.Fatalf("a cluster without policy: want the job to name it:\n%s", verdict)
	}
	ex.setEnv("TF_VAR_allowed_protect_statuses", `["protected with policy", "protected without policy"]`)
	ex.writeFile("allowed.json", `{"clusterprotect": {"allowed_protect_statuses": ["protected with policy", "protected without policy"]}}`)
	if plan, planOK, verdict, pass := ex.planAndGate(tf, opa, "-d", "allowed.json"); !planOK || !pass {
		t.Fatalf("protected without policy allowed: want a passing plan and job:\n%s\n%s", plan, verdict)
	}

	ex.fake.SetEvents(evs) // the unhandled deny events are back
	plan, planOK, verdict, pass = ex.planAndGate(tf, opa, "-d", "allowed.json")
	if planOK || !strings.Contains(plan, "unhandled deny events in ap-southeast-1") || pass {
		t.Fatalf("unhandled deny events: want a failed plan and job:\n%s\n%s", plan, verdict)
	}
}

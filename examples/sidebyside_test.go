package examples

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/clusterprotect/terraform-provider-clusterprotect/internal/hssfake"
)

var updateSample = flag.Bool("update-sample", false, "rewrite migrating/side-by-side/testdata/huaweicloud-sample.json")

const sidebySideSample = "migrating/side-by-side/testdata/huaweicloud-sample.json"

// sideBySideEvents are the events the recording is of: generated ones, and
// some with the fields the API may leave out, one without resource_info,
// and one with enforcementAction, the spelling both data sources read.
func sideBySideEvents() []hssfake.Event {
	evs := hssfake.Generate(hssfake.GenerateOptions{Count: 12, Seed: 20, ProjectID: project, EnterpriseProjectIDs: []string{"0", hssfake.SampleEnterpriseProjectID}})
	evs[2].PolicyName, evs[2].UpdateTime = nil, nil
	evs[4].ResourceInfo = nil
	evs[6].ResourceInfo.Namespace, evs[6].ResourceInfo.Group = nil, nil
	evs[8].ResourceInfo.EnforcementActionCamel, evs[8].ResourceInfo.EnforcementAction = evs[8].ResourceInfo.EnforcementAction, nil
	evs[9].EventType, evs[9].ClusterName = nil, nil
	return evs
}

// recordHuaweiCloud is the state huaweicloud_hss_cluster_protect_alarm_events
// would hold for enterprise_project_id = "all_granted_eps" on the fake at
// srv. The Huawei Cloud provider cannot be downloaded where this project is
// built, so this is not a recording of it: it reads the fake as that data
// source does (limit=200, offset by what came back, until an empty page)
// and applies its flattening rules as read from its source
// (data_source_huaweicloud_hss_cluster_protect_alarm_events.go): every
// field of the answer, a field left out as "" or 0 (the SDKv2 zero value),
// resource_info as a list of one ([] without it), its enforcement_action
// from the key enforcementAction only, total_num and last_update_time of
// the last page (0 when left out), data_list [] when empty.
func recordHuaweiCloud(t *testing.T, srv *httptest.Server) map[string]any {
	t.Helper()
	var (
		list           = []any{}
		total, updated float64
	)
	for offset := 0; ; {
		req, _ := http.NewRequestWithContext(t.Context(), "GET", fmt.Sprintf("%s/v5/%s/cluster-protect/events?limit=200&enterprise_project_id=all_granted_eps&offset=%d", srv.URL, project, offset), nil)
		req.Header.Set("X-Auth-Token", token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		raw, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		var page struct {
			TotalNum       float64          `json:"total_num"`
			LastUpdateTime float64          `json:"last_update_time"`
			DataList       []map[string]any `json:"data_list"`
		}
		if err := json.Unmarshal(raw, &page); err != nil || resp.StatusCode != http.StatusOK {
			t.Fatalf("reading the fake: %d %v\n%s", resp.StatusCode, err, raw)
		}
		total, updated = page.TotalNum, page.LastUpdateTime
		if len(page.DataList) == 0 {
			break
		}
		for _, e := range page.DataList {
			list = append(list, flattenLikeHuaweiCloud(e))
		}
		offset += len(page.DataList)
	}
	return map[string]any{
		"id":                    "00000000-0000-4000-8000-000000000000", // a random UUID there
		"region":                "ap-southeast-1",
		"enterprise_project_id": "all_granted_eps",
		"cluster_id":            nil,
		"total_num":             total,
		"last_update_time":      updated,
		"data_list":             list,
	}
}

func flattenLikeHuaweiCloud(e map[string]any) map[string]any {
	zero := func(v any, z any) any {
		if v == nil {
			return z
		}
		return v
	}
	out := map[string]any{}
	for _, k := range []string{"action", "cluster_name", "cluster_id", "event_name", "event_class_id", "event_id", "event_content",
		"handle_status", "project_id", "enterprise_project_id", "policy_name", "policy_id"} {
		out[k] = zero(e[k], "")
	}
	for _, k := range []string{"event_type", "create_time", "update_time"} {
		out[k] = zero(e[k], float64(0))
	}
	out["resource_info"] = []any{}
	if r, ok := e["resource_info"].(map[string]any); ok {
		info := map[string]any{"enforcement_action": zero(r["enforcementAction"], "")}
		for _, k := range []string{"group", "message", "name", "namespace", "version", "kind", "resource_name"} {
			info[k] = zero(r[k], "")
		}
		out["resource_info"] = []any{info}
	}
	return out
}

type parity struct {
	Match                    bool           `json:"match"`
	Mismatches               []string       `json:"mismatches"`
	Events                   map[string]int `json:"events"`
	EnforcementActionOnlyNew []string       `json:"enforcement_action_only_new"`
}

// The side-by-side example's comparison, on the recorded state of the old
// data source and clusterprotect_events on the same events: they match,
// absent fields and resource_info reshaped; a reordered event and a changed
// field are each named.
func TestExample_sideBySide(t *testing.T) {
	tf := tool(t, "TF_ACC_TERRAFORM_PATH", "terraform")
	evs := sideBySideEvents()
	ex := newExample(t, "migrating/side-by-side", evs)

	// The recording in the tree is what the fake serves now.
	srv := httptest.NewServer(ex.fake)
	t.Cleanup(srv.Close)
	recorded, err := json.MarshalIndent(recordHuaweiCloud(t, srv), "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	recorded = append(recorded, '\n')
	if *updateSample {
		if err := os.WriteFile(sidebySideSample, recorded, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	inTree, err := os.ReadFile(sidebySideSample)
	if err != nil || string(inTree) != string(recorded) {
		t.Fatalf("%s is not what the fake serves now (%v): run go test ./examples/ -run TestExample_sideBySide -update-sample", sidebySideSample, err)
	}
	var sample map[string]any
	if err := json.Unmarshal(inTree, &sample); err != nil {
		t.Fatal(err)
	}

	ex.dir = filepath.Join(ex.dir, "sample")
	if out, ok := ex.run(tf, "get", "-no-color"); !ok {
		t.Fatalf("terraform get:\n%s", out)
	}
	compare := func(sample map[string]any) parity {
		t.Helper()
		raw, err := json.MarshalIndent(sample, "", "  ")
		if err != nil {
			t.Fatal(err)
		}
		ex.writeFile("../testdata/huaweicloud-sample.json", string(raw))
		if out, ok := ex.run(tf, "apply", "-input=false", "-auto-approve", "-no-color"); !ok {
			t.Fatalf("apply:\n%s", out)
		}
		out, ok := ex.run(tf, "output", "-json", "parity")
		if !ok {
			t.Fatalf("output:\n%s", out)
		}
		var p parity
		if err := json.Unmarshal([]byte(out[strings.Index(out, "{"):]), &p); err != nil {
			t.Fatalf("%v\n%s", err, out)
		}
		return p
	}

	var snakeOnly []string
	for _, e := range evs {
		if e.ResourceInfo != nil && e.ResourceInfo.EnforcementAction != nil {
			snakeOnly = append(snakeOnly, *e.EventID)
		}
	}
	slices.Sort(snakeOnly)
	got := compare(sample)
	slices.Sort(got.EnforcementActionOnlyNew)
	if !got.Match || len(got.Mismatches) != 0 || got.Events["old"] != len(evs) || got.Events["new"] != len(evs) {
		t.Fatalf("the same events: want a match of %d events, got %+v", len(evs), got)
	}
	if !slices.Equal(got.EnforcementActionOnlyNew, snakeOnly) {
		t.Errorf("enforcement_action_only_new %q, want the events sent with enforcement_action %q", got.EnforcementActionOnlyNew, snakeOnly)
	}

	reordered := clone(t, sample)
	list := reordered["data_list"].([]any)
	list[0], list[1] = list[1], list[0]
	got = compare(reordered)
	want := fmt.Sprintf("order: event 0 is %s in old, %s in new", *evs[1].EventID, *evs[0].EventID)
	if got.Match || !slices.Contains(got.Mismatches, want) || len(got.Mismatches) != 2 {
		t.Errorf("two events swapped: want a mismatch %q and the other position, got %+v", want, got)
	}

	changed := clone(t, sample)
	list = changed["data_list"].([]any)
	list[3].(map[string]any)["policy_name"] = "changed"
	list[5].(map[string]any)["resource_info"].([]any)[0].(map[string]any)["namespace"] = "elsewhere"
	got = compare(changed)
	wantFields := []string{
		fmt.Sprintf(`event %s: policy_name is "changed" in old, %q in new`, *evs[3].EventID, *evs[3].PolicyName),
		fmt.Sprintf(`event %s: resource_info.namespace is "elsewhere" in old, %q in new`, *evs[5].EventID, *evs[5].ResourceInfo.Namespace),
	}
	slices.Sort(got.Mismatches)
	slices.Sort(wantFields)
	if got.Match || !slices.Equal(got.Mismatches, wantFields) {
		t.Errorf("two fields changed: want mismatches %q, got %+v", wantFields, got)
	}
}

func clone(t *testing.T, v map[string]any) map[string]any {
	t.Helper()
	raw, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var out map[string]any
	if err := json.Unmarshal(raw, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

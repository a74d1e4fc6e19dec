package provider

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/clusterprotect/terraform-provider-clusterprotect/internal/hss"
	"github.com/clusterprotect/terraform-provider-clusterprotect/internal/hssfake"
)

func stringSet(values ...string) types.Set {
	elems := make([]attr.Value, len(values))
	for i, v := range values {
		elems[i] = types.StringValue(v)
	}
	return types.SetValueMust(types.StringType, elems)
}

func int64Set(values ...int64) types.Set {
	elems := make([]attr.Value, len(values))
	for i, v := range values {
		elems[i] = types.Int64Value(v)
	}
	return types.SetValueMust(types.Int64Type, elems)
}

// TestNarrowingKey_asReleased pins the key of the narrowing, and the id it
// goes into, as released: a state's id must not change with the provider's
// version, or every plan shows a diff.
func TestNarrowingKey_asReleased(t *testing.T) {
	filter := hss.Filter{ProjectID: testProject, EnterpriseProjectID: "0", ClusterID: "c-1"}
	for _, tc := range []struct {
		name    string
		model   eventsModel
		key, id string
	}{
		{name: "none", key: "handle_status=;max_results=0", id: "7943f2aaaf780adb"},
		{name: "max_results only", model: eventsModel{MaxResults: types.Int64Value(7)}, key: "handle_status=;max_results=7", id: "7ad4462cc039eaa4"},
		{name: "handle_status", model: eventsModel{HandleStatus: types.StringValue("handled")}, key: "handle_status=handled;max_results=0", id: "8a50566a77ba0119"},
		{
			name:  "actions lower-cased and sorted",
			model: eventsModel{Actions: stringSet("Warn", "deny", "DENY")},
			key:   "handle_status=;actions=deny,warn;max_results=0", id: "227122cac7ac87e5",
		},
		{
			name: "every argument",
			model: eventsModel{
				HandleStatus: types.StringValue("unhandled"), Actions: stringSet("deny"), EventTypes: int64Set(3005, 1001),
				CreatedAfter:  types.StringValue("2026-11-24T08:00:00.0001Z"),
				CreatedBefore: types.StringValue("2026-11-24T16:00:00+08:00"), MaxResults: types.Int64Value(10),
			},
			key: "handle_status=unhandled;actions=deny;event_types=1001,3005,;created_after=1795507200001;created_before=1795507200000;max_results=10",
			id:  "a7ae00db87c297c2",
		},
		{
			name:  "times only",
			model: eventsModel{CreatedBefore: types.StringValue("2026-11-24T16:00:00Z")},
			key:   "handle_status=;created_before=1795536000000;max_results=0", id: "41a79fc96bffbc05",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			n, diags := narrowingFrom(context.Background(), tc.model)
			if diags.HasError() {
				t.Fatal(diags)
			}
			if got := n.key(); got != tc.key {
				t.Errorf("key:\n got %s\nwant %s", got, tc.key)
			}
			if got := queryID(testRegion, filter, n.key()); got != tc.id {
				t.Errorf("id: got %s, want %s", got, tc.id)
			}
		})
	}
}

// TestNarrowing_keep: each filter keeps what its argument says, an event
// without the field is never kept by a filter on it, and only filters (not
// max_results) make the narrowing active.
func TestNarrowing_keep(t *testing.T) {
	s, i := hssfake.Ptr[string], hssfake.Ptr[int64]
	events := []hss.ClusterEvent{
		{EventID: s("a"), HandleStatus: s("handled"), Action: s("Deny"), EventType: i(1001), CreateTime: i(100)},
		{EventID: s("b"), HandleStatus: s("unhandled"), Action: s("warn"), EventType: i(3005), CreateTime: i(200)},
		{EventID: s("bare")},
	}
	for _, tc := range []struct {
		name  string
		model eventsModel
		kept  string
	}{
		{"none", eventsModel{MaxResults: types.Int64Value(1)}, "a,b,bare"},
		{"handle_status", eventsModel{HandleStatus: types.StringValue("unhandled")}, "b"},
		{"actions, case aside", eventsModel{Actions: stringSet("deny", "block")}, "a"},
		{"event_types", eventsModel{EventTypes: int64Set(3005, 2000)}, "b"},
		{"created_after, inclusive", eventsModel{CreatedAfter: types.StringValue("1970-01-01T00:00:00.2Z")}, "b"},
		{"created_before, exclusive", eventsModel{CreatedBefore: types.StringValue("1970-01-01T00:00:00.2Z")}, "a"},
		{"all of them", eventsModel{Actions: stringSet("warn", "deny"), CreatedAfter: types.StringValue("1970-01-01T00:00:00.1Z"), HandleStatus: types.StringValue("handled")}, "a"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			n, diags := narrowingFrom(context.Background(), tc.model)
			if diags.HasError() {
				t.Fatal(diags)
			}
			var kept []string
			for _, e := range n.filter(events) {
				kept = append(kept, *e.EventID)
			}
			if got := strings.Join(kept, ","); got != tc.kept {
				t.Errorf("kept %s, want %s", got, tc.kept)
			}
			if want := tc.name != "none"; n.active() != want {
				t.Errorf("active() = %v, want %v", n.active(), want)
			}
		})
	}
}

// TestNarrowingTypo_warnings: a likely typo in actions is a warning on
// actions, after the client's warnings.
func TestNarrowingTypo_warnings(t *testing.T) {
	n, diags := narrowingFrom(context.Background(), eventsModel{Actions: stringSet("dny", "allow"), HandleStatus: types.StringValue("handled")})
	if diags.HasError() {
		t.Fatal(diags)
	}
	result := &listResult[hss.ClusterEvent]{Warnings: []string{"cut at the cap"}, Items: []hss.ClusterEvent{{Action: hssfake.Ptr("deny")}, {Action: hssfake.Ptr("warn")}}}
	got := newListRead(&eventsList, &query{}, n, result).warnings
	want := []readWarning{
		{summary: "Cluster protection events may be incomplete", detail: "cut at the cap"},
		{attribute: "actions", summary: "No event matches actions", detail: `no event has action "dny"; did you mean "deny"? seen: deny (1), warn (1).`},
	}
	if !slices.Equal(got, want) {
		t.Errorf("warnings:\n got %v\nwant %v", got, want)
	}
}

package provider

import (
	"context"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/clusterprotect/terraform-provider-clusterprotect/internal/hss"
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
			if got := queryID(testRegion, filter, n); got != tc.id {
				t.Errorf("id: got %s, want %s", got, tc.id)
			}
		})
	}
}

package provider

import (
	"math/big"
	"time"

	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// The state is built as one tftypes.Value, the cheapest form the framework
// takes (resp.State.Raw): at 10,000 events its attr.Value layer costs more
// than the read itself. Every type below is taken from the schema's own
// type, so the schema stays the one description of the state.

func tfString(p *string) tftypes.Value {
	if p == nil {
		return tftypes.NewValue(tftypes.String, nil)
	}
	return tftypes.NewValue(tftypes.String, *p)
}

// tfInt64 keeps every int64 exact: big.Float.SetInt64 uses 64 bits of
// mantissa.
func tfInt64(p *int64) tftypes.Value {
	if p == nil {
		return tftypes.NewValue(tftypes.Number, nil)
	}
	return tftypes.NewValue(tftypes.Number, new(big.Float).SetInt64(*p))
}

func countsValue(typ tftypes.Type, m map[string]int64) tftypes.Value {
	out := make(map[string]tftypes.Value, len(m))
	for k, v := range m {
		out[k] = tftypes.NewValue(tftypes.Number, new(big.Float).SetInt64(v))
	}
	return tftypes.NewValue(typ, out)
}

func summaryValue(typ tftypes.Object, s summary) tftypes.Value {
	counts := func(name string, m map[string]int64) tftypes.Value { return countsValue(typ.AttributeTypes[name], m) }
	return tftypes.NewValue(typ, map[string]tftypes.Value{
		"total":            tfInt64(&s.total),
		"unhandled_deny":   tfInt64(&s.unhandledDeny),
		"by_action":        counts("by_action", s.byAction),
		"by_handle_status": counts("by_handle_status", s.byHandleStatus),
		"by_cluster_id":    counts("by_cluster_id", s.byClusterID),
		"by_cluster_name":  counts("by_cluster_name", s.byClusterName),
		"by_policy_name":   counts("by_policy_name", s.byPolicyName),
	})
}

// stateValue is the whole state of the data source after a read: the
// configuration's arguments as given, the resolved project and enterprise
// project, and the computed attributes.
func (r *eventsRead) stateValue(typ tftypes.Object) tftypes.Value {
	out := make(map[string]tftypes.Value, len(typ.AttributeTypes))
	for k, v := range r.config {
		out[k] = v
	}
	id := queryID(r.region, r.filter, r.narrow)
	var eps *string
	if r.filter.EnterpriseProjectID != "" {
		eps = &r.filter.EnterpriseProjectID
	}
	out["id"] = tfString(&id)
	out["region"] = tfString(nil) // no region: an explicit endpoint and project
	if r.region != "" {
		out["region"] = tfString(&r.region)
	}
	out["project_id"] = tfString(&r.filter.ProjectID)
	out["enterprise_project_id"] = tfString(eps)
	out["total_num"] = tfInt64(&r.result.TotalNum)
	out["last_update_time"] = tfInt64(r.result.LastUpdateTime)
	out["complete"] = tftypes.NewValue(tftypes.Bool, r.complete)
	readAt := r.readAt.UTC().Format(time.RFC3339Nano)
	out["read_at"] = tfString(&readAt)
	warnings := make([]tftypes.Value, len(r.warnings))
	for i, w := range r.warnings {
		warnings[i] = tftypes.NewValue(tftypes.String, w.String())
	}
	out["warnings"] = tftypes.NewValue(typ.AttributeTypes["warnings"], warnings)
	out["summary"] = summaryValue(typ.AttributeTypes["summary"].(tftypes.Object), r.summary)
	out["data_list"] = listValue(typ.AttributeTypes["data_list"].(tftypes.List), eventFields, r.events)
	return tftypes.NewValue(typ, out)
}

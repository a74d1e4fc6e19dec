package provider

import (
	"math/big"

	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/clusterprotect/terraform-provider-clusterprotect/internal/hss"
)

// Building data_list straight as a tftypes.Value skips the framework's
// attr.Value layer, which costs more than the read itself at 10,000 events
// (see BenchmarkStateMapping).
var (
	resourceInfoTfType = tftypes.Object{AttributeTypes: map[string]tftypes.Type{
		"enforcement_action": tftypes.String, "group": tftypes.String, "message": tftypes.String,
		"name": tftypes.String, "namespace": tftypes.String, "version": tftypes.String,
		"kind": tftypes.String, "resource_name": tftypes.String,
	}}
	eventTfType = tftypes.Object{AttributeTypes: map[string]tftypes.Type{
		"action": tftypes.String, "cluster_name": tftypes.String, "cluster_id": tftypes.String,
		"event_name": tftypes.String, "event_class_id": tftypes.String, "event_id": tftypes.String,
		"event_type": tftypes.Number, "event_content": tftypes.String, "handle_status": tftypes.String,
		"create_time": tftypes.Number, "update_time": tftypes.Number, "project_id": tftypes.String,
		"enterprise_project_id": tftypes.String, "policy_name": tftypes.String, "policy_id": tftypes.String,
		"resource_info": resourceInfoTfType,
	}}
	eventsTfType = tftypes.List{ElementType: eventTfType}
)

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

// eventsTerraformValue is data_list as a Terraform value.
func eventsTerraformValue(events []hss.ClusterEvent) tftypes.Value {
	elems := make([]tftypes.Value, len(events))
	for i, e := range events {
		info := tftypes.NewValue(resourceInfoTfType, nil)
		if r := e.ResourceInfo; r != nil {
			info = tftypes.NewValue(resourceInfoTfType, map[string]tftypes.Value{
				"enforcement_action": tfString(r.EnforcementAction),
				"group":              tfString(r.Group),
				"message":            tfString(r.Message),
				"name":               tfString(r.Name),
				"namespace":          tfString(r.Namespace),
				"version":            tfString(r.Version),
				"kind":               tfString(r.Kind),
				"resource_name":      tfString(r.ResourceName),
			})
		}
		elems[i] = tftypes.NewValue(eventTfType, map[string]tftypes.Value{
			"action":                tfString(e.Action),
			"cluster_name":          tfString(e.ClusterName),
			"cluster_id":            tfString(e.ClusterID),
			"event_name":            tfString(e.EventName),
			"event_class_id":        tfString(e.EventClassID),
			"event_id":              tfString(e.EventID),
			"event_type":            tfInt64(e.EventType),
			"event_content":         tfString(e.EventContent),
			"handle_status":         tfString(e.HandleStatus),
			"create_time":           tfInt64(e.CreateTime),
			"update_time":           tfInt64(e.UpdateTime),
			"project_id":            tfString(e.ProjectID),
			"enterprise_project_id": tfString(e.EnterpriseProjectID),
			"policy_name":           tfString(e.PolicyName),
			"policy_id":             tfString(e.PolicyID),
			"resource_info":         info,
		})
	}
	return tftypes.NewValue(eventsTfType, elems)
}

var (
	countsTfType  = tftypes.Map{ElementType: tftypes.Number}
	summaryTfType = tftypes.Object{AttributeTypes: map[string]tftypes.Type{
		"total": tftypes.Number, "by_action": countsTfType, "by_handle_status": countsTfType,
		"by_cluster_id": countsTfType, "by_policy_name": countsTfType,
	}}
)

func tfCounts(m map[string]int64) tftypes.Value {
	out := make(map[string]tftypes.Value, len(m))
	for k, v := range m {
		out[k] = tftypes.NewValue(tftypes.Number, new(big.Float).SetInt64(v))
	}
	return tftypes.NewValue(countsTfType, out)
}

func summaryValue(s summary) tftypes.Value {
	return tftypes.NewValue(summaryTfType, map[string]tftypes.Value{
		"total":            tfInt64(&s.total),
		"by_action":        tfCounts(s.byAction),
		"by_handle_status": tfCounts(s.byHandleStatus),
		"by_cluster_id":    tfCounts(s.byClusterID),
		"by_policy_name":   tfCounts(s.byPolicyName),
	})
}

// attributes are the state's attributes after a read but data_list: the
// configuration's arguments as given, the resolved project and enterprise
// project, and the computed attributes.
func (r *eventsRead) attributes() map[string]tftypes.Value {
	out := make(map[string]tftypes.Value, len(r.config))
	for k, v := range r.config {
		if k != "data_list" {
			out[k] = v
		}
	}
	id := queryID(r.filter, r.narrow)
	var eps *string
	if r.filter.EnterpriseProjectID != "" {
		eps = &r.filter.EnterpriseProjectID
	}
	out["id"] = tfString(&id)
	out["project_id"] = tfString(&r.filter.ProjectID)
	out["enterprise_project_id"] = tfString(eps)
	out["total_num"] = tfInt64(&r.result.TotalNum)
	out["last_update_time"] = tfInt64(r.result.LastUpdateTime)
	out["summary"] = summaryValue(summarize(r.events))
	return out
}

// stateValue is the whole state of the data source after a read.
func (r *eventsRead) stateValue(typ tftypes.Type) tftypes.Value {
	out := r.attributes()
	out["data_list"] = eventsTerraformValue(r.events)
	return tftypes.NewValue(typ, out)
}

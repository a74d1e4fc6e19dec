package provider

import (
	"github.com/clusterprotect/terraform-provider-clusterprotect/internal/hss"
)

// eventFields are the attributes of each event in data_list: the schema's
// object type, its description of each attribute and the state mapping
// all range over this table, so an attribute is one row, and a row's
// schema type and its value cannot disagree (both come from the same
// constructor).
var eventFields = []field[hss.ClusterEvent]{
	stringField("action", "Blocking action taken, such as `warn` or `deny` (1 to 32 characters).", func(e *hss.ClusterEvent) *string { return e.Action }),
	stringField("cluster_name", "Name of the cluster (1 to 64 characters).", func(e *hss.ClusterEvent) *string { return e.ClusterName }),
	stringField("cluster_id", "ID of the cluster (1 to 256 characters).", func(e *hss.ClusterEvent) *string { return e.ClusterID }),
	stringField("event_name", "Name of the event (1 to 128 characters).", func(e *hss.ClusterEvent) *string { return e.EventName }),
	stringField("event_class_id", "Unique ID of the event class, such as `clusterprotect_1001` (1 to 128 characters).", func(e *hss.ClusterEvent) *string { return e.EventClassID }),
	stringField("event_id", "ID of the event (1 to 128 characters).", func(e *hss.ClusterEvent) *string { return e.EventID }),
	int64Field("event_type", "Type of the event, 1,000 to 30,000.", func(e *hss.ClusterEvent) *int64 { return e.EventType }),
	stringField("event_content", "Content of the event: a JSON document as a string, with the resource and the enforcement action.", func(e *hss.ClusterEvent) *string { return e.EventContent }),
	stringField("handle_status", "Handling status: `unhandled` or `handled`.", func(e *hss.ClusterEvent) *string { return e.HandleStatus }),
	int64Field("create_time", "Creation time, in milliseconds since the Unix epoch."+exactInt64, func(e *hss.ClusterEvent) *int64 { return e.CreateTime }),
	int64Field("update_time", "Update time, in milliseconds since the Unix epoch."+exactInt64, func(e *hss.ClusterEvent) *int64 { return e.UpdateTime }),
	stringField("project_id", "Project the event belongs to (1 to 128 characters).", func(e *hss.ClusterEvent) *string { return e.ProjectID }),
	stringField("enterprise_project_id", "Enterprise project the event belongs to (1 to 256 characters).", func(e *hss.ClusterEvent) *string { return e.EnterpriseProjectID }),
	stringField("policy_name", "Name of the policy that raised the event (1 to 128 characters).", func(e *hss.ClusterEvent) *string { return e.PolicyName }),
	stringField("policy_id", "ID of the policy that raised the event (1 to 128 characters).", func(e *hss.ClusterEvent) *string { return e.PolicyID }),
	objectField("resource_info", "The Kubernetes resource the event is about; null when the API leaves it out.",
		func(e *hss.ClusterEvent) *hss.ResourceInfo { return e.ResourceInfo }, resourceInfoFields),
}

// resourceInfoFields are the attributes of an event's resource_info.
var resourceInfoFields = []field[hss.ResourceInfo]{
	stringField("enforcement_action", "Action the policy enforced on the resource, such as `warn` or `deny` (1 to 256 characters). Read from `enforcement_action`, or from `enforcementAction` when only that spelling is sent.", func(r *hss.ResourceInfo) *string { return r.EnforcementAction }),
	stringField("group", "API group of the resource; often empty for core resources (up to 256 characters).", func(r *hss.ResourceInfo) *string { return r.Group }),
	stringField("message", "Message of the policy about the resource (1 to 256 characters).", func(r *hss.ResourceInfo) *string { return r.Message }),
	stringField("name", "Name of the resource (1 to 256 characters).", func(r *hss.ResourceInfo) *string { return r.Name }),
	stringField("namespace", "Namespace of the resource; empty for cluster-scoped resources (0 to 256 characters).", func(r *hss.ResourceInfo) *string { return r.Namespace }),
	stringField("version", "API version of the resource (0 to 128 characters).", func(r *hss.ResourceInfo) *string { return r.Version }),
	stringField("kind", "Kind of the resource, such as `Pod` (1 to 64 characters).", func(r *hss.ResourceInfo) *string { return r.Kind }),
	stringField("resource_name", "Resource name (1 to 256 characters).", func(r *hss.ResourceInfo) *string { return r.ResourceName }),
}

// exactInt64 ends the description of every attribute that holds a 64-bit
// integer that Terraform must not round.
const exactInt64 = " A 64-bit integer, kept exact."

package provider

import (
	"fmt"
	"math/big"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

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

// field is one computed attribute of an object of the state whose value
// is read from a T: its name, description and type, and its value in the
// type the schema gives it. A table of fields is a list attribute of
// objects (listAttribute) and its state (listValue).
type field[T any] struct {
	name string
	desc string
	typ  attr.Type
	// fields lists an object's own fields in Markdown; nil for other types.
	fields func(indent string) string
	value  func(tftypes.Type, *T) tftypes.Value
}

func stringField[T any](name, desc string, get func(*T) *string) field[T] {
	return field[T]{name: name, desc: desc, typ: types.StringType, value: func(typ tftypes.Type, v *T) tftypes.Value {
		if p := get(v); p != nil {
			return tftypes.NewValue(typ, *p)
		}
		return tftypes.NewValue(typ, nil)
	}}
}

func int64Field[T any](name, desc string, get func(*T) *int64) field[T] {
	return field[T]{name: name, desc: desc, typ: types.Int64Type, value: func(typ tftypes.Type, v *T) tftypes.Value {
		if p := get(v); p != nil {
			return tftypes.NewValue(typ, new(big.Float).SetInt64(*p))
		}
		return tftypes.NewValue(typ, nil)
	}}
}

// objectField is a nested object, null where get returns nil.
func objectField[T, U any](name, desc string, get func(*T) *U, fields []field[U]) field[T] {
	return field[T]{
		name: name, desc: desc, typ: objectType(fields),
		fields: func(indent string) string { return fieldsMarkdown(fields, indent) },
		value: func(typ tftypes.Type, v *T) tftypes.Value {
			return objectValue(typ.(tftypes.Object), fields, get(v))
		},
	}
}

// listAttribute is a computed list of objects of fields. It is a list
// attribute of an object type, not a list nested attribute: terraform test
// cannot override a list nested attribute (hashicorp/terraform#38369), so
// a gate over the list could not be tested with planted items. An object
// type carries no descriptions, so the fields' are listed in the list's.
func listAttribute[T any](desc string, fields []field[T]) schema.ListAttribute {
	return schema.ListAttribute{
		Computed:    true,
		ElementType: objectType(fields),
		MarkdownDescription: desc + " Each element is an object of these attributes:\n\n" + fieldsMarkdown(fields, "  ") +
			"\n  A list of objects rather than of nested attributes, so that `override_data` and `mock_data` in `terraform test` can set it; its nested schema repeats the attributes' names and types.",
	}
}

// objectType is the type of an object of fields.
func objectType[T any](fields []field[T]) types.ObjectType {
	attrTypes := make(map[string]attr.Type, len(fields))
	for _, f := range fields {
		attrTypes[f.name] = f.typ
	}
	return types.ObjectType{AttrTypes: attrTypes}
}

// fieldsMarkdown is a Markdown list of fields, by name as the generated
// docs order attributes, each line as the docs write one: name, (type),
// description; an object's fields are listed under it.
func fieldsMarkdown[T any](fields []field[T], indent string) string {
	sorted := slices.SortedFunc(slices.Values(fields), func(a, b field[T]) int { return strings.Compare(a.name, b.name) })
	var b strings.Builder
	for _, f := range sorted {
		fmt.Fprintf(&b, "%s- `%s` (%s) %s\n", indent, f.name, typeName(f.typ), f.desc)
		if f.fields != nil {
			b.WriteString(f.fields(indent + "  "))
		}
	}
	return b.String()
}

// typeName is a field's type as the generated docs name it.
func typeName(t attr.Type) string {
	switch t.(type) {
	case basetypes.StringType:
		return "String"
	case basetypes.Int64Type:
		return "Number"
	case basetypes.ObjectType:
		return "Object"
	}
	panic(fmt.Sprintf("no docs name for the type %T of a field", t))
}

// listValue is items as a list of objects of fields, of typ as the schema
// gives it.
func listValue[T any](typ tftypes.List, fields []field[T], items []T) tftypes.Value {
	elemType := typ.ElementType.(tftypes.Object)
	elems := make([]tftypes.Value, len(items))
	for i := range items {
		elems[i] = objectValue(elemType, fields, &items[i])
	}
	return tftypes.NewValue(typ, elems)
}

// objectValue is v as an object of fields, of typ as the schema gives it;
// null when v is nil.
func objectValue[T any](typ tftypes.Object, fields []field[T], v *T) tftypes.Value {
	if v == nil {
		return tftypes.NewValue(typ, nil)
	}
	out := make(map[string]tftypes.Value, len(fields))
	for _, f := range fields {
		out[f.name] = f.value(typ.AttributeTypes[f.name], v)
	}
	return tftypes.NewValue(typ, out)
}

package provider

// The two slower ways of building data_list, kept for BenchmarkStateMapping.

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/clusterprotect/terraform-provider-clusterprotect/internal/hss"
)

var (
	eventObjectType       = dataListElemType()
	eventAttrTypes        = eventObjectType.AttrTypes
	resourceInfoAttrTypes = eventAttrTypes["resource_info"].(types.ObjectType).AttrTypes
)

func dataListElemType() types.ObjectType {
	return dataListElemTypeList().ElemType.(types.ObjectType)
}

func dataListElemTypeList() types.ListType {
	var resp datasource.SchemaResponse
	NewEventsDataSource().Schema(context.Background(), datasource.SchemaRequest{}, &resp)
	return resp.Schema.Attributes["data_list"].GetType().(types.ListType)
}

// eventsTypesList builds data_list as a types.List without the framework's
// reflection.
func eventsTypesList(events []hss.ClusterEvent) types.List {
	elems := make([]attr.Value, len(events))
	for i, e := range events {
		info := types.ObjectNull(resourceInfoAttrTypes)
		if r := e.ResourceInfo; r != nil {
			info = types.ObjectValueMust(resourceInfoAttrTypes, map[string]attr.Value{
				"enforcement_action": types.StringPointerValue(r.EnforcementAction),
				"group":              types.StringPointerValue(r.Group),
				"message":            types.StringPointerValue(r.Message),
				"name":               types.StringPointerValue(r.Name),
				"namespace":          types.StringPointerValue(r.Namespace),
				"version":            types.StringPointerValue(r.Version),
				"kind":               types.StringPointerValue(r.Kind),
				"resource_name":      types.StringPointerValue(r.ResourceName),
			})
		}
		elems[i] = types.ObjectValueMust(eventAttrTypes, map[string]attr.Value{
			"action":                types.StringPointerValue(e.Action),
			"cluster_name":          types.StringPointerValue(e.ClusterName),
			"cluster_id":            types.StringPointerValue(e.ClusterID),
			"event_name":            types.StringPointerValue(e.EventName),
			"event_class_id":        types.StringPointerValue(e.EventClassID),
			"event_id":              types.StringPointerValue(e.EventID),
			"event_type":            types.Int64PointerValue(e.EventType),
			"event_content":         types.StringPointerValue(e.EventContent),
			"handle_status":         types.StringPointerValue(e.HandleStatus),
			"create_time":           types.Int64PointerValue(e.CreateTime),
			"update_time":           types.Int64PointerValue(e.UpdateTime),
			"project_id":            types.StringPointerValue(e.ProjectID),
			"enterprise_project_id": types.StringPointerValue(e.EnterpriseProjectID),
			"policy_name":           types.StringPointerValue(e.PolicyName),
			"policy_id":             types.StringPointerValue(e.PolicyID),
			"resource_info":         info,
		})
	}
	return types.ListValueMust(eventObjectType, elems)
}

type eventModel struct {
	Action              types.String       `tfsdk:"action"`
	ClusterName         types.String       `tfsdk:"cluster_name"`
	ClusterID           types.String       `tfsdk:"cluster_id"`
	EventName           types.String       `tfsdk:"event_name"`
	EventClassID        types.String       `tfsdk:"event_class_id"`
	EventID             types.String       `tfsdk:"event_id"`
	EventType           types.Int64        `tfsdk:"event_type"`
	EventContent        types.String       `tfsdk:"event_content"`
	HandleStatus        types.String       `tfsdk:"handle_status"`
	CreateTime          types.Int64        `tfsdk:"create_time"`
	UpdateTime          types.Int64        `tfsdk:"update_time"`
	ProjectID           types.String       `tfsdk:"project_id"`
	EnterpriseProjectID types.String       `tfsdk:"enterprise_project_id"`
	PolicyName          types.String       `tfsdk:"policy_name"`
	PolicyID            types.String       `tfsdk:"policy_id"`
	ResourceInfo        *resourceInfoModel `tfsdk:"resource_info"`
}

type resourceInfoModel struct {
	EnforcementAction types.String `tfsdk:"enforcement_action"`
	Group             types.String `tfsdk:"group"`
	Message           types.String `tfsdk:"message"`
	Name              types.String `tfsdk:"name"`
	Namespace         types.String `tfsdk:"namespace"`
	Version           types.String `tfsdk:"version"`
	Kind              types.String `tfsdk:"kind"`
	ResourceName      types.String `tfsdk:"resource_name"`
}

func eventModels(events []hss.ClusterEvent) []eventModel {
	out := make([]eventModel, len(events))
	for i, e := range events {
		out[i] = eventModel{
			Action:              types.StringPointerValue(e.Action),
			ClusterName:         types.StringPointerValue(e.ClusterName),
			ClusterID:           types.StringPointerValue(e.ClusterID),
			EventName:           types.StringPointerValue(e.EventName),
			EventClassID:        types.StringPointerValue(e.EventClassID),
			EventID:             types.StringPointerValue(e.EventID),
			EventType:           types.Int64PointerValue(e.EventType),
			EventContent:        types.StringPointerValue(e.EventContent),
			HandleStatus:        types.StringPointerValue(e.HandleStatus),
			CreateTime:          types.Int64PointerValue(e.CreateTime),
			UpdateTime:          types.Int64PointerValue(e.UpdateTime),
			ProjectID:           types.StringPointerValue(e.ProjectID),
			EnterpriseProjectID: types.StringPointerValue(e.EnterpriseProjectID),
			PolicyName:          types.StringPointerValue(e.PolicyName),
			PolicyID:            types.StringPointerValue(e.PolicyID),
		}
		if r := e.ResourceInfo; r != nil {
			out[i].ResourceInfo = &resourceInfoModel{
				EnforcementAction: types.StringPointerValue(r.EnforcementAction),
				Group:             types.StringPointerValue(r.Group),
				Message:           types.StringPointerValue(r.Message),
				Name:              types.StringPointerValue(r.Name),
				Namespace:         types.StringPointerValue(r.Namespace),
				Version:           types.StringPointerValue(r.Version),
				Kind:              types.StringPointerValue(r.Kind),
				ResourceName:      types.StringPointerValue(r.ResourceName),
			}
		}
	}
	return out
}

package provider

import (
	"context"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"

	"github.com/clusterprotect/terraform-provider-clusterprotect/internal/hss"
)

var objectAsOptions = basetypes.ObjectAsOptions{}

// NewEventsDataSource is the clusterprotect_events data source.
func NewEventsDataSource() datasource.DataSource {
	return &listDataSource[hss.ClusterEvent]{spec: &eventsList}
}

// eventsModel is the configuration of clusterprotect_events: the
// attributes of every list, and its own.
type eventsModel struct {
	listModel
	ClusterID      types.String `tfsdk:"cluster_id"`
	HandleStatus   types.String `tfsdk:"handle_status"`
	Actions        types.Set    `tfsdk:"actions"`
	EventTypes     types.Set    `tfsdk:"event_types"`
	CreatedAfter   types.String `tfsdk:"created_after"`
	CreatedBefore  types.String `tfsdk:"created_before"`
	MaxResults     types.Int64  `tfsdk:"max_results"`
	LastUpdateTime types.Int64  `tfsdk:"last_update_time"`
}

// eventsNarrowing reads the events' own arguments: cluster_id, which the
// API filters by, and the narrowing the provider applies.
func eventsNarrowing(ctx context.Context, config tfsdk.Config) (string, narrower[hss.ClusterEvent], diag.Diagnostics) {
	var m eventsModel
	diags := config.Get(ctx, &m)
	if diags.HasError() {
		return "", nil, diags
	}
	n, more := narrowingFrom(ctx, m)
	diags.Append(more...)
	return m.ClusterID.ValueString(), n, diags
}

// readEvents reads every event of the query: past the API's cap without
// cluster_id, cluster by cluster (hss.ReadEvents).
func readEvents(ctx context.Context, c *hss.Client, f hss.Filter) (*listResult[hss.ClusterEvent], error) {
	res, err := c.ReadEvents(ctx, f)
	if err != nil {
		return nil, err
	}
	return &listResult[hss.ClusterEvent]{Items: res.Events, TotalNum: res.TotalNum, LastUpdateTime: res.LastUpdateTime,
		Requests: res.Requests, Consistent: res.Consistent, Complete: res.Complete, Warnings: res.Warnings}, nil
}

// epochMillis is the first whole millisecond at or after t, for comparing
// with the API's create_time; nil when t is null.
func epochMillis(t types.String, diags *diag.Diagnostics) *int64 {
	if t.IsNull() || t.IsUnknown() {
		return nil
	}
	v, err := parseTime(t.ValueString())
	if err != nil { // the schema's validator refused it already
		diags.AddError("Invalid time", err.Error())
		return nil
	}
	ms := v.UnixMilli()
	if v.After(time.UnixMilli(ms)) {
		ms++
	}
	return &ms
}

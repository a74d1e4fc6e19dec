package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/clusterprotect/terraform-provider-clusterprotect/internal/hss"
)

// The schema of clusterprotect_events: its arguments and computed
// attributes; the attributes of each event are the rows of eventFields.

func (d *eventsDataSource) Schema(ctx context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	idLength := []validator.String{stringvalidator.LengthBetween(1, hss.MaxIDLength)}
	resp.Schema = schema.Schema{
		Blocks: map[string]schema.Block{"timeouts": timeouts.Block(ctx)},
		MarkdownDescription: "Alarm events of HSS container-cluster protection in every cluster of a project " +
			"(`GET /v5/{project_id}/cluster-protect/events`). Every page is read on every refresh, so the list is " +
			"current: a read costs about one request per 200 events the API reports (at least one; 53 at its 10,000 cap, as pages overlap to line up a list that moves), whatever the narrowing and `max_results`. " +
			"The API itself returns at most the newest 10,000 events of a query; `complete` and `warnings` say when a read may lack events.",
		Attributes: map[string]schema.Attribute{
			"id": computedString("Identifier derived from the query arguments and the region: the same query always has the same `id`."),
			"region": schema.StringAttribute{
				Optional: true, Computed: true, Validators: []validator.String{regionName, knownRegion},
				MarkdownDescription: "Region to read, such as `ap-southeast-1`. Defaults to the provider's `region`. The HSS endpoint is `https://hss.{region}.{cloud}` unless the provider sets `endpoints.hss` (where `{region}` stands for this region), and the project is that region's unless `project_id` is set." + regionNote,
			},
			"project_id": schema.StringAttribute{
				Optional: true, Computed: true, Validators: idLength,
				MarkdownDescription: "Project whose events are read, 1 to 256 characters. Defaults to the provider's `project_id` when `region` is the provider's, else to the region's project, found through IAM.",
			},
			"enterprise_project_id": schema.StringAttribute{
				Optional: true, Computed: true, Validators: []validator.String{enterpriseProject},
				MarkdownDescription: "Enterprise project to read: `0` (the default enterprise project) or its ID, a hyphenated UUID such as `2b6d6a3c-8f3e-4a39-9c1e-5d0f4e7a1b23` (hex digits in either case); `all_granted_eps` reads every enterprise project the credentials may see. " +
					"Any other value is refused before a request is sent, with the value it likely means for a near miss (`all-granted-eps`, `O`): the API would answer an empty list for it. Defaults to the provider's `enterprise_project_id`; when neither is set the API's default enterprise project `0` applies. Only meaningful once the enterprise project function is enabled.",
			},
			"cluster_id": schema.StringAttribute{
				Optional: true, Validators: idLength,
				MarkdownDescription: "Read only the events of this cluster, 1 to 256 characters. Unset reads all clusters.",
			},
			"handle_status": schema.StringAttribute{
				Optional: true, Validators: []validator.String{stringvalidator.OneOf("unhandled", "handled")},
				MarkdownDescription: "Keep only events with this handling status: `unhandled` or `handled`." + narrowNote,
			},
			"actions": schema.SetAttribute{
				Optional: true, ElementType: types.StringType,
				Validators: []validator.Set{
					setvalidator.SizeAtLeast(1),
					setvalidator.ValueStringsAre(stringvalidator.LengthBetween(1, 32)),
				},
				MarkdownDescription: "Keep only events whose blocking `action` is one of these, such as `[\"deny\"]`, compared without regard to case; each 1 to 32 characters. " +
					"A value that no event has but that is within two edits of one that some event has is likely a typo: the read warns and names the values seen." + narrowNote,
			},
			"event_types": schema.SetAttribute{
				Optional: true, ElementType: types.Int64Type,
				Validators: []validator.Set{
					setvalidator.SizeAtLeast(1),
					setvalidator.ValueInt64sAre(int64validator.Between(1000, 30000)),
				},
				MarkdownDescription: "Keep only events whose `event_type` is one of these, each 1,000 to 30,000." + narrowNote,
			},
			"created_after": schema.StringAttribute{
				Optional: true, Validators: []validator.String{rfc3339Time},
				MarkdownDescription: "Keep only events created at or after this time, an RFC 3339 timestamp: a date, `T`, a time and a zone, such as `2026-11-24T08:00:00Z` or `2026-11-24T16:00:00+08:00` (`t` and `z` may be lower case, as RFC 3339 allows). " +
					"For the last 24 hours write `timeadd(plantimestamp(), \"-24h\")`: `plantimestamp()` is known at plan time, `timestamp()` is not. " +
					"There is no relative argument (such as a duration before the read) on purpose: the window would move with each read while the configuration, " +
					"the `id` and the plan JSON stayed the same, so a policy could not tell which window was read; `plantimestamp()` puts the instant in the plan. " +
					"Event times are whole milliseconds; a timestamp inside a millisecond keeps events from the next one." + narrowNote,
			},
			"created_before": schema.StringAttribute{
				Optional: true, Validators: []validator.String{rfc3339Time},
				MarkdownDescription: "Keep only events created before this time, an RFC 3339 timestamp as in `created_after`; must be later than `created_after`." + narrowNote,
			},
			"max_results": schema.Int64Attribute{
				Optional: true, Validators: []validator.Int64{int64validator.Between(1, hss.MaxTotalNum)},
				MarkdownDescription: "Keep only the newest N events in `data_list`, 1 to 10,000, after the other narrowing. It shrinks the state and the plan, not the read: every page is still read, so that `summary` counts every matching event.",
			},
			"strict": schema.BoolAttribute{
				Optional: true,
				MarkdownDescription: "When `true`, each warning of the read (each entry `warnings` would hold: a read cut at the API's 10,000 cap, a read that stayed inconsistent, a likely typo in `actions`) is an error instead, so the plan itself stops. " +
					"Defaults to `false`: the read passes, and `complete` and `warnings` say what it could not know. Inside a `check` block Terraform turns the error back into a warning.",
			},
			"complete": schema.BoolAttribute{
				Computed: true,
				MarkdownDescription: "Whether the read saw every event of the query: `false` when the API reported its maximum `total_num` of 10,000 (older events may be left out) " +
					"or when the events changed under every attempt to read a consistent snapshot. A gate should fail when it is `false`.",
			},
			"read_at": computedString("When this read began, an RFC 3339 timestamp in UTC (nanoseconds), set by every read: the events are the list as it stood at or after this instant. " +
				"A read that happened in a plan is never older than the plan's `timestamp` in its plan JSON; an older `read_at` is state from an earlier run, such as a plan with `-target` of something else, which reads no data source. The bundled OPA policy denies such a plan."),
			"warnings": schema.ListAttribute{
				Computed: true, ElementType: types.StringType,
				MarkdownDescription: "The warnings of the read, as the plan shows them (summary, then detail): incompleteness, and a value of `actions` that matches no event but is within two edits of one seen (a likely typo). " +
					"An empty list when there are none, so a policy can fail on `length(warnings) > 0`.",
			},
			"total_num":        computedInt64("Total number of events the API reports for the query, 0 to 10,000. Narrowing does not change it: it counts what the API holds, not what `data_list` keeps."),
			"last_update_time": computedInt64("Latest update time the API reports, in milliseconds since the Unix epoch; null when the API leaves it out." + exactInt64),
			"data_list":        listAttribute("The events, in the API's order (newest first). An empty list when there are none. A field the API leaves out is null; an empty string stays empty.", eventFields),
			"summary": schema.SingleNestedAttribute{
				Computed: true,
				MarkdownDescription: "Counts over every event that matches the narrowing, before `max_results` cuts `data_list`: " +
					"`summary.total` is how many matched, `length(data_list)` how many are shown. Small enough to print in a plan or test in a `check` block, " +
					"such as `lookup(summary.by_action, \"deny\", 0)`. A key is missing where no event has that value; events without the field are not counted in that map. " +
					"The maps are never null, whatever `max_results` says.",
				Attributes: map[string]schema.Attribute{
					"total":            computedInt64("Number of events that match the narrowing, before `max_results`."),
					"unhandled_deny":   computedInt64(unhandledDenyDesc),
					"by_action":        schema.MapAttribute{Computed: true, ElementType: types.Int64Type, MarkdownDescription: "Events by blocking `action`."},
					"by_handle_status": schema.MapAttribute{Computed: true, ElementType: types.Int64Type, MarkdownDescription: "Events by `handle_status`."},
					"by_cluster_id":    schema.MapAttribute{Computed: true, ElementType: types.Int64Type, MarkdownDescription: "Events by `cluster_id`."},
					"by_cluster_name":  schema.MapAttribute{Computed: true, ElementType: types.Int64Type, MarkdownDescription: "Events by `cluster_name`."},
					"by_policy_name":   schema.MapAttribute{Computed: true, ElementType: types.Int64Type, MarkdownDescription: "Events by `policy_name`."},
				},
			},
		},
	}
}

const narrowNote = " Applied by the provider after every page is read."

func (d *eventsDataSource) ValidateConfig(ctx context.Context, req datasource.ValidateConfigRequest, resp *datasource.ValidateConfigResponse) {
	var after, before types.String
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("created_after"), &after)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("created_before"), &before)...)
	if after.IsNull() || after.IsUnknown() || before.IsNull() || before.IsUnknown() {
		return
	}
	a, errA := parseTime(after.ValueString())
	b, errB := parseTime(before.ValueString())
	if errA != nil || errB != nil {
		return // the attributes' validator says why
	}
	if !b.After(a) {
		resp.Diagnostics.AddAttributeError(path.Root("created_before"), "Empty time window",
			fmt.Sprintf("created_before (%s) must be later than created_after (%s): events are kept when created_after <= create_time < created_before.", before.ValueString(), after.ValueString()))
	}
}

func computedString(desc string) schema.StringAttribute {
	return schema.StringAttribute{Computed: true, MarkdownDescription: desc}
}

func computedInt64(desc string) schema.Int64Attribute {
	return schema.Int64Attribute{Computed: true, MarkdownDescription: desc}
}

package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/clusterprotect/terraform-provider-clusterprotect/internal/hss"
)

// clusterprotect_events: the list data source of alarm events. Its
// attributes of each event are the rows of eventFields, its summary the
// rows of eventTallies; its own arguments narrow what it keeps.
var eventsList = listSpec[hss.ClusterEvent]{
	name: "events", noun: "events", singular: "event",
	words: readWords{
		title: "cluster protection events", step: "reading events",
		params:   []string{"project_id", "enterprise_project_id", "cluster_id"},
		narrowBy: "cluster_id or enterprise_project_id",
	},
	description: "Alarm events of HSS container-cluster protection in every cluster of a project " +
		"(`GET /v5/{project_id}/cluster-protect/events`). Every page is read on every refresh, so the list is " +
		"current: a read costs about one request per 200 events the API reports (at least one; 53 at its 10,000 cap, as pages overlap to line up a list that moves), whatever the narrowing and `max_results`. " +
		"The API itself returns at most the newest 10,000 events of a query, so a read without `cluster_id` that finds 10,000 reads each cluster on its own " +
		"(the clusters HSS lists, and any cluster with events among the newest 10,000 that the list lacks): about one request per 190 events plus two per cluster. " +
		"`complete` and `warnings` say when a read may lack events.",
	totalNumDesc: "Total number of events the API reports for the query, 0 to 10,000; read cluster by cluster past that cap, the sum of the clusters' own. " +
		"Narrowing does not change it: it counts what the API holds, not what `data_list` keeps.",
	dataListDesc: "The events, in the API's order (newest first); read cluster by cluster past the API's cap, newest first by `create_time`, then by `event_id`. " +
		"An empty list when there are none. A field the API leaves out is null; an empty string stays empty.",
	completeNote: " Read cluster by cluster past the cap, `true` means every cluster's read is complete and below the cap: every event of every cluster HSS lists " +
		"and of every cluster with an event among the newest 10,000; a cluster whose events alone reach 10,000 is named in `warnings`.",
	summaryDesc: "Counts over every event that matches the narrowing, before `max_results` cuts `data_list`: " +
		"`summary.total` is how many matched, `length(data_list)` how many are shown. Small enough to print in a plan or test in a `check` block, " +
		"such as `lookup(summary.by_action, \"deny\", 0)`. A key is missing where no event has that value; events without the field are not counted in that map. " +
		"The maps are never null, whatever `max_results` says.",
	summaryTotalDesc: "Number of events that match the narrowing, before `max_results`.",
	warningKinds:     ", a likely typo in `actions`: a value that matches no event but is within two edits of one seen",
	attributes:       eventsAttributes(),
	fields:           eventFields,
	tallies:          eventTallies,
	read:             readEvents,
	narrowing:        eventsNarrowing,
	validate:         validateEvents,
	state: func(out map[string]tftypes.Value, res *listResult[hss.ClusterEvent]) {
		out["last_update_time"] = tfInt64(res.LastUpdateTime)
	},
}

// eventTallies are the counts of summary besides total.
var eventTallies = []tally[hss.ClusterEvent]{
	countTally("unhandled_deny", unhandledDenyDesc, mayBeUnhandledDeny),
	mapTally("by_action", "Events by blocking `action`.", func(e *hss.ClusterEvent) *string { return e.Action }),
	mapTally("by_handle_status", "Events by `handle_status`.", func(e *hss.ClusterEvent) *string { return e.HandleStatus }),
	mapTally("by_cluster_id", "Events by `cluster_id`.", func(e *hss.ClusterEvent) *string { return e.ClusterID }),
	mapTally("by_cluster_name", "Events by `cluster_name`.", func(e *hss.ClusterEvent) *string { return e.ClusterName }),
	mapTally("by_policy_name", "Events by `policy_name`.", func(e *hss.ClusterEvent) *string { return e.PolicyName }),
}

// eventsAttributes are the events' own arguments, which narrow the read,
// and last_update_time.
func eventsAttributes() map[string]schema.Attribute {
	idLength := []validator.String{stringvalidator.LengthBetween(1, hss.MaxIDLength)}
	return map[string]schema.Attribute{
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
		"last_update_time": computedInt64("Latest update time the API reports, in milliseconds since the Unix epoch; null when the API leaves it out." + exactInt64),
	}
}

const narrowNote = " Applied by the provider after every page is read."

// validateEvents checks that the time window is not empty.
func validateEvents(ctx context.Context, config tfsdk.Config, diags *diag.Diagnostics) {
	var after, before types.String
	diags.Append(config.GetAttribute(ctx, path.Root("created_after"), &after)...)
	diags.Append(config.GetAttribute(ctx, path.Root("created_before"), &before)...)
	if after.IsNull() || after.IsUnknown() || before.IsNull() || before.IsUnknown() {
		return
	}
	a, errA := parseTime(after.ValueString())
	b, errB := parseTime(before.ValueString())
	if errA != nil || errB != nil {
		return // the attributes' validator says why
	}
	if !b.After(a) {
		diags.AddAttributeError(path.Root("created_before"), "Empty time window",
			fmt.Sprintf("created_before (%s) must be later than created_after (%s): events are kept when created_after <= create_time < created_before.", before.ValueString(), after.ValueString()))
	}
}

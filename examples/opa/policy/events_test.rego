package clusterprotect.events_test

import rego.v1

import data.clusterprotect.events

deny_event := {
	"event_id": "ev-1", "action": "deny", "handle_status": "unhandled", "cluster_name": "prod",
	"policy_name": "deny-privileged",
	"resource_info": {"namespace": "payments", "kind": "Pod", "name": "api-0", "enforcement_action": "deny"},
}

handled := object.union(deny_event, {"handle_status": "handled"})

warn_event := object.union(deny_event, {"action": "warn", "resource_info": {"enforcement_action": "warn"}})

# The plan's timestamp and every read's read_at: now, by the policy's clock,
# unless a test says otherwise.
now_stamp := time.format(time.now_ns())

# A plan whose prior_state holds these reads, and a clean, complete read of
# the clusters of each project and region whose events are read (the rules
# on clusters are tested in clusters_test.rego).
plan_with(root_resources, child_resources) := plan_of(array.concat(root_resources, clusters_of(array.concat(root_resources, child_resources))), child_resources)

clusters_of(resources) := [clusters_ds(sprintf("data.clusterprotect_clusters.of[%s]", [json.marshal(p)]), p, []) | some p in {[object.get(r.values, "project_id", null), object.get(r.values, "region", null)] |
	some r in resources
	r.type == "clusterprotect_events"
	is_object(r.values.summary)
}]

# A complete read in this plan of the clusters of place, [project_id,
# region], listing list.
clusters_ds(address, place, list) := {"address": address, "mode": "data", "type": "clusterprotect_clusters", "values": {
	"project_id": place[0], "region": place[1], "enterprise_project_id": "all_granted_eps",
	"total_num": count(list), "data_list": list,
	"summary": {"total": count(list), "by_protect_status": {s: n | some c in list; s := c.protect_status; n := count([x | some x in list; x.protect_status == s])}, "by_cluster_status": {}, "by_cluster_type": {}},
	"complete": true, "warnings": [], "read_at": now_stamp,
}}

plan_of(root_resources, child_resources) := {
	"format_version": "1.2",
	"timestamp": now_stamp,
	"planned_values": {"root_module": {}},
	"prior_state": {"values": {"root_module": {
		"resources": root_resources,
		"child_modules": [{"address": "module.prod", "resources": child_resources}],
	}}},
}

# A complete read of a whole region in this plan, whose summary counts
# unhandled_deny events.
counted_ds(address, list, unhandled_deny) := {"address": address, "mode": "data", "type": "clusterprotect_events", "values": {
	"region": "ap-southeast-1", "enterprise_project_id": "all_granted_eps", "data_list": list,
	"summary": {"total": count(list), "unhandled_deny": unhandled_deny},
	"complete": true, "warnings": [], "read_at": now_stamp,
}}

# As counted_ds, counting the events of list whose action and status say
# deny and unhandled.
ds(address, list) := counted_ds(address, list, count([e | some e in list; e.action == "deny"; e.handle_status == "unhandled"]))

with_values(r, values) := object.union(r, {"values": object.union(r.values, values)})

without_values(r, keys) := object.union(object.remove(r, ["values"]), {"values": object.remove(r.values, keys)})

all := "data.clusterprotect_events.all"

deny_message := "data.clusterprotect_events.all: 1 unhandled deny event(s) (summary.unhandled_deny, region ap-southeast-1); the newest in data_list: unhandled deny event ev-1 in cluster prod on payments/Pod/api-0 (policy deny-privileged)"

test_denies_unhandled_deny_in_root_module if {
	msgs := events.deny with input as plan_with([ds(all, [deny_event])], [])
	msgs == {deny_message}
}

test_denies_in_child_modules if {
	msgs := events.deny with input as plan_with([ds(all, [])], [ds("module.prod.data.clusterprotect_events.deny", [deny_event])])
	count(msgs) == 1
	some msg in msgs
	startswith(msg, "module.prod.data.clusterprotect_events.deny: 1 unhandled deny event(s)")
}

test_allows_handled_and_warn_events if {
	msgs := events.deny with input as plan_with([ds(all, [handled, warn_event])], [])
	count(msgs) == 0
}

# max_results = 5 and the five newest are warnings: data_list shows no deny
# event, summary counts the older one.
test_denies_a_deny_event_max_results_left_out_of_data_list if {
	msgs := events.deny with input as plan_with([counted_ds(all, [warn_event, warn_event, warn_event, warn_event, warn_event], 1)], [])
	msgs == {"data.clusterprotect_events.all: 1 unhandled deny event(s) (summary.unhandled_deny, region ap-southeast-1); data_list shows none of them"}
}

test_denies_from_the_count_without_data_list if {
	r := with_values(counted_ds(all, [], 3), {"data_list": null})
	msgs := events.deny with input as plan_with([r], [])
	msgs == {"data.clusterprotect_events.all: 3 unhandled deny event(s) (summary.unhandled_deny, region ap-southeast-1); data_list shows none of them"}
}

test_ignores_other_data_sources if {
	other := object.union(ds("data.http.x", [deny_event]), {"type": "http"})
	count(events.deny) == 0 with input as plan_with([ds(all, []), other], [])
}

test_missing_resource_info if {
	bare := object.remove(deny_event, ["resource_info"])
	msgs := events.deny with input as plan_with([ds(all, [bare])], [])
	msgs == {"data.clusterprotect_events.all: 1 unhandled deny event(s) (summary.unhandled_deny, region ap-southeast-1); the newest in data_list: unhandled deny event ev-1 in cluster prod on // (policy deny-privileged)"}
}

# A field the API left out never makes an event harmless: summary counts
# these (the provider's rule), and the message names them from data_list.
test_fields_left_out_name_the_event if {
	every e in [
		object.union(deny_event, {"handle_status": null}),
		object.remove(deny_event, ["handle_status"]),
		object.union(deny_event, {"handle_status": "Unhandled"}),
		object.union(deny_event, {"action": null}),
		object.remove(deny_event, ["action"]),
		object.union(deny_event, {"action": null, "resource_info": null}),
		object.union(deny_event, {"action": "DENY", "handle_status": null}),
	] {
		msgs := events.deny with input as plan_with([counted_ds(all, [warn_event, e], 1)], [])
		count(msgs) == 1
		some msg in msgs
		startswith(msg, "data.clusterprotect_events.all: 1 unhandled deny event(s) (summary.unhandled_deny, region ap-southeast-1); the newest in data_list: unhandled deny event ev-1 in cluster prod on ")
	}
}

test_events_shown_harmless_only_by_what_the_api_sent if {
	every e in [
		handled,
		object.union(handled, {"handle_status": "HANDLED"}),
		warn_event,
		object.union(warn_event, {"action": null}),
	] {
		not events.may_be_unhandled_deny(e)
	}
}

test_denies_a_failed_read if {
	failed := {"address": all, "mode": "data", "type": "clusterprotect_events", "values": {"data_list": null, "summary": null, "complete": null, "warnings": null, "read_at": null}}
	msgs := events.deny with input as plan_with([failed, ds("data.clusterprotect_events.other", [])], [])
	msgs == {"data.clusterprotect_events.all: its events are not known: the read failed at plan time (see the plan's warnings), so the gate fails closed"}
}

test_denies_a_provider_that_does_not_count if {
	old := with_values(without_values(ds(all, []), ["summary"]), {"summary": {"total": 0, "by_action": {}}})
	msgs := events.deny with input as plan_with([old, ds("data.clusterprotect_events.other", [])], [])
	msgs == {"data.clusterprotect_events.all: its summary has no unhandled_deny: the provider is too old to count unhandled deny events, so the gate fails closed: upgrade the clusterprotect provider"}
}

# As Terraform 1.5 to 1.11 write it: with timestamp() in an argument, the read
# is only in resource_changes, and nothing was read into prior_state.
test_denies_a_read_deferred_to_apply if {
	deferred := {"address": "module.prod.data.clusterprotect_events.deny", "mode": "data", "type": "clusterprotect_events", "action_reason": "read_because_config_unknown", "change": {"actions": ["read"], "after": {}, "after_unknown": {"data_list": true, "complete": true}}}
	msgs := events.deny with input as {"errored": false, "timestamp": now_stamp, "resource_changes": [deferred]}
	"module.prod.data.clusterprotect_events.deny: its events are not known until apply (read_because_config_unknown), so the gate fails closed: make its arguments known at plan time (plantimestamp(), not timestamp())" in msgs
	"the plan has no prior_state: no data source was read at plan time, so the gate fails closed: check that terraform plan succeeded and that the reads are not deferred to apply" in msgs
}

test_denies_a_deferred_read_next_to_one_read_at_plan_time if {
	deferred := {"address": "data.clusterprotect_events.later", "mode": "data", "type": "clusterprotect_events", "action_reason": "read_because_config_unknown", "change": {"actions": ["read"]}}
	msgs := events.deny with input as object.union(plan_with([ds(all, [handled])], []), {"resource_changes": [deferred]})
	count(msgs) == 1
	some msg in msgs
	startswith(msg, "data.clusterprotect_events.later: its events are not known until apply")
}

# As terraform show -json writes a plan that failed: errored, no prior_state.
test_denies_an_errored_plan if {
	msgs := events.deny with input as {"format_version": "1.2", "errored": true, "timestamp": now_stamp, "planned_values": {"root_module": {}}}
	"the plan errored (errored: true): what it would have read is not known, so the gate fails closed: fix the errors terraform plan printed" in msgs
	"the plan has no prior_state: no data source was read at plan time, so the gate fails closed: check that terraform plan succeeded and that the reads are not deferred to apply" in msgs
}

test_denies_an_errored_plan_even_with_prior_state if {
	msgs := events.deny with input as object.union(plan_with([ds(all, [handled])], []), {"errored": true})
	msgs == {"the plan errored (errored: true): what it would have read is not known, so the gate fails closed: fix the errors terraform plan printed"}
}

test_denies_a_plan_without_prior_state if {
	msgs := events.deny with input as {"format_version": "1.2", "errored": false, "timestamp": now_stamp}
	"the plan has no prior_state: no data source was read at plan time, so the gate fails closed: check that terraform plan succeeded and that the reads are not deferred to apply" in msgs
}

not_a_plan := "this is not a plan, pass the file written by plan -out: terraform show -json without a plan file prints the state (or {\"format_version\":\"1.0\"}); run terraform plan -out=tfplan, then terraform show -json tfplan"

# terraform show -json without a plan file: the state, empty or not.
test_says_when_the_input_is_not_a_plan if {
	events.deny == {not_a_plan} with input as {"format_version": "1.0"}
	events.deny == {not_a_plan} with input as {"format_version": "1.0", "terraform_version": "1.11.4", "values": {"root_module": {"resources": [ds(all, [])]}}}
}

# Terraform 1.11 writes complete: false for a plan with -target.
test_denies_an_incomplete_plan if {
	msgs := events.deny with input as object.union(plan_with([ds(all, [])], []), {"complete": false})
	msgs == {"the plan is incomplete (complete: false): Terraform planned only part of the configuration (such as with -target), so the data sources may not have been read: the gate fails closed: plan without -target"}
}

# A -target plan of something else on an existing state: prior_state holds
# the clean read of an earlier run, older than the plan.
test_denies_a_read_of_an_earlier_run if {
	stale := with_values(ds(all, []), {"read_at": "2026-12-01T10:00:00.123456789Z"})
	msgs := events.deny with input as plan_with([stale], [])
	msgs == {
		sprintf("data.clusterprotect_events.all: not read in this plan (read_at 2026-12-01T10:00:00.123456789Z, the plan's timestamp %s): prior_state holds the read of an earlier run (as in a plan with -target of something else, or a provider too old to set read_at), so the gate fails closed: plan without -target", [now_stamp]),
		"no clusterprotect_events data source covers a region in this plan (data.clusterprotect_events.all: not read in this plan), so nothing says the clusters are clean and the gate fails closed: it needs a clusterprotect_events data source that read it completely, in this plan, with enterprise_project_id = \"all_granted_eps\" and no cluster_id, handle_status, actions, event_types, created_after or created_before (max_results is fine)",
	}
}

test_denies_a_read_without_read_at if {
	old := without_values(ds(all, []), ["read_at"])
	msgs := events.deny with input as plan_with([old, ds("data.clusterprotect_events.other", [])], [])
	msgs == {sprintf("data.clusterprotect_events.all: not read in this plan (read_at null, the plan's timestamp %s): prior_state holds the read of an earlier run (as in a plan with -target of something else, or a provider too old to set read_at), so the gate fails closed: plan without -target", [now_stamp])}
}

# The plan's timestamp has whole seconds; a read in the same second passes.
test_a_read_in_the_plans_second_is_fresh if {
	plan := object.union(plan_with([with_values(ds(all, []), {"read_at": "2026-12-04T18:00:00.5Z"})], []), {"timestamp": "2026-12-04T18:00:00Z"})
	count(events.deny) == 0 with input as plan with time.now_ns as time.parse_rfc3339_ns("2026-12-04T18:05:00Z")
}

test_denies_a_plan_older_than_max_plan_age if {
	plan := object.union(plan_with([with_values(ds(all, []), {"read_at": "2026-12-04T18:00:01Z"})], []), {"timestamp": "2026-12-04T18:00:00Z"})
	later := time.parse_rfc3339_ns("2026-12-04T19:00:01Z")
	events.deny == {"the plan was made at 2026-12-04T18:00:00Z, more than max_plan_age (1h) ago: events raised since are not in it, so the gate fails closed: plan again"} with input as plan with time.now_ns as later
	count(events.deny) == 0 with input as plan with time.now_ns as later with data.clusterprotect.max_plan_age as "2h"
	events.deny == {`data.clusterprotect.max_plan_age is "2 hours": it must be a duration string such as "1h" or "15m", so the gate fails closed: fix the data file passed with -d`} with input as plan with time.now_ns as later with data.clusterprotect.max_plan_age as "2 hours"
}

test_denies_a_plan_without_a_timestamp if {
	plan := object.remove(plan_with([ds(all, [])], []), ["timestamp"])
	msgs := events.deny with input as plan
	"the plan has no readable timestamp (null): its age and whether its reads happened in it cannot be told, so the gate fails closed: use Terraform 1.5 or later, or OpenTofu" in msgs
}

test_denies_an_incomplete_read if {
	cut := with_values(ds(all, [handled]), {"complete": false, "warnings": ["Cluster protection events may be incomplete: The API reports total_num 10000, its documented maximum: older events may be left out."]})
	msgs := events.deny with input as plan_with([cut, ds("data.clusterprotect_events.other", [])], [])
	msgs == {
		"data.clusterprotect_events.all: the read may lack events (complete = false), so the gate fails closed: see its warnings (a cluster alone past the API's 10,000 cap, or events that moved during the read)",
		"data.clusterprotect_events.all: the read warned, so the gate fails closed: Cluster protection events may be incomplete: The API reports total_num 10000, its documented maximum: older events may be left out.",
	}
}

test_denies_a_read_that_does_not_say_it_is_complete if {
	old := without_values(ds(all, [handled]), ["complete"])
	msgs := events.deny with input as plan_with([old, ds("data.clusterprotect_events.other", [])], [])
	msgs == {"data.clusterprotect_events.all: the read may lack events (complete = null), so the gate fails closed: see its warnings (a cluster alone past the API's 10,000 cap, or events that moved during the read)"}
}

test_denies_each_warning if {
	typo := with_values(ds("module.prod.data.clusterprotect_events.deny", []), {"warnings": [`No event matches actions: no event has action "dney"; did you mean "deny"? seen: deny (3), warn (2).`]})
	msgs := events.deny with input as plan_with([ds(all, [])], [typo])
	msgs == {`module.prod.data.clusterprotect_events.deny: the read warned, so the gate fails closed: No event matches actions: no event has action "dney"; did you mean "deny"? seen: deny (3), warn (2).`}
}

test_required_regions_read_completely_pass if {
	other := with_values(ds("data.clusterprotect_events.eu", []), {"region": "eu-west-101"})
	msgs := events.deny with input as plan_with([ds("data.clusterprotect_events.ap", []), other], [])
		with data.clusterprotect.required_regions as ["ap-southeast-1", "eu-west-101"]
	count(msgs) == 0
}

covering_rule := "a clusterprotect_events data source that read it completely, in this plan, with enterprise_project_id = \"all_granted_eps\" and no cluster_id, handle_status, actions, event_types, created_after or created_before (max_results is fine)"

test_denies_a_required_region_not_read if {
	msgs := events.deny with input as plan_with([ds("data.clusterprotect_events.ap", [])], [])
		with data.clusterprotect.required_regions as ["ap-southeast-1", "eu-west-101"]
	msgs == {sprintf("region eu-west-101: no clusterprotect_events data source read it completely at plan time without narrowing, so the gate fails closed: it needs %s", [covering_rule])}
}

test_denies_a_required_region_whose_read_failed_or_was_cut if {
	failed := {"address": "data.clusterprotect_events.eu", "mode": "data", "type": "clusterprotect_events", "values": {"region": "eu-west-101", "enterprise_project_id": "all_granted_eps", "data_list": null, "summary": null}}
	cut := with_values(ds("data.clusterprotect_events.ap", []), {"complete": false})
	msgs := events.deny with input as plan_with([failed, cut], [])
		with data.clusterprotect.required_regions as ["ap-southeast-1", "eu-west-101"]
	sprintf("region eu-west-101: no clusterprotect_events data source read it completely at plan time without narrowing (data.clusterprotect_events.eu: events not known), so the gate fails closed: it needs %s", [covering_rule]) in msgs
	sprintf("region ap-southeast-1: no clusterprotect_events data source read it completely at plan time without narrowing (data.clusterprotect_events.ap: not complete), so the gate fails closed: it needs %s", [covering_rule]) in msgs
}

test_denies_a_required_region_read_only_in_an_earlier_run if {
	stale := with_values(ds("data.clusterprotect_events.ap", []), {"read_at": "2026-12-01T10:00:00Z"})
	msgs := events.deny with input as plan_with([stale], [])
		with data.clusterprotect.required_regions as ["ap-southeast-1"]
	sprintf("region ap-southeast-1: no clusterprotect_events data source read it completely at plan time without narrowing (data.clusterprotect_events.ap: not read in this plan), so the gate fails closed: it needs %s", [covering_rule]) in msgs
}

# Each argument that leaves events out: the read does not cover its region,
# with or without a region list, and says which argument narrowed it.
narrowings := [
	["cluster_id", {"cluster_id": "c-1"}],
	["actions", {"actions": ["warn"]}],
	["handle_status", {"handle_status": "unhandled"}],
	["event_types", {"event_types": [3009]}],
	["created_after", {"created_after": "2026-12-03T18:00:00Z"}],
	["created_before", {"created_before": "2026-12-03T18:00:00Z"}],
	["enterprise_project_id", {"enterprise_project_id": "0"}],
	["enterprise_project_id", {"enterprise_project_id": null}],
	["enterprise_project_id", {"enterprise_project_id": "8f2e0c4a-31d5-4b4e-9a52-2d1f0c7b6e11"}],
]

test_a_narrowed_read_does_not_cover_its_region if {
	every n in narrowings {
		r := with_values(ds(all, [handled]), n[1])
		events.deny == {sprintf("region ap-southeast-1: no clusterprotect_events data source read it completely at plan time without narrowing (data.clusterprotect_events.all: narrowed by %s), so the gate fails closed: it needs %s", [n[0], covering_rule])} with input as plan_with([r], [])
			with data.clusterprotect.required_regions as ["ap-southeast-1"]
		events.deny == {sprintf("no clusterprotect_events data source covers a region in this plan (data.clusterprotect_events.all: narrowed by %s), so nothing says the clusters are clean and the gate fails closed: it needs %s", [n[0], covering_rule])} with input as plan_with([r], [])
	}
}

test_a_narrowed_read_next_to_a_covering_one_passes_and_still_denies if {
	narrow := with_values(ds("module.prod.data.clusterprotect_events.deny", []), {"actions": ["deny"], "max_results": 5})
	count(events.deny) == 0 with input as plan_with([ds(all, [])], [narrow])
	events.deny == {"module.prod.data.clusterprotect_events.deny: 1 unhandled deny event(s) (summary.unhandled_deny, region ap-southeast-1); the newest in data_list: unhandled deny event ev-1 in cluster prod on payments/Pod/api-0 (policy deny-privileged)"} with input as plan_with([ds(all, [])], [with_values(ds("module.prod.data.clusterprotect_events.deny", [deny_event]), {"actions": ["deny"]})])
}

test_max_results_and_strict_do_not_narrow if {
	r := with_values(ds(all, []), {"max_results": 5, "strict": true})
	count(events.deny) == 0 with input as plan_with([r], []) with data.clusterprotect.required_regions as ["ap-southeast-1"]
}

test_denies_a_plan_with_no_read_at_all if {
	msgs := events.deny with input as plan_with([], [])
	msgs == {sprintf("no clusterprotect_events data source covers a region in this plan (none was read), so nothing says the clusters are clean and the gate fails closed: it needs %s", [covering_rule])}
}

test_allows_a_check_nested_read_known_at_plan_time if {
	nested := {"address": all, "mode": "data", "type": "clusterprotect_events", "action_reason": "read_because_check_nested", "change": {"actions": ["read"]}}
	msgs := events.deny with input as object.union(plan_with([ds(all, [handled])], []), {"resource_changes": [nested]})
	count(msgs) == 0
}

# Terraform 1.5.7's plan JSON of an errored plan has no errored field; the
# data source whose read failed is in the configuration only.
config_with(root_resources, child_resources) := {"root_module": {
	"resources": root_resources,
	"module_calls": {"prod": {"source": "./modules/cluster", "module": {"resources": child_resources}}},
}}

conf(address) := {"address": address, "mode": "data", "type": "clusterprotect_events", "name": "x"}

test_denies_a_data_source_the_plan_never_reached_without_errored_field if {
	plan := object.union(plan_with([ds(all, [])], []), {"configuration": config_with(
		[conf(all), conf("data.clusterprotect_events.typo")],
		[conf("data.clusterprotect_events.deny")],
	)})
	msgs := events.deny with input as plan
	msgs == {
		"data.clusterprotect_events.typo: neither read at plan time nor planned for apply: the plan stopped before it (see its errors), so the gate fails closed",
		"module.prod.data.clusterprotect_events.deny: neither read at plan time nor planned for apply: the plan stopped before it (see its errors), so the gate fails closed",
	}
}

test_a_reached_data_source_with_instance_keys_passes if {
	plan := object.union(plan_with([], [ds(`module.prod.data.clusterprotect_events.deny`, [])]), {
		"configuration": config_with(
			[conf("data.clusterprotect_events.later"), object.union(conf("data.clusterprotect_events.maybe"), {"count_expression": {"references": ["var.n"]}})],
			[conf("data.clusterprotect_events.deny")],
		),
		"resource_changes": [{"address": `data.clusterprotect_events.later["a"]`, "mode": "data", "type": "clusterprotect_events", "action_reason": "read_because_dependency_pending"}],
	})
	msgs := events.deny with input as plan
	msgs == {`data.clusterprotect_events.later["a"]: its events are not known until apply (read_because_dependency_pending), so the gate fails closed: make its arguments known at plan time (plantimestamp(), not timestamp())`}
}

test_configuration_is_left_to_errored_where_terraform_writes_it if {
	plan := object.union(plan_with([ds(all, [])], []), {"errored": false, "configuration": config_with([conf(all), conf("data.clusterprotect_events.none")], [])})
	count(events.deny) == 0 with input as plan
}

# Malformed policy data is itself a deny naming the key and what is
# allowed; it never turns a rule off (required_regions null used to turn
# off the rule that some read covers a region).
malformed_missed contains [key, value, msgs] if {
	some [key, value, allowed] in [
		["required_regions", null, "a list of region names (strings)"],
		["required_regions", "ap-southeast-1", "a list of region names (strings)"],
		["required_regions", 1, "a list of region names (strings)"],
		["required_regions", true, "a list of region names (strings)"],
		["required_regions", [1], "a list of region names (strings)"],
		["required_regions", {"ap-southeast-1": true}, "a list of region names (strings)"],
		["required_reads", null, `a list of objects {"project_id": ..., "region": ..., "account": ...}`],
		["required_reads", {"a": {"project_id": "p"}}, `a list of objects {"project_id": ..., "region": ..., "account": ...}`],
		["required_reads", "p", `a list of objects {"project_id": ..., "region": ..., "account": ...}`],
		["allowed_protect_statuses", "protected with policy", "a list of protect_status values (strings)"],
		["allowed_protect_statuses", null, "a list of protect_status values (strings)"],
		["removed_clusters", "c-1", "a list of cluster IDs (strings)"],
		["removed_clusters", {"c-1": "c-1"}, "a list of cluster IDs (strings)"],
		["max_plan_age", 3600, `a duration string such as "1h" or "15m"`],
		["max_plan_age", null, `a duration string such as "1h" or "15m"`],
	]
	msgs := deny_with(key, value)
	want := sprintf("data.clusterprotect.%s is %s: it must be %s, so the gate fails closed: fix the data file passed with -d", [key, json.marshal(value), allowed])
	not want in msgs
}

deny_with("required_regions", v) := msgs if {
	msgs := events.deny with input as plan_with([], []) with data.clusterprotect.required_regions as v
}

deny_with("required_reads", v) := msgs if {
	msgs := events.deny with input as plan_with([], []) with data.clusterprotect.required_reads as v
}

deny_with("allowed_protect_statuses", v) := msgs if {
	msgs := events.deny with input as plan_with([], []) with data.clusterprotect.allowed_protect_statuses as v
}

deny_with("removed_clusters", v) := msgs if {
	msgs := events.deny with input as plan_with([], []) with data.clusterprotect.removed_clusters as v
}

deny_with("max_plan_age", v) := msgs if {
	msgs := events.deny with input as plan_with([], []) with data.clusterprotect.max_plan_age as v
}

test_denies_malformed_policy_data if {
	malformed_missed == set()
}

test_required_regions_null_keeps_the_no_read_rule if {
	msgs := events.deny with input as plan_with([], []) with data.clusterprotect.required_regions as null
	sprintf("no clusterprotect_events data source covers a region in this plan (none was read), so nothing says the clusters are clean and the gate fails closed: it needs %s", [covering_rule]) in msgs
}

test_denies_a_misspelled_policy_data_key if {
	msgs := events.deny with input as plan_with([ds(all, [])], []) with data.clusterprotect.required_region as ["ap-southeast-1"]
	msgs == {`data.clusterprotect.required_region is not a key the policy reads (did you mean required_regions?), so the gate fails closed: the keys are allowed_protect_statuses, max_plan_age, removed_clusters, required_reads, required_regions`}
}

test_well_formed_policy_data_passes if {
	count(events.deny) == 0 with input as plan_with([ds(all, [])], [])
		with data.clusterprotect.required_regions as ["ap-southeast-1"]
		with data.clusterprotect.max_plan_age as "2h"
		with data.clusterprotect.allowed_protect_statuses as ["protected with policy"]
		with data.clusterprotect.removed_clusters as ["c-1"]
		with data.clusterprotect.required_reads as []
}

# Only the module tree holds resources: a resource whose value holds a
# "resources" list of look-alike records is not a read.
test_a_look_alike_inside_a_resource_value_is_not_a_read if {
	fake := {"address": "terraform_data.x", "mode": "managed", "type": "terraform_data", "values": {"output": {"resources": [ds(all, [])]}}}
	plan := plan_of([fake], [])
	msgs := events.deny with input as plan
	msgs == {sprintf("no clusterprotect_events data source covers a region in this plan (none was read), so nothing says the clusters are clean and the gate fails closed: it needs %s", [covering_rule])}
}

test_reads_in_nested_child_modules_count if {
	inner := ds("module.prod.module.inner.data.clusterprotect_events.deny", [deny_event])
	plan := {
		"format_version": "1.2", "timestamp": now_stamp, "planned_values": {"root_module": {}},
		"prior_state": {"values": {"root_module": {"resources": plan_with([ds(all, [])], []).prior_state.values.root_module.resources, "child_modules": [{"address": "module.prod", "child_modules": [{"address": "module.prod.module.inner", "resources": [inner]}]}]}}},
	}
	some msg in events.deny with input as plan
	startswith(msg, "module.prod.module.inner.data.clusterprotect_events.deny: 1 unhandled deny event(s)")
}

test_a_look_alike_in_a_configuration_expression_is_not_configured if {
	odd := {"address": "terraform_data.x", "mode": "managed", "type": "terraform_data", "expressions": {"input": {"constant_value": {"resources": [conf("data.clusterprotect_events.ghost")]}}}}
	plan := object.union(plan_with([ds(all, [])], []), {"configuration": config_with([conf(all), odd], [])})
	count(events.deny) == 0 with input as plan
}

# Terraform 1.5.7: a module called with count = 0 or for_each = {} has no
# instance, so its data sources are rightly neither read nor planned.
empty_module_denied contains [call, msgs] if {
	some call in [{"count_expression": {"constant_value": 0}}, {"for_each_expression": {"constant_value": {}}}, {"for_each_expression": {"constant_value": []}}]
	conf_root := {"resources": [conf(all)], "module_calls": {"off": object.union({"source": "./m", "module": {"resources": [conf("data.clusterprotect_events.deny")]}}, call)}}
	plan := object.union(plan_with([ds(all, [])], []), {"configuration": {"root_module": conf_root}})
	msgs := events.deny with input as plan
	count(msgs) > 0
}

test_a_module_with_no_instances_is_not_required_to_read if {
	empty_module_denied == set()
}

maybe_module_passed contains [call, msgs] if {
	some call in [{"count_expression": {"references": ["var.n"]}}, {"count_expression": {"constant_value": 1}}, {"for_each_expression": {"constant_value": {"a": 1}}}, {"for_each_expression": {"references": ["var.m"]}}]
	conf_root := {"resources": [conf(all)], "module_calls": {"maybe": object.union({"source": "./m", "module": {"resources": [conf("data.clusterprotect_events.deny")]}}, call)}}
	plan := object.union(plan_with([ds(all, [])], []), {"configuration": {"root_module": conf_root}})
	msgs := events.deny with input as plan
	not msgs == {"module.maybe.data.clusterprotect_events.deny: neither read at plan time nor planned for apply: the plan stopped before it (see its errors), so the gate fails closed"}
}

test_a_module_whose_count_is_not_a_known_zero_still_must_read if {
	maybe_module_passed == set()
}

# A data file without the {"clusterprotect": {...}} wrapper (or the whole of
# `terraform output -json`) put its keys at the top: the policy never read
# them and passed as if no data was given.
test_denies_policy_data_outside_the_wrapper if {
	msgs := events.deny with input as plan_with([ds(all, [])], []) with data.required_regions as ["ap-southeast-1", "cn-north-4"]
	msgs == {`data.required_regions is at the top of the data file, where the policy does not read it: put it under "clusterprotect", as {"clusterprotect": {"required_regions": ...}}, so the gate fails closed until then`}
}

test_denies_terraform_output_json_as_policy_data if {
	msgs := events.deny with input as plan_with([ds(all, [])], []) with data.required_reads as {"value": {"clusterprotect": {"required_reads": []}}}
	msgs == {`data.required_reads is at the top of the data file, where the policy does not read it: put it under "clusterprotect", as {"clusterprotect": {"required_reads": ...}}, so the gate fails closed until then (terraform output -json required_reads writes the file as the policy reads it)`}
}

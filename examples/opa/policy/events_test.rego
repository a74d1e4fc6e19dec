package clusterprotect.events_test

import rego.v1

import data.clusterprotect.events

deny_event := {
	"event_id": "ev-1", "action": "deny", "handle_status": "unhandled", "cluster_name": "prod",
	"policy_name": "deny-privileged",
	"resource_info": {"namespace": "payments", "kind": "Pod", "name": "api-0"},
}

handled := object.union(deny_event, {"handle_status": "handled"})

warn_event := object.union(deny_event, {"action": "warn"})

plan_with(root_resources, child_resources) := {"prior_state": {"values": {"root_module": {
	"resources": root_resources,
	"child_modules": [{"address": "module.prod", "resources": child_resources}],
}}}}

ds(address, list) := {"address": address, "mode": "data", "type": "clusterprotect_events", "values": {
	"region": "ap-southeast-1", "data_list": list, "complete": true, "warnings": [],
}}

with_values(r, values) := object.union(r, {"values": object.union(r.values, values)})

test_denies_unhandled_deny_in_root_module if {
	msgs := events.deny with input as plan_with([ds("data.clusterprotect_events.all", [deny_event])], [])
	msgs == {"data.clusterprotect_events.all: unhandled deny event ev-1 in cluster prod on payments/Pod/api-0 (policy deny-privileged)"}
}

test_denies_in_child_modules if {
	msgs := events.deny with input as plan_with([], [ds("module.prod.data.clusterprotect_events.deny", [deny_event])])
	count(msgs) == 1
	some msg in msgs
	startswith(msg, "module.prod.data.clusterprotect_events.deny:")
}

test_allows_handled_and_warn_events if {
	msgs := events.deny with input as plan_with([ds("data.clusterprotect_events.all", [handled, warn_event])], [])
	count(msgs) == 0
}

test_ignores_other_data_sources if {
	other := object.union(ds("data.http.x", [deny_event]), {"type": "http"})
	count(events.deny) == 0 with input as plan_with([other], [])
}

test_missing_resource_info if {
	bare := object.remove(deny_event, ["resource_info"])
	msgs := events.deny with input as plan_with([ds("data.clusterprotect_events.all", [bare])], [])
	msgs == {"data.clusterprotect_events.all: unhandled deny event ev-1 in cluster prod on // (policy deny-privileged)"}
}

test_denies_a_failed_read if {
	failed := {"address": "data.clusterprotect_events.all", "mode": "data", "type": "clusterprotect_events", "values": {"data_list": null, "summary": null, "complete": null, "warnings": null}}
	msgs := events.deny with input as plan_with([failed], [])
	msgs == {"data.clusterprotect_events.all: its events are not known: the read failed at plan time (see the plan's warnings), so the gate fails closed"}
}

# As Terraform 1.5 to 1.11 write it: with timestamp() in an argument, the read
# is only in resource_changes, and nothing was read into prior_state.
test_denies_a_read_deferred_to_apply if {
	deferred := {"address": "module.prod.data.clusterprotect_events.deny", "mode": "data", "type": "clusterprotect_events", "action_reason": "read_because_config_unknown", "change": {"actions": ["read"], "after": {}, "after_unknown": {"data_list": true, "complete": true}}}
	msgs := events.deny with input as {"errored": false, "resource_changes": [deferred]}
	msgs == {
		"module.prod.data.clusterprotect_events.deny: its events are not known until apply (read_because_config_unknown), so the gate fails closed: make its arguments known at plan time (plantimestamp(), not timestamp())",
		"the plan has no prior_state: no data source was read at plan time, so the gate fails closed: check that terraform plan succeeded and that the reads are not deferred to apply",
	}
}

test_denies_a_deferred_read_next_to_one_read_at_plan_time if {
	deferred := {"address": "data.clusterprotect_events.later", "mode": "data", "type": "clusterprotect_events", "action_reason": "read_because_config_unknown", "change": {"actions": ["read"]}}
	msgs := events.deny with input as object.union(plan_with([ds("data.clusterprotect_events.all", [handled])], []), {"resource_changes": [deferred]})
	count(msgs) == 1
	some msg in msgs
	startswith(msg, "data.clusterprotect_events.later: its events are not known until apply")
}

# As terraform show -json writes a plan that failed: errored, no prior_state.
test_denies_an_errored_plan if {
	msgs := events.deny with input as {"format_version": "1.2", "errored": true, "planned_values": {"root_module": {}}}
	msgs == {
		"the plan errored (errored: true): what it would have read is not known, so the gate fails closed: fix the errors terraform plan printed",
		"the plan has no prior_state: no data source was read at plan time, so the gate fails closed: check that terraform plan succeeded and that the reads are not deferred to apply",
	}
}

test_denies_an_errored_plan_even_with_prior_state if {
	msgs := events.deny with input as object.union(plan_with([ds("data.clusterprotect_events.all", [handled])], []), {"errored": true})
	msgs == {"the plan errored (errored: true): what it would have read is not known, so the gate fails closed: fix the errors terraform plan printed"}
}

test_denies_a_plan_without_prior_state if {
	msgs := events.deny with input as {"format_version": "1.2", "errored": false}
	msgs == {"the plan has no prior_state: no data source was read at plan time, so the gate fails closed: check that terraform plan succeeded and that the reads are not deferred to apply"}
}

test_denies_an_incomplete_read if {
	cut := with_values(ds("data.clusterprotect_events.all", [handled]), {"complete": false, "warnings": ["Cluster protection events may be incomplete: The API reports total_num 10000, its documented maximum: older events may be left out."]})
	msgs := events.deny with input as plan_with([cut], [])
	msgs == {
		"data.clusterprotect_events.all: the read may lack events (complete = false), so the gate fails closed: see its warnings, narrow the query below the API's 10,000 cap",
		"data.clusterprotect_events.all: the read warned, so the gate fails closed: Cluster protection events may be incomplete: The API reports total_num 10000, its documented maximum: older events may be left out.",
	}
}

test_denies_a_read_that_does_not_say_it_is_complete if {
	old := {"address": "data.clusterprotect_events.all", "mode": "data", "type": "clusterprotect_events", "values": {"data_list": [handled]}}
	msgs := events.deny with input as plan_with([old], [])
	msgs == {"data.clusterprotect_events.all: the read may lack events (complete = null), so the gate fails closed: see its warnings, narrow the query below the API's 10,000 cap"}
}

test_denies_each_warning if {
	typo := with_values(ds("module.prod.data.clusterprotect_events.deny", []), {"warnings": [`No event matches actions: no event has action "dney"; did you mean "deny"? seen: deny (3), warn (2).`]})
	msgs := events.deny with input as plan_with([], [typo])
	msgs == {`module.prod.data.clusterprotect_events.deny: the read warned, so the gate fails closed: No event matches actions: no event has action "dney"; did you mean "deny"? seen: deny (3), warn (2).`}
}

test_required_regions_read_completely_pass if {
	other := with_values(ds("data.clusterprotect_events.eu", []), {"region": "eu-west-101"})
	msgs := events.deny with input as plan_with([ds("data.clusterprotect_events.ap", []), other], [])
		with data.clusterprotect.required_regions as ["ap-southeast-1", "eu-west-101"]
	count(msgs) == 0
}

test_denies_a_required_region_not_read if {
	msgs := events.deny with input as plan_with([ds("data.clusterprotect_events.ap", [])], [])
		with data.clusterprotect.required_regions as ["ap-southeast-1", "eu-west-101"]
	msgs == {"region eu-west-101: no clusterprotect_events data source read it completely at plan time, so the gate fails closed"}
}

test_denies_a_required_region_whose_read_failed_or_was_cut if {
	failed := {"address": "data.clusterprotect_events.eu", "mode": "data", "type": "clusterprotect_events", "values": {"region": "eu-west-101", "data_list": null}}
	cut := with_values(ds("data.clusterprotect_events.ap", []), {"complete": false})
	msgs := events.deny with input as plan_with([failed, cut], [])
		with data.clusterprotect.required_regions as ["ap-southeast-1", "eu-west-101"]
	"region eu-west-101: no clusterprotect_events data source read it completely at plan time, so the gate fails closed" in msgs
	"region ap-southeast-1: no clusterprotect_events data source read it completely at plan time, so the gate fails closed" in msgs
}

test_no_required_regions_by_default if {
	count(events.deny) == 0 with input as plan_with([with_values(ds("data.clusterprotect_events.ap", []), {"region": null})], [])
}

test_allows_a_check_nested_read_known_at_plan_time if {
	nested := {"address": "data.clusterprotect_events.all", "mode": "data", "type": "clusterprotect_events", "action_reason": "read_because_check_nested", "change": {"actions": ["read"]}}
	msgs := events.deny with input as object.union(plan_with([ds("data.clusterprotect_events.all", [handled])], []), {"resource_changes": [nested]})
	count(msgs) == 0
}

test_denies_whatever_the_case_of_the_action if {
	upper := object.union(deny_event, {"action": "DENY"})
	count(events.deny) == 1 with input as plan_with([ds("data.clusterprotect_events.all", [upper])], [])
}

# Terraform 1.5.7's plan JSON of an errored plan has no errored field; the
# data source whose read failed is in the configuration only.
config_with(root_resources, child_resources) := {"root_module": {
	"resources": root_resources,
	"module_calls": {"prod": {"source": "./modules/cluster", "module": {"resources": child_resources}}},
}}

conf(address) := {"address": address, "mode": "data", "type": "clusterprotect_events", "name": "x"}

test_denies_a_data_source_the_plan_never_reached_without_errored_field if {
	plan := object.union(plan_with([ds("data.clusterprotect_events.all", [])], []), {"configuration": config_with(
		[conf("data.clusterprotect_events.all"), conf("data.clusterprotect_events.typo")],
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
	plan := object.union(plan_with([ds("data.clusterprotect_events.all", [])], []), {"errored": false, "configuration": config_with([conf("data.clusterprotect_events.all"), conf("data.clusterprotect_events.none")], [])})
	count(events.deny) == 0 with input as plan
}

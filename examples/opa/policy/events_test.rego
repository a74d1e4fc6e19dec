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

ds(address, list) := {"address": address, "mode": "data", "type": "clusterprotect_events", "values": {"data_list": list}}

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
	failed := {"address": "data.clusterprotect_events.all", "mode": "data", "type": "clusterprotect_events", "values": {"data_list": null, "summary": null}}
	msgs := events.deny with input as plan_with([failed], [])
	msgs == {"data.clusterprotect_events.all: its events are not known: the read failed at plan time (see the plan's warnings), so the gate fails closed"}
}

test_denies_a_read_deferred_to_apply if {
	deferred := {"address": "module.prod.data.clusterprotect_events.deny", "mode": "data", "type": "clusterprotect_events", "action_reason": "read_because_config_unknown", "change": {"actions": ["read"], "after": {}, "after_unknown": {"data_list": true}}}
	msgs := events.deny with input as object.union(plan_with([], []), {"resource_changes": [deferred]})
	msgs == {"module.prod.data.clusterprotect_events.deny: its events are not known until apply (read_because_config_unknown), so the gate fails closed: make its arguments known at plan time"}
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

# Denies a plan while clusterprotect_events data sources hold unhandled deny
# events, and fails closed: a data source whose events are not known at plan
# time is denied too, so that silence means "checked, and clean".
#
# Data sources read at plan time are under prior_state (in the root module
# and in child modules). A read that failed inside a check block leaves its
# data source there with a null data_list (the plan only warns); a read
# deferred to apply is only under resource_changes, with unknown values.
package clusterprotect.events

import rego.v1

# Every clusterprotect_events data source in prior_state.
read contains r if {
	walk(input.prior_state.values.root_module, [_, node])
	some r in node.resources
	r.mode == "data"
	r.type == "clusterprotect_events"
}

# The addresses whose events are known: read at plan time, with a list.
known contains r.address if {
	some r in read
	is_array(r.values.data_list)
}

deny contains msg if {
	some r in read
	r.address in known
	some e in r.values.data_list
	lower(e.action) == "deny"
	e.handle_status == "unhandled"
	msg := sprintf("%s: unhandled deny event %s in cluster %s on %s/%s/%s (policy %s)", [
		r.address, e.event_id, e.cluster_name,
		object.get(e, ["resource_info", "namespace"], ""),
		object.get(e, ["resource_info", "kind"], ""),
		object.get(e, ["resource_info", "name"], ""),
		e.policy_name,
	])
}

deny contains msg if {
	some r in read
	not r.address in known
	msg := sprintf("%s: its events are not known: the read failed at plan time (see the plan's warnings), so the gate fails closed", [r.address])
}

deny contains msg if {
	some rc in input.resource_changes
	rc.mode == "data"
	rc.type == "clusterprotect_events"
	not rc.address in {r.address | some r in read}
	msg := sprintf("%s: its events are not known until apply (%s), so the gate fails closed: make its arguments known at plan time", [
		rc.address, object.get(rc, "action_reason", "read deferred"),
	])
}

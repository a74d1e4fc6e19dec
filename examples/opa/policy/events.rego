# Denies a plan while clusterprotect_events data sources hold unhandled deny
# events, and fails closed on everything it cannot see, so that silence
# means "checked, completely, and clean":
#
# - a plan that errored (errored: true; Terraform saves it, often with no
#   prior_state; Terraform 1.5 writes no errored field, so there a data
#   source of the configuration that the plan never reached), and any plan
#   without prior_state;
# - a data source whose read failed inside a check block (the plan only
#   warns; it sits in prior_state with a null data_list);
# - a read deferred to apply (timestamp() instead of plantimestamp(), an
#   argument known only after apply): only in resource_changes, unknown;
# - a read that says it may lack events (complete = false: the API's
#   10,000 cap, or no consistent snapshot) or that warned (warnings, such as
#   a likely typo in actions);
# - with data.clusterprotect.required_regions (a list, passed as data: -d
#   regions.json), a region that no complete read covered.
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

# The regions read completely at plan time.
complete_regions contains r.values.region if {
	some r in read
	r.address in known
	r.values.complete == true
}

default required_regions := []

required_regions := data.clusterprotect.required_regions

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

deny contains "the plan errored (errored: true): what it would have read is not known, so the gate fails closed: fix the errors terraform plan printed" if {
	input.errored == true
}

deny contains "the plan has no prior_state: no data source was read at plan time, so the gate fails closed: check that terraform plan succeeded and that the reads are not deferred to apply" if {
	not input.prior_state
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
	msg := sprintf("%s: its events are not known until apply (%s), so the gate fails closed: make its arguments known at plan time (plantimestamp(), not timestamp())", [
		rc.address, object.get(rc, "action_reason", "read deferred"),
	])
}

# Terraform 1.5 saves a plan that errored too, but its plan JSON has no
# errored field: there, a data source of the configuration that is neither
# in prior_state nor in resource_changes is one the plan stopped before.
# Those with count or for_each may rightly have no instance, and are left
# to the other rules.
configured contains concat("", array.concat(modules, [r.address])) if {
	not "errored" in object.keys(input)
	walk(input.configuration.root_module, [path, node])
	some r in node.resources
	r.mode == "data"
	r.type == "clusterprotect_events"
	not r.count_expression
	not r.for_each_expression
	modules := [sprintf("module.%s.", [path[i]]) | some i, _ in path; i > 0; path[i - 1] == "module_calls"]
}

planned contains regex.replace(r.address, `\[[^\]]*\]`, "") if {
	some r in read
}

planned contains regex.replace(rc.address, `\[[^\]]*\]`, "") if {
	some rc in input.resource_changes
	rc.mode == "data"
	rc.type == "clusterprotect_events"
}

deny contains msg if {
	some address in configured
	not address in planned
	msg := sprintf("%s: neither read at plan time nor planned for apply: the plan stopped before it (see its errors), so the gate fails closed", [address])
}

# A provider too old to say whether its read was complete fails closed too.
deny contains msg if {
	some r in read
	r.address in known
	object.get(r.values, "complete", null) != true
	msg := sprintf("%s: the read may lack events (complete = %v), so the gate fails closed: see its warnings, narrow the query below the API's 10,000 cap", [
		r.address, object.get(r.values, "complete", null),
	])
}

deny contains msg if {
	some r in read
	r.address in known
	some w in object.get(r.values, "warnings", [])
	msg := sprintf("%s: the read warned, so the gate fails closed: %s", [r.address, w])
}

deny contains msg if {
	some region in required_regions
	not region in complete_regions
	msg := sprintf("region %s: no clusterprotect_events data source read it completely at plan time, so the gate fails closed", [region])
}

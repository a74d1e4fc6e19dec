# Denies a plan while clusterprotect_events data sources hold unhandled deny
# events. Data sources read at plan time are under prior_state (in the root
# module and in child modules); reads deferred to apply are under
# resource_changes, where their values are unknown until apply: those only
# warn.
package clusterprotect.events

import rego.v1

# Every clusterprotect_events data source whose values are known.
known contains {"address": r.address, "values": r.values} if {
	walk(input.prior_state.values.root_module, [_, node])
	some r in node.resources
	r.mode == "data"
	r.type == "clusterprotect_events"
}

known contains {"address": rc.address, "values": rc.change.after} if {
	some rc in input.resource_changes
	rc.mode == "data"
	rc.type == "clusterprotect_events"
	has_events(rc.change)
}

deny contains msg if {
	some ds in known
	some e in ds.values.data_list
	e.action == "deny"
	e.handle_status == "unhandled"
	msg := sprintf("%s: unhandled deny event %s in cluster %s on %s/%s/%s (policy %s)", [
		ds.address, e.event_id, e.cluster_name,
		object.get(e, ["resource_info", "namespace"], ""),
		object.get(e, ["resource_info", "kind"], ""),
		object.get(e, ["resource_info", "name"], ""),
		e.policy_name,
	])
}

warn contains msg if {
	some rc in input.resource_changes
	rc.mode == "data"
	rc.type == "clusterprotect_events"
	not has_events(rc.change)
	msg := sprintf("%s is read during apply (%s): its events cannot be checked at plan time", [rc.address, object.get(rc, "action_reason", "deferred")])
}

has_events(change) if is_array(change.after.data_list)

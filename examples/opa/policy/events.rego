# Denies a plan while clusterprotect_events data sources count unhandled
# deny events, and fails closed on everything it cannot see, so that silence
# means "checked, in this plan, completely, and clean":
#
# - input that is not a plan (terraform show -json without a plan file
#   prints the state, {"format_version":"1.0"} when there is none);
# - a plan without a readable timestamp, or older than max_plan_age (default
#   1h, see below), against the policy's clock;
# - a plan Terraform marks incomplete (complete: false, as Terraform 1.11
#   writes for -target), and a read that did not happen in this plan: its
#   read_at is older than the plan's timestamp (the state of an earlier
#   run, which is all a -target plan of something else holds; Terraform
#   1.5.7 writes no top-level complete, so read_at is what tells);
# - a plan that errored (errored: true; Terraform saves it, often with no
#   prior_state; Terraform 1.5 writes no errored field, so there a data
#   source of the configuration that the plan never reached), and any plan
#   without prior_state;
# - a data source whose read failed inside a check block (the plan only
#   warns; it sits in prior_state with a null summary);
# - a read deferred to apply (timestamp() instead of plantimestamp(), an
#   argument known only after apply): only in resource_changes, unknown;
# - a read that says it may lack events (complete = false: a cluster whose
#   events alone pass the API's 10,000 cap, as a read past the cap goes
#   cluster by cluster, or no consistent snapshot) or that warned (warnings,
#   such as a likely typo in actions);
# - with data.clusterprotect.required_regions (a list, passed as data: -d
#   regions.json), a region that no covering read (below) read; without
#   it, a plan in which no read covers any region.
#
# The rules on whether a read happened, at plan time, in this plan,
# completely and without warnings, hold for clusterprotect_clusters too;
# clusters.rego adds whether every cluster is protected and every required
# account read (its violations are in deny too: the one entry point).
#
# Events are judged by summary.unhandled_deny, which counts every event that
# matches the read's narrowing, whatever max_results cut from data_list, and
# counts an event whose handle_status or action the API left out. data_list
# only names the newest of them in the message. A read covers its region
# only when it narrowed nothing away: enterprise_project_id =
# "all_granted_eps", and none of cluster_id, handle_status, actions,
# event_types, created_after, created_before (max_results and strict do
# not narrow what summary counts). A narrowed read still denies what it
# counts.
package clusterprotect.events

import rego.v1

# The data sources the gate reads, and what each lists. The rules on
# whether a read happened, completely and in this plan, hold for both;
# clusters.rego has the rules of clusterprotect_clusters.
kinds := {"clusterprotect_events": "events", "clusterprotect_clusters": "clusters"}

# Every clusterprotect_events and clusterprotect_clusters data source in
# prior_state.
any_read contains r if {
	walk(input.prior_state.values.root_module, [_, node])
	some r in node.resources
	r.mode == "data"
	kinds[r.type]
}

# Every clusterprotect_events data source in prior_state.
read contains r if {
	some r in any_read
	r.type == "clusterprotect_events"
}

# The addresses whose events (or clusters) are known: read at plan time,
# with a summary.
known contains r.address if {
	some r in any_read
	is_object(r.values.summary)
}

# The addresses whose events are counted by a provider that counts
# unhandled deny events.
counted contains r.address if {
	some r in read
	r.address in known
	is_number(r.values.summary.unhandled_deny)
}

# Arguments that leave events out of what summary counts, when set.
narrowing_arguments := ["cluster_id", "handle_status", "actions", "event_types", "created_after", "created_before"]

# [address, argument] for each argument that narrowed a read.
narrowed contains [r.address, a] if {
	some r in read
	some a in narrowing_arguments
	object.get(r.values, a, null) != null
}

narrowed contains [r.address, "enterprise_project_id"] if {
	some r in read
	object.get(r.values, "enterprise_project_id", null) != "all_granted_eps"
}

narrowed_reads contains address if some [address, _] in narrowed

# A read of this plan: it began at or after the plan's timestamp.
fresh(r) if time.parse_rfc3339_ns(r.values.read_at) >= plan_time_ns

# The reads that cover their region: in this plan, complete, counted, and
# narrowed by nothing.
covering contains r if {
	some r in read
	r.address in counted
	r.values.complete == true
	fresh(r)
	not r.address in narrowed_reads
}

complete_regions contains r.values.region if some r in covering

default required_regions := []

required_regions := data.clusterprotect.required_regions

# max_plan_age: a plan older than this, by its timestamp against the
# policy's clock, is denied. The gate runs right after terraform plan -out
# in the same pipeline, and events raised after the plan are not in it: an
# hour is far more than plan, show and opa take, even in a queued CI job,
# and still keeps yesterday's plan (or one held for a long approval) from
# passing for clean today. Set data.clusterprotect.max_plan_age (a duration
# such as "15m" or "4h") to change it.
default max_plan_age := "1h"

max_plan_age := data.clusterprotect.max_plan_age

plan_time_ns := time.parse_rfc3339_ns(input.timestamp)

# A plan JSON has at least one of these; the state JSON, which terraform
# show -json prints without a plan file, has none of them.
is_plan if {
	some key in ["planned_values", "resource_changes", "prior_state", "configuration", "errored"]
	key in object.keys(input)
}

deny contains "this is not a plan, pass the file written by plan -out: terraform show -json without a plan file prints the state (or {\"format_version\":\"1.0\"}); run terraform plan -out=tfplan, then terraform show -json tfplan" if {
	not is_plan
}

deny contains msg if {
	is_plan
	some msg in violation
}

deny contains msg if {
	is_plan
	some msg in data.clusterprotect.clusters.violation
}

violation contains msg if {
	some r in read
	r.address in counted
	n := r.values.summary.unhandled_deny
	n > 0
	msg := sprintf("%s: %d unhandled deny event(s) (summary.unhandled_deny, region %v)%s", [r.address, n, object.get(r.values, "region", null), newest_shown(r)])
}

# The newest unhandled deny event that data_list shows, for the message:
# max_results or the narrowing may show none.
newest_shown(r) := sprintf("; the newest in data_list: unhandled deny event %v in cluster %v on %v/%v/%v (policy %v)", [
	object.get(e, "event_id", null), object.get(e, "cluster_name", null),
	object.get(e, ["resource_info", "namespace"], ""),
	object.get(e, ["resource_info", "kind"], ""),
	object.get(e, ["resource_info", "name"], ""),
	object.get(e, "policy_name", null),
]) if {
	shown := [e | some e in data_list(r); may_be_unhandled_deny(e)]
	e := shown[0]
} else := "; data_list shows none of them"

data_list(r) := r.values.data_list if {
	is_array(r.values.data_list)
} else := []

# The rule of summary.unhandled_deny, for naming events: a field left out
# never makes an event harmless.
may_be_unhandled_deny(e) if {
	not handled(e)
	deny_action(e)
}

handled(e) if lower(e.handle_status) == "handled"

deny_action(e) if lower(e.action) == "deny"

deny_action(e) if {
	object.get(e, "action", null) == null
	lower(e.resource_info.enforcement_action) == "deny"
}

deny_action(e) if {
	object.get(e, "action", null) == null
	object.get(e, ["resource_info", "enforcement_action"], null) == null
}

violation contains "the plan is incomplete (complete: false): Terraform planned only part of the configuration (such as with -target), so the data sources may not have been read: the gate fails closed: plan without -target" if {
	input.complete == false
}

violation contains msg if {
	not plan_time_ns
	msg := sprintf("the plan has no readable timestamp (%v): its age and whether its reads happened in it cannot be told, so the gate fails closed: use Terraform 1.5 or later, or OpenTofu", [object.get(input, "timestamp", null)])
}

violation contains msg if {
	not time.parse_duration_ns(max_plan_age)
	msg := sprintf("max_plan_age %v is not a duration such as \"1h\" or \"15m\", so the gate fails closed", [max_plan_age])
}

violation contains msg if {
	time.now_ns() - plan_time_ns > time.parse_duration_ns(max_plan_age)
	msg := sprintf("the plan was made at %s, more than max_plan_age (%s) ago: events raised since are not in it, so the gate fails closed: plan again", [input.timestamp, max_plan_age])
}

violation contains msg if {
	some r in any_read
	r.address in known
	not fresh(r)
	msg := sprintf("%s: not read in this plan (read_at %v, the plan's timestamp %v): prior_state holds the read of an earlier run (as in a plan with -target of something else, or a provider too old to set read_at), so the gate fails closed: plan without -target", [
		r.address, object.get(r.values, "read_at", null), object.get(input, "timestamp", null),
	])
}

violation contains "the plan errored (errored: true): what it would have read is not known, so the gate fails closed: fix the errors terraform plan printed" if {
	input.errored == true
}

violation contains "the plan has no prior_state: no data source was read at plan time, so the gate fails closed: check that terraform plan succeeded and that the reads are not deferred to apply" if {
	not input.prior_state
}

violation contains msg if {
	some r in any_read
	not r.address in known
	msg := sprintf("%s: its %s are not known: the read failed at plan time (see the plan's warnings), so the gate fails closed", [r.address, kinds[r.type]])
}

violation contains msg if {
	some r in read
	r.address in known
	not r.address in counted
	msg := sprintf("%s: its summary has no unhandled_deny: the provider is too old to count unhandled deny events, so the gate fails closed: upgrade the clusterprotect provider", [r.address])
}

violation contains msg if {
	some rc in input.resource_changes
	rc.mode == "data"
	kinds[rc.type]
	not rc.address in {r.address | some r in any_read}
	msg := sprintf("%s: its %s are not known until apply (%s), so the gate fails closed: make its arguments known at plan time (plantimestamp(), not timestamp())", [
		rc.address, kinds[rc.type], object.get(rc, "action_reason", "read deferred"),
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
	kinds[r.type]
	not r.count_expression
	not r.for_each_expression
	modules := [sprintf("module.%s.", [path[i]]) | some i, _ in path; i > 0; path[i - 1] == "module_calls"]
}

planned contains regex.replace(r.address, `\[[^\]]*\]`, "") if {
	some r in any_read
}

planned contains regex.replace(rc.address, `\[[^\]]*\]`, "") if {
	some rc in input.resource_changes
	rc.mode == "data"
	kinds[rc.type]
}

violation contains msg if {
	some address in configured
	not address in planned
	msg := sprintf("%s: neither read at plan time nor planned for apply: the plan stopped before it (see its errors), so the gate fails closed", [address])
}

# A provider too old to say whether its read was complete fails closed too.
violation contains msg if {
	some r in any_read
	r.address in known
	object.get(r.values, "complete", null) != true
	msg := sprintf("%s: the read may lack %s (complete = %v), so the gate fails closed: see its warnings%s", [
		r.address, kinds[r.type], object.get(r.values, "complete", null), incomplete_hint[r.type],
	])
}

incomplete_hint := {
	"clusterprotect_events": " (a cluster alone past the API's 10,000 cap, or events that moved during the read)",
	"clusterprotect_clusters": " (clusters that moved during the read, or more than the API's 10,000)",
}

violation contains msg if {
	some r in any_read
	r.address in known
	some w in object.get(r.values, "warnings", [])
	msg := sprintf("%s: the read warned, so the gate fails closed: %s", [r.address, w])
}

# Why a read does not cover its region, for the messages below (and, for
# whether it is of this plan and complete, a clusters read too).
uncovered contains [r.address, sprintf("narrowed by %s", [concat(", ", sort(args))])] if {
	some r in read
	args := {a | some [address, a] in narrowed; address == r.address}
	count(args) > 0
}

uncovered contains [r.address, "not read in this plan"] if {
	some r in any_read
	r.address in known
	not fresh(r)
}

uncovered contains [r.address, "not complete"] if {
	some r in any_read
	r.address in known
	object.get(r.values, "complete", null) != true
}

uncovered contains [r.address, "events not known"] if {
	some r in read
	not r.address in counted
}

# Each of reads with why it does not cover, "" when there are none.
uncovered_list(reads) := concat("; ", sort({sprintf("%s: %s", [r.address, concat(", ", sort(reasons))]) |
	some r in reads
	reasons := {why | some [address, why] in uncovered; address == r.address}
	count(reasons) > 0
}))

covering_rule := "a clusterprotect_events data source that read it completely, in this plan, with enterprise_project_id = \"all_granted_eps\" and no cluster_id, handle_status, actions, event_types, created_after or created_before (max_results is fine)"

violation contains msg if {
	some region in required_regions
	not region in complete_regions
	reads := uncovered_list({r | some r in read; object.get(r.values, "region", null) == region})
	msg := sprintf("region %s: no clusterprotect_events data source read it completely at plan time without narrowing%s, so the gate fails closed: it needs %s", [region, parenthesised(reads), covering_rule])
}

violation contains msg if {
	count(required_regions) == 0
	count(covering) == 0
	reads := uncovered_list(read)
	msg := sprintf("no clusterprotect_events data source covers a region in this plan%s, so nothing says the clusters are clean and the gate fails closed: it needs %s", [parenthesised(or_none(reads)), covering_rule])
}

parenthesised(s) := sprintf(" (%s)", [s]) if s != ""

else := ""

or_none(s) := s if s != ""

else := "none was read"

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
#   1.5.7 writes no top-level complete, so read_at is what tells; the
#   timestamp has whole seconds, so there a -target plan within the same
#   second as the last read passes: do not gate on -target plans);
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
#   it, a plan in which no read covers any region;
# - malformed policy data: a key of data.clusterprotect of the wrong type
#   (required_regions null or a string, say) or with entries of the wrong
#   shape, and a likely misspelling of a key (required_region): each is a
#   deny naming the key and what is allowed.
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

# The modules of prior_state: its root_module and, at any depth, their
# child_modules. Only the module tree: a resource's values may hold
# anything, even a "resources" list of records that look like reads.
state_modules contains node if {
	walk(input.prior_state.values.root_module, [path, node])
	state_module_path(path)
}

# [], ["child_modules", 0], ["child_modules", 0, "child_modules", 2], ...
state_module_path(path) if {
	count(path) % 2 == 0
	every i, step in path {
		module_step(i, step, "child_modules")
	}
}

module_step(i, step, key) if {
	i % 2 == 0
	step == key
}

module_step(i, step, _) if {
	i % 2 == 1
	is_number(step)
}

# The modules of the configuration, as [path, module]: root_module, and,
# at any depth, module_calls.NAME.module.
config_modules contains [path, node] if {
	walk(input.configuration.root_module, [path, node])
	count(path) % 3 == 0
	every i, step in path {
		config_step(i % 3, step)
	}
}

config_step(0, "module_calls")

config_step(1, step) if is_string(step)

config_step(2, "module")

# A module path of the configuration runs through a call that has no
# instance: count = 0 or for_each = {} (or []) written as a constant.
# Anything else (a count from a variable) may have instances: fail closed.
no_instances(path) if {
	some i, _ in path
	i % 3 == 1
	call := object.get(input.configuration.root_module, array.slice(path, 0, i + 1), null)
	known_empty(call)
}

known_empty(call) if call.count_expression.constant_value == 0

known_empty(call) if count(call.for_each_expression.constant_value) == 0

# Every clusterprotect_events and clusterprotect_clusters data source in
# prior_state.
any_read contains r if {
	some node in state_modules
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

required_regions := data.clusterprotect.required_regions if string_list(data.clusterprotect.required_regions)

# The policy data: the keys of data.clusterprotect the policy reads (in
# events.rego and clusters.rego), and what each must be. A malformed value
# is a deny, and never turns a rule off (a null required_regions once
# turned off the rule that some read covers a region). Unknown keys cannot
# be listed from inside data.clusterprotect (OPA: recursion, the policy is
# there too), so the likely misspellings of each key are denied by name.
config_allowed := {
	"required_regions": "a list of region names (strings)",
	"required_reads": `a list of objects {"project_id": ..., "region": ..., "account": ...}`,
	"allowed_protect_statuses": "a list of protect_status values (strings)",
	"removed_clusters": "a list of cluster IDs (strings)",
	"max_plan_age": `a duration string such as "1h" or "15m"`,
}

string_list(x) if {
	is_array(x)
	every v in x {
		is_string(v)
	}
}

config_value("required_regions") := data.clusterprotect.required_regions

config_value("required_reads") := data.clusterprotect.required_reads

config_value("allowed_protect_statuses") := data.clusterprotect.allowed_protect_statuses

config_value("removed_clusters") := data.clusterprotect.removed_clusters

config_value("max_plan_age") := data.clusterprotect.max_plan_age

config_valid("required_regions", v) if string_list(v)

config_valid("allowed_protect_statuses", v) if string_list(v)

config_valid("removed_clusters", v) if string_list(v)

# Each entry's shape is checked in clusters.rego (valid_entry).
config_valid("required_reads", v) if is_array(v)

config_valid("max_plan_age", v) if time.parse_duration_ns(v)

violation contains msg if {
	some key, allowed in config_allowed
	v := config_value(key)
	not config_valid(key, v)
	msg := sprintf("data.clusterprotect.%s is %s: it must be %s, so the gate fails closed: fix the data file passed with -d", [key, json.marshal(v), allowed])
}

# The same keys at the top of the data file, outside {"clusterprotect": ...}
# (or the whole of `terraform output -json`, whose outputs are at the top):
# the policy would not read them and pass as if no data was given.
unwrapped("required_regions") := data.required_regions

unwrapped("required_reads") := data.required_reads

unwrapped("allowed_protect_statuses") := data.allowed_protect_statuses

unwrapped("removed_clusters") := data.removed_clusters

unwrapped("max_plan_age") := data.max_plan_age

unwrapped_hint("required_reads") := " (terraform output -json required_reads writes the file as the policy reads it)"

default unwrapped_hint(_) := ""

violation contains msg if {
	some key, _ in config_allowed
	_ = unwrapped(key) # defined, whatever its value (false included)
	msg := sprintf(`data.%s is at the top of the data file, where the policy does not read it: put it under "clusterprotect", as {"clusterprotect": {"%s": ...}}, so the gate fails closed until then%s`, [key, key, unwrapped_hint(key)])
}

# Likely misspellings of each key: singular or plural, hyphens, camelCase.
misspellings := {
	"required_region": "required_regions", "require_regions": "required_regions", "required-regions": "required_regions",
	"requiredRegions": "required_regions", "regions": "required_regions", "region": "required_regions",
	"required_read": "required_reads", "require_reads": "required_reads", "required-reads": "required_reads",
	"requiredReads": "required_reads",
	"allowed_protect_status": "allowed_protect_statuses", "allowed-protect-statuses": "allowed_protect_statuses",
	"allowedProtectStatuses": "allowed_protect_statuses", "allowed_statuses": "allowed_protect_statuses",
	"removed_cluster": "removed_clusters", "removed-clusters": "removed_clusters", "removedClusters": "removed_clusters",
	"max_plan_ages": "max_plan_age", "max-plan-age": "max_plan_age", "maxPlanAge": "max_plan_age", "max_age": "max_plan_age",
}

# Whether data.clusterprotect has the key: one reference each, as a
# reference with a variable key would reach the policy's own rules.
misspelled("required_region") if data.clusterprotect.required_region != "{not given}"

misspelled("require_regions") if data.clusterprotect.require_regions != "{not given}"

misspelled("required-regions") if data.clusterprotect["required-regions"] != "{not given}"

misspelled("requiredRegions") if data.clusterprotect.requiredRegions != "{not given}"

misspelled("regions") if data.clusterprotect.regions != "{not given}"

misspelled("region") if data.clusterprotect.region != "{not given}"

misspelled("required_read") if data.clusterprotect.required_read != "{not given}"

misspelled("require_reads") if data.clusterprotect.require_reads != "{not given}"

misspelled("required-reads") if data.clusterprotect["required-reads"] != "{not given}"

misspelled("requiredReads") if data.clusterprotect.requiredReads != "{not given}"

misspelled("allowed_protect_status") if data.clusterprotect.allowed_protect_status != "{not given}"

misspelled("allowed-protect-statuses") if data.clusterprotect["allowed-protect-statuses"] != "{not given}"

misspelled("allowedProtectStatuses") if data.clusterprotect.allowedProtectStatuses != "{not given}"

misspelled("allowed_statuses") if data.clusterprotect.allowed_statuses != "{not given}"

misspelled("removed_cluster") if data.clusterprotect.removed_cluster != "{not given}"

misspelled("removed-clusters") if data.clusterprotect["removed-clusters"] != "{not given}"

misspelled("removedClusters") if data.clusterprotect.removedClusters != "{not given}"

misspelled("max_plan_ages") if data.clusterprotect.max_plan_ages != "{not given}"

misspelled("max-plan-age") if data.clusterprotect["max-plan-age"] != "{not given}"

misspelled("maxPlanAge") if data.clusterprotect.maxPlanAge != "{not given}"

misspelled("max_age") if data.clusterprotect.max_age != "{not given}"

violation contains msg if {
	some wrong, right in misspellings
	misspelled(wrong)
	msg := sprintf("data.clusterprotect.%s is not a key the policy reads (did you mean %s?), so the gate fails closed: the keys are %s", [wrong, right, concat(", ", sort(object.keys(config_allowed)))])
}

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
# to the other rules; so are those of a module called with a constant
# count = 0 or for_each = {} (Terraform 1.5.7 writes no instance of them).
configured contains concat("", array.concat(modules, [r.address])) if {
	not "errored" in object.keys(input)
	some [path, node] in config_modules
	not no_instances(path)
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

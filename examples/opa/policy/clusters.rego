# Coverage: the rules that say whether every cluster is protected, and
# whether every account and region the gate must see was read. A gate that
# finds no deny events says nothing about a cluster where HSS protection is
# off, its plug-in is in error, or no policy is deployed: such a cluster
# raises no events. events.deny (the one entry point) denies each of these
# violations too, naming the account (project), region, cluster and status:
#
# - a cluster whose protect_status is not in allowed_protect_statuses
#   (default ["protected with policy"]; data.clusterprotect.
#   allowed_protect_statuses changes it), or that has none;
# - a project and region whose events are read but whose clusters no
#   clusterprotect_clusters data source read completely in this plan
#   (coverage unknown);
# - events of a cluster_id that the project's clusters read does not list:
#   a cluster removed from HSS keeps its events, so its ID may be listed in
#   data.clusterprotect.removed_clusters once that is checked; a running
#   cluster HSS does not list is not protected;
# - with data.clusterprotect.required_reads, a list of
#   {"project_id": ..., "region": ..., "account": ...} (region and account
#   optional), an entry whose events or whose clusters no complete,
#   unnarrowed read of this plan covers: one account's read never covers
#   another's, unlike required_regions.
#
# Whether a clusters read happened, completely, in this plan, without
# warnings, is judged by the rules of events.rego, which hold for both data
# sources.
package clusterprotect.clusters

import rego.v1

import data.clusterprotect.events

# Every clusterprotect_clusters data source in prior_state.
read contains r if {
	some r in events.any_read
	r.type == "clusterprotect_clusters"
}

default allowed_protect_statuses := ["protected with policy"]

allowed_protect_statuses := data.clusterprotect.allowed_protect_statuses

default removed_clusters := []

removed_clusters := data.clusterprotect.removed_clusters

default required_reads := []

required_reads := data.clusterprotect.required_reads if is_array(data.clusterprotect.required_reads)

# What each protect_status the API documents means, for the messages.
meaning := {
	"unprotected": "not protected",
	"plugin error": "the protection plug-in is in error",
	"protected with policy": "protected, with at least one policy",
	"deploy policy failed": "a policy could not be deployed",
	"protected without policy": "the plug-in runs, but no policy is deployed",
	"uninstall failed": "removing the plug-in failed",
	"uninstall": "the plug-in was removed",
}

# The project and region a read is of: the project is in state once read
# (resolved through IAM where the configuration left it out); the region is
# null for an explicit endpoint and project.
place(r) := [object.get(r.values, "project_id", null), object.get(r.values, "region", null)]

# "account NAME (project P, region R)" when required_reads names the
# account of the project, else "project P, region R".
where(p) := sprintf("account %s (project %v, region %v)", [q.account, p[0], p[1]]) if {
	some q in required_reads
	matches(q, p)
	is_string(q.account)
} else := sprintf("project %v, region %v", p)

# A required_reads entry names a place by its project, and by its region
# when it gives one (a project ID is of one region already; the region
# catches an ID pasted into the wrong entry).
matches(q, p) if {
	q.project_id == p[0]
	object.get(q, "region", p[1]) == p[1]
}

# The clusters reads that list every cluster of their project and region:
# in this plan, complete, with a data_list, and of every enterprise
# project.
covering contains r if {
	some r in read
	r.address in events.known
	r.values.complete == true
	events.fresh(r)
	object.get(r.values, "enterprise_project_id", null) == "all_granted_eps"
	is_array(r.values.data_list)
}

covered_places contains place(r) if some r in covering

# Why a clusters read does not cover its place, for the messages.
uncovered contains [r.address, why] if {
	some r in read
	some [address, why] in events.uncovered
	address == r.address
}

uncovered contains [r.address, "narrowed by enterprise_project_id"] if {
	some r in read
	object.get(r.values, "enterprise_project_id", null) != "all_granted_eps"
}

uncovered contains [r.address, "clusters not known"] if {
	some r in read
	not r.address in events.known
}

uncovered_list(reads) := concat("; ", sort({sprintf("%s: %s", [r.address, concat(", ", sort(reasons))]) |
	some r in reads
	reasons := {why | some [address, why] in uncovered; address == r.address}
	count(reasons) > 0
}))

quote(s) := json.marshal(s)

status_text(null) := "no protect_status (the API left it out)"

status_text(s) := sprintf("protect_status %s (%s)", [quote(s), object.get(meaning, s, "a value the API document does not list")]) if s != null

violation contains msg if {
	some r in read
	r.address in events.known
	some c in events.data_list(r)
	status := object.get(c, "protect_status", null)
	not status in allowed_protect_statuses
	msg := sprintf("%s: %s: cluster %v (%v) has %s, and the gate allows only %s (data.clusterprotect.allowed_protect_statuses)", [
		r.address, where(place(r)), object.get(c, "cluster_name", null), object.get(c, "cluster_id", null),
		status_text(status), concat(", ", [quote(s) | some s in allowed_protect_statuses]),
	])
}

violation contains msg if {
	some r in read
	r.address in events.known
	not is_array(r.values.data_list)
	msg := sprintf("%s: %s: its summary is known but its data_list is not, so which clusters are protected is not known and the gate fails closed: upgrade the clusterprotect provider", [r.address, where(place(r))])
}

# The places whose events are read, and by which reads.
events_places contains place(r) if {
	some r in events.read
	r.address in events.known
}

violation contains msg if {
	some p in events_places
	not p in covered_places
	readers := concat(", ", sort({r.address | some r in events.read; r.address in events.known; place(r) == p}))
	why := uncovered_list({r | some r in read; place(r) == p})
	msg := sprintf("%s: its events are read (%s) but no clusterprotect_clusters data source read its clusters completely in this plan%s: a cluster without protection raises no events, so coverage is unknown and the gate fails closed: %s", [
		where(p), readers, events.parenthesised(why), cover_clusters_hint,
	])
}

cover_clusters_hint := "read them with a clusterprotect_clusters data source of the same provider, region and project, with enterprise_project_id = \"all_granted_eps\""

# The cluster IDs listed at each covered place.
listed(p) := {id | some r in covering; place(r) == p; some c in r.values.data_list; id := c.cluster_id}

# [place, cluster ID] of each event's cluster the place's clusters read
# does not list: summary.by_cluster_id counts every event the read
# matched, whatever max_results cut.
unlisted contains [p, id] if {
	some r in events.read
	r.address in events.counted
	p := place(r)
	p in covered_places
	some id, n in r.values.summary.by_cluster_id
	n > 0
	not id in listed(p)
	not id in removed_clusters
}

violation contains msg if {
	some [p, id] in unlisted
	reads := {r | some r in events.read; r.address in events.counted; place(r) == p; r.values.summary.by_cluster_id[id] > 0}
	n := max({r.values.summary.by_cluster_id[id] | some r in reads})
	names := {name | some r in reads; some e in events.data_list(r); e.cluster_id == id; name := e.cluster_name; is_string(name)}
	msg := sprintf("%s: %d event(s) of cluster %s%s (%s), which HSS does not list: a cluster removed from HSS keeps its events, and a running cluster HSS does not list is not protected, so the gate fails closed: bring it under HSS, or, once it is checked that it was removed, add its ID to data.clusterprotect.removed_clusters", [
		where(p), n, id, events.parenthesised(concat(", ", sort(names))), concat(", ", sort({r.address | some r in reads})),
	])
}

violation contains msg if {
	some i, q in required_reads
	not valid_entry(q)
	msg := sprintf("data.clusterprotect.required_reads[%d] is %s: each entry needs a project_id (a string) and may give a region and an account (strings), so the gate fails closed", [i, json.marshal(q)])
}

# A project belongs to one account: one named under two accounts means an
# alias read another account (given its credentials), and the required_reads
# written from it would hide the account that is never read.
violation contains msg if {
	some q in required_reads
	valid_entry(q)
	accounts := {a.account | some a in required_reads; valid_entry(a); a.project_id == q.project_id; is_string(a.account)}
	count(accounts) > 1
	msg := sprintf("data.clusterprotect.required_reads names project %s under more than one account (%s): a project belongs to one account, so an alias was likely given another account's credentials and read that account; the gate fails closed: give each alias its own account's credentials and write required_reads again", [
		q.project_id, concat(", ", sort(accounts)),
	])
}

valid_entry(q) if {
	is_object(q)
	is_string(q.project_id)
	every k, v in q {
		k in {"project_id", "region", "account"}
		is_string(v)
	}
}

violation contains msg if {
	some q in required_reads
	valid_entry(q)
	not covered_by_events(q)
	why := events.uncovered_list({r | some r in events.read; matches(q, place(r))})
	msg := sprintf("%s: required (data.clusterprotect.required_reads), but no clusterprotect_events data source read it completely at plan time without narrowing%s, so the gate fails closed: it needs %s, of this account's provider", [
		required_where(q), events.parenthesised(why), events.covering_rule,
	])
}

violation contains msg if {
	some q in required_reads
	valid_entry(q)
	not covered_by_clusters(q)
	why := uncovered_list({r | some r in read; matches(q, place(r))})
	msg := sprintf("%s: required (data.clusterprotect.required_reads), but no clusterprotect_clusters data source read its clusters completely in this plan%s, so the gate fails closed: %s", [
		required_where(q), events.parenthesised(why), cover_clusters_hint,
	])
}

covered_by_events(q) if {
	some r in events.covering
	matches(q, place(r))
}

covered_by_clusters(q) if {
	some p in covered_places
	matches(q, p)
}

required_where(q) := sprintf("account %s (project %s%s)", [q.account, q.project_id, region_suffix(q)]) if is_string(q.account)

else := sprintf("project %s%s", [q.project_id, region_suffix(q)])

region_suffix(q) := sprintf(", region %s", [q.region]) if is_string(q.region)

else := ""

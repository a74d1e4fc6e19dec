package clusterprotect.clusters_test

import rego.v1

import data.clusterprotect.events
import data.clusterprotect.events_test as fx

ap := ["p-ap", "ap-southeast-1"]

eu := ["p-eu", "eu-west-101"]

cluster(name, status) := {
	"cluster_name": name, "cluster_id": sprintf("id-%s", [name]), "cluster_version": "v1.29",
	"protect_status": status, "policy_num": 2, "cluster_status": "Available", "cluster_type": "cce",
}

protected := [cluster("payments", "protected with policy"), cluster("batch", "protected with policy")]

# A complete, unnarrowed events read of place in this plan, with no
# unhandled deny event, whose events name the clusters of by_cluster_id.
events_of(address, place, by_cluster_id) := fx.with_values(fx.ds(address, []), {
	"project_id": place[0], "region": place[1],
	"summary": {"total": sum([n | some n in by_cluster_id]), "unhandled_deny": 0, "by_cluster_id": by_cluster_id},
})

clusters_of(address, place, list) := fx.clusters_ds(address, place, list)

# A plan of exactly these reads, in the root module.
plan(resources) := fx.plan_of(resources, [])

ev_ap := "data.clusterprotect_events.ap"

cl_ap := "data.clusterprotect_clusters.ap"

clean_ap := [events_of(ev_ap, ap, {"id-payments": 3}), clusters_of(cl_ap, ap, protected)]

test_all_protected_and_clean_passes if {
	count(events.deny) == 0 with input as plan(clean_ap)
}

test_denies_an_unprotected_cluster if {
	r := clusters_of(cl_ap, ap, array.concat(protected, [cluster("dev", "unprotected")]))
	events.deny == {`data.clusterprotect_clusters.ap: project p-ap, region ap-southeast-1: cluster dev (id-dev) has protect_status "unprotected" (not protected), and the gate allows only "protected with policy" (data.clusterprotect.allowed_protect_statuses)`} with input as plan([clean_ap[0], r])
}

test_denies_each_status_but_the_allowed_ones if {
	every s in ["plugin error", "deploy policy failed", "protected without policy", "uninstall failed", "uninstall", "Protected With Policy", "paused"] {
		r := clusters_of(cl_ap, ap, array.concat(protected, [cluster("c", s)]))
		msgs := events.deny with input as plan([clean_ap[0], r])
		count(msgs) == 1
		some msg in msgs
		startswith(msg, sprintf("data.clusterprotect_clusters.ap: project p-ap, region ap-southeast-1: cluster c (id-c) has protect_status %s (", [json.marshal(s)]))
	}
}

test_names_what_a_status_means if {
	r := clusters_of(cl_ap, ap, array.concat(protected, [cluster("c", "plugin error"), cluster("d", "paused")]))
	msgs := events.deny with input as plan([clean_ap[0], r])
	msgs == {
		`data.clusterprotect_clusters.ap: project p-ap, region ap-southeast-1: cluster c (id-c) has protect_status "plugin error" (the protection plug-in is in error), and the gate allows only "protected with policy" (data.clusterprotect.allowed_protect_statuses)`,
		`data.clusterprotect_clusters.ap: project p-ap, region ap-southeast-1: cluster d (id-d) has protect_status "paused" (a value the API document does not list), and the gate allows only "protected with policy" (data.clusterprotect.allowed_protect_statuses)`,
	}
}

test_a_cluster_without_protect_status_is_denied if {
	every c in [object.remove(cluster("c", ""), ["protect_status"]), cluster("c", null)] {
		r := clusters_of(cl_ap, ap, array.concat(protected, [c]))
		events.deny == {`data.clusterprotect_clusters.ap: project p-ap, region ap-southeast-1: cluster c (id-c) has no protect_status (the API left it out), and the gate allows only "protected with policy" (data.clusterprotect.allowed_protect_statuses)`} with input as plan([clean_ap[0], r])
	}
}

test_allowed_protect_statuses_from_data if {
	r := clusters_of(cl_ap, ap, [cluster("payments", "protected with policy"), cluster("d", "protected without policy")])
	count(events.deny) == 0 with input as plan([clean_ap[0], r])
		with data.clusterprotect.allowed_protect_statuses as ["protected with policy", "protected without policy"]
	msgs := events.deny with input as plan([clean_ap[0], r]) with data.clusterprotect.allowed_protect_statuses as ["protected without policy"]
	msgs == {`data.clusterprotect_clusters.ap: project p-ap, region ap-southeast-1: cluster payments (id-payments) has protect_status "protected with policy" (protected, with at least one policy), and the gate allows only "protected without policy" (data.clusterprotect.allowed_protect_statuses)`}
}

coverage_unknown(place, readers, why) := sprintf("project %s, region %s: its events are read (%s) but no clusterprotect_clusters data source read its clusters completely in this plan%s: a cluster without protection raises no events, so coverage is unknown and the gate fails closed: read them with a clusterprotect_clusters data source of the same provider, region and project, with enterprise_project_id = \"all_granted_eps\"", [place[0], place[1], readers, why])

test_denies_events_read_without_clusters if {
	events.deny == {coverage_unknown(ap, ev_ap, "")} with input as plan([clean_ap[0]])
}

# Clusters of another project, or region, do not cover these events.
test_clusters_of_another_place_do_not_cover if {
	for_eu := clusters_of(cl_ap, eu, protected)
	events.deny == {coverage_unknown(ap, ev_ap, "")} with input as plan([clean_ap[0], for_eu])
	other_region := clusters_of(cl_ap, ["p-ap", "eu-west-101"], protected)
	events.deny == {coverage_unknown(ap, ev_ap, "")} with input as plan([clean_ap[0], other_region])
}

# A narrowed events read still needs the clusters of its place.
test_a_narrowed_events_read_needs_clusters_too if {
	narrow := fx.with_values(events_of("module.prod.data.clusterprotect_events.deny", eu, {}), {"actions": ["deny"]})
	events.deny == {coverage_unknown(eu, "module.prod.data.clusterprotect_events.deny", "")} with input as plan(array.concat(clean_ap, [narrow]))
}

test_a_clusters_read_of_one_enterprise_project_does_not_cover if {
	every eps in ["0", null, "8f2e0c4a-31d5-4b4e-9a52-2d1f0c7b6e11"] {
		r := fx.with_values(clusters_of(cl_ap, ap, protected), {"enterprise_project_id": eps})
		events.deny == {coverage_unknown(ap, ev_ap, " (data.clusterprotect_clusters.ap: narrowed by enterprise_project_id)")} with input as plan([clean_ap[0], r])
	}
}

test_denies_an_incomplete_clusters_read if {
	r := fx.with_values(clusters_of(cl_ap, ap, protected), {"complete": false, "warnings": ["Cluster protection clusters may be incomplete: the list changed while it was read."]})
	events.deny == {
		"data.clusterprotect_clusters.ap: the read may lack clusters (complete = false), so the gate fails closed: see its warnings (clusters that moved during the read, or more than the API's 10,000)",
		"data.clusterprotect_clusters.ap: the read warned, so the gate fails closed: Cluster protection clusters may be incomplete: the list changed while it was read.",
		coverage_unknown(ap, ev_ap, " (data.clusterprotect_clusters.ap: not complete)"),
	} with input as plan([clean_ap[0], r])
}

test_denies_a_clusters_read_of_an_earlier_run if {
	r := fx.with_values(clusters_of(cl_ap, ap, protected), {"read_at": "2026-12-01T10:00:00Z"})
	events.deny == {
		sprintf("data.clusterprotect_clusters.ap: not read in this plan (read_at 2026-12-01T10:00:00Z, the plan's timestamp %s): prior_state holds the read of an earlier run (as in a plan with -target of something else, or a provider too old to set read_at), so the gate fails closed: plan without -target", [fx.now_stamp]),
		coverage_unknown(ap, ev_ap, " (data.clusterprotect_clusters.ap: not read in this plan)"),
	} with input as plan([clean_ap[0], r])
}

# As a check-scoped read that failed sits in prior_state: the arguments
# configured, the rest null.
test_denies_a_failed_clusters_read if {
	failed := {"address": cl_ap, "mode": "data", "type": "clusterprotect_clusters", "values": {
		"project_id": null, "region": null, "enterprise_project_id": "all_granted_eps",
		"data_list": null, "summary": null, "complete": null, "warnings": null, "read_at": null,
	}}
	events.deny == {
		"data.clusterprotect_clusters.ap: its clusters are not known: the read failed at plan time (see the plan's warnings), so the gate fails closed",
		coverage_unknown(ap, ev_ap, ""),
	} with input as plan([clean_ap[0], failed])
}

test_denies_a_clusters_read_deferred_to_apply if {
	deferred := {"address": cl_ap, "mode": "data", "type": "clusterprotect_clusters", "action_reason": "read_because_config_unknown", "change": {"actions": ["read"]}}
	msgs := events.deny with input as object.union(plan([clean_ap[0]]), {"resource_changes": [deferred]})
	msgs == {
		"data.clusterprotect_clusters.ap: its clusters are not known until apply (read_because_config_unknown), so the gate fails closed: make its arguments known at plan time (plantimestamp(), not timestamp())",
		coverage_unknown(ap, ev_ap, ""),
	}
}

# Terraform 1.5.7 writes no errored field.
test_denies_a_clusters_read_the_plan_never_reached if {
	p := object.union(plan(clean_ap), {"configuration": {"root_module": {"resources": [
		{"address": ev_ap, "mode": "data", "type": "clusterprotect_events", "name": "ap"},
		{"address": cl_ap, "mode": "data", "type": "clusterprotect_clusters", "name": "ap"},
		{"address": "data.clusterprotect_clusters.eu", "mode": "data", "type": "clusterprotect_clusters", "name": "eu"},
	]}}})
	events.deny == {"data.clusterprotect_clusters.eu: neither read at plan time nor planned for apply: the plan stopped before it (see its errors), so the gate fails closed"} with input as p
}

test_denies_a_clusters_read_without_data_list if {
	r := fx.with_values(clusters_of(cl_ap, ap, protected), {"data_list": null})
	msgs := events.deny with input as plan([clean_ap[0], r])
	"data.clusterprotect_clusters.ap: project p-ap, region ap-southeast-1: its summary is known but its data_list is not, so which clusters are protected is not known and the gate fails closed: upgrade the clusterprotect provider" in msgs
	coverage_unknown(ap, ev_ap, "") in msgs
}

unlisted_message := "project p-ap, region ap-southeast-1: 4 event(s) of cluster id-gone (gone) (data.clusterprotect_events.ap), which HSS does not list: a cluster removed from HSS keeps its events, and a running cluster HSS does not list is not protected, so the gate fails closed: bring it under HSS, or, once it is checked that it was removed, add its ID to data.clusterprotect.removed_clusters"

test_denies_events_of_a_cluster_hss_does_not_list if {
	ev := fx.with_values(events_of(ev_ap, ap, {"id-payments": 3, "id-gone": 4}), {"data_list": [{"event_id": "e1", "cluster_id": "id-gone", "cluster_name": "gone", "action": "warn", "handle_status": "handled"}]})
	events.deny == {unlisted_message} with input as plan([ev, clean_ap[1]])
	count(events.deny) == 0 with input as plan([ev, clean_ap[1]]) with data.clusterprotect.removed_clusters as ["id-gone"]
}

# Several reads of the place: one message, naming each read; the name is
# left out where no data_list shows an event of the cluster.
test_unlisted_cluster_once_per_place if {
	a := events_of(ev_ap, ap, {"id-gone": 4})
	b := fx.with_values(events_of("module.prod.data.clusterprotect_events.deny", ap, {"id-gone": 1}), {"actions": ["deny"]})
	events.deny == {"project p-ap, region ap-southeast-1: 4 event(s) of cluster id-gone (data.clusterprotect_events.ap, module.prod.data.clusterprotect_events.deny), which HSS does not list: a cluster removed from HSS keeps its events, and a running cluster HSS does not list is not protected, so the gate fails closed: bring it under HSS, or, once it is checked that it was removed, add its ID to data.clusterprotect.removed_clusters"} with input as plan([a, b, clean_ap[1]])
}

req := [
	{"account": "security", "project_id": "p-ap", "region": "ap-southeast-1"},
	{"account": "member-a", "project_id": "p-eu", "region": "eu-west-101"},
]

clean_eu := [events_of("data.clusterprotect_events.eu", eu, {}), clusters_of("data.clusterprotect_clusters.eu", eu, protected)]

test_required_reads_covered_pass if {
	count(events.deny) == 0 with input as plan(array.concat(clean_ap, clean_eu)) with data.clusterprotect.required_reads as req
}

# The account's module removed: its reads are gone, and required_regions
# alone would not see it where another account reads the same region.
test_denies_a_required_account_not_read if {
	msgs := events.deny with input as plan(clean_ap) with data.clusterprotect.required_reads as req
	msgs == {
		sprintf("account member-a (project p-eu, region eu-west-101): required (data.clusterprotect.required_reads), but no clusterprotect_events data source read it completely at plan time without narrowing, so the gate fails closed: it needs %s, of this account's provider", [fx.covering_rule]),
		"account member-a (project p-eu, region eu-west-101): required (data.clusterprotect.required_reads), but no clusterprotect_clusters data source read its clusters completely in this plan, so the gate fails closed: read them with a clusterprotect_clusters data source of the same provider, region and project, with enterprise_project_id = \"all_granted_eps\"",
	}

	# Another account's read of the same region covers required_regions.
	same_region := [fx.with_values(clean_ap[0], {"project_id": "p-other"}), fx.with_values(clean_ap[1], {"project_id": "p-other"})]
	count(events.deny) == 0 with input as plan(same_region) with data.clusterprotect.required_regions as ["ap-southeast-1"]
	by_account := events.deny with input as plan(same_region) with data.clusterprotect.required_reads as [req[0]]
	count(by_account) == 2
}

test_required_reads_name_the_account_in_every_message if {
	r := clusters_of(cl_ap, ap, array.concat(protected, [cluster("dev", "plugin error")]))
	msgs := events.deny with input as plan([clean_ap[0], r]) with data.clusterprotect.required_reads as [req[0]]
	msgs == {`data.clusterprotect_clusters.ap: account security (project p-ap, region ap-southeast-1): cluster dev (id-dev) has protect_status "plugin error" (the protection plug-in is in error), and the gate allows only "protected with policy" (data.clusterprotect.allowed_protect_statuses)`}
}

test_a_required_read_that_is_narrowed_or_cut_does_not_cover if {
	narrow := fx.with_values(clean_ap[0], {"cluster_id": "id-payments"})
	cut := fx.with_values(clean_ap[1], {"complete": false})
	msgs := events.deny with input as plan([narrow, cut]) with data.clusterprotect.required_reads as [req[0]]
	sprintf("account security (project p-ap, region ap-southeast-1): required (data.clusterprotect.required_reads), but no clusterprotect_events data source read it completely at plan time without narrowing (data.clusterprotect_events.ap: narrowed by cluster_id), so the gate fails closed: it needs %s, of this account's provider", [fx.covering_rule]) in msgs
	"account security (project p-ap, region ap-southeast-1): required (data.clusterprotect.required_reads), but no clusterprotect_clusters data source read its clusters completely in this plan (data.clusterprotect_clusters.ap: not complete), so the gate fails closed: read them with a clusterprotect_clusters data source of the same provider, region and project, with enterprise_project_id = \"all_granted_eps\"" in msgs
}

test_a_required_read_of_another_region_does_not_cover if {
	msgs := events.deny with input as plan(clean_ap) with data.clusterprotect.required_reads as [{"project_id": "p-ap", "region": "eu-west-101"}]
	count(msgs) == 2
	every m in msgs {
		startswith(m, "project p-ap, region eu-west-101: required (data.clusterprotect.required_reads), but no ")
	}
}

test_a_required_read_without_region_matches_its_project if {
	count(events.deny) == 0 with input as plan(clean_ap) with data.clusterprotect.required_reads as [{"project_id": "p-ap"}]
}

test_denies_a_required_read_entry_it_cannot_use if {
	every q in [{"region": "ap-southeast-1"}, "p-ap", {"project_id": "p-ap", "regoin": "ap-southeast-1"}, {"project_id": 7}] {
		msgs := events.deny with input as plan(clean_ap) with data.clusterprotect.required_reads as [q]
		msgs == {sprintf("data.clusterprotect.required_reads[0] is %s: each entry needs a project_id (a string) and may give a region and an account (strings), so the gate fails closed", [json.marshal(q)])}
	}
}

# An alias given another account's keys reads that account: the required_reads
# output then lists one project under two accounts, and the gate must say so.
test_denies_a_project_required_under_two_accounts if {
	two := [
		{"account": "security", "project_id": "p-ap", "region": "ap-southeast-1"},
		{"account": "member-b", "project_id": "p-ap", "region": "ap-southeast-1"},
	]
	msgs := events.deny with input as plan(clean_ap) with data.clusterprotect.required_reads as two
	msgs == {`data.clusterprotect.required_reads names project p-ap under more than one account (member-b, security): a project belongs to one account, so an alias was likely given another account's credentials and read that account; the gate fails closed: give each alias its own account's credentials and write required_reads again`}
}

test_the_same_project_twice_under_one_account_passes if {
	same := [{"account": "security", "project_id": "p-ap"}, {"account": "security", "project_id": "p-ap", "region": "ap-southeast-1"}]
	count(events.deny) == 0 with input as plan(clean_ap) with data.clusterprotect.required_reads as same
}

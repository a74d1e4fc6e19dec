# A check block warns, and does not fail the plan, when unhandled deny
# events were raised in the last 24 hours. The data source is scoped to the
# check: its read errors become warnings too, and the small summary decides.
# plantimestamp() is known at plan time, so the window is computed in HCL and
# the read stays in the plan.
terraform {
  required_providers {
    clusterprotect = {
      source = "clusterprotect/clusterprotect"
    }
  }
}

provider "clusterprotect" {}

check "no_unhandled_deny_events" {
  data "clusterprotect_events" "recent" {
    # No actions or handle_status: they would leave out a deny event whose
    # action or handle_status the API left out. summary.unhandled_deny
    # counts every event that may be an unhandled deny event.
    enterprise_project_id = "all_granted_eps"
    created_after         = timeadd(plantimestamp(), "-24h")
    max_results           = 5 # the plan prints the whole data source: keep it small
  }

  assert {
    # summary counts every match, not only the 5 shown; complete is false
    # when the read may lack events.
    condition = (data.clusterprotect_events.recent.complete &&
    data.clusterprotect_events.recent.summary.unhandled_deny == 0)
    error_message = format("%d unhandled deny events in the last 24 hours%s; the newest shown: %s",
      data.clusterprotect_events.recent.summary.unhandled_deny,
      data.clusterprotect_events.recent.complete ? "" : " (or more: the read may lack events, complete = false)",
      join("; ", [
        for e in data.clusterprotect_events.recent.data_list :
        "${e.cluster_name} ${try(e.resource_info.namespace, "")}/${try(e.resource_info.name, "")} (${e.policy_name})"
        if lower(try(coalesce(e.action, e.resource_info.enforcement_action), "deny")) == "deny" && lower(try(coalesce(e.handle_status), "")) != "handled"
    ]))
  }
}

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
  data "clusterprotect_events" "unhandled_deny" {
    enterprise_project_id = "all_granted_eps"
    actions               = ["deny"]
    handle_status         = "unhandled"
    created_after         = timeadd(plantimestamp(), "-24h")
    max_results           = 5 # the plan prints the whole data source: keep it small
  }

  assert {
    # summary.total counts every match, not only the 5 shown.
    condition = data.clusterprotect_events.unhandled_deny.summary.total == 0
    error_message = format("%d unhandled deny events in the last 24 hours; the newest: %s",
      data.clusterprotect_events.unhandled_deny.summary.total,
      join("; ", [
        for e in data.clusterprotect_events.unhandled_deny.data_list :
        "${e.cluster_name} ${try(e.resource_info.namespace, "")}/${try(e.resource_info.name, "")} (${e.policy_name})"
    ]))
  }
}

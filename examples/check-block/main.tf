# A check block warns, and does not fail the plan, when unhandled deny
# events exist. The data source is scoped to the check: its read errors
# become warnings too, and only the small summary decides.
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
    max_results           = 5 # the plan prints the whole data source: keep it small
  }

  assert {
    condition = data.clusterprotect_events.unhandled_deny.summary.total == 0
    error_message = format("Unhandled deny events exist; the newest: %s",
      join("; ", [
        for e in data.clusterprotect_events.unhandled_deny.data_list :
        "${e.cluster_name} ${try(e.resource_info.namespace, "")}/${try(e.resource_info.name, "")} (${e.policy_name})"
    ]))
  }
}

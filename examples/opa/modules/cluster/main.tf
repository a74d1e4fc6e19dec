terraform {
  required_providers {
    clusterprotect = {
      source = "clusterprotect/clusterprotect"
    }
  }
}

check "deny_events" {
  data "clusterprotect_events" "deny" {
    enterprise_project_id = "all_granted_eps"
    actions               = ["deny"]
  }

  assert {
    condition     = lookup(data.clusterprotect_events.deny.summary.by_handle_status, "unhandled", 0) == 0
    error_message = "Unhandled deny events exist in the prod clusters."
  }
}

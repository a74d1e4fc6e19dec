terraform {
  required_providers {
    clusterprotect = {
      source = "clusterprotect/clusterprotect"
    }
  }
}

# Narrowed to deny events: it does not cover the region for the policy (a
# deny event whose action the API left out is not in it), but what it
# counts is still denied.
check "deny_events" {
  data "clusterprotect_events" "deny" {
    enterprise_project_id = "all_granted_eps"
    actions               = ["deny"]
  }

  assert {
    condition     = data.clusterprotect_events.deny.summary.unhandled_deny == 0
    error_message = "Unhandled deny events exist in the prod clusters."
  }
}

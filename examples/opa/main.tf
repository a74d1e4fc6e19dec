# Plan JSON for the OPA policy in policy/: one data source in the root module
# and one in a child module. Both are scoped to check blocks, as many
# configurations have them, so a failed read only warns and the plan goes
# on: the policy then denies the data source whose events are not known.
terraform {
  required_providers {
    clusterprotect = {
      source = "clusterprotect/clusterprotect"
    }
  }
}

provider "clusterprotect" {}

check "cluster_events" {
  data "clusterprotect_events" "all" {
    enterprise_project_id = "all_granted_eps"
    handle_status         = "unhandled"
  }

  assert {
    condition     = lookup(data.clusterprotect_events.all.summary.by_action, "deny", 0) == 0
    error_message = "Unhandled deny events exist in the container clusters."
  }
}

module "prod" {
  source = "./modules/cluster"
}

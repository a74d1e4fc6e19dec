# Plan JSON for the OPA policy in policy/: one data source in the root module
# and one in a child module. Both are scoped to check blocks, as many
# configurations have them, so a failed read only warns and the plan goes
# on: the policy then denies the data source whose events are not known.
#
# The root read narrows nothing (every enterprise project, no filter), so it
# covers its region for the policy; summary.unhandled_deny counts every
# unhandled deny event it read, also those whose status or action the API
# left out.
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
  }

  assert {
    condition     = data.clusterprotect_events.all.summary.unhandled_deny == 0
    error_message = "Unhandled deny events exist in the container clusters."
  }
}

module "prod" {
  source = "./modules/cluster"
}

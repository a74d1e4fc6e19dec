# Plan JSON for the OPA policy in policy/: one data source in the root module
# and one in a child module. Both are scoped to check blocks, as many
# configurations have them, so a failed read only warns and the plan goes
# on: the policy then denies the data source whose events are not known.
#
# The root read narrows nothing (every enterprise project, no filter), so it
# covers its region for the policy; summary.unhandled_deny counts every
# unhandled deny event it read, also those whose status or action the API
# left out. The clusters read beside it says whether every cluster of the
# project is protected: a cluster without protection raises no events, and
# the policy denies events read without the clusters of their project.
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

check "cluster_coverage" {
  data "clusterprotect_clusters" "all" {
    enterprise_project_id = "all_granted_eps"
  }

  assert {
    condition     = alltrue([for c in data.clusterprotect_clusters.all.data_list : c.protect_status == "protected with policy"])
    error_message = "Clusters not protected with policy: ${join(", ", [for c in data.clusterprotect_clusters.all.data_list : "${coalesce(c.cluster_name, c.cluster_id, "unnamed")} (${coalesce(c.protect_status, "no status")})" if c.protect_status != "protected with policy"])}."
  }
}

module "prod" {
  source = "./modules/cluster"
}

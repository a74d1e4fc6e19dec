# The demo reads every event, and every cluster with its protection state,
# from the local fake HSS API that `make demo` starts (one cluster there is
# unprotected). The provider takes the fewest settings a user writes from the
# environment, a region and access keys (HW_REGION_NAME, HW_ACCESS_KEY,
# HW_SECRET_KEY), plus the fake's address (HW_HSS_ENDPOINT, HW_IAM_ENDPOINT),
# and finds the project of the region through IAM.
terraform {
  required_providers {
    clusterprotect = {
      source = "clusterprotect/clusterprotect"
    }
  }
}

provider "clusterprotect" {}

data "clusterprotect_events" "all" {
  enterprise_project_id = "all_granted_eps"
}

# Is every cluster protected? A cluster without protection raises no
# events, so no deny event alone says nothing about it.
data "clusterprotect_clusters" "all" {
  enterprise_project_id = "all_granted_eps"
}

locals {
  events         = data.clusterprotect_events.all.data_list
  actions        = distinct([for e in local.events : e.action])
  unhandled_deny = [for e in local.events : e if e.action == "deny" && e.handle_status == "unhandled"]
}

output "total_num" {
  description = "Events the API reports for the query."
  value       = data.clusterprotect_events.all.total_num
}

output "events_read" {
  description = "Events read, over every page."
  value       = length(local.events)
}

output "by_action" {
  description = "Events counted by blocking action."
  value       = { for a in local.actions : a => length([for e in local.events : e if e.action == a]) }
}

output "unhandled_deny_count" {
  value = length(local.unhandled_deny)
}

output "newest_unhandled_deny" {
  description = "The five newest unhandled deny events: cluster, namespace/resource and policy."
  value = [
    for e in slice(local.unhandled_deny, 0, min(5, length(local.unhandled_deny))) :
    "${e.cluster_name} ${e.resource_info.namespace}/${e.resource_info.kind}/${e.resource_info.name} (${e.policy_name})"
  ]
}

output "newest_event" {
  description = "Every field of the newest event, as the data source exposes it."
  value       = try(local.events[0], null)
}

output "clusters_by_protect_status" {
  description = "Clusters counted by protect_status."
  value       = data.clusterprotect_clusters.all.summary.by_protect_status
}

output "not_protected" {
  description = "Clusters not protected with policy: their protect_status says why."
  value = [
    for c in data.clusterprotect_clusters.all.data_list :
    "${coalesce(c.cluster_name, c.cluster_id, "unnamed")} (${coalesce(c.protect_status, "no protect_status")})"
    if c.protect_status != "protected with policy"
  ]
}

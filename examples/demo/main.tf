# The demo reads every event from the local fake HSS API that `make demo`
# starts. The provider takes the fewest settings a user writes from the
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

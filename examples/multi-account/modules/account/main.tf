# The events and the clusters of one account in each of its regions, read
# with the provider the caller passes. Both reads narrow nothing, so the
# policy counts them as covering the account's project in the region.
terraform {
  required_providers {
    clusterprotect = {
      source = "clusterprotect/clusterprotect"
    }
  }
}

variable "account" {
  description = "The account's name in the policy's messages (required_reads' account)."
  type        = string
}

variable "regions" {
  description = "Regions to read."
  type        = list(string)
}

data "clusterprotect_events" "region" {
  for_each = toset(var.regions)

  region                = each.key
  enterprise_project_id = "all_granted_eps"
  max_results           = 1 # the newest; summary counts them all
}

data "clusterprotect_clusters" "region" {
  for_each = toset(var.regions)

  region                = each.key
  enterprise_project_id = "all_granted_eps"
}

output "report" {
  description = "By region: the project, events and unhandled deny events, the newest event's time (epoch milliseconds), and the clusters not protected with policy."
  value = {
    for r in var.regions : r => {
      project_id     = data.clusterprotect_events.region[r].project_id
      events         = data.clusterprotect_events.region[r].summary.total
      unhandled_deny = data.clusterprotect_events.region[r].summary.unhandled_deny
      # Events are newest first: the newest one's time in epoch
      # milliseconds, null when there is none or the API gave it no time.
      newest_event_ms = try(data.clusterprotect_events.region[r].data_list[0].create_time, null)
      clusters        = data.clusterprotect_clusters.region[r].summary.total
      not_protected = [
        for c in data.clusterprotect_clusters.region[r].data_list :
        "${coalesce(c.cluster_name, c.cluster_id, "unnamed")} (${coalesce(c.protect_status, "no protect_status")})"
        if c.protect_status != "protected with policy"
      ]
      complete = data.clusterprotect_events.region[r].complete && data.clusterprotect_clusters.region[r].complete
    }
  }
}

output "required_reads" {
  description = "This account's project in each region, as the policy's required_reads lists them."
  value = [
    for r in var.regions : { account = var.account, project_id = data.clusterprotect_events.region[r].project_id, region = r }
  ]
}

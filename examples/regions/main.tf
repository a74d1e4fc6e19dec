# One provider block, two regions: each data source reads its region's HSS
# endpoint and the project the provider finds for that region through IAM.
terraform {
  required_providers {
    clusterprotect = {
      source = "clusterprotect/clusterprotect"
    }
  }
}

provider "clusterprotect" {
  region = "ap-southeast-1"
}

variable "regions" {
  type    = set(string)
  default = ["ap-southeast-1", "ap-southeast-3"]
}

data "clusterprotect_events" "unhandled" {
  for_each      = var.regions
  region        = each.key
  handle_status = "unhandled"
}

locals {
  by_action = [for r in var.regions : data.clusterprotect_events.unhandled[r].summary.by_action]
}

# Unhandled events by action, over both regions.
output "unhandled_by_action" {
  value = {
    for action in distinct(flatten([for m in local.by_action : keys(m)])) :
    action => sum([for m in local.by_action : lookup(m, action, 0)])
  }
}

output "projects" {
  value = { for r, d in data.clusterprotect_events.unhandled : r => d.project_id }
}

# A gate over several regions. Terraform does not allow for_each on a data
# source nested in a check block, so the reads are top-level data sources,
# one per region, and a check block asserts over all of them. Each read
# happens at plan time (no argument unknown until apply), so the plan JSON
# holds every region's counts for the bundled OPA policy.
#
# Each read narrows nothing (every enterprise project, no filter), so it
# covers its region for the policy's required_regions; summary counts every
# event read, and max_results only keeps the plan small.
#
# A top-level read that fails (a region unreachable) fails the plan, unlike
# a read nested in a check block, which only warns. See README.md.
terraform {
  required_providers {
    clusterprotect = {
      source = "clusterprotect/clusterprotect"
    }
  }
}

# Endpoints and credentials from the environment; behind addresses of your
# own, endpoints = { hss = "https://hss.{region}.example.internal" }.
provider "clusterprotect" {}

variable "regions" {
  description = "Regions to gate; the policy's required_regions should list the same."
  type        = list(string)
  default     = ["ap-southeast-1", "ap-southeast-2", "ap-southeast-3"]
}

data "clusterprotect_events" "region" {
  for_each = toset(var.regions)

  region                = each.key
  enterprise_project_id = "all_granted_eps"
  max_results           = 5 # the plan prints each data source: keep it small
}

locals {
  # summary.unhandled_deny counts every unhandled deny event read, whatever
  # max_results keeps in data_list, and also those whose handle_status or
  # action the API left out.
  deny = { for r, d in data.clusterprotect_events.region : r => d.summary.unhandled_deny }
}

check "no_unhandled_deny_events" {
  assert {
    condition = alltrue([for n in values(local.deny) : n == 0])
    error_message = format("Unhandled deny events: %s",
    join(", ", [for r, n in local.deny : "${r}: ${n}" if n > 0]))
  }

  assert {
    condition = alltrue([for d in data.clusterprotect_events.region : d.complete])
    error_message = format("Reads that may lack events: %s",
    join(", ", [for r, d in data.clusterprotect_events.region : "${r} (${join("; ", d.warnings)})" if !d.complete]))
  }
}

output "unhandled_deny" {
  description = "Unhandled deny events, by region."
  value       = local.deny
}

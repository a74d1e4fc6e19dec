# The events gate and the coverage gate of one region. No unhandled deny
# event says nothing about a cluster where HSS protection is off, its
# plug-in is in error, or no policy is deployed: such a cluster raises no
# events. So the events and the clusters of the region are read side by
# side, each with a postcondition that fails the plan, and the plan JSON
# is gated with the bundled OPA policy (see README.md).
#
# Both reads narrow nothing (every enterprise project, no filter), so they
# cover the region for the policy; both happen at plan time.
terraform {
  required_providers {
    clusterprotect = {
      source = "clusterprotect/clusterprotect"
    }
  }
}

# Region, endpoints and credentials from the environment.
provider "clusterprotect" {}

variable "allowed_protect_statuses" {
  description = "The protect_status values that count as protected; the policy's allowed_protect_statuses should list the same."
  type        = list(string)
  default     = ["protected with policy"]
}

data "clusterprotect_events" "all" {
  enterprise_project_id = "all_granted_eps"
  max_results           = 5 # summary counts every event; the plan stays small

  lifecycle {
    postcondition {
      condition     = self.complete
      error_message = "The events read may be incomplete: ${join("; ", self.warnings)}"
    }
    postcondition {
      condition     = self.summary.unhandled_deny == 0
      error_message = "${self.summary.unhandled_deny} unhandled deny events in ${self.region} (project ${self.project_id})."
    }
  }
}

data "clusterprotect_clusters" "all" {
  enterprise_project_id = "all_granted_eps"

  lifecycle {
    postcondition {
      condition     = self.complete
      error_message = "The clusters read may be incomplete: ${join("; ", self.warnings)}"
    }
    postcondition {
      condition = alltrue([for c in self.data_list : contains(var.allowed_protect_statuses, coalesce(c.protect_status, "none"))])
      error_message = format("Clusters not protected in %s (project %s): %s.", self.region, self.project_id, join(", ", [
        for c in self.data_list : "${coalesce(c.cluster_name, c.cluster_id, "unnamed")} (${coalesce(c.protect_status, "no protect_status")})"
        if !contains(var.allowed_protect_statuses, coalesce(c.protect_status, "none"))
      ]))
    }
  }
}

output "clusters_by_protect_status" {
  description = "Clusters of the region, counted by protect_status."
  value       = data.clusterprotect_clusters.all.summary.by_protect_status
}

output "unhandled_deny" {
  description = "Unhandled deny events of the region."
  value       = data.clusterprotect_events.all.summary.unhandled_deny
}

# The policy under test: the plan fails while unhandled deny events exist.
terraform {
  required_providers {
    clusterprotect = {
      source = "clusterprotect/clusterprotect"
    }
  }
}

data "clusterprotect_events" "unhandled_deny" {
  actions       = ["deny"]
  handle_status = "unhandled"

  lifecycle {
    postcondition {
      condition     = self.summary.total == 0
      error_message = "${self.summary.total} unhandled deny events."
    }
  }
}

output "unhandled_deny_by_cluster" {
  value = data.clusterprotect_events.unhandled_deny.summary.by_cluster_id
}

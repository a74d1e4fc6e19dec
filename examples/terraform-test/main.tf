# The gate under test: the plan fails on any unhandled deny event, naming
# each, and fails closed on a read that may lack events. A field the API
# leaves out is null, hence coalesce in the message.
terraform {
  required_providers {
    clusterprotect = {
      source = "clusterprotect/clusterprotect"
    }
  }
}

data "clusterprotect_events" "unhandled" {
  handle_status = "unhandled"

  lifecycle {
    postcondition {
      condition     = self.complete && length(self.warnings) == 0
      error_message = "The read may lack events, so the gate fails: ${join(" ", self.warnings)}"
    }
    postcondition {
      condition = alltrue([for e in self.data_list : e.action != "deny"])
      error_message = format("Unhandled deny events: %s.", join("; ", [
        for e in self.data_list :
        "${coalesce(e.event_id, "?")} (cluster ${coalesce(e.cluster_name, "?")}, policy ${coalesce(e.policy_name, "?")})"
        if e.action == "deny"
      ]))
    }
  }
}

output "unhandled_by_action" {
  value = { for e in data.clusterprotect_events.unhandled.data_list : coalesce(e.action, "none") => e.event_id... }
}

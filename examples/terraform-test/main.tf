# The gate under test: the plan fails on any unhandled deny event
# (summary.unhandled_deny), naming each, and fails closed on a read that may
# lack events. A field the API leaves out is null, hence coalesce.
terraform {
  required_providers {
    clusterprotect = {
      source = "clusterprotect/clusterprotect"
    }
  }
}

data "clusterprotect_events" "all" {
  # No actions or handle_status: they would leave out a deny event whose
  # action or handle_status the API left out. summary.unhandled_deny counts
  # every event that may be an unhandled deny event.
  enterprise_project_id = "all_granted_eps"

  lifecycle {
    postcondition {
      condition     = self.complete && length(self.warnings) == 0
      error_message = "The read may lack events, so the gate fails: ${join(" ", self.warnings)}"
    }
    postcondition {
      condition = self.summary.unhandled_deny == 0
      error_message = format("%d unhandled deny events: %s.", self.summary.unhandled_deny, join("; ", [
        for e in self.data_list :
        "${coalesce(e.event_id, "?")} (cluster ${coalesce(e.cluster_name, "?")}, policy ${coalesce(e.policy_name, "?")})"
        if lower(try(coalesce(e.action, e.resource_info.enforcement_action), "deny")) == "deny" && lower(try(coalesce(e.handle_status), "")) != "handled"
      ]))
    }
  }
}

# The events not handled (handle_status may be left out), by action.
output "unhandled_by_action" {
  value = {
    for e in data.clusterprotect_events.all.data_list : coalesce(e.action, "none") => e.event_id...
    if lower(try(coalesce(e.handle_status), "")) != "handled"
  }
}

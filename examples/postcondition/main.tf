# A postcondition on the data source fails the plan when unhandled deny
# events exist: nothing is applied until they are handled.
#
# The postcondition is checked when the data source is read. Keep every
# argument known at plan time (timeadd(plantimestamp(), "-24h"), never
# timestamp()): a read deferred to apply is not checked by terraform plan,
# so a pipeline that only plans passes whatever the events. The bundled OPA
# policy denies such a deferred read.
terraform {
  required_providers {
    clusterprotect = {
      source = "clusterprotect/clusterprotect"
    }
  }
}

provider "clusterprotect" {}

data "clusterprotect_events" "all" {
  # No actions or handle_status: they would leave out a deny event whose
  # action or handle_status the API left out. summary.unhandled_deny counts
  # every event that may be an unhandled deny event.
  enterprise_project_id = "all_granted_eps"

  lifecycle {
    postcondition {
      condition = self.complete && self.summary.unhandled_deny == 0
      error_message = format("%d unhandled deny events%s in clusters %s: handle them in HSS before deploying.",
        self.summary.unhandled_deny, self.complete ? "" : " or more (the read may lack events: complete = false)",
        join(", ", sort(distinct([
          for e in self.data_list : try(coalesce(e.cluster_id), "(no cluster_id)")
          if lower(try(coalesce(e.action, e.resource_info.enforcement_action), "deny")) == "deny" && lower(try(coalesce(e.handle_status), "")) != "handled"
      ]))))
    }
  }
}

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

data "clusterprotect_events" "unhandled_deny" {
  enterprise_project_id = "all_granted_eps"
  actions               = ["deny"]
  handle_status         = "unhandled"

  lifecycle {
    postcondition {
      condition = self.summary.total == 0
      error_message = format("%d unhandled deny events in clusters %s: handle them in HSS before deploying.",
      self.summary.total, join(", ", sort(keys(self.summary.by_cluster_id))))
    }
  }
}

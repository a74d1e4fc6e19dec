terraform {
  required_providers {
    clusterprotect = {
      source = "clusterprotect/clusterprotect"
    }
  }
}

data "clusterprotect_events" "deny" {
  enterprise_project_id = "all_granted_eps"
  actions               = ["deny"]
}

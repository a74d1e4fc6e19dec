# After: the same query and output with clusterprotect_events. The provider
# takes the same settings and environment variables (HW_REGION_NAME,
# HW_ACCESS_KEY, HW_SECRET_KEY, ...).
terraform {
  required_providers {
    clusterprotect = {
      source = "clusterprotect/clusterprotect"
    }
  }
}

provider "clusterprotect" {}

data "clusterprotect_events" "all" {
  enterprise_project_id = "all_granted_eps"
}

output "unhandled_deny_namespaces" {
  value = distinct([
    for e in data.clusterprotect_events.all.data_list :
    e.resource_info.namespace # an object here, not a list of one
    if e.action == "deny" && e.handle_status == "unhandled" && e.resource_info != null
  ])
}

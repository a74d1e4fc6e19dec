# Absent fields are null here; the Huawei Cloud provider gives "" or 0. A
# module that leaned on "" or 0 is rewritten as below (the unchanged form,
# which fails on the same events, is unchanged.tf.txt).
terraform {
  required_providers {
    clusterprotect = {
      source = "clusterprotect/clusterprotect"
    }
  }
}

provider "clusterprotect" {}

data "clusterprotect_events" "all" {}

locals {
  events = data.clusterprotect_events.all.data_list

  # A for key must not be null: an absent cluster_id is "" as before.
  by_cluster = {
    for e in local.events : (e.cluster_id == null ? "" : e.cluster_id) => e.event_id...
  }
}

output "events_per_cluster" {
  value = { for cluster, ids in local.by_cluster : cluster => length(ids) }
}

# format cannot format null: an absent create_time is 0 as before.
output "sort_keys" {
  value = [for e in local.events : format("%020d", e.create_time == null ? 0 : e.create_time)]
}

# sort cannot sort null: compact drops null and "" namespaces.
output "deny_namespaces" {
  value = sort(distinct(compact([
    for e in local.events : e.resource_info.namespace
    if e.action == "deny" && e.resource_info != null
  ])))
}

# Compared with "", an absent field is not equal: compare with null.
output "events_without_status" {
  value = length([for e in local.events : e if e.handle_status == null])
}

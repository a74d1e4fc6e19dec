# Every event of one cluster, in every enterprise project the credentials see.
data "clusterprotect_events" "prod" {
  enterprise_project_id = "all_granted_eps"
  cluster_id            = "44753d6c-415e-11ee-834b-0255ac1001b2"
}

output "unhandled_deny" {
  value = [
    for e in data.clusterprotect_events.prod.data_list : e.event_id
    if e.action == "deny" && e.handle_status == "unhandled"
  ]
}

# The last 24 hours of unhandled deny events: plantimestamp() is known at plan
# time, so the window is computed in HCL.
data "clusterprotect_events" "last_day" {
  enterprise_project_id = "all_granted_eps"
  actions               = ["deny"]
  handle_status         = "unhandled"
  created_after         = timeadd(plantimestamp(), "-24h")
}

output "unhandled_deny_last_day" {
  value = data.clusterprotect_events.last_day.summary.total
}

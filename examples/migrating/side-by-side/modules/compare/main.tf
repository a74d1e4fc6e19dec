# Compares the events of huaweicloud_hss_cluster_protect_alarm_events (old)
# with those of clusterprotect_events (new): the count, the order, and every
# field of every event, resource_info included.
#
# The two differ in shape, and that is reshaped before comparing:
# - resource_info is a list of one object there, an object here; no
#   resource_info is [] there, null here.
# - A field the API leaves out is "" (a string) or 0 (a number) there, null
#   here. Both become "" or 0, so such a field compares equal; the price is
#   that an absent field and a real "" or 0 cannot be told apart, as the old
#   data source never could.
# - The old data source reads enforcement_action only from the camel-case
#   key enforcementAction; when the API sends enforcement_action it has "".
#   Where the old value is "" and ours is not, that is counted in
#   enforcement_action_only_new rather than reported as a mismatch.

variable "old" {
  description = "The huaweicloud_hss_cluster_protect_alarm_events data source, or a recording of it."
  type        = any
}

variable "new" {
  description = "The clusterprotect_events data source."
  type        = any
}

locals {
  string_fields = ["action", "cluster_name", "cluster_id", "event_name", "event_class_id", "event_id", "event_content",
  "handle_status", "project_id", "enterprise_project_id", "policy_name", "policy_id"]
  number_fields = ["event_type", "create_time", "update_time"]
  info_fields   = ["enforcement_action", "group", "message", "name", "namespace", "version", "kind", "resource_name"]

  # Every event as a map of strings, the old shape and the new one reshaped
  # alike: the absent field "" or "0", resource_info flattened into
  # resource_info.<field> beside a resource_info key that says whether it is
  # there at all.
  old_events = [for e in var.old.data_list : merge(
    { for f in local.string_fields : f => e[f] == null ? "" : e[f] },
    { for f in local.number_fields : f => e[f] == null ? "0" : tostring(e[f]) },
    { resource_info = length(e.resource_info) > 0 ? "present" : "absent" },
    { for f in local.info_fields : "resource_info.${f}" => try(coalesce(e.resource_info[0][f], ""), "") },
  )]
  new_events = [for e in var.new.data_list : merge(
    { for f in local.string_fields : f => e[f] == null ? "" : e[f] },
    { for f in local.number_fields : f => e[f] == null ? "0" : tostring(e[f]) },
    { resource_info = e.resource_info == null ? "absent" : "present" },
    { for f in local.info_fields : "resource_info.${f}" => try(coalesce(e.resource_info[f], ""), "") },
  )]

  old_ids = [for e in local.old_events : e.event_id]
  new_ids = [for e in local.new_events : e.event_id]

  # Joins are made by grouping one list that holds both sides, never by
  # looking each element up in the other side: in Terraform a reference to
  # a large value inside a for expression costs its size, so a look-up per
  # event made 5,000 events take many minutes.
  by_id = { for e in concat(
    [for e in local.old_events : { side = "old", event = e }],
    [for e in local.new_events : { side = "new", event = e }],
  ) : e.event.event_id => e... }
  by_position = { for p in concat(
    [for i, id in local.old_ids : { side = "old", at = format("%08d", i), id = id }],
    [for i, id in local.new_ids : { side = "new", at = format("%08d", i), id = id }],
  ) : p.at => p... }

  order = local.old_ids == local.new_ids ? [] : [for at, p in local.by_position :
    "order: event ${tonumber(at)} is ${p[0].id} in old, ${p[1].id} in new"
  if length(p) == 2 && p[0].id != p[1].id]
  # Each event_id should be once on each side; one that is not is named
  # with its counts.
  unpaired = [for id, g in local.by_id :
    "event ${id}: ${length([for e in g : e if e.side == "old"])} in old, ${length([for e in g : e if e.side == "new"])} in new"
  if length(g) != 2 || g[0].side == g[1].side]
  pairs = { for id, g in local.by_id : id => { old = g[0].event, new = g[1].event } if length(g) == 2 && g[0].side != g[1].side }

  enforcement_only_new = [for id, p in local.pairs : id
  if p.old["resource_info.enforcement_action"] == "" && p.new["resource_info.enforcement_action"] != ""]
  fields = flatten([for id, p in local.pairs : [
    for k, v in p.old : "event ${id}: ${k} is ${jsonencode(v)} in old, ${jsonencode(p.new[k])} in new"
    if v != p.new[k] && !(k == "resource_info.enforcement_action" && v == "")
  ]])

  totals = concat(
    length(local.old_ids) == length(local.new_ids) ? [] : ["count: ${length(local.old_ids)} events in old, ${length(local.new_ids)} in new"],
    [for k in ["total_num", "last_update_time"] : "${k}: ${coalesce(var.old[k], 0)} in old, ${coalesce(var.new[k], 0)} in new"
    if coalesce(var.old[k], 0) != coalesce(var.new[k], 0)],
  )
  mismatches = concat(local.totals, local.order, local.unpaired, local.fields)
}

output "match" {
  description = "Whether the two data sources hold the same events, in the same order, with the same fields."
  value       = length(local.mismatches) == 0
}

output "mismatches" {
  description = "Each difference, named: count, total_num and last_update_time, order (each position that differs), an event_id not once on each side, and fields."
  value       = local.mismatches
}

output "events" {
  description = "How many events each data source holds."
  value       = { old = length(local.old_ids), new = length(local.new_ids) }
}

output "enforcement_action_only_new" {
  description = "Events whose resource_info.enforcement_action only the new data source has: the API sent enforcement_action, which the old one does not read."
  value       = local.enforcement_only_new
}

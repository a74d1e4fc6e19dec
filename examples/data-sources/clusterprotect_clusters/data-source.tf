# Every cluster HSS knows in the region's project, in every enterprise project
# the credentials see, and whether each is protected.
data "clusterprotect_clusters" "all" {
  enterprise_project_id = "all_granted_eps"
}

output "clusters_by_protect_status" {
  value = data.clusterprotect_clusters.all.summary.by_protect_status
}

# Fail the run when a cluster is not protected with a policy, or when the read
# may lack clusters: a cluster whose protection is off raises no events, so a
# clean events gate says nothing about it.
check "every_cluster_protected" {
  assert {
    condition = data.clusterprotect_clusters.all.complete && data.clusterprotect_clusters.all.summary.not_protected_with_policy == 0
    error_message = "Not protected with policy: ${join(", ", [
      for c in data.clusterprotect_clusters.all.data_list : "${coalesce(c.cluster_name, c.cluster_id, "?")} (${coalesce(c.protect_status, "no status")})"
      if c.protect_status != "protected with policy"
    ])}; complete = ${data.clusterprotect_clusters.all.complete}."
  }
}

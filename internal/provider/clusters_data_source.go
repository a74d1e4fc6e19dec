package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/datasource"

	"github.com/clusterprotect/terraform-provider-clusterprotect/internal/hss"
)

// clusterprotect_clusters: the list data source of the clusters HSS knows
// and the protection state of each. It has no arguments of its own: the
// API filters clusters by nothing but the enterprise project.

// NewClustersDataSource is the clusterprotect_clusters data source.
func NewClustersDataSource() datasource.DataSource {
	return &listDataSource[hss.Cluster]{spec: &clustersList}
}

var clustersList = listSpec[hss.Cluster]{
	name: "clusters", noun: "clusters", singular: "cluster",
	words: readWords{
		title: "HSS clusters", step: "reading clusters",
		params:   []string{"project_id", "enterprise_project_id"},
		narrowBy: "enterprise_project_id",
	},
	description: "The container clusters HSS knows in a project, with the protection state of each " +
		"(`GET /v5/{project_id}/cluster-protect/clusters`): the question a gate on events cannot answer, since a cluster whose protection is off raises no events. " +
		"Every page is read on every refresh, so the list is current: a read costs one request per 200 clusters the API reports, plus the page that shows where the list ends and a last read of the first page (7 requests for 1,000 clusters; one for fewer than 200). " +
		"The API reports at most 10,000 clusters for a query; `complete` and `warnings` say when a read may lack clusters.",
	totalNumDesc: "Total number of clusters the API reports for the query, 0 to 10,000.",
	dataListDesc: "The clusters, in the API's order (the API does not say which). An empty list when there are none. A field the API leaves out is null; an empty string stays empty.",
	summaryDesc: "Counts over every cluster read, small enough to print in a plan or test in a `check` block, such as " +
		"`summary.not_protected_with_policy == 0` or `lookup(summary.by_protect_status, \"plugin error\", 0)`. " +
		"A key is missing where no cluster has that value; clusters without the field are not counted in that map. The maps are never null.",
	summaryTotalDesc: "Number of clusters read: `length(data_list)`.",
	fields:           clusterFields,
	tallies:          clusterTallies,
	read: func(ctx context.Context, c *hss.Client, f hss.Filter) (*listResult[hss.Cluster], error) {
		return c.ReadAllClusters(ctx, f)
	},
}

// protectStatusDoc lists the protect_status values the API documents.
const protectStatusDoc = "`unprotected` (not protected), `plugin error` (the protection plug-in is in error), " +
	"`protected with policy` (protected, with at least one policy), `deploy policy failed` (a policy could not be deployed), " +
	"`protected without policy` (the plug-in runs, but no policy is deployed), `uninstall failed` (removing the plug-in failed), " +
	"`uninstall` (the plug-in was removed). Note the spaces inside the values. The API may add values: a value not listed here is kept as it is, never an error."

// clusterFields are the attributes of each cluster in data_list, the
// API's seven fields under its names.
var clusterFields = []field[hss.Cluster]{
	stringField("cluster_name", "Name of the cluster.", func(c *hss.Cluster) *string { return c.ClusterName }),
	stringField("cluster_id", "ID of the cluster: the `cluster_id` its events carry on `clusterprotect_events`.", func(c *hss.Cluster) *string { return c.ClusterID }),
	stringField("cluster_version", "Kubernetes version of the cluster as HSS reports it, such as `v1.29`.", func(c *hss.Cluster) *string { return c.ClusterVersion }),
	stringField("protect_status", "Protection state of the cluster: "+protectStatusDoc, func(c *hss.Cluster) *string { return c.ProtectStatus }),
	int64Field("policy_num", "Number of policies on the cluster.", func(c *hss.Cluster) *int64 { return c.PolicyNum }),
	stringField("cluster_status", "Running state of the cluster: `Available` or `Unavailable` (capitalised).", func(c *hss.Cluster) *string { return c.ClusterStatus }),
	stringField("cluster_type", "Where the cluster runs: `k8s` (native Kubernetes), `cce` (Huawei Cloud CCE), `ali` (Alibaba Cloud), `tencent` (Tencent Cloud), "+
		"`azure` (Microsoft Azure), `aws` (Amazon Web Services), `self_built_hw` (self-built on Huawei Cloud) or `self_built_idc` (self-built in an own data centre).",
		func(c *hss.Cluster) *string { return c.ClusterType }),
}

// clusterTallies are the counts of summary besides total.
var clusterTallies = []tally[hss.Cluster]{
	countTally("not_protected_with_policy", "Number of clusters whose `protect_status` is anything but `protected with policy`, left out or unknown included: "+
		"a field the API leaves out never makes a cluster protected, so a gate can test this one number, `summary.not_protected_with_policy == 0`, "+
		"and name the clusters with `[for c in data_list : c.cluster_name if c.protect_status != \"protected with policy\"]`.",
		func(c *hss.Cluster) bool {
			return c.ProtectStatus == nil || *c.ProtectStatus != hss.ProtectedWithPolicy
		}),
	mapTally("by_protect_status", "Clusters by `protect_status`, such as `{\"protected with policy\" = 3, \"unprotected\" = 1}`.", func(c *hss.Cluster) *string { return c.ProtectStatus }),
	mapTally("by_cluster_status", "Clusters by `cluster_status`.", func(c *hss.Cluster) *string { return c.ClusterStatus }),
	mapTally("by_cluster_type", "Clusters by `cluster_type`.", func(c *hss.Cluster) *string { return c.ClusterType }),
}

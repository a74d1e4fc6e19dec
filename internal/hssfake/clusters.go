package hssfake

import (
	"cmp"
	"encoding/json"
	"fmt"
	"os"
	"slices"
)

// Cluster is one cluster of GET /v5/{project_id}/cluster-protect/clusters
// as the fake serves it. Nil fields are left out of the JSON, as the API
// may leave each out. ProjectID and EnterpriseProjectID say where the
// cluster is listed and are never served (the API's cluster object has no
// such fields): nil lists it in every project, or every enterprise project.
type Cluster struct {
	ClusterName *string `json:"cluster_name,omitempty"`
	// ClusterID is the cluster_id its events carry too.
	ClusterID      *string `json:"cluster_id,omitempty"`
	ClusterVersion *string `json:"cluster_version,omitempty"` // Kubernetes version, as HSS reports it
	// ProtectStatus is one of ProtectStatuses, or any other value.
	ProtectStatus *string `json:"protect_status,omitempty"`
	PolicyNum     *int64  `json:"policy_num,omitempty"` // an int32 in the SDK
	// ClusterStatus is "Available" or "Unavailable", capitalised.
	ClusterStatus *string `json:"cluster_status,omitempty"`
	ClusterType   *string `json:"cluster_type,omitempty"` // k8s, cce, ali, tencent, azure, aws, self_built_hw, self_built_idc

	// Where the cluster is listed, never served.
	ProjectID           *string `json:"project_id,omitempty"`
	EnterpriseProjectID *string `json:"enterprise_project_id,omitempty"`
}

// ProtectStatuses are the protect_status values the API document lists,
// spaces and all. The list may grow: the fake serves any value it is given.
var ProtectStatuses = []string{
	"unprotected", "plugin error", "protected with policy", "deploy policy failed",
	"protected without policy", "uninstall failed", "uninstall",
}

// clustersPath is the clusters route (GET, per the document).
const clustersPath = "/v5/{project}/cluster-protect/clusters"

// clustersBody is the answer of the clusters route.
type clustersBody struct {
	TotalNum int64     `json:"total_num"`
	DataList []Cluster `json:"data_list"`
}

// clustersList is the clusters route: no filter beyond the enterprise
// project, and the page of project's clusters in the order they were set.
// s.mu is held.
func (s *Server) clustersList() listRoute {
	return listRoute{page: func(project string, q listQuery) any {
		var body clustersBody
		body.DataList, body.TotalNum = pageOf(s.clusters, q, s.reach(), func(c Cluster) bool {
			return q.inScope(project, c.ProjectID, cmp.Or(str(c.EnterpriseProjectID), q.eps))
		})
		for i := range body.DataList {
			body.DataList[i].ProjectID, body.DataList[i].EnterpriseProjectID = nil, nil
		}
		return body
	}}
}

// SetClusters replaces the clusters, served in this order.
func (s *Server) SetClusters(clusters []Cluster) {
	s.mu.Lock()
	s.clusters = slices.Clone(clusters)
	s.mu.Unlock()
}

// Clusters returns the clusters served now.
func (s *Server) Clusters() []Cluster {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.clusters)
}

// ClustersOf are the clusters the events name: one per project and
// cluster_id, in order of first appearance, named as its events name it,
// "protected with policy", in the enterprise project of its events (in
// every one when they are in several). This is what New lists, so that the
// events' cluster_id values name listed clusters.
func ClustersOf(events []Event) []Cluster {
	type key struct{ project, id string }
	var out []Cluster
	at := map[key]int{}
	for _, e := range events {
		if e.ClusterID == nil {
			continue
		}
		k := key{str(e.ProjectID), *e.ClusterID}
		if i, seen := at[k]; seen {
			if c := &out[i]; c.EnterpriseProjectID != nil && str(c.EnterpriseProjectID) != str(e.EnterpriseProjectID) {
				c.EnterpriseProjectID = nil
			}
			continue
		}
		at[k] = len(out)
		n := int64(len(out))
		out = append(out, Cluster{
			ClusterName:         cmp.Or(e.ClusterName, Ptr(*e.ClusterID)),
			ClusterID:           Ptr(*e.ClusterID),
			ClusterVersion:      Ptr(fmt.Sprintf("v1.%d", 28+n%3)),
			ProtectStatus:       Ptr("protected with policy"),
			PolicyNum:           Ptr(1 + n%5),
			ClusterStatus:       Ptr("Available"),
			ClusterType:         Ptr("cce"),
			ProjectID:           e.ProjectID,
			EnterpriseProjectID: e.EnterpriseProjectID,
		})
	}
	return out
}

// Data is what a -file holds: events, and clusters when the file lists
// them (nil when it does not).
type Data struct {
	Events   []Event
	Clusters []Cluster
}

// Load reads a JSON file holding an array of events, or an object with a
// data_list of events, as the events API answers, and optionally clusters:
// an array of cluster objects (the API's seven fields, and project_id and
// enterprise_project_id to place each).
func Load(path string) (Data, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return Data{}, err
	}
	var list []Event
	if err := json.Unmarshal(raw, &list); err == nil {
		return Data{Events: list}, nil
	}
	var doc struct {
		DataList []Event   `json:"data_list"`
		Clusters []Cluster `json:"clusters"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		return Data{}, fmt.Errorf("%s: neither an array of events nor an object with data_list and clusters: %w", path, err)
	}
	return Data{Events: doc.DataList, Clusters: doc.Clusters}, nil
}

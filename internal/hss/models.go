package hss

import "encoding/json"

// API limits from the document.
const (
	MinLimit     = 10
	MaxLimit     = 200
	MaxOffset    = 2_000_000
	MaxTotalNum  = 10_000
	MaxIDLength  = 256
	DefaultLimit = MaxLimit
)

// ListClusterEventsRequest asks for one page of events. Empty optional
// strings are not sent.
type ListClusterEventsRequest struct {
	ProjectID           string
	EnterpriseProjectID string
	ClusterID           string
	Offset              int
	Limit               int
}

// ListClusterEventsResponse mirrors the 200 response body (Table 4).
type ListClusterEventsResponse struct {
	TotalNum       int64          `json:"total_num"`
	LastUpdateTime *int64         `json:"last_update_time"`
	DataList       []ClusterEvent `json:"data_list"`
}

// ClusterEvent mirrors ClusterEventResponseInfo (Table 5). A nil pointer is a
// field the API left out; an empty string is a field it sent empty.
type ClusterEvent struct {
	Action              *string       `json:"action"`
	ClusterName         *string       `json:"cluster_name"`
	ClusterID           *string       `json:"cluster_id"`
	EventName           *string       `json:"event_name"`
	EventClassID        *string       `json:"event_class_id"`
	EventID             *string       `json:"event_id"`
	EventType           *int64        `json:"event_type"`
	EventContent        *string       `json:"event_content"`
	HandleStatus        *string       `json:"handle_status"`
	CreateTime          *int64        `json:"create_time"`
	UpdateTime          *int64        `json:"update_time"`
	ProjectID           *string       `json:"project_id"`
	EnterpriseProjectID *string       `json:"enterprise_project_id"`
	PolicyName          *string       `json:"policy_name"`
	PolicyID            *string       `json:"policy_id"`
	ResourceInfo        *ResourceInfo `json:"resource_info"`
}

// ResourceInfo mirrors ClusterEventResourceResponseInfo (Table 6).
type ResourceInfo struct {
	EnforcementAction *string `json:"enforcement_action"`
	Group             *string `json:"group"`
	Message           *string `json:"message"`
	Name              *string `json:"name"`
	Namespace         *string `json:"namespace"`
	Version           *string `json:"version"`
	Kind              *string `json:"kind"`
	ResourceName      *string `json:"resource_name"`
}

// UnmarshalJSON accepts enforcementAction as well as the documented
// enforcement_action: event_content and some API versions use the camelCase
// spelling. The documented spelling wins when both are present.
func (r *ResourceInfo) UnmarshalJSON(b []byte) error {
	type plain ResourceInfo
	var aux struct {
		plain
		EnforcementActionCamel *string `json:"enforcementAction"`
	}
	if err := json.Unmarshal(b, &aux); err != nil {
		return err
	}
	*r = ResourceInfo(aux.plain)
	if r.EnforcementAction == nil {
		r.EnforcementAction = aux.EnforcementActionCamel
	}
	return nil
}

// ListClustersRequest asks for one page of clusters
// (ListClusterProtectionInfo): ProjectID, EnterpriseProjectID (not sent
// when empty), Offset and Limit, the parameters every list has and no
// more.
type ListClustersRequest pageRequest

// ListClustersResponse mirrors the 200 response body of the clusters call.
type ListClustersResponse struct {
	TotalNum int64     `json:"total_num"`
	DataList []Cluster `json:"data_list"`
}

// Cluster is one cluster and its protection state. A nil pointer is a
// field the API left out: the SDK models every field as optional.
type Cluster struct {
	ClusterName    *string `json:"cluster_name"`
	ClusterID      *string `json:"cluster_id"`
	ClusterVersion *string `json:"cluster_version"`
	// ProtectStatus is one of the values the document lists (such as
	// ProtectedWithPolicy, "unprotected", "plugin error") or one it does
	// not list yet: the list may grow, and an unknown value is data.
	ProtectStatus *string `json:"protect_status"`
	PolicyNum     *int64  `json:"policy_num"`
	// ClusterStatus is "Available" or "Unavailable".
	ClusterStatus *string `json:"cluster_status"`
	ClusterType   *string `json:"cluster_type"`
}

// ProtectedWithPolicy is the protect_status of a cluster whose protection
// runs with at least one policy deployed.
const ProtectedWithPolicy = "protected with policy"

package hss

import (
	"context"
	"errors"
)

// ListClusters reads one page of the clusters HSS knows in a project, with
// the protection state of each. The request is checked against the
// document's ranges before anything is sent.
func (c *Client) ListClusters(ctx context.Context, req ListClustersRequest) (*ListClustersResponse, error) {
	if err := req.Validate(); err != nil {
		return nil, err
	}
	var out ListClustersResponse
	if err := c.getPage(ctx, "clusters", "clusters", req.page(), nil, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// Validate checks the request against the document's ranges.
func (r ListClustersRequest) Validate() error { return r.page().validate() }

func (r ListClustersRequest) page() pageRequest { return pageRequest(r) }

func (r ListClustersRequest) at(offset int) ListClustersRequest {
	r.Offset = offset
	return r
}

func (r *ListClustersResponse) counts() (int64, int) { return r.TotalNum, len(r.DataList) }

func (r *ListClustersResponse) asPage() Page[Cluster] {
	return Page[Cluster]{Items: r.DataList, TotalNum: r.TotalNum}
}

// ReadAllClusters reads every cluster of the query (see ReadAll), the pages
// lined up by cluster_id: the clusters as they stood at one instant
// (Consistent), or a list said not to be, or ErrListMoved. The call has no
// cluster filter, so f.ClusterID must be empty.
func (c *Client) ReadAllClusters(ctx context.Context, f Filter) (*Result[Cluster], error) {
	if f.ClusterID != "" {
		return nil, errors.New("the clusters call has no cluster_id filter")
	}
	base := ListClustersRequest{ProjectID: f.ProjectID, EnterpriseProjectID: f.EnterpriseProjectID, Limit: DefaultLimit}
	return readAll(ctx, c, base, c.ListClusters, listSpec[Cluster]{
		id: clusterID, idName: "cluster_id", noun: "clusters",
		capHint: "Narrow the query with enterprise_project_id to see them.",
	})
}

func clusterID(c Cluster) (string, bool) {
	if c.ClusterID == nil {
		return "", false
	}
	return *c.ClusterID, true
}

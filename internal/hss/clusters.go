package hss

import "context"

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

func (r ListClustersRequest) page() pageRequest {
	return pageRequest{ProjectID: r.ProjectID, EnterpriseProjectID: r.EnterpriseProjectID, Offset: r.Offset, Limit: r.Limit}
}

func (r *ListClustersResponse) counts() (int64, int) { return r.TotalNum, len(r.DataList) }

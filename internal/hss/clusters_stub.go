package hss

// TEMPORARY: stands in for ReadAllClusters of branch clusters until it is
// merged; removed at that merge.

import (
	"context"
	"net/url"
	"strconv"

	"github.com/clusterprotect/terraform-provider-clusterprotect/internal/hwcloud"
)

type Cluster struct {
	ClusterID *string `json:"cluster_id"`
}

func (c *Client) ReadAllClusters(ctx context.Context, f Filter) (*Result[Cluster], error) {
	return ReadAll(ctx, Paged[Cluster]{
		Limit: DefaultLimit, MaxConcurrency: c.t.MaxConcurrency(), Cap: c.cap,
		ID: func(cl Cluster) (string, bool) {
			if cl.ClusterID == nil {
				return "", false
			}
			return *cl.ClusterID, true
		},
		IDName: "cluster_id", Noun: "clusters",
		Fetch: func(ctx context.Context, offset int) (Page[Cluster], error) {
			q := url.Values{}
			q.Set("offset", strconv.Itoa(offset))
			q.Set("limit", strconv.Itoa(DefaultLimit))
			if f.EnterpriseProjectID != "" {
				q.Set("enterprise_project_id", f.EnterpriseProjectID)
			}
			u := c.base.JoinPath("v5", url.PathEscape(f.ProjectID), "cluster-protect", "clusters")
			u.RawQuery = hwcloud.EncodeQuery(q)
			var out struct {
				TotalNum int64     `json:"total_num"`
				DataList []Cluster `json:"data_list"`
			}
			if err := c.t.GetJSON(ctx, "HSS", u, &out); err != nil {
				return Page[Cluster]{}, err
			}
			return Page[Cluster]{Items: out.DataList, TotalNum: out.TotalNum}, nil
		},
	})
}

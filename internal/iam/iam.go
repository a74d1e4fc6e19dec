// Package iam is a client for the parts of Huawei Cloud Identity and Access
// Management (IAM) that this provider uses. It has no Terraform imports and
// does not import the HSS client.
package iam

import (
	"context"
	"net/url"

	"github.com/clusterprotect/terraform-provider-clusterprotect/internal/hwcloud"
)

// service is the API's name in endpoints (https://iam.{region}.{cloud}).
const service = "iam"

// Client talks to one IAM endpoint. It is safe for concurrent use.
type Client struct {
	t    *hwcloud.Transport
	base *url.URL
}

// New is a client of the IAM API at base, such as the result of Endpoint.
func New(t *hwcloud.Transport, base *url.URL) *Client {
	return &Client{t: t, base: base}
}

// Endpoint is the base URL of IAM: endpoint when set, else
// https://iam.{region}.{cloud}.
func Endpoint(endpoint, region, cloud string) (*url.URL, error) {
	return hwcloud.ResolveEndpoint(service, endpoint, region, cloud)
}

// Project is one project of an account, as GET /v3/projects lists it.
type Project struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	DomainID string `json:"domain_id"`
	Enabled  bool   `json:"enabled"`
}

// ListProjects lists the projects named name that the credentials may see
// (GET /v3/projects?name=...). A region's main project is named after the
// region, such as ap-southeast-1; a sub-project is named like
// cn-north-4_dev.
func (c *Client) ListProjects(ctx context.Context, name string) ([]Project, error) {
	u := c.base.JoinPath("v3", "projects")
	u.RawQuery = url.Values{"name": {name}}.Encode()
	var out struct {
		Projects []Project `json:"projects"`
	}
	if err := c.t.GetJSON(ctx, "IAM", u, &out); err != nil {
		return nil, err
	}
	return out.Projects, nil
}

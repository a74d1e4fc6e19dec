// Package hss is a client for the Huawei Cloud Host Security Service (HSS)
// container-cluster protection events API. It has no Terraform imports.
package hss

import (
	"net/url"

	"github.com/clusterprotect/terraform-provider-clusterprotect/internal/hwcloud"
)

// service is the API's name in endpoints (https://hss.{region}.{cloud}) and
// errors.
const service = "hss"

// Client reads one HSS endpoint. It is safe for concurrent use; clients of
// several regions may share one hwcloud.Transport.
type Client struct {
	t    *hwcloud.Transport
	base *url.URL
}

// New is a client of the HSS API at base, such as the result of Endpoint.
func New(t *hwcloud.Transport, base *url.URL) *Client {
	return &Client{t: t, base: base}
}

// Endpoint is the base URL of HSS: endpoint when set, else
// https://hss.{region}.{cloud}.
func Endpoint(endpoint, region, cloud string) (*url.URL, error) {
	return hwcloud.ResolveEndpoint(service, endpoint, region, cloud)
}

// BaseURL is the endpoint requests are made under.
func (c *Client) BaseURL() string { return c.base.String() }

// CloseIdleConnections closes the transport's connections kept for reuse.
func (c *Client) CloseIdleConnections() { c.t.CloseIdleConnections() }

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
	cap  int // the API's cap on the items of one query
}

// Option sets up a Client.
type Option func(*Client)

// WithTotalNumCap tells the client how many items of one query the API
// serves at most, and so the most total_num says: MaxTotalNum, the API's
// documented cap, unless n is positive. Only a stand-in for the API with
// another cap, such as the local fake run with a small one in tests,
// needs it.
func WithTotalNumCap(n int) Option {
	return func(c *Client) {
		if n > 0 {
			c.cap = n
		}
	}
}

// New is a client of the HSS API at base, such as the result of Endpoint.
func New(t *hwcloud.Transport, base *url.URL, opts ...Option) *Client {
	c := &Client{t: t, base: base, cap: MaxTotalNum}
	for _, o := range opts {
		o(c)
	}
	return c
}

// TotalNumCap is how many items of one query the API serves at most.
func (c *Client) TotalNumCap() int { return c.cap }

// Endpoint is the base URL of HSS: endpoint when set, else
// https://hss.{region}.{cloud}.
func Endpoint(endpoint, region, cloud string) (*url.URL, error) {
	return hwcloud.ResolveEndpoint(service, endpoint, region, cloud)
}

// BaseURL is the endpoint requests are made under.
func (c *Client) BaseURL() string { return c.base.String() }

// CloseIdleConnections closes the transport's connections kept for reuse.
func (c *Client) CloseIdleConnections() { c.t.CloseIdleConnections() }

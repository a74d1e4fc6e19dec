// Package credentials finds the credentials the provider authenticates with,
// the way the Huawei Cloud provider does: a token, access keys, OIDC
// federation, the Huawei Cloud CLI's shared config file, ECS metadata, and
// agencies assumed on top of any of them; and keeps temporary credentials
// fresh. It calls IAM and feeds every API client; it has no Terraform
// imports.
package credentials

import (
	"context"
	"sync"
	"time"

	"golang.org/x/sync/singleflight"

	"github.com/clusterprotect/terraform-provider-clusterprotect/internal/hwcloud"
)

// refreshMargin is how long before they expire temporary credentials are
// renewed; for short-lived ones, a fifth of their lifetime.
const refreshMargin = 5 * time.Minute

// refreshing caches the credentials fetch returns and fetches new ones
// before they expire, once for all concurrent requests.
type refreshing struct {
	fetch func(ctx context.Context) (hwcloud.Credentials, error)
	now   func() time.Time

	calls   singleflight.Group
	mu      sync.Mutex
	cur     *hwcloud.Credentials
	renewAt time.Time
}

func newRefreshing(fetch func(ctx context.Context) (hwcloud.Credentials, error)) *refreshing {
	return &refreshing{fetch: fetch, now: time.Now}
}

// Retrieve returns fresh credentials.
func (r *refreshing) Retrieve(ctx context.Context) (hwcloud.Credentials, error) {
	r.mu.Lock()
	if r.cur != nil && (r.renewAt.IsZero() || r.now().Before(r.renewAt)) {
		c := *r.cur
		r.mu.Unlock()
		return c, nil
	}
	r.mu.Unlock()
	v, err, _ := r.calls.Do("fetch", func() (any, error) {
		fetched := r.now()
		c, err := r.fetch(ctx)
		if err != nil {
			return hwcloud.Credentials{}, err
		}
		r.mu.Lock()
		defer r.mu.Unlock()
		r.cur, r.renewAt = &c, time.Time{}
		if !c.ExpiresAt.IsZero() {
			r.renewAt = c.ExpiresAt.Add(-min(refreshMargin, c.ExpiresAt.Sub(fetched)/5))
		}
		return c, nil
	})
	if err != nil {
		return hwcloud.Credentials{}, err
	}
	return v.(hwcloud.Credentials), nil
}

// Expired drops c, so that the next Retrieve fetches new credentials.
func (r *refreshing) Expired(c hwcloud.Credentials) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.cur != nil && r.cur.AccessKey == c.AccessKey && r.cur.AuthToken == c.AuthToken {
		r.cur = nil
	}
}

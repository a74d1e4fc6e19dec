// Package credentials finds the credentials the provider authenticates with,
// the way the Huawei Cloud provider does: a token, access keys, OIDC
// federation, the Huawei Cloud CLI's shared config file, ECS metadata, and
// agencies assumed on top of any of them; and keeps temporary credentials
// fresh. It calls IAM and feeds every API client; it has no Terraform
// imports.
package credentials

import (
	"context"
	"fmt"
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

// fetchTimeout bounds a fetch: it runs apart from the requests waiting
// for it, so that one giving up does not fail the others, and as long as a
// read may take by default.
const fetchTimeout = 5 * time.Minute

// Retrieve returns fresh credentials. Concurrent callers share one fetch,
// which runs on a context of its own (ctx's values, not its cancellation);
// each caller waits for it only as long as its own ctx allows.
func (r *refreshing) Retrieve(ctx context.Context) (hwcloud.Credentials, error) {
	r.mu.Lock()
	if r.cur != nil && (r.renewAt.IsZero() || r.now().Before(r.renewAt)) {
		c := *r.cur
		r.mu.Unlock()
		return c, nil
	}
	r.mu.Unlock()
	ch := r.calls.DoChan("fetch", func() (any, error) {
		shared, cancel := context.WithTimeout(context.WithoutCancel(ctx), fetchTimeout)
		defer cancel()
		fetched := r.now()
		c, err := r.fetch(shared)
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
	select {
	case <-ctx.Done():
		return hwcloud.Credentials{}, fmt.Errorf("waiting for fresh credentials: %w", ctx.Err())
	case res := <-ch:
		if res.Err != nil {
			return hwcloud.Credentials{}, res.Err
		}
		return res.Val.(hwcloud.Credentials), nil
	}
}

// Expired drops c, so that the next Retrieve fetches new credentials.
func (r *refreshing) Expired(c hwcloud.Credentials) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.cur != nil && r.cur.AccessKey == c.AccessKey && r.cur.AuthToken == c.AuthToken {
		r.cur = nil
	}
}

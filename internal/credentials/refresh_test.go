package credentials

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"

	"github.com/clusterprotect/terraform-provider-clusterprotect/internal/hwcloud"
)

// A fetch shared by two callers runs on its own context: the first caller
// giving up neither cancels it nor fails the second, who gets its keys
// from the same fetch.
func TestRefreshing_firstCallerCancelled(t *testing.T) {
	started, release := make(chan struct{}), make(chan struct{})
	var fetches atomic.Int32
	var fetchErr error
	r := newRefreshing(func(ctx context.Context) (hwcloud.Credentials, error) {
		if fetches.Add(1) == 1 {
			close(started)
		}
		select {
		case <-release:
		case <-ctx.Done():
			fetchErr = ctx.Err()
			return hwcloud.Credentials{}, ctx.Err()
		}
		return hwcloud.Credentials{AccessKey: "AK", SecretKey: "SK"}, nil
	})

	first, cancel := context.WithCancel(context.Background())
	firstErr := make(chan error, 1)
	go func() {
		_, err := r.Retrieve(first)
		firstErr <- err
	}()
	<-started
	cancel()
	if err := <-firstErr; !errors.Is(err, context.Canceled) {
		t.Fatalf("the first caller: %v, want its own cancellation", err)
	}

	second := make(chan error, 1)
	go func() {
		c, err := r.Retrieve(context.Background())
		if err == nil && c.AccessKey != "AK" {
			err = errors.New("wrong keys")
		}
		second <- err
	}()
	close(release)
	if err := <-second; err != nil {
		t.Fatalf("the second caller: %v", err)
	}
	if n := fetches.Load(); n != 1 || fetchErr != nil {
		t.Fatalf("%d fetches, the shared one ended with %v: want one, not cancelled", n, fetchErr)
	}
}

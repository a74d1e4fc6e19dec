package hss_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/clusterprotect/terraform-provider-clusterprotect/internal/hss"
	"github.com/clusterprotect/terraform-provider-clusterprotect/internal/hssfake"
	"github.com/clusterprotect/terraform-provider-clusterprotect/internal/hwcloud"
)

// BenchmarkReadAll reads every event from the fake over loopback HTTP:
// Run: go test -run '^$' -bench ReadAll -benchtime 3x ./internal/hss/ .
func BenchmarkReadAll(b *testing.B) {
	for _, tc := range []struct {
		events      int
		latency     time.Duration
		concurrency int
	}{
		{10_000, 0, 1}, {10_000, 0, hwcloud.DefaultMaxConcurrency},
		{10_000, 50 * time.Millisecond, 1}, {10_000, 50 * time.Millisecond, hwcloud.DefaultMaxConcurrency},
		{1_000, 50 * time.Millisecond, hwcloud.DefaultMaxConcurrency}, {5_000, 50 * time.Millisecond, hwcloud.DefaultMaxConcurrency},
		{1_000, 0, hwcloud.DefaultMaxConcurrency}, {5_000, 0, hwcloud.DefaultMaxConcurrency},
	} {
		name := fmt.Sprintf("events=%d/latency=%s/concurrency=%d", tc.events, tc.latency, tc.concurrency)
		b.Run(name, func(b *testing.B) {
			fake, c := newFake(b, generate(tc.events), func(c *hwcloud.Config) { c.MaxConcurrency = tc.concurrency })
			fake.SetFaults(hssfake.Faults{Latency: tc.latency})
			b.ReportAllocs()
			for b.Loop() {
				res, err := c.ReadAllClusterEvents(context.Background(), hss.Filter{ProjectID: testProject})
				if err != nil || len(res.Events) != tc.events {
					b.Fatal(err)
				}
			}
			st := fake.Stats()
			b.ReportMetric(float64(st.Requests)/float64(b.N), "requests/op")
			b.ReportMetric(float64(st.MaxInFlight), "max-in-flight")
		})
	}
}

// BenchmarkReadAll_rateLimited reads 4,000 events (20 pages) from a tenant
// limited to 8 requests a second with a burst of 4, whose 429s say
// Retry-After: 1, and reports the 429s each read drew.
// Run: go test -run '^$' -bench ReadAll_rateLimited -benchtime 3x ./internal/hss/ .
func BenchmarkReadAll_rateLimited(b *testing.B) {
	b.ReportAllocs()
	throttled := 0
	for b.Loop() {
		b.StopTimer()
		fake, c := newFake(b, generate(4000), func(c *hwcloud.Config) { c.RetryBaseDelay, c.RetryMaxDelay = 0, 0 })
		fake.SetFaults(hssfake.Faults{RatePerSecond: 8, Burst: 4, RetryAfter: "1"})
		b.StartTimer()
		res, err := c.ReadAllClusterEvents(context.Background(), hss.Filter{ProjectID: testProject})
		if err != nil || len(res.Events) != 4000 {
			b.Fatal(err)
		}
		throttled += fake.Stats().ByStatus[429]
	}
	b.ReportMetric(float64(throttled)/float64(b.N), "429s/op")
}

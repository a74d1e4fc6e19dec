package hss_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/clusterprotect/terraform-provider-clusterprotect/internal/hss"
	"github.com/clusterprotect/terraform-provider-clusterprotect/internal/hssfake"
)

// BenchmarkReadAll reads every event from the fake over loopback HTTP:
// Run: go test -run '^$' -bench ReadAll -benchtime 3x ./internal/hss/ .
func BenchmarkReadAll(b *testing.B) {
	for _, tc := range []struct {
		events      int
		latency     time.Duration
		concurrency int
	}{
		{10_000, 0, 1}, {10_000, 0, hss.DefaultMaxConcurrency},
		{10_000, 50 * time.Millisecond, 1}, {10_000, 50 * time.Millisecond, hss.DefaultMaxConcurrency},
		{1_000, 50 * time.Millisecond, hss.DefaultMaxConcurrency}, {5_000, 50 * time.Millisecond, hss.DefaultMaxConcurrency},
		{1_000, 0, hss.DefaultMaxConcurrency}, {5_000, 0, hss.DefaultMaxConcurrency},
	} {
		name := fmt.Sprintf("events=%d/latency=%s/concurrency=%d", tc.events, tc.latency, tc.concurrency)
		b.Run(name, func(b *testing.B) {
			fake, c := newFake(b, generate(tc.events), func(c *hss.Config) { c.MaxConcurrency = tc.concurrency })
			fake.SetFaults(hssfake.Faults{Latency: tc.latency, MalformedAtOffset: -1})
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

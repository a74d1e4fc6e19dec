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
// Retry-After: 1, and reports the 429s each read drew and the fraction of
// the limit it achieved: the requests answered 2xx a second, over 8 (the
// burst lets a short read exceed 1). Targets: at least 0.85 of the limit,
// at most 8 answers of 429.
// Run: go test -run '^$' -bench ReadAll_rateLimited -benchtime 3x ./internal/hss/ .
func BenchmarkReadAll_rateLimited(b *testing.B) {
	const limit = 8
	b.ReportAllocs()
	throttled, accepted := 0, 0
	var took time.Duration
	for b.Loop() {
		b.StopTimer()
		fake, c := newFake(b, generate(4000), func(c *hwcloud.Config) { c.RetryBaseDelay, c.RetryMaxDelay = 0, 0 })
		fake.SetFaults(hssfake.Faults{RatePerSecond: limit, Burst: 4, RetryAfter: "1"})
		b.StartTimer()
		start := time.Now()
		res, err := c.ReadAllClusterEvents(context.Background(), hss.Filter{ProjectID: testProject})
		took += time.Since(start)
		if err != nil || len(res.Events) != 4000 {
			b.Fatal(err)
		}
		st := fake.Stats()
		throttled += st.ByStatus[429]
		accepted += st.ByStatus[200]
	}
	b.ReportMetric(float64(throttled)/float64(b.N), "429s/op")
	b.ReportMetric(float64(accepted)/took.Seconds()/limit, "limit-fraction")
}

// BenchmarkReadAll_throttledStart reads 1,000 events from a tenant whose
// every request is answered 429 for the first 3 s, with Retry-After: 0 or
// no Retry-After, with the provider's default retry delays. It reports the
// requests, the 429s and the seconds of each read; the targets are at most
// 30 answers of 429 and at most 5 s (2 s after the throttle ends).
// Run: go test -run '^$' -bench ReadAll_throttledStart -benchtime 3x ./internal/hss/ .
func BenchmarkReadAll_throttledStart(b *testing.B) {
	for _, tc := range []struct{ name, retryAfter string }{{"retryAfter0", "0"}, {"noHeader", ""}} {
		b.Run(tc.name, func(b *testing.B) {
			var requests, throttled int
			var took time.Duration
			for b.Loop() {
				fake, c := newFake(b, generate(1000), func(c *hwcloud.Config) { c.RetryBaseDelay, c.RetryMaxDelay = 0, 0 })
				start := time.Now()
				fake.SetFaults(hssfake.Faults{TooManyRequestsFor: 3 * time.Second, RetryAfter: tc.retryAfter})
				res, err := c.ReadAllClusterEvents(context.Background(), hss.Filter{ProjectID: testProject})
				took += time.Since(start)
				if err != nil || len(res.Events) != 1000 {
					b.Fatal(err)
				}
				st := fake.Stats()
				requests += st.Requests
				throttled += st.ByStatus[429]
			}
			b.ReportMetric(float64(requests)/float64(b.N), "requests/op")
			b.ReportMetric(float64(throttled)/float64(b.N), "429s/op")
			b.ReportMetric(took.Seconds()/float64(b.N), "s/op")
		})
	}
}

// BenchmarkReadAll_busyTenant reads a list that gains one event every few
// requests, and reports the requests a read takes against its pages
// (ceil(events / 200)).
// Run: go test -run '^$' -bench ReadAll_busyTenant -benchtime 20x ./internal/hss/ .
func BenchmarkReadAll_busyTenant(b *testing.B) {
	for _, tc := range []struct{ events, every, concurrency int }{
		{2000, 3, hwcloud.DefaultMaxConcurrency}, {2000, 1, hwcloud.DefaultMaxConcurrency}, {2000, 3, 1},
		{10_000, 3, hwcloud.DefaultMaxConcurrency}, {10_000, 1, hwcloud.DefaultMaxConcurrency},
	} {
		b.Run(fmt.Sprintf("events=%d/every=%d/concurrency=%d", tc.events, tc.every, tc.concurrency), func(b *testing.B) {
			requests, worst, warned := 0, 0, 0
			for b.Loop() {
				b.StopTimer()
				fake, c := newFake(b, generate(tc.events), func(c *hwcloud.Config) { c.MaxConcurrency = tc.concurrency })
				fake.SetFaults(hssfake.Faults{NewEventEvery: tc.every})
				b.StartTimer()
				res, err := c.ReadAllClusterEvents(context.Background(), hss.Filter{ProjectID: testProject})
				if err != nil || len(res.Events) < min(tc.events, hss.MaxTotalNum) {
					b.Fatal(err, len(res.Events), res.Warnings, fake.Stats().Offsets)
				}
				n := fake.Stats().Requests
				requests += n
				worst = max(worst, n)
				if len(res.Warnings) > 0 && tc.events < hss.MaxTotalNum {
					warned++
				}
			}
			pages := float64((tc.events + hss.DefaultLimit - 1) / hss.DefaultLimit)
			b.ReportMetric(float64(requests)/float64(b.N), "requests/op")
			b.ReportMetric(float64(requests)/float64(b.N)/pages, "requests/page")
			b.ReportMetric(float64(worst), "worst-requests")
			b.ReportMetric(float64(warned)/float64(b.N), "warned/op")
		})
	}
}

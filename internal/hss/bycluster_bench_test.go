package hss_test

import (
	"context"
	"fmt"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/clusterprotect/terraform-provider-clusterprotect/internal/hss"
	"github.com/clusterprotect/terraform-provider-clusterprotect/internal/hssfake"
	"github.com/clusterprotect/terraform-provider-clusterprotect/internal/hwcloud"
)

// BenchmarkReadEvents_pastTheCap reads 25,000 events of 6 clusters and
// 60,000 of 12 at 50 ms a request, past the API's cap of 10,000 ("capped":
// cluster by cluster) and, for comparison, from a fake and a client whose
// cap is above them ("uncapped": one query at the same concurrency). It
// reports the requests, the budget of the target (1.25 times the clusters'
// own pages, plus the clusters pages, plus one) and the peak of the heap
// in use during a read. Targets: requests/op at most budget/op; the capped
// read's s/op at most 1.5 times the uncapped one's.
// Run: go test -run '^$' -bench ReadEvents_pastTheCap -benchtime 3x ./internal/hss/ .
func BenchmarkReadEvents_pastTheCap(b *testing.B) {
	for _, tc := range []struct{ events, clusters int }{{25_000, 6}, {60_000, 12}} {
		events := hssfake.Generate(hssfake.GenerateOptions{Count: tc.events, Seed: 3, ProjectID: testProject, Clusters: tc.clusters})
		for _, mode := range []struct {
			name string
			capN int
		}{{"capped", hss.MaxTotalNum}, {"uncapped", 10 * tc.events}} {
			b.Run(fmt.Sprintf("events=%d/clusters=%d/%s", tc.events, tc.clusters, mode.name), func(b *testing.B) {
				fake, c, _ := newCappedFake(b, mode.capN, events)
				fake.SetFaults(hssfake.Faults{Latency: 50 * time.Millisecond})
				b.ReportAllocs()
				var peak uint64
				for b.Loop() {
					stop := watchHeap(&peak)
					res, err := c.ReadEvents(context.Background(), hss.Filter{ProjectID: testProject})
					stop()
					if err != nil || len(res.Events) != tc.events || !res.Complete {
						b.Fatal(err, len(res.Events), res.Warnings)
					}
				}
				b.ReportMetric(float64(fake.Stats().Requests)/float64(b.N), "requests/op")
				b.ReportMetric(float64(fake.Stats().MaxInFlight), "max-in-flight")
				b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MiB")
				b.ReportMetric(budget(events, mode.capN), "budget/op")
			})
		}
	}
}

// budget is the target on the requests of a read of events: 1.25 times
// the pages of each cluster's own query, the clusters pages and the first
// page of the query at the cap; below the cap, 1.25 times the query's
// pages.
func budget(events []hssfake.Event, capN int) float64 {
	pages := func(n int) int { return (n + hss.DefaultLimit - 1) / hss.DefaultLimit }
	if len(events) < capN {
		return 1.25 * float64(pages(len(events)))
	}
	per := map[string]int{}
	for _, e := range events {
		per[*e.ClusterID]++
	}
	own := 0
	for _, n := range per {
		own += pages(n)
	}
	return 1.25*float64(own) + float64(pages(len(per))) + 1
}

// watchHeap samples the heap in use every millisecond into peak, until
// stop is called.
func watchHeap(peak *uint64) (stop func()) {
	runtime.GC()
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		var m runtime.MemStats
		for {
			runtime.ReadMemStats(&m)
			*peak = max(*peak, m.HeapInuse)
			select {
			case <-done:
				return
			case <-time.After(time.Millisecond):
			}
		}
	}()
	return func() { close(done); wg.Wait() }
}

// BenchmarkReadEvents_pastTheCapRateLimited reads 6,000 events of 3
// clusters from a tenant limited to 8 requests a second (burst 4,
// Retry-After: 1), past a cap of 2,500 (cluster by cluster) and below a
// cap above them, and reports the 429s a request drew. Target: the capped
// read draws no more 429s a request than the uncapped one.
// Run: go test -run '^$' -bench ReadEvents_pastTheCapRateLimited -benchtime 3x ./internal/hss/ .
func BenchmarkReadEvents_pastTheCapRateLimited(b *testing.B) {
	events := hssfake.Generate(hssfake.GenerateOptions{Count: 6000, Seed: 5, ProjectID: testProject, Clusters: 3})
	for _, mode := range []struct {
		name string
		capN int
	}{{"capped", 2500}, {"uncapped", 100_000}} {
		b.Run(mode.name, func(b *testing.B) {
			throttled, requests := 0, 0
			for b.Loop() {
				b.StopTimer()
				fake, c, _ := newCappedFake(b, mode.capN, events, func(c *hwcloud.Config) { c.RetryBaseDelay, c.RetryMaxDelay = 0, 0 })
				fake.SetFaults(hssfake.Faults{RatePerSecond: 8, Burst: 4, RetryAfter: "1"})
				b.StartTimer()
				res, err := c.ReadEvents(context.Background(), hss.Filter{ProjectID: testProject})
				if err != nil || len(res.Events) != len(events) {
					b.Fatal(err)
				}
				st := fake.Stats()
				throttled += st.ByStatus[429]
				requests += st.Requests
			}
			b.ReportMetric(float64(requests)/float64(b.N), "requests/op")
			b.ReportMetric(float64(throttled)/float64(b.N), "429s/op")
			b.ReportMetric(float64(throttled)/float64(requests), "429s/request")
		})
	}
}

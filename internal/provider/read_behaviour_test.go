package provider

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/clusterprotect/terraform-provider-clusterprotect/internal/hssfake"
)

func TestEventsDataSource_throttledThenServed(t *testing.T) {
	t.Parallel()
	env := testEnv(t)
	fake, url := startFake(t, generate(450))
	fake.SetFaults(hssfake.Faults{TooManyRequests: 3, RetryAfter: "0"})
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(env),
		Steps: []resource.TestStep{{
			Config:            providerBlock(url, tokenAuth()) + `data "clusterprotect_events" "test" {}`,
			ConfigStateChecks: []statecheck.StateCheck{expect(dataList(), knownvalue.ListSizeExact(450))},
		}},
	})
	if st := fake.Stats(); st.ByStatus[429] != 3 {
		t.Errorf("statuses %v", st.ByStatus)
	}
}

func TestEventsDataSource_persistentServerError(t *testing.T) {
	t.Parallel()
	env := testEnv(t)
	fake, url := startFake(t, generate(10))
	fake.SetFaults(hssfake.Faults{ServerErrors: 1000})
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(env),
		Steps: []resource.TestStep{{
			Config: providerBlock(url, tokenAuth(), "max_retries = 2") + `data "clusterprotect_events" "test" {}`,
			ExpectError: regexp.MustCompile(`(?s)Unable to read cluster protection events.*500 Internal Server Error.*` +
				`error_code="HSS.0500".*error_msg="Internal server error".*X-Request-Id="[0-9a-f]{32}".*after 3\s+attempts.*retry later`),
		}},
	})
	if st := fake.Stats(); st.Requests != 3 {
		t.Errorf("%d requests, want 3 (1 + max_retries)", st.Requests)
	}
}

// Events that arrive while the pages are read come back once each, and the
// list matches total_num.
func TestEventsDataSource_arrivalsDuringRead(t *testing.T) {
	t.Parallel()
	env := testEnv(t)
	events := generate(1000)
	arriving := generate(30, func(o *hssfake.GenerateOptions) { o.Seed = 77; o.NewestMillis = 1_900_000_000_000 })
	fake, url := startFake(t, events)
	fake.SetFaults(hssfake.Faults{HeadAfterFirstPage: arriving})
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(env),
		Steps: []resource.TestStep{{
			Config: providerBlock(url, tokenAuth()) + `data "clusterprotect_events" "test" {}
output "unique_ids" {
  value = length(distinct(data.clusterprotect_events.test.data_list[*].event_id))
}`,
			ConfigStateChecks: []statecheck.StateCheck{
				expect(tfjsonpath.New("total_num"), knownvalue.Int64Exact(1030)),
				expect(dataList(), knownvalue.ListSizeExact(1030)),
				expect(dataList().AtSliceIndex(0).AtMapKey("event_id"), knownvalue.StringExact(*arriving[0].EventID)),
				statecheck.ExpectKnownOutputValue("unique_ids", knownvalue.Int64Exact(1030)),
			},
		}},
	})
}

func TestEventsDataSource_maxConcurrency(t *testing.T) {
	t.Parallel()
	env := testEnv(t)
	for _, limit := range []int{1, 4} {
		t.Run(fmt.Sprint(limit), func(t *testing.T) {
			fake, url := startFake(t, generate(2000))
			fake.SetFaults(hssfake.Faults{Latency: 20 * time.Millisecond})
			resource.UnitTest(t, resource.TestCase{
				ProtoV6ProviderFactories: factories(env),
				Steps: []resource.TestStep{{
					Config:            providerBlock(url, tokenAuth(), fmt.Sprintf("max_concurrency = %d", limit)) + `data "clusterprotect_events" "test" {}`,
					ConfigStateChecks: []statecheck.StateCheck{expect(dataList(), knownvalue.ListSizeExact(2000))},
				}},
			})
			if st := fake.Stats(); st.MaxInFlight != limit {
				t.Errorf("max_concurrency %d: %d requests in flight at most", limit, st.MaxInFlight)
			}
		})
	}
}

// A tenant throttled by a token bucket still gets every event: 429s are
// waited out, without using up max_retries, and the provider paces its
// requests at the rate it learns.
func TestEventsDataSource_rateLimited(t *testing.T) {
	t.Parallel()
	env := testEnv(t)
	fake, url := startFake(t, generate(4000))
	fake.SetFaults(hssfake.Faults{RatePerSecond: 8, Burst: 4, RetryAfter: "1"})
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(env),
		Steps: []resource.TestStep{{
			Config:            providerBlock(url, tokenAuth(), "max_retries = 0") + `data "clusterprotect_events" "test" {}`,
			ConfigStateChecks: []statecheck.StateCheck{expect(dataList(), knownvalue.ListSizeExact(4000))},
		}},
	})
	if st := fake.Stats(); st.ByStatus[429] == 0 {
		t.Errorf("the bucket never throttled (statuses %v): the test does not exercise the 429 path", st.ByStatus)
	}
}

// A Retry-After that ends after the read's deadline fails the read at once,
// naming both; one within it is waited out (internal/hwcloud's table tests).
func TestEventsDataSource_retryAfterPastDeadline(t *testing.T) {
	t.Parallel()
	env := testEnv(t)
	fake, url := startFake(t, generate(10))
	fake.SetFaults(hssfake.Faults{TooManyRequests: 1, RetryAfter: "120"})
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(env),
		Steps: []resource.TestStep{{
			Config: providerBlock(url, tokenAuth()) + `data "clusterprotect_events" "test" {
  timeouts {
    read = "30s"
  }
}`,
			ExpectError: regexp.MustCompile(`(?s)429.*asked\s+to\s+wait\s+2m0s\s+before\s+retrying\s+\(Retry-After\),\s+longer\s+than\s+the\s+\d+s\s+left.*raise\s+timeouts.read`),
		}},
	})
	if st := fake.Stats(); st.Requests != 1 {
		t.Errorf("%d requests, want 1: a wait past the deadline is not begun", st.Requests)
	}
}

// A tenant whose events keep arriving reads without a warning: the pages are
// lined up by event_id.
func TestEventsDataSource_busyTenantNoWarning(t *testing.T) {
	t.Parallel()
	env := testEnv(t)
	fake, url := startFake(t, generate(2000))
	fake.SetFaults(hssfake.Faults{NewEventEvery: 3})
	client := newProtocolClient(t, url, env)
	resp := client.readWith(context.Background(), t, nil)
	if len(resp.Diagnostics) != 0 {
		t.Fatalf("want no diagnostics, got %s", diagnosticsString(resp.Diagnostics))
	}
	if st := fake.Stats(); st.Requests > 12+1 { // 1.2 × the 10 pages, and the first page again
		t.Errorf("%d requests for 10 pages", st.Requests)
	}
}

// A list that moves faster than its pages can be lined up is an error, not a
// list that may lack events: a check or policy built on it fails closed.
func TestEventsDataSource_listMovesTooFast(t *testing.T) {
	t.Parallel()
	env := testEnv(t)
	fake := hssfake.New(tokenConfig(), generate(1000))
	var n atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		i := n.Add(1)
		fake.AddEvents(generate(400, func(o *hssfake.GenerateOptions) {
			o.Seed = uint64(500 + i)
			o.NewestMillis = 1_900_000_000_000 + i*10_000_000
		})...)
		fake.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(env),
		Steps: []resource.TestStep{{
			Config:      providerBlock(srv.URL, tokenAuth()) + `data "clusterprotect_events" "test" {}`,
			ExpectError: regexp.MustCompile(`(?s)Unable to read cluster protection events.*the\s+list\s+moved\s+while\s+it\s+was\s+read.*Events\s+may\s+be\s+missing.*fail\s+closed`),
		}},
	})
}

// Issue 25 through the CLI: 600 events. Of the pages the first pass asks
// for after the first page, the second is answered first; then an event
// arrives at the head and the oldest leaves, so that total_num stays 600;
// then the others are answered. The page after the first and the one that
// follows it share no event, and nothing lines them up but the events: the
// read is the list after the change, complete, with the event at offset 399
// that stayed all along. The pages are held by the offsets the read asks
// for, so the scenario is the same on every run: served as they came, the
// short last page was at times answered before the change too, and no page
// read after it showed where the list ends, so the read rightly said it was
// not complete.
func TestEventsDataSource_outOfOrderPagesEqualTotals(t *testing.T) {
	t.Parallel()
	env := testEnv(t)
	events := generate(600)
	arrived := generate(1, func(o *hssfake.GenerateOptions) { o.Seed = 25; o.NewestMillis = 1_900_000_000_000 })
	fake := hssfake.New(tokenConfig(), events)
	s := &hssfake.OutOfOrder{Next: fake, Total: len(events), Before: []int{1}, Change: func() {
		fake.SetEvents(append(slices.Clone(arrived), events[:599]...))
	}}
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	// The list after the change: the arrival, then e0 to e598.
	afterChange := []statecheck.StateCheck{
		expect(tfjsonpath.New("complete"), knownvalue.Bool(true)),
		expect(dataList(), knownvalue.ListSizeExact(600)),
		expect(dataList().AtSliceIndex(0).AtMapKey("event_id"), knownvalue.StringExact(*arrived[0].EventID)),
		expect(dataList().AtSliceIndex(400).AtMapKey("event_id"), knownvalue.StringExact(*events[399].EventID)),
		expect(dataList().AtSliceIndex(599).AtMapKey("event_id"), knownvalue.StringExact(*events[598].EventID)),
	}
	step := resource.TestStep{Config: providerBlock(srv.URL, tokenAuth()) + `data "clusterprotect_events" "test" {}`, ConfigStateChecks: afterChange}
	resource.UnitTest(t, resource.TestCase{ProtoV6ProviderFactories: factories(env), Steps: []resource.TestStep{step}})
	if problem := s.Problem(); problem != "" {
		t.Errorf("the scenario did not run: %s", problem)
	}
}

package hss_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/clusterprotect/terraform-provider-clusterprotect/internal/hss"
	"github.com/clusterprotect/terraform-provider-clusterprotect/internal/hssfake"
	"github.com/clusterprotect/terraform-provider-clusterprotect/internal/hwcloud"
)

func TestReadAll_counts(t *testing.T) {
	for _, tc := range []struct {
		events, requests int
	}{
		// Pages overlap by 10 events from the start where that costs at most
		// 1.2 times the pages, else by 1 (only a shared event shows that two
		// pages meet), until one reaches past total_num and shows the end;
		// then the first page is read once more, on its own, to show the
		// list at one instant. One short page is the whole list; at the cap
		// nothing is proven by a last read.
		{0, 1}, {1, 1}, {199, 1}, {200, 3}, {201, 3}, {400, 4}, {800, 6}, {1000, 7}, {2000, 12}, {10_000, 53},
	} {
		events := generate(tc.events)
		fake, c := newFake(t, events)
		res, err := c.ReadAllClusterEvents(context.Background(), hss.Filter{ProjectID: testProject})
		if err != nil {
			t.Fatalf("%d events: %v", tc.events, err)
		}
		if got, want := ids(res.Events), fakeIDs(events); !slices.Equal(got, want) {
			t.Errorf("%d events: got %d events, not the fake's in order", tc.events, len(got))
		}
		if res.TotalNum != int64(tc.events) || res.Consistent != (tc.events < hss.MaxTotalNum) || len(res.Warnings) != boolToInt(tc.events >= hss.MaxTotalNum) {
			t.Errorf("%d events: total %d consistent %v warnings %q", tc.events, res.TotalNum, res.Consistent, res.Warnings)
		}
		if st := fake.Stats(); st.Requests != tc.requests || res.Requests != tc.requests {
			t.Errorf("%d events: %d requests served, %d counted, want %d", tc.events, st.Requests, res.Requests, tc.requests)
		}
	}
}

func boolToInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func TestReadAll_capAt10000(t *testing.T) {
	events := generate(10_050)
	fake, c := newFake(t, events)
	res, err := c.ReadAllClusterEvents(context.Background(), hss.Filter{ProjectID: testProject})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Events) != hss.MaxTotalNum || res.TotalNum != hss.MaxTotalNum {
		t.Fatalf("got %d events, total %d", len(res.Events), res.TotalNum)
	}
	if len(res.Warnings) != 1 || !strings.Contains(res.Warnings[0], "cluster_id") {
		t.Errorf("warnings %q", res.Warnings)
	}
	if st := fake.Stats(); st.Requests != 53 { // 1 + ceil(9,800 / 190): the pages overlap by 10
		t.Errorf("%d requests", st.Requests)
	}
}

func TestReadAll_filters(t *testing.T) {
	events := hssfake.Generate(hssfake.GenerateOptions{Count: 900, Seed: 3, ProjectID: testProject, EnterpriseProjectIDs: []string{"0", hssfake.SampleEnterpriseProjectID}, Clusters: 4})
	other := hssfake.Generate(hssfake.GenerateOptions{Count: 50, Seed: 4, ProjectID: "another-project"})
	_, c := newFake(t, append(slices.Clone(events), other...))
	want := func(keep func(hssfake.Event) bool) []string {
		var out []string
		for _, e := range events {
			if keep(e) {
				out = append(out, *e.EventID)
			}
		}
		return out
	}
	cluster := *events[0].ClusterID
	for _, tc := range []struct {
		name   string
		filter hss.Filter
		keep   func(hssfake.Event) bool
	}{
		{"default enterprise project", hss.Filter{}, func(e hssfake.Event) bool { return *e.EnterpriseProjectID == "0" }},
		{"one enterprise project", hss.Filter{EnterpriseProjectID: hssfake.SampleEnterpriseProjectID}, func(e hssfake.Event) bool { return *e.EnterpriseProjectID == hssfake.SampleEnterpriseProjectID }},
		{"all enterprise projects", hss.Filter{EnterpriseProjectID: "all_granted_eps"}, func(hssfake.Event) bool { return true }},
		{"cluster", hss.Filter{EnterpriseProjectID: "all_granted_eps", ClusterID: cluster}, func(e hssfake.Event) bool { return *e.ClusterID == cluster }},
		{"cluster in enterprise project", hss.Filter{EnterpriseProjectID: hssfake.SampleEnterpriseProjectID, ClusterID: cluster}, func(e hssfake.Event) bool {
			return *e.ClusterID == cluster && *e.EnterpriseProjectID == hssfake.SampleEnterpriseProjectID
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := tc.filter
			f.ProjectID = testProject
			res, err := c.ReadAllClusterEvents(context.Background(), f)
			if err != nil {
				t.Fatal(err)
			}
			w := want(tc.keep)
			if len(w) == 0 || len(w) == len(events) && tc.name != "all enterprise projects" {
				t.Fatalf("test data does not exercise the filter: %d", len(w))
			}
			if got := ids(res.Events); !slices.Equal(got, w) {
				t.Errorf("got %d events, want %d", len(got), len(w))
			}
		})
	}
}

func TestReadAll_eventsArriveDuringRead(t *testing.T) {
	events := generate(1000)
	fake, c := newFake(t, events)
	arriving := hssfake.Generate(hssfake.GenerateOptions{Count: 30, Seed: 99, ProjectID: testProject, NewestMillis: 1_800_000_000_000})
	fake.SetFaults(hssfake.Faults{HeadAfterFirstPage: arriving})
	res, err := c.ReadAllClusterEvents(context.Background(), hss.Filter{ProjectID: testProject})
	if err != nil {
		t.Fatal(err)
	}
	if !res.Consistent || len(res.Warnings) != 0 {
		t.Errorf("consistent %v, warnings %q", res.Consistent, res.Warnings)
	}
	want := append(fakeIDs(arriving), fakeIDs(events)...)
	if got := ids(res.Events); !slices.Equal(got, want) || res.TotalNum != 1030 {
		t.Errorf("got %d events (total_num %d), want the 1030 of the second snapshot", len(got), res.TotalNum)
	}
	if st := fake.Stats(); st.Requests > 7 {
		t.Errorf("%d requests, want at most 7: the 5 pages, the head read again and the tail", st.Requests)
	}
}

// pagesFor is how many pages of the default limit hold n events: the
// measure the request counts of a busy tenant are held to.
func pagesFor(n int) int { return (n + hss.DefaultLimit - 1) / hss.DefaultLimit }

// checkOnce fails unless got holds every event of stayed once, and nothing
// but those and events of arrived.
func checkOnce(t *testing.T, got []hss.ClusterEvent, stayed, arrived []hssfake.Event) {
	t.Helper()
	allowed := map[string]bool{}
	for _, id := range fakeIDs(arrived) {
		allowed[id] = true
	}
	seen := map[string]bool{}
	for _, id := range ids(got) {
		if seen[id] {
			t.Fatalf("event_id %s appears twice", id)
		}
		seen[id] = true
	}
	for _, id := range fakeIDs(stayed) {
		if !seen[id] {
			t.Fatalf("event %s, in the list all along, is missing (%d events read)", id, len(got))
		}
		allowed[id] = true
	}
	for id := range seen {
		if !allowed[id] {
			t.Fatalf("event %s was never in the list", id)
		}
	}
}

// arrivedSince is what the fake serves now that was not in before.
func arrivedSince(fake *hssfake.Server, before []hssfake.Event) []hssfake.Event {
	old := map[string]bool{}
	for _, id := range fakeIDs(before) {
		old[id] = true
	}
	var out []hssfake.Event
	for _, e := range fake.Events() {
		if !old[*e.EventID] {
			out = append(out, e)
		}
	}
	return out
}

// New events at the head are the normal case for an alarm API: the pages are
// lined up by event_id, not read again, and no warning is given. Read one
// after another or concurrently, each page overlaps the one before by 10
// events, so pages served out of order still share events, and the last page
// reaches past the end for the tail the new events push out: a read costs
// 1 + ceil(1,800 / 190) = 11 requests for the 10 pages, and the first page
// read again, within 1.2 × pages + 1.
func TestReadAll_busyTenant(t *testing.T) {
	for _, tc := range []struct{ every, concurrency, extra int }{
		{3, 1, 1}, {1, 1, 1},
		{3, hwcloud.DefaultMaxConcurrency, 1},
		{1, hwcloud.DefaultMaxConcurrency, 1},
		{7, hwcloud.DefaultMaxConcurrency, 1},
	} {
		t.Run(fmt.Sprintf("one new event every %d requests, %d at a time", tc.every, tc.concurrency), func(t *testing.T) {
			events := generate(2000)
			fake, c := newFake(t, events, func(c *hwcloud.Config) { c.MaxConcurrency = tc.concurrency })
			fake.SetFaults(hssfake.Faults{NewEventEvery: tc.every})
			res, err := c.ReadAllClusterEvents(context.Background(), hss.Filter{ProjectID: testProject})
			if err != nil {
				t.Fatal(err)
			}
			arrived := arrivedSince(fake, events)
			if len(arrived) == 0 {
				t.Fatal("no event arrived: the test does not exercise a moving list")
			}
			checkOnce(t, res.Events, events, arrived)
			if !res.Consistent || len(res.Warnings) != 0 {
				t.Errorf("consistent %v, warnings %q", res.Consistent, res.Warnings)
			}
			if int(res.TotalNum) != len(res.Events) {
				t.Errorf("total_num %d for %d events", res.TotalNum, len(res.Events))
			}
			pages := pagesFor(len(events))
			if st := fake.Stats(); float64(st.Requests) > 1.2*float64(pages)+float64(tc.extra) || res.Requests != st.Requests {
				t.Errorf("%d requests served (%d counted) for %d pages, want at most 1.2 × pages + %d; offsets %v",
					st.Requests, res.Requests, pages, tc.extra, st.Offsets)
			}
		})
	}
}

// Events that leave the list during the read shift the later pages towards
// the head; the events that stayed are all read, once.
func TestReadAll_eventsLeaveDuringRead(t *testing.T) {
	events := generate(2000)
	fake := hssfake.New(fakeConfig(), events)
	var n atomic.Int64
	// Before the fourth request, 30 events leave from the middle of the list.
	stayed := append(slices.Clone(events[:500]), events[530:]...)
	res, err := readVia(t, func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) == 4 {
			fake.SetEvents(stayed)
		}
		fake.ServeHTTP(w, r)
	})
	if err != nil {
		t.Fatal(err)
	}
	checkOnce(t, res.Events, stayed, events[500:530])
	if got := n.Load(); float64(got) > 1.2*float64(pagesFor(2000))+3 {
		t.Errorf("%d requests for %d pages", got, pagesFor(2000))
	}
	t.Logf("%d requests, %d events, warnings %q", n.Load(), len(res.Events), res.Warnings)
}

// More events arrive between two reads than a page holds.
func TestReadAll_moreArrivalsThanAPage(t *testing.T) {
	events := generate(1000)
	fake := hssfake.New(fakeConfig(), events)
	burst := hssfake.Generate(hssfake.GenerateOptions{Count: 450, Seed: 41, ProjectID: testProject, NewestMillis: 1_900_000_000_000})
	var n atomic.Int64
	res, err := readVia(t, func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) == 2 {
			fake.AddEvents(burst...)
		}
		fake.ServeHTTP(w, r)
	})
	if err != nil {
		t.Fatal(err)
	}
	checkOnce(t, res.Events, events, burst)
	for _, w := range res.Warnings {
		if !strings.Contains(w, "The list moved while it was read") {
			t.Errorf("warning %q", w)
		}
	}
	t.Logf("%d requests, %d events, warnings %q", n.Load(), len(res.Events), res.Warnings)
}

// A head that moves faster than the pages can be lined up fails the read,
// after a bounded number of requests: a gate must not pass on a list that
// may lack events.
func TestReadAll_headMovesTooFast(t *testing.T) {
	events := generate(1000)
	fake := hssfake.New(fakeConfig(), events)
	var n atomic.Int64
	_, err := readVia(t, func(w http.ResponseWriter, r *http.Request) {
		i := n.Add(1)
		fake.AddEvents(hssfake.Generate(hssfake.GenerateOptions{Count: 400, Seed: uint64(1000 + i), ProjectID: testProject, NewestMillis: 1_800_000_000_000 + i*1_000_000})...)
		fake.ServeHTTP(w, r)
	})
	if !errors.Is(err, hss.ErrListMoved) || !strings.Contains(err.Error(), "the list moved while it was read") {
		t.Fatalf("err %v", err)
	}
	// The first pass, with pages overlapping by at most a quarter, then at
	// most a page per place still open in each round.
	pages := pagesFor(1000)
	if got := n.Load(); got > int64(2*pages+hss.MaxLineUpRounds*(2*pages+1)) {
		t.Errorf("%d requests: the line-up is not bounded", got)
	}
	t.Logf("%d requests: %v", n.Load(), err)
}

// A total_num that disagrees with the pages, on a list that does not move, is
// said as such, once, without reading again.
func TestReadAll_totalNumDisagrees(t *testing.T) {
	events := generate(240)
	fake := hssfake.New(fakeConfig(), events)
	var n atomic.Int64
	res, err := readVia(t, withTotalNum(fake, 250, &n))
	if err != nil {
		t.Fatal(err)
	}
	if got := ids(res.Events); !slices.Equal(got, fakeIDs(events)) || res.Consistent || res.TotalNum != 250 {
		t.Errorf("%d events, consistent %v, total %d", len(got), res.Consistent, res.TotalNum)
	}
	if len(res.Warnings) != 1 || !strings.Contains(res.Warnings[0], "total_num disagrees with the pages") ||
		!strings.Contains(res.Warnings[0], "250") || !strings.Contains(res.Warnings[0], "240") ||
		strings.Contains(res.Warnings[0], "moved") || strings.Contains(res.Warnings[0], "changed") {
		t.Errorf("warnings %q", res.Warnings)
	}
	if got := n.Load(); got != 3 {
		t.Errorf("%d requests, want the 2 pages and the first once more", got)
	}
}

// withTotalNum serves fake's pages with total_num replaced by total.
func withTotalNum(fake http.Handler, total int64, n *atomic.Int64) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		rec := httptest.NewRecorder()
		fake.ServeHTTP(rec, r)
		var body map[string]json.RawMessage
		if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil || rec.Code != http.StatusOK {
			w.WriteHeader(http.StatusInternalServerError)
			return
		}
		body["total_num"] = json.RawMessage(fmt.Sprint(total))
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(body)
	}
}

// A server whose total_num promises more than its pages hold ends with a
// warning, not a loop: its empty first page shows the whole list.
func TestReadAll_guardAgainstShortPages(t *testing.T) {
	var n atomic.Int64
	res, err := readVia(t, func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"total_num":10000,"last_update_time":5,"data_list":[]}`))
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Events) != 0 || res.Consistent || len(res.Warnings) != 2 || !strings.Contains(res.Warnings[0], "total_num disagrees") {
		t.Errorf("events %d consistent %v warnings %q", len(res.Events), res.Consistent, res.Warnings)
	}
	if got := n.Load(); got != 1 {
		t.Errorf("%d requests, want 1", got)
	}
}

func TestReadAll_authentication(t *testing.T) {
	for _, tc := range []struct {
		name    string
		cfg     func(*hwcloud.Config)
		wantErr string
	}{
		{"token", func(*hwcloud.Config) {}, ""},
		{"aksk", func(c *hwcloud.Config) {
			c.Credentials = hwcloud.StaticCredentials{AccessKey: testAK, SecretKey: testSK}
		}, ""},
		{"temporary aksk", func(c *hwcloud.Config) {
			c.Credentials = hwcloud.StaticCredentials{AccessKey: "TMPAK", SecretKey: "TMPSK", SecurityToken: "sts-token"}
		}, ""},
		{"temporary aksk without token", func(c *hwcloud.Config) {
			c.Credentials = hwcloud.StaticCredentials{AccessKey: "TMPAK", SecretKey: "TMPSK"}
		}, "APIGW.0301"},
		{"wrong token", func(c *hwcloud.Config) { c.Credentials = hwcloud.StaticCredentials{AuthToken: "nope"} }, "APIGW.0301"},
		{"wrong secret", func(c *hwcloud.Config) {
			c.Credentials = hwcloud.StaticCredentials{AccessKey: testAK, SecretKey: "wrong"}
		}, "signature mismatch"},
		{"unknown key", func(c *hwcloud.Config) {
			c.Credentials = hwcloud.StaticCredentials{AccessKey: "NOPE", SecretKey: testSK}
		}, "unknown access key"},
		{"skewed clock", func(c *hwcloud.Config) {
			c.Credentials = hwcloud.StaticCredentials{AccessKey: testAK, SecretKey: testSK}
			c.Now = func() time.Time { return time.Now().Add(-time.Hour) }
		}, "X-Sdk-Date"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fake, c := newFake(t, generate(250), tc.cfg)
			res, err := c.ReadAllClusterEvents(context.Background(), hss.Filter{ProjectID: testProject})
			if tc.wantErr == "" {
				if err != nil || len(res.Events) != 250 {
					t.Fatalf("err %v", err)
				}
				return
			}
			var apiErr *hwcloud.APIError
			if !errors.As(err, &apiErr) || apiErr.StatusCode != 401 || !strings.Contains(err.Error(), tc.wantErr) || apiErr.RequestID == "" {
				t.Fatalf("err %v", err)
			}
			if st := fake.Stats(); st.Requests != 1 {
				t.Errorf("a 401 was retried: %d requests", st.Requests)
			}
			for _, secret := range []string{testSK, "wrong", testToken, "nope", "TMPSK"} {
				if strings.Contains(err.Error(), secret) {
					t.Errorf("error shows a secret: %v", err)
				}
			}
		})
	}
}

func TestReadAll_retries(t *testing.T) {
	for _, tc := range []struct {
		name      string
		faults    hssfake.Faults
		wantErr   string
		wantCalls int
	}{
		{"three 429 with Retry-After", hssfake.Faults{TooManyRequests: 3, RetryAfter: "0"}, "", 4},
		{"429 with HTTP date", hssfake.Faults{TooManyRequests: 1, RetryAfter: time.Now().Add(-time.Second).UTC().Format(http.TimeFormat)}, "", 2},
		{"two 500", hssfake.Faults{ServerErrors: 2}, "", 3},
		{"persistent 500", hssfake.Faults{ServerErrors: 100}, "HSS.0500", 6},
		{"Retry-After too long", hssfake.Faults{TooManyRequests: 1, RetryAfter: "3600"}, "asked to wait 1h0m0s", 1},
		{"malformed body", hssfake.Faults{MalformedAtOffset: hssfake.Ptr(0)}, "not the documented JSON", 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fake, c := newFake(t, generate(150))
			fake.SetFaults(tc.faults)
			res, err := c.ReadAllClusterEvents(context.Background(), hss.Filter{ProjectID: testProject})
			if tc.wantErr == "" {
				if err != nil || len(res.Events) != 150 {
					t.Fatalf("err %v", err)
				}
			} else if err == nil || !strings.Contains(err.Error(), tc.wantErr) || !strings.Contains(err.Error(), "X-Request-Id") {
				t.Fatalf("err %v, want %q and the request id", err, tc.wantErr)
			}
			if st := fake.Stats(); st.Requests != tc.wantCalls {
				t.Errorf("%d requests, want %d", st.Requests, tc.wantCalls)
			}
		})
	}
}

func TestReadAll_persistentErrorSaysAttempts(t *testing.T) {
	fake, c := newFake(t, generate(10))
	fake.SetFaults(hssfake.Faults{ServerErrors: 100})
	_, err := c.ReadAllClusterEvents(context.Background(), hss.Filter{ProjectID: testProject})
	var apiErr *hwcloud.APIError
	if !errors.As(err, &apiErr) || apiErr.Attempts != hwcloud.DefaultMaxRetries+1 || apiErr.StatusCode != 500 ||
		apiErr.Code != hssfake.CodeServerError || apiErr.Message == "" || apiErr.RequestID == "" {
		t.Fatalf("%#v", err)
	}
	if !strings.Contains(err.Error(), "after 6 attempts") {
		t.Errorf("%v", err)
	}
}

func TestReadAll_rateLimited(t *testing.T) {
	fake, c := newFake(t, generate(4000), func(c *hwcloud.Config) { c.MaxRetries = 10 })
	fake.SetFaults(hssfake.Faults{RatePerSecond: 40, Burst: 5, RetryAfter: "0.05"})
	res, err := c.ReadAllClusterEvents(context.Background(), hss.Filter{ProjectID: testProject})
	if err != nil {
		t.Fatal(err)
	}
	st := fake.Stats()
	if len(res.Events) != 4000 || st.ByStatus[200] != 23 { // 2 + floor(3,800 / 190) to reach past the end, overlapping by 10, and the first page again
		t.Fatalf("%d events, statuses %v", len(res.Events), st.ByStatus)
	}
	t.Logf("statuses %v", st.ByStatus)
}

func TestReadAll_maxInFlight(t *testing.T) {
	for _, limit := range []int{1, 3, 8} {
		fake, c := newFake(t, generate(3000), func(c *hwcloud.Config) { c.MaxConcurrency = limit })
		fake.SetFaults(hssfake.Faults{Latency: 20 * time.Millisecond})
		if _, err := c.ReadAllClusterEvents(context.Background(), hss.Filter{ProjectID: testProject}); err != nil {
			t.Fatal(err)
		}
		if st := fake.Stats(); st.MaxInFlight != limit {
			t.Errorf("max_concurrency %d: %d in flight at most", limit, st.MaxInFlight)
		}
	}
}

func TestReadAll_cancel(t *testing.T) {
	fake, c := newFake(t, generate(10_000), func(c *hwcloud.Config) { c.MaxConcurrency = 2 })
	fake.SetFaults(hssfake.Faults{Latency: time.Second})
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(1500*time.Millisecond, cancel)
	start := time.Now()
	_, err := c.ReadAllClusterEvents(ctx, hss.Filter{ProjectID: testProject})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err %v", err)
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("returned %s after start", d)
	}
}

// The events' own parameter is checked too; the common ones are in
// TestPageRequests_validation.
func TestListClusterEvents_validation(t *testing.T) {
	fake, c := newFake(t, generate(10))
	long := strings.Repeat("x", 257)
	if _, err := c.ListClusterEvents(context.Background(), hss.ListClusterEventsRequest{ProjectID: testProject, ClusterID: long, Limit: 10}); err == nil || !strings.Contains(err.Error(), "cluster_id") {
		t.Errorf("a cluster_id of 257 characters: err %v", err)
	}
	if st := fake.Stats(); st.Requests != 0 {
		t.Errorf("%d requests sent for invalid input", st.Requests)
	}
	if _, err := c.ListClusterEvents(context.Background(), hss.ListClusterEventsRequest{ProjectID: testProject, ClusterID: strings.Repeat("c", 256), Limit: 10}); err != nil {
		t.Errorf("a cluster_id of 256 characters: %v", err)
	}
}

func TestDecode_extremes(t *testing.T) {
	body := `{"total_num":3,"last_update_time":9223372036854775807,"data_list":[
	 {"event_id":"max","create_time":9223372036854775807,"update_time":0,"event_type":30000,
	  "event_name":"违规 🚫 événement","resource_info":{"enforcementAction":"deny","namespace":"","version":""}},
	 {"event_id":"both","resource_info":{"enforcement_action":"warn","enforcementAction":"deny"}},
	 {"event_id":"bare","cluster_name":""}]}`
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json;charset=UTF-8")
		_, _ = w.Write([]byte(body))
	}))
	defer srv.Close()
	c, _ := newClient(srv.URL+"/", hwcloud.Config{Credentials: hwcloud.StaticCredentials{AuthToken: "t"}})
	res, err := c.ListClusterEvents(context.Background(), hss.ListClusterEventsRequest{ProjectID: "p", Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	if *res.LastUpdateTime != math.MaxInt64 || *res.DataList[0].CreateTime != math.MaxInt64 || *res.DataList[0].UpdateTime != 0 {
		t.Errorf("int64 extremes lost: %+v", res.DataList[0])
	}
	e := res.DataList[0]
	if *e.EventName != "违规 🚫 événement" || *e.ResourceInfo.EnforcementAction != "deny" || *e.ResourceInfo.Namespace != "" || e.ResourceInfo.Kind != nil {
		t.Errorf("%+v", e.ResourceInfo)
	}
	if got := *res.DataList[1].ResourceInfo.EnforcementAction; got != "warn" {
		t.Errorf("documented spelling should win, got %s", got)
	}
	bare := res.DataList[2]
	if bare.ResourceInfo != nil || bare.Action != nil || bare.ClusterName == nil || *bare.ClusterName != "" {
		t.Errorf("absent and empty fields mixed up: %+v", bare)
	}
	// A value past int64 is an error, not a silently rounded number.
	body = `{"total_num":1,"data_list":[{"create_time":9223372036854775808}]}`
	if _, err := c.ListClusterEvents(context.Background(), hss.ListClusterEventsRequest{ProjectID: "p", Limit: 10}); err == nil {
		t.Error("int64 overflow accepted")
	}
}

func TestDecode_roundTripsTheDocumentExample(t *testing.T) {
	example := `{"total_num":1,"data_list":[{"project_id":"84b5266c14ae489fa6549827f032dc62","enterprise_project_id":"0","action":"warn","update_time":1695094500324,"event_id":"03368dc5-80ae-482f-8fa8-e62d778bb29f","cluster_id":"44753d6c-415e-11ee-834b-0255ac1001b2","event_class_id":"clusterprotect_1001","event_type":3009,"handle_status":"unhandled","event_content":"{\"enforcementAction\":\"warn\"}","policy_id":"4636a2d6-1b8c-44d3-863d-7d881348d32a","policy_name":"lbytest-warn","resource_info":{"enforcement_action":"warn","group":"","kind":"Pod","message":"hit label a4, vul image nginx can not startup.","name":"deny11","namespace":"test-lby","version":"v1"}}]}`
	var r hss.ListClusterEventsResponse
	if err := json.Unmarshal([]byte(example), &r); err != nil {
		t.Fatal(err)
	}
	e := r.DataList[0]
	if r.LastUpdateTime != nil || *e.UpdateTime != 1695094500324 || *e.EventType != 3009 || *e.ResourceInfo.Group != "" || e.ResourceInfo.ResourceName != nil || e.CreateTime != nil {
		t.Errorf("%+v", e)
	}
}

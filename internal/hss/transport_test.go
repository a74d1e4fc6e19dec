package hss_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/clusterprotect/terraform-provider-clusterprotect/internal/hss"
	"github.com/clusterprotect/terraform-provider-clusterprotect/internal/hssfake"
	"github.com/clusterprotect/terraform-provider-clusterprotect/internal/hwcloud"
)

// A project ID is escaped once in the path: "a b%c" goes out as a%20b%25c.
func TestListClusterEvents_projectIDEscapedOnce(t *testing.T) {
	var got atomic.Value
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got.Store(r.RequestURI)
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, `{"total_num":0,"data_list":[]}`)
	}))
	defer srv.Close()
	c, err := newClient(srv.URL+"/prefix", hwcloud.Config{Credentials: hwcloud.StaticCredentials{AuthToken: testToken}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.ListClusterEvents(context.Background(), hss.ListClusterEventsRequest{ProjectID: "a b%c/d", Offset: 0, Limit: 10}); err != nil {
		t.Fatal(err)
	}
	if want := "/prefix/v5/a%20b%25c%2Fd/cluster-protect/events?limit=10&offset=0"; got.Load() != want {
		t.Fatalf("request URI %q, want %q", got.Load(), want)
	}
}

// A space in a query value goes out as %20, as the official SDK sends it:
// the gateway reads a "+" as a plus sign.
func TestListClusterEvents_spaceInQueryIsPercent20(t *testing.T) {
	var got atomic.Value
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got.Store(r.URL.RawQuery)
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, `{"total_num":0,"data_list":[]}`)
	}))
	defer srv.Close()
	c, err := newClient(srv.URL, hwcloud.Config{Credentials: hwcloud.StaticCredentials{AuthToken: testToken}})
	if err != nil {
		t.Fatal(err)
	}
	req := hss.ListClusterEventsRequest{ProjectID: testProject, ClusterID: "prod cluster+1", EnterpriseProjectID: "ep 1", Limit: 10}
	if _, err := c.ListClusterEvents(context.Background(), req); err != nil {
		t.Fatal(err)
	}
	if want := "cluster_id=prod%20cluster%2B1&enterprise_project_id=ep%201&limit=10&offset=0"; got.Load() != want {
		t.Fatalf("query %q, want %q", got.Load(), want)
	}
}

// The fake, which checks signatures, accepts a signed request for a project
// whose ID needs escaping.
func TestReadAll_projectIDNeedsEscaping(t *testing.T) {
	project := escapingProject
	fake, c := newFake(t, hssfake.Generate(hssfake.GenerateOptions{Count: 30, Seed: 3, ProjectID: project}), func(c *hwcloud.Config) {
		c.Credentials = hwcloud.StaticCredentials{AccessKey: testAK, SecretKey: testSK}
	})
	res, err := c.ReadAllClusterEvents(context.Background(), hss.Filter{ProjectID: project})
	if err != nil || len(res.Events) != 30 {
		t.Fatalf("%v, statuses %v", err, fake.Stats().ByStatus)
	}
}

// A 200 whose body the network cuts short is a transient failure, retried
// like a reset connection.
func TestReadAll_truncatedBodyRetried(t *testing.T) {
	fake := hssfake.New(fakeConfig(), generate(300))
	var cut atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("offset") != "0" && cut.Add(1) <= 2 {
			rec := httptest.NewRecorder()
			fake.ServeHTTP(rec, r)
			body := rec.Body.Bytes()
			conn, buf, err := w.(http.Hijacker).Hijack()
			if err != nil {
				t.Error(err)
				return
			}
			defer conn.Close()
			fmt.Fprintf(buf, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n", len(body))
			_, _ = buf.Write(body[:len(body)/2])
			_ = buf.Flush()
			return
		}
		fake.ServeHTTP(w, r)
	}))
	defer srv.Close()
	c, err := newClient(srv.URL, hwcloud.Config{Credentials: hwcloud.StaticCredentials{AuthToken: testToken}, RetryBaseDelay: time.Millisecond, RetryMaxDelay: 5 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	res, err := c.ReadAllClusterEvents(context.Background(), hss.Filter{ProjectID: testProject})
	if err != nil {
		t.Fatalf("a body cut short must be retried: %v", err)
	}
	if len(res.Events) != 300 || cut.Load() != 3 {
		t.Fatalf("%d events, %d requests for the cut page", len(res.Events), cut.Load())
	}
}

// last_update_time is not defined as a change marker: an API that returns
// the time of the query in it must not make a read start over.
func TestReadAll_lastUpdateTimeIsNotAChangeMarker(t *testing.T) {
	fake := hssfake.New(fakeConfig(), generate(1000))
	var n atomic.Int64
	res, err := readVia(t, func(w http.ResponseWriter, r *http.Request) {
		rec := httptest.NewRecorder()
		fake.ServeHTTP(rec, r)
		body := strings.Replace(rec.Body.String(), `"last_update_time":`, fmt.Sprintf(`"last_update_time":%d,"ignored":`, 1700000000000+n.Add(1)), 1)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(rec.Code)
		fmt.Fprint(w, body)
	})
	if err != nil {
		t.Fatal(err)
	}
	if !res.Consistent || len(res.Warnings) != 0 || res.Requests != 7 || len(res.Events) != 1000 {
		t.Fatalf("consistent %v, %d requests, %d events, warnings %q", res.Consistent, res.Requests, len(res.Events), res.Warnings)
	}
}

// Waiting out 429s is bounded by the caller's context, not by max_retries,
// which counts faults.
func TestReadAll_throttlingDoesNotUseUpRetries(t *testing.T) {
	fake, c := newFake(t, generate(150), func(c *hwcloud.Config) { c.MaxRetries = 1 })
	fake.SetFaults(hssfake.Faults{TooManyRequests: 6, RetryAfter: "0"})
	res, err := c.ReadAllClusterEvents(context.Background(), hss.Filter{ProjectID: testProject})
	if err != nil || len(res.Events) != 150 {
		t.Fatalf("%v", err)
	}
	if st := fake.Stats(); st.ByStatus[429] != 6 {
		t.Fatalf("statuses %v", st.ByStatus)
	}
}

// A tenant throttled from its first request for a second, whose 429s say
// to retry at once (Retry-After: 0, or a date in the past), is not
// hammered: 429s back off from the default retry delays, and the read then
// gets every event. The time it takes is measured by
// BenchmarkReadAll_throttledStart.
func TestReadAll_throttledFromStartBacksOff(t *testing.T) {
	for name, retryAfter := range map[string]string{"retryAfter0": "0", "pastDate": "Mon, 02 Jan 2006 15:04:05 GMT", "noHeader": ""} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			fake, c := newFake(t, generate(1000), func(c *hwcloud.Config) { c.RetryBaseDelay, c.RetryMaxDelay = 0, 0 })
			fake.SetFaults(hssfake.Faults{TooManyRequestsFor: time.Second, RetryAfter: retryAfter})
			res, err := c.ReadAllClusterEvents(context.Background(), hss.Filter{ProjectID: testProject})
			if err != nil || len(res.Events) != 1000 {
				t.Fatalf("%v", err)
			}
			// 5 pages, and the 429s of a second of backing off: a handful.
			if st := fake.Stats(); st.Requests > 15 || st.ByStatus[429] == 0 {
				t.Fatalf("%d requests for 5 pages, statuses %v: want at most 10 answers of 429 in a second", st.Requests, st.ByStatus)
			}
		})
	}
}

// A tenant throttled at 8 requests a second (burst 4, Retry-After 1) gets
// every event with few 429s: the client learns the rate and paces its
// requests. The time it takes is measured by BenchmarkReadAll_rateLimited.
func TestReadAll_pacedUnderTokenBucket(t *testing.T) {
	fake, c := newFake(t, generate(4000))
	fake.SetFaults(hssfake.Faults{RatePerSecond: 8, Burst: 4, RetryAfter: "1"})
	res, err := c.ReadAllClusterEvents(context.Background(), hss.Filter{ProjectID: testProject})
	if err != nil {
		t.Fatal(err)
	}
	st := fake.Stats()
	if len(res.Events) != 4000 || st.ByStatus[200] != 23 { // 2 + floor(3,800 / 190) to reach past the end, overlapping by 10, and the first page again
		t.Fatalf("%d events, statuses %v", len(res.Events), st.ByStatus)
	}
	if st.ByStatus[429] == 0 || st.ByStatus[429] > 8 {
		t.Fatalf("%d answers of 429 for 20 pages, want 1 to 8", st.ByStatus[429])
	}
}

package hss_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/clusterprotect/terraform-provider-clusterprotect/internal/hss"
	"github.com/clusterprotect/terraform-provider-clusterprotect/internal/hssfake"
	"github.com/clusterprotect/terraform-provider-clusterprotect/internal/hwcloud"
)

func jsonHandler(body string) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(body))
	}
}

func eventsJSON(total, n int, dupID bool) string {
	var b strings.Builder
	fmt.Fprintf(&b, `{"total_num":%d,"last_update_time":1,"data_list":[`, total)
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		id := i
		if dupID {
			id = i % 2
		}
		fmt.Fprintf(&b, `{"event_id":"e%d"}`, id)
	}
	b.WriteString("]}")
	return b.String()
}

// Each bad answer gives a clear error or a warning, never a panic.
func TestReadAll_badResponses(t *testing.T) {
	for _, tc := range []struct {
		name       string
		handler    http.Handler
		wantErr    string
		wantWarn   string
		wantEvents int
	}{
		{"html with 200", http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			_, _ = w.Write([]byte("<html><body>Login</body></html>"))
		}), `Content-Type is "text/html", not JSON): <html><body>Login</body></html>`, "", 0},
		{"gateway html error", http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			w.Header().Set(hwcloud.HeaderRequestID, "gw-1")
			w.WriteHeader(http.StatusBadGateway)
			_, _ = w.Write([]byte("<html><h1>502 Bad Gateway</h1></html>"))
		}), `502 Bad Gateway, error_code="", error_msg="response body is not an error document: <html><h1>502 Bad Gateway</h1></html>", X-Request-Id="gw-1"`, "", 0},
		{"negative total_num", jsonHandler(`{"total_num":-1,"data_list":[]}`), "total_num -1", "", 0},
		{"truncated json", jsonHandler(`{"total_num":1,"data_list":[{"event_id":`), "not the documented JSON", "", 0},
		{"data after the document", jsonHandler(`{"total_num":0,"data_list":[]} {"total_num":5}`), "data after the JSON document", "", 0},
		{"wrong types", jsonHandler(`{"total_num":"many","data_list":[]}`), "not the documented JSON", "", 0},
		{"more than limit", jsonHandler(eventsJSON(201, 201, false)), "answered 201 events for limit 200", "", 0},
		{"total below data_list", jsonHandler(eventsJSON(5, 8, false)), "", "total_num disagrees with the pages", 8},
		{"duplicate ids in a page", jsonHandler(eventsJSON(6, 6, true)), "", `answered the same event twice: event_id "e0" at offsets 0 and 2 and 4; event_id "e1" at offsets 1 and 3 and 5`, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := httptest.NewServer(tc.handler)
			defer srv.Close()
			c, _ := newClient(srv.URL, hwcloud.Config{Credentials: hwcloud.StaticCredentials{AuthToken: "t"}, MaxRetries: -1})
			res, err := c.ReadAllClusterEvents(context.Background(), hss.Filter{ProjectID: "p"})
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil || len(res.Events) != tc.wantEvents || len(res.Warnings) != 1 || !strings.Contains(res.Warnings[0], tc.wantWarn) {
				t.Fatalf("err %v, result %+v", err, res)
			}
		})
	}
}

// settledGoroutines waits for goroutines to end and returns how many are left.
func settledGoroutines(limit int) int {
	n := runtime.NumGoroutine()
	for i := 0; i < 100 && n > limit; i++ {
		time.Sleep(20 * time.Millisecond)
		n = runtime.NumGoroutine()
	}
	return n
}

func TestReadAll_cancelLeavesNoGoroutine(t *testing.T) {
	fake := hssfake.New(fakeConfig(), generate(10_000))
	fake.SetFaults(hssfake.Faults{Latency: time.Second})
	srv := httptest.NewServer(fake)
	before := settledGoroutines(0)
	c, _ := newClient(srv.URL, hwcloud.Config{Credentials: hwcloud.StaticCredentials{AuthToken: testToken}})
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(1500*time.Millisecond, cancel)
	start := time.Now()
	_, err := c.ReadAllClusterEvents(ctx, hss.Filter{ProjectID: testProject})
	if !errors.Is(err, context.Canceled) || !strings.Contains(err.Error(), "cancelled") {
		t.Fatalf("err %v", err)
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("returned %s after the start, %s after the cancel", d, d-1500*time.Millisecond)
	}
	c.CloseIdleConnections()
	srv.Close()
	if after := settledGoroutines(before); after > before {
		buf := make([]byte, 1<<20)
		t.Fatalf("%d goroutines before the read, %d after:\n%s", before, after, buf[:runtime.Stack(buf, true)])
	}
}

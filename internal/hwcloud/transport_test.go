package hwcloud

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// A refused connection fails at once while the host has never answered,
// and is a network fault retried like any other once it has.
func TestTransport_refusedConnection(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, `{}`)
	}))
	u, _ := url.Parse(srv.URL + "/v1/x")
	attempts := 0
	tr, err := New(Config{Credentials: StaticCredentials{AuthToken: "t"}, MaxRetries: 2, RetryBaseDelay: time.Millisecond, RetryMaxDelay: time.Millisecond,
		Logger: func(_ context.Context, msg string, _ map[string]any) {
			if strings.HasPrefix(msg, "HSS request") {
				attempts++
			}
		}})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := (&net.ListenConfig{}).Listen(t.Context(), "tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed, _ := url.Parse("http://" + ln.Addr().String() + "/v1/x")
	_ = ln.Close()
	err = tr.GetJSON(t.Context(), "HSS", closed, nil)
	if !IsConnectError(err) || !strings.Contains(err.Error(), "unreachable") || attempts != 1 {
		t.Fatalf("%d attempts, err %v; want 1 attempt and an error that says the endpoint is unreachable", attempts, err)
	}

	if err := tr.GetJSON(t.Context(), "HSS", u, nil); err != nil {
		t.Fatal(err)
	}
	srv.Close()
	attempts = 0
	err = tr.GetJSON(t.Context(), "HSS", u, nil)
	if !IsConnectError(err) || strings.Contains(err.Error(), "unreachable") || attempts != 3 {
		t.Fatalf("%d attempts, err %v; want 1 + max_retries for a host that answered before", attempts, err)
	}
}

// stuckServer accepts connections and never answers; it counts them.
func stuckServer(t *testing.T) (string, *atomic.Int32) {
	t.Helper()
	ln, err := (&net.ListenConfig{}).Listen(t.Context(), "tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var conns atomic.Int32
	done := make(chan struct{})
	t.Cleanup(func() { close(done); _ = ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			conns.Add(1)
			go func() { <-done; _ = c.Close() }()
		}
	}()
	return "http://" + ln.Addr().String(), &conns
}

// getVia is one GET of endpoint's /v1/x through a transport of cfg,
// authenticated with a token.
func getVia(t *testing.T, endpoint string, cfg Config) error {
	t.Helper()
	cfg.Credentials = StaticCredentials{AuthToken: "t"}
	tr, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	u, err := url.Parse(endpoint + "/v1/x")
	if err != nil {
		t.Fatal(err)
	}
	return tr.GetJSON(t.Context(), "HSS", u, nil)
}

// An endpoint that connects and never answers is tried twice, not
// 1 + max_retries times, and the error says it connected.
func TestDo_stuckEndpointTriedTwice(t *testing.T) {
	url, conns := stuckServer(t)
	err := getVia(t, url, Config{RequestTimeout: 200 * time.Millisecond, RetryBaseDelay: time.Millisecond, RetryMaxDelay: time.Millisecond})
	if !errors.Is(err, ErrNoAnswer) || !strings.Contains(err.Error(), "after 2 attempt") {
		t.Fatalf("err %v", err)
	}
	if n := conns.Load(); n != 2 {
		t.Fatalf("%d connections, want 2", n)
	}
}

// A refused connection is told apart from an endpoint that does not answer,
// and, from an endpoint that never answered, is not retried.
func TestDo_connectionRefused(t *testing.T) {
	ln, err := (&net.ListenConfig{}).Listen(t.Context(), "tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	url := "http://" + ln.Addr().String()
	_ = ln.Close()
	err = getVia(t, url, Config{RetryBaseDelay: time.Millisecond, RetryMaxDelay: time.Millisecond})
	if !IsConnectError(err) || errors.Is(err, ErrNoAnswer) || !strings.Contains(err.Error(), "could not connect") ||
		!strings.Contains(err.Error(), "after 1 attempt(s): the endpoint is unreachable") {
		t.Fatalf("err %v", err)
	}
}

func TestDo_stalledServer(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	defer close(release)
	start := time.Now()
	err := getVia(t, srv.URL, Config{RequestTimeout: 200 * time.Millisecond, RequestTimeoutName: "request_timeout", MaxRetries: 1, RetryBaseDelay: time.Millisecond})
	if err == nil || !strings.Contains(err.Error(), "did not answer within the request timeout of 200ms (request_timeout)") ||
		!strings.Contains(err.Error(), "after 2 attempt(s)") {
		t.Fatalf("err %v", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("took %s", d)
	}
}

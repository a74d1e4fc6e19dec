package hwcloud

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// No answer is followed to where a 3xx points: nothing is sent there (Go
// would strip only Authorization, not X-Auth-Token or X-Security-Token, and
// would post a 307's body again), the 3xx is not retried, and the error
// names the request, the status and the Location's host, never its path or
// query, the body or a credential.
func TestDo_redirectNotFollowed(t *testing.T) {
	var elsewhere atomic.Int32
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		elsewhere.Add(1)
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, `{}`)
	}))
	defer other.Close()
	otherHost := strings.TrimPrefix(other.URL, "http://")
	creds := map[string]Credentials{
		"token":          {AuthToken: "secret-token"},
		"temporary keys": {AccessKey: "AK", SecretKey: "secret-key", SecurityToken: "secret-security-token"},
	}
	for _, status := range []int{301, 302, 303, 307, 308} {
		for _, method := range []string{http.MethodGet, http.MethodPost} {
			for name, c := range creds {
				t.Run(fmt.Sprintf("%d %s %s", status, method, name), func(t *testing.T) {
					var sent atomic.Int32
					srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
						sent.Add(1)
						w.Header().Set("Location", other.URL+"/moved/here?sig=location-secret")
						w.Header().Set(HeaderRequestID, "req-1")
						w.WriteHeader(status)
						fmt.Fprint(w, `{"error_msg": "body-secret"}`)
					}))
					defer srv.Close()
					tr, err := New(Config{Credentials: StaticCredentials(c), MaxRetries: 3, RetryBaseDelay: time.Millisecond})
					if err != nil {
						t.Fatal(err)
					}
					u, _ := url.Parse(srv.URL + "/v3/things?name=x")
					var out map[string]any
					_, err = tr.Do(t.Context(), "IAM", Request{Method: method, URL: u, Body: map[string]any{"id_token": "secret-id-token"}}, &out)
					if n := elsewhere.Swap(0); n != 0 {
						t.Fatalf("%d requests reached the host the redirect named", n)
					}
					if n := sent.Load(); n != 1 {
						t.Errorf("%d attempts, want 1: a redirect is not a fault to retry", n)
					}
					if err == nil {
						t.Fatal("no error")
					}
					msg := err.Error()
					for _, want := range []string{fmt.Sprintf("%d %s", status, http.StatusText(status)), method + " /v3/things", `"` + otherHost + `"`, `"req-1"`} {
						if !strings.Contains(msg, want) {
							t.Errorf("%q lacks %q", msg, want)
						}
					}
					for _, secret := range []string{"/moved/here", "location-secret", "body-secret", "secret-token", "secret-key", "secret-security-token", "secret-id-token", "name=x"} {
						if strings.Contains(msg, secret) {
							t.Errorf("%q holds %q", msg, secret)
						}
					}
				})
			}
		}
	}
}

// A caller's own http.Client does not follow redirects either.
func TestDo_callersClientDoesNotFollowRedirects(t *testing.T) {
	var elsewhere atomic.Int32
	other := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { elsewhere.Add(1) }))
	defer other.Close()
	srv := httptest.NewServer(http.RedirectHandler(other.URL, http.StatusFound))
	defer srv.Close()
	err := getVia(t, srv.URL, Config{HTTPClient: &http.Client{}})
	if err == nil || !strings.Contains(err.Error(), "302 Found") || elsewhere.Load() != 0 {
		t.Fatalf("%d requests elsewhere, err %v", elsewhere.Load(), err)
	}
}

// The error names the Location's host only, resolved against the request,
// and says when there is none.
func TestRedirectOf(t *testing.T) {
	req := httptest.NewRequestWithContext(t.Context(), http.MethodGet, "https://hss.example.com/v5/p/events?offset=0", nil)
	for _, tc := range []struct {
		status   int
		location string
		want     string
	}{
		{http.StatusOK, "https://elsewhere.example/x", ""},
		{http.StatusFound, "https://user:pass@elsewhere.example:8443/x?token=t", `HSS API answered 302 Found to GET /v5/p/events with a redirect to host "elsewhere.example:8443", X-Request-Id=""`},
		{http.StatusMovedPermanently, "/v6/p/events", `to host "hss.example.com"`},
		{http.StatusNotModified, "", "304 Not Modified to GET /v5/p/events with a redirect without a Location"},
		{http.StatusSeeOther, "mailto:x@elsewhere.example", "to a Location that names no host"},
		{http.StatusFound, "http://[::1", "to a Location that names no host"},
	} {
		resp := &http.Response{StatusCode: tc.status, Header: http.Header{}, Body: http.NoBody, Request: req}
		if tc.location != "" {
			resp.Header.Set("Location", tc.location)
		}
		err := RedirectOf("HSS", resp)
		if (err == nil) != (tc.want == "") || err != nil && !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%d %q: %v, want %q", tc.status, tc.location, err, tc.want)
		}
		if err != nil && (strings.Contains(err.Error(), "pass") || strings.Contains(err.Error(), "token=") || strings.Contains(err.Error(), "offset")) {
			t.Errorf("%d %q: %v quotes the URL", tc.status, tc.location, err)
		}
	}
}

package hssfake_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/clusterprotect/terraform-provider-clusterprotect/internal/hssfake"
	"github.com/clusterprotect/terraform-provider-clusterprotect/internal/hwcloud"
)

// The answers where http.ServeMux, left to itself, would answer otherwise
// (its own 405, a redirect to the cleaned path, a trailing-slash redirect,
// routing by the escaped path): the fake answers as the gateway it stands
// for, in the cloud's error format, and counts each request where it always
// has (HSS, IAM or ECS metadata).
func TestServer_routes(t *testing.T) {
	const (
		page     = "?offset=0&limit=10"
		jsonType = "application/json;charset=UTF-8"
		textType = "text/plain; charset=utf-8"
	)
	events := "/v5/" + project + "/cluster-protect/events"
	inRegion := hssfake.Project{ID: project, Name: "ap-southeast-1", Tokens: []string{"tok"}}
	fake := hssfake.New(hssfake.Config{Projects: []hssfake.Project{inRegion}, ECSAgency: true},
		hssfake.Generate(hssfake.GenerateOptions{Count: 5, ProjectID: project}))
	srv := httptest.NewServer(fake)
	defer srv.Close()
	for _, tc := range []struct {
		name, method, path string
		status             int
		code, msg          string // code "" for a body that is not the cloud's error
		allow, counted     string // counted: which of the Stats counters the request adds to
	}{
		// A wrong method is the fake's 405, with Allow; HEAD is not GET.
		{"events HEAD", "HEAD", events + page, 405, "", "", "GET", "hss"},
		{"events PUT", "PUT", events + page, 405, hssfake.CodeMethod, "Method PUT is not allowed; use GET", "GET", "hss"},
		{"events DELETE in a region", "DELETE", "/ap-southeast-1" + events + page, 405, hssfake.CodeMethod, "use GET", "GET", "hss"},
		{"events POST, project too long", "POST", "/v5/" + strings.Repeat("p", 257) + "/cluster-protect/events" + page, 404, hssfake.CodeNotFound, "No API found for path /v5/", "", "hss"},
		{"projects POST", "POST", "/v3/projects", 405, hssfake.CodeMethod, "Method POST is not allowed; use GET", "GET", "iam"},
		{"projects HEAD", "HEAD", "/v3/projects", 405, "", "", "GET", "iam"},
		{"security tokens GET", "GET", "/v3.0/OS-CREDENTIAL/securitytokens", 405, hssfake.CodeMethod, "Method GET is not allowed; use POST", "POST", "iam"},
		{"id token GET in a region", "GET", "/ap-southeast-1/v3.0/OS-AUTH/id-token/tokens", 405, hssfake.CodeMethod, "use POST", "POST", "iam"},
		{"metadata POST", "POST", "/openstack/latest/securitykey", 404, "", "404 page not found", "", "metadata"},
		{"metadata HEAD", "HEAD", "/openstack/latest/securitykey", 404, "", "", "", "metadata"},
		// Trailing slashes, empty segments and dot segments are not
		// cleaned, nor redirected: the path is routed as it stands.
		{"events trailing slash", "GET", events + "/" + page, 404, hssfake.CodeNotFound, "No API found for path " + events + "/", "", "hss"},
		{"projects trailing slash", "GET", "/v3/projects/", 404, hssfake.CodeNotFound, "No API found for path /v3/projects/", "", "hss"},
		{"leading double slash", "GET", "/" + events + page, 404, hssfake.CodeNotFound, "No API found for path /" + events, "", "hss"},
		{"projects, double slash", "GET", "//v3/projects", 404, hssfake.CodeNotFound, "No API", "", "hss"},
		{"dot-dot inside", "GET", "/v5/" + project + "/../" + project + "/cluster-protect/events" + page, 404, hssfake.CodeNotFound, "No API", "", "hss"},
		{"dot inside", "GET", "/v3/./projects", 404, hssfake.CodeNotFound, "No API", "", "hss"},
		{"region, double slash", "GET", "/ap-southeast-1/" + events + page, 404, hssfake.CodeNotFound, "No API", "", "hss"},
		{"project ..", "GET", "/v5/../cluster-protect/events" + page, 403, hssfake.CodeProject, "The project is unavailable.", "", "hss"},
		{"project .", "GET", "/v5/./cluster-protect/events" + page, 403, hssfake.CodeProject, "The project is unavailable.", "", "hss"},
		{"project %2E%2E", "GET", "/v5/%2E%2E/cluster-protect/events" + page, 403, hssfake.CodeProject, "The project is unavailable.", "", "hss"},
		// The path is routed decoded: an encoded slash separates segments.
		{"encoded slash in the project", "GET", "/v5/a%2Fb/cluster-protect/events" + page, 404, hssfake.CodeNotFound, "No API found for path /v5/a/b/cluster-protect/events", "", "hss"},
		{"encoded slash in the route", "GET", "/v5/" + project + "/cluster-protect%2Fevents" + page, 200, "", "", "", "hss"},
		{"escaped letters", "GET", "/v5/%70roj/cluster-protect/events" + page, 200, "", "", "", "hss"},
		// Anything else is the gateway's 404, whatever the method.
		{"root", "GET", "/", 404, hssfake.CodeNotFound, "No API found for path /", "", "hss"},
		{"root POST", "POST", "/", 404, hssfake.CodeNotFound, "No API", "", "hss"},
		{"part of a route", "GET", "/v3", 404, hssfake.CodeNotFound, "No API", "", "hss"},
		{"case matters", "GET", "/V3/projects", 404, hssfake.CodeNotFound, "No API", "", "hss"},
		{"unknown region, IAM", "GET", "/eu-west-0/v3/projects", 404, hssfake.CodeNotFound, "No API found for path /eu-west-0/v3/projects", "", "hss"},
		{"metadata in a region", "GET", "/ap-southeast-1/openstack/latest/securitykey", 404, hssfake.CodeNotFound, "No API", "", "hss"},
		{"unknown path PATCH", "PATCH", "/v5/" + project + "/cluster-protect", 404, hssfake.CodeNotFound, "No API", "", "hss"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := fake.Stats()
			req, _ := http.NewRequestWithContext(t.Context(), tc.method, srv.URL+tc.path, nil)
			req.Header.Set(hwcloud.HeaderAuthToken, "tok")
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			body, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != tc.status || resp.Header.Get(hwcloud.HeaderRequestID) == "" || resp.Header.Get("Allow") != tc.allow {
				t.Fatalf("status %d, request id %q, Allow %q: %s", resp.StatusCode, resp.Header.Get(hwcloud.HeaderRequestID), resp.Header.Get("Allow"), body)
			}
			wantType := jsonType
			if tc.counted == "metadata" {
				wantType = textType
			}
			if got := resp.Header.Get("Content-Type"); got != wantType {
				t.Errorf("Content-Type %q, want %q", got, wantType)
			}
			if tc.code != "" {
				var e struct {
					Code string `json:"error_code"`
					Msg  string `json:"error_msg"`
				}
				if err := json.Unmarshal(body, &e); err != nil || e.Code != tc.code || !strings.Contains(e.Msg, tc.msg) {
					t.Errorf("body %s, want %s and %q", body, tc.code, tc.msg)
				}
			} else if !strings.Contains(string(body), tc.msg) {
				t.Errorf("body %q, want %q", body, tc.msg)
			}
			after := fake.Stats()
			counted := map[string]int{
				"hss":      after.Requests - before.Requests,
				"iam":      after.IAMRequests - before.IAMRequests,
				"metadata": after.MetadataRequests - before.MetadataRequests,
			}
			for kind, n := range counted {
				if want := map[bool]int{true: 1}[kind == tc.counted]; n != want {
					t.Errorf("%s requests counted %d, want %d", kind, n, want)
				}
			}
			if tc.counted == "hss" && after.ByStatus[tc.status]-before.ByStatus[tc.status] != 1 {
				t.Errorf("ByStatus[%d] %d then %d", tc.status, before.ByStatus[tc.status], after.ByStatus[tc.status])
			}
		})
	}
}

// Handed a request directly, as httptest.NewRecorder does, the fake answers
// an asterisk-form OPTIONS, which no server routes to it, with the gateway's
// 404 rather than the mux's redirect.
func TestServer_asteriskForm(t *testing.T) {
	fake := hssfake.New(hssfake.Config{}, nil)
	rec := httptest.NewRecorder()
	fake.ServeHTTP(rec, httptest.NewRequestWithContext(t.Context(), "OPTIONS", "*", nil))
	if rec.Code != 404 || !strings.Contains(rec.Body.String(), hssfake.CodeNotFound) || !strings.Contains(rec.Body.String(), "No API found for path *") {
		t.Fatalf("%d %s", rec.Code, rec.Body)
	}
}

// A path under a region the fake does not serve is the gateway's 404, and
// leaves the route it resembles served: each answer is the request's own.
func TestServer_unknownRegionLeavesTheRoute(t *testing.T) {
	fake := hssfake.New(hssfake.Config{Projects: []hssfake.Project{{ID: project, Name: "ap-southeast-1", Tokens: []string{"tok"}}}},
		hssfake.Generate(hssfake.GenerateOptions{Count: 3, ProjectID: project}))
	srv := httptest.NewServer(fake)
	defer srv.Close()
	events := "/v5/" + project + "/cluster-protect/events?offset=0&limit=10"
	for _, tc := range []struct {
		path   string
		status int
	}{
		{"/eu-west-0" + events, 404}, {"/ap-southeast-1" + events, 200},
		{"/eu-west-0/v3/projects", 404}, {"/ap-southeast-1/v3/projects", 200},
		{"/eu-west-0" + events, 404}, {"/ap-southeast-1" + events, 200},
	} {
		if status, body, _ := getAs(t, srv, "tok", tc.path); status != tc.status {
			t.Errorf("%s: %d %s, want %d", tc.path, status, body, tc.status)
		}
	}
}

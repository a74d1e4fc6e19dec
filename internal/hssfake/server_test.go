package hssfake_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/clusterprotect/terraform-provider-clusterprotect/internal/hssfake"
	"github.com/clusterprotect/terraform-provider-clusterprotect/internal/hwcloud"
)

const project = "proj"

// Both list routes check a request alike: authentication, the project,
// each query parameter's range, and no parameter the route does not take;
// every refusal in the cloud's error format, with an X-Request-Id.
func TestServer_validation(t *testing.T) {
	for _, list := range []string{"events", "clusters"} {
		t.Run(list, func(t *testing.T) { testValidation(t, list) })
	}
}

type validationCase struct {
	name, method, path, token string
	status                    int
	code, msg                 string
}

func testValidation(t *testing.T, list string) {
	fake := hssfake.New(hssfake.Config{Projects: []hssfake.Project{
		{ID: project, Tokens: []string{"tok"}}, {ID: "proj-b", Tokens: []string{"tok-b"}},
	}}, hssfake.Generate(hssfake.GenerateOptions{Count: 25, ProjectID: project}))
	srv := httptest.NewServer(fake)
	defer srv.Close()
	route := "/v5/" + project + "/cluster-protect/" + list
	long := strings.Repeat("e", 257)
	cases := []validationCase{
		{"ok", "GET", route + "?offset=0&limit=10", "tok", 200, "", ""},
		{"edges", "GET", route + "?offset=2000000&limit=200&enterprise_project_id=" + strings.Repeat("e", 256), "tok", 200, "", ""},
		{"all granted", "GET", route + "?offset=0&limit=10&enterprise_project_id=all_granted_eps", "tok", 200, "", ""},
		{"unknown path", "GET", "/v5/" + project + "/cluster-protect/other?offset=0&limit=10", "tok", 404, hssfake.CodeNotFound, "No API"},
		{"no project", "GET", "/v5//cluster-protect/" + list + "?offset=0&limit=10", "tok", 404, hssfake.CodeNotFound, ""},
		{"project too long", "GET", "/v5/" + long + "/cluster-protect/" + list + "?offset=0&limit=10", "tok", 404, hssfake.CodeNotFound, ""},
		{"post", "POST", route + "?offset=0&limit=10", "tok", 405, hssfake.CodeMethod, "use GET"},
		{"no auth", "GET", route + "?offset=0&limit=10", "", 401, hssfake.CodeAuth, "no X-Auth-Token"},
		{"bad token", "GET", route + "?offset=0&limit=10", "nope", 401, hssfake.CodeAuth, "invalid"},
		{"unknown project", "GET", "/v5/nobody/cluster-protect/" + list + "?offset=0&limit=10", "tok", 403, hssfake.CodeProject, "The project is unavailable."},
		{"token of another project", "GET", route + "?offset=0&limit=10", "tok-b", 403, hssfake.CodeForbidden, "not scoped to this project"},
		{"bad escape", "GET", route + "?offset=0&limit=10&enterprise_project_id=%zz", "tok", 400, hssfake.CodeBadParam, "not percent-encoded"},
		{"no offset", "GET", route + "?limit=10", "tok", 400, hssfake.CodeBadParam, "offset is mandatory"},
		{"no limit", "GET", route + "?offset=0", "tok", 400, hssfake.CodeBadParam, "limit is mandatory"},
		{"limit low", "GET", route + "?offset=0&limit=9", "tok", 400, hssfake.CodeBadParam, "limit must be an integer from 10 to 200"},
		{"limit high", "GET", route + "?offset=0&limit=201", "tok", 400, hssfake.CodeBadParam, "limit"},
		{"offset high", "GET", route + "?offset=2000001&limit=10", "tok", 400, hssfake.CodeBadParam, "offset"},
		{"offset negative", "GET", route + "?offset=-1&limit=10", "tok", 400, hssfake.CodeBadParam, "offset"},
		{"offset text", "GET", route + "?offset=x&limit=10", "tok", 400, hssfake.CodeBadParam, "offset"},
		{"eps empty", "GET", route + "?offset=0&limit=10&enterprise_project_id=", "tok", 400, hssfake.CodeBadParam, "enterprise_project_id"},
		{"eps long", "GET", route + "?offset=0&limit=10&enterprise_project_id=" + long, "tok", 400, hssfake.CodeBadParam, "enterprise_project_id"},
		{"unknown parameter", "GET", route + "?offset=0&limit=10&page=2", "tok", 400, hssfake.CodeBadParam, `unknown query parameter "page"`},
		{"parameter's case", "GET", route + "?offset=0&Limit=10&limit=10", "tok", 400, hssfake.CodeBadParam, `unknown query parameter "Limit"`},
	}
	if list == "events" {
		cases = append(cases, validationCase{"cluster empty", "GET", route + "?offset=0&limit=10&cluster_id=", "tok", 400, hssfake.CodeBadParam, "cluster_id"})
	} else {
		// The clusters call has no cluster filter: a client that sends one
		// must not read every cluster as the one it asked for.
		cases = append(cases, validationCase{"no cluster filter", "GET", route + "?offset=0&limit=10&cluster_id=c1", "tok", 400, hssfake.CodeBadParam, `unknown query parameter "cluster_id"`})
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			req, _ := http.NewRequestWithContext(t.Context(), tc.method, srv.URL+tc.path, nil)
			if tc.token != "" {
				req.Header.Set(hwcloud.HeaderAuthToken, tc.token)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			body, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != tc.status || resp.Header.Get(hwcloud.HeaderRequestID) == "" {
				t.Fatalf("status %d, request id %q: %s", resp.StatusCode, resp.Header.Get(hwcloud.HeaderRequestID), body)
			}
			if tc.status == 200 {
				return
			}
			if code, msg := cloudError(t, body); code != tc.code || !strings.Contains(msg, tc.msg) {
				t.Errorf("body %s, want %s and %q", body, tc.code, tc.msg)
			}
		})
	}
	if st := fake.Stats(); st.ByStatus[400] != 13 || st.ByStatus[401] != 2 || st.ByStatus[403] != 2 || st.ByStatus[404] != 3 {
		t.Errorf("counters %v", st.ByStatus)
	}
}

// cloudError is the error_code and error_msg of an error body in the
// cloud's format; it fails the test for any other body.
func cloudError(t *testing.T, body []byte) (code, msg string) {
	t.Helper()
	var e struct {
		Code *string `json:"error_code"`
		Msg  *string `json:"error_msg"`
	}
	if err := json.Unmarshal(body, &e); err != nil || e.Code == nil || e.Msg == nil {
		t.Fatalf("not the cloud's error format: %s", body)
	}
	return *e.Code, *e.Msg
}

func TestServer_pagesNewestFirst(t *testing.T) {
	events := hssfake.Generate(hssfake.GenerateOptions{Count: 45, ProjectID: project, Seed: 5})
	// Serve them shuffled: the fake sorts newest first.
	shuffled := append(append([]hssfake.Event{}, events[30:]...), events[:30]...)
	fake := hssfake.New(hssfake.Config{Projects: []hssfake.Project{{ID: project, Tokens: []string{"tok"}}}}, shuffled)
	srv := httptest.NewServer(fake)
	defer srv.Close()
	var got []string
	for offset := 0; offset < 60; offset += 20 {
		var page struct {
			TotalNum       int64 `json:"total_num"`
			LastUpdateTime int64 `json:"last_update_time"`
			DataList       []struct {
				EventID    string `json:"event_id"`
				CreateTime int64  `json:"create_time"`
			} `json:"data_list"`
		}
		req, _ := http.NewRequestWithContext(t.Context(), "GET", srv.URL+"/v5/"+project+"/cluster-protect/events?limit=20&offset="+itoa(offset), nil)
		req.Header.Set(hwcloud.HeaderAuthToken, "tok")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		_ = json.NewDecoder(resp.Body).Decode(&page)
		resp.Body.Close()
		if page.TotalNum != 45 || page.LastUpdateTime < *events[0].CreateTime {
			t.Fatalf("total %d last_update_time %d", page.TotalNum, page.LastUpdateTime)
		}
		for _, e := range page.DataList {
			got = append(got, e.EventID)
		}
	}
	if len(got) != 45 {
		t.Fatalf("%d events", len(got))
	}
	for i, e := range events {
		if got[i] != *e.EventID {
			t.Fatalf("event %d out of order", i)
		}
	}
}

func TestServer_signatureChecked(t *testing.T) {
	fake := hssfake.New(hssfake.Config{Keys: map[string]hssfake.Credential{"AK": {SecretKey: "SK"}}, Projects: []hssfake.Project{{ID: "p"}}}, nil)
	srv := httptest.NewServer(fake)
	defer srv.Close()
	send := func(mutate func(*http.Request)) int {
		return sendSigned(t, srv.URL+"/v5/p/cluster-protect/events?limit=10&offset=0", func(req *http.Request) {
			hwcloud.Signer{AccessKey: "AK", SecretKey: "SK"}.Sign(req, nil, time.Now())
			mutate(req)
		})
	}
	if s := send(func(*http.Request) {}); s != 200 {
		t.Fatalf("a good signature got %d", s)
	}
	if s := send(func(r *http.Request) { r.URL.RawQuery = "limit=200&offset=0" }); s != 401 {
		t.Errorf("a changed query got %d", s)
	}
	if s := send(func(r *http.Request) {
		r.Header.Set(hwcloud.HeaderAuthorization, strings.Replace(r.Header.Get(hwcloud.HeaderAuthorization), "Signature=", "Signature=0", 1))
	}); s != 401 {
		t.Errorf("a changed signature got %d", s)
	}
}

func TestLoadEvents(t *testing.T) {
	dir := t.TempDir()
	for name, content := range map[string]string{
		"list.json": `[{"event_id":"a","create_time":9223372036854775807}]`,
		"page.json": `{"total_num":1,"data_list":[{"event_id":"a","create_time":9223372036854775807}]}`,
	} {
		path := dir + "/" + name
		if err := writeFile(path, content); err != nil {
			t.Fatal(err)
		}
		events, err := hssfake.LoadEvents(path)
		if err != nil || len(events) != 1 || *events[0].CreateTime != 9223372036854775807 {
			t.Errorf("%s: %v %v", name, events, err)
		}
	}
}

// TooManyRequestsFor throttles every request while it lasts, with the
// configured Retry-After, and none after.
func TestServer_tooManyRequestsFor(t *testing.T) {
	fake := hssfake.New(hssfake.Config{Projects: []hssfake.Project{{ID: project, Tokens: []string{"tok"}}}}, hssfake.Generate(hssfake.GenerateOptions{Count: 5, ProjectID: project}))
	srv := httptest.NewServer(fake)
	defer srv.Close()
	// get returns the status and the Retry-After of one request.
	get := func() (int, string) {
		req, _ := http.NewRequestWithContext(t.Context(), "GET", srv.URL+"/v5/"+project+"/cluster-protect/events?limit=10&offset=0", nil)
		req.Header.Set(hwcloud.HeaderAuthToken, "tok")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		_, _ = io.Copy(io.Discard, resp.Body)
		return resp.StatusCode, resp.Header.Get("Retry-After")
	}
	fake.SetFaults(hssfake.Faults{TooManyRequestsFor: time.Hour, RetryAfter: "0"})
	for range 3 {
		if status, ra := get(); status != http.StatusTooManyRequests || ra != "0" {
			t.Fatalf("status %d, Retry-After %q while throttled", status, ra)
		}
	}
	fake.SetFaults(hssfake.Faults{TooManyRequestsFor: time.Nanosecond})
	time.Sleep(time.Millisecond) // past the nanosecond, whatever the clock's resolution
	if status, _ := get(); status != http.StatusOK {
		t.Fatalf("status %d after the throttle", status)
	}
}

// getAs sends GET path to srv with token, or signed with AK/SK when token is
// empty, and returns the status, the body and the request ID.
func getAs(t *testing.T, srv *httptest.Server, token, path string) (int, []byte, string) {
	t.Helper()
	req, _ := http.NewRequestWithContext(t.Context(), "GET", srv.URL+path, nil)
	if token != "" {
		req.Header.Set(hwcloud.HeaderAuthToken, token)
	} else {
		hwcloud.Signer{AccessKey: "AK", SecretKey: "SK"}.Sign(req, nil, time.Now())
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, body, resp.Header.Get(hwcloud.HeaderRequestID)
}

// Like the gateway, the fake refuses a project the account does not have,
// even to keys that open every project, with an error in the cloud's format;
// a wrong project never reads as "no events".
func TestServer_unknownProjectIsForbidden(t *testing.T) {
	fake := hssfake.New(hssfake.Config{Keys: map[string]hssfake.Credential{"AK": {SecretKey: "SK"}}, Projects: []hssfake.Project{{ID: project}}},
		hssfake.Generate(hssfake.GenerateOptions{Count: 5}))
	srv := httptest.NewServer(fake)
	defer srv.Close()
	status, body, id := getAs(t, srv, "", "/v5/nobody/cluster-protect/events?limit=10&offset=0")
	var e struct {
		Code string `json:"error_code"`
		Msg  string `json:"error_msg"`
	}
	if err := json.Unmarshal(body, &e); err != nil || status != 403 || e.Code != hssfake.CodeProject || e.Msg == "" || id == "" {
		t.Fatalf("status %d, X-Request-Id %q, body %s", status, id, body)
	}
	if status, body, _ := getAs(t, srv, "", "/v5/"+project+"/cluster-protect/events?limit=10&offset=0"); status != 200 {
		t.Fatalf("a known project: %d %s", status, body)
	}
}

// A token opens the events of its own project only.
func TestServer_tokenScopedToItsProject(t *testing.T) {
	fake := hssfake.New(hssfake.Config{Projects: []hssfake.Project{{ID: "a", Tokens: []string{"tok-a"}}, {ID: "b", Tokens: []string{"tok-b"}}}}, nil)
	srv := httptest.NewServer(fake)
	defer srv.Close()
	for _, tc := range []struct {
		token, project string
		status         int
	}{{"tok-a", "a", 200}, {"tok-b", "b", 200}, {"tok-a", "b", 403}, {"tok-b", "a", 403}} {
		status, body, _ := getAs(t, srv, tc.token, "/v5/"+tc.project+"/cluster-protect/events?limit=10&offset=0")
		if status != tc.status || status == 403 && !strings.Contains(string(body), hssfake.CodeForbidden) {
			t.Errorf("%s on project %s: %d %s", tc.token, tc.project, status, body)
		}
	}
}

// The query is read per RFC 3986, as the gateway reads it: a "+" is a plus.
func TestServer_queryPlusIsPlus(t *testing.T) {
	p := hssfake.Ptr[string]
	fake := hssfake.New(hssfake.Config{Projects: []hssfake.Project{{ID: project, Tokens: []string{"tok"}}}}, []hssfake.Event{
		{EventID: p("plus"), ClusterID: p("a+b"), EnterpriseProjectID: p("0")},
		{EventID: p("space"), ClusterID: p("a b"), EnterpriseProjectID: p("0")},
	})
	srv := httptest.NewServer(fake)
	defer srv.Close()
	for query, want := range map[string]string{"cluster_id=a+b": "plus", "cluster_id=a%2Bb": "plus", "cluster_id=a%20b": "space"} {
		status, body, _ := getAs(t, srv, "tok", "/v5/"+project+"/cluster-protect/events?limit=10&offset=0&"+query)
		var page struct {
			DataList []struct {
				EventID string `json:"event_id"`
			} `json:"data_list"`
		}
		if err := json.Unmarshal(body, &page); err != nil || status != 200 || len(page.DataList) != 1 || page.DataList[0].EventID != want {
			t.Errorf("%s: %d %s, want only %q", query, status, body, want)
		}
	}
}

// The zero Faults inject nothing; MalformedAtOffset cuts one page, once.
func TestServer_malformedPageOnlyWhenAsked(t *testing.T) {
	fake := hssfake.New(hssfake.Config{Projects: []hssfake.Project{{ID: project, Tokens: []string{"tok"}}}},
		hssfake.Generate(hssfake.GenerateOptions{Count: 30, ProjectID: project}))
	srv := httptest.NewServer(fake)
	defer srv.Close()
	valid := func(offset int) bool {
		_, body, _ := getAs(t, srv, "tok", "/v5/"+project+"/cluster-protect/events?limit=10&offset="+itoa(offset))
		return json.Valid(body)
	}
	fake.SetFaults(hssfake.Faults{})
	if !valid(0) || !valid(10) {
		t.Fatal("the zero Faults cut a page")
	}
	fake.SetFaults(hssfake.Faults{MalformedAtOffset: hssfake.Ptr(10)})
	if got := []bool{valid(0), valid(10), valid(10)}; got[0] != true || got[1] != false || got[2] != true {
		t.Fatalf("pages 0, 10, 10 valid: %v; want true, false, true", got)
	}
}

// Under a path prefix named after a region, the fake is that region's
// endpoint (http://host/{region} in endpoints.hss and endpoints.iam): it
// serves the projects of that region only, and checks the signature over
// the full path, prefix included, as it was signed.
func TestServer_regionPrefix(t *testing.T) {
	fake := hssfake.New(hssfake.Config{
		Keys: map[string]hssfake.Credential{"AK": {SecretKey: "SK"}},
		Projects: []hssfake.Project{
			{ID: "proj-a", Name: "ap-southeast-1"}, {ID: "proj-a-dev", Name: "ap-southeast-1_dev"}, {ID: "proj-b", Name: "ap-southeast-2"},
		},
	}, append(hssfake.Generate(hssfake.GenerateOptions{Count: 3, ProjectID: "proj-a"}), hssfake.Generate(hssfake.GenerateOptions{Count: 5, ProjectID: "proj-b"})...))
	srv := httptest.NewServer(fake)
	defer srv.Close()
	events := func(p string) string { return "/v5/" + p + "/cluster-protect/events?limit=10&offset=0" }
	for _, tc := range []struct {
		path   string
		status int
		want   string
	}{
		{"/ap-southeast-1" + events("proj-a"), 200, `"total_num":3`},
		{"/ap-southeast-1" + events("proj-a-dev"), 200, `"total_num":0`},
		{"/ap-southeast-2" + events("proj-b"), 200, `"total_num":5`},
		{events("proj-b"), 200, `"total_num":5`}, // no prefix: every region
		{"/ap-southeast-2" + events("proj-a"), 403, "not a project of region ap-southeast-2"},
		{"/eu-west-0" + events("proj-a"), 404, "No API"},
		{"/ap-southeast-2/v3/projects?name=ap-southeast-2", 200, `"id":"proj-b"`},
	} {
		status, body, _ := getAs(t, srv, "", tc.path)
		if status != tc.status || !strings.Contains(string(body), tc.want) {
			t.Errorf("%s: %d %s, want %d and %s", tc.path, status, body, tc.status, tc.want)
		}
	}
}

// signLikeGolangsdk signs req as github.com/chnsz/golangsdk (the Huawei Cloud
// provider's SDK) does: every header set at that moment, lower-cased and
// sorted, with no host; the security token is set after signing, unsigned.
func signLikeGolangsdk(req *http.Request, ak, sk, securityToken string) {
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", "terraform-provider-huaweicloud golangsdk/2.0.0")
	req.Header.Set(hwcloud.HeaderSdkDate, time.Now().UTC().Format("20060102T150405Z"))
	var signed []string
	for name := range req.Header {
		signed = append(signed, strings.ToLower(name))
	}
	slices.Sort(signed)
	sig := hwcloud.Signature(sk, hwcloud.StringToSign(req, signed, hwcloud.PayloadHash(nil)))
	req.Header.Set(hwcloud.HeaderAuthorization, hwcloud.AuthorizationValue(ak, signed, sig))
	if securityToken != "" {
		req.Header.Set(hwcloud.HeaderSecurityToken, securityToken)
	}
}

// The Huawei Cloud provider's signatures leave host out and sign accept and
// user-agent: the fake takes them, so both providers can run side by side on
// it, and still refuses a bad signature or a changed signed header.
func TestServer_acceptsGolangsdkSignature(t *testing.T) {
	fake := hssfake.New(hssfake.Config{Keys: map[string]hssfake.Credential{
		"AK": {SecretKey: "SK"}, "TMP": {SecretKey: "TSK", SecurityToken: "STS"},
	}, Projects: []hssfake.Project{{ID: "p"}}}, nil)
	srv := httptest.NewServer(fake)
	defer srv.Close()
	send := func(ak, sk, token string, mutate func(*http.Request)) int {
		t.Helper()
		return sendSigned(t, srv.URL+"/v5/p/cluster-protect/events?limit=200&offset=0", func(req *http.Request) {
			signLikeGolangsdk(req, ak, sk, token)
			mutate(req)
		})
	}
	keep := func(*http.Request) {}
	if s := send("AK", "SK", "", keep); s != http.StatusOK {
		t.Fatalf("a golangsdk signature without host got %d", s)
	}
	if s := send("TMP", "TSK", "STS", keep); s != http.StatusOK {
		t.Fatalf("temporary keys with the token set after signing got %d", s)
	}
	for name, c := range map[string]struct {
		ak, sk, token string
		mutate        func(*http.Request)
	}{
		"wrong secret key": {"AK", "other", "", keep},
		"changed signature": {"AK", "SK", "", func(r *http.Request) {
			r.Header.Set(hwcloud.HeaderAuthorization, strings.Replace(r.Header.Get(hwcloud.HeaderAuthorization), "Signature=", "Signature=0", 1))
		}},
		"changed signed header":   {"AK", "SK", "", func(r *http.Request) { r.Header.Set("User-Agent", "other") }},
		"changed query":           {"AK", "SK", "", func(r *http.Request) { r.URL.RawQuery = "limit=10&offset=0" }},
		"temporary without token": {"TMP", "TSK", "", keep},
		"temporary, wrong token":  {"TMP", "TSK", "other", keep},
		"date not signed": {"AK", "SK", "", func(r *http.Request) {
			r.Header.Set(hwcloud.HeaderAuthorization, strings.Replace(r.Header.Get(hwcloud.HeaderAuthorization), ";x-sdk-date", "", 1))
		}},
	} {
		if s := send(c.ak, c.sk, c.token, c.mutate); s != http.StatusUnauthorized {
			t.Errorf("%s: got %d, want 401", name, s)
		}
	}
}

// sendSigned sends GET url, signed by sign, and returns the status.
func sendSigned(t *testing.T, url string, sign func(*http.Request)) int {
	t.Helper()
	req, _ := http.NewRequestWithContext(t.Context(), "GET", url, nil)
	sign(req)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// As the document has it, total_num is at most 10,000 and only the newest
// 10,000 records can be reached, whatever the offset allows.
func TestServer_tenThousandCap(t *testing.T) {
	fake := hssfake.New(hssfake.Config{Projects: []hssfake.Project{{ID: project, Tokens: []string{"tok"}}}},
		hssfake.Generate(hssfake.GenerateOptions{Count: 10_005, ProjectID: project}))
	srv := httptest.NewServer(fake)
	defer srv.Close()
	for offset, want := range map[int]int{9_990: 10, 10_000: 0, 20_000: 0} {
		status, body, _ := getAs(t, srv, "tok", "/v5/"+project+"/cluster-protect/events?limit=20&offset="+itoa(offset))
		var page struct {
			TotalNum int               `json:"total_num"`
			DataList []json.RawMessage `json:"data_list"`
		}
		if err := json.Unmarshal(body, &page); err != nil || status != 200 || page.TotalNum != 10_000 || len(page.DataList) != want {
			t.Errorf("offset %d: %d, total_num %d, %d events, want 10000 and %d", offset, status, page.TotalNum, len(page.DataList), want)
		}
	}
}

// An event without enterprise_project_id belongs to the default enterprise
// project "0": a read of "0", or without the parameter, sees it, as does
// all_granted_eps; a read of another enterprise project does not.
func TestServer_eventWithoutEnterpriseProjectIsInZero(t *testing.T) {
	p := hssfake.Ptr[string]
	fake := hssfake.New(hssfake.Config{Projects: []hssfake.Project{{ID: project, Tokens: []string{"tok"}}}}, []hssfake.Event{
		{EventID: p("none")},
		{EventID: p("zero"), EnterpriseProjectID: p("0")},
		{EventID: p("other"), EnterpriseProjectID: p(hssfake.SampleEnterpriseProjectID)},
	})
	srv := httptest.NewServer(fake)
	defer srv.Close()
	for query, want := range map[string]string{
		"":                                       "none,zero",
		"&enterprise_project_id=0":               "none,zero",
		"&enterprise_project_id=all_granted_eps": "none,zero,other",
		"&enterprise_project_id=" + hssfake.SampleEnterpriseProjectID: "other",
	} {
		status, body, _ := getAs(t, srv, "tok", "/v5/"+project+"/cluster-protect/events?limit=10&offset=0"+query)
		var page struct {
			TotalNum int `json:"total_num"`
			DataList []struct {
				EventID string `json:"event_id"`
			} `json:"data_list"`
		}
		if err := json.Unmarshal(body, &page); err != nil || status != 200 {
			t.Fatalf("%q: %d %s", query, status, body)
		}
		var got []string
		for _, e := range page.DataList {
			got = append(got, e.EventID)
		}
		if strings.Join(got, ",") != want || page.TotalNum != len(got) {
			t.Errorf("%q: total_num %d, events %q; want %q", query, page.TotalNum, got, want)
		}
	}
}

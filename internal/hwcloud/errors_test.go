package hwcloud

import (
	"math"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestParseAPIError(t *testing.T) {
	for _, tc := range []struct {
		name, body, code, msg string
	}{
		{"documented", `{"error_code":"HSS.1001","error_msg":"bad limit"}`, "HSS.1001", "bad limit"},
		{"code and message", `{"code":"APIGW.0308","message":"throttled"}`, "APIGW.0308", "throttled"},
		{"nested", `{"error":{"code":"APIGW.0301","message":"Incorrect IAM authentication information"}}`, "APIGW.0301", "Incorrect IAM authentication information"},
		{"nested documented", `{"error":{"error_code":"X.1","error_msg":"m"}}`, "X.1", "m"},
		{"html", `<html><body>502 Bad Gateway</body></html>`, "", "response body is not an error document: <html><body>502 Bad Gateway</body></html>"},
		{"empty", ``, "", "response body is not an error document: (empty)"},
		{"json without fields", `{"foo":1}`, "", `response body is not an error document: {"foo":1}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := parseAPIError("HSS", 502, "req-1", []byte(tc.body))
			if e.Code != tc.code || e.Message != tc.msg || e.RequestID != "req-1" || e.StatusCode != 502 {
				t.Errorf("%+v", e)
			}
			s := e.Error()
			for _, part := range []string{"502", tc.code, "req-1"} {
				if !strings.Contains(s, part) {
					t.Errorf("%q lacks %q", s, part)
				}
			}
		})
	}
	long := parseAPIError("HSS", 500, "", []byte(strings.Repeat("é", 1000)))
	if n := len(long.Message); n > 400 || !strings.HasSuffix(long.Message, "…") {
		t.Errorf("long body not cut: %d bytes", n)
	}
}

func TestResolveEndpoint(t *testing.T) {
	for _, tc := range []struct {
		endpoint, region, cloud, want, err string
	}{
		{"", "ap-southeast-1", "", "https://hss.ap-southeast-1.myhuaweicloud.com", ""},
		{"", "eu-west-101", "myhuaweicloud.eu", "https://hss.eu-west-101.myhuaweicloud.eu", ""},
		{"", "eu-west-101", "", "https://hss.eu-west-101.myhuaweicloud.eu", ""},
		{"", "eu-west-1", "", "https://hss.eu-west-1.myhuaweicloud.eu", ""},
		{"", "eu-west-0", "", "https://hss.eu-west-0.myhuaweicloud.com", ""},
		{"", "eu-west-101", "example.com", "https://hss.eu-west-101.example.com", ""},
		{"http://127.0.0.1:8080/", "", "", "http://127.0.0.1:8080", ""},
		{"https://gw.example.com/prefix/", "r", "", "https://gw.example.com/prefix", ""},
		{"", "", "", "", "no HSS endpoint"},
		{"ftp://x", "", "", "", "not an absolute"},
		{"hss.example.com", "", "", "", "not an absolute"},
		{"https://x/?a=b", "", "", "", "not an absolute"},
		// {region} stands for the request's region, in the host or the path.
		{"https://hss.{region}.example.internal", "ap-southeast-2", "", "https://hss.ap-southeast-2.example.internal", ""},
		{"http://127.0.0.1:18111/{region}/", "cn-north-4", "", "http://127.0.0.1:18111/cn-north-4", ""},
		{"https://{region}.gw.example/{region}", "la-south-2", "", "https://la-south-2.gw.example/la-south-2", ""},
		{"https://hss.{region}.example.internal", "", "", "", "has {region} but no region"},
		{"https://hss.{regoin}.example.internal", "ap-southeast-1", "", "", "{regoin} is not a placeholder"},
		{"https://x/{region", "ap-southeast-1", "", "", "{region is not a placeholder"},
	} {
		u, err := ResolveEndpoint("hss", tc.endpoint, tc.region, tc.cloud)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("%q: err %v", tc.endpoint, err)
			}
			continue
		}
		if err != nil || u.String() != tc.want {
			t.Errorf("%q: %v %v", tc.endpoint, u, err)
		}
	}
}

// CheckEndpoint judges a template without a region: the placeholder must be
// {region} and the URL it makes must be absolute.
func TestCheckEndpoint(t *testing.T) {
	for endpoint, want := range map[string]string{
		"https://hss.{region}.example.internal": "",
		"http://127.0.0.1:18111/{region}":       "",
		"https://hss.example.internal":          "",
		"https://hss.{regoin}.example.internal": "{regoin} is not a placeholder: only {region} is",
		"https://hss.{}.example":                "{} is not a placeholder",
		"{region}":                              "not an absolute",
		"ftp://{region}.example":                "not an absolute",
	} {
		err := CheckEndpoint("hss", endpoint)
		if want == "" && err != nil || want != "" && (err == nil || !strings.Contains(err.Error(), want)) {
			t.Errorf("%q: err %v, want %q", endpoint, err, want)
		}
	}
}

func TestNew_credentials(t *testing.T) {
	for _, tc := range []struct {
		cfg Config
		err string
	}{
		{Config{}, "no credentials"},
		{Config{AccessKey: "a"}, "needs both"},
		{Config{SecretKey: "s"}, "needs both"},
		{Config{AuthToken: "t", AccessKey: "a", SecretKey: "s"}, "exactly one"},
		{Config{AuthToken: "t"}, ""},
		{Config{AccessKey: "a", SecretKey: "s"}, ""},
	} {
		_, err := New(tc.cfg)
		if (tc.err == "") != (err == nil) || err != nil && !strings.Contains(err.Error(), tc.err) {
			t.Errorf("%+v: %v", tc.cfg, err)
		}
	}
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2015, 10, 21, 7, 27, 55, 0, time.UTC)
	for _, tc := range []struct {
		header string
		want   time.Duration
		ok     bool
	}{
		{"2", 2 * time.Second, true},
		{" 0 ", 0, true},
		{"Wed, 21 Oct 2015 07:28:00 GMT", 5 * time.Second, true},
		{"Wed, 21 Oct 2015 07:27:00 GMT", 0, true}, // already past: retry now
		{"99999999999999999999", time.Duration(math.MaxInt64), true},
		{"9223372036854775807", time.Duration(math.MaxInt64), true},
		{"-1", 0, false},
		{"-99999999999999999999", 0, false},
		{"1.5", 0, false},
		{"NaN", 0, false},
		{"Inf", 0, false},
		{"1e3", 0, false},
		{"0x10", 0, false},
		{"soon", 0, false},
		{"", 0, false},
	} {
		d, ok := parseRetryAfter(tc.header, now)
		if d != tc.want || ok != tc.ok {
			t.Errorf("Retry-After %q: %s %v, want %s %v", tc.header, d, ok, tc.want, tc.ok)
		}
	}
}

// An error answer of a call that hands out credentials is not quoted when
// it is not an error document; its error_code and error_msg are read.
func TestAnswerError_sensitive(t *testing.T) {
	meta := respMeta{requestID: "req-1", header: http.Header{"Content-Type": {"text/html"}}}
	e := answerError("IAM", 502, meta, []byte(`<html>tmp-sk-secret tmp-sts-token</html>`), true)
	if strings.Contains(e.Error(), "tmp-") || !strings.Contains(e.Message, `40 bytes of Content-Type "text/html"`) || e.RequestID != "req-1" {
		t.Errorf("%v", e)
	}
	e = answerError("IAM", 401, meta, []byte(`{"error_code":"IAM.0002","error_msg":"expired"}`), true)
	if e.Code != "IAM.0002" || e.Message != "expired" {
		t.Errorf("%+v", e)
	}
	if e := answerError("IAM", 502, meta, []byte(`<html>x</html>`), false); !strings.Contains(e.Message, "<html>x</html>") {
		t.Errorf("other calls still quote: %+v", e)
	}
}

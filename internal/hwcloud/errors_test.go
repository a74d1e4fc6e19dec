package hwcloud

import (
	"net/http"
	"strings"
	"testing"
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

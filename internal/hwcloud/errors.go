package hwcloud

import (
	"cmp"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"unicode/utf8"
)

// APIError is a non-2xx answer from the API.
type APIError struct {
	// Service names the API, such as "HSS" or "IAM".
	Service    string
	StatusCode int
	Code       string
	Message    string
	RequestID  string
	// Attempts is how many times the request was sent before giving up.
	Attempts int
}

func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s API answered %d %s", e.Service, e.StatusCode, http.StatusText(e.StatusCode))
	fmt.Fprintf(&b, ", error_code=%q, error_msg=%q, X-Request-Id=%q", e.Code, e.Message, e.RequestID)
	if e.Attempts > 1 {
		fmt.Fprintf(&b, " (after %d attempts)", e.Attempts)
	}
	return b.String()
}

// Hint says what a user can do about the error.
func (e *APIError) Hint() string {
	switch {
	case e.StatusCode == http.StatusUnauthorized:
		return "Check the credentials: auth_token (HW_AUTH_TOKEN), or access_key/secret_key (HW_ACCESS_KEY/HW_SECRET_KEY) and security_token for temporary keys, and that the clock is right for AK/SK signing."
	case e.StatusCode == http.StatusForbidden:
		return "The credentials were accepted but may not read this project: check that project_id names a project of this account in this region " +
			"(a token opens only the project it was issued for), and grant them " + e.Service + " read access in it."
	case e.StatusCode == http.StatusNotFound:
		return "Check the project and the " + e.Service + " endpoint (region, cloud or endpoints." + strings.ToLower(e.Service) + ")."
	case e.StatusCode == http.StatusTooManyRequests:
		return "The API kept throttling this tenant for the whole read: raise timeouts.read, lower max_concurrency, or retry later."
	case e.StatusCode >= 500:
		return "The service failed; retry later, and quote the X-Request-Id to Huawei Cloud support if it persists."
	case e.StatusCode == http.StatusBadRequest:
		return "Check the arguments (project_id, enterprise_project_id, cluster_id) against the API's ranges."
	}
	return "Quote the X-Request-Id to Huawei Cloud support if the problem persists."
}

// bodySnippetLen is how much of a body that is not an error document is quoted.
const bodySnippetLen = 300

// parseAPIError builds an APIError from a non-2xx response and its body.
// It accepts {"error_code","error_msg"}, {"code","message"} and the same
// nested under "error".
func parseAPIError(service string, status int, requestID string, body []byte) *APIError {
	e := &APIError{Service: service, StatusCode: status, RequestID: requestID}
	type fields struct {
		ErrorCode string `json:"error_code"`
		ErrorMsg  string `json:"error_msg"`
		Code      string `json:"code"`
		Message   string `json:"message"`
	}
	var doc struct {
		fields
		Error *fields `json:"error"`
	}
	if err := json.Unmarshal(body, &doc); err == nil {
		for _, f := range []*fields{&doc.fields, doc.Error} {
			if f == nil {
				continue
			}
			e.Code = cmp.Or(e.Code, f.ErrorCode, f.Code)
			e.Message = cmp.Or(e.Message, f.ErrorMsg, f.Message)
		}
		if e.Code != "" || e.Message != "" {
			return e
		}
	}
	e.Message = "response body is not an error document: " + snippet(body)
	return e
}

// snippet quotes the first bytes of a body, cut on a rune boundary.
func snippet(body []byte) string {
	s := strings.TrimSpace(string(body))
	if s == "" {
		return "(empty)"
	}
	if len(s) > bodySnippetLen {
		cut := bodySnippetLen
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		s = s[:cut] + "…"
	}
	return s
}

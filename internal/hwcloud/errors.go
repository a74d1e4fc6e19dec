package hwcloud

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"reflect"
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

// bodySnippetLen is how much of a body that is not an error document is quoted.
const bodySnippetLen = 300

// parseAPIError builds an APIError from a non-2xx response and its body.
// It accepts {"error_code","error_msg"}, {"code","message"} and the same
// nested under "error".
func parseAPIError(service string, status int, requestID string, body []byte) *APIError {
	e := &APIError{Service: service, StatusCode: status, RequestID: requestID}
	if !e.readDocument(body) {
		e.Message = "response body is not an error document: " + snippet(body)
	}
	return e
}

// answerError is the APIError of a non-2xx answer. When sensitive, the
// call's answers carry credentials, and a body that is not an error
// document is not quoted.
func answerError(service string, status int, meta respMeta, body []byte, sensitive bool) *APIError {
	if !sensitive {
		return parseAPIError(service, status, meta.requestID, body)
	}
	e := &APIError{Service: service, StatusCode: status, RequestID: meta.requestID}
	if !e.readDocument(body) {
		e.Message = "response body is not an error document (" + describeBody(meta.header.Get("Content-Type"), int64(len(body))) +
			", not quoted: the answers of this call carry credentials)"
	}
	return e
}

// readDocument fills in Code and Message from an error document, and
// reports whether body was one.
func (e *APIError) readDocument(body []byte) bool {
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
	}
	return e.Code != "" || e.Message != ""
}

// describeBody tells a body's length and Content-Type, for errors that may
// not quote it.
func describeBody(contentType string, length int64) string {
	if contentType == "" {
		return fmt.Sprintf("%d bytes, no Content-Type", length)
	}
	return fmt.Sprintf("%d bytes of Content-Type %q", length, contentType)
}

// jsonKinds name Go kinds as JSON's types.
var jsonKinds = map[reflect.Kind]string{reflect.Struct: "an object", reflect.Map: "an object", reflect.Slice: "an array", reflect.String: "a string", reflect.Bool: "a boolean"}

// withheldReason says what is wrong with a body without quoting any of it:
// encoding/json's messages may hold a character or a number of the body.
func withheldReason(err error) string {
	var syntax *json.SyntaxError
	var typeErr *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syntax):
		return fmt.Sprintf("not valid JSON at byte %d", syntax.Offset)
	case errors.As(err, &typeErr):
		kind, _, _ := strings.Cut(typeErr.Value, " ")
		return fmt.Sprintf("a JSON %s where %q must be %s", kind, typeErr.Field, cmp.Or(jsonKinds[typeErr.Type.Kind()], typeErr.Type.Kind().String()))
	case errors.Is(err, io.ErrUnexpectedEOF):
		return "the JSON document ends early"
	case errors.Is(err, errDataAfter), strings.HasPrefix(err.Error(), "Content-Type is "):
		return err.Error()
	}
	return "not the expected JSON"
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

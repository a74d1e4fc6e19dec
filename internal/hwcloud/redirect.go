package hwcloud

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
)

// None of the APIs this provider calls (HSS, IAM, ECS metadata) redirects.
// Following a redirect would send the request's credentials to the host it
// names: Go strips only Authorization on a redirect to another host, not
// X-Auth-Token or X-Security-Token, and posts a 307's or 308's body (an id
// token) again. So no client follows one, and a 3xx is an error.

// NewHTTPClient is an http.Client over rt that never follows a redirect:
// a 3xx comes back as the answer, for RedirectOf to refuse. Every client of
// the provider is built here.
func NewHTTPClient(rt http.RoundTripper) *http.Client {
	return &http.Client{Transport: rt, CheckRedirect: refuseRedirect}
}

// withoutRedirects is a copy of c that never follows a redirect.
func withoutRedirects(c *http.Client) *http.Client {
	own := *c
	own.CheckRedirect = refuseRedirect
	return &own
}

func refuseRedirect(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }

// RedirectError is a 3xx answer, not followed.
type RedirectError struct {
	// Service names the API, such as "HSS" or "IAM".
	Service string
	// Request is the method and path, such as "GET /v3/projects".
	Request    string
	StatusCode int
	// Host is the host (and port) of the Location, resolved against the
	// request's URL; "" when it names none. Its path and query are not
	// kept: they may hold anything.
	Host        string
	HasLocation bool
	RequestID   string
}

func (e *RedirectError) Error() string {
	to := "to host " + fmt.Sprintf("%q", e.Host)
	switch {
	case !e.HasLocation:
		to = "without a Location"
	case e.Host == "":
		to = "to a Location that names no host"
	}
	return fmt.Sprintf("%s API answered %d %s to %s with a redirect %s, X-Request-Id=%q: not followed, as the API does not redirect "+
		"and following would send the request's credentials there; check that the endpoint is the API's own address",
		e.Service, e.StatusCode, http.StatusText(e.StatusCode), e.Request, to, e.RequestID)
}

// RedirectOf is the RedirectError of a 3xx answer, whose body it drains
// (within MaxBodyBytes) unread; nil for any other answer.
func RedirectOf(service string, resp *http.Response) error {
	if resp.StatusCode < 300 || resp.StatusCode > 399 {
		return nil
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, MaxBodyBytes))
	e := &RedirectError{Service: service, StatusCode: resp.StatusCode, RequestID: resp.Header.Get(HeaderRequestID)}
	if req := resp.Request; req != nil {
		e.Request = requestLine(req.Method, req.URL)
	}
	loc, err := resp.Location()
	e.HasLocation = !errors.Is(err, http.ErrNoLocation)
	if err == nil {
		e.Host = loc.Host
	}
	return e
}

// requestLine names a request in errors: its method and path, without the
// query.
func requestLine(method string, u *url.URL) string {
	return method + " /" + strings.TrimPrefix(u.EscapedPath(), "/")
}

package hwcloud

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// pacer is the pacer of u's host.
func (c *Transport) pacer(u *url.URL) *pacer {
	c.pacersMu.Lock()
	defer c.pacersMu.Unlock()
	p := c.pacers[u.Host]
	if p == nil {
		p = newPacer(c.clock)
		c.pacers[u.Host] = p
	}
	return p
}

// Request is one API call.
type Request struct {
	Method string // GET when empty
	URL    *url.URL
	// Body, when not nil, is sent as JSON.
	Body any
	// Header holds extra headers, such as X-Idp-Id.
	Header http.Header
	// Credentials, when not nil, authenticate this request instead of the
	// transport's source; a zero value sends none (for calls whose body
	// authenticates them).
	Credentials *Credentials
	// Sensitive marks a call whose answers carry credentials (security
	// tokens, federated tokens): errors never quote its body, only its
	// status, Content-Type, length and request ID, and the error_code and
	// error_msg of an error answer.
	Sensitive bool
}

// GetJSON sends GET u and decodes a 2xx body into out; see Do.
func (c *Transport) GetJSON(ctx context.Context, service string, u *url.URL, out any) error {
	_, err := c.Do(ctx, service, Request{URL: u}, out)
	return err
}

// Do sends req and decodes a 2xx body into out (unless out is nil), and
// returns the answer's headers. What it does after each attempt is the
// retry policy's decision (retry.go): 429s are waited out for as long as ctx
// allows, with a backoff that grows; network faults, 5xx answers and bodies
// cut short are retried up to maxRetries times; an endpoint that does not
// answer in time is tried twice, one that has never answered and refuses
// the connection once; temporary credentials that the API refuses as
// expired are refreshed once. service names the API in errors, such as
// "HSS".
func (c *Transport) Do(ctx context.Context, service string, req Request, out any) (http.Header, error) {
	method := cmp.Or(req.Method, http.MethodGet)
	var body []byte
	if req.Body != nil {
		var err error
		if body, err = json.Marshal(req.Body); err != nil {
			return nil, err
		}
	}
	what := method + " /" + strings.TrimPrefix(req.URL.EscapedPath(), "/")
	pacer := c.pacer(req.URL)
	var state retryState
	for {
		creds, err := c.credentials(ctx, req.Credentials)
		if err != nil {
			return nil, err
		}
		state.attempts++
		state.temporary = req.Credentials == nil && creds.Temporary()
		state.hostAnswered = pacer.answered()
		a := attemptArgs{pacer: pacer, service: service, method: method, target: req.URL.String(), header: req.Header, body: body, creds: creds, attempt: state.attempts, sensitive: req.Sensitive}
		status, meta, errBody, err := c.attempt(ctx, a, out)
		got := answer{request: what, status: status, err: err, requestID: meta.requestID, retryAfter: meta.retryAfter, now: c.now(), cancelled: ctx.Err()}
		if deadline, ok := ctx.Deadline(); ok {
			got.left, got.bounded = time.Until(deadline), true
		}
		if err == nil && (status < 200 || status >= 300) {
			got.apiErr = answerError(service, status, meta, errBody, req.Sensitive)
			got.apiErr.Attempts = state.attempts
		}
		d := c.policy.decide(&state, got)
		switch d.action {
		case actDone:
			return meta.header, nil
		case actFail:
			return meta.header, d.err
		case actRefresh:
			c.creds.Expired(creds)
			c.log(ctx, service+" credentials expired: refreshing them once", map[string]any{"status": status, "request_id": meta.requestID})
			continue
		}
		c.log(ctx, service+" retrying", map[string]any{"reason": d.reason, "wait_ms": d.wait.Milliseconds(), "attempt": state.attempts, "throttled": state.throttled, "faults": state.faults})
		if err := sleep(ctx, d.wait); err != nil {
			return meta.header, fmt.Errorf("%w; gave up waiting to retry: %w", d.err, err)
		}
	}
}

// credentials are the request's own, or the source's.
func (c *Transport) credentials(ctx context.Context, own *Credentials) (Credentials, error) {
	if own != nil {
		return *own, nil
	}
	creds, err := c.creds.Retrieve(ctx)
	if err != nil {
		return Credentials{}, &CredentialsError{Err: err}
	}
	return creds, nil
}

func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

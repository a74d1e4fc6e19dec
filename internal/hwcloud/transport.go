package hwcloud

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"reflect"
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
// returns the answer's headers. Each attempt decodes into a value of its
// own: out ends up holding the last attempt's answer only. What it does after each attempt is the
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
	what := requestLine(method, req.URL)
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
		dst := fresh(out)
		status, meta, errBody, err := c.attempt(ctx, a, dst)
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
			keep(out, dst)
			return meta.header, nil
		case actFail:
			// What a refused body decoded reaches out too: the secrets of
			// a credential answer are registered from it.
			keep(out, dst)
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

// fresh is a new zero value of what out points to, for one attempt to
// decode into: encoding/json keeps the fields a body leaves out, also in
// the slice elements it reuses, so an attempt that decoded a body and then
// failed (the connection broke after the JSON) must not leave them for a
// retry to mix with its own. out itself when it is not a non-nil pointer
// (nil, or what encoding/json refuses).
func fresh(out any) any {
	v := reflect.ValueOf(out)
	if v.Kind() != reflect.Pointer || v.IsNil() {
		return out
	}
	return reflect.New(v.Type().Elem()).Interface()
}

// keep sets what out points to to what the last attempt decoded into dst,
// so that out holds that attempt's answer and nothing of an earlier one.
func keep(out, dst any) {
	if dst != out {
		reflect.ValueOf(out).Elem().Set(reflect.ValueOf(dst).Elem())
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

package hwcloud

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"syscall"
	"time"
)

// respMeta carries the headers Do looks at.
type respMeta struct {
	requestID  string
	retryAfter string
	header     http.Header
}

// attemptArgs is what one attempt sends.
type attemptArgs struct {
	pacer                   *pacer
	service, method, target string
	header                  http.Header
	body                    []byte
	creds                   Credentials
	attempt                 int
	sensitive               bool // the answer carries credentials: never quote it
}

// attempt sends one request once the concurrency bound and then the pacer
// let it. The pacer's turn comes last, so that requests that waited for a
// slot are not sent together when slots free up: the turn is taken when the
// request leaves. A 2xx body is decoded into out as it streams in; any
// other body is returned.
func (c *Transport) attempt(ctx context.Context, a attemptArgs, out any) (int, respMeta, []byte, error) {
	if err := c.inFlight.Acquire(ctx, 1); err != nil {
		return 0, respMeta{}, nil, err
	}
	defer c.inFlight.Release(1)
	epoch, err := a.pacer.wait(ctx)
	if err != nil {
		return 0, respMeta{}, nil, err
	}

	reqCtx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	req, err := c.newRequest(reqCtx, a)
	if err != nil {
		return 0, respMeta{}, nil, err
	}

	start := time.Now()
	resp, err := c.http.Do(req)
	if err != nil {
		c.log(ctx, a.service+" request failed", map[string]any{
			"method": req.Method, "path": req.URL.Path, "query": req.URL.RawQuery,
			"attempt": a.attempt, "duration_ms": time.Since(start).Milliseconds(), "error": err.Error(),
		})
		return 0, respMeta{}, nil, c.timedOut(ctx, reqCtx, err)
	}
	defer resp.Body.Close()
	meta := respMeta{requestID: resp.Header.Get(HeaderRequestID), retryAfter: resp.Header.Get("Retry-After"), header: resp.Header}
	if resp.StatusCode == http.StatusTooManyRequests {
		a.pacer.throttled(epoch)
	} else {
		a.pacer.succeeded()
	}
	var body []byte
	redirect := RedirectOf(a.service, resp)
	switch {
	case resp.StatusCode >= 200 && resp.StatusCode < 300:
		err = decodeBody(resp, out, a.sensitive)
	case redirect != nil:
		err = redirect
	default:
		body, err = readLimited(resp.Body, MaxBodyBytes)
	}
	c.log(ctx, a.service+" request", map[string]any{
		"method": req.Method, "path": req.URL.Path, "query": req.URL.RawQuery, "status": resp.StatusCode,
		"attempt": a.attempt, "duration_ms": time.Since(start).Milliseconds(), "request_id": meta.requestID,
	})
	if err != nil && !errors.As(err, new(*decodeError)) && !errors.As(err, new(*RedirectError)) {
		err = fmt.Errorf("reading response (status %d, X-Request-Id %q): %w", resp.StatusCode, meta.requestID, c.timedOut(ctx, reqCtx, err))
	}
	return resp.StatusCode, meta, body, err
}

// ErrNoAnswer marks an attempt that connected but got no (whole) answer
// within the request timeout: a slow or stuck endpoint.
var ErrNoAnswer = errors.New("connected, but no answer in time")

// timedOut says which it was when an attempt failed on time or on
// connecting: an endpoint that answers nothing in time, or one that cannot
// be reached.
func (c *Transport) timedOut(ctx, reqCtx context.Context, err error) error {
	switch {
	case ctx.Err() != nil:
		return err
	case IsConnectError(err):
		return fmt.Errorf("could not connect: %w", err)
	case errors.Is(reqCtx.Err(), context.DeadlineExceeded):
		setting := ""
		if c.timeoutName != "" {
			setting = " (" + c.timeoutName + ")"
		}
		return fmt.Errorf("%w: the endpoint accepted the connection but did not answer within the request timeout of %s%s: %w", ErrNoAnswer, c.timeout, setting, err)
	}
	return err
}

// IsConnectError reports whether err comes from failing to connect: a
// refused or timed-out connection, an unknown host, a proxy that cannot be
// reached.
func IsConnectError(err error) bool {
	var opErr *net.OpError
	if errors.As(err, &opErr) && (opErr.Op == "dial" || opErr.Op == "proxyconnect") {
		return true
	}
	var dnsErr *net.DNSError
	return errors.As(err, &dnsErr)
}

func retryableStatus(status int) bool {
	switch status {
	case http.StatusTooManyRequests, http.StatusInternalServerError, http.StatusBadGateway,
		http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	}
	return false
}

// isTransient reports network errors worth another try: resets, refused
// connections, timeouts of a single attempt, a body cut short. Certificate
// errors, unknown hosts and oversized bodies are not.
func isTransient(err error) bool {
	if errors.Is(err, errBodyTooLarge) || errors.Is(err, context.Canceled) || isCertificateError(err) {
		return false
	}
	var dnsErr *net.DNSError
	if errors.As(err, &dnsErr) && dnsErr.IsNotFound {
		return false
	}
	var netErr net.Error
	if errors.As(err, &netErr) && netErr.Timeout() {
		return true
	}
	var opErr *net.OpError
	if errors.As(err, &opErr) {
		return true
	}
	return errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) || errors.Is(err, syscall.ECONNRESET) ||
		errors.Is(err, context.DeadlineExceeded)
}

// isCertificateError reports a TLS certificate the client does not trust.
func isCertificateError(err error) bool {
	var verify *tls.CertificateVerificationError
	var unknown x509.UnknownAuthorityError
	var host x509.HostnameError
	var invalid x509.CertificateInvalidError
	return errors.As(err, &verify) || errors.As(err, &unknown) || errors.As(err, &host) || errors.As(err, &invalid)
}

// IsCertificateError reports whether err comes from an untrusted TLS
// certificate, so that callers can say what to configure.
func IsCertificateError(err error) bool { return isCertificateError(err) }

// newRequest builds a's request: its headers, and its token or signature.
func (c *Transport) newRequest(ctx context.Context, a attemptArgs) (*http.Request, error) {
	var reqBody io.Reader
	if a.body != nil {
		reqBody = bytes.NewReader(a.body)
	}
	req, err := http.NewRequestWithContext(ctx, a.method, a.target, reqBody)
	if err != nil {
		return nil, err
	}
	for k, v := range a.header {
		req.Header[k] = v
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", c.userAgent)
	if a.body != nil {
		req.Header.Set("Content-Type", "application/json;charset=UTF-8")
	}
	switch {
	case a.creds.AuthToken != "":
		req.Header.Set(HeaderAuthToken, a.creds.AuthToken)
	case a.creds.AccessKey != "":
		Signer{AccessKey: a.creds.AccessKey, SecretKey: a.creds.SecretKey, SecurityToken: a.creds.SecurityToken}.Sign(req, a.body, c.now())
	}
	return req, nil
}

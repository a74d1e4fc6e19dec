// Package hwcloud is what the Huawei Cloud API clients share: request
// signing, retries and pacing, TLS and proxies, endpoints and the API error
// type. It has no Terraform imports, and knows no service.
package hwcloud

import (
	"bytes"
	"cmp"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"mime"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"golang.org/x/sync/semaphore"
)

// Defaults for Config fields left zero.
const (
	DefaultCloud          = "myhuaweicloud.com"
	DefaultMaxRetries     = 5
	DefaultMaxConcurrency = 8
	DefaultRequestTimeout = 30 * time.Second
	// DefaultConnectTimeout bounds connecting (TCP, and the TLS handshake
	// apart): an endpoint that cannot be reached fails fast.
	DefaultConnectTimeout = 10 * time.Second
	DefaultRetryBaseDelay = 500 * time.Millisecond
	DefaultRetryMaxDelay  = 20 * time.Second
	// MaxRetryAfter is the longest Retry-After the client waits out for a
	// context without a deadline; with one, any wait that ends before the
	// deadline is waited out, and a longer one fails at once.
	MaxRetryAfter = 60 * time.Second
	// MaxBodyBytes bounds how much of one response is read.
	MaxBodyBytes = 16 << 20
)

// Logger receives one structured line per HTTP attempt. Fields never hold
// secrets.
type Logger func(ctx context.Context, msg string, fields map[string]any)

// Config describes how to authenticate to the APIs and how to talk to them.
type Config struct {
	// Credentials, when set, give every request's credentials, and the
	// static fields below must be empty.
	Credentials CredentialsSource
	// Else static credentials: exactly one of AuthToken or
	// AccessKey+SecretKey.
	AuthToken     string
	AccessKey     string
	SecretKey     string
	SecurityToken string

	Insecure bool
	// CACertPEM adds PEM certificates to the system roots, for private CAs.
	CACertPEM []byte
	// ClientCertificates are presented to gateways that require mutual TLS.
	ClientCertificates []tls.Certificate
	HTTPClient         *http.Client // optional; its Transport is used as is
	UserAgent          string

	MaxRetries     int // retries after the first attempt; 0 means DefaultMaxRetries, negative none
	MaxConcurrency int // requests in flight at once
	RequestTimeout time.Duration
	RetryBaseDelay time.Duration
	RetryMaxDelay  time.Duration

	Logger Logger
	Now    func() time.Time // for signing; time.Now when nil
}

// Transport sends the requests of every API client built on it, and so of
// every read of a provider: they share its connections, its bound on
// requests in flight and, per endpoint host, the rate it learned from 429s.
// It is safe for concurrent use.
type Transport struct {
	http      *http.Client
	userAgent string
	creds     CredentialsSource
	policy    retryPolicy
	// maxConcurrency bounds the requests in flight, and the goroutines of a
	// read's page fan-out.
	maxConcurrency int
	timeout        time.Duration
	inFlight       *semaphore.Weighted // max concurrency, across every read
	log            Logger
	now            func() time.Time

	pacersMu sync.Mutex
	pacers   map[string]*pacer // by endpoint host
}

// New checks cfg and builds a Transport.
func New(cfg Config) (*Transport, error) {
	c := &Transport{
		pacers:    map[string]*pacer{},
		userAgent: cfg.UserAgent,
		timeout:   orDefault(cfg.RequestTimeout, DefaultRequestTimeout),
		policy: retryPolicy{
			maxRetries: cfg.MaxRetries,
			baseDelay:  orDefault(cfg.RetryBaseDelay, DefaultRetryBaseDelay),
			maxDelay:   orDefault(cfg.RetryMaxDelay, DefaultRetryMaxDelay),
		},
		log: cfg.Logger,
		now: cfg.Now,
	}
	switch {
	case cfg.MaxRetries == 0:
		c.policy.maxRetries = DefaultMaxRetries
	case cfg.MaxRetries < 0:
		c.policy.maxRetries = 0
	}
	if c.userAgent == "" {
		c.userAgent = "terraform-provider-clusterprotect"
	}
	if c.now == nil {
		c.now = time.Now
	}
	if c.log == nil {
		c.log = func(context.Context, string, map[string]any) {}
	}
	concurrency := cfg.MaxConcurrency
	if concurrency <= 0 {
		concurrency = DefaultMaxConcurrency
	}
	c.inFlight = semaphore.NewWeighted(int64(concurrency))
	c.maxConcurrency = concurrency

	hasToken := cfg.AuthToken != ""
	hasAKSK := cfg.AccessKey != "" || cfg.SecretKey != ""
	switch {
	case cfg.Credentials != nil:
		if hasToken || hasAKSK || cfg.SecurityToken != "" {
			return nil, errors.New("both a credentials source and static credentials are configured; use one")
		}
		c.creds = cfg.Credentials
	case hasToken && hasAKSK:
		return nil, errors.New("both a token and an access key pair are configured; use exactly one")
	case hasToken:
		c.creds = StaticCredentials{AuthToken: cfg.AuthToken}
	case cfg.AccessKey == "" || cfg.SecretKey == "":
		if hasAKSK {
			return nil, errors.New("an access key pair needs both the access key and the secret key")
		}
		return nil, errors.New("no credentials: configure a token or an access key pair")
	default:
		c.creds = StaticCredentials{AccessKey: cfg.AccessKey, SecretKey: cfg.SecretKey, SecurityToken: cfg.SecurityToken}
	}

	if cfg.HTTPClient != nil {
		c.http = cfg.HTTPClient
	} else {
		// The clone keeps http.ProxyFromEnvironment: HTTPS_PROXY, HTTP_PROXY
		// and NO_PROXY are honoured.
		transport := http.DefaultTransport.(*http.Transport).Clone()
		transport.DialContext = (&net.Dialer{Timeout: DefaultConnectTimeout, KeepAlive: 30 * time.Second}).DialContext
		transport.MaxIdleConnsPerHost = concurrency
		tlsConfig, err := tlsConfig(cfg)
		if err != nil {
			return nil, err
		}
		transport.TLSClientConfig = tlsConfig
		c.http = &http.Client{Transport: transport}
	}
	return c, nil
}

func tlsConfig(cfg Config) (*tls.Config, error) {
	conf := &tls.Config{MinVersion: tls.VersionTLS12, Certificates: cfg.ClientCertificates}
	if cfg.Insecure {
		conf.InsecureSkipVerify = true //nolint:gosec // the user asked for it, for testing
		return conf, nil
	}
	if len(cfg.CACertPEM) > 0 {
		pool, err := x509.SystemCertPool()
		if err != nil {
			pool = x509.NewCertPool()
		}
		if !pool.AppendCertsFromPEM(cfg.CACertPEM) {
			return nil, ErrNoPEMCertificate
		}
		conf.RootCAs = pool
	}
	return conf, nil
}

// ErrNoPEMCertificate is returned by New when Config.CACertPEM holds no
// certificate.
var ErrNoPEMCertificate = errors.New("the CA certificate file holds no PEM certificate")

// CloseIdleConnections closes connections kept for reuse.
func (c *Transport) CloseIdleConnections() { c.http.CloseIdleConnections() }

func orDefault(d, def time.Duration) time.Duration {
	if d <= 0 {
		return def
	}
	return d
}

// Europe's regions (eu-west-101, ...) live under their own cloud domain.
const (
	DefaultEuropeCloud = "myhuaweicloud.eu"
	europeRegionPrefix = "eu-west-1"
)

// CloudFor is the cloud domain of region's endpoints: cloud when set, else
// the Huawei Cloud provider's default for the region.
func CloudFor(region, cloud string) string {
	switch {
	case cloud != "":
		return cloud
	case strings.HasPrefix(region, europeRegionPrefix):
		return DefaultEuropeCloud
	}
	return DefaultCloud
}

// MaxConcurrency is the bound on requests in flight, which also bounds a
// read's fan-out of goroutines.
func (c *Transport) MaxConcurrency() int { return c.maxConcurrency }

// RegionPlaceholder in an explicit endpoint stands for the region of each
// request, so that one provider reaches every region at an address of its
// own, such as https://hss.{region}.example.internal. It is replaced as
// text before the URL is parsed; a region is letters, digits and hyphens,
// so it may stand in the host as well as in the path.
const RegionPlaceholder = "{region}"

// IsTemplate reports whether endpoint holds RegionPlaceholder.
func IsTemplate(endpoint string) bool { return strings.Contains(endpoint, RegionPlaceholder) }

// CheckEndpoint judges an explicit endpoint before any region is known: its
// only placeholder is {region}, and it is an absolute URL once replaced.
func CheckEndpoint(service, endpoint string) error {
	_, err := ResolveEndpoint(service, endpoint, "ap-southeast-1", "")
	return err
}

// unknownPlaceholder is the first brace-enclosed text in endpoint other than
// RegionPlaceholder, or a stray brace; "" when there is none.
func unknownPlaceholder(endpoint string) string {
	rest := strings.ReplaceAll(endpoint, RegionPlaceholder, "")
	i := strings.IndexAny(rest, "{}")
	if i < 0 {
		return ""
	}
	if j := strings.IndexByte(rest[i:], '}'); rest[i] == '{' && j > 0 {
		return rest[i : i+j+1]
	}
	if j := strings.IndexAny(rest[i+1:], "./:"); j >= 0 {
		return rest[i : i+1+j]
	}
	return rest[i:]
}

// ResolveEndpoint returns the base URL of a service's requests: endpoint
// when set, with RegionPlaceholder replaced by region, else
// https://{service}.{region}.{cloud}.
func ResolveEndpoint(service, endpoint, region, cloud string) (*url.URL, error) {
	if endpoint == "" {
		if region == "" {
			return nil, fmt.Errorf("no %s endpoint: set a region, or an explicit endpoint URL", strings.ToUpper(service))
		}
		endpoint = "https://" + service + "." + region + "." + CloudFor(region, cloud)
	}
	if p := unknownPlaceholder(endpoint); p != "" {
		return nil, fmt.Errorf("endpoint %q: %s is not a placeholder: only %s is", endpoint, p, RegionPlaceholder)
	}
	if IsTemplate(endpoint) {
		if region == "" {
			return nil, fmt.Errorf("endpoint %q has %s but no region is set", endpoint, RegionPlaceholder)
		}
		endpoint = strings.ReplaceAll(endpoint, RegionPlaceholder, region)
	}
	u, err := url.Parse(endpoint)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("endpoint %q is not an absolute http:// or https:// URL without query", endpoint)
	}
	u.Path = strings.TrimSuffix(u.Path, "/")
	u.RawPath = ""
	return u, nil
}

// pacer is the pacer of u's host.
func (c *Transport) pacer(u *url.URL) *pacer {
	c.pacersMu.Lock()
	defer c.pacersMu.Unlock()
	p := c.pacers[u.Host]
	if p == nil {
		p = newPacer()
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

// attempt sends one request once the pacer and the concurrency bound let it.
// A 2xx body is decoded into out as it streams in; any other body is
// returned.
func (c *Transport) attempt(ctx context.Context, a attemptArgs, out any) (int, respMeta, []byte, error) {
	epoch, err := a.pacer.wait(ctx)
	if err != nil {
		return 0, respMeta{}, nil, err
	}
	if err := c.inFlight.Acquire(ctx, 1); err != nil {
		return 0, respMeta{}, nil, err
	}
	defer c.inFlight.Release(1)

	reqCtx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	var reqBody io.Reader
	if a.body != nil {
		reqBody = bytes.NewReader(a.body)
	}
	req, err := http.NewRequestWithContext(reqCtx, a.method, a.target, reqBody)
	if err != nil {
		return 0, respMeta{}, nil, err
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
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		err = decodeBody(resp, out, a.sensitive)
	} else {
		body, err = readLimited(resp.Body, MaxBodyBytes)
	}
	c.log(ctx, a.service+" request", map[string]any{
		"method": req.Method, "path": req.URL.Path, "query": req.URL.RawQuery, "status": resp.StatusCode,
		"attempt": a.attempt, "duration_ms": time.Since(start).Milliseconds(), "request_id": meta.requestID,
	})
	if err != nil && !errors.As(err, new(*decodeError)) {
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
		return fmt.Errorf("%w: the endpoint accepted the connection but did not answer within the request timeout of %s (request_timeout): %w", ErrNoAnswer, c.timeout, err)
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

// checkContentType accepts JSON, and a missing Content-Type.
func checkContentType(v string) error {
	if v == "" {
		return nil
	}
	mediaType, _, err := mime.ParseMediaType(v)
	if err != nil || (mediaType != "application/json" && !strings.HasSuffix(mediaType, "+json")) {
		return fmt.Errorf("Content-Type is %q, not JSON", v)
	}
	return nil
}

// errBodyTooLarge marks a response larger than MaxBodyBytes.
var errBodyTooLarge = fmt.Errorf("response body larger than %d bytes", MaxBodyBytes)

func readLimited(r io.Reader, limit int64) ([]byte, error) {
	body, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(body)) > limit {
		return nil, errBodyTooLarge
	}
	return body, nil
}

// decodeBody decodes a 2xx body into out, or reads it to the end when out
// is nil. A body that is not the documented JSON is quoted in the error,
// unless withhold: an answer that carries credentials.
func decodeBody(resp *http.Response, out any, withhold bool) error {
	contentType := resp.Header.Get("Content-Type")
	if err := checkContentType(contentType); err != nil {
		if withhold {
			n, _ := io.Copy(io.Discard, io.LimitReader(resp.Body, MaxBodyBytes))
			return &decodeError{err: err, withheld: true, contentType: contentType, length: n}
		}
		head, _ := readLimited(io.LimitReader(resp.Body, bodySnippetLen+1), bodySnippetLen+1)
		return &decodeError{err: err, head: head}
	}
	if out == nil {
		_, err := io.Copy(io.Discard, io.LimitReader(resp.Body, MaxBodyBytes))
		return err
	}
	err := decodeJSON(resp.Body, out, withhold)
	if de := (*decodeError)(nil); errors.As(err, &de) {
		de.contentType = contentType
	}
	return err
}

// decodeError is a 2xx body that is not the documented JSON; retrying would
// not help.
type decodeError struct {
	err  error
	head []byte
	// withheld: the body carries credentials, and only its Content-Type and
	// length are told.
	withheld    bool
	contentType string
	length      int64
}

func (e *decodeError) Error() string {
	if e.withheld {
		return fmt.Sprintf("response body is not the documented JSON (%s); %s, not quoted: the answer carries credentials",
			withheldReason(e.err), describeBody(e.contentType, e.length))
	}
	return fmt.Sprintf("response body is not the documented JSON (%v): %s", e.err, snippet(e.head))
}

func (e *decodeError) Unwrap() error { return e.err }

// errDataAfter is a body with more after its JSON document.
var errDataAfter = errors.New("data after the JSON document")

// DecodeJSON decodes one JSON document as it is read, so a page is never
// held twice in memory, and refuses bodies over MaxBodyBytes and data after
// the document.
func DecodeJSON(r io.Reader, out any) error { return decodeJSON(r, out, false) }

// DecodeCredentialJSON is DecodeJSON for a body that carries credentials:
// its errors never quote the body, and tell its length and contentType.
func DecodeCredentialJSON(r io.Reader, contentType string, out any) error {
	if err := checkContentType(contentType); err != nil {
		n, _ := io.Copy(io.Discard, io.LimitReader(r, MaxBodyBytes))
		return &decodeError{err: err, withheld: true, contentType: contentType, length: n}
	}
	err := decodeJSON(r, out, true)
	if de := (*decodeError)(nil); errors.As(err, &de) {
		de.contentType = contentType
	}
	return err
}

func decodeJSON(r io.Reader, out any, withhold bool) error {
	lr := &limitedReader{r: r, left: MaxBodyBytes, withhold: withhold}
	dec := json.NewDecoder(lr)
	err := dec.Decode(out)
	if err == nil {
		var syntax *json.SyntaxError
		switch _, tail := dec.Token(); {
		case errors.Is(tail, io.EOF):
		case tail == nil || errors.As(tail, &syntax):
			err = errDataAfter
		default:
			err = tail // the network or the size limit
		}
	}
	if err != nil {
		if errors.Is(err, errBodyTooLarge) {
			return err
		}
		if lr.readErr != nil {
			// The body was cut short by the network, not malformed.
			return lr.readErr
		}
		var netErr net.Error
		if errors.As(err, &netErr) || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
			return err
		}
		if withhold {
			_, _ = io.Copy(io.Discard, lr)
			return &decodeError{err: err, withheld: true, length: MaxBodyBytes - lr.left}
		}
		return &decodeError{err: err, head: lr.head}
	}
	// Read to the end, so that the connection can be reused.
	_, err = io.Copy(io.Discard, lr)
	return err
}

// limitedReader fails with errBodyTooLarge past its limit and keeps the
// first bytes read, to quote in errors, unless withhold.
type limitedReader struct {
	r        io.Reader
	left     int64
	head     []byte
	withhold bool
	readErr  error // what reading failed with, other than the end of the body
}

func (l *limitedReader) Read(p []byte) (int, error) {
	if l.left <= 0 {
		return 0, errBodyTooLarge
	}
	if int64(len(p)) > l.left {
		p = p[:l.left]
	}
	n, err := l.r.Read(p)
	if err != nil && err != io.EOF {
		l.readErr = err
	}
	l.left -= int64(n)
	if room := bodySnippetLen + 1 - len(l.head); room > 0 && !l.withhold {
		l.head = append(l.head, p[:min(n, room)]...)
	}
	return n, err
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

// parseRetryAfter reads a Retry-After header: whole seconds, or an HTTP
// date. A number too large to hold is the longest wait there is (more than
// the client waits, so the caller gives up); anything else, such as a
// negative or fractional number, is not a Retry-After and gives ok false.
func parseRetryAfter(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if strings.Trim(v, "0123456789") == "" {
		secs, err := strconv.ParseInt(v, 10, 64)
		if err != nil || secs > math.MaxInt64/int64(time.Second) {
			return math.MaxInt64, true // digits only: too many to hold
		}
		return time.Duration(secs) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(t.Sub(now), 0), true
	}
	return 0, false
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

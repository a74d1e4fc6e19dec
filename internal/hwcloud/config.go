// Package hwcloud is what the Huawei Cloud API clients share: request
// signing, retries and pacing, TLS and proxies, endpoints and the API error
// type. It has no Terraform imports, and knows no service.
package hwcloud

import (
	"cmp"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net"
	"net/http"
	"sync"
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
	// Credentials give every request's credentials; New refuses a Config
	// without them. StaticCredentials are credentials that never change.
	Credentials CredentialsSource

	Insecure bool
	// CACertPEM adds PEM certificates to the system roots, for private CAs.
	CACertPEM []byte
	// ClientCertificates are presented to gateways that require mutual TLS.
	ClientCertificates []tls.Certificate
	// HTTPClient is optional; its Transport is used as is, but its
	// CheckRedirect is not: no redirect is ever followed.
	HTTPClient *http.Client
	UserAgent  string

	MaxRetries     int // retries after the first attempt; 0 means DefaultMaxRetries, negative none
	MaxConcurrency int // requests in flight at once
	RequestTimeout time.Duration
	// RequestTimeoutName, when set, names the caller's setting of
	// RequestTimeout in errors, such as "request_timeout".
	RequestTimeoutName string
	RetryBaseDelay     time.Duration
	RetryMaxDelay      time.Duration

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
	timeoutName    string              // the caller's name of timeout's setting, if any
	inFlight       *semaphore.Weighted // max concurrency, across every read; held from before the pacer's turn
	log            Logger
	now            func() time.Time

	pacersMu sync.Mutex
	pacers   map[string]*pacer // by endpoint host
	clock    clock             // the pacers'
}

// ErrNoCredentials is returned by New when Config.Credentials is nil.
var ErrNoCredentials = errors.New("no credentials: configure a credentials source")

// New checks cfg and builds a Transport.
func New(cfg Config) (*Transport, error) {
	if cfg.Credentials == nil {
		return nil, ErrNoCredentials
	}
	c := &Transport{
		pacers:         map[string]*pacer{},
		clock:          realClock{},
		userAgent:      cmp.Or(cfg.UserAgent, "terraform-provider-clusterprotect"),
		creds:          cfg.Credentials,
		timeout:        orDefault(cfg.RequestTimeout, DefaultRequestTimeout),
		timeoutName:    cfg.RequestTimeoutName,
		policy:         policyOf(cfg),
		maxConcurrency: cmp.Or(max(cfg.MaxConcurrency, 0), DefaultMaxConcurrency),
		log:            cfg.Logger,
		now:            cfg.Now,
	}
	if c.now == nil {
		c.now = time.Now
	}
	if c.log == nil {
		c.log = func(context.Context, string, map[string]any) {}
	}
	c.inFlight = semaphore.NewWeighted(int64(c.maxConcurrency))
	var err error
	c.http, err = httpClient(cfg, c.maxConcurrency)
	if err != nil {
		return nil, err
	}
	return c, nil
}

// policyOf is cfg's retry policy: MaxRetries 0 means DefaultMaxRetries, a
// negative one no retries.
func policyOf(cfg Config) retryPolicy {
	p := retryPolicy{
		maxRetries: cfg.MaxRetries,
		baseDelay:  orDefault(cfg.RetryBaseDelay, DefaultRetryBaseDelay),
		maxDelay:   orDefault(cfg.RetryMaxDelay, DefaultRetryMaxDelay),
	}
	switch {
	case cfg.MaxRetries == 0:
		p.maxRetries = DefaultMaxRetries
	case cfg.MaxRetries < 0:
		p.maxRetries = 0
	}
	return p
}

// httpClient is a copy of cfg.HTTPClient, or a client of its own with cfg's
// TLS settings, keeping up to concurrency idle connections per host; either
// never follows a redirect.
func httpClient(cfg Config, concurrency int) (*http.Client, error) {
	if cfg.HTTPClient != nil {
		return withoutRedirects(cfg.HTTPClient), nil
	}
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
	return NewHTTPClient(transport), nil
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

// MaxConcurrency is the bound on requests in flight, which also bounds a
// read's fan-out of goroutines.
func (c *Transport) MaxConcurrency() int { return c.maxConcurrency }

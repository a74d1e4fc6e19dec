package provider

import (
	"crypto/tls"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timetypes/timetypes"
	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/clusterprotect/terraform-provider-clusterprotect/internal/hwcloud"
)

// Bounds of the tuning attributes.
const (
	maxRetriesLimit     = 10
	maxConcurrencyLimit = 32
)

// tuningSettings are how the client talks to the endpoints: TLS, retries,
// concurrency and timeouts.
func tuningSettings() []setting {
	concurrency := intSetting("max_concurrency", envMaxConcurrency, 1, maxConcurrencyLimit, hwcloud.DefaultMaxConcurrency,
		fmt.Sprintf("Most requests in flight at once across the provider, 1 to %d, default %d. "+
			"A read fetches the first page, then the others concurrently. On a 429 the provider learns the "+
			"tenant's rate and paces every request at it, raising it again slowly; 429s are waited out for as long "+
			"as the read's `timeouts.read` allows and do not count against `max_retries`. The default reads 10,000 events (50 pages) in 8 round trips "+
			"while never holding more than 8 requests against the tenant's rate limit. Environment: `%s`.", maxConcurrencyLimit, hwcloud.DefaultMaxConcurrency, envMaxConcurrency)+oursAlone,
		func(c *configured, n int) { c.concurrency, c.client.MaxConcurrency = n, n })
	concurrency.stop = true // the values above are needed to go on
	return []setting{
		{name: "insecure", env: envInsecure, schema: schema.BoolAttribute{
			Optional:            true,
			MarkdownDescription: "Skip TLS certificate verification. For testing only. Environment: " + envDoc(envInsecure) + ".",
		}, parse: readInsecure},
		intSetting("max_retries", envMaxRetries, 0, maxRetriesLimit, hwcloud.DefaultMaxRetries,
			fmt.Sprintf("How many times a request is retried after a 5xx answer, a network error or a body cut short, 0 to %d, default %d. A connection refused by an endpoint that has not answered once is not retried: the endpoint is unreachable. Answers of 429 are waited out apart from this count, within the read's `timeouts.read`. Environment: `%s`.", maxRetriesLimit, hwcloud.DefaultMaxRetries, envMaxRetries),
			func(c *configured, n int) {
				c.retries, c.client.MaxRetries = n, n
				if n == 0 {
					c.client.MaxRetries = -1 // hwcloud.Config: negative means no retries
				}
			}),
		concurrency,
		{name: "request_timeout", env: envRequestTimeout, schema: schema.StringAttribute{
			Optional:   true,
			CustomType: timetypes.GoDurationType{},
			MarkdownDescription: fmt.Sprintf("How long one HTTP request may take, as a Go duration such as `30s` or `1m`, default `%s`. "+
				"A request that times out is retried like a network error; the data source's `timeouts.read` bounds the whole read. Environment: `%s`.", hwcloud.DefaultRequestTimeout, envRequestTimeout) + oursAlone,
		}, parse: readRequestTimeout},
		{name: "cacert_file", env: envCACertFile, schema: schema.StringAttribute{
			Optional:            true,
			MarkdownDescription: "Path of a PEM file with CA certificates to trust besides the system's, for endpoints behind a private CA. Environment: `" + envCACertFile + "`.",
		}, parse: readCACertFile},
		stringSetting("cert", envClientCert, schema.StringAttribute{
			Optional:            true,
			MarkdownDescription: "Path of a PEM client certificate for gateways that require mutual TLS; goes with `key`. Environment: `" + envClientCert + "`.",
		}, func(c *configured) *string { return &c.clientCert }),
		{name: "key", env: envClientKey, schema: schema.StringAttribute{
			Optional:            true,
			MarkdownDescription: "Path of the PEM private key of `cert`. Environment: `" + envClientKey + "`.",
		}, parse: readClientKey},
	}
}

// intSetting is a whole-number setting from lo to hi, default def: the
// schema refuses another in configuration, envInt clamps one in the
// environment.
func intSetting(name, env string, lo, hi, def int, description string, set func(*configured, int)) setting {
	return setting{name: name, env: env,
		schema: schema.Int64Attribute{
			Optional:            true,
			Validators:          []validator.Int64{int64validator.Between(int64(lo), int64(hi))},
			MarkdownDescription: description,
		},
		parse: func(r *reading, s setting) {
			var v types.Int64
			r.get(s.name, &v)
			n, ok := int(v.ValueInt64()), true
			if v.IsNull() {
				n, ok = envInt(r.env, s.env, path.Root(s.name), s.name, lo, hi, def, r.diags)
			}
			r.failed = r.failed || !ok
			set(&r.out, n)
		},
	}
}

func readInsecure(r *reading, s setting) {
	var v types.Bool
	r.get(s.name, &v)
	insecure, ok := boolSetting(v, r.env, s.env, s.name, r.diags)
	r.failed = r.failed || !ok
	r.out.client.Insecure = insecure
}

func readRequestTimeout(r *reading, s setting) {
	var v timetypes.GoDuration
	r.get(s.name, &v)
	r.out.client.RequestTimeout = requestTimeout(v, r.env, r.diags)
	r.out.client.RequestTimeoutName = s.name // hwcloud names it in its no-answer error
}

func readCACertFile(r *reading, s setting) {
	file := r.str(s)
	r.out.caCertFile = file
	if file == "" {
		return
	}
	pem, err := os.ReadFile(file)
	if err != nil {
		r.diags.AddAttributeError(path.Root("cacert_file"), "Unreadable CA certificate file",
			fmt.Sprintf("cacert_file (or %s) %q cannot be read: %v.", envCACertFile, file, err))
	}
	r.out.client.CACertPEM = pem
}

// readClientKey reads key, after cert, and loads the pair.
func readClientKey(r *reading, s setting) {
	r.out.clientKey = r.str(s)
	if cert, ok := clientCertificate(r.out.clientCert, r.out.clientKey, r.diags); ok {
		r.out.client.ClientCertificates = []tls.Certificate{cert}
	}
}

// requestTimeout reads request_timeout, whose type already refused what is
// not a Go duration, or its environment variable.
func requestTimeout(v timetypes.GoDuration, env environment, diags *diag.Diagnostics) time.Duration {
	var (
		d   time.Duration
		raw string
	)
	if !v.IsNull() {
		raw = v.ValueString()
		var ds diag.Diagnostics
		d, ds = v.ValueGoDuration()
		diags.Append(ds...)
	} else if raw = strings.TrimSpace(env(envRequestTimeout)); raw != "" {
		var err error
		if d, err = time.ParseDuration(raw); err != nil {
			d = -1
		}
	}
	if raw != "" && d <= 0 {
		diags.AddAttributeError(path.Root("request_timeout"), "Invalid request timeout",
			fmt.Sprintf("request_timeout (or %s) is %q: use a positive Go duration such as 30s or 2m.", envRequestTimeout, raw))
		return 0
	}
	return d
}

// clientCertificate loads the client certificate for mutual TLS; ok is false
// when none is configured or it cannot be loaded.
func clientCertificate(certFile, keyFile string, diags *diag.Diagnostics) (tls.Certificate, bool) {
	switch {
	case certFile == "" && keyFile == "":
		return tls.Certificate{}, false
	case keyFile == "":
		diags.AddAttributeError(path.Root("key"), "Missing client key",
			"cert (or "+envClientCert+") is set but key (or "+envClientKey+") is not: set both to the paths of a PEM certificate and its private key, or neither.")
		return tls.Certificate{}, false
	case certFile == "":
		diags.AddAttributeError(path.Root("cert"), "Missing client certificate",
			"key (or "+envClientKey+") is set but cert (or "+envClientCert+") is not: set both to the paths of a PEM certificate and its private key, or neither.")
		return tls.Certificate{}, false
	}
	cert, err := tls.LoadX509KeyPair(certFile, keyFile)
	if err != nil {
		diags.AddAttributeError(path.Root("cert"), "Invalid client certificate",
			fmt.Sprintf("cert %q and key %q (or %s and %s) cannot be used for mutual TLS: %v. Both must be PEM files, the key the certificate's own.", certFile, keyFile, envClientCert, envClientKey, err))
		return tls.Certificate{}, false
	}
	return cert, true
}

type diagAdder interface {
	AddAttributeError(path.Path, string, string)
	AddAttributeWarning(path.Path, string, string)
}

func boolSetting(v types.Bool, env environment, variable, name string, diags diagAdder) (bool, bool) {
	if !v.IsNull() {
		return v.ValueBool(), true
	}
	raw, from := env.get(variable)
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return false, true
	}
	b, err := strconv.ParseBool(raw)
	if err != nil {
		diags.AddAttributeError(path.Root(name), "Invalid "+from, fmt.Sprintf("%s is %q: use true or false.", from, raw))
		return false, false
	}
	return b, true
}

// envInt reads a whole number from the variable for the setting at p. The
// Huawei Cloud provider may share the environment and allow other values,
// so one outside lo to hi is clamped with a warning, not refused; in the
// configuration the schema refuses it.
func envInt(env environment, variable string, p path.Path, name string, lo, hi, def int, diags diagAdder) (int, bool) {
	raw := strings.TrimSpace(env(variable))
	if raw == "" {
		return def, true
	}
	n, err := strconv.Atoi(raw)
	if err != nil {
		diags.AddAttributeError(p, "Invalid "+variable, fmt.Sprintf("%s is %q: %s must be a whole number from %d to %d.", variable, raw, name, lo, hi))
		return 0, false
	}
	if n < lo || n > hi {
		used := min(max(n, lo), hi)
		diags.AddAttributeWarning(p, variable+" out of range",
			fmt.Sprintf("%s is %q, outside %s range of %d to %d: using %d. Another provider reading %s may allow it; set %s in this provider's configuration to choose this provider's value.",
				variable, raw, possessive(name), lo, hi, used, variable, name))
		return used, true
	}
	return n, true
}

// possessive is "max_retries'" or "max_concurrency's".
func possessive(name string) string {
	if strings.HasSuffix(name, "s") {
		return name + "'"
	}
	return name + "'s"
}

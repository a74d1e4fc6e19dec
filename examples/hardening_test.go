package examples

import (
	"bufio"
	"encoding/pem"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/clusterprotect/terraform-provider-clusterprotect/internal/hssfake"
)

// TestSecrets_neverLeak runs the demo with TRACE logging and checks that no
// secret reaches the log, the output or the state, with token and AK/SK
// credentials, on success and on failure.
func TestSecrets_neverLeak(t *testing.T) {
	tf := tool(t, "TF_ACC_TERRAFORM_PATH", "terraform")
	const (
		ak     = "LEAKTESTAK"
		sk     = "leak-test-secret-key-7c1e9a"
		sts    = "leak-test-security-token-55d0"
		tok    = "leak-test-auth-token-0b3f"
		badTok = "leak-test-wrong-token-9e2a"
		badSK  = "leak-test-wrong-secret-3f8d"
		idTok  = "leak-test-oidc-id-token-41aa"
	)
	secrets := []string{sk, sts, tok, badTok, badSK, idTok}
	fake := hssfake.New(hssfake.Config{
		Keys:              map[string]hssfake.Credential{ak: {SecretKey: sk, SecurityToken: sts}},
		IdentityProviders: map[string][]string{"ci-idp": {idTok}},
		Agencies:          []hssfake.Agency{{Name: "reader", DomainID: "dom-1"}},
		Projects:          []hssfake.Project{{ID: project, Name: "ap-southeast-1", Enabled: true, Tokens: []string{tok}}},
	}, events())
	srv := httptest.NewServer(fake)
	defer srv.Close()

	for _, tc := range []struct {
		name   string
		env    []string
		wantOK bool
	}{
		{"token", []string{"HW_AUTH_TOKEN", tok}, true},
		{"aksk", []string{"HW_AUTH_TOKEN", "", "HW_ACCESS_KEY", ak, "HW_SECRET_KEY", sk, "HW_SECURITY_TOKEN", sts}, true},
		{"wrong token", []string{"HW_AUTH_TOKEN", badTok}, false},
		{"wrong secret key", []string{"HW_AUTH_TOKEN", "", "HW_ACCESS_KEY", ak, "HW_SECRET_KEY", badSK, "HW_SECURITY_TOKEN", sts}, false},
		// The id token, the subject token and every temporary key: OIDC,
		// then an agency assumed with the federated keys.
		{"oidc and an agency", []string{"HW_AUTH_TOKEN", "", "HW_REGION_NAME", "ap-southeast-1", "HW_IAM_ENDPOINT", srv.URL,
			"HW_ASSUME_ROLE_IDP_ID", "ci-idp", "HW_ASSUME_ROLE_ID_TOKEN", idTok, "HW_ASSUME_ROLE_AGENCY_NAME", "reader", "HW_ASSUME_ROLE_DOMAIN_ID", "dom-1"}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ex := newExampleFor(t, "demo", fake, srv.URL)
			logFile := filepath.Join(ex.dir, "terraform.log")
			ex.setEnv(append([]string{"TF_LOG", "TRACE", "TF_LOG_PROVIDER", "TRACE", "TF_LOG_PATH", logFile}, tc.env...)...)
			out, ok := ex.run(tf, "apply", "-input=false", "-auto-approve", "-no-color")
			if ok != tc.wantOK {
				t.Fatalf("apply ok=%v, want %v:\n%s", ok, tc.wantOK, out)
			}
			log, err := os.ReadFile(logFile)
			if err != nil || len(log) < 1000 {
				t.Fatalf("no TRACE log was written: %v", err)
			}
			state, _ := os.ReadFile(filepath.Join(ex.dir, "terraform.tfstate"))
			for _, s := range append(secrets, fake.IssuedSecrets()...) {
				for what, text := range map[string]string{"log": string(log), "output": out, "state": string(state)} {
					if strings.Contains(text, s) {
						t.Errorf("the %s holds the secret %q", what, s)
					}
				}
			}
			// The log answers "why was this slow": one line per request with
			// status, duration, attempt and request id.
			for _, field := range []string{"HSS request", "request_id=", "duration_ms=", "attempt=", "status="} {
				if !strings.Contains(string(log), field) {
					t.Errorf("the log lacks %q in its per-request lines", field)
				}
			}
		})
	}
}

// connectProxy is an HTTPS proxy that tunnels every CONNECT to target,
// whatever host was asked for.
func connectProxy(t *testing.T, target string) (*httptest.Server, *atomic.Int64) {
	var tunnels atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodConnect {
			http.Error(w, "CONNECT only", http.StatusMethodNotAllowed)
			return
		}
		upstream, err := (&net.Dialer{}).DialContext(r.Context(), "tcp", target)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		defer upstream.Close()
		conn, buf, err := w.(http.Hijacker).Hijack()
		if err != nil {
			return
		}
		defer conn.Close()
		tunnels.Add(1)
		_, _ = conn.Write([]byte("HTTP/1.1 200 Connection established\r\n\r\n"))
		done := make(chan struct{}, 2)
		go func() { _, _ = io.Copy(upstream, bufio.NewReader(buf)); done <- struct{}{} }()
		go func() { _, _ = io.Copy(conn, upstream); done <- struct{}{} }()
		<-done
	}))
	t.Cleanup(srv.Close)
	return srv, &tunnels
}

// TestProxy_httpsProxyHonoured reaches https://example.com (the name on the
// test server's certificate) only through the proxy: there is no other way
// out of this machine. NO_PROXY sends it direct, where it fails.
func TestProxy_httpsProxyHonoured(t *testing.T) {
	tf := tool(t, "TF_ACC_TERRAFORM_PATH", "terraform")
	fake := hssfake.New(tokenConfig(), events())
	tlsSrv := httptest.NewTLSServer(fake)
	defer tlsSrv.Close()
	proxy, tunnels := connectProxy(t, tlsSrv.Listener.Addr().String())
	caFile := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(caFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: tlsSrv.Certificate().Raw}), 0o600); err != nil {
		t.Fatal(err)
	}

	ex := newExampleFor(t, "demo", fake, "https://example.com")
	ex.setEnv("HTTPS_PROXY", proxy.URL, "OS_CACERT", caFile, "HW_MAX_RETRIES", "0")
	if out, ok := ex.run(tf, "plan", "-input=false", "-no-color"); !ok || tunnels.Load() == 0 {
		t.Fatalf("plan through the proxy: ok=%v tunnels=%d\n%s", ok, tunnels.Load(), out)
	}
	before := tunnels.Load()
	ex.setEnv("NO_PROXY", "example.com")
	if out, ok := ex.run(tf, "plan", "-input=false", "-no-color"); ok || tunnels.Load() != before {
		t.Fatalf("NO_PROXY was not honoured: ok=%v tunnels %d -> %d\n%s", ok, before, tunnels.Load(), out)
	}
}

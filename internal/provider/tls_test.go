package provider

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"math/big"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/clusterprotect/terraform-provider-clusterprotect/internal/hssfake"
)

func TestEventsDataSource_tls(t *testing.T) {
	t.Parallel()
	env := testEnv(t)
	fake := hssfake.New(tokenConfig(), generate(20))
	srv := httptest.NewTLSServer(fake) // a self-signed certificate
	defer srv.Close()
	caFile := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(caFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw}), 0o600); err != nil {
		t.Fatal(err)
	}
	garbage := filepath.Join(t.TempDir(), "garbage.pem")
	if err := os.WriteFile(garbage, []byte("not a certificate"), 0o600); err != nil {
		t.Fatal(err)
	}
	ok := []statecheck.StateCheck{expect(dataList(), knownvalue.ListSizeExact(20))}
	for _, tc := range []struct {
		name, extra string
		err         *regexp.Regexp
	}{
		{"refused without the CA", "", regexp.MustCompile(`(?s)certificate.*not trusted: for a private CA set\s+cacert_file`)},
		{"cacert_file", fmt.Sprintf("cacert_file = %q", caFile), nil},
		{"insecure", "insecure = true", nil},
		{"missing CA file", `cacert_file = "/nonexistent/ca.pem"`, regexp.MustCompile(`(?s)Unreadable CA certificate file`)},
		{"CA file without PEM", fmt.Sprintf("cacert_file = %q", garbage), regexp.MustCompile(`(?s)Invalid CA certificate file.*holds no PEM\s+certificate`)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			step := resource.TestStep{
				Config:            providerBlock(srv.URL, tokenAuth(), tc.extra) + `data "clusterprotect_events" "test" {}`,
				ConfigStateChecks: ok,
				ExpectError:       tc.err,
			}
			if tc.err != nil {
				step.ConfigStateChecks = nil
			}
			resource.UnitTest(t, resource.TestCase{ProtoV6ProviderFactories: factories(env), Steps: []resource.TestStep{step}})
		})
	}
}

// writeClientCertificate writes a self-signed client certificate and its key
// as PEM files and returns their paths and the certificate.
func writeClientCertificate(t *testing.T) (certFile, keyFile string, cert *x509.Certificate) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(7), Subject: pkix.Name{CommonName: "clusterprotect-test-client"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth},
		BasicConstraintsValid: true, IsCA: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	if cert, err = x509.ParseCertificate(der); err != nil {
		t.Fatal(err)
	}
	keyDER, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	certFile, keyFile = filepath.Join(dir, "client.pem"), filepath.Join(dir, "client-key.pem")
	if err := os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER}), 0o600); err != nil {
		t.Fatal(err)
	}
	return certFile, keyFile, cert
}

// A gateway that requires mutual TLS gets the client certificate of cert and
// key, named as the Huawei Cloud provider names them.
func TestDataSource_mutualTLS(t *testing.T) {
	t.Parallel()
	env := testEnv(t)
	certFile, keyFile, cert := writeClientCertificate(t)
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	srv := httptest.NewUnstartedServer(hssfake.New(tokenConfig(), generate(20)))
	srv.TLS = &tls.Config{ClientAuth: tls.RequireAndVerifyClientCert, ClientCAs: pool, MinVersion: tls.VersionTLS12}
	srv.StartTLS()
	defer srv.Close()
	trust := "insecure = true"
	for _, tc := range []struct {
		name, extra string
		env         []string
		err         *regexp.Regexp
	}{
		{"with cert and key", fmt.Sprintf("cert = %q\n  key = %q", certFile, keyFile), nil, nil},
		{"from OS_CERT and OS_KEY", "", []string{envClientCert, certFile, envClientKey, keyFile}, nil},
		{"without a client certificate", "", nil, regexp.MustCompile(`(?s)Unable to read cluster protection events.*certificate`)},
		{"cert without key", fmt.Sprintf("cert = %q", certFile), nil, regexp.MustCompile(`(?s)Missing client key.*set both`)},
		{"key that is not a key", fmt.Sprintf("cert = %q\n  key = %q", certFile, certFile), nil, regexp.MustCompile(`(?s)Invalid client certificate.*must be PEM files`)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			env := withEnv(env, tc.env...)
			step := resource.TestStep{
				Config:            providerBlock(srv.URL, tokenAuth(), trust, "max_retries = 0", tc.extra) + `data "clusterprotect_events" "test" {}`,
				ConfigStateChecks: []statecheck.StateCheck{expect(dataList(), knownvalue.ListSizeExact(20))},
				ExpectError:       tc.err,
			}
			if tc.err != nil {
				step.ConfigStateChecks = nil
			}
			resource.UnitTest(t, resource.TestCase{ProtoV6ProviderFactories: factories(env), Steps: []resource.TestStep{step}})
		})
	}
}

func TestEventsDataSource_timeouts(t *testing.T) {
	t.Parallel()
	env := testEnv(t)
	fake, url := startFake(t, generate(600))
	fake.SetFaults(hssfake.Faults{Latency: 3 * time.Second})
	for _, tc := range []struct {
		name, provider, args string
		err                  *regexp.Regexp
	}{
		{"request_timeout", `request_timeout = "300ms"`, "", regexp.MustCompile(`(?s)after\s+2\s+attempt.*did\s+not\s+answer\s+within\s+the\s+request\s+timeout\s+of\s+300ms\s+\(request_timeout\).*slow\s+or\s+stuck`)},
		{"timeouts.read", "", `timeouts {
    read = "1s"
  }`, regexp.MustCompile(`(?s)Timed out reading cluster protection events.*within 1s\s+\(timeouts.read`)},
		{"bad request_timeout", `request_timeout = "soon"`, "", regexp.MustCompile(`(?s)Invalid Time Duration String Value.*request_timeout = "soon"`)},
		{"negative request_timeout", `request_timeout = "-1s"`, "", regexp.MustCompile(`(?s)Invalid request timeout.*"-1s".*positive`)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			start := time.Now()
			resource.UnitTest(t, resource.TestCase{
				ProtoV6ProviderFactories: factories(env),
				Steps: []resource.TestStep{{
					Config:      providerBlock(url, tokenAuth(), tc.provider) + fmt.Sprintf("data \"clusterprotect_events\" \"test\" {\n  %s\n}\n", tc.args),
					ExpectError: tc.err,
				}},
			})
			if d := time.Since(start); d > 20*time.Second {
				t.Errorf("took %s", d)
			}
		})
	}
}

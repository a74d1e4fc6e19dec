package provider

import (
	"encoding/pem"
	"fmt"
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

func TestAccEvents_tls(t *testing.T) {
	clearEnv(t)
	fake := hssfake.New(hssfake.Config{Tokens: []string{testToken}}, generate(20))
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
		{"refused without the CA", "", regexp.MustCompile(`(?s)certificate.*not trusted: for a private CA set\s+ca_cert_file`)},
		{"ca_cert_file", fmt.Sprintf("ca_cert_file = %q", caFile), nil},
		{"insecure", "insecure = true", nil},
		{"missing CA file", `ca_cert_file = "/nonexistent/ca.pem"`, regexp.MustCompile(`(?s)Unreadable CA certificate file`)},
		{"CA file without PEM", fmt.Sprintf("ca_cert_file = %q", garbage), regexp.MustCompile(`(?s)Invalid CA certificate file.*holds no PEM\s+certificate`)},
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
			resource.UnitTest(t, resource.TestCase{ProtoV6ProviderFactories: protoV6ProviderFactories, Steps: []resource.TestStep{step}})
		})
	}
}

func TestAccEvents_timeouts(t *testing.T) {
	fake, url := startFake(t, generate(600))
	fake.SetFaults(hssfake.Faults{Latency: 3 * time.Second, MalformedAtOffset: -1})
	for _, tc := range []struct {
		name, provider, args string
		err                  *regexp.Regexp
	}{
		{"request_timeout", `request_timeout = "300ms"
  max_retries = 1`, "", regexp.MustCompile(`(?s)after\s+2\s+attempt.*no answer within the request timeout of\s+300ms\s+\(request_timeout\).*raise\s+request_timeout`)},
		{"timeouts.read", "", `timeouts {
    read = "1s"
  }`, regexp.MustCompile(`(?s)Timed out reading cluster protection events.*within 1s\s+\(timeouts.read`)},
		{"bad request_timeout", `request_timeout = "soon"`, "", regexp.MustCompile(`(?s)Invalid request timeout.*"soon"`)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			start := time.Now()
			resource.UnitTest(t, resource.TestCase{
				ProtoV6ProviderFactories: protoV6ProviderFactories,
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

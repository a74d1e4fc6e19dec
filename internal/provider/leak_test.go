package provider

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/clusterprotect/terraform-provider-clusterprotect/internal/hssfake"
)

// An agency's keys in an answer of the wrong Content-Type stop the read
// with the step, status and request ID, and the diagnostics Terraform
// prints hold neither the secret key nor the security token.
func TestCredentialChain_secretsNeverInDiagnostics(t *testing.T) {
	t.Parallel()
	env := testEnv(t)
	fake, url := chainFake(t, false, 0)
	var issued []string
	fake.SetFaults(hssfake.Faults{CredentialAnswer: func(_ string, secrets []string, body []byte) (string, []byte) {
		issued = append(issued, secrets...)
		return "text/plain", body
	}})
	failed := false
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(env),
		ErrorCheck: func(err error) error {
			failed = true
			msg := err.Error()
			want := regexp.MustCompile(`(?s)Unable to get credentials.*assuming\s+agency\s+"hss-reader".*POST\s+/v3.0/OS-CREDENTIAL/securitytokens:\s+status\s+201,\s+X-Request-Id\s+"[0-9a-f]{32}".*Content-Type\s+"text/plain",\s+not\s+quoted`)
			if !want.MatchString(msg) {
				return fmt.Errorf("unexpected error: %w", err)
			}
			for _, s := range append(fake.IssuedSecrets(), issued...) {
				if strings.Contains(msg, s) {
					return fmt.Errorf("the diagnostics quote the secret %q: %w", s, err)
				}
			}
			return nil
		},
		Steps: []resource.TestStep{{
			Config: chainProvider(url, fmt.Sprintf("access_key = %q\n  secret_key = %q", testAK, testSK),
				fmt.Sprintf("assume_role {\n    agency_name = %q\n    domain_name = %q\n  }", testAgency, testAgencyDom)) + readAll,
		}},
	})
	if !failed || len(issued) == 0 {
		t.Fatalf("the read did not fail on the answer (failed %v, %d secrets issued)", failed, len(issued))
	}
}

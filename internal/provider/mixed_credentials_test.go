package provider

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
)

// configureWarnings records the warnings of every ConfigureProvider the
// Terraform CLI sends to the providers it serves.
type configureWarnings struct {
	mu  sync.Mutex
	got [][]string // per Configure, each warning as "summary: detail"
}

func (c *configureWarnings) factories(env map[string]string) map[string]func() (tfprotov6.ProviderServer, error) {
	return map[string]func() (tfprotov6.ProviderServer, error){"clusterprotect": func() (tfprotov6.ProviderServer, error) {
		server, err := factories(env)["clusterprotect"]()
		return recordingServer{ProviderServer: server, to: c}, err
	}}
}

type recordingServer struct {
	tfprotov6.ProviderServer
	to *configureWarnings
}

func (s recordingServer) ConfigureProvider(ctx context.Context, req *tfprotov6.ConfigureProviderRequest) (*tfprotov6.ConfigureProviderResponse, error) {
	resp, err := s.ProviderServer.ConfigureProvider(ctx, req)
	if resp != nil {
		var warnings []string
		for _, d := range resp.Diagnostics {
			if d.Severity == tfprotov6.DiagnosticSeverityWarning {
				warnings = append(warnings, d.Summary+": "+d.Detail)
			}
		}
		s.to.mu.Lock()
		s.to.got = append(s.to.got, warnings)
		s.to.mu.Unlock()
	}
	return resp, err
}

// Credential parts from the configuration and the environment that
// together change whose account is read (an agency from the environment on
// keys from the configuration, as the Huawei Cloud provider also reads
// them) are used, and said once, naming each part and where it came from.
// An agency in the configuration on keys from the environment is what the
// configuration says: no warning.
func TestCredentialChain_mixedOriginsWarnOnce(t *testing.T) {
	t.Parallel()
	keys := fmt.Sprintf("access_key = %q\n  secret_key = %q", testAK, testSK)
	for _, tc := range []struct {
		name, cfg string
		env       []string
		want      []string // the parts the warning names; none: no warning
	}{
		{"keys in the configuration, the agency from the environment", keys,
			[]string{envAssumeAgencyName, testAgency, envAssumeDomainID, testAgencyID},
			[]string{"access_key (in the configuration)", "assume_role.agency_name (from HW_ASSUME_ROLE_AGENCY_NAME)", "assume_role.domain_id (from HW_ASSUME_ROLE_DOMAIN_ID)"}},
		{"the agency's account in the configuration, its name from the environment", keys + fmt.Sprintf("\n  assume_role {\n    domain_id = %q\n  }", testAgencyID),
			[]string{envAssumeAgencyName, testAgency},
			[]string{"access_key (in the configuration)", "assume_role.agency_name (from HW_ASSUME_ROLE_AGENCY_NAME)", "assume_role.domain_id (in the configuration)"}},
		{"an identity provider in the configuration, the agency from the environment", fmt.Sprintf("assume_role_with_oidc {\n    idp_id = %q\n    id_token = %q\n  }", testIdp, testIDToken),
			[]string{envAssumeAgencyName, testAgency, envAssumeDomainID, testAgencyID},
			[]string{"assume_role_with_oidc.idp_id (in the configuration)", "assume_role_with_oidc.agency_name (from HW_ASSUME_ROLE_AGENCY_NAME)"}},
		{"a profile in the configuration, its file from the environment", `profile = "ci"`,
			[]string{envSharedConfigFile, sharedConfig(t, "other", akskProfile("ci", ""), `{"name": "other", "mode": "AKSK", "accessKeyId": "NOPE", "secretAccessKey": "nope"}`)},
			[]string{"shared_config_file (from HW_SHARED_CONFIG_FILE)", "profile (in the configuration)"}},
		{"keys from the environment, the agency in the configuration", fmt.Sprintf("assume_role {\n    agency_name = %q\n    domain_id = %q\n  }", testAgency, testAgencyID),
			[]string{envAccessKey, testAK, envSecretKey, testSK}, nil},
		{"keys and agency in the configuration, the duration from the environment", keys + fmt.Sprintf("\n  assume_role {\n    agency_name = %q\n    domain_id = %q\n  }", testAgency, testAgencyID),
			[]string{envAssumeDuration, "1800"}, nil},
		{"the secret key from the environment", fmt.Sprintf("access_key = %q", testAK), []string{envSecretKey, testSK}, nil},
		{"an identity provider in the configuration, the id token from the environment", fmt.Sprintf("assume_role_with_oidc {\n    idp_id = %q\n  }", testIdp),
			[]string{envAssumeIDToken, testIDToken}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, url := chainFake(t, false, 0)
			var rec configureWarnings
			resource.UnitTest(t, resource.TestCase{
				ProtoV6ProviderFactories: rec.factories(testEnv(t, tc.env...)),
				Steps: []resource.TestStep{{
					Config:            chainProvider(url, tc.cfg) + readAll,
					ConfigStateChecks: []statecheck.StateCheck{expect(dataList(), knownvalue.ListSizeExact(40))},
				}},
			})
			if len(rec.got) == 0 {
				t.Fatal("the provider was never configured")
			}
			for i, warnings := range rec.got {
				var mixed []string
				for _, w := range warnings {
					if strings.HasPrefix(w, "Credentials from two places:") {
						mixed = append(mixed, w)
					}
				}
				switch {
				case tc.want == nil && len(mixed) != 0:
					t.Errorf("configure %d: want no warning, got %q", i, mixed)
				case tc.want != nil && len(mixed) != 1:
					t.Errorf("configure %d: want one warning, got %q (all warnings %q)", i, mixed, warnings)
				case tc.want != nil:
					for _, part := range tc.want {
						if !strings.Contains(mixed[0], part) {
							t.Errorf("configure %d: the warning does not name %q: %s", i, part, mixed[0])
						}
					}
				}
			}
		})
	}
}

package provider

import (
	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/clusterprotect/terraform-provider-clusterprotect/internal/hssfake"
)

const (
	testIdp       = "github-actions"
	testIDToken   = "eyJ.test-id-token.sig"
	otherIDToken  = "eyJ.rotated-id-token.sig"
	testAgency    = "hss-reader"
	testAgencyDom = "security-account"
	testAgencyID  = "dom00000000000000000000000000009"
)

// chainFake serves 40 events and every credential route: an identity
// provider, an agency of another account, and ECS metadata when ecs.
func chainFake(t *testing.T, ecs bool, lifetime time.Duration) (*hssfake.Server, string) {
	t.Helper()
	fake := hssfake.New(hssfake.Config{
		Keys:                 map[string]hssfake.Credential{testAK: {SecretKey: testSK}, testTmpAK: {SecretKey: testTmpSK, SecurityToken: testSTS}},
		Projects:             []hssfake.Project{{ID: testProject, Name: testRegion, Enabled: true, Tokens: []string{testToken}}},
		IdentityProviders:    map[string][]string{testIdp: {testIDToken}},
		Agencies:             []hssfake.Agency{{Name: testAgency, DomainName: testAgencyDom, DomainID: testAgencyID}},
		ECSAgency:            ecs,
		TemporaryKeyLifetime: lifetime,
	}, generate(40))
	return serve(t, fake)
}

// chainProvider points both APIs at the fake, with no credentials but the
// lines given.
func chainProvider(url string, lines ...string) string {
	return fmt.Sprintf("provider \"clusterprotect\" {\n  region = %q\n  endpoints = { hss = %q, iam = %q }\n  %s\n}\n", testRegion, url, url, strings.Join(lines, "\n  "))
}

const readAll = `data "clusterprotect_events" "test" {}`

// readsAll reads every event with cfg, in an environment of the test's
// own with kv set, a variable's name then its value.
func readsAll(t *testing.T, cfg string, kv ...string) {
	t.Helper()
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(testEnv(t, kv...)),
		Steps: []resource.TestStep{{
			Config: cfg + readAll,
			ConfigStateChecks: []statecheck.StateCheck{
				expect(dataList(), knownvalue.ListSizeExact(40)),
				expect(tfjsonpath.New("project_id"), knownvalue.StringExact(testProject)),
			},
		}},
	})
}

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// sharedConfig is a Huawei Cloud CLI config file with profiles.
func sharedConfig(t *testing.T, current string, profiles ...string) string {
	t.Helper()
	return writeFile(t, "config.json", fmt.Sprintf(`{"current": %q, "profiles": [%s]}`, current, strings.Join(profiles, ",")))
}

func akskProfile(name string, extra string) string {
	return fmt.Sprintf(`{"name": %q, "mode": "AKSK", "accessKeyId": %q, "secretAccessKey": %q%s}`, name, testAK, testSK, extra)
}

// Every source of the chain on its own.
func TestCredentialChain_eachSource(t *testing.T) {
	t.Parallel()
	t.Run("OIDC id token in configuration", func(t *testing.T) {
		fake, url := chainFake(t, false, 0)
		readsAll(t, chainProvider(url, fmt.Sprintf("assume_role_with_oidc {\n    idp_id = %q\n    id_token = %q\n  }", testIdp, testIDToken)))
		st := fake.Stats()
		if st.IAMByRoute["/v3.0/OS-AUTH/id-token/tokens"] == 0 || st.IAMByRoute["/v3.0/OS-CREDENTIAL/securitytokens"] == 0 {
			t.Errorf("IAM routes %v", st.IAMByRoute)
		}
	})
	t.Run("OIDC from the environment", func(t *testing.T) {
		_, url := chainFake(t, false, 0)
		readsAll(t, chainProvider(url), envAssumeIdpID, testIdp, envAssumeIDTokenFile, writeFile(t, "token", testIDToken+"\n"))
	})
	t.Run("shared config profile", func(t *testing.T) {
		_, url := chainFake(t, false, 0)
		file := sharedConfig(t, "other", akskProfile("ci", ""), `{"name": "other", "mode": "AKSK", "accessKeyId": "NOPE", "secretAccessKey": "nope"}`)
		readsAll(t, chainProvider(url, fmt.Sprintf("shared_config_file = %q\n  profile = \"ci\"", file)))
	})
	t.Run("shared config profile from the environment, its project filling in", func(t *testing.T) {
		fake, url := chainFake(t, false, 0)
		file := sharedConfig(t, "ci", akskProfile("ci", fmt.Sprintf(`, "projectId": %q`, testProject)))
		readsAll(t, chainProvider(url), envSharedConfigFile, file)
		if st := fake.Stats(); st.IAMRequests != 0 {
			t.Errorf("%d IAM requests: the profile's projectId should be used", st.IAMRequests)
		}
	})
	t.Run("default shared config file", func(t *testing.T) {
		_, url := chainFake(t, false, 0)
		home := t.TempDir()
		if err := os.MkdirAll(filepath.Join(home, ".hcloud"), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(home, ".hcloud", "config.json"), []byte(`{"current": "default", "profiles": [`+akskProfile("default", "")+`]}`), 0o600); err != nil {
			t.Fatal(err)
		}
		readsAll(t, chainProvider(url), "HOME", home)
	})
	t.Run("ECS metadata", func(t *testing.T) {
		fake, url := chainFake(t, true, 0)
		readsAll(t, chainProvider(url), envMetadataEndpoint, url)
		if st := fake.Stats(); st.MetadataRequests == 0 {
			t.Error("the metadata service was not asked")
		}
	})
	t.Run("ecsAgency profile", func(t *testing.T) {
		_, url := chainFake(t, true, 0)
		file := sharedConfig(t, "ecs", `{"name": "ecs", "mode": "ecsAgency"}`)
		readsAll(t, chainProvider(url, fmt.Sprintf("shared_config_file = %q", file)), envMetadataEndpoint, url)
	})
}

// Configuration wins as a group; then the steps in order.
func TestCredentialChain_precedence(t *testing.T) {
	t.Parallel()
	t.Run("keys in configuration beat OIDC and a profile in the environment", func(t *testing.T) {
		fake, url := chainFake(t, false, 0)
		readsAll(t, chainProvider(url, fmt.Sprintf("access_key = %q\n  secret_key = %q", testAK, testSK)),
			envAssumeIdpID, testIdp, envAssumeIDToken, "not-a-valid-token", envSharedConfigFile, "/nonexistent/config.json")
		if st := fake.Stats(); st.IAMByRoute["/v3.0/OS-AUTH/id-token/tokens"] != 0 {
			t.Errorf("OIDC was tried: %v", st.IAMByRoute)
		}
	})
	t.Run("a profile in configuration beats keys in the environment", func(t *testing.T) {
		_, url := chainFake(t, false, 0)
		file := sharedConfig(t, "ci", akskProfile("ci", ""))
		readsAll(t, chainProvider(url, fmt.Sprintf("shared_config_file = %q", file)), envAccessKey, "WRONGAK", envSecretKey, "wrong")
	})
	t.Run("OIDC before a profile", func(t *testing.T) {
		fake, url := chainFake(t, false, 0)
		readsAll(t, chainProvider(url), envAssumeIdpID, testIdp, envAssumeIDToken, testIDToken, envSharedConfigFile, "/nonexistent/config.json")
		if st := fake.Stats(); st.IAMByRoute["/v3.0/OS-AUTH/id-token/tokens"] == 0 {
			t.Errorf("OIDC was not used: %v", st.IAMByRoute)
		}
	})
	t.Run("keys in the environment before ECS metadata", func(t *testing.T) {
		fake, url := chainFake(t, true, 0)
		readsAll(t, chainProvider(url), envAccessKey, testAK, envSecretKey, testSK, envMetadataEndpoint, url)
		if st := fake.Stats(); st.MetadataRequests != 0 {
			t.Errorf("%d metadata requests", st.MetadataRequests)
		}
	})
}

// Each setting is its configuration's value, else its environment
// variable's: the configuration names the source, the environment fills in
// what it leaves out, but never a value that conflicts with one it sets.
func TestCredentialChain_mixed(t *testing.T) {
	t.Parallel()
	keys := fmt.Sprintf("access_key = %q\n  secret_key = %q", testAK, testSK)
	t.Run("access_key from a variable, secret_key from HW_SECRET_KEY", func(t *testing.T) {
		_, url := chainFake(t, false, 0)
		readsAll(t, fmt.Sprintf("variable \"ak\" {\n  default = %q\n}\n", testAK)+chainProvider(url, "access_key = var.ak"), envSecretKey, testSK)
	})
	t.Run("temporary keys in configuration, security token from HW_SECURITY_TOKEN", func(t *testing.T) {
		fake, url := chainFake(t, false, 0)
		readsAll(t, chainProvider(url, fmt.Sprintf("access_key = %q\n  secret_key = %q", testTmpAK, testTmpSK)), envSecurityToken, testSTS)
		if st := fake.Stats(); st.ByStatus[401] != 0 {
			t.Errorf("statuses %v: the security token was not sent", st.ByStatus)
		}
	})
	t.Run("keys in configuration beat another pair in the environment", func(t *testing.T) {
		_, url := chainFake(t, false, 0)
		readsAll(t, chainProvider(url, keys), envAccessKey, "OTHERAK", envSecretKey, "other-secret")
	})
	t.Run("a token in configuration takes no keys nor security token from the environment", func(t *testing.T) {
		_, url := chainFake(t, false, 0)
		readsAll(t, chainProvider(url, tokenAuth()), envAccessKey, "OTHERAK", envSecurityToken, "stale-security-token")
	})
	t.Run("profile in configuration, file from HW_SHARED_CONFIG_FILE", func(t *testing.T) {
		_, url := chainFake(t, false, 0)
		file := sharedConfig(t, "other", akskProfile("ci", ""), `{"name": "other", "mode": "AKSK", "accessKeyId": "NOPE", "secretAccessKey": "nope"}`)
		readsAll(t, chainProvider(url, `profile = "ci"`), envSharedConfigFile, file)
	})
	t.Run("assume_role names domain_name: a leftover HW_ASSUME_ROLE_DOMAIN_ID is not taken, the duration is", func(t *testing.T) {
		fake, url := chainFake(t, false, 0)
		readsAll(t, chainProvider(url, keys, fmt.Sprintf("assume_role {\n    agency_name = %q\n    domain_name = %q\n  }", testAgency, testAgencyDom)),
			envAssumeDomainID, "leftover-domain-id", envAssumeDuration, "1800")
		if st := fake.Stats(); st.IAMByRoute["/v3.0/OS-CREDENTIAL/securitytokens"] == 0 {
			t.Errorf("no agency was assumed: %v", st.IAMByRoute)
		}
	})
	t.Run("assume_role takes its agency from HW_ASSUME_ROLE_AGENCY_NAME", func(t *testing.T) {
		_, url := chainFake(t, false, 0)
		readsAll(t, chainProvider(url, keys, fmt.Sprintf("assume_role {\n    domain_id = %q\n  }", testAgencyID)),
			envAssumeAgencyName, testAgency, envAssumeDomainName, "leftover-domain-name")
	})
	t.Run("assume_role_with_oidc names id_token: a leftover HW_ASSUME_ROLE_ID_TOKEN_FILE is not taken", func(t *testing.T) {
		_, url := chainFake(t, false, 0)
		readsAll(t, chainProvider(url, fmt.Sprintf("assume_role_with_oidc {\n    idp_id = %q\n    id_token = %q\n  }", testIdp, testIDToken)),
			envAssumeIDTokenFile, "/nonexistent/id-token")
	})
	t.Run("assume_role_with_oidc takes its id token file from HW_ASSUME_ROLE_ID_TOKEN_FILE", func(t *testing.T) {
		_, url := chainFake(t, false, 0)
		readsAll(t, chainProvider(url, fmt.Sprintf("assume_role_with_oidc {\n    idp_id = %q\n  }", testIdp)),
			envAssumeIDTokenFile, writeFile(t, "token", testIDToken))
	})
}

// Errors about mixed settings say where each value came from.
func TestCredentialChain_mixedErrors(t *testing.T) {
	t.Parallel()
	env := testEnv(t)
	fake, url := chainFake(t, false, 0)
	for _, tc := range []struct {
		name, cfg string
		env       []string
		err       *regexp.Regexp
	}{
		{"secret key from the environment alone", "", []string{envSecretKey, testSK},
			regexp.MustCompile(`(?s)Missing access key.*secret_key\s+\(from\s+HW_SECRET_KEY\)\s+is\s+set\s+but\s+access_key\s+is\s+not`)},
		{"access key in configuration alone", `access_key = "AK"`, nil,
			regexp.MustCompile(`(?s)Missing secret key.*access_key\s+\(in\s+the\s+configuration\)\s+is\s+set\s+but\s+secret_key\s+is\s+not`)},
		{"token and keys in the environment", "", []string{envAuthToken, testToken, envAccessKey, testAK, envSecretKey, testSK},
			regexp.MustCompile(`(?s)Conflicting credentials.*auth_token\s+\(from\s+HW_AUTH_TOKEN\);\s+access_key\s+\(from\s+HW_ACCESS_KEY\)`)},
		{"both domains from the environment", fmt.Sprintf("access_key = %q\n  secret_key = %q\n  assume_role {\n    agency_name = %q\n  }", testAK, testSK, testAgency),
			[]string{envAssumeDomainID, "a", envAssumeDomainName, "b"},
			regexp.MustCompile(`(?s)Set one of domain_name and domain_id.*domain_name\s+\(from\s+HW_ASSUME_ROLE_DOMAIN_NAME\).*domain_id\s+\(from\s+HW_ASSUME_ROLE_DOMAIN_ID\)`)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			env := withEnv(env, tc.env...)
			resource.UnitTest(t, resource.TestCase{
				ProtoV6ProviderFactories: factories(env),
				Steps:                    []resource.TestStep{{Config: chainProvider(url, tc.cfg) + readAll, ExpectError: tc.err}},
			})
		})
	}
	if st := fake.Stats(); st.Requests+st.IAMRequests != 0 {
		t.Errorf("%d HSS and %d IAM requests for bad input", st.Requests, st.IAMRequests)
	}
}

// assume_role turns the keys the chain found into the agency's; the
// project is found with the agency's keys.
func TestCredentialChain_assumeRole(t *testing.T) {
	t.Parallel()
	env := testEnv(t)
	block := fmt.Sprintf("assume_role {\n    agency_name = %q\n    domain_name = %q\n    duration = 900\n  }", testAgency, testAgencyDom)
	t.Run("on static keys", func(t *testing.T) {
		fake, url := chainFake(t, false, 0)
		readsAll(t, chainProvider(url, fmt.Sprintf("access_key = %q\n  secret_key = %q", testAK, testSK), block))
		if st := fake.Stats(); st.IAMByRoute["/v3.0/OS-CREDENTIAL/securitytokens"] == 0 {
			t.Errorf("no agency was assumed: %v", st.IAMByRoute)
		}
	})
	t.Run("on a profile's agency", func(t *testing.T) {
		_, url := chainFake(t, false, 0)
		file := sharedConfig(t, "x", akskProfile("x", fmt.Sprintf(`, "agencyName": %q, "agencyDomainId": %q`, testAgency, testAgencyID)))
		readsAll(t, chainProvider(url, fmt.Sprintf("shared_config_file = %q", file)))
	})
	t.Run("on ECS metadata, from the environment", func(t *testing.T) {
		fake, url := chainFake(t, true, 0)
		readsAll(t, chainProvider(url), envMetadataEndpoint, url, envAssumeAgencyName, testAgency, envAssumeDomainID, testAgencyID)
		if st := fake.Stats(); st.MetadataRequests == 0 || st.IAMByRoute["/v3.0/OS-CREDENTIAL/securitytokens"] == 0 {
			t.Errorf("metadata %d, IAM %v", st.MetadataRequests, st.IAMByRoute)
		}
	})
	t.Run("an agency that does not trust the keys", func(t *testing.T) {
		_, url := chainFake(t, false, 0)
		resource.UnitTest(t, resource.TestCase{
			ProtoV6ProviderFactories: factories(env),
			Steps: []resource.TestStep{{
				Config: chainProvider(url, fmt.Sprintf("access_key = %q\n  secret_key = %q", testAK, testSK),
					"assume_role {\n    agency_name = \"nobody\"\n    domain_id = \"d\"\n  }") + readAll,
				ExpectError: regexp.MustCompile(`(?s)Unable to get credentials.*assuming\s+agency\s+"nobody".*IAM\s+API\s+answered\s+403\s+Forbidden.*IAM.0003.*the\s+agency\s+exists\s+and\s+trusts`),
			}},
		})
	})
}

// An id token the identity provider refuses stops the read with the step
// that failed.
func TestCredentialChain_oidcRefused(t *testing.T) {
	t.Parallel()
	env := testEnv(t)
	fake, url := chainFake(t, false, 0)
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(env),
		Steps: []resource.TestStep{{
			Config:      chainProvider(url, "max_retries = 0", fmt.Sprintf("assume_role_with_oidc {\n    idp_id = %q\n    id_token = \"eyJ.stale.sig\"\n  }", testIdp)) + readAll,
			ExpectError: regexp.MustCompile(`(?s)Unable to get credentials.*exchanging\s+the\s+OIDC\s+id\s+token\s+with\s+identity\s+provider\s+"github-actions".*401\s+Unauthorized.*IAM.0002`),
		}},
	})
	if st := fake.Stats(); st.Requests != 0 {
		t.Errorf("%d HSS requests without credentials", st.Requests)
	}
}

// The id token file is read again at every exchange: a token rotated
// between two reads is used, and the old one would be refused.
func TestCredentialChain_oidcTokenFileRotates(t *testing.T) {
	t.Parallel()
	env := testEnv(t)
	fake, url := chainFake(t, false, 0)
	file := writeFile(t, "token", testIDToken)
	cfg := chainProvider(url, fmt.Sprintf("assume_role_with_oidc {\n    idp_id = %q\n    id_token_file = %q\n  }", testIdp, file)) + readAll
	check := []statecheck.StateCheck{expect(dataList(), knownvalue.ListSizeExact(40))}
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(env),
		Steps: []resource.TestStep{
			{Config: cfg, ConfigStateChecks: check},
			{
				PreConfig: func() {
					fake.SetIdentityProvider(testIdp, otherIDToken)
					if err := os.WriteFile(file, []byte(otherIDToken), 0o600); err != nil {
						t.Fatal(err)
					}
				},
				Config: cfg, ConfigStateChecks: check,
			},
		},
	})
}

// Keys that expire during a long read are renewed before they do: no
// request fails for it.
func TestCredentialChain_refreshDuringALongRead(t *testing.T) {
	t.Parallel()
	fake, url := chainFake(t, false, 2*time.Second)
	fake.AddEvents(generate(1960, func(o *hssfake.GenerateOptions) { o.Seed = 99 })...) // 2,000 events: 10 pages
	fake.SetFaults(hssfake.Faults{Latency: 400 * time.Millisecond})
	client := newChainClient(t, url, envAssumeIdpID, testIdp, envAssumeIDToken, testIDToken, envMaxConcurrency, "1")
	resp := client.read(context.Background(), t)
	if len(resp.Diagnostics) > 0 {
		t.Fatal(diagnosticsString(resp.Diagnostics))
	}
	st := fake.Stats()
	if st.ByStatus[401] != 0 || st.IAMByRoute["/v3.0/OS-CREDENTIAL/securitytokens"] < 2 {
		t.Fatalf("statuses %v, IAM %v: want renewals and no 401", st.ByStatus, st.IAMByRoute)
	}
}

// Keys the API refuses as expired are renewed once and the request sent
// again; a second refusal is an answer, not a loop.
func TestCredentialChain_expiredKeysRefreshedOnce(t *testing.T) {
	t.Parallel()
	fake, url := chainFake(t, false, 0)
	client := newChainClient(t, url, envAccessKey, testAK, envSecretKey, testSK, envAssumeAgencyName, testAgency, envAssumeDomainID, testAgencyID)
	if resp := client.read(context.Background(), t); len(resp.Diagnostics) > 0 {
		t.Fatal(diagnosticsString(resp.Diagnostics))
	}
	fake.ExpireIssuedKeys()
	fake.ResetStats()
	if resp := client.read(context.Background(), t); len(resp.Diagnostics) > 0 {
		t.Fatal(diagnosticsString(resp.Diagnostics))
	}
	if st := fake.Stats(); st.ByStatus[401] != 1 || st.IAMByRoute["/v3.0/OS-CREDENTIAL/securitytokens"] != 1 {
		t.Fatalf("statuses %v, IAM %v: want one 401 and one renewal", st.ByStatus, st.IAMByRoute)
	}
}

// Nothing configured anywhere: the error lists every step and why.
func TestCredentialChain_nothingFound(t *testing.T) {
	t.Parallel()
	env := testEnv(t)
	_, url := chainFake(t, false, 0)
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(env),
		Steps: []resource.TestStep{{
			Config: chainProvider(url) + readAll,
			ExpectError: regexp.MustCompile(`(?s)Missing credentials.*1\.\s+auth_token\s+\(HW_AUTH_TOKEN\):\s+not\s+set.*2\.\s+access_key\s+and\s+secret_key\s+\(HW_ACCESS_KEY\s+and\s+HW_SECRET_KEY\):\s+not\s+set.*` +
				`3\.\s+assume_role_with_oidc\s+\(HW_ASSUME_ROLE_IDP_ID\):\s+not\s+set.*4\..*config.json\s+not\s+found.*5\.\s+ECS\s+metadata\s+\(http://127.0.0.1:1\):\s+unreachable`),
		}},
	})
}

// Bad input is refused before any request, naming the setting.
func TestCredentialChain_badInput(t *testing.T) {
	t.Parallel()
	env := testEnv(t)
	fake, url := chainFake(t, false, 0)
	notJSON := writeFile(t, "config.json", `{"current": "x", "profiles": [ secret-looking-content`)
	good := sharedConfig(t, "a", akskProfile("a", ""), akskProfile("b", ""))
	keys := fmt.Sprintf("access_key = %q\n  secret_key = %q", testAK, testSK)
	for _, tc := range []struct {
		name, cfg string
		err       *regexp.Regexp
	}{
		{"id_token and id_token_file", fmt.Sprintf("assume_role_with_oidc {\n    idp_id = %q\n    id_token = \"a\"\n    id_token_file = \"/f\"\n  }", testIdp),
			regexp.MustCompile(`(?s)assume_role_with_oidc.*id_token`)},
		{"assume_role on a token", tokenAuth() + fmt.Sprintf("\n  assume_role {\n    agency_name = %q\n    domain_id = %q\n  }", testAgency, testAgencyID),
			regexp.MustCompile(`(?s)assume_role needs access keys.*token alone cannot assume`)},
		{"assume_role without a domain", keys + fmt.Sprintf("\n  assume_role {\n    agency_name = %q\n  }", testAgency),
			regexp.MustCompile(`(?s)Set one of domain_name and domain_id`)},
		{"assume_role with both domains", keys + fmt.Sprintf("\n  assume_role {\n    agency_name = %q\n    domain_id = \"a\"\n    domain_name = \"b\"\n  }", testAgency),
			regexp.MustCompile(`(?s)Set one of domain_name and domain_id`)},
		{"duration too short", keys + fmt.Sprintf("\n  assume_role {\n    agency_name = %q\n    domain_id = \"a\"\n    duration = 60\n  }", testAgency),
			regexp.MustCompile(`(?s)duration value must be between 900 and 43200`)},
		{"shared config file missing", `shared_config_file = "/nonexistent/config.json"`,
			regexp.MustCompile(`(?s)Unreadable shared config file.*/nonexistent/config.json cannot be read: no such file`)},
		{"shared config file not JSON", fmt.Sprintf("shared_config_file = %q", notJSON),
			regexp.MustCompile(`(?s)Invalid shared config file.*is\s+not\s+the\s+Huawei\s+Cloud\s+CLI's\s+JSON`)},
		{"profile that does not exist", fmt.Sprintf("shared_config_file = %q\n  profile = \"c\"", good),
			regexp.MustCompile(`(?s)No such profile.*no\s+profile\s+"c";\s+it\s+has\s+"a",\s+"b"`)},
		{"ecsAgency profile off ECS", fmt.Sprintf("shared_config_file = %q", sharedConfig(t, "ecs", `{"name": "ecs", "mode": "ecsAgency"}`)),
			regexp.MustCompile(`(?s)ECS agency not available.*http://127.0.0.1:1`)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resource.UnitTest(t, resource.TestCase{
				ProtoV6ProviderFactories: factories(env),
				Steps:                    []resource.TestStep{{Config: chainProvider(url, tc.cfg) + readAll, ExpectError: tc.err}},
			})
		})
	}
	if st := fake.Stats(); st.Requests+st.IAMRequests != 0 {
		t.Errorf("%d HSS and %d IAM requests for bad input", st.Requests, st.IAMRequests)
	}
}

// newChainClient is a protocol client of a provider configured with a
// region and the fake's address, whose credentials come from kv, a
// variable's name then its value, in an environment of the test's own.
func newChainClient(t testing.TB, url string, kv ...string) *protocolClient {
	t.Helper()
	env := withEnv(testEnv(t, kv...), envRegion, testRegion, envHSSEndpoint, url, envIAMEndpoint, url)
	server, schemas := newProtocolServer(t, env)
	typ := schemas.Provider.ValueType().(tftypes.Object)
	cfg, err := tfprotov6.NewDynamicValue(typ, tftypes.NewValue(typ, nullArgs(typ)))
	if err != nil {
		t.Fatal(err)
	}
	resp, err := server.ConfigureProvider(context.Background(), &tfprotov6.ConfigureProviderRequest{Config: &cfg})
	if err != nil || len(resp.Diagnostics) > 0 {
		t.Fatal(err, diagnosticsString(resp.Diagnostics))
	}
	return &protocolClient{server: server, dsType: schemas.DataSourceSchemas["clusterprotect_events"].ValueType().(tftypes.Object)}
}

// BenchmarkCredentialChain_read counts what one read of 10,000 events sends
// to IAM and to the metadata service, per source, with temporary keys that
// live one second (so they are renewed during the read) and one request in
// flight at 50 ms each. Run it with
// go test -run '^$' -bench CredentialChain -benchtime 1x ./internal/provider/ .
func BenchmarkCredentialChain_read(b *testing.B) {
	for _, tc := range []struct {
		name string
		env  []string
	}{
		{"access keys", []string{envAccessKey, testAK, envSecretKey, testSK}},
		{"OIDC", []string{envAssumeIdpID, testIdp, envAssumeIDToken, testIDToken}},
		{"ECS metadata", nil},
		{"access keys+assume_role", []string{envAccessKey, testAK, envSecretKey, testSK, envAssumeAgencyName, testAgency, envAssumeDomainID, testAgencyID}},
	} {
		b.Run(tc.name, func(b *testing.B) {
			fake := hssfake.New(hssfake.Config{
				Keys:                 map[string]hssfake.Credential{testAK: {SecretKey: testSK}},
				Projects:             []hssfake.Project{{ID: testProject, Name: testRegion, Enabled: true}},
				IdentityProviders:    map[string][]string{testIdp: {testIDToken}},
				Agencies:             []hssfake.Agency{{Name: testAgency, DomainID: testAgencyID}},
				ECSAgency:            true,
				TemporaryKeyLifetime: time.Second,
			}, generate(10_000))
			srv := httptest.NewServer(fake)
			defer srv.Close()
			fake.SetFaults(hssfake.Faults{Latency: 50 * time.Millisecond})
			env := append([]string{envMetadataEndpoint, srv.URL, envMaxConcurrency, "1"}, tc.env...)
			for b.Loop() {
				fake.ResetStats()
				client := newChainClient(b, srv.URL, env...)
				resp := client.read(context.Background(), b)
				for _, d := range resp.Diagnostics {
					if d.Severity == tfprotov6.DiagnosticSeverityError {
						b.Fatal(d.Summary, d.Detail)
					}
				}
			}
			st := fake.Stats()
			b.ReportMetric(float64(st.Requests), "hss-requests")
			b.ReportMetric(float64(st.IAMByRoute["/v3/projects"]), "iam-projects")
			b.ReportMetric(float64(st.IAMByRoute["/v3.0/OS-AUTH/id-token/tokens"]), "iam-id-token")
			b.ReportMetric(float64(st.IAMByRoute["/v3.0/OS-CREDENTIAL/securitytokens"]), "iam-securitytokens")
			b.ReportMetric(float64(st.MetadataRequests), "metadata")
			b.ReportMetric(float64(st.ByStatus[401]), "401s")
		})
	}
}

// A block setting only known after apply is named, not taken as unset.
func TestCredentialChain_unknownInABlock(t *testing.T) {
	t.Parallel()
	env := testEnv(t)
	_, url := chainFake(t, false, 0)
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(env),
		Steps: []resource.TestStep{{
			Config: `resource "terraform_data" "agency" {
  input = "later"
}
` + chainProvider(url, fmt.Sprintf("access_key = %q\n  secret_key = %q", testAK, testSK),
				"assume_role {\n    agency_name = terraform_data.agency.output\n    domain_id = \"d\"\n  }") + readAll,
			ExpectError: regexp.MustCompile(`(?s)Unknown provider setting.*assume_role.agency_name`),
		}},
	})
}

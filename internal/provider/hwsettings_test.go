package provider

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
)

// The Huawei Cloud provider's auth_url is its IAM endpoint, with /v3 at
// the end: HW_AUTH_URL, OS_AUTH_URL and auth_url are read as endpoints.iam.
func TestProvider_authURLIsTheIAMEndpoint(t *testing.T) {
	t.Parallel()
	env := testEnv(t)
	_, url := chainFake(t, false, 0)
	noIAM := fmt.Sprintf("provider \"clusterprotect\" {\n  region = %q\n  endpoints = { hss = %q }\n  %s\n", testRegion, url, tokenAuth())
	t.Run("HW_AUTH_URL", func(t *testing.T) {
		readsAll(t, noIAM+"}\n", envAuthURL, url+"/v3")
	})
	t.Run("OS_AUTH_URL", func(t *testing.T) {
		readsAll(t, noIAM+"}\n", envOSAuthURL, url+"/v3/")
	})
	t.Run("auth_url", func(t *testing.T) {
		readsAll(t, noIAM+fmt.Sprintf("  auth_url = %q\n}\n", url+"/v3"))
	})
	t.Run("endpoints.iam wins over HW_AUTH_URL", func(t *testing.T) {
		readsAll(t, chainProvider(url, tokenAuth()), envAuthURL, closedEndpoint+"/v3")
	})
	t.Run("auth_url and endpoints.iam disagree", func(t *testing.T) {
		resource.UnitTest(t, resource.TestCase{
			ProtoV6ProviderFactories: factories(env),
			Steps: []resource.TestStep{{
				Config:      chainProvider(url, tokenAuth(), fmt.Sprintf("auth_url = %q", closedEndpoint+"/v3")) + readAll,
				ExpectError: regexp.MustCompile(`(?s)Conflicting IAM endpoints.*auth_url.*endpoints\.iam`),
			}},
		})
	})
}

// The OS_* names the Huawei Cloud provider reads after its HW_* ones are
// read here too, after the HW_* name.
func TestProvider_osFallbacks(t *testing.T) {
	t.Parallel()
	_, url := chainFake(t, false, 0)
	cfg := fmt.Sprintf("provider \"clusterprotect\" {\n  endpoints = { hss = %q, iam = %q }\n}\n", url, url)
	t.Run("OS_* alone", func(t *testing.T) {
		readsAll(t, cfg, "OS_ACCESS_KEY", testAK, "OS_SECRET_KEY", testSK, "OS_REGION_NAME", testRegion)
	})
	t.Run("HW_* wins", func(t *testing.T) {
		readsAll(t, cfg, envAccessKey, testAK, envSecretKey, testSK, envRegion, testRegion,
			"OS_ACCESS_KEY", "WRONGAK", "OS_SECRET_KEY", "wrong", "OS_REGION_NAME", "eu-west-101")
	})
	t.Run("OS_AUTH_TOKEN and OS_PROJECT_ID", func(t *testing.T) {
		readsAll(t, cfg, "OS_AUTH_TOKEN", testToken, "OS_PROJECT_ID", testProject)
	})
}

// The Huawei Cloud provider's settings that this one does not have are
// refused by name, with what to use instead, before any request.
func TestProvider_huaweiOnlySettings(t *testing.T) {
	t.Parallel()
	env := testEnv(t)
	fake, url := chainFake(t, false, 0)
	for _, c := range []struct{ line, want string }{
		{`agency_name = "ops"`, `agency_name.*not\s+supported.*assume_role\s+\{\s+agency_name,\s+domain_name\s+\}`},
		{`agency_domain_name = "acme"`, `agency_domain_name.*not\s+supported.*assume_role`},
		{`user_name = "alice"`, `user_name.*not\s+supported.*access_key\s+and\s+secret_key`},
		{`password = "secret"`, `password.*not\s+supported.*access_key\s+and\s+secret_key`},
		{`domain_name = "acme"`, `domain_name.*not\s+supported`},
		{`signing_algorithm = "HMAC-SHA256"`, `signing_algorithm.*not\s+supported.*SDK-HMAC-SHA256`},
		{`delegated_project = "cn-north-4_dev"`, `delegated_project.*not\s+supported.*project_name`},
		{`token = "abc"`, `token.*not\s+supported.*auth_token`},
		{`regional = true`, `regional.*not\s+supported`},
	} {
		t.Run(c.line, func(t *testing.T) {
			resource.UnitTest(t, resource.TestCase{
				ProtoV6ProviderFactories: factories(env),
				Steps: []resource.TestStep{{
					Config:      chainProvider(url, tokenAuth(), c.line) + readAll,
					ExpectError: regexp.MustCompile(`(?s)Unsupported setting.*` + c.want),
				}},
			})
		})
	}
	// The same settings in the environment belong to the other provider:
	// they do not stop a read.
	t.Run("in the environment", func(t *testing.T) {
		readsAll(t, chainProvider(url, tokenAuth()), "HW_USER_NAME", "alice", "HW_USER_PASSWORD", "secret", "HW_DOMAIN_NAME", "acme", "HW_SIGNING_ALGORITHM", "HMAC-SHA256")
	})
	if st := fake.Stats(); st.Requests == 0 {
		t.Error("the environment case read nothing")
	}
}

// Both providers read HW_MAX_RETRIES: a value from the environment outside
// this provider's range is clamped with a warning; in HCL it is an error.
func TestProvider_envOutOfRangeIsClamped(t *testing.T) {
	t.Parallel()
	env := testEnv(t)
	_, url := chainFake(t, false, 0)
	t.Run("HW_MAX_RETRIES=20 reads", func(t *testing.T) {
		readsAll(t, chainProvider(url, tokenAuth()), envMaxRetries, "20", envMaxConcurrency, "64")
	})
	t.Run("the warnings", func(t *testing.T) {
		env := withEnv(env)
		env[envMaxRetries] = "20"
		env[envMaxConcurrency] = "0"
		env[envAssumeDuration] = "60"
		got := configureDiagnostics(t, env, map[string]tftypes.Value{
			"auth_token": tftypes.NewValue(tftypes.String, testToken),
			"project_id": tftypes.NewValue(tftypes.String, testProject),
			"endpoints":  tftypes.NewValue(tftypes.Map{ElementType: tftypes.String}, map[string]tftypes.Value{"hss": tftypes.NewValue(tftypes.String, url)}),
		})
		for _, want := range []string{
			`[WARNING HW_MAX_RETRIES out of range: HW_MAX_RETRIES is "20", outside max_retries' range of 0 to 10: using 10.`,
			`[WARNING HW_MAX_CONCURRENCY out of range: HW_MAX_CONCURRENCY is "0", outside max_concurrency's range of 1 to 32: using 1.`,
			`[WARNING HW_ASSUME_ROLE_DURATION out of range: HW_ASSUME_ROLE_DURATION is "60", outside assume_role.duration's range of 900 to 43200: using 900.`,
		} {
			if !strings.Contains(got, want) {
				t.Errorf("diagnostics lack %q:\n%s", want, got)
			}
		}
	})
	t.Run("max_retries = 20 in HCL", func(t *testing.T) {
		resource.UnitTest(t, resource.TestCase{
			ProtoV6ProviderFactories: factories(env),
			Steps: []resource.TestStep{{
				Config:      chainProvider(url, tokenAuth(), "max_retries = 20") + readAll,
				ExpectError: regexp.MustCompile(`(?s)max_retries.*between\s+0\s+and\s+10,\s+got:\s+20`),
			}},
		})
	})
}

// A key of endpoints other than hss and iam is an error: a typo must not
// send the reads to the real cloud.
func TestProvider_endpointsUnknownKey(t *testing.T) {
	t.Parallel()
	env := testEnv(t)
	fake, url := chainFake(t, false, 0)
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(env),
		Steps: []resource.TestStep{{
			Config:      fmt.Sprintf("provider \"clusterprotect\" {\n  region = %q\n  endpoints = { hs = %q, iam = %q }\n  %s\n}\n", testRegion, url, url, tokenAuth()) + readAll,
			ExpectError: regexp.MustCompile(`(?s)Unknown endpoint.*"hs".*hss,\s+iam`),
		}},
	})
	if st := fake.Stats(); st.Requests+st.IAMRequests != 0 {
		t.Errorf("%d HSS and %d IAM requests for a bad endpoints key", st.Requests, st.IAMRequests)
	}
}

// configureDiagnostics configures the provider with values, the others
// null, and lists its diagnostics one a line.
func configureDiagnostics(t *testing.T, env map[string]string, values map[string]tftypes.Value) string {
	t.Helper()
	server, schemas := newProtocolServer(t, env)
	typ := schemas.Provider.ValueType().(tftypes.Object)
	all := nullArgs(typ)
	for k, v := range values {
		all[k] = v
	}
	cfg, err := tfprotov6.NewDynamicValue(typ, tftypes.NewValue(typ, all))
	if err != nil {
		t.Fatal(err)
	}
	resp, err := server.ConfigureProvider(context.Background(), &tfprotov6.ConfigureProviderRequest{Config: &cfg})
	if err != nil {
		t.Fatal(err)
	}
	return diagnosticsString(resp.Diagnostics)
}

// The Huawei Cloud provider's variables that would change whose events it
// reads are warned of; its user name and password variables are named when
// no credentials are found.
func TestConfigureProvider_huaweiOnlyEnv(t *testing.T) {
	t.Parallel()
	env := testEnv(t)
	_, url := chainFake(t, false, 0)
	endpoints := tftypes.NewValue(tftypes.Map{ElementType: tftypes.String}, map[string]tftypes.Value{"hss": tftypes.NewValue(tftypes.String, url)})
	env["OS_AGENCY_NAME"] = "ops"
	got := configureDiagnostics(t, env, map[string]tftypes.Value{
		"auth_token": tftypes.NewValue(tftypes.String, testToken),
		"project_id": tftypes.NewValue(tftypes.String, testProject),
		"endpoints":  endpoints,
	})
	if want := "[WARNING OS_AGENCY_NAME is not read: OS_AGENCY_NAME is set, for the Huawei Cloud provider; this provider does not read it, so the credentials are used without it: to assume an agency, use assume_role"; !strings.HasPrefix(got, want) {
		t.Errorf("diagnostics are %s, want one starting %q", got, want)
	}
	env["HW_USER_NAME"] = "alice"
	env["OS_PASSWORD"] = "secret"
	got = configureDiagnostics(t, env, map[string]tftypes.Value{"project_id": tftypes.NewValue(tftypes.String, testProject), "endpoints": endpoints})
	if want := "User name and password authentication is not supported (OS_PASSWORD, HW_USER_NAME are set, for the Huawei Cloud provider, and not read here)."; !strings.Contains(got, want) {
		t.Errorf("diagnostics are %s, want %q in them", got, want)
	}
}

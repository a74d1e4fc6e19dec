package provider

import (
	"fmt"
	"maps"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/clusterprotect/terraform-provider-clusterprotect/internal/hssfake"
)

const (
	testRegion  = "ap-southeast-1"
	testDomain  = "d0000000000000000000000000000001"
	testProject = "0123456789abcdef0123456789abcdef"
	testToken   = "acc-test-token-5f1c"
	testAK      = "ACCTESTAK"
	testSK      = "acc-test-secret/key+1"
	testTmpAK   = "ACCTMPAK"
	testTmpSK   = "acc-tmp-secret"
	testSTS     = "acc-sts-token-77"
)

// factories serve the provider with env as its whole environment: a
// test's own, so that tests run in parallel and none sees a developer's
// own HW_* settings.
func factories(env map[string]string) map[string]func() (tfprotov6.ProviderServer, error) {
	env = maps.Clone(env)
	return map[string]func() (tfprotov6.ProviderServer, error){
		"clusterprotect": providerserver.NewProtocol6WithError(newProvider("test", func(name string) string { return env[name] })()),
	}
}

// processEnvFactories serve the provider reading the process's environment,
// as Terraform runs it.
func processEnvFactories() map[string]func() (tfprotov6.ProviderServer, error) {
	return map[string]func() (tfprotov6.ProviderServer, error){
		"clusterprotect": providerserver.NewProtocol6WithError(New("test")()),
	}
}

// testEnv is a test's environment: no Huawei Cloud CLI profile in HOME,
// and the ECS metadata step at a closed local port, so that no test ever
// reaches for 169.254.169.254; then kv, a variable's name then its value.
func testEnv(tb testing.TB, kv ...string) map[string]string {
	tb.Helper()
	return withEnv(map[string]string{envMetadataEndpoint: closedEndpoint, "HOME": tb.TempDir()}, kv...)
}

// withEnv is a copy of env with kv, a variable's name then its value.
func withEnv(env map[string]string, kv ...string) map[string]string {
	env = maps.Clone(env)
	for i := 0; i+1 < len(kv); i += 2 {
		env[kv[i]] = kv[i+1]
	}
	return env
}

// closedEndpoint refuses connections at once.
const closedEndpoint = "http://127.0.0.1:1"

// startFake serves events on loopback and accepts the test credentials.
func startFake(t *testing.T, events []hssfake.Event) (*hssfake.Server, string) {
	t.Helper()
	cfg := tokenConfig()
	cfg.Keys = map[string]hssfake.Credential{
		testAK:    {SecretKey: testSK},
		testTmpAK: {SecretKey: testTmpSK, SecurityToken: testSTS},
	}
	fake := hssfake.New(cfg, events)
	return serve(t, fake)
}

// tokenConfig is a fake account with testProject only, open to testToken.
func tokenConfig() hssfake.Config {
	return hssfake.Config{Projects: []hssfake.Project{{ID: testProject, Name: testRegion, DomainID: testDomain, Enabled: true, Tokens: []string{testToken}}}}
}

// serve serves the fake on loopback for the test's duration.
func serve(t *testing.T, fake *hssfake.Server) (*hssfake.Server, string) {
	t.Helper()
	srv := httptest.NewServer(fake)
	t.Cleanup(srv.Close)
	return fake, srv.URL
}

// providerBlock configures the provider for the fake with a token, plus extra
// lines.
func providerBlock(url string, extra ...string) string {
	return fmt.Sprintf(`
provider "clusterprotect" {
  endpoints = { hss = %q }
  project_id = %q
  %s
}
`, url, testProject, strings.Join(extra, "\n  "))
}

func tokenAuth() string { return fmt.Sprintf("auth_token = %q", testToken) }

func generate(n int, opts ...func(*hssfake.GenerateOptions)) []hssfake.Event {
	o := hssfake.GenerateOptions{Count: n, Seed: 11, ProjectID: testProject}
	for _, f := range opts {
		f(&o)
	}
	return hssfake.Generate(o)
}

// compareSame and compareDifferent are value comparers for
// statecheck.CompareValue.
type compareSame struct{}

func (compareSame) CompareValues(values ...any) error {
	for _, v := range values[1:] {
		if v != values[0] {
			return fmt.Errorf("expected the same value, got %v and %v", values[0], v)
		}
	}
	return nil
}

type compareDifferent struct{}

func (compareDifferent) CompareValues(values ...any) error {
	for i := 1; i < len(values); i++ {
		if values[i] == values[i-1] {
			return fmt.Errorf("expected a different value, got %v twice", values[i])
		}
	}
	return nil
}

// cloud and HW_CLOUD are a bare domain name: a URL, a user, a port or a
// path is refused at configure time, before any request is sent.
func TestProvider_cloudIsADomainName(t *testing.T) {
	t.Parallel()
	env := testEnv(t)
	fake, url := startFake(t, generate(5))
	hostPort := strings.TrimPrefix(url, "http://")
	cfg := func(lines ...string) string {
		return fmt.Sprintf("provider \"clusterprotect\" {\n  region = %q\n  project_id = %q\n  max_retries = 0\n  %s\n  %s\n}\n",
			testRegion, testProject, tokenAuth(), strings.Join(lines, "\n  ")) + readAll
	}
	for _, cloud := range []string{"https://myhuaweicloud.com", "user@" + hostPort, "myhuaweicloud.com:443", "myhuaweicloud.com/v1", "127.0.0.1", "my_cloud.com", ""} {
		t.Run(fmt.Sprintf("cloud = %q", cloud), func(t *testing.T) {
			resource.UnitTest(t, resource.TestCase{
				ProtoV6ProviderFactories: factories(env),
				Steps: []resource.TestStep{{
					Config:      cfg(fmt.Sprintf("cloud = %q", cloud)),
					ExpectError: regexp.MustCompile(`(?s)Attribute\s+cloud\s+must\s+be\s+a\s+bare\s+domain\s+name\s+such\s+as\s+myhuaweicloud.com`),
				}},
			})
		})
	}
	t.Run("HW_CLOUD with a user and port", func(t *testing.T) {
		env := withEnv(env, envCloud, "user@"+hostPort)
		resource.UnitTest(t, resource.TestCase{
			ProtoV6ProviderFactories: factories(env),
			Steps: []resource.TestStep{{
				Config:      cfg(),
				ExpectError: regexp.MustCompile(`(?s)Invalid HW_CLOUD.*HW_CLOUD\s+is\s+"user@127.0.0.1:[0-9]+":\s+cloud\s+must\s+be\s+a\s+bare\s+domain\s+name\s+such\s+as\s+myhuaweicloud.com`),
			}},
		})
	})
	if st := fake.Stats(); st.Requests+st.IAMRequests != 0 {
		t.Errorf("%d HSS and %d IAM requests for a bad cloud", st.Requests, st.IAMRequests)
	}
	t.Run("a domain name, with explicit endpoints", func(t *testing.T) {
		env := withEnv(env, envCloud, "example.internal")
		resource.UnitTest(t, resource.TestCase{
			ProtoV6ProviderFactories: factories(env),
			Steps: []resource.TestStep{{
				Config:            providerBlock(url, tokenAuth(), `cloud = "myhuaweicloud.eu"`) + readAll,
				ConfigStateChecks: []statecheck.StateCheck{expect(dataList(), knownvalue.ListSizeExact(5))},
			}},
		})
	})
}

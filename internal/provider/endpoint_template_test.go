package provider

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
)

// One provider reaches each region at an address of its own: {region} in
// endpoints.hss and endpoints.iam is each read's region. The fake serves
// region R under /R only, and refuses there a project of another region,
// so each read went to its own region's address.
func TestEventsDataSource_endpointTemplate(t *testing.T) {
	t.Parallel()
	env := testEnv(t)
	fake, url := regionFake(t)
	template := url + "/{region}"
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(env),
		Steps: []resource.TestStep{{
			Config: fmt.Sprintf(`
provider "clusterprotect" {
  region    = %q
  endpoints = { hss = %q, iam = %q }
  %s
}
data "clusterprotect_events" "a" {
  region = %q
}
data "clusterprotect_events" "b" {
  region = %q
}
output "totals" {
  value = { a = data.clusterprotect_events.a.summary.total, b = data.clusterprotect_events.b.summary.total }
}
output "projects" {
  value = { a = data.clusterprotect_events.a.project_id, b = data.clusterprotect_events.b.project_id }
}`, testRegion, template, template, keysAuth(), testRegion, otherRegion),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownOutputValue("projects", knownvalue.MapExact(map[string]knownvalue.Check{
					"a": knownvalue.StringExact(testProject), "b": knownvalue.StringExact(otherProject),
				})),
				statecheck.ExpectKnownOutputValue("totals", knownvalue.MapExact(map[string]knownvalue.Check{
					"a": knownvalue.Int64Exact(30), "b": knownvalue.Int64Exact(12),
				})),
			},
		}},
	})
	if st := fake.Stats(); st.IAMByRoute["/v3/projects"] == 0 || st.ByStatus[403] != 0 || st.ByStatus[404] != 0 {
		t.Errorf("IAM %v, HSS statuses %v: want project look-ups and no 403 or 404", st.IAMByRoute, st.ByStatus)
	}
}

// A template is checked at configure time, from configuration and from
// the environment alike: a placeholder other than {region} is an error that
// names the attribute, and no request is sent.
func TestProvider_endpointTemplateChecked(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, hss, iam, env string
		err                 *regexp.Regexp
	}{
		{"typo in hss", "http://127.0.0.1:1/{regoin}", "", "",
			regexp.MustCompile(`(?s)Invalid\s+HSS\s+endpoint.*endpoints\.hss\s+\(or\s+HW_HSS_ENDPOINT\).*\{regoin\}\s+is\s+not\s+a\s+placeholder:\s+only\s+\{region\}\s+is`)},
		{"typo in iam", "", "https://iam.{Region}.example.internal", "",
			regexp.MustCompile(`(?s)Invalid\s+IAM\s+endpoint.*endpoints\.iam\s+\(or\s+HW_IAM_ENDPOINT\).*\{Region\}\s+is\s+not\s+a\s+placeholder`)},
		{"typo in the environment", "", "", "http://127.0.0.1:1/{region}/{project}",
			regexp.MustCompile(`(?s)Invalid\s+HSS\s+endpoint.*\{project\}\s+is\s+not\s+a\s+placeholder`)},
		{"not a URL once replaced", "{region}.example.internal", "", "",
			regexp.MustCompile(`(?s)Invalid\s+HSS\s+endpoint.*absolute\s+http://\s+or\s+https://\s+URL`)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fake, _ := regionFake(t)
			env := testEnv(t, envHSSEndpoint, tc.env)
			endpoints := ""
			if tc.hss != "" || tc.iam != "" {
				endpoints = fmt.Sprintf("endpoints = { hss = %q, iam = %q }", tc.hss, tc.iam)
			}
			resource.UnitTest(t, resource.TestCase{
				ProtoV6ProviderFactories: factories(env),
				Steps: []resource.TestStep{{
					Config: fmt.Sprintf("provider \"clusterprotect\" {\n  region = %q\n  %s\n  %s\n}\ndata \"clusterprotect_events\" \"test\" {}\n",
						testRegion, endpoints, tokenAuth()),
					ExpectError: tc.err,
				}},
			})
			if st := fake.Stats(); st.Requests+st.IAMRequests != 0 {
				t.Errorf("%d requests sent for bad input", st.Requests+st.IAMRequests)
			}
		})
	}
}

// With {region} in endpoints.hss, a read without a region has no address:
// the error says so before any request.
func TestEventsDataSource_endpointTemplateNeedsRegion(t *testing.T) {
	t.Parallel()
	env := testEnv(t)
	fake, url := regionFake(t)
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(env),
		Steps: []resource.TestStep{{
			Config: fmt.Sprintf("provider \"clusterprotect\" {\n  endpoints = { hss = %q }\n  project_id = %q\n  %s\n}\ndata \"clusterprotect_events\" \"test\" {}\n",
				url+"/{region}", testProject, tokenAuth()),
			ExpectError: regexp.MustCompile(`(?s)Missing\s+region.*endpoints\.hss\s+holds\s+\{region\}`),
		}},
	})
	if st := fake.Stats(); st.Requests+st.IAMRequests != 0 {
		t.Errorf("%d requests sent", st.Requests+st.IAMRequests)
	}
}

// The credential exchanges go to IAM through the template too, in the
// provider's region: an agency and an OIDC id token, as the fake command
// rehearses them.
func TestCredentialChain_throughEndpointTemplate(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ name, lines string }{
		{"assume_role", fmt.Sprintf("access_key = %q\n  secret_key = %q\n  assume_role {\n    agency_name = %q\n    domain_name = %q\n  }", testAK, testSK, testAgency, testAgencyDom)},
		{"assume_role_with_oidc", fmt.Sprintf("assume_role_with_oidc {\n    idp_id = %q\n    id_token = %q\n  }", testIdp, testIDToken)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fake, url := chainFake(t, false, 0)
			readsAll(t, chainProvider(url+"/{region}", tc.lines))
			if st := fake.Stats(); st.IAMByRoute["/v3.0/OS-CREDENTIAL/securitytokens"] == 0 || st.ByStatus[404] != 0 {
				t.Errorf("IAM %v, HSS %v: want security tokens issued and no 404", st.IAMByRoute, st.ByStatus)
			}
		})
	}
}

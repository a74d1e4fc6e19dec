package provider

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
)

// A region one or two edits from a known one, and not itself known, is a
// typo: refused at plan time with the region it likely means. Any other
// name stays allowed, as new regions appear.
func TestEventsDataSource_regionDidYouMean(t *testing.T) {
	t.Parallel()
	env := testEnv(t)
	typo := regexp.MustCompile(`(?s)Unknown region.*"ap-southeast1".*did\s+you\s+mean\s+"ap-southeast-1"\?`)
	for _, tc := range []struct {
		name, provider, args string
		env                  []string
		err                  *regexp.Regexp
	}{
		{"data source", "", `region = "ap-southeast1"`, nil, typo},
		{"provider", `region = "ap-southeast1"`, "", nil, typo},
		{"HW_REGION_NAME", "", "", []string{envRegion, "ap-southeast1"}, typo},
		{"two edits", "", `region = "cn-nrth4"`, nil, regexp.MustCompile(`(?s)Unknown region.*did\s+you\s+mean\s+"cn-north-4"\?`)},
		// Another number is how a new region is named, not a typo.
		{"a new number", "", `region = "ap-southeast-9"`, nil, nil},
		{"unlike any", "", `region = "xy-central-1"`, nil, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fake, url := startFake(t, generate(5))
			env := withEnv(env, tc.env...)
			step := resource.TestStep{
				Config:      providerBlock(url, tokenAuth(), tc.provider) + fmt.Sprintf("data \"clusterprotect_events\" \"test\" {\n  project_id = %q\n  %s\n}\n", testProject, tc.args),
				ExpectError: tc.err,
			}
			if tc.err == nil {
				step.ConfigStateChecks = []statecheck.StateCheck{expect(dataList(), knownvalue.ListSizeExact(5))}
			}
			resource.UnitTest(t, resource.TestCase{ProtoV6ProviderFactories: factories(env), Steps: []resource.TestStep{step}})
			if st := fake.Stats(); tc.err != nil && st.Requests+st.IAMRequests != 0 {
				t.Errorf("%d requests sent for a typo", st.Requests+st.IAMRequests)
			}
		})
	}
}

// A 401 or 403 names the credentials that were used, and what they won
// over: the usual surprise is keys in the environment beating a profile.
func TestEventsDataSource_authErrorNamesTheSource(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, auth string
		env        []string
		profile    bool // a default ~/.hcloud/config.json exists
		region     bool // no project_id: the project is looked up in IAM
		err        *regexp.Regexp
	}{
		{"keys from the environment beat the default profile", "", []string{envAccessKey, testAK, envSecretKey, "wrong"}, true, false,
			regexp.MustCompile(`(?s)401\s+Unauthorized.*The\s+credentials\s+used:\s+access keys: access_key \(from HW_ACCESS_KEY\),\s+secret_key\s+\(from\s+HW_SECRET_KEY\),\s+which\s+win\s+over\s+the\s+default\s+shared\s+config\s+file\s+\S+config.json`)},
		{"keys from the environment beat HW_PROFILE", "", []string{envAccessKey, testAK, envSecretKey, "wrong", envProfile, "ci"}, false, false,
			regexp.MustCompile(`(?s)401\s+Unauthorized.*access_key \(from HW_ACCESS_KEY\).*which\s+win\s+over\s+profile\s+\(from\s+HW_PROFILE\)`)},
		{"a token of another project", tokenAuth(), nil, false, false,
			regexp.MustCompile(`(?s)403\s+Forbidden.*The\s+credentials\s+used:\s+auth_token \(in the configuration\)\.`)},
		{"IAM refuses the keys", fmt.Sprintf("access_key = %q\n  secret_key = \"wrong\"", testAK), []string{envAuthToken, testToken}, false, true,
			regexp.MustCompile(`(?s)401\s+Unauthorized.*The\s+credentials\s+used:\s+access keys: access_key \(in the configuration\),\s+secret_key\s+\(in\s+the\s+configuration\),\s+which\s+win\s+over\s+auth_token\s+\(from\s+HW_AUTH_TOKEN\)`)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, url := regionFake(t)
			env := testEnv(t, tc.env...)
			if tc.profile {
				dir := filepath.Join(env["HOME"], ".hcloud")
				if err := os.MkdirAll(dir, 0o700); err != nil {
					t.Fatal(err)
				}
				writeAt(t, filepath.Join(dir, "config.json"), `{"current": "default", "profiles": [`+akskProfile("default", "")+`]}`)
			}
			project := testProject
			if tc.auth == tokenAuth() {
				project = otherProject // a token opens only its own
			}
			cfg := regionProvider(url, tc.auth, fmt.Sprintf("project_id = %q", project))
			if tc.region {
				cfg = regionProvider(url, tc.auth)
			}
			resource.UnitTest(t, resource.TestCase{
				ProtoV6ProviderFactories: factories(env),
				Steps:                    []resource.TestStep{{Config: cfg + readAll, ExpectError: tc.err}},
			})
		})
	}
}

func writeAt(t *testing.T, p, content string) {
	t.Helper()
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}

package provider

import (
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/clusterprotect/terraform-provider-clusterprotect/internal/hssfake"
)

// Through the CLI: HSS or IAM answering a redirect fails the plan at the
// step it happened in, naming the status and the other host, and the other
// host gets nothing (today it got the token, and its empty answer passed
// as a clean read).
func TestEventsDataSource_redirectNotFollowed(t *testing.T) {
	t.Parallel()
	env := testEnv(t)
	for _, tc := range []struct {
		name   string
		fake   func(*testing.T) (*hssfake.Server, string)
		config func(url string) string
		err    string
	}{
		{"HSS", func(t *testing.T) (*hssfake.Server, string) { return startFake(t, generate(5)) }, func(url string) string { return providerBlock(url, tokenAuth()) },
			`Unable to read cluster protection events.*HSS\s+API\s+answered\s+302\s+Found\s+to\s+GET\s+/v5/` + testProject + `/cluster-protect/events`},
		{"IAM", regionFake, func(url string) string { return regionProvider(url, tokenAuth()) },
			`Unable to resolve the project of region ap-southeast-1.*resolving the project of region\s+"ap-southeast-1".*IAM\s+API\s+answered\s+302\s+Found\s+to\s+GET\s+/v3/projects`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			elsewhere := hssfake.NewElsewhere()
			defer elsewhere.Close()
			fake, url := tc.fake(t)
			fake.SetFaults(hssfake.Faults{RedirectTo: elsewhere.URL})
			host := regexp.QuoteMeta(strings.TrimPrefix(elsewhere.URL, "http://"))
			resource.UnitTest(t, resource.TestCase{
				ProtoV6ProviderFactories: factories(env),
				Steps: []resource.TestStep{{
					Config:      tc.config(url) + `data "clusterprotect_events" "test" {}`,
					ExpectError: regexp.MustCompile(`(?s)` + tc.err + `.*redirect\s+to\s+host\s+"` + host + `"`),
				}},
			})
			if n := elsewhere.Requests(); n != 0 {
				t.Errorf("%d requests reached the other host", n)
			}
		})
	}
}

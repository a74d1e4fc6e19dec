package provider

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"runtime"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/clusterprotect/terraform-provider-clusterprotect/internal/hssfake"
	"github.com/clusterprotect/terraform-provider-clusterprotect/internal/hwcloud"
)

const (
	devProject    = "dev00000000000000000000000000001"
	otherRegion   = "ap-southeast-2"
	otherProject  = "other000000000000000000000000002"
	sharedRegion  = "ap-southeast-3"
	missingRegion = "la-south-2"
)

// regionFake serves events in several projects and the IAM projects that
// name them: the region's main project, a sub-project, another region, and
// a region whose name two projects share.
func regionFake(t *testing.T) (*hssfake.Server, string) {
	t.Helper()
	var events []hssfake.Event
	for _, p := range []struct {
		id string
		n  int
	}{{testProject, 30}, {devProject, 7}, {otherProject, 12}} {
		events = append(events, hssfake.Generate(hssfake.GenerateOptions{Count: p.n, Seed: uint64(p.n), ProjectID: p.id})...)
	}
	fake := hssfake.New(hssfake.Config{
		Keys: map[string]hssfake.Credential{testAK: {SecretKey: testSK}},
		Projects: []hssfake.Project{
			{ID: testProject, Name: testRegion, DomainID: testDomain, Enabled: true, Tokens: []string{testToken}},
			{ID: devProject, Name: testRegion + "_dev", DomainID: testDomain, Enabled: true},
			{ID: otherProject, Name: otherRegion, DomainID: testDomain, Enabled: true},
			{ID: "shared-1", Name: sharedRegion, DomainID: testDomain, Enabled: true},
			{ID: "shared-2", Name: sharedRegion, DomainID: testDomain, Enabled: true},
		},
	}, events)
	_, url := serve(t, fake)
	return fake, url
}

// keysAuth authenticates with the test access keys, which open every
// project of the account (a token opens only its own).
func keysAuth() string { return fmt.Sprintf("access_key = %q\n  secret_key = %q", testAK, testSK) }

// regionProvider is the shortest configuration a user writes: a region and
// credentials, with the fake's address for both APIs.
func regionProvider(url string, extra ...string) string {
	lines := fmt.Sprintf("region = %q\n  endpoints = { hss = %q, iam = %q }", testRegion, url, url)
	for _, e := range extra {
		lines += "\n  " + e
	}
	return fmt.Sprintf("provider \"clusterprotect\" {\n  %s\n}\n", lines)
}

func TestEventsDataSource_projectFromRegion(t *testing.T) {
	t.Parallel()
	env := testEnv(t)
	for _, tc := range []struct {
		name, provider, args string
		project              string
		events               int
	}{
		{"token", tokenAuth(), "", testProject, 30},
		{"access keys", keysAuth(), "", testProject, 30},
		// A token opens only its own project: the others take access keys.
		{"project_name", keysAuth() + fmt.Sprintf("\n  project_name = %q", testRegion+"_dev"), "", devProject, 7},
		{"region on the data source", keysAuth(), fmt.Sprintf("region = %q", otherRegion), otherProject, 12},
		{"project_name is the provider region's", keysAuth() + fmt.Sprintf("\n  project_name = %q", testRegion+"_dev"), fmt.Sprintf("region = %q", otherRegion), otherProject, 12},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fake, url := regionFake(t)
			resource.UnitTest(t, resource.TestCase{
				ProtoV6ProviderFactories: factories(env),
				Steps: []resource.TestStep{{
					Config: regionProvider(url, tc.provider) + fmt.Sprintf("data \"clusterprotect_events\" \"test\" {\n  %s\n}\n", tc.args),
					ConfigStateChecks: []statecheck.StateCheck{
						expect(tfjsonpath.New("project_id"), knownvalue.StringExact(tc.project)),
						expect(dataList(), knownvalue.ListSizeExact(tc.events)),
					},
				}},
			})
			// Each Terraform command starts the provider anew: one IAM
			// request per read, here of one page.
			if st := fake.Stats(); st.IAMRequests == 0 || st.IAMRequests != st.Requests {
				t.Errorf("%d IAM requests for %d reads, want one each", st.IAMRequests, st.Requests)
			}
		})
	}
}

// Ten data sources in one region, read at once, make one IAM request per
// Terraform command, each of which starts the provider anew.
func TestEventsDataSource_projectResolvedOncePerRegion(t *testing.T) {
	t.Parallel()
	env := testEnv(t)
	fake, url := regionFake(t)
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(env),
		Steps: []resource.TestStep{{
			Config: regionProvider(url, tokenAuth()) + `
data "clusterprotect_events" "test" {
  count      = 10
  max_results = count.index + 1
}
output "projects" {
  value = distinct(data.clusterprotect_events.test[*].project_id)
}`,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownOutputValue("projects", knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact(testProject)})),
			},
		}},
	})
	if st := fake.Stats(); st.IAMRequests == 0 || st.Requests != 10*st.IAMRequests {
		t.Errorf("%d IAM and %d HSS requests, want one IAM request per ten reads", st.IAMRequests, st.Requests)
	}
}

// One provider block reads two regions; their summaries merge, and each has
// its own id and project. (terraform-plugin-testing's state checks cannot
// address for_each instances: examples/regions does it with for_each.)
func TestEventsDataSource_twoRegions(t *testing.T) {
	t.Parallel()
	env := testEnv(t)
	fake, url := regionFake(t)
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(env),
		Steps: []resource.TestStep{{
			Config: regionProvider(url, keysAuth()) + fmt.Sprintf(`
data "clusterprotect_events" "test" {
  count  = 2
  region = [%q, %q][count.index]
}
output "total" {
  value = sum([for d in data.clusterprotect_events.test : d.summary.total])
}
output "ids" {
  value = length(distinct(data.clusterprotect_events.test[*].id))
}
output "projects" {
  value = { for d in data.clusterprotect_events.test : d.region => d.project_id }
}`, testRegion, otherRegion),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownOutputValue("projects", knownvalue.MapExact(map[string]knownvalue.Check{
					testRegion: knownvalue.StringExact(testProject), otherRegion: knownvalue.StringExact(otherProject),
				})),
				statecheck.ExpectKnownOutputValue("total", knownvalue.Int64Exact(42)),
				statecheck.ExpectKnownOutputValue("ids", knownvalue.Int64Exact(2)),
			},
		}},
	})
	if st := fake.Stats(); st.IAMRequests == 0 || st.IAMRequests != 2*(st.Requests/2) {
		t.Errorf("%d IAM requests for %d reads, want one per region and command", st.IAMRequests, st.Requests)
	}
}

// A project that IAM cannot resolve to one ID stops the read before any
// HSS request, with an error that names the step and what to do.
func TestEventsDataSource_projectNotResolved(t *testing.T) {
	t.Parallel()
	env := testEnv(t)
	for _, tc := range []struct {
		name, args string
		iamStatus  int
		err        *regexp.Regexp
	}{
		{"no project", fmt.Sprintf("region = %q", missingRegion), 0,
			regexp.MustCompile(`(?s)No project found.*no project named\s+"la-south-2".*iam:projects:list`)},
		{"two projects", fmt.Sprintf("region = %q", sharedRegion), 0,
			regexp.MustCompile(`(?s)More than one project found.*2 projects named\s+"ap-southeast-3".*shared-1\s+\(ap-southeast-3\),\s+shared-2.*Set\s+project_id`)},
		{"IAM refuses", "", 403,
			regexp.MustCompile(`(?s)Unable to resolve the project of region ap-southeast-1.*resolving the project of region\s+"ap-southeast-1"\s+through\s+IAM.*IAM API answered 403\s+Forbidden.*error_code="IAM.0003".*X-Request-Id="[0-9a-f]{32}".*iam:projects:list`)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fake, url := regionFake(t)
			fake.SetFaults(hssfake.Faults{IAMStatus: tc.iamStatus})
			resource.UnitTest(t, resource.TestCase{
				ProtoV6ProviderFactories: factories(env),
				Steps: []resource.TestStep{{
					Config:      regionProvider(url, tokenAuth(), "max_retries = 0") + fmt.Sprintf("data \"clusterprotect_events\" \"test\" {\n  %s\n}\n", tc.args),
					ExpectError: tc.err,
				}},
			})
			if st := fake.Stats(); st.Requests != 0 || st.IAMRequests == 0 {
				t.Errorf("%d HSS and %d IAM requests, want none and some", st.Requests, st.IAMRequests)
			}
		})
	}
}

// A region that cannot stand in a host name is refused at validation.
func TestEventsDataSource_badRegion(t *testing.T) {
	t.Parallel()
	env := testEnv(t)
	fake, url := regionFake(t)
	for _, region := range []string{"AP-Southeast-1", "ap southeast 1", "ap-southeast-1.evil.example", "-ap"} {
		t.Run(region, func(t *testing.T) {
			resource.UnitTest(t, resource.TestCase{
				ProtoV6ProviderFactories: factories(env),
				Steps: []resource.TestStep{{
					Config:      regionProvider(url, tokenAuth()) + fmt.Sprintf("data \"clusterprotect_events\" \"test\" {\n  region = %q\n}\n", region),
					ExpectError: regexp.MustCompile(`(?s)Attribute region must be a region name such as ap-southeast-1`),
				}},
			})
		})
	}
	if st := fake.Stats(); st.Requests+st.IAMRequests != 0 {
		t.Errorf("%d requests sent for bad input", st.Requests+st.IAMRequests)
	}
}

// The provider's project_id (or HW_PROJECT_ID, or a profile's projectId)
// is its region's: a data source in another region reads that region's
// project, found through IAM, unless it sets its own project_id.
func TestEventsDataSource_providerProjectIsItsRegions(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, provider, args string
		env                  []string
		project              string
		events, iam          int
	}{
		{"project_id, another region", fmt.Sprintf("project_id = %q", testProject), fmt.Sprintf("region = %q", otherRegion), nil, otherProject, 12, 1},
		{"HW_PROJECT_ID, another region", "", fmt.Sprintf("region = %q", otherRegion), []string{envProjectID, testProject}, otherProject, 12, 1},
		{"profile's projectId, another region", "", fmt.Sprintf("region = %q", otherRegion), []string{envSharedConfigFile, "profile"}, otherProject, 12, 1},
		{"project_id, the provider's region", fmt.Sprintf("project_id = %q", testProject), fmt.Sprintf("region = %q", testRegion), nil, testProject, 30, 0},
		{"project_id, another region with its own", fmt.Sprintf("project_id = %q", testProject), fmt.Sprintf("region = %q\n  project_id = %q", otherRegion, otherProject), nil, otherProject, 12, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fake, url := regionFake(t)
			env := testEnv(t)
			for i := 0; i+1 < len(tc.env); i += 2 {
				v := tc.env[i+1]
				if v == "profile" {
					v = sharedConfig(t, "p", fmt.Sprintf(`{"name": "p", "mode": "AKSK", "accessKeyId": %q, "secretAccessKey": %q, "projectId": %q}`, testAK, testSK, testProject))
				}
				env[tc.env[i]] = v
			}
			// Keys, not a token: a token opens only its own project.
			auth := keysAuth()
			if len(tc.env) > 0 && tc.env[0] == envSharedConfigFile {
				auth = ""
			}
			resource.UnitTest(t, resource.TestCase{
				ProtoV6ProviderFactories: factories(env),
				Steps: []resource.TestStep{{
					Config: regionProvider(url, auth, tc.provider) + fmt.Sprintf("data \"clusterprotect_events\" \"test\" {\n  %s\n}\n", tc.args),
					ConfigStateChecks: []statecheck.StateCheck{
						expect(tfjsonpath.New("project_id"), knownvalue.StringExact(tc.project)),
						expect(dataList(), knownvalue.ListSizeExact(tc.events)),
					},
				}},
			})
			// One page per read, and each Terraform command starts the
			// provider anew.
			if st := fake.Stats(); st.IAMRequests != tc.iam*st.Requests {
				t.Errorf("%d IAM requests for %d reads, want %d each", st.IAMRequests, st.Requests, tc.iam)
			}
		})
	}
}

// A look-up shared by two reads runs on its own context: the first read
// giving up neither cancels it nor fails the second, which gets the
// project from the same IAM request.
func TestResolveProject_firstCallerCancelled(t *testing.T) {
	t.Parallel()
	fake, url := regionFake(t)
	fake.SetFaults(hssfake.Faults{IAMLatency: 300 * time.Millisecond})
	transport, err := hwcloud.New(hwcloud.Config{Credentials: hwcloud.StaticCredentials{AuthToken: testToken}})
	if err != nil {
		t.Fatal(err)
	}
	d := &providerData{transport: transport, region: testRegion, iamEndpoint: url}

	first, cancel := context.WithCancel(context.Background())
	firstErr := make(chan error, 1)
	go func() {
		_, err := d.resolveProject(first, testRegion)
		firstErr <- err
	}()
	for fake.Stats().IAMRequests == 0 {
		runtime.Gosched()
	}
	cancel()
	if err := <-firstErr; !errors.Is(err, context.Canceled) {
		t.Fatalf("the first read: %v, want its own cancellation", err)
	}
	id, err := d.resolveProject(context.Background(), testRegion)
	if err != nil || id != testProject {
		t.Fatalf("the second read: %q, %v", id, err)
	}
	if st := fake.Stats(); st.IAMRequests != 1 {
		t.Fatalf("%d IAM requests, want the one shared", st.IAMRequests)
	}
}

// Two reads of one region wait for one project look-up; IAM is slow. The
// read whose timeouts.read runs out first fails with the timeouts
// diagnostic, naming the look-up it waited for; the other, with the
// default timeout, reads its events.
func TestEventsDataSource_sharedLookupOutlivesAShortTimeout(t *testing.T) {
	t.Parallel()
	env := testEnv(t)
	fake, url := regionFake(t)
	fake.SetFaults(hssfake.Faults{IAMLatency: 3 * time.Second})
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(env),
		Steps: []resource.TestStep{{
			Config: regionProvider(url, tokenAuth()) + `
data "clusterprotect_events" "short" {
  timeouts {
    read = "1s"
  }
}
data "clusterprotect_events" "default" {}
`,
			ExpectError: regexp.MustCompile(`(?s)Timed out reading cluster protection events.*within 1s \(timeouts.read.*project of region\s+"ap-southeast-1"\s+from\s+IAM`),
		}},
	})
	// The default read went on to HSS and was answered.
	if st := fake.Stats(); st.IAMRequests != 1 || st.ByStatus[200] != 1 {
		t.Fatalf("%d IAM requests, HSS statuses %v: want one shared look-up and the default read answered", st.IAMRequests, st.ByStatus)
	}
}

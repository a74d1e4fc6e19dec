package provider

import (
	"fmt"
	"math"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/clusterprotect/terraform-provider-clusterprotect/internal/hssfake"
)

const eventsAddr = "data.clusterprotect_events.test"

func dataList() tfjsonpath.Path { return tfjsonpath.New("data_list") }

func expect(p tfjsonpath.Path, v knownvalue.Check) statecheck.StateCheck {
	return statecheck.ExpectKnownValue(eventsAddr, p, v)
}

// sampleEvents covers every field, int64 extremes, unicode, an empty
// namespace, the camelCase enforcementAction and an absent resource_info.
func sampleEvents() []hssfake.Event {
	p := hssfake.Ptr[string]
	return []hssfake.Event{
		{
			Action: p("deny"), ClusterName: p("prod-集群"), ClusterID: p("44753d6c-415e-11ee-834b-0255ac1001b2"),
			EventName: p("Privileged container"), EventClassID: p("clusterprotect_1001"), EventID: p("ev-max"),
			EventType: hssfake.Ptr[int64](30000), EventContent: p(`{"enforcementAction":"deny","kind":"Pod"}`),
			HandleStatus: p("unhandled"), CreateTime: hssfake.Ptr[int64](math.MaxInt64), UpdateTime: hssfake.Ptr[int64](math.MaxInt64 - 1),
			ProjectID: p(testProject), EnterpriseProjectID: p("0"), PolicyName: p("deny-privileged"), PolicyID: p("pol-1"),
			ResourceInfo: &hssfake.Resource{
				EnforcementAction: p("deny"), Group: p(""), Message: p("privileged 🚫"), Name: p("web-0"),
				Namespace: p(""), Version: p("v1"), Kind: p("Pod"), ResourceName: p("web-0"),
			},
		},
		{
			EventID: p("ev-camel"), CreateTime: hssfake.Ptr[int64](1695094500324), Action: p("warn"), EnterpriseProjectID: p("0"),
			ResourceInfo: &hssfake.Resource{EnforcementActionCamel: p("warn"), Kind: p("Deployment")},
		},
		{EventID: p("ev-bare"), CreateTime: hssfake.Ptr[int64](0), ClusterName: p(""), EnterpriseProjectID: p("0")},
	}
}

func TestEventsDataSource_everyField(t *testing.T) {
	t.Parallel()
	env := testEnv(t)
	_, url := startFake(t, sampleEvents())
	null := knownvalue.Null()
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(env),
		Steps: []resource.TestStep{{
			Config: providerBlock(url, tokenAuth()) + `data "clusterprotect_events" "test" {}`,
			ConfigStateChecks: []statecheck.StateCheck{
				expect(tfjsonpath.New("total_num"), knownvalue.Int64Exact(3)),
				expect(tfjsonpath.New("last_update_time"), knownvalue.Int64Exact(math.MaxInt64)),
				expect(tfjsonpath.New("project_id"), knownvalue.StringExact(testProject)),
				expect(tfjsonpath.New("enterprise_project_id"), null),
				expect(tfjsonpath.New("cluster_id"), null),
				expect(tfjsonpath.New("id"), knownvalue.StringRegexp(regexp.MustCompile(`^[0-9a-f]{16}$`))),
				expect(dataList(), knownvalue.ListExact([]knownvalue.Check{
					knownvalue.ObjectExact(map[string]knownvalue.Check{
						"action":                knownvalue.StringExact("deny"),
						"cluster_name":          knownvalue.StringExact("prod-集群"),
						"cluster_id":            knownvalue.StringExact("44753d6c-415e-11ee-834b-0255ac1001b2"),
						"event_name":            knownvalue.StringExact("Privileged container"),
						"event_class_id":        knownvalue.StringExact("clusterprotect_1001"),
						"event_id":              knownvalue.StringExact("ev-max"),
						"event_type":            knownvalue.Int64Exact(30000),
						"event_content":         knownvalue.StringExact(`{"enforcementAction":"deny","kind":"Pod"}`),
						"handle_status":         knownvalue.StringExact("unhandled"),
						"create_time":           knownvalue.Int64Exact(math.MaxInt64),
						"update_time":           knownvalue.Int64Exact(math.MaxInt64 - 1),
						"project_id":            knownvalue.StringExact(testProject),
						"enterprise_project_id": knownvalue.StringExact("0"),
						"policy_name":           knownvalue.StringExact("deny-privileged"),
						"policy_id":             knownvalue.StringExact("pol-1"),
						"resource_info": knownvalue.ObjectExact(map[string]knownvalue.Check{
							"enforcement_action": knownvalue.StringExact("deny"),
							"group":              knownvalue.StringExact(""),
							"message":            knownvalue.StringExact("privileged 🚫"),
							"name":               knownvalue.StringExact("web-0"),
							"namespace":          knownvalue.StringExact(""),
							"version":            knownvalue.StringExact("v1"),
							"kind":               knownvalue.StringExact("Pod"),
							"resource_name":      knownvalue.StringExact("web-0"),
						}),
					}),
					knownvalue.ObjectPartial(map[string]knownvalue.Check{
						"event_id":    knownvalue.StringExact("ev-camel"),
						"policy_name": null,
						"resource_info": knownvalue.ObjectExact(map[string]knownvalue.Check{
							"enforcement_action": knownvalue.StringExact("warn"),
							"group":              null, "message": null, "name": null, "namespace": null,
							"version": null, "kind": knownvalue.StringExact("Deployment"), "resource_name": null,
						}),
					}),
					knownvalue.ObjectPartial(map[string]knownvalue.Check{
						"event_id":      knownvalue.StringExact("ev-bare"),
						"create_time":   knownvalue.Int64Exact(0),
						"cluster_name":  knownvalue.StringExact(""),
						"action":        null,
						"event_type":    null,
						"resource_info": null,
					}),
				})),
			},
		}},
	})
}

func TestEventsDataSource_counts(t *testing.T) {
	t.Parallel()
	env := testEnv(t)
	for _, n := range []int{0, 1, 201, 10_000} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			events := generate(n)
			_, url := startFake(t, events)
			checks := []statecheck.StateCheck{
				expect(tfjsonpath.New("total_num"), knownvalue.Int64Exact(int64(n))),
				expect(dataList(), knownvalue.ListSizeExact(n)),
			}
			if n > 0 {
				checks = append(checks,
					expect(dataList().AtSliceIndex(0).AtMapKey("event_id"), knownvalue.StringExact(*events[0].EventID)),
					expect(dataList().AtSliceIndex(n-1).AtMapKey("event_id"), knownvalue.StringExact(*events[n-1].EventID)),
				)
			}
			resource.UnitTest(t, resource.TestCase{
				ProtoV6ProviderFactories: factories(env),
				Steps: []resource.TestStep{{
					Config:            providerBlock(url, tokenAuth()) + `data "clusterprotect_events" "test" {}`,
					ConfigStateChecks: checks,
				}},
			})
		})
	}
}

func TestEventsDataSource_filters(t *testing.T) {
	t.Parallel()
	env := testEnv(t)
	events := generate(600, func(o *hssfake.GenerateOptions) {
		o.EnterpriseProjectIDs = []string{"0", otherEPS}
		o.Clusters = 3
	})
	count := func(keep func(hssfake.Event) bool) int {
		n := 0
		for _, e := range events {
			if keep(e) {
				n++
			}
		}
		return n
	}
	cluster := *events[0].ClusterID
	_, url := startFake(t, events)
	for _, tc := range []struct {
		name, provider, args string
		want                 int
	}{
		{"default enterprise project", "", "", count(func(e hssfake.Event) bool { return *e.EnterpriseProjectID == "0" })},
		{"enterprise project", "", fmt.Sprintf("enterprise_project_id = %q", otherEPS), count(func(e hssfake.Event) bool { return *e.EnterpriseProjectID == otherEPS })},
		{"provider enterprise project", `enterprise_project_id = "all_granted_eps"`, "", len(events)},
		{"argument beats provider", `enterprise_project_id = "all_granted_eps"`, fmt.Sprintf("enterprise_project_id = %q", otherEPS), count(func(e hssfake.Event) bool { return *e.EnterpriseProjectID == otherEPS })},
		{"cluster", "", fmt.Sprintf(`enterprise_project_id = "all_granted_eps"
  cluster_id = %q`, cluster), count(func(e hssfake.Event) bool { return *e.ClusterID == cluster })},
		{"cluster and enterprise project", "", fmt.Sprintf(`enterprise_project_id = %q
  cluster_id = %q`, otherEPS, cluster), count(func(e hssfake.Event) bool { return *e.ClusterID == cluster && *e.EnterpriseProjectID == otherEPS })},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.want == 0 || tc.want == len(events) && tc.name != "provider enterprise project" {
				t.Fatalf("test data does not exercise the filter: %d", tc.want)
			}
			resource.UnitTest(t, resource.TestCase{
				ProtoV6ProviderFactories: factories(env),
				Steps: []resource.TestStep{{
					Config: providerBlock(url, tokenAuth(), tc.provider) + fmt.Sprintf("data \"clusterprotect_events\" \"test\" {\n  %s\n}\n", tc.args),
					ConfigStateChecks: []statecheck.StateCheck{
						expect(tfjsonpath.New("total_num"), knownvalue.Int64Exact(int64(tc.want))),
						expect(dataList(), knownvalue.ListSizeExact(tc.want)),
					},
				}},
			})
		})
	}
}

// A project the credentials cannot read is an error, never a clean list:
// the gateway answers 403 for a project the account does not have, and for
// a token issued for another project.
func TestEventsDataSource_wrongProjectIsAnError(t *testing.T) {
	t.Parallel()
	env := testEnv(t)
	cfg := tokenConfig()
	cfg.Keys = map[string]hssfake.Credential{testAK: {SecretKey: testSK}}
	cfg.Projects = append(cfg.Projects, hssfake.Project{ID: otherProject, Name: otherRegion, DomainID: testDomain, Enabled: true})
	_, url := serve(t, hssfake.New(cfg, generate(5)))
	aksk := fmt.Sprintf("access_key = %q\n  secret_key = %q", testAK, testSK)
	for _, tc := range []struct {
		name, auth, project string
		err                 *regexp.Regexp
	}{
		{"token, unknown project", tokenAuth(), "nobody", regexp.MustCompile(`(?s)403 Forbidden.*APIGW\.0310.*X-Request-Id="[0-9a-f]{32}".*check\s+that\s+project_id`)},
		{"keys, unknown project", aksk, "nobody", regexp.MustCompile(`(?s)403 Forbidden.*APIGW\.0310.*check\s+that\s+project_id`)},
		{"token of another project", tokenAuth(), otherProject, regexp.MustCompile(`(?s)403 Forbidden.*APIGW\.0302.*check\s+that\s+project_id`)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resource.UnitTest(t, resource.TestCase{
				ProtoV6ProviderFactories: factories(env),
				Steps: []resource.TestStep{{
					Config:      providerBlock(url, tc.auth) + fmt.Sprintf("data \"clusterprotect_events\" \"test\" {\n  project_id = %q\n}\n", tc.project),
					ExpectError: tc.err,
				}},
			})
		})
	}
}

func TestEventsDataSource_authentication(t *testing.T) {
	t.Parallel()
	env := testEnv(t)
	_, url := startFake(t, generate(5))
	ok := []statecheck.StateCheck{expect(dataList(), knownvalue.ListSizeExact(5))}
	for _, tc := range []struct {
		name, auth string
		err        *regexp.Regexp
	}{
		{"token", tokenAuth(), nil},
		{"aksk", fmt.Sprintf("access_key = %q\n  secret_key = %q", testAK, testSK), nil},
		{"temporary aksk", fmt.Sprintf("access_key = %q\n  secret_key = %q\n  security_token = %q", testTmpAK, testTmpSK, testSTS), nil},
		{"wrong token", `auth_token = "wrong-token"`, regexp.MustCompile(`(?s)401 Unauthorized.*APIGW\.0301.*X-Request-Id="[0-9a-f]{32}".*Check the credentials`)},
		{"wrong secret", fmt.Sprintf("access_key = %q\n  secret_key = \"wrong\"", testAK), regexp.MustCompile(`(?s)401 Unauthorized.*signature mismatch`)},
		{"missing credentials", "", regexp.MustCompile(`(?s)Missing credentials.*auth_token \(or HW_AUTH_TOKEN\).*access_key and secret_key`)},
		{"only a secret key", `secret_key = "x"`, regexp.MustCompile(`Missing access key`)},
		{"both", tokenAuth() + fmt.Sprintf("\n  access_key = %q\n  secret_key = %q", testAK, testSK), regexp.MustCompile(`Conflicting credentials`)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			step := resource.TestStep{
				Config:            providerBlock(url, tc.auth) + `data "clusterprotect_events" "test" {}`,
				ConfigStateChecks: ok,
				ExpectError:       tc.err,
			}
			if tc.err != nil {
				step.ConfigStateChecks = nil
			}
			resource.UnitTest(t, resource.TestCase{ProtoV6ProviderFactories: factories(env), Steps: []resource.TestStep{step}})
		})
	}
}

// Bad input is refused with an error naming the attribute, before any
// request is sent.
func TestEventsDataSource_badArguments(t *testing.T) {
	t.Parallel()
	env := testEnv(t)
	fake, url := startFake(t, generate(5))
	for _, tc := range []struct {
		name, provider, args string
		err                  *regexp.Regexp
	}{
		{"empty cluster_id", "", `cluster_id = ""`, regexp.MustCompile(`(?s)Attribute cluster_id string length must be between 1 and 256`)},
		{"long project_id", "", fmt.Sprintf("project_id = %q", strings.Repeat("p", 257)), regexp.MustCompile(`(?s)Attribute project_id string length must be between 1 and 256`)},
		{"empty enterprise_project_id", "", `enterprise_project_id = ""`, regexp.MustCompile(`(?s)Invalid enterprise_project_id.*enterprise_project_id\s+is\s+""`)},
		{"endpoint not a URL", `endpoints = { hss = "hss.example.com" }`, "", regexp.MustCompile(`(?s)Invalid HSS endpoint.*absolute http:// or https:// URL`)},
		{"max_concurrency 0", `max_concurrency = 0`, "", regexp.MustCompile(`(?s)max_concurrency value must be between 1 and 32`)},
		{"max_retries 11", `max_retries = 11`, "", regexp.MustCompile(`(?s)max_retries value must be between 0 and 10`)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := providerBlock(url, tokenAuth(), tc.provider)
			if tc.name == "endpoint not a URL" {
				cfg = fmt.Sprintf("provider \"clusterprotect\" {\n  %s\n  %s\n  project_id = %q\n}\n", tc.provider, tokenAuth(), testProject)
			}
			resource.UnitTest(t, resource.TestCase{
				ProtoV6ProviderFactories: factories(env),
				Steps: []resource.TestStep{{
					Config:      cfg + fmt.Sprintf("data \"clusterprotect_events\" \"test\" {\n  %s\n}\n", tc.args),
					ExpectError: tc.err,
				}},
			})
		})
	}
	if st := fake.Stats(); st.Requests != 0 {
		t.Errorf("%d requests were sent for bad input", st.Requests)
	}
}

func TestEventsDataSource_missingProjectAndRegion(t *testing.T) {
	t.Parallel()
	env := testEnv(t)
	_, url := startFake(t, generate(5))
	for _, tc := range []struct {
		name, cfg string
		err       *regexp.Regexp
	}{
		{"no project", fmt.Sprintf("provider \"clusterprotect\" {\n endpoints = { hss = %q }\n %s\n}\n", url, tokenAuth()),
			regexp.MustCompile(`(?s)Missing region.*HW_REGION_NAME.*endpoints.hss.*project_id\s+\(or\s+HW_PROJECT_ID\)`)},
		{"no region nor endpoint", fmt.Sprintf("provider \"clusterprotect\" {\n %s\n project_id = \"p\"\n}\n", tokenAuth()),
			regexp.MustCompile(`(?s)Missing region.*HW_REGION_NAME.*finds\s+through\s+IAM`)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resource.UnitTest(t, resource.TestCase{
				ProtoV6ProviderFactories: factories(env),
				Steps:                    []resource.TestStep{{Config: tc.cfg + `data "clusterprotect_events" "test" {}`, ExpectError: tc.err}},
			})
		})
	}
}

func TestEventsDataSource_environment(t *testing.T) {
	t.Parallel()
	env := testEnv(t)
	_, url := startFake(t, generate(250, func(o *hssfake.GenerateOptions) { o.EnterpriseProjectIDs = []string{"0", otherEPS} }))
	env[envHSSEndpoint] = url
	env[envProjectID] = testProject
	env[envEnterpriseProjectID] = "all_granted_eps"
	env[envMaxConcurrency] = "2"
	env[envMaxRetries] = "0"

	t.Run("aksk from env", func(t *testing.T) {
		env := withEnv(env)
		env[envAccessKey] = testAK
		env[envSecretKey] = testSK
		resource.UnitTest(t, resource.TestCase{
			ProtoV6ProviderFactories: factories(env),
			Steps: []resource.TestStep{{
				Config: `data "clusterprotect_events" "test" {}`,
				ConfigStateChecks: []statecheck.StateCheck{
					expect(dataList(), knownvalue.ListSizeExact(250)),
					expect(tfjsonpath.New("enterprise_project_id"), knownvalue.StringExact("all_granted_eps")),
				},
			}},
		})
	})
	t.Run("config beats env", func(t *testing.T) {
		env := withEnv(env)
		env[envAuthToken] = "wrong-env-token"
		resource.UnitTest(t, resource.TestCase{
			ProtoV6ProviderFactories: factories(env),
			Steps: []resource.TestStep{{
				Config: fmt.Sprintf("provider \"clusterprotect\" {\n auth_token = %q\n enterprise_project_id = %q\n}\n", testToken, otherEPS) +
					`data "clusterprotect_events" "test" {}`,
				ConfigStateChecks: []statecheck.StateCheck{
					expect(tfjsonpath.New("enterprise_project_id"), knownvalue.StringExact(otherEPS)),
				},
			}},
		})
	})
	// Credentials in configuration name the source: exported keys do not
	// conflict with a token in configuration, nor an exported token with
	// keys in configuration.
	t.Run("token in config, keys in env", func(t *testing.T) {
		env := withEnv(env)
		env[envAccessKey] = testAK
		env[envSecretKey] = "not-the-secret"
		resource.UnitTest(t, resource.TestCase{
			ProtoV6ProviderFactories: factories(env),
			Steps: []resource.TestStep{{
				Config:            fmt.Sprintf("provider \"clusterprotect\" {\n auth_token = %q\n}\n", testToken) + `data "clusterprotect_events" "test" {}`,
				ConfigStateChecks: []statecheck.StateCheck{expect(dataList(), knownvalue.ListSizeExact(250))},
			}},
		})
	})
	t.Run("keys in config, stale token in env", func(t *testing.T) {
		env := withEnv(env)
		env[envAuthToken] = "stale-token"
		resource.UnitTest(t, resource.TestCase{
			ProtoV6ProviderFactories: factories(env),
			Steps: []resource.TestStep{{
				Config:            fmt.Sprintf("provider \"clusterprotect\" {\n access_key = %q\n secret_key = %q\n}\n", testAK, testSK) + `data "clusterprotect_events" "test" {}`,
				ConfigStateChecks: []statecheck.StateCheck{expect(dataList(), knownvalue.ListSizeExact(250))},
			}},
		})
	})
	t.Run("bad env value", func(t *testing.T) {
		env := withEnv(env)
		env[envAuthToken] = testToken
		env[envMaxConcurrency] = "lots"
		resource.UnitTest(t, resource.TestCase{
			ProtoV6ProviderFactories: factories(env),
			Steps: []resource.TestStep{{
				Config:      `data "clusterprotect_events" "test" {}`,
				ExpectError: regexp.MustCompile(`(?s)HW_MAX_CONCURRENCY is "lots".*1\s+to\s+32`),
			}},
		})
	})
}

// TestAccEventsDataSource_live reads the real cloud; it runs only with TF_ACC=1 and
// HW_* credentials, and skips otherwise. It reads the process's own
// variables, the credentials a developer exports, so it is not parallel:
// it keeps the whole environment as Terraform would see it.
func TestAccEventsDataSource_live(t *testing.T) {
	resource.Test(t, resource.TestCase{
		PreCheck: func() {
			for _, v := range []string{envRegion} {
				if os.Getenv(v) == "" {
					t.Skipf("live test: %s is not set", v)
				}
			}
			if os.Getenv(envAuthToken) == "" && (os.Getenv(envAccessKey) == "" || os.Getenv(envSecretKey) == "") {
				t.Skip("live test: no HW_AUTH_TOKEN nor HW_ACCESS_KEY/HW_SECRET_KEY")
			}
		},
		ProtoV6ProviderFactories: processEnvFactories(),
		Steps: []resource.TestStep{{
			Config: `data "clusterprotect_events" "test" {}`,
			ConfigStateChecks: []statecheck.StateCheck{
				expect(tfjsonpath.New("total_num"), knownvalue.NotNull()),
				expect(dataList(), knownvalue.NotNull()),
			},
		}},
	})
}

// readAtBetween checks that read_at is an RFC 3339 time in UTC from the
// start of the step to the check, which runs after the read.
type readAtBetween struct{ from *time.Time }

func (c readAtBetween) CheckValue(v any) error {
	s, ok := v.(string)
	if !ok {
		return fmt.Errorf("read_at is %T, want a string", v)
	}
	at, err := time.Parse(time.RFC3339Nano, s)
	if err != nil || !strings.HasSuffix(s, "Z") {
		return fmt.Errorf("read_at %q is not an RFC 3339 time in UTC: %w", s, err)
	}
	if to := time.Now(); at.Before(*c.from) || at.After(to) {
		return fmt.Errorf("read_at %s is not within this step, %s to %s", s, c.from.Format(time.RFC3339Nano), to.Format(time.RFC3339Nano))
	}
	return nil
}

func (c readAtBetween) String() string { return "read_at within the step" }

// Every read sets read_at to when it began, so a policy can tell a read of
// this plan from state of an earlier one: a second read of the same
// configuration has a later read_at.
func TestEventsDataSource_readAt(t *testing.T) {
	t.Parallel()
	env := testEnv(t)
	_, url := startFake(t, generate(3))
	var from time.Time
	between := readAtBetween{&from}
	mark := func() { from = time.Now() }
	config := providerBlock(url, tokenAuth()) + `data "clusterprotect_events" "test" {}`
	later := statecheck.CompareValue(compare.ValuesDiffer())
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(env),
		Steps: []resource.TestStep{
			{
				PreConfig: mark,
				Config:    config,
				ConfigStateChecks: []statecheck.StateCheck{
					expect(tfjsonpath.New("read_at"), between),
					later.AddStateValue(eventsAddr, tfjsonpath.New("read_at")),
				},
			},
			{
				PreConfig: mark,
				Config:    config,
				ConfigStateChecks: []statecheck.StateCheck{
					expect(tfjsonpath.New("read_at"), between),
					later.AddStateValue(eventsAddr, tfjsonpath.New("read_at")),
				},
			},
		},
	})
}

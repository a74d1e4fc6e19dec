package provider

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/clusterprotect/terraform-provider-clusterprotect/internal/hssfake"
)

const clustersAddr = "data.clusterprotect_clusters.test"

func clusterCheck(p tfjsonpath.Path, v knownvalue.Check) statecheck.StateCheck {
	return statecheck.ExpectKnownValue(clustersAddr, p, v)
}

func clusterAttr(name string) tfjsonpath.Path { return tfjsonpath.New(name) }

const clustersConfig = `data "clusterprotect_clusters" "test" {}`

// startClusters serves clusters (and no events) on the fake.
func startClusters(t *testing.T, clusters []hssfake.Cluster) (*hssfake.Server, string) {
	t.Helper()
	fake, url := startFake(t, nil)
	fake.SetClusters(clusters)
	return fake, url
}

// manyClusters are n clusters, every fourth "unprotected", the others
// protected with policy.
func manyClusters(n int) []hssfake.Cluster {
	out := make([]hssfake.Cluster, n)
	for i := range out {
		status := "protected with policy"
		if i%4 == 3 {
			status = "unprotected"
		}
		out[i] = hssfake.Cluster{
			ClusterID: hssfake.Ptr(fmt.Sprintf("c-%05d", i)), ClusterName: hssfake.Ptr(fmt.Sprintf("cluster-%d", i)),
			ProtectStatus: hssfake.Ptr(status), ClusterStatus: hssfake.Ptr("Available"), ClusterType: hssfake.Ptr("cce"),
		}
	}
	return out
}

// Every field under the API's name; null where the API leaves it out; a
// protect_status the document does not list is data, counted like any
// other.
func TestClustersDataSource_everyField(t *testing.T) {
	t.Parallel()
	env := testEnv(t)
	p := hssfake.Ptr[string]
	_, url := startClusters(t, []hssfake.Cluster{
		{ClusterName: p("payments-prod"), ClusterID: p("6f1c7a52-0b9e-11ef-9d4e-0255ac100b07"), ClusterVersion: p("v1.29"),
			ProtectStatus: p("protected with policy"), PolicyNum: hssfake.Ptr[int64](4), ClusterStatus: p("Available"), ClusterType: p("cce")},
		{ClusterName: p("batch-dev"), ClusterID: p("8a22d0e4"), ClusterVersion: p("v1.28"),
			ProtectStatus: p("quarantined by a future API"), PolicyNum: hssfake.Ptr[int64](0), ClusterStatus: p("Unavailable"), ClusterType: p("self_built_idc")},
		{ClusterID: p("bare")},
	})
	null := knownvalue.Null()
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(env),
		Steps: []resource.TestStep{{
			Config: providerBlock(url, tokenAuth()) + clustersConfig,
			ConfigStateChecks: []statecheck.StateCheck{
				clusterCheck(clusterAttr("total_num"), knownvalue.Int64Exact(3)),
				clusterCheck(clusterAttr("project_id"), knownvalue.StringExact(testProject)),
				clusterCheck(clusterAttr("enterprise_project_id"), null),
				clusterCheck(clusterAttr("id"), knownvalue.StringRegexp(regexp.MustCompile(`^[0-9a-f]{16}$`))),
				clusterCheck(clusterAttr("complete"), knownvalue.Bool(true)),
				clusterCheck(clusterAttr("warnings"), knownvalue.ListExact([]knownvalue.Check{})),
				clusterCheck(clusterAttr("data_list"), knownvalue.ListExact([]knownvalue.Check{
					knownvalue.ObjectExact(map[string]knownvalue.Check{
						"cluster_name":    knownvalue.StringExact("payments-prod"),
						"cluster_id":      knownvalue.StringExact("6f1c7a52-0b9e-11ef-9d4e-0255ac100b07"),
						"cluster_version": knownvalue.StringExact("v1.29"),
						"protect_status":  knownvalue.StringExact("protected with policy"),
						"policy_num":      knownvalue.Int64Exact(4),
						"cluster_status":  knownvalue.StringExact("Available"),
						"cluster_type":    knownvalue.StringExact("cce"),
					}),
					knownvalue.ObjectExact(map[string]knownvalue.Check{
						"cluster_name":    knownvalue.StringExact("batch-dev"),
						"cluster_id":      knownvalue.StringExact("8a22d0e4"),
						"cluster_version": knownvalue.StringExact("v1.28"),
						"protect_status":  knownvalue.StringExact("quarantined by a future API"),
						"policy_num":      knownvalue.Int64Exact(0),
						"cluster_status":  knownvalue.StringExact("Unavailable"),
						"cluster_type":    knownvalue.StringExact("self_built_idc"),
					}),
					knownvalue.ObjectExact(map[string]knownvalue.Check{
						"cluster_name": null, "cluster_id": knownvalue.StringExact("bare"), "cluster_version": null,
						"protect_status": null, "policy_num": null, "cluster_status": null, "cluster_type": null,
					}),
				})),
				clusterCheck(clusterAttr("summary"), knownvalue.ObjectExact(map[string]knownvalue.Check{
					"total":                     knownvalue.Int64Exact(3),
					"not_protected_with_policy": knownvalue.Int64Exact(2), // the unknown status and the missing one
					"by_protect_status": knownvalue.MapExact(map[string]knownvalue.Check{
						"protected with policy":       knownvalue.Int64Exact(1),
						"quarantined by a future API": knownvalue.Int64Exact(1),
					}),
					"by_cluster_status": knownvalue.MapExact(map[string]knownvalue.Check{
						"Available": knownvalue.Int64Exact(1), "Unavailable": knownvalue.Int64Exact(1),
					}),
					"by_cluster_type": knownvalue.MapExact(map[string]knownvalue.Check{
						"cce": knownvalue.Int64Exact(1), "self_built_idc": knownvalue.Int64Exact(1),
					}),
				})),
			},
		}},
	})
}

// No clusters: an empty list and empty maps, never null.
func TestClustersDataSource_none(t *testing.T) {
	t.Parallel()
	env := testEnv(t)
	_, url := startClusters(t, nil)
	empty := knownvalue.MapExact(map[string]knownvalue.Check{})
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(env),
		Steps: []resource.TestStep{{
			Config: providerBlock(url, tokenAuth()) + clustersConfig,
			ConfigStateChecks: []statecheck.StateCheck{
				clusterCheck(clusterAttr("total_num"), knownvalue.Int64Exact(0)),
				clusterCheck(clusterAttr("complete"), knownvalue.Bool(true)),
				clusterCheck(clusterAttr("data_list"), knownvalue.ListExact([]knownvalue.Check{})),
				clusterCheck(clusterAttr("summary"), knownvalue.ObjectExact(map[string]knownvalue.Check{
					"total": knownvalue.Int64Exact(0), "not_protected_with_policy": knownvalue.Int64Exact(0),
					"by_protect_status": empty, "by_cluster_status": empty, "by_cluster_type": empty,
				})),
			},
		}},
	})
}

// Every page is read, in the API's order, and the summary counts them all.
func TestClustersDataSource_pages(t *testing.T) {
	t.Parallel()
	env := testEnv(t)
	const n = 450 // three pages of 200
	fake, url := startClusters(t, manyClusters(n))
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(env),
		Steps: []resource.TestStep{{
			Config: providerBlock(url, tokenAuth()) + clustersConfig,
			ConfigStateChecks: []statecheck.StateCheck{
				clusterCheck(clusterAttr("total_num"), knownvalue.Int64Exact(n)),
				clusterCheck(clusterAttr("complete"), knownvalue.Bool(true)),
				clusterCheck(clusterAttr("data_list"), knownvalue.ListSizeExact(n)),
				clusterCheck(clusterAttr("data_list").AtSliceIndex(0).AtMapKey("cluster_id"), knownvalue.StringExact("c-00000")),
				clusterCheck(clusterAttr("data_list").AtSliceIndex(200).AtMapKey("cluster_id"), knownvalue.StringExact("c-00200")),
				clusterCheck(clusterAttr("data_list").AtSliceIndex(n-1).AtMapKey("cluster_id"), knownvalue.StringExact(fmt.Sprintf("c-%05d", n-1))),
				clusterCheck(clusterAttr("summary").AtMapKey("total"), knownvalue.Int64Exact(n)),
				clusterCheck(clusterAttr("summary").AtMapKey("not_protected_with_policy"), knownvalue.Int64Exact(n/4)),
				clusterCheck(clusterAttr("summary").AtMapKey("by_protect_status"), knownvalue.MapExact(map[string]knownvalue.Check{
					"protected with policy": knownvalue.Int64Exact(n - n/4), "unprotected": knownvalue.Int64Exact(n / 4),
				})),
			},
		}},
	})
	for _, o := range fake.Stats().Offsets {
		if o < 0 || o >= n {
			t.Errorf("a page read at offset %d of %d clusters", o, n)
		}
	}
}

// A read cut at the API's cap is incomplete, with a warning; strict makes
// it an error. Pages that do not add up to total_num are incomplete too.
func TestClustersDataSource_completeAndStrict(t *testing.T) {
	t.Parallel()
	env := testEnv(t)
	_, capped := startClusters(t, manyClusters(10_001))
	_, clean := startClusters(t, manyClusters(5))
	short := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"total_num": 5, "data_list": [{"cluster_id": "a"}, {"cluster_id": "b"}, {"cluster_id": "c"}]}`))
	}))
	t.Cleanup(short.Close)
	incomplete := regexp.MustCompile(`^HSS clusters may be incomplete: `)
	for _, tc := range []struct {
		name, url, args string
		complete        bool
		err             *regexp.Regexp
	}{
		{"clean", clean, "strict = true", true, nil},
		{"capped", capped, "", false, nil},
		{"capped, strict", capped, "strict = true", false, regexp.MustCompile(`(?s)Error: HSS clusters may be incomplete.*10000.*strict = true`)},
		{"short pages", short.URL, "", false, nil},
		{"short pages, strict", short.URL, "strict = true", false, regexp.MustCompile(`(?s)Error: HSS clusters may be incomplete.*strict = true`)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			step := resource.TestStep{
				Config:      providerBlock(tc.url, tokenAuth()) + fmt.Sprintf("data \"clusterprotect_clusters\" \"test\" {\n  %s\n}\n", tc.args),
				ExpectError: tc.err,
			}
			if tc.err == nil {
				warnings := knownvalue.ListExact([]knownvalue.Check{})
				if !tc.complete {
					warnings = knownvalue.ListExact([]knownvalue.Check{knownvalue.StringRegexp(incomplete)})
				}
				step.ConfigStateChecks = []statecheck.StateCheck{
					clusterCheck(clusterAttr("complete"), knownvalue.Bool(tc.complete)),
					clusterCheck(clusterAttr("warnings"), warnings),
				}
			}
			resource.UnitTest(t, resource.TestCase{ProtoV6ProviderFactories: factories(env), Steps: []resource.TestStep{step}})
		})
	}
}

// A failed read names the data source, the step, the status, error_code,
// X-Request-Id and what to do; a 403 names the credentials used.
func TestClustersDataSource_errors(t *testing.T) {
	t.Parallel()
	env := testEnv(t)
	fake, url := startClusters(t, manyClusters(3))
	fake.SetFaults(hssfake.Faults{ServerErrors: 1000})
	_, ok := startClusters(t, manyClusters(3))
	for _, tc := range []struct {
		name, url, args string
		err             *regexp.Regexp
	}{
		{"server error", url, "", regexp.MustCompile(`(?s)Unable to read HSS clusters.*reading clusters: HSS API answered 500 Internal Server Error.*X-Request-Id=.*retry later`)},
		{"unknown project", ok, `project_id = "nobody"`, regexp.MustCompile(`(?s)Unable to read HSS clusters.*reading clusters: HSS API answered 403 Forbidden.*check\s+that\s+project_id`)},
		{"bad enterprise project", ok, `enterprise_project_id = "all-granted-eps"`, regexp.MustCompile(`(?s)Invalid enterprise_project_id.*all_granted_eps`)},
		{"no cluster filter", ok, `cluster_id = "c-00001"`, regexp.MustCompile(`(?s)An argument named "cluster_id" is not expected here`)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resource.UnitTest(t, resource.TestCase{
				ProtoV6ProviderFactories: factories(env),
				Steps: []resource.TestStep{{
					Config:      providerBlock(tc.url, tokenAuth(), "max_retries = 0") + fmt.Sprintf("data \"clusterprotect_clusters\" \"test\" {\n  %s\n}\n", tc.args),
					ExpectError: tc.err,
				}},
			})
		})
	}
}

// The id is the query's: the same on every read of the same query, while
// the clusters change; another enterprise project is another id.
func TestClustersDataSource_id(t *testing.T) {
	t.Parallel()
	env := testEnv(t)
	fake, url := startClusters(t, manyClusters(3))
	same := statecheck.CompareValue(compare.ValuesSame())
	differ := statecheck.CompareValue(compare.ValuesDiffer())
	cfg := func(args string) string {
		return providerBlock(url, tokenAuth()) + fmt.Sprintf("data \"clusterprotect_clusters\" \"test\" {\n  %s\n}\n", args)
	}
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(env),
		Steps: []resource.TestStep{
			{Config: cfg(""), ConfigStateChecks: []statecheck.StateCheck{
				same.AddStateValue(clustersAddr, clusterAttr("id")), differ.AddStateValue(clustersAddr, clusterAttr("id")),
			}},
			{
				PreConfig: func() { fake.SetClusters(manyClusters(7)) },
				Config:    cfg(""),
				ConfigStateChecks: []statecheck.StateCheck{
					same.AddStateValue(clustersAddr, clusterAttr("id")),
					clusterCheck(clusterAttr("total_num"), knownvalue.Int64Exact(7)),
				},
			},
			{Config: cfg(`enterprise_project_id = "all_granted_eps"`), ConfigStateChecks: []statecheck.StateCheck{
				differ.AddStateValue(clustersAddr, clusterAttr("id")),
			}},
		},
	})
}

// The events' cluster_id values name clusters the clusters data source
// lists, through one provider (one transport and pacer for both).
func TestClustersDataSource_withEvents(t *testing.T) {
	t.Parallel()
	env := testEnv(t)
	events := generate(50, func(o *hssfake.GenerateOptions) { o.Clusters = 3 })
	_, url := startFake(t, events)
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(env),
		Steps: []resource.TestStep{{
			Config: providerBlock(url, tokenAuth()) + clustersConfig + `
data "clusterprotect_events" "test" {}

output "unlisted" {
  value = setsubtract(keys(data.clusterprotect_events.test.summary.by_cluster_id), data.clusterprotect_clusters.test.data_list[*].cluster_id)
}
`,
			ConfigStateChecks: []statecheck.StateCheck{
				clusterCheck(clusterAttr("total_num"), knownvalue.Int64Exact(3)),
				statecheck.ExpectKnownOutputValue("unlisted", knownvalue.SetExact([]knownvalue.Check{})),
			},
		}},
	})
}

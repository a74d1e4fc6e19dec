package provider

import (
	"context"
	"fmt"
	"maps"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/clusterprotect/terraform-provider-clusterprotect/internal/hss"
	"github.com/clusterprotect/terraform-provider-clusterprotect/internal/hssfake"
)

// smallCap is the fake's cap on one query in these tests, and the
// provider's: the API's 10,000 scaled down.
const smallCap = 50

// cappedFactories serve the provider as factories do, its HSS clients
// told the fake's cap.
func cappedFactories(env map[string]string, capN int) map[string]func() (tfprotov6.ProviderServer, error) {
	env = maps.Clone(env)
	return map[string]func() (tfprotov6.ProviderServer, error){
		"clusterprotect": providerserver.NewProtocol6WithError(newProvider("test", func(name string) string { return env[name] }, hss.WithTotalNumCap(capN))()),
	}
}

// inClusters are events of clusters c0, c1, ..., counts[i] of ci, their
// event_id ci-NNNN; the even clusters' newest event is a second newer
// than the odd ones'.
func inClusters(counts ...int) []hssfake.Event {
	var out []hssfake.Event
	for i, n := range counts {
		events := generate(n, func(o *hssfake.GenerateOptions) {
			o.Clusters, o.Seed, o.NewestMillis = 1, uint64(i+1), 1_767_225_600_000-int64(i%2)*1000
		})
		for j := range events {
			events[j].ClusterID = hssfake.Ptr(fmt.Sprintf("c%d", i))
			events[j].EventID = hssfake.Ptr(fmt.Sprintf("c%d-%04d", i, j))
		}
		out = append(out, events...)
	}
	return out
}

// startCappedFake serves events with a cap of capN per query, counting the
// requests of the clusters route.
func startCappedFake(t *testing.T, capN int, events []hssfake.Event) (url string, clustersRead *atomic.Int64) {
	t.Helper()
	cfg := tokenConfig()
	cfg.TotalNumCap = capN
	fake := hssfake.New(cfg, events)
	clustersRead = &atomic.Int64{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/clusters") {
			clustersRead.Add(1)
		}
		fake.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv.URL, clustersRead
}

// A read past the cap, cluster by cluster, through the CLI: every event of
// the clusters, complete when each cluster is below the cap; max_results
// and summary work on the merged events, newest first then by event_id;
// a cluster alone at the cap is named in warnings and the read is not
// complete; with cluster_id, that cluster only, as before.
func TestEventsDataSource_pastTheCap(t *testing.T) {
	t.Parallel()
	env := testEnv(t)
	url, _ := startCappedFake(t, smallCap, inClusters(40, 30, 45))
	cappedURL, _ := startCappedFake(t, smallCap, inClusters(40, 70))
	oneURL, clustersRead := startCappedFake(t, smallCap, inClusters(40, 70))
	read := func(url, args string) string {
		return providerBlock(url, tokenAuth()) + fmt.Sprintf("data \"clusterprotect_events\" \"test\" {\n  %s\n}\n", args)
	}
	event := func(i int) tfjsonpath.Path { return dataList().AtSliceIndex(i).AtMapKey("event_id") }
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: cappedFactories(env, smallCap),
		Steps: []resource.TestStep{{
			Config: read(url, ""),
			ConfigStateChecks: []statecheck.StateCheck{
				expect(tfjsonpath.New("complete"), knownvalue.Bool(true)),
				warningsAre(),
				expect(dataList(), knownvalue.ListSizeExact(115)),
				expect(tfjsonpath.New("total_num"), knownvalue.Int64Exact(115)),
				// c0 and c2 share the newest create_time.
				expect(event(0), knownvalue.StringExact("c0-0000")),
				expect(event(1), knownvalue.StringExact("c2-0000")),
				expect(event(2), knownvalue.StringExact("c1-0000")),
			},
		}, {
			Config: read(url, "max_results = 2\n  handle_status = \"unhandled\""),
			ConfigStateChecks: []statecheck.StateCheck{
				expect(tfjsonpath.New("complete"), knownvalue.Bool(true)),
				expect(dataList(), knownvalue.ListSizeExact(2)),
				expect(tfjsonpath.New("summary").AtMapKey("total"), knownvalue.Int64Func(func(n int64) error {
					if n <= 50 || n >= 115 {
						return fmt.Errorf("summary.total %d: want the unhandled events of all 115, past the cap of %d", n, smallCap)
					}
					return nil
				})),
			},
		}, {
			Config: read(cappedURL, ""),
			ConfigStateChecks: []statecheck.StateCheck{
				expect(tfjsonpath.New("complete"), knownvalue.Bool(false)),
				warningsAre(regexp.MustCompile(`^Cluster protection events may be incomplete: The API reports total_num 50, its documented maximum: older events may be left out. Cluster "c1" alone reaches it: its older events cannot be read through the API.$`)),
				expect(dataList(), knownvalue.ListSizeExact(40+smallCap)),
			},
		}, {
			Config: read(oneURL, `cluster_id = "c1"`),
			ConfigStateChecks: []statecheck.StateCheck{
				expect(tfjsonpath.New("complete"), knownvalue.Bool(false)),
				expect(dataList(), knownvalue.ListSizeExact(smallCap)),
				expect(tfjsonpath.New("summary").AtMapKey("total"), knownvalue.Int64Exact(smallCap)),
				clustersNotRead(clustersRead),
			},
		}, {
			Config: read(oneURL, `cluster_id = "c0"`),
			ConfigStateChecks: []statecheck.StateCheck{
				expect(tfjsonpath.New("complete"), knownvalue.Bool(true)),
				warningsAre(),
				expect(dataList(), knownvalue.ListSizeExact(40)),
				clustersNotRead(clustersRead),
			},
		}},
	})
}

// clustersNotRead fails when the clusters route was read.
func clustersNotRead(n *atomic.Int64) statecheck.StateCheck { return notRead{n} }

type notRead struct{ n *atomic.Int64 }

func (c notRead) CheckState(_ context.Context, _ statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
	if got := c.n.Load(); got != 0 {
		resp.Error = fmt.Errorf("the clusters were listed %d times for a read with cluster_id", got)
	}
}

// oneCluster puts generated events in one cluster, so that past the API's
// cap they stay cut there: a cluster alone at the cap.
func oneCluster(o *hssfake.GenerateOptions) { o.Clusters = 1 }

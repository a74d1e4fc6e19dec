package provider

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

var (
	typoWarning      = regexp.MustCompile(`^No event matches actions: no event has action "dney"; did you mean "deny"\? seen: deny \(\d+\), warn \(\d+\)\.$`)
	truncatedWarning = regexp.MustCompile(`^Cluster protection events may be incomplete: The API reports total_num 10000, its documented maximum`)
)

func warningsAre(res ...*regexp.Regexp) statecheck.StateCheck {
	checks := make([]knownvalue.Check, len(res))
	for i, re := range res {
		checks[i] = knownvalue.StringRegexp(re)
	}
	return expect(tfjsonpath.New("warnings"), knownvalue.ListExact(checks))
}

// What the read could not know is in state, where a policy reads it: a
// clean read is complete without warnings; a likely typo in actions is a
// warning; a read cut at the API's cap is incomplete.
func TestEventsDataSource_completeAndWarnings(t *testing.T) {
	t.Parallel()
	env := testEnv(t)
	_, url := startFake(t, generate(300))
	step := func(args string, complete bool, warnings ...*regexp.Regexp) resource.TestStep {
		return resource.TestStep{
			Config: providerBlock(url, tokenAuth()) + fmt.Sprintf("data \"clusterprotect_events\" \"test\" {\n  %s\n}\n", args),
			ConfigStateChecks: []statecheck.StateCheck{
				expect(tfjsonpath.New("complete"), knownvalue.Bool(complete)),
				warningsAre(warnings...),
			},
		}
	}
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(env),
		Steps: []resource.TestStep{
			step("", true),
			step(`actions = ["dney"]`, true, typoWarning),
			step(`actions = ["deny"]`, true),
		},
	})
}

// A cluster alone past the API's cap: read cluster by cluster, it is still
// cut there, and the read says so.
func TestEventsDataSource_truncatedAtTheCap(t *testing.T) {
	t.Parallel()
	env := testEnv(t)
	_, url := startFake(t, generate(10_001, oneCluster))
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(env),
		Steps: []resource.TestStep{{
			Config: providerBlock(url, tokenAuth()) + `data "clusterprotect_events" "test" {
  max_results = 3
}`,
			ConfigStateChecks: []statecheck.StateCheck{
				expect(tfjsonpath.New("complete"), knownvalue.Bool(false)),
				warningsAre(truncatedWarning),
				expect(dataList(), knownvalue.ListSizeExact(3)),
				expect(tfjsonpath.New("summary").AtMapKey("total"), knownvalue.Int64Exact(10_000)),
			},
		}},
	})
}

// An API whose pages never add up to its total_num: nothing moved, but the
// read cannot know it has every event, and says so.
func TestEventsDataSource_inconsistentSnapshot(t *testing.T) {
	t.Parallel()
	env := testEnv(t)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"total_num": 5, "data_list": [{"event_id": "a"}, {"event_id": "b"}, {"event_id": "c"}]}`))
	}))
	t.Cleanup(srv.Close)
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(env),
		Steps: []resource.TestStep{{
			Config: providerBlock(srv.URL, tokenAuth()) + `data "clusterprotect_events" "test" {}`,
			ConfigStateChecks: []statecheck.StateCheck{
				expect(tfjsonpath.New("complete"), knownvalue.Bool(false)),
				warningsAre(regexp.MustCompile(`^Cluster protection events may be incomplete: total_num disagrees with the pages`)),
			},
		}},
	})
}

// strict turns each warning into an error, so that the plan itself stops.
func TestEventsDataSource_strict(t *testing.T) {
	t.Parallel()
	env := testEnv(t)
	_, url := startFake(t, generate(300))
	_, capped := startFake(t, generate(10_001, oneCluster))
	for _, tc := range []struct {
		name, url, args string
		err             *regexp.Regexp
	}{
		{"typo", url, "strict = true\n  actions = [\"dney\"]", regexp.MustCompile(`(?s)Error: No event matches actions.*did you mean "deny"\?.*strict = true`)},
		{"truncated", capped, "strict = true\n  max_results = 1", regexp.MustCompile(`(?s)Error: Cluster protection events may be incomplete.*documented maximum.*strict = true`)},
		{"clean", url, "strict = true\n  actions = [\"deny\"]", nil},
		{"typo, not strict", url, "strict = false\n  actions = [\"dney\"]", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			step := resource.TestStep{
				Config:      providerBlock(tc.url, tokenAuth()) + fmt.Sprintf("data \"clusterprotect_events\" \"test\" {\n  %s\n}\n", tc.args),
				ExpectError: tc.err,
			}
			if tc.err == nil {
				step.ConfigStateChecks = []statecheck.StateCheck{expect(tfjsonpath.New("complete"), knownvalue.Bool(true))}
			}
			resource.UnitTest(t, resource.TestCase{ProtoV6ProviderFactories: factories(env), Steps: []resource.TestStep{step}})
		})
	}
}

package provider

import (
	"cmp"
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/clusterprotect/terraform-provider-clusterprotect/internal/hssfake"
)

func TestEventsDataSource_narrowing(t *testing.T) {
	t.Parallel()
	env := testEnv(t)
	events := generate(700)
	_, url := startFake(t, events)
	mid := *events[350].CreateTime
	midTime := time.UnixMilli(mid).UTC()
	// An instant inside mid's millisecond: created_after keeps from the next
	// millisecond, created_before keeps mid itself.
	midPlus := midTime.Add(300 * time.Microsecond).Format(time.RFC3339Nano)
	count := func(keep func(hssfake.Event) bool) int {
		n := 0
		for _, e := range events {
			if keep(e) {
				n++
			}
		}
		return n
	}
	unhandledDeny := func(e hssfake.Event) bool { return *e.Action == "deny" && *e.HandleStatus == "unhandled" }
	for _, tc := range []struct {
		name, args string
		want       int
		first      func(hssfake.Event) bool
		matched    int // summary.total, where max_results cuts: else want
	}{
		{"handle_status", `handle_status = "handled"`, count(func(e hssfake.Event) bool { return *e.HandleStatus == "handled" }), nil, 0},
		{"actions", `actions = ["deny"]`, count(func(e hssfake.Event) bool { return *e.Action == "deny" }), nil, 0},
		{"both", "actions = [\"deny\"]\n  handle_status = \"unhandled\"", count(unhandledDeny), unhandledDeny, 0},
		{"event_types", `event_types = [3001, 3002]`, count(func(e hssfake.Event) bool { return *e.EventType == 3001 || *e.EventType == 3002 }), nil, 0},
		{"created_after", fmt.Sprintf("created_after = %q", midTime.Format(time.RFC3339Nano)), count(func(e hssfake.Event) bool { return *e.CreateTime >= mid }), nil, 0},
		{"created_after with an offset", fmt.Sprintf("created_after = %q", midTime.In(time.FixedZone("", 8*3600)).Format(time.RFC3339Nano)), count(func(e hssfake.Event) bool { return *e.CreateTime >= mid }), nil, 0},
		{"created_after inside a millisecond", fmt.Sprintf("created_after = %q", midPlus), count(func(e hssfake.Event) bool { return *e.CreateTime > mid }), nil, 0},
		{"created_before", fmt.Sprintf("created_before = %q", midTime.Format(time.RFC3339Nano)), count(func(e hssfake.Event) bool { return *e.CreateTime < mid }), nil, 0},
		{"created_before inside a millisecond", fmt.Sprintf("created_before = %q", midPlus), count(func(e hssfake.Event) bool { return *e.CreateTime <= mid }), nil, 0},
		{"timeadd of a timestamp", fmt.Sprintf("created_after = timeadd(%q, \"-1ms\")", midTime.Add(time.Millisecond).Format(time.RFC3339Nano)), count(func(e hssfake.Event) bool { return *e.CreateTime >= mid }), nil, 0},
		{"max_results after narrowing", "actions = [\"deny\"]\n  handle_status = \"unhandled\"\n  max_results = 7", 7, unhandledDeny, count(unhandledDeny)},
		{"actions in another case", `actions = ["Deny"]`, count(func(e hssfake.Event) bool { return *e.Action == "deny" }), nil, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.want == 0 || tc.want == len(events) {
				t.Fatalf("test data does not exercise the narrowing: %d", tc.want)
			}
			checks := []statecheck.StateCheck{
				expect(tfjsonpath.New("total_num"), knownvalue.Int64Exact(int64(len(events)))),
				expect(dataList(), knownvalue.ListSizeExact(tc.want)),
				expect(tfjsonpath.New("summary").AtMapKey("total"), knownvalue.Int64Exact(int64(cmp.Or(tc.matched, tc.want)))),
			}
			if tc.first != nil {
				for _, e := range events {
					if tc.first(e) {
						checks = append(checks, expect(dataList().AtSliceIndex(0).AtMapKey("event_id"), knownvalue.StringExact(*e.EventID)))
						break
					}
				}
			}
			resource.UnitTest(t, resource.TestCase{
				ProtoV6ProviderFactories: factories(env),
				Steps: []resource.TestStep{{
					Config:            providerBlock(url, tokenAuth()) + fmt.Sprintf("data \"clusterprotect_events\" \"test\" {\n  %s\n}\n", tc.args),
					ConfigStateChecks: checks,
				}},
			})
		})
	}
}

// max_results cuts data_list only: the read still reads every page, so
// that summary counts every event, and the request cost is that of a read
// without it.
func TestEventsDataSource_maxResultsReadsEveryPage(t *testing.T) {
	t.Parallel()
	env := testEnv(t)
	events := generate(2000)
	fake, url := startFake(t, events)
	deny := int64(0)
	for _, e := range events {
		if *e.Action == "deny" {
			deny++
		}
	}
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(env),
		Steps: []resource.TestStep{{
			Config: providerBlock(url, tokenAuth()) + `data "clusterprotect_events" "test" {
  max_results = 250
}`,
			ConfigStateChecks: []statecheck.StateCheck{
				expect(dataList(), knownvalue.ListSizeExact(250)),
				expect(dataList().AtSliceIndex(249).AtMapKey("event_id"), knownvalue.StringExact(*events[249].EventID)),
				expect(tfjsonpath.New("total_num"), knownvalue.Int64Exact(2000)),
				expect(tfjsonpath.New("summary").AtMapKey("total"), knownvalue.Int64Exact(2000)),
				expect(tfjsonpath.New("summary").AtMapKey("by_action").AtMapKey("deny"), knownvalue.Int64Exact(deny)),
			},
		}},
	})
	st := fake.Stats()
	// 2,000 events in pages of 200 that overlap by 10: offsets 0, 190, …,
	// 1900, and the first page once more, 12 requests a read
	// (internal/hss's TestReadAll_counts).
	if st.Requests == 0 || st.Requests%12 != 0 {
		t.Fatalf("%d requests, want 12 per read (2,000 events, 200 a page, overlapping by 10, and the first page again)", st.Requests)
	}
	if last := slices.Max(st.Offsets); last != 1900 {
		t.Fatalf("the last page read is at offset %d, want 1900", last)
	}
}

func TestEventsDataSource_summary(t *testing.T) {
	t.Parallel()
	env := testEnv(t)
	p := hssfake.Ptr[string]
	ev := func(id, action, status, cluster, policy string) hssfake.Event {
		return hssfake.Event{EventID: p(id), Action: p(action), HandleStatus: p(status), ClusterID: p(cluster), ClusterName: p("name-" + cluster), PolicyName: p(policy), EnterpriseProjectID: p("0")}
	}
	events := []hssfake.Event{
		ev("1", "deny", "unhandled", "c1", "deny-privileged"),
		ev("2", "deny", "handled", "c1", "deny-privileged"),
		ev("3", "warn", "unhandled", "c2", "warn-latest-tag"),
		{EventID: p("4"), EnterpriseProjectID: p("0")},
	}
	_, url := startFake(t, events)
	counts := func(m map[string]int64) knownvalue.Check {
		checks := map[string]knownvalue.Check{}
		for k, v := range m {
			checks[k] = knownvalue.Int64Exact(v)
		}
		return knownvalue.MapExact(checks)
	}
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(env),
		Steps: []resource.TestStep{{
			Config: providerBlock(url, tokenAuth()) + `data "clusterprotect_events" "test" {}
check "no_deny" {
  assert {
    condition     = lookup(data.clusterprotect_events.test.summary.by_action, "deny", 0) == 2
    error_message = "summary is wrong"
  }
}`,
			ConfigStateChecks: []statecheck.StateCheck{
				expect(tfjsonpath.New("summary"), knownvalue.ObjectExact(map[string]knownvalue.Check{
					"total":            knownvalue.Int64Exact(4),
					"unhandled_deny":   knownvalue.Int64Exact(2), // 1, and 4, which says nothing
					"by_action":        counts(map[string]int64{"deny": 2, "warn": 1}),
					"by_handle_status": counts(map[string]int64{"unhandled": 2, "handled": 1}),
					"by_cluster_id":    counts(map[string]int64{"c1": 2, "c2": 1}),
					"by_cluster_name":  counts(map[string]int64{"name-c1": 2, "name-c2": 1}),
					"by_policy_name":   counts(map[string]int64{"deny-privileged": 2, "warn-latest-tag": 1}),
				})),
			},
		}},
	})
}

// summary.unhandled_deny counts an event unless what the API sent shows it
// harmless: a field left out, or a status in another case, never clears it.
func TestEventsDataSource_summaryUnhandledDeny(t *testing.T) {
	t.Parallel()
	env := testEnv(t)
	p := hssfake.Ptr[string]
	ev := func(id string, action, status, enforcement *string) hssfake.Event {
		e := hssfake.Event{EventID: p(id), Action: action, HandleStatus: status, EnterpriseProjectID: p("0")}
		if enforcement != nil {
			e.ResourceInfo = &hssfake.Resource{EnforcementAction: enforcement}
		}
		return e
	}
	events := []hssfake.Event{
		ev("counted-no-status", p("deny"), nil, nil),
		ev("counted-capitalised", p("Deny"), p("Unhandled"), nil),
		ev("counted-enforced", nil, p("unhandled"), p("deny")),
		ev("counted-nothing-known", nil, nil, nil),
		ev("counted-unknown-status", p("deny"), p("pending"), nil),
		ev("handled", p("deny"), p("handled"), nil),
		ev("handled-capitals", p("DENY"), p("HANDLED"), nil),
		ev("warn", p("warn"), p("unhandled"), p("deny")),
		ev("enforced-warn", nil, p("unhandled"), p("warn")),
	}
	_, url := startFake(t, events)
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(env),
		Steps: []resource.TestStep{
			{
				Config: providerBlock(url, tokenAuth()) + `data "clusterprotect_events" "test" {
  max_results = 1
}`,
				ConfigStateChecks: []statecheck.StateCheck{
					expect(tfjsonpath.New("summary").AtMapKey("unhandled_deny"), knownvalue.Int64Exact(5)),
					expect(tfjsonpath.New("summary").AtMapKey("by_action").AtMapKey("deny"), knownvalue.Int64Exact(3)),
				},
			},
			{
				// handle_status narrows by the exact value: it drops what
				// unhandled_deny would count, and the count follows it.
				Config: providerBlock(url, tokenAuth()) + `data "clusterprotect_events" "test" {
  handle_status = "unhandled"
}`,
				ConfigStateChecks: []statecheck.StateCheck{
					expect(tfjsonpath.New("summary").AtMapKey("unhandled_deny"), knownvalue.Int64Exact(1)),
				},
			},
		},
	})
}

// summary counts every event that matches the narrowing, before max_results
// cuts data_list, with or without other narrowing: one shape, one meaning.
func TestEventsDataSource_summaryBeforeMaxResults(t *testing.T) {
	t.Parallel()
	env := testEnv(t)
	events := generate(700)
	_, url := startFake(t, events)
	deny := 0
	for _, e := range events {
		if *e.Action == "deny" {
			deny++
		}
	}
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(env),
		Steps: []resource.TestStep{
			{
				Config: providerBlock(url, tokenAuth()) + `data "clusterprotect_events" "test" {
  actions     = ["deny"]
  max_results = 5
}`,
				ConfigStateChecks: []statecheck.StateCheck{
					expect(dataList(), knownvalue.ListSizeExact(5)),
					expect(tfjsonpath.New("summary").AtMapKey("total"), knownvalue.Int64Exact(int64(deny))),
					expect(tfjsonpath.New("summary").AtMapKey("by_action"), knownvalue.MapExact(map[string]knownvalue.Check{"deny": knownvalue.Int64Exact(int64(deny))})),
				},
			},
			{
				Config: providerBlock(url, tokenAuth()) + `data "clusterprotect_events" "test" {
  max_results = 5
}`,
				ConfigStateChecks: []statecheck.StateCheck{
					expect(dataList(), knownvalue.ListSizeExact(5)),
					expect(tfjsonpath.New("summary").AtMapKey("total"), knownvalue.Int64Exact(700)),
					expect(tfjsonpath.New("summary").AtMapKey("by_action").AtMapKey("deny"), knownvalue.Int64Exact(int64(deny))),
					expect(tfjsonpath.New("summary").AtMapKey("by_handle_status"), knownvalue.MapSizeExact(2)),
				},
			},
		},
	})
}

// A narrowing value that matches nothing and looks like a typo of a value
// seen is a warning that names it; no match alone is no warning.
func TestEventsDataSource_likelyTypo(t *testing.T) {
	t.Parallel()
	env := testEnv(t)
	_, url := startFake(t, generate(300))
	client := newProtocolClient(t, url, env)
	for _, tc := range []struct {
		actions []string
		warn    *regexp.Regexp
	}{
		{[]string{"dney"}, regexp.MustCompile(`^No event matches actions: no event has action "dney"; did you mean "deny"\? seen: deny \(\d+\), warn \(\d+\)\.`)},
		{[]string{"deny", "wran"}, regexp.MustCompile(`did you mean "warn"\?`)},
		{[]string{"block"}, nil},
		{[]string{"DENY"}, nil},
	} {
		t.Run(strings.Join(tc.actions, ","), func(t *testing.T) {
			elems := make([]tftypes.Value, len(tc.actions))
			for i, a := range tc.actions {
				elems[i] = tftypes.NewValue(tftypes.String, a)
			}
			resp := client.readWith(context.Background(), t, map[string]tftypes.Value{
				"actions": tftypes.NewValue(tftypes.Set{ElementType: tftypes.String}, elems),
			})
			var warnings []string
			for _, d := range resp.Diagnostics {
				if d.Severity != tfprotov6.DiagnosticSeverityWarning {
					t.Fatalf("unexpected %s", diagnosticsString(resp.Diagnostics))
				}
				warnings = append(warnings, d.Summary+": "+d.Detail)
				if d.Attribute.String() != `AttributeName("actions")` {
					t.Errorf("warning on %s, want actions", d.Attribute)
				}
			}
			switch {
			case tc.warn == nil && len(warnings) > 0:
				t.Fatalf("want no warning, got %q", warnings)
			case tc.warn != nil && (len(warnings) != 1 || !tc.warn.MatchString(warnings[0])):
				t.Fatalf("want one warning like %v, got %q", tc.warn, warnings)
			}
		})
	}
}

func TestEventsDataSource_stableID(t *testing.T) {
	t.Parallel()
	env := testEnv(t)
	_, url := startFake(t, generate(50))
	id := statecheck.CompareValue(compareSame{})
	other := statecheck.CompareValue(compareDifferent{})
	step := func(args string, checks ...statecheck.StateCheck) resource.TestStep {
		return resource.TestStep{
			Config:            providerBlock(url, tokenAuth()) + fmt.Sprintf("data \"clusterprotect_events\" \"test\" {\n  %s\n}\n", args),
			ConfigStateChecks: checks,
		}
	}
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(env),
		Steps: []resource.TestStep{
			step(`actions = ["deny", "warn"]`,
				id.AddStateValue(eventsAddr, tfjsonpath.New("id")), other.AddStateValue(eventsAddr, tfjsonpath.New("id"))),
			// The same query, written in another order: the same id, and no diff.
			step(`actions = ["warn", "deny"]`, id.AddStateValue(eventsAddr, tfjsonpath.New("id"))),
			step(`actions = ["warn"]`, other.AddStateValue(eventsAddr, tfjsonpath.New("id"))),
		},
	})
}

// rfc3339Told is the end of every error about a time that is not RFC 3339.
const rfc3339Told = `.*RFC\s+3339.*2026-12-01T06:00:00Z.*\+08:00.*timeadd\(plantimestamp\(\),\s+"-24h"\)`

func TestEventsDataSource_narrowingValidation(t *testing.T) {
	t.Parallel()
	env := testEnv(t)
	fake, url := startFake(t, generate(5))
	for _, tc := range []struct {
		args string
		err  *regexp.Regexp
	}{
		{`handle_status = "open"`, regexp.MustCompile(`(?s)handle_status.*value must be one of: \["unhandled"\s+"handled"\]`)},
		{`actions = []`, regexp.MustCompile(`(?s)actions set must contain at least 1 elements`)},
		{`actions = [""]`, regexp.MustCompile(`(?s)actions.*string length must be between 1 and 32`)},
		{`event_types = [999]`, regexp.MustCompile(`(?s)event_types.*value must be between 1000 and 30000`)},
		{`created_after = 1695094500324`, regexp.MustCompile(`(?s)Invalid created_after.*"1695094500324".*milliseconds\s+since\s+the\s+Unix\s+epoch.*2023-09-19T03:35:00.324Z.*RFC\s+3339`)},
		// Not RFC 3339: what it looks like, and how to write a time relative
		// to the plan, not Go's layout text.
		{`created_after = "2026-12-01 06:00:00"`, regexp.MustCompile(`(?s)Invalid created_after.*"2026-12-01 06:00:00".*joined\s+by\s+T,\s+not\s+a\s+space` + rfc3339Told)},
		{`created_after = "2026-12-01T06:00:00"`, regexp.MustCompile(`(?s)Invalid created_after.*has\s+no\s+time\s+zone` + rfc3339Told)},
		{`created_before = "-24h"`, regexp.MustCompile(`(?s)Invalid created_before.*"-24h":\s+that\s+is\s+a\s+duration,\s+not\s+a\s+time` + rfc3339Told)},
		{`created_after = "2026-12-01T14:00:00+0800"`, regexp.MustCompile(`(?s)Invalid created_after.*offset\s+needs\s+a\s+colon:\s+\+08:00,\s+not\s+\+0800` + rfc3339Told)},
		{`created_after = "yesterday"`, regexp.MustCompile(`(?s)Invalid created_after` + rfc3339Told)},
		{"created_after = \"2026-11-24T10:00:00Z\"\n  created_before = \"2026-11-24T11:00:00+01:00\"", regexp.MustCompile(`(?s)Empty time window.*created_before \(2026-11-24T11:00:00\+01:00\) must be later\s+than\s+created_after\s+\(2026-11-24T10:00:00Z\)`)},
		{`max_results = 0`, regexp.MustCompile(`(?s)max_results value must be between 1 and 10000`)},
	} {
		t.Run(tc.args, func(t *testing.T) {
			resource.UnitTest(t, resource.TestCase{
				ProtoV6ProviderFactories: factories(env),
				Steps: []resource.TestStep{{
					Config:      providerBlock(url, tokenAuth()) + fmt.Sprintf("data \"clusterprotect_events\" \"test\" {\n  %s\n}\n", tc.args),
					ExpectError: tc.err,
				}},
			})
		})
	}
	if st := fake.Stats(); st.Requests != 0 {
		t.Errorf("%d requests sent for bad input", st.Requests)
	}
}

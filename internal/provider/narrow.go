package provider

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/agext/levenshtein"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/clusterprotect/terraform-provider-clusterprotect/internal/hss"
)

// narrowing is the client-side selection applied after every page is read.
// The API's total_num is not affected by it.
type narrowing struct {
	predicates []predicate // one per filter set, in the order of key
	maxResults int         // 0 keeps all
}

// predicate is one filter of the configuration: the events it keeps, its
// part of the query's id, and, where it can tell, which of its values are
// likely typos.
type predicate struct {
	attribute string // the argument that set it
	value     string // its canonical text, for key
	keep      func(*hss.ClusterEvent) bool
	typos     func([]hss.ClusterEvent) []string // nil: no typo check
}

// narrowingFrom reads the narrowing arguments of the configuration, a
// predicate for each filter set. A new filter is one more predicate,
// added last: key keeps this order, so the id of every query that does
// not set it stays the same.
func narrowingFrom(ctx context.Context, m eventsModel) (narrowing, diag.Diagnostics) {
	var diags diag.Diagnostics
	n := narrowing{maxResults: int(m.MaxResults.ValueInt64())}
	after, before := epochMillis(m.CreatedAfter, &diags), epochMillis(m.CreatedBefore, &diags)
	add := func(p predicate) { n.predicates = append(n.predicates, p) }
	if status := m.HandleStatus.ValueString(); status != "" {
		add(predicate{attribute: "handle_status", value: status,
			keep: func(e *hss.ClusterEvent) bool { return e.HandleStatus != nil && *e.HandleStatus == status }})
	}
	if !m.Actions.IsNull() {
		actions := setOf(ctx, m.Actions, strings.ToLower, &diags)
		add(predicate{attribute: "actions", value: strings.Join(slices.Sorted(maps.Keys(actions)), ","),
			keep:  func(e *hss.ClusterEvent) bool { return e.Action != nil && actions[strings.ToLower(*e.Action)] },
			typos: func(events []hss.ClusterEvent) []string { return likelyTypos(actions, events) }})
	}
	if !m.EventTypes.IsNull() {
		eventTypes := setOf(ctx, m.EventTypes, func(t int64) int64 { return t }, &diags)
		var value strings.Builder
		for _, t := range slices.Sorted(maps.Keys(eventTypes)) {
			fmt.Fprintf(&value, "%d,", t)
		}
		add(predicate{attribute: "event_types", value: value.String(),
			keep: func(e *hss.ClusterEvent) bool { return e.EventType != nil && eventTypes[*e.EventType] }})
	}
	if after != nil {
		add(predicate{attribute: "created_after", value: strconv.FormatInt(*after, 10),
			keep: func(e *hss.ClusterEvent) bool { return e.CreateTime != nil && *e.CreateTime >= *after }})
	}
	if before != nil {
		add(predicate{attribute: "created_before", value: strconv.FormatInt(*before, 10),
			keep: func(e *hss.ClusterEvent) bool { return e.CreateTime != nil && *e.CreateTime < *before }})
	}
	return n, diags
}

// setOf is the elements of a set argument, each through norm.
func setOf[T comparable](ctx context.Context, s types.Set, norm func(T) T, diags *diag.Diagnostics) map[T]bool {
	var elems []T
	diags.Append(s.ElementsAs(ctx, &elems, false)...)
	out := make(map[T]bool, len(elems))
	for _, v := range elems {
		out[norm(v)] = true
	}
	return out
}

// active reports whether any filter (not max_results) is set.
func (n narrowing) active() bool { return len(n.predicates) > 0 }

func (n narrowing) keep(e *hss.ClusterEvent) bool {
	for _, p := range n.predicates {
		if !p.keep(e) {
			return false
		}
	}
	return true
}

// filter keeps the events that pass, in order.
func (n narrowing) filter(events []hss.ClusterEvent) []hss.ClusterEvent {
	if !n.active() {
		return events
	}
	kept := events[:0:0]
	for i := range events {
		if n.keep(&events[i]) {
			kept = append(kept, events[i])
		}
	}
	return kept
}

// limit keeps at most maxResults of the events.
func (n narrowing) limit(events []hss.ClusterEvent) []hss.ClusterEvent {
	if n.maxResults > 0 && len(events) > n.maxResults {
		return events[:n.maxResults]
	}
	return events
}

// warnings are the likely typos in the narrowing's values, each on its
// attribute.
func (n narrowing) warnings(events []hss.ClusterEvent) []readWarning {
	var out []readWarning
	for _, p := range n.predicates {
		if p.typos == nil {
			continue
		}
		for _, typo := range p.typos(events) {
			out = append(out, readWarning{attribute: p.attribute, summary: "No event matches " + p.attribute, detail: typo})
		}
	}
	return out
}

// likelyTypos says, for each configured action (lower-cased) that no event
// has, which value seen in events it is likely a typo of: one within two
// edits, case aside. An action that matches nothing and resembles nothing
// is no typo: no events matching is also the happy case.
func likelyTypos(actions map[string]bool, events []hss.ClusterEvent) []string {
	seen := map[string]int{}
	for _, e := range events {
		if e.Action != nil {
			seen[*e.Action]++
		}
	}
	values := slices.Sorted(maps.Keys(seen))
	var out []string
	for _, want := range slices.Sorted(maps.Keys(actions)) {
		best, bestDist := "", 3
		matched := false
		for _, v := range values {
			lv := strings.ToLower(v)
			if lv == want {
				matched = true
				break
			}
			if d := levenshtein.Distance(want, lv, nil); d < bestDist && d < len(lv) {
				best, bestDist = v, d
			}
		}
		if matched || best == "" {
			continue
		}
		counts := make([]string, len(values))
		for i, v := range values {
			counts[i] = fmt.Sprintf("%s (%d)", v, seen[v])
		}
		out = append(out, fmt.Sprintf("no event has action %q; did you mean %q? seen: %s.", want, best, strings.Join(counts, ", ")))
	}
	return out
}

// key is a canonical text of the narrowing, for the data source's id:
// each predicate's attribute=value; in order, then max_results. The ids
// as released name handle_status even when it is unset.
func (n narrowing) key() string {
	var b strings.Builder
	if len(n.predicates) == 0 || n.predicates[0].attribute != "handle_status" {
		b.WriteString("handle_status=;")
	}
	for _, p := range n.predicates {
		b.WriteString(p.attribute + "=" + p.value + ";")
	}
	fmt.Fprintf(&b, "max_results=%d", n.maxResults)
	return b.String()
}

const unhandledDenyDesc = "Number of events that match the narrowing, before `max_results`, that may be unhandled deny events: " +
	"`action` is `deny` (in any case), or the API left `action` out (or sent it empty) while `resource_info.enforcement_action` is `deny` or left out (or empty) too; " +
	"and `handle_status` is anything but `handled` (in any case), left out included. A field the API leaves out never makes an event harmless, " +
	"so a gate can test this one number: `summary.unhandled_deny == 0`. The maps cannot say it: they count `action` and `handle_status` apart, by exact value, and skip events without the field."

// mayBeUnhandledDeny is the rule of summary.unhandled_deny: an event counts
// unless what the API sent shows it harmless (handled, or not deny). An
// empty or blank action is taken as left out: the API keeps empty strings.
func mayBeUnhandledDeny(e *hss.ClusterEvent) bool {
	if e.HandleStatus != nil && strings.EqualFold(*e.HandleStatus, "handled") {
		return false
	}
	if a := strings.TrimSpace(deref(e.Action)); a != "" {
		return strings.EqualFold(a, "deny")
	}
	if e.ResourceInfo == nil {
		return true
	}
	a := strings.TrimSpace(deref(e.ResourceInfo.EnforcementAction))
	return a == "" || strings.EqualFold(a, "deny")
}

// deref is the string p points to, "" for nil.
func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

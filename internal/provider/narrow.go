package provider

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/agext/levenshtein"

	"github.com/clusterprotect/terraform-provider-clusterprotect/internal/hss"
)

// narrowing is the client-side selection applied after every page is read.
// The API's total_num is not affected by it.
type narrowing struct {
	handleStatus  string          // "" keeps any
	actions       map[string]bool // lower-cased; nil keeps any
	eventTypes    map[int64]bool  // nil keeps any
	createdAfter  *int64          // create_time >= createdAfter
	createdBefore *int64          // create_time < createdBefore
	maxResults    int             // 0 keeps all
}

// active reports whether any filter (not max_results) is set.
func (n narrowing) active() bool {
	return n.handleStatus != "" || n.actions != nil || n.eventTypes != nil || n.createdAfter != nil || n.createdBefore != nil
}

func (n narrowing) keep(e hss.ClusterEvent) bool {
	if n.handleStatus != "" && (e.HandleStatus == nil || *e.HandleStatus != n.handleStatus) {
		return false
	}
	if n.actions != nil && (e.Action == nil || !n.actions[strings.ToLower(*e.Action)]) {
		return false
	}
	if n.eventTypes != nil && (e.EventType == nil || !n.eventTypes[*e.EventType]) {
		return false
	}
	if n.createdAfter != nil && (e.CreateTime == nil || *e.CreateTime < *n.createdAfter) {
		return false
	}
	if n.createdBefore != nil && (e.CreateTime == nil || *e.CreateTime >= *n.createdBefore) {
		return false
	}
	return true
}

// filter keeps the events that pass, in order.
func (n narrowing) filter(events []hss.ClusterEvent) []hss.ClusterEvent {
	if !n.active() {
		return events
	}
	kept := events[:0:0]
	for _, e := range events {
		if n.keep(e) {
			kept = append(kept, e)
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

// likelyTypos says, for each configured action that no event has, which
// value seen in events it is likely a typo of: one within two edits, case
// aside. An action that matches nothing and resembles nothing is no typo:
// no events matching is also the happy case.
func (n narrowing) likelyTypos(events []hss.ClusterEvent) []string {
	if n.actions == nil {
		return nil
	}
	seen := map[string]int{}
	for _, e := range events {
		if e.Action != nil {
			seen[*e.Action]++
		}
	}
	values := slices.Sorted(maps.Keys(seen))
	var out []string
	for _, want := range slices.Sorted(maps.Keys(n.actions)) {
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

// key is a canonical text of the narrowing, for the data source's id.
func (n narrowing) key() string {
	var b strings.Builder
	fmt.Fprintf(&b, "handle_status=%s;", n.handleStatus)
	if n.actions != nil {
		b.WriteString("actions=" + strings.Join(slices.Sorted(maps.Keys(n.actions)), ",") + ";")
	}
	if n.eventTypes != nil {
		b.WriteString("event_types=")
		for _, t := range slices.Sorted(maps.Keys(n.eventTypes)) {
			fmt.Fprintf(&b, "%d,", t)
		}
		b.WriteString(";")
	}
	if n.createdAfter != nil {
		fmt.Fprintf(&b, "created_after=%d;", *n.createdAfter)
	}
	if n.createdBefore != nil {
		fmt.Fprintf(&b, "created_before=%d;", *n.createdBefore)
	}
	fmt.Fprintf(&b, "max_results=%d", n.maxResults)
	return b.String()
}

// summary counts the events that match the narrowing, before max_results.
type summary struct {
	total          int64
	byAction       map[string]int64
	byHandleStatus map[string]int64
	byClusterID    map[string]int64
	byClusterName  map[string]int64
	byPolicyName   map[string]int64
}

func summarize(events []hss.ClusterEvent) summary {
	s := summary{
		total:          int64(len(events)),
		byAction:       map[string]int64{},
		byHandleStatus: map[string]int64{},
		byClusterID:    map[string]int64{},
		byClusterName:  map[string]int64{},
		byPolicyName:   map[string]int64{},
	}
	count := func(m map[string]int64, v *string) {
		if v != nil {
			m[*v]++
		}
	}
	for _, e := range events {
		count(s.byAction, e.Action)
		count(s.byHandleStatus, e.HandleStatus)
		count(s.byClusterID, e.ClusterID)
		count(s.byClusterName, e.ClusterName)
		count(s.byPolicyName, e.PolicyName)
	}
	return s
}

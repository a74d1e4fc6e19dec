package provider

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/clusterprotect/terraform-provider-clusterprotect/internal/hss"
)

// narrowing is the client-side selection applied after every page is read.
// The API's total_num is not affected by it.
type narrowing struct {
	handleStatus  string          // "" keeps any
	actions       map[string]bool // nil keeps any
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
	if n.actions != nil && (e.Action == nil || !n.actions[*e.Action]) {
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

// apply keeps the events that pass, in order, and at most maxResults of them.
func (n narrowing) apply(events []hss.ClusterEvent) []hss.ClusterEvent {
	if n.active() {
		kept := events[:0:0]
		for _, e := range events {
			if n.keep(e) {
				kept = append(kept, e)
			}
		}
		events = kept
	}
	if n.maxResults > 0 && len(events) > n.maxResults {
		events = events[:n.maxResults]
	}
	return events
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

// summary counts the events returned.
type summary struct {
	total          int64
	byAction       map[string]int64
	byHandleStatus map[string]int64
	byClusterID    map[string]int64
	byPolicyName   map[string]int64
}

func summarize(events []hss.ClusterEvent) summary {
	s := summary{
		total:          int64(len(events)),
		byAction:       map[string]int64{},
		byHandleStatus: map[string]int64{},
		byClusterID:    map[string]int64{},
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
		count(s.byPolicyName, e.PolicyName)
	}
	return s
}

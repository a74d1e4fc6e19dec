package hss_test

import (
	"cmp"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/clusterprotect/terraform-provider-clusterprotect/internal/hss"
)

// listServer serves a list of event IDs, newest first, as the events API
// pages it, and records every state the list passes through, so that a
// read can be held to "the list at some instant". Tests change the list
// between answers through the hook.
type listServer struct {
	mu     sync.Mutex
	ids    []string
	lagged int // newest events total_num does not count yet
	states map[string]bool
	ever   map[string]bool // every event_id the list held
	gone   map[string]bool // event_ids that left
	served []int           // offsets, in the order answered
	// hook, when set, runs (with mu held) before each answer is computed:
	// it may change the list with arrive and leave.
	hook func(s *listServer, offset int)
	// idName is the field each item's ID is served in: event_id unless
	// set (cluster_id for the clusters list).
	idName string
}

func newListServer(ids []string) *listServer {
	s := &listServer{ids: slices.Clone(ids), states: map[string]bool{}, ever: map[string]bool{}, gone: map[string]bool{}}
	s.record()
	return s
}

// numbered is n event IDs e0 (newest) to e{n-1}.
func numbered(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = "e" + strconv.Itoa(i)
	}
	return out
}

func (s *listServer) record() {
	s.states[strings.Join(s.ids, ",")] = true
	for _, id := range s.ids {
		s.ever[id] = true
	}
}

// arrive puts ids at the head, newest first; lag of them are not counted
// in total_num until settle.
func (s *listServer) arrive(lag int, ids ...string) {
	s.ids = append(slices.Clone(ids), s.ids...)
	s.lagged = min(s.lagged+lag, len(s.ids))
	s.record()
}

// settle lets total_num count every event.
func (s *listServer) settle() { s.lagged = 0 }

// leave removes the events at positions, which must be ascending.
func (s *listServer) leave(positions ...int) {
	for _, p := range slices.Backward(positions) {
		s.gone[s.ids[p]] = true
		s.ids = slices.Delete(s.ids, p, p+1)
	}
	s.lagged = min(s.lagged, len(s.ids))
	s.record()
}

func (s *listServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	offset, _ := strconv.Atoi(r.URL.Query().Get("offset"))
	limit, _ := strconv.Atoi(r.URL.Query().Get("limit"))
	s.mu.Lock()
	if s.hook != nil {
		s.hook(s, offset)
	}
	body := s.page(offset, limit)
	s.served = append(s.served, offset)
	s.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write(body)
}

// page is the answer for offset and limit: at most the API's 10,000
// newest events can be reached.
func (s *listServer) page(offset, limit int) []byte {
	reach := min(len(s.ids), hss.MaxTotalNum)
	var b strings.Builder
	fmt.Fprintf(&b, `{"total_num":%d,"last_update_time":1,"data_list":[`, min(len(s.ids)-s.lagged, hss.MaxTotalNum))
	for i := offset; i < min(offset+limit, reach); i++ {
		if i > offset {
			b.WriteByte(',')
		}
		id, _ := json.Marshal(s.ids[i])
		fmt.Fprintf(&b, `{%q:%s}`, cmp.Or(s.idName, "event_id"), id)
	}
	b.WriteString("]}")
	return []byte(b.String())
}

// check holds a result to the property of a read: a consistent result is
// the list at one of the instants it passed through; any result holds
// every event that was in the list the whole time, once, and nothing that
// never was; an inconsistent one says why.
func (s *listServer) check(t testing.TB, res *hss.ReadResult, first []string) {
	t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	got := ids(res.Events)
	if res.Consistent && !s.states[strings.Join(got, ",")] {
		t.Fatalf("consistent, but the %d events are not the list at any instant (%d states; served %v); warnings %q",
			len(got), len(s.states), s.served, res.Warnings)
	}
	if !res.Consistent && len(res.Warnings) == 0 {
		t.Fatal("inconsistent without a warning")
	}
	seen := make(map[string]bool, len(got))
	for _, id := range got {
		if seen[id] {
			t.Fatalf("event_id %s is twice in the result", id)
		}
		if !s.ever[id] {
			t.Fatalf("event_id %s was never in the list", id)
		}
		seen[id] = true
	}
	if len(got) < hss.MaxTotalNum {
		for _, id := range first {
			if !seen[id] && !s.gone[id] {
				t.Fatalf("event %s, in the list the whole time, is missing (served %v); consistent %v, warnings %q", id, s.served, res.Consistent, res.Warnings)
			}
		}
	}
}

package hss_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/clusterprotect/terraform-provider-clusterprotect/internal/hss"
	"github.com/clusterprotect/terraform-provider-clusterprotect/internal/hssfake"
	"github.com/clusterprotect/terraform-provider-clusterprotect/internal/hwcloud"
)

// readServer reads every event of testProject from s, served on loopback,
// with at most concurrency requests in flight.
func readServer(t testing.TB, h http.Handler, concurrency int) (*hss.ReadResult, error) {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	c, err := newClient(srv.URL, hwcloud.Config{Credentials: hwcloud.StaticCredentials{AuthToken: testToken}, MaxConcurrency: concurrency})
	if err != nil {
		t.Fatal(err)
	}
	return c.ReadAllClusterEvents(context.Background(), hss.Filter{ProjectID: testProject})
}

// Issue 25: 600 events, pages of 200. Of the pages the first pass asks
// for after the first, the second is answered first (with the last, or
// not); then one event arrives at the head and the oldest leaves, or
// total_num lags behind an arrival, so that total_num stays 600; then the
// others are answered. Equal totals prove nothing: the page after the
// first now holds the event before it held, and nothing lines it up with
// the one after it. Where the last page is answered after the change, it
// shows that the oldest left, and the read is the list after the change.
func TestReadAll_outOfOrderPagesEqualTotals(t *testing.T) {
	changes := map[string]func(s *listServer){
		"arrival and oldest leaves": func(s *listServer) { s.arrive(0, "new"); s.leave(len(s.ids) - 1) },
		"total_num lags":            func(s *listServer) { s.arrive(1, "new") },
	}
	schedules := map[string][]int{"second page first": {1}, "second and last pages first": {1, 2}}
	for name, change := range changes {
		for order, before := range schedules {
			t.Run(name+", "+order, func(t *testing.T) {
				s := newListServer(numbered(600))
				h := &hssfake.OutOfOrder{Next: s, Total: 600, Before: before, Change: func() {
					s.mu.Lock()
					defer s.mu.Unlock()
					change(s)
				}}
				res, err := readServer(t, h, 4)
				if err != nil {
					t.Fatal(err)
				}
				if problem := h.Problem(); problem != "" {
					t.Fatalf("the scenario did not run: %s", problem)
				}
				s.check(t, res, numbered(600))
				after := append([]string{"new"}, numbered(599)...)
				if name == "arrival and oldest leaves" && order == "second page first" && (!res.Consistent || !slices.Equal(ids(res.Events), after)) {
					t.Errorf("consistent %v with %d events (served %v), want the list after the change; warnings %q", res.Consistent, len(res.Events), s.served, res.Warnings)
				}
			})
		}
	}
}

// Arrivals and departures that cancel out in the count: an event already
// read leaves, an unread one leaves later, and the count of the events
// still matches total_num. Schedule 1306 of the model test, where today's
// read claimed a consistent list of 400 that held an event that had left
// and lacked one that had stayed.
func TestReadAll_cancellingArrivalsAndDepartures(t *testing.T) {
	for range 5 {
		newSchedule(1306).run(t)
	}
}

// At the 10,000 cap total_num stays put while events leave: when the ten
// newest leave after the first page, the next page shares no event with it,
// and its first ten events are real events, not the overlap.
func TestReadAll_capOverlapCheckedByID(t *testing.T) {
	s := newListServer(numbered(10_050))
	answers := 0
	s.hook = func(s *listServer, _ int) {
		if answers++; answers == 2 {
			s.leave(0, 1, 2, 3, 4, 5, 6, 7, 8, 9)
		}
	}
	res, err := readServer(t, s, 1)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]bool{}
	for _, id := range ids(res.Events) {
		if got[id] {
			t.Fatalf("%s twice", id)
		}
		got[id] = true
	}
	// e10 to e9999 could be reached the whole time.
	for _, id := range numbered(10_000)[10:] {
		if !got[id] {
			t.Fatalf("%s, reachable the whole time, is missing; warnings %q", id, res.Warnings)
		}
	}
	if res.Consistent && len(res.Events) != hss.MaxTotalNum {
		t.Errorf("consistent with %d events", len(res.Events))
	}
}

// A list that does not move, in which the API answers one event twice (at
// offsets 150 and 950): said as such, with the ID and both offsets, not as
// a list that moved.
func TestReadAll_duplicateIDInStillList(t *testing.T) {
	list := numbered(1000)
	list[950] = list[150]
	s := newListServer(list)
	res, err := readServer(t, s, 4)
	if err != nil {
		t.Fatalf("a still list with a repeated event_id: %v", err)
	}
	if res.Consistent || len(res.Warnings) != 1 {
		t.Fatalf("consistent %v, warnings %q", res.Consistent, res.Warnings)
	}
	w := res.Warnings[0]
	if !strings.Contains(w, `"e150"`) || !strings.Contains(w, "150") || !strings.Contains(w, "950") || strings.Contains(w, "moved") {
		t.Errorf("warning %q: want the event_id and its offsets 150 and 950, not movement", w)
	}
	want := slices.Delete(slices.Clone(list), 950, 951)
	if got := ids(res.Events); !slices.Equal(got, want) {
		t.Errorf("%d events, want the 999 served, each once", len(got))
	}
}

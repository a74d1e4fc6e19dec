package hssfake

import (
	"cmp"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// The API's ranges, as its documents (cluster-protect-events.txt and
// cluster-protect-clusters.txt, alike for both calls) give them. They are written here from the document, not taken from the
// client: a client that got one wrong would otherwise pass its own tests.
const (
	maxOffset   = 2_000_000 // offset: 0 to 2,000,000, mandatory
	minLimit    = 10        // limit: 10 to 200, mandatory
	maxLimit    = 200
	maxIDLength = 256    // project_id and enterprise_project_id: 1 to 256 characters
	maxTotalNum = 10_000 // total_num: at most 10,000 per query, and so the records that can be reached

	// enterprise_project_id: all_granted_eps for every enterprise project,
	// "0" (the default enterprise project) when it is not sent.
	allGrantedEPS = "all_granted_eps"
	defaultEPS    = "0"
)

// listQuery is what a request for a list (events or clusters) asks for.
type listQuery struct {
	offset, limit int
	eps           string
	cluster       string // cluster_id, on the events route only
}

// listRoute is what a list route adds to the common parts of serveList:
// the query parameters it takes beyond offset, limit and
// enterprise_project_id, and the page it answers for a project. page runs
// with s.mu held.
type listRoute struct {
	params []string
	page   func(project string, q listQuery) any
}

// serveList answers GET /v5/{project}/cluster-protect/{list}, at a
// region's endpoint or every region's, and returns the status sent.
func (s *Server) serveList(route listRoute) func(http.ResponseWriter, *http.Request) int {
	return func(w http.ResponseWriter, r *http.Request) int {
		project := r.PathValue("project")
		who, msg := s.authenticate(r, nil)
		if msg != "" {
			return fail(w, http.StatusUnauthorized, CodeAuth, "Incorrect IAM authentication information: "+msg)
		}
		if status := s.authorize(w, who, project, r.PathValue("region")); status != 0 {
			return status
		}
		if status := s.throttle(w); status != 0 {
			return status
		}
		q, msg := readListQuery(r.URL.RawQuery, route.params)
		if msg != "" {
			return fail(w, http.StatusBadRequest, CodeBadParam, msg)
		}
		return s.list(w, project, q, route.page)
	}
}

// readListQuery checks the query parameters against the document's
// table; extra are the parameters the route takes beyond offset, limit and
// enterprise_project_id. Any other is refused. The message says what is
// wrong, "" when nothing is.
func readListQuery(raw string, extra []string) (listQuery, string) {
	q, err := parseQuery(raw)
	if err != nil {
		return listQuery{}, "Invalid parameter: the query is not percent-encoded: " + err.Error()
	}
	known := append([]string{"offset", "limit", "enterprise_project_id"}, extra...)
	for _, name := range slices.Sorted(maps.Keys(q)) {
		if !slices.Contains(known, name) {
			return listQuery{}, fmt.Sprintf("Invalid parameter: unknown query parameter %q; this API takes %s", name, strings.Join(known, ", "))
		}
	}
	var l listQuery
	var msg string
	if l.offset, msg = intParam(q, "offset", 0, maxOffset); msg != "" {
		return l, msg
	}
	if l.limit, msg = intParam(q, "limit", minLimit, maxLimit); msg != "" {
		return l, msg
	}
	l.eps = defaultEPS
	if q.Has("enterprise_project_id") {
		l.eps = q.Get("enterprise_project_id")
		if !validLength(l.eps, 1, maxIDLength) {
			return l, "Invalid parameter: enterprise_project_id must be 1 to 256 characters"
		}
	}
	l.cluster = q.Get("cluster_id")
	if q.Has("cluster_id") && l.cluster == "" {
		return l, "Invalid parameter: cluster_id must not be empty"
	}
	return l, ""
}

// parseQuery reads a raw query as the gateway does, per RFC 3986: a "+" is
// a plus sign (url.ParseQuery would read a space) and ";" separates
// nothing. It returns the first malformed escape, with the pairs it could
// read.
func parseQuery(raw string) (url.Values, error) {
	q := url.Values{}
	var bad error
	for _, pair := range strings.Split(raw, "&") {
		name, value, _ := strings.Cut(pair, "=")
		k, errName := url.PathUnescape(name)
		v, errValue := url.PathUnescape(value)
		switch err := cmp.Or(errName, errValue); {
		case err != nil:
			bad = cmp.Or(bad, err)
		case pair != "":
			q.Add(k, v)
		}
	}
	return q, bad
}

func intParam(q url.Values, name string, lo, hi int) (int, string) {
	vals, ok := q[name]
	if !ok || len(vals) == 0 {
		return 0, fmt.Sprintf("Invalid parameter: %s is mandatory", name)
	}
	v, err := strconv.Atoi(vals[0])
	if err != nil || v < lo || v > hi {
		return 0, fmt.Sprintf("Invalid parameter: %s must be an integer from %d to %d", name, lo, hi)
	}
	return v, ""
}

// validLength reports whether s has lo to hi characters.
func validLength(s string, lo, hi int) bool {
	n := utf8.RuneCountInString(s)
	return n >= lo && n <= hi
}

// list sends the page q asks for, and uses up the faults of that page.
func (s *Server) list(w http.ResponseWriter, project string, q listQuery, page func(string, listQuery) any) int {
	s.mu.Lock()
	body := page(project, q)
	s.stats.Offsets = append(s.stats.Offsets, q.offset)
	malformed := s.malformedAt(q.offset)
	s.mu.Unlock()

	out, err := json.Marshal(body)
	if err != nil {
		return fail(w, http.StatusInternalServerError, CodeServerError, err.Error())
	}
	if malformed {
		out = out[:len(out)/2]
	}
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(out)
	return http.StatusOK
}

// pageOf is the page q asks for of the items keep takes, in the order
// served, and total_num: only the first reach of them can be reached, per
// query, and total_num says so (the API's 10,000, or Config.TotalNumCap).
// keep is called once for each item, in order.
func pageOf[T any](items []T, q listQuery, reach int, keep func(T) bool) ([]T, int64) {
	page := []T{}
	matched := 0
	for _, item := range items {
		if !keep(item) {
			continue
		}
		if matched >= q.offset && matched < q.offset+q.limit && matched < reach {
			page = append(page, item)
		}
		matched++
	}
	return page, int64(min(matched, reach))
}

// inScope reports whether an item of project and enterprise project eps is
// one that a query of project for q.eps asks for. A nil project is in
// every project.
func (q listQuery) inScope(project string, itemProject *string, eps string) bool {
	return (itemProject == nil || *itemProject == project) && (q.eps == allGrantedEPS || eps == q.eps)
}

// enterpriseProjectOf is e's enterprise project: the default one, "0",
// when the event has none.
func enterpriseProjectOf(e Event) string {
	if e.EnterpriseProjectID == nil {
		return defaultEPS
	}
	return *e.EnterpriseProjectID
}

package hssfake

import (
	"cmp"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"
)

// The API's ranges, as its document (cluster-protect-events.txt) gives
// them. They are written here from the document, not taken from the
// client: a client that got one wrong would otherwise pass its own tests.
const (
	maxOffset   = 2_000_000 // offset: 0 to 2,000,000, mandatory
	minLimit    = 10        // limit: 10 to 200, mandatory
	maxLimit    = 200
	maxIDLength = 256    // project_id and enterprise_project_id: 1 to 256 characters
	maxTotalNum = 10_000 // total_num: at most 10,000, and so the records that can be reached

	// enterprise_project_id: all_granted_eps for every enterprise project,
	// "0" (the default enterprise project) when it is not sent.
	allGrantedEPS = "all_granted_eps"
	defaultEPS    = "0"
)

type listBody struct {
	TotalNum       int64   `json:"total_num"`
	LastUpdateTime int64   `json:"last_update_time"`
	DataList       []Event `json:"data_list"`
}

// eventsQuery is what a request for events asks for.
type eventsQuery struct {
	offset, limit int
	eps, cluster  string
}

// serveEvents answers GET /v5/{project}/cluster-protect/events, at a
// region's endpoint or every region's, and returns the status sent.
func (s *Server) serveEvents(w http.ResponseWriter, r *http.Request) int {
	project := r.PathValue("project")
	who, msg := s.authenticate(r, nil)
	if msg != "" {
		return fail(w, http.StatusUnauthorized, CodeAuth, "Incorrect IAM authentication information: "+msg)
	}
	if status := s.authorize(w, r, who, project, r.PathValue("region")); status != 0 {
		return status
	}
	if status := s.throttle(w); status != 0 {
		return status
	}
	q, msg := readEventsQuery(r.URL.RawQuery)
	if msg != "" {
		return fail(w, http.StatusBadRequest, CodeBadParam, msg)
	}
	s.arrive(project, q.eps, q.cluster)
	return s.list(w, project, q)
}

// readEventsQuery checks the query parameters against the document's
// table; the message says what is wrong, "" when nothing is.
func readEventsQuery(raw string) (eventsQuery, string) {
	q, err := parseQuery(raw)
	if err != nil {
		return eventsQuery{}, "Invalid parameter: the query is not percent-encoded: " + err.Error()
	}
	var e eventsQuery
	var msg string
	if e.offset, msg = intParam(q, "offset", 0, maxOffset); msg != "" {
		return e, msg
	}
	if e.limit, msg = intParam(q, "limit", minLimit, maxLimit); msg != "" {
		return e, msg
	}
	e.eps = defaultEPS
	if q.Has("enterprise_project_id") {
		e.eps = q.Get("enterprise_project_id")
		if !validLength(e.eps, 1, maxIDLength) {
			return e, "Invalid parameter: enterprise_project_id must be 1 to 256 characters"
		}
	}
	e.cluster = q.Get("cluster_id")
	if q.Has("cluster_id") && e.cluster == "" {
		return e, "Invalid parameter: cluster_id must not be empty"
	}
	return e, ""
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

// list sends the page q asks for, newest first, and uses up the faults of
// that page.
func (s *Server) list(w http.ResponseWriter, project string, q eventsQuery) int {
	s.mu.Lock()
	body := s.page(project, q)
	s.stats.Offsets = append(s.stats.Offsets, q.offset)
	malformed := s.pageFaults(q.offset)
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

// page is the page q asks for of project's events. Only the newest
// maxTotalNum events can be reached, and total_num says so. s.mu is held.
func (s *Server) page(project string, q eventsQuery) listBody {
	body := listBody{DataList: []Event{}}
	matched := 0
	for _, e := range s.events {
		if !q.matches(project, e) {
			continue
		}
		if matched >= q.offset && matched < q.offset+q.limit && matched < maxTotalNum {
			body.DataList = append(body.DataList, e)
		}
		matched++
		body.LastUpdateTime = max(body.LastUpdateTime, num(e.UpdateTime), num(e.CreateTime))
	}
	body.TotalNum = int64(min(matched, maxTotalNum))
	return body
}

// enterpriseProjectOf is e's enterprise project: the default one, "0",
// when the event has none.
func enterpriseProjectOf(e Event) string {
	if e.EnterpriseProjectID == nil {
		return defaultEPS
	}
	return *e.EnterpriseProjectID
}

// matches reports whether e is one of project's events that q asks for.
func (q eventsQuery) matches(project string, e Event) bool {
	return (e.ProjectID == nil || *e.ProjectID == project) &&
		(q.eps == allGrantedEPS || enterpriseProjectOf(e) == q.eps) &&
		(q.cluster == "" || str(e.ClusterID) == q.cluster)
}

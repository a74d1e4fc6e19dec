// Package hssfake is a local stand-in for the HSS cluster-protect events API,
// faithful to the API document: route, authentication, parameter checks,
// paging, the 10,000 cap and error bodies; and for the IAM routes the
// provider uses (GET /v3/projects), on the same server. It serves tests
// (through httptest) and `make demo` (as a process), and can inject faults.
// It accepts the signatures of this provider and of the Huawei Cloud
// provider, which leaves host out of SignedHeaders; the real gateway's rule
// there is not known (see authenticate).
package hssfake

import (
	"cmp"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/clusterprotect/terraform-provider-clusterprotect/internal/hss"
	"github.com/clusterprotect/terraform-provider-clusterprotect/internal/hwcloud"
)

// Credential is an access key pair the fake accepts. A non-empty
// SecurityToken makes the pair temporary: requests must carry it, signed or
// not (see authenticate).
type Credential struct {
	SecretKey     string
	SecurityToken string
}

// Config is what the fake accepts.
type Config struct {
	// Keys maps access keys to their credential; they open every project.
	Keys map[string]Credential
	// ClockSkew is how far X-Sdk-Date may be from now; 15 minutes when zero.
	ClockSkew time.Duration
	// Projects are what IAM lists, and the only projects whose events are
	// served: any other answers 403, as the gateway does. A region's main
	// project is named after the region.
	Projects []Project
	// IdentityProviders map an IdP ID to the OIDC id tokens it accepts.
	IdentityProviders map[string][]string
	// Agencies may be assumed, with access keys, into temporary keys.
	Agencies []Agency
	// ECSAgency makes the metadata route hand out temporary keys, as on an
	// ECS with an agency.
	ECSAgency bool
	// TemporaryKeyLifetime is how long issued keys and subject tokens work;
	// the duration asked for, or an hour, when zero.
	TemporaryKeyLifetime time.Duration
}

// Agency is an IAM agency of another account that access keys may assume.
type Agency struct {
	Name, DomainName, DomainID string
}

// Project is one IAM project.
type Project struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	DomainID string `json:"domain_id"`
	Enabled  bool   `json:"enabled"`
	// Tokens are X-Auth-Token values scoped to this project: they open its
	// events, not another project's, and are accepted by the IAM routes.
	Tokens []string `json:"-"`
}

// Region is the region of the project: its name up to the first "_", as in
// ap-southeast-1_dev.
func (p Project) Region() string {
	region, _, _ := strings.Cut(p.Name, "_")
	return region
}

// Faults are injected into the answers. Counts are used up as requests
// arrive.
type Faults struct {
	Latency           time.Duration
	TooManyRequests   int    // answer this many requests with 429
	RetryAfter        string // Retry-After on those 429s
	ServerErrors      int    // answer this many requests with 500
	MalformedAtOffset *int   // a truncated body, once, for the page at this offset; nil for none
	// HeadAfterFirstPage are added as the newest events once the first page
	// (offset 0) has been served, as if they arrived during a read.
	HeadAfterFirstPage []Event
	// RatePerSecond and Burst make a token bucket; requests beyond it get 429.
	// Zero RatePerSecond means no bucket.
	RatePerSecond float64
	Burst         int
	// IAMStatus, when not zero, is the status every IAM request gets.
	IAMStatus int
	// TooManyRequestsFor answers every HSS request with 429 (and RetryAfter)
	// for this long after SetFaults, as a tenant throttled from the start.
	TooManyRequestsFor time.Duration
	// NewEventEvery, when positive, adds one new event as the newest before
	// every NewEventEvery-th events request is answered, as on a busy tenant.
	NewEventEvery int
	// IAMLatency delays every IAM and ECS metadata answer.
	IAMLatency time.Duration
	// CredentialAnswer, when set, replaces each answer that hands out
	// secrets (security tokens, the id-token exchange, ECS metadata): it gets
	// the route, the secrets issued and the JSON the fake would send, and
	// gives the Content-Type and body to send instead. For leak tests.
	CredentialAnswer func(route string, secrets []string, body []byte) (contentType string, replaced []byte)
}

// Stats are counters over the requests served.
type Stats struct {
	// Requests counts the HSS requests; IAMRequests the IAM ones, by route
	// in IAMByRoute; MetadataRequests the ECS metadata ones.
	Requests         int
	IAMRequests      int
	IAMByRoute       map[string]int
	MetadataRequests int
	MaxInFlight      int
	ByStatus         map[int]int
	Offsets          []int // the offset of each request that reached paging, in arrival order
}

// Server is the fake API. Use it as an http.Handler.
type Server struct {
	cfg Config
	now func() time.Time

	mu       sync.Mutex
	events   []Event // newest first
	faults   Faults
	stats    Stats
	inFlight int
	tokens   float64
	lastFill time.Time
	faultsAt time.Time // when SetFaults was called
	arrivals int       // events requests counted for Faults.NewEventEvery

	// Issued by the IAM and metadata routes (iam.go).
	temporary     map[string]temporaryKey // by access key
	subjectTokens map[string]time.Time    // federated tokens, with their expiry
}

// New returns a fake serving events (sorted newest first).
func New(cfg Config, events []Event) *Server {
	if cfg.ClockSkew == 0 {
		cfg.ClockSkew = 15 * time.Minute
	}
	s := &Server{cfg: cfg, now: time.Now,
		temporary: map[string]temporaryKey{}, subjectTokens: map[string]time.Time{}}
	s.stats.ByStatus = map[int]int{}
	s.stats.IAMByRoute = map[string]int{}
	s.SetEvents(events)
	return s
}

// SetEvents replaces the events.
func (s *Server) SetEvents(events []Event) {
	sorted := slices.Clone(events)
	slices.SortStableFunc(sorted, func(a, b Event) int {
		return cmp.Compare(num(b.CreateTime), num(a.CreateTime))
	})
	s.mu.Lock()
	s.events = sorted
	s.mu.Unlock()
}

// AddEvents adds events as the newest.
func (s *Server) AddEvents(events ...Event) {
	s.mu.Lock()
	s.events = append(slices.Clone(events), s.events...)
	s.mu.Unlock()
}

// MarkHandled sets handle_status "handled" on every event, as a user would in
// the console; it bumps update_time.
func (s *Server) MarkHandled() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i := range s.events {
		s.events[i].HandleStatus = Ptr("handled")
		s.events[i].UpdateTime = Ptr(num(s.events[i].UpdateTime) + 1)
	}
}

// SetFaults replaces the faults to inject.
func (s *Server) SetFaults(f Faults) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = f
	s.arrivals = 0
	s.tokens = float64(f.Burst)
	s.lastFill = s.now()
	s.faultsAt = s.lastFill
}

// Stats returns a copy of the counters.
func (s *Server) Stats() Stats {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.stats
	st.ByStatus = make(map[int]int, len(s.stats.ByStatus))
	st.IAMByRoute = maps.Clone(s.stats.IAMByRoute)
	for k, v := range s.stats.ByStatus {
		st.ByStatus[k] = v
	}
	st.Offsets = slices.Clone(s.stats.Offsets)
	return st
}

// ResetStats zeroes the counters.
func (s *Server) ResetStats() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.stats = Stats{ByStatus: map[int]int{}, IAMByRoute: map[string]int{}}
}

type errorBody struct {
	ErrorCode string `json:"error_code"`
	ErrorMsg  string `json:"error_msg"`
}

type listBody struct {
	TotalNum       int64   `json:"total_num"`
	LastUpdateTime int64   `json:"last_update_time"`
	DataList       []Event `json:"data_list"`
}

// Error codes the fake answers with, the APIGW.* ones from the gateway's
// table: APIGW.0301 is failed IAM authentication, APIGW.0302 an IAM user
// (here: a token of another project) not allowed to call the API, and
// APIGW.0310 a project that is unavailable. The HSS.* codes stand for the
// service's own parameter and server errors.
const (
	CodeAuth        = "APIGW.0301"
	CodeForbidden   = "APIGW.0302"
	CodeProject     = "APIGW.0310"
	CodeBadParam    = "HSS.0001"
	CodeNotFound    = "APIGW.0101"
	CodeMethod      = "APIGW.0102"
	CodeThrottled   = "APIGW.0308"
	CodeServerError = "HSS.0500"
)

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set(hwcloud.HeaderRequestID, newRequestID())
	w.Header().Set("Content-Type", "application/json;charset=UTF-8")

	region, route := s.cutRegion(r.URL.Path)
	if s.serveIAM(w, r, route, region) {
		return
	}
	s.mu.Lock()
	s.stats.Requests++
	s.inFlight++
	s.stats.MaxInFlight = max(s.stats.MaxInFlight, s.inFlight)
	latency := s.faults.Latency
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		s.inFlight--
		s.mu.Unlock()
	}()
	if latency > 0 {
		select {
		case <-time.After(latency):
		case <-r.Context().Done():
			return
		}
	}
	status := s.serve(w, r, route, region)
	s.mu.Lock()
	s.stats.ByStatus[status]++
	s.mu.Unlock()
}

func (s *Server) fail(w http.ResponseWriter, status int, code, msg string) int {
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(errorBody{ErrorCode: code, ErrorMsg: msg})
	return status
}

// cutRegion takes a leading path segment that names the region of a
// configured project off p: under /{region}/ the fake is that region's
// endpoint. Anything else is routed as it stands.
func (s *Server) cutRegion(p string) (region, route string) {
	seg, rest, ok := strings.Cut(strings.TrimPrefix(p, "/"), "/")
	if ok && slices.ContainsFunc(s.cfg.Projects, func(pr Project) bool { return pr.Region() == seg }) {
		return seg, "/" + rest
	}
	return "", p
}

// serve answers one request, at route within region's endpoint (any
// region's when region is ""), and returns the status sent.
func (s *Server) serve(w http.ResponseWriter, r *http.Request, route, region string) int {
	project, ok := matchRoute(route)
	if !ok {
		return s.fail(w, http.StatusNotFound, CodeNotFound, "No API found for path "+r.URL.Path)
	}
	if r.Method != http.MethodGet {
		w.Header().Set("Allow", http.MethodGet)
		return s.fail(w, http.StatusMethodNotAllowed, CodeMethod, "Method "+r.Method+" is not allowed; use GET")
	}
	who, msg := s.authenticate(r, nil)
	if msg != "" {
		return s.fail(w, http.StatusUnauthorized, CodeAuth, "Incorrect IAM authentication information: "+msg)
	}
	if status := s.authorize(w, r, who, project, region); status != 0 {
		return status
	}
	if status := s.throttle(w); status != 0 {
		return status
	}
	q, err := hwcloud.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return s.fail(w, http.StatusBadRequest, CodeBadParam, "Invalid parameter: the query is not percent-encoded: "+err.Error())
	}
	offset, msg := intParam(q, "offset", 0, hss.MaxOffset)
	if msg != "" {
		return s.fail(w, http.StatusBadRequest, CodeBadParam, msg)
	}
	limit, msg := intParam(q, "limit", hss.MinLimit, hss.MaxLimit)
	if msg != "" {
		return s.fail(w, http.StatusBadRequest, CodeBadParam, msg)
	}
	eps := "0"
	if q.Has("enterprise_project_id") {
		eps = q.Get("enterprise_project_id")
		if n := utf8.RuneCountInString(eps); n < 1 || n > hss.MaxIDLength {
			return s.fail(w, http.StatusBadRequest, CodeBadParam, "Invalid parameter: enterprise_project_id must be 1 to 256 characters")
		}
	}
	cluster := q.Get("cluster_id")
	if q.Has("cluster_id") && cluster == "" {
		return s.fail(w, http.StatusBadRequest, CodeBadParam, "Invalid parameter: cluster_id must not be empty")
	}
	s.arrive(project, eps, cluster)
	return s.list(w, project, eps, cluster, offset, limit)
}

// authorize refuses, as the gateway does, a project the account does not
// have, a project of another region than the endpoint's, and a token scoped
// to another project.
func (s *Server) authorize(w http.ResponseWriter, r *http.Request, who, project, region string) int {
	i := slices.IndexFunc(s.cfg.Projects, func(p Project) bool { return p.ID == project })
	if i < 0 {
		return s.fail(w, http.StatusForbidden, CodeProject, "The project is unavailable.")
	}
	if region != "" && s.cfg.Projects[i].Region() != region {
		return s.fail(w, http.StatusForbidden, CodeProject, "The project is unavailable: it is not a project of region "+region+".")
	}
	if who == "token" && !slices.Contains(s.cfg.Projects[i].Tokens, r.Header.Get(hwcloud.HeaderAuthToken)) {
		return s.fail(w, http.StatusForbidden, CodeForbidden, "The IAM user is not authorized to access the API: the token is not scoped to this project.")
	}
	return 0
}

// throttle applies the 429 faults and the token bucket.
func (s *Server) throttle(w http.ResponseWriter) int {
	s.mu.Lock()
	limited := false
	retryAfter := s.faults.RetryAfter
	switch {
	case s.faults.TooManyRequests > 0:
		s.faults.TooManyRequests--
		limited = true
	case s.now().Sub(s.faultsAt) < s.faults.TooManyRequestsFor:
		limited = true
	case s.faults.RatePerSecond > 0:
		now := s.now()
		s.tokens = min(float64(s.faults.Burst), s.tokens+now.Sub(s.lastFill).Seconds()*s.faults.RatePerSecond)
		s.lastFill = now
		if s.tokens >= 1 {
			s.tokens--
		} else {
			limited = true
			if retryAfter == "" {
				retryAfter = "1"
			}
		}
	}
	serverError := false
	if !limited && s.faults.ServerErrors > 0 {
		s.faults.ServerErrors--
		serverError = true
	}
	s.mu.Unlock()
	switch {
	case limited:
		if retryAfter != "" {
			w.Header().Set("Retry-After", retryAfter)
		}
		return s.fail(w, http.StatusTooManyRequests, CodeThrottled, "The throttling threshold has been reached")
	case serverError:
		return s.fail(w, http.StatusInternalServerError, CodeServerError, "Internal server error")
	}
	return 0
}

func (s *Server) list(w http.ResponseWriter, project, eps, cluster string, offset, limit int) int {
	s.mu.Lock()
	// Only the newest 10,000 records can be reached, and total_num says so.
	var (
		page       []Event
		matched    int
		lastUpdate int64
	)
	for _, e := range s.events {
		if e.ProjectID != nil && *e.ProjectID != project ||
			eps != "all_granted_eps" && str(e.EnterpriseProjectID) != eps ||
			cluster != "" && str(e.ClusterID) != cluster {
			continue
		}
		if matched >= offset && matched < offset+limit && matched < hss.MaxTotalNum {
			page = append(page, e)
		}
		matched++
		lastUpdate = max(lastUpdate, num(e.UpdateTime), num(e.CreateTime))
	}
	s.stats.Offsets = append(s.stats.Offsets, offset)
	malformed := s.faults.MalformedAtOffset != nil && *s.faults.MalformedAtOffset == offset
	if malformed {
		s.faults.MalformedAtOffset = nil
	}
	if offset == 0 && len(s.faults.HeadAfterFirstPage) > 0 {
		// The events arrive after this page is computed.
		s.events = append(slices.Clone(s.faults.HeadAfterFirstPage), s.events...)
		s.faults.HeadAfterFirstPage = nil
	}
	s.mu.Unlock()

	body := listBody{TotalNum: int64(min(matched, hss.MaxTotalNum)), LastUpdateTime: lastUpdate, DataList: page}
	if body.DataList == nil {
		body.DataList = []Event{}
	}
	out, err := json.Marshal(body)
	if err != nil {
		return s.fail(w, http.StatusInternalServerError, CodeServerError, err.Error())
	}
	if malformed {
		out = out[:len(out)/2]
	}
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(out)
	return http.StatusOK
}

// matchRoute accepts /v5/{project_id}/cluster-protect/events with a project
// ID of 1 to 256 characters.
func matchRoute(p string) (string, bool) {
	rest, ok := strings.CutPrefix(p, "/v5/")
	if !ok {
		return "", false
	}
	project, ok := strings.CutSuffix(rest, "/cluster-protect/events")
	if !ok || project == "" || strings.Contains(project, "/") || utf8.RuneCountInString(project) > hss.MaxIDLength {
		return "", false
	}
	return project, true
}

func intParam(q map[string][]string, name string, lo, hi int) (int, string) {
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

func newRequestID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// authenticate checks a request's token or signature (over body) and returns
// who made it ("token" or the access key), or why it is refused.
//
// A signature must cover x-sdk-date; any other header it lists is checked
// as sent, and host need not be among them. Our signer signs host,
// x-sdk-date and x-security-token; the Huawei Cloud provider's SDK
// (chnsz/golangsdk) signs every header it has set by then (accept,
// user-agent, content-type, x-sdk-date) but not host, and sets
// X-Security-Token after signing. The fake takes both, so the two providers
// can run side by side on it. Whether the real gateway requires host, or a
// signed security token, is not known here: its documents do not say, and
// the fake is lenient in both rather than guess.
func (s *Server) authenticate(r *http.Request, body []byte) (string, string) {
	if tok := r.Header.Get(hwcloud.HeaderAuthToken); tok != "" {
		if slices.ContainsFunc(s.cfg.Projects, func(p Project) bool { return slices.Contains(p.Tokens, tok) }) {
			return "token", ""
		}
		s.mu.Lock()
		expires, subject := s.subjectTokens[tok]
		s.mu.Unlock()
		if subject && s.now().Before(expires) {
			return "token", ""
		}
		return "", "the token is invalid or expired"
	}
	auth := r.Header.Get(hwcloud.HeaderAuthorization)
	if auth == "" {
		return "", "no X-Auth-Token and no Authorization header"
	}
	access, signed, sig, ok := parseAuthorization(auth)
	if !ok {
		return "", "malformed Authorization header"
	}
	cred, known := s.cfg.Keys[access]
	var expires time.Time
	if !known {
		s.mu.Lock()
		tmp, issued := s.temporary[access]
		s.mu.Unlock()
		if !issued {
			return "", "unknown access key"
		}
		cred, expires = tmp.Credential, tmp.expires
	}
	date, err := time.Parse("20060102T150405Z", r.Header.Get(hwcloud.HeaderSdkDate))
	if err != nil {
		return "", "missing or malformed X-Sdk-Date"
	}
	if d := s.now().Sub(date); d > s.cfg.ClockSkew || d < -s.cfg.ClockSkew {
		return "", "X-Sdk-Date is too far from the server's clock"
	}
	if !slices.Contains(signed, "x-sdk-date") {
		return "", "x-sdk-date must be signed"
	}
	switch sent := r.Header.Get(hwcloud.HeaderSecurityToken); {
	case cred.SecurityToken != "" && sent != cred.SecurityToken:
		return "", "temporary credentials need their X-Security-Token"
	case cred.SecurityToken == "" && sent != "":
		return "", "the security token does not belong to this access key"
	}
	want := hwcloud.Signature(cred.SecretKey, hwcloud.StringToSign(r, signed, hwcloud.PayloadHash(body)))
	if want != sig {
		return "", "signature mismatch"
	}
	if !expires.IsZero() && !s.now().Before(expires) {
		return "", "the security token has expired"
	}
	return access, ""
}

// parseAuthorization splits "SDK-HMAC-SHA256 Access=…, SignedHeaders=…, Signature=…".
func parseAuthorization(v string) (access string, signed []string, sig string, ok bool) {
	rest, found := strings.CutPrefix(v, "SDK-HMAC-SHA256 ")
	if !found {
		return "", nil, "", false
	}
	for _, part := range strings.Split(rest, ",") {
		k, val, _ := strings.Cut(strings.TrimSpace(part), "=")
		switch k {
		case "Access":
			access = val
		case "SignedHeaders":
			signed = strings.Split(val, ";")
		case "Signature":
			sig = val
		}
	}
	return access, signed, sig, access != "" && len(signed) > 0 && sig != ""
}

// WriteStats writes the counters as JSON, for scripts.
func WriteStats(path string, st Stats) error {
	raw, err := json.Marshal(map[string]any{
		"requests": st.Requests, "max_in_flight": st.MaxInFlight, "by_status": st.ByStatus,
	})
	if err != nil {
		return err
	}
	return os.WriteFile(path, raw, 0o600)
}

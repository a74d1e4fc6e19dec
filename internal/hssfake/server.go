// Package hssfake is a local stand-in for the HSS cluster-protect events and
// clusters API, faithful to the API documents: routes, authentication,
// accounts, parameter checks, paging, the 10,000 cap and error bodies; and
// for the IAM routes the provider uses (GET /v3/projects, security tokens),
// on the same server. It serves tests
// (through httptest) and `make demo` (as a process), and can inject faults.
// It accepts the signatures of this provider and of the Huawei Cloud
// provider, which leaves host out of SignedHeaders; the real gateway's rule
// there is not known (see authenticate).
//
// The fake knows the API from its document, not from the clients it tests:
// its routes, limits, event fields and query decoding are its own (only the
// signature is computed with the client's signer, which is checked against
// vectors the official SDK made), so a client's mistake cannot pass unseen.
//
// routes.go routes the requests, auth.go authenticates them, events.go,
// clusters.go and paging.go hold and page the events and clusters, faults.go injects faults, outoforder.go
// serves a read's first pass in a test's order, and iam.go answers the IAM and ECS metadata routes.
package hssfake

import (
	"cmp"
	"encoding/json"
	"maps"
	"net/http"
	"os"
	"slices"
	"strings"
	"sync"
	"time"
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
	// Keys maps access keys to their credential: keys of the first account
	// (Accounts[0]), or, with no Accounts, keys that open every project.
	Keys map[string]Credential
	// Accounts are the IAM accounts (domains), when the fake has several.
	// With none, the fake is one account: every key, token and agency
	// opens every project, as before accounts. With Accounts, a project
	// belongs to the account of its DomainID and opens only to that
	// account's keys and tokens, and to the keys of an agency that account
	// grants; the first account is the home one, which Keys, the
	// IdentityProviders and the ECS agency belong to.
	Accounts []Account
	// TotalNumCap is how many records of one query can be reached, and the
	// most total_num says; the API's 10,000 when not positive.
	TotalNumCap int
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

// Agency is an IAM agency that access keys may assume: the agency Name of
// the account (domain) DomainName or DomainID, which grants it. With
// Accounts, its temporary keys open that account's projects, and Trusts,
// when set, is the DomainID of the only account whose keys may assume it.
type Agency struct {
	Name, DomainName, DomainID string
	Trusts                     string
}

// Account is one IAM account (domain) and the access keys of its users.
type Account struct {
	DomainID, DomainName string
	Keys                 map[string]Credential
}

// Project is one IAM project.
type Project struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	DomainID string `json:"domain_id"`
	Enabled  bool   `json:"enabled"`
	// Tokens are X-Auth-Token values scoped to this project: they open its
	// events and clusters, not another project's, and are accepted by the
	// IAM routes.
	Tokens []string `json:"-"`
}

// Region is the region of the project: its name up to the first "_", as in
// ap-southeast-1_dev.
func (p Project) Region() string {
	region, _, _ := strings.Cut(p.Name, "_")
	return region
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
	mux *http.ServeMux // routes.go

	mu       sync.Mutex
	events   []Event // newest first
	clusters []Cluster
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

// New returns a fake serving events (sorted newest first), and the clusters
// they name (ClustersOf) until SetClusters.
func New(cfg Config, events []Event) *Server {
	if cfg.ClockSkew == 0 {
		cfg.ClockSkew = 15 * time.Minute
	}
	for _, a := range cfg.Accounts {
		if a.DomainID == "" {
			// "" is every project: an account without an ID would open them all.
			panic("hssfake: every Account needs a DomainID")
		}
	}
	s := &Server{cfg: cfg, now: time.Now,
		temporary: map[string]temporaryKey{}, subjectTokens: map[string]time.Time{}}
	s.stats.ByStatus = map[int]int{}
	s.stats.IAMByRoute = map[string]int{}
	s.mux = s.routes()
	s.SetEvents(events)
	s.SetClusters(ClustersOf(events))
	return s
}

// reach is how many records of one query can be reached.
func (s *Server) reach() int {
	if s.cfg.TotalNumCap > 0 {
		return s.cfg.TotalNumCap
	}
	return maxTotalNum
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

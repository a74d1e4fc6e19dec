package hssfake

import (
	"cmp"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync/atomic"
	"time"
)

// Faults are injected into the answers. Counts are used up as requests
// arrive.
type Faults struct {
	Latency           time.Duration
	TooManyRequests   int    // answer this many requests with 429
	RetryAfter        string // Retry-After on those 429s
	ServerErrors      int    // answer this many requests with 500
	MalformedAtOffset *int   // a truncated body, once, for the page (of events or clusters) at this offset; nil for none
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
	// RedirectTo, when set, answers every request (HSS, IAM, ECS metadata)
	// with RedirectStatus (302 when zero) to RedirectTo followed by the
	// request's path and query, as a gateway that moved would. None of the
	// real APIs redirects.
	RedirectTo     string
	RedirectStatus int
}

// redirect answers the request with Faults.RedirectTo, and reports
// whether it did.
func (s *Server) redirect(w http.ResponseWriter, r *http.Request) bool {
	s.mu.Lock()
	to, status := s.faults.RedirectTo, s.faults.RedirectStatus
	s.mu.Unlock()
	if to == "" {
		return false
	}
	http.Redirect(w, r, to+r.URL.RequestURI(), cmp.Or(status, http.StatusFound))
	return true
}

// Elsewhere is another host, for Faults.RedirectTo: it counts the requests
// it gets, and answers each as an API with nothing to report would ({} and
// an X-Subject-Token), so that a client that follows a redirect there sees
// success.
type Elsewhere struct {
	*httptest.Server
	requests atomic.Int32
}

// NewElsewhere starts an Elsewhere; Close it when done.
func NewElsewhere() *Elsewhere {
	e := &Elsewhere{}
	e.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		e.requests.Add(1)
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("X-Subject-Token", "elsewhere-token")
		_, _ = w.Write([]byte(`{}`))
	}))
	return e
}

// Requests is how many requests reached it.
func (e *Elsewhere) Requests() int { return int(e.requests.Load()) }

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
		return fail(w, http.StatusTooManyRequests, CodeThrottled, "The throttling threshold has been reached")
	case serverError:
		return fail(w, http.StatusInternalServerError, CodeServerError, "Internal server error")
	}
	return 0
}

// malformedAt uses up MalformedAtOffset: it reports whether to cut the
// page at offset short. s.mu is held.
func (s *Server) malformedAt(offset int) bool {
	if s.faults.MalformedAtOffset != nil && *s.faults.MalformedAtOffset == offset {
		s.faults.MalformedAtOffset = nil
		return true
	}
	return false
}

// headAfterFirstPage adds HeadAfterFirstPage once the first page of events
// (offset 0) is computed. s.mu is held.
func (s *Server) headAfterFirstPage(offset int) {
	if offset == 0 && len(s.faults.HeadAfterFirstPage) > 0 {
		s.events = append(slices.Clone(s.faults.HeadAfterFirstPage), s.events...)
		s.faults.HeadAfterFirstPage = nil
	}
}

// arrive adds the event Faults.NewEventEvery asks for, newer than any, in the
// project, enterprise project and cluster of the request. s.mu is held.
func (s *Server) arrive(project, eps, cluster string) {
	if s.faults.NewEventEvery <= 0 {
		return
	}
	s.arrivals++
	if s.arrivals%s.faults.NewEventEvery != 0 {
		return
	}
	newest := int64(1_767_225_600_000)
	if len(s.events) > 0 {
		newest = max(newest, num(s.events[0].CreateTime)+1000)
	}
	if eps == allGrantedEPS {
		eps = defaultEPS
	}
	e := Generate(GenerateOptions{Count: 1, Seed: uint64(0x5eed_0000 + s.arrivals), ProjectID: project,
		EnterpriseProjectIDs: []string{eps}, NewestMillis: newest})[0]
	if cluster != "" {
		e.ClusterID = Ptr(cluster)
	}
	s.events = append([]Event{e}, s.events...)
}

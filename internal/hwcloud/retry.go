package hwcloud

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// The retry rules: what Do does after each attempt is decided here, by
// decide, from what the attempt got and what came before; Do only sleeps,
// refreshes and resends as told. Each kind of trouble has its own count:
//
//   - 429: waited out for as long as the request's context allows, not a
//     count. The wait grows exponentially with the 429s of the request, with
//     jitter, from a quarter of the base delay up to a cap (twice the base
//     delay), and is never less than half its ceiling, whatever Retry-After
//     says; a longer Retry-After is honoured. A Retry-After that ends after
//     the context's deadline fails at once; without a deadline, one over
//     MaxRetryAfter does.
//   - 5xx (500, 502, 503, 504) and network faults (resets, bodies cut short):
//     retried up to maxRetries times together, with full-jitter backoff.
//   - no answer within the request timeout: tried twice.
//   - a connection that cannot be made (refused, timed out, DNS) to a host
//     that has never answered this transport: fails at once, the endpoint is
//     unreachable. Once the host has answered, it is a network fault.
//   - 401 that says the temporary credentials expired: refreshed once.
//   - 3xx: fails at once; no API redirects (redirect.go).

// action is what Do does next.
type action int

const (
	actDone    action = iota // return the answer
	actRetry                 // sleep wait, then send again
	actRefresh               // refresh the credentials, then send again
	actFail                  // return err
)

// decision is decide's answer.
type decision struct {
	action action
	wait   time.Duration // before the retry
	err    error         // for actFail; for actRetry, what the attempt failed with
	reason string        // for logs: "throttled", "server error", "network fault", "no answer"
}

// retryState is what a request's earlier attempts leave for decide.
type retryState struct {
	attempts  int // sent, this one included
	throttled int // answers of 429
	faults    int // 5xx answers and network faults, together
	noAnswer  int // attempts that got no answer in time
	refreshes int // credential refreshes
	// temporary is true when the attempt used the transport's temporary
	// credentials, which a refresh can renew.
	temporary bool
	// hostAnswered is true once the endpoint's host has answered anything
	// through this transport.
	hostAnswered bool
}

// answer is what one attempt got.
type answer struct {
	request    string // "GET /path", for errors
	status     int    // 0 when no answer
	err        error  // the attempt's own error
	apiErr     *APIError
	requestID  string
	retryAfter string
	now        time.Time     // for Retry-After dates
	left       time.Duration // until the context's deadline, when bounded
	bounded    bool          // the context has a deadline
	cancelled  error         // the context's error, if it ended
}

// retryPolicy holds the limits and delays.
type retryPolicy struct {
	maxRetries int           // faults retried
	baseDelay  time.Duration // of the fault backoff; a quarter of it starts the 429 backoff
	maxDelay   time.Duration // of the fault backoff; the 429 backoff is capped at min(maxDelay, 2·baseDelay)
	// jitter returns a uniform duration in [0, n]; rand.N when nil.
	jitter func(n time.Duration) time.Duration
}

// maxNoAnswer is how often an attempt that got no answer is retried.
const maxNoAnswer = 1

// decide says what to do after an attempt; it updates s's counts.
func (p retryPolicy) decide(s *retryState, a answer) decision {
	switch {
	case a.cancelled != nil:
		return decision{action: actFail, err: fmt.Errorf("request cancelled: %w", a.cancelled)}
	case errors.As(a.err, new(*decodeError)):
		return decision{action: actFail, err: fmt.Errorf("%s: status %d, X-Request-Id %q: %w", a.request, a.status, a.requestID, a.err)}
	case errors.As(a.err, new(*RedirectError)):
		return decision{action: actFail, err: a.err}
	case a.err != nil:
		return p.onNetworkError(s, a)
	case a.status >= 200 && a.status < 300:
		return decision{action: actDone}
	case a.status == http.StatusUnauthorized && s.temporary && s.refreshes == 0 &&
		strings.Contains(strings.ToLower(a.apiErr.Message), "expire"):
		// Once: a second refusal is an answer, not a race with expiry.
		s.refreshes++
		return decision{action: actRefresh, reason: "credentials expired"}
	case a.status == http.StatusTooManyRequests:
		return p.onThrottled(s, a)
	case retryableStatus(a.status):
		if s.faults++; s.faults > p.maxRetries {
			return decision{action: actFail, err: a.apiErr}
		}
		return decision{action: actRetry, wait: p.faultBackoff(s.faults), err: a.apiErr, reason: "server error"}
	}
	return decision{action: actFail, err: a.apiErr}
}

func (p retryPolicy) onNetworkError(s *retryState, a answer) decision {
	fail := func(why string) decision {
		return decision{action: actFail, err: fmt.Errorf("%s failed after %d attempt(s): %s%w", a.request, s.attempts, why, a.err)}
	}
	reason := "network fault"
	switch {
	case errors.Is(a.err, ErrNoAnswer):
		// A stuck endpoint is tried twice, not 1+maxRetries times of
		// the request timeout each.
		if s.noAnswer++; s.noAnswer > maxNoAnswer {
			return fail("")
		}
		reason = "no answer"
	case IsConnectError(a.err) && !s.hostAnswered:
		return fail("the endpoint is unreachable (it has not answered once, so the connection is not retried): ")
	case !isTransient(a.err):
		return fail("")
	}
	if s.faults++; s.faults > p.maxRetries {
		return fail("")
	}
	return decision{action: actRetry, wait: p.faultBackoff(s.faults), err: a.err, reason: reason}
}

// onThrottled waits out a 429 for as long as the deadline allows.
func (p retryPolicy) onThrottled(s *retryState, a answer) decision {
	s.throttled++
	wait := p.throttleBackoff(s.throttled)
	if ra, ok := parseRetryAfter(a.retryAfter, a.now); ok && ra > wait {
		switch {
		case a.bounded && ra > a.left:
			return decision{action: actFail, err: fmt.Errorf("%w; the API asked to wait %s before retrying (Retry-After), longer than the %s left before the read's deadline",
				a.apiErr, ra.Round(time.Second), a.left.Round(time.Second))}
		case !a.bounded && ra > MaxRetryAfter:
			return decision{action: actFail, err: fmt.Errorf("%w; the API asked to wait %s before retrying (Retry-After), longer than the %s waited without a deadline",
				a.apiErr, ra.Round(time.Second), MaxRetryAfter)}
		}
		wait = ra
	}
	return decision{action: actRetry, wait: wait, err: a.apiErr, reason: "throttled"}
}

// faultBackoff is exponential with full jitter: a uniform wait in
// [0, min(maxDelay, baseDelay·2^(n-1))].
func (p retryPolicy) faultBackoff(n int) time.Duration {
	return p.rand(ceiling(p.baseDelay, p.maxDelay, n))
}

// throttleBackoff is exponential with equal jitter: a uniform wait in
// [c/2, c], c = min(2·baseDelay, maxDelay, baseDelay/4·2^(n-1)). Half the
// ceiling is the floor that keeps "Retry-After: 0" from meaning no wait;
// the low cap keeps the end of a throttle from being slept through, while
// the pacer slows the host's requests down as a whole.
func (p retryPolicy) throttleBackoff(n int) time.Duration {
	c := ceiling(max(p.baseDelay/4, time.Microsecond), min(2*p.baseDelay, p.maxDelay), n)
	return c/2 + p.rand(c-c/2)
}

func (p retryPolicy) rand(n time.Duration) time.Duration {
	if n <= 0 {
		return 0
	}
	if p.jitter != nil {
		return p.jitter(n)
	}
	return rand.N(n + 1)
}

// ceiling is min(limit, base·2^(n-1)).
func ceiling(base, limit time.Duration, n int) time.Duration {
	c := base << min(max(n-1, 0), 30)
	if c <= 0 || c > limit {
		return limit
	}
	return c
}

// parseRetryAfter reads a Retry-After header: whole seconds, or an HTTP
// date. A number too large to hold is the longest wait there is (more than
// the client waits, so the caller gives up); anything else, such as a
// negative or fractional number, is not a Retry-After and gives ok false.
func parseRetryAfter(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if strings.Trim(v, "0123456789") == "" {
		secs, err := strconv.ParseInt(v, 10, 64)
		if err != nil || secs > math.MaxInt64/int64(time.Second) {
			return math.MaxInt64, true // digits only: too many to hold
		}
		return time.Duration(secs) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(t.Sub(now), 0), true
	}
	return 0, false
}

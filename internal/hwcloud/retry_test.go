package hwcloud

import (
	"context"
	"crypto/x509"
	"fmt"
	"math"
	"net"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestRetryPolicy_decide(t *testing.T) {
	now := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	p := retryPolicy{
		maxRetries: 2, baseDelay: 400 * time.Millisecond, maxDelay: 20 * time.Second,
		jitter: func(n time.Duration) time.Duration { return n }, // the top of every range
	}
	throttled := func(retryAfter string) answer {
		return answer{status: 429, apiErr: &APIError{Service: "HSS", StatusCode: 429}, retryAfter: retryAfter, now: now, left: 5 * time.Minute, bounded: true}
	}
	refused := answer{request: "GET /x", err: fmt.Errorf("could not connect: %w", &net.OpError{Op: "dial", Err: syscall.ECONNREFUSED})}
	for _, tc := range []struct {
		name   string
		state  retryState
		answer answer
		action action
		wait   time.Duration
		errHas string
	}{
		{"ok", retryState{}, answer{status: 200}, actDone, 0, ""},
		// 429s: 100 ms, doubling, capped at 2·base; never below half the
		// ceiling, whatever Retry-After says.
		{"first 429, Retry-After 0", retryState{}, throttled("0"), actRetry, 100 * time.Millisecond, ""},
		{"third 429, no Retry-After", retryState{throttled: 2}, throttled(""), actRetry, 400 * time.Millisecond, ""},
		{"tenth 429, capped", retryState{throttled: 9}, throttled(""), actRetry, 800 * time.Millisecond, ""},
		{"Retry-After in the past", retryState{throttled: 1}, throttled("Mon, 02 Jan 2006 15:04:05 GMT"), actRetry, 200 * time.Millisecond, ""},
		{"Retry-After longer than the backoff", retryState{}, throttled("3"), actRetry, 3 * time.Second, ""},
		{"429s do not use up retries", retryState{faults: 2, throttled: 500}, throttled("1"), actRetry, time.Second, ""},
		{"Retry-After over 60 s within the deadline", retryState{}, throttled("120"), actRetry, 2 * time.Minute, ""},
		{"Retry-After past the deadline", retryState{}, func() answer { a := throttled("120"); a.left = 30 * time.Second; return a }(),
			actFail, 0, "asked to wait 2m0s before retrying (Retry-After), longer than the 30s left before the read's deadline"},
		{"Retry-After over 60 s without a deadline", retryState{}, func() answer { a := throttled("61"); a.bounded = false; return a }(),
			actFail, 0, "longer than the 1m0s waited without a deadline"},
		// 5xx and network faults share maxRetries.
		{"500", retryState{}, answer{status: 500, apiErr: &APIError{StatusCode: 500}}, actRetry, 400 * time.Millisecond, ""},
		{"503 after two faults", retryState{faults: 2}, answer{status: 503, apiErr: &APIError{StatusCode: 503}}, actFail, 0, ""},
		{"404", retryState{}, answer{status: 404, apiErr: &APIError{StatusCode: 404}}, actFail, 0, ""},
		{"redirect", retryState{hostAnswered: true}, answer{status: 307, err: &RedirectError{Service: "IAM", StatusCode: 307, HasLocation: true, Host: "elsewhere"}}, actFail, 0, `redirect to host "elsewhere"`},
		{"reset", retryState{faults: 1}, answer{request: "GET /x", err: syscall.ECONNRESET}, actRetry, 800 * time.Millisecond, ""},
		{"reset after two faults", retryState{faults: 2, attempts: 3}, answer{request: "GET /x", err: syscall.ECONNRESET}, actFail, 0, "failed after 3 attempt(s)"},
		{"no answer once", retryState{}, answer{request: "GET /x", err: ErrNoAnswer}, actRetry, 400 * time.Millisecond, ""},
		{"no answer twice", retryState{noAnswer: 1, faults: 1}, answer{request: "GET /x", err: ErrNoAnswer}, actFail, 0, ""},
		{"refused, host never answered", retryState{attempts: 1}, refused, actFail, 0, "failed after 1 attempt(s): the endpoint is unreachable"},
		{"refused, host answered before", retryState{attempts: 1, hostAnswered: true}, refused, actRetry, 400 * time.Millisecond, ""},
		{"certificate", retryState{hostAnswered: true}, answer{request: "GET /x", err: x509.UnknownAuthorityError{}}, actFail, 0, ""},
		{"cancelled", retryState{}, answer{err: context.Canceled, cancelled: context.Canceled}, actFail, 0, "request cancelled"},
		// Expired temporary credentials: refreshed once.
		{"expired", retryState{temporary: true}, answer{status: 401, apiErr: &APIError{StatusCode: 401, Message: "The token has expired"}}, actRefresh, 0, ""},
		{"expired again", retryState{temporary: true, refreshes: 1}, answer{status: 401, apiErr: &APIError{StatusCode: 401, Message: "The token has expired"}}, actFail, 0, ""},
		{"expired, static keys", retryState{}, answer{status: 401, apiErr: &APIError{StatusCode: 401, Message: "The token has expired"}}, actFail, 0, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := tc.state
			d := p.decide(&s, tc.answer)
			if d.action != tc.action || d.wait != tc.wait {
				t.Fatalf("action %d wait %s, want %d %s (err %v)", d.action, d.wait, tc.action, tc.wait, d.err)
			}
			if tc.errHas != "" && (d.err == nil || !strings.Contains(d.err.Error(), tc.errHas)) {
				t.Fatalf("err %v, want it to say %q", d.err, tc.errHas)
			}
		})
	}
}

// The backoff of 429s grows with each one, and its jitter stays within
// [ceiling/2, ceiling].
func TestRetryPolicy_throttleBackoffGrows(t *testing.T) {
	low := retryPolicy{baseDelay: 400 * time.Millisecond, maxDelay: 20 * time.Second, jitter: func(time.Duration) time.Duration { return 0 }}
	var last time.Duration
	for n, want := range []time.Duration{50, 100, 200, 400, 400} {
		got := low.throttleBackoff(n + 1)
		if got != want*time.Millisecond || got < last {
			t.Fatalf("429 number %d: lowest wait %s, want %dms", n+1, got, want)
		}
		last = got
	}
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2015, 10, 21, 7, 27, 55, 0, time.UTC)
	for _, tc := range []struct {
		header string
		want   time.Duration
		ok     bool
	}{
		{"2", 2 * time.Second, true},
		{" 0 ", 0, true},
		{"Wed, 21 Oct 2015 07:28:00 GMT", 5 * time.Second, true},
		{"Wed, 21 Oct 2015 07:27:00 GMT", 0, true}, // already past: retry now
		{"99999999999999999999", time.Duration(math.MaxInt64), true},
		{"9223372036854775807", time.Duration(math.MaxInt64), true},
		{"-1", 0, false},
		{"-99999999999999999999", 0, false},
		{"1.5", 0, false},
		{"NaN", 0, false},
		{"Inf", 0, false},
		{"1e3", 0, false},
		{"0x10", 0, false},
		{"soon", 0, false},
		{"", 0, false},
	} {
		d, ok := parseRetryAfter(tc.header, now)
		if d != tc.want || ok != tc.ok {
			t.Errorf("Retry-After %q: %s %v, want %s %v", tc.header, d, ok, tc.want, tc.ok)
		}
	}
}

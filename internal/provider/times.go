package provider

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// rfc3339Shape is what every refused time is told: what RFC 3339 looks
// like, and how Terraform writes a time relative to the plan.
const rfc3339Shape = "Use an RFC 3339 timestamp: a date, T, a time, and a zone, such as 2026-12-01T06:00:00Z (UTC) or 2026-12-01T14:00:00+08:00. " +
	"For a time relative to the plan, such as the last 24 hours, write timeadd(plantimestamp(), \"-24h\")."

// rfc3339Time accepts an RFC 3339 timestamp and explains the common ways
// of writing one wrong. It checks a plain string rather than being
// timetypes.RFC3339, whose own check answers with Go's layout text.
var rfc3339Time = stringRule{
	description: "must be an RFC 3339 timestamp, such as 2026-12-01T06:00:00Z",
	check: func(attr, raw string) (string, string) {
		if _, err := parseTime(raw); err == nil {
			return "", ""
		}
		return "Invalid " + attr, fmt.Sprintf("%s is %q%s. %s", attr, raw, timeMistake(raw), rfc3339Shape)
	},
}

// parseTime reads an RFC 3339 timestamp, fractional seconds allowed. RFC
// 3339 (section 5.6) allows a lower-case t and z, which Go's layout does
// not: they are read as T and Z.
func parseTime(s string) (time.Time, error) { return time.Parse(time.RFC3339Nano, upperTZ(s)) }

// upperTZ is s with the t between date and time, and a zone z at its end,
// in upper case.
func upperTZ(s string) string {
	b := []byte(s)
	if len(b) > 10 && b[10] == 't' {
		b[10] = 'T'
	}
	if n := len(b); n > 0 && b[n-1] == 'z' {
		b[n-1] = 'Z'
	}
	return string(b)
}

// timeMistake names what is wrong with a time that is not RFC 3339, where
// it is one of the usual mistakes; "" otherwise.
func timeMistake(s string) string {
	const local = "2006-01-02T15:04:05.999999999"
	t := upperTZ(strings.TrimSpace(s))
	switch {
	case t != "" && strings.Trim(t, "0123456789") == "":
		// The old format of created_after and created_before (see the
		// CHANGELOG); 12 or 13 digits are the years 2001 to 2286.
		if ms, err := strconv.ParseInt(t, 10, 64); err == nil && len(t) >= 12 && len(t) <= 13 {
			return fmt.Sprintf(": that is a number of milliseconds since the Unix epoch, the old format of this argument: %s is %s", t, time.UnixMilli(ms).UTC().Format(time.RFC3339Nano))
		}
		return ": that is a number, not a time (this argument once took milliseconds since the Unix epoch)"
	case strings.HasPrefix(t, "-") || strings.HasPrefix(t, "+"):
		if _, err := time.ParseDuration(t); err == nil {
			return ": that is a duration, not a time"
		}
	case strings.Contains(t, " "):
		if _, err := parseTime(strings.Replace(t, " ", "T", 1)); err == nil {
			return ": the date and the time are joined by T, not a space"
		}
		if _, err := time.Parse(local, strings.Replace(t, " ", "T", 1)); err == nil {
			return ": the date and the time are joined by T, not a space, and it has no time zone"
		}
	}
	if _, err := time.Parse(time.DateOnly, t); err == nil {
		return ": it is a date without a time: for midnight UTC write " + t + "T00:00:00Z"
	}
	if _, err := time.Parse(local+"-0700", t); err == nil {
		offset := t[len(t)-5:]
		return fmt.Sprintf(": the offset needs a colon: %s:%s, not %s", offset[:3], offset[3:], offset)
	}
	if _, err := time.Parse(local, t); err == nil {
		return ": it has no time zone (add Z for UTC, or an offset such as +08:00)"
	}
	return ""
}

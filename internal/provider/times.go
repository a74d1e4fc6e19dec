package provider

import (
	"fmt"
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

// parseTime reads an RFC 3339 timestamp, fractional seconds allowed.
func parseTime(s string) (time.Time, error) { return time.Parse(time.RFC3339Nano, s) }

// timeMistake names what is wrong with a time that is not RFC 3339, where
// it is one of the usual mistakes; "" otherwise.
func timeMistake(s string) string {
	const local = "2006-01-02T15:04:05.999999999"
	switch t := strings.TrimSpace(s); {
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
	default:
		if _, err := time.Parse(local, t); err == nil {
			return ": it has no time zone (add Z for UTC, or an offset such as +08:00)"
		}
	}
	return ""
}

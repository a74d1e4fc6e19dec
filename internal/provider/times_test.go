package provider

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

// RFC 3339 (section 5.6) allows a lower-case t and z: they read as T and Z.
func TestParseTime_lowerCaseTAndZ(t *testing.T) {
	t.Parallel()
	want := time.Date(2026, 11, 24, 8, 0, 0, 500_000_000, time.UTC)
	for _, s := range []string{
		"2026-11-24T08:00:00.5Z", "2026-11-24t08:00:00.5Z", "2026-11-24T08:00:00.5z", "2026-11-24t08:00:00.5z",
		"2026-11-24t16:00:00.5+08:00", "2026-11-24t00:00:00.5-08:00",
	} {
		got, err := parseTime(s)
		if err != nil || !got.Equal(want) {
			t.Errorf("%q: %v, %v; want %v", s, got, err, want)
		}
	}
	for _, s := range []string{"2026-11-24x08:00:00Z", "2026-11-24T08:00:00y", "2026-11-24T08:00:00zz", "z026-11-24T08:00:00Z", "t"} {
		if got, err := parseTime(s); err == nil {
			t.Errorf("%q read as %v", s, got)
		}
	}
}

// The usual ways of writing a time wrong each get their own hint.
func TestTimeMistake(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ value, hint string }{
		{"-24h", ": that is a duration, not a time"},
		{"2026-12-01 06:00:00Z", ": the date and the time are joined by T, not a space"},
		{"2026-12-01 06:00:00", ": the date and the time are joined by T, not a space, and it has no time zone"},
		{"2026-12-01T06:00:00", ": it has no time zone (add Z for UTC, or an offset such as +08:00)"},
		{"2026-12-01", ": it is a date without a time: for midnight UTC write 2026-12-01T00:00:00Z"},
		{"2026-12-01T14:00:00+0800", ": the offset needs a colon: +08:00, not +0800"},
		{"2026-12-01T06:00:00.25-0330", ": the offset needs a colon: -03:30, not -0330"},
		{"1695094500324", ": that is a number of milliseconds since the Unix epoch, the old format of this argument: 1695094500324 is 2023-09-19T03:35:00.324Z"},
		{"1695094500", ": that is a number, not a time (this argument once took milliseconds since the Unix epoch)"},
		{"yesterday", ""},
		{"2026-13-01T06:00:00Z", ""},
	} {
		if got := timeMistake(tc.value); got != tc.hint {
			t.Errorf("%q: hint %q, want %q", tc.value, got, tc.hint)
		}
	}
}

// A lower-case t and z read the same events, under the same id, as T and Z.
func TestEventsDataSource_createdAfterLowerCase(t *testing.T) {
	t.Parallel()
	env := testEnv(t)
	events := generate(100)
	cut := time.UnixMilli(*events[40].CreateTime).UTC()
	_, url := startFake(t, events)
	id := statecheck.CompareValue(compareSame{})
	step := func(after string) resource.TestStep {
		return resource.TestStep{
			Config: providerBlock(url, tokenAuth()) + fmt.Sprintf("data \"clusterprotect_events\" \"test\" {\n  created_after = %q\n}\n", after),
			ConfigStateChecks: []statecheck.StateCheck{
				expect(tfjsonpath.New("summary").AtMapKey("total"), knownvalue.Int64Exact(41)),
				expect(tfjsonpath.New("created_after"), knownvalue.StringExact(after)),
				id.AddStateValue(eventsAddr, tfjsonpath.New("id")),
			},
		}
	}
	upper := cut.Format(time.RFC3339Nano)
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(env),
		Steps: []resource.TestStep{
			step(upper),
			step(strings.ToLower(upper)),
		},
	})
}

package provider

import (
	"fmt"
	"math"
	"math/big"
	"math/rand/v2"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/clusterprotect/terraform-provider-clusterprotect/internal/hssfake"
)

func TestRFC3339FromEpochMs_values(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		ms   int64
		want string
	}{
		{0, "1970-01-01T00:00:00.000Z"},
		{1, "1970-01-01T00:00:00.001Z"},
		{999, "1970-01-01T00:00:00.999Z"},
		{1000, "1970-01-01T00:00:01.000Z"},
		{1695094500324, "2023-09-19T03:35:00.324Z"}, // the API document's update_time
		{1695094500320, "2023-09-19T03:35:00.320Z"}, // trailing zeros kept: one width
		{951782400000, "2000-02-29T00:00:00.000Z"},
		{epochMsMax, "9999-12-31T23:59:59.999Z"},
	} {
		got, err := rfc3339FromEpochMs(new(big.Float).SetInt64(tc.ms))
		if err != nil || got != tc.want {
			t.Errorf("rfc3339FromEpochMs(%d) = %q, %v; want %q", tc.ms, got, err, tc.want)
		}
	}
	if last := time.Date(9999, 12, 31, 23, 59, 59, 999e6, time.UTC).UnixMilli(); last != epochMsMax {
		t.Errorf("epochMsMax = %d, the last millisecond of 9999 is %d", epochMsMax, last)
	}
}

// Every millisecond of the range comes back exactly from the string, and the
// strings sort as the times do.
func TestRFC3339FromEpochMs_exactAndSortable(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(26, 4))
	prevMs, prev := int64(-1), ""
	for i := range 100000 {
		ms := r.Int64N(epochMsMax + 1)
		if i%2 == 1 {
			ms = min(prevMs+r.Int64N(3), epochMsMax) // neighbours, and equal times
		}
		s, err := rfc3339FromEpochMs(new(big.Float).SetInt64(ms))
		if err != nil {
			t.Fatalf("rfc3339FromEpochMs(%d): %v", ms, err)
		}
		back, err := time.Parse(time.RFC3339, s)
		if err != nil || back.UnixMilli() != ms || back.Location() != time.UTC || len(s) != len("1970-01-01T00:00:00.000Z") {
			t.Fatalf("rfc3339FromEpochMs(%d) = %q, which reads back as %v (%d), %v", ms, s, back, back.UnixMilli(), err)
		}
		if prevMs >= 0 && strings.Compare(prev, s) != cmpInt64(prevMs, ms) {
			t.Fatalf("%q and %q do not sort as %d and %d", prev, s, prevMs, ms)
		}
		prevMs, prev = ms, s
	}
}

func cmpInt64(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func TestRFC3339FromEpochMs_outOfRange(t *testing.T) {
	t.Parallel()
	huge, _ := new(big.Float).SetString("1e30")
	for _, tc := range []struct {
		n    *big.Float
		text string // as the error writes it
		hint string
	}{
		{big.NewFloat(-1), "-1", "before 1970"},
		{new(big.Float).SetInt64(math.MinInt64), "-9223372036854775808", "before 1970"},
		{big.NewFloat(-0.5), "-0.5", "whole number"},
		{new(big.Float).SetInt64(epochMsMax + 1), "253402300800000", "after the year 9999"},
		{new(big.Float).SetInt64(1695094500324000), "1695094500324000", "microseconds"},
		{new(big.Float).SetInt64(math.MaxInt64), "9223372036854775807", "after the year 9999"},
		{huge, "1e+30", "after the year 9999"},
		{big.NewFloat(1695094500324.5), "1695094500324.5", "whole number of milliseconds"},
		{new(big.Float).SetInf(false), "+Inf", "after the year 9999"},
	} {
		got, err := rfc3339FromEpochMs(tc.n)
		if err == nil {
			t.Errorf("rfc3339FromEpochMs(%s) = %q, want an error", tc.text, got)
			continue
		}
		want := fmt.Sprintf("epoch_ms is %s: it must be milliseconds since the Unix epoch from 0 (1970-01-01T00:00:00.000Z) to 253402300799999 (9999-12-31T23:59:59.999Z); ", tc.text)
		if !strings.HasPrefix(err.Error(), want) || !strings.Contains(err.Error(), tc.hint) {
			t.Errorf("rfc3339FromEpochMs(%s): %q, want %q and %q", tc.text, err, want, tc.hint)
		}
	}
}

// fn is a call of the function in HCL.
func fn(arg string) string { return "provider::clusterprotect::rfc3339_from_epoch_ms(" + arg + ")" }

// diagText matches phrase in a diagnostic, which Terraform wraps at any
// space.
func diagText(phrase string) *regexp.Regexp {
	words := strings.Fields(phrase)
	for i, w := range words {
		words[i] = regexp.QuoteMeta(w)
	}
	return regexp.MustCompile(strings.Join(words, `\s+`))
}

// sinceFunctions runs only where provider-defined functions exist.
var sinceFunctions = []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_8_0)}

// The function through the CLI: its values, also of a value known only at
// apply, and timecmp on them.
func TestFunctionRFC3339FromEpochMs(t *testing.T) {
	t.Parallel()
	out := func(name string, v knownvalue.Check) statecheck.StateCheck {
		return statecheck.ExpectKnownOutputValue(name, v)
	}
	resource.UnitTest(t, resource.TestCase{
		TerraformVersionChecks:   sinceFunctions,
		ProtoV6ProviderFactories: factories(testEnv(t)),
		Steps: []resource.TestStep{
			{
				Config: fmt.Sprintf(`
resource "terraform_data" "ms" { input = 1695094500324 }
output "at_apply" { value = %s }
output "zero"  { value = %s }
output "ms"    { value = %s }
output "max"   { value = %s }
output "equal" { value = timecmp(%s, "2023-09-19T11:35:00.324+08:00") }
output "later" { value = timecmp(%s, %s) }
output "before_next_second" { value = timecmp(%s, "2023-09-19T03:35:01Z") }
# The workaround users wrote loses the milliseconds.
output "workaround_earlier" { value = timecmp(timeadd("1970-01-01T00:00:00Z", "${floor(1695094500324 / 1000)}s"), %s) }
output "sorted" { value = sort([%s, %s, %s]) }
`, fn("terraform_data.ms.output"), fn("0"), fn("1695094500324"), fn("253402300799999"),
					fn("1695094500324"), fn("1695094500324"), fn("1695094500323"), fn("1695094500999"),
					fn("1695094500324"), fn("1695094500324"), fn("999"), fn("1695094500320")),
				ConfigStateChecks: []statecheck.StateCheck{
					out("zero", knownvalue.StringExact("1970-01-01T00:00:00.000Z")),
					out("ms", knownvalue.StringExact("2023-09-19T03:35:00.324Z")),
					out("max", knownvalue.StringExact("9999-12-31T23:59:59.999Z")),
					out("at_apply", knownvalue.StringExact("2023-09-19T03:35:00.324Z")),
					out("equal", knownvalue.Int64Exact(0)),
					out("later", knownvalue.Int64Exact(1)),
					out("before_next_second", knownvalue.Int64Exact(-1)),
					out("workaround_earlier", knownvalue.Int64Exact(-1)),
					out("sorted", knownvalue.ListExact([]knownvalue.Check{
						knownvalue.StringExact("1970-01-01T00:00:00.999Z"),
						knownvalue.StringExact("2023-09-19T03:35:00.320Z"),
						knownvalue.StringExact("2023-09-19T03:35:00.324Z"),
					})),
				},
			},
		},
	})
}

// Through the CLI, each bad argument is an error that names epoch_ms.
func TestFunctionRFC3339FromEpochMs_errors(t *testing.T) {
	t.Parallel()
	resource.UnitTest(t, resource.TestCase{
		TerraformVersionChecks:   sinceFunctions,
		ProtoV6ProviderFactories: factories(testEnv(t)),
		Steps: []resource.TestStep{
			{
				Config:      `output "t" { value = ` + fn("-1") + ` }`,
				ExpectError: diagText(`Invalid value for "epoch_ms" parameter: epoch_ms is -1: it must be milliseconds since the Unix epoch from 0 (1970-01-01T00:00:00.000Z) to 253402300799999 (9999-12-31T23:59:59.999Z)`),
			},
			{
				Config:      `output "t" { value = ` + fn("null") + ` }`,
				ExpectError: diagText(`Invalid value for "epoch_ms" parameter: argument must not be null`),
			},
			{
				Config:      `output "t" { value = ` + fn("253402300800000") + ` }`,
				ExpectError: diagText(`epoch_ms is 253402300800000: it must be milliseconds since the Unix epoch from 0 (1970-01-01T00:00:00.000Z) to 253402300799999 (9999-12-31T23:59:59.999Z); that is after the year 9999`),
			},
			{
				Config:      `output "t" { value = ` + fn("1695094500324.5") + ` }`,
				ExpectError: diagText(`epoch_ms is 1695094500324.5: it must be milliseconds since the Unix epoch from 0 (1970-01-01T00:00:00.000Z) to 253402300799999 (9999-12-31T23:59:59.999Z); a time from the API is a whole number of milliseconds`),
			},
		},
	})
}

// The function on events read from the fake: event times in state convert
// exactly, and a missing time is an error unless the configuration tests
// for null.
func TestFunctionRFC3339FromEpochMs_events(t *testing.T) {
	t.Parallel()
	p := hssfake.Ptr[string]
	_, url := startFake(t, []hssfake.Event{
		{EventID: p("ev-a"), CreateTime: hssfake.Ptr[int64](1695094500324), EnterpriseProjectID: p("0")},
		{EventID: p("ev-b"), CreateTime: hssfake.Ptr[int64](1695094500323), EnterpriseProjectID: p("0")},
		{EventID: p("ev-none"), EnterpriseProjectID: p("0")},
	})
	events := providerBlock(url, tokenAuth()) + readAll + `
locals { events = data.clusterprotect_events.test.data_list }
`
	resource.UnitTest(t, resource.TestCase{
		TerraformVersionChecks:   sinceFunctions,
		ProtoV6ProviderFactories: factories(testEnv(t)),
		Steps: []resource.TestStep{
			{
				Config: events + fmt.Sprintf(`
output "times" { value = { for e in local.events : e.event_id => e.create_time == null ? null : %s } }
output "after_b" {
  value = [for e in local.events : e.event_id if e.create_time == null ? false : timecmp(%s, "2023-09-19T03:35:00.323Z") > 0]
}
`, fn("e.create_time"), fn("e.create_time")),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownOutputValue("times", knownvalue.MapExact(map[string]knownvalue.Check{
						"ev-a":    knownvalue.StringExact("2023-09-19T03:35:00.324Z"),
						"ev-b":    knownvalue.StringExact("2023-09-19T03:35:00.323Z"),
						"ev-none": knownvalue.Null(),
					})),
					statecheck.ExpectKnownOutputValue("after_b", knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact("ev-a")})),
				},
			},
			{
				Config: events + fmt.Sprintf(`
output "after_b" {
  value = [for e in local.events : e.event_id if timecmp(%s, "2023-09-19T03:35:00.323Z") > 0]
}
`, fn("e.create_time")),
				ExpectError: diagText(`Invalid value for "epoch_ms" parameter: argument must not be null`),
			},
		},
	})
}

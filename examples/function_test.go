package examples

import (
	"cmp"
	"encoding/json"
	"fmt"
	"path/filepath"
	"regexp"
	"slices"
	"testing"
	"time"

	"github.com/clusterprotect/terraform-provider-clusterprotect/internal/hssfake"
)

// skipWithoutFunctions skips where the CLI has no provider-defined
// functions: Terraform before 1.8, OpenTofu before 1.7.
func skipWithoutFunctions(t *testing.T, ex *example, cli string) {
	t.Helper()
	if why := withoutFunctions(t, ex, cli); why != "" {
		t.Skip(why)
	}
}

// withoutFunctions says why the CLI has no provider-defined functions, or
// "" when it has them.
func withoutFunctions(t *testing.T, ex *example, cli string) string {
	t.Helper()
	out, _ := ex.run(cli, "version", "-json")
	var v struct {
		Version string `json:"terraform_version"`
	}
	if m := regexp.MustCompile(`(?s)\{.*\}`).FindString(out); json.Unmarshal([]byte(m), &v) != nil {
		t.Fatalf("%s version -json:\n%s", cli, out)
	}
	name, since := "Terraform", 8
	if plain, _ := ex.run(cli, "version"); regexp.MustCompile(`^OpenTofu`).MatchString(plain) {
		name, since = "OpenTofu", 7
	}
	var major, minor int
	if _, err := fmt.Sscanf(v.Version, "%d.%d", &major, &minor); err != nil {
		t.Fatalf("%s version %q: %v", cli, v.Version, err)
	}
	if major == 1 && minor < since {
		return fmt.Sprintf("provider-defined functions need %s 1.%d or newer; this is %s", name, since, v.Version)
	}
	return ""
}

// The function's documented example on the fake: every unhandled deny event
// with its time to the millisecond, null where the API gives none, and the
// events after a sign-off that differs from the newest by one millisecond.
func TestExample_rfc3339FromEpochMs(t *testing.T) {
	cli := tool(t, "TF_ACC_TERRAFORM_PATH", "terraform")
	const signedOff = 1_767_225_600_123 // 2026-01-01T00:00:00.123Z
	p := hssfake.Ptr[string]
	evs := append(hssfake.Generate(hssfake.GenerateOptions{Count: 60, Seed: 5, ProjectID: project, NewestMillis: signedOff}),
		hssfake.Event{EventID: p("ev-late"), ClusterName: p("late"), PolicyName: p("deny-privileged"), Action: p("deny"), HandleStatus: p("unhandled"),
			CreateTime: hssfake.Ptr[int64](signedOff + 1), ProjectID: p(project), EnterpriseProjectID: p("0")},
		hssfake.Event{EventID: p("ev-no-time"), ClusterName: p("no-time"), PolicyName: p("deny-privileged"), Action: p("deny"), HandleStatus: p("unhandled"),
			ProjectID: p(project), EnterpriseProjectID: p("0")},
	)
	ex := newExample(t, filepath.Join("functions", "rfc3339_from_epoch_ms"), evs)
	skipWithoutFunctions(t, ex, cli)
	ex.setEnv("TF_VAR_signed_off_at", "2026-01-01T00:00:00.123Z")

	type deny struct{ Cluster, Policy, At *string }
	var got struct {
		Unhandled struct{ Value []deny } `json:"unhandled_deny"`
		Newest    struct{ Value string } `json:"newest_unhandled_deny"`
		Since     struct{ Value []deny } `json:"since_sign_off"`
	}
	ex.applyOutputs(cli, &got)

	// The API's order: newest first, an event without a time last.
	slices.SortStableFunc(evs, func(a, b hssfake.Event) int {
		at := func(e hssfake.Event) int64 {
			if e.CreateTime == nil {
				return 0
			}
			return *e.CreateTime
		}
		return cmp.Compare(at(b), at(a))
	})
	var want []string
	for _, e := range evs {
		if *e.Action == "deny" && *e.HandleStatus == "unhandled" {
			at := "null"
			if e.CreateTime != nil {
				at = time.UnixMilli(*e.CreateTime).UTC().Format("2006-01-02T15:04:05.000Z")
			}
			want = append(want, *e.ClusterName+" "+*e.PolicyName+" "+at)
		}
	}
	str := func(ds []deny) []string {
		var s []string
		for _, d := range ds {
			at := "null"
			if d.At != nil {
				at = *d.At
			}
			s = append(s, fmt.Sprintf("%s %s %s", *d.Cluster, *d.Policy, at))
		}
		return s
	}
	if len(want) < 5 || !slices.Equal(str(got.Unhandled.Value), want) {
		t.Errorf("unhandled_deny\n got %q\nwant %q", str(got.Unhandled.Value), want)
	}
	if got.Newest.Value != "01 Jan 2026 00:00:00 UTC" {
		t.Errorf("newest_unhandled_deny %q", got.Newest.Value)
	}
	if s, w := str(got.Since.Value), []string{"late deny-privileged 2026-01-01T00:00:00.124Z", "no-time deny-privileged null"}; !slices.Equal(s, w) {
		t.Errorf("since_sign_off %q, want %q", s, w)
	}
}

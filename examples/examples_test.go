// Package examples runs the example configurations as a user would: the
// provider built from this tree, installed through dev_overrides, the
// Terraform CLI (and OPA) against the local fake API.
package examples

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/clusterprotect/terraform-provider-clusterprotect/internal/hssfake"
)

const (
	token   = "examples-token"
	project = "0123456789abcdef0123456789abcdef"
)

var cliConfig string // a Terraform CLI configuration with dev_overrides

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "clusterprotect-examples")
	if err != nil {
		panic(err)
	}
	build := exec.CommandContext(context.Background(), "go", "build", "-o", filepath.Join(dir, "terraform-provider-clusterprotect"), "..")
	build.Stdout, build.Stderr = os.Stdout, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "building the provider:", err)
		os.Exit(1)
	}
	cliConfig = filepath.Join(dir, "terraformrc")
	rc := fmt.Sprintf("provider_installation {\n  dev_overrides {\n    \"clusterprotect/clusterprotect\" = %q\n  }\n  direct {}\n}\n", dir)
	if err := os.WriteFile(cliConfig, []byte(rc), 0o600); err != nil {
		panic(err)
	}
	code := m.Run()
	_ = os.RemoveAll(dir)
	os.Exit(code)
}

// envMaySkip, set to 1, lets the examples skip where a CLI they need is not
// found; without it they fail, so that a run without Terraform or OPA does
// not pass for having checked nothing.
const envMaySkip = "CLUSTERPROTECT_EXAMPLES_MAY_SKIP"

// tool finds a CLI: the environment variable the Makefile sets, else PATH.
func tool(t *testing.T, env, name string) string {
	t.Helper()
	if p := os.Getenv(env); p != "" {
		return p
	}
	p, err := exec.LookPath(name)
	if err != nil {
		msg := fmt.Sprintf("%s not found: set %s, or run make test, which installs it (or set %s=1 to skip)", name, env, envMaySkip)
		if os.Getenv(envMaySkip) == "1" {
			t.Skip(msg)
		}
		t.Fatal(msg)
	}
	return p
}

// example copies an example directory into a temporary one, so no state is
// left in the tree, and serves events on a fake API for it.
type example struct {
	t        *testing.T
	dir      string
	env      []string
	fake     *hssfake.Server
	planArgs []string // more arguments of planAndGate's plan, such as -target
}

// tokenConfig is a fake account with one project, open to token.
func tokenConfig() hssfake.Config {
	return hssfake.Config{Projects: []hssfake.Project{{ID: project, Name: "ap-southeast-1", Enabled: true, Tokens: []string{token}}}}
}

func newExample(t *testing.T, name string, events []hssfake.Event) *example {
	t.Helper()
	fake := hssfake.New(tokenConfig(), events)
	srv := httptest.NewServer(fake)
	t.Cleanup(srv.Close)
	return newExampleFor(t, name, fake, srv.URL)
}

// newExampleFor copies the example and points the provider at endpoint,
// with a token; env may be changed before run.
func newExampleFor(t *testing.T, name string, fake *hssfake.Server, endpoint string) *example {
	t.Helper()
	dir := filepath.Join(t.TempDir(), name)
	if err := os.CopyFS(dir, os.DirFS(name)); err != nil {
		t.Fatal(err)
	}
	env := []string{"TF_CLI_CONFIG_FILE=" + cliConfig, "TF_IN_AUTOMATION=1", "CHECKPOINT_DISABLE=1",
		// Never the real ECS metadata service, never a developer's profiles.
		"HW_METADATA_ENDPOINT=http://127.0.0.1:1", "HOME=" + t.TempDir(),
		"HW_HSS_ENDPOINT=" + endpoint, "HW_AUTH_TOKEN=" + token, "HW_PROJECT_ID=" + project}
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "HW_") && !strings.HasPrefix(kv, "OS_") && !strings.HasPrefix(kv, "TF_") && !strings.HasPrefix(kv, "HOME=") && !strings.Contains(strings.ToUpper(kv), "_PROXY=") {
			env = append(env, kv)
		}
	}
	return &example{t: t, dir: dir, env: env, fake: fake}
}

// setEnv replaces or adds environment variables; an empty value removes one.
func (e *example) setEnv(kv ...string) {
	for i := 0; i+1 < len(kv); i += 2 {
		prefix := kv[i] + "="
		kept := e.env[:0]
		for _, old := range e.env {
			if !strings.HasPrefix(old, prefix) {
				kept = append(kept, old)
			}
		}
		e.env = kept
		if kv[i+1] != "" {
			e.env = append(e.env, prefix+kv[i+1])
		}
	}
}

// run runs a command in the example and returns its output and whether it
// exited 0.
func (e *example) run(name string, args ...string) (string, bool) {
	e.t.Helper()
	cmd := exec.CommandContext(e.t.Context(), name, args...)
	cmd.Dir, cmd.Env = e.dir, e.env
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	if err != nil {
		var exitErr *exec.ExitError
		if !errors.As(err, &exitErr) {
			e.t.Fatalf("%s: %v", name, err)
		}
	}
	return out.String(), err == nil
}

// applyOutputs applies the example and decodes its outputs (terraform output
// -json) into v.
func (e *example) applyOutputs(tf string, v any) {
	e.t.Helper()
	if out, ok := e.run(tf, "apply", "-input=false", "-auto-approve", "-no-color"); !ok {
		e.t.Fatalf("apply:\n%s", out)
	}
	out, ok := e.run(tf, "output", "-json")
	if !ok || !strings.Contains(out, "{") {
		e.t.Fatalf("output:\n%s", out)
	}
	if err := json.Unmarshal([]byte(out[strings.Index(out, "{"):]), v); err != nil {
		e.t.Fatalf("%v\n%s", err, out)
	}
}

// events are a few hundred generated events: some unhandled deny among them.
func events() []hssfake.Event {
	return hssfake.Generate(hssfake.GenerateOptions{Count: 300, Seed: 5, ProjectID: project, EnterpriseProjectIDs: []string{"0", hssfake.SampleEnterpriseProjectID}})
}

func newestUnhandledDeny(t *testing.T, events []hssfake.Event) hssfake.Event {
	t.Helper()
	for _, e := range events {
		if *e.Action == "deny" && *e.HandleStatus == "unhandled" {
			return e
		}
	}
	t.Fatal("no unhandled deny event in the test data")
	return hssfake.Event{}
}

// The check block warns about unhandled deny events of the last 24 hours,
// counting all of them, and ignores older ones.
func TestExample_checkBlock(t *testing.T) {
	tf := tool(t, "TF_ACC_TERRAFORM_PATH", "terraform")
	now := time.Now()
	evs := hssfake.Generate(hssfake.GenerateOptions{Count: 300, Seed: 5, ProjectID: project, EnterpriseProjectIDs: []string{"0", hssfake.SampleEnterpriseProjectID},
		NewestMillis: now.Add(-time.Minute).UnixMilli(), Span: 72 * time.Hour})
	ex := newExample(t, "check-block", evs)
	first := newestUnhandledDeny(t, evs)
	recent := 0
	for _, e := range evs {
		// Events near the window's edge could fall either side of it.
		if d := now.Sub(time.UnixMilli(*e.CreateTime)); d > 24*time.Hour-time.Minute && d < 24*time.Hour+time.Minute {
			t.Fatalf("event %s is too near the edge of the window for this test", *e.EventID)
		}
		if *e.Action == "deny" && *e.HandleStatus == "unhandled" && now.Sub(time.UnixMilli(*e.CreateTime)) < 24*time.Hour {
			recent++
		}
	}
	if recent <= 5 || recent == len(evs) {
		t.Fatalf("%d recent unhandled deny events: the test data does not exercise the window", recent)
	}

	out, ok := ex.run(tf, "plan", "-input=false", "-no-color")
	out = strings.Join(strings.Fields(out), " ") // Terraform wraps long messages
	// data_list holds the newest 5 events of any kind (max_results): the
	// message names the unhandled deny events among them.
	var shown []string
	for _, e := range evs[:5] {
		if *e.Action == "deny" && *e.HandleStatus == "unhandled" {
			shown = append(shown, fmt.Sprintf("%s %s/%s (%s)", *e.ClusterName, *e.ResourceInfo.Namespace, *e.ResourceInfo.Name, *e.PolicyName))
		}
	}
	if len(shown) == 0 || shown[0] != fmt.Sprintf("%s %s/%s (%s)", *first.ClusterName, *first.ResourceInfo.Namespace, *first.ResourceInfo.Name, *first.PolicyName) {
		t.Fatalf("the newest 5 events show no unhandled deny event: the test data does not exercise the message")
	}
	want := fmt.Sprintf("%d unhandled deny events in the last 24 hours; the newest shown: %s", recent, strings.Join(shown, "; "))
	if !ok || !strings.Contains(out, "Check block assertion failed") || !strings.Contains(out, want) {
		t.Fatalf("want a passing plan that warns %q:\n%s", want, out)
	}

	// The same events, all older than a day: nothing to warn about.
	ex.fake.SetEvents(hssfake.Generate(hssfake.GenerateOptions{Count: 300, Seed: 5, ProjectID: project, EnterpriseProjectIDs: []string{"0", hssfake.SampleEnterpriseProjectID},
		NewestMillis: now.Add(-25 * time.Hour).UnixMilli(), Span: 72 * time.Hour}))
	if out, ok := ex.run(tf, "plan", "-input=false", "-no-color"); !ok || strings.Contains(out, "Check block assertion failed") {
		t.Fatalf("want a clean plan when the events are older than the window:\n%s", out)
	}
	ex.fake.SetEvents(evs)
	ex.fake.MarkHandled()
	if out, ok := ex.run(tf, "plan", "-input=false", "-no-color"); !ok || strings.Contains(out, "Check block assertion failed") {
		t.Fatalf("want a clean plan once the events are handled:\n%s", out)
	}

	// Deny events whose handle_status or action the API left out may be
	// unhandled: summary.unhandled_deny counts them, narrowing would not.
	leftOut := withFieldsLeftOut(evs)
	for _, e := range leftOut {
		if (e.HandleStatus == nil || e.Action == nil) && now.Sub(time.UnixMilli(*e.CreateTime)) >= 24*time.Hour {
			t.Fatalf("event %s is outside the window: the test data does not exercise fields left out", *e.EventID)
		}
	}
	ex.fake.SetEvents(leftOut)
	out, ok = ex.run(tf, "plan", "-input=false", "-no-color")
	out = strings.Join(strings.Fields(out), " ")
	if !ok || !strings.Contains(out, "Check block assertion failed") || !strings.Contains(out, "2 unhandled deny events in the last 24 hours") {
		t.Fatalf("want a passing plan that warns of the 2 deny events with a field left out:\n%s", out)
	}
}

func TestExample_postcondition(t *testing.T) {
	tf := tool(t, "TF_ACC_TERRAFORM_PATH", "terraform")
	evs := events()
	ex := newExample(t, "postcondition", evs)
	out, ok := ex.run(tf, "plan", "-input=false", "-no-color")
	out = strings.Join(strings.Fields(out), " ")
	if ok || !strings.Contains(out, "Resource postcondition failed") || !strings.Contains(out, *newestUnhandledDeny(t, evs).ClusterID) {
		t.Fatalf("want a failed plan naming the cluster:\n%s", out)
	}
	ex.fake.MarkHandled()
	if out, ok := ex.run(tf, "plan", "-input=false", "-no-color"); !ok {
		t.Fatalf("want a passing plan once the events are handled:\n%s", out)
	}

	// Deny events whose handle_status or action the API left out may be
	// unhandled: summary.unhandled_deny counts them, narrowing would not.
	ex.fake.SetEvents(withFieldsLeftOut(evs))
	out, ok = ex.run(tf, "plan", "-input=false", "-no-color")
	out = strings.Join(strings.Fields(out), " ")
	if ok || !strings.Contains(out, "Resource postcondition failed") || !strings.Contains(out, "2 unhandled deny events") {
		t.Fatalf("want a failed plan counting the 2 deny events with a field left out:\n%s", out)
	}
}

// withFieldsLeftOut returns evs, all handled, but for the newest deny event
// without handle_status and the next without action (its
// resource_info.enforcement_action still says deny).
func withFieldsLeftOut(evs []hssfake.Event) []hssfake.Event {
	out := make([]hssfake.Event, len(evs))
	copy(out, evs)
	n := 0
	for i := range out {
		e := out[i]
		e.HandleStatus = hssfake.Ptr("handled")
		if *evs[i].Action == "deny" && n < 2 {
			if n == 0 {
				e.HandleStatus = nil
			} else {
				e.HandleStatus = hssfake.Ptr("unhandled")
				e.Action = nil
			}
			n++
		}
		out[i] = e
	}
	return out
}

// The terraform-test example tests its gate with planted events, on
// Terraform and on OpenTofu: a deny event fails it (also one without
// handle_status, which summary.unhandled_deny counts), a warn event and a
// clean read pass, and an incomplete read or a warning fails it. Planting
// events in data_list needs a list attribute of objects: terraform test
// cannot override a list nested attribute (hashicorp/terraform#38369).
func TestExample_terraformTest(t *testing.T) {
	for _, cli := range []struct {
		name, env string
		minor     int // the first 1.x with mock_provider and override_data
	}{
		{"terraform", "TF_ACC_TERRAFORM_PATH", 7},
		{"tofu", "TOFU", 8},
	} {
		t.Run(cli.name, func(t *testing.T) {
			tf := tool(t, cli.env, cli.name)
			if cli.name == "tofu" && tf == os.Getenv("TF_ACC_TERRAFORM_PATH") {
				t.Skip("the same CLI as the terraform subtest (make testtofu)")
			}
			ex := newExample(t, "terraform-test", nil)
			var v struct {
				Version string `json:"terraform_version"`
			}
			out, _ := ex.run(tf, "version", "-json")
			if err := json.Unmarshal([]byte(out[strings.Index(out, "{"):]), &v); err != nil {
				t.Fatalf("%s version: %v\n%s", cli.name, err, out)
			}
			var major, minor int
			if _, err := fmt.Sscanf(v.Version, "%d.%d", &major, &minor); err != nil {
				t.Fatalf("%s version %q: %v", cli.name, v.Version, err)
			}
			if major == 1 && minor < cli.minor {
				t.Skipf("mock_provider and override_data need %s 1.%d or newer; this is %s", cli.name, cli.minor, v.Version)
			}
			out, ok := ex.run(tf, "test", "-no-color")
			if !ok || !strings.Contains(out, "6 passed, 0 failed") {
				t.Fatalf("%s test:\n%s", cli.name, out)
			}
			if st := ex.fake.Stats(); st.Requests != 0 {
				t.Errorf("the mocked test sent %d requests", st.Requests)
			}
		})
	}
}

// The OPA gate, run as the guide's CI job runs it, has three outcomes: clean
// events pass; unhandled deny events fail the job; and an API that cannot be
// read fails it too, though the plan itself only warns.
func TestExample_opa(t *testing.T) {
	tf := tool(t, "TF_ACC_TERRAFORM_PATH", "terraform")
	opa := tool(t, "OPA", "opa")
	evs := events()
	ex := newExample(t, "opa", evs)

	if out, ok := ex.run(opa, "test", "policy"); !ok {
		t.Fatalf("opa test:\n%s", out)
	}
	if out, ok := ex.run(tf, "get", "-no-color"); !ok {
		t.Fatalf("terraform get:\n%s", out)
	}
	gate := func() (string, bool) {
		t.Helper()
		plan, planOK, out, ok := ex.planAndGate(tf, opa)
		if !planOK {
			t.Fatalf("terraform plan:\n%s", plan)
		}
		return out, ok
	}

	out, ok := gate()
	first := newestUnhandledDeny(t, evs)
	unhandledDeny := 0
	for _, e := range evs {
		if *e.Action == "deny" && *e.HandleStatus == "unhandled" {
			unhandledDeny++
		}
	}
	want := fmt.Sprintf(": %d unhandled deny event(s) (summary.unhandled_deny, region null); the newest in data_list: unhandled deny event %s in cluster %s on %s/%s/%s (policy %s)",
		unhandledDeny, *first.EventID, *first.ClusterName, *first.ResourceInfo.Namespace, *first.ResourceInfo.Kind, *first.ResourceInfo.Name, *first.PolicyName)
	if ok || !strings.Contains(out, "data.clusterprotect_events.all"+want) || !strings.Contains(out, "module.prod.data.clusterprotect_events.deny"+want) {
		t.Fatalf("unhandled deny events: want a failed job with %q in the root module and module.prod:\n%s", want, out)
	}

	ex.fake.MarkHandled()
	if out, ok := gate(); !ok || strings.Contains(out, "deny event") {
		t.Fatalf("handled events: want a passing job:\n%s", out)
	}

	// Nothing listens on the endpoint any more: the plan warns, the gate
	// fails closed.
	ln, err := (&net.ListenConfig{}).Listen(t.Context(), "tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := "http://" + ln.Addr().String()
	_ = ln.Close()
	ex.setEnv("HW_HSS_ENDPOINT", closed, "HW_MAX_RETRIES", "0")
	out, ok = gate()
	if ok || !strings.Contains(out, "data.clusterprotect_events.all: its events are not known: the read failed") ||
		!strings.Contains(out, "module.prod.data.clusterprotect_events.deny: its events are not known") {
		t.Fatalf("unreachable API: want a failed job for both data sources:\n%s", out)
	}
}

// planAndGate is the guide's CI job: plan (Terraform saves a plan that
// errored too), plan JSON, and OPA failing the job on any deny, with
// opaArgs such as "-d", "regions.json". It returns the plan's output and
// whether it passed, what OPA printed and whether the job passed.
func (e *example) planAndGate(tf, opa string, opaArgs ...string) (plan string, planOK bool, verdict string, pass bool) {
	e.t.Helper()
	_ = os.Remove(filepath.Join(e.dir, "plan.bin"))
	plan, planOK = e.run(tf, append([]string{"plan", "-input=false", "-no-color", "-out=plan.bin"}, e.planArgs...)...)
	out, ok := e.run(tf, "show", "-json", "plan.bin")
	if !ok {
		e.t.Fatalf("terraform show:\n%s\n%s", plan, out)
	}
	if err := os.WriteFile(filepath.Join(e.dir, "plan.json"), []byte(out[strings.Index(out, "{"):]), 0o600); err != nil {
		e.t.Fatal(err)
	}
	args := append(append([]string{"eval", "--fail-defined", "--format", "pretty", "-d", "policy"}, opaArgs...),
		"-i", "plan.json", "data.clusterprotect.events.deny[msg]")
	verdict, pass = e.run(opa, args...)
	return plan, planOK, verdict, pass
}

// writeFile adds a file to the example's copy.
func (e *example) writeFile(name, content string) {
	e.t.Helper()
	if err := os.WriteFile(filepath.Join(e.dir, name), []byte(content), 0o600); err != nil {
		e.t.Fatal(err)
	}
}

// The bundled policy fails closed on what a plan could not know, each from a
// real plan: a typo in actions (the plan passes with a warning), a plan that
// errored (strict turns the typo into an error), a read cut at the API's
// 10,000 cap (a cluster alone past it: a read past the cap goes cluster by
// cluster, each with a cap of its own), a read deferred to apply, and a
// required region not read.
func TestExample_opaFailsClosed(t *testing.T) {
	tf := tool(t, "TF_ACC_TERRAFORM_PATH", "terraform")
	opa := tool(t, "OPA", "opa")
	ex := newExample(t, "opa", events())
	ex.fake.MarkHandled()
	ex.setEnv("HW_REGION_NAME", "ap-southeast-1")
	if out, ok := ex.run(tf, "get", "-no-color"); !ok {
		t.Fatalf("terraform get:\n%s", out)
	}
	ex.writeFile("regions.json", `{"clusterprotect": {"required_regions": ["ap-southeast-1"]}}`)
	ex.writeFile("more-regions.json", `{"clusterprotect": {"required_regions": ["ap-southeast-1", "eu-west-101"]}}`)
	// want is a deny the job fails with ("" for a job that passes); the
	// last argument may give another, as older Terraform versions write
	// the plan JSON differently.
	gate := func(wantPlanOK bool, want, or string, opaArgs ...string) {
		t.Helper()
		plan, planOK, out, pass := ex.planAndGate(tf, opa, opaArgs...)
		if planOK != wantPlanOK {
			t.Fatalf("want a plan that passes: %v:\n%s", wantPlanOK, plan)
		}
		out = strings.Join(strings.Fields(out), " ")
		found := strings.Contains(out, want) || or != "" && strings.Contains(out, or)
		if want == "" && !pass || want != "" && (pass || !found) {
			t.Fatalf("want a job that fails with %q (none: passes):\n%s\nplan:\n%s", want, out, plan)
		}
	}

	gate(true, "", "", "-d", "regions.json")
	gate(true, "region eu-west-101: no clusterprotect_events data source read it completely", "", "-d", "more-regions.json")

	ex.writeFile("typo.tf", "data \"clusterprotect_events\" \"typo\" {\n  actions = [\"dney\"]\n}\n")
	gate(true, `data.clusterprotect_events.typo: the read warned, so the gate fails closed: No event matches actions: no event has action`, "")

	ex.writeFile("typo.tf", "data \"clusterprotect_events\" \"typo\" {\n  strict  = true\n  actions = [\"dney\"]\n}\n")
	// Terraform 1.5 writes no errored field: the data source the plan never
	// reached is denied instead.
	gate(false, "the plan errored (errored: true)", "data.clusterprotect_events.typo: neither read at plan time nor planned for apply")
	if err := os.Remove(filepath.Join(ex.dir, "typo.tf")); err != nil {
		t.Fatal(err)
	}

	ex.writeFile("deferred.tf", "data \"clusterprotect_events\" \"recent\" {\n  created_after = timeadd(timestamp(), \"-24h\")\n}\n")
	gate(true, "data.clusterprotect_events.recent: its events are not known until apply (read_because_config_unknown)", "")
	if err := os.Remove(filepath.Join(ex.dir, "deferred.tf")); err != nil {
		t.Fatal(err)
	}

	ex.fake.SetEvents(hssfake.Generate(hssfake.GenerateOptions{Count: 10_001, Seed: 6, ProjectID: project, Clusters: 1}))
	ex.fake.MarkHandled()
	gate(true, "data.clusterprotect_events.all: the read may lack events (complete = false)", "", "-d", "regions.json")
}

func TestExamples_formatted(t *testing.T) {
	tf := tool(t, "TF_ACC_TERRAFORM_PATH", "terraform")
	ex := &example{t: t, dir: ".", env: os.Environ()}
	if why := withoutFunctions(t, ex, tf); why != "" {
		// Such a CLI cannot parse a call of a provider function: it checks
		// every other file, one at a time.
		t.Logf("files that call a provider function are left out: %s", why)
		for _, f := range filesWithoutFunctionCalls(t) {
			if out, ok := ex.run(tf, "fmt", "-check", "-diff", f); !ok {
				t.Errorf("terraform fmt %s:\n%s", f, out)
			}
		}
	} else if out, ok := ex.run(tf, "fmt", "-check", "-recursive", "-diff", "."); !ok {
		t.Errorf("terraform fmt:\n%s", out)
	}
	if opa, err := exec.LookPath(os.Getenv("OPA")); err == nil {
		if out, _ := ex.run(opa, "fmt", "--list", "opa/policy"); strings.TrimSpace(out) != "" {
			t.Errorf("opa fmt would change: %s", out)
		}
	}
}

// filesWithoutFunctionCalls are the examples' .tf and .tfvars files that
// call no provider function; it fails when every file is left out.
func filesWithoutFunctionCalls(t *testing.T) []string {
	t.Helper()
	var files []string
	left := 0
	err := filepath.WalkDir(".", func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || (filepath.Ext(p) != ".tf" && filepath.Ext(p) != ".tfvars") {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if strings.Contains(string(b), "provider::") {
			left++
			return nil
		}
		files = append(files, p)
		return nil
	})
	if err != nil || len(files) == 0 || left == 0 {
		t.Fatalf("walking the examples: %v (%d files to check, %d left out)", err, len(files), left)
	}
	return files
}

// The regions example reads two regions with for_each: each finds its own
// project through IAM, and the summaries merge.
func TestExample_regions(t *testing.T) {
	tf := tool(t, "TF_ACC_TERRAFORM_PATH", "terraform")
	const otherProject = "fedcba9876543210fedcba9876543210"
	first := hssfake.Generate(hssfake.GenerateOptions{Count: 120, Seed: 8, ProjectID: project})
	second := hssfake.Generate(hssfake.GenerateOptions{Count: 80, Seed: 9, ProjectID: otherProject})
	// A token opens the one project it was issued for: two regions take
	// access keys.
	fake := hssfake.New(hssfake.Config{Keys: map[string]hssfake.Credential{"EXAMPLEAK": {SecretKey: "example-sk"}}, Projects: []hssfake.Project{
		{ID: project, Name: "ap-southeast-1", Enabled: true},
		{ID: otherProject, Name: "ap-southeast-3", Enabled: true},
	}}, append(first, second...))
	srv := httptest.NewServer(fake)
	t.Cleanup(srv.Close)
	ex := newExampleFor(t, "regions", fake, srv.URL)
	ex.setEnv("HW_PROJECT_ID", "", "HW_IAM_ENDPOINT", srv.URL, "HW_AUTH_TOKEN", "", "HW_ACCESS_KEY", "EXAMPLEAK", "HW_SECRET_KEY", "example-sk")

	var got struct {
		ByAction struct{ Value map[string]int } `json:"unhandled_by_action"`
		Projects struct{ Value map[string]string }
	}
	ex.applyOutputs(tf, &got)
	want := map[string]int{}
	for _, e := range append(first, second...) {
		if *e.HandleStatus == "unhandled" {
			want[*e.Action]++
		}
	}
	if fmt.Sprint(got.ByAction.Value) != fmt.Sprint(want) {
		t.Errorf("unhandled_by_action %v, want %v", got.ByAction.Value, want)
	}
	if got.Projects.Value["ap-southeast-1"] != project || got.Projects.Value["ap-southeast-3"] != otherProject {
		t.Errorf("projects %v", got.Projects.Value)
	}
}

// The migration guide's "after" configuration gives the namespaces of the
// unhandled deny events, with resource_info as an object.
func TestExample_migrating(t *testing.T) {
	tf := tool(t, "TF_ACC_TERRAFORM_PATH", "terraform")
	evs := events()
	ex := newExample(t, "migrating", evs)
	if out, ok := ex.run(tf, "apply", "-input=false", "-auto-approve", "-no-color"); !ok {
		t.Fatalf("apply:\n%s", out)
	}
	out, ok := ex.run(tf, "output", "-json", "unhandled_deny_namespaces")
	if !ok {
		t.Fatalf("output:\n%s", out)
	}
	var got []string
	if err := json.Unmarshal([]byte(out[strings.Index(out, "["):]), &got); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	want := map[string]bool{}
	for _, e := range evs {
		if *e.Action == "deny" && *e.HandleStatus == "unhandled" {
			want[*e.ResourceInfo.Namespace] = true
		}
	}
	if len(got) != len(want) || len(got) < 2 {
		t.Fatalf("namespaces %q, want the %d of %v", got, len(want), want)
	}
	for _, ns := range got {
		if !want[ns] {
			t.Fatalf("namespace %q has no unhandled deny event", ns)
		}
	}
}

// The multi-region gate reads three regions of one fake through a {region}
// endpoint template. All reachable: the plan passes and so does the bundled
// policy with every region required; an unhandled deny event in one region
// warns in the plan and fails the job. One region unreachable: the plan
// errors, and the job fails on that region.
func TestExample_multiRegionGate(t *testing.T) {
	tf := tool(t, "TF_ACC_TERRAFORM_PATH", "terraform")
	opa := tool(t, "OPA", "opa")
	regions := []string{"ap-southeast-1", "ap-southeast-2", "ap-southeast-3"}
	projects := []string{project, "11111111111111111111111111111111", "22222222222222222222222222222222"}
	cfg := hssfake.Config{Keys: map[string]hssfake.Credential{"EXAMPLEAK": {SecretKey: "example-sk"}}}
	var evs []hssfake.Event
	newest := time.Now().Add(-time.Hour).UnixMilli()
	for i, r := range regions {
		cfg.Projects = append(cfg.Projects, hssfake.Project{ID: projects[i], Name: r, Enabled: true})
		evs = append(evs, hssfake.Generate(hssfake.GenerateOptions{Count: 40, Seed: uint64(20 + i), ProjectID: projects[i], NewestMillis: newest})...)
	}
	fake := hssfake.New(cfg, evs)
	fake.MarkHandled()
	// The dead region's endpoint takes each connection and drops it, as a
	// region behind a firewall or a dead port does: no HTTP answer at all.
	var dead atomic.Value
	dead.Store("")
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if d := dead.Load().(string); d != "" && strings.HasPrefix(r.URL.Path, "/"+d+"/") {
			if conn, _, err := http.NewResponseController(w).Hijack(); err == nil {
				_ = conn.Close()
			}
			return
		}
		fake.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	ex := newExampleFor(t, "multi-region-gate", fake, srv.URL+"/{region}")
	ex.setEnv("HW_PROJECT_ID", "", "HW_AUTH_TOKEN", "", "HW_IAM_ENDPOINT", srv.URL+"/{region}",
		"HW_ACCESS_KEY", "EXAMPLEAK", "HW_SECRET_KEY", "example-sk", "HW_MAX_RETRIES", "0")
	ex.writeFile("regions.json", `{"clusterprotect": {"required_regions": ["ap-southeast-1", "ap-southeast-2", "ap-southeast-3"]}}`)
	policy, err := filepath.Abs("opa/policy")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.CopyFS(filepath.Join(ex.dir, "policy"), os.DirFS(policy)); err != nil {
		t.Fatal(err)
	}
	gate := func() (plan string, planOK bool, verdict string, pass bool) {
		t.Helper()
		plan, planOK, verdict, pass = ex.planAndGate(tf, opa, "-d", "regions.json")
		// OPA's table quotes the addresses' quotes.
		verdict = strings.ReplaceAll(verdict, `\"`, `"`)
		return strings.Join(strings.Fields(plan), " "), planOK, strings.Join(strings.Fields(verdict), " "), pass
	}

	plan, planOK, verdict, pass := gate()
	if !planOK || strings.Contains(plan, "Check block assertion failed") || !pass {
		t.Fatalf("all regions clean: want a clean plan and a passing job:\n%s\n%s", plan, verdict)
	}
	if st := fake.Stats(); st.Requests == 0 {
		t.Fatal("the fake was not read")
	}

	// One unhandled deny event, in the last region.
	var planted string
	for i := range evs {
		status := "handled"
		if planted == "" && *evs[i].ProjectID == projects[2] && *evs[i].Action == "deny" {
			planted, status = *evs[i].EventID, "unhandled"
		}
		evs[i].HandleStatus = hssfake.Ptr(status)
	}
	fake.SetEvents(evs)
	plan, planOK, verdict, pass = gate()
	want := `data.clusterprotect_events.region["ap-southeast-3"]: 1 unhandled deny event(s) (summary.unhandled_deny, region ap-southeast-3)`
	if !planOK || !strings.Contains(plan, "Unhandled deny events: ap-southeast-3: 1") || pass || !strings.Contains(verdict, want) {
		t.Fatalf("a deny event in ap-southeast-3: want a plan that warns and a job that fails with %q:\n%s\n%s", want, plan, verdict)
	}

	// ap-southeast-2 unreachable: the plan errors; the job fails on it.
	dead.Store("ap-southeast-2")
	plan, planOK, verdict, pass = gate()
	want = "region ap-southeast-2: no clusterprotect_events data source read it completely"
	if planOK || !strings.Contains(plan, `data.clusterprotect_events.region["ap-southeast-2"]`) || pass || !strings.Contains(verdict, want) {
		t.Fatalf("ap-southeast-2 unreachable: want a failed plan naming it and a job that fails with %q:\n%s\n%s", want, plan, verdict)
	}
	// The regions that were read are still in the plan JSON, their events
	// gated as before.
	for _, r := range []string{"ap-southeast-1", "ap-southeast-3"} {
		if strings.Contains(verdict, "region "+r+":") {
			t.Errorf("the job denies %s, which was read:\n%s", r, verdict)
		}
	}
	if !strings.Contains(verdict, `data.clusterprotect_events.region["ap-southeast-3"]: 1 unhandled deny event(s)`) {
		t.Errorf("the errored plan lost ap-southeast-3's deny event:\n%s", verdict)
	}
	// Terraform 1.5 writes no errored field.
	var planJSON map[string]any
	raw, err := os.ReadFile(filepath.Join(ex.dir, "plan.json"))
	if err != nil || json.Unmarshal(raw, &planJSON) != nil {
		t.Fatalf("plan.json: %v", err)
	}
	if planJSON["errored"] == true && !strings.Contains(verdict, "the plan errored (errored: true)") {
		t.Errorf("want the job to deny the errored plan:\n%s", verdict)
	}
}

// nullFieldEvents are generated events with fields left out of some: the
// pointer fields the fake leaves out of its JSON when nil.
func nullFieldEvents(t *testing.T) []hssfake.Event {
	t.Helper()
	evs := hssfake.Generate(hssfake.GenerateOptions{Count: 60, Seed: 11, ProjectID: project})
	var denies []int
	for i, e := range evs {
		if *e.Action == "deny" {
			denies = append(denies, i)
		}
	}
	if len(denies) < 4 {
		t.Fatal("too few deny events in the test data")
	}
	evs[denies[0]].ResourceInfo = nil
	evs[denies[1]].ResourceInfo.Namespace = nil
	evs[3].ClusterID, evs[8].ClusterID = nil, nil
	evs[5].CreateTime = nil
	evs[7].HandleStatus, evs[9].HandleStatus = nil, nil
	return evs
}

// The null-fields example's rewrites keep a module working on events with
// absent fields, and give what "" and 0 gave; the module moved by the rename
// alone fails on the same events.
func TestExample_migratingNullFields(t *testing.T) {
	tf := tool(t, "TF_ACC_TERRAFORM_PATH", "terraform")
	evs := nullFieldEvents(t)
	ex := newExample(t, "migrating/null-fields", evs)
	var got struct {
		PerCluster    struct{ Value map[string]int } `json:"events_per_cluster"`
		SortKeys      struct{ Value []string }       `json:"sort_keys"`
		Namespaces    struct{ Value []string }       `json:"deny_namespaces"`
		WithoutStatus struct{ Value int }            `json:"events_without_status"`
	}
	ex.applyOutputs(tf, &got)
	perCluster, namespaces, withoutStatus := map[string]int{}, map[string]bool{}, 0
	var sortKeys []string
	for _, e := range ex.fake.Events() { // in the order served
		cluster, created := "", int64(0)
		if e.ClusterID != nil {
			cluster = *e.ClusterID
		}
		if e.CreateTime != nil {
			created = *e.CreateTime
		}
		perCluster[cluster]++
		sortKeys = append(sortKeys, fmt.Sprintf("%020d", created))
		if *e.Action == "deny" && e.ResourceInfo != nil && e.ResourceInfo.Namespace != nil {
			namespaces[*e.ResourceInfo.Namespace] = true
		}
		if e.HandleStatus == nil {
			withoutStatus++
		}
	}
	if fmt.Sprint(got.PerCluster.Value) != fmt.Sprint(perCluster) || perCluster[""] != 2 {
		t.Errorf("events_per_cluster %v, want %v", got.PerCluster.Value, perCluster)
	}
	if fmt.Sprint(got.SortKeys.Value) != fmt.Sprint(sortKeys) {
		t.Errorf("sort_keys %v, want %v", got.SortKeys.Value, sortKeys)
	}
	if len(got.Namespaces.Value) != len(namespaces) || len(namespaces) < 2 {
		t.Errorf("deny_namespaces %q, want the %d of %v", got.Namespaces.Value, len(namespaces), namespaces)
	}
	for _, ns := range got.Namespaces.Value {
		if !namespaces[ns] {
			t.Errorf("deny_namespaces has %q", ns)
		}
	}
	if got.WithoutStatus.Value != 2 || withoutStatus != 2 {
		t.Errorf("events_without_status %d, want 2", got.WithoutStatus.Value)
	}

	// The same module moved by the rename alone.
	unchanged, err := os.ReadFile(filepath.Join(ex.dir, "unchanged.tf.txt"))
	if err != nil {
		t.Fatal(err)
	}
	ex.writeFile("main.tf", string(unchanged))
	out, ok := ex.run(tf, "plan", "-input=false", "-no-color")
	out = strings.Join(strings.Fields(out), " ")
	for _, want := range []string{
		"Key expression in 'for' expression must not produce a null value",
		`unsupported value for "%020d" at 0: null value cannot be formatted`,
		"a null string cannot be sorted",
	} {
		if ok || !strings.Contains(out, want) {
			t.Errorf("the unchanged module: want a failed plan with %q:\n%s", want, out)
		}
	}
}

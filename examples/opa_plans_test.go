package examples

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/clusterprotect/terraform-provider-clusterprotect/internal/hssfake"
)

// The bundled policy on real plans that a CLI can make and that it once
// passed (each configuration reads the project's clusters too, so that
// coverage passes): an unhandled deny event that max_results keeps out of data_list,
// a plan with -target of something else on an existing state, and a plan
// with no read at all. Each runs on the CLI of TF_ACC_TERRAFORM_PATH
// (Terraform, or OpenTofu).

const providerHeader = `terraform {
  required_providers {
    clusterprotect = {
      source = "clusterprotect/clusterprotect"
    }
  }
}

provider "clusterprotect" {}

# The clusters of the project whose events are read: the policy denies
# events read without them.
data "clusterprotect_clusters" "all" {
  enterprise_project_id = "all_granted_eps"
}
`

// newOPAPlanExample is the opa example with main.tf replaced by config, on
// events, CLI and OPA found.
func newOPAPlanExample(t *testing.T, events []hssfake.Event, config string) (ex *example, tf, opa string) {
	t.Helper()
	tf = tool(t, "TF_ACC_TERRAFORM_PATH", "terraform")
	opa = tool(t, "OPA", "opa")
	ex = newExample(t, "opa", events)
	ex.writeFile("main.tf", providerHeader+config)
	return ex, tf, opa
}

// gateOnce plans, gates (with opaArgs such as "-d", "required.json"), and
// returns the policy's denies (OPA's table has each twice: the query's
// value and msg), failing the test where the plan itself failed.
func (e *example) gateOnce(tf, opa string, opaArgs ...string) (denies []string, pass bool) {
	e.t.Helper()
	plan, planOK, verdict, pass := e.planAndGate(tf, opa, opaArgs...)
	if !planOK {
		e.t.Fatalf("terraform plan %s:\n%s", strings.Join(e.planArgs, " "), plan)
	}
	seen := map[string]bool{}
	for _, m := range quoted.FindAllString(strings.Join(strings.Fields(verdict), " "), -1) {
		var msg string
		if err := json.Unmarshal([]byte(m), &msg); err != nil {
			e.t.Fatalf("%s in OPA's answer:\n%s", err, verdict)
		}
		if !seen[msg] {
			seen[msg] = true
			denies = append(denies, msg)
		}
	}
	e.t.Logf("plan%s: the job passes: %v; denies:\n%s", strings.Join(append([]string{""}, e.planArgs...), " "), pass, strings.Join(denies, "\n"))
	return denies, pass
}

var quoted = regexp.MustCompile(`"(?:[^"\\]|\\.)*"`)

// has reports whether one of the denies contains want.
func has(denies []string, want string) bool {
	for _, d := range denies {
		if strings.Contains(d, want) {
			return true
		}
	}
	return false
}

// The five newest unhandled events are warnings; an older unhandled deny
// event is not in data_list. The policy counts it from summary.
func TestExample_opaPlan_maxResults(t *testing.T) {
	evs := hssfake.Generate(hssfake.GenerateOptions{Count: 30, Seed: 5, ProjectID: project, EnterpriseProjectIDs: []string{"0", "ep-1"}})
	for i := range evs {
		action, status := "warn", "handled"
		switch {
		case i < 5:
			status = "unhandled"
		case i == 12:
			action, status = "deny", "unhandled"
		}
		evs[i].Action, evs[i].HandleStatus = hssfake.Ptr(action), hssfake.Ptr(status)
		evs[i].ResourceInfo.EnforcementAction = hssfake.Ptr(action)
	}
	// As examples/multi-region-gate read it before: unhandled events only,
	// the newest five in data_list.
	ex, tf, opa := newOPAPlanExample(t, evs, `
data "clusterprotect_events" "unhandled" {
  enterprise_project_id = "all_granted_eps"
  handle_status         = "unhandled"
  max_results           = 5
}
`)
	verdict, pass := ex.gateOnce(tf, opa)
	want := "data.clusterprotect_events.unhandled: 1 unhandled deny event(s) (summary.unhandled_deny, region null); data_list shows none of them"
	if pass || !has(verdict, want) {
		t.Fatalf("want a failed job with %q:\n%s", want, verdict)
	}
	// The same without handle_status: the read covers the region, and the
	// count alone fails the job.
	ex.writeFile("main.tf", providerHeader+`
data "clusterprotect_events" "all" {
  enterprise_project_id = "all_granted_eps"
  max_results           = 5
}
`)
	verdict, pass = ex.gateOnce(tf, opa)
	want = "data.clusterprotect_events.all: 1 unhandled deny event(s) (summary.unhandled_deny, region null); data_list shows none of them"
	if pass || len(verdict) != 1 || verdict[0] != want {
		t.Fatalf("want a job that fails with %q alone:\n%s", want, verdict)
	}
}

// -target of something else on an existing state reads no data source:
// prior_state holds the clean read of the earlier apply, while an unhandled
// deny event arrived since. Terraform 1.11 marks the plan complete = false;
// every CLI leaves the old read_at, older than the plan's timestamp.
func TestExample_opaPlan_targetOther(t *testing.T) {
	evs := events()
	ex, tf, opa := newOPAPlanExample(t, evs, `
data "clusterprotect_events" "all" {
  enterprise_project_id = "all_granted_eps"
}

resource "terraform_data" "other" {
  input = "v1"
}
`)
	ex.fake.MarkHandled()
	if out, ok := ex.run(tf, "apply", "-input=false", "-auto-approve", "-no-color"); !ok {
		t.Fatalf("apply:\n%s", out)
	}
	if verdict, pass := ex.gateOnce(tf, opa); !pass {
		t.Fatalf("clean events, whole plan: want a passing job:\n%s", verdict)
	}
	ex.fake.SetEvents(evs) // the unhandled deny events are back
	// The plan's timestamp has whole seconds: the plan starts in a second
	// after the last read, as any later run does.
	time.Sleep(time.Until(time.Now().Truncate(time.Second).Add(time.Second)))
	ex.planArgs = []string{"-target=terraform_data.other"}
	verdict, pass := ex.gateOnce(tf, opa)
	want := "data.clusterprotect_events.all: not read in this plan (read_at "
	if pass || !has(verdict, want) {
		t.Fatalf("-target of something else: want a failed job with %q:\n%s", want, verdict)
	}
	ex.planArgs = nil
	if verdict, pass := ex.gateOnce(tf, opa); pass || !has(verdict, "data.clusterprotect_events.all: ") || !has(verdict, "unhandled deny event(s)") {
		t.Fatalf("whole plan: want a failed job naming the deny events:\n%s", verdict)
	}
}

// A configuration without any clusterprotect_events read, on an existing
// state: nothing says the clusters are clean.
func TestExample_opaPlan_noRead(t *testing.T) {
	ex, tf, opa := newOPAPlanExample(t, events(), `
resource "terraform_data" "other" {
  input = "v1"
}
`)
	if out, ok := ex.run(tf, "apply", "-input=false", "-auto-approve", "-no-color"); !ok {
		t.Fatalf("apply:\n%s", out)
	}
	verdict, pass := ex.gateOnce(tf, opa)
	want := "no clusterprotect_events data source covers a region in this plan (none was read)"
	if pass || !has(verdict, want) {
		t.Fatalf("no read: want a failed job with %q:\n%s", want, verdict)
	}
}

// A postcondition is checked when its data source is read: with
// timestamp() in an argument the read is deferred to apply, and terraform
// plan passes whatever the events; the policy denies the deferred read.
// With plantimestamp() the plan fails, as the guide says.
func TestExample_opaPlan_postconditionDeferred(t *testing.T) {
	postcondition := func(window string) string {
		return `
data "clusterprotect_events" "unhandled_deny" {
  enterprise_project_id = "all_granted_eps"
  created_after         = timeadd(` + window + `, "-8760h")

  lifecycle {
    postcondition {
      condition     = self.summary.unhandled_deny == 0
      error_message = "${self.summary.unhandled_deny} unhandled deny events."
    }
  }
}
`
	}
	ex, tf, opa := newOPAPlanExample(t, events(), postcondition("timestamp()"))
	verdict, pass := ex.gateOnce(tf, opa)
	want := "data.clusterprotect_events.unhandled_deny: its events are not known until apply (read_because_config_unknown)"
	if pass || !has(verdict, want) {
		t.Fatalf("timestamp(): want a passing plan and a failed job with %q:\n%s", want, verdict)
	}
	ex.writeFile("main.tf", providerHeader+postcondition("plantimestamp()"))
	out, ok := ex.run(tf, "plan", "-input=false", "-no-color")
	if ok || !strings.Contains(out, "Resource postcondition failed") {
		t.Fatalf("plantimestamp(): want a plan that fails on the postcondition:\n%s", out)
	}
}

// A module called with count = 0 or for_each = {} has no instance: its
// data sources are rightly neither read nor planned. Terraform 1.5.7
// writes no errored field, and the policy once took them for reads the
// plan stopped before (a false deny of a clean plan).
func TestExample_opaPlan_moduleWithNoInstances(t *testing.T) {
	ex, tf, opa := newOPAPlanExample(t, events(), `
data "clusterprotect_events" "all" {
  enterprise_project_id = "all_granted_eps"
}

module "off" {
  source = "./modules/cluster"
  count  = 0
}

module "none" {
  source   = "./modules/cluster"
  for_each = {}
}
`)
	ex.fake.MarkHandled()
	if out, ok := ex.run(tf, "get", "-no-color"); !ok {
		t.Fatalf("get:\n%s", out)
	}
	if verdict, pass := ex.gateOnce(tf, opa); !pass {
		t.Fatalf("clean events, modules with no instances: want a passing job:\n%s", verdict)
	}
}

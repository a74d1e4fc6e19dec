package provider

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/clusterprotect/terraform-provider-clusterprotect/internal/hss"
	"github.com/clusterprotect/terraform-provider-clusterprotect/internal/hssfake"
)

const otherEPS = hssfake.SampleEnterpriseProjectID

// An enterprise_project_id that is not "0", all_granted_eps or a UUID
// would read an empty list, complete and clean: it is refused before any
// request, naming the attribute, and a near miss names what it likely
// means. The same for the provider's setting and its variable.
func TestEventsDataSource_enterpriseProjectID(t *testing.T) {
	t.Parallel()
	env := testEnv(t)
	events := generate(60, func(o *hssfake.GenerateOptions) { o.EnterpriseProjectIDs = []string{"0", otherEPS} })
	inOther := 0
	for _, e := range events {
		if *e.EnterpriseProjectID == otherEPS {
			inOther++
		}
	}
	if inOther == 0 || inOther == len(events) {
		t.Fatalf("%d of %d events in %s: the test data does not exercise the enterprise project", inOther, len(events), otherEPS)
	}
	didYouMean := func(attr, got, want string) *regexp.Regexp {
		return regexp.MustCompile(`(?s)Invalid ` + attr + `.*` + regexp.QuoteMeta(fmt.Sprintf("%q", got)) + `.*did\s+you\s+mean\s+` + regexp.QuoteMeta(fmt.Sprintf("%q", want)) + `\?.*"0".*UUID.*all_granted_eps`)
	}
	arg := func(v string) string { return fmt.Sprintf("enterprise_project_id = %q", v) }
	for _, tc := range []struct {
		name, provider, args string
		env                  []string
		err                  *regexp.Regexp
		want                 int // events read, when err is nil
	}{
		{"all_granted_ep", "", arg("all_granted_ep"), nil, didYouMean("enterprise_project_id", "all_granted_ep", "all_granted_eps"), 0},
		{"ALL_GRANTED_EPS", "", arg("ALL_GRANTED_EPS"), nil, didYouMean("enterprise_project_id", "ALL_GRANTED_EPS", "all_granted_eps"), 0},
		{"all-granted-eps", "", arg("all-granted-eps"), nil, didYouMean("enterprise_project_id", "all-granted-eps", "all_granted_eps"), 0},
		{"words with spaces", "", arg(" all granted eps"), nil, didYouMean("enterprise_project_id", " all granted eps", "all_granted_eps"), 0},
		{"spaces around 0", "", arg(" 0 "), nil, didYouMean("enterprise_project_id", " 0 ", "0"), 0},
		{"letter O", "", arg("O"), nil, didYouMean("enterprise_project_id", "O", "0"), 0},
		{"spaces around a UUID", "", arg(otherEPS + " "), nil, didYouMean("enterprise_project_id", otherEPS+" ", otherEPS), 0},
		{"a name", "", arg("default"), nil, regexp.MustCompile(`(?s)Invalid enterprise_project_id.*"default".*"0".*UUID.*all_granted_eps`), 0},
		{"a project ID", "", arg(testProject), nil, regexp.MustCompile(`(?s)Invalid enterprise_project_id.*project\s+ID`), 0},
		{"empty", "", arg(""), nil, regexp.MustCompile(`(?s)Invalid enterprise_project_id.*""`), 0},
		{"provider setting", arg("all-granted-eps"), "", nil, didYouMean("enterprise_project_id", "all-granted-eps", "all_granted_eps"), 0},
		{"HW_ENTERPRISE_PROJECT_ID", "", "", []string{envEnterpriseProjectID, "O"}, didYouMean("HW_ENTERPRISE_PROJECT_ID", "O", "0"), 0},
		{"HW_ENTERPRISE_PROJECT_ID not an ID", "", "", []string{envEnterpriseProjectID, "prod"}, regexp.MustCompile(`(?s)Invalid HW_ENTERPRISE_PROJECT_ID.*HW_ENTERPRISE_PROJECT_ID\s+is\s+"prod"`), 0},
		// An upper-case UUID read an empty list, complete: the fake, like
		// the API for all the document says, compares the ID as given.
		{"an upper-case UUID", "", arg(strings.ToUpper(otherEPS)), nil, didYouMean("enterprise_project_id", strings.ToUpper(otherEPS), otherEPS), 0},
		// What is allowed: a lower-case UUID, 0 and all_granted_eps.
		{"a UUID", "", arg(otherEPS), nil, nil, inOther},
		{"0", "", arg("0"), nil, nil, len(events) - inOther},
		{"all_granted_eps", "", arg("all_granted_eps"), nil, nil, len(events)},
		{"a UUID from HW_ENTERPRISE_PROJECT_ID", "", "", []string{envEnterpriseProjectID, otherEPS}, nil, inOther},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fake, url := startFake(t, events)
			step := resource.TestStep{
				Config:      providerBlock(url, tokenAuth(), tc.provider) + fmt.Sprintf("data \"clusterprotect_events\" \"test\" {\n  %s\n}\n", tc.args),
				ExpectError: tc.err,
			}
			if tc.err == nil {
				step.ConfigStateChecks = []statecheck.StateCheck{expect(tfjsonpath.New("total_num"), knownvalue.Int64Exact(int64(tc.want)))}
			}
			resource.UnitTest(t, resource.TestCase{ProtoV6ProviderFactories: factories(withEnv(env, tc.env...)), Steps: []resource.TestStep{step}})
			if st := fake.Stats(); tc.err != nil && st.Requests+st.IAMRequests != 0 {
				t.Errorf("%d requests sent for a bad enterprise_project_id", st.Requests+st.IAMRequests)
			}
		})
	}
}

func TestEnterpriseProjectRule(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		value, near string // near: "" when the value is valid or no near miss
		valid       bool
	}{
		{"0", "", true},
		{"all_granted_eps", "", true},
		{otherEPS, "", true},
		// Upper case is refused: the API may match the ID exactly, and an
		// ID that matches nothing reads an empty list that looks clean.
		{strings.ToUpper(otherEPS), otherEPS, false},
		{otherEPS[:1] + strings.ToUpper(otherEPS[1:2]) + otherEPS[2:], otherEPS, false},
		{"all_granted_ep", "all_granted_eps", false},
		{"ALL_GRANTED_EPS", "all_granted_eps", false},
		{"All_Granted_EPs", "all_granted_eps", false},
		{"all-granted-eps", "all_granted_eps", false},
		{"all granted eps", "all_granted_eps", false},
		{"allgrantedeps", "all_granted_eps", false},
		{" all_granted_eps", "all_granted_eps", false},
		{" 0 ", "0", false},
		{"O", "0", false},
		{"o", "0", false},
		{"\t" + otherEPS + "\n", otherEPS, false},
		{"", "", false},
		{"00", "", false},
		{"1", "", false},
		{"all", "", false},
		{"default", "", false},
		{testProject, "", false}, // a project ID
		{strings.ReplaceAll(otherEPS, "-", ""), "", false}, // 32 hex digits
		{otherEPS[:35], "", false},
		{otherEPS + "0", "", false},
		{"{" + otherEPS + "}", "", false},
		{strings.Replace(otherEPS, "5", "g", 1), "", false},
	} {
		got := enterpriseProjectMistake("enterprise_project_id", tc.value)
		if (got == "") != tc.valid {
			t.Errorf("%q: valid is %v, want %v (%s)", tc.value, got == "", tc.valid, got)
			continue
		}
		if tc.valid {
			continue
		}
		if near := likelyEnterpriseProject(tc.value); near != tc.near {
			t.Errorf("%q: likely %q, want %q", tc.value, near, tc.near)
		}
		if want := fmt.Sprintf("enterprise_project_id is %q", tc.value); !strings.HasPrefix(got, want) || !strings.Contains(got, enterpriseProjectAllowed) {
			t.Errorf("%q: %s", tc.value, got)
		}
		if hasHint := strings.Contains(got, "did you mean"); hasHint != (tc.near != "") {
			t.Errorf("%q: %s", tc.value, got)
		}
	}
	if got := enterpriseProjectMistake("enterprise_project_id", testProject); !strings.Contains(got, "that is how a project ID looks (project_id)") {
		t.Errorf("a project ID: %s", got)
	}
	t.Log(enterpriseProjectMistake("enterprise_project_id", "all-granted-eps"))
}

// The rule of summary.unhandled_deny: a field the API left out, or sent
// empty, never makes an event harmless.
func TestMayBeUnhandledDeny(t *testing.T) {
	t.Parallel()
	s := func(v string) *string { return &v }
	for _, tc := range []struct {
		name string
		e    hss.ClusterEvent
		want bool
	}{
		{"deny unhandled", hss.ClusterEvent{Action: s("deny"), HandleStatus: s("unhandled")}, true},
		{"deny handled", hss.ClusterEvent{Action: s("Deny"), HandleStatus: s("Handled")}, false},
		{"warn", hss.ClusterEvent{Action: s("warn")}, false},
		{"nothing known", hss.ClusterEvent{}, true},
		{"empty handle_status", hss.ClusterEvent{Action: s("deny"), HandleStatus: s("")}, true},
		{"no action, enforcement deny", hss.ClusterEvent{ResourceInfo: &hss.ResourceInfo{EnforcementAction: s("deny")}}, true},
		{"no action, enforcement warn", hss.ClusterEvent{ResourceInfo: &hss.ResourceInfo{EnforcementAction: s("warn")}}, false},
		{"empty action, enforcement deny", hss.ClusterEvent{Action: s(""), ResourceInfo: &hss.ResourceInfo{EnforcementAction: s("deny")}}, true},
		{"blank action, nothing else", hss.ClusterEvent{Action: s(" ")}, true},
		{"empty action, empty enforcement", hss.ClusterEvent{Action: s(""), ResourceInfo: &hss.ResourceInfo{EnforcementAction: s("")}}, true},
	} {
		if got := mayBeUnhandledDeny(&tc.e); got != tc.want {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}
}

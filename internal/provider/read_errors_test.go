package provider

import (
	"net/http"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/clusterprotect/terraform-provider-clusterprotect/internal/hss"
	"github.com/clusterprotect/terraform-provider-clusterprotect/internal/hwcloud"
)

// The hints of the API's answers, word for word: users see them, and the
// CLI tests match parts of them.
func TestAPIHint(t *testing.T) {
	for status, want := range map[int]string{
		http.StatusUnauthorized: "Check the credentials: auth_token (HW_AUTH_TOKEN), or access_key/secret_key (HW_ACCESS_KEY/HW_SECRET_KEY) and security_token for temporary keys, and that the clock is right for AK/SK signing.",
		http.StatusForbidden: "The credentials were accepted but may not read this project: check that project_id names a project of this account in this region " +
			"(a token opens only the project it was issued for), and grant them HSS read access in it.",
		http.StatusNotFound:            "Check the project and the HSS endpoint (region, cloud or endpoints.hss).",
		http.StatusTooManyRequests:     "The API throttled this tenant for longer than the read may last: raise timeouts.read, lower max_concurrency, or retry later.",
		http.StatusServiceUnavailable:  "The service failed; retry later, and quote the X-Request-Id to Huawei Cloud support if it persists.",
		http.StatusBadRequest:          "Check the arguments (project_id, enterprise_project_id, cluster_id) against the API's ranges.",
		http.StatusUnprocessableEntity: "Quote the X-Request-Id to Huawei Cloud support if the problem persists.",
	} {
		if got := apiHint(&hwcloud.APIError{Service: "HSS", StatusCode: status}); got != want {
			t.Errorf("%d: %q, want %q", status, got, want)
		}
	}
}

// A 400 lands on the attribute of the parameter it is about: one the
// client sent, named in error_msg as a whole word; else on the data source.
func TestAddReadError_badRequestAttribute(t *testing.T) {
	all := hss.Filter{ProjectID: "p", EnterpriseProjectID: "ep", ClusterID: "c"}
	for _, tc := range []struct {
		name, msg string
		sent      hss.Filter
		want      string // the attribute; "" for none
	}{
		{"cluster_id", "Invalid parameter: cluster_id must not be empty", all, "cluster_id"},
		{"enterprise_project_id", "Invalid parameter: enterprise_project_id must be 1 to 256 characters", all, "enterprise_project_id"},
		{"project_id", "Invalid parameter: project_id is not a project", all, "project_id"},
		{"offset", "Invalid parameter: offset must be 0 to 2000000", all, ""},
		{"no parameter named", "Bad request", all, ""},
		// Where the rule of the message's text alone chose otherwise:
		{"a parameter not sent", "Invalid parameter: cluster_id must not be empty", hss.Filter{ProjectID: "p"}, ""},
		{"two parameters named", "Invalid parameter: cluster_id does not belong to enterprise_project_id", all, ""},
		{"a longer name", "Invalid parameter: cluster_ids is not a parameter", all, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var diags diag.Diagnostics
			err := &hwcloud.APIError{Service: "HSS", StatusCode: http.StatusBadRequest, Code: "HSS.0001", Message: tc.msg, RequestID: "r"}
			addReadError(&diags, "", tc.sent, eventsList.words, err)
			if len(diags) != 1 {
				t.Fatalf("%d diagnostics: %v", len(diags), diags)
			}
			d := diags[0]
			wantDetail := "reading events: " + err.Error() + "\n\nCheck the arguments (project_id, enterprise_project_id, cluster_id) against the API's ranges."
			if d.Summary() != "Unable to read cluster protection events" || d.Detail() != wantDetail {
				t.Errorf("summary %q, detail %q", d.Summary(), d.Detail())
			}
			got := path.Empty()
			if dp, ok := d.(diag.DiagnosticWithPath); ok {
				got = dp.Path()
			}
			want := path.Empty()
			if tc.want != "" {
				want = path.Root(tc.want)
			}
			if !got.Equal(want) {
				t.Errorf("on %q, want %q", got, want)
			}
		})
	}
}

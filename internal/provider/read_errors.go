package provider

// The words of the diagnostics of a failed read: the clients report what
// happened (status, error code, which service, which step); these say it in
// terms of this provider's settings.

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/clusterprotect/terraform-provider-clusterprotect/internal/hss"
	"github.com/clusterprotect/terraform-provider-clusterprotect/internal/hwcloud"
)

// credentialsHint says what to do when the credential chain's exchange
// failed; "" when err is not that.
func credentialsHint(err error) string {
	var ce *hwcloud.CredentialsError
	if !errors.As(err, &ce) {
		return ""
	}
	return "The provider could not get its temporary credentials (the step is named above). Check assume_role " +
		"(the agency exists and trusts the account whose keys assume it), assume_role_with_oidc (the identity provider " +
		"accepts the id token and its issuer), or the ECS agency; the credentials assuming an agency need IAM permission to do so."
}

// readWords are a list data source's words in the diagnostics of a read.
type readWords struct {
	// title names the items: "Unable to read " + title.
	title string
	// step names the read, at the head of an error's detail, such as
	// "reading events".
	step string
	// params are the arguments the read sends to the API.
	params []string
	// narrowBy names the arguments that narrow a read of the API.
	narrowBy string
}

// addTimeoutError reports a read that ran out of its timeouts.read (readCtx
// expired, ctx did not), and reports whether it was that.
func addTimeoutError(diags *diag.Diagnostics, ctx, readCtx context.Context, readTimeout time.Duration, w readWords, err error) bool {
	if !errors.Is(readCtx.Err(), context.DeadlineExceeded) || ctx.Err() != nil {
		return false
	}
	diags.AddAttributeError(path.Root("timeouts"), "Timed out reading "+w.title,
		fmt.Sprintf("The read did not finish within %s (timeouts.read, default %s): %v. Raise timeouts.read, or narrow the query with %s.", readTimeout, defaultReadTimeout, err, w.narrowBy))
	return true
}

// usedCredentials names the credentials that were used, for an answer that
// refused them (401) or what they may do (403); "" for any other error.
func usedCredentials(credentials string, err error) string {
	var apiErr *hwcloud.APIError
	if credentials == "" || !errors.As(err, &apiErr) || (apiErr.StatusCode != http.StatusUnauthorized && apiErr.StatusCode != http.StatusForbidden) {
		return ""
	}
	return "\n\nThe credentials used: " + credentials + "."
}

// missingRegion says why a read without a region has no address or no
// project; "" when it has both.
func (d *providerData) missingRegion(region, projectID string) string {
	templated := hwcloud.IsTemplate(d.hssEndpoint)
	if region != "" || d.hssEndpoint != "" && !templated && projectID != "" {
		return ""
	}
	detail := "Set region on this data source or on the provider (or " + envRegion + "), such as ap-southeast-1: it names the HSS endpoint and the project, which the provider finds through IAM. " +
		"Without a region, set both endpoints.hss (or " + envHSSEndpoint + ") and project_id (or " + envProjectID + ")."
	if templated {
		detail = "endpoints.hss holds " + hwcloud.RegionPlaceholder + ", which stands for the read's region: " + detail
	}
	return detail
}

// addProjectError reports a project that could not be resolved.
func addProjectError(diags *diag.Diagnostics, region, credentials string, err error) {
	if hint := credentialsHint(err); hint != "" {
		diags.AddError("Unable to get credentials", err.Error()+"\n\n"+hint+usedCredentials(credentials, err))
		return
	}
	var pe *projectError
	if errors.As(err, &pe) {
		diags.AddAttributeError(path.Root("project_id"), pe.summary, pe.detail)
		return
	}
	diags.AddAttributeError(path.Root("project_id"), "Unable to resolve the project of region "+region, err.Error()+"\n\n"+projectHint(err)+usedCredentials(credentials, err))
}

// addReadError turns a client error into a diagnostic that says what
// happened and what to do, on the attribute it concerns where there is one.
func addReadError(diags *diag.Diagnostics, credentials string, sent hss.Filter, w readWords, err error) {
	summary := "Unable to read " + w.title
	if hint := credentialsHint(err); hint != "" {
		diags.AddError("Unable to get credentials", err.Error()+"\n\n"+hint+usedCredentials(credentials, err))
		return
	}
	var apiErr *hwcloud.APIError
	if !errors.As(err, &apiErr) {
		hint := "Check that the HSS endpoint is reachable (endpoints.hss, region, cloud, and HTTPS_PROXY/NO_PROXY), then run terraform again."
		switch {
		case errors.Is(err, hwcloud.ErrNoAnswer):
			hint = "The endpoint accepted connections but did not answer in time, twice: it is slow or stuck. Try again later; " +
				"raise request_timeout (" + envRequestTimeout + ") only for an endpoint known to be that slow."
		case errors.Is(err, hss.ErrListMoved):
			hint = "No list is returned rather than one that may lack events, so checks and policies built on this data source fail closed. " +
				"Run terraform again; narrowing the query with " + w.narrowBy + " reads a list that moves less."
		case hwcloud.IsConnectError(err):
			hint = "Could not connect to the HSS endpoint: check endpoints.hss (or " + envHSSEndpoint + "), region and cloud, DNS, and HTTPS_PROXY/NO_PROXY."
		}
		if hwcloud.IsCertificateError(err) {
			hint = "The endpoint's TLS certificate is not trusted: for a private CA set cacert_file (" + envCACertFile + "); insecure skips verification, for testing only."
		}
		diags.AddError(summary, w.step+": "+err.Error()+"\n\n"+hint)
		return
	}
	hint := apiHint(apiErr)
	if apiErr.StatusCode == http.StatusBadRequest {
		hint = "Check the arguments (" + strings.Join(w.params, ", ") + ") against the API's ranges."
	}
	detail := w.step + ": " + err.Error() + "\n\n" + hint + usedCredentials(credentials, err)
	switch apiErr.StatusCode {
	case http.StatusNotFound:
		diags.AddAttributeError(path.Root("project_id"), summary, detail)
	case http.StatusBadRequest:
		if attr := badRequestAttribute(apiErr, sent); attr != "" {
			diags.AddAttributeError(path.Root(attr), summary, detail)
			return
		}
		diags.AddError(summary, detail)
	default:
		diags.AddError(summary, detail)
	}
}

// projectHint says what to do about a failed IAM lookup.
func projectHint(err error) string {
	var apiErr *hwcloud.APIError
	if errors.As(err, &apiErr) {
		switch apiErr.StatusCode {
		case http.StatusUnauthorized:
			return apiHint(apiErr)
		case http.StatusForbidden:
			return "The credentials may not list IAM projects (IAM action iam:projects:list): grant it. " + skipLookup
		}
		return apiHint(apiErr) + " " + skipLookup
	}
	return "Check that IAM is reachable (endpoints.iam or " + envIAMEndpoint + ", region, cloud, and HTTPS_PROXY/NO_PROXY). " + skipLookup
}

// apiHint says what a user can do about an answer of the API, in the words
// of this provider's settings.
func apiHint(e *hwcloud.APIError) string {
	switch {
	case e.StatusCode == http.StatusUnauthorized:
		return "Check the credentials: auth_token (HW_AUTH_TOKEN), or access_key/secret_key (HW_ACCESS_KEY/HW_SECRET_KEY) and security_token for temporary keys, and that the clock is right for AK/SK signing."
	case e.StatusCode == http.StatusForbidden:
		return "The credentials were accepted but may not read this project: check that project_id names a project of this account in this region " +
			"(a token opens only the project it was issued for), and grant them " + e.Service + " read access in it."
	case e.StatusCode == http.StatusNotFound:
		return "Check the project and the " + e.Service + " endpoint (region, cloud or endpoints." + strings.ToLower(e.Service) + ")."
	case e.StatusCode == http.StatusTooManyRequests:
		return "The API throttled this tenant for longer than the read may last: raise timeouts.read, lower max_concurrency, or retry later."
	case e.StatusCode >= 500:
		return "The service failed; retry later, and quote the X-Request-Id to Huawei Cloud support if it persists."
	case e.StatusCode == http.StatusBadRequest:
		return "Check the arguments (project_id, enterprise_project_id, cluster_id) against the API's ranges."
	}
	return "Quote the X-Request-Id to Huawei Cloud support if the problem persists."
}

// userParams are the query's parameters that come from the user's
// settings, each with its attribute (of the same name) and whether a read
// of a filter sends it. offset and limit are the client's own.
var userParams = []struct {
	name string
	sent func(hss.Filter) bool
}{
	{"project_id", func(hss.Filter) bool { return true }},
	{"enterprise_project_id", func(f hss.Filter) bool { return f.EnterpriseProjectID != "" }},
	{"cluster_id", func(f hss.Filter) bool { return f.ClusterID != "" }},
}

// badRequestAttribute is the attribute a 400 is about; "" when it cannot
// be told. The API's contract lists no error code per parameter (the fake,
// like the gateway, answers HSS.0001 for any invalid one), so the code
// cannot tell; what can is the parameters the client sent: the 400 is
// about the one sent parameter that error_msg names as a whole word (so
// "project_id" inside "enterprise_project_id" does not count). A message
// naming none, or more than one, lands on the data source as a whole.
func badRequestAttribute(apiErr *hwcloud.APIError, sent hss.Filter) string {
	found := ""
	for _, p := range userParams {
		if !p.sent(sent) || !namesWord(apiErr.Message, p.name) {
			continue
		}
		if found != "" {
			return ""
		}
		found = p.name
	}
	return found
}

// namesWord reports whether s holds word with no identifier character
// (letter, digit, underscore) right before or after it.
func namesWord(s, word string) bool {
	for i := 0; ; {
		j := strings.Index(s[i:], word)
		if j < 0 {
			return false
		}
		start, end := i+j, i+j+len(word)
		if (start == 0 || !isIdentByte(s[start-1])) && (end == len(s) || !isIdentByte(s[end])) {
			return true
		}
		i = start + 1
	}
}

func isIdentByte(b byte) bool {
	return b == '_' || '0' <= b && b <= '9' || 'a' <= b && b <= 'z' || 'A' <= b && b <= 'Z'
}

package provider

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/clusterprotect/terraform-provider-clusterprotect/internal/hss"
	"github.com/clusterprotect/terraform-provider-clusterprotect/internal/hwcloud"
)

// templateRule says what {region} in an endpoint does.
const templateRule = "`{region}` in it, in the host or the path, is replaced by each read's region, so that one provider reaches every region at an address of its own " +
	"(`https://hss.{region}.example.internal`, `http://127.0.0.1:8080/{region}`); no other placeholder is allowed, and the URL is checked once the region is in."

// endpointKeys are the keys of endpoints.
var endpointKeys = []string{"hss", "iam"}

// A region is part of host names: lower-case letters and digits in
// hyphen-separated words, such as ap-southeast-1 or cn-north-4.
var (
	regionPattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
	regionRule    = "a region is lower-case letters and digits in words joined by hyphens, such as ap-southeast-1, as it stands in endpoint host names."
	regionName    = stringvalidator.RegexMatches(regionPattern, "must be a region name such as ap-southeast-1: lower-case letters and digits in words joined by hyphens, as it stands in endpoint host names")
)

// A cloud is the domain that endpoint host names end in, such as
// myhuaweicloud.com: labels of letters, digits and hyphens (neither first
// nor last), joined by dots, the last one not all digits so that an IP
// address is not taken for one. Anything else (a scheme, a user, a port, a
// path) would change which host the signed requests go to.
var (
	cloudLabels = regexp.MustCompile(`^(?i)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$`)
	cloudLast   = regexp.MustCompile(`(?i)(^|\.)[^.]*[a-z][^.]*$`)
	cloudRule   = "a bare domain name such as myhuaweicloud.com: dot-separated labels of letters, digits and hyphens, " +
		"with no scheme, user, port or path (set endpoints for a URL of your own)"
	cloudName = stringvalidator.All(stringvalidator.LengthAtMost(253),
		stringvalidator.RegexMatches(cloudLabels, "must be "+cloudRule), stringvalidator.RegexMatches(cloudLast, "must be "+cloudRule))
)

func validCloud(s string) bool {
	return len(s) <= 253 && cloudLabels.MatchString(s) && cloudLast.MatchString(s)
}

// addressSettings are where the reads go and whose events they read. The
// checks refuse a region, cloud or endpoint from the environment that
// would not make a URL of the intended host; the schema checks those in
// configuration.
func addressSettings() []setting {
	idLength := []validator.String{stringvalidator.LengthBetween(1, hss.MaxIDLength)}
	cloud := stringSetting("cloud", envCloud, schema.StringAttribute{
		Optional:   true,
		Validators: []validator.String{cloudName},
		MarkdownDescription: "Domain of the cloud, default `" + hwcloud.DefaultCloud + "`, or `" + hwcloud.DefaultEuropeCloud + "` for regions starting with `eu-west-1` (such as `eu-west-101`), as in the Huawei Cloud provider: " +
			"endpoints are `https://{service}.{region}.{cloud}`. A bare domain name: dot-separated labels of letters, digits and hyphens, the last not all digits; " +
			"no scheme, user, port or path (for those, set `endpoints`). Environment: `" + envCloud + "`.",
	}, func(c *configured) *string { return &c.data.cloud })
	cloud.check = checkCloud
	region := stringSetting("region", envRegion, schema.StringAttribute{
		Optional:            true,
		Validators:          []validator.String{regionName, knownRegion},
		MarkdownDescription: "Default region of the data sources, such as `ap-southeast-1`: the HSS endpoint is `https://hss.{region}.{cloud}` and the project is found from it through IAM. Environment: " + envDoc(envRegion) + "." + regionNote,
	}, func(c *configured) *string { return &c.data.region })
	region.check = checkRegion
	return []setting{cloud, region,
		stringSetting("project_id", envProjectID, schema.StringAttribute{
			Optional:   true,
			Validators: idLength,
			MarkdownDescription: "Project ID the events belong to, 1 to 256 characters: the default of data sources in the provider's `region` only, " +
				"as a project belongs to one region (the same holds for a shared config profile's `projectId`). A data source in another region " +
				"reads that region's project, found through IAM (`GET /v3/projects?name=...`) once per region, unless it sets its own `project_id`; " +
				"so does the provider's region when this is unset. Environment: " + envDoc(envProjectID) + ".",
		}, func(c *configured) *string { return &c.data.projectID }),
		stringSetting("project_name", envProjectName, schema.StringAttribute{
			Optional:   true,
			Validators: idLength,
			MarkdownDescription: "Name of the IAM project to find when `project_id` is unset, for a sub-project such as `cn-north-4_dev`; " +
				"it applies to the provider's `region`, and a data source in another region uses that region's main project. Defaults to the region's name. Environment: " + envDoc(envProjectName) + ".",
		}, func(c *configured) *string { return &c.data.projectName }),
		enterpriseProjectSetting(),
		{name: "endpoints", schema: schema.MapAttribute{
			Optional:    true,
			ElementType: types.StringType,
			Validators:  []validator.Map{endpointsKeys{}},
			MarkdownDescription: "Explicit service endpoints, overriding the ones built from `region` and `cloud`: a map with the keys `hss` and `iam` (any other key is an error, so that a typo does not fall back to the real cloud). " +
				"`hss`: absolute `https://` (or `http://`, as for a local test API) URL of HSS, optionally with a path prefix; environment `" + envHSSEndpoint + "` (ours alone). " +
				"`iam`: absolute URL of IAM, where projects are looked up when `project_id` is unset and credentials are exchanged (in the provider's `region`); default `https://iam.{region}.{cloud}`; " +
				"environment `" + envIAMEndpoint + "` (ours alone), or `auth_url`. In both, " + templateRule,
		}, parse: readEndpoints, check: checkEndpoints},
		// Read by readEndpoints, as endpoints.iam.
		{name: "auth_url", schema: schema.StringAttribute{
			Optional: true,
			MarkdownDescription: "The Huawei Cloud provider's name of the IAM endpoint, such as `https://iam.ap-southeast-1.myhuaweicloud.com:443/v3`: read as `endpoints.iam` without the `/v3` at its end. " +
				"`endpoints.iam` and `auth_url` both set must name the same endpoint. Order: `endpoints.iam`, `auth_url`, `" + envIAMEndpoint + "`, `" + envAuthURL + "`, `" + envOSAuthURL + "`.",
		}},
	}
}

// enterpriseProjectSetting is enterprise_project_id, whose rule holds for
// its variable too.
func enterpriseProjectSetting() setting {
	s := stringSetting("enterprise_project_id", envEnterpriseProjectID, schema.StringAttribute{
		Optional:   true,
		Validators: []validator.String{enterpriseProject},
		MarkdownDescription: "Default enterprise project for data sources: `0` (the default enterprise project) or its ID, a hyphenated UUID (hex digits in lower case); " +
			"`all_granted_eps` means every enterprise project the credentials may see. Any other value, here or in the variable, is refused before a request is sent. " +
			"When unset the API's default project `0` applies. Environment: `" + envEnterpriseProjectID + "`.",
	}, func(c *configured) *string { return &c.data.enterpriseProjectID })
	s.check = checkEnterpriseProject
	return s
}

func checkCloud(r *reading, _ setting) {
	if cloud := r.out.data.cloud; cloud != "" && !validCloud(cloud) {
		r.diags.AddAttributeError(path.Root("cloud"), "Invalid "+envCloud,
			fmt.Sprintf("%s is %q: cloud must be %s.", envCloud, cloud, cloudRule))
	}
}

func checkRegion(r *reading, _ setting) {
	region := r.out.data.region
	if region != "" && !regionPattern.MatchString(region) {
		r.diags.AddAttributeError(path.Root("region"), "Invalid region",
			fmt.Sprintf("%s is %q: %s", envRegion, region, regionRule))
	} else if near := likelyRegion(region); near != "" {
		r.diags.AddAttributeError(path.Root("region"), "Unknown region", envRegion+" is "+regionTypo(region, near))
	}
}

// readEndpoints reads endpoints.hss, else HW_HSS_ENDPOINT, and the IAM
// endpoint.
func readEndpoints(r *reading, _ setting) {
	var m types.Map
	r.get("endpoints", &m)
	endpoints := map[string]types.String{}
	r.diags.Append(m.ElementsAs(r.ctx, &endpoints, false)...)
	var authURL types.String
	r.get("auth_url", &authURL)
	data := r.out.data
	data.hssEndpoint = endpoints["hss"].ValueString()
	if data.hssEndpoint == "" {
		data.hssEndpoint = r.env.value(envHSSEndpoint)
	}
	data.iamEndpoint, data.iamFrom = iamEndpoint(endpoints["iam"], authURL, r.env, r.diags)
}

func checkEndpoints(r *reading, _ setting) {
	data := r.out.data
	for _, e := range []struct{ name, from, value, example string }{
		{"hss", "endpoints.hss (or " + envHSSEndpoint + ")", data.hssEndpoint, "https://hss.ap-southeast-1.myhuaweicloud.com"},
		{"iam", data.iamFrom, data.iamEndpoint, "https://iam.ap-southeast-1.myhuaweicloud.com"},
	} {
		if e.value == "" {
			continue
		}
		if err := hwcloud.CheckEndpoint(e.name, e.value); err != nil {
			at := path.Root("endpoints").AtMapKey(e.name)
			if strings.HasPrefix(e.from, "auth_url") {
				at = path.Root("auth_url")
			}
			r.diags.AddAttributeError(at, "Invalid "+strings.ToUpper(e.name)+" endpoint",
				fmt.Sprintf("%s is %q: %s. It must be an absolute http:// or https:// URL, such as %s; %s in its host or path stands for each read's region.",
					e.from, e.value, endpointProblem(err), e.example, hwcloud.RegionPlaceholder))
		}
	}
}

// endpointProblem is what is wrong with an endpoint, without the endpoint,
// which the error names already.
func endpointProblem(err error) string {
	msg := err.Error()
	if _, rest, ok := strings.Cut(msg, "\": "); ok {
		return rest
	}
	return "it is not an absolute http:// or https:// URL without query"
}

// iamEndpoint is the IAM endpoint: endpoints.iam, auth_url (the Huawei
// Cloud provider's name, which ends in /v3), HW_IAM_ENDPOINT, HW_AUTH_URL,
// OS_AUTH_URL, the first one set; and the names of where it came from, for
// errors. auth_url and endpoints.iam both in the configuration must name
// the same endpoint.
func iamEndpoint(endpoint, authURL types.String, env environment, diags *diag.Diagnostics) (string, string) {
	const ours, theirs = "endpoints.iam (or " + envIAMEndpoint + ")", "auth_url (or " + envAuthURL + " or " + envOSAuthURL + "), read as endpoints.iam,"
	fromAuth := strings.TrimSuffix(strings.TrimSuffix(authURL.ValueString(), "/"), "/v3")
	if e := strings.TrimSuffix(endpoint.ValueString(), "/"); e != "" && fromAuth != "" && e != fromAuth {
		diags.AddAttributeError(path.Root("auth_url"), "Conflicting IAM endpoints",
			fmt.Sprintf("auth_url is %q and endpoints.iam is %q: both name the IAM endpoint (auth_url without its /v3). Set one of them.", authURL.ValueString(), endpoint.ValueString()))
	}
	if v := endpoint.ValueString(); v != "" {
		return v, ours
	}
	if fromAuth != "" {
		return fromAuth, theirs
	}
	if v := env(envIAMEndpoint); v != "" {
		return v, ours
	}
	if v := env.value(envAuthURL); v != "" {
		return strings.TrimSuffix(strings.TrimSuffix(v, "/"), "/v3"), theirs
	}
	return "", ours
}

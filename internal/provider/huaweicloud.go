package provider

import (
	"context"
	"fmt"
	"os"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/clusterprotect/terraform-provider-clusterprotect/internal/credentials"
)

// What the Huawei Cloud provider reads that this one reads too under other
// names: its IAM endpoint, and the OS_* names it reads after each HW_* one.
const (
	envAuthURL   = "HW_AUTH_URL"
	envOSAuthURL = "OS_AUTH_URL"
)

// osFallback is, for each HW_* variable, the OS_* one read when it is
// unset, as the Huawei Cloud provider reads them.
var osFallback = map[string]string{
	envRegion:      "OS_REGION_NAME",
	envProjectID:   "OS_PROJECT_ID",
	envProjectName: "OS_PROJECT_NAME",
	envAccessKey:   credentials.EnvOSAccessKey,
	envSecretKey:   credentials.EnvOSSecretKey,
	envAuthToken:   credentials.EnvOSAuthToken,
	envInsecure:    "OS_INSECURE",
	envAuthURL:     envOSAuthURL,
}

// getenv reads an environment variable, else its OS_* fallback; from is
// the one it was read from.
func getenv(name string) (v, from string) {
	if v := os.Getenv(name); v != "" {
		return v, name
	}
	if fb := osFallback[name]; fb != "" {
		if v := os.Getenv(fb); v != "" {
			return v, fb
		}
	}
	return "", name
}

// envDoc names an environment variable and its fallback, for the docs.
func envDoc(name string) string {
	if fb := osFallback[name]; fb != "" {
		return "`" + name + "`, else `" + fb + "`"
	}
	return "`" + name + "`"
}

// envValue is getenv's value alone.
func envValue(name string) string {
	v, _ := getenv(name)
	return v
}

// iamEndpoint is the IAM endpoint: endpoints.iam, auth_url (the Huawei
// Cloud provider's name, which ends in /v3), HW_IAM_ENDPOINT, HW_AUTH_URL,
// OS_AUTH_URL, the first one set; and the names of where it came from, for
// errors. auth_url and endpoints.iam both in the configuration must name
// the same endpoint.
func iamEndpoint(endpoint, authURL types.String, diags *diag.Diagnostics) (string, string) {
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
	if v := os.Getenv(envIAMEndpoint); v != "" {
		return v, ours
	}
	if v := envValue(envAuthURL); v != "" {
		return strings.TrimSuffix(strings.TrimSuffix(v, "/"), "/v3"), theirs
	}
	return "", ours
}

// huaweiOnly is a setting of the Huawei Cloud provider that this one does
// not have: accepted by the schema so that the error says what to do.
type huaweiOnly struct {
	name    string
	boolean bool
	envs    []string // its variables, which the Huawei Cloud provider reads
	instead string
	warnEnv bool // its variable changes whose data is read: a warning when set
}

const (
	noPassword = "this provider does not sign in with a user name and password: use access_key and secret_key, auth_token, a shared config profile, assume_role_with_oidc or an ECS agency."
	useAgency  = "to assume an agency, use assume_role { agency_name, domain_name } (or HW_ASSUME_ROLE_AGENCY_NAME and HW_ASSUME_ROLE_DOMAIN_NAME)."
)

var huaweiOnlySettings = []huaweiOnly{
	{name: "agency_domain_name", envs: []string{"OS_AGENCY_DOMAIN_NAME"}, instead: useAgency, warnEnv: true},
	{name: "agency_name", envs: []string{"OS_AGENCY_NAME"}, instead: useAgency, warnEnv: true},
	{name: "delegated_project", envs: []string{"OS_DELEGATED_PROJECT"}, instead: "with assume_role the project is found in the agency's account from region: set project_name (or project_id) for a sub-project.", warnEnv: true},
	{name: "domain_id", envs: []string{"HW_DOMAIN_ID", "OS_DOMAIN_ID", "OS_USER_DOMAIN_ID", "OS_PROJECT_DOMAIN_ID"}, instead: "keys and tokens carry their account, so none is needed; for an agency's account use assume_role { domain_id }."},
	{name: "domain_name", envs: []string{"HW_DOMAIN_NAME", "OS_DOMAIN_NAME", "OS_USER_DOMAIN_NAME", "OS_PROJECT_DOMAIN_NAME"}, instead: "keys and tokens carry their account, so none is needed; for an agency's account use assume_role { domain_name }."},
	{name: "enable_force_new", boolean: true, envs: []string{"HW_ENABLE_FORCE_NEW"}, instead: "this provider has no resources: remove it."},
	{name: "password", envs: []string{"HW_USER_PASSWORD", "OS_PASSWORD"}, instead: noPassword},
	{name: "regional", boolean: true, instead: "every request here goes to a regional endpoint: remove it."},
	{name: "signing_algorithm", envs: []string{"HW_SIGNING_ALGORITHM"}, instead: "requests are signed with SDK-HMAC-SHA256 only: remove it."},
	{name: "skip_check_upgrade", boolean: true, envs: []string{"SKIP_CHECK_UPGRADE"}, instead: "there is no such check here: remove it."},
	{name: "skip_check_website_type", boolean: true, envs: []string{"SKIP_CHECK_WEBSITE_TYPE"}, instead: "there is no such check here: remove it."},
	{name: "tenant_id", envs: []string{"OS_TENANT_ID"}, instead: "use project_id."},
	{name: "tenant_name", envs: []string{"OS_TENANT_NAME"}, instead: "use project_name."},
	{name: "token", instead: "it is named auth_token here: rename it (HW_AUTH_TOKEN and OS_AUTH_TOKEN are read as they are)."},
	{name: "user_id", envs: []string{"HW_USER_ID", "OS_USER_ID"}, instead: noPassword},
	{name: "user_name", envs: []string{"HW_USER_NAME", "OS_USERNAME"}, instead: noPassword},
}

// huaweiOnlyModel holds the settings of huaweiOnlySettings, which the
// schema's validators refuse.
type huaweiOnlyModel struct {
	AgencyDomainName     types.String `tfsdk:"agency_domain_name"`
	AgencyName           types.String `tfsdk:"agency_name"`
	DelegatedProject     types.String `tfsdk:"delegated_project"`
	DomainID             types.String `tfsdk:"domain_id"`
	DomainName           types.String `tfsdk:"domain_name"`
	EnableForceNew       types.Bool   `tfsdk:"enable_force_new"`
	Password             types.String `tfsdk:"password"`
	Regional             types.Bool   `tfsdk:"regional"`
	SigningAlgorithm     types.String `tfsdk:"signing_algorithm"`
	SkipCheckUpgrade     types.Bool   `tfsdk:"skip_check_upgrade"`
	SkipCheckWebsiteType types.Bool   `tfsdk:"skip_check_website_type"`
	TenantID             types.String `tfsdk:"tenant_id"`
	TenantName           types.String `tfsdk:"tenant_name"`
	Token                types.String `tfsdk:"token"`
	UserID               types.String `tfsdk:"user_id"`
	UserName             types.String `tfsdk:"user_name"`
}

// huaweiOnlyAttributes are the schema's attributes of huaweiOnlySettings.
func huaweiOnlyAttributes() map[string]schema.Attribute {
	attrs := map[string]schema.Attribute{}
	for _, s := range huaweiOnlySettings {
		desc := "Not supported: the Huawei Cloud provider's setting, refused here: " + s.instead
		if len(s.envs) > 0 {
			desc += " Its environment variables (`" + strings.Join(s.envs, "`, `") + "`) are not read."
		}
		refuse := notSupported(s)
		if s.boolean {
			attrs[s.name] = schema.BoolAttribute{Optional: true, MarkdownDescription: desc, Validators: []validator.Bool{refuse}}
			continue
		}
		attrs[s.name] = schema.StringAttribute{Optional: true, Sensitive: s.name == "password" || s.name == "token",
			MarkdownDescription: desc, Validators: []validator.String{refuse}}
	}
	return attrs
}

// notSupported refuses any value of a setting, known or not.
type notSupported huaweiOnly

var (
	_ validator.String = notSupported{}
	_ validator.Bool   = notSupported{}
)

func (n notSupported) Description(context.Context) string {
	return "not supported: " + n.instead
}

func (n notSupported) MarkdownDescription(ctx context.Context) string { return n.Description(ctx) }

func (n notSupported) refuse(p path.Path, diags *diag.Diagnostics) {
	diags.AddAttributeError(p, "Unsupported setting "+n.name,
		n.name+" is a setting of the Huawei Cloud provider, not supported by this one: "+n.instead)
}

func (n notSupported) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if !req.ConfigValue.IsNull() {
		n.refuse(req.Path, &resp.Diagnostics)
	}
}

func (n notSupported) ValidateBool(_ context.Context, req validator.BoolRequest, resp *validator.BoolResponse) {
	if !req.ConfigValue.IsNull() {
		n.refuse(req.Path, &resp.Diagnostics)
	}
}

// warnHuaweiOnlyEnv warns of the Huawei Cloud provider's variables that
// would change whose events are read, which this provider does not read:
// the environment may be shared with that provider, so it is not an error.
func warnHuaweiOnlyEnv(assumeRole bool, diags *diag.Diagnostics) {
	if assumeRole {
		return
	}
	for _, s := range huaweiOnlySettings {
		if !s.warnEnv {
			continue
		}
		for _, env := range s.envs {
			if v := os.Getenv(env); v != "" {
				diags.AddAttributeWarning(path.Root(s.name), env+" is not read",
					fmt.Sprintf("%s is set, for the Huawei Cloud provider; this provider does not read it, so the credentials are used without it: %s", env, s.instead))
			}
		}
	}
}

// passwordEnv lists the user name and password variables that are set,
// for the error when no credentials are found.
func passwordEnv() []string {
	var set []string
	for _, s := range huaweiOnlySettings {
		if s.instead != noPassword {
			continue
		}
		for _, env := range s.envs {
			if os.Getenv(env) != "" {
				set = append(set, env)
			}
		}
	}
	return set
}

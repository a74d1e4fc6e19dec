package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

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

// huaweiOnlyRows are the settings of huaweiOnlySettings: the schema
// refuses any value, and their variables are warned of.
func huaweiOnlyRows() []setting {
	var rows []setting
	for _, h := range huaweiOnlySettings {
		desc := "Not supported: the Huawei Cloud provider's setting, refused here: " + h.instead
		if len(h.envs) > 0 {
			desc += " Its environment variables (`" + strings.Join(h.envs, "`, `") + "`) are not read."
		}
		refuse := notSupported(h)
		var attr schema.Attribute = schema.StringAttribute{Optional: true, Sensitive: h.name == "password" || h.name == "token",
			MarkdownDescription: desc, Validators: []validator.String{refuse}}
		if h.boolean {
			attr = schema.BoolAttribute{Optional: true, MarkdownDescription: desc, Validators: []validator.Bool{refuse}}
		}
		row := setting{name: h.name, schema: attr}
		if h.warnEnv {
			row.parse = func(r *reading, _ setting) { warnHuaweiOnlyEnv(r, h) }
		}
		rows = append(rows, row)
	}
	return rows
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

// warnHuaweiOnlyEnv warns of the Huawei Cloud provider's variables of h
// that would change whose events are read, which this provider does not
// read: the environment may be shared with that provider, so it is not an
// error. With an agency to assume they change nothing.
func warnHuaweiOnlyEnv(r *reading, h huaweiOnly) {
	var assumeRole types.Object
	r.get("assume_role", &assumeRole)
	if !assumeRole.IsNull() || r.env(envAssumeAgencyName) != "" {
		return
	}
	for _, env := range h.envs {
		if v := r.env(env); v != "" {
			r.diags.AddAttributeWarning(path.Root(h.name), env+" is not read",
				fmt.Sprintf("%s is set, for the Huawei Cloud provider; this provider does not read it, so the credentials are used without it: %s", env, h.instead))
		}
	}
}

// passwordEnv lists the user name and password variables that are set,
// for the error when no credentials are found.
func passwordEnv(env environment) []string {
	var set []string
	for _, s := range huaweiOnlySettings {
		if s.instead != noPassword {
			continue
		}
		for _, name := range s.envs {
			if env(name) != "" {
				set = append(set, name)
			}
		}
	}
	return set
}

package provider

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/clusterprotect/terraform-provider-clusterprotect/internal/credentials"
)

// Environment variables of the credential chain, named as the Huawei Cloud
// provider names them; HW_METADATA_ENDPOINT is ours.
const (
	envSharedConfigFile  = credentials.EnvSharedConfigFile
	envProfile           = credentials.EnvProfile
	envAssumeIdpID       = credentials.EnvIdpID
	envAssumeIDToken     = credentials.EnvIDToken
	envAssumeIDTokenFile = credentials.EnvIDTokenFile
	envAssumeAgencyName  = credentials.EnvAgencyName
	envAssumeDomainName  = credentials.EnvDomainName
	envAssumeDomainID    = credentials.EnvDomainID
	envAssumeDuration    = credentials.EnvDuration
	envMetadataEndpoint  = "HW_METADATA_ENDPOINT"
)

type assumeRoleModel struct {
	AgencyName types.String `tfsdk:"agency_name"`
	DomainName types.String `tfsdk:"domain_name"`
	DomainID   types.String `tfsdk:"domain_id"`
	Duration   types.Int64  `tfsdk:"duration"`
}

type oidcModel struct {
	IdpID       types.String `tfsdk:"idp_id"`
	IDToken     types.String `tfsdk:"id_token"`
	IDTokenFile types.String `tfsdk:"id_token_file"`
	AgencyName  types.String `tfsdk:"agency_name"`
	DomainID    types.String `tfsdk:"domain_id"`
	Duration    types.Int64  `tfsdk:"duration"`
}

func durationAttribute(env string) schema.Int64Attribute {
	return schema.Int64Attribute{
		Optional:   true,
		Validators: []validator.Int64{int64validator.Between(credentials.MinDuration, credentials.MaxDuration)},
		MarkdownDescription: fmt.Sprintf("How long the temporary keys last, in seconds, %d to %d, default %d; they are renewed before they expire. Environment: `%s`.",
			credentials.MinDuration, credentials.MaxDuration, credentials.DefaultDuration, env),
	}
}

// credentialBlocks are assume_role and assume_role_with_oidc, written as the
// Huawei Cloud provider writes them.
func credentialBlocks() map[string]schema.Block {
	return map[string]schema.Block{
		"assume_role": schema.SingleNestedBlock{
			MarkdownDescription: "Assume an IAM agency of another account with the access keys the credential chain found (static keys, a shared config profile, or ECS metadata): " +
				"`POST /v3.0/OS-CREDENTIAL/securitytokens`. The project is then found with the agency's keys. A token alone cannot assume an agency.",
			Attributes: map[string]schema.Attribute{
				"agency_name": schema.StringAttribute{Optional: true, MarkdownDescription: "Name of the agency. Environment: `" + envAssumeAgencyName + "`."},
				"domain_name": schema.StringAttribute{Optional: true, MarkdownDescription: "Name of the account that holds the agency; exactly one of `domain_name` and `domain_id`. Environment: `" + envAssumeDomainName + "`."},
				"domain_id":   schema.StringAttribute{Optional: true, MarkdownDescription: "ID of the account that holds the agency; exactly one of `domain_name` and `domain_id`. Environment: `" + envAssumeDomainID + "`."},
				"duration":    durationAttribute(envAssumeDuration),
			},
		},
		"assume_role_with_oidc": schema.SingleNestedBlock{
			MarkdownDescription: "OIDC federation, for CI (GitHub Actions, GitLab): the id token is exchanged for a federated token of the identity provider " +
				"(`POST /v3.0/OS-AUTH/id-token/tokens`), and that for temporary keys (`POST /v3.0/OS-CREDENTIAL/securitytokens`).",
			Attributes: map[string]schema.Attribute{
				"idp_id": schema.StringAttribute{Optional: true, MarkdownDescription: "ID of the IAM identity provider that trusts the id token's issuer. Environment: `" + envAssumeIdpID + "`."},
				"id_token": schema.StringAttribute{
					Optional: true, Sensitive: true,
					Validators:          []validator.String{stringvalidator.ConflictsWith(path.MatchRelative().AtParent().AtName("id_token_file"))},
					MarkdownDescription: "The OIDC id token; or `id_token_file`. Environment: `" + envAssumeIDToken + "`.",
				},
				"id_token_file": schema.StringAttribute{
					Optional:            true,
					MarkdownDescription: "Path of a file holding the id token, read again at every exchange, as CI runners rotate it. Environment: `" + envAssumeIDTokenFile + "`.",
				},
				"agency_name": schema.StringAttribute{Optional: true, MarkdownDescription: "An agency to assume with the federated keys. Environment: `" + envAssumeAgencyName + "`."},
				"domain_id":   schema.StringAttribute{Optional: true, MarkdownDescription: "ID of the account that holds `agency_name`. Environment: `" + envAssumeDomainID + "`."},
				"duration":    durationAttribute(envAssumeDuration),
			},
		},
	}
}

// credentialSettings are the settings the credential chain takes, each
// from the configuration, else from the environment.
func credentialSettings() []setting {
	return []setting{
		{name: "access_key", env: envAccessKey, schema: schema.StringAttribute{
			Optional:            true,
			MarkdownDescription: "Access key ID for AK/SK (SDK-HMAC-SHA256) request signing; goes with `secret_key`. Environment: " + envDoc(envAccessKey) + ".",
		}, chain: func(s *credentials.Settings) *string { return &s.AccessKey }},
		{name: "secret_key", env: envSecretKey, schema: schema.StringAttribute{
			Optional:            true,
			Sensitive:           true,
			MarkdownDescription: "Secret access key that signs requests; goes with `access_key`. Environment: " + envDoc(envSecretKey) + ".",
		}, chain: func(s *credentials.Settings) *string { return &s.SecretKey }},
		{name: "security_token", env: envSecurityToken, schema: schema.StringAttribute{
			Optional:            true,
			Sensitive:           true,
			MarkdownDescription: "Security token of temporary AK/SK credentials, sent and signed as `X-Security-Token`. Environment: `" + envSecurityToken + "`.",
		}, chain: func(s *credentials.Settings) *string { return &s.SecurityToken }},
		{name: "auth_token", env: envAuthToken, schema: schema.StringAttribute{
			Optional:            true,
			Sensitive:           true,
			MarkdownDescription: "IAM user token sent as `X-Auth-Token`, instead of an access key pair. Environment: " + envDoc(envAuthToken) + ".",
		}, chain: func(s *credentials.Settings) *string { return &s.AuthToken }},
		{name: "shared_config_file", env: envSharedConfigFile, schema: schema.StringAttribute{
			Optional:            true,
			MarkdownDescription: "Path of the Huawei Cloud CLI's config file, default `~/.hcloud/config.json`. Environment: `" + envSharedConfigFile + "`.",
		}, chain: func(s *credentials.Settings) *string { return &s.SharedConfigFile }},
		{name: "profile", env: envProfile, schema: schema.StringAttribute{
			Optional:            true,
			MarkdownDescription: "Profile of the shared config file to use, default the file's `current`. Modes `AKSK` and `ecsAgency`; a profile's `region` and `projectId` fill in what is unset. Environment: `" + envProfile + "`.",
		}, chain: func(s *credentials.Settings) *string { return &s.Profile }},
	}
}

// chainInput gathers the credential settings of the configuration and of
// the environment; the chain takes each from the configuration, else from
// the environment.
func chainInput(ctx context.Context, config tfsdk.Config, env environment, diags *diag.Diagnostics) credentials.Input {
	duration := envDuration(env, diags)
	in := credentials.Input{
		Env: credentials.Settings{
			OIDC: &credentials.OIDC{
				IdentityProviderID: env(envAssumeIdpID), IDToken: env(envAssumeIDToken), IDTokenFile: env(envAssumeIDTokenFile),
				AgencyName: env(envAssumeAgencyName), DomainID: env(envAssumeDomainID), Duration: duration,
			},
			AssumeRole: &credentials.AssumeRole{
				AgencyName: env(envAssumeAgencyName), DomainName: env(envAssumeDomainName), DomainID: env(envAssumeDomainID), Duration: duration,
			},
		},
		MetadataEndpoint: env(envMetadataEndpoint),
		HomeDir:          env.homeDir(),
	}
	for _, s := range providerSettings {
		if s.chain == nil {
			continue
		}
		var v types.String
		diags.Append(config.GetAttribute(ctx, path.Root(s.name), &v)...)
		*s.chain(&in.Config) = v.ValueString()
		var from string
		if *s.chain(&in.Env), from = env.get(s.env); from != s.env {
			if in.Env.EnvNames == nil {
				in.Env.EnvNames = map[string]string{}
			}
			in.Env.EnvNames[s.env] = from
		}
	}

	_, inBlocks := unknowns(config.Raw)
	for _, p := range inBlocks {
		diags.AddAttributeError(p, "Unknown provider setting",
			"The provider cannot be configured with a value that is only known after apply: set "+p.String()+" to a value known at plan time, or use its environment variable.")
	}
	if diags.HasError() {
		return in
	}
	var oidc, assumeRole types.Object
	diags.Append(config.GetAttribute(ctx, path.Root("assume_role_with_oidc"), &oidc)...)
	diags.Append(config.GetAttribute(ctx, path.Root("assume_role"), &assumeRole)...)
	if !oidc.IsNull() {
		var m oidcModel
		diags.Append(oidc.As(ctx, &m, objectAsOptions)...)
		in.Config.OIDC = &credentials.OIDC{
			IdentityProviderID: m.IdpID.ValueString(), IDToken: m.IDToken.ValueString(), IDTokenFile: m.IDTokenFile.ValueString(),
			AgencyName: m.AgencyName.ValueString(), DomainID: m.DomainID.ValueString(), Duration: seconds(m.Duration),
		}
	}
	if !assumeRole.IsNull() {
		var m assumeRoleModel
		diags.Append(assumeRole.As(ctx, &m, objectAsOptions)...)
		in.Config.AssumeRole = &credentials.AssumeRole{
			AgencyName: m.AgencyName.ValueString(), DomainName: m.DomainName.ValueString(), DomainID: m.DomainID.ValueString(), Duration: seconds(m.Duration),
		}
	}
	return in
}

// seconds is a duration in configuration, which the schema checked.
func seconds(v types.Int64) time.Duration { return time.Duration(v.ValueInt64()) * time.Second }

// envDuration reads HW_ASSUME_ROLE_DURATION, in seconds.
func envDuration(env environment, diags *diag.Diagnostics) time.Duration {
	n, _ := envInt(env, envAssumeDuration, path.Root("assume_role").AtName("duration"), "assume_role.duration",
		credentials.MinDuration, credentials.MaxDuration, 0, diags)
	return time.Duration(n) * time.Second
}

// addChainError reports what the credential chain refused or did not find.
func addChainError(diags *diag.Diagnostics, err error, env environment) {
	var se *credentials.SettingError
	var nf *credentials.NotFoundError
	switch {
	case errors.As(err, &se):
		at := path.Empty()
		for _, name := range se.Path {
			at = at.AtName(name)
		}
		diags.AddAttributeError(at, se.Summary, se.Detail)
	case errors.As(err, &nf):
		diags.AddAttributeError(path.Root("access_key"), "Missing credentials", nf.Error()+"\n\n"+nf.Remedy()+
			" User name and password authentication is not supported"+passwordHint(env)+".")
	default:
		diags.AddError("Unable to find credentials", err.Error())
	}
}

// passwordHint names the user name and password variables that are set.
func passwordHint(env environment) string {
	set := passwordEnv(env)
	if len(set) == 0 {
		return ""
	}
	return " (" + strings.Join(set, ", ") + " are set, for the Huawei Cloud provider, and not read here)"
}

// Package provider is the Terraform side of the provider: configuration,
// the clusterprotect_events data source and the mapping from internal/hss.
package provider

import (
	"cmp"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"maps"
	"os"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timetypes/timetypes"
	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/clusterprotect/terraform-provider-clusterprotect/internal/credentials"
	"github.com/clusterprotect/terraform-provider-clusterprotect/internal/hss"
	"github.com/clusterprotect/terraform-provider-clusterprotect/internal/hwcloud"
	"github.com/clusterprotect/terraform-provider-clusterprotect/internal/iam"
)

var _ provider.Provider = (*clusterProtectProvider)(nil)

// Environment variables, named as the Huawei Cloud provider names them.
const (
	envRegion              = "HW_REGION_NAME"
	envProjectID           = "HW_PROJECT_ID"
	envProjectName         = "HW_PROJECT_NAME"
	envAccessKey           = credentials.EnvAccessKey
	envSecretKey           = credentials.EnvSecretKey
	envSecurityToken       = credentials.EnvSecurityToken
	envAuthToken           = credentials.EnvAuthToken
	envEnterpriseProjectID = "HW_ENTERPRISE_PROJECT_ID"
	envCloud               = "HW_CLOUD"
	envHSSEndpoint         = "HW_HSS_ENDPOINT"
	envIAMEndpoint         = "HW_IAM_ENDPOINT"
	envInsecure            = "HW_INSECURE"
	envMaxRetries          = "HW_MAX_RETRIES"
	envMaxConcurrency      = "HW_MAX_CONCURRENCY"
	envCACertFile          = "OS_CACERT"
	envClientCert          = "OS_CERT"
	envClientKey           = "OS_KEY"
	// Ours alone: the Huawei Cloud provider has no such settings.
	envRequestTimeout = "HW_REQUEST_TIMEOUT"
)

// templateRule says what {region} in an endpoint does.
const templateRule = "`{region}` in it, in the host or the path, is replaced by each read's region, so that one provider reaches every region at an address of its own " +
	"(`https://hss.{region}.example.internal`, `http://127.0.0.1:8080/{region}`); no other placeholder is allowed, and the URL is checked once the region is in."

// oursAlone marks a setting the Huawei Cloud provider does not have.
const oursAlone = " This setting is this provider's own; the Huawei Cloud provider has no such setting."

// Bounds of the tuning attributes.
const (
	maxRetriesLimit     = 10
	maxConcurrencyLimit = 32
)

type clusterProtectProvider struct {
	version string
}

// New returns a constructor of the provider.
func New(version string) func() provider.Provider {
	return func() provider.Provider { return &clusterProtectProvider{version: version} }
}

type providerModel struct {
	Region              types.String         `tfsdk:"region"`
	ProjectID           types.String         `tfsdk:"project_id"`
	ProjectName         types.String         `tfsdk:"project_name"`
	AccessKey           types.String         `tfsdk:"access_key"`
	SecretKey           types.String         `tfsdk:"secret_key"`
	SecurityToken       types.String         `tfsdk:"security_token"`
	AuthToken           types.String         `tfsdk:"auth_token"`
	EnterpriseProjectID types.String         `tfsdk:"enterprise_project_id"`
	Cloud               types.String         `tfsdk:"cloud"`
	Endpoints           types.Map            `tfsdk:"endpoints"`
	AuthURL             types.String         `tfsdk:"auth_url"`
	Insecure            types.Bool           `tfsdk:"insecure"`
	MaxRetries          types.Int64          `tfsdk:"max_retries"`
	MaxConcurrency      types.Int64          `tfsdk:"max_concurrency"`
	CACertFile          types.String         `tfsdk:"cacert_file"`
	ClientCert          types.String         `tfsdk:"cert"`
	ClientKey           types.String         `tfsdk:"key"`
	RequestTimeout      timetypes.GoDuration `tfsdk:"request_timeout"`
	SharedConfigFile    types.String         `tfsdk:"shared_config_file"`
	Profile             types.String         `tfsdk:"profile"`
	AssumeRole          types.Object         `tfsdk:"assume_role"`
	AssumeRoleWithOIDC  types.Object         `tfsdk:"assume_role_with_oidc"`
	huaweiOnlyModel
}

// endpointKeys are the keys of endpoints.
var endpointKeys = []string{"hss", "iam"}

// providerData is what data sources receive from Configure.
type providerData struct {
	transport           *hwcloud.Transport
	region              string // the default region; may be empty
	cloud               string
	hssEndpoint         string // explicit endpoints.hss, else ""
	iamEndpoint         string // explicit endpoints.iam, else ""
	iamFrom             string // the settings iamEndpoint is read from, for errors
	projectID           string // explicit project_id, else "": the provider region's only
	projectName         string // project_name, for the provider's region
	enterpriseProjectID string
	credentials         string    // the source of the credentials and what it won over, for a 401 or 403
	secrets             secretSet // masked in every log line
	projects            projectCache
}

func (p *clusterProtectProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "clusterprotect"
	resp.Version = p.version
}

func (p *clusterProtectProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	idLength := []validator.String{stringvalidator.LengthBetween(1, hss.MaxIDLength)}
	resp.Schema = schema.Schema{
		Blocks: credentialBlocks(),
		MarkdownDescription: "Reads Huawei Cloud Host Security Service (HSS) container-cluster protection alarm events. " +
			"Every argument is optional in configuration and falls back to an environment variable named as the " +
			"Huawei Cloud provider names it; a value in configuration wins over the environment.",
		Attributes: map[string]schema.Attribute{
			"region": schema.StringAttribute{
				Optional:            true,
				Validators:          []validator.String{regionName, knownRegion},
				MarkdownDescription: "Default region of the data sources, such as `ap-southeast-1`: the HSS endpoint is `https://hss.{region}.{cloud}` and the project is found from it through IAM. Environment: " + envDoc(envRegion) + "." + regionNote,
			},
			"project_id": schema.StringAttribute{
				Optional:   true,
				Validators: idLength,
				MarkdownDescription: "Project ID the events belong to, 1 to 256 characters: the default of data sources in the provider's `region` only, " +
					"as a project belongs to one region (the same holds for a shared config profile's `projectId`). A data source in another region " +
					"reads that region's project, found through IAM (`GET /v3/projects?name=...`) once per region, unless it sets its own `project_id`; " +
					"so does the provider's region when this is unset. Environment: " + envDoc(envProjectID) + ".",
			},
			"project_name": schema.StringAttribute{
				Optional:   true,
				Validators: idLength,
				MarkdownDescription: "Name of the IAM project to find when `project_id` is unset, for a sub-project such as `cn-north-4_dev`; " +
					"it applies to the provider's `region`, and a data source in another region uses that region's main project. Defaults to the region's name. Environment: " + envDoc(envProjectName) + ".",
			},
			"access_key": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "Access key ID for AK/SK (SDK-HMAC-SHA256) request signing; goes with `secret_key`. Environment: " + envDoc(envAccessKey) + ".",
			},
			"secret_key": schema.StringAttribute{
				Optional:            true,
				Sensitive:           true,
				MarkdownDescription: "Secret access key that signs requests; goes with `access_key`. Environment: " + envDoc(envSecretKey) + ".",
			},
			"security_token": schema.StringAttribute{
				Optional:            true,
				Sensitive:           true,
				MarkdownDescription: "Security token of temporary AK/SK credentials, sent and signed as `X-Security-Token`. Environment: `" + envSecurityToken + "`.",
			},
			"auth_token": schema.StringAttribute{
				Optional:            true,
				Sensitive:           true,
				MarkdownDescription: "IAM user token sent as `X-Auth-Token`, instead of an access key pair. Environment: " + envDoc(envAuthToken) + ".",
			},
			"enterprise_project_id": schema.StringAttribute{
				Optional:            true,
				Validators:          idLength,
				MarkdownDescription: "Default enterprise project for data sources, 1 to 256 characters; `all_granted_eps` means every enterprise project the credentials may see. When unset the API's default project `0` applies. Environment: `" + envEnterpriseProjectID + "`.",
			},
			"cloud": schema.StringAttribute{
				Optional:   true,
				Validators: []validator.String{cloudName},
				MarkdownDescription: "Domain of the cloud, default `" + hwcloud.DefaultCloud + "`, or `" + hwcloud.DefaultEuropeCloud + "` for regions starting with `eu-west-1` (such as `eu-west-101`), as in the Huawei Cloud provider: " +
					"endpoints are `https://{service}.{region}.{cloud}`. A bare domain name: dot-separated labels of letters, digits and hyphens, the last not all digits; " +
					"no scheme, user, port or path (for those, set `endpoints`). Environment: `" + envCloud + "`.",
			},
			"endpoints": schema.MapAttribute{
				Optional:    true,
				ElementType: types.StringType,
				Validators:  []validator.Map{endpointsKeys{}},
				MarkdownDescription: "Explicit service endpoints, overriding the ones built from `region` and `cloud`: a map with the keys `hss` and `iam` (any other key is an error, so that a typo does not fall back to the real cloud). " +
					"`hss`: absolute `https://` (or `http://`, as for a local test API) URL of HSS, optionally with a path prefix; environment `" + envHSSEndpoint + "` (ours alone). " +
					"`iam`: absolute URL of IAM, where projects are looked up when `project_id` is unset and credentials are exchanged (in the provider's `region`); default `https://iam.{region}.{cloud}`; " +
					"environment `" + envIAMEndpoint + "` (ours alone), or `auth_url`. In both, " + templateRule,
			},
			"auth_url": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "The Huawei Cloud provider's name of the IAM endpoint, such as `https://iam.ap-southeast-1.myhuaweicloud.com:443/v3`: read as `endpoints.iam` without the `/v3` at its end. " +
					"`endpoints.iam` and `auth_url` both set must name the same endpoint. Order: `endpoints.iam`, `auth_url`, `" + envIAMEndpoint + "`, `" + envAuthURL + "`, `" + envOSAuthURL + "`.",
			},
			"insecure": schema.BoolAttribute{
				Optional:            true,
				MarkdownDescription: "Skip TLS certificate verification. For testing only. Environment: " + envDoc(envInsecure) + ".",
			},
			"max_retries": schema.Int64Attribute{
				Optional:            true,
				Validators:          []validator.Int64{int64validator.Between(0, maxRetriesLimit)},
				MarkdownDescription: fmt.Sprintf("How many times a request is retried after a 5xx answer, a network error or a body cut short, 0 to %d, default %d. A connection refused by an endpoint that has not answered once is not retried: the endpoint is unreachable. Answers of 429 are waited out apart from this count, within the read's `timeouts.read`. Environment: `%s`.", maxRetriesLimit, hwcloud.DefaultMaxRetries, envMaxRetries),
			},
			"cacert_file": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "Path of a PEM file with CA certificates to trust besides the system's, for endpoints behind a private CA. Environment: `" + envCACertFile + "`.",
			},
			"cert": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "Path of a PEM client certificate for gateways that require mutual TLS; goes with `key`. Environment: `" + envClientCert + "`.",
			},
			"key": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "Path of the PEM private key of `cert`. Environment: `" + envClientKey + "`.",
			},
			"request_timeout": schema.StringAttribute{
				Optional:   true,
				CustomType: timetypes.GoDurationType{},
				MarkdownDescription: fmt.Sprintf("How long one HTTP request may take, as a Go duration such as `30s` or `1m`, default `%s`. "+
					"A request that times out is retried like a network error; the data source's `timeouts.read` bounds the whole read. Environment: `%s`.", hwcloud.DefaultRequestTimeout, envRequestTimeout) + oursAlone,
			},
			"max_concurrency": schema.Int64Attribute{
				Optional:   true,
				Validators: []validator.Int64{int64validator.Between(1, maxConcurrencyLimit)},
				MarkdownDescription: fmt.Sprintf("Most requests in flight at once across the provider, 1 to %d, default %d. "+
					"A read fetches the first page, then the others concurrently. On a 429 the provider learns the "+
					"tenant's rate and paces every request at it, raising it again slowly; 429s are waited out for as long "+
					"as the read's `timeouts.read` allows and do not count against `max_retries`. The default reads 10,000 events (50 pages) in 8 round trips "+
					"while never holding more than 8 requests against the tenant's rate limit. Environment: `%s`.", maxConcurrencyLimit, hwcloud.DefaultMaxConcurrency, envMaxConcurrency) + oursAlone,
			},
		},
	}
	maps.Copy(resp.Schema.Attributes, credentialAttributes()) // credentials.go
	maps.Copy(resp.Schema.Attributes, huaweiOnlyAttributes()) // huaweicloud.go
}

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

// setting reads one string setting: configuration first, then the
// environment. Empty is unset, as in the credential settings: a variable
// that defaults to "" leaves the setting to the environment.
func setting(v types.String, env string) string {
	if v.ValueString() != "" {
		return v.ValueString()
	}
	return envValue(env)
}

func (p *clusterProtectProvider) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	var cfg providerModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	endpoints := map[string]types.String{}
	if !cfg.Endpoints.IsUnknown() {
		resp.Diagnostics.Append(cfg.Endpoints.ElementsAs(ctx, &endpoints, false)...)
	}
	unknown := []struct {
		name    string
		unknown bool
	}{
		{"access_key", cfg.AccessKey.IsUnknown()},
		{"assume_role", cfg.AssumeRole.IsUnknown()},
		{"assume_role_with_oidc", cfg.AssumeRoleWithOIDC.IsUnknown()},
		{"auth_token", cfg.AuthToken.IsUnknown()},
		{"auth_url", cfg.AuthURL.IsUnknown()},
		{"cacert_file", cfg.CACertFile.IsUnknown()},
		{"cert", cfg.ClientCert.IsUnknown()},
		{"cloud", cfg.Cloud.IsUnknown()},
		{"endpoints", cfg.Endpoints.IsUnknown() || endpoints["hss"].IsUnknown() || endpoints["iam"].IsUnknown()},
		{"enterprise_project_id", cfg.EnterpriseProjectID.IsUnknown()},
		{"insecure", cfg.Insecure.IsUnknown()},
		{"key", cfg.ClientKey.IsUnknown()},
		{"max_concurrency", cfg.MaxConcurrency.IsUnknown()},
		{"max_retries", cfg.MaxRetries.IsUnknown()},
		{"profile", cfg.Profile.IsUnknown()},
		{"project_id", cfg.ProjectID.IsUnknown()},
		{"project_name", cfg.ProjectName.IsUnknown()},
		{"region", cfg.Region.IsUnknown()},
		{"request_timeout", cfg.RequestTimeout.IsUnknown()},
		{"secret_key", cfg.SecretKey.IsUnknown()},
		{"security_token", cfg.SecurityToken.IsUnknown()},
		{"shared_config_file", cfg.SharedConfigFile.IsUnknown()},
	}
	for _, u := range unknown { // in a stable order: alphabetical
		if u.unknown {
			resp.Diagnostics.AddAttributeError(path.Root(u.name), "Unknown provider setting",
				"The provider cannot be configured with a value that is only known after apply: set "+u.name+" to a value known at plan time, or leave it unset and use its environment variable.")
		}
	}
	if resp.Diagnostics.HasError() {
		return
	}

	chain := chainInput(ctx, cfg, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	data := &providerData{
		region:              setting(cfg.Region, envRegion),
		cloud:               setting(cfg.Cloud, envCloud),
		hssEndpoint:         setting(endpoints["hss"], envHSSEndpoint),
		projectID:           setting(cfg.ProjectID, envProjectID),
		projectName:         setting(cfg.ProjectName, envProjectName),
		enterpriseProjectID: setting(cfg.EnterpriseProjectID, envEnterpriseProjectID),
	}
	data.iamEndpoint, data.iamFrom = iamEndpoint(endpoints["iam"], cfg.AuthURL, &resp.Diagnostics)
	c := hwcloud.Config{
		UserAgent: fmt.Sprintf("terraform-provider-clusterprotect/%s (+https://registry.terraform.io/providers/clusterprotect/clusterprotect) Terraform/%s", p.version, req.TerraformVersion),
		Logger:    data.secrets.logger,
	}
	warnHuaweiOnlyEnv(!cfg.AssumeRole.IsNull() || os.Getenv(envAssumeAgencyName) != "", &resp.Diagnostics)
	insecure, ok := boolSetting(cfg.Insecure, envInsecure, "insecure", &resp.Diagnostics)
	c.Insecure = insecure
	retries, ok2 := intSetting(cfg.MaxRetries, envMaxRetries, "max_retries", 0, maxRetriesLimit, hwcloud.DefaultMaxRetries, &resp.Diagnostics)
	concurrency, ok3 := intSetting(cfg.MaxConcurrency, envMaxConcurrency, "max_concurrency", 1, maxConcurrencyLimit, hwcloud.DefaultMaxConcurrency, &resp.Diagnostics)
	if !ok || !ok2 || !ok3 {
		return
	}
	c.MaxRetries = retries
	if retries == 0 {
		c.MaxRetries = -1 // hwcloud.Config: negative means no retries
	}
	c.MaxConcurrency = concurrency
	c.RequestTimeout = requestTimeout(cfg.RequestTimeout, &resp.Diagnostics)
	c.RequestTimeoutName = "request_timeout"
	if file := setting(cfg.CACertFile, envCACertFile); file != "" {
		pem, err := os.ReadFile(file)
		if err != nil {
			resp.Diagnostics.AddAttributeError(path.Root("cacert_file"), "Unreadable CA certificate file",
				fmt.Sprintf("cacert_file (or %s) %q cannot be read: %v.", envCACertFile, file, err))
		}
		c.CACertPEM = pem
	}
	if cert, ok := clientCertificate(setting(cfg.ClientCert, envClientCert), setting(cfg.ClientKey, envClientKey), &resp.Diagnostics); ok {
		c.ClientCertificates = []tls.Certificate{cert}
	}

	checkAddresses(data, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}

	// The chain's exchanges use IAM through the transport it feeds, with
	// credentials of their own.
	var transport *hwcloud.Transport
	chain.IAM = func() (*iam.Client, error) {
		base, err := iam.Endpoint(data.iamEndpoint, data.region, data.cloud)
		if err != nil {
			return nil, fmt.Errorf("no IAM endpoint for the credential exchange: set region (or %s) or endpoints.iam (or %s), without %s unless region is set", envRegion, envIAMEndpoint, hwcloud.RegionPlaceholder)
		}
		client := iam.New(transport, base)
		client.Issued = data.secrets.add
		return client, nil
	}
	chain.Issued = data.secrets.add
	found, err := credentials.Resolve(ctx, chain)
	if err != nil {
		addChainError(&resp.Diagnostics, err)
		return
	}
	data.region = cmp.Or(data.region, found.Region)
	data.projectID = cmp.Or(data.projectID, found.ProjectID)
	c.Credentials = found.Source
	data.credentials = found.Describe()
	data.secrets.add(found.Secrets...)
	if chain.Config.OIDC != nil {
		data.secrets.add(chain.Config.OIDC.IDToken)
	}
	if chain.Env.OIDC != nil {
		data.secrets.add(chain.Env.OIDC.IDToken)
	}
	transport, err = hwcloud.New(c)
	switch {
	case errors.Is(err, hwcloud.ErrNoPEMCertificate):
		resp.Diagnostics.AddAttributeError(path.Root("cacert_file"), "Invalid CA certificate file",
			fmt.Sprintf("cacert_file (or %s) %q holds no PEM certificate: it must hold one or more PEM \"CERTIFICATE\" blocks.",
				envCACertFile, setting(cfg.CACertFile, envCACertFile)))
		return
	case err != nil:
		resp.Diagnostics.AddError("Unable to configure the API client", err.Error()+". Check the provider settings named above, then run terraform again.")
		return
	}
	data.transport = transport
	ctx = data.secrets.mask(ctx)
	tflog.Debug(ctx, "configured the provider", map[string]any{
		"credentials": found.Step, "region": data.region, "hss_endpoint": data.hssEndpoint, "iam_endpoint": data.iamEndpoint, "project_id": data.projectID,
		"max_retries": retries, "max_concurrency": concurrency,
	})
	resp.DataSourceData = data
}

// checkAddresses refuses a region, cloud or endpoint from the environment
// that would not make a URL of the intended host; the schema checks those
// in configuration.
func checkAddresses(data *providerData, diags *diag.Diagnostics) {
	if data.cloud != "" && !validCloud(data.cloud) {
		diags.AddAttributeError(path.Root("cloud"), "Invalid "+envCloud,
			fmt.Sprintf("%s is %q: cloud must be %s.", envCloud, data.cloud, cloudRule))
	}
	if data.region != "" && !regionPattern.MatchString(data.region) {
		diags.AddAttributeError(path.Root("region"), "Invalid region",
			fmt.Sprintf("%s is %q: %s", envRegion, data.region, regionRule))
	} else if near := likelyRegion(data.region); near != "" {
		diags.AddAttributeError(path.Root("region"), "Unknown region", envRegion+" is "+regionTypo(data.region, near))
	}
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
			diags.AddAttributeError(at, "Invalid "+strings.ToUpper(e.name)+" endpoint",
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

// requestTimeout reads request_timeout, whose type already refused what is
// not a Go duration, or its environment variable.
func requestTimeout(v timetypes.GoDuration, diags *diag.Diagnostics) time.Duration {
	var (
		d   time.Duration
		raw string
	)
	if !v.IsNull() {
		raw = v.ValueString()
		var ds diag.Diagnostics
		d, ds = v.ValueGoDuration()
		diags.Append(ds...)
	} else if raw = strings.TrimSpace(os.Getenv(envRequestTimeout)); raw != "" {
		var err error
		if d, err = time.ParseDuration(raw); err != nil {
			d = -1
		}
	}
	if raw != "" && d <= 0 {
		diags.AddAttributeError(path.Root("request_timeout"), "Invalid request timeout",
			fmt.Sprintf("request_timeout (or %s) is %q: use a positive Go duration such as 30s or 2m.", envRequestTimeout, raw))
		return 0
	}
	return d
}

// clientCertificate loads the client certificate for mutual TLS; ok is false
// when none is configured or it cannot be loaded.
func clientCertificate(certFile, keyFile string, diags *diag.Diagnostics) (tls.Certificate, bool) {
	switch {
	case certFile == "" && keyFile == "":
		return tls.Certificate{}, false
	case keyFile == "":
		diags.AddAttributeError(path.Root("key"), "Missing client key",
			"cert (or "+envClientCert+") is set but key (or "+envClientKey+") is not: set both to the paths of a PEM certificate and its private key, or neither.")
		return tls.Certificate{}, false
	case certFile == "":
		diags.AddAttributeError(path.Root("cert"), "Missing client certificate",
			"key (or "+envClientKey+") is set but cert (or "+envClientCert+") is not: set both to the paths of a PEM certificate and its private key, or neither.")
		return tls.Certificate{}, false
	}
	cert, err := tls.LoadX509KeyPair(certFile, keyFile)
	if err != nil {
		diags.AddAttributeError(path.Root("cert"), "Invalid client certificate",
			fmt.Sprintf("cert %q and key %q (or %s and %s) cannot be used for mutual TLS: %v. Both must be PEM files, the key the certificate's own.", certFile, keyFile, envClientCert, envClientKey, err))
		return tls.Certificate{}, false
	}
	return cert, true
}

type diagAdder interface {
	AddAttributeError(path.Path, string, string)
	AddAttributeWarning(path.Path, string, string)
}

func boolSetting(v types.Bool, env, name string, diags diagAdder) (bool, bool) {
	if !v.IsNull() {
		return v.ValueBool(), true
	}
	raw, from := getenv(env)
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return false, true
	}
	b, err := strconv.ParseBool(raw)
	if err != nil {
		diags.AddAttributeError(path.Root(name), "Invalid "+from, fmt.Sprintf("%s is %q: use true or false.", from, raw))
		return false, false
	}
	return b, true
}

func intSetting(v types.Int64, env, name string, lo, hi, def int, diags diagAdder) (int, bool) {
	if !v.IsNull() {
		return int(v.ValueInt64()), true
	}
	return envInt(env, path.Root(name), name, lo, hi, def, diags)
}

// envInt reads a whole number from env for the setting at p. The Huawei
// Cloud provider may share the environment and allow other values, so one
// outside lo to hi is clamped with a warning, not refused; in the
// configuration the schema refuses it.
func envInt(env string, p path.Path, name string, lo, hi, def int, diags diagAdder) (int, bool) {
	raw := strings.TrimSpace(os.Getenv(env))
	if raw == "" {
		return def, true
	}
	n, err := strconv.Atoi(raw)
	if err != nil {
		diags.AddAttributeError(p, "Invalid "+env, fmt.Sprintf("%s is %q: %s must be a whole number from %d to %d.", env, raw, name, lo, hi))
		return 0, false
	}
	if n < lo || n > hi {
		used := min(max(n, lo), hi)
		diags.AddAttributeWarning(p, env+" out of range",
			fmt.Sprintf("%s is %q, outside %s range of %d to %d: using %d. Another provider reading %s may allow it; set %s in this provider's configuration to choose this provider's value.",
				env, raw, possessive(name), lo, hi, used, env, name))
		return used, true
	}
	return n, true
}

// possessive is "max_retries'" or "max_concurrency's".
func possessive(name string) string {
	if strings.HasSuffix(name, "s") {
		return name + "'"
	}
	return name + "'s"
}

// logMu serialises the client's log lines: the client logs from one
// goroutine per page, and with masking configured terraform-plugin-log
// rewrites the context's shared field map in place, which is a concurrent map
// write when two goroutines log through the same context (a known upstream
// bug: hashicorp/terraform-plugin-log#246).
var logMu sync.Mutex

// tflogLogger sends the client's per-request lines to Terraform's log.
func tflogLogger(ctx context.Context, msg string, fields map[string]any) {
	logMu.Lock()
	defer logMu.Unlock()
	tflog.Debug(ctx, msg, fields)
}

func (p *clusterProtectProvider) Resources(context.Context) []func() resource.Resource { return nil }

func (p *clusterProtectProvider) DataSources(context.Context) []func() datasource.DataSource {
	return []func() datasource.DataSource{NewEventsDataSource}
}

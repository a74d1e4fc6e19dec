package provider

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/clusterprotect/terraform-provider-clusterprotect/internal/credentials"
	"github.com/clusterprotect/terraform-provider-clusterprotect/internal/hwcloud"
	"github.com/clusterprotect/terraform-provider-clusterprotect/internal/iam"
)

func (p *clusterProtectProvider) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	diags := &resp.Diagnostics
	if reportUnknown(req.Config.Raw, diags); diags.HasError() {
		return
	}
	chain := chainInput(ctx, req.Config, p.env, diags)
	if diags.HasError() {
		return
	}
	c, ok := readSettings(ctx, req.Config, p.env, diags)
	if !ok {
		return
	}
	c.client.UserAgent = fmt.Sprintf("terraform-provider-clusterprotect/%s (+https://registry.terraform.io/providers/clusterprotect/clusterprotect) Terraform/%s", p.version, req.TerraformVersion)
	step, ok := c.connect(ctx, chain, p.env, diags)
	if !ok {
		return
	}
	data := c.data
	data.hssOptions = p.hssOptions
	ctx = data.secrets.mask(ctx)
	tflog.Debug(ctx, "configured the provider", map[string]any{
		"credentials": step, "region": data.region, "hss_endpoint": data.hssEndpoint, "iam_endpoint": data.iamEndpoint, "project_id": data.projectID,
		"max_retries": c.retries, "max_concurrency": c.concurrency,
	})
	resp.DataSourceData = data
}

// connect finds the credentials and builds the transport they feed; step is
// the credential chain's step that found them.
func (c *configured) connect(ctx context.Context, chain credentials.Input, env environment, diags *diag.Diagnostics) (step string, ok bool) {
	data := c.data
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
		addChainError(diags, err, env)
		return "", false
	}
	if found.MixedOrigins != "" {
		diags.AddWarning("Credentials from two places",
			"Whose events are read is named partly in the configuration and partly in the environment: "+found.MixedOrigins+". "+
				"They are used together, as the Huawei Cloud provider uses them, so a variable left set in a shell or a CI job changes whose events are read. "+
				"If that is intended, set them in one place, all in the configuration or all in the environment; if not, unset the variables named.")
	}
	data.region = cmp.Or(data.region, found.Region)
	data.projectID = cmp.Or(data.projectID, found.ProjectID)
	c.client.Credentials = found.Source
	data.credentials = found.Describe()
	data.secrets.add(found.Secrets...)
	if chain.Config.OIDC != nil {
		data.secrets.add(chain.Config.OIDC.IDToken)
	}
	if chain.Env.OIDC != nil {
		data.secrets.add(chain.Env.OIDC.IDToken)
	}
	transport, err = hwcloud.New(c.client)
	switch {
	case errors.Is(err, hwcloud.ErrNoPEMCertificate):
		diags.AddAttributeError(path.Root("cacert_file"), "Invalid CA certificate file",
			fmt.Sprintf("cacert_file (or %s) %q holds no PEM certificate: it must hold one or more PEM \"CERTIFICATE\" blocks.", envCACertFile, c.caCertFile))
		return "", false
	case err != nil:
		diags.AddError("Unable to configure the API client", err.Error()+". Check the provider settings named above, then run terraform again.")
		return "", false
	}
	data.transport = transport
	return found.Step, true
}

// reportUnknown refuses each setting only known after apply, in a stable
// order: alphabetical. An unknown attribute of a block that is itself known
// is left to chainInput, which names it.
func reportUnknown(config tftypes.Value, diags *diag.Diagnostics) {
	roots, _ := unknowns(config)
	for _, name := range roots {
		diags.AddAttributeError(path.Root(name), "Unknown provider setting",
			"The provider cannot be configured with a value that is only known after apply: set "+name+" to a value known at plan time, or leave it unset and use its environment variable.")
	}
}

// unknowns walks the configuration for values only known after apply: the
// root settings that are unknown or hold one (an element of endpoints), and
// the attributes of the known blocks, each in alphabetical order.
func unknowns(config tftypes.Value) (roots []string, inBlocks []path.Path) {
	attrs := objectAttributes(config)
	for _, name := range slices.Sorted(maps.Keys(attrs)) {
		v := attrs[name]
		_, block := v.Type().(tftypes.Object)
		switch {
		case v.IsFullyKnown():
		case block && v.IsKnown():
			inner := objectAttributes(v)
			for _, attr := range slices.Sorted(maps.Keys(inner)) {
				if !inner[attr].IsFullyKnown() {
					inBlocks = append(inBlocks, path.Root(name).AtName(attr))
				}
			}
		default:
			roots = append(roots, name)
		}
	}
	return roots, inBlocks
}

// objectAttributes are a known object's attributes; none for null or unknown.
func objectAttributes(v tftypes.Value) map[string]tftypes.Value {
	var attrs map[string]tftypes.Value
	if v.IsKnown() && !v.IsNull() {
		_ = v.As(&attrs) // an object's attributes convert
	}
	return attrs
}

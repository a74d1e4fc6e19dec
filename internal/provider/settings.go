package provider

import (
	"cmp"
	"context"
	"slices"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/clusterprotect/terraform-provider-clusterprotect/internal/credentials"
	"github.com/clusterprotect/terraform-provider-clusterprotect/internal/hwcloud"
)

// A setting is one root attribute of the provider: its schema, the
// variable it falls back to, and what is done with the merged value (the
// configuration's, else the variable's). The schema and the settings'
// reading range over providerSettings, so a new setting is one row.
type setting struct {
	name   string
	env    string // read when the attribute is unset; osFallback names the OS_* one read after it
	schema schema.Attribute
	// parse reads the merged value into the configured provider, in the
	// table's order; check, once every setting is read, refuses a value the
	// schema checks in configuration but the environment may hold.
	parse, check func(r *reading, s setting)
	// chain is the credential chain's field the setting fills, in both its
	// configuration and its environment settings: the chain decides.
	chain func(*credentials.Settings) *string
	// stop: Configure goes no further after this row when a value so far
	// could not be read.
	stop bool
}

// providerSettings are the provider's settings, in the order they are read:
// that is the order of their diagnostics.
var providerSettings = slices.Concat(addressSettings(), credentialSettings(), huaweiOnlyRows(), tuningSettings())

// configured is what the settings come to.
type configured struct {
	data                              *providerData
	client                            hwcloud.Config
	retries, concurrency              int // as read, for the log
	caCertFile, clientCert, clientKey string
}

// reading is one Configure's reading of the settings.
type reading struct {
	ctx    context.Context
	config tfsdk.Config
	env    environment
	diags  *diag.Diagnostics
	failed bool // a value could not be read
	out    configured
}

// readSettings reads every setting; ok is false when one is refused.
func readSettings(ctx context.Context, config tfsdk.Config, env environment, diags *diag.Diagnostics) (*configured, bool) {
	r := &reading{ctx: ctx, config: config, env: env, diags: diags, out: configured{data: &providerData{}}}
	r.out.client.Logger = r.out.data.secrets.logger
	for _, s := range providerSettings {
		if s.parse != nil {
			s.parse(r, s)
		}
		if s.stop && r.failed {
			return nil, false
		}
	}
	for _, s := range providerSettings {
		if s.check != nil {
			s.check(r, s)
		}
	}
	return &r.out, !diags.HasError()
}

// get reads the root attribute name into target.
func (r *reading) get(name string, target any) {
	r.diags.Append(r.config.GetAttribute(r.ctx, path.Root(name), target)...)
}

// str reads a string setting: configuration first, then the environment.
// Empty is unset, as in the credential settings: a variable that defaults
// to "" leaves the setting to the environment.
func (r *reading) str(s setting) string {
	var v types.String
	r.get(s.name, &v)
	return cmp.Or(v.ValueString(), r.env.value(s.env))
}

// stringSetting is a string setting read into the field into names.
func stringSetting(name, env string, attr schema.StringAttribute, into func(*configured) *string) setting {
	return setting{name: name, env: env, schema: attr, parse: func(r *reading, s setting) { *into(&r.out) = r.str(s) }}
}

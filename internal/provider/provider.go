// Package provider is the Terraform side of the provider: configuration,
// the clusterprotect_events data source and the mapping from internal/hss.
package provider

import (
	"context"
	"os"
	"sync"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/function"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/clusterprotect/terraform-provider-clusterprotect/internal/hss"
	"github.com/clusterprotect/terraform-provider-clusterprotect/internal/hwcloud"
)

var _ provider.ProviderWithFunctions = (*clusterProtectProvider)(nil)

type clusterProtectProvider struct {
	version string
	env     environment // every variable the provider reads
	// hssOptions set up every HSS client: none but in tests, where the
	// fake runs with a smaller cap than the API's (hss.WithTotalNumCap).
	hssOptions []hss.Option
}

// New returns a constructor of the provider.
func New(version string) func() provider.Provider { return newProvider(version, os.Getenv) }

// newProvider is New with the environment the provider reads: a test's
// own, so that tests need not change the process's; and options for its
// HSS clients.
func newProvider(version string, env environment, hssOptions ...hss.Option) func() provider.Provider {
	return func() provider.Provider {
		return &clusterProtectProvider{version: version, env: env, hssOptions: hssOptions}
	}
}

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
	hssOptions          []hss.Option
}

func (p *clusterProtectProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "clusterprotect"
	resp.Version = p.version
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
	return []func() datasource.DataSource{NewEventsDataSource, NewClustersDataSource}
}

func (p *clusterProtectProvider) Functions(context.Context) []func() function.Function {
	return []func() function.Function{NewRFC3339FromEpochMsFunction}
}

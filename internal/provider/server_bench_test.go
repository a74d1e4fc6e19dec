package provider

import (
	"context"
	"net/http/httptest"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/clusterprotect/terraform-provider-clusterprotect/internal/hssfake"
)

// BenchmarkReadDataSource measures the provider's whole share of a refresh
// of 10,000 events, as Terraform calls it over the plugin protocol: the read,
// the state mapping, and the framework's encoding of the response.
func BenchmarkReadDataSource(b *testing.B) {
	ctx := context.Background()
	fake := hssfake.New(hssfake.Config{Tokens: []string{testToken}}, generate(10_000))
	srv := httptest.NewServer(fake)
	defer srv.Close()

	server, err := providerserver.NewProtocol6WithError(New("bench")())()
	if err != nil {
		b.Fatal(err)
	}
	schemas, err := server.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		b.Fatal(err)
	}
	providerType := schemas.Provider.ValueType()
	providerConfig := map[string]tftypes.Value{}
	for name, t := range providerType.(tftypes.Object).AttributeTypes {
		providerConfig[name] = tftypes.NewValue(t, nil)
	}
	endpointsType := providerType.(tftypes.Object).AttributeTypes["endpoints"]
	providerConfig["endpoints"] = tftypes.NewValue(endpointsType, map[string]tftypes.Value{
		"hss": tftypes.NewValue(tftypes.String, srv.URL), "iam": tftypes.NewValue(tftypes.String, nil),
	})
	providerConfig["auth_token"] = tftypes.NewValue(tftypes.String, testToken)
	providerConfig["project_id"] = tftypes.NewValue(tftypes.String, testProject)
	cfg, err := tfprotov6.NewDynamicValue(providerType, tftypes.NewValue(providerType, providerConfig))
	if err != nil {
		b.Fatal(err)
	}
	if resp, err := server.ConfigureProvider(ctx, &tfprotov6.ConfigureProviderRequest{Config: &cfg}); err != nil || len(resp.Diagnostics) > 0 {
		b.Fatal(err, resp.Diagnostics)
	}

	dsType := schemas.DataSourceSchemas["clusterprotect_events"].ValueType()
	dsConfig := map[string]tftypes.Value{}
	for name, t := range dsType.(tftypes.Object).AttributeTypes {
		dsConfig[name] = tftypes.NewValue(t, nil)
	}
	dcfg, err := tfprotov6.NewDynamicValue(dsType, tftypes.NewValue(dsType, dsConfig))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		resp, err := server.ReadDataSource(ctx, &tfprotov6.ReadDataSourceRequest{TypeName: "clusterprotect_events", Config: &dcfg})
		if err != nil {
			b.Fatal(err)
		}
		for _, d := range resp.Diagnostics {
			if d.Severity == tfprotov6.DiagnosticSeverityError {
				b.Fatal(d.Summary, d.Detail)
			}
		}
		b.ReportMetric(float64(len(resp.State.MsgPack))/(1<<20), "MiB-msgpack")
	}
}

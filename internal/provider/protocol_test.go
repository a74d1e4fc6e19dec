package provider

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/clusterprotect/terraform-provider-clusterprotect/internal/hssfake"
)

// protocolClient drives the provider's server over the plugin protocol, as
// Terraform does, configured against a fake API: for the benchmark of a
// whole read and for what the CLI cannot show (cancellation).
type protocolClient struct {
	server tfprotov6.ProviderServer
	dsType tftypes.Object
}

// newProtocolServer is the provider's server and its schemas, as Terraform
// starts it, with env as its whole environment.
func newProtocolServer(tb testing.TB, env map[string]string) (tfprotov6.ProviderServer, *tfprotov6.GetProviderSchemaResponse) {
	tb.Helper()
	server, err := factories(env)["clusterprotect"]()
	if err != nil {
		tb.Fatal(err)
	}
	schemas, err := server.GetProviderSchema(context.Background(), &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		tb.Fatal(err)
	}
	return server, schemas
}

func newProtocolClient(tb testing.TB, url string, env map[string]string) *protocolClient {
	tb.Helper()
	ctx := context.Background()
	server, schemas := newProtocolServer(tb, env)
	providerType := schemas.Provider.ValueType().(tftypes.Object)
	values := nullArgs(providerType)
	values["endpoints"] = tftypes.NewValue(providerType.AttributeTypes["endpoints"], map[string]tftypes.Value{"hss": tftypes.NewValue(tftypes.String, url)})
	values["auth_token"] = tftypes.NewValue(tftypes.String, testToken)
	values["project_id"] = tftypes.NewValue(tftypes.String, testProject)
	cfg, err := tfprotov6.NewDynamicValue(providerType, tftypes.NewValue(providerType, values))
	if err != nil {
		tb.Fatal(err)
	}
	resp, err := server.ConfigureProvider(ctx, &tfprotov6.ConfigureProviderRequest{Config: &cfg})
	if err != nil || len(resp.Diagnostics) > 0 {
		tb.Fatal(err, diagnosticsString(resp.Diagnostics))
	}
	return &protocolClient{server: server, dsType: schemas.DataSourceSchemas["clusterprotect_events"].ValueType().(tftypes.Object)}
}

// read calls ReadDataSource with no argument set.
func (c *protocolClient) read(ctx context.Context, tb testing.TB) *tfprotov6.ReadDataSourceResponse {
	tb.Helper()
	return c.readWith(ctx, tb, nil)
}

// readWith calls ReadDataSource with the given arguments; the others are
// null.
func (c *protocolClient) readWith(ctx context.Context, tb testing.TB, args map[string]tftypes.Value) *tfprotov6.ReadDataSourceResponse {
	tb.Helper()
	values := nullArgs(c.dsType)
	for k, v := range args {
		values[k] = v
	}
	cfg, err := tfprotov6.NewDynamicValue(c.dsType, tftypes.NewValue(c.dsType, values))
	if err != nil {
		tb.Fatal(err)
	}
	resp, err := c.server.ReadDataSource(ctx, &tfprotov6.ReadDataSourceRequest{TypeName: "clusterprotect_events", Config: &cfg})
	if err != nil {
		tb.Fatal(err)
	}
	return resp
}

// nullArgs is a configuration, of a provider or a data source, that sets
// no argument.
func nullArgs(typ tftypes.Object) map[string]tftypes.Value {
	values := map[string]tftypes.Value{}
	for name, t := range typ.AttributeTypes {
		values[name] = tftypes.NewValue(t, nil)
	}
	return values
}

// TestReadDataSource_cancel: when Terraform stops the provider, the read's
// context ends and the answer comes back at once with an error, not after
// the API's slow pages.
func TestReadDataSource_cancel(t *testing.T) {
	t.Parallel()
	env := testEnv(t)
	fake := hssfake.New(tokenConfig(), generate(2_000))
	srv := httptest.NewServer(fake)
	defer srv.Close()
	client := newProtocolClient(t, srv.URL, env)
	fake.SetFaults(hssfake.Faults{Latency: time.Minute})

	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(200*time.Millisecond, cancel)
	done := make(chan *tfprotov6.ReadDataSourceResponse)
	go func() { done <- client.read(ctx, t) }()
	select {
	case resp := <-done:
		if len(resp.Diagnostics) != 1 || resp.Diagnostics[0].Severity != tfprotov6.DiagnosticSeverityError ||
			!strings.Contains(resp.Diagnostics[0].Detail, "context canceled") {
			t.Fatalf("want one error about the cancellation, got %s", diagnosticsString(resp.Diagnostics))
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the read went on for 10 s after it was cancelled")
	}
}

// BenchmarkReadDataSource measures the provider's whole share of a refresh
// of 10,000 events as Terraform calls it over the plugin protocol: the read,
// the state and the framework's handling and encoding of it; latency is the
// fake's per request. Run it with
// go test -run '^$' -bench ReadDataSource -benchtime 5x ./internal/provider/ .
func BenchmarkReadDataSource(b *testing.B) {
	fake := hssfake.New(tokenConfig(), generate(10_000))
	srv := httptest.NewServer(fake)
	defer srv.Close()
	for _, latency := range []time.Duration{0, 50 * time.Millisecond} {
		b.Run("latency="+latency.String(), func(b *testing.B) {
			fake.SetFaults(hssfake.Faults{Latency: latency})
			client := newProtocolClient(b, srv.URL, testEnv(b))
			b.ReportAllocs()
			for b.Loop() {
				resp := client.read(context.Background(), b)
				for _, d := range resp.Diagnostics {
					if d.Severity == tfprotov6.DiagnosticSeverityError {
						b.Fatal(d.Summary, d.Detail)
					}
				}
				b.ReportMetric(float64(len(resp.State.MsgPack))/(1<<20), "MiB-msgpack")
			}
		})
	}
}

func diagnosticsString(diags []*tfprotov6.Diagnostic) string {
	var b strings.Builder
	for _, d := range diags {
		b.WriteString("[" + d.Severity.String() + " " + d.Summary + ": " + d.Detail)
		if d.Attribute != nil {
			b.WriteString(" at " + d.Attribute.String())
		}
		b.WriteString("] ")
	}
	return b.String()
}

// Settings only known after apply are each named, always in the same order.
func TestConfigureProvider_unknownSettingsInStableOrder(t *testing.T) {
	t.Parallel()
	env := testEnv(t)
	ctx := context.Background()
	for range 20 {
		server, schemas := newProtocolServer(t, env)
		typ := schemas.Provider.ValueType().(tftypes.Object)
		values := nullArgs(typ)
		for _, name := range []string{"region", "access_key", "secret_key", "max_retries"} {
			values[name] = tftypes.NewValue(typ.AttributeTypes[name], tftypes.UnknownValue)
		}
		cfg, err := tfprotov6.NewDynamicValue(typ, tftypes.NewValue(typ, values))
		if err != nil {
			t.Fatal(err)
		}
		resp, err := server.ConfigureProvider(ctx, &tfprotov6.ConfigureProviderRequest{Config: &cfg})
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, d := range resp.Diagnostics {
			names = append(names, d.Attribute.String())
		}
		got := strings.Join(names, " ")
		if want := `AttributeName("access_key") AttributeName("max_retries") AttributeName("region") AttributeName("secret_key")`; got != want {
			t.Fatalf("unknown settings reported as %s, want %s", got, want)
		}
	}
}

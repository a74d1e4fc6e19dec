package provider

import (
	"net/http/httptest"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"

	"github.com/clusterprotect/terraform-provider-clusterprotect/internal/hssfake"
)

// BenchmarkReadDataSource measures the provider's whole share of a refresh
// of 10,000 events, as Terraform calls it over the plugin protocol: the read,
// the state, and its encoding. "framework" is the framework's server alone;
// "direct" is NewServer, which the provider serves; latency is the fake's
// per request. Run it with
// go test -run '^$' -bench ReadDataSource -benchtime 5x ./internal/provider/ .
func BenchmarkReadDataSource(b *testing.B) {
	fake := hssfake.New(hssfake.Config{Tokens: []string{testToken}}, generate(10_000))
	srv := httptest.NewServer(fake)
	defer srv.Close()
	for _, tc := range []struct {
		name    string
		factory func() (tfprotov6.ProviderServer, error)
		latency time.Duration
	}{
		{"framework/latency=0s", providerserver.NewProtocol6WithError(New("bench")()), 0},
		{"direct/latency=0s", NewServer("bench"), 0},
		{"framework/latency=50ms", providerserver.NewProtocol6WithError(New("bench")()), 50 * time.Millisecond},
		{"direct/latency=50ms", NewServer("bench"), 50 * time.Millisecond},
	} {
		b.Run(tc.name, func(b *testing.B) {
			fake.SetFaults(hssfake.Faults{Latency: tc.latency, MalformedAtOffset: -1})
			client := newProtocolClient(b, tc.factory, srv.URL)
			b.ReportAllocs()
			for b.Loop() {
				resp := client.read(b, nil)
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

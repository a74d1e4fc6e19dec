package provider

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/clusterprotect/terraform-provider-clusterprotect/internal/hss"
)

// eventsSchemaType is the data source's state type, as Read takes it.
func eventsSchemaType(tb testing.TB) tftypes.Object {
	tb.Helper()
	ctx := context.Background()
	var resp datasource.SchemaResponse
	NewEventsDataSource().Schema(ctx, datasource.SchemaRequest{}, &resp)
	if resp.Diagnostics.HasError() {
		tb.Fatal(resp.Diagnostics)
	}
	return resp.Schema.Type().TerraformType(ctx).(tftypes.Object)
}

// clusterEvents are n generated events as the client decodes them.
func clusterEvents(tb testing.TB, n int) []hss.ClusterEvent {
	tb.Helper()
	b, err := json.Marshal(generate(n))
	if err != nil {
		tb.Fatal(err)
	}
	var events []hss.ClusterEvent
	if err := json.Unmarshal(b, &events); err != nil {
		tb.Fatal(err)
	}
	return events
}

// BenchmarkEventsValue measures the state mapping alone: data_list of
// 10,000 events as one tftypes.Value.
func BenchmarkEventsValue(b *testing.B) {
	typ := eventsSchemaType(b).AttributeTypes["data_list"].(tftypes.List)
	events := clusterEvents(b, 10_000)
	b.ReportAllocs()
	for b.Loop() {
		listValue(typ, eventFields, events)
	}
}

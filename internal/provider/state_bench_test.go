package provider

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/clusterprotect/terraform-provider-clusterprotect/internal/hss"
)

// clientEvents turns generated fake events into what the client decodes.
func clientEvents(tb testing.TB, n int) []hss.ClusterEvent {
	tb.Helper()
	raw, err := json.Marshal(generate(n))
	if err != nil {
		tb.Fatal(err)
	}
	var events []hss.ClusterEvent
	if err := json.Unmarshal(raw, &events); err != nil {
		tb.Fatal(err)
	}
	return events
}

func emptyState(tb testing.TB) tfsdk.State {
	tb.Helper()
	var resp datasource.SchemaResponse
	NewEventsDataSource().Schema(context.Background(), datasource.SchemaRequest{}, &resp)
	return tfsdk.State{Schema: resp.Schema, Raw: tftypes.NewValue(resp.Schema.Type().TerraformType(context.Background()), nil)}
}

// setDataList writes data_list the way the benchmark's variant does: the
// framework reflects []eventModel, converts a types.List, or takes a
// tftypes.Value as it is.
func setDataList(tb testing.TB, value any) tfsdk.State {
	tb.Helper()
	s := emptyState(tb)
	if d := s.SetAttribute(context.Background(), path.Root("data_list"), value); d.HasError() {
		tb.Fatal(d)
	}
	return s
}

// TestStateMapping_pathsAgree makes sure the three ways of building the state
// give the same value, so the benchmark compares like with like.
func TestStateMapping_pathsAgree(t *testing.T) {
	events := clientEvents(t, 50)
	events[3].ResourceInfo = nil
	events[4].Action = nil
	reflected := setDataList(t, eventModels(events))
	if !reflected.Raw.Equal(setDataList(t, eventsTypesList(events)).Raw) {
		t.Fatal("the reflection and types.List paths built different states")
	}
	direct := emptyState(t)
	read := &eventsRead{config: nullConfig(t), filter: hss.Filter{ProjectID: testProject}, result: &hss.ReadResult{}, events: events}
	direct.Raw = read.stateValue(direct.Raw.Type())
	var fromDirect []eventModel
	if d := direct.GetAttribute(context.Background(), path.Root("data_list"), &fromDirect); d.HasError() {
		t.Fatal(d)
	}
	if !reflected.Raw.Equal(setDataList(t, fromDirect).Raw) {
		t.Fatal("the reflection and tftypes paths built different data_list values")
	}
}

// BenchmarkStateMapping compares the three ways; run it with
// go test -run '^$' -bench StateMapping -benchtime 3x ./internal/provider/ .
func BenchmarkStateMapping(b *testing.B) {
	events := clientEvents(b, 10_000)
	for _, tc := range []struct {
		name  string
		build func() any
	}{
		{"reflection", func() any { return eventModels(events) }},
		{"types.List", func() any { return eventsTypesList(events) }},
	} {
		b.Run(tc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				setDataList(b, tc.build())
			}
		})
	}
	read := &eventsRead{
		config: nullConfig(b), filter: hss.Filter{ProjectID: testProject}, events: events,
		result: &hss.ReadResult{TotalNum: int64(len(events)), Events: events},
	}
	typ := emptyState(b).Raw.Type().(tftypes.Object)
	// What the framework's Read does: the whole state as one tftypes.Value.
	b.Run("tftypes", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			s := emptyState(b)
			s.Raw = read.stateValue(typ)
		}
	})
	// The same value as the protocol carries it, through terraform-plugin-go.
	b.Run("tftypes+msgpack", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := tfprotov6.NewDynamicValue(typ, read.stateValue(typ)); err != nil {
				b.Fatal(err)
			}
		}
	})
	// What the provider's server does: MessagePack straight from the events.
	b.Run("msgpack", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := read.stateMsgPack(typ); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// nullConfig is a configuration that sets no argument.
func nullConfig(tb testing.TB) map[string]tftypes.Value {
	tb.Helper()
	return nullArgs(emptyState(tb).Raw.Type().(tftypes.Object))
}

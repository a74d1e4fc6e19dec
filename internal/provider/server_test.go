package provider

import (
	"context"
	"fmt"
	"math"
	"math/big"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/clusterprotect/terraform-provider-clusterprotect/internal/hssfake"
)

// protocolClient drives a provider server over the plugin protocol, as
// Terraform does, configured against a fake API.
type protocolClient struct {
	server tfprotov6.ProviderServer
	dsType tftypes.Object
}

func newProtocolClient(tb testing.TB, factory func() (tfprotov6.ProviderServer, error), url string) *protocolClient {
	tb.Helper()
	ctx := context.Background()
	server, err := factory()
	if err != nil {
		tb.Fatal(err)
	}
	schemas, err := server.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		tb.Fatal(err)
	}
	providerType := schemas.Provider.ValueType().(tftypes.Object)
	values := nullArgs(providerType)
	values["endpoints"] = tftypes.NewValue(providerType.AttributeTypes["endpoints"], map[string]tftypes.Value{
		"hss": tftypes.NewValue(tftypes.String, url), "iam": tftypes.NewValue(tftypes.String, nil),
	})
	values["auth_token"] = tftypes.NewValue(tftypes.String, testToken)
	values["project_id"] = tftypes.NewValue(tftypes.String, testProject)
	cfg, err := tfprotov6.NewDynamicValue(providerType, tftypes.NewValue(providerType, values))
	if err != nil {
		tb.Fatal(err)
	}
	resp, err := server.ConfigureProvider(ctx, &tfprotov6.ConfigureProviderRequest{Config: &cfg})
	if err != nil || len(resp.Diagnostics) > 0 {
		tb.Fatal(err, resp.Diagnostics)
	}
	return &protocolClient{server: server, dsType: schemas.DataSourceSchemas[eventsTypeName].ValueType().(tftypes.Object)}
}

// read calls ReadDataSource with the given arguments; the rest are null.
func (c *protocolClient) read(tb testing.TB, args map[string]tftypes.Value) *tfprotov6.ReadDataSourceResponse {
	tb.Helper()
	values := nullArgs(c.dsType)
	for name, v := range args {
		values[name] = v
	}
	cfg, err := tfprotov6.NewDynamicValue(c.dsType, tftypes.NewValue(c.dsType, values))
	if err != nil {
		tb.Fatal(err)
	}
	resp, err := c.server.ReadDataSource(context.Background(), &tfprotov6.ReadDataSourceRequest{TypeName: eventsTypeName, Config: &cfg})
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

// oddEvents are events that exercise every encoding: absent fields, empty
// strings, no resource_info, int64 extremes, long and non-ASCII strings.
func oddEvents() []hssfake.Event {
	events := generate(700)
	events[0] = hssfake.Event{EventID: hssfake.Ptr("only-an-id"), EnterpriseProjectID: hssfake.Ptr("0")}
	events[1].ResourceInfo = nil
	events[2].Action, events[2].ClusterName = hssfake.Ptr(""), hssfake.Ptr("")
	events[2].ResourceInfo.Group, events[2].ResourceInfo.Namespace = hssfake.Ptr(""), nil
	events[3].CreateTime, events[3].UpdateTime = hssfake.Ptr(int64(1)<<62+1), hssfake.Ptr(int64(math.MaxInt64))
	events[4].EventType, events[4].UpdateTime = hssfake.Ptr(int64(-129)), hssfake.Ptr(int64(math.MinInt64))
	events[5].EventContent = hssfake.Ptr(strings.Repeat("x", 300))
	events[6].EventContent = hssfake.Ptr(strings.Repeat("y", 70_000))
	events[7].ResourceInfo.Message = hssfake.Ptr("容器 «privileged» n'est pas autorisé ✓")
	events[8].ResourceInfo.EnforcementAction = nil
	events[8].ResourceInfo.EnforcementActionCamel = hssfake.Ptr("deny")
	for i, n := range []int64{0, 127, 128, 255, 256, 65535, 65536, 1<<32 - 1, 1 << 32, -1, -32, -33, -128, -32768, -32769, -1 << 31, -1<<31 - 1} {
		events[10+i].EventType = hssfake.Ptr(n)
	}
	return events
}

// TestServer_matchesFramework holds the provider's direct ReadDataSource to
// the framework's answer for the same read: the same state, byte for byte,
// and the same diagnostics.
func TestServer_matchesFramework(t *testing.T) {
	clearEnv(t)
	events := oddEvents()
	srv := httptest.NewServer(hssfake.New(hssfake.Config{Tokens: []string{testToken}}, events))
	defer srv.Close()
	direct := newProtocolClient(t, NewServer("test"), srv.URL)
	framework := newProtocolClient(t, providerserver.NewProtocol6WithError(New("test")()), srv.URL)

	str := func(s string) tftypes.Value { return tftypes.NewValue(tftypes.String, s) }
	num := func(n int64) tftypes.Value { return tftypes.NewValue(tftypes.Number, big.NewFloat(float64(n))) }
	timeoutsType := direct.dsType.AttributeTypes["timeouts"].(tftypes.Object)
	for _, tc := range []struct {
		name   string
		args   map[string]tftypes.Value
		events int // in data_list; -1 for an error
	}{
		{"everything", nil, len(events)},
		{"max_results", map[string]tftypes.Value{"max_results": num(5)}, 5},
		{"narrowed", map[string]tftypes.Value{
			"actions":       tftypes.NewValue(tftypes.Set{ElementType: tftypes.String}, []tftypes.Value{str("deny")}),
			"event_types":   tftypes.NewValue(tftypes.Set{ElementType: tftypes.Number}, []tftypes.Value{num(3011), num(3012)}),
			"handle_status": str("unhandled"),
		}, -2},
		{"window and timeouts", map[string]tftypes.Value{
			"created_after": num(*events[600].CreateTime),
			"timeouts":      tftypes.NewValue(timeoutsType, map[string]tftypes.Value{"read": str("2m")}),
		}, -2},
		{"enterprise project", map[string]tftypes.Value{"enterprise_project_id": str("all_granted_eps")}, len(events)},
		{"project_id too long", map[string]tftypes.Value{"project_id": str(strings.Repeat("f", 300))}, -1},
		{"bad timeout", map[string]tftypes.Value{
			"timeouts": tftypes.NewValue(timeoutsType, map[string]tftypes.Value{"read": str("soon")}),
		}, -1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, want := direct.read(t, tc.args), framework.read(t, tc.args)
			if !reflect.DeepEqual(got.Diagnostics, want.Diagnostics) {
				t.Fatalf("diagnostics differ:\ndirect:    %s\nframework: %s", diagnosticsString(got.Diagnostics), diagnosticsString(want.Diagnostics))
			}
			if tc.events == -1 {
				if got.State != nil || len(got.Diagnostics) == 0 {
					t.Fatalf("want an error and no state, got %d bytes and %s", stateLen(got), diagnosticsString(got.Diagnostics))
				}
				return
			}
			state := sameState(t, direct.dsType, got.State, want.State)
			var attrs map[string]tftypes.Value
			var list []tftypes.Value
			if err := state.As(&attrs); err != nil {
				t.Fatal(err)
			}
			if err := attrs["data_list"].As(&list); err != nil {
				t.Fatal(err)
			}
			switch {
			case tc.events == -2 && (len(list) == 0 || len(list) == len(events)):
				t.Fatalf("narrowing kept %d of %d events: the case does not narrow", len(list), len(events))
			case tc.events >= 0 && len(list) != tc.events:
				t.Fatalf("data_list has %d events, want %d", len(list), tc.events)
			}
		})
	}
}

// TestServer_capWarning: the warning a read at the API's cap gives comes
// through the direct answer as through the framework.
func TestServer_capWarning(t *testing.T) {
	clearEnv(t)
	srv := httptest.NewServer(hssfake.New(hssfake.Config{Tokens: []string{testToken}}, generate(10_050)))
	defer srv.Close()
	direct := newProtocolClient(t, NewServer("test"), srv.URL)
	got := direct.read(t, nil)
	want := newProtocolClient(t, providerserver.NewProtocol6WithError(New("test")()), srv.URL).read(t, nil)
	if len(got.Diagnostics) != 1 || got.Diagnostics[0].Severity != tfprotov6.DiagnosticSeverityWarning {
		t.Fatalf("want one warning, got %s", diagnosticsString(got.Diagnostics))
	}
	if !reflect.DeepEqual(got.Diagnostics, want.Diagnostics) {
		t.Fatalf("diagnostics differ:\ndirect:    %s\nframework: %s", diagnosticsString(got.Diagnostics), diagnosticsString(want.Diagnostics))
	}
	sameState(t, direct.dsType, got.State, want.State)
}

// sameState decodes both states and fails unless they are equal. The bytes
// themselves may differ in the order of a map's entries, which
// terraform-plugin-go writes in Go's map order.
func sameState(t *testing.T, typ tftypes.Object, got, want *tfprotov6.DynamicValue) tftypes.Value {
	t.Helper()
	if got == nil || want == nil {
		t.Fatalf("missing state: direct %v, framework %v", got != nil, want != nil)
	}
	g, err := got.Unmarshal(typ)
	if err != nil {
		t.Fatal(err)
	}
	w, err := want.Unmarshal(typ)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.MsgPack) != len(want.MsgPack) || !g.Equal(w) {
		diffs, _ := g.Diff(w)
		t.Fatalf("states differ: %d bytes direct, %d from the framework; %d differences, first: %v", len(got.MsgPack), len(want.MsgPack), len(diffs), diffs[:min(1, len(diffs))])
	}
	return g
}

// TestServer_cancel: when Terraform stops the provider, the read's context
// ends and the direct answer comes back at once with an error, not after the
// API's slow pages.
func TestServer_cancel(t *testing.T) {
	clearEnv(t)
	fake := hssfake.New(hssfake.Config{Tokens: []string{testToken}}, generate(2_000))
	srv := httptest.NewServer(fake)
	defer srv.Close()
	client := newProtocolClient(t, NewServer("test"), srv.URL)
	fake.SetFaults(hssfake.Faults{Latency: time.Minute, MalformedAtOffset: -1})

	cfg, err := tfprotov6.NewDynamicValue(client.dsType, tftypes.NewValue(client.dsType, nullArgs(client.dsType)))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(200*time.Millisecond, cancel)
	done := make(chan *tfprotov6.ReadDataSourceResponse)
	go func() {
		resp, _ := client.server.ReadDataSource(ctx, &tfprotov6.ReadDataSourceRequest{TypeName: eventsTypeName, Config: &cfg})
		done <- resp
	}()
	select {
	case resp := <-done:
		if resp.State != nil || len(resp.Diagnostics) != 1 || resp.Diagnostics[0].Severity != tfprotov6.DiagnosticSeverityError ||
			!strings.Contains(resp.Diagnostics[0].Detail, "context canceled") {
			t.Fatalf("want one error about the cancellation and no state, got %s", diagnosticsString(resp.Diagnostics))
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the read went on for 10 s after it was cancelled")
	}
}

// TestMsgPackWriter_lengths checks the writer's headers and integers against
// terraform-plugin-go's encoder at every boundary of MessagePack's formats.
func TestMsgPackWriter_lengths(t *testing.T) {
	encode := func(typ tftypes.Type, v tftypes.Value) string {
		t.Helper()
		dv, err := tfprotov6.NewDynamicValue(typ, v)
		if err != nil {
			t.Fatal(err)
		}
		return string(dv.MsgPack)
	}
	for _, n := range []int64{0, 1, 127, 128, 255, 256, 65535, 65536, math.MaxUint32, math.MaxUint32 + 1, math.MaxInt64,
		-1, -32, -33, -128, -129, -32768, -32769, math.MinInt32, math.MinInt32 - 1, math.MinInt64} {
		var w mpWriter
		w.int(n)
		if want := encode(tftypes.Number, tftypes.NewValue(tftypes.Number, new(big.Float).SetInt64(n))); string(w.buf) != want {
			t.Errorf("int %d: wrote % x, want % x", n, w.buf, want)
		}
	}
	for _, n := range []int{0, 15, 16, 31, 32, 255, 256, 65535, 65536} {
		var w mpWriter
		s := strings.Repeat("s", n)
		w.str(s)
		if want := encode(tftypes.String, tftypes.NewValue(tftypes.String, s)); string(w.buf) != want {
			t.Errorf("string of %d: header % x, want % x", n, w.buf[:min(5, len(w.buf))], want[:min(5, len(want))])
		}
		list, mapping := make([]tftypes.Value, n), make(map[string]tftypes.Value, n)
		w = mpWriter{}
		w.arrayLen(n)
		for i := range list {
			list[i] = tftypes.NewValue(tftypes.String, nil)
			w.null()
		}
		if want := encode(tftypes.List{ElementType: tftypes.String}, tftypes.NewValue(tftypes.List{ElementType: tftypes.String}, list)); string(w.buf) != want {
			t.Errorf("list of %d: header % x, want % x", n, w.buf[:min(5, len(w.buf))], want[:min(5, len(want))])
		}
		// tftypes writes a map's entries in Go's map order: compare the header.
		for i := range n {
			mapping[fmt.Sprint(i)] = tftypes.NewValue(tftypes.String, nil)
		}
		w = mpWriter{}
		w.mapLen(n)
		if want := encode(tftypes.Map{ElementType: tftypes.String}, tftypes.NewValue(tftypes.Map{ElementType: tftypes.String}, mapping)); !strings.HasPrefix(want, string(w.buf)) {
			t.Errorf("map of %d: header % x, want % x", n, w.buf, want[:min(5, len(want))])
		}
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

func stateLen(r *tfprotov6.ReadDataSourceResponse) int {
	if r.State == nil {
		return 0
	}
	return len(r.State.MsgPack)
}

package provider

import (
	"context"
	"fmt"
	"sync"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// eventsTypeName is the data source's full type name.
const eventsTypeName = "clusterprotect_events"

// NewServer returns the provider's plugin protocol server: the framework's
// server, which answers every call (schemas, validation, provider
// configuration), except ReadDataSource of clusterprotect_events.
//
// That one call is answered here because of what the framework does after a
// data source's Read returns: it deep-copies the new state, compares the
// copy with it value by value, walks it again for collection blocks, and
// encodes it through terraform-plugin-go. For 10,000 events that is 240,000
// values handled four times over: more CPU than reading every page, and most
// of the provider's memory (BenchmarkReadDataSource runs both ways).
// The direct answer runs the same readEvents and writes the state's
// MessagePack straight from the events; TestServer_matchesFramework holds
// its answers to the framework's: the same diagnostics and the same state.
func NewServer(version string) func() (tfprotov6.ProviderServer, error) {
	return func() (tfprotov6.ProviderServer, error) {
		p := &clusterProtectProvider{version: version}
		fw, err := providerserver.NewProtocol6WithError(p)()
		if err != nil {
			return nil, err
		}
		return &protocolServer{ProviderServer: fw, provider: p}, nil
	}
}

type protocolServer struct {
	tfprotov6.ProviderServer // the framework's

	provider *clusterProtectProvider

	schemaOnce sync.Once
	schema     schema.Schema
}

func (s *protocolServer) eventsSchema(ctx context.Context) schema.Schema {
	s.schemaOnce.Do(func() {
		var resp datasource.SchemaResponse
		NewEventsDataSource().Schema(ctx, datasource.SchemaRequest{}, &resp)
		s.schema = resp.Schema
	})
	return s.schema
}

func (s *protocolServer) ReadDataSource(ctx context.Context, req *tfprotov6.ReadDataSourceRequest) (*tfprotov6.ReadDataSourceResponse, error) {
	if req.TypeName != eventsTypeName {
		return s.ProviderServer.ReadDataSource(ctx, req)
	}
	resp := &tfprotov6.ReadDataSourceResponse{}
	fail := func(summary, detail string) (*tfprotov6.ReadDataSourceResponse, error) {
		resp.Diagnostics = append(resp.Diagnostics, &tfprotov6.Diagnostic{
			Severity: tfprotov6.DiagnosticSeverityError, Summary: summary, Detail: detail,
		})
		return resp, nil
	}

	sch := s.eventsSchema(ctx)
	typ, ok := sch.Type().TerraformType(ctx).(tftypes.Object)
	if !ok {
		return fail("Unexpected schema type", fmt.Sprintf("The schema of %s is a %T, not an object. Please report this issue to the provider developers.", eventsTypeName, sch.Type().TerraformType(ctx)))
	}
	if req.Config == nil {
		return fail("Unable to read the configuration", "Terraform sent no configuration for "+eventsTypeName+". Please report this issue to the provider developers.")
	}
	raw, err := req.Config.Unmarshal(typ)
	if err != nil {
		return fail("Unable to read the configuration", err.Error()+". Please report this issue to the provider developers.")
	}

	r, diags := readEvents(ctx, s.provider.configured.Load(), tfsdk.Config{Raw: raw, Schema: sch})
	resp.Diagnostics = protoDiagnostics(ctx, diags)
	if diags.HasError() {
		return resp, nil
	}
	state, err := r.stateMsgPack(typ)
	if err != nil {
		return fail("Unable to encode the state", err.Error()+". Please report this issue to the provider developers.")
	}
	resp.State = &tfprotov6.DynamicValue{MsgPack: state}
	return resp, nil
}

// protoDiagnostics converts diagnostics as the framework does.
func protoDiagnostics(ctx context.Context, diags diag.Diagnostics) []*tfprotov6.Diagnostic {
	var out []*tfprotov6.Diagnostic
	for _, d := range diags {
		pd := &tfprotov6.Diagnostic{Summary: d.Summary(), Detail: d.Detail()}
		switch d.Severity() {
		case diag.SeverityError:
			pd.Severity = tfprotov6.DiagnosticSeverityError
		case diag.SeverityWarning:
			pd.Severity = tfprotov6.DiagnosticSeverityWarning
		}
		if wp, ok := d.(diag.DiagnosticWithPath); ok {
			ap, err := attributePath(ctx, wp.Path())
			if err != nil {
				pd.Detail += fmt.Sprintf("\n\nThe provider could not name the attribute (%s): %v.", wp.Path(), err)
			}
			pd.Attribute = ap
		}
		out = append(out, pd)
	}
	return out
}

// attributePath converts a framework path to the protocol's.
func attributePath(ctx context.Context, p path.Path) (*tftypes.AttributePath, error) {
	out := tftypes.NewAttributePath()
	for _, step := range p.Steps() {
		switch s := step.(type) {
		case path.PathStepAttributeName:
			out = out.WithAttributeName(string(s))
		case path.PathStepElementKeyInt:
			out = out.WithElementKeyInt(int(s))
		case path.PathStepElementKeyString:
			out = out.WithElementKeyString(string(s))
		case path.PathStepElementKeyValue:
			v, err := s.ToTerraformValue(ctx)
			if err != nil {
				return nil, err
			}
			out = out.WithElementKeyValue(v)
		default:
			return nil, fmt.Errorf("unknown path step %T", step)
		}
	}
	return out, nil
}

package provider

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/clusterprotect/terraform-provider-clusterprotect/internal/hss"
)

// A list data source of the HSS cluster-protect API, written once for any
// item type: its arguments (region, project_id, enterprise_project_id,
// strict, timeouts), the read of every page, complete/warnings/strict, the
// id, the error wording and the state. A data source is a listSpec: its
// item type, its words, its table of fields (data_list), its table of
// tallies (summary), its read, and what it adds of its own (the events'
// narrowing).

var (
	_ datasource.DataSource                   = (*listDataSource[hss.Cluster])(nil)
	_ datasource.DataSourceWithConfigure      = (*listDataSource[hss.Cluster])(nil)
	_ datasource.DataSourceWithValidateConfig = (*listDataSource[hss.Cluster])(nil)
)

// listSpec is one list data source.
type listSpec[T any] struct {
	name     string // the type name after the provider's, such as "events"
	noun     string // the items, plural: "events"
	singular string // "event"
	// words name the read in diagnostics.
	words readWords

	description  string // the data source's
	totalNumDesc string
	dataListDesc string
	summaryDesc  string
	// summaryTotalDesc describes summary.total.
	summaryTotalDesc string
	warningKinds     string // what warnings holds, after incompleteness
	// completeNote, when set, says what complete covers besides one query.
	completeNote string
	// attributes are the data source's own, besides the common ones.
	attributes map[string]schema.Attribute

	fields  []field[T] // data_list
	tallies []tally[T] // summary, after total
	read    func(context.Context, *hss.Client, hss.Filter) (*listResult[T], error)
	// narrowing reads the data source's own arguments: the cluster the
	// read asks the API for, and what it keeps of what it read; nil for
	// a data source without any (all items, no cluster filter).
	narrowing func(context.Context, tfsdk.Config) (clusterID string, n narrower[T], diags diag.Diagnostics)
	// validate checks the data source's own arguments together; nil for
	// none.
	validate func(context.Context, tfsdk.Config, *diag.Diagnostics)
	// state sets the data source's own computed attributes; nil for none.
	state func(out map[string]tftypes.Value, res *listResult[T])
}

// listResult is every item of a read, as the client read it.
type listResult[T any] = hss.Result[T]

// narrower is what a data source keeps of the items it read.
type narrower[T any] interface {
	// key is its part of the id.
	key() string
	// filter keeps the items that match, in order; limit cuts those to
	// what data_list shows.
	filter([]T) []T
	limit([]T) []T
	// warnings are likely mistakes in its arguments, seen in the items.
	warnings([]T) []readWarning
}

// everything keeps every item: the narrowing of a data source that has
// none.
type everything[T any] struct{}

func (everything[T]) key() string                { return "" }
func (everything[T]) filter(items []T) []T       { return items }
func (everything[T]) limit(items []T) []T        { return items }
func (everything[T]) warnings([]T) []readWarning { return nil }

type listDataSource[T any] struct {
	spec *listSpec[T]
	data *providerData
}

func (d *listDataSource[T]) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_" + d.spec.name
}

// defaultReadTimeout bounds a whole read unless timeouts.read says otherwise.
const defaultReadTimeout = 5 * time.Minute

func (d *listDataSource[T]) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	if req.ProviderData == nil {
		return // the provider is not configured yet
	}
	data, ok := req.ProviderData.(*providerData)
	if !ok {
		resp.Diagnostics.AddError("Unexpected provider data", fmt.Sprintf("Expected *providerData, got %T. Please report this issue to the provider developers.", req.ProviderData))
		return
	}
	d.data = data
}

func (d *listDataSource[T]) ValidateConfig(ctx context.Context, req datasource.ValidateConfigRequest, resp *datasource.ValidateConfigResponse) {
	if d.spec.validate != nil {
		d.spec.validate(ctx, req.Config, &resp.Diagnostics)
	}
}

// listModel is every attribute that every list data source has.
type listModel struct {
	ID                  types.String   `tfsdk:"id"`
	Region              types.String   `tfsdk:"region"`
	ProjectID           types.String   `tfsdk:"project_id"`
	EnterpriseProjectID types.String   `tfsdk:"enterprise_project_id"`
	Strict              types.Bool     `tfsdk:"strict"`
	Complete            types.Bool     `tfsdk:"complete"`
	ReadAt              types.String   `tfsdk:"read_at"`
	Warnings            types.List     `tfsdk:"warnings"`
	TotalNum            types.Int64    `tfsdk:"total_num"`
	DataList            types.List     `tfsdk:"data_list"`
	Summary             types.Object   `tfsdk:"summary"`
	Timeouts            timeouts.Value `tfsdk:"timeouts"`
}

// listArgsOf reads the arguments every list data source has; the
// computed attributes are left null.
func listArgsOf(ctx context.Context, config tfsdk.Config) (listModel, diag.Diagnostics) {
	var m listModel
	var diags diag.Diagnostics
	for name, to := range map[string]any{
		"region": &m.Region, "project_id": &m.ProjectID, "enterprise_project_id": &m.EnterpriseProjectID,
		"strict": &m.Strict, "timeouts": &m.Timeouts,
	} {
		diags.Append(config.GetAttribute(ctx, path.Root(name), to)...)
	}
	return m, diags
}

func (d *listDataSource[T]) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	if d.data == nil {
		resp.Diagnostics.AddError("Provider not configured", "The clusterprotect provider was not configured before the data source was read. Please report this issue to the provider developers.")
		return
	}
	ctx = d.data.secrets.mask(ctx)

	args, diags := listArgsOf(ctx, req.Config)
	resp.Diagnostics.Append(diags...)
	var (
		clusterID string
		narrow    narrower[T] = everything[T]{}
	)
	if d.spec.narrowing != nil {
		clusterID, narrow, diags = d.spec.narrowing(ctx, req.Config)
		resp.Diagnostics.Append(diags...)
	}
	if resp.Diagnostics.HasError() {
		return
	}
	q := d.queryOf(args, clusterID, &resp.Diagnostics)
	if q == nil {
		return
	}
	readTimeout, diags := args.Timeouts.Read(ctx, defaultReadTimeout)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	readAt := time.Now()
	result := d.fetch(ctx, q, readTimeout, &resp.Diagnostics)
	if result == nil {
		return
	}

	r := newListRead(d.spec, q, narrow, result)
	r.readAt = readAt
	reportWarnings(&resp.Diagnostics, args.Strict.ValueBool(), r.warnings)
	if resp.Diagnostics.HasError() {
		return
	}
	if err := req.Config.Raw.As(&r.config); err != nil {
		resp.Diagnostics.AddError("Unable to read the configuration", err.Error()+". Please report this issue to the provider developers.")
		return
	}
	resp.State.Raw = r.stateValue(resp.State.Schema.Type().TerraformType(ctx).(tftypes.Object))
}

// query is what a read asks the API for, and of which endpoint.
type query struct {
	region string // "" for an explicit endpoint and project
	filter hss.Filter
	client *hss.Client
}

// queryOf is the configuration's query, the provider's settings filling
// in what it leaves out; nil, with an error in diags, when it names no
// endpoint. The project may still be "", for fetch to resolve.
func (d *listDataSource[T]) queryOf(args listModel, clusterID string, diags *diag.Diagnostics) *query {
	region := cmp.Or(args.Region.ValueString(), d.data.region)
	projectID := cmp.Or(args.ProjectID.ValueString(), d.data.projectOf(region))
	if detail := d.data.missingRegion(region, projectID); detail != "" {
		diags.AddAttributeError(path.Root("region"), "Missing region", detail)
		return nil
	}
	filter := hss.Filter{
		ProjectID:           projectID,
		EnterpriseProjectID: cmp.Or(args.EnterpriseProjectID.ValueString(), d.data.enterpriseProjectID),
		ClusterID:           clusterID,
	}
	client, err := d.data.hssClient(region)
	if err != nil {
		diags.AddAttributeError(path.Root("region"), "Invalid HSS endpoint", err.Error()+". Check region and the provider's cloud and endpoints.hss.")
		return nil
	}
	return &query{region: region, filter: filter, client: client}
}

// fetch resolves the query's project where it has none and reads every
// page, all within readTimeout; nil, with an error in diags, when that
// failed.
func (d *listDataSource[T]) fetch(ctx context.Context, q *query, readTimeout time.Duration, diags *diag.Diagnostics) *listResult[T] {
	readCtx, cancel := context.WithTimeout(ctx, readTimeout)
	defer cancel()
	words := d.spec.words

	if q.filter.ProjectID == "" {
		var err error
		if q.filter.ProjectID, err = d.data.resolveProject(readCtx, q.region); err != nil {
			if !addTimeoutError(diags, ctx, readCtx, readTimeout, words, err) {
				addProjectError(diags, q.region, d.data.credentials, err)
			}
			return nil
		}
		tflog.Debug(ctx, "resolved the project through IAM", map[string]any{"region": q.region, "project_id": q.filter.ProjectID})
	}

	result, err := d.spec.read(readCtx, q.client, q.filter)
	if err != nil {
		if !addTimeoutError(diags, ctx, readCtx, readTimeout, words, err) {
			addReadError(diags, d.data.credentials, q.filter, words, err)
		}
		return nil
	}
	tflog.Debug(ctx, words.step, map[string]any{
		d.spec.noun: len(result.Items), "total_num": result.TotalNum, "requests": result.Requests, "consistent": result.Consistent,
	})
	return result
}

// listRead is what one read found: everything the state is made of.
type listRead[T any] struct {
	spec   *listSpec[T]
	config map[string]tftypes.Value // the arguments as configured
	region string
	filter hss.Filter
	narrow narrower[T]
	result *listResult[T]
	items  []T // result.Items after narrowing and its limit
	// matched are the items that match the narrowing, before its limit:
	// what summary counts.
	matched []T
	// complete is false where the read may lack items: cut at the API's
	// cap, or no consistent snapshot.
	complete bool
	warnings []readWarning
	readAt   time.Time // when the read began, for read_at
}

func newListRead[T any](spec *listSpec[T], q *query, narrow narrower[T], result *listResult[T]) *listRead[T] {
	matched := narrow.filter(result.Items)
	var warnings []readWarning
	for _, w := range result.Warnings {
		warnings = append(warnings, readWarning{summary: strings.ToUpper(spec.words.title[:1]) + spec.words.title[1:] + " may be incomplete", detail: w})
	}
	return &listRead[T]{spec: spec, region: q.region, filter: q.filter, narrow: narrow, result: result,
		items: narrow.limit(matched), matched: matched,
		complete: result.Complete,
		warnings: append(warnings, narrow.warnings(result.Items)...)}
}

// readWarning is what the read could not know, or likely got wrong: a
// diagnostic in the plan and an entry of the warnings attribute.
type readWarning struct {
	attribute       string // "" for the data source as a whole
	summary, detail string
}

func (w readWarning) String() string { return w.summary + ": " + w.detail }

// reportWarnings adds each warning to the diagnostics: as an error where
// strict asks for it.
func reportWarnings(diags *diag.Diagnostics, strict bool, warnings []readWarning) {
	for _, w := range warnings {
		switch {
		case strict && w.attribute != "":
			diags.AddAttributeError(path.Root(w.attribute), w.summary, w.detail+strictNote)
		case strict:
			diags.AddError(w.summary, w.detail+strictNote)
		case w.attribute != "":
			diags.AddAttributeWarning(path.Root(w.attribute), w.summary, w.detail)
		default:
			diags.AddWarning(w.summary, w.detail)
		}
	}
}

const strictNote = "\n\nThis is an error because strict = true; with strict = false the read passes and this message is in the data source's warnings, with complete = false where items may be missing."

// queryID is a stable identifier of the query: the same region, project,
// enterprise project, cluster and narrowing key give the same id.
func queryID(region string, f hss.Filter, key string) string {
	sum := sha256.Sum256([]byte(strings.Join([]string{region, f.ProjectID, f.EnterpriseProjectID, f.ClusterID, key}, "\x00")))
	return hex.EncodeToString(sum[:8])
}

// stateValue is the whole state of the data source after a read: the
// configuration's arguments as given, the resolved project and enterprise
// project, and the computed attributes.
func (r *listRead[T]) stateValue(typ tftypes.Object) tftypes.Value {
	out := make(map[string]tftypes.Value, len(typ.AttributeTypes))
	for k, v := range r.config {
		out[k] = v
	}
	id := queryID(r.region, r.filter, r.narrow.key())
	var eps *string
	if r.filter.EnterpriseProjectID != "" {
		eps = &r.filter.EnterpriseProjectID
	}
	out["id"] = tfString(&id)
	out["region"] = tfString(nil) // no region: an explicit endpoint and project
	if r.region != "" {
		out["region"] = tfString(&r.region)
	}
	out["project_id"] = tfString(&r.filter.ProjectID)
	out["enterprise_project_id"] = tfString(eps)
	out["total_num"] = tfInt64(&r.result.TotalNum)
	out["complete"] = tftypes.NewValue(tftypes.Bool, r.complete)
	readAt := r.readAt.UTC().Format(time.RFC3339Nano)
	out["read_at"] = tfString(&readAt)
	warnings := make([]tftypes.Value, len(r.warnings))
	for i, w := range r.warnings {
		warnings[i] = tftypes.NewValue(tftypes.String, w.String())
	}
	out["warnings"] = tftypes.NewValue(typ.AttributeTypes["warnings"], warnings)
	out["summary"] = summaryValue(typ.AttributeTypes["summary"].(tftypes.Object), r.spec.tallies, r.matched)
	out["data_list"] = listValue(typ.AttributeTypes["data_list"].(tftypes.List), r.spec.fields, r.items)
	if r.spec.state != nil {
		r.spec.state(out, r.result)
	}
	return tftypes.NewValue(typ, out)
}

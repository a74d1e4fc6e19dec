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
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/clusterprotect/terraform-provider-clusterprotect/internal/hss"
)

var (
	_ datasource.DataSource                   = (*eventsDataSource)(nil)
	_ datasource.DataSourceWithConfigure      = (*eventsDataSource)(nil)
	_ datasource.DataSourceWithValidateConfig = (*eventsDataSource)(nil)
)

var objectAsOptions = basetypes.ObjectAsOptions{}

// NewEventsDataSource is the clusterprotect_events data source.
func NewEventsDataSource() datasource.DataSource { return &eventsDataSource{} }

type eventsDataSource struct {
	data *providerData
}

type eventsModel struct {
	ID                  types.String   `tfsdk:"id"`
	Region              types.String   `tfsdk:"region"`
	ProjectID           types.String   `tfsdk:"project_id"`
	EnterpriseProjectID types.String   `tfsdk:"enterprise_project_id"`
	ClusterID           types.String   `tfsdk:"cluster_id"`
	HandleStatus        types.String   `tfsdk:"handle_status"`
	Actions             types.Set      `tfsdk:"actions"`
	EventTypes          types.Set      `tfsdk:"event_types"`
	CreatedAfter        types.String   `tfsdk:"created_after"`
	CreatedBefore       types.String   `tfsdk:"created_before"`
	MaxResults          types.Int64    `tfsdk:"max_results"`
	Strict              types.Bool     `tfsdk:"strict"`
	Complete            types.Bool     `tfsdk:"complete"`
	ReadAt              types.String   `tfsdk:"read_at"`
	Warnings            types.List     `tfsdk:"warnings"`
	TotalNum            types.Int64    `tfsdk:"total_num"`
	LastUpdateTime      types.Int64    `tfsdk:"last_update_time"`
	DataList            types.List     `tfsdk:"data_list"`
	Summary             types.Object   `tfsdk:"summary"`
	Timeouts            timeouts.Value `tfsdk:"timeouts"`
}

func (d *eventsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_events"
}

// defaultReadTimeout bounds a whole read unless timeouts.read says otherwise.
const defaultReadTimeout = 5 * time.Minute

func (d *eventsDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
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

func (d *eventsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	if d.data == nil {
		resp.Diagnostics.AddError("Provider not configured", "The clusterprotect provider was not configured before the data source was read. Please report this issue to the provider developers.")
		return
	}
	ctx = d.data.secrets.mask(ctx)

	var config eventsModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() {
		return
	}
	q := d.queryOf(config, &resp.Diagnostics)
	if q == nil {
		return
	}
	narrow, diags := narrowingFrom(ctx, config)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	readTimeout, diags := config.Timeouts.Read(ctx, defaultReadTimeout)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	readAt := time.Now()
	result := d.fetch(ctx, q, readTimeout, &resp.Diagnostics)
	if result == nil {
		return
	}

	r := newEventsRead(q, narrow, result)
	r.readAt = readAt
	reportWarnings(&resp.Diagnostics, config.Strict.ValueBool(), r.warnings)
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
func (d *eventsDataSource) queryOf(config eventsModel, diags *diag.Diagnostics) *query {
	region := cmp.Or(config.Region.ValueString(), d.data.region)
	projectID := cmp.Or(config.ProjectID.ValueString(), d.data.projectOf(region))
	if detail := d.data.missingRegion(region, projectID); detail != "" {
		diags.AddAttributeError(path.Root("region"), "Missing region", detail)
		return nil
	}
	filter := hss.Filter{
		ProjectID:           projectID,
		EnterpriseProjectID: cmp.Or(config.EnterpriseProjectID.ValueString(), d.data.enterpriseProjectID),
		ClusterID:           config.ClusterID.ValueString(),
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
func (d *eventsDataSource) fetch(ctx context.Context, q *query, readTimeout time.Duration, diags *diag.Diagnostics) *hss.ReadResult {
	readCtx, cancel := context.WithTimeout(ctx, readTimeout)
	defer cancel()

	if q.filter.ProjectID == "" {
		var err error
		if q.filter.ProjectID, err = d.data.resolveProject(readCtx, q.region); err != nil {
			if !addTimeoutError(diags, ctx, readCtx, readTimeout, err) {
				addProjectError(diags, q.region, d.data.credentials, err)
			}
			return nil
		}
		tflog.Debug(ctx, "resolved the project through IAM", map[string]any{"region": q.region, "project_id": q.filter.ProjectID})
	}

	result, err := q.client.ReadEvents(readCtx, q.filter)
	if err != nil {
		if !addTimeoutError(diags, ctx, readCtx, readTimeout, err) {
			addReadError(diags, d.data.credentials, q.filter, err)
		}
		return nil
	}
	tflog.Debug(ctx, "read cluster protection events", map[string]any{
		"events": len(result.Events), "total_num": result.TotalNum, "requests": result.Requests, "consistent": result.Consistent,
	})
	return result
}

// newEventsRead narrows what the query read; config is left to the caller.
func newEventsRead(q *query, narrow narrowing, result *hss.ReadResult) *eventsRead {
	matched := narrow.filter(result.Events)
	return &eventsRead{region: q.region, filter: q.filter, narrow: narrow, result: result, events: narrow.limit(matched), summary: summarize(matched),
		complete: result.Complete, warnings: readWarnings(result, narrow)}
}

// eventsRead is what one read found: everything the state is made of.
type eventsRead struct {
	config  map[string]tftypes.Value // the arguments as configured
	region  string
	filter  hss.Filter
	narrow  narrowing
	result  *hss.ReadResult
	events  []hss.ClusterEvent // result.Events after narrowing and max_results
	summary summary            // of the events that match, before max_results
	// complete is false where the read may lack events: cut at the API's
	// cap, or no consistent snapshot.
	complete bool
	warnings []readWarning
	readAt   time.Time // when the read began, for read_at
}

// readWarning is what the read could not know, or likely got wrong: a
// diagnostic in the plan and an entry of the warnings attribute.
type readWarning struct {
	attribute       string // "" for the data source as a whole
	summary, detail string
}

func (w readWarning) String() string { return w.summary + ": " + w.detail }

// readWarnings are the warnings of a read, in a fixed order: the client's
// (incompleteness), then likely typos in the filters, such as actions.
func readWarnings(result *hss.ReadResult, n narrowing) []readWarning {
	var out []readWarning
	for _, w := range result.Warnings {
		out = append(out, readWarning{summary: "Cluster protection events may be incomplete", detail: w})
	}
	for _, p := range n.predicates {
		if p.typos == nil {
			continue
		}
		for _, typo := range p.typos(result.Events) {
			out = append(out, readWarning{attribute: p.attribute, summary: "No event matches " + p.attribute, detail: typo})
		}
	}
	return out
}

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

const strictNote = "\n\nThis is an error because strict = true; with strict = false the read passes and this message is in the data source's warnings, with complete = false where events may be missing."

// epochMillis is the first whole millisecond at or after t, for comparing
// with the API's create_time; nil when t is null.
func epochMillis(t types.String, diags *diag.Diagnostics) *int64 {
	if t.IsNull() || t.IsUnknown() {
		return nil
	}
	v, err := parseTime(t.ValueString())
	if err != nil { // the schema's validator refused it already
		diags.AddError("Invalid time", err.Error())
		return nil
	}
	ms := v.UnixMilli()
	if v.After(time.UnixMilli(ms)) {
		ms++
	}
	return &ms
}

// queryID is a stable identifier of the query.
func queryID(region string, f hss.Filter, n narrowing) string {
	sum := sha256.Sum256([]byte(strings.Join([]string{region, f.ProjectID, f.EnterpriseProjectID, f.ClusterID, n.key()}, "\x00")))
	return hex.EncodeToString(sum[:8])
}

package provider

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
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
	"github.com/clusterprotect/terraform-provider-clusterprotect/internal/hwcloud"
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
	result := d.fetch(ctx, q, readTimeout, &resp.Diagnostics)
	if result == nil {
		return
	}

	r := newEventsRead(q, narrow, result)
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

	result, err := q.client.ReadAllClusterEvents(readCtx, q.filter)
	if err != nil {
		if !addTimeoutError(diags, ctx, readCtx, readTimeout, err) {
			addReadError(diags, d.data.credentials, err)
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
		complete: result.Consistent && result.TotalNum < hss.MaxTotalNum, warnings: readWarnings(result, narrow)}
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

// credentialsHint says what to do when the credential chain's exchange
// failed; "" when err is not that.
func credentialsHint(err error) string {
	var ce *hwcloud.CredentialsError
	if !errors.As(err, &ce) {
		return ""
	}
	return "The provider could not get its temporary credentials (the step is named above). Check assume_role " +
		"(the agency exists and trusts the account whose keys assume it), assume_role_with_oidc (the identity provider " +
		"accepts the id token and its issuer), or the ECS agency; the credentials assuming an agency need IAM permission to do so."
}

// addTimeoutError reports a read that ran out of its timeouts.read (readCtx
// expired, ctx did not), and reports whether it was that.
func addTimeoutError(diags *diag.Diagnostics, ctx, readCtx context.Context, readTimeout time.Duration, err error) bool {
	if !errors.Is(readCtx.Err(), context.DeadlineExceeded) || ctx.Err() != nil {
		return false
	}
	diags.AddAttributeError(path.Root("timeouts"), "Timed out reading cluster protection events",
		fmt.Sprintf("The read did not finish within %s (timeouts.read, default %s): %v. Raise timeouts.read, or narrow the query with cluster_id or enterprise_project_id.", readTimeout, defaultReadTimeout, err))
	return true
}

// usedCredentials names the credentials that were used, for an answer that
// refused them (401) or what they may do (403); "" for any other error.
func usedCredentials(credentials string, err error) string {
	var apiErr *hwcloud.APIError
	if credentials == "" || !errors.As(err, &apiErr) || (apiErr.StatusCode != http.StatusUnauthorized && apiErr.StatusCode != http.StatusForbidden) {
		return ""
	}
	return "\n\nThe credentials used: " + credentials + "."
}

// missingRegion says why a read without a region has no address or no
// project; "" when it has both.
func (d *providerData) missingRegion(region, projectID string) string {
	templated := hwcloud.IsTemplate(d.hssEndpoint)
	if region != "" || d.hssEndpoint != "" && !templated && projectID != "" {
		return ""
	}
	detail := "Set region on this data source or on the provider (or " + envRegion + "), such as ap-southeast-1: it names the HSS endpoint and the project, which the provider finds through IAM. " +
		"Without a region, set both endpoints.hss (or " + envHSSEndpoint + ") and project_id (or " + envProjectID + ")."
	if templated {
		detail = "endpoints.hss holds " + hwcloud.RegionPlaceholder + ", which stands for the read's region: " + detail
	}
	return detail
}

// addProjectError reports a project that could not be resolved.
func addProjectError(diags *diag.Diagnostics, region, credentials string, err error) {
	if hint := credentialsHint(err); hint != "" {
		diags.AddError("Unable to get credentials", err.Error()+"\n\n"+hint+usedCredentials(credentials, err))
		return
	}
	var pe *projectError
	if errors.As(err, &pe) {
		diags.AddAttributeError(path.Root("project_id"), pe.summary, pe.detail)
		return
	}
	diags.AddAttributeError(path.Root("project_id"), "Unable to resolve the project of region "+region, err.Error()+"\n\n"+projectHint(err)+usedCredentials(credentials, err))
}

// addReadError turns a client error into a diagnostic that says what
// happened and what to do, on the attribute it concerns where there is one.
func addReadError(diags *diag.Diagnostics, credentials string, err error) {
	const summary = "Unable to read cluster protection events"
	if hint := credentialsHint(err); hint != "" {
		diags.AddError("Unable to get credentials", err.Error()+"\n\n"+hint+usedCredentials(credentials, err))
		return
	}
	var apiErr *hwcloud.APIError
	if !errors.As(err, &apiErr) {
		hint := "Check that the HSS endpoint is reachable (endpoints.hss, region, cloud, and HTTPS_PROXY/NO_PROXY), then run terraform again."
		switch {
		case errors.Is(err, hwcloud.ErrNoAnswer):
			hint = "The endpoint accepted connections but did not answer in time, twice: it is slow or stuck. Try again later; " +
				"raise request_timeout (" + envRequestTimeout + ") only for an endpoint known to be that slow."
		case errors.Is(err, hss.ErrListMoved):
			hint = "No list is returned rather than one that may lack events, so checks and policies built on this data source fail closed. " +
				"Run terraform again; narrowing the query with cluster_id or enterprise_project_id reads a list that moves less."
		case hwcloud.IsConnectError(err):
			hint = "Could not connect to the HSS endpoint: check endpoints.hss (or " + envHSSEndpoint + "), region and cloud, DNS, and HTTPS_PROXY/NO_PROXY."
		}
		if hwcloud.IsCertificateError(err) {
			hint = "The endpoint's TLS certificate is not trusted: for a private CA set cacert_file (" + envCACertFile + "); insecure skips verification, for testing only."
		}
		diags.AddError(summary, err.Error()+"\n\n"+hint)
		return
	}
	detail := err.Error() + "\n\n" + apiErr.Hint() + usedCredentials(credentials, err)
	switch apiErr.StatusCode {
	case http.StatusNotFound:
		diags.AddAttributeError(path.Root("project_id"), summary, detail)
	case http.StatusBadRequest:
		for _, name := range []string{"cluster_id", "enterprise_project_id", "project_id"} {
			if strings.Contains(apiErr.Message, name) {
				diags.AddAttributeError(path.Root(name), summary, detail)
				return
			}
		}
		diags.AddError(summary, detail)
	default:
		diags.AddError(summary, detail)
	}
}

// queryID is a stable identifier of the query.
func queryID(region string, f hss.Filter, n narrowing) string {
	sum := sha256.Sum256([]byte(strings.Join([]string{region, f.ProjectID, f.EnterpriseProjectID, f.ClusterID, n.key()}, "\x00")))
	return hex.EncodeToString(sum[:8])
}

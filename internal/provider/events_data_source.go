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
	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
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

func computedString(desc string) schema.StringAttribute {
	return schema.StringAttribute{Computed: true, MarkdownDescription: desc}
}

func computedInt64(desc string) schema.Int64Attribute {
	return schema.Int64Attribute{Computed: true, MarkdownDescription: desc}
}

// defaultReadTimeout bounds a whole read unless timeouts.read says otherwise.
const defaultReadTimeout = 5 * time.Minute

func (d *eventsDataSource) Schema(ctx context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	idLength := []validator.String{stringvalidator.LengthBetween(1, hss.MaxIDLength)}
	eventObject := schema.NestedAttributeObject{Attributes: attributes(eventFields)}
	resp.Schema = schema.Schema{
		Blocks: map[string]schema.Block{"timeouts": timeouts.Block(ctx)},
		MarkdownDescription: "Alarm events of HSS container-cluster protection in every cluster of a project " +
			"(`GET /v5/{project_id}/cluster-protect/events`). Every page is read on every refresh, so the list is " +
			"current: a read costs about one request per 200 events the API reports (at least one; 53 at its 10,000 cap, as pages overlap to line up a list that moves), whatever the narrowing and `max_results`. " +
			"The API itself returns at most the newest 10,000 events of a query; `complete` and `warnings` say when a read may lack events.",
		Attributes: map[string]schema.Attribute{
			"id": computedString("Identifier derived from the query arguments and the region: the same query always has the same `id`."),
			"region": schema.StringAttribute{
				Optional: true, Computed: true, Validators: []validator.String{regionName, knownRegion},
				MarkdownDescription: "Region to read, such as `ap-southeast-1`. Defaults to the provider's `region`. The HSS endpoint is `https://hss.{region}.{cloud}` unless the provider sets `endpoints.hss` (where `{region}` stands for this region), and the project is that region's unless `project_id` is set." + regionNote,
			},
			"project_id": schema.StringAttribute{
				Optional: true, Computed: true, Validators: idLength,
				MarkdownDescription: "Project whose events are read, 1 to 256 characters. Defaults to the provider's `project_id` when `region` is the provider's, else to the region's project, found through IAM.",
			},
			"enterprise_project_id": schema.StringAttribute{
				Optional: true, Computed: true, Validators: idLength,
				MarkdownDescription: "Enterprise project to read, 1 to 256 characters; `all_granted_eps` reads every enterprise project the credentials may see. Defaults to the provider's `enterprise_project_id`; when neither is set the API's default enterprise project `0` applies. Only meaningful once the enterprise project function is enabled.",
			},
			"cluster_id": schema.StringAttribute{
				Optional: true, Validators: idLength,
				MarkdownDescription: "Read only the events of this cluster, 1 to 256 characters. Unset reads all clusters.",
			},
			"handle_status": schema.StringAttribute{
				Optional: true, Validators: []validator.String{stringvalidator.OneOf("unhandled", "handled")},
				MarkdownDescription: "Keep only events with this handling status: `unhandled` or `handled`." + narrowNote,
			},
			"actions": schema.SetAttribute{
				Optional: true, ElementType: types.StringType,
				Validators: []validator.Set{
					setvalidator.SizeAtLeast(1),
					setvalidator.ValueStringsAre(stringvalidator.LengthBetween(1, 32)),
				},
				MarkdownDescription: "Keep only events whose blocking `action` is one of these, such as `[\"deny\"]`, compared without regard to case; each 1 to 32 characters. " +
					"A value that no event has but that is within two edits of one that some event has is likely a typo: the read warns and names the values seen." + narrowNote,
			},
			"event_types": schema.SetAttribute{
				Optional: true, ElementType: types.Int64Type,
				Validators: []validator.Set{
					setvalidator.SizeAtLeast(1),
					setvalidator.ValueInt64sAre(int64validator.Between(1000, 30000)),
				},
				MarkdownDescription: "Keep only events whose `event_type` is one of these, each 1,000 to 30,000." + narrowNote,
			},
			"created_after": schema.StringAttribute{
				Optional: true, Validators: []validator.String{rfc3339Time},
				MarkdownDescription: "Keep only events created at or after this time, an RFC 3339 timestamp: a date, `T`, a time and a zone, such as `2026-11-24T08:00:00Z` or `2026-11-24T16:00:00+08:00`. " +
					"For the last 24 hours write `timeadd(plantimestamp(), \"-24h\")`: `plantimestamp()` is known at plan time, `timestamp()` is not. " +
					"There is no relative argument (such as a duration before the read) on purpose: the window would move with each read while the configuration, " +
					"the `id` and the plan JSON stayed the same, so a policy could not tell which window was read; `plantimestamp()` puts the instant in the plan. " +
					"Event times are whole milliseconds; a timestamp inside a millisecond keeps events from the next one." + narrowNote,
			},
			"created_before": schema.StringAttribute{
				Optional: true, Validators: []validator.String{rfc3339Time},
				MarkdownDescription: "Keep only events created before this time, an RFC 3339 timestamp as in `created_after`; must be later than `created_after`." + narrowNote,
			},
			"max_results": schema.Int64Attribute{
				Optional: true, Validators: []validator.Int64{int64validator.Between(1, hss.MaxTotalNum)},
				MarkdownDescription: "Keep only the newest N events in `data_list`, 1 to 10,000, after the other narrowing. It shrinks the state and the plan, not the read: every page is still read, so that `summary` counts every matching event.",
			},
			"strict": schema.BoolAttribute{
				Optional: true,
				MarkdownDescription: "When `true`, each warning of the read (each entry `warnings` would hold: a read cut at the API's 10,000 cap, a read that stayed inconsistent, a likely typo in `actions`) is an error instead, so the plan itself stops. " +
					"Defaults to `false`: the read passes, and `complete` and `warnings` say what it could not know. Inside a `check` block Terraform turns the error back into a warning.",
			},
			"complete": schema.BoolAttribute{
				Computed: true,
				MarkdownDescription: "Whether the read saw every event of the query: `false` when the API reported its maximum `total_num` of 10,000 (older events may be left out) " +
					"or when the events changed under every attempt to read a consistent snapshot. A gate should fail when it is `false`.",
			},
			"warnings": schema.ListAttribute{
				Computed: true, ElementType: types.StringType,
				MarkdownDescription: "The warnings of the read, as the plan shows them (summary, then detail): incompleteness, and a value of `actions` that matches no event but is within two edits of one seen (a likely typo). " +
					"An empty list when there are none, so a policy can fail on `length(warnings) > 0`.",
			},
			"total_num":        computedInt64("Total number of events the API reports for the query, 0 to 10,000. Narrowing does not change it: it counts what the API holds, not what `data_list` keeps."),
			"last_update_time": computedInt64("Latest update time the API reports, in milliseconds since the Unix epoch; null when the API leaves it out." + exactInt64),
			"data_list": schema.ListNestedAttribute{
				Computed:            true,
				MarkdownDescription: "The events, in the API's order (newest first). An empty list when there are none. A field the API leaves out is null; an empty string stays empty.",
				NestedObject:        eventObject,
			},
			"summary": schema.SingleNestedAttribute{
				Computed: true,
				MarkdownDescription: "Counts over every event that matches the narrowing, before `max_results` cuts `data_list`: " +
					"`summary.total` is how many matched, `length(data_list)` how many are shown. Small enough to print in a plan or test in a `check` block, " +
					"such as `lookup(summary.by_action, \"deny\", 0)`. A key is missing where no event has that value; events without the field are not counted in that map. " +
					"The maps are never null, whatever `max_results` says.",
				Attributes: map[string]schema.Attribute{
					"total":            computedInt64("Number of events that match the narrowing, before `max_results`."),
					"by_action":        schema.MapAttribute{Computed: true, ElementType: types.Int64Type, MarkdownDescription: "Events by blocking `action`."},
					"by_handle_status": schema.MapAttribute{Computed: true, ElementType: types.Int64Type, MarkdownDescription: "Events by `handle_status`."},
					"by_cluster_id":    schema.MapAttribute{Computed: true, ElementType: types.Int64Type, MarkdownDescription: "Events by `cluster_id`."},
					"by_cluster_name":  schema.MapAttribute{Computed: true, ElementType: types.Int64Type, MarkdownDescription: "Events by `cluster_name`."},
					"by_policy_name":   schema.MapAttribute{Computed: true, ElementType: types.Int64Type, MarkdownDescription: "Events by `policy_name`."},
				},
			},
		},
	}
}

const narrowNote = " Applied by the provider after every page is read."

func (d *eventsDataSource) ValidateConfig(ctx context.Context, req datasource.ValidateConfigRequest, resp *datasource.ValidateConfigResponse) {
	var after, before types.String
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("created_after"), &after)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("created_before"), &before)...)
	if after.IsNull() || after.IsUnknown() || before.IsNull() || before.IsUnknown() {
		return
	}
	a, errA := parseTime(after.ValueString())
	b, errB := parseTime(before.ValueString())
	if errA != nil || errB != nil {
		return // the attributes' validator says why
	}
	if !b.After(a) {
		resp.Diagnostics.AddAttributeError(path.Root("created_before"), "Empty time window",
			fmt.Sprintf("created_before (%s) must be later than created_after (%s): events are kept when created_after <= create_time < created_before.", before.ValueString(), after.ValueString()))
	}
}

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
	region := cmp.Or(config.Region.ValueString(), d.data.region)
	projectID := cmp.Or(config.ProjectID.ValueString(), d.data.projectOf(region))
	if detail := d.data.missingRegion(region, projectID); detail != "" {
		resp.Diagnostics.AddAttributeError(path.Root("region"), "Missing region", detail)
		return
	}
	filter := hss.Filter{
		ProjectID:           projectID,
		EnterpriseProjectID: cmp.Or(config.EnterpriseProjectID.ValueString(), d.data.enterpriseProjectID),
		ClusterID:           config.ClusterID.ValueString(),
	}
	client, err := d.data.hssClient(region)
	if err != nil {
		resp.Diagnostics.AddAttributeError(path.Root("region"), "Invalid HSS endpoint", err.Error()+". Check region and the provider's cloud and endpoints.hss.")
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
	readCtx, cancel := context.WithTimeout(ctx, readTimeout)
	defer cancel()

	if filter.ProjectID == "" {
		if filter.ProjectID, err = d.data.resolveProject(readCtx, region); err != nil {
			if !addTimeoutError(&resp.Diagnostics, ctx, readCtx, readTimeout, err) {
				addProjectError(&resp.Diagnostics, region, d.data.credentials, err)
			}
			return
		}
		tflog.Debug(ctx, "resolved the project through IAM", map[string]any{"region": region, "project_id": filter.ProjectID})
	}

	result, err := client.ReadAllClusterEvents(readCtx, filter)
	if err != nil {
		if !addTimeoutError(&resp.Diagnostics, ctx, readCtx, readTimeout, err) {
			addReadError(&resp.Diagnostics, d.data.credentials, err)
		}
		return
	}
	tflog.Debug(ctx, "read cluster protection events", map[string]any{
		"events": len(result.Events), "total_num": result.TotalNum, "requests": result.Requests, "consistent": result.Consistent,
	})

	matched := narrow.filter(result.Events)
	r := &eventsRead{region: region, filter: filter, narrow: narrow, result: result, events: narrow.limit(matched), summary: summarize(matched),
		complete: result.Consistent && result.TotalNum < hss.MaxTotalNum, warnings: readWarnings(result, narrow)}
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

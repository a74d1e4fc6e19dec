package provider

import (
	"context"
	"maps"
	"math/big"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/clusterprotect/terraform-provider-clusterprotect/internal/hss"
)

// The schema every list data source shares: its arguments and computed
// attributes, worded for its items; data_list from its table of fields,
// summary from its table of tallies; then its own attributes.

func (d *listDataSource[T]) Schema(ctx context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	s, noun := d.spec, d.spec.noun
	attrs := map[string]schema.Attribute{
		"id": computedString("Identifier derived from the query arguments and the region: the same query always has the same `id`."),
		"region": schema.StringAttribute{
			Optional: true, Computed: true, Validators: []validator.String{regionName, knownRegion},
			MarkdownDescription: "Region to read, such as `ap-southeast-1`. Defaults to the provider's `region`. The HSS endpoint is `https://hss.{region}.{cloud}` unless the provider sets `endpoints.hss` (where `{region}` stands for this region), and the project is that region's unless `project_id` is set." + regionNote,
		},
		"project_id": schema.StringAttribute{
			Optional: true, Computed: true, Validators: []validator.String{stringvalidator.LengthBetween(1, hss.MaxIDLength)},
			MarkdownDescription: "Project whose " + noun + " are read, 1 to 256 characters. Defaults to the provider's `project_id` when `region` is the provider's, else to the region's project, found through IAM.",
		},
		"enterprise_project_id": schema.StringAttribute{
			Optional: true, Computed: true, Validators: []validator.String{enterpriseProject},
			MarkdownDescription: "Enterprise project to read: `0` (the default enterprise project) or its ID, a hyphenated UUID such as `2b6d6a3c-8f3e-4a39-9c1e-5d0f4e7a1b23` (hex digits in lower case); `all_granted_eps` reads every enterprise project the credentials may see. " +
				"Any other value is refused before a request is sent, with the value it likely means for a near miss (`all-granted-eps`, `O`): the API would answer an empty list for it. Defaults to the provider's `enterprise_project_id`; when neither is set the API's default enterprise project `0` applies. Only meaningful once the enterprise project function is enabled.",
		},
		"strict": schema.BoolAttribute{
			Optional: true,
			MarkdownDescription: "When `true`, each warning of the read (each entry `warnings` would hold: a read cut at the API's 10,000 cap, a read that stayed inconsistent" + s.warningKinds + ") is an error instead, so the plan itself stops. " +
				"Defaults to `false`: the read passes, and `complete` and `warnings` say what it could not know. Inside a `check` block Terraform turns the error back into a warning.",
		},
		"complete": schema.BoolAttribute{
			Computed: true,
			MarkdownDescription: "Whether the read saw every " + s.singular + " of the query: `false` when the API reported its maximum `total_num` of 10,000 (others may be left out) " +
				"or when the " + noun + " changed under every attempt to read a consistent snapshot." + s.completeNote + " A gate should fail when it is `false`.",
		},
		"read_at": computedString("When this read began, an RFC 3339 timestamp in UTC (nanoseconds), set by every read: the " + noun + " are the list as it stood at or after this instant. " +
			"A read that happened in a plan is never older than the plan's `timestamp` in its plan JSON; an older `read_at` is state from an earlier run, such as a plan with `-target` of something else, which reads no data source. The bundled OPA policy denies such a plan."),
		"warnings": schema.ListAttribute{
			Computed: true, ElementType: types.StringType,
			MarkdownDescription: "The warnings of the read, as the plan shows them (summary, then detail): incompleteness" + s.warningKinds + ". " +
				"An empty list when there are none, so a policy can fail on `length(warnings) > 0`.",
		},
		"total_num": computedInt64(s.totalNumDesc),
		"data_list": listAttribute(s.dataListDesc, s.fields),
		"summary":   summaryAttribute(s.summaryDesc, s.summaryTotalDesc, s.tallies),
	}
	maps.Copy(attrs, s.attributes)
	resp.Schema = schema.Schema{
		Blocks:              map[string]schema.Block{"timeouts": timeouts.Block(ctx)},
		MarkdownDescription: s.description,
		Attributes:          attrs,
	}
}

func computedString(desc string) schema.StringAttribute {
	return schema.StringAttribute{Computed: true, MarkdownDescription: desc}
}

func computedInt64(desc string) schema.Int64Attribute {
	return schema.Int64Attribute{Computed: true, MarkdownDescription: desc}
}

// tally is one attribute of summary, counted over the items that match
// the narrowing: a number of items (count), or a map of counts by a
// field's value (by), where an item without the field is not counted.
type tally[T any] struct {
	name, desc string
	count      func(*T) bool
	by         func(*T) *string
}

func countTally[T any](name, desc string, count func(*T) bool) tally[T] {
	return tally[T]{name: name, desc: desc, count: count}
}

func mapTally[T any](name, desc string, by func(*T) *string) tally[T] {
	return tally[T]{name: name, desc: desc, by: by}
}

// summaryAttribute is summary: total, then the tallies.
func summaryAttribute[T any](desc, totalDesc string, tallies []tally[T]) schema.SingleNestedAttribute {
	attrs := map[string]schema.Attribute{"total": computedInt64(totalDesc)}
	for _, t := range tallies {
		if t.by != nil {
			attrs[t.name] = schema.MapAttribute{Computed: true, ElementType: types.Int64Type, MarkdownDescription: t.desc}
		} else {
			attrs[t.name] = computedInt64(t.desc)
		}
	}
	return schema.SingleNestedAttribute{Computed: true, MarkdownDescription: desc, Attributes: attrs}
}

// summaryValue counts items by the tallies. The maps are never null.
func summaryValue[T any](typ tftypes.Object, tallies []tally[T], items []T) tftypes.Value {
	counts := make([]int64, len(tallies))
	byValue := make([]map[string]int64, len(tallies))
	for i := range tallies {
		byValue[i] = map[string]int64{}
	}
	for j := range items {
		for i, t := range tallies {
			switch {
			case t.by != nil:
				if v := t.by(&items[j]); v != nil {
					byValue[i][*v]++
				}
			case t.count(&items[j]):
				counts[i]++
			}
		}
	}
	total := int64(len(items))
	out := map[string]tftypes.Value{"total": tfInt64(&total)}
	for i, t := range tallies {
		if t.by != nil {
			out[t.name] = countsValue(typ.AttributeTypes[t.name], byValue[i])
		} else {
			out[t.name] = tfInt64(&counts[i])
		}
	}
	return tftypes.NewValue(typ, out)
}

func countsValue(typ tftypes.Type, m map[string]int64) tftypes.Value {
	out := make(map[string]tftypes.Value, len(m))
	for k, v := range m {
		out[k] = tftypes.NewValue(tftypes.Number, new(big.Float).SetInt64(v))
	}
	return tftypes.NewValue(typ, out)
}

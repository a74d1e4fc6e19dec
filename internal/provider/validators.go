package provider

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

var _ validator.String = stringRule{}

// stringRule is a string validator made of a description and a check
// that gives the error's summary and detail, or "" for a good value.
type stringRule struct {
	description string
	check       func(attr, value string) (summary, detail string)
}

func (r stringRule) Description(context.Context) string { return r.description }

func (r stringRule) MarkdownDescription(context.Context) string { return r.description }

func (r stringRule) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if summary, detail := r.check(req.Path.String(), req.ConfigValue.ValueString()); summary != "" {
		resp.Diagnostics.AddAttributeError(req.Path, summary, detail)
	}
}

var _ validator.Map = endpointsKeys{}

// endpointsKeys refuses a key of endpoints other than endpointKeys: a typo
// would otherwise be dropped, and the reads go to the real cloud.
type endpointsKeys struct{}

func (endpointsKeys) Description(context.Context) string {
	return "keys must be one of: " + strings.Join(endpointKeys, ", ")
}

func (e endpointsKeys) MarkdownDescription(ctx context.Context) string { return e.Description(ctx) }

func (endpointsKeys) ValidateMap(_ context.Context, req validator.MapRequest, resp *validator.MapResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	keys := slices.Sorted(maps.Keys(req.ConfigValue.Elements()))
	for _, k := range keys {
		if !slices.Contains(endpointKeys, k) {
			resp.Diagnostics.AddAttributeError(req.Path.AtMapKey(k), "Unknown endpoint",
				fmt.Sprintf("endpoints has the key %q, which is not a service of this provider: the keys are %s. An unknown key would be ignored and the reads sent to the default endpoint.", k, strings.Join(endpointKeys, ", ")))
		}
	}
}

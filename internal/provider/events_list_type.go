package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// data_list is built as a tftypes.Value. Its custom type keeps that value as
// it is and converts it to framework values only when asked: after every
// read the framework looks at each attribute of the new state, and turning
// 10,000 events into framework objects there costs more CPU and memory than
// the whole read (BenchmarkReadDataSource).

var (
	_ basetypes.ListTypable  = eventsListType{}
	_ basetypes.ListValuable = eventsListValue{}
)

type eventsListType struct {
	basetypes.ListType
}

func newEventsListType(elem schema.NestedAttributeObject) eventsListType {
	return eventsListType{ListType: basetypes.ListType{ElemType: elem.Type()}}
}

func (t eventsListType) Equal(o attr.Type) bool {
	other, ok := o.(eventsListType)
	return ok && t.ListType.Equal(other.ListType)
}

func (t eventsListType) String() string { return "eventsListType[" + t.ElemType.String() + "]" }

func (t eventsListType) ValueType(context.Context) attr.Value { return eventsListValue{typ: t} }

func (t eventsListType) ValueFromTerraform(_ context.Context, in tftypes.Value) (attr.Value, error) {
	if in.Type() == nil {
		return eventsListValue{typ: t}, nil
	}
	return eventsListValue{typ: t, raw: &in}, nil
}

func (t eventsListType) ValueFromList(ctx context.Context, in basetypes.ListValue) (basetypes.ListValuable, diag.Diagnostics) {
	var diags diag.Diagnostics
	raw, err := in.ToTerraformValue(ctx)
	if err != nil {
		diags.AddError("Unable to convert data_list", err.Error())
		return nil, diags
	}
	return eventsListValue{typ: t, raw: &raw}, diags
}

// eventsListValue holds data_list as a Terraform value; nil raw is null.
type eventsListValue struct {
	typ eventsListType
	raw *tftypes.Value
}

func (v eventsListValue) Type(context.Context) attr.Type { return v.typ }

func (v eventsListValue) ToTerraformValue(ctx context.Context) (tftypes.Value, error) {
	if v.raw == nil {
		return tftypes.NewValue(v.typ.TerraformType(ctx), nil), nil
	}
	return *v.raw, nil
}

func (v eventsListValue) Equal(o attr.Value) bool {
	other, ok := o.(eventsListValue)
	switch {
	case !ok:
		return false
	case v.raw == other.raw: // the same value, as after every read: no walk over 10,000 events
		return true
	case v.raw == nil || other.raw == nil:
		return v.IsNull() && other.IsNull()
	}
	return v.raw.Equal(*other.raw)
}

func (v eventsListValue) IsNull() bool { return v.raw == nil || v.raw.IsNull() }

func (v eventsListValue) IsUnknown() bool { return v.raw != nil && !v.raw.IsKnown() }

func (v eventsListValue) String() string {
	if v.IsNull() || v.IsUnknown() {
		return fmt.Sprintf("<events null=%v unknown=%v>", v.IsNull(), v.IsUnknown())
	}
	return v.raw.String()
}

// ToListValue converts, at full cost, for whoever needs framework values.
func (v eventsListValue) ToListValue(ctx context.Context) (basetypes.ListValue, diag.Diagnostics) {
	var diags diag.Diagnostics
	raw, err := v.ToTerraformValue(ctx)
	if err != nil {
		diags.AddError("Unable to convert data_list", err.Error())
		return basetypes.ListValue{}, diags
	}
	out, err := v.typ.ListType.ValueFromTerraform(ctx, raw)
	if err != nil {
		diags.AddError("Unable to convert data_list", err.Error())
		return basetypes.ListValue{}, diags
	}
	return out.(basetypes.ListValue), diags
}

package provider

import (
	"context"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

func TestEventsListValue(t *testing.T) {
	ctx := context.Background()
	typ := dataListElemTypeList()
	raw := eventsTerraformValue(clientEvents(t, 3))

	v, err := typ.ValueFromTerraform(ctx, raw)
	if err != nil {
		t.Fatal(err)
	}
	lazy := v.(eventsListValue)
	if lazy.IsNull() || lazy.IsUnknown() || !lazy.Equal(lazy) {
		t.Fatal("a known list reads as null, unknown or unequal to itself")
	}
	other, _ := typ.ValueFromTerraform(ctx, eventsTerraformValue(clientEvents(t, 3)))
	fewer, _ := typ.ValueFromTerraform(ctx, eventsTerraformValue(clientEvents(t, 2)))
	if !lazy.Equal(other) || lazy.Equal(fewer) {
		t.Fatal("Equal does not compare contents")
	}
	list, diags := lazy.ToListValue(ctx)
	if diags.HasError() || len(list.Elements()) != 3 {
		t.Fatalf("ToListValue: %v", diags)
	}
	back, diags := typ.ValueFromList(ctx, list)
	if diags.HasError() || !back.(eventsListValue).Equal(lazy) {
		t.Fatalf("ValueFromList does not round-trip: %v", diags)
	}
	null, _ := typ.ValueFromTerraform(ctx, tftypes.NewValue(eventsTfType, nil))
	unknown, _ := typ.ValueFromTerraform(ctx, tftypes.NewValue(eventsTfType, tftypes.UnknownValue))
	if !null.IsNull() || null.IsUnknown() || !unknown.IsUnknown() || null.Equal(unknown) || !null.Equal(typ.ValueType(ctx)) {
		t.Fatal("null and unknown are mixed up")
	}
	if got, _ := typ.ValueType(ctx).ToTerraformValue(ctx); !got.IsNull() || !got.Type().Equal(eventsTfType) {
		t.Fatalf("a zero value is %v", got)
	}
}

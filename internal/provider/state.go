package provider

import (
	"math/big"

	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// The state is built as one tftypes.Value, the cheapest form the framework
// takes (resp.State.Raw): at 10,000 events its attr.Value layer costs more
// than the read itself. Every type below is taken from the schema's own
// type, so the schema stays the one description of the state.

func tfString(p *string) tftypes.Value {
	if p == nil {
		return tftypes.NewValue(tftypes.String, nil)
	}
	return tftypes.NewValue(tftypes.String, *p)
}

// tfInt64 keeps every int64 exact: big.Float.SetInt64 uses 64 bits of
// mantissa.
func tfInt64(p *int64) tftypes.Value {
	if p == nil {
		return tftypes.NewValue(tftypes.Number, nil)
	}
	return tftypes.NewValue(tftypes.Number, new(big.Float).SetInt64(*p))
}

package provider

import (
	"context"
	"fmt"
	"math/big"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/function"
)

var _ function.Function = (*rfc3339FromEpochMsFunction)(nil)

// rfc3339FromEpochMsFunction is provider::clusterprotect::rfc3339_from_epoch_ms:
// event times are epoch milliseconds, and HCL's time functions take RFC 3339.
type rfc3339FromEpochMsFunction struct{}

// NewRFC3339FromEpochMsFunction returns the rfc3339_from_epoch_ms function.
func NewRFC3339FromEpochMsFunction() function.Function { return &rfc3339FromEpochMsFunction{} }

const (
	// epochMsMax is 9999-12-31T23:59:59.999Z, the last instant with the
	// four-digit year RFC 3339 allows. The API's times start at 0.
	epochMsMax int64 = 253402300799999
	// rfc3339Millis always writes three fractional digits: a millisecond is
	// never lost, and the strings sort as the times do.
	rfc3339Millis = "2006-01-02T15:04:05.000Z07:00"
)

func (f *rfc3339FromEpochMsFunction) Metadata(_ context.Context, _ function.MetadataRequest, resp *function.MetadataResponse) {
	resp.Name = "rfc3339_from_epoch_ms"
}

func (f *rfc3339FromEpochMsFunction) Definition(_ context.Context, _ function.DefinitionRequest, resp *function.DefinitionResponse) {
	resp.Definition = function.Definition{
		Summary: "Turn epoch milliseconds, such as an event's create_time, into an RFC 3339 timestamp",
		MarkdownDescription: "`provider::clusterprotect::rfc3339_from_epoch_ms(epoch_ms)` turns a time in milliseconds " +
			"since the Unix epoch, such as an event's `create_time` or " +
			"`update_time`, into an RFC 3339 timestamp in UTC with three fractional digits, such as " +
			"`2023-09-19T03:35:00.324Z`, for Terraform's `timecmp`, `timeadd` and `formatdate`. The milliseconds are kept " +
			"exactly (`timecmp` compares them), and every result has the same length, so sorting the strings sorts the " +
			"times.\n\n" +
			fmt.Sprintf("`epoch_ms` must be a whole number from 0 (1970-01-01T00:00:00.000Z) to %d (9999-12-31T23:59:59.999Z); ", epochMsMax) +
			"anything else is an error that names the argument. So is null, as with Terraform's own time functions: an " +
			"event's time is null when the API leaves it out, and where that may happen, write " +
			"`e.create_time == null ? null : provider::clusterprotect::rfc3339_from_epoch_ms(e.create_time)` " +
			"(HCL's `&&` and `||` evaluate both sides; a conditional does not).\n\n" +
			"Provider-defined functions need Terraform 1.8 or newer, or OpenTofu 1.7 or newer, and the provider in the " +
			"module's `required_providers`. Older versions run the provider as before, but cannot read a configuration " +
			"that calls the function (Terraform 1.5 says `Missing newline after argument`).",
		Parameters: []function.Parameter{
			// A number, not an Int64Parameter: the framework answers 1.5 for
			// an int64 with "Please report this to the provider developer".
			// Null is refused: OpenTofu (1.12) sends no value at all for a
			// null argument, which the framework cannot read, so null cannot
			// give null there.
			function.NumberParameter{
				Name: "epoch_ms",
				MarkdownDescription: "Milliseconds since 1970-01-01T00:00:00Z, a whole number from 0 to " +
					fmt.Sprint(epochMsMax) + ".",
			},
		},
		Return: function.StringReturn{},
	}
}

func (f *rfc3339FromEpochMsFunction) Run(ctx context.Context, req function.RunRequest, resp *function.RunResponse) {
	var ms *big.Float
	resp.Error = req.Arguments.Get(ctx, &ms)
	if resp.Error != nil {
		return
	}
	s, err := rfc3339FromEpochMs(ms)
	if err != nil {
		resp.Error = function.NewArgumentFuncError(0, err.Error())
		return
	}
	resp.Error = resp.Result.Set(ctx, s)
}

// rfc3339FromEpochMs writes n, milliseconds since the Unix epoch, as RFC
// 3339 in UTC with milliseconds, or says why it cannot.
func rfc3339FromEpochMs(n *big.Float) (string, error) {
	ms, acc := n.Int64()
	if n.IsInt() && acc == big.Exact && ms >= 0 && ms <= epochMsMax {
		return time.UnixMilli(ms).UTC().Format(rfc3339Millis), nil
	}
	hint := "that is after the year 9999; a time in microseconds or nanoseconds must be divided by 1000 or 1000000 first"
	switch {
	case !n.IsInt() && !n.IsInf():
		hint = "a time from the API is a whole number of milliseconds"
	case n.Sign() < 0:
		hint = "a time before 1970 is not an epoch time the API returns"
	}
	return "", fmt.Errorf("epoch_ms is %s: it must be milliseconds since the Unix epoch from 0 (1970-01-01T00:00:00.000Z) to %d (9999-12-31T23:59:59.999Z); %s",
		n.Text('g', 20), epochMsMax, hint)
}

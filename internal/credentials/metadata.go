package credentials

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/clusterprotect/terraform-provider-clusterprotect/internal/hwcloud"
	"github.com/clusterprotect/terraform-provider-clusterprotect/internal/iam"
)

// DefaultMetadataEndpoint is the ECS metadata service.
const DefaultMetadataEndpoint = "http://169.254.169.254"

// metadataSource is the temporary keys of the ECS agency, from the ECS
// metadata service. No setting names it: it is the chain's last resort.
type metadataSource struct{}

func (metadataSource) name(in Input) string       { return "ECS metadata (" + in.metadataEndpoint() + ")" }
func (metadataSource) named(merged, bool) bool    { return false }
func (metadataSource) setBy(Input, merged) string { return "" } // not probed for it
func (metadataSource) wins() string               { return "wins" }
func (metadataSource) account(merged) [][]value   { return nil } // the machine's agency: no setting names it
func (metadataSource) remedy() string             { return ", or run on an ECS with an agency" }

func (metadataSource) find(ctx context.Context, in Input, _ merged) (*Result, string, error) {
	res, reason := in.metadata(ctx)
	return res, reason, nil
}

func (in Input) metadataEndpoint() string {
	return cmp.Or(in.MetadataEndpoint, DefaultMetadataEndpoint)
}

// metadata reads the ECS agency's temporary keys; reason says why there
// are none.
func (in Input) metadata(ctx context.Context) (*Result, string) {
	timeout := in.MetadataTimeout
	if timeout == 0 {
		timeout = time.Second
	}
	client := hwcloud.NewHTTPClient(&http.Transport{
		Proxy:                 nil, // a link-local address: never through a proxy
		DialContext:           (&net.Dialer{Timeout: timeout}).DialContext,
		ResponseHeaderTimeout: 3 * timeout,
	})
	u := strings.TrimSuffix(in.metadataEndpoint(), "/") + "/openstack/latest/securitykey"
	fetch := func(ctx context.Context) (hwcloud.Credentials, error) {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
		if err != nil {
			return hwcloud.Credentials{}, err
		}
		resp, err := client.Do(req)
		if err != nil {
			return hwcloud.Credentials{}, err
		}
		defer resp.Body.Close()
		if err := hwcloud.RedirectOf("ECS metadata", resp); err != nil {
			return hwcloud.Credentials{}, err
		}
		if resp.StatusCode != http.StatusOK {
			return hwcloud.Credentials{}, fmt.Errorf("the metadata service answered %d: this ECS may have no agency", resp.StatusCode)
		}
		c, err := iam.ReadTemporaryCredential(io.LimitReader(resp.Body, 1<<20), resp.Header.Get("Content-Type"), in.Issued)
		if err != nil {
			return hwcloud.Credentials{}, fmt.Errorf("the metadata service's answer (status %d) is not temporary keys: %w", resp.StatusCode, err)
		}
		return c, nil
	}
	src := newRefreshing(fetch)
	probe, cancel := context.WithTimeout(ctx, 4*timeout)
	defer cancel()
	if _, err := src.Retrieve(probe); err != nil {
		if errors.As(err, new(*hwcloud.RedirectError)) {
			return nil, err.Error()
		}
		return nil, "unreachable or no agency: " + err.Error()
	}
	return &Result{Source: src, Step: metadataSource{}.name(in), from: metadataSource{}}, ""
}

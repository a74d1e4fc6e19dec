package credentials

import (
	"cmp"
	"context"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/clusterprotect/terraform-provider-clusterprotect/internal/hwcloud"
	"github.com/clusterprotect/terraform-provider-clusterprotect/internal/iam"
)

// Duration bounds of temporary credentials, in seconds, as IAM has them.
const (
	MinDuration     = 900
	MaxDuration     = 43200
	DefaultDuration = 3600
)

// oidcSource is federation from an OIDC id token: assume_role_with_oidc,
// named in the configuration by the block, in the environment by
// HW_ASSUME_ROLE_IDP_ID.
type oidcSource struct{}

func (oidcSource) name(Input) string { return "assume_role_with_oidc (" + EnvIdpID + ")" }

func (oidcSource) named(m merged, config bool) bool {
	return m.oidc != nil && (!config || m.oidc.inConfig)
}

func (oidcSource) find(_ context.Context, in Input, m merged) (*Result, string, error) {
	if m.oidc == nil {
		return nil, notSet, nil
	}
	o, err := m.oidc.check()
	if err != nil {
		return nil, "", err
	}
	return in.oidc(o), "", nil
}

func (oidcSource) setBy(_ Input, m merged) string {
	if m.oidc == nil {
		return ""
	}
	return names(m.oidc.idp)
}

// account is the identity provider, then the agency assumed with its
// keys, if any.
func (oidcSource) account(m merged) [][]value {
	return [][]value{{m.oidc.idp}, {m.oidc.agency, m.oidc.domain}}
}

func (oidcSource) wins() string   { return "wins" }
func (oidcSource) remedy() string { return "; or assume_role_with_oidc" }

// oidc exchanges the id token for a federated token, then for temporary
// keys, and assumes the agency when one is named.
func (in Input) oidc(o OIDC) *Result {
	fetch := func(ctx context.Context) (hwcloud.Credentials, error) {
		idToken := o.IDToken
		if o.IDTokenFile != "" {
			raw, err := os.ReadFile(o.IDTokenFile)
			if err != nil {
				return hwcloud.Credentials{}, fmt.Errorf("reading the OIDC id token file %s: %w", o.IDTokenFile, pathError(err))
			}
			idToken = strings.TrimSpace(string(raw))
		}
		client, err := in.IAM()
		if err != nil {
			return hwcloud.Credentials{}, err
		}
		subject, err := client.ExchangeIDToken(ctx, o.IdentityProviderID, idToken)
		if err != nil {
			return hwcloud.Credentials{}, fmt.Errorf("exchanging the OIDC id token with identity provider %q: %w", o.IdentityProviderID, err)
		}
		keys, err := client.SecurityTokenForToken(ctx, subject, duration(o.Duration))
		if err != nil {
			return hwcloud.Credentials{}, fmt.Errorf("getting temporary keys for the federated token of identity provider %q: %w", o.IdentityProviderID, err)
		}
		if o.AgencyName == "" {
			return keys, nil
		}
		return in.assumeWith(ctx, keys, AssumeRole{AgencyName: o.AgencyName, DomainID: o.DomainID, Duration: o.Duration})
	}
	return &Result{Source: newRefreshing(fetch), Step: "assume_role_with_oidc (identity provider " + o.IdentityProviderID + ")", from: oidcSource{}}
}

// assume wraps the keys res found into the agency's temporary keys.
func (in Input) assume(res *Result, a AssumeRole) error {
	if c, ok := res.Source.(hwcloud.StaticCredentials); ok && c.AuthToken != "" {
		return &SettingError{Setting: "assume_role", Path: []string{"assume_role"}, Summary: "assume_role needs access keys",
			Detail: "assume_role turns access keys into the agency's temporary keys, and " + res.Step + " gave a token: a token alone cannot assume an agency. Use access keys, a shared config profile or ECS metadata."}
	}
	base := res.Source
	res.Source = newRefreshing(func(ctx context.Context) (hwcloud.Credentials, error) {
		keys, err := base.Retrieve(ctx)
		if err != nil {
			return hwcloud.Credentials{}, err
		}
		return in.assumeWith(ctx, keys, a)
	})
	res.Step += ", then assume_role (agency " + a.AgencyName + ")"
	return nil
}

func (in Input) assumeWith(ctx context.Context, keys hwcloud.Credentials, a AssumeRole) (hwcloud.Credentials, error) {
	client, err := in.IAM()
	if err != nil {
		return hwcloud.Credentials{}, err
	}
	c, err := client.AssumeRole(ctx, keys, iam.AssumeAgency{Name: a.AgencyName, DomainName: a.DomainName, DomainID: a.DomainID, Duration: duration(a.Duration)})
	if err != nil {
		return hwcloud.Credentials{}, fmt.Errorf("assuming agency %q of account %s: %w", a.AgencyName, cmp.Or(a.DomainName, a.DomainID), err)
	}
	return c, nil
}

func duration(d time.Duration) time.Duration {
	if d == 0 {
		return DefaultDuration * time.Second
	}
	return d
}

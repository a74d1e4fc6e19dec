// Package iam is a client for the parts of Huawei Cloud Identity and Access
// Management (IAM) that this provider uses. It has no Terraform imports and
// does not import the HSS client.
package iam

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"time"

	"github.com/clusterprotect/terraform-provider-clusterprotect/internal/hwcloud"
)

// service is the API's name in endpoints (https://iam.{region}.{cloud}).
const service = "iam"

// Client talks to one IAM endpoint. It is safe for concurrent use.
type Client struct {
	t    *hwcloud.Transport
	base *url.URL
	// Issued, when set, gets every secret IAM hands out (secret keys,
	// security tokens, federated tokens) as soon as it is decoded, before
	// anything else sees it: for the log mask.
	Issued func(secrets ...string)
}

// New is a client of the IAM API at base, such as the result of Endpoint.
func New(t *hwcloud.Transport, base *url.URL) *Client {
	return &Client{t: t, base: base}
}

// Endpoint is the base URL of IAM: endpoint when set, else
// https://iam.{region}.{cloud}.
func Endpoint(endpoint, region, cloud string) (*url.URL, error) {
	return hwcloud.ResolveEndpoint(service, endpoint, region, cloud)
}

// Project is one project of an account, as GET /v3/projects lists it.
type Project struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	DomainID string `json:"domain_id"`
	Enabled  bool   `json:"enabled"`
}

// ListProjects lists the projects named name that the credentials may see
// (GET /v3/projects?name=...). A region's main project is named after the
// region, such as ap-southeast-1; a sub-project is named like
// cn-north-4_dev.
func (c *Client) ListProjects(ctx context.Context, name string) ([]Project, error) {
	u := c.base.JoinPath("v3", "projects")
	u.RawQuery = hwcloud.EncodeQuery(url.Values{"name": {name}})
	var out struct {
		Projects []Project `json:"projects"`
	}
	if err := c.t.GetJSON(ctx, "IAM", u, &out); err != nil {
		return nil, err
	}
	return out.Projects, nil
}

// temporaryCredential is how IAM answers a security token request.
type temporaryCredential struct {
	Credential struct {
		Access        string `json:"access"`
		Secret        string `json:"secret"`
		SecurityToken string `json:"securitytoken"`
		ExpiresAt     string `json:"expires_at"`
	} `json:"credential"`
}

// Credentials turns IAM's answer into credentials, refusing an incomplete
// one.
func (t temporaryCredential) credentials() (hwcloud.Credentials, error) {
	c := t.Credential
	if c.Access == "" || c.Secret == "" || c.SecurityToken == "" {
		return hwcloud.Credentials{}, errors.New("the answer lacks access, secret or securitytoken")
	}
	expires, err := time.Parse(time.RFC3339, c.ExpiresAt)
	if err != nil {
		return hwcloud.Credentials{}, fmt.Errorf("the answer's expires_at %q is not an RFC 3339 time", c.ExpiresAt)
	}
	return hwcloud.Credentials{AccessKey: c.Access, SecretKey: c.Secret, SecurityToken: c.SecurityToken, ExpiresAt: expires}, nil
}

// secrets are the secrets of the answer, as far as it was decoded.
func (t temporaryCredential) secrets() []string {
	return hwcloud.Credentials{SecretKey: t.Credential.Secret, SecurityToken: t.Credential.SecurityToken}.Secrets()
}

// ReadTemporaryCredential reads temporary keys as IAM and the ECS metadata
// service write them: {"credential": {"access", "secret", "securitytoken",
// "expires_at"}}. Its errors never quote the body; issued, when not nil,
// gets the secrets as soon as they are decoded, also from an answer then
// refused.
func ReadTemporaryCredential(r io.Reader, contentType string, issued func(...string)) (hwcloud.Credentials, error) {
	var t temporaryCredential
	err := hwcloud.DecodeCredentialJSON(r, contentType, &t)
	if issued != nil {
		issued(t.secrets()...)
	}
	if err != nil {
		return hwcloud.Credentials{}, err
	}
	return t.credentials()
}

func (c *Client) issued(secrets ...string) {
	if c.Issued != nil && len(secrets) > 0 {
		c.Issued(secrets...)
	}
}

// ExchangeIDToken trades an OIDC id token of identity provider idpID for a
// federated token (POST /v3.0/OS-AUTH/id-token/tokens, X-Subject-Token).
// The id token authenticates the call itself.
func (c *Client) ExchangeIDToken(ctx context.Context, idpID, idToken string) (string, error) {
	body := map[string]any{"auth": map[string]any{"id_token": map[string]any{"id": idToken}}}
	header, err := c.t.Do(ctx, "IAM", hwcloud.Request{
		Method: http.MethodPost, URL: c.base.JoinPath("v3.0", "OS-AUTH", "id-token", "tokens"), Body: body,
		Header: http.Header{"X-Idp-Id": {idpID}}, Credentials: &hwcloud.Credentials{}, Sensitive: true,
	}, nil)
	token := header.Get("X-Subject-Token")
	if token != "" {
		c.issued(token)
	}
	if err != nil {
		return "", err
	}
	if token == "" {
		return "", errors.New("IAM answered without an X-Subject-Token")
	}
	return token, nil
}

// SecurityTokenForToken gets temporary keys for a (federated) token, valid
// for duration (POST /v3.0/OS-CREDENTIAL/securitytokens, method token).
func (c *Client) SecurityTokenForToken(ctx context.Context, token string, duration time.Duration) (hwcloud.Credentials, error) {
	identity := map[string]any{"methods": []string{"token"}, "token": map[string]any{"id": token, "duration_seconds": int(duration.Seconds())}}
	return c.securityToken(ctx, identity, &hwcloud.Credentials{AuthToken: token})
}

// AssumeAgency is an agency of another account to assume: its name and
// exactly one of the account's domain name or ID.
type AssumeAgency struct {
	Name, DomainName, DomainID string
	Duration                   time.Duration
}

// AssumeRole gets the agency's temporary keys, signed with keys
// (POST /v3.0/OS-CREDENTIAL/securitytokens, method assume_role).
func (c *Client) AssumeRole(ctx context.Context, keys hwcloud.Credentials, a AssumeAgency) (hwcloud.Credentials, error) {
	role := map[string]any{"agency_name": a.Name, "duration_seconds": int(a.Duration.Seconds())}
	if a.DomainID != "" {
		role["domain_id"] = a.DomainID
	} else {
		role["domain_name"] = a.DomainName
	}
	identity := map[string]any{"methods": []string{"assume_role"}, "assume_role": role}
	return c.securityToken(ctx, identity, &keys)
}

func (c *Client) securityToken(ctx context.Context, identity map[string]any, creds *hwcloud.Credentials) (hwcloud.Credentials, error) {
	var out temporaryCredential
	_, err := c.t.Do(ctx, "IAM", hwcloud.Request{
		Method: http.MethodPost, URL: c.base.JoinPath("v3.0", "OS-CREDENTIAL", "securitytokens"),
		Body: map[string]any{"auth": map[string]any{"identity": identity}}, Credentials: creds, Sensitive: true,
	}, &out)
	c.issued(out.secrets()...)
	if err != nil {
		return hwcloud.Credentials{}, err
	}
	return out.credentials()
}

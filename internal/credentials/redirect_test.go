package credentials_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/clusterprotect/terraform-provider-clusterprotect/internal/credentials"
	"github.com/clusterprotect/terraform-provider-clusterprotect/internal/hssfake"
	"github.com/clusterprotect/terraform-provider-clusterprotect/internal/hwcloud"
	"github.com/clusterprotect/terraform-provider-clusterprotect/internal/iam"
)

// A redirect from ECS metadata or IAM, at any step of getting credentials,
// fails that step: nothing reaches the other host, and the error names the
// step, the status and the other host, and no secret.
func TestSteps_redirectNotFollowed(t *testing.T) {
	for _, tc := range []struct {
		name   string
		config credentials.Settings
		status int
		want   []string
	}{
		{"ECS metadata", credentials.Settings{}, http.StatusFound,
			[]string{"ECS metadata", "302 Found", "GET /openstack/latest/securitykey"}},
		{"id-token exchange", credentials.Settings{OIDC: &credentials.OIDC{IdentityProviderID: "idp", IDToken: "secret-id-token"}}, http.StatusTemporaryRedirect,
			[]string{`exchanging the OIDC id token with identity provider "idp"`, "IAM", "307 Temporary Redirect", "POST /v3.0/OS-AUTH/id-token/tokens"}},
		{"security token of an agency", credentials.Settings{AccessKey: "AK", SecretKey: "secret-SK", AssumeRole: &credentials.AssumeRole{AgencyName: "reader", DomainID: "dom1"}},
			http.StatusPermanentRedirect,
			[]string{`assuming agency "reader" of account dom1`, "IAM", "308 Permanent Redirect", "POST /v3.0/OS-CREDENTIAL/securitytokens"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			elsewhere := hssfake.NewElsewhere()
			defer elsewhere.Close()
			fake := hssfake.New(hssfake.Config{
				ECSAgency: true, Keys: map[string]hssfake.Credential{"AK": {SecretKey: "secret-SK"}},
				Agencies: []hssfake.Agency{{Name: "reader", DomainID: "dom1"}}, IdentityProviders: map[string][]string{"idp": {"secret-id-token"}},
			}, nil)
			fake.SetFaults(hssfake.Faults{RedirectTo: elsewhere.URL + "/elsewhere", RedirectStatus: tc.status})
			srv := httptest.NewServer(fake)
			defer srv.Close()
			in := credentials.Input{Config: tc.config, MetadataEndpoint: srv.URL, MetadataTimeout: 5 * time.Second, IAM: func() (*iam.Client, error) {
				tr, err := hwcloud.New(hwcloud.Config{Credentials: hwcloud.StaticCredentials{}, MaxRetries: 2, RetryBaseDelay: time.Millisecond})
				if err != nil {
					return nil, err
				}
				base, err := iam.Endpoint(srv.URL, "", "")
				return iam.New(tr, base), err
			}}
			res, err := credentials.Resolve(t.Context(), in)
			if err == nil {
				_, err = res.Source.Retrieve(t.Context())
			}
			if n := elsewhere.Requests(); n != 0 {
				t.Fatalf("%d requests reached the other host (err %v)", n, err)
			}
			if err == nil {
				t.Fatal("no error")
			}
			msg := err.Error()
			for _, want := range append(tc.want, fmt.Sprintf("%q", strings.TrimPrefix(elsewhere.URL, "http://"))) {
				if !strings.Contains(msg, want) {
					t.Errorf("%q lacks %q", msg, want)
				}
			}
			for _, secret := range append(fake.IssuedSecrets(), "secret-id-token", "secret-SK", "/elsewhere", "elsewhere-token") {
				if strings.Contains(msg, secret) {
					t.Errorf("%q holds %q", msg, secret)
				}
			}
		})
	}
}

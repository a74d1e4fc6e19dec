package iam_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/clusterprotect/terraform-provider-clusterprotect/internal/hssfake"
	"github.com/clusterprotect/terraform-provider-clusterprotect/internal/hwcloud"
	"github.com/clusterprotect/terraform-provider-clusterprotect/internal/iam"
)

// IAM answering a redirect fails the call: the other host gets no request,
// so neither the id token (a 307 would post it again) nor a signature or
// token, and what it would answer is never taken as credentials. The error
// names the request, the status and the other host, and no secret.
func TestCalls_redirectNotFollowed(t *testing.T) {
	calls := map[string]struct {
		request string
		do      func(*iam.Client) error
	}{
		"project lookup": {"GET /v3/projects", func(c *iam.Client) error {
			_, err := c.ListProjects(t.Context(), "ap-southeast-1")
			return err
		}},
		"security token for a token": {"POST /v3.0/OS-CREDENTIAL/securitytokens", func(c *iam.Client) error {
			_, err := c.SecurityTokenForToken(t.Context(), "subject-token", 900*time.Second)
			return err
		}},
		"security token of an agency": {"POST /v3.0/OS-CREDENTIAL/securitytokens", func(c *iam.Client) error {
			_, err := c.AssumeRole(t.Context(), hwcloud.Credentials{AccessKey: "AK", SecretKey: "SK", SecurityToken: "sts-token"},
				iam.AssumeAgency{Name: "reader", DomainID: "dom1", Duration: 900 * time.Second})
			return err
		}},
		"id-token exchange": {"POST /v3.0/OS-AUTH/id-token/tokens", func(c *iam.Client) error {
			_, err := c.ExchangeIDToken(t.Context(), "idp", "id-token")
			return err
		}},
	}
	for name, call := range calls {
		for _, status := range []int{http.StatusFound, http.StatusTemporaryRedirect, http.StatusPermanentRedirect} {
			t.Run(fmt.Sprintf("%s/%d", name, status), func(t *testing.T) {
				elsewhere := hssfake.NewElsewhere()
				defer elsewhere.Close()
				fake, client := credentialFake(t, nil)
				fake.SetFaults(hssfake.Faults{RedirectTo: elsewhere.URL + "/elsewhere", RedirectStatus: status})
				err := call.do(client)
				if n := elsewhere.Requests(); n != 0 {
					t.Fatalf("%d requests reached the other host (err %v)", n, err)
				}
				if err == nil {
					t.Fatal("no error")
				}
				msg := err.Error()
				for _, want := range []string{"IAM", fmt.Sprintf("%d %s", status, http.StatusText(status)), call.request, `"` + strings.TrimPrefix(elsewhere.URL, "http://") + `"`} {
					if !strings.Contains(msg, want) {
						t.Errorf("%q lacks %q", msg, want)
					}
				}
				for _, secret := range []string{"subject-token", "id-token\"", "SK", "sts-token", "/elsewhere", "elsewhere-token", "name="} {
					if strings.Contains(msg, secret) {
						t.Errorf("%q holds %q", msg, secret)
					}
				}
			})
		}
	}
}

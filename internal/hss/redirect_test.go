package hss_test

import (
	"strings"
	"testing"

	"github.com/clusterprotect/terraform-provider-clusterprotect/internal/hss"
	"github.com/clusterprotect/terraform-provider-clusterprotect/internal/hssfake"
	"github.com/clusterprotect/terraform-provider-clusterprotect/internal/hwcloud"
)

// HSS answering a redirect fails the read: the other host gets no request,
// so neither X-Auth-Token nor X-Security-Token, and its answer is never
// read as events. The error names the request, the status and the other
// host, and no credential.
func TestReadAll_redirectNotFollowed(t *testing.T) {
	for name, creds := range map[string]hwcloud.StaticCredentials{
		"token":          {AuthToken: testToken},
		"temporary keys": {AccessKey: "TMPAK", SecretKey: "TMPSK", SecurityToken: "sts-token"},
	} {
		t.Run(name, func(t *testing.T) {
			elsewhere := hssfake.NewElsewhere()
			defer elsewhere.Close()
			fake, c := newFake(t, generate(5), func(cfg *hwcloud.Config) { cfg.Credentials = creds })
			fake.SetFaults(hssfake.Faults{RedirectTo: elsewhere.URL + "/elsewhere"})
			res, err := c.ReadAllClusterEvents(t.Context(), hss.Filter{ProjectID: testProject})
			if n := elsewhere.Requests(); n != 0 {
				t.Fatalf("%d requests reached the other host", n)
			}
			if err == nil {
				t.Fatalf("no error; read %d events", len(res.Events))
			}
			msg := err.Error()
			for _, want := range []string{"HSS", "302 Found", "GET /v5/" + testProject + "/cluster-protect/events", `"` + strings.TrimPrefix(elsewhere.URL, "http://") + `"`} {
				if !strings.Contains(msg, want) {
					t.Errorf("%q lacks %q", msg, want)
				}
			}
			for _, secret := range []string{testToken, "TMPSK", "sts-token", "/elsewhere", "limit="} {
				if strings.Contains(msg, secret) {
					t.Errorf("%q holds %q", msg, secret)
				}
			}
		})
	}
}

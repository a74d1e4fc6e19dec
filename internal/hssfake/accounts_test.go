package hssfake_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/clusterprotect/terraform-provider-clusterprotect/internal/hssfake"
	"github.com/clusterprotect/terraform-provider-clusterprotect/internal/hwcloud"
)

// threeAccounts is a central security account (the home one, with keys
// SECAK) and two member accounts: member-a grants it the agency hss-reader,
// member-b grants it hss-reader too and has keys of its own (BAK). Each
// account has a project named after the same region, as on the cloud.
func threeAccounts() hssfake.Config {
	return hssfake.Config{
		Keys: map[string]hssfake.Credential{"SECAK": {SecretKey: "sec-sk"}},
		Accounts: []hssfake.Account{
			{DomainID: "dom-sec", DomainName: "security"},
			{DomainID: "dom-a", DomainName: "member-a"},
			{DomainID: "dom-b", DomainName: "member-b", Keys: map[string]hssfake.Credential{"BAK": {SecretKey: "b-sk"}}},
		},
		Agencies: []hssfake.Agency{
			{Name: "hss-reader", DomainName: "member-a", DomainID: "dom-a", Trusts: "dom-sec"},
			{Name: "hss-reader", DomainName: "member-b", DomainID: "dom-b", Trusts: "dom-sec"},
		},
		Projects: []hssfake.Project{
			{ID: "p-sec", Name: "ap-southeast-1", DomainID: "dom-sec", Enabled: true},
			{ID: "p-a", Name: "ap-southeast-1", DomainID: "dom-a", Enabled: true, Tokens: []string{"tok-a"}},
			{ID: "p-b", Name: "ap-southeast-1", DomainID: "dom-b", Enabled: true},
			{ID: "p-b2", Name: "cn-north-4", DomainID: "dom-b", Enabled: true},
		},
	}
}

// keys is an access key pair, with its security token when temporary.
type keys struct{ ak, sk, sts string }

// send sends method path with body to srv, signed with k, and returns the
// status and the body.
func (k keys) send(t *testing.T, srv *httptest.Server, method, path string, body []byte) (int, []byte) {
	t.Helper()
	req, _ := http.NewRequestWithContext(t.Context(), method, srv.URL+path, bytes.NewReader(body))
	hwcloud.Signer{AccessKey: k.ak, SecretKey: k.sk, SecurityToken: k.sts}.Sign(req, body, time.Now())
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, out
}

// assume asks IAM for the temporary keys of an agency, with k, and returns
// them, or the status and body of the refusal.
func (k keys) assume(t *testing.T, srv *httptest.Server, agency, domainField, domain string) (keys, int, []byte) {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"auth": map[string]any{"identity": map[string]any{
		"methods": []string{"assume_role"}, "assume_role": map[string]any{"agency_name": agency, domainField: domain},
	}}})
	status, out := k.send(t, srv, "POST", "/v3.0/OS-CREDENTIAL/securitytokens", body)
	var doc struct {
		Credential struct{ Access, Secret, SecurityToken string } `json:"credential"`
	}
	if status != http.StatusCreated || json.Unmarshal(out, &doc) != nil {
		return keys{}, status, out
	}
	return keys{doc.Credential.Access, doc.Credential.Secret, doc.Credential.SecurityToken}, status, out
}

// With accounts, each key opens only its account's projects, an agency's
// keys open the projects of the account that grants it, and a read of
// another account's project is refused as the gateway refuses it: 403 in
// the cloud's error format, for events and clusters alike. IAM lists each
// caller the projects of its own account.
func TestServer_accountsAreSeparate(t *testing.T) {
	srv := httptest.NewServer(hssfake.New(threeAccounts(), nil))
	defer srv.Close()
	sec, b := keys{"SECAK", "sec-sk", ""}, keys{"BAK", "b-sk", ""}
	viaA, status, body := sec.assume(t, srv, "hss-reader", "domain_name", "member-a")
	if status != http.StatusCreated {
		t.Fatalf("assuming member-a's agency: %d %s", status, body)
	}
	viaB, status, body := sec.assume(t, srv, "hss-reader", "domain_id", "dom-b")
	if status != http.StatusCreated {
		t.Fatalf("assuming member-b's agency: %d %s", status, body)
	}
	opens := map[string][]string{ // the projects each caller opens, of p-sec, p-a, p-b, p-b2
		"security keys": {"p-sec"}, "member-b keys": {"p-b", "p-b2"},
		"member-a agency": {"p-a"}, "member-b agency": {"p-b", "p-b2"},
	}
	callers := map[string]keys{"security keys": sec, "member-b keys": b, "member-a agency": viaA, "member-b agency": viaB}
	for name, k := range callers {
		for _, p := range []string{"p-sec", "p-a", "p-b", "p-b2"} {
			for _, list := range []string{"events", "clusters"} {
				status, body := k.send(t, srv, "GET", "/v5/"+p+"/cluster-protect/"+list+"?offset=0&limit=10", nil)
				if slices.Contains(opens[name], p) {
					if status != http.StatusOK {
						t.Errorf("%s, %s of %s: %d %s, want 200", name, list, p, status, body)
					}
					continue
				}
				if code, msg := cloudError(t, body); status != http.StatusForbidden || code != hssfake.CodeForbidden || !strings.Contains(msg, "another account") {
					t.Errorf("%s, %s of %s: %d %s, want 403 %s", name, list, p, status, body, hssfake.CodeForbidden)
				}
			}
		}
		status, body := k.send(t, srv, "GET", "/v3/projects", nil)
		var doc struct {
			Projects []struct{ ID string } `json:"projects"`
		}
		if err := json.Unmarshal(body, &doc); err != nil || status != http.StatusOK {
			t.Fatalf("%s: projects %d %s", name, status, body)
		}
		var ids []string
		for _, p := range doc.Projects {
			ids = append(ids, p.ID)
		}
		if !slices.Equal(ids, opens[name]) {
			t.Errorf("%s: IAM lists %v, want %v", name, ids, opens[name])
		}
	}
}

// An agency is assumed as IAM allows it: by the account it trusts, named by
// its granting account, with access keys; a token's keys stay in the
// token's account.
func TestServer_accountsAgencyTrust(t *testing.T) {
	cfg := threeAccounts()
	srv := httptest.NewServer(hssfake.New(cfg, nil))
	defer srv.Close()
	sec, b := keys{"SECAK", "sec-sk", ""}, keys{"BAK", "b-sk", ""}
	for _, tc := range []struct {
		name                   string
		k                      keys
		agency, field, account string
		status                 int
	}{
		{"trusted account, by name", sec, "hss-reader", "domain_name", "member-a", 201},
		{"trusted account, by ID", sec, "hss-reader", "domain_id", "dom-a", 201},
		{"an account the agency does not trust", b, "hss-reader", "domain_name", "member-a", 403},
		{"an agency no account grants", sec, "hss-reader", "domain_name", "security", 403},
		{"an unknown agency", sec, "admin", "domain_name", "member-a", 403},
	} {
		if _, status, body := tc.k.assume(t, srv, tc.agency, tc.field, tc.account); status != tc.status {
			t.Errorf("%s: %d %s, want %d", tc.name, status, body, tc.status)
		}
	}

	// Keys exchanged for member-a's project token open member-a's projects
	// only (not every project, nor the home account's).
	body := []byte(`{"auth":{"identity":{"methods":["token"],"token":{"id":"tok-a"}}}}`)
	req, _ := http.NewRequestWithContext(t.Context(), "POST", srv.URL+"/v3.0/OS-CREDENTIAL/securitytokens", bytes.NewReader(body))
	req.Header.Set(hwcloud.HeaderAuthToken, "tok-a")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Credential struct{ Access, Secret, SecurityToken string } `json:"credential"`
	}
	_ = json.NewDecoder(resp.Body).Decode(&doc)
	resp.Body.Close()
	fromToken := keys{doc.Credential.Access, doc.Credential.Secret, doc.Credential.SecurityToken}
	for p, want := range map[string]int{"p-a": 200, "p-sec": 403, "p-b": 403} {
		if status, body := fromToken.send(t, srv, "GET", "/v5/"+p+"/cluster-protect/events?offset=0&limit=10", nil); status != want {
			t.Errorf("keys of member-a's token on %s: %d %s, want %d", p, status, body, want)
		}
	}
}

// Without Accounts the fake is one account, as before: keys and agencies
// open every project, so a one-account test or example needs nothing new.
func TestServer_oneAccountByDefault(t *testing.T) {
	cfg := threeAccounts()
	cfg.Accounts = nil
	cfg.Keys["BAK"] = hssfake.Credential{SecretKey: "b-sk"}
	srv := httptest.NewServer(hssfake.New(cfg, nil))
	defer srv.Close()
	via, status, body := keys{"BAK", "b-sk", ""}.assume(t, srv, "hss-reader", "domain_name", "member-a")
	if status != http.StatusCreated {
		t.Fatalf("assuming: %d %s", status, body)
	}
	for _, k := range []keys{{"SECAK", "sec-sk", ""}, via} {
		for _, p := range []string{"p-sec", "p-a", "p-b"} {
			if status, body := k.send(t, srv, "GET", "/v5/"+p+"/cluster-protect/clusters?offset=0&limit=10", nil); status != http.StatusOK {
				t.Errorf("%s on %s: %d %s", k.ak, p, status, body)
			}
		}
	}
}

// An account without a domain ID would open every project: New refuses it.
func TestNew_accountNeedsDomainID(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("no panic for an account without a DomainID")
		}
	}()
	hssfake.New(hssfake.Config{Accounts: []hssfake.Account{{DomainName: "x"}}}, nil)
}

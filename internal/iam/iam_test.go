package iam_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/clusterprotect/terraform-provider-clusterprotect/internal/hssfake"
	"github.com/clusterprotect/terraform-provider-clusterprotect/internal/hwcloud"
	"github.com/clusterprotect/terraform-provider-clusterprotect/internal/iam"
)

func TestListProjects(t *testing.T) {
	fake := hssfake.New(hssfake.Config{
		Keys: map[string]hssfake.Credential{"AK": {SecretKey: "SK"}},
		Projects: []hssfake.Project{
			{ID: "p1", Name: "ap-southeast-1", Enabled: true},
			{ID: "p2", Name: "ap-southeast-1_dev team", Enabled: true},
			{ID: "p3", Name: "cn-north-4", Enabled: true},
		},
	}, nil)
	srv := httptest.NewServer(fake)
	defer srv.Close()
	client := func(secret string) *iam.Client {
		tr, err := hwcloud.New(hwcloud.Config{Credentials: hwcloud.StaticCredentials{AccessKey: "AK", SecretKey: secret}, MaxRetries: -1})
		if err != nil {
			t.Fatal(err)
		}
		base, err := iam.Endpoint(srv.URL, "", "")
		if err != nil {
			t.Fatal(err)
		}
		return iam.New(tr, base)
	}
	for name, want := range map[string]string{"ap-southeast-1": "p1", "ap-southeast-1_dev team": "p2"} {
		got, err := client("SK").ListProjects(context.Background(), name)
		if err != nil || len(got) != 1 || got[0].ID != want || got[0].Name != name || !got[0].Enabled {
			t.Errorf("%q: %+v, %v", name, got, err)
		}
	}
	if got, err := client("SK").ListProjects(context.Background(), "nowhere"); err != nil || len(got) != 0 {
		t.Errorf("nowhere: %+v, %v", got, err)
	}
	_, err := client("wrong").ListProjects(context.Background(), "ap-southeast-1")
	var apiErr *hwcloud.APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusUnauthorized || apiErr.Service != "IAM" {
		t.Fatalf("a wrong signature: %v", err)
	}
	if st := fake.Stats(); st.IAMRequests != 4 || st.Requests != 0 {
		t.Errorf("%d IAM and %d HSS requests", st.IAMRequests, st.Requests)
	}
}

func TestEndpoint(t *testing.T) {
	for _, tc := range []struct{ region, cloud, want string }{
		{"ap-southeast-1", "", "https://iam.ap-southeast-1.myhuaweicloud.com"},
		{"eu-west-101", "", "https://iam.eu-west-101.myhuaweicloud.eu"},
		{"cn-north-4", "example.com", "https://iam.cn-north-4.example.com"},
	} {
		u, err := iam.Endpoint("", tc.region, tc.cloud)
		if err != nil || u.String() != tc.want {
			t.Errorf("%s %s: %v %v", tc.region, tc.cloud, u, err)
		}
	}
}

// credentialFake accepts the access keys AK/SK and a token, trusts one
// agency and one identity provider, and answers credential calls through
// answer.
func credentialFake(t *testing.T, answer func(route string, secrets []string, body []byte) (string, []byte)) (*hssfake.Server, *iam.Client) {
	t.Helper()
	fake := hssfake.New(hssfake.Config{
		Keys:              map[string]hssfake.Credential{"AK": {SecretKey: "SK"}},
		Agencies:          []hssfake.Agency{{Name: "reader", DomainID: "dom1"}},
		IdentityProviders: map[string][]string{"idp": {"id-token"}},
	}, nil)
	fake.SetFaults(hssfake.Faults{CredentialAnswer: answer})
	srv := httptest.NewServer(fake)
	t.Cleanup(srv.Close)
	tr, err := hwcloud.New(hwcloud.Config{Credentials: hwcloud.StaticCredentials{AccessKey: "AK", SecretKey: "SK"}, MaxRetries: -1})
	if err != nil {
		t.Fatal(err)
	}
	base, err := iam.Endpoint(srv.URL, "", "")
	if err != nil {
		t.Fatal(err)
	}
	return fake, iam.New(tr, base)
}

// Answers that carry secrets but are not what IAM documents fail with
// the step, status, Content-Type, length and request ID, and never quote
// the body: it holds the secret key and security token.
func TestCredentialAnswers_neverQuoted(t *testing.T) {
	bodies := map[string]func(secrets []string, body []byte) (string, []byte){
		"HTML": func(secrets []string, _ []byte) (string, []byte) {
			return "text/html", []byte("<html><body>" + strings.Join(secrets, " ") + "</body></html>")
		},
		"wrong shape": func(secrets []string, _ []byte) (string, []byte) {
			return "application/json", []byte(`{"credential": ["` + strings.Join(secrets, `", "`) + `"]}`)
		},
		"truncated": func(_ []string, body []byte) (string, []byte) {
			return "application/json", body[:len(body)-8]
		},
		"data after the document": func(_ []string, body []byte) (string, []byte) {
			return "application/json", append(body, []byte(`{"again": true}`)...)
		},
	}
	calls := map[string]func(*iam.Client) error{
		"assume_role": func(c *iam.Client) error {
			_, err := c.AssumeRole(context.Background(), hwcloud.Credentials{AccessKey: "AK", SecretKey: "SK"}, iam.AssumeAgency{Name: "reader", DomainID: "dom1", Duration: 900 * time.Second})
			return err
		},
		"id-token exchange": func(c *iam.Client) error {
			_, err := c.ExchangeIDToken(context.Background(), "idp", "id-token")
			return err
		},
	}
	for call, do := range calls {
		for name, body := range bodies {
			t.Run(call+"/"+name, func(t *testing.T) {
				if call == "id-token exchange" && name != "HTML" {
					t.Skip("the exchange's body is not decoded: only its Content-Type is checked")
				}
				var sent []string
				fake, client := credentialFake(t, func(_ string, secrets []string, b []byte) (string, []byte) {
					sent = append(sent, secrets...)
					return body(secrets, b)
				})
				err := do(client)
				if err == nil {
					t.Fatal("no error")
				}
				msg := err.Error()
				for _, s := range append(sent, fake.IssuedSecrets()...) {
					if strings.Contains(msg, s) {
						t.Fatalf("the error quotes the secret %q: %s", s, msg)
					}
				}
				for _, want := range []string{"status 201", "X-Request-Id", "Content-Type", "bytes"} {
					if !strings.Contains(msg, want) {
						t.Errorf("%q lacks %q", msg, want)
					}
				}
			})
		}
	}
}

// Issued secrets reach the mask as they are decoded, also when the answer
// is then refused.
func TestCredentialAnswers_secretsRegistered(t *testing.T) {
	for name, strip := range map[string]string{"complete": "", "without expires_at": "expires_at"} {
		t.Run(name, func(t *testing.T) {
			var sent []string
			_, client := credentialFake(t, func(_ string, secrets []string, b []byte) (string, []byte) {
				sent = secrets
				if strip != "" {
					var doc map[string]map[string]any
					_ = json.Unmarshal(b, &doc)
					delete(doc["credential"], strip)
					b, _ = json.Marshal(doc)
				}
				return "application/json", b
			})
			var registered []string
			client.Issued = func(secrets ...string) { registered = append(registered, secrets...) }
			_, err := client.AssumeRole(context.Background(), hwcloud.Credentials{AccessKey: "AK", SecretKey: "SK"}, iam.AssumeAgency{Name: "reader", DomainID: "dom1", Duration: 900 * time.Second})
			if (err != nil) != (strip != "") {
				t.Fatal(err)
			}
			for _, s := range sent {
				if !slices.Contains(registered, s) {
					t.Errorf("secret %q not registered: %q", s, registered)
				}
			}
		})
	}
}

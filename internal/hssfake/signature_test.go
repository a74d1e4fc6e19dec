package hssfake_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/clusterprotect/terraform-provider-clusterprotect/internal/hssfake"
)

// sdkVectors is where the signatures the official SDK signer made are kept
// (tools/aksk-vectors-gen makes them).
const sdkVectors = "../hwcloud/testdata/aksk-signature-vectors.json"

// The fake checks signatures with the client's signer: so that a mistake
// the two share cannot pass, the fake is held to the signatures the
// official SDK made. It takes each of them, as sent, and refuses each with
// one digit of the signature changed.
func TestServer_sdkSignatureVectors(t *testing.T) {
	raw, err := os.ReadFile(sdkVectors)
	if err != nil {
		t.Fatal(err)
	}
	var vectors []struct {
		Name, Method, URL, Body, Authorization string
		Headers                                map[string]string
		AccessKey                              string `json:"access_key"`
		SecretKey                              string `json:"secret_key"`
	}
	if err := json.Unmarshal(raw, &vectors); err != nil || len(vectors) == 0 {
		t.Fatalf("%d vectors, %v", len(vectors), err)
	}
	for _, v := range vectors {
		t.Run(v.Name, func(t *testing.T) {
			signedAt, err := time.Parse("20060102T150405Z", v.Headers["X-Sdk-Date"])
			if err != nil {
				t.Fatal(err)
			}
			// The vectors were signed at a fixed time: the fake's clock
			// skew is widened to reach it.
			cfg := hssfake.Config{
				Keys:      map[string]hssfake.Credential{v.AccessKey: {SecretKey: v.SecretKey, SecurityToken: v.Headers["X-Security-Token"]}},
				ClockSkew: time.Since(signedAt).Abs() + time.Hour,
				Agencies:  []hssfake.Agency{{Name: "hss-reader", DomainName: "other-account"}},
			}
			probe := httptest.NewRequestWithContext(t.Context(), v.Method, v.URL, nil)
			if seg := strings.Split(probe.URL.Path, "/"); len(seg) == 5 && seg[1] == "v5" {
				cfg.Projects = []hssfake.Project{{ID: seg[2]}}
			}
			fake := hssfake.New(cfg, nil)
			send := func(authorization string) (int, string) {
				req := httptest.NewRequestWithContext(t.Context(), v.Method, v.URL, strings.NewReader(v.Body))
				for k, val := range v.Headers {
					if http.CanonicalHeaderKey(k) == "Host" {
						req.Host = val
					} else {
						req.Header.Set(k, val)
					}
				}
				req.Header.Set("Authorization", authorization)
				rec := httptest.NewRecorder()
				fake.ServeHTTP(rec, req)
				return rec.Code, rec.Body.String()
			}
			if status, body := send(v.Authorization); status == http.StatusUnauthorized || status == http.StatusForbidden || status >= 500 {
				t.Fatalf("the SDK's signature got %d: %s", status, body)
			}
			i := strings.LastIndex(v.Authorization, "Signature=") + len("Signature=")
			flipped := map[bool]string{true: "1", false: "0"}[v.Authorization[i] == '0']
			if status, body := send(v.Authorization[:i] + flipped + v.Authorization[i+1:]); status != http.StatusUnauthorized || !strings.Contains(body, "signature mismatch") {
				t.Fatalf("a changed signature got %d: %s", status, body)
			}
		})
	}
}

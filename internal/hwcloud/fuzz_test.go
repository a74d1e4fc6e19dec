package hwcloud

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// FuzzCanonicalRequest: a request signed by the client verifies on the
// server side after its URL has been sent over the wire, whatever the path
// and query hold; and escaping leaves only unreserved characters and %XX.
func FuzzCanonicalRequest(f *testing.F) {
	f.Add("v5/p-1/cluster-protect/events", "cluster_id=a+b%2Fc%2Bd%3De%26f~g_h.i&limit=10&offset=10")
	f.Add("v5/%E4%BC%81/cluster-protect/events", "enterprise_project_id=%E4%BC%81%E4%B8%9A&limit=200&offset=0")
	f.Add("v5/p/cluster-protect/events", "a=1&a=0&b=")
	f.Fuzz(func(t *testing.T, path, query string) {
		u, err := url.Parse("https://hss.example.com/" + path + "?" + query)
		if err != nil || u.Host != "hss.example.com" {
			return
		}
		req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, u.String(), nil)
		if err != nil {
			return
		}
		signer := Signer{AccessKey: "AK", SecretKey: "SK", SecurityToken: "tok"}
		signer.Sign(req, nil, time.Unix(1_700_000_000, 0))

		// What the server sees: the request line, parsed back.
		received, err := http.NewRequestWithContext(t.Context(), http.MethodGet, "https://hss.example.com"+req.URL.RequestURI(), nil)
		if err != nil {
			t.Fatalf("the server cannot parse %q: %v", req.URL.RequestURI(), err)
		}
		received.Header = req.Header.Clone()
		signed := SignedHeaderNames(received)
		want := AuthorizationValue("AK", signed, Signature("SK", StringToSign(received, signed, PayloadHash(nil))))
		if got := req.Header.Get(HeaderAuthorization); got != want {
			t.Fatalf("signature does not verify after transmission of %q\nclient: %s\nserver: %s\nclient canonical:\n%s\nserver canonical:\n%s",
				req.URL.RequestURI(), got, want, CanonicalRequest(req, signed, PayloadHash(nil)), CanonicalRequest(received, signed, PayloadHash(nil)))
		}
		for _, part := range []string{canonicalURI(req.URL), canonicalQuery(req.URL)} {
			for i := 0; i < len(part); i++ {
				c := part[i]
				if c == '%' {
					if i+2 >= len(part) || !strings.ContainsRune("0123456789ABCDEF", rune(part[i+1])) || !strings.ContainsRune("0123456789ABCDEF", rune(part[i+2])) {
						t.Fatalf("bad escape in %q", part)
					}
					continue
				}
				unreserved := c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || strings.IndexByte("-_.~/=&%", c) >= 0
				if !unreserved {
					t.Fatalf("unescaped %q in %q", c, part)
				}
			}
		}
	})
}

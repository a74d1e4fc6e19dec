package hwcloud

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"
)

// Header names and the algorithm tag used by Huawei Cloud's SDK-HMAC-SHA256 scheme.
const (
	HeaderAuthorization = "Authorization"
	HeaderSdkDate       = "X-Sdk-Date"
	HeaderSecurityToken = "X-Security-Token"
	HeaderAuthToken     = "X-Auth-Token"
	HeaderRequestID     = "X-Request-Id"

	signAlgorithm = "SDK-HMAC-SHA256"
	sdkDateLayout = "20060102T150405Z"
)

// PayloadHash is the hex SHA-256 of a request's body, as it is signed.
func PayloadHash(body []byte) string {
	sum := sha256.Sum256(body)
	return hex.EncodeToString(sum[:])
}

// Signer signs requests with an access key / secret key pair.
type Signer struct {
	AccessKey     string
	SecretKey     string
	SecurityToken string
}

// Sign adds X-Sdk-Date (when absent), X-Security-Token (when configured) and
// the Authorization header to r, whose body is body (nil for none).
func (s Signer) Sign(r *http.Request, body []byte, now time.Time) {
	if r.Header.Get(HeaderSdkDate) == "" {
		r.Header.Set(HeaderSdkDate, now.UTC().Format(sdkDateLayout))
	}
	if s.SecurityToken != "" {
		r.Header.Set(HeaderSecurityToken, s.SecurityToken)
	}
	signed := SignedHeaderNames(r)
	sig := Signature(s.SecretKey, StringToSign(r, signed, PayloadHash(body)))
	r.Header.Set(HeaderAuthorization, AuthorizationValue(s.AccessKey, signed, sig))
}

// AuthorizationValue formats the Authorization header value.
func AuthorizationValue(accessKey string, signedHeaders []string, signature string) string {
	return signAlgorithm + " Access=" + accessKey + ", SignedHeaders=" + strings.Join(signedHeaders, ";") + ", Signature=" + signature
}

// SignedHeaderNames lists, lower-cased and sorted, the headers covered by the
// signature: the host, the date and, for temporary credentials, the token.
// Other headers (User-Agent, Accept) are left out so that proxies that touch
// them cannot break a signature.
func SignedHeaderNames(r *http.Request) []string {
	names := []string{"host", strings.ToLower(HeaderSdkDate)}
	if r.Header.Get(HeaderSecurityToken) != "" {
		names = append(names, strings.ToLower(HeaderSecurityToken))
	}
	sort.Strings(names)
	return names
}

// StringToSign builds the string that is HMACed, from r, the headers named
// in signedHeaders (lower case, sorted) and the PayloadHash of its body.
func StringToSign(r *http.Request, signedHeaders []string, payloadHash string) string {
	sum := sha256.Sum256([]byte(CanonicalRequest(r, signedHeaders, payloadHash)))
	return signAlgorithm + "\n" + r.Header.Get(HeaderSdkDate) + "\n" + hex.EncodeToString(sum[:])
}

// CanonicalRequest is the request in the canonical form the gateway hashes.
func CanonicalRequest(r *http.Request, signedHeaders []string, payloadHash string) string {
	var headers strings.Builder
	for _, name := range signedHeaders {
		headers.WriteString(name)
		headers.WriteByte(':')
		headers.WriteString(strings.TrimSpace(headerValue(r, name)))
		headers.WriteByte('\n')
	}
	return strings.Join([]string{
		r.Method,
		canonicalURI(r.URL),
		canonicalQuery(r.URL),
		headers.String(),
		strings.Join(signedHeaders, ";"),
		payloadHash,
	}, "\n")
}

// Signature is the hex HMAC-SHA256 of stringToSign keyed by the secret key.
func Signature(secretKey, stringToSign string) string {
	mac := hmac.New(sha256.New, []byte(secretKey))
	mac.Write([]byte(stringToSign))
	return hex.EncodeToString(mac.Sum(nil))
}

func headerValue(r *http.Request, lowerName string) string {
	if lowerName == "host" {
		if r.Host != "" {
			return r.Host
		}
		return r.URL.Host
	}
	return r.Header.Get(lowerName)
}

// canonicalURI escapes each path segment and always ends in a slash, as the
// gateway's signer does.
func canonicalURI(u *url.URL) string {
	segments := strings.Split(u.Path, "/")
	for i, s := range segments {
		segments[i] = signEscape(s)
	}
	p := strings.Join(segments, "/")
	if !strings.HasSuffix(p, "/") {
		p += "/"
	}
	return p
}

// canonicalQuery sorts the query, decoded as the gateway decodes it (RFC
// 3986: a "+" is a plus sign), by key (and values of one key), and escapes
// both sides again with signEscape.
func canonicalQuery(u *url.URL) string {
	q, _ := ParseQuery(u.RawQuery) // pairs that do not decode are left out, as url.Query leaves them
	keys := make([]string, 0, len(q))
	for k := range q {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var parts []string
	for _, k := range keys {
		values := append([]string(nil), q[k]...)
		sort.Strings(values)
		for _, v := range values {
			parts = append(parts, signEscape(k)+"="+signEscape(v))
		}
	}
	return strings.Join(parts, "&")
}

// signEscape percent-encodes everything but the RFC 3986 unreserved
// characters, with upper-case hex digits.
func signEscape(s string) string {
	const hexDigits = "0123456789ABCDEF"
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		if ('A' <= c && c <= 'Z') || ('a' <= c && c <= 'z') || ('0' <= c && c <= '9') || c == '-' || c == '_' || c == '.' || c == '~' {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hexDigits[c>>4])
		b.WriteByte(hexDigits[c&15])
	}
	return b.String()
}

package hssfake

import (
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/clusterprotect/terraform-provider-clusterprotect/internal/hwcloud"
)

// sdkDateLayout is how X-Sdk-Date writes the time the request was signed.
const sdkDateLayout = "20060102T150405Z"

// authenticate checks a request's token or signature (over body) and returns
// who made it ("token" or the access key), or why it is refused.
//
// A signature must cover x-sdk-date; any other header it lists is checked
// as sent, and host need not be among them. Our signer signs host,
// x-sdk-date and x-security-token; the Huawei Cloud provider's SDK
// (chnsz/golangsdk) signs every header it has set by then (accept,
// user-agent, content-type, x-sdk-date) but not host, and sets
// X-Security-Token after signing. The fake takes both, so the two providers
// can run side by side on it. Whether the real gateway requires host, or a
// signed security token, is not known here: its documents do not say, and
// the fake is lenient in both rather than guess.
//
// The signature is computed with the client's signer (hwcloud), which is
// not the fake's own: TestServer_sdkSignatureVectors holds the fake to the
// signatures the official SDK made.
func (s *Server) authenticate(r *http.Request, body []byte) (string, string) {
	if tok := r.Header.Get(headerAuthToken); tok != "" {
		return s.authenticateToken(tok)
	}
	auth := r.Header.Get(headerAuthorization)
	if auth == "" {
		return "", "no X-Auth-Token and no Authorization header"
	}
	access, signed, sig, ok := parseAuthorization(auth)
	if !ok {
		return "", "malformed Authorization header"
	}
	cred, expires, known := s.credential(access)
	if !known {
		return "", "unknown access key"
	}
	if msg := s.checkDate(r, signed); msg != "" {
		return "", msg
	}
	if msg := checkSecurityToken(cred, r.Header.Get(headerSecurityToken)); msg != "" {
		return "", msg
	}
	want := hwcloud.Signature(cred.SecretKey, hwcloud.StringToSign(r, signed, hwcloud.PayloadHash(body)))
	if want != sig {
		return "", "signature mismatch"
	}
	if !expires.IsZero() && !s.now().Before(expires) {
		return "", "the security token has expired"
	}
	return access, ""
}

// authenticateToken accepts a project's token, or a subject token issued
// for an id token and not expired.
func (s *Server) authenticateToken(tok string) (string, string) {
	if slices.ContainsFunc(s.cfg.Projects, func(p Project) bool { return slices.Contains(p.Tokens, tok) }) {
		return "token", ""
	}
	s.mu.Lock()
	expires, subject := s.subjectTokens[tok]
	s.mu.Unlock()
	if subject && s.now().Before(expires) {
		return "token", ""
	}
	return "", "the token is invalid or expired"
}

// credential is the configured or issued credential of an access key, with
// its expiry (zero for a configured one).
func (s *Server) credential(access string) (Credential, time.Time, bool) {
	if cred, ok := s.cfg.Keys[access]; ok {
		return cred, time.Time{}, true
	}
	s.mu.Lock()
	tmp, issued := s.temporary[access]
	s.mu.Unlock()
	return tmp.Credential, tmp.expires, issued
}

// checkDate refuses a missing, unsigned or stale X-Sdk-Date.
func (s *Server) checkDate(r *http.Request, signed []string) string {
	date, err := time.Parse(sdkDateLayout, r.Header.Get(headerSdkDate))
	if err != nil {
		return "missing or malformed X-Sdk-Date"
	}
	if d := s.now().Sub(date); d > s.cfg.ClockSkew || d < -s.cfg.ClockSkew {
		return "X-Sdk-Date is too far from the server's clock"
	}
	if !slices.Contains(signed, "x-sdk-date") {
		return "x-sdk-date must be signed"
	}
	return ""
}

// checkSecurityToken refuses temporary keys without their token, and a
// token sent with permanent keys.
func checkSecurityToken(cred Credential, sent string) string {
	switch {
	case cred.SecurityToken != "" && sent != cred.SecurityToken:
		return "temporary credentials need their X-Security-Token"
	case cred.SecurityToken == "" && sent != "":
		return "the security token does not belong to this access key"
	}
	return ""
}

// parseAuthorization splits "SDK-HMAC-SHA256 Access=…, SignedHeaders=…, Signature=…".
func parseAuthorization(v string) (access string, signed []string, sig string, ok bool) {
	rest, found := strings.CutPrefix(v, "SDK-HMAC-SHA256 ")
	if !found {
		return "", nil, "", false
	}
	for _, part := range strings.Split(rest, ",") {
		k, val, _ := strings.Cut(strings.TrimSpace(part), "=")
		switch k {
		case "Access":
			access = val
		case "SignedHeaders":
			signed = strings.Split(val, ";")
		case "Signature":
			sig = val
		}
	}
	return access, signed, sig, access != "" && len(signed) > 0 && sig != ""
}

// authorize refuses, as the gateway does, a project the account does not
// have, a project of another region than the endpoint's, and a token scoped
// to another project.
func (s *Server) authorize(w http.ResponseWriter, r *http.Request, who, project, region string) int {
	i := slices.IndexFunc(s.cfg.Projects, func(p Project) bool { return p.ID == project })
	if i < 0 {
		return fail(w, http.StatusForbidden, CodeProject, "The project is unavailable.")
	}
	if region != "" && s.cfg.Projects[i].Region() != region {
		return fail(w, http.StatusForbidden, CodeProject, "The project is unavailable: it is not a project of region "+region+".")
	}
	if who == "token" && !slices.Contains(s.cfg.Projects[i].Tokens, r.Header.Get(headerAuthToken)) {
		return fail(w, http.StatusForbidden, CodeForbidden, "The IAM user is not authorized to access the API: the token is not scoped to this project.")
	}
	return 0
}

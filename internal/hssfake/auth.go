package hssfake

import (
	"cmp"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/clusterprotect/terraform-provider-clusterprotect/internal/hwcloud"
)

// sdkDateLayout is how X-Sdk-Date writes the time the request was signed.
const sdkDateLayout = "20060102T150405Z"

// caller is who made a request.
type caller struct {
	token  string // the X-Auth-Token, "" for access keys
	domain string // the account whose projects the caller opens; "" for every project (the fake without Accounts)
}

// authenticate checks a request's token or signature (over body) and returns
// who made it, or why it is refused.
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
func (s *Server) authenticate(r *http.Request, body []byte) (caller, string) {
	if tok := r.Header.Get(headerAuthToken); tok != "" {
		return s.authenticateToken(tok)
	}
	auth := r.Header.Get(headerAuthorization)
	if auth == "" {
		return caller{}, "no X-Auth-Token and no Authorization header"
	}
	access, signed, sig, ok := parseAuthorization(auth)
	if !ok {
		return caller{}, "malformed Authorization header"
	}
	key, known := s.credential(access)
	if !known {
		return caller{}, "unknown access key"
	}
	if msg := s.checkDate(r, signed); msg != "" {
		return caller{}, msg
	}
	if msg := checkSecurityToken(key.Credential, r.Header.Get(headerSecurityToken)); msg != "" {
		return caller{}, msg
	}
	want := hwcloud.Signature(key.SecretKey, hwcloud.StringToSign(r, signed, hwcloud.PayloadHash(body)))
	if want != sig {
		return caller{}, "signature mismatch"
	}
	if !key.expires.IsZero() && !s.now().Before(key.expires) {
		return caller{}, "the security token has expired"
	}
	return caller{domain: key.domain}, ""
}

// authenticateToken accepts a project's token, or a subject token issued
// for an id token and not expired.
func (s *Server) authenticateToken(tok string) (caller, string) {
	if i := slices.IndexFunc(s.cfg.Projects, func(p Project) bool { return slices.Contains(p.Tokens, tok) }); i >= 0 {
		return caller{token: tok, domain: s.domainOf(s.cfg.Projects[i].DomainID)}, ""
	}
	s.mu.Lock()
	expires, subject := s.subjectTokens[tok]
	s.mu.Unlock()
	if subject && s.now().Before(expires) {
		return caller{token: tok, domain: s.home()}, ""
	}
	return caller{}, "the token is invalid or expired"
}

// credential is the configured or issued key of an access key: its
// credential, account and expiry (zero for a configured one).
func (s *Server) credential(access string) (temporaryKey, bool) {
	if cred, ok := s.cfg.Keys[access]; ok {
		return temporaryKey{Credential: cred, domain: s.home()}, true
	}
	for _, a := range s.cfg.Accounts {
		if cred, ok := a.Keys[access]; ok {
			return temporaryKey{Credential: cred, domain: a.DomainID}, true
		}
	}
	s.mu.Lock()
	tmp, issued := s.temporary[access]
	s.mu.Unlock()
	return tmp, issued
}

// home is the account of Config.Keys, the IdPs and the ECS agency: the
// first of Accounts, or "" (every project) without Accounts.
func (s *Server) home() string {
	if len(s.cfg.Accounts) == 0 {
		return ""
	}
	return s.cfg.Accounts[0].DomainID
}

// domainOf is the account a credential of domain opens: domain itself with
// Accounts (a project of no account opens none), and every project ("")
// without.
func (s *Server) domainOf(domain string) string {
	if len(s.cfg.Accounts) == 0 {
		return ""
	}
	return cmp.Or(domain, "no account")
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

// authorize refuses, as the gateway does, a project that no account has, a
// project of another region than the endpoint's, a project of another
// account than the caller's, and a token scoped to another project.
//
// The gateway's documents do not say which error code a project of another
// account gets. The fake answers 403 APIGW.0302 ("The IAM user is not
// authorized to access the API", the gateway's code for an IAM principal
// refused an API), as for a token of another project; a client should
// take any 403 as "no access", whatever its code.
func (s *Server) authorize(w http.ResponseWriter, who caller, project, region string) int {
	i := slices.IndexFunc(s.cfg.Projects, func(p Project) bool { return p.ID == project })
	if i < 0 {
		return fail(w, http.StatusForbidden, CodeProject, "The project is unavailable.")
	}
	p := s.cfg.Projects[i]
	if region != "" && p.Region() != region {
		return fail(w, http.StatusForbidden, CodeProject, "The project is unavailable: it is not a project of region "+region+".")
	}
	if who.domain != "" && p.DomainID != who.domain {
		return fail(w, http.StatusForbidden, CodeForbidden, "The IAM user is not authorized to access the API: the project belongs to another account.")
	}
	if who.token != "" && !slices.Contains(p.Tokens, who.token) {
		return fail(w, http.StatusForbidden, CodeForbidden, "The IAM user is not authorized to access the API: the token is not scoped to this project.")
	}
	return 0
}

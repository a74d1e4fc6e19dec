package hssfake

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"slices"
	"time"
)

// The IAM and ECS metadata routes the provider uses.
const (
	iamProjectsPath       = "/v3/projects"
	iamIDTokenPath        = "/v3.0/OS-AUTH/id-token/tokens"
	iamSecurityTokensPath = "/v3.0/OS-CREDENTIAL/securitytokens"
	metadataKeyPath       = "/openstack/latest/securitykey"
)

// Our stand-ins for IAM's error codes.
const (
	CodeIAMForbidden  = "IAM.0003"
	CodeIAMBadRequest = "IAM.0001"
	CodeIAMAuth       = "IAM.0002"
)

// temporaryKey is an access key: an issued one is valid with its security
// token until it expires (a configured one has no expiry). It opens the
// projects of its account (domain; "" for every project).
type temporaryKey struct {
	Credential
	expires time.Time
	domain  string
}

// temporaryCredential is how IAM and the metadata service hand out keys.
type temporaryCredential struct {
	Access        string `json:"access"`
	Secret        string `json:"secret"`
	SecurityToken string `json:"securitytoken"`
	ExpiresAt     string `json:"expires_at"`
}

func randomString(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// issue makes temporary keys for duration (or the configured lifetime) that
// open the projects of domain.
func (s *Server) issue(duration time.Duration, domain string) temporaryCredential {
	if s.cfg.TemporaryKeyLifetime > 0 {
		duration = s.cfg.TemporaryKeyLifetime
	}
	if duration <= 0 {
		duration = time.Hour
	}
	expires := s.now().Add(duration).UTC()
	key := temporaryKey{Credential: Credential{SecretKey: "tmp-sk-" + randomString(16), SecurityToken: "tmp-sts-" + randomString(24)}, expires: expires, domain: domain}
	ak := "TMPAK" + randomString(8)
	s.mu.Lock()
	s.temporary[ak] = key
	s.mu.Unlock()
	return temporaryCredential{Access: ak, Secret: key.SecretKey, SecurityToken: key.SecurityToken, ExpiresAt: expires.Format(time.RFC3339Nano)}
}

// iam counts a request to an IAM route and, once Faults.IAMLatency is
// waited out, reads its body, answers Faults.IAMStatus if set, and else
// serves it. IAM is global: every region's endpoint lists every project.
func (s *Server) iam(route string, serve func(http.ResponseWriter, *http.Request, []byte)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		status := s.countIAM(route)
		if !s.iamDelay(r) {
			return
		}
		body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
		if err != nil {
			fail(w, http.StatusBadRequest, CodeIAMBadRequest, "unreadable body")
			return
		}
		switch status {
		case 0:
			serve(w, r, body)
		case http.StatusForbidden:
			fail(w, status, CodeIAMForbidden, "Policy doesn't allow this action to be performed.")
		default:
			fail(w, status, CodeServerError, http.StatusText(status))
		}
	}
}

// iamWrongMethod answers an IAM route asked with another method than allow.
func (s *Server) iamWrongMethod(route, allow string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		s.countIAM(route)
		if s.iamDelay(r) {
			wrongMethod(allow)(w, r)
		}
	}
}

// countIAM counts a request to an IAM route, and returns the
// Faults.IAMStatus it is to get.
func (s *Server) countIAM(route string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.stats.IAMRequests++
	s.stats.IAMByRoute[route]++
	return s.faults.IAMStatus
}

// metadata counts a request to the ECS metadata route and, once
// Faults.IAMLatency is waited out, serves it.
func (s *Server) metadata(serve http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.stats.MetadataRequests++
		s.mu.Unlock()
		if s.iamDelay(r) {
			serve(w, r)
		}
	}
}

// serveProjects answers GET /v3/projects?name=..., authenticated as HSS
// requests are, with the projects of the caller's account.
func (s *Server) serveProjects(w http.ResponseWriter, r *http.Request, body []byte) {
	who, msg := s.authenticate(r, body)
	if msg != "" {
		fail(w, http.StatusUnauthorized, CodeAuth, "Incorrect IAM authentication information: "+msg)
		return
	}
	q, err := parseQuery(r.URL.RawQuery)
	if err != nil {
		fail(w, http.StatusBadRequest, CodeIAMBadRequest, "The query is not percent-encoded: "+err.Error())
		return
	}
	name, filtered := q["name"]
	projects := []Project{}
	for _, p := range s.cfg.Projects {
		if (!filtered || p.Name == name[0]) && (who.domain == "" || p.DomainID == who.domain) {
			projects = append(projects, p)
		}
	}
	w.WriteHeader(http.StatusOK)
	_ = json.NewEncoder(w).Encode(map[string]any{
		"projects": projects,
		"links":    map[string]any{"self": "https://" + r.Host + r.URL.RequestURI(), "previous": nil, "next": nil},
	})
}

// serveIDToken exchanges an OIDC id token of a known identity provider for
// a federated subject token, in the X-Subject-Token header.
func (s *Server) serveIDToken(w http.ResponseWriter, r *http.Request, body []byte) {
	var req struct {
		Auth struct {
			IDToken struct {
				ID string `json:"id"`
			} `json:"id_token"`
		} `json:"auth"`
	}
	if err := json.Unmarshal(body, &req); err != nil || req.Auth.IDToken.ID == "" {
		fail(w, http.StatusBadRequest, CodeIAMBadRequest, "The request body must be {\"auth\": {\"id_token\": {\"id\": ...}}}.")
		return
	}
	s.mu.Lock()
	accepted, known := s.cfg.IdentityProviders[r.Header.Get("X-Idp-Id")]
	s.mu.Unlock()
	if !known {
		fail(w, http.StatusNotFound, CodeIAMBadRequest, "The identity provider in X-Idp-Id does not exist.")
		return
	}
	if !slices.Contains(accepted, req.Auth.IDToken.ID) {
		fail(w, http.StatusUnauthorized, CodeIAMAuth, "The id token is invalid or expired.")
		return
	}
	token := "subject-" + randomString(24)
	lifetime := s.cfg.TemporaryKeyLifetime
	if lifetime <= 0 {
		lifetime = time.Hour
	}
	s.mu.Lock()
	s.subjectTokens[token] = s.now().Add(lifetime)
	s.mu.Unlock()
	w.Header().Set("X-Subject-Token", token)
	s.sendCredential(w, iamIDTokenPath, http.StatusCreated, map[string]any{"token": map[string]any{"methods": []string{"mapped"}, "expires_at": s.now().Add(lifetime).UTC().Format(time.RFC3339)}}, token)
}

// securityTokenRequest is the body of POST /v3.0/OS-CREDENTIAL/securitytokens.
type securityTokenRequest struct {
	Auth struct {
		Identity identity `json:"identity"`
	} `json:"auth"`
}

type identity struct {
	Methods []string `json:"methods"`
	Token   *struct {
		ID       string `json:"id"`
		Duration int    `json:"duration_seconds"`
	} `json:"token"`
	AssumeRole *assumeRole `json:"assume_role"`
}

type assumeRole struct {
	AgencyName string `json:"agency_name"`
	DomainName string `json:"domain_name"`
	DomainID   string `json:"domain_id"`
	Duration   int    `json:"duration_seconds"`
}

// refusal is an IAM error answer.
type refusal struct {
	status    int
	code, msg string
}

// serveSecurityTokens issues temporary keys: for a (federated) token, or
// for an agency assumed with access keys.
func (s *Server) serveSecurityTokens(w http.ResponseWriter, r *http.Request, body []byte) {
	who, msg := s.authenticate(r, body)
	if msg != "" {
		fail(w, http.StatusUnauthorized, CodeAuth, "Incorrect IAM authentication information: "+msg)
		return
	}
	var req securityTokenRequest
	if err := json.Unmarshal(body, &req); err != nil || len(req.Auth.Identity.Methods) != 1 {
		fail(w, http.StatusBadRequest, CodeIAMBadRequest, "The request body is not a security token request.")
		return
	}
	duration, domain, refused := s.securityTokenScope(who, req.Auth.Identity)
	if refused == nil && (duration < 900 || duration > 43200) {
		refused = &refusal{http.StatusBadRequest, CodeIAMBadRequest, "duration_seconds must be 900 to 43200."}
	}
	if refused != nil {
		fail(w, refused.status, refused.code, refused.msg)
		return
	}
	c := s.issue(time.Duration(duration)*time.Second, domain)
	s.sendCredential(w, iamSecurityTokensPath, http.StatusCreated, map[string]any{"credential": c}, c.Secret, c.SecurityToken)
}

// securityTokenScope checks the identity a security token is asked for, by
// who, and returns the duration asked for (900 seconds when none is) and
// the account whose projects the keys will open: the caller's for a token,
// the granting account's for an agency.
func (s *Server) securityTokenScope(who caller, id identity) (int, string, *refusal) {
	duration, domain := 0, who.domain
	switch {
	case id.Methods[0] == "token" && id.Token != nil:
		if who.token == "" || id.Token.ID != who.token {
			return 0, "", &refusal{http.StatusUnauthorized, CodeIAMAuth, "The token in the body must be the X-Auth-Token of the request."}
		}
		duration = id.Token.Duration
	case id.Methods[0] == "assume_role" && id.AssumeRole != nil:
		var refused *refusal
		if domain, refused = s.assumeRole(who, id.AssumeRole); refused != nil {
			return 0, "", refused
		}
		duration = id.AssumeRole.Duration
	default:
		return 0, "", &refusal{http.StatusBadRequest, CodeIAMBadRequest, "methods must be [\"token\"] or [\"assume_role\"] with its object."}
	}
	if duration == 0 {
		duration = 900
	}
	return duration, domain, nil
}

// assumeRole refuses an agency assumed with a token, named by both or
// neither of domain_name and domain_id, not configured, or (with Accounts)
// that does not trust the caller's account; else it returns the account
// whose projects the agency opens.
func (s *Server) assumeRole(who caller, a *assumeRole) (string, *refusal) {
	if who.token != "" {
		return "", &refusal{http.StatusForbidden, CodeIAMForbidden, "An agency is assumed with access keys, not a token."}
	}
	if (a.DomainName == "") == (a.DomainID == "") {
		return "", &refusal{http.StatusBadRequest, CodeIAMBadRequest, "Exactly one of domain_name and domain_id is required."}
	}
	i := slices.IndexFunc(s.cfg.Agencies, func(g Agency) bool {
		return g.Name == a.AgencyName && (a.DomainName != "" && g.DomainName == a.DomainName || a.DomainID != "" && g.DomainID == a.DomainID) &&
			(who.domain == "" || g.Trusts == "" || g.Trusts == who.domain)
	})
	if i < 0 {
		return "", &refusal{http.StatusForbidden, CodeIAMForbidden, "The agency does not exist or does not trust this account."}
	}
	return s.grantor(s.cfg.Agencies[i]), nil
}

// grantor is the account whose projects an agency's keys open: "" (every
// project) without Accounts; else the account g names, or, for an account
// the fake does not have, a domain that owns no project.
func (s *Server) grantor(g Agency) string {
	if len(s.cfg.Accounts) == 0 {
		return ""
	}
	for _, a := range s.cfg.Accounts {
		if g.DomainID != "" && a.DomainID == g.DomainID || g.DomainName != "" && a.DomainName == g.DomainName {
			return a.DomainID
		}
	}
	return "unknown account " + g.DomainID + g.DomainName
}

// serveMetadata hands out the ECS agency's temporary keys, on an ECS with
// an agency.
func (s *Server) serveMetadata(w http.ResponseWriter, r *http.Request) {
	if !s.cfg.ECSAgency {
		http.NotFound(w, r)
		return
	}
	c := s.issue(0, s.home())
	s.sendCredential(w, metadataKeyPath, http.StatusOK, map[string]any{"credential": c}, c.Secret, c.SecurityToken)
}

// sendCredential writes an answer of route (named without a region's
// prefix) that hands out secrets, or what Faults.CredentialAnswer makes of
// it.
func (s *Server) sendCredential(w http.ResponseWriter, route string, status int, doc any, secrets ...string) {
	body, _ := json.Marshal(doc)
	s.mu.Lock()
	replace := s.faults.CredentialAnswer
	s.mu.Unlock()
	if replace != nil {
		var contentType string
		contentType, body = replace(route, secrets, body)
		w.Header().Set("Content-Type", contentType)
	}
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// iamDelay waits out Faults.IAMLatency; false when the client gave up first.
func (s *Server) iamDelay(r *http.Request) bool {
	s.mu.Lock()
	latency := s.faults.IAMLatency
	s.mu.Unlock()
	if latency <= 0 {
		return true
	}
	select {
	case <-time.After(latency):
		return true
	case <-r.Context().Done():
		return false
	}
}

// ExpireIssuedKeys ends every temporary key and subject token issued so
// far, as if they had expired early.
func (s *Server) ExpireIssuedKeys() {
	s.mu.Lock()
	defer s.mu.Unlock()
	past := s.now().Add(-time.Second)
	for ak, k := range s.temporary {
		k.expires = past
		s.temporary[ak] = k
	}
	for tok := range s.subjectTokens {
		s.subjectTokens[tok] = past
	}
}

// IssuedSecrets are every secret key, security token and subject token
// handed out, for tests that look for leaks.
func (s *Server) IssuedSecrets() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for _, k := range s.temporary {
		out = append(out, k.SecretKey, k.SecurityToken)
	}
	for tok := range s.subjectTokens {
		out = append(out, tok)
	}
	return out
}

// SetIdentityProvider replaces the id tokens an identity provider accepts.
func (s *Server) SetIdentityProvider(idpID string, idTokens ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cfg.IdentityProviders == nil {
		s.cfg.IdentityProviders = map[string][]string{}
	}
	s.cfg.IdentityProviders[idpID] = idTokens
}

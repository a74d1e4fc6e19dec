package hssfake

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"slices"
	"time"

	"github.com/clusterprotect/terraform-provider-clusterprotect/internal/hwcloud"
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

// temporaryKey is an issued access key, valid with its security token until
// it expires.
type temporaryKey struct {
	Credential
	expires time.Time
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

// issue makes temporary keys for duration (or the configured lifetime).
func (s *Server) issue(duration time.Duration) temporaryCredential {
	if s.cfg.TemporaryKeyLifetime > 0 {
		duration = s.cfg.TemporaryKeyLifetime
	}
	if duration <= 0 {
		duration = time.Hour
	}
	expires := s.now().Add(duration).UTC()
	key := temporaryKey{Credential: Credential{SecretKey: "tmp-sk-" + randomString(16), SecurityToken: "tmp-sts-" + randomString(24)}, expires: expires}
	ak := "TMPAK" + randomString(8)
	s.mu.Lock()
	s.temporary[ak] = key
	s.mu.Unlock()
	return temporaryCredential{Access: ak, Secret: key.SecretKey, SecurityToken: key.SecurityToken, ExpiresAt: expires.Format(time.RFC3339Nano)}
}

// serveIAM answers the IAM routes, at route within a region's endpoint or
// not, and the metadata route, at no region's; it reports whether r was
// one. IAM is global: every region's endpoint lists every project.
func (s *Server) serveIAM(w http.ResponseWriter, r *http.Request, route, region string) bool {
	var serve func(http.ResponseWriter, *http.Request, []byte)
	switch route {
	case iamProjectsPath:
		serve = s.serveProjects
	case iamIDTokenPath:
		serve = s.serveIDToken
	case iamSecurityTokensPath:
		serve = s.serveSecurityTokens
	case metadataKeyPath:
		if region != "" {
			return false
		}
		s.mu.Lock()
		s.stats.MetadataRequests++
		s.mu.Unlock()
		if s.iamDelay(r) {
			s.serveMetadata(w, r)
		}
		return true
	default:
		return false
	}
	s.mu.Lock()
	s.stats.IAMRequests++
	s.stats.IAMByRoute[route]++
	status := s.faults.IAMStatus
	s.mu.Unlock()
	if !s.iamDelay(r) {
		return true
	}
	want := http.MethodPost
	if route == iamProjectsPath {
		want = http.MethodGet
	}
	if r.Method != want {
		w.Header().Set("Allow", want)
		s.fail(w, http.StatusMethodNotAllowed, CodeMethod, "Method "+r.Method+" is not allowed; use "+want)
		return true
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil {
		s.fail(w, http.StatusBadRequest, CodeIAMBadRequest, "unreadable body")
		return true
	}
	switch status {
	case 0:
	case http.StatusForbidden:
		s.fail(w, status, CodeIAMForbidden, "Policy doesn't allow this action to be performed.")
		return true
	default:
		s.fail(w, status, CodeServerError, http.StatusText(status))
		return true
	}
	serve(w, r, body)
	return true
}

// serveProjects answers GET /v3/projects?name=..., authenticated as HSS
// requests are.
func (s *Server) serveProjects(w http.ResponseWriter, r *http.Request, body []byte) {
	if _, msg := s.authenticate(r, body); msg != "" {
		s.fail(w, http.StatusUnauthorized, CodeAuth, "Incorrect IAM authentication information: "+msg)
		return
	}
	q, err := hwcloud.ParseQuery(r.URL.RawQuery)
	if err != nil {
		s.fail(w, http.StatusBadRequest, CodeIAMBadRequest, "The query is not percent-encoded: "+err.Error())
		return
	}
	name, filtered := q["name"]
	projects := []Project{}
	for _, p := range s.cfg.Projects {
		if !filtered || p.Name == name[0] {
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
		s.fail(w, http.StatusBadRequest, CodeIAMBadRequest, "The request body must be {\"auth\": {\"id_token\": {\"id\": ...}}}.")
		return
	}
	s.mu.Lock()
	accepted, known := s.cfg.IdentityProviders[r.Header.Get("X-Idp-Id")]
	s.mu.Unlock()
	if !known {
		s.fail(w, http.StatusNotFound, CodeIAMBadRequest, "The identity provider in X-Idp-Id does not exist.")
		return
	}
	if !slices.Contains(accepted, req.Auth.IDToken.ID) {
		s.fail(w, http.StatusUnauthorized, CodeIAMAuth, "The id token is invalid or expired.")
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
	s.sendCredential(w, r.URL.Path, http.StatusCreated, map[string]any{"token": map[string]any{"methods": []string{"mapped"}, "expires_at": s.now().Add(lifetime).UTC().Format(time.RFC3339)}}, token)
}

// serveSecurityTokens issues temporary keys: for a (federated) token, or
// for an agency assumed with access keys.
func (s *Server) serveSecurityTokens(w http.ResponseWriter, r *http.Request, body []byte) {
	who, msg := s.authenticate(r, body)
	if msg != "" {
		s.fail(w, http.StatusUnauthorized, CodeAuth, "Incorrect IAM authentication information: "+msg)
		return
	}
	var req struct {
		Auth struct {
			Identity struct {
				Methods []string `json:"methods"`
				Token   *struct {
					ID       string `json:"id"`
					Duration int    `json:"duration_seconds"`
				} `json:"token"`
				AssumeRole *struct {
					AgencyName string `json:"agency_name"`
					DomainName string `json:"domain_name"`
					DomainID   string `json:"domain_id"`
					Duration   int    `json:"duration_seconds"`
				} `json:"assume_role"`
			} `json:"identity"`
		} `json:"auth"`
	}
	if err := json.Unmarshal(body, &req); err != nil || len(req.Auth.Identity.Methods) != 1 {
		s.fail(w, http.StatusBadRequest, CodeIAMBadRequest, "The request body is not a security token request.")
		return
	}
	id := req.Auth.Identity
	duration := 0
	switch {
	case id.Methods[0] == "token" && id.Token != nil:
		if who != "token" || id.Token.ID != r.Header.Get(hwcloud.HeaderAuthToken) {
			s.fail(w, http.StatusUnauthorized, CodeIAMAuth, "The token in the body must be the X-Auth-Token of the request.")
			return
		}
		duration = id.Token.Duration
	case id.Methods[0] == "assume_role" && id.AssumeRole != nil:
		a := id.AssumeRole
		if who == "token" {
			s.fail(w, http.StatusForbidden, CodeIAMForbidden, "An agency is assumed with access keys, not a token.")
			return
		}
		if (a.DomainName == "") == (a.DomainID == "") {
			s.fail(w, http.StatusBadRequest, CodeIAMBadRequest, "Exactly one of domain_name and domain_id is required.")
			return
		}
		if !slices.ContainsFunc(s.cfg.Agencies, func(g Agency) bool {
			return g.Name == a.AgencyName && (a.DomainName != "" && g.DomainName == a.DomainName || a.DomainID != "" && g.DomainID == a.DomainID)
		}) {
			s.fail(w, http.StatusForbidden, CodeIAMForbidden, "The agency does not exist or does not trust this account.")
			return
		}
		duration = a.Duration
	default:
		s.fail(w, http.StatusBadRequest, CodeIAMBadRequest, "methods must be [\"token\"] or [\"assume_role\"] with its object.")
		return
	}
	if duration == 0 {
		duration = 900
	}
	if duration < 900 || duration > 43200 {
		s.fail(w, http.StatusBadRequest, CodeIAMBadRequest, "duration_seconds must be 900 to 43200.")
		return
	}
	c := s.issue(time.Duration(duration) * time.Second)
	s.sendCredential(w, r.URL.Path, http.StatusCreated, map[string]any{"credential": c}, c.Secret, c.SecurityToken)
}

// serveMetadata hands out the ECS agency's temporary keys.
func (s *Server) serveMetadata(w http.ResponseWriter, r *http.Request) {
	if !s.cfg.ECSAgency || r.Method != http.MethodGet {
		http.NotFound(w, r)
		return
	}
	c := s.issue(0)
	s.sendCredential(w, r.URL.Path, http.StatusOK, map[string]any{"credential": c}, c.Secret, c.SecurityToken)
}

// sendCredential writes an answer that hands out secrets, or what
// Faults.CredentialAnswer makes of it.
func (s *Server) sendCredential(w http.ResponseWriter, path string, status int, doc any, secrets ...string) {
	_, route := s.cutRegion(path) // the route, under a region's endpoint or not
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

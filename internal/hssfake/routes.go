package hssfake

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"
)

// Header names of the gateway and of its signing scheme, the fake's own.
const (
	headerRequestID     = "X-Request-Id"
	headerAuthToken     = "X-Auth-Token"
	headerAuthorization = "Authorization"
	headerSdkDate       = "X-Sdk-Date"
	headerSecurityToken = "X-Security-Token"
)

// Error codes the fake answers with, the APIGW.* ones from the gateway's
// table: APIGW.0301 is failed IAM authentication, APIGW.0302 an IAM user
// not allowed to call the API (here: a token of another project, or keys
// of another account; see authorize), and APIGW.0310 a project that is
// unavailable. The HSS.* codes stand for the service's own parameter and
// server errors.
const (
	CodeAuth        = "APIGW.0301"
	CodeForbidden   = "APIGW.0302"
	CodeProject     = "APIGW.0310"
	CodeBadParam    = "HSS.0001"
	CodeNotFound    = "APIGW.0101"
	CodeMethod      = "APIGW.0102"
	CodeThrottled   = "APIGW.0308"
	CodeServerError = "HSS.0500"
)

// eventsPath is the events route (GET, per the document).
const eventsPath = "/v5/{project}/cluster-protect/events"

type errorBody struct {
	ErrorCode string `json:"error_code"`
	ErrorMsg  string `json:"error_msg"`
}

// routes are the fake's routes. Each is served under a region's prefix
// (http://host/{region}, a region's endpoint) and without (every region's),
// but ECS metadata, which is not a regional endpoint. What no route takes is
// the gateway's 404, counted as an HSS request as the gateway would.
func (s *Server) routes() *http.ServeMux {
	mux := http.NewServeMux()
	for _, region := range []string{"", "/{region}"} {
		for path, list := range map[string]listRoute{eventsPath: s.eventsList(), clustersPath: s.clustersList()} {
			s.handle(mux, http.MethodGet, region+path,
				s.hss(projectRoute(s.serveList(list))), s.hss(projectRoute(wrongMethod(http.MethodGet))))
		}
		s.handle(mux, http.MethodGet, region+iamProjectsPath,
			s.iam(iamProjectsPath, s.serveProjects), s.iamWrongMethod(iamProjectsPath, http.MethodGet))
		s.handle(mux, http.MethodPost, region+iamIDTokenPath,
			s.iam(iamIDTokenPath, s.serveIDToken), s.iamWrongMethod(iamIDTokenPath, http.MethodPost))
		s.handle(mux, http.MethodPost, region+iamSecurityTokensPath,
			s.iam(iamSecurityTokensPath, s.serveSecurityTokens), s.iamWrongMethod(iamSecurityTokensPath, http.MethodPost))
	}
	s.handle(mux, http.MethodGet, metadataKeyPath, s.metadata(s.serveMetadata), s.metadata(http.NotFound))
	mux.Handle("/", s.at(s.hss(notFound)))
	return mux
}

// handle registers h for method at path, and wrong for any other method,
// HEAD among them (a GET pattern would take HEAD).
func (s *Server) handle(mux *http.ServeMux, method, path string, h, wrong http.HandlerFunc) {
	mux.Handle(method+" "+path, s.at(h))
	mux.Handle(path, s.at(wrong))
	if method == http.MethodGet {
		mux.Handle(http.MethodHead+" "+path, s.at(wrong))
	}
}

// ServeHTTP answers as the HSS gateway, IAM and ECS metadata would, every
// answer with an X-Request-Id.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set(headerRequestID, newRequestID())
	if s.redirect(w, r) {
		return
	}
	w.Header().Set("Content-Type", "application/json;charset=UTF-8")
	s.mux.ServeHTTP(w, routable(r))
}

// original keys the request in the copy of it that the mux routes.
type original struct{}

// routable is the copy of r that the mux routes. The gateway, as the fake
// sees it, routes by the decoded path as it stands: an encoded slash
// separates segments, and nothing is cleaned or redirected. So the mux gets
// the decoded path's segments, each escaped again, with dot segments escaped
// too (it would clean them away), and a path with an empty segment, which
// no route has, as "/", which only the fallback takes. (The mux would
// answer an asterisk-form request, OPTIONS *, with a bare 400.)
func routable(r *http.Request) *http.Request {
	rr := r.WithContext(context.WithValue(r.Context(), original{}, r))
	rr.RequestURI = ""
	p := r.URL.Path
	if !strings.HasPrefix(p, "/") || strings.Contains(p, "//") {
		rr.URL = &url.URL{Path: "/"}
		return rr
	}
	segments := strings.Split(p[1:], "/")
	for i, seg := range segments {
		if seg == "." || seg == ".." {
			segments[i] = strings.Repeat("%2E", len(seg))
		} else {
			segments[i] = url.PathEscape(seg)
		}
	}
	rr.URL = &url.URL{Path: p, RawPath: "/" + strings.Join(segments, "/")}
	return rr
}

// at wraps a route's handler: it gives the request back its own URL and
// request-target, and sends a request whose {region} the fake does not
// serve (or whose first segment names a region the route has no {region}
// for) to the 404.
func (s *Server) at(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if orig, ok := r.Context().Value(original{}).(*http.Request); ok {
			r.URL, r.RequestURI = orig.URL, orig.RequestURI
		}
		if s.cutRegion(r.URL.Path) != r.PathValue("region") {
			s.hss(notFound)(w, r)
			return
		}
		h(w, r)
	}
}

// cutRegion is the region that the first path segment of p names, if it is
// the region of a configured project: under /{region}/ the fake is that
// region's endpoint.
func (s *Server) cutRegion(p string) string {
	seg, _, ok := strings.Cut(strings.TrimPrefix(p, "/"), "/")
	if ok && slices.ContainsFunc(s.cfg.Projects, func(pr Project) bool { return pr.Region() == seg }) {
		return seg
	}
	return ""
}

// hss counts an HSS request (any not IAM's nor ECS metadata's), waits out
// Faults.Latency, and counts the status serve sent.
func (s *Server) hss(serve func(http.ResponseWriter, *http.Request) int) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.stats.Requests++
		s.inFlight++
		s.stats.MaxInFlight = max(s.stats.MaxInFlight, s.inFlight)
		latency := s.faults.Latency
		s.mu.Unlock()
		defer func() {
			s.mu.Lock()
			s.inFlight--
			s.mu.Unlock()
		}()
		if latency > 0 {
			select {
			case <-time.After(latency):
			case <-r.Context().Done():
				return
			}
		}
		status := serve(w, r)
		s.mu.Lock()
		s.stats.ByStatus[status]++
		s.mu.Unlock()
	}
}

// projectRoute takes a route under /v5/{project} only for a project ID of
// at most maxIDLength characters; a longer one is no route.
func projectRoute(serve func(http.ResponseWriter, *http.Request) int) func(http.ResponseWriter, *http.Request) int {
	return func(w http.ResponseWriter, r *http.Request) int {
		if !validLength(r.PathValue("project"), 1, maxIDLength) {
			return notFound(w, r)
		}
		return serve(w, r)
	}
}

// notFound is the gateway's answer to a path no route takes.
func notFound(w http.ResponseWriter, r *http.Request) int {
	return fail(w, http.StatusNotFound, CodeNotFound, "No API found for path "+r.URL.Path)
}

// wrongMethod answers a route's path asked with another method than allow.
func wrongMethod(allow string) func(http.ResponseWriter, *http.Request) int {
	return func(w http.ResponseWriter, r *http.Request) int {
		w.Header().Set("Allow", allow)
		return fail(w, http.StatusMethodNotAllowed, CodeMethod, "Method "+r.Method+" is not allowed; use "+allow)
	}
}

// fail writes an error in the cloud's format and returns its status.
func fail(w http.ResponseWriter, status int, code, msg string) int {
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(errorBody{ErrorCode: code, ErrorMsg: msg})
	return status
}

func newRequestID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

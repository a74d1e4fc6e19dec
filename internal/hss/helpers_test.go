package hss_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/clusterprotect/terraform-provider-clusterprotect/internal/hss"
	"github.com/clusterprotect/terraform-provider-clusterprotect/internal/hssfake"
	"github.com/clusterprotect/terraform-provider-clusterprotect/internal/hwcloud"
)

const (
	testProject = "0123456789abcdef0123456789abcdef"
	testToken   = "test-token"
	testAK      = "TESTAK"
	testSK      = "test/secret+key"
)

// More projects of the test account: one whose ID needs escaping in the
// path, and one of the longest ID the API takes.
var (
	escapingProject = "p q%r"
	longestProject  = strings.Repeat("p", hss.MaxIDLength)
)

// fakeConfig is the test account: testProject, which testToken is scoped
// to, the other projects, and access keys that open them all.
func fakeConfig() hssfake.Config {
	return hssfake.Config{
		Projects: []hssfake.Project{{ID: testProject, Tokens: []string{testToken}}, {ID: escapingProject}, {ID: longestProject}},
		Keys:     map[string]hssfake.Credential{testAK: {SecretKey: testSK}, "TMPAK": {SecretKey: "TMPSK", SecurityToken: "sts-token"}},
	}
}

// newFake serves events on a loopback httptest server and returns a client
// for it, authenticated with a token, with quick retries.
func newFake(t testing.TB, events []hssfake.Event, mutate ...func(*hwcloud.Config)) (*hssfake.Server, *hss.Client) {
	t.Helper()
	fake := hssfake.New(fakeConfig(), events)
	srv := httptest.NewServer(fake)
	t.Cleanup(srv.Close)
	cfg := hwcloud.Config{
		Credentials:    hwcloud.StaticCredentials{AuthToken: testToken},
		RetryBaseDelay: time.Millisecond,
		RetryMaxDelay:  10 * time.Millisecond,
	}
	for _, m := range mutate {
		m(&cfg)
	}
	c, err := newClient(srv.URL, cfg)
	if err != nil {
		t.Fatal(err)
	}
	return fake, c
}

// newClient is an HSS client of endpoint on a transport of its own.
func newClient(endpoint string, cfg hwcloud.Config) (*hss.Client, error) {
	tr, err := hwcloud.New(cfg)
	if err != nil {
		return nil, err
	}
	base, err := hss.Endpoint(endpoint, "", "")
	if err != nil {
		return nil, err
	}
	return hss.New(tr, base), nil
}

func generate(n int) []hssfake.Event {
	return hssfake.Generate(hssfake.GenerateOptions{Count: n, Seed: 7, ProjectID: testProject})
}

func ids(events []hss.ClusterEvent) []string {
	out := make([]string, len(events))
	for i, e := range events {
		out[i] = *e.EventID
	}
	return out
}

func fakeIDs(events []hssfake.Event) []string {
	out := make([]string, len(events))
	for i, e := range events {
		out[i] = *e.EventID
	}
	return out
}

// readVia reads every event of testProject through h, served on loopback,
// with the test token.
func readVia(t testing.TB, h http.HandlerFunc) (*hss.ReadResult, error) {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	c, err := newClient(srv.URL, hwcloud.Config{Credentials: hwcloud.StaticCredentials{AuthToken: testToken}})
	if err != nil {
		t.Fatal(err)
	}
	return c.ReadAllClusterEvents(context.Background(), hss.Filter{ProjectID: testProject})
}

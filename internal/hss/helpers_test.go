package hss_test

import (
	"net/http/httptest"
	"testing"
	"time"

	"github.com/clusterprotect/terraform-provider-clusterprotect/internal/hss"
	"github.com/clusterprotect/terraform-provider-clusterprotect/internal/hssfake"
)

const (
	testProject = "0123456789abcdef0123456789abcdef"
	testToken   = "test-token"
	testAK      = "TESTAK"
	testSK      = "test/secret+key"
)

// newFake serves events on a loopback httptest server and returns a client
// for it, authenticated with a token, with quick retries.
func newFake(t testing.TB, events []hssfake.Event, mutate ...func(*hss.Config)) (*hssfake.Server, *hss.Client) {
	t.Helper()
	fake := hssfake.New(hssfake.Config{
		Tokens: []string{testToken},
		Keys:   map[string]hssfake.Credential{testAK: {SecretKey: testSK}, "TMPAK": {SecretKey: "TMPSK", SecurityToken: "sts-token"}},
	}, events)
	srv := httptest.NewServer(fake)
	t.Cleanup(srv.Close)
	cfg := hss.Config{
		Endpoint:       srv.URL,
		AuthToken:      testToken,
		RetryBaseDelay: time.Millisecond,
		RetryMaxDelay:  10 * time.Millisecond,
	}
	for _, m := range mutate {
		m(&cfg)
	}
	c, err := hss.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return fake, c
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

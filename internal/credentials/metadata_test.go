package credentials_test

import (
	"context"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/clusterprotect/terraform-provider-clusterprotect/internal/credentials"
	"github.com/clusterprotect/terraform-provider-clusterprotect/internal/hssfake"
)

// metadataFake is an ECS with an agency whose metadata answers go through
// answer, when not nil.
func metadataFake(t *testing.T, answer func(route string, secrets []string, body []byte) (string, []byte)) (*hssfake.Server, string) {
	t.Helper()
	fake := hssfake.New(hssfake.Config{ECSAgency: true}, nil)
	fake.SetFaults(hssfake.Faults{CredentialAnswer: answer})
	srv := httptest.NewServer(fake)
	t.Cleanup(srv.Close)
	return fake, srv.URL
}

// A metadata answer that carries keys but is not what the service
// documents is refused without quoting it, telling its status, Content-Type
// and length.
func TestMetadata_answerNeverQuoted(t *testing.T) {
	for name, body := range map[string]func(secrets []string, body []byte) (string, []byte){
		"HTML": func(secrets []string, _ []byte) (string, []byte) {
			return "text/html", []byte("<html>" + strings.Join(secrets, " ") + "</html>")
		},
		"wrong shape": func(secrets []string, _ []byte) (string, []byte) {
			return "application/json", []byte(`{"credential": {"secret": ` + strings.Join(secrets, "") + `}}`)
		},
		"numbers for strings": func(_ []string, _ []byte) (string, []byte) {
			return "application/json", []byte(`{"credential": {"access": "AK", "secret": 8675309123456789}}`)
		},
		"truncated": func(_ []string, body []byte) (string, []byte) {
			return "application/json", body[:len(body)-8]
		},
	} {
		t.Run(name, func(t *testing.T) {
			var sent []string
			fake, url := metadataFake(t, func(_ string, secrets []string, b []byte) (string, []byte) {
				sent = append(sent, secrets...)
				return body(secrets, b)
			})
			_, err := credentials.Resolve(context.Background(), credentials.Input{MetadataEndpoint: url, MetadataTimeout: 5 * time.Second})
			if err == nil || fake.Stats().MetadataRequests == 0 {
				t.Fatalf("err %v, %d metadata requests", err, fake.Stats().MetadataRequests)
			}
			msg := err.Error()
			for _, s := range append(sent, "8675309123456789") {
				if strings.Contains(msg, s) {
					t.Fatalf("the error quotes %q: %s", s, msg)
				}
			}
			for _, want := range []string{"status 200", "Content-Type", "bytes"} {
				if !strings.Contains(msg, want) {
					t.Errorf("%q lacks %q", msg, want)
				}
			}
		})
	}
}

// The keys the metadata service hands out reach the mask as they are
// decoded.
func TestMetadata_secretsRegistered(t *testing.T) {
	var sent []string
	_, url := metadataFake(t, func(_ string, secrets []string, b []byte) (string, []byte) {
		sent = append(sent, secrets...)
		return "application/json", b
	})
	var registered []string
	res, err := credentials.Resolve(context.Background(), credentials.Input{
		MetadataEndpoint: url, MetadataTimeout: 5 * time.Second,
		Issued: func(s ...string) { registered = append(registered, s...) },
	})
	if err != nil || res == nil {
		t.Fatal(err)
	}
	if len(sent) == 0 {
		t.Fatal("no keys were issued")
	}
	for _, s := range sent {
		if !slices.Contains(registered, s) {
			t.Errorf("%q not registered: %q", s, registered)
		}
	}
}

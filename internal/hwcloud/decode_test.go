package hwcloud

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// hugeBody answers 100 MiB of one JSON string, past MaxBodyBytes.
func hugeBody(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write([]byte(`{"total_num":1,"data_list":[{"event_content":"`))
	chunk := []byte(strings.Repeat("x", 1<<20))
	for i := 0; i < 100; i++ {
		if _, err := w.Write(chunk); err != nil {
			return
		}
	}
	_, _ = w.Write([]byte(`"}]}`))
}

// A body past MaxBodyBytes is refused, not read into memory whole.
func TestDo_bodyTooLarge(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(hugeBody))
	defer srv.Close()
	tr, _ := New(Config{Credentials: StaticCredentials{AuthToken: "t"}})
	u, _ := url.Parse(srv.URL + "/v5/p/cluster-protect/events?limit=10&offset=0")
	var out struct {
		DataList []struct {
			EventContent string `json:"event_content"`
		} `json:"data_list"`
	}
	err := tr.GetJSON(t.Context(), "HSS", u, &out)
	if err == nil || !strings.Contains(err.Error(), "larger than") {
		t.Fatalf("err %v", err)
	}
}

// A 2xx body decoded whole before its connection failed is retried into a
// fresh value: encoding/json keeps the fields a second body leaves out, in
// the struct and in the elements of a slice it reuses, so retrying into
// the same value would mix the two answers.
func TestDo_retryDecodesIntoFreshValue(t *testing.T) {
	var attempts atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		if attempts.Add(1) > 1 {
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write([]byte(`{"items": [{"id": "c"}]}`))
			return
		}
		// The whole document, then the connection fails before the
		// Content-Length it promised.
		conn, buf, err := http.NewResponseController(w).Hijack()
		if err != nil {
			t.Error(err)
			return
		}
		defer conn.Close()
		body := `{"name": "first", "items": [{"id": "a", "note": "stale"}, {"id": "b"}]}`
		fmt.Fprintf(buf, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s", len(body)+100, body)
		_ = buf.Flush()
	}))
	defer srv.Close()
	type item struct {
		ID   string `json:"id"`
		Note string `json:"note"`
	}
	var out struct {
		Name  string `json:"name"`
		Items []item `json:"items"`
	}
	tr, _ := New(Config{Credentials: StaticCredentials{AuthToken: "t"}, RetryBaseDelay: time.Millisecond, RetryMaxDelay: time.Millisecond})
	u, _ := url.Parse(srv.URL + "/v1/x")
	if err := tr.GetJSON(t.Context(), "HSS", u, &out); err != nil {
		t.Fatal(err)
	}
	if attempts.Load() != 2 {
		t.Fatalf("%d attempts, want 2", attempts.Load())
	}
	if out.Name != "" || !slices.Equal(out.Items, []item{{ID: "c"}}) {
		t.Fatalf("got %+v, want only the second answer: {Name: Items:[{ID:c Note:}]}", out)
	}
}

package hwcloud

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
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

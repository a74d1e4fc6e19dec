package hss

import (
	"bytes"
	"encoding/json"
	"reflect"
	"testing"

	"github.com/clusterprotect/terraform-provider-clusterprotect/internal/hwcloud"
)

// FuzzDecodeResponse: any body decodes or fails cleanly, and what decodes
// survives a round trip exactly (int64 fields included).
func FuzzDecodeResponse(f *testing.F) {
	f.Add([]byte(`{"total_num":1,"last_update_time":9223372036854775807,"data_list":[{"event_id":"a","create_time":0,"resource_info":{"enforcementAction":"deny"}}]}`))
	f.Add([]byte(`{"total_num":0,"data_list":[]}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		var first ListClusterEventsResponse
		if err := hwcloud.DecodeJSON(bytes.NewReader(body), &first); err != nil {
			return
		}
		again, err := json.Marshal(first)
		if err != nil {
			t.Fatal(err)
		}
		var second ListClusterEventsResponse
		if err := hwcloud.DecodeJSON(bytes.NewReader(again), &second); err != nil {
			t.Fatalf("re-decoding %s: %v", again, err)
		}
		if !reflect.DeepEqual(first, second) {
			t.Fatalf("round trip changed the value:\n%+v\n%+v", first, second)
		}
	})
}

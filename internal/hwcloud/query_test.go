package hwcloud

import (
	"net/url"
	"reflect"
	"testing"
)

// The wire form is the official SDK's: q.Encode() with "+" rewritten as
// %20 (core/request.DefaultHttpRequest.fillQueryParams).
func TestEncodeQuery_sdkWireForm(t *testing.T) {
	for _, tc := range []struct {
		q    url.Values
		want string
	}{
		{url.Values{"limit": {"10"}, "offset": {"0"}}, "limit=10&offset=0"},
		{url.Values{"cluster_id": {"prod cluster"}}, "cluster_id=prod%20cluster"},
		{url.Values{"cluster_id": {"a+b c"}}, "cluster_id=a%2Bb%20c"},
		{url.Values{"name": {"cn-north-4_dev team"}}, "name=cn-north-4_dev%20team"},
		{url.Values{"k y": {"~/?&="}}, "k%20y=~%2F%3F%26%3D"},
	} {
		if got := EncodeQuery(tc.q); got != tc.want {
			t.Errorf("EncodeQuery(%v) = %q, want %q", tc.q, got, tc.want)
		}
	}
}

// The gateway reads a query per RFC 3986: "+" is a plus sign.
func TestParseQuery_plusIsPlus(t *testing.T) {
	for _, tc := range []struct {
		raw  string
		want url.Values
		bad  bool
	}{
		{"cluster_id=a+b", url.Values{"cluster_id": {"a+b"}}, false},
		{"cluster_id=a%20b&cluster_id=a%2Bb", url.Values{"cluster_id": {"a b", "a+b"}}, false},
		{"flag&empty=&=v", url.Values{"flag": {""}, "empty": {""}, "": {"v"}}, false},
		{"a=1&&b=%E4%BC%81", url.Values{"a": {"1"}, "b": {"企"}}, false},
		{"a=%zz&b=2", url.Values{"b": {"2"}}, true},
	} {
		got, err := ParseQuery(tc.raw)
		if !reflect.DeepEqual(got, tc.want) || (err != nil) != tc.bad {
			t.Errorf("ParseQuery(%q) = %v, %v; want %v, error %v", tc.raw, got, err, tc.want, tc.bad)
		}
	}
}

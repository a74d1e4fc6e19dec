package hwcloud

import (
	"net/url"
	"strings"
)

// EncodeQuery encodes q, sorted by key, as the official SDK puts it on the
// wire: a space is %20, never "+", which the gateway reads as a plus sign
// (RFC 3986). url.Values.Encode writes a literal plus as %2B, so every "+"
// it leaves stands for a space.
func EncodeQuery(q url.Values) string {
	return strings.ReplaceAll(q.Encode(), "+", "%20")
}

// ParseQuery decodes a raw query per RFC 3986, as the gateway reads it: a
// "+" is a plus sign, not a space (url.ParseQuery reads it as a space). It
// returns the first malformed escape it met, with the pairs it could read.
func ParseQuery(raw string) (url.Values, error) {
	q := url.Values{}
	var first error
	for pair := range strings.SplitSeq(raw, "&") {
		if pair == "" {
			continue
		}
		k, v, _ := strings.Cut(pair, "=")
		key, err := url.PathUnescape(k)
		if err == nil {
			v, err = url.PathUnescape(v)
		}
		if err != nil {
			if first == nil {
				first = err
			}
			continue
		}
		q[key] = append(q[key], v)
	}
	return q, first
}

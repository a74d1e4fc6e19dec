// Command aksk-vectors-gen re-signs every request of the signer's test
// vectors (internal/hwcloud/testdata/aksk-signature-vectors.json) with the
// official Huawei Cloud SDK signer and reports whether each Authorization
// header matches the file; with -write it rewrites the file from the SDK's
// answers. It is the generator of the shared vectors, extended with request
// bodies (the IAM calls are POSTs with a JSON body). Run it with `go run .`
// in this folder; it is a module of its own, so the SDK stays out of the
// provider's dependencies.
//
// A vector's URL is what goes on the wire, and its query is read as the
// gateway reads it, per RFC 3986: "+" is a plus sign, %20 a space (the SDK
// itself never sends a "+" for a space).
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"net/url"
	"os"
	"reflect"
	"sort"
	"strings"

	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/auth/signer"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/request"
)

type vector struct {
	Name          string            `json:"name"`
	Method        string            `json:"method"`
	URL           string            `json:"url"`
	Headers       map[string]string `json:"headers"`
	Body          string            `json:"body,omitempty"`
	AccessKey     string            `json:"access_key"`
	SecretKey     string            `json:"secret_key"`
	Authorization string            `json:"authorization"`
}

func sign(v vector) (string, error) {
	u, err := url.Parse(v.URL)
	if err != nil {
		return "", err
	}
	b := request.NewHttpRequestBuilder().
		WithEndpoint(u.Scheme + "://" + u.Host).
		WithPath(u.Path).
		WithMethod(v.Method)
	q, err := wireQuery(u.RawQuery)
	if err != nil {
		return "", err
	}
	keys := make([]string, 0, len(q))
	for k := range q {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		b = b.AddQueryParam(k, reflect.ValueOf(q.Get(k)))
	}
	for k, val := range v.Headers {
		b = b.AddHeaderParam(k, val)
	}
	if v.Body != "" {
		b = b.WithBody("", v.Body) // a string body is signed as it is
	}
	h, err := signer.Sign(b.Build(), v.AccessKey, v.SecretKey)
	if err != nil {
		return "", err
	}
	return h["Authorization"], nil
}

// wireQuery decodes a raw query per RFC 3986; url.ParseQuery would read a
// "+" as a space.
func wireQuery(raw string) (url.Values, error) {
	q := url.Values{}
	for pair := range strings.SplitSeq(raw, "&") {
		if pair == "" {
			continue
		}
		k, v, _ := strings.Cut(pair, "=")
		key, err := url.PathUnescape(k)
		if err != nil {
			return nil, err
		}
		if v, err = url.PathUnescape(v); err != nil {
			return nil, err
		}
		q[key] = append(q[key], v)
	}
	return q, nil
}

func main() {
	file := flag.String("file", "../../internal/hwcloud/testdata/aksk-signature-vectors.json", "the vectors file")
	write := flag.Bool("write", false, "rewrite the file with the SDK's signatures")
	flag.Parse()
	raw, err := os.ReadFile(*file)
	if err != nil {
		log.Fatal(err)
	}
	var vs []vector
	if err := json.Unmarshal(raw, &vs); err != nil {
		log.Fatal(err)
	}
	bad := 0
	for i, v := range vs {
		got, err := sign(v)
		if err != nil {
			log.Fatalf("%s: %v", v.Name, err)
		}
		ok := got == v.Authorization
		if !ok {
			bad++
		}
		fmt.Printf("%-30s %v\n", v.Name, map[bool]string{true: "matches the SDK", false: "DIFFERS: " + got}[ok])
		vs[i].Authorization = got
	}
	if *write {
		out, _ := json.MarshalIndent(vs, "", "  ")
		if err := os.WriteFile(*file, append(out, '\n'), 0o644); err != nil {
			log.Fatal(err)
		}
		return
	}
	if bad > 0 {
		os.Exit(1)
	}
}

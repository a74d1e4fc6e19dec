package hwcloud

import (
	"strings"
	"testing"
)

func TestResolveEndpoint(t *testing.T) {
	for _, tc := range []struct {
		endpoint, region, cloud, want, err string
	}{
		{"", "ap-southeast-1", "", "https://hss.ap-southeast-1.myhuaweicloud.com", ""},
		{"", "eu-west-101", "myhuaweicloud.eu", "https://hss.eu-west-101.myhuaweicloud.eu", ""},
		{"", "eu-west-101", "", "https://hss.eu-west-101.myhuaweicloud.eu", ""},
		{"", "eu-west-1", "", "https://hss.eu-west-1.myhuaweicloud.eu", ""},
		{"", "eu-west-0", "", "https://hss.eu-west-0.myhuaweicloud.com", ""},
		{"", "eu-west-101", "example.com", "https://hss.eu-west-101.example.com", ""},
		{"http://127.0.0.1:8080/", "", "", "http://127.0.0.1:8080", ""},
		{"https://gw.example.com/prefix/", "r", "", "https://gw.example.com/prefix", ""},
		{"", "", "", "", "no HSS endpoint"},
		{"ftp://x", "", "", "", "not an absolute"},
		{"hss.example.com", "", "", "", "not an absolute"},
		{"https://x/?a=b", "", "", "", "not an absolute"},
		// {region} stands for the request's region, in the host or the path.
		{"https://hss.{region}.example.internal", "ap-southeast-2", "", "https://hss.ap-southeast-2.example.internal", ""},
		{"http://127.0.0.1:18111/{region}/", "cn-north-4", "", "http://127.0.0.1:18111/cn-north-4", ""},
		{"https://{region}.gw.example/{region}", "la-south-2", "", "https://la-south-2.gw.example/la-south-2", ""},
		{"https://hss.{region}.example.internal", "", "", "", "has {region} but no region"},
		{"https://hss.{regoin}.example.internal", "ap-southeast-1", "", "", "{regoin} is not a placeholder"},
		{"https://x/{region", "ap-southeast-1", "", "", "{region is not a placeholder"},
	} {
		u, err := ResolveEndpoint("hss", tc.endpoint, tc.region, tc.cloud)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("%q: err %v", tc.endpoint, err)
			}
			continue
		}
		if err != nil || u.String() != tc.want {
			t.Errorf("%q: %v %v", tc.endpoint, u, err)
		}
	}
}

// CheckEndpoint judges a template without a region: the placeholder must be
// {region} and the URL it makes must be absolute.
func TestCheckEndpoint(t *testing.T) {
	for endpoint, want := range map[string]string{
		"https://hss.{region}.example.internal": "",
		"http://127.0.0.1:18111/{region}":       "",
		"https://hss.example.internal":          "",
		"https://hss.{regoin}.example.internal": "{regoin} is not a placeholder: only {region} is",
		"https://hss.{}.example":                "{} is not a placeholder",
		"{region}":                              "not an absolute",
		"ftp://{region}.example":                "not an absolute",
	} {
		err := CheckEndpoint("hss", endpoint)
		if want == "" && err != nil || want != "" && (err == nil || !strings.Contains(err.Error(), want)) {
			t.Errorf("%q: err %v, want %q", endpoint, err, want)
		}
	}
}

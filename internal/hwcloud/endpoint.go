package hwcloud

import (
	"fmt"
	"net/url"
	"strings"
)

// Europe's regions (eu-west-101, ...) live under their own cloud domain.
const (
	DefaultEuropeCloud = "myhuaweicloud.eu"
	europeRegionPrefix = "eu-west-1"
)

// CloudFor is the cloud domain of region's endpoints: cloud when set, else
// the Huawei Cloud provider's default for the region.
func CloudFor(region, cloud string) string {
	switch {
	case cloud != "":
		return cloud
	case strings.HasPrefix(region, europeRegionPrefix):
		return DefaultEuropeCloud
	}
	return DefaultCloud
}

// RegionPlaceholder in an explicit endpoint stands for the region of each
// request, so that one provider reaches every region at an address of its
// own, such as https://hss.{region}.example.internal. It is replaced as
// text before the URL is parsed; a region is letters, digits and hyphens,
// so it may stand in the host as well as in the path.
const RegionPlaceholder = "{region}"

// IsTemplate reports whether endpoint holds RegionPlaceholder.
func IsTemplate(endpoint string) bool { return strings.Contains(endpoint, RegionPlaceholder) }

// CheckEndpoint judges an explicit endpoint before any region is known: its
// only placeholder is {region}, and it is an absolute URL once replaced.
func CheckEndpoint(service, endpoint string) error {
	_, err := ResolveEndpoint(service, endpoint, "ap-southeast-1", "")
	return err
}

// unknownPlaceholder is the first brace-enclosed text in endpoint other than
// RegionPlaceholder, or a stray brace; "" when there is none.
func unknownPlaceholder(endpoint string) string {
	rest := strings.ReplaceAll(endpoint, RegionPlaceholder, "")
	i := strings.IndexAny(rest, "{}")
	if i < 0 {
		return ""
	}
	if j := strings.IndexByte(rest[i:], '}'); rest[i] == '{' && j > 0 {
		return rest[i : i+j+1]
	}
	if j := strings.IndexAny(rest[i+1:], "./:"); j >= 0 {
		return rest[i : i+1+j]
	}
	return rest[i:]
}

// ResolveEndpoint returns the base URL of a service's requests: endpoint
// when set, with RegionPlaceholder replaced by region, else
// https://{service}.{region}.{cloud}.
func ResolveEndpoint(service, endpoint, region, cloud string) (*url.URL, error) {
	if endpoint == "" {
		if region == "" {
			return nil, fmt.Errorf("no %s endpoint: set a region, or an explicit endpoint URL", strings.ToUpper(service))
		}
		endpoint = "https://" + service + "." + region + "." + CloudFor(region, cloud)
	}
	if p := unknownPlaceholder(endpoint); p != "" {
		return nil, fmt.Errorf("endpoint %q: %s is not a placeholder: only %s is", endpoint, p, RegionPlaceholder)
	}
	if IsTemplate(endpoint) {
		if region == "" {
			return nil, fmt.Errorf("endpoint %q has %s but no region is set", endpoint, RegionPlaceholder)
		}
		endpoint = strings.ReplaceAll(endpoint, RegionPlaceholder, region)
	}
	u, err := url.Parse(endpoint)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("endpoint %q is not an absolute http:// or https:// URL without query", endpoint)
	}
	u.Path = strings.TrimSuffix(u.Path, "/")
	u.RawPath = ""
	return u, nil
}

package provider

import (
	"fmt"
	"slices"
	"strings"

	"github.com/agext/levenshtein"
)

// knownRegions are the public Huawei Cloud regions HSS is offered in, as
// the Huawei Cloud SDKs list its endpoints, and the European ones. The list
// only catches typos: a region not in it is still read.
var knownRegions = []string{
	"ae-ad-1", "af-south-1",
	"ap-southeast-1", "ap-southeast-2", "ap-southeast-3", "ap-southeast-4", "ap-southeast-5",
	"cn-east-2", "cn-east-3", "cn-east-4", "cn-east-5",
	"cn-north-1", "cn-north-2", "cn-north-4", "cn-north-9", "cn-north-11",
	"cn-south-1", "cn-south-2", "cn-south-4", "cn-southwest-2",
	"eu-west-0", "eu-west-101",
	"la-north-2", "la-south-2", "me-east-1", "my-kualalumpur-1", "na-mexico-1",
	"ru-moscow-1", "ru-northwest-2", "sa-brazil-1", "tr-west-1",
}

// likelyRegion is the known region that name is likely a typo of, or "".
// A name is a typo of a known region when it is not known itself and,
// apart from hyphens, is the same, or is within two edits with the same
// trailing number: a new number (ap-southeast-9) is how a new region is
// named, so it is never taken for a typo.
func likelyRegion(name string) string {
	if name == "" || slices.Contains(knownRegions, name) {
		return ""
	}
	bare := strings.ReplaceAll(name, "-", "")
	stem, num := splitNumber(name)
	best, bestDist := "", 3
	for _, k := range knownRegions {
		if strings.ReplaceAll(k, "-", "") == bare {
			return k
		}
		kStem, kNum := splitNumber(k)
		if kNum != num {
			continue
		}
		if d := levenshtein.Distance(stem, kStem, nil); d < bestDist {
			best, bestDist = k, d
		}
	}
	return best
}

// splitNumber splits the trailing digits off a region name, and the
// hyphens before them: "cn-north-4" is "cn-north" and "4".
func splitNumber(name string) (string, string) {
	i := len(name)
	for i > 0 && name[i-1] >= '0' && name[i-1] <= '9' {
		i--
	}
	return strings.TrimRight(name[:i], "-"), name[i:]
}

// regionNote is the region rule, for the schema's descriptions.
const regionNote = " A name one or two edits from a known region and not one itself, such as `ap-southeast1`, is refused with the region it likely means; " +
	"any other name is accepted, as new regions appear (a new number, such as `ap-southeast-9`, is never taken for a typo)."

// regionTypo explains a likely typo in a region name.
func regionTypo(name, near string) string {
	return fmt.Sprintf("%q, which is not a known Huawei Cloud region: did you mean %q? A region that is not close to a known one is accepted as it is, as new regions appear.", name, near)
}

// knownRegion refuses a region name that is likely a typo of a known one.
var knownRegion = stringRule{
	description: "must not be one or two edits from a known region without being one",
	check: func(attr, name string) (string, string) {
		if near := likelyRegion(name); near != "" {
			return "Unknown region", attr + " is " + regionTypo(name, near)
		}
		return "", ""
	},
}

package provider

import (
	"fmt"
	"regexp"
	"strings"
	"unicode"

	"github.com/agext/levenshtein"
	"github.com/hashicorp/terraform-plugin-framework/path"
)

// Enterprise project IDs, as Huawei Cloud writes them: "0" is the default
// enterprise project, every other one a hyphenated UUID; all_granted_eps
// asks for every enterprise project the credentials may see. The API takes
// any string of 1 to 256 characters and answers an empty list, complete,
// for one that names no enterprise project: a gate would pass. So anything
// else is refused before a request is sent.
const (
	defaultEnterpriseProject = "0"
	allGrantedEPS            = "all_granted_eps"
)

// uuidPattern is a hyphenated UUID in lower case, as Huawei Cloud shows
// enterprise project IDs. Upper case is refused with the lower-case value
// as the likely one: the API document does not say that it matches IDs in
// any case, and one that matches nothing reads an empty list that looks clean.
var uuidPattern = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)

// projectIDShape is how a project ID looks, 32 hex digits.
var projectIDShape = regexp.MustCompile(`^[0-9a-fA-F]{32}$`)

// enterpriseProjectAllowed is what every refused value is told.
const enterpriseProjectAllowed = `An enterprise project ID is "0" (the default enterprise project) or a UUID of 36 characters such as ` +
	`2b6d6a3c-8f3e-4a39-9c1e-5d0f4e7a1b23 (hex digits in lower case, as the console shows them); ` +
	`all_granted_eps reads every enterprise project the credentials may see. Any other value would name no enterprise project, ` +
	`and the API would answer an empty list that looks clean.`

func validEnterpriseProject(v string) bool {
	return v == defaultEnterpriseProject || v == allGrantedEPS || uuidPattern.MatchString(v)
}

// likelyEnterpriseProject is the valid value v is a near miss of, or "":
// v with spaces around it, a UUID in upper case, all_granted_eps in another case, with hyphens
// or spaces for underscores, or within two edits of it, and the letter O
// for the digit 0.
func likelyEnterpriseProject(v string) string {
	t := strings.TrimSpace(v)
	if validEnterpriseProject(t) {
		return t
	}
	if l := strings.ToLower(t); uuidPattern.MatchString(l) {
		return l
	}
	n := strings.Map(func(r rune) rune {
		if r == '-' || r == ' ' {
			return '_'
		}
		return unicode.ToLower(r)
	}, t)
	switch {
	case n == "o":
		return defaultEnterpriseProject
	case levenshtein.Distance(n, allGrantedEPS, nil) <= 2:
		return allGrantedEPS
	}
	return ""
}

// enterpriseProjectMistake says what is wrong with an enterprise project
// ID that name is set to, or "" when it is a valid one.
func enterpriseProjectMistake(name, v string) string {
	if validEnterpriseProject(v) {
		return ""
	}
	hint := ""
	switch near := likelyEnterpriseProject(v); {
	case near != "":
		hint = fmt.Sprintf(": did you mean %q?", near)
	case projectIDShape.MatchString(v):
		hint = ": that is how a project ID looks (project_id), not an enterprise project ID."
	default:
		hint = "."
	}
	return fmt.Sprintf("%s is %q%s %s", name, v, hint, enterpriseProjectAllowed)
}

// enterpriseProject refuses an enterprise_project_id that is not "0", a
// UUID or all_granted_eps.
var enterpriseProject = stringRule{
	description: `must be "0", a hyphenated UUID, or all_granted_eps`,
	check: func(attr, v string) (string, string) {
		if detail := enterpriseProjectMistake(attr, v); detail != "" {
			return "Invalid " + attr, detail
		}
		return "", ""
	},
}

// checkEnterpriseProject applies the rule to HW_ENTERPRISE_PROJECT_ID; the
// schema applies it to the configuration's value, before Configure.
func checkEnterpriseProject(r *reading, s setting) {
	if v := r.out.data.enterpriseProjectID; v != "" {
		if detail := enterpriseProjectMistake(s.env, v); detail != "" {
			r.diags.AddAttributeError(path.Root(s.name), "Invalid "+s.env, detail)
		}
	}
}

package credentials

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/clusterprotect/terraform-provider-clusterprotect/internal/hwcloud"
	"github.com/clusterprotect/terraform-provider-clusterprotect/internal/iam"
)

// Input is everything the chain looks at.
type Input struct {
	Config, Env Settings
	// MetadataEndpoint is the ECS metadata service; DefaultMetadataEndpoint
	// when empty.
	MetadataEndpoint string
	// MetadataTimeout bounds the metadata probe; 1 s when zero.
	MetadataTimeout time.Duration
	// HomeDir holds the default shared config file, .hcloud/config.json.
	HomeDir string
	// IAM is the IAM client the exchanges use; it is called at the first
	// exchange, once the transport exists.
	IAM func() (*iam.Client, error)
	// Issued, when set, gets the secrets the ECS metadata service hands out
	// as soon as they are decoded, for the log mask.
	Issued func(secrets ...string)
}

// Result is what the chain found.
type Result struct {
	Source hwcloud.CredentialsSource
	// Step names the source, for logs and errors.
	Step string
	// Passed names the other sources that were set too and lost to this
	// one, such as "profile (from HW_PROFILE)".
	Passed []string
	// Region and ProjectID come from a shared config profile, to fill in
	// settings left unset.
	Region, ProjectID string
	// Secrets are known secrets to mask in logs.
	Secrets []string
	// MixedOrigins names the settings that name whose account is read,
	// each with where it came from, when the environment has a say over
	// the configuration in it (see mixedOrigins); "" otherwise.
	MixedOrigins string
	from         source
}

// Describe names the source and what it won over, for an error that
// the credentials were refused: "access keys: access_key (from
// HW_ACCESS_KEY), secret_key (from HW_SECRET_KEY), which win over profile
// (from HW_PROFILE)".
func (r *Result) Describe() string {
	if len(r.Passed) == 0 {
		return r.Step
	}
	return r.Step + ", which " + r.from.wins() + " over " + strings.Join(r.Passed, " and ")
}

// A source is one place the chain looks for credentials. Adding one is a
// type, a line in chain, and its settings in Settings and merge.
type source interface {
	// name is the source in the list of what the chain tried, such as
	// "auth_token (HW_AUTH_TOKEN)".
	name(in Input) string
	// named says whether the settings the source needs name it: in the
	// configuration when config, anywhere otherwise.
	named(m merged, config bool) bool
	// find gets the credentials, or the reason there are none.
	find(ctx context.Context, in Input, m merged) (res *Result, reason string, err error)
	// setBy names the settings that set the source, for the other sources'
	// "which wins over"; "" when none do.
	setBy(in Input, m merged) string
	// wins is the verb of Describe for the source's step: "wins", or "win"
	// for a plural.
	wins() string
	// remedy is the source's part of the sentence that says what to set
	// when nothing is found, with the words joining it to the part before.
	remedy() string
	// account is the settings that name whose account the source's
	// credentials read, in layers: each layer after the first an agency
	// assumed with the credentials of the one before. A setting that only
	// proves a name (a secret key, an id token) is in none: a wrong one
	// fails, it cannot read another account.
	account(m merged) [][]value
}

// chain is the sources in their order: the first that the configuration
// names wins, else the first that the environment names, else the first
// that finds credentials with its defaults.
var chain = []source{tokenSource{}, keysSource{}, oidcSource{}, profileSource{}, metadataSource{}}

// notSet is the reason of a source that no setting names.
const notSet = "not set"

// SettingError is bad input, named after the setting it concerns.
type SettingError struct {
	Setting string // such as "assume_role.domain_name" or "shared_config_file"
	// Path is the setting's attribute path: the block, then its attribute,
	// such as ["assume_role", "domain_name"]; or the attribute alone.
	Path []string
	// Origin is the environment variable the setting's value came from, or
	// "" when it came from the configuration (or is unset).
	Origin  string
	Summary string
	Detail  string
}

func (e *SettingError) Error() string { return e.Setting + ": " + e.Detail }

// NotFoundError lists every step of the chain and why it gave nothing.
type NotFoundError struct{ Steps []string }

func (e *NotFoundError) Error() string {
	return "no credentials were found; the provider tried, in order:\n" + strings.Join(e.Steps, "\n")
}

// Remedy says what to set to give the chain credentials: one sentence
// made of each source's part.
func (e *NotFoundError) Remedy() string {
	var b strings.Builder
	for _, s := range chain {
		b.WriteString(s.remedy())
	}
	return b.String() + "."
}

// Resolve finds the credentials. Each setting is the configuration's value,
// else its environment variable's. The source is the first of chain that
// the configuration names; else the first the environment names; else the
// first that finds credentials (the default shared config file, ECS
// metadata). What the configuration names takes the values it leaves out
// from the environment, but never another source's: a token in
// configuration takes no access key from the environment.
func Resolve(ctx context.Context, in Input) (*Result, error) {
	m := merge(in)
	assume, err := m.assumeRole.check()
	if err != nil {
		return nil, err
	}
	res, err := in.first(ctx, m)
	if err != nil {
		return nil, err
	}
	res.Passed = in.passed(m, res)
	layers := res.from.account(m)
	if assume != nil {
		if err := in.assume(res, *assume); err != nil {
			return nil, err
		}
		a := m.assumeRole
		layers = append(layers, []value{a.agency, a.domainName, a.domainID})
	}
	res.MixedOrigins = mixedOrigins(layers)
	return res, nil
}

// mixedOrigins names the set values of layers, with where each came from,
// when a value from the environment is in the same layer as a value from
// the configuration, or in a layer after it: then the environment changes
// whose account the configuration's credentials read, as an agency from
// HW_ASSUME_ROLE_AGENCY_NAME does on access keys in the configuration. It
// is "" when the values come from one place, or when the configuration
// only adds layers on top of the environment's (an agency in the
// configuration, assumed with keys from the environment, reads the
// account the configuration names).
func mixedOrigins(layers [][]value) string {
	firstConfig := len(layers)
	for i, layer := range layers {
		for _, v := range layer {
			if v.inConfig() {
				firstConfig = min(firstConfig, i)
			}
		}
	}
	mixed := false
	var all []value
	for i, layer := range layers {
		for _, v := range layer {
			mixed = mixed || v.fromEnv && i >= firstConfig
			all = append(all, v)
		}
	}
	if !mixed {
		return ""
	}
	return names(all...)
}

// first tries the sources the configuration names, then those the
// environment names, then each source with its defaults.
func (in Input) first(ctx context.Context, m merged) (*Result, error) {
	for _, config := range []bool{true, false} {
		if res, err := in.named(ctx, m, config); res != nil || err != nil {
			return res, err
		}
	}
	var steps []string
	for i, s := range chain {
		res, reason, err := s.find(ctx, in, m)
		if res != nil || err != nil {
			return res, err
		}
		steps = append(steps, fmt.Sprintf("  %d. %s: %s", i+1, s.name(in), reason))
	}
	return nil, &NotFoundError{Steps: steps}
}

// named is what the first source that the configuration names (when
// config) or that the environment names finds; nil when none is named.
func (in Input) named(ctx context.Context, m merged, config bool) (*Result, error) {
	for _, s := range chain {
		if s.named(m, config) {
			res, _, err := s.find(ctx, in, m)
			return res, err
		}
	}
	return nil, nil
}

// passed names the sources that are set besides the one res came from,
// in the chain's order. ECS metadata is not probed for it.
func (in Input) passed(m merged, res *Result) []string {
	var out []string
	for _, s := range chain {
		if s == res.from {
			continue
		}
		if name := s.setBy(in, m); name != "" {
			out = append(out, name)
		}
	}
	return out
}

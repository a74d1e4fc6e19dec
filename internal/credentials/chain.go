package credentials

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/clusterprotect/terraform-provider-clusterprotect/internal/hwcloud"
	"github.com/clusterprotect/terraform-provider-clusterprotect/internal/iam"
)

// Duration bounds of temporary credentials, in seconds, as IAM has them.
const (
	MinDuration     = 900
	MaxDuration     = 43200
	DefaultDuration = 3600
)

// DefaultMetadataEndpoint is the ECS metadata service.
const DefaultMetadataEndpoint = "http://169.254.169.254"

// Settings are the credential settings of one place: the provider's
// configuration, or the environment. Empty is unset: each setting is the
// configuration's value, else the environment's.
type Settings struct {
	AuthToken, AccessKey, SecretKey, SecurityToken string
	// OIDC and AssumeRole, in the configuration, are the blocks when they
	// are set; in the environment, the HW_ASSUME_ROLE_* variables.
	OIDC       *OIDC
	AssumeRole *AssumeRole
	// SharedConfigFile and Profile name the Huawei Cloud CLI's file and
	// profile; empty means its default and its current profile.
	SharedConfigFile, Profile string
	// EnvNames, in the environment's Settings, maps a variable's HW_* name
	// to the one the value was read from when that is another, such as
	// OS_ACCESS_KEY for HW_ACCESS_KEY, so that errors name the right one.
	EnvNames map[string]string
}

// OIDC is federation from an OIDC id token (assume_role_with_oidc).
type OIDC struct {
	IdentityProviderID string
	IDToken            string // or
	IDTokenFile        string // re-read at every exchange
	// AgencyName and DomainID, when set, name an agency to assume with the
	// federated keys.
	AgencyName, DomainID string
	Duration             time.Duration
}

// AssumeRole is an agency to assume with the keys the chain found.
type AssumeRole struct {
	AgencyName, DomainName, DomainID string
	Duration                         time.Duration
}

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
	from    source
}

// source is a step of the chain.
type source int

const (
	fromToken source = iota + 1
	fromKeys
	fromOIDC
	fromProfile
	fromMetadata
)

// Describe names the source and what it won over, for an error that
// the credentials were refused: "access keys: access_key (from
// HW_ACCESS_KEY), secret_key (from HW_SECRET_KEY), which win over profile
// (from HW_PROFILE)".
func (r *Result) Describe() string {
	if len(r.Passed) == 0 {
		return r.Step
	}
	verb := "wins"
	if r.from == fromKeys {
		verb = "win"
	}
	return r.Step + ", which " + verb + " over " + strings.Join(r.Passed, " and ")
}

// SettingError is bad input, named after the setting it concerns.
type SettingError struct {
	Setting string // such as "assume_role.domain_name" or "shared_config_file"
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

// Resolve finds the credentials. Each setting is the configuration's value,
// else its environment variable's. The source is the first of token, access
// keys, OIDC federation and shared config file that the configuration
// names; else the first the environment names; else ECS metadata. What the
// configuration names takes the values it leaves out from the environment,
// but never another source's: a token in configuration takes no access key
// from the environment.
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
	if assume != nil {
		if err := in.assume(res, *assume); err != nil {
			return nil, err
		}
	}
	return res, nil
}

// first tries the sources the configuration names, then those the
// environment names, then the default shared config file and ECS metadata.
func (in Input) first(ctx context.Context, m merged) (*Result, error) {
	for _, config := range []bool{true, false} {
		if res, err := in.named(ctx, m, config); res != nil || err != nil {
			return res, err
		}
	}
	res, reason, err := in.sharedConfig(ctx, m.file, m.profile)
	if err != nil || res != nil {
		return res, err
	}
	meta, why := in.metadata(ctx)
	if meta != nil {
		return meta, nil
	}
	return nil, &NotFoundError{Steps: []string{
		"  1. auth_token (" + EnvAuthToken + "): not set",
		"  2. access_key and secret_key (" + EnvAccessKey + " and " + EnvSecretKey + "): not set",
		"  3. assume_role_with_oidc (" + EnvIdpID + "): not set",
		"  4. shared_config_file / profile (" + EnvSharedConfigFile + " / " + EnvProfile + "): " + reason,
		"  5. ECS metadata (" + in.metadataEndpoint() + "): " + why,
	}}
}

// named is the first source that the configuration names (when config) or
// that the environment names; nil when there is none.
func (in Input) named(ctx context.Context, m merged, config bool) (*Result, error) {
	token, keys := namedBy(config, m.token), namedBy(config, m.accessKey, m.secretKey, m.securityToken)
	switch {
	case token && keys:
		return nil, &SettingError{Setting: "auth_token", Origin: m.token.origin(), Summary: "Conflicting credentials",
			Detail: fmt.Sprintf("a token and access keys are both set, use one: %s; %s.", m.token, names(m.accessKey, m.secretKey, m.securityToken))}
	case token:
		return &Result{Source: hwcloud.StaticCredentials{AuthToken: m.token.v}, Step: m.token.String(), Secrets: []string{m.token.v}, from: fromToken}, nil
	case keys:
		return m.keys()
	case m.oidc != nil && (!config || m.oidc.inConfig):
		o, err := m.oidc.check()
		if err != nil {
			return nil, err
		}
		return in.oidc(o), nil
	case namedBy(config, m.file, m.profile):
		res, _, err := in.sharedConfig(ctx, m.file, m.profile)
		return res, err
	}
	return nil, nil
}

// passed names the sources that are set besides the one res came from,
// in the chain's order. ECS metadata is not probed for it.
func (in Input) passed(m merged, res *Result) []string {
	var out []string
	add := func(from source, name string) {
		if name != "" && from != res.from {
			out = append(out, name)
		}
	}
	add(fromToken, names(m.token))
	add(fromKeys, names(m.accessKey, m.secretKey, m.securityToken))
	if m.oidc != nil {
		add(fromOIDC, names(m.oidc.idp))
	}
	if m.file.set() || m.profile.set() {
		add(fromProfile, names(m.file, m.profile))
	} else if in.HomeDir != "" {
		file := filepath.Join(in.HomeDir, ".hcloud", "config.json")
		if _, err := os.Stat(file); err == nil {
			add(fromProfile, "the default shared config file "+file)
		}
	}
	return out
}

// keys are static access keys, each part from the configuration or the
// environment.
func (m merged) keys() (*Result, error) {
	ak, sk, st := m.accessKey, m.secretKey, m.securityToken
	switch {
	case !ak.set() && sk.set():
		return nil, &SettingError{Setting: ak.name, Origin: sk.origin(), Summary: "Missing access key",
			Detail: fmt.Sprintf("%s is set but access_key is not: set %s too.", sk, ak.either())}
	case ak.set() && !sk.set():
		return nil, &SettingError{Setting: sk.name, Origin: ak.origin(), Summary: "Missing secret key",
			Detail: fmt.Sprintf("%s is set but secret_key is not: set %s too.", ak, sk.either())}
	case !ak.set():
		return nil, &SettingError{Setting: st.name, Origin: st.origin(), Summary: "Security token without keys",
			Detail: fmt.Sprintf("%s belongs to temporary access keys: set %s and %s too.", st, ak.either(), sk.either())}
	}
	c := hwcloud.StaticCredentials{AccessKey: ak.v, SecretKey: sk.v, SecurityToken: st.v}
	return &Result{Source: c, Step: "access keys: " + names(ak, sk, st), Secrets: hwcloud.Credentials(c).Secrets(), from: fromKeys}, nil
}

// oidc exchanges the id token for a federated token, then for temporary
// keys, and assumes the agency when one is named.
func (in Input) oidc(o OIDC) *Result {
	fetch := func(ctx context.Context) (hwcloud.Credentials, error) {
		idToken := o.IDToken
		if o.IDTokenFile != "" {
			raw, err := os.ReadFile(o.IDTokenFile)
			if err != nil {
				return hwcloud.Credentials{}, fmt.Errorf("reading the OIDC id token file %s: %w", o.IDTokenFile, pathError(err))
			}
			idToken = strings.TrimSpace(string(raw))
		}
		client, err := in.IAM()
		if err != nil {
			return hwcloud.Credentials{}, err
		}
		subject, err := client.ExchangeIDToken(ctx, o.IdentityProviderID, idToken)
		if err != nil {
			return hwcloud.Credentials{}, fmt.Errorf("exchanging the OIDC id token with identity provider %q: %w", o.IdentityProviderID, err)
		}
		keys, err := client.SecurityTokenForToken(ctx, subject, duration(o.Duration))
		if err != nil {
			return hwcloud.Credentials{}, fmt.Errorf("getting temporary keys for the federated token of identity provider %q: %w", o.IdentityProviderID, err)
		}
		if o.AgencyName == "" {
			return keys, nil
		}
		return in.assumeWith(ctx, keys, AssumeRole{AgencyName: o.AgencyName, DomainID: o.DomainID, Duration: o.Duration})
	}
	return &Result{Source: newRefreshing(fetch), Step: "assume_role_with_oidc (identity provider " + o.IdentityProviderID + ")", from: fromOIDC}
}

// assume wraps the keys res found into the agency's temporary keys.
func (in Input) assume(res *Result, a AssumeRole) error {
	if c, ok := res.Source.(hwcloud.StaticCredentials); ok && c.AuthToken != "" {
		return &SettingError{Setting: "assume_role", Summary: "assume_role needs access keys",
			Detail: "assume_role turns access keys into the agency's temporary keys, and " + res.Step + " gave a token: a token alone cannot assume an agency. Use access keys, a shared config profile or ECS metadata."}
	}
	base := res.Source
	res.Source = newRefreshing(func(ctx context.Context) (hwcloud.Credentials, error) {
		keys, err := base.Retrieve(ctx)
		if err != nil {
			return hwcloud.Credentials{}, err
		}
		return in.assumeWith(ctx, keys, a)
	})
	res.Step += ", then assume_role (agency " + a.AgencyName + ")"
	return nil
}

func (in Input) assumeWith(ctx context.Context, keys hwcloud.Credentials, a AssumeRole) (hwcloud.Credentials, error) {
	client, err := in.IAM()
	if err != nil {
		return hwcloud.Credentials{}, err
	}
	c, err := client.AssumeRole(ctx, keys, iam.AssumeAgency{Name: a.AgencyName, DomainName: a.DomainName, DomainID: a.DomainID, Duration: duration(a.Duration)})
	if err != nil {
		return hwcloud.Credentials{}, fmt.Errorf("assuming agency %q of account %s: %w", a.AgencyName, cmp.Or(a.DomainName, a.DomainID), err)
	}
	return c, nil
}

func duration(d time.Duration) time.Duration {
	if d == 0 {
		return DefaultDuration * time.Second
	}
	return d
}

// pathError keeps an os error's reason and the path, never the content.
func pathError(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

func (in Input) metadataEndpoint() string {
	return cmp.Or(in.MetadataEndpoint, DefaultMetadataEndpoint)
}

// metadata reads the ECS agency's temporary keys; reason says why there
// are none.
func (in Input) metadata(ctx context.Context) (*Result, string) {
	timeout := in.MetadataTimeout
	if timeout == 0 {
		timeout = time.Second
	}
	client := &http.Client{Transport: &http.Transport{
		Proxy:                 nil, // a link-local address: never through a proxy
		DialContext:           (&net.Dialer{Timeout: timeout}).DialContext,
		ResponseHeaderTimeout: 3 * timeout,
	}}
	u := strings.TrimSuffix(in.metadataEndpoint(), "/") + "/openstack/latest/securitykey"
	fetch := func(ctx context.Context) (hwcloud.Credentials, error) {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
		if err != nil {
			return hwcloud.Credentials{}, err
		}
		resp, err := client.Do(req)
		if err != nil {
			return hwcloud.Credentials{}, err
		}
		defer resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			return hwcloud.Credentials{}, fmt.Errorf("the metadata service answered %d: this ECS may have no agency", resp.StatusCode)
		}
		c, err := iam.ReadTemporaryCredential(io.LimitReader(resp.Body, 1<<20), resp.Header.Get("Content-Type"), in.Issued)
		if err != nil {
			return hwcloud.Credentials{}, fmt.Errorf("the metadata service's answer (status %d) is not temporary keys: %w", resp.StatusCode, err)
		}
		return c, nil
	}
	src := newRefreshing(fetch)
	probe, cancel := context.WithTimeout(ctx, 4*timeout)
	defer cancel()
	if _, err := src.Retrieve(probe); err != nil {
		return nil, "unreachable or no agency: " + err.Error()
	}
	return &Result{Source: src, Step: "ECS metadata (" + in.metadataEndpoint() + ")", from: fromMetadata}, ""
}

// profile is one profile of the Huawei Cloud CLI's config file.
type profile struct {
	Name             string `json:"name"`
	Mode             string `json:"mode"`
	AccessKeyID      string `json:"accessKeyId"`
	SecretAccessKey  string `json:"secretAccessKey"`
	SecurityToken    string `json:"securityToken"`
	Region           string `json:"region"`
	ProjectID        string `json:"projectId"`
	DomainID         string `json:"domainId"`
	AgencyName       string `json:"agencyName"`
	AgencyDomainName string `json:"agencyDomainName"`
	AgencyDomainID   string `json:"agencyDomainId"`
}

// sharedConfig reads the profile of the shared config file. A default file
// that is missing gives a reason; a file named explicitly that is missing,
// unreadable or not JSON, or a profile that does not exist, is an error.
func (in Input) sharedConfig(ctx context.Context, fileSetting, profileSetting value) (*Result, string, error) {
	file, explicit := fileSetting.v, fileSetting.set()
	if !explicit {
		if in.HomeDir == "" {
			return nil, "no home directory for the default ~/.hcloud/config.json", nil
		}
		file = filepath.Join(in.HomeDir, ".hcloud", "config.json")
	}
	raw, err := os.ReadFile(file)
	switch {
	case err != nil && !explicit && errors.Is(err, os.ErrNotExist) && !profileSetting.set():
		return nil, file + " not found", nil
	case err != nil && !explicit && profileSetting.set():
		return nil, "", &SettingError{Setting: profileSetting.name, Origin: profileSetting.origin(), Summary: "Unreadable shared config file",
			Detail: fmt.Sprintf("%s needs the shared config file, and the default %s cannot be read: %v. Set %s.", profileSetting, file, pathError(err), fileSetting.either())}
	case err != nil:
		return nil, "", &SettingError{Setting: fileSetting.name, Origin: fileSetting.origin(), Summary: "Unreadable shared config file",
			Detail: fmt.Sprintf("the shared config file %s%s cannot be read: %v.", file, fileSetting.from(), pathError(err))}
	}
	var doc struct {
		Current  string    `json:"current"`
		Profiles []profile `json:"profiles"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		var syntax *json.SyntaxError
		where := ""
		if errors.As(err, &syntax) {
			where = fmt.Sprintf(" at byte %d", syntax.Offset)
		}
		return nil, "", &SettingError{Setting: fileSetting.name, Origin: fileSetting.origin(), Summary: "Invalid shared config file",
			Detail: fmt.Sprintf("the shared config file %s%s is not the Huawei Cloud CLI's JSON%s.", file, fileSetting.from(), where)}
	}
	name := cmp.Or(profileSetting.v, doc.Current)
	var names []string
	for _, p := range doc.Profiles {
		names = append(names, fmt.Sprintf("%q", p.Name))
		if p.Name != name {
			continue
		}
		res, err := in.fromProfile(ctx, file, p)
		return res, "", err
	}
	return nil, "", &SettingError{Setting: profileSetting.name, Origin: profileSetting.origin(), Summary: "No such profile",
		Detail: fmt.Sprintf("the shared config file %s%s has no profile %q%s; it has %s.", file, fileSetting.from(), name, profileSetting.from(), strings.Join(names, ", "))}
}

func (in Input) fromProfile(ctx context.Context, file string, p profile) (*Result, error) {
	step := fmt.Sprintf("profile %q of %s", p.Name, file)
	var res *Result
	switch strings.ToLower(p.Mode) {
	case "aksk", "":
		if p.AccessKeyID == "" || p.SecretAccessKey == "" {
			return nil, &SettingError{Setting: "profile", Summary: "Incomplete profile", Detail: step + " (mode AKSK) lacks accessKeyId or secretAccessKey."}
		}
		c := hwcloud.StaticCredentials{AccessKey: p.AccessKeyID, SecretKey: p.SecretAccessKey, SecurityToken: p.SecurityToken}
		res = &Result{Source: c, Step: step, Secrets: hwcloud.Credentials(c).Secrets()}
	case "ecsagency":
		var reason string
		if res, reason = in.metadata(ctx); res == nil {
			return nil, &SettingError{Setting: "profile", Summary: "ECS agency not available", Detail: step + " uses the ECS agency, but the ECS metadata service (" + in.metadataEndpoint() + ") gave no keys: " + reason + ". Run on an ECS with an agency, or use an AKSK profile."}
		}
		res.Step = step + " via " + res.Step
	default:
		return nil, &SettingError{Setting: "profile", Summary: "Unsupported profile mode", Detail: fmt.Sprintf("%s has mode %q: only AKSK and ecsAgency are supported.", step, p.Mode)}
	}
	res.Region, res.ProjectID, res.from = p.Region, p.ProjectID, fromProfile
	if p.AgencyName != "" {
		if p.AgencyDomainName == "" && p.AgencyDomainID == "" {
			return nil, &SettingError{Setting: "profile", Summary: "Incomplete profile", Detail: step + " names agencyName but neither agencyDomainName nor agencyDomainId."}
		}
		a := AssumeRole{AgencyName: p.AgencyName, DomainName: p.AgencyDomainName, DomainID: p.AgencyDomainID}
		if p.AgencyDomainID != "" {
			a.DomainName = ""
		}
		if err := in.assume(res, a); err != nil {
			return nil, err
		}
	}
	return res, nil
}

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
// configuration, or the environment.
type Settings struct {
	AuthToken, AccessKey, SecretKey, SecurityToken string
	OIDC                                           *OIDC
	// SharedConfigFile and Profile name the Huawei Cloud CLI's file and
	// profile; empty means its default and its current profile.
	SharedConfigFile, Profile string
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
	// AssumeRole, when set, turns the keys found into the agency's.
	AssumeRole *AssumeRole
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
	// Region and ProjectID come from a shared config profile, to fill in
	// settings left unset.
	Region, ProjectID string
	// Secrets are known secrets to mask in logs.
	Secrets []string
}

// SettingError is bad input, named after the setting it concerns.
type SettingError struct {
	Setting string // such as "assume_role.domain_name" or "shared_config_file"
	Summary string
	Detail  string
}

func (e *SettingError) Error() string { return e.Setting + ": " + e.Detail }

// NotFoundError lists every step of the chain and why it gave nothing.
type NotFoundError struct{ Steps []string }

func (e *NotFoundError) Error() string {
	return "no credentials were found; the provider tried, in order:\n" + strings.Join(e.Steps, "\n")
}

// Resolve walks the chain: the steps with the configuration alone, then
// with the environment; the first step that yields credentials wins.
func Resolve(ctx context.Context, in Input) (*Result, error) {
	var tried []string
	for _, pass := range []struct {
		name string
		s    Settings
		env  bool
	}{{"configuration", in.Config, false}, {"environment", in.Env, true}} {
		res, why, err := in.pass(ctx, pass.s, pass.env)
		if err != nil {
			return nil, err
		}
		if res != nil {
			if in.AssumeRole != nil {
				if err := in.assume(res); err != nil {
					return nil, err
				}
			}
			return res, nil
		}
		for _, w := range why {
			tried = append(tried, fmt.Sprintf("  %d. %s (%s)", len(tried)+1, w, pass.name))
		}
	}
	return nil, &NotFoundError{Steps: tried}
}

// pass tries the steps with one place's settings; why says, per step, why
// it gave nothing.
func (in Input) pass(ctx context.Context, s Settings, env bool) (*Result, []string, error) {
	var why []string
	tokenName, keysName, oidcName, fileName := "auth_token", "access_key and secret_key", "assume_role_with_oidc", "shared_config_file / profile"
	if env {
		tokenName, keysName, oidcName, fileName = "HW_AUTH_TOKEN", "HW_ACCESS_KEY and HW_SECRET_KEY", "HW_ASSUME_ROLE_IDP_ID", "HW_SHARED_CONFIG_FILE / HW_PROFILE"
	}
	hasKeys := s.AccessKey != "" || s.SecretKey != ""
	switch {
	case s.AuthToken != "" && hasKeys:
		return nil, nil, &SettingError{"auth_token", "Conflicting credentials", fmt.Sprintf("both a token (%s) and access keys (%s) are set; use one.", tokenName, keysName)}
	case s.AuthToken != "":
		if s.SecurityToken != "" {
			return nil, nil, &SettingError{"security_token", "Security token without keys", "security_token belongs to temporary access keys: set access_key and secret_key too."}
		}
		return &Result{Source: hwcloud.StaticCredentials{AuthToken: s.AuthToken}, Step: tokenName, Secrets: []string{s.AuthToken}}, nil, nil
	case s.AccessKey == "" && s.SecretKey != "":
		return nil, nil, &SettingError{"access_key", "Missing access key", fmt.Sprintf("the secret key is set but the access key is not (%s).", keysName)}
	case s.AccessKey != "" && s.SecretKey == "":
		return nil, nil, &SettingError{"secret_key", "Missing secret key", fmt.Sprintf("the access key is set but the secret key is not (%s).", keysName)}
	case hasKeys:
		c := hwcloud.StaticCredentials{AccessKey: s.AccessKey, SecretKey: s.SecretKey, SecurityToken: s.SecurityToken}
		return &Result{Source: c, Step: keysName, Secrets: hwcloud.Credentials(c).Secrets()}, nil, nil
	case s.SecurityToken != "":
		return nil, nil, &SettingError{"security_token", "Security token without keys", "security_token belongs to temporary access keys: set access_key and secret_key too."}
	}
	why = append(why, tokenName+": not set", keysName+": not set")

	if s.OIDC != nil {
		return in.oidc(*s.OIDC), nil, nil
	}
	why = append(why, oidcName+": not set")

	if res, reason, err := in.sharedConfig(ctx, s, env); err != nil || res != nil {
		return res, nil, err
	} else {
		why = append(why, fileName+": "+reason)
	}

	if !env {
		return nil, why, nil
	}
	res, reason := in.metadata(ctx)
	if res != nil {
		return res, nil, nil
	}
	return nil, append(why, "ECS metadata ("+in.metadataEndpoint()+"): "+reason), nil
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
	return &Result{Source: newRefreshing(fetch), Step: "assume_role_with_oidc (identity provider " + o.IdentityProviderID + ")"}
}

// assume wraps the keys res found into the agency's temporary keys.
func (in Input) assume(res *Result) error {
	a := *in.AssumeRole
	if c, ok := res.Source.(hwcloud.StaticCredentials); ok && c.AuthToken != "" {
		return &SettingError{"assume_role", "assume_role needs access keys",
			"assume_role turns access keys into the agency's temporary keys, and " + res.Step + " gave a token: a token alone cannot assume an agency. Use access keys, a shared config profile or ECS metadata."}
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
	return &Result{Source: src, Step: "ECS metadata (" + in.metadataEndpoint() + ")"}, ""
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
func (in Input) sharedConfig(ctx context.Context, s Settings, env bool) (*Result, string, error) {
	file, explicit := s.SharedConfigFile, s.SharedConfigFile != ""
	if !explicit && !env && s.Profile == "" {
		return nil, "not set", nil
	}
	if !explicit {
		if in.HomeDir == "" {
			return nil, "no home directory for the default ~/.hcloud/config.json", nil
		}
		file = filepath.Join(in.HomeDir, ".hcloud", "config.json")
	}
	raw, err := os.ReadFile(file)
	switch {
	case err != nil && !explicit && errors.Is(err, os.ErrNotExist) && s.Profile == "":
		return nil, file + " not found", nil
	case err != nil:
		return nil, "", &SettingError{"shared_config_file", "Unreadable shared config file",
			fmt.Sprintf("the shared config file %s cannot be read: %v.", file, pathError(err))}
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
		return nil, "", &SettingError{"shared_config_file", "Invalid shared config file",
			fmt.Sprintf("the shared config file %s is not the Huawei Cloud CLI's JSON%s.", file, where)}
	}
	name := cmp.Or(s.Profile, doc.Current)
	var names []string
	for _, p := range doc.Profiles {
		names = append(names, fmt.Sprintf("%q", p.Name))
		if p.Name != name {
			continue
		}
		res, err := in.fromProfile(ctx, file, p)
		return res, "", err
	}
	return nil, "", &SettingError{"profile", "No such profile",
		fmt.Sprintf("the shared config file %s has no profile %q; it has %s.", file, name, strings.Join(names, ", "))}
}

func (in Input) fromProfile(ctx context.Context, file string, p profile) (*Result, error) {
	step := fmt.Sprintf("profile %q of %s", p.Name, file)
	var res *Result
	switch strings.ToLower(p.Mode) {
	case "aksk", "":
		if p.AccessKeyID == "" || p.SecretAccessKey == "" {
			return nil, &SettingError{"profile", "Incomplete profile", step + " (mode AKSK) lacks accessKeyId or secretAccessKey."}
		}
		c := hwcloud.StaticCredentials{AccessKey: p.AccessKeyID, SecretKey: p.SecretAccessKey, SecurityToken: p.SecurityToken}
		res = &Result{Source: c, Step: step, Secrets: hwcloud.Credentials(c).Secrets()}
	case "ecsagency":
		var reason string
		if res, reason = in.metadata(ctx); res == nil {
			return nil, &SettingError{"profile", "ECS agency not available",
				step + " uses the ECS agency, but the ECS metadata service (" + in.metadataEndpoint() + ") gave no keys: " + reason + ". Run on an ECS with an agency, or use an AKSK profile."}
		}
		res.Step = step + " via " + res.Step
	default:
		return nil, &SettingError{"profile", "Unsupported profile mode", fmt.Sprintf("%s has mode %q: only AKSK and ecsAgency are supported.", step, p.Mode)}
	}
	res.Region, res.ProjectID = p.Region, p.ProjectID
	if p.AgencyName != "" {
		if p.AgencyDomainName == "" && p.AgencyDomainID == "" {
			return nil, &SettingError{"profile", "Incomplete profile", step + " names agencyName but neither agencyDomainName nor agencyDomainId."}
		}
		sub := in
		sub.AssumeRole = &AssumeRole{AgencyName: p.AgencyName, DomainName: p.AgencyDomainName, DomainID: p.AgencyDomainID}
		if p.AgencyDomainID != "" {
			sub.AssumeRole.DomainName = ""
		}
		if err := sub.assume(res); err != nil {
			return nil, err
		}
	}
	return res, nil
}

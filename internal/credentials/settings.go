package credentials

import (
	"cmp"
	"strings"
	"time"
)

// Environment variables of the credential settings, named as the Huawei
// Cloud provider names them.
const (
	EnvAuthToken        = "HW_AUTH_TOKEN"
	EnvAccessKey        = "HW_ACCESS_KEY"
	EnvSecretKey        = "HW_SECRET_KEY"
	EnvSecurityToken    = "HW_SECURITY_TOKEN"
	EnvSharedConfigFile = "HW_SHARED_CONFIG_FILE"
	EnvProfile          = "HW_PROFILE"
	EnvIdpID            = "HW_ASSUME_ROLE_IDP_ID"
	EnvIDToken          = "HW_ASSUME_ROLE_ID_TOKEN"
	EnvIDTokenFile      = "HW_ASSUME_ROLE_ID_TOKEN_FILE"
	EnvAgencyName       = "HW_ASSUME_ROLE_AGENCY_NAME"
	EnvDomainName       = "HW_ASSUME_ROLE_DOMAIN_NAME"
	EnvDomainID         = "HW_ASSUME_ROLE_DOMAIN_ID"
	EnvDuration         = "HW_ASSUME_ROLE_DURATION"
)

// OS_* names the Huawei Cloud provider reads after the HW_* ones.
const (
	EnvOSAuthToken = "OS_AUTH_TOKEN"
	EnvOSAccessKey = "OS_ACCESS_KEY"
	EnvOSSecretKey = "OS_SECRET_KEY"
)

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

// envName is the variable a value of the environment was read from.
func (s Settings) envName(name string) string {
	if n := s.EnvNames[name]; n != "" {
		return n
	}
	return name
}

// value is one setting after the merge: the configuration's value, else its
// environment variable's; and where it came from.
type value struct {
	v       string
	name    string   // the attribute, such as "access_key" or "assume_role.domain_id"
	path    []string // the attribute's path: ["assume_role", "domain_id"]
	env     string   // its environment variable
	fromEnv bool
}

// pick is the configuration's value when set (not empty), else the
// environment's.
func pick(path []string, env, config, fromEnv string) value {
	name := strings.Join(path, ".")
	if config != "" {
		return value{v: config, name: name, path: path, env: env}
	}
	return value{v: fromEnv, name: name, path: path, env: env, fromEnv: fromEnv != ""}
}

// at is an attribute path.
func at(path ...string) []string { return path }

func (v value) set() bool      { return v.v != "" }
func (v value) inConfig() bool { return v.v != "" && !v.fromEnv }

// namedBy says whether any of vs is set: in the configuration when config,
// anywhere otherwise.
func namedBy(config bool, vs ...value) bool {
	for _, v := range vs {
		if v.set() && (!config || !v.fromEnv) {
			return true
		}
	}
	return false
}

// origin is where the value came from: the environment variable, or "" for
// the configuration.
func (v value) origin() string {
	if v.fromEnv {
		return v.env
	}
	return ""
}

// String names a set value with where it came from, for errors:
// "secret_key (from HW_SECRET_KEY)" or "secret_key (in the configuration)".
func (v value) String() string { return v.name + v.where() }

// where is " (from HW_...)" or " (in the configuration)".
func (v value) where() string {
	if v.fromEnv {
		return " (from " + v.env + ")"
	}
	return " (in the configuration)"
}

// from is " (from HW_...)" for a value from the environment, else "".
func (v value) from() string {
	if v.fromEnv {
		return " (from " + v.env + ")"
	}
	return ""
}

// either names a setting that is not set: "access_key (or HW_ACCESS_KEY)".
func (v value) either() string { return v.name + " (or " + v.env + ")" }

// drop unsets v, keeping its names.
func (v value) drop() value { return value{name: v.name, path: v.path, env: v.env} }

// alternatives keeps, of two settings that exclude each other, the one the
// configuration sets when the other came from the environment: a block
// that names one never takes the other from the environment.
func alternatives(a, b value) (value, value) {
	switch {
	case a.inConfig() && b.fromEnv:
		b = b.drop()
	case b.inConfig() && a.fromEnv:
		a = a.drop()
	}
	return a, b
}

// names lists the set values with where each came from.
func names(vs ...value) string {
	var out []string
	for _, v := range vs {
		if v.set() {
			out = append(out, v.String())
		}
	}
	return strings.Join(out, ", ")
}

// merged are the credential settings, each the configuration's value else
// the environment's.
type merged struct {
	token, accessKey, secretKey, securityToken value
	file, profile                              value
	oidc                                       *oidcSettings // nil when neither the configuration nor the environment names an identity provider
	assumeRole                                 *assumeRoleSettings
}

type oidcSettings struct {
	inConfig                                  bool // the block is set in the configuration
	idp, idToken, idTokenFile, agency, domain value
	duration                                  time.Duration
}

type assumeRoleSettings struct {
	agency, domainName, domainID value
	duration                     time.Duration
}

// blockField is a string field of a credential block: its attribute, its
// environment variable, where the block B holds it and where its merged
// settings S do.
type blockField[B, S any] struct {
	attr, env string
	in        func(*B) *string
	merged    func(*S) *value
}

// credentialBlock is a block's rule: its name and string fields, written
// once for the merge and for the block built back from it.
type credentialBlock[B, S any] struct {
	name   string
	fields []blockField[B, S]
}

var oidcBlock = credentialBlock[OIDC, oidcSettings]{"assume_role_with_oidc", []blockField[OIDC, oidcSettings]{
	{"idp_id", EnvIdpID, func(b *OIDC) *string { return &b.IdentityProviderID }, func(s *oidcSettings) *value { return &s.idp }},
	{"id_token", EnvIDToken, func(b *OIDC) *string { return &b.IDToken }, func(s *oidcSettings) *value { return &s.idToken }},
	{"id_token_file", EnvIDTokenFile, func(b *OIDC) *string { return &b.IDTokenFile }, func(s *oidcSettings) *value { return &s.idTokenFile }},
	{"agency_name", EnvAgencyName, func(b *OIDC) *string { return &b.AgencyName }, func(s *oidcSettings) *value { return &s.agency }},
	{"domain_id", EnvDomainID, func(b *OIDC) *string { return &b.DomainID }, func(s *oidcSettings) *value { return &s.domain }},
}}

var assumeRoleBlock = credentialBlock[AssumeRole, assumeRoleSettings]{"assume_role", []blockField[AssumeRole, assumeRoleSettings]{
	{"agency_name", EnvAgencyName, func(b *AssumeRole) *string { return &b.AgencyName }, func(s *assumeRoleSettings) *value { return &s.agency }},
	{"domain_name", EnvDomainName, func(b *AssumeRole) *string { return &b.DomainName }, func(s *assumeRoleSettings) *value { return &s.domainName }},
	{"domain_id", EnvDomainID, func(b *AssumeRole) *string { return &b.DomainID }, func(s *assumeRoleSettings) *value { return &s.domainID }},
}}

// merge sets each field of s to the configuration's value, else the
// environment's.
func (r credentialBlock[B, S]) merge(s *S, config, env B) {
	for _, f := range r.fields {
		*f.merged(s) = pick([]string{r.name, f.attr}, f.env, *f.in(&config), *f.in(&env))
	}
}

// build is the block of the merged values, on top of base.
func (r credentialBlock[B, S]) build(s *S, base B) B {
	for _, f := range r.fields {
		*f.in(&base) = f.merged(s).v
	}
	return base
}

func merge(in Input) merged {
	c, e := in.Config, in.Env
	m := merged{
		token:         pick(at("auth_token"), e.envName(EnvAuthToken), c.AuthToken, e.AuthToken),
		accessKey:     pick(at("access_key"), e.envName(EnvAccessKey), c.AccessKey, e.AccessKey),
		secretKey:     pick(at("secret_key"), e.envName(EnvSecretKey), c.SecretKey, e.SecretKey),
		securityToken: pick(at("security_token"), EnvSecurityToken, c.SecurityToken, e.SecurityToken),
		file:          pick(at("shared_config_file"), EnvSharedConfigFile, c.SharedConfigFile, e.SharedConfigFile),
		profile:       pick(at("profile"), EnvProfile, c.Profile, e.Profile),
	}
	envOIDC := orZero(e.OIDC)
	if c.OIDC != nil || envOIDC.IdentityProviderID != "" {
		co := orZero(c.OIDC)
		o := &oidcSettings{inConfig: c.OIDC != nil, duration: cmp.Or(co.Duration, envOIDC.Duration)}
		oidcBlock.merge(o, co, envOIDC)
		o.idToken, o.idTokenFile = alternatives(o.idToken, o.idTokenFile)
		m.oidc = o
	}
	// HW_ASSUME_ROLE_AGENCY_NAME alone assumes an agency unless an identity
	// provider claims it.
	envRole := orZero(e.AssumeRole)
	if c.AssumeRole != nil || (envRole.AgencyName != "" && m.oidc == nil) {
		cr := orZero(c.AssumeRole)
		a := &assumeRoleSettings{duration: cmp.Or(cr.Duration, envRole.Duration)}
		assumeRoleBlock.merge(a, cr, envRole)
		a.domainName, a.domainID = alternatives(a.domainName, a.domainID)
		m.assumeRole = a
	}
	return m
}

func orZero[T any](p *T) T {
	if p == nil {
		var zero T
		return zero
	}
	return *p
}

// check refuses an assume_role that lacks its agency or names no account,
// or two.
func (a *assumeRoleSettings) check() (*AssumeRole, error) {
	if a == nil {
		return nil, nil
	}
	if !a.agency.set() {
		return nil, &SettingError{Setting: a.agency.name, Path: a.agency.path, Summary: "Missing agency name",
			Detail: "assume_role needs " + a.agency.either() + ", the agency to assume."}
	}
	if a.domainName.set() == a.domainID.set() {
		got := "neither is set"
		origin := ""
		if a.domainName.set() {
			got, origin = "both are set: "+names(a.domainName, a.domainID), a.domainName.origin()
		}
		return nil, &SettingError{Setting: a.domainName.name, Path: a.domainName.path, Origin: origin, Summary: "Set one of domain_name and domain_id",
			Detail: "assume_role needs exactly one of " + a.domainName.either() + " and " + a.domainID.either() + ", the account that holds the agency; " + got + "."}
	}
	r := assumeRoleBlock.build(a, AssumeRole{Duration: a.duration})
	return &r, nil
}

// check refuses federation without an identity provider or id token, or
// with two id tokens, or an agency without its account.
func (o *oidcSettings) check() (OIDC, error) {
	switch {
	case !o.idp.set():
		return OIDC{}, &SettingError{Setting: o.idp.name, Path: o.idp.path, Summary: "Missing identity provider",
			Detail: "assume_role_with_oidc needs " + o.idp.either() + ", the IAM identity provider that trusts the id token's issuer."}
	case o.idToken.set() && o.idTokenFile.set():
		return OIDC{}, &SettingError{Setting: o.idToken.name, Path: o.idToken.path, Origin: o.idToken.origin(), Summary: "Conflicting id tokens",
			Detail: "Set one of id_token and id_token_file, not both: " + names(o.idToken, o.idTokenFile) + "."}
	case !o.idToken.set() && !o.idTokenFile.set():
		return OIDC{}, &SettingError{Setting: o.idToken.name, Path: o.idToken.path, Summary: "Missing id token",
			Detail: "assume_role_with_oidc needs the OIDC id token: set " + o.idToken.either() + " or " + o.idTokenFile.either() + "."}
	case o.agency.set() && !o.domain.set():
		return OIDC{}, &SettingError{Setting: o.domain.name, Path: o.domain.path, Origin: o.agency.origin(), Summary: "Missing domain_id",
			Detail: o.agency.String() + " needs " + o.domain.either() + ", the account that holds the agency."}
	}
	return oidcBlock.build(o, OIDC{Duration: o.duration}), nil
}

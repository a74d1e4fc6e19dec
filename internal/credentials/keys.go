package credentials

import (
	"context"
	"fmt"

	"github.com/clusterprotect/terraform-provider-clusterprotect/internal/hwcloud"
)

// tokenSource is auth_token, an IAM token used as it is.
type tokenSource struct{}

func (tokenSource) name(Input) string { return "auth_token (" + EnvAuthToken + ")" }

func (tokenSource) named(m merged, config bool) bool { return namedBy(config, m.token) }

// find refuses access keys set in the same place as the token: both in
// the configuration, or both in the environment.
func (tokenSource) find(_ context.Context, _ Input, m merged) (*Result, string, error) {
	if !m.token.set() {
		return nil, notSet, nil
	}
	if namedBy(m.token.inConfig(), m.keys()...) {
		return nil, "", &SettingError{Setting: m.token.name, Path: m.token.path, Origin: m.token.origin(), Summary: "Conflicting credentials",
			Detail: fmt.Sprintf("A token and access keys are both set, use one: %s; %s.", m.token, names(m.keys()...))}
	}
	return &Result{Source: hwcloud.StaticCredentials{AuthToken: m.token.v}, Step: m.token.String(), Secrets: []string{m.token.v}, from: tokenSource{}}, "", nil
}

func (tokenSource) setBy(_ Input, m merged) string { return names(m.token) }
func (tokenSource) account(m merged) [][]value     { return [][]value{{m.token}} }
func (tokenSource) wins() string                   { return "wins" }
func (tokenSource) remedy() string                 { return "Set auth_token (or " + EnvAuthToken + ")" }

// keysSource is static access keys, with a security token when they are
// temporary; each part from the configuration or the environment.
type keysSource struct{}

func (keysSource) name(Input) string {
	return "access_key and secret_key (" + EnvAccessKey + " and " + EnvSecretKey + ")"
}

func (keysSource) named(m merged, config bool) bool { return namedBy(config, m.keys()...) }

func (keysSource) find(_ context.Context, _ Input, m merged) (*Result, string, error) {
	ak, sk, st := m.accessKey, m.secretKey, m.securityToken
	switch {
	case !namedBy(false, ak, sk, st):
		return nil, notSet, nil
	case !ak.set() && sk.set():
		return nil, "", &SettingError{Setting: ak.name, Path: ak.path, Origin: sk.origin(), Summary: "Missing access key",
			Detail: fmt.Sprintf("%s is set but access_key is not: set %s too.", sk, ak.either())}
	case ak.set() && !sk.set():
		return nil, "", &SettingError{Setting: sk.name, Path: sk.path, Origin: ak.origin(), Summary: "Missing secret key",
			Detail: fmt.Sprintf("%s is set but secret_key is not: set %s too.", ak, sk.either())}
	case !ak.set():
		return nil, "", &SettingError{Setting: st.name, Path: st.path, Origin: st.origin(), Summary: "Security token without keys",
			Detail: fmt.Sprintf("%s belongs to temporary access keys: set %s and %s too.", st, ak.either(), sk.either())}
	}
	c := hwcloud.StaticCredentials{AccessKey: ak.v, SecretKey: sk.v, SecurityToken: st.v}
	return &Result{Source: c, Step: "access keys: " + names(ak, sk, st), Secrets: hwcloud.Credentials(c).Secrets(), from: keysSource{}}, "", nil
}

func (keysSource) setBy(_ Input, m merged) string { return names(m.keys()...) }
func (keysSource) account(m merged) [][]value     { return [][]value{{m.accessKey}} }
func (keysSource) wins() string                   { return "win" }

func (keysSource) remedy() string {
	return ", or access_key and secret_key (or " + EnvAccessKey + " and " + EnvSecretKey +
		"), with security_token (" + EnvSecurityToken + ") for temporary keys"
}

// keys are the settings of access keys.
func (m merged) keys() []value { return []value{m.accessKey, m.secretKey, m.securityToken} }

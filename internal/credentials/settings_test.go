package credentials

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/clusterprotect/terraform-provider-clusterprotect/internal/hwcloud"
)

// Each setting is the configuration's value, else the environment's; a
// block never takes from the environment a field that excludes one it sets.
func TestMerge_blocks(t *testing.T) {
	envRole := &AssumeRole{AgencyName: "env-agency", DomainName: "env-domain", DomainID: "env-domain-id", Duration: 1800 * time.Second}
	for _, tc := range []struct {
		name       string
		config     Settings
		env        Settings
		wantRole   *AssumeRole
		wantOIDC   *OIDC
		wantErrSet string
	}{
		{"domain_name in the block: HW_ASSUME_ROLE_DOMAIN_ID is not taken, the duration is",
			Settings{AssumeRole: &AssumeRole{AgencyName: "a", DomainName: "d"}}, Settings{AssumeRole: &AssumeRole{DomainID: "left-over", Duration: 1800 * time.Second}},
			&AssumeRole{AgencyName: "a", DomainName: "d", Duration: 1800 * time.Second}, nil, ""},
		{"domain_id in the block: the agency comes from the environment, its domain name does not",
			Settings{AssumeRole: &AssumeRole{DomainID: "id", Duration: 900 * time.Second}}, Settings{AssumeRole: envRole},
			&AssumeRole{AgencyName: "env-agency", DomainID: "id", Duration: 900 * time.Second}, nil, ""},
		{"no block: the environment alone",
			Settings{}, Settings{AssumeRole: &AssumeRole{AgencyName: "a", DomainID: "id"}},
			&AssumeRole{AgencyName: "a", DomainID: "id"}, nil, ""},
		{"no block: both domains in the environment",
			Settings{}, Settings{AssumeRole: envRole}, nil, nil, "assume_role.domain_name"},
		{"an identity provider in the environment claims HW_ASSUME_ROLE_AGENCY_NAME",
			Settings{}, Settings{OIDC: &OIDC{IdentityProviderID: "idp", IDToken: "t", AgencyName: "a", DomainID: "id"}, AssumeRole: &AssumeRole{AgencyName: "a", DomainID: "id"}},
			nil, &OIDC{IdentityProviderID: "idp", IDToken: "t", AgencyName: "a", DomainID: "id"}, ""},
		{"id_token in the block: HW_ASSUME_ROLE_ID_TOKEN_FILE is not taken",
			Settings{OIDC: &OIDC{IdentityProviderID: "idp", IDToken: "t"}}, Settings{OIDC: &OIDC{IDTokenFile: "/f", Duration: time.Hour}},
			nil, &OIDC{IdentityProviderID: "idp", IDToken: "t", Duration: time.Hour}, ""},
		{"a block with no identity provider anywhere",
			Settings{OIDC: &OIDC{IDToken: "t"}}, Settings{}, nil, nil, "assume_role_with_oidc.idp_id"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := merge(Input{Config: tc.config, Env: tc.env})
			role, err := m.assumeRole.check()
			var oidc *OIDC
			if err == nil && m.oidc != nil {
				var o OIDC
				o, err = m.oidc.check()
				oidc = &o
			}
			if tc.wantErrSet != "" {
				var se *SettingError
				ok := errors.As(err, &se)
				if !ok || se.Setting != tc.wantErrSet {
					t.Fatalf("error %v, want one about %s", err, tc.wantErrSet)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(role, tc.wantRole) || !reflect.DeepEqual(oidc, tc.wantOIDC) {
				t.Errorf("assume_role %+v, OIDC %+v; want %+v, %+v", role, oidc, tc.wantRole, tc.wantOIDC)
			}
		})
	}
}

// The configuration names the source; the environment fills in its missing
// parts, never another source's.
func TestResolve_mixedKeys(t *testing.T) {
	envAll := Settings{AuthToken: "env-token", AccessKey: "ENVAK", SecretKey: "env-sk", SecurityToken: "env-sts"}
	for _, tc := range []struct {
		name        string
		config, env Settings
		want        hwcloud.StaticCredentials
		wantOrigin  string // of the error, when one is wanted
		wantErr     string
	}{
		{"access key in configuration, secret key from the environment",
			Settings{AccessKey: "AK"}, Settings{SecretKey: "env-sk"}, hwcloud.StaticCredentials{AccessKey: "AK", SecretKey: "env-sk"}, "", ""},
		{"keys in configuration, security token from the environment",
			Settings{AccessKey: "AK", SecretKey: "sk"}, Settings{SecurityToken: "env-sts", AuthToken: "env-token"}, hwcloud.StaticCredentials{AccessKey: "AK", SecretKey: "sk", SecurityToken: "env-sts"}, "", ""},
		{"a token in configuration takes nothing else",
			Settings{AuthToken: "t"}, envAll, hwcloud.StaticCredentials{AuthToken: "t"}, "", ""},
		{"a security token in configuration, keys from the environment",
			Settings{SecurityToken: "sts"}, envAll, hwcloud.StaticCredentials{AccessKey: "ENVAK", SecretKey: "env-sk", SecurityToken: "sts"}, "", ""},
		{"token and keys in the environment", Settings{}, envAll, hwcloud.StaticCredentials{}, EnvAuthToken, "Conflicting credentials"},
		{"a secret key from the environment alone", Settings{}, Settings{SecretKey: "sk"}, hwcloud.StaticCredentials{}, EnvSecretKey, "Missing access key"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, err := Resolve(context.Background(), Input{Config: tc.config, Env: tc.env})
			if tc.wantErr != "" {
				var se *SettingError
				ok := errors.As(err, &se)
				if !ok || se.Summary != tc.wantErr || se.Origin != tc.wantOrigin {
					t.Fatalf("error %#v, want %q from %s", err, tc.wantErr, tc.wantOrigin)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := res.Source.(hwcloud.StaticCredentials); got != tc.want {
				t.Errorf("credentials %+v, want %+v (step %s)", got, tc.want, res.Step)
			}
		})
	}
}

// Describe names the source used and each other source that was set too,
// so that a refused credential points at the one to fix.
func TestResolve_describe(t *testing.T) {
	home := t.TempDir()
	if err := os.MkdirAll(filepath.Join(home, ".hcloud"), 0o700); err != nil {
		t.Fatal(err)
	}
	defaultFile := filepath.Join(home, ".hcloud", "config.json")
	if err := os.WriteFile(defaultFile, []byte(`{"current":"p","profiles":[{"name":"p","mode":"AKSK","accessKeyId":"PAK","secretAccessKey":"psk"}]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name        string
		config, env Settings
		home        string
		want        string
	}{
		{"keys alone", Settings{}, Settings{AccessKey: "AK", SecretKey: "sk"}, "",
			"access keys: access_key (from HW_ACCESS_KEY), secret_key (from HW_SECRET_KEY)"},
		{"keys from the environment over the default file", Settings{}, Settings{AccessKey: "AK", SecretKey: "sk"}, home,
			"access keys: access_key (from HW_ACCESS_KEY), secret_key (from HW_SECRET_KEY), which win over the default shared config file " + defaultFile},
		{"a token in configuration over keys and a profile from the environment", Settings{AuthToken: "t"}, Settings{AccessKey: "AK", SecretKey: "sk", Profile: "p"}, home,
			"auth_token (in the configuration), which wins over access_key (from HW_ACCESS_KEY), secret_key (from HW_SECRET_KEY) and profile (from HW_PROFILE)"},
		{"the default profile alone", Settings{}, Settings{}, home, `profile "p" of ` + defaultFile},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, err := Resolve(context.Background(), Input{Config: tc.config, Env: tc.env, HomeDir: tc.home, MetadataEndpoint: "http://127.0.0.1:1"})
			if err != nil {
				t.Fatal(err)
			}
			if got := res.Describe(); got != tc.want {
				t.Errorf("Describe() = %q\nwant         %q", got, tc.want)
			}
		})
	}
}

// A value read from an OS_* fallback is named by it in errors.
func TestMerge_envNames(t *testing.T) {
	m := merge(Input{Env: Settings{AccessKey: "ak", SecretKey: "sk",
		EnvNames: map[string]string{EnvAccessKey: EnvOSAccessKey}}})
	if got, want := m.accessKey.String(), "access_key (from OS_ACCESS_KEY)"; got != want {
		t.Errorf("access key is %q, want %q", got, want)
	}
	if got, want := m.secretKey.String(), "secret_key (from HW_SECRET_KEY)"; got != want {
		t.Errorf("secret key is %q, want %q", got, want)
	}
}

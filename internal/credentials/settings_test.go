package credentials

import (
	"errors"
	"reflect"
	"testing"
	"time"
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

// The environment has a say over whose account is read when one of its
// values is in a layer (a source, then each agency assumed on top) at or
// after one from the configuration.
func TestMixedOrigins(t *testing.T) {
	cfg := func(name string) value { return pick(at(name), "HW_"+name, "c", "") }
	env := func(name string) value { return pick(at(name), "HW_"+name, "", "e") }
	unset := func(name string) value { return pick(at(name), "HW_"+name, "", "") }
	for _, tc := range []struct {
		name   string
		layers [][]value
		want   string
	}{
		{"all in the configuration", [][]value{{cfg("ak")}, {cfg("agency"), cfg("domain")}}, ""},
		{"all in the environment", [][]value{{env("ak")}, {env("agency"), env("domain")}}, ""},
		{"an agency from the environment on keys from the configuration", [][]value{{cfg("ak")}, {env("agency"), env("domain"), unset("other")}},
			"ak (in the configuration), agency (from HW_agency), domain (from HW_domain)"},
		{"an agency's parts from both", [][]value{{env("ak")}, {env("agency"), cfg("domain")}},
			"ak (from HW_ak), agency (from HW_agency), domain (in the configuration)"},
		{"a layer's parts from both, the environment's first", [][]value{{env("file"), cfg("profile")}}, "file (from HW_file), profile (in the configuration)"},
		{"an agency from the configuration on keys from the environment", [][]value{{env("ak")}, {cfg("agency"), cfg("domain")}}, ""},
		{"an agency from the environment on top of one from the configuration", [][]value{{env("idp")}, {cfg("agency")}, {env("agency2")}},
			"idp (from HW_idp), agency (in the configuration), agency2 (from HW_agency2)"},
		{"no settings (ECS metadata)", nil, ""},
		{"ECS metadata, an agency from the environment", [][]value{{env("agency"), env("domain")}}, ""},
	} {
		if got := mixedOrigins(tc.layers); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
}

package credentials

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"
)

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

// What to set when nothing is found is one sentence made of the sources'
// parts, in the chain's order.
func TestNotFoundError_remedy(t *testing.T) {
	want := "Set auth_token (or HW_AUTH_TOKEN), or access_key and secret_key (or HW_ACCESS_KEY and HW_SECRET_KEY), " +
		"with security_token (HW_SECURITY_TOKEN) for temporary keys; or assume_role_with_oidc, a shared config profile, or run on an ECS with an agency."
	if got := (&NotFoundError{}).Remedy(); got != want {
		t.Errorf("Remedy() = %q\nwant       %q", got, want)
	}
}

// Every refusal names its setting by path as well as by name, and its
// detail is a sentence: it begins with a capital or a setting's name.
func TestSettingError_pathAndSentence(t *testing.T) {
	home := t.TempDir()
	write := func(name, content string) string {
		t.Helper()
		file := filepath.Join(home, name)
		if err := os.WriteFile(file, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return file
	}
	notJSON := write("bad.json", "{")
	profiles := write("config.json", `{"current":"a","profiles":[`+
		`{"name":"a","mode":"AKSK"},`+
		`{"name":"b","mode":"password"},`+
		`{"name":"c","mode":"AKSK","accessKeyId":"AK","secretAccessKey":"sk","agencyName":"x"},`+
		`{"name":"d","mode":"ecsAgency"}]}`)
	role := &AssumeRole{AgencyName: "a", DomainID: "id"}
	for _, tc := range []struct {
		name        string
		config, env Settings
		want        string // the summary
	}{
		{"token and keys", Settings{}, Settings{AuthToken: "t", AccessKey: "AK", SecretKey: "sk"}, "Conflicting credentials"},
		{"secret key alone", Settings{SecretKey: "sk"}, Settings{}, "Missing access key"},
		{"access key alone", Settings{AccessKey: "AK"}, Settings{}, "Missing secret key"},
		{"security token alone", Settings{SecurityToken: "st"}, Settings{}, "Security token without keys"},
		{"assume_role on a token", Settings{AuthToken: "t", AssumeRole: role}, Settings{}, "assume_role needs access keys"},
		{"assume_role without agency", Settings{AccessKey: "AK", SecretKey: "sk", AssumeRole: &AssumeRole{DomainID: "id"}}, Settings{}, "Missing agency name"},
		{"assume_role without account", Settings{AccessKey: "AK", SecretKey: "sk", AssumeRole: &AssumeRole{AgencyName: "a"}}, Settings{}, "Set one of domain_name and domain_id"},
		{"OIDC without identity provider", Settings{OIDC: &OIDC{IDToken: "t"}}, Settings{}, "Missing identity provider"},
		{"OIDC with two id tokens", Settings{OIDC: &OIDC{IdentityProviderID: "idp", IDToken: "t", IDTokenFile: "/f"}}, Settings{}, "Conflicting id tokens"},
		{"OIDC without id token", Settings{OIDC: &OIDC{IdentityProviderID: "idp"}}, Settings{}, "Missing id token"},
		{"OIDC agency without account", Settings{OIDC: &OIDC{IdentityProviderID: "idp", IDToken: "t", AgencyName: "a"}}, Settings{}, "Missing domain_id"},
		{"profile without the default file", Settings{}, Settings{Profile: "p"}, "Unreadable shared config file"},
		{"missing file", Settings{SharedConfigFile: filepath.Join(home, "none.json")}, Settings{}, "Unreadable shared config file"},
		{"not JSON", Settings{}, Settings{SharedConfigFile: notJSON}, "Invalid shared config file"},
		{"no such profile", Settings{SharedConfigFile: profiles, Profile: "z"}, Settings{}, "No such profile"},
		{"AKSK without keys", Settings{SharedConfigFile: profiles}, Settings{}, "Incomplete profile"},
		{"unsupported mode", Settings{SharedConfigFile: profiles, Profile: "b"}, Settings{}, "Unsupported profile mode"},
		{"agency without account", Settings{SharedConfigFile: profiles, Profile: "c"}, Settings{}, "Incomplete profile"},
		{"ECS agency without metadata", Settings{SharedConfigFile: profiles, Profile: "d"}, Settings{}, "ECS agency not available"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := Input{Config: tc.config, Env: tc.env, HomeDir: filepath.Join(home, "nohome"), MetadataEndpoint: "http://127.0.0.1:1"}
			_, err := Resolve(context.Background(), in)
			var se *SettingError
			if !errors.As(err, &se) || se.Summary != tc.want {
				t.Fatalf("error %v, want %q", err, tc.want)
			}
			if got := strings.Join(se.Path, "."); len(se.Path) == 0 || got != se.Setting {
				t.Errorf("path %q for setting %q", se.Path, se.Setting)
			}
			first, _, _ := strings.Cut(se.Detail, " ")
			if !unicode.IsUpper([]rune(first)[0]) && !strings.ContainsAny(first, "_.") {
				t.Errorf("detail %q is not a sentence", se.Detail)
			}
		})
	}
}

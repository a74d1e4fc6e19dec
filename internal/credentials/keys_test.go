package credentials

import (
	"context"
	"errors"
	"testing"

	"github.com/clusterprotect/terraform-provider-clusterprotect/internal/hwcloud"
)

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

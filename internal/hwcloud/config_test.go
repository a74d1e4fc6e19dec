package hwcloud

import (
	"strings"
	"testing"
)

func TestNew_credentials(t *testing.T) {
	for _, tc := range []struct {
		cfg Config
		err string
	}{
		{Config{}, "no credentials"},
		{Config{Credentials: StaticCredentials{AuthToken: "t"}}, ""},
		{Config{Credentials: StaticCredentials{AccessKey: "a", SecretKey: "s"}}, ""},
	} {
		_, err := New(tc.cfg)
		if (tc.err == "") != (err == nil) || err != nil && !strings.Contains(err.Error(), tc.err) {
			t.Errorf("%+v: %v", tc.cfg, err)
		}
	}
}

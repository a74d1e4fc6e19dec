package provider

import (
	"runtime"

	"github.com/clusterprotect/terraform-provider-clusterprotect/internal/credentials"
)

// Environment variables, named as the Huawei Cloud provider names them.
const (
	envRegion              = "HW_REGION_NAME"
	envProjectID           = "HW_PROJECT_ID"
	envProjectName         = "HW_PROJECT_NAME"
	envAccessKey           = credentials.EnvAccessKey
	envSecretKey           = credentials.EnvSecretKey
	envSecurityToken       = credentials.EnvSecurityToken
	envAuthToken           = credentials.EnvAuthToken
	envEnterpriseProjectID = "HW_ENTERPRISE_PROJECT_ID"
	envCloud               = "HW_CLOUD"
	envHSSEndpoint         = "HW_HSS_ENDPOINT"
	envIAMEndpoint         = "HW_IAM_ENDPOINT"
	envInsecure            = "HW_INSECURE"
	envMaxRetries          = "HW_MAX_RETRIES"
	envMaxConcurrency      = "HW_MAX_CONCURRENCY"
	envCACertFile          = "OS_CACERT"
	envClientCert          = "OS_CERT"
	envClientKey           = "OS_KEY"
	// Ours alone: the Huawei Cloud provider has no such settings.
	envRequestTimeout = "HW_REQUEST_TIMEOUT"
)

// What the Huawei Cloud provider reads that this one reads too under other
// names: its IAM endpoint, and the OS_* names it reads after each HW_* one.
const (
	envAuthURL   = "HW_AUTH_URL"
	envOSAuthURL = "OS_AUTH_URL"
)

// osFallback is, for each HW_* variable, the OS_* one read when it is
// unset, as the Huawei Cloud provider reads them.
var osFallback = map[string]string{
	envRegion:      "OS_REGION_NAME",
	envProjectID:   "OS_PROJECT_ID",
	envProjectName: "OS_PROJECT_NAME",
	envAccessKey:   credentials.EnvOSAccessKey,
	envSecretKey:   credentials.EnvOSSecretKey,
	envAuthToken:   credentials.EnvOSAuthToken,
	envInsecure:    "OS_INSECURE",
	envAuthURL:     envOSAuthURL,
}

// environment looks up an environment variable, "" when unset: os.Getenv
// for Terraform, a map of a test's own so that tests run in parallel. The
// provider reads every variable through it.
type environment func(name string) string

// get reads a variable, else its OS_* fallback; from is the one it was
// read from.
func (e environment) get(name string) (v, from string) {
	if v := e(name); v != "" {
		return v, name
	}
	if fb := osFallback[name]; fb != "" {
		if v := e(fb); v != "" {
			return v, fb
		}
	}
	return "", name
}

// value is get's value alone.
func (e environment) value(name string) string {
	v, _ := e.get(name)
	return v
}

// homeDir is the user's home directory, read as os.UserHomeDir reads it;
// "" when unset.
func (e environment) homeDir() string {
	switch runtime.GOOS {
	case "windows":
		return e("USERPROFILE")
	case "plan9":
		return e("home")
	}
	return e("HOME")
}

// envDoc names an environment variable and its fallback, for the docs.
func envDoc(name string) string {
	if fb := osFallback[name]; fb != "" {
		return "`" + name + "`, else `" + fb + "`"
	}
	return "`" + name + "`"
}

package hwcloud

import (
	"context"
	"time"
)

// Credentials authenticate a request: a token sent as X-Auth-Token, or an
// access key pair that signs it, temporary when it has a security token.
type Credentials struct {
	AuthToken     string
	AccessKey     string
	SecretKey     string
	SecurityToken string
	// ExpiresAt is when temporary credentials stop working; zero when they
	// do not expire.
	ExpiresAt time.Time
}

// Temporary reports credentials that expire.
func (c Credentials) Temporary() bool { return c.SecurityToken != "" || !c.ExpiresAt.IsZero() }

// Secrets are the values never to log.
func (c Credentials) Secrets() []string {
	var out []string
	for _, s := range []string{c.AuthToken, c.SecretKey, c.SecurityToken} {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

// CredentialsSource gives the credentials of each request. Sources of
// temporary credentials refresh them before they expire.
type CredentialsSource interface {
	Retrieve(ctx context.Context) (Credentials, error)
	// Expired tells the source that the API refused c as expired: the next
	// Retrieve must not return them again.
	Expired(c Credentials)
}

// StaticCredentials never change.
type StaticCredentials Credentials

// Retrieve returns the credentials.
func (s StaticCredentials) Retrieve(context.Context) (Credentials, error) { return Credentials(s), nil }

// Expired does nothing: static credentials cannot be refreshed.
func (StaticCredentials) Expired(Credentials) {}

// CredentialsError is a request that could not get its credentials: an
// exchange with IAM or the metadata service failed. Err says which step.
type CredentialsError struct{ Err error }

func (e *CredentialsError) Error() string { return "getting credentials: " + e.Err.Error() }

func (e *CredentialsError) Unwrap() error { return e.Err }

package dtsapi

import (
	"context"
	"errors"

	"github.com/aliyun/credentials-go/credentials/providers"
)

// Credentials sign a request. SecurityToken is set for STS credentials only.
type Credentials struct {
	AccessKeyID     string
	AccessKeySecret string
	SecurityToken   string
}

// CredentialsProvider gives the credentials for the next request; implementations may refresh them.
type CredentialsProvider interface {
	Credentials(ctx context.Context) (Credentials, error)
}

// StaticCredentials is a CredentialsProvider that always gives the same credentials.
type StaticCredentials Credentials

// Credentials returns the static credentials.
func (s StaticCredentials) Credentials(context.Context) (Credentials, error) {
	return Credentials(s), nil
}

// credentialsGoProvider adapts a credentials-go provider: its calls take no context and are not safe
// for concurrent use (they refresh cached STS credentials in place), so they run one at a time, in a
// goroutine that a caller whose context ends can leave behind.
type credentialsGoProvider struct {
	provider providers.CredentialsProvider
	turn     chan struct{}
}

// FromCredentialsGo adapts a github.com/aliyun/credentials-go provider.
func FromCredentialsGo(p providers.CredentialsProvider) CredentialsProvider {
	return &credentialsGoProvider{provider: p, turn: make(chan struct{}, 1)}
}

type credentialsResult struct {
	creds Credentials
	err   error
}

// Credentials asks the wrapped provider for credentials, giving up when ctx ends.
func (a *credentialsGoProvider) Credentials(ctx context.Context) (Credentials, error) {
	select {
	case a.turn <- struct{}{}:
	case <-ctx.Done():
		return Credentials{}, ctx.Err()
	}
	done := make(chan credentialsResult, 1)
	go func() {
		defer func() { <-a.turn }()
		c, err := a.provider.GetCredentials()
		if err != nil {
			done <- credentialsResult{err: err}
			return
		}
		if c == nil || c.AccessKeyId == "" || c.AccessKeySecret == "" {
			done <- credentialsResult{err: errors.New("the credentials source returned an empty access key")}
			return
		}
		done <- credentialsResult{creds: Credentials{
			AccessKeyID:     c.AccessKeyId,
			AccessKeySecret: c.AccessKeySecret,
			SecurityToken:   c.SecurityToken,
		}}
	}()
	select {
	case r := <-done:
		return r.creds, r.err
	case <-ctx.Done():
		return Credentials{}, ctx.Err()
	}
}

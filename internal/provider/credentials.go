package provider

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/aliyun/credentials-go/credentials/providers"

	"github.com/openmigrate/terraform-provider-dts/internal/dtsapi"
)

type sourceKind int

const (
	sourceKeys sourceKind = iota
	sourceProfile
	sourceECSRole
	sourceDefaultChain
)

// credentialSource is the credential source the configuration selects, before anything is fetched.
type credentialSource struct {
	kind        sourceKind
	description string
	accessKey   string
	secretKey   string
	token       string
	profile     string
	roleName    string
}

// lookedAt lists, for messages, every place the provider looks for credentials, in order.
const lookedAt = "access_key/secret_key, profile and ecs_role_name in the provider block; " +
	"ALIBABA_CLOUD_ACCESS_KEY_ID/ALIBABA_CLOUD_ACCESS_KEY_SECRET (or ALICLOUD_ACCESS_KEY/ALICLOUD_SECRET_KEY) and " +
	"ALIBABA_CLOUD_PROFILE (or ALICLOUD_PROFILE) in the environment; then the default chain of credentials-go: " +
	"OIDC (ALIBABA_CLOUD_OIDC_TOKEN_FILE), the CLI configuration ~/.aliyun/config.json, the credentials file " +
	"~/.alibabacloud/credentials and the ECS instance metadata service"

// selectCredentialSource picks the first source that is configured: keys, profile, then ECS role as
// set in the provider block; then keys and profile from the environment; else the default chain.
func selectCredentialSource(s settings) (credentialSource, error) {
	keysInBlock := s.accessKey.from == "provider block" || s.secretKey.from == "provider block"
	keys := func() (credentialSource, error) {
		switch {
		case !s.accessKey.set():
			return credentialSource{}, fmt.Errorf("secret_key is set (%s) but access_key is not: set access_key, "+
				"ALIBABA_CLOUD_ACCESS_KEY_ID or ALICLOUD_ACCESS_KEY", s.secretKey.from)
		case !s.secretKey.set():
			return credentialSource{}, fmt.Errorf("access_key is set (%s) but secret_key is not: set secret_key, "+
				"ALIBABA_CLOUD_ACCESS_KEY_SECRET or ALICLOUD_SECRET_KEY", s.accessKey.from)
		}
		desc := "access key " + s.accessKey.value + " from " + s.accessKey.from
		if s.securityToken.set() {
			desc = "STS " + desc + " with the security token from " + s.securityToken.from
		}
		return credentialSource{kind: sourceKeys, description: desc, accessKey: s.accessKey.value,
			secretKey: s.secretKey.value, token: s.securityToken.value}, nil
	}
	profile := func() credentialSource {
		return credentialSource{kind: sourceProfile, profile: s.profile.value,
			description: fmt.Sprintf("profile %q from %s", s.profile.value, s.profile.from)}
	}
	switch {
	case keysInBlock:
		return keys()
	case s.profile.from == "provider block":
		return profile(), nil
	case s.ecsRoleName != "":
		return credentialSource{kind: sourceECSRole, roleName: s.ecsRoleName,
			description: fmt.Sprintf("ECS RAM role %q from the provider block", s.ecsRoleName)}, nil
	case s.accessKey.set() || s.secretKey.set():
		return keys()
	case s.profile.set():
		return profile(), nil
	}
	return credentialSource{kind: sourceDefaultChain, description: "the default credentials chain (" + lookedAt + ")"}, nil
}

// ecsMetadataTimeoutMillis bounds each request to the ECS metadata service, so that a plan off ECS
// does not hang on it.
const ecsMetadataTimeoutMillis = 1000

// build makes the credentials-go provider for the source.
func (src credentialSource) build() (providers.CredentialsProvider, error) {
	switch src.kind {
	case sourceKeys:
		if src.token != "" {
			return providers.NewStaticSTSCredentialsProviderBuilder().WithAccessKeyId(src.accessKey).
				WithAccessKeySecret(src.secretKey).WithSecurityToken(src.token).Build()
		}
		return providers.NewStaticAKCredentialsProviderBuilder().WithAccessKeyId(src.accessKey).
			WithAccessKeySecret(src.secretKey).Build()
	case sourceProfile:
		return newProfileProvider(src.profile)
	case sourceECSRole:
		return providers.NewECSRAMRoleCredentialsProviderBuilder().WithRoleName(src.roleName).
			WithHttpOptions(&providers.HttpOptions{ConnectTimeout: ecsMetadataTimeoutMillis, ReadTimeout: ecsMetadataTimeoutMillis}).Build()
	default:
		return providers.NewDefaultCredentialsProvider(), nil
	}
}

// profileProvider reads a named profile from the CLI configuration, else from the credentials file.
type profileProvider struct {
	name  string
	chain []providers.CredentialsProvider
	used  providers.CredentialsProvider
}

func newProfileProvider(name string) (providers.CredentialsProvider, error) {
	p := &profileProvider{name: name}
	if cli, err := providers.NewCLIProfileCredentialsProviderBuilder().WithProfileName(name).Build(); err == nil {
		p.chain = append(p.chain, cli)
	}
	file, err := providers.NewProfileCredentialsProviderBuilder().WithProfileName(name).Build()
	if err != nil {
		return nil, err
	}
	p.chain = append(p.chain, file)
	return p, nil
}

func (p *profileProvider) GetCredentials() (*providers.Credentials, error) {
	if p.used != nil {
		return p.used.GetCredentials()
	}
	var errs []string
	for _, c := range p.chain {
		creds, err := c.GetCredentials()
		if err == nil {
			p.used = c
			return creds, nil
		}
		errs = append(errs, err.Error())
	}
	return nil, fmt.Errorf("profile %q was not found or is not usable in the CLI configuration (ALIBABA_CLOUD_CONFIG_FILE, "+
		"default ~/.aliyun/config.json) nor in the credentials file (ALIBABA_CLOUD_CREDENTIALS_FILE, default "+
		"~/.alibabacloud/credentials): %s", p.name, strings.Join(errs, "; "))
}

func (p *profileProvider) GetProviderName() string { return "profile" }

// wrapAssumeRole assumes the configured RAM role with the inner provider's credentials.
func wrapAssumeRole(inner providers.CredentialsProvider, a *assumeRoleSettings) (providers.CredentialsProvider, error) {
	b := providers.NewRAMRoleARNCredentialsProviderBuilder().WithCredentialsProvider(inner).
		WithRoleArn(a.roleARN).WithRoleSessionName(a.sessionName).WithDurationSeconds(a.durationSeconds).
		WithHttpOptions(&providers.HttpOptions{ConnectTimeout: 5000, ReadTimeout: 10000})
	if a.externalID != "" {
		b = b.WithExternalId(a.externalID)
	}
	if a.policy != "" {
		b = b.WithPolicy(a.policy)
	}
	if a.stsEndpoint.set() {
		b = b.WithStsEndpoint(a.stsEndpoint.value)
	}
	return b.Build()
}

// lazyCredentials selects and builds the credential source on first use, so that validate and plans
// that read no data source need no credentials at all.
type lazyCredentials struct {
	settings settings
	once     sync.Once
	provider dtsapi.CredentialsProvider
	desc     string
	err      error
}

func (l *lazyCredentials) resolve() {
	src, err := selectCredentialSource(l.settings)
	if err != nil {
		l.err = err
		return
	}
	l.desc = src.description
	if src.kind == sourceKeys && l.settings.assumeRole == nil {
		l.provider = dtsapi.StaticCredentials{AccessKeyID: src.accessKey, AccessKeySecret: src.secretKey, SecurityToken: src.token}
		return
	}
	p, err := src.build()
	if err != nil {
		l.err = fmt.Errorf("%s: %w", src.description, err)
		return
	}
	if a := l.settings.assumeRole; a != nil {
		l.desc = fmt.Sprintf("RAM role %s assumed with %s", a.roleARN, src.description)
		if p, err = wrapAssumeRole(p, a); err != nil {
			l.err = fmt.Errorf("%s: %w", l.desc, err)
			return
		}
	}
	l.provider = dtsapi.FromCredentialsGo(p)
}

// Credentials implements dtsapi.CredentialsProvider.
func (l *lazyCredentials) Credentials(ctx context.Context) (dtsapi.Credentials, error) {
	l.once.Do(l.resolve)
	if l.err != nil {
		return dtsapi.Credentials{}, l.err
	}
	c, err := l.provider.Credentials(ctx)
	if err != nil && !errors.Is(err, context.Canceled) && !errors.Is(err, context.DeadlineExceeded) {
		return c, fmt.Errorf("%s: %w", l.desc, err)
	}
	return c, err
}

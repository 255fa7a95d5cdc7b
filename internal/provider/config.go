package provider

import (
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/openmigrate/terraform-provider-dts/internal/dtsapi"
)

// Environment variables read where the provider block leaves an argument out, Alibaba Cloud's names
// first and the alicloud provider's second.
var (
	envRegion        = []string{"ALIBABA_CLOUD_REGION_ID", "ALICLOUD_REGION"}
	envAccessKey     = []string{"ALIBABA_CLOUD_ACCESS_KEY_ID", "ALICLOUD_ACCESS_KEY"}
	envSecretKey     = []string{"ALIBABA_CLOUD_ACCESS_KEY_SECRET", "ALICLOUD_SECRET_KEY"}
	envSecurityToken = []string{"ALIBABA_CLOUD_SECURITY_TOKEN", "ALICLOUD_SECURITY_TOKEN"}
	envProfile       = []string{"ALIBABA_CLOUD_PROFILE", "ALICLOUD_PROFILE"}
	envEndpoint      = []string{"ALIBABA_CLOUD_ENDPOINT_DTS", "DTS_ENDPOINT"}
	envSTSEndpoint   = []string{"ALIBABA_CLOUD_STS_ENDPOINT"}
)

// setting is one argument's effective value and where it came from, for messages.
type setting struct {
	value string
	from  string // "provider block", "ALICLOUD_REGION", ...; empty when unset
}

func (s setting) set() bool { return s.value != "" }

// settings is the provider configuration after the environment fallbacks.
type settings struct {
	region   setting
	endpoint setting
	// maxRetries is max_retries as dtsapi.RetryPolicy takes it: nil for the client's default.
	maxRetries *int

	accessKey, secretKey, securityToken setting
	profile                             setting
	ecsRoleName                         string
	assumeRole                          *assumeRoleSettings

	// unknown lists arguments whose values were unknown when the provider was configured.
	unknown []string
}

type assumeRoleSettings struct {
	roleARN, sessionName, externalID, policy string
	stsEndpoint                              setting
	durationSeconds                          int
}

// resolveSettings applies the environment fallbacks: a value in the block wins, then the first
// environment variable of the argument's list that is set and not empty.
func resolveSettings(cfg providerModel, lookupEnv func(string) (string, bool)) (settings, diag.Diagnostics) {
	var diags diag.Diagnostics
	var s settings
	pick := func(name string, v types.String, env []string) setting {
		if v.IsUnknown() {
			s.unknown = append(s.unknown, name)
			return setting{}
		}
		if !v.IsNull() && v.ValueString() != "" {
			return setting{value: v.ValueString(), from: "provider block"}
		}
		for _, e := range env {
			if val, ok := lookupEnv(e); ok && strings.TrimSpace(val) != "" {
				return setting{value: strings.TrimSpace(val), from: e}
			}
		}
		return setting{}
	}
	s.region = pick("region", cfg.Region, envRegion)
	if s.region.set() {
		// The schema checks the block's value; the environment's is checked here.
		if err := checkRegion(s.region.value); err != nil {
			fix := "Fix region in the provider block."
			if s.region.from != "provider block" {
				fix = fmt.Sprintf("Fix or unset %s, or set region in the provider block.", s.region.from)
			}
			diags.AddAttributeError(path.Root("region"), "Invalid region", fmt.Sprintf("From %s: %s. %s", s.region.from, err, fix))
		}
	}
	s.endpoint = pick("endpoint", cfg.Endpoint, envEndpoint)
	s.accessKey = pick("access_key", cfg.AccessKey, envAccessKey)
	s.secretKey = pick("secret_key", cfg.SecretKey, envSecretKey)
	s.securityToken = pick("security_token", cfg.SecurityToken, envSecurityToken)
	s.profile = pick("profile", cfg.Profile, envProfile)
	s.ecsRoleName = pick("ecs_role_name", cfg.ECSRoleName, nil).value
	if s.endpoint.set() {
		if _, err := dtsapi.ParseEndpoint(s.endpoint.value); err != nil {
			diags.AddAttributeError(path.Root("endpoint"), "Invalid endpoint", fmt.Sprintf("From %s: %s", s.endpoint.from, err))
		}
	}
	switch {
	case cfg.MaxRetries.IsUnknown():
		s.unknown = append(s.unknown, "max_retries")
	case !cfg.MaxRetries.IsNull():
		s.maxRetries = new(int(cfg.MaxRetries.ValueInt64()))
	}
	if ar := cfg.AssumeRole; ar != nil {
		a := &assumeRoleSettings{
			roleARN:         ar.RoleARN.ValueString(),
			sessionName:     "terraform",
			externalID:      ar.ExternalID.ValueString(),
			policy:          ar.Policy.ValueString(),
			durationSeconds: 3600,
			stsEndpoint:     pick("assume_role.sts_endpoint", ar.STSEndpoint, envSTSEndpoint),
		}
		for _, v := range []struct {
			name  string
			value types.String
		}{{"assume_role.role_arn", ar.RoleARN}, {"assume_role.session_name", ar.SessionName}, {"assume_role.external_id", ar.ExternalID}, {"assume_role.policy", ar.Policy}} {
			if v.value.IsUnknown() {
				s.unknown = append(s.unknown, v.name)
			}
		}
		// The host goes into a URL that credentials-go builds, and its errors would quote it whole.
		if strings.Contains(a.stsEndpoint.value, "@") {
			diags.AddAttributeError(path.Root("assume_role").AtName("sts_endpoint"), "Invalid sts_endpoint",
				fmt.Sprintf("From %s: the STS endpoint must be a host name only, such as sts.aliyuncs.com, with no "+
					"user name or password (the value is not shown, as it may hold one).", a.stsEndpoint.from))
		}
		if v := ar.SessionName.ValueString(); v != "" {
			a.sessionName = v
		}
		if !ar.SessionExpiration.IsNull() && !ar.SessionExpiration.IsUnknown() {
			a.durationSeconds = int(ar.SessionExpiration.ValueInt64())
		}
		s.assumeRole = a
	}
	return s, diags
}

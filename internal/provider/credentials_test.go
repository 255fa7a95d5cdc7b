package provider

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/openmigrate/terraform-provider-dts/internal/dtsapi"
)

func envOf(m map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) {
		v, ok := m[k]
		return v, ok
	}
}

func nullConfig() providerModel {
	return providerModel{
		Region: types.StringNull(), AccessKey: types.StringNull(), SecretKey: types.StringNull(),
		SecurityToken: types.StringNull(), Profile: types.StringNull(), ECSRoleName: types.StringNull(),
		Endpoint: types.StringNull(), MaxRetries: types.Int64Null(),
	}
}

func TestEnvironmentFallbacks(t *testing.T) {
	cases := []struct {
		name string
		cfg  func(*providerModel)
		env  map[string]string
		want settings
	}{
		{
			name: "Alibaba Cloud names first",
			env: map[string]string{
				"ALIBABA_CLOUD_REGION_ID": "cn-shanghai", "ALICLOUD_REGION": "cn-beijing",
				"ALIBABA_CLOUD_ACCESS_KEY_ID": "ak1", "ALICLOUD_ACCESS_KEY": "ak2",
				"ALIBABA_CLOUD_ENDPOINT_DTS": "http://127.0.0.1:1", "DTS_ENDPOINT": "http://127.0.0.1:2",
			},
			want: settings{
				region:    setting{"cn-shanghai", "ALIBABA_CLOUD_REGION_ID"},
				accessKey: setting{"ak1", "ALIBABA_CLOUD_ACCESS_KEY_ID"},
				endpoint:  setting{"http://127.0.0.1:1", "ALIBABA_CLOUD_ENDPOINT_DTS"},
			},
		},
		{
			name: "alicloud names second, empty values skipped",
			env: map[string]string{
				"ALIBABA_CLOUD_REGION_ID": "", "ALICLOUD_REGION": "cn-beijing",
				"ALICLOUD_SECRET_KEY": "sk", "ALICLOUD_SECURITY_TOKEN": "tok", "ALICLOUD_PROFILE": "p",
				"DTS_ENDPOINT": "http://127.0.0.1:2",
			},
			want: settings{
				region:        setting{"cn-beijing", "ALICLOUD_REGION"},
				secretKey:     setting{"sk", "ALICLOUD_SECRET_KEY"},
				securityToken: setting{"tok", "ALICLOUD_SECURITY_TOKEN"},
				profile:       setting{"p", "ALICLOUD_PROFILE"},
				endpoint:      setting{"http://127.0.0.1:2", "DTS_ENDPOINT"},
			},
		},
		{
			name: "the block wins",
			cfg: func(m *providerModel) {
				m.Region = types.StringValue("eu-central-1")
				m.AccessKey = types.StringValue("block-ak")
			},
			env:  map[string]string{"ALIBABA_CLOUD_REGION_ID": "cn-shanghai", "ALIBABA_CLOUD_ACCESS_KEY_ID": "env-ak"},
			want: settings{region: setting{"eu-central-1", "provider block"}, accessKey: setting{"block-ak", "provider block"}},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cfg := nullConfig()
			if tc.cfg != nil {
				tc.cfg(&cfg)
			}
			got, diags := resolveSettings(cfg, envOf(tc.env))
			if diags.HasError() {
				t.Fatal(diags)
			}
			if got.region != tc.want.region || got.accessKey != tc.want.accessKey || got.secretKey != tc.want.secretKey ||
				got.securityToken != tc.want.securityToken || got.profile != tc.want.profile || got.endpoint != tc.want.endpoint {
				t.Fatalf("got %+v\nwant %+v", got, tc.want)
			}
		})
	}
}

func TestEndpointFromEnvironmentIsValidated(t *testing.T) {
	_, diags := resolveSettings(nullConfig(), envOf(map[string]string{"DTS_ENDPOINT": "http://dts.example.com"}))
	if !diags.HasError() || !strings.Contains(diags[0].Detail(), "DTS_ENDPOINT") {
		t.Fatalf("a plain-http endpoint from the environment must be refused, naming the variable: %v", diags)
	}
}

func TestUnknownProviderArgumentsFailAtRead(t *testing.T) {
	cfg := nullConfig()
	cfg.Region = types.StringUnknown()
	s, diags := resolveSettings(cfg, envOf(nil))
	if diags.HasError() {
		t.Fatal(diags)
	}
	_, err := (&providerData{settings: s}).target("cn-hangzhou")
	if err == nil || !strings.Contains(err.Error(), "region") {
		t.Fatalf("want an error naming the unknown argument, got %v", err)
	}
}

func TestCredentialSourceOrder(t *testing.T) {
	block := func(v string) setting { return setting{v, "provider block"} }
	env := func(v string) setting { return setting{v, "ALIBABA_CLOUD_X"} }
	cases := []struct {
		name     string
		s        settings
		kind     sourceKind
		contains string
	}{
		{"block keys", settings{accessKey: block("ak"), secretKey: block("sk")}, sourceKeys, "access key ak from provider block"},
		{"block keys with token", settings{accessKey: block("ak"), secretKey: block("sk"), securityToken: block("t")}, sourceKeys, "STS access key ak"},
		{"block keys beat block profile", settings{accessKey: block("ak"), secretKey: block("sk"), profile: block("p")}, sourceKeys, "access key"},
		{"block profile beats env keys", settings{accessKey: env("ak"), secretKey: env("sk"), profile: block("p")}, sourceProfile, `profile "p" from provider block`},
		{"block ECS role beats env keys", settings{accessKey: env("ak"), secretKey: env("sk"), ecsRoleName: "r"}, sourceECSRole, `ECS RAM role "r"`},
		{"block profile beats ECS role", settings{profile: block("p"), ecsRoleName: "r"}, sourceProfile, "profile"},
		{"env keys beat env profile", settings{accessKey: env("ak"), secretKey: env("sk"), profile: env("p")}, sourceKeys, "access key ak from ALIBABA_CLOUD_X"},
		{"env profile", settings{profile: env("p")}, sourceProfile, `profile "p" from ALIBABA_CLOUD_X`},
		{"block key, env secret", settings{accessKey: block("ak"), secretKey: env("sk")}, sourceKeys, "access key ak"},
		{"nothing", settings{}, sourceDefaultChain, "default credentials chain"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			src, err := selectCredentialSource(tc.s)
			if err != nil {
				t.Fatal(err)
			}
			if src.kind != tc.kind || !strings.Contains(src.description, tc.contains) {
				t.Fatalf("got kind %d %q, want kind %d containing %q", src.kind, src.description, tc.kind, tc.contains)
			}
			if strings.Contains(src.description, "sk") && tc.kind == sourceKeys {
				t.Fatalf("the description must not show the secret: %q", src.description)
			}
		})
	}
}

func TestHalfAKeyPairIsAnError(t *testing.T) {
	for _, s := range []settings{
		{accessKey: setting{"ak", "provider block"}},
		{secretKey: setting{"sk", "ALICLOUD_SECRET_KEY"}},
	} {
		_, err := selectCredentialSource(s)
		if err == nil || !strings.Contains(err.Error(), "is not") {
			t.Fatalf("want an error, got %v", err)
		}
		if strings.Contains(err.Error(), "sk\"") {
			t.Fatalf("the secret leaked: %v", err)
		}
	}
}

func TestECSRoleIsSelectedWithoutTouchingTheNetwork(t *testing.T) {
	t.Setenv("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "true")
	l := &lazyCredentials{settings: settings{ecsRoleName: "migrator", accessKey: setting{"ak", "ALICLOUD_ACCESS_KEY"}, secretKey: setting{"sk", "ALICLOUD_SECRET_KEY"}}}
	_, err := l.Credentials(context.Background())
	if err == nil || !strings.Contains(err.Error(), `ECS RAM role "migrator"`) || !strings.Contains(err.Error(), "disabled") {
		t.Fatalf("want the ECS role source chosen (and refused, metadata disabled), got %v", err)
	}
}

func TestStaticKeysNeedNoCredentialsGo(t *testing.T) {
	l := &lazyCredentials{settings: settings{accessKey: setting{"ak", "provider block"}, secretKey: setting{"sk", "provider block"}, securityToken: setting{"tok", "provider block"}}}
	c, err := l.Credentials(context.Background())
	if err != nil || c != (dtsapi.Credentials{AccessKeyID: "ak", AccessKeySecret: "sk", SecurityToken: "tok"}) {
		t.Fatalf("got %+v, %v", c, err)
	}
}

func TestNoCredentialsAnywhereListsTheSources(t *testing.T) {
	home := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "true")
	for _, k := range []string{"ALIBABA_CLOUD_ACCESS_KEY_ID", "ALIBABA_CLOUD_ACCESS_KEY_SECRET", "ALIBABA_CLOUD_PROFILE",
		"ALIBABA_CLOUD_CREDENTIALS_FILE", "ALIBABA_CLOUD_CONFIG_FILE", "ALIBABA_CLOUD_OIDC_TOKEN_FILE", "ALIBABA_CLOUD_CREDENTIALS_URI"} {
		t.Setenv(k, "")
	}
	l := &lazyCredentials{}
	start := time.Now()
	_, err := l.Credentials(context.Background())
	if elapsed := time.Since(start); elapsed > 5*time.Second {
		t.Fatalf("with no credentials anywhere the read must fail within 5s, took %s", elapsed)
	}
	if err == nil || !strings.Contains(err.Error(), "default credentials chain") || !strings.Contains(err.Error(), "ALICLOUD_ACCESS_KEY") {
		t.Fatalf("want an error listing where the provider looked, got %v", err)
	}
	if errors.Is(err, context.DeadlineExceeded) {
		t.Fatal("no credentials must fail, not time out")
	}
}

package provider

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/openmigrate/terraform-provider-dts/internal/fakedts"
)

// credentialsCase reads one job with a provider block and an environment, and checks which access
// key the fake saw.
type credentialsCase struct {
	name      string
	block     string
	env       map[string]string
	wantKey   string
	wantToken bool
}

func migratingJob(f *fakedts.Server, id string) {
	f.SetJob(id, fakedts.Job{Steps: []fakedts.Step{{Body: fakedts.State{JobStatus: "Migrating", Sync: "Migrating", Delay: fakedts.Delay(3)}.Body(id)}}})
}

func runCredentialsCase(t *testing.T, tc credentialsCase) {
	f := newFake(t)
	migratingJob(f, "dts-cred")
	for k, v := range tc.env {
		t.Setenv(k, v)
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testFactories,
		Steps: []resource.TestStep{{
			Config: providerConfig(f, tc.block) + `
data "dts_migration_job_status" "test" {
  migration_job_id = "dts-cred"
}
`,
			ConfigStateChecks: []statecheck.StateCheck{expect(attr("migration_job_status"), knownvalue.StringExact("Migrating"))},
		}},
	})
	reqs := f.DescribeRequests()
	if len(reqs) == 0 {
		t.Fatal("the fake saw no request")
	}
	for _, r := range reqs {
		if r.AccessKeyID != tc.wantKey || (r.Params.Get("SecurityToken") != "") != tc.wantToken || r.Code != "" {
			t.Fatalf("request signed with key %q (token sent: %v, answer %q), want key %q (token: %v)",
				r.AccessKeyID, r.Params.Get("SecurityToken") != "", r.Code, tc.wantKey, tc.wantToken)
		}
	}
}

// Cases that set the environment cannot run in parallel.
func TestAccCredentialSources(t *testing.T) {
	dir := t.TempDir()
	credentialsFile := filepath.Join(dir, "credentials")
	if err := os.WriteFile(credentialsFile, []byte(fmt.Sprintf(
		"[migrator]\ntype = access_key\naccess_key_id = %s\naccess_key_secret = %s\n", testAccessKey, testSecretKey)), 0o600); err != nil {
		t.Fatal(err)
	}
	cliConfig := filepath.Join(dir, "config.json")
	if err := os.WriteFile(cliConfig, []byte(fmt.Sprintf(`{"current": "other", "profiles": [
		{"name": "other", "mode": "AK", "access_key_id": "LTAI5tUnknownKey", "access_key_secret": "x"},
		{"name": "cli-sts", "mode": "StsToken", "access_key_id": %q, "access_key_secret": %q, "sts_token": %q, "region_id": "cn-hangzhou"}
	]}`, testSTSKey, testSTSSecret, testSTSToken)), 0o600); err != nil {
		t.Fatal(err)
	}
	badKeys := map[string]string{"ALIBABA_CLOUD_ACCESS_KEY_ID": "LTAI5tUnknownKey", "ALIBABA_CLOUD_ACCESS_KEY_SECRET": "wrong"}
	cases := []credentialsCase{
		{name: "provider block keys", wantKey: testAccessKey},
		{
			name:    "provider block STS token",
			block:   fmt.Sprintf("access_key = %q\n  secret_key = %q\n  security_token = %q", testSTSKey, testSTSSecret, testSTSToken),
			wantKey: testSTSKey, wantToken: true,
		},
		{
			name: "ALIBABA_CLOUD environment", block: "# credentials from the environment",
			env:     map[string]string{"ALIBABA_CLOUD_ACCESS_KEY_ID": testAccessKey, "ALIBABA_CLOUD_ACCESS_KEY_SECRET": testSecretKey},
			wantKey: testAccessKey,
		},
		{
			name: "ALICLOUD environment with STS token", block: "# credentials from the environment",
			env: map[string]string{
				"ALICLOUD_ACCESS_KEY": testSTSKey, "ALICLOUD_SECRET_KEY": testSTSSecret, "ALICLOUD_SECURITY_TOKEN": testSTSToken,
			},
			wantKey: testSTSKey, wantToken: true,
		},
		{
			name: "ALIBABA_CLOUD names win over ALICLOUD names", block: "# credentials from the environment",
			env: map[string]string{
				"ALIBABA_CLOUD_ACCESS_KEY_ID": testAccessKey, "ALIBABA_CLOUD_ACCESS_KEY_SECRET": testSecretKey,
				"ALICLOUD_ACCESS_KEY": "LTAI5tUnknownKey", "ALICLOUD_SECRET_KEY": "wrong",
			},
			wantKey: testAccessKey,
		},
		{name: "provider block wins over the environment", env: badKeys, wantKey: testAccessKey},
		{
			name:    "credentials file profile in the block wins over keys in the environment",
			block:   `profile = "migrator"`,
			env:     map[string]string{"ALIBABA_CLOUD_CREDENTIALS_FILE": credentialsFile, "ALIBABA_CLOUD_ACCESS_KEY_ID": "LTAI5tUnknownKey", "ALIBABA_CLOUD_ACCESS_KEY_SECRET": "wrong"},
			wantKey: testAccessKey,
		},
		{
			name: "CLI profile from ALICLOUD_PROFILE", block: "# profile from the environment",
			env:     map[string]string{"ALIBABA_CLOUD_CONFIG_FILE": cliConfig, "ALICLOUD_PROFILE": "cli-sts"},
			wantKey: testSTSKey, wantToken: true,
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) { runCredentialsCase(t, tc) })
	}
}

func TestAccAssumeRole(t *testing.T) {
	f := newFake(t)
	sts := fakedts.NewSTSServer(f)
	t.Cleanup(sts.Close)
	migratingJob(f, "dts-role")
	block := fmt.Sprintf(`access_key = %q
  secret_key = %q
  assume_role {
    role_arn           = "acs:ram::123456789012:role/migrator"
    session_name       = "tf-acc"
    session_expiration = 1800
    external_id        = "ext-42"
    sts_endpoint       = %q
  }`, testAccessKey, testSecretKey, sts.Host())
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testFactories,
		Steps: []resource.TestStep{{
			Config: providerConfig(f, block) + `
data "dts_migration_job_status" "test" {
  migration_job_id = "dts-role"
}
`,
			ConfigStateChecks: []statecheck.StateCheck{expect(attr("migration_job_status"), knownvalue.StringExact("Migrating"))},
		}},
	})
	stsReqs := sts.Requests()
	if len(stsReqs) == 0 {
		t.Fatal("STS was never asked to assume the role")
	}
	r := stsReqs[0]
	if r.Action != "AssumeRole" || r.AccessKeyID != testAccessKey || r.Params.Get("RoleArn") != "acs:ram::123456789012:role/migrator" ||
		r.Params.Get("RoleSessionName") != "tf-acc" || r.Params.Get("DurationSeconds") != "1800" || r.Params.Get("ExternalId") != "ext-42" || r.Code != "" {
		t.Fatalf("unexpected AssumeRole request: %+v", r)
	}
	for _, d := range f.DescribeRequests() {
		if !strings.HasPrefix(d.AccessKeyID, "STS.") || d.Params.Get("SecurityToken") == "" || d.Code != "" {
			t.Fatalf("DTS was not called with the role's credentials: key %q, code %q", d.AccessKeyID, d.Code)
		}
	}
}

func TestAccECSRoleIsSelected(t *testing.T) {
	f := newFake(t)
	migratingJob(f, "dts-ecs")
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testFactories,
		Steps: []resource.TestStep{{
			// Metadata is disabled in TestMain: the ECS source is chosen, then refused without any request.
			Config: providerConfig(f, `ecs_role_name = "migrator"`) + `
data "dts_migration_job_status" "test" {
  migration_job_id = "dts-ecs"
}
`,
			ExpectError: regexp.MustCompile(`ECS RAM role "migrator"[\s\S]*disabled`),
		}},
	})
	if n := len(f.Requests()); n != 0 {
		t.Fatalf("no DTS request may be sent without credentials, saw %d", n)
	}
}

func TestAccNoCredentialsListsWhereTheProviderLooked(t *testing.T) {
	f := newFake(t)
	migratingJob(f, "dts-none")
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testFactories,
		Steps: []resource.TestStep{{
			Config: providerConfig(f, "# no credentials") + `
data "dts_migration_job_status" "test" {
  migration_job_id = "dts-none"
}
`,
			ExpectError: regexp.MustCompile(`No usable Alibaba Cloud credentials[\s\S]*ALIBABA_CLOUD_ACCESS_KEY_ID[\s\S]*ALICLOUD_ACCESS_KEY`),
		}},
	})
	if n := len(f.Requests()); n != 0 {
		t.Fatalf("no DTS request may be sent without credentials, saw %d", n)
	}
}

func TestAccMissingRegion(t *testing.T) {
	f := newFake(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testFactories,
		Steps: []resource.TestStep{{
			Config:      strings.Replace(jobConfig(f, "dts-x", ""), `region   = "cn-hangzhou"`, "", 1),
			ExpectError: regexp.MustCompile(`no region: set region_id on the data source[\s\S]*ALIBABA_CLOUD_REGION_ID`),
		}},
	})
}

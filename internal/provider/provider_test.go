package provider

import (
	"context"
	"encoding/pem"
	"fmt"
	"maps"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"

	"github.com/openmigrate/terraform-provider-dts/internal/clock"
	"github.com/openmigrate/terraform-provider-dts/internal/fakedts"
)

// Credentials the fake knows; the secret and the token hold characters that encode differently.
const (
	testAccessKey = "LTAI5tAccTestKey"
	testSecretKey = "acc+Secret/Key=="
	testSTSKey    = "STS.NUgYrLnoC37mZZCNnAbez2HeD"
	testSTSSecret = "sts/Secret+Value="
	testSTSToken  = "CAIS+sts/Token==Value+With/Specials"
)

// TestMain isolates the tests: no credentials or configuration of the machine's user, no ECS
// metadata, the provider served under the openmigrate namespace, and the fake STS's certificate trusted.
func TestMain(m *testing.M) {
	os.Exit(runTests(m))
}

func runTests(m *testing.M) int {
	tmp, err := os.MkdirTemp("", "dts-provider-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(tmp)
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(name, "ALIBABA_CLOUD_") || strings.HasPrefix(name, "ALICLOUD_") || name == "DTS_ENDPOINT" {
			_ = os.Unsetenv(name)
		}
	}
	cliConfig := filepath.Join(tmp, "terraformrc")
	// httptest's TLS servers all use one built-in certificate: trusting it once covers every fake STS.
	ts := httptest.NewTLSServer(nil)
	certFile := filepath.Join(tmp, "fake-sts.pem")
	certPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: ts.Certificate().Raw})
	ts.Close()
	for name, content := range map[string][]byte{cliConfig: nil, certFile: certPEM} {
		if err := os.WriteFile(name, content, 0o600); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
	}
	for k, v := range map[string]string{
		"HOME":                                tmp,
		"ALIBABA_CLOUD_ECS_METADATA_DISABLED": "true",
		"TF_ACC_PROVIDER_NAMESPACE":           "openmigrate",
		"TF_CLI_CONFIG_FILE":                  cliConfig,
		"SSL_CERT_FILE":                       certFile,
		"CHECKPOINT_DISABLE":                  "1",
	} {
		_ = os.Setenv(k, v)
	}
	return m.Run()
}

// testTuning shrinks timeouts and backoffs so fault tests finish in seconds.
func testTuning() tuning {
	return tuning{
		attemptTimeout: 2 * time.Second,
		baseDelay:      20 * time.Millisecond,
		maxDelay:       100 * time.Millisecond,
		clock:          clock.System{},
		lookupEnv:      os.LookupEnv,
	}
}

func factories(t tuning) map[string]func() (tfprotov6.ProviderServer, error) {
	return map[string]func() (tfprotov6.ProviderServer, error){
		"dts": providerserver.NewProtocol6WithError(newWithTuning("test", t)()),
	}
}

// testFactories serves the provider with the test tuning.
var testFactories = factories(testTuning())

// newFake starts a fake DTS endpoint that knows the test keys.
func newFake(t *testing.T) *fakedts.Server {
	t.Helper()
	f := fakedts.NewServer()
	f.AddAccessKey(testAccessKey, testSecretKey)
	f.AddSTSKey(testSTSKey, testSTSSecret, testSTSToken)
	t.Cleanup(f.Close)
	return f
}

// providerConfig is the HCL of a provider pointed at the fake, with the test keys unless extra
// replaces them.
func providerConfig(f *fakedts.Server, extra string) string {
	if extra == "" {
		extra = fmt.Sprintf("access_key = %q\n  secret_key = %q", testAccessKey, testSecretKey)
	}
	return fmt.Sprintf(`
terraform {
  required_providers {
    dts = {
      source = "openmigrate/dts"
    }
  }
}

provider "dts" {
  region   = "cn-hangzhou"
  endpoint = %q
  %s
}
`, f.URL(), extra)
}

// noSecrets is an ErrorCheck that fails the test when an error shows a secret in any encoding.
func noSecrets(t *testing.T, secrets ...string) func(error) error {
	return func(err error) error {
		if err == nil {
			return nil
		}
		for _, s := range append(secrets, testSecretKey, testSTSSecret, testSTSToken) {
			if form, leaked := fakedts.LeakedForm(err.Error(), s); leaked {
				t.Errorf("the error shows a secret in the form %q:\n%s", form, err)
			}
		}
		return err
	}
}

func TestProviderServes(t *testing.T) {
	resp, err := testFactories["dts"]()
	if err != nil {
		t.Fatal(err)
	}
	schema, err := resp.GetProviderSchema(context.Background(), &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"dts_data_check", "dts_job_status", "dts_jobs", "dts_migration_job_status", "dts_migration_jobs"}
	got := slices.Sorted(maps.Keys(schema.DataSourceSchemas))
	if !slices.Equal(got, want) {
		t.Fatalf("data sources %v, want %v", got, want)
	}
}

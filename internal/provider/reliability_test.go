package provider

import (
	"crypto/tls"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/openmigrate/terraform-provider-dts/internal/dtsapi"
	"github.com/openmigrate/terraform-provider-dts/internal/fakedts"
)

// untrustedEndpoint serves f over TLS with a certificate from an authority nobody trusts, and counts
// the connections made to it: a handshake that fails never reaches the fake.
func untrustedEndpoint(t *testing.T, f *fakedts.Server) (string, *atomic.Int32) {
	t.Helper()
	ca, err := fakedts.NewCertificateAuthority("untrusted test CA")
	if err != nil {
		t.Fatal(err)
	}
	cert, err := ca.Issue(time.Now().Add(-time.Hour), time.Now().Add(time.Hour), "127.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	var conns atomic.Int32
	srv := httptest.NewUnstartedServer(f.Handler())
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{cert}}
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			conns.Add(1)
		}
	}
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.StartTLS()
	t.Cleanup(srv.Close)
	return srv.URL, &conns
}

// TestAccWaitEndsAtOnceOnAnUntrustedCertificate: a certificate that does not verify cannot mend
// itself, so a wait_for ends at its first poll, after one attempt, with an error that says so.
func TestAccWaitEndsAtOnceOnAnUntrustedCertificate(t *testing.T) {
	f := newFake(t)
	migratingJob(f, "dts-tls")
	url, conns := untrustedEndpoint(t, f)
	config := strings.Replace(waitConfig(f, "dts-tls", `stage = "job"
    status = ["Finished"]
    poll_interval = "1s"`, "timeouts {\n    read = \"20s\"\n  }"), f.URL(), url, 1)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testFactories,
		Steps: []resource.TestStep{{
			Config:      config,
			ExpectError: re(`TLS certificate of the DTS endpoint not trusted[\s\S]*TLS certificate of 127.0.0.1 did not verify[\s\S]*unknown authority[\s\S]*SSL_CERT_FILE`),
		}},
	})
	if n := conns.Load(); n != 1 {
		t.Errorf("want one attempt and no poll after it, the endpoint saw %d connections", n)
	}
}

// TestEndpointPasswordNeverShown: an endpoint holding user info is refused, in the provider block and
// in the environment, and no diagnostic shows its password, whatever the URL's shape.
func TestEndpointPasswordNeverShown(t *testing.T) {
	endpoints := []string{
		"https://user:p@ss word@host",
		"https://user:S3cr3tPa55@dts.aliyuncs.com",
		"https://user:S3cr3t/Pa55@dts.aliyuncs.com",
		"https://user:S3cr3t%zzPa55@dts.aliyuncs.com",
		"https://user:S3cr3tPa55@[::1",
		"https://T0ken@dts.aliyuncs.com",
		"http://user:S3cr3tPa55@dts.aliyuncs.com",
		"user:S3cr3tPa55@dts.aliyuncs.com",
		"//user:S3cr3tPa55@dts.aliyuncs.com",
	}
	secrets := []string{"S3cr3t", "Pa55", "T0ken", "p@ss", "ss word"}
	for _, raw := range endpoints {
		t.Run(raw, func(t *testing.T) {
			inBlock := strings.Join(validateProvider(t, attrs("endpoint", tfString(raw)), nil), "\n")
			_, diags := resolveSettings(providerModel{}, func(name string) (string, bool) {
				return raw, name == envEndpoint[0]
			})
			var fromEnv []string
			for _, d := range diags {
				fromEnv = append(fromEnv, d.Summary()+": "+d.Detail())
			}
			for what, text := range map[string]string{"provider block": inBlock, "environment": strings.Join(fromEnv, "\n")} {
				if !strings.Contains(text, "Invalid endpoint") {
					t.Errorf("from the %s: want an Invalid endpoint error, got %q", what, text)
				}
				for _, s := range secrets {
					if strings.Contains(text, s) {
						t.Errorf("from the %s: the diagnostic shows %q:\n%s", what, s, text)
					}
				}
			}
		})
	}
}

// TestSTSEndpointPasswordNeverShown: sts_endpoint is a host, which credentials-go puts into a URL
// whose parse errors quote it whole: user info in it is refused before, and not shown.
func TestSTSEndpointPasswordNeverShown(t *testing.T) {
	for _, raw := range []string{"user:S3cr3tPa55@sts.aliyuncs.com", "https://user:p@ss word@sts.aliyuncs.com"} {
		for _, from := range []string{"provider block", envSTSEndpoint[0]} {
			ar := &assumeRoleModel{RoleARN: types.StringValue("acs:ram::123456789012:role/migrator")}
			lookup := func(string) (string, bool) { return "", false }
			if from == "provider block" {
				ar.STSEndpoint = types.StringValue(raw)
			} else {
				lookup = func(name string) (string, bool) { return raw, name == from }
			}
			_, diags := resolveSettings(providerModel{AssumeRole: ar}, lookup)
			if !diags.HasError() {
				t.Errorf("sts_endpoint %q from %s was accepted", raw, from)
				continue
			}
			for _, d := range diags {
				text := d.Summary() + ": " + d.Detail()
				for _, s := range []string{"S3cr3t", "Pa55", "p@ss"} {
					if strings.Contains(text, s) {
						t.Errorf("sts_endpoint %q from %s: the diagnostic shows %q: %s", raw, from, s, text)
					}
				}
				if !strings.Contains(text, from) || !strings.Contains(text, "no user name or password") {
					t.Errorf("the diagnostic should name where the value came from and what is wrong: %s", text)
				}
			}
		}
	}
}

// TestErrorsKeepAcronyms: an error names the job as the data source does, an acronym left intact
// ("DescribeDtsJobs for DTS job ..."), only a leading ordinary word lower-cased.
func TestErrorsKeepAcronyms(t *testing.T) {
	cases := []struct{ what, want string }{
		{`DTS job "dtsj1"`, `DescribeDtsJobs for DTS job "dtsj1" in region cn-hangzhou`},
		{`Migration job "dtsm1"`, `DescribeDtsJobs for migration job "dtsm1" in region cn-hangzhou`},
		{`RAM role "r"`, `DescribeDtsJobs for RAM role "r" in region cn-hangzhou`},
		{`A job`, `DescribeDtsJobs for a job in region cn-hangzhou`},
		{`jobs "x"`, `DescribeDtsJobs for jobs "x" in region cn-hangzhou`},
	}
	for _, tc := range cases {
		s := subject{kind: "DTS job", what: tc.what, action: "DescribeDtsJobs"}
		_, detail := callErrorDiagnostic(s, target{region: "cn-hangzhou", endpoint: "https://dts.aliyuncs.com"}, time.Minute,
			&dtsapi.Error{Code: "Forbidden.RAM", Message: "User not authorized.", HTTPStatus: 403})
		if !strings.Contains(detail, tc.want) {
			t.Errorf("the error for %s should say %q:\n%s", tc.what, tc.want, detail)
		}
	}
}

package provider

import (
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/openmigrate/terraform-provider-dts/internal/dtsapi"
	"github.com/openmigrate/terraform-provider-dts/internal/fakedts"
	"github.com/openmigrate/terraform-provider-dts/internal/wait/family"
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

// TestAccRegionValidation: a region that is not a region ID fails the plan with a message giving
// an example, before any request, whether it comes from the provider block, the data source or the
// environment.
func TestAccRegionValidation(t *testing.T) {
	cases := []struct {
		name string
		// providerRegion replaces the provider block's region; "-" leaves it out.
		providerRegion, regionID string
		env                      map[string]string
		want                     string
	}{
		{name: "provider region with a space", providerRegion: "cn hangzhou",
			want: `Invalid region[\s\S]*"cn hangzhou" is not a region ID[\s\S]*such as cn-hangzhou`},
		{name: "provider region in upper case", providerRegion: "CN-HANGZHOU",
			want: `"CN-HANGZHOU" is not a region ID[\s\S]*such as cn-hangzhou`},
		{name: "region_id that is a path", providerRegion: "cn-hangzhou", regionID: "../../etc",
			want: `Invalid region[\s\S]*"../../etc" is not a region ID[\s\S]*such as cn-hangzhou`},
		{name: "empty region_id", providerRegion: "cn-hangzhou", regionID: "",
			want: `"" is not a region ID`},
		// Unknown at plan time: Terraform validates it again before the read at apply.
		{name: "region_id known only at apply", providerRegion: "cn-hangzhou", regionID: "cn hangzhou${substr(timestamp(), 0, 0)}",
			want: `Invalid region[\s\S]*"cn hangzhou" is not a region ID[\s\S]*such as cn-hangzhou`},
		{name: "ALIBABA_CLOUD_REGION_ID", providerRegion: "-", env: map[string]string{"ALIBABA_CLOUD_REGION_ID": "cn hangzhou"},
			want: `Invalid region[\s\S]*From ALIBABA_CLOUD_REGION_ID: "cn hangzhou" is not a region ID[\s\S]*such as cn-hangzhou`},
		{name: "ALICLOUD_REGION", providerRegion: "-", env: map[string]string{"ALICLOUD_REGION": "../../etc"},
			want: `From ALICLOUD_REGION: "../../etc" is not a region ID`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := newFake(t)
			migratingJob(f, "dts-region")
			data := ""
			if tc.regionID != "" || tc.name == "empty region_id" {
				data = fmt.Sprintf("region_id = %q", tc.regionID)
			}
			config := jobConfig(f, "dts-region", data)
			region := `region   = "cn-hangzhou"`
			if tc.providerRegion == "-" {
				config = strings.Replace(config, region, "", 1)
			} else {
				config = strings.Replace(config, region, fmt.Sprintf("region = %q", tc.providerRegion), 1)
			}
			tun := testTuning()
			tun.lookupEnv = func(name string) (string, bool) {
				if v, ok := tc.env[name]; ok {
					return v, true
				}
				return os.LookupEnv(name)
			}
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: factories(tun),
				Steps:                    []resource.TestStep{{Config: config, ExpectError: re(tc.want)}},
			})
			if n := len(f.Requests()); n != 0 {
				t.Errorf("an invalid region must fail before any request, the fake saw %d", n)
			}
		})
	}
}

// TestCheckRegion: every region Alibaba Cloud names passes; anything that could not be one fails,
// with a guess where one is likely.
func TestCheckRegion(t *testing.T) {
	for _, r := range []string{"cn-hangzhou", "ap-southeast-1", "cn-shanghai-finance-1", "cn-north-2-gov-1",
		"cn-hangzhou-finance", "me-east-1", "eu-central-1", "us-west-1", "na-south-1", "cn-wulanchabu"} {
		if err := checkRegion(r); err != nil {
			t.Errorf("checkRegion(%q) = %v, want nil", r, err)
		}
	}
	for r, want := range map[string]string{
		"cn hangzhou":            `"cn hangzhou" is not a region ID: a region ID is lower-case letters, digits and hyphens, such as cn-hangzhou or ap-southeast-1 (did you mean "cn-hangzhou"?)`,
		"CN-Hangzhou":            `(did you mean "cn-hangzhou"?)`,
		"cn_hangzhou":            `(did you mean "cn-hangzhou"?)`,
		"../../etc":              `"../../etc" is not a region ID`,
		"":                       `"" is not a region ID`,
		"-cn":                    `"-cn" is not a region ID`,
		"cn--hangzhou":           `"cn--hangzhou" is not a region ID`,
		"cn-hangzhou\n":          `"cn-hangzhou\n" is not a region ID`,
		strings.Repeat("a", 100): `"` + strings.Repeat("a", 64) + `…" is not a region ID`,
	} {
		err := checkRegion(r)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("checkRegion(%q) = %v, want it to contain %s", r, err, want)
		}
	}
	// A read checks region_id too, for a caller that did not validate the configuration first.
	d := &providerData{settings: settings{region: setting{value: "cn-hangzhou", from: "provider block"}}}
	if _, err := d.target("../../etc"); err == nil || !strings.Contains(err.Error(), `region_id: "../../etc" is not a region ID`) {
		t.Errorf("target(\"../../etc\") = %v, want an error naming region_id", err)
	}
}

// TestWaitForStatusesAreBounded: wait_for.status holds at most maxWaitStatuses entries. A longer
// list gets one error from the schema, the stage-dependent check stops before looking at its
// entries, and no message shows more than five of them.
func TestWaitForStatusesAreBounded(t *testing.T) {
	ctx := context.Background()
	long := make([]string, 10000)
	for i := range long {
		long[i] = fmt.Sprintf("Undocumented%d", i)
	}
	list := func(ss []string) types.List {
		v, d := types.ListValueFrom(ctx, types.StringType, ss)
		if d.HasError() {
			t.Fatal(d)
		}
		return v
	}
	// shown counts the statuses a text quotes.
	shown := func(text string) int { return strings.Count(text, `Undocumented`) }

	status, ok := waitForBlock(family.Legacy.Table).Attributes["status"].(schema.ListAttribute)
	if !ok {
		t.Fatal("wait_for.status is not a list attribute")
	}
	if !strings.Contains(status.Description, fmt.Sprintf("At most %d", maxWaitStatuses)) {
		t.Errorf("the description should document the maximum: %s", status.Description)
	}
	for name, ss := range map[string][]string{"undocumented": long, "empty": make([]string, 10000)} {
		var diags diag.Diagnostics
		for _, v := range status.Validators {
			resp := &validator.ListResponse{}
			v.ValidateList(ctx, validator.ListRequest{Path: path.Root("wait_for").AtName("status"), ConfigValue: list(ss)}, resp)
			diags.Append(resp.Diagnostics...)
		}
		if len(diags) != 1 || !strings.Contains(diags[0].Detail(), fmt.Sprintf("at most %d", maxWaitStatuses)) {
			t.Errorf("%s: want one error about the maximum from the schema, got %d diagnostics: %.500v", name, len(diags), diags)
		}
	}
	for _, n := range []int{maxWaitStatuses, maxWaitStatuses + 1, len(long)} {
		w := waitForModel{Stage: types.StringValue("job"), Status: list(long[:n])}
		diags := validateWaitFor(ctx, family.Legacy.Table, &w)
		switch {
		case n <= maxWaitStatuses && len(diags.Warnings()) != n:
			t.Errorf("%d statuses: want a warning for each undocumented one, got %d", n, len(diags.Warnings()))
		case n > maxWaitStatuses && len(diags) != 0:
			t.Errorf("%d statuses: want the check to stop (the schema reports the size), got %d diagnostics", n, len(diags))
		}
		if n <= maxWaitStatuses {
			continue
		}
		// A value unknown at plan time meets no validator: the read refuses it.
		_, _, tdiags := w.target(ctx, family.Legacy.Table)
		if !tdiags.HasError() || !strings.Contains(tdiags[0].Detail(), fmt.Sprintf("at most %d", maxWaitStatuses)) {
			t.Errorf("%d statuses: want the read to refuse the list, got %v", n, tdiags)
		}
		for _, d := range tdiags {
			if k := shown(d.Detail()); k > 5 {
				t.Errorf("%d statuses: a message shows %d of them", n, k)
			}
		}
	}
}

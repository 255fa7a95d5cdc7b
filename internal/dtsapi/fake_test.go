package dtsapi

import (
	"context"
	"errors"
	"net/url"
	"testing"
	"unicode/utf8"

	"github.com/openmigrate/terraform-provider-dts/internal/fakedts"
)

// The fake verifies signatures with code of its own, so these tests fail if the signer is wrong in a
// way the signer's own unit tests would not notice.

func TestAwkwardParameterValuesAreAcceptedByTheFake(t *testing.T) {
	f := fakedts.NewServer()
	defer f.Close()
	f.AddSTSKey(testKeyID, testSecret, testToken)
	jobID := "dts job*~/=&+%数据 é"
	f.SetJob(jobID, fakedts.Job{Steps: []fakedts.Step{{Body: fakedts.State{JobStatus: "Migrating"}.Body(jobID)}}})
	c := newTestClient(t, f.URL(), func(cfg *Config) { cfg.Clock = nil })
	st, err := c.DescribeMigrationJobStatus(context.Background(), DescribeMigrationJobStatusRequest{
		MigrationJobID: jobID, ClientToken: "tok en*~/=&+", AccountID: "账户 1",
	})
	if err != nil {
		t.Fatalf("the fake refused the request: %v", err)
	}
	if st.MigrationJobStatus.Val != "Migrating" {
		t.Fatalf("got %+v", st)
	}
	reqs := f.Requests()
	if len(reqs) != 1 || reqs[0].MigrationJobID != jobID || reqs[0].Params.Get("ClientToken") != "tok en*~/=&+" {
		t.Fatalf("the fake saw %+v", reqs)
	}
}

func TestWrongSecretIsRefusedByTheFake(t *testing.T) {
	f := fakedts.NewServer()
	defer f.Close()
	f.AddAccessKey(testKeyID, "the real secret")
	c := newTestClient(t, f.URL(), func(cfg *Config) {
		cfg.Clock = nil
		cfg.Credentials = StaticCredentials{AccessKeyID: testKeyID, AccessKeySecret: testSecret}
	})
	_, err := c.DescribeMigrationJobStatus(context.Background(), jobRequest)
	var apiErr *Error
	if !errors.As(err, &apiErr) || apiErr.Code != CodeSignatureDoesNotMatch {
		t.Fatalf("want SignatureDoesNotMatch, got %v", err)
	}
}

// FuzzSignedBodyVerifiesInTheFake signs arbitrary parameter values and checks that the form body
// the client sends decodes to parameters whose signature the fake accepts.
func FuzzSignedBodyVerifiesInTheFake(f *testing.F) {
	for _, seed := range [][3]string{
		{"dtsz2v12jfo309****", "cn-hangzhou", ""},
		{"a b*c~d/e=f&g+h%i", "é数据", "\x00\x7f"},
		{"", " ", "~"},
		{"%2A%20", "&&==", "\xff\xfe"},
	} {
		f.Add(seed[0], seed[1], seed[2])
	}
	f.Fuzz(func(t *testing.T, jobID, region, token string) {
		ps := []param{
			{"Action", "DescribeMigrationJobStatus"}, {"MigrationJobId", jobID}, {"RegionId", region},
			{"SecurityToken", token}, {"SignatureNonce", "n"}, {"Timestamp", "2026-11-24T10:00:00Z"},
		}
		body, _ := signParams("POST", ps, "fuzz-secret")
		values, err := url.ParseQuery(body)
		if err != nil {
			t.Fatalf("the form body does not parse: %v\n%s", err, body)
		}
		if values.Get("MigrationJobId") != jobID || values.Get("SecurityToken") != token {
			t.Fatalf("values changed in transit: %q, %q", values.Get("MigrationJobId"), values.Get("SecurityToken"))
		}
		if ok, toSign := fakedts.VerifySignature("POST", values, "fuzz-secret"); !ok {
			t.Fatalf("the fake rejects the signature (valid UTF-8: %v); it signed %s", utf8.ValidString(jobID), toSign)
		}
	})
}

package dtsapi

import (
	"net/http"
	"os"
	"testing"
)

// benchParams are the parameters of one DescribeMigrationJobStatus attempt as attempt builds them,
// with STS credentials so the security token is signed too.
func benchParams() []param {
	return []param{
		{"Action", "DescribeMigrationJobStatus"},
		{"MigrationJobId", "dtsz2v12jfo309****"},
		{"RegionId", "cn-hangzhou"},
		{"Format", "JSON"},
		{"Version", APIVersion},
		{"AccessKeyId", "STS.NUgYrLnoC37mZZCNnAbez2HeD"},
		{"SignatureMethod", "HMAC-SHA1"},
		{"SignatureVersion", "1.0"},
		{"SignatureNonce", "3ee8c1b883d344afa94f4e0ad82fd6cf"},
		{"Timestamp", "2016-02-23T12:46:24Z"},
		{"SecurityToken", "CAIS+sts/Token==Value+With/Specials"},
	}
}

const benchSecret = "sts/Secret+Value="

// benchSign signs as attempt does: POST, the parameters in the form body.
func benchSign(ps []param) (body, sig string) {
	return signParams(http.MethodPost, ps, benchSecret)
}

func documentedSample(b *testing.B) []byte {
	b.Helper()
	body, err := os.ReadFile("testdata/documented_sample.json")
	if err != nil {
		b.Fatal(err)
	}
	return body
}

// BenchmarkSignRequest signs one attempt's parameters and builds the form body, as attempt does.
func BenchmarkSignRequest(b *testing.B) {
	base := benchParams()
	ps := make([]param, len(base))
	b.ReportAllocs()
	for b.Loop() {
		copy(ps, base)
		body, sig := benchSign(ps)
		if body == "" || sig == "" {
			b.Fatal("empty signature")
		}
	}
}

// BenchmarkDecodeDocumentedSample decodes the API reference's sample response into the typed result.
func BenchmarkDecodeDocumentedSample(b *testing.B) {
	body := documentedSample(b)
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		var s MigrationJobStatus
		if err := decode(body, &s); err != nil {
			b.Fatal(err)
		}
		if p := s.PrecheckStatus.Get(); p == nil || len(p.Detail.Items) != 14 {
			b.Fatal("the sample did not decode")
		}
	}
}

// BenchmarkSignAndDecode is the client's own work for one read: signing a request plus decoding the
// documented sample response (no network, no Terraform mapping).
func BenchmarkSignAndDecode(b *testing.B) {
	body := documentedSample(b)
	base := benchParams()
	ps := make([]param, len(base))
	b.ReportAllocs()
	for b.Loop() {
		copy(ps, base)
		if form, _ := benchSign(ps); form == "" {
			b.Fatal("empty form")
		}
		var s MigrationJobStatus
		if err := decode(body, &s); err != nil {
			b.Fatal(err)
		}
		if s.DataSynchronizationStatus.Get() == nil {
			b.Fatal("the sample did not decode")
		}
	}
}

// BenchmarkDecodeDtsJobsPage decodes a full DescribeDtsJobs page: the documented sample's jobs
// repeated to 30, the page size the provider asks for.
func BenchmarkDecodeDtsJobsPage(b *testing.B) {
	body := dtsJobsPage(b, DtsJobsPageSize)
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		var page DtsJobs
		if err := decode(body, &page); err != nil {
			b.Fatal(err)
		}
		if len(page.DtsJobList.Items) != DtsJobsPageSize {
			b.Fatal("the page did not decode")
		}
	}
}

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

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

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

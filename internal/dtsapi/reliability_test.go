package dtsapi

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/openmigrate/terraform-provider-dts/internal/fakedts"
)

// tlsServer serves okBody over TLS with cert and counts the connections made to it: a request
// whose handshake fails never reaches the handler, so connections count the attempts.
func tlsServer(t *testing.T, cert tls.Certificate) (string, *atomic.Int32) {
	t.Helper()
	var conns atomic.Int32
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		_, _ = io.WriteString(w, okBody)
	}))
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{cert}}
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			conns.Add(1)
		}
	}
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the failed handshakes are the point
	srv.StartTLS()
	t.Cleanup(srv.Close)
	return srv.URL, &conns
}

// trustingClient is the client's own HTTP client, trusting only the authorities in pool.
func trustingClient(t *testing.T, ca *fakedts.CertificateAuthority) *http.Client {
	t.Helper()
	c := NewHTTPClient()
	tr, ok := c.Transport.(*http.Transport)
	if !ok {
		t.Fatalf("NewHTTPClient's transport is a %T", c.Transport)
	}
	tr.TLSClientConfig = &tls.Config{RootCAs: ca.Pool, MinVersion: tls.VersionTLS12}
	return c
}

// TestCertificateThatDoesNotVerifyIsNotRetried: a certificate that does not verify cannot mend
// itself: one attempt, a permanent error (so a wait ends at once) that says it is the certificate.
func TestCertificateThatDoesNotVerifyIsNotRetried(t *testing.T) {
	trusted, err := fakedts.NewCertificateAuthority("trusted test CA")
	if err != nil {
		t.Fatal(err)
	}
	unknown, err := fakedts.NewCertificateAuthority("unknown test CA")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	cases := []struct {
		name   string
		issuer *fakedts.CertificateAuthority
		from   time.Time
		until  time.Time
		hosts  []string
		// reason is what the error must say about the certificate; empty when it verifies.
		reason string
	}{
		{"valid", trusted, now.Add(-time.Hour), now.Add(time.Hour), []string{"127.0.0.1"}, ""},
		{"unknown authority", unknown, now.Add(-time.Hour), now.Add(time.Hour), []string{"127.0.0.1"}, "unknown authority"},
		{"name mismatch", trusted, now.Add(-time.Hour), now.Add(time.Hour), []string{"127.0.0.2"}, "valid for 127.0.0.2, not 127.0.0.1"},
		{"expired", trusted, now.Add(-48 * time.Hour), now.Add(-24 * time.Hour), []string{"127.0.0.1"}, "expired"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cert, err := tc.issuer.Issue(tc.from, tc.until, tc.hosts...)
			if err != nil {
				t.Fatal(err)
			}
			url, conns := tlsServer(t, cert)
			c := newTestClient(t, url, func(cfg *Config) { cfg.HTTPClient = trustingClient(t, trusted) })
			_, err = c.DescribeMigrationJobStatus(context.Background(), jobRequest)
			if tc.reason == "" {
				if err != nil || conns.Load() != 1 {
					t.Fatalf("a trusted certificate must work: %v, %d connections", err, conns.Load())
				}
				return
			}
			if n := conns.Load(); n != 1 {
				t.Errorf("want exactly 1 attempt, the server saw %d connections", n)
			}
			var apiErr *Error
			if !errors.As(err, &apiErr) || apiErr.Retryable || apiErr.Attempts != 1 {
				t.Errorf("want a *Error, not retryable, after 1 attempt; got %#v", err)
			}
			if !IsPermanent(err) {
				t.Errorf("a certificate that does not verify is permanent: %v", err)
			}
			msg := err.Error()
			for _, want := range []string{"certificate", "127.0.0.1", tc.reason, "SSL_CERT_FILE", "trust store"} {
				if !strings.Contains(msg, want) {
					t.Errorf("the error lacks %q: %s", want, msg)
				}
			}
			for _, wrong := range []string{"network error", "retry later"} {
				if strings.Contains(msg, wrong) {
					t.Errorf("the error says %q: %s", wrong, msg)
				}
			}
		})
	}
}

// TestProxyAskingForCredentialsIsNotRetried: a proxy that answers 407 wants credentials, which
// asking again will not bring: one attempt, a permanent error that says so, and no proxy password in it.
func TestProxyAskingForCredentialsIsNotRetried(t *testing.T) {
	var asked atomic.Int32
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		asked.Add(1)
		w.Header().Set("Proxy-Authenticate", `Basic realm="corp"`)
		w.WriteHeader(http.StatusProxyAuthRequired)
		_, _ = io.WriteString(w, "<html>407 Proxy Authentication Required</html>")
	}))
	t.Cleanup(proxy.Close)
	cases := []struct {
		name, endpoint, proxyUser string
	}{
		// An HTTPS endpoint is reached through a CONNECT tunnel, which the proxy refuses.
		{"CONNECT tunnel", "https://dts.aliyuncs.com", ""},
		{"CONNECT tunnel with refused credentials", "https://dts.aliyuncs.com", "user:Pr0xyPa55@"},
		// A plain-http (loopback) endpoint is forwarded, and the proxy answers in its place.
		{"forwarded request", "http://127.0.0.1:1", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			asked.Store(0)
			proxyURL, err := url.Parse(strings.Replace(proxy.URL, "http://", "http://"+tc.proxyUser, 1))
			if err != nil {
				t.Fatal(err)
			}
			hc := NewHTTPClient()
			tr, ok := hc.Transport.(*http.Transport)
			if !ok {
				t.Fatalf("NewHTTPClient's transport is a %T", hc.Transport)
			}
			tr.Proxy = http.ProxyURL(proxyURL)
			c := newTestClient(t, tc.endpoint, func(cfg *Config) { cfg.HTTPClient = hc })
			_, err = c.DescribeMigrationJobStatus(context.Background(), jobRequest)
			if n := asked.Load(); n != 1 {
				t.Errorf("want exactly 1 attempt, the proxy was asked %d times", n)
			}
			var apiErr *Error
			if !errors.As(err, &apiErr) || apiErr.Retryable || apiErr.Attempts != 1 {
				t.Errorf("want a *Error, not retryable, after 1 attempt; got %#v", err)
			}
			if !IsPermanent(err) {
				t.Errorf("a proxy that wants credentials is permanent: %v", err)
			}
			msg := fmt.Sprint(err)
			for _, want := range []string{"proxy", "407", "credentials", "HTTPS_PROXY"} {
				if !strings.Contains(msg, want) {
					t.Errorf("the error lacks %q: %s", want, msg)
				}
			}
			for _, wrong := range []string{"not valid JSON", "network error", "Pr0xyPa55"} {
				if strings.Contains(msg, wrong) {
					t.Errorf("the error says %q: %s", wrong, msg)
				}
			}
		})
	}
}

// TestDeeplyNestedBodySaysSo: a valid body nested deeper than the decoder goes is reported as what
// it is, not as "not valid JSON".
func TestDeeplyNestedBodySaysSo(t *testing.T) {
	const levels = 5000 // of {"a":[ ... ]}: 10,000 levels of objects and arrays
	body := `{"RequestId":"R","Success":true,"MigrationJobStatus":"Migrating","X":` +
		strings.Repeat(`{"a":[`, levels) + "1" + strings.Repeat("]}", levels) + "}"
	s := newScriptedServer(t, respond(200, body))
	c := newTestClient(t, s.srv.URL)
	_, err := c.DescribeMigrationJobStatus(context.Background(), jobRequest)
	if err == nil {
		t.Fatal("want an error: the decoder stops at 10000 levels")
	}
	for _, want := range []string{"nested too deeply", "10001 levels", "limit of 10000"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("the error lacks %q: %.300s", want, err)
		}
	}
	if strings.Contains(err.Error(), "not valid JSON") {
		t.Errorf("a valid body is called invalid: %.300s", err)
	}
	if n := len(s.requests()); n != 1 {
		t.Errorf("an HTTP 200 body is not retried, got %d requests", n)
	}
}

// TestNestingDepth: brackets in strings, escaped quotes included, do not count; a body that is
// broken before it gets too deep is still reported as not JSON.
func TestNestingDepth(t *testing.T) {
	for text, want := range map[string]int{
		`{}`:                          1,
		`{"a":[1,{"b":[]}]}`:          4,
		`{"a":"[[[{{{"}`:              1,
		`{"a":"\"[[[", "b":[[]]}`:     3,
		`{"a":"\\", "b":[[]]}`:        3,
		`{"a":[[[`:                    4,
		`"[[" [`:                      1,
		strings.Repeat("[", 12) + `x`: 12,
	} {
		if got := nestingDepth([]byte(text)); got != want {
			t.Errorf("nestingDepth(%s) = %d, want %d", text, got, want)
		}
	}
	broken := `{"a":1,,"b":` + strings.Repeat("[", 20000) + strings.Repeat("]", 20000) + "}"
	var out MigrationJobStatus
	var deep *tooDeepError
	if err := decode([]byte(broken), &out); err == nil || errors.As(err, &deep) {
		t.Errorf("a body broken before its deep part is not too deep but invalid, got %v", err)
	}
}

// endlessBody is a response body that never ends, counting the bytes read from it. Past giveUpAt
// bytes it fails instead, so that a client that does not stop at its bound fails the test rather
// than hanging it.
type endlessBody struct {
	read     atomic.Int64
	giveUpAt int64
}

var errReadTooFar = errors.New("the client read far past its bound")

func (b *endlessBody) Read(p []byte) (int, error) {
	if b.read.Load() >= b.giveUpAt {
		return 0, errReadTooFar
	}
	for i := range p {
		p[i] = 'x'
	}
	b.read.Add(int64(len(p)))
	return len(p), nil
}

func (b *endlessBody) Close() error { return nil }

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// TestBodyReadingStopsAtTheBound: an endless body is read up to the bound (and a byte, to know it
// is over), never further, and reported as too large.
func TestBodyReadingStopsAtTheBound(t *testing.T) {
	const bound = 4096
	// io.ReadAll asks for at least 512 bytes at a time: a read may overshoot by that much.
	const slack = 512
	body := &endlessBody{giveUpAt: 1 << 20}
	hc := &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		return &http.Response{StatusCode: 200, Header: http.Header{"Content-Type": {"application/json"}},
			Body: body, ContentLength: -1, Request: r}, nil
	})}
	c := newTestClient(t, "https://dts.aliyuncs.com", func(cfg *Config) {
		cfg.HTTPClient = hc
		cfg.MaxBodyBytes = bound
		cfg.Retry.MaxRetries = new(0)
	})
	_, err := c.DescribeMigrationJobStatus(context.Background(), jobRequest)
	if n := body.read.Load(); n > bound+slack {
		t.Errorf("the client read %d bytes of the body, past its bound of %d", n, bound)
	}
	if err == nil || !strings.Contains(err.Error(), "larger than the 4096-byte limit") {
		t.Errorf("want the body reported as too large, got %v", err)
	}
}

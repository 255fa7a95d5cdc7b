package dtsapi

import (
	"context"
	"net/http"
	"net/url"
	"sync"
)

// maxIdleConnsPerHost keeps a connection per parallel read: Terraform reads up to ten data sources
// at once by default, and http.DefaultTransport keeps only two idle connections per host.
const maxIdleConnsPerHost = 32

// NewHTTPClient returns an HTTP client for DTS calls with its own connection pool: the default
// transport's proxy (HTTPS_PROXY) and TLS settings, so certificates are always verified, with enough
// idle connections for parallel reads.
func NewHTTPClient() *http.Client {
	return &http.Client{Transport: newTransport()}
}

func newTransport() http.RoundTripper {
	tr, ok := http.DefaultTransport.(*http.Transport)
	if !ok {
		return http.DefaultTransport // replaced by the program: use it as it is
	}
	t := tr.Clone()
	t.MaxIdleConnsPerHost = maxIdleConnsPerHost
	t.OnProxyConnectResponse = proxyConnectResponse
	return t
}

// proxyConnectResponse makes a proxy's 407 answer to CONNECT a proxyAuthError: net/http reports it
// as its bare status text, which reads like any network failure.
func proxyConnectResponse(_ context.Context, proxy *url.URL, _ *http.Request, resp *http.Response) error {
	if resp.StatusCode == http.StatusProxyAuthRequired {
		return &proxyAuthError{proxy: proxy.Host, sentCredentials: proxy.User != nil}
	}
	return nil
}

// proxyAuthError is an HTTP proxy asking for credentials (407). Only the proxy's host is kept: its
// URL may hold a password.
type proxyAuthError struct {
	// proxy is the proxy's host and port, empty when not known.
	proxy string
	// sentCredentials says whether the proxy's URL held credentials, which it refused.
	sentCredentials bool
}

func (e *proxyAuthError) Error() string {
	proxy := "the HTTP proxy"
	if e.proxy != "" {
		proxy += " " + e.proxy
	}
	what := "it wants credentials, which are sent only when the proxy's URL holds them: set HTTPS_PROXY " +
		"(or https_proxy, HTTP_PROXY) to http://user:password@host:port"
	if e.sentCredentials {
		what = "it refused the user name and password of its URL (HTTPS_PROXY, https_proxy or HTTP_PROXY): check them"
	}
	return proxy + " answered 407 Proxy Authentication Required: " + what + ", or exclude the endpoint's host " +
		"with NO_PROXY. Not retried: asking again with the same credentials cannot succeed."
}

// Is makes errors.Is(err, ErrProxyAuth) true.
func (e *proxyAuthError) Is(target error) bool { return target == ErrProxyAuth }

// sharedHTTPClient is the one used by clients configured without an HTTPClient, so they share connections.
var sharedHTTPClient = sync.OnceValue(NewHTTPClient)

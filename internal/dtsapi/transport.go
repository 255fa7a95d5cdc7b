package dtsapi

import (
	"net/http"
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
	return t
}

// sharedHTTPClient is the one used by clients configured without an HTTPClient, so they share connections.
var sharedHTTPClient = sync.OnceValue(NewHTTPClient)

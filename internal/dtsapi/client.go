// Package dtsapi is a client for the Alibaba Cloud DTS API (version 2020-01-01, RPC style, signature
// V1): signing, retries and the wire format, with typed results. It knows nothing of Terraform.
package dtsapi

import (
	"context"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	mrand "math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/openmigrate/terraform-provider-dts/internal/clock"
)

// APIVersion is the DTS API version this client speaks.
const APIVersion = "2020-01-01"

// Defaults for Config fields left at zero.
const (
	DefaultMaxRetries     = 5
	DefaultAttemptTimeout = 30 * time.Second
	DefaultMaxBodyBytes   = 10 << 20
	DefaultBaseDelay      = 500 * time.Millisecond
	DefaultMaxDelay       = 8 * time.Second
)

// RetryPolicy bounds retries: a call makes at most 1+MaxRetries attempts, waiting between them a
// jittered exponential backoff from BaseDelay, doubling up to MaxDelay.
type RetryPolicy struct {
	// MaxRetries is how many times a call is retried: nil for DefaultMaxRetries, 0 for one attempt only.
	MaxRetries *int
	BaseDelay  time.Duration
	MaxDelay   time.Duration
}

// LogFunc receives one structured log line; it never carries credentials or signatures.
type LogFunc func(ctx context.Context, msg string, fields map[string]any)

// Config builds a Client. Endpoint and Credentials are required.
type Config struct {
	// Endpoint is the base URL, such as https://dts.aliyuncs.com; see ParseEndpoint.
	Endpoint string
	// RegionID is sent as RegionId when a request names no region.
	RegionID    string
	Credentials CredentialsProvider
	// HTTPClient sends the requests; when nil, one shared client from NewHTTPClient. Its own
	// Timeout is not needed: AttemptTimeout bounds each attempt.
	HTTPClient *http.Client
	// Retry is the retry policy; its zero fields take the defaults.
	Retry     RetryPolicy
	UserAgent string
	// AttemptTimeout bounds one attempt, from sending the request to reading the whole body.
	AttemptTimeout time.Duration
	// MaxBodyBytes bounds the response body that is read.
	MaxBodyBytes int64
	// Clock times backoffs and stamps requests; the system clock when nil.
	Clock clock.Clock
	// Jitter returns a number in [0, 1) to spread backoffs; math/rand when nil.
	Jitter func() float64
	// Nonce returns a fresh SignatureNonce; 16 random bytes in hex when nil.
	Nonce func() string
	// Log, when set, receives a line per attempt.
	Log LogFunc
	// Pacer spaces the attempts per access key, region and action. Clients that share a Pacer are
	// paced together, so a process shares one; a client of its own, on Clock, when nil.
	Pacer *Pacer
}

// Client calls the DTS API. It is safe for concurrent use.
type Client struct {
	endpoint string
	// host is the endpoint's host name, which its TLS certificate must name.
	host string
	cfg  Config
}

// New checks cfg and returns a Client.
func New(cfg Config) (*Client, error) {
	u, err := ParseEndpoint(cfg.Endpoint)
	if err != nil {
		return nil, err
	}
	if cfg.Credentials == nil {
		return nil, errors.New("dtsapi: no credentials provider")
	}
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = sharedHTTPClient()
	}
	switch {
	case cfg.Retry.MaxRetries == nil:
		cfg.Retry.MaxRetries = new(DefaultMaxRetries)
	case *cfg.Retry.MaxRetries < 0:
		return nil, fmt.Errorf("dtsapi: MaxRetries is %d; it must be 0 (no retries) or more", *cfg.Retry.MaxRetries)
	}
	if cfg.Retry.BaseDelay <= 0 {
		cfg.Retry.BaseDelay = DefaultBaseDelay
	}
	if cfg.Retry.MaxDelay <= 0 {
		cfg.Retry.MaxDelay = DefaultMaxDelay
	}
	if cfg.AttemptTimeout <= 0 {
		cfg.AttemptTimeout = DefaultAttemptTimeout
	}
	if cfg.MaxBodyBytes <= 0 {
		cfg.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if cfg.Clock == nil {
		cfg.Clock = clock.System{}
	}
	if cfg.Jitter == nil {
		cfg.Jitter = mrand.Float64
	}
	if cfg.Nonce == nil {
		cfg.Nonce = randomNonce
	}
	if cfg.Pacer == nil {
		cfg.Pacer = NewPacer(PacerConfig{Clock: cfg.Clock})
	}
	return &Client{endpoint: u.String(), host: u.Hostname(), cfg: cfg}, nil
}

func randomNonce() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails on supported platforms
	return hex.EncodeToString(b[:])
}

// requestParams are a call's own parameters, before the common ones are added.
type requestParams []param

// params starts a call's parameters: the action, and the region (the request's, else the client's)
// under each of the names given.
func (c *Client) params(action, region string, regionNames ...string) *requestParams {
	if region == "" {
		region = c.cfg.RegionID
	}
	p := make(requestParams, 0, 16)
	p = append(p, param{"Action", action})
	for _, name := range regionNames {
		p.add(name, region)
	}
	return &p
}

// add appends a parameter, leaving out empty values.
func (p *requestParams) add(name, value string) {
	if value != "" {
		*p = append(*p, param{name, value})
	}
}

// response is implemented by every answer type through its embedded Envelope.
type response interface {
	envelope() *Envelope
}

// call makes one call with retries and decodes its answer into a new R.
func call[R any, P interface {
	*R
	response
}](ctx context.Context, c *Client, p *requestParams) (*R, error) {
	var out *R
	err := c.invoke(ctx, *p, func() response {
		out = new(R)
		return P(out)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// invoke runs the retry loop for one call: each attempt is signed afresh (new nonce and timestamp);
// a retryable failure waits out a jittered backoff, or the service's rate-limit hint if longer.
// Each attempt decodes into a fresh value from newResult.
func (c *Client) invoke(ctx context.Context, params []param, newResult func() response) error {
	maxAttempts := 1 + *c.cfg.Retry.MaxRetries
	for attempt := 1; ; attempt++ {
		hint, err := c.attempt(ctx, params, attempt, newResult())
		if err == nil {
			return nil
		}
		var apiErr *Error
		if !errors.As(err, &apiErr) {
			apiErr = &Error{Message: err.Error(), Err: err}
		}
		apiErr.Attempts = attempt
		if ctx.Err() != nil {
			if errors.Is(apiErr, ctx.Err()) {
				return apiErr // the attempt itself was cut short, and says so
			}
			return c.cancelled(ctx, apiErr)
		}
		if !apiErr.Retryable || attempt >= maxAttempts {
			return apiErr
		}
		delay := c.backoff(attempt)
		if hint > delay {
			delay = hint
		}
		if deadline, ok := ctx.Deadline(); ok && time.Until(deadline) < delay {
			// Waiting would outlive the caller's deadline: report the failure now.
			return apiErr
		}
		c.log(ctx, "DTS API call failed, retrying", map[string]any{
			"attempt": attempt, "max_attempts": maxAttempts, "error_code": apiErr.Code,
			"http_status": apiErr.HTTPStatus, "backoff_ms": delay.Milliseconds(),
		})
		if err := c.cfg.Clock.Sleep(ctx, delay); err != nil {
			return c.cancelled(ctx, apiErr)
		}
	}
}

// cancelled reports a call cut short by its context after a failed attempt, keeping that failure.
func (c *Client) cancelled(ctx context.Context, last *Error) error {
	return &Error{
		Message:    fmt.Sprintf("request abandoned: %v (last failure: %s)", ctx.Err(), last.Error()),
		RequestID:  last.RequestID,
		HTTPStatus: last.HTTPStatus,
		Attempts:   last.Attempts,
		Err:        ctx.Err(),
	}
}

// backoff is the wait after the given attempt: BaseDelay doubling each attempt, capped at MaxDelay,
// with "equal jitter" (between half and all of it) so concurrent callers spread out.
func (c *Client) backoff(attempt int) time.Duration {
	d := c.cfg.Retry.BaseDelay
	for i := 1; i < attempt && d < c.cfg.Retry.MaxDelay; i++ {
		d *= 2
	}
	d = min(d, c.cfg.Retry.MaxDelay)
	half := d / 2
	return half + time.Duration(float64(half)*c.cfg.Jitter())
}

func (c *Client) log(ctx context.Context, msg string, fields map[string]any) {
	if c.cfg.Log != nil {
		c.cfg.Log(ctx, msg, fields)
	}
}

// attempt sends one signed request and decodes the answer into out; it returns the rate-limit hint,
// if any.
func (c *Client) attempt(ctx context.Context, params []param, n int, out response) (time.Duration, error) {
	creds, err := c.cfg.Credentials.Credentials(ctx)
	if err != nil {
		if ctx.Err() != nil {
			return 0, &Error{Message: "request abandoned while getting credentials", Err: ctx.Err()}
		}
		// Not retried here: a credentials source has its own retry policy.
		return 0, &Error{
			Message: "could not get credentials: " + scrubParams(err.Error()),
			Err:     fmt.Errorf("%w: %w", ErrCredentials, redactedError{msg: scrubParams(err.Error()), err: err}),
		}
	}
	// Wait for the turn before stamping the request, so that a long wait does not stale it.
	turn, err := c.cfg.Pacer.Wait(ctx, paceKey(creds.AccessKeyID, params))
	if err != nil {
		return 0, &Error{Message: "request abandoned while waiting for its turn under the request pace", Err: err}
	}

	ps := make([]param, len(params), len(params)+10)
	copy(ps, params)
	ps = append(ps,
		param{"Format", "JSON"},
		param{"Version", APIVersion},
		param{"AccessKeyId", creds.AccessKeyID},
		param{"SignatureMethod", "HMAC-SHA1"},
		param{"SignatureVersion", "1.0"},
		param{"SignatureNonce", c.cfg.Nonce()},
		param{"Timestamp", c.cfg.Clock.Now().UTC().Format("2006-01-02T15:04:05Z")},
	)
	if creds.SecurityToken != "" {
		ps = append(ps, param{"SecurityToken", creds.SecurityToken})
	}
	// POST with a form body keeps credentials and the signature out of the URL, which Go's
	// *url.Error prints and proxies log.
	body, sig := signParams(http.MethodPost, ps, creds.AccessKeySecret)
	red := newRedactor(creds.AccessKeySecret, creds.SecurityToken, sig)

	actx, cancel := context.WithTimeout(ctx, c.cfg.AttemptTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(actx, http.MethodPost, c.endpoint, strings.NewReader(body))
	if err != nil {
		return 0, &Error{Message: "could not build the request: " + red.redact(err.Error())}
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	if c.cfg.UserAgent != "" {
		req.Header.Set("User-Agent", c.cfg.UserAgent)
	}

	start := c.cfg.Clock.Now()
	resp, err := c.cfg.HTTPClient.Do(req)
	if err != nil {
		return 0, c.transportError(ctx, actx, red, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, c.cfg.MaxBodyBytes+1))
	if err != nil {
		e := c.transportError(ctx, actx, red, err)
		e.HTTPStatus = resp.StatusCode
		return 0, e
	}
	hint := rateLimitHint(resp.Header)
	apiErr := c.classify(resp.StatusCode, raw, red, out)
	switch {
	case apiErr == nil:
		turn.Succeeded()
	case isThrottling(apiErr.Code):
		turn.Throttled(hint)
	}
	fields := map[string]any{
		"attempt": n, "http_status": resp.StatusCode, "duration_ms": c.cfg.Clock.Now().Sub(start).Milliseconds(),
	}
	if turn.Waited > 0 {
		fields["pace_wait_ms"] = turn.Waited.Milliseconds()
	}
	if apiErr != nil {
		fields["error_code"], fields["request_id"] = apiErr.Code, apiErr.RequestID
	} else if id := out.envelope().RequestID; id.Set {
		fields["request_id"] = id.Val
	}
	c.log(ctx, "DTS API response", fields)
	if apiErr != nil {
		return hint, apiErr
	}
	return hint, nil
}

// transportError describes a failure to get an answer: the caller's context ending, the attempt
// timing out (retried), a certificate that does not verify or a proxy that wants credentials (not
// retried), or a network failure (retried).
func (c *Client) transportError(ctx, actx context.Context, red *redactor, err error) *Error {
	msg := red.redact(err.Error())
	var (
		certErr  *tls.CertificateVerificationError
		proxyErr *proxyAuthError
	)
	switch {
	case ctx.Err() != nil:
		return &Error{Message: "request abandoned: " + msg, Err: ctx.Err()}
	case actx.Err() != nil:
		return &Error{
			Message:   fmt.Sprintf("no complete answer within the per-attempt timeout of %s", c.cfg.AttemptTimeout),
			Retryable: true,
			Err:       ErrAttemptTimeout,
		}
	case errors.As(err, &certErr):
		return &Error{
			Message: certificateMessage(c.host, certErr.Err),
			Err:     fmt.Errorf("%w: %w", ErrCertificate, redactedError{msg: msg, err: err}),
		}
	case errors.As(err, &proxyErr):
		return &Error{Message: proxyErr.Error(), Err: proxyErr}
	}
	return &Error{Message: "network error: " + msg, Retryable: true, Err: redactedError{msg: msg, err: err}}
}

// certificateMessage says why host's certificate did not verify and what to try. Asking again
// cannot help, so it says that too.
func certificateMessage(host string, reason error) string {
	var (
		unknown  x509.UnknownAuthorityError
		hostname x509.HostnameError
		invalid  x509.CertificateInvalidError
		advice   string
	)
	switch {
	case errors.As(reason, &unknown):
		advice = " If a proxy or a private certificate authority signs this endpoint's certificate, add that " +
			"authority's certificate there."
	case errors.As(reason, &hostname):
		advice = " The certificate is for another host: check the endpoint (and the region that picks it), " +
			"or whether a proxy intercepts TLS."
	case errors.As(reason, &invalid) && invalid.Reason == x509.Expired:
		advice = " Check the clock of this machine; if it is right, the endpoint's certificate has expired."
	}
	return fmt.Sprintf("the TLS certificate of %s did not verify: %v. Certificates are verified against the "+
		"system trust store, or against the PEM bundle SSL_CERT_FILE names (and the directory SSL_CERT_DIR).%s "+
		"Not retried: a certificate does not mend itself.", host, reason, advice)
}

// redactedError keeps an error's identity for errors.Is/As while printing its redacted text.
type redactedError struct {
	msg string
	err error
}

func (e redactedError) Error() string { return e.msg }
func (e redactedError) Unwrap() error { return e.err }

// classify decodes an HTTP answer into out, or returns a *Error: service errors in the gateway's
// shape (HTTP 4xx/5xx, Code/Message) or DTS's own (HTTP 200, Success false, ErrCode/ErrMessage),
// and bodies that cannot be read as JSON.
func (c *Client) classify(status int, raw []byte, red *redactor, out response) *Error {
	if status == http.StatusProxyAuthRequired {
		// The service never asks for proxy credentials: a proxy that forwarded the request did.
		e := &proxyAuthError{}
		return &Error{HTTPStatus: status, Message: e.Error(), Err: e}
	}
	if int64(len(raw)) > c.cfg.MaxBodyBytes {
		return &Error{
			HTTPStatus: status,
			Message:    fmt.Sprintf("the response body is larger than the %d-byte limit", c.cfg.MaxBodyBytes),
			Retryable:  status >= 500,
		}
	}
	if err := decode(raw, out); err != nil {
		msg := "the response is not valid JSON"
		var deep *tooDeepError
		switch {
		case len(raw) == 0:
			msg = "the response body is empty"
		case errors.As(err, &deep):
			msg = deep.Error()
		}
		e := &Error{HTTPStatus: status, Retryable: status >= 500}
		if len(raw) > 0 {
			msg += ": " + red.redact(excerpt(raw))
		}
		e.Message = fmt.Sprintf("HTTP %d: %s", status, msg)
		return e
	}
	w := out.envelope()
	code, message := w.Code.Val, w.Message.Val
	if w.ErrCode.Set || w.ErrMessage.Set {
		code, message = w.ErrCode.Val, w.ErrMessage.Val
		if w.DynamicMessage.Set && strings.Contains(message, "%s") {
			message = strings.Replace(message, "%s", w.DynamicMessage.Val, 1)
		}
	}
	failed := status >= 300 || (w.Success.Set && !w.Success.Val) || (!w.Success.Set && w.ErrCode.Set)
	if !failed {
		return nil
	}
	if code == "" {
		code = "UnknownError"
		if message == "" {
			message = fmt.Sprintf("the service answered HTTP %d without an error code", status)
		}
	}
	return &Error{
		Code:       code,
		Message:    red.redact(message),
		RequestID:  w.RequestID.Val,
		HTTPStatus: status,
		Retryable:  retryable(code, status),
	}
}

// retryable classifies a service error by its code first, then by HTTP status.
func retryable(code string, status int) bool {
	switch {
	case isThrottling(code), code == CodeServiceUnavailable, code == CodeInternalError,
		code == CodeSignatureNonceUsed:
		return true
	case code == CodeSignatureDoesNotMatch, strings.HasPrefix(code, "InvalidAccessKeyId"),
		strings.HasPrefix(code, "Forbidden"), code == CodeInvalidJobID, code == "MissingParameter",
		strings.HasPrefix(code, "InvalidTimeStamp"), strings.HasPrefix(code, "InvalidSecurityToken"):
		return false
	}
	return status >= 500
}

// rateLimitHint reads the service's throttling hint, "TimeLeft:<ms>" in x-ratelimit-user-api or
// x-ratelimit-user, as the least time to wait before the next attempt.
func rateLimitHint(h http.Header) time.Duration {
	var longest time.Duration
	for _, name := range []string{"x-ratelimit-user-api", "x-ratelimit-user"} {
		for _, v := range h.Values(name) {
			for _, part := range strings.FieldsFunc(v, func(r rune) bool { return r == ',' || r == ';' || r == ' ' }) {
				k, val, ok := strings.Cut(part, ":")
				if !ok || !strings.EqualFold(k, "TimeLeft") {
					continue
				}
				if ms, err := strconv.ParseInt(val, 10, 64); err == nil && ms > 0 && ms < 10*60*1000 {
					longest = max(longest, time.Duration(ms)*time.Millisecond)
				}
			}
		}
	}
	return longest
}

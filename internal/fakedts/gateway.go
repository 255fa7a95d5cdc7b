package fakedts

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"
)

// timestampLayout is the only Timestamp format the gateway accepts: ISO 8601 in UTC, to the second.
const timestampLayout = "2006-01-02T15:04:05Z"

// timestampTolerance is how far a request's Timestamp may be from the server clock.
const timestampTolerance = 15 * time.Minute

// nonceRetention is how long a nonce is remembered; older replays fail the timestamp check anyway.
const nonceRetention = 2 * timestampTolerance

// contentTypeJSON is the Content-Type of every answer the gateway writes itself.
const contentTypeJSON = "application/json;charset=utf-8"

// commonParams are the parameters every RPC call must carry, in the order they are checked.
var commonParams = []string{
	"Action", "Version", "Format", "AccessKeyId", "SignatureMethod", "SignatureVersion",
	"SignatureNonce", "Timestamp", "Signature",
}

// Request is one request the fake received, as recorded for assertions.
type Request struct {
	// Time is the arrival time by the server's clock.
	Time   time.Time
	Method string
	Host   string
	// Params are the query and form body parameters merged (body values first).
	Params url.Values
	// Action, MigrationJobID, RegionID, Nonce and AccessKeyID are copied from Params for convenience
	// (MigrationJobId, RegionId, SignatureNonce, AccessKeyId).
	Action, MigrationJobID, RegionID, Nonce, AccessKeyID string
	// Region, DtsJobID and JobType are DescribeDtsJobs's Region, DtsJobId and JobType, as sent.
	Region, DtsJobID, JobType string
	// PageNumber is the page asked for, from PageNumber (DescribeDtsJobs) or PageNum
	// (DescribeMigrationJobs); 0 when absent or not a number.
	PageNumber int
	// Status is the HTTP status answered, 0 when the request hung or its connection was reset.
	Status int
	// Code is the error code answered, empty on success.
	Code string
	// RateLimited is set when the rate limit of SetRateLimit refused the request (Code Throttling.User);
	// a queued Fault with the same code leaves it unset.
	RateLimited bool
	// RequestID is the RequestId of the answer, empty when there was none.
	RequestID string
}

// Fault is a failure injected in place of the normal answer to one request.
type Fault struct {
	// Status is the HTTP status to send. It defaults to 200 for DTSShape or Body, and otherwise to
	// the status the gateway uses for Code (400, 403 for Forbidden.*, 500 InternalError, 503 ServiceUnavailable).
	Status int
	// Code and Message are the error; Message defaults to the service's usual text for Code, and
	// Code defaults to one matching Status. Sent in the gateway's shape unless DTSShape is set.
	Code, Message string
	// DTSShape sends DTS's own shape instead: {"RequestId","Success":false,"ErrCode","ErrMessage"}.
	DTSShape bool
	// Header holds extra response headers, sent with any kind of answer; a Fault with only Header set
	// lets the action answer normally, with these headers.
	Header http.Header
	// Body, when non-nil, is sent verbatim with Status (HTML pages, truncated JSON, empty bodies).
	Body []byte
	// Hang accepts the request and never answers, until the client gives up or the server closes.
	Hang bool
	// Reset closes the TCP connection abruptly, without a response. Go's client silently retries a
	// GET that fails this way on a reused connection, so such tests use POST or fresh connections.
	Reset bool
}

// accessKey is a registered credential; token is set for STS keys, which need it as SecurityToken.
type accessKey struct {
	secret string
	token  string
}

// endpoint is the RPC gateway shared by the DTS and STS fakes: it records, authenticates, applies
// rate limits and injects faults, then hands the request to its action's handler.
type endpoint struct {
	hostID  string
	version string
	// actions are the handlers by Action; any other Action is 404 InvalidAction.NotFound.
	actions map[string]func(x *exchange)
	lookup  func(id string) (accessKey, bool)
	now     func() time.Time
	// tokenKnown tells a token issued to another key apart from a malformed one.
	tokenKnown func(token string) bool

	closed    chan struct{}
	closeOnce sync.Once

	mu      sync.Mutex
	records []*Request
	faults  []Fault
	nonces  map[string]time.Time
	latency time.Duration
	// limits are calls per second by action; calls are the recent accepted calls by limitKey.
	limits map[string]int
	calls  map[limitKey][]time.Time
}

// limitKey is what a rate limit counts calls by: the service limits per account, action and region.
type limitKey struct {
	accessKeyID, action, region string
}

func newEndpoint(hostID, version string, actions map[string]func(x *exchange)) *endpoint {
	return &endpoint{
		hostID:  hostID,
		version: version,
		actions: actions,
		closed:  make(chan struct{}),
		nonces:  make(map[string]time.Time),
		limits:  make(map[string]int),
		calls:   make(map[limitKey][]time.Time),
	}
}

// exchange is one request being answered.
type exchange struct {
	ep        *endpoint
	w         http.ResponseWriter
	r         *http.Request
	params    url.Values
	record    *Request
	requestID string
}

func (ep *endpoint) close() {
	ep.closeOnce.Do(func() { close(ep.closed) })
}

func (ep *endpoint) queueFaults(f []Fault) {
	ep.mu.Lock()
	defer ep.mu.Unlock()
	ep.faults = append(ep.faults, f...)
}

func (ep *endpoint) setLatency(d time.Duration) {
	ep.mu.Lock()
	defer ep.mu.Unlock()
	ep.latency = d
}

func (ep *endpoint) requests() []Request {
	ep.mu.Lock()
	defer ep.mu.Unlock()
	out := make([]Request, len(ep.records))
	for i, rec := range ep.records {
		out[i] = *rec
		out[i].Params = cloneValues(rec.Params)
	}
	return out
}

func (ep *endpoint) resetRequests() {
	ep.mu.Lock()
	defer ep.mu.Unlock()
	ep.records = nil
}

func cloneValues(v url.Values) url.Values {
	out := make(url.Values, len(v))
	for k, vs := range v {
		out[k] = append([]string(nil), vs...)
	}
	return out
}

// ServeHTTP checks the request as the gateway does, in the gateway's order, then answers a queued
// fault or the action.
func (ep *endpoint) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	parseErr := r.ParseForm()
	params := r.Form
	if params == nil {
		params = url.Values{}
	}
	rec := &Request{
		Time:           ep.now(),
		Method:         r.Method,
		Host:           r.Host,
		Params:         cloneValues(params),
		Action:         params.Get("Action"),
		MigrationJobID: params.Get("MigrationJobId"),
		RegionID:       params.Get("RegionId"),
		Nonce:          params.Get("SignatureNonce"),
		AccessKeyID:    params.Get("AccessKeyId"),
		Region:         params.Get("Region"),
		DtsJobID:       params.Get("DtsJobId"),
		JobType:        params.Get("JobType"),
		PageNumber:     pageNumberOf(params),
	}
	ep.mu.Lock()
	ep.records = append(ep.records, rec)
	latency := ep.latency
	ep.mu.Unlock()

	x := &exchange{ep: ep, w: w, r: r, params: params, record: rec, requestID: newRequestID()}
	if !x.sleep(latency) {
		return
	}
	if !ep.authenticate(x, parseErr) {
		return
	}
	if !ep.allow(x) {
		return
	}
	if f, ok := ep.nextFault(); ok && x.fault(f) {
		return
	}
	ep.actions[params.Get("Action")](x)
}

// pageNumberOf reads the page a listing asks for, under either call's parameter name.
func pageNumberOf(p url.Values) int {
	v := p.Get("PageNumber")
	if v == "" {
		v = p.Get("PageNum")
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		return 0
	}
	return n
}

func (ep *endpoint) setRateLimit(action string, perSecond int) {
	ep.mu.Lock()
	defer ep.mu.Unlock()
	if perSecond <= 0 {
		delete(ep.limits, action)
		return
	}
	ep.limits[action] = perSecond
}

// allow applies the action's rate limit: beyond the limit within the last second (by the server
// clock), per access key and region, the request is throttled as the gateway does. Only accepted
// calls count, so a client that backs off gets through again.
func (ep *endpoint) allow(x *exchange) bool {
	action := x.params.Get("Action")
	region := x.params.Get("Region")
	if region == "" {
		region = x.params.Get("RegionId")
	}
	key := limitKey{x.params.Get("AccessKeyId"), action, region}
	now := ep.now()
	ep.mu.Lock()
	limit, limited := ep.limits[action]
	if !limited {
		ep.mu.Unlock()
		return true
	}
	recent := ep.calls[key]
	keep := 0
	for keep < len(recent) && !recent[keep].After(now.Add(-time.Second)) {
		keep++
	}
	recent = recent[keep:]
	allowed := len(recent) < limit
	if allowed {
		recent = append(recent, now)
	} else {
		x.record.RateLimited = true
	}
	ep.calls[key] = recent
	ep.mu.Unlock()
	if !allowed {
		x.gatewayError(http.StatusBadRequest, "Throttling.User", "Request was denied due to user flow control.")
	}
	return allowed
}

func (ep *endpoint) nextFault() (Fault, bool) {
	ep.mu.Lock()
	defer ep.mu.Unlock()
	if len(ep.faults) == 0 {
		return Fault{}, false
	}
	f := ep.faults[0]
	ep.faults = ep.faults[1:]
	return f, true
}

// authenticate answers an error and returns false unless the request is well formed and signed by
// a known key.
func (ep *endpoint) authenticate(x *exchange, parseErr error) bool {
	r, p := x.r, x.params
	if r.Method != http.MethodGet && r.Method != http.MethodPost {
		x.gatewayError(http.StatusMethodNotAllowed, "UnsupportedHTTPMethod", "This http method is not supported.")
		return false
	}
	if r.URL.Path != "/" {
		x.gatewayError(http.StatusNotFound, "InvalidAction.NotFound", "Specified api is not found, please check your url and method.")
		return false
	}
	if parseErr != nil {
		x.gatewayError(http.StatusBadRequest, "InvalidParameter", "The request parameters could not be parsed: "+parseErr.Error())
		return false
	}
	for _, name := range commonParams {
		if p.Get(name) == "" {
			x.gatewayError(http.StatusBadRequest, "MissingParameter",
				`The input parameter "`+name+`" that is mandatory for processing this request is not supplied.`)
			return false
		}
	}
	if p.Get("Version") != ep.version {
		x.gatewayError(http.StatusBadRequest, "InvalidVersion", "Specified parameter Version is not valid.")
		return false
	}
	if ep.actions[p.Get("Action")] == nil {
		x.gatewayError(http.StatusNotFound, "InvalidAction.NotFound", "Specified api is not found, please check your url and method.")
		return false
	}
	// The fake speaks JSON only; the real service would also answer XML.
	if !strings.EqualFold(p.Get("Format"), "JSON") {
		x.gatewayError(http.StatusBadRequest, "InvalidParameter", "Specified parameter Format is not valid.")
		return false
	}
	if p.Get("SignatureMethod") != "HMAC-SHA1" {
		x.gatewayError(http.StatusBadRequest, "InvalidParameter", "Specified parameter SignatureMethod is not valid.")
		return false
	}
	if p.Get("SignatureVersion") != "1.0" {
		x.gatewayError(http.StatusBadRequest, "InvalidParameter", "Specified parameter SignatureVersion is not valid.")
		return false
	}
	keyID := p.Get("AccessKeyId")
	key, ok := ep.lookup(keyID)
	if !ok {
		x.gatewayError(http.StatusNotFound, "InvalidAccessKeyId.NotFound", "Specified access key is not found.")
		return false
	}
	ts := p.Get("Timestamp")
	when, err := time.Parse(timestampLayout, ts)
	// time.Parse accepts fractional seconds the layout lacks; the gateway does not.
	if err != nil || len(ts) != len(timestampLayout) {
		x.gatewayError(http.StatusBadRequest, "InvalidTimeStamp.Format", "Specified time stamp or date value is not well formatted.")
		return false
	}
	now := ep.now()
	if d := now.Sub(when); d > timestampTolerance || d < -timestampTolerance {
		x.gatewayError(http.StatusBadRequest, "InvalidTimeStamp.Expired", "Specified time stamp or date value is expired.")
		return false
	}
	valid, toSign := verifySignatureV1(r.Method, p, key.secret)
	if !valid {
		x.gatewayError(http.StatusBadRequest, "SignatureDoesNotMatch",
			"Specified signature is not matched with our calculation. server string to sign is:"+toSign)
		return false
	}
	if !ep.useNonce(keyID, p.Get("SignatureNonce"), now) {
		x.gatewayError(http.StatusBadRequest, "SignatureNonceUsed", "Specified signature nonce was used already.")
		return false
	}
	return ep.checkToken(x, key)
}

// checkToken holds an STS key to its own token, and a permanent key to none.
func (ep *endpoint) checkToken(x *exchange, key accessKey) bool {
	token, sent := x.params.Get("SecurityToken"), x.params.Has("SecurityToken")
	switch {
	case key.token == "" && !sent:
		return true
	case key.token != "" && token == key.token:
		return true
	case token == "" || ep.tokenKnown(token):
		x.gatewayError(http.StatusBadRequest, "InvalidSecurityToken.MismatchWithAccessKey", "Specified SecurityToken mismatch with the AccessKey.")
	default:
		x.gatewayError(http.StatusBadRequest, "InvalidSecurityToken.Malformed", "Specified SecurityToken is malformed.")
	}
	return false
}

// useNonce records the nonce and reports whether it was new for the key.
func (ep *endpoint) useNonce(keyID, nonce string, now time.Time) bool {
	ep.mu.Lock()
	defer ep.mu.Unlock()
	k := keyID + "\x00" + nonce
	if _, seen := ep.nonces[k]; seen {
		return false
	}
	// Forget old nonces now and then so a long demo does not grow without bound.
	if len(ep.nonces) >= 4096 {
		for n, t := range ep.nonces {
			if now.Sub(t) > nonceRetention {
				delete(ep.nonces, n)
			}
		}
	}
	ep.nonces[k] = now
	return true
}

// sleep waits d; false means the client left or the server closed, and the request is abandoned.
func (x *exchange) sleep(d time.Duration) bool {
	if d <= 0 {
		return true
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-x.r.Context().Done():
		return false
	case <-x.ep.closed:
		x.abort()
		return false
	}
}

// abort ends the handler without a response; net/http then drops the connection instead of
// sending an empty 200.
func (x *exchange) abort() {
	panic(http.ErrAbortHandler)
}

// fault answers f in place of the action and returns true, or returns false when f sets no failure
// (only headers), and the action answers.
func (x *exchange) fault(f Fault) bool {
	for name, values := range f.Header {
		for _, v := range values {
			x.w.Header().Add(name, v)
		}
	}
	switch {
	case f.Hang:
		select {
		case <-x.r.Context().Done():
		case <-x.ep.closed:
			x.abort()
		}
	case f.Reset:
		x.reset()
	case f.Body != nil:
		status := f.Status
		if status == 0 {
			status = http.StatusOK
		}
		x.write(status, f.Body, f.Code)
	case f.DTSShape:
		status := f.Status
		if status == 0 {
			status = http.StatusOK
		}
		code := f.Code
		if code == "" {
			code = "InternalError"
		}
		x.dtsError(status, code, orDefault(f.Message, defaultMessage(code)))
	case f.Code != "" || f.Status != 0:
		code, status := f.Code, f.Status
		if code == "" {
			code = codeForStatus(status)
		}
		if status == 0 {
			status = statusForCode(code)
		}
		x.gatewayError(status, code, orDefault(f.Message, defaultMessage(code)))
	default:
		return false
	}
	return true
}

// reset closes the connection with SO_LINGER 0, so the client sees a reset rather than a clean EOF.
func (x *exchange) reset() {
	conn, _, err := http.NewResponseController(x.w).Hijack()
	if err != nil {
		x.abort()
		return
	}
	raw := conn
	if nc, ok := conn.(interface{ NetConn() net.Conn }); ok {
		raw = nc.NetConn()
	}
	if tcp, ok := raw.(*net.TCPConn); ok {
		_ = tcp.SetLinger(0)
	}
	_ = conn.Close()
}

func orDefault(s, fallback string) string {
	if s != "" {
		return s
	}
	return fallback
}

func statusForCode(code string) int {
	switch {
	case code == "ServiceUnavailable":
		return http.StatusServiceUnavailable
	case code == "InternalError":
		return http.StatusInternalServerError
	case strings.HasPrefix(code, "Forbidden"):
		return http.StatusForbidden
	}
	return http.StatusBadRequest
}

func codeForStatus(status int) string {
	switch {
	case status == http.StatusServiceUnavailable:
		return "ServiceUnavailable"
	case status == http.StatusTooManyRequests:
		return "Throttling"
	case status == http.StatusForbidden:
		return "Forbidden"
	case status >= 500:
		return "InternalError"
	}
	return "InvalidParameter"
}

func defaultMessage(code string) string {
	switch {
	case code == "ServiceUnavailable":
		return "The request has failed due to a temporary failure of the server."
	case code == "InternalError":
		return "The request processing has failed due to some unknown error, exception or failure."
	case strings.HasPrefix(code, "Throttling"):
		return "Request was denied due to request throttling."
	case code == "Forbidden.RAM":
		return "User not authorized to operate on the specified resource, or this API doesn't support RAM."
	case strings.HasPrefix(code, "Forbidden"):
		return "User not authorized to operate on the specified resource."
	}
	return "The request has failed: " + code + "."
}

// gatewayError answers in the API gateway's shape.
func (x *exchange) gatewayError(status int, code, message string) {
	body := struct {
		RequestID string `json:"RequestId"`
		HostID    string `json:"HostId"`
		Code      string `json:"Code"`
		Message   string `json:"Message"`
		Recommend string `json:"Recommend"`
	}{
		RequestID: x.requestID,
		HostID:    x.ep.hostID,
		Code:      code,
		Message:   message,
		Recommend: "https://api.aliyun.com/troubleshoot?q=" + url.QueryEscape(code) + "&product=" + x.ep.product(),
	}
	x.write(status, marshalJSON(body), code)
}

// dtsError answers in DTS's own shape, which the service uses for its business errors.
func (x *exchange) dtsError(status int, code, message string) {
	body := struct {
		RequestID  string `json:"RequestId"`
		Success    bool   `json:"Success"`
		ErrCode    string `json:"ErrCode"`
		ErrMessage string `json:"ErrMessage"`
	}{x.requestID, false, code, message}
	x.write(status, marshalJSON(body), code)
}

func (ep *endpoint) product() string {
	name, _, _ := strings.Cut(ep.hostID, ".")
	if name == "" {
		return ""
	}
	return strings.ToUpper(name[:1]) + name[1:]
}

// write sends the answer and records its status and code.
func (x *exchange) write(status int, body []byte, code string) {
	h := x.w.Header()
	if h.Get("Content-Type") == "" {
		h.Set("Content-Type", contentTypeJSON)
	}
	if h.Get("X-Acs-Request-Id") == "" {
		h.Set("X-Acs-Request-Id", x.requestID)
	}
	x.ep.mu.Lock()
	x.record.Status = status
	x.record.Code = code
	x.record.RequestID = x.requestID
	x.ep.mu.Unlock()
	x.w.WriteHeader(status)
	_, _ = x.w.Write(body)
}

// marshalJSON encodes without HTML escaping, as the service does, so '&' in messages stays '&'.
func marshalJSON(v any) []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
}

// newRequestID returns an upper-case UUID-like identifier, as the service's RequestId.
func newRequestID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	h := strings.ToUpper(hex.EncodeToString(b[:]))
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}

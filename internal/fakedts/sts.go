package fakedts

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// STS API identity the fake answers to.
const (
	stsHost    = "sts.aliyuncs.com"
	stsVersion = "2015-04-01"
	stsAction  = "AssumeRole"
)

// Session durations STS accepts, in seconds: 15 minutes up to a role's largest maximum of 12 hours.
const (
	minSessionSeconds     = 900
	maxSessionSeconds     = 43200
	defaultSessionSeconds = 3600
)

var (
	roleARNPattern     = regexp.MustCompile(`^acs:ram::[0-9]+:role/([A-Za-z0-9.@_-]+)$`)
	sessionNamePattern = regexp.MustCompile(`^[A-Za-z0-9.@_-]{2,64}$`)
)

// STSServer is a fake STS endpoint over HTTPS answering AssumeRole. It authenticates callers with
// the keys of its DTS Server, by that server's clock, and registers the credentials it issues there.
type STSServer struct {
	dts *Server
	ts  *httptest.Server
	ep  *endpoint
}

// NewSTSServer starts a fake STS endpoint on 127.0.0.1 whose credentials work with dts.
func NewSTSServer(dts *Server) *STSServer {
	s := &STSServer{dts: dts}
	s.ep = newEndpoint(stsHost, stsVersion, map[string]func(*exchange){stsAction: s.assumeRole})
	s.ep.lookup = dts.lookupKey
	s.ep.tokenKnown = dts.tokenKnown
	s.ep.now = dts.clock
	s.ts = httptest.NewTLSServer(s.ep)
	return s
}

// Host returns "127.0.0.1:port", the form credentials-go's STS endpoint option takes (it adds https).
func (s *STSServer) Host() string { return s.ts.Listener.Addr().String() }

// URL returns the base URL, "https://127.0.0.1:port".
func (s *STSServer) URL() string { return s.ts.URL }

// Client returns an HTTP client that trusts the server's certificate.
func (s *STSServer) Client() *http.Client { return s.ts.Client() }

// QueueFaults queues faults for the next AssumeRole requests, as Server.QueueFaults does.
func (s *STSServer) QueueFaults(f ...Fault) { s.ep.queueFaults(f) }

// Requests returns every request received, in arrival order; Params hold RoleArn, RoleSessionName,
// DurationSeconds, ExternalId and Policy as sent.
func (s *STSServer) Requests() []Request { return s.ep.requests() }

// Close unblocks hanging requests and shuts the server down.
func (s *STSServer) Close() {
	s.ep.close()
	s.ts.Close()
}

// assumeRole answers an authenticated AssumeRole call with fresh credentials.
func (s *STSServer) assumeRole(x *exchange) {
	p := x.params
	roleARN := p.Get("RoleArn")
	if roleARN == "" {
		x.gatewayError(http.StatusBadRequest, "MissingRoleArn", "RoleArn is mandatory for this action.")
		return
	}
	m := roleARNPattern.FindStringSubmatch(roleARN)
	if m == nil {
		x.gatewayError(http.StatusBadRequest, "InvalidParameter.RoleArn", "The parameter RoleArn is wrongly formed.")
		return
	}
	session := p.Get("RoleSessionName")
	if session == "" {
		x.gatewayError(http.StatusBadRequest, "MissingRoleSessionName", "RoleSessionName is mandatory for this action.")
		return
	}
	if !sessionNamePattern.MatchString(session) {
		x.gatewayError(http.StatusBadRequest, "InvalidParameter.RoleSessionName", "The parameter RoleSessionName is wrongly formed.")
		return
	}
	seconds := defaultSessionSeconds
	if v := p.Get("DurationSeconds"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < minSessionSeconds || n > maxSessionSeconds {
			x.gatewayError(http.StatusBadRequest, "InvalidParameter.DurationSeconds", "The Min/Max value of DurationSeconds is 15min/12hr.")
			return
		}
		seconds = n
	}
	if policy := p.Get("Policy"); policy != "" && !json.Valid([]byte(policy)) {
		x.gatewayError(http.StatusBadRequest, "InvalidParameter.PolicyGrammar", "The parameter Policy has not a valid grammar.")
		return
	}

	keyID := "STS." + rand.Text()
	secret := rand.Text() + rand.Text()
	token := newSecurityToken()
	s.dts.AddSTSKey(keyID, secret, token)

	expiration := s.dts.clock().UTC().Add(time.Duration(seconds) * time.Second)
	var body struct {
		RequestID       string `json:"RequestId"`
		AssumedRoleUser struct {
			Arn           string `json:"Arn"`
			AssumedRoleID string `json:"AssumedRoleId"`
		} `json:"AssumedRoleUser"`
		Credentials struct {
			AccessKeyID     string `json:"AccessKeyId"`
			AccessKeySecret string `json:"AccessKeySecret"`
			SecurityToken   string `json:"SecurityToken"`
			Expiration      string `json:"Expiration"`
		} `json:"Credentials"`
	}
	body.RequestID = x.requestID
	body.AssumedRoleUser.Arn = roleARN + "/" + session
	body.AssumedRoleUser.AssumedRoleID = roleID(m[1]) + ":" + session
	body.Credentials.AccessKeyID = keyID
	body.Credentials.AccessKeySecret = secret
	body.Credentials.SecurityToken = token
	body.Credentials.Expiration = expiration.Format(timestampLayout)
	x.write(http.StatusOK, marshalJSON(body), "")
}

// newSecurityToken returns a token shaped like STS's: base64 with '+', '/' and '=' padding, so
// clients must encode it properly.
func newSecurityToken() string {
	for {
		var b [301]byte
		_, _ = rand.Read(b[:])
		t := "CAIS" + base64.StdEncoding.EncodeToString(b[:])
		if strings.Contains(t, "+") && strings.Contains(t, "/") {
			return t
		}
	}
}

// roleID is a stable numeric-looking ID for a role name, like the 3xxx IDs RAM assigns.
func roleID(name string) string {
	var h uint64 = 14695981039346656037
	for i := 0; i < len(name); i++ {
		h ^= uint64(name[i])
		h *= 1099511628211
	}
	return "3" + strconv.FormatUint(h%1e17, 10)
}

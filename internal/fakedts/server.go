package fakedts

import (
	"bytes"
	"encoding/json"
	"maps"
	"net/http"
	"net/http/httptest"
	"sync"
	"time"
)

// DTS API identity the fake answers to.
const (
	dtsHost    = "dts.aliyuncs.com"
	dtsVersion = "2020-01-01"
	dtsAction  = "DescribeMigrationJobStatus"
	// ActionDescribeDtsJobs lists current-API jobs (DtsJob).
	//
	// Filters: Region and RegionId (a job with a Region must match every one sent, and one must be);
	// JobType (MIGRATION when omitted; SYNC, SUBSCRIBE; others 400 InvalidParameter); DtsJobId (part of
	// the ID, so asking "abc" also lists "abcd": the client must do the exact match); DtsInstanceId
	// (exact); Type with Params (name, instance, srcRds, rds: part of the value, ignoring case; another
	// Type is 400 InvalidParameter; either alone is ignored); Status (the job's current Status, exact);
	// Tags (JSON array of {"key","value"}: the job must carry every tag; malformed JSON or an empty key
	// is 400 InvalidParameter). PageSize 10, 20, 30, 50 or 100 (default 20) and PageNumber >= 1
	// (default 1), else 400 InvalidParameter. Jobs are listed in creation order; each listed job's
	// timeline moves one request, others stay. The answer: RequestId, Success true, HttpStatusCode 200,
	// PageNumber, PageRecordCount (this page's count), TotalRecordCount (all pages), DtsJobList.
	ActionDescribeDtsJobs = "DescribeDtsJobs"
	// ActionDescribeMigrationJobs lists legacy migration jobs (Job).
	//
	// Filters: RegionId (a job with a Region must match it; an absent RegionId differs too);
	// MigrationJobName (part of the name, ignoring case); Tag.N.Key and Tag.N.Value, N 1 to 20 (the job
	// must carry every key, with the value when one is sent; an empty or missing key, or N out of range,
	// is 400 InvalidParameter). No status filter: the call has none. PageSize 10, 20, 30, 50 or 100
	// (default 30) and PageNum >= 1 (default 1), else 400 InvalidParameter. Jobs are listed in creation
	// order; each listed job's timeline moves one request, others stay. The answer: RequestId,
	// Success "true" (a string in this call), PageNumber, PageRecordCount (this page's count),
	// TotalRecordCount, MigrationJobs {MigrationJob: [...]}.
	ActionDescribeMigrationJobs = "DescribeMigrationJobs"
	// ActionDescribeMigrationJobStatus reads one legacy migration job.
	ActionDescribeMigrationJobStatus = dtsAction
)

// maxClientTokenLen is the documented limit on ClientToken.
const maxClientTokenLen = 64

// Server is a fake DTS endpoint answering DescribeMigrationJobStatus, DescribeMigrationJobs and
// DescribeDtsJobs. It is safe for concurrent use.
//
// It serves GET (parameters in the query) and POST (form body and query merged) on "/", and checks,
// in order: the method and path; the common parameters (400 MissingParameter, InvalidVersion,
// 404 InvalidAction.NotFound for an action it does not serve, 400 InvalidParameter for Format other
// than JSON or a signature method or version other than HMAC-SHA1 1.0); the access key
// (404 InvalidAccessKeyId.NotFound); the Timestamp (400 InvalidTimeStamp.Format, or
// InvalidTimeStamp.Expired beyond 15 minutes); the signature (400 SignatureDoesNotMatch, echoing the
// server's string to sign); the nonce per key (400 SignatureNonceUsed); the security token
// (400 InvalidSecurityToken.MismatchWithAccessKey or .Malformed). Errors so far use the gateway's
// shape: {"RequestId","HostId","Code","Message","Recommend"}. Then the action's rate limit, if one
// is set (400 Throttling.User), and then a queued Fault, if any, replaces the answer.
//
// DescribeMigrationJobStatus: MigrationJobId is required (400 MissingParameter), ClientToken must be
// at most 64 ASCII characters (400 InvalidParameter), and an unknown job, or one in another region,
// answers in DTS's own shape with HTTP 200:
// {"RequestId","Success":false,"ErrCode":"InvalidJobId","ErrMessage":"The specified job does not exist."}.
// Otherwise the job's current Step answers.
//
// DescribeMigrationJobs and DescribeDtsJobs list jobs; ActionDescribeMigrationJobs and
// ActionDescribeDtsJobs describe their filters and paging.
type Server struct {
	ts *httptest.Server
	ep *endpoint

	mu    sync.Mutex
	now   func() time.Time
	keys  map[string]accessKey
	jobs  map[string]*jobState
	token map[string]bool
	// dtsJobs are the current-API jobs; order numbers list jobs of both kinds in creation order.
	dtsJobs   map[string]*dtsJobState
	nextOrder int64
	firstSeen int64
	// pageHooks run once a listing has chosen a page's jobs, before the page is sent.
	pageHooks []pageHook
	// dataChecks are the data verifications, by job and check type (SetDataCheck).
	dataChecks map[dataCheckKey]*dataCheckState
}

// Job is a legacy migration job the fake knows (DescribeMigrationJobStatus, DescribeMigrationJobs).
type Job struct {
	// Region, when set, must equal the request's RegionId (an absent RegionId differs too);
	// otherwise the job answers InvalidJobId, like a job in another region, and is not listed.
	Region string
	// Name, when set, is MigrationJobName in DescribeMigrationJobs items and what its
	// MigrationJobName filter matches; otherwise the item's own MigrationJobName is used.
	Name string
	// Tags are the job's tags, listed as Tags.Tag[] {Key, Value} and matched by the Tag.N filters.
	Tags map[string]string
	// Steps is the job's timeline; without steps the job reports NotStarted.
	Steps []Step
}

// Step is one stage of a job's timeline: the answer given while the step lasts.
type Step struct {
	// Body is the success response: anything json.Marshal takes. For a JSON object, "RequestId" and
	// "Success": true are added when missing; json.RawMessage and []byte are served exactly as given.
	// In a DtsJob's timeline Body is instead the job's DtsJobList item (see DtsJob).
	Body any
	// Raw, when non-nil, is served verbatim with HTTP 200 instead of Body (in a DtsJob's timeline:
	// it is the item, verbatim).
	Raw []byte
	// Item, for a legacy Job, is the job's DescribeMigrationJobs item while the step lasts: anything
	// json.Marshal takes, json.RawMessage and []byte verbatim. When nil, the item is derived from
	// the step's status answer (see State.ListItem); a body that is not a JSON object lists with
	// just the job's ID, name and tags. Unused in a DtsJob's timeline.
	Item any
	// Detail, in a DtsJob's timeline, is the job's DescribeDtsJobDetail answer while the step lasts,
	// typically DtsDetail.Body (see ActionDescribeDtsJobDetail); nil derives it from the step's item.
	Detail any
	// Requests is how many requests the step answers before the next step takes over.
	Requests int
	// Duration is how long the step lasts by the server clock. Steps run back to back from the job's
	// first request; a step that ends by Requests starts the next one at the request that follows.
	// With both set, the step ends at whichever comes first; with neither, and for the last step,
	// the step lasts forever.
	Duration time.Duration
}

// timeline is where a job is in its steps. It moves only when an answer includes the job.
type timeline struct {
	steps     []Step
	started   bool
	step      int
	answered  int
	stepStart time.Time
}

// jobState is a legacy job and where it is in its timeline.
type jobState struct {
	job     Job
	order   int64
	created time.Time
	tl      timeline
}

// NewServer starts a fake DTS endpoint on 127.0.0.1 at a random port.
func NewServer() *Server {
	s := NewUnstartedHandler()
	s.ts = httptest.NewServer(s.ep)
	return s
}

// NewUnstartedHandler returns a fake that does not listen, for callers that serve Handler themselves.
func NewUnstartedHandler() *Server {
	s := &Server{
		now:     time.Now,
		keys:    make(map[string]accessKey),
		jobs:    make(map[string]*jobState),
		dtsJobs: make(map[string]*dtsJobState),
		token:   make(map[string]bool),
	}
	s.ep = newEndpoint(dtsHost, dtsVersion, map[string]func(*exchange){
		ActionDescribeMigrationJobStatus: s.describeMigrationJobStatus,
		ActionDescribeMigrationJobs:      s.describeMigrationJobs,
		ActionDescribeDtsJobs:            s.describeDtsJobs,
		ActionDescribeDtsJobDetail:       s.describeDtsJobDetail,

		// Data verification: data_check.go.
		ActionDescribeDataCheckTableDetails:     s.describeDataCheckTableDetails,
		ActionDescribeDataCheckTableDiffDetails: s.describeDataCheckTableDiffDetails,
	})
	s.ep.lookup = s.lookupKey
	s.ep.tokenKnown = s.tokenKnown
	s.ep.now = s.clock
	return s
}

// URL returns the base URL, "http://127.0.0.1:port", or "" when the server was not started.
func (s *Server) URL() string {
	if s.ts == nil {
		return ""
	}
	return s.ts.URL
}

// Handler returns the HTTP handler that serves the fake.
func (s *Server) Handler() http.Handler { return s.ep }

// Close unblocks hanging and delayed requests, then shuts the server down.
func (s *Server) Close() {
	s.ep.close()
	if s.ts != nil {
		s.ts.Close()
	}
}

// AddAccessKey registers a permanent access key.
func (s *Server) AddAccessKey(id, secret string) {
	s.addKey(id, accessKey{secret: secret})
}

// AddSTSKey registers an STS access key, accepted only with SecurityToken equal to token.
func (s *Server) AddSTSKey(id, secret, token string) {
	s.addKey(id, accessKey{secret: secret, token: token})
}

func (s *Server) addKey(id string, key accessKey) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.keys[id] = key
	if key.token != "" {
		s.token[key.token] = true
	}
}

func (s *Server) lookupKey(id string) (accessKey, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	key, ok := s.keys[id]
	return key, ok
}

func (s *Server) tokenKnown(token string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.token[token]
}

// SetNow sets the clock used for timestamp checks, timelines, rate limits and recorded times; nil
// restores time.Now.
func (s *Server) SetNow(now func() time.Time) {
	if now == nil {
		now = time.Now
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.now = now
}

func (s *Server) clock() time.Time {
	s.mu.Lock()
	now := s.now
	s.mu.Unlock()
	return now()
}

// SetJob defines the legacy job, replacing any previous definition (which keeps its place in
// listings) and restarting its timeline. A new job is listed after the jobs defined before it.
func (s *Server) SetJob(id string, job Job) {
	s.setJob(id, job, false)
}

// SetJobFirst is SetJob for a new job listed before every job defined so far, as if the service
// listed newest first: a listing read page by page then sees its later pages shift by one.
func (s *Server) SetJobFirst(id string, job Job) {
	s.setJob(id, job, true)
}

func (s *Server) setJob(id string, job Job, first bool) {
	job.Steps = append([]Step(nil), job.Steps...)
	job.Tags = maps.Clone(job.Tags)
	now := s.clock()
	s.mu.Lock()
	defer s.mu.Unlock()
	order := s.orderFor(first)
	if old, ok := s.jobs[id]; ok && !first {
		order = old.order
	}
	s.jobs[id] = &jobState{job: job, order: order, created: now, tl: timeline{steps: job.Steps}}
}

// orderFor returns the listing position of a new job: after all others, or before all with first.
func (s *Server) orderFor(first bool) int64 {
	if first {
		s.firstSeen--
		return s.firstSeen
	}
	s.nextOrder++
	return s.nextOrder
}

// DeleteJob forgets the job, which then answers InvalidJobId.
func (s *Server) DeleteJob(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.jobs, id)
}

// QueueFaults queues faults that replace the answers to the next requests, one per request in
// order, whatever the action or job, once the request has passed authentication and rate limits.
// A listing read page by page thus fails at the page whose request takes the fault.
func (s *Server) QueueFaults(f ...Fault) { s.ep.queueFaults(f) }

// SetLatency adds d before every answer, as a slow network would.
func (s *Server) SetLatency(d time.Duration) { s.ep.setLatency(d) }

// SetRateLimit limits action to perSecond accepted calls in any one-second window of the server
// clock, counted per access key and region (Region, else RegionId), as the service limits an
// account. Calls beyond it answer HTTP 400 Throttling.User "Request was denied due to user flow
// control." in the gateway's shape, after authentication and before queued faults, and are recorded
// with RateLimited set; they do not count against the limit. perSecond <= 0 removes the limit.
func (s *Server) SetRateLimit(action string, perSecond int) { s.ep.setRateLimit(action, perSecond) }

// Requests returns every request received, in arrival order.
func (s *Server) Requests() []Request { return s.ep.requests() }

// RequestsFor returns the requests for action received, in arrival order, failed ones included.
func (s *Server) RequestsFor(action string) []Request {
	var out []Request
	for _, r := range s.Requests() {
		if r.Action == action {
			out = append(out, r)
		}
	}
	return out
}

// ResetRequests forgets the recorded requests.
func (s *Server) ResetRequests() { s.ep.resetRequests() }

// at returns the step that answers a request at now, and when that step began, without moving.
func (tl *timeline) at(now time.Time) (step int, stepStart time.Time, answered int) {
	step, stepStart, answered = tl.step, tl.stepStart, tl.answered
	if !tl.started {
		stepStart = now
	}
	for step < len(tl.steps)-1 {
		st := tl.steps[step]
		byCount := st.Requests > 0 && answered >= st.Requests
		byTime := st.Duration > 0 && !now.Before(stepStart.Add(st.Duration))
		if !byCount && !byTime {
			break
		}
		if byTime {
			stepStart = stepStart.Add(st.Duration)
		} else {
			stepStart = now
		}
		step++
		answered = 0
	}
	return step, stepStart, answered
}

// peek is the step that would answer at now; ok is false for a timeline without steps.
func (tl *timeline) peek(now time.Time) (Step, bool) {
	if len(tl.steps) == 0 {
		return Step{}, false
	}
	step, _, _ := tl.at(now)
	return tl.steps[step], true
}

// advance moves the timeline for one answer at now and returns the step that answers it.
func (tl *timeline) advance(now time.Time) (Step, bool) {
	if len(tl.steps) == 0 {
		return Step{}, false
	}
	tl.step, tl.stepStart, tl.answered = tl.at(now)
	tl.started = true
	tl.answered++
	return tl.steps[tl.step], true
}

// step advances the job's timeline for one request at now and returns the step that answers it.
func (s *Server) step(id, region string, now time.Time) (Step, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	js, ok := s.jobs[id]
	if !ok || (js.job.Region != "" && js.job.Region != region) {
		return Step{}, false
	}
	st, ok := js.tl.advance(now)
	if !ok {
		return notStartedStep(id), true
	}
	return st, true
}

// notStartedStep answers for a legacy job defined without steps.
func notStartedStep(id string) Step {
	return Step{Body: State{JobStatus: "NotStarted"}.Body(id)}
}

// describeMigrationJobStatus answers an authenticated DescribeMigrationJobStatus call.
func (s *Server) describeMigrationJobStatus(x *exchange) {
	id := x.params.Get("MigrationJobId")
	if id == "" {
		x.gatewayError(http.StatusBadRequest, "MissingParameter", "MigrationJobId is mandatory for this action.")
		return
	}
	if token := x.params.Get("ClientToken"); len(token) > maxClientTokenLen || !isASCII(token) {
		x.gatewayError(http.StatusBadRequest, "InvalidParameter", "Specified parameter ClientToken is not valid.")
		return
	}
	st, ok := s.step(id, x.params.Get("RegionId"), s.clock())
	if !ok {
		// DTS reports an unknown job in its own shape, with HTTP 200.
		x.dtsError(http.StatusOK, "InvalidJobId", "The specified job does not exist.")
		return
	}
	body, requestID, err := st.render(x.requestID)
	if err != nil {
		x.gatewayError(http.StatusInternalServerError, "InternalError", "fakedts: the step's Body cannot be encoded: "+err.Error())
		return
	}
	if requestID != "" {
		x.requestID = requestID
	}
	x.write(http.StatusOK, body, "")
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// render returns the step's answer and the RequestId it carries, if any; the service's own fields
// are added to objects that lack them.
func (st Step) render(requestID string) ([]byte, string, error) {
	if st.Raw != nil {
		return st.Raw, "", nil
	}
	switch b := st.Body.(type) {
	case json.RawMessage:
		return b, "", nil
	case []byte:
		return b, "", nil
	}
	body := []byte("{}")
	if st.Body != nil {
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(st.Body); err != nil {
			return nil, "", err
		}
		body = bytes.TrimSpace(buf.Bytes())
	}
	fields, isObject := objectFields(body)
	if !isObject {
		return body, "", nil
	}
	var own string
	if raw, ok := fields["RequestId"]; ok {
		_ = json.Unmarshal(raw, &own)
	}
	// Splice the missing fields in front so the body's own field order is kept.
	var prefix bytes.Buffer
	if own == "" && fields["RequestId"] == nil {
		prefix.WriteString(`"RequestId":`)
		prefix.Write(marshalJSON(requestID))
		prefix.WriteByte(',')
		own = requestID
	}
	if fields["Success"] == nil {
		prefix.WriteString(`"Success":true,`)
	}
	if prefix.Len() == 0 {
		return body, own, nil
	}
	out := make([]byte, 0, len(body)+prefix.Len())
	out = append(out, '{')
	if len(fields) == 0 {
		out = append(out, bytes.TrimSuffix(prefix.Bytes(), []byte(","))...)
		return append(out, '}'), own, nil
	}
	out = append(out, prefix.Bytes()...)
	return append(out, body[1:]...), own, nil
}

// objectFields decodes body's top-level fields when body is a JSON object.
func objectFields(body []byte) (map[string]json.RawMessage, bool) {
	var fields map[string]json.RawMessage
	if len(body) == 0 || body[0] != '{' {
		return nil, false
	}
	if err := json.Unmarshal(body, &fields); err != nil {
		return nil, false
	}
	return fields, true
}

package fakedts

import (
	"encoding/json"
	"maps"
	"net/http"
	"strings"
)

// ActionDescribeDtsJobDetail describes one current-API job (a DtsJob) with its sub-jobs.
//
// DtsJobId is required (400 MissingParameter); SyncSubJobHistory, when sent, is true or false
// (400 InvalidParameter; the fake keeps no history, so both list the same sub-jobs). A job that is not
// defined, or that has a Region other than RegionId (an absent RegionId differs too), answers in DTS's
// own shape with HTTP 200: ErrCode Forbidden.InstanceNotFound. Otherwise the answer is the Detail of
// the step that DescribeDtsJobs answered last (before the job's first listing, the step it would
// answer now). This call does not move the timeline, so a read that lists the job and then describes
// it sees one moment of it, even across a step's end. A step without a Detail is described from its
// item: the job without sub-jobs, its Delay in milliseconds.
const ActionDescribeDtsJobDetail = "DescribeDtsJobDetail"

// DtsDetail is a job's DescribeDtsJobDetail answer at one moment; Body renders it with the call's wire
// types: Delay in milliseconds (a JSON number), the job's Checkpoint a number, the sub-jobs' a string.
type DtsDetail struct {
	// Job is the job itself. The answer keeps what this call reports at its top level: status, delay,
	// checkpoint, DataSynchronizationStatus, MigrationMode (four flags), RetryState and the endpoints;
	// the Job's Extra fields are set last.
	Job DtsState
	// TaskType is the job's TaskType, such as Distributed_xxx; empty leaves it out.
	TaskType string
	// Distributed are listed as SubDistributedJob, the shards of a distributed synchronization; Sync as
	// SubSyncJob, the sub-job that initializes objects added to the job. Nil leaves a list out, as the
	// service does for a job without such sub-jobs.
	Distributed, Sync []DtsSubJob
	// DelaysInSeconds sends every Delay in seconds, as the SDK's method summary says this call does for
	// synchronization jobs, instead of the documented milliseconds.
	DelaysInSeconds bool
}

// DtsSubJob is one sub-job of a DtsDetail: its ID and its state, rendered like a job's with the
// sub-job's own wire forms (RetryState.ErrMsg, a four-flag MigrationMode, no data-check stages) and
// its Extra fields last.
type DtsSubJob struct {
	ID string
	DtsState
	// DelayMillis, when set, is the Delay sent, overriding State.Delay (which is in seconds).
	DelayMillis *int64
}

// Body renders the answer for jobID, without RequestId and Success, which the server adds.
func (d DtsDetail) Body(jobID string) map[string]any {
	body := d.Job.item(jobID)
	for _, k := range []string{"PrecheckStatus", "StructureInitializationStatus", "DataInitializationStatus",
		"FullDataCheckStatus", "IncDataCheckStatus", "ErrorDetails", "OriginType", "Performance"} {
		delete(body, k)
	}
	body["HttpStatusCode"] = http.StatusOK
	body["DtsInstanceID"] = "dts" + jobID
	body["JobType"] = "sync"
	body["SynchronizationDirection"] = "Forward"
	if d.TaskType != "" {
		body["TaskType"] = d.TaskType
	}
	body["MigrationMode"] = fourFlags(body["MigrationMode"])
	body["RetryState"] = retryState(d.Job, jobID, "ErrMessage")
	if d.Job.Delay != nil {
		body["Delay"] = d.delay(*d.Job.Delay, nil)
	}
	if d.Job.Checkpoint != 0 {
		body["Checkpoint"] = d.Job.Checkpoint
	}
	if d.Distributed != nil {
		body["SubDistributedJob"] = d.subJobs(d.Distributed)
	}
	if d.Sync != nil {
		body["SubSyncJob"] = d.subJobs(d.Sync)
	}
	maps.Copy(body, d.Job.Extra)
	return body
}

func (d DtsDetail) subJobs(subs []DtsSubJob) []map[string]any {
	out := make([]map[string]any, 0, len(subs))
	for _, sub := range subs {
		item := sub.item(sub.ID)
		for _, k := range []string{"FullDataCheckStatus", "IncDataCheckStatus", "ErrorDetails"} {
			delete(item, k)
		}
		item["DtsInstanceID"] = "dts" + sub.ID
		item["JobType"] = "SYNC"
		item["TaskType"] = "rds"
		item["MigrationMode"] = fourFlags(item["MigrationMode"])
		item["RetryState"] = retryState(sub.DtsState, sub.ID, "ErrMsg")
		delete(item, "Delay")
		if sub.Delay != nil || sub.DelayMillis != nil {
			item["Delay"] = d.delay(valueOr(sub.Delay), sub.DelayMillis)
		}
		maps.Copy(item, sub.Extra)
		out = append(out, item)
	}
	return out
}

// delay is a Delay as this answer sends it: seconds in milliseconds, unless DelaysInSeconds.
func (d DtsDetail) delay(seconds int64, millis *int64) int64 {
	switch {
	case millis != nil && d.DelaysInSeconds:
		return (*millis + 999) / 1000
	case millis != nil:
		return *millis
	case d.DelaysInSeconds:
		return seconds
	}
	return seconds * 1000
}

func valueOr(p *int64) int64 {
	if p == nil {
		return 0
	}
	return *p
}

// fourFlags is MigrationMode as this call sends it: without the data-check flags, with the ETL one.
func fourFlags(mode any) map[string]any {
	m, _ := mode.(map[string]any)
	return map[string]any{
		"StructureInitialization":  m["StructureInitialization"],
		"DataInitialization":       m["DataInitialization"],
		"DataSynchronization":      m["DataSynchronization"],
		"DataExtractTransformLoad": false,
	}
}

// retryState is RetryState with its error under errName: ErrMessage at the top, ErrMsg in sub-jobs.
func retryState(st DtsState, id, errName string) map[string]any {
	return map[string]any{
		"Retrying": st.Retrying, "RetryCount": st.RetryCount, "MaxRetryTime": 43200, "RetryTime": st.RetryTime,
		"RetryTarget": st.RetryTarget, "Module": st.RetryModule, errName: st.RetryError, "JobId": id,
	}
}

// detail renders the job's DescribeDtsJobDetail answer for step; the caller holds the server's lock.
func (js *dtsJobState) detail(id string, st Step, hasStep bool) (any, error) {
	if hasStep && st.Detail != nil {
		raw, obj, err := itemBytes(st.Detail)
		if err != nil || obj == nil {
			return json.RawMessage(raw), err
		}
		obj["DtsJobId"] = id
		if js.job.Name != "" {
			obj["DtsJobName"] = js.job.Name
		}
		return obj, nil
	}
	raw, err := js.item(id, st, hasStep)
	if err != nil {
		return nil, err
	}
	item := decodeJSONObject(raw)
	if item == nil {
		return json.RawMessage(`{"DtsJobId":` + string(marshalJSON(id)) + `}`), nil
	}
	return derivedDetail(item), nil
}

// derivedDetail describes a job from its DescribeDtsJobs item: the fields this call shares with it,
// Delay in milliseconds, and no sub-jobs.
func derivedDetail(item map[string]any) map[string]any {
	out := map[string]any{"HttpStatusCode": http.StatusOK, "JobType": "sync", "SynchronizationDirection": "Forward"}
	for _, k := range []string{"DtsJobId", "DtsInstanceID", "DtsJobName", "Status", "DtsJobClass", "DtsJobDirection",
		"PayType", "CreateTime", "ExpireTime", "ErrorMessage", "DbObject", "Reserved", "DataSynchronizationStatus",
		"SourceEndpoint", "DestinationEndpoint", "ResourceGroupId", "DedicatedClusterId", "DtsBisLabel"} {
		if v, ok := item[k]; ok {
			out[k] = v
		}
	}
	out["MigrationMode"] = fourFlags(item["MigrationMode"])
	if rs, ok := item["RetryState"].(map[string]any); ok {
		out["RetryState"] = rs
	}
	if n, ok := item["Delay"].(json.Number); ok {
		if v, err := n.Int64(); err == nil {
			out["Delay"] = v * 1000
		}
	}
	if n, err := json.Number(text(item, "Checkpoint")).Int64(); err == nil {
		out["Checkpoint"] = n
	}
	return out
}

// describeDtsJobDetail answers an authenticated DescribeDtsJobDetail call, as its Action constant describes.
func (s *Server) describeDtsJobDetail(x *exchange) {
	p := x.params
	id := p.Get("DtsJobId")
	if id == "" {
		x.gatewayError(http.StatusBadRequest, "MissingParameter", "DtsJobId is mandatory for this action.")
		return
	}
	if h := strings.ToLower(p.Get("SyncSubJobHistory")); h != "" && h != "true" && h != "false" {
		x.gatewayError(http.StatusBadRequest, "InvalidParameter", "Specified parameter SyncSubJobHistory is not valid.")
		return
	}
	now := s.clock()
	s.mu.Lock()
	js, ok := s.dtsJobs[id]
	if ok && js.job.Region != "" && js.job.Region != p.Get("RegionId") {
		ok = false
	}
	var detail any
	var err error
	if ok {
		st, hasStep := js.tl.peek(now)
		if js.tl.started {
			// The moment the last listing showed, whatever has passed since, so both calls agree.
			st = js.tl.steps[js.tl.step]
		}
		detail, err = js.detail(id, st, hasStep)
	}
	s.mu.Unlock()
	if !ok {
		x.dtsError(http.StatusOK, "Forbidden.InstanceNotFound", "The specified instance is not found.")
		return
	}
	var body []byte
	var requestID string
	if err == nil {
		body, requestID, err = Step{Body: detail}.render(x.requestID)
	}
	if err != nil {
		x.gatewayError(http.StatusInternalServerError, "InternalError", "fakedts: a job's detail cannot be encoded: "+err.Error())
		return
	}
	if requestID != "" {
		x.requestID = requestID
	}
	x.write(http.StatusOK, body, "")
}

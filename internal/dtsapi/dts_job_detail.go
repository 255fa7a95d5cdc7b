package dtsapi

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
)

// DescribeDtsJobDetail describes one job with its sub-jobs: the shards of a distributed
// synchronization (SubDistributedJob) and the sub-job that initializes objects added to a running
// synchronization (SubSyncJob). Its delays are documented in milliseconds, DescribeDtsJobs' in
// seconds; the SDK's own comments disagree, so a read checks the unit (see ReadSubJobs).

// Sub-job kinds: which list of DescribeDtsJobDetail a sub-job came from.
const (
	SubJobDistributed = "distributed"
	SubJobSync        = "sync"
)

// DescribeDtsJobDetailRequest names the job to describe.
type DescribeDtsJobDetailRequest struct {
	DtsJobID string
	// RegionID is the job's region; the client's when empty.
	RegionID string
}

// DtsJobDetail is DescribeDtsJobDetail's answer: the job as this call sees it, and its sub-jobs. Only
// what a gate on the sub-jobs needs is decoded; the rest of the answer is left unread.
type DtsJobDetail struct {
	Envelope
	DtsJobID String `json:"DtsJobId"`
	Status   String `json:"Status"`
	// JobType is sync, or subSync for a sub-job asked for by its own ID.
	JobType  String `json:"JobType"`
	TaskType String `json:"TaskType"`
	// Delay is the job's incremental latency, documented in milliseconds.
	Delay Int `json:"Delay"`
	// Checkpoint is a Unix time in seconds, a number here (a string elsewhere).
	Checkpoint Int `json:"Checkpoint"`
	// SubDistributedJob are the shards of a distributed synchronization; SubSyncJob the sub-job that
	// initializes objects added to the job (only the running or latest one: SyncSubJobHistory=false).
	SubDistributedJob List[DistributedSubJob] `json:"SubDistributedJob"`
	SubSyncJob        List[SyncSubJob]        `json:"SubSyncJob"`
}

// SubJob is one sub-job of DescribeDtsJobDetail, shaped like a job: it shares the job's fields
// (JobCore), with the job's stage, precheck, retry and endpoint types.
type SubJob struct {
	// JobCore holds the fields a sub-job shares with a DescribeDtsJobs item.
	JobCore
	// JobType is online (migration), SYNC or SUBSCRIBE; TaskType is free text such as rds.
	JobType  String `json:"JobType"`
	TaskType String `json:"TaskType"`
	// Delay is the sub-job's incremental latency, documented in milliseconds: read it through
	// SubJobRead.DelaySeconds.
	Delay                    Int    `json:"Delay"`
	FinishTime               String `json:"FinishTime"`
	SynchronizationDirection String `json:"SynchronizationDirection"`
}

// DistributedSubJob is an item of SubDistributedJob, which may arrive wrapped as {"SubDistributedJob": [...]}.
type DistributedSubJob struct{ SubJob }

func (DistributedSubJob) listKey() string { return "SubDistributedJob" }

// SyncSubJob is an item of SubSyncJob, which may arrive wrapped as {"SubSyncJob": [...]}.
type SyncSubJob struct{ SubJob }

func (SyncSubJob) listKey() string { return "SubSyncJob" }

// DescribeDtsJobDetail describes one job with its sub-jobs; SyncSubJobHistory is false, so only the
// running or latest sub-sync-job is listed. A failed call returns a *Error.
func (c *Client) DescribeDtsJobDetail(ctx context.Context, req DescribeDtsJobDetailRequest) (*DtsJobDetail, error) {
	if req.DtsJobID == "" {
		return nil, &Error{Code: "MissingParameter", Message: "DtsJobId is required"}
	}
	p := c.params("DescribeDtsJobDetail", req.RegionID, "RegionId")
	p.add("DtsJobId", req.DtsJobID)
	p.add("SyncSubJobHistory", "false")
	return call[DtsJobDetail](ctx, c, p)
}

// SubJobRead is one sub-job as a read takes it: which list it came from, and its delay in seconds.
type SubJobRead struct {
	*SubJob
	// Kind is SubJobDistributed or SubJobSync.
	Kind string
	// DelaySeconds is Delay in seconds: milliseconds rounded up, so that a lag is never understated,
	// or as sent when the read found the detail call reporting seconds.
	DelaySeconds Int
}

// SubJobsRead is a job's sub-jobs as one DescribeDtsJobDetail answer lists them.
type SubJobsRead struct {
	// Items are the distributed sub-jobs, then the sub-sync-jobs, each in the service's order.
	Items []SubJobRead
	// RequestID is the detail answer's request ID.
	RequestID String
	// DetailDelay is the job's own Delay in the detail answer, as sent.
	DetailDelay Int
	// DelaysInSeconds says that the read took the detail's delays as seconds, not milliseconds.
	DelaysInSeconds bool
	// UnitWarning, when set, says why: the two calls' readings of the job's delay, for a warning.
	UnitWarning string
	// Unread says which sub-jobs of the answer could not be read: a list that was not a list, or
	// elements that were not objects, with excerpts; "" when every one was. They are not in Items.
	Unread string
}

// ReadSubJobs takes a detail answer's sub-jobs, converting their delays to seconds. jobDelay is the
// job's delay, in seconds, from the DescribeDtsJobs answer of the same read: when it is 2 s or more and
// the detail's own Delay for the job is less than 100 times it, the detail call is reporting seconds,
// and every sub-job delay is taken as seconds (the reference says milliseconds; see DetailDelayInSeconds).
func ReadSubJobs(d *DtsJobDetail, jobID string, jobDelay Int) *SubJobsRead {
	r := &SubJobsRead{RequestID: d.RequestID, DetailDelay: d.Delay, DelaysInSeconds: DetailDelayInSeconds(jobDelay, d.Delay)}
	if r.DelaysInSeconds {
		r.UnitWarning = fmt.Sprintf("DescribeDtsJobs reports a delay of %d s for job %q, and DescribeDtsJobDetail a delay of %d "+
			"for it, which would be %s if it were milliseconds, as DescribeDtsJobDetail is documented to report: that answer "+
			"reports seconds, so this read took every sub-job delay in it as seconds.",
			jobDelay.Val, jobID, d.Delay.Val, secondsText(d.Delay.Val))
	}
	r.Items = make([]SubJobRead, 0, len(d.SubDistributedJob.Items)+len(d.SubSyncJob.Items))
	for i := range d.SubDistributedJob.Items {
		r.Items = append(r.Items, r.read(&d.SubDistributedJob.Items[i].SubJob, SubJobDistributed))
	}
	for i := range d.SubSyncJob.Items {
		r.Items = append(r.Items, r.read(&d.SubSyncJob.Items[i].SubJob, SubJobSync))
	}
	r.Unread = strings.Join(slices.DeleteFunc([]string{
		unreadItems("SubDistributedJob", d.SubDistributedJob.Bad, d.SubDistributedJob.Skipped),
		unreadItems("SubSyncJob", d.SubSyncJob.Bad, d.SubSyncJob.Skipped),
	}, func(s string) bool { return s == "" }), "; ")
	return r
}

// unreadItems describes what of a sub-job list could not be read, or "" when all of it was.
func unreadItems(list, bad string, skipped []string) string {
	switch {
	case bad != "":
		return fmt.Sprintf("%s is not a list: %s", list, bad)
	case len(skipped) > 0:
		return fmt.Sprintf("%d element(s) of %s are not objects, the first: %s", len(skipped), list, skipped[0])
	}
	return ""
}

func (r *SubJobsRead) read(s *SubJob, kind string) SubJobRead {
	delay := s.Delay
	if delay.Set && !r.DelaysInSeconds {
		delay.Val = SecondsFromMilliseconds(delay.Val)
	}
	return SubJobRead{SubJob: s, Kind: kind, DelaySeconds: delay}
}

// DetailDelayInSeconds reports whether a DescribeDtsJobDetail answer reports its delays in seconds
// rather than the documented milliseconds, from the same job's delay in the two calls: jobsDelay
// from DescribeDtsJobs (seconds), detailDelay from DescribeDtsJobDetail. A lag of 2 s or more reads
// at least 2000 in milliseconds; a detail figure below 100 times the seconds leaves a tenfold margin
// for the lag changing between the calls. Below 2 s, or without both figures, it cannot tell, and
// the documented milliseconds stand.
func DetailDelayInSeconds(jobsDelay, detailDelay Int) bool {
	return jobsDelay.Set && detailDelay.Set && jobsDelay.Val >= 2 && detailDelay.Val < 100*jobsDelay.Val
}

// SecondsFromMilliseconds converts a delay to seconds, rounding up so that a lag is never understated.
func SecondsFromMilliseconds(ms int64) int64 {
	s := ms / 1000
	if ms%1000 > 0 {
		s++
	}
	return s
}

// secondsText is a delay in milliseconds as the seconds a person reads.
func secondsText(ms int64) string {
	return fmt.Sprintf("%d s", SecondsFromMilliseconds(ms))
}

// SubJobsNotFoundError says that DescribeDtsJobDetail does not know a job that DescribeDtsJobs has
// just listed: asking again will not change that, so it ends a wait.
type SubJobsNotFoundError struct {
	DtsJobID, Region string
	// Err is the detail call's error; nil when it answered about another job, or about none.
	Err error
	// Answered is the DtsJobId the detail call answered with, when it answered.
	Answered string
}

func (e *SubJobsNotFoundError) Error() string {
	var what string
	switch {
	case e.Err != nil:
		what = e.Err.Error()
	case e.Answered != "":
		what = fmt.Sprintf("it answered about job %q instead", e.Answered)
	default:
		what = "its answer names no job"
	}
	return fmt.Sprintf("DescribeDtsJobs lists job %q in region %s, but DescribeDtsJobDetail does not describe it: %s", e.DtsJobID, e.Region, what)
}

// Unwrap returns the detail call's error, if any.
func (e *SubJobsNotFoundError) Unwrap() error { return e.Err }

// jobNotFound says whether a detail call's error says the job does not exist (an InvalidJobId, or a
// code naming something not found other than the access key).
func jobNotFound(err error) bool {
	var apiErr *Error
	if !errors.As(err, &apiErr) || apiErr.Retryable {
		return false
	}
	return apiErr.Code == CodeInvalidJobID || strings.Contains(apiErr.Code, "NotFound") && !strings.HasPrefix(apiErr.Code, "InvalidAccessKeyId")
}

// describeSubJobs reads the sub-jobs of a job that DescribeDtsJobs has just returned.
func (c *Client) describeSubJobs(ctx context.Context, job *DtsJob, region string) (*SubJobsRead, error) {
	id := job.DtsJobID.Val
	d, err := c.DescribeDtsJobDetail(ctx, DescribeDtsJobDetailRequest{DtsJobID: id, RegionID: region})
	region = cmp.Or(region, c.cfg.RegionID)
	switch {
	case err != nil && jobNotFound(err):
		return nil, &SubJobsNotFoundError{DtsJobID: id, Region: region, Err: err}
	case err != nil:
		return nil, err
	case d.DtsJobID.Val != id:
		// An answer about no job, or another, would leave the gate looking at sub-jobs it was not asked about.
		return nil, &SubJobsNotFoundError{DtsJobID: id, Region: region, Answered: d.DtsJobID.Val}
	}
	return ReadSubJobs(d, id, job.Delay), nil
}

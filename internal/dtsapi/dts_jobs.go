package dtsapi

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// Job types of the current API, as DescribeDtsJobs takes and returns them.
const (
	JobTypeMigration       = "MIGRATION"
	JobTypeSynchronization = "SYNC"
	JobTypeSubscription    = "SUBSCRIBE"
)

// DtsJobsPageSize is the page size every version of DescribeDtsJobs' documentation accepts.
const DtsJobsPageSize = 30

// DescribeDtsJobsRequest holds the parameters of one DescribeDtsJobs call. Empty strings and a nil
// map are not sent.
type DescribeDtsJobsRequest struct {
	// RegionID is sent as both Region and RegionId; the client's region when empty.
	RegionID string
	// JobType is MIGRATION, SYNC or SUBSCRIBE; the service assumes MIGRATION when it is empty.
	JobType string
	// DtsJobID narrows the page to that job; the caller must still match DtsJobId exactly.
	DtsJobID      string
	DtsInstanceID string
	// Name is sent as Type=name, Params=Name: the service's fuzzy match on the job's name.
	Name string
	// Status is one job status.
	Status string
	// Tags are sent as Tags, a JSON array of {"key","value"} objects.
	Tags map[string]string
	// PageSize and PageNumber default to DtsJobsPageSize and 1.
	PageSize   int
	PageNumber int
}

// DtsJobs is one page of DescribeDtsJobs.
type DtsJobs struct {
	Envelope
	DtsJobList       List[DtsJob] `json:"DtsJobList"`
	PageNumber       Int          `json:"PageNumber"`
	PageRecordCount  Int          `json:"PageRecordCount"`
	TotalRecordCount Int          `json:"TotalRecordCount"`
}

// JobCore is what a DescribeDtsJobs item and a DescribeDtsJobDetail sub-job share: the fields both
// send under the same name, in the same form and with the same meaning. DtsJob and SubJob embed it,
// so each is declared once. Delay is not here (a job's is in seconds, a sub-job's in milliseconds),
// nor JobType (a sub-job spells a migration online, a job MIGRATION).
type JobCore struct {
	DtsJobID      String `json:"DtsJobId"`
	DtsInstanceID String `json:"DtsInstanceID"`
	DtsJobName    String `json:"DtsJobName"`
	Status        String `json:"Status"`
	ErrorMessage  String `json:"ErrorMessage"`
	// Checkpoint is the Unix time, in seconds, of the incremental position (sent as a string).
	Checkpoint Int      `json:"Checkpoint"`
	CreateTime String   `json:"CreateTime"`
	DbObject   JSONText `json:"DbObject"`

	MigrationMode                 Object[MigrationMode] `json:"MigrationMode"`
	PrecheckStatus                Object[Precheck]      `json:"PrecheckStatus"`
	StructureInitializationStatus Object[StageStatus]   `json:"StructureInitializationStatus"`
	DataInitializationStatus      Object[StageStatus]   `json:"DataInitializationStatus"`
	DataSynchronizationStatus     Object[StageStatus]   `json:"DataSynchronizationStatus"`
	// RetryState spells its error ErrMessage in a job, ErrMsg in a sub-job; RetryState.Message reads either.
	RetryState          Object[RetryState] `json:"RetryState"`
	SourceEndpoint      Object[Endpoint]   `json:"SourceEndpoint"`
	DestinationEndpoint Object[Endpoint]   `json:"DestinationEndpoint"`
}

// DtsJob is one job of the current API: a data migration, synchronization or change tracking job.
type DtsJob struct {
	// JobCore holds the fields a job shares with a DescribeDtsJobDetail sub-job.
	JobCore
	// JobType is MIGRATION, SYNC or SUBSCRIBE.
	JobType         String `json:"JobType"`
	DtsJobClass     String `json:"DtsJobClass"`
	DtsJobDirection String `json:"DtsJobDirection"`
	// Delay is the incremental latency in seconds.
	Delay              Int               `json:"Delay"`
	ExpireTime         String            `json:"ExpireTime"`
	PayType            String            `json:"PayType"`
	ErrorDetails       List[ErrorDetail] `json:"ErrorDetails"`
	OriginType         String            `json:"OriginType"`
	ResourceGroupID    String            `json:"ResourceGroupId"`
	ResourceGroupName  String            `json:"ResourceGroupDisplayName"`
	DedicatedClusterID String            `json:"DedicatedClusterId"`
	// Reserved is JSON text of further DTS settings (retry window, SSL flags, network types).
	Reserved JSONText `json:"Reserved"`
	// DtsBisLabel is the instance's environment label: normal or online.
	DtsBisLabel String `json:"DtsBisLabel"`
	// EtlSafeCheckpoint is the ETL checkpoint, kept as sent.
	EtlSafeCheckpoint String `json:"EtlSafeCheckpoint"`
	// AppName, BeginTimestamp, EndTimestamp and the Consumption fields describe a change tracking job.
	AppName               String `json:"AppName"`
	BeginTimestamp        String `json:"BeginTimestamp"`
	EndTimestamp          String `json:"EndTimestamp"`
	ConsumptionCheckpoint String `json:"ConsumptionCheckpoint"`
	ConsumptionClient     String `json:"ConsumptionClient"`
	// CPUUsage (percent), MemUsage (MB) and DuRealUsage (percent text) are kept as sent.
	CPUUsage    String `json:"CpuUsage"`
	MemUsage    String `json:"MemUsage"`
	DuRealUsage String `json:"DuRealUsage"`
	// DuUsage is the DTS units used; MaxDu and MinDu bound a serverless instance's.
	DuUsage Int   `json:"DuUsage"`
	MaxDu   Float `json:"MaxDu"`
	MinDu   Float `json:"MinDu"`
	// MigrationError is the job's structured error, its six fields at the item's top level.
	MigrationError

	DataEtlStatus            Object[StageStatus] `json:"DataEtlStatus"`
	DataCloudStatus          Object[StageStatus] `json:"DataCloudStatus"`
	FullDataCheckStatus      Object[StageStatus] `json:"FullDataCheckStatus"`
	IncDataCheckStatus       Object[StageStatus] `json:"IncDataCheckStatus"`
	StructureDataCheckStatus Object[StageStatus] `json:"StructureDataCheckStatus"`
	Performance              Object[Performance] `json:"Performance"`
	TagList                  List[Tag]           `json:"TagList"`
	// ReverseJob is the reverse direction of a two-way synchronization, shaped like a job.
	ReverseJob Object[DtsJob] `json:"ReverseJob"`
}

func (DtsJob) listKey() string { return "DtsJob" }

// Precheck is a current-API job's precheck, with its items.
type Precheck struct {
	Status       String          `json:"Status"`
	Percent      Int             `json:"Percent"`
	ErrorMessage String          `json:"ErrorMessage"`
	Detail       List[CheckItem] `json:"Detail"`
}

// CheckItem is one item of a current-API precheck.
type CheckItem struct {
	CheckItem            String `json:"CheckItem"`
	CheckItemDescription String `json:"CheckItemDescription"`
	// CheckResult is Success or Failed.
	CheckResult  String `json:"CheckResult"`
	FailedReason String `json:"FailedReason"`
	RepairMethod String `json:"RepairMethod"`
}

func (CheckItem) listKey() string { return "CheckItem" }

// StageStatus is one stage of a current-API job. Progress is free text (a count, a ratio or a
// rate). The documentation shows CanSwitch on the full data check and NeedUpgrade on
// synchronization, ETL, initialization and the data-cloud stage; either may come with any stage.
type StageStatus struct {
	Status       String `json:"Status"`
	Percent      Int    `json:"Percent"`
	Progress     String `json:"Progress"`
	ErrorMessage String `json:"ErrorMessage"`
	CanSwitch    Bool   `json:"CanSwitch"`
	NeedUpgrade  Bool   `json:"NeedUpgrade"`
}

// RetryState says whether DTS is retrying on its own after an error, and why.
type RetryState struct {
	Retrying     Bool   `json:"Retrying"`
	RetryCount   Int    `json:"RetryCount"`
	MaxRetryTime Int    `json:"MaxRetryTime"`
	RetryTime    Int    `json:"RetryTime"`
	RetryTarget  String `json:"RetryTarget"`
	Module       String `json:"Module"`
	// ErrMessage is the error being retried; DescribeDtsJobDetail's sub-jobs spell it ErrMsg.
	ErrMessage String `json:"ErrMessage"`
	ErrMsg     String `json:"ErrMsg"`
	// JobID is the ID of the task being retried.
	JobID String `json:"JobId"`
	MigrationError
}

// Message is the error being retried, under either of its wire names.
func (r *RetryState) Message() String {
	if r.ErrMessage.Set || r.ErrMessage.Bad != "" {
		return r.ErrMessage
	}
	return r.ErrMsg
}

// MigrationError is DTS's structured error: a code, its category, a message and a workaround (both
// message keys rather than prose), and the help document for the code. Its fields sit directly in
// the object that carries them (a job, its RetryState), so it is embedded.
type MigrationError struct {
	MigrationErrCode       String `json:"MigrationErrCode"`
	MigrationErrType       String `json:"MigrationErrType"`
	MigrationErrMsg        String `json:"MigrationErrMsg"`
	MigrationErrWorkaround String `json:"MigrationErrWorkaround"`
	MigrationErrHelpDocID  String `json:"MigrationErrHelpDocId"`
	MigrationErrHelpDocKey String `json:"MigrationErrHelpDocKey"`
}

// Sent reports whether the service sent any of the error's fields (a value, or one it could not use).
func (m *MigrationError) Sent() bool {
	for _, f := range [...]*String{&m.MigrationErrCode, &m.MigrationErrType, &m.MigrationErrMsg,
		&m.MigrationErrWorkaround, &m.MigrationErrHelpDocID, &m.MigrationErrHelpDocKey} {
		if f.Set || f.Bad != "" {
			return true
		}
	}
	return false
}

// ErrorDetail is a documented error code of a failed job, with its help page.
type ErrorDetail struct {
	ErrorCode String `json:"ErrorCode"`
	HelpURL   String `json:"HelpUrl"`
}

func (ErrorDetail) listKey() string { return "ErrorDetail" }

// Performance is a job's throughput, kept as sent: Flow in MB/s, Rps in statements per second.
type Performance struct {
	Flow String `json:"Flow"`
	Rps  String `json:"Rps"`
}

// Tag is one tag of a current-API job.
type Tag struct {
	TagKey   String `json:"TagKey"`
	TagValue String `json:"TagValue"`
}

func (Tag) listKey() string { return "Tag" }

// DescribeDtsJobs reads one page of current-API jobs. A failed call returns a *Error.
func (c *Client) DescribeDtsJobs(ctx context.Context, req DescribeDtsJobsRequest) (*DtsJobs, error) {
	p := c.params("DescribeDtsJobs", req.RegionID, "Region", "RegionId")
	p.add("JobType", req.JobType)
	p.add("DtsJobId", req.DtsJobID)
	p.add("DtsInstanceId", req.DtsInstanceID)
	if req.Name != "" {
		p.add("Type", "name")
		p.add("Params", req.Name)
	}
	p.add("Status", req.Status)
	if len(req.Tags) > 0 {
		p.add("Tags", tagsJSON(req.Tags))
	}
	p.add("PageSize", strconv.Itoa(orDefault(req.PageSize, DtsJobsPageSize)))
	p.add("PageNumber", strconv.Itoa(orDefault(req.PageNumber, 1)))
	return call[DtsJobs](ctx, c, p)
}

// tagsJSON renders tags as DescribeDtsJobs' Tags parameter, sorted by key so requests are stable.
func tagsJSON(tags map[string]string) string {
	type kv struct {
		Key   string `json:"key"`
		Value string `json:"value"`
	}
	list := make([]kv, 0, len(tags))
	for k, v := range tags {
		list = append(list, kv{k, v})
	}
	sort.Slice(list, func(i, j int) bool { return list[i].Key < list[j].Key })
	b, _ := json.Marshal(list) // strings only: cannot fail
	return string(b)
}

func orDefault(v, def int) int {
	if v <= 0 {
		return def
	}
	return v
}

// DescribeDtsJobRequest names one current-API job to read.
type DescribeDtsJobRequest struct {
	DtsJobID string
	// RegionID is the job's region; the client's when empty.
	RegionID string
	// JobTypes are asked in order until one has the job: MIGRATION, SYNC or SUBSCRIBE.
	JobTypes []string
	// SubJobs asks for the job's sub-jobs too, with DescribeDtsJobDetail once the job is found.
	SubJobs bool
}

// DtsJobRead is one job and the answer it was found in.
type DtsJobRead struct {
	Job *DtsJob
	// JobType is the job type whose page held the job.
	JobType string
	// RequestID is that answer's request ID.
	RequestID String
	// SubJobs are the job's sub-jobs when the request asked for them, else nil.
	SubJobs *SubJobsRead
}

// NotFoundError says that no answer held the job: the service filters by DtsJobId only loosely, so a
// job is found only where an item's DtsJobId equals the ID asked for.
type NotFoundError struct {
	DtsJobID, Region string
	JobTypes         []string
}

func (e *NotFoundError) Error() string {
	return fmt.Sprintf("no job with DtsJobId %q among the %s jobs of region %s", e.DtsJobID, strings.Join(e.JobTypes, ", "), e.Region)
}

// DescribeDtsJob reads one current-API job: one DescribeDtsJobs call per job type asked, in order,
// until an item's DtsJobId equals the ID. No such item is a *NotFoundError. With SubJobs, one
// DescribeDtsJobDetail call follows; a job it does not know is a *SubJobsNotFoundError.
func (c *Client) DescribeDtsJob(ctx context.Context, req DescribeDtsJobRequest) (*DtsJobRead, error) {
	if req.DtsJobID == "" {
		return nil, &Error{Code: "MissingParameter", Message: "DtsJobId is required"}
	}
	for _, jobType := range req.JobTypes {
		page, err := c.DescribeDtsJobs(ctx, DescribeDtsJobsRequest{RegionID: req.RegionID, JobType: jobType, DtsJobID: req.DtsJobID})
		if err != nil {
			return nil, err
		}
		for i := range page.DtsJobList.Items {
			if job := &page.DtsJobList.Items[i]; job.DtsJobID.Val == req.DtsJobID {
				read := &DtsJobRead{Job: job, JobType: jobType, RequestID: page.RequestID}
				if req.SubJobs {
					if read.SubJobs, err = c.describeSubJobs(ctx, job, req.RegionID); err != nil {
						return nil, err
					}
				}
				return read, nil
			}
		}
	}
	return nil, &NotFoundError{DtsJobID: req.DtsJobID, Region: cmp.Or(req.RegionID, c.cfg.RegionID), JobTypes: req.JobTypes}
}

package fakedts

import (
	"maps"
	"slices"
	"strings"
)

// DtsState describes a current-API job at one moment; Item renders it as a DescribeDtsJobs
// DtsJobList item, with the documented wire types: Percent, Checkpoint and Port as decimal strings,
// Delay a JSON number, Progress text. A Finished stage with a zero percent reports 100.
type DtsState struct {
	// Status is the job's Status; empty leaves it out.
	Status string
	// Mode says which stages run; nil means schema, full data and incremental, without checks.
	Mode *DtsMode
	// ErrorMessage is the job's ErrorMessage; ErrorDetails its ErrorDetails (an empty list when nil).
	ErrorMessage string
	ErrorDetails []ErrorDetail

	// Precheck is PrecheckStatus.Status; empty leaves PrecheckStatus out. Detail lists the check
	// items done at the percent, as State does, with FailedChecks applied: Name is CheckItem,
	// Status is CheckResult (empty means "Failed"), ErrorMessage is FailedReason.
	Precheck        string
	PrecheckPercent int64
	PrecheckError   string
	FailedChecks    []CheckItem

	// Structure is StructureInitializationStatus.Status; empty leaves the object out.
	Structure         string
	StructurePercent  int64
	StructureProgress string
	StructureError    string

	// Data is DataInitializationStatus.Status; empty leaves the object out.
	Data         string
	DataPercent  int64
	DataProgress string
	DataError    string

	// Sync is DataSynchronizationStatus.Status; empty leaves the object out.
	Sync         string
	SyncPercent  int64
	SyncProgress string
	SyncError    string
	// Delay is the job's Delay in seconds; nil leaves it out.
	Delay *int64
	// Checkpoint is the job's Checkpoint, a Unix time in seconds; 0 leaves it out.
	Checkpoint int64

	// FullCheck is FullDataCheckStatus.Status; empty leaves the object out.
	FullCheck         string
	FullCheckPercent  int64
	FullCheckProgress string
	FullCheckError    string
	CanSwitch         bool

	// IncCheck is IncDataCheckStatus.Status; empty leaves the object out.
	IncCheck         string
	IncCheckPercent  int64
	IncCheckProgress string
	IncCheckError    string

	// Retrying and the Retry fields fill RetryState; RetryError is its ErrMessage.
	Retrying    bool
	RetryCount  int64
	RetryTime   int64
	RetryTarget string
	RetryModule string
	RetryError  string

	// Source and Destination are the endpoints; nil means MySQL on RDS in cn-hangzhou.
	Source, Destination *DtsEndpoint

	// Reverse, for a two-way synchronization, is the reverse task, rendered as ReverseJob with
	// ReverseJobID as its DtsJobId (default: the job's ID with "_reverse" appended).
	Reverse      *DtsState
	ReverseJobID string

	// Extra fields are set on the item last, replacing any of the same name (DataEtlStatus,
	// StructureDataCheckStatus, odd wire values...).
	Extra map[string]any
}

// DtsMode is a DtsJobList item's MigrationMode.
type DtsMode struct {
	StructureInitialization, DataInitialization, DataSynchronization bool
	FullDataCheck, IncDataCheck, StructureDataCheck                  bool
}

// ErrorDetail is one ErrorDetails item.
type ErrorDetail struct {
	Code, HelpURL string
}

// DtsEndpoint is a DtsJobList item's SourceEndpoint or DestinationEndpoint; empty fields are left out.
type DtsEndpoint struct {
	EngineName, InstanceType, InstanceID, IP, Port, DatabaseName, UserName, OracleSID, Region, SSL string
}

// Item renders the state as a DtsJobList item for jobID. The server fills in the job's identity from
// its DtsJob: DtsJobId (its ID in the server), JobType, and when set DtsJobName, DtsInstanceID and
// TagList, plus CreateTime.
func (st DtsState) Item(jobID string) map[string]any {
	item := st.item(jobID)
	item["DtsInstanceID"] = "dts" + jobID
	item["RetryState"] = map[string]any{
		"Retrying": st.Retrying, "RetryCount": st.RetryCount, "MaxRetryTime": 43200, "RetryTime": st.RetryTime,
		"RetryTarget": st.RetryTarget, "Module": st.RetryModule, "ErrMessage": st.RetryError, "JobId": jobID,
	}
	if st.Reverse != nil {
		id := orDefault(st.ReverseJobID, jobID+"_reverse")
		reverse := st.Reverse.item(id)
		reverse["DtsInstanceID"] = "dts" + jobID
		reverse["DtsJobDirection"] = "Reverse"
		item["ReverseJob"] = reverse
	}
	maps.Copy(item, st.Extra)
	return item
}

// item renders what a DtsJobList item and its ReverseJob share.
func (st DtsState) item(jobID string) map[string]any {
	mode := DtsMode{StructureInitialization: true, DataInitialization: true, DataSynchronization: true}
	if st.Mode != nil {
		mode = *st.Mode
	}
	details := make([]map[string]any, 0, len(st.ErrorDetails))
	for _, d := range st.ErrorDetails {
		details = append(details, map[string]any{"ErrorCode": d.Code, "HelpUrl": d.HelpURL})
	}
	item := map[string]any{
		"DtsJobId":        jobID,
		"DtsJobClass":     "large",
		"DtsJobDirection": "Forward",
		"PayType":         "PostPaid",
		"ErrorMessage":    st.ErrorMessage,
		"ErrorDetails":    details,
		"OriginType":      "DTS",
		"DbObject":        `{"dtstestdata":{"name":"dtstestdata","all":true}}`,
		"MigrationMode": map[string]any{
			"StructureInitialization": mode.StructureInitialization,
			"DataInitialization":      mode.DataInitialization,
			"DataSynchronization":     mode.DataSynchronization,
			"FullDataCheck":           mode.FullDataCheck,
			"IncDataCheck":            mode.IncDataCheck,
			"StructureDataCheck":      mode.StructureDataCheck,
		},
		"SourceEndpoint":      st.Source.render("rm-bp1162kryivb8****", "172.16.88.***"),
		"DestinationEndpoint": st.Destination.render("rm-bp1imrtn6fq7h****", "172.16.89.***"),
	}
	if st.Status != "" {
		item["Status"] = st.Status
	}
	if st.Delay != nil {
		item["Delay"] = *st.Delay
	}
	if st.Checkpoint != 0 {
		item["Checkpoint"] = itoa(st.Checkpoint)
	}
	if st.Precheck != "" {
		percent := finishedPercent(st.Precheck, st.PrecheckPercent)
		item["PrecheckStatus"] = map[string]any{
			"Status":       st.Precheck,
			"Percent":      itoa(percent),
			"ErrorMessage": st.PrecheckError,
			"Detail":       dtsCheckItems(st.Precheck, percent, st.FailedChecks),
		}
	}
	if st.Structure != "" {
		item["StructureInitializationStatus"] = dtsStage(st.Structure, st.StructurePercent, st.StructureProgress, st.StructureError)
	}
	if st.Data != "" {
		item["DataInitializationStatus"] = dtsStage(st.Data, st.DataPercent, st.DataProgress, st.DataError)
	}
	if st.Sync != "" {
		sync := dtsStage(st.Sync, st.SyncPercent, orDefault(st.SyncProgress, "0/0"), st.SyncError)
		sync["NeedUpgrade"] = false
		item["DataSynchronizationStatus"] = sync
		item["Performance"] = map[string]any{"Flow": "0.02", "Rps": "12"}
	}
	if st.FullCheck != "" {
		check := dtsStage(st.FullCheck, st.FullCheckPercent, st.FullCheckProgress, st.FullCheckError)
		check["CanSwitch"] = st.CanSwitch
		item["FullDataCheckStatus"] = check
	}
	if st.IncCheck != "" {
		item["IncDataCheckStatus"] = dtsStage(st.IncCheck, st.IncCheckPercent, st.IncCheckProgress, st.IncCheckError)
	}
	return item
}

func dtsStage(status string, percent int64, progress, errorMessage string) map[string]any {
	return map[string]any{
		"Status":       status,
		"Percent":      itoa(finishedPercent(status, percent)),
		"Progress":     progress,
		"ErrorMessage": errorMessage,
	}
}

// render returns the endpoint object, with defaults for a nil endpoint.
func (e *DtsEndpoint) render(defaultInstance, defaultIP string) map[string]any {
	if e == nil {
		e = &DtsEndpoint{
			EngineName: "MySQL", InstanceType: "RDS", InstanceID: defaultInstance, IP: defaultIP, Port: "3306",
			DatabaseName: "dtstestdata", UserName: "dtstest", Region: "cn-hangzhou", SSL: "DISABLE",
		}
	}
	out := map[string]any{}
	for name, v := range map[string]string{
		"EngineName": e.EngineName, "InstanceType": e.InstanceType, "InstanceID": e.InstanceID, "Ip": e.IP,
		"Port": e.Port, "DatabaseName": e.DatabaseName, "UserName": e.UserName, "OracleSID": e.OracleSID,
		"Region": e.Region, "SslSolutionEnum": e.SSL,
	} {
		if v != "" {
			out[name] = v
		}
	}
	return out
}

// dtsCheckItems is PrecheckStatus.Detail: a plain array, with this call's key names.
func dtsCheckItems(status string, percent int64, failed []CheckItem) []map[string]any {
	items := checkItems(status, percent, failed)
	out := make([]map[string]any, 0, len(items))
	for _, it := range items {
		item := map[string]any{
			"CheckItem":            it.Name,
			"CheckItemDescription": it.Name + "_DETAIL",
			"CheckResult":          orDefault(it.Status, "Failed"),
		}
		if it.ErrorMessage != "" {
			item["FailedReason"] = it.ErrorMessage
		}
		if it.RepairMethod != "" {
			item["RepairMethod"] = it.RepairMethod
		}
		out = append(out, item)
	}
	return out
}

// dtsTagList renders tags as TagList, sorted by key so answers are stable.
func dtsTagList(tags map[string]string) []map[string]any {
	out := make([]map[string]any, 0, len(tags))
	for _, k := range slices.Sorted(maps.Keys(tags)) {
		out = append(out, map[string]any{"TagKey": k, "TagValue": tags[k]})
	}
	return out
}

// normalizeJobType is JobType as the service reads it: MIGRATION when omitted.
func normalizeJobType(t string) string {
	if t == "" {
		return "MIGRATION"
	}
	return strings.ToUpper(t)
}

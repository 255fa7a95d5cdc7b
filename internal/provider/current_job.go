package provider

import (
	"strings"

	"github.com/openmigrate/terraform-provider-dts/internal/dtsapi"
	"github.com/openmigrate/terraform-provider-dts/internal/wait"
	"github.com/openmigrate/terraform-provider-dts/internal/wait/family"
)

// What a current-API job shows, declared once for every object that shows one: the job of
// dts_job_status, its reverse job, and each job of dts_jobs. The job types are here too: both data
// sources take a job_type argument.

type dtsJob = dtsapi.DtsJob

// jobTypes maps the job_type argument to DescribeDtsJobs' JobType, in the order discovery asks:
// the job_type validators and dts_job_status' discovery both read it from here.
var jobTypes = []struct{ name, wire string }{
	{"migration", dtsapi.JobTypeMigration},
	{"synchronization", dtsapi.JobTypeSynchronization},
	{"subscription", dtsapi.JobTypeSubscription},
}

// jobTypeNames are the values job_type takes.
func jobTypeNames() []string {
	names := make([]string, len(jobTypes))
	for i, t := range jobTypes {
		names[i] = t.name
	}
	return names
}

// discoveryOrder is the JobTypes dts_job_status asks, in order, when job_type is unset.
func discoveryOrder() []string {
	wires := make([]string, len(jobTypes))
	for i, t := range jobTypes {
		wires[i] = t.wire
	}
	return wires
}

func jobTypeWire(name string) string {
	for _, t := range jobTypes {
		if t.name == name {
			return t.wire
		}
	}
	return ""
}

// jobTypeName spells a JobType as job_type does; "" for a type it does not know.
func jobTypeName(wire string) string {
	for _, t := range jobTypes {
		if strings.EqualFold(t.wire, wire) {
			return t.name
		}
	}
	return ""
}

// The attributes of a current-API job that more than one object shows.
var (
	jobID = stringAttr("dts_job_id", "ID of the job (`DtsJobId`), such as `i03e3zty16i****`.",
		func(j *dtsJob) dtsapi.String { return j.DtsJobID })
	jobInstanceID = stringAttr("dts_instance_id", "ID of the DTS instance that runs the job (`DtsInstanceID`).",
		func(j *dtsJob) dtsapi.String { return j.DtsInstanceID })
	jobName   = stringAttr("job_name", "Name of the job.", func(j *dtsJob) dtsapi.String { return j.DtsJobName })
	jobStatus = stringAttr("status", statusDescription(family.Current.Table, wait.StageJob, "the job")+
		" Migration, synchronization and change tracking jobs each use some of them; see the `wait_for` stage table.",
		func(j *dtsJob) dtsapi.String { return j.Status })
	jobErrorMessage = stringAttr("error_message", "Why the job failed; set when it did.", func(j *dtsJob) dtsapi.String { return j.ErrorMessage })
	jobDelay        = int64Attr("delay", "Latency of incremental migration or synchronization, in seconds. Null when the API sends none.",
		func(j *dtsJob) dtsapi.Int { return j.Delay })
	jobCheckpoint = checkpointAttrs(func(j *dtsJob) dtsapi.Int { return j.Checkpoint })
	jobCreateTime = stringAttr("create_time", "When the job was created, as the API sends it (ISO 8601 UTC).", func(j *dtsJob) dtsapi.String { return j.CreateTime })
	jobTags       = tagsAttr(func(j *dtsJob) dtsapi.List[dtsapi.Tag] { return j.TagList }, func(t *dtsapi.Tag) (k, v dtsapi.String) { return t.TagKey, t.TagValue })
	jobStructure  = currentStage("structure_initialization_status", wait.StageStructureInitialization, "schema migration",
		func(j *dtsJob) dtsapi.Object[dtsapi.StageStatus] { return j.StructureInitializationStatus })
	jobData = currentStage("data_initialization_status", wait.StageDataInitialization, "full data migration",
		func(j *dtsJob) dtsapi.Object[dtsapi.StageStatus] { return j.DataInitializationStatus })
	jobSync = currentStage("data_synchronization_status", wait.StageDataSynchronization, "incremental migration or synchronization",
		func(j *dtsJob) dtsapi.Object[dtsapi.StageStatus] { return j.DataSynchronizationStatus })
	jobFullCheck = currentStage("full_data_check_status", wait.StageFullDataCheck, "the full data verification",
		func(j *dtsJob) dtsapi.Object[dtsapi.StageStatus] { return j.FullDataCheckStatus })
)

// currentStageShape is a current-API stage: status, percent, progress as text and error message,
// and the two flags any stage object may carry (the documentation shows each on some of them).
func currentStageShape(stage wait.Stage, what string) object[dtsapi.StageStatus] {
	type s = dtsapi.StageStatus
	status := "Status of " + what + ". Values the documentation omits are kept as the API sends them."
	if _, documented := family.Current.Table.Lookup(string(stage)); documented {
		status = statusDescription(family.Current.Table, stage, what)
	}
	return newObject(
		stringAttr("status", status, func(s *s) dtsapi.String { return s.Status }),
		int64Attr("percent", percentDescription(what), func(s *s) dtsapi.Int { return s.Percent }),
		stringAttr("progress", "Progress of "+what+" as the API reports it: free text such as a count, a ratio or a rate (`1 rows/s (row: 5/5, table: 1/1)`).",
			func(s *s) dtsapi.String { return s.Progress }),
		stringAttr("error_message", errorDescription(what), func(s *s) dtsapi.String { return s.ErrorMessage }),
		boolAttr("need_upgrade", "`NeedUpgrade` as the API sends it: `true` when the job's instance class should be raised. Null when the API sends none.",
			func(s *s) dtsapi.Bool { return s.NeedUpgrade }),
		boolAttr("can_switch", "`CanSwitch` as the API sends it; the documentation does not describe it. Null when the API sends none.",
			func(s *s) dtsapi.Bool { return s.CanSwitch }),
	)
}

// currentStage declares a current-API stage object attribute.
func currentStage(name string, stage wait.Stage, what string, get func(*dtsJob) dtsapi.Object[dtsapi.StageStatus]) attribute[dtsJob] {
	return objectAttr(name, "State of "+what+". Null when the API returns none.", get, currentStageShape(stage, what))
}

// currentPrecheckShape is a current-API precheck without its items, as dts_jobs lists it.
var currentPrecheckShape = newObject(
	stringAttr("status", statusDescription(family.Current.Table, wait.StagePrecheck, "the precheck"), func(p *dtsapi.Precheck) dtsapi.String { return p.Status }),
	int64Attr("percent", percentDescription("the precheck"), func(p *dtsapi.Precheck) dtsapi.Int { return p.Percent }),
	stringAttr("error_message", errorDescription("the precheck"), func(p *dtsapi.Precheck) dtsapi.String { return p.ErrorMessage }),
)

// currentPrecheckStatusShape is the precheck with its items, as dts_job_status shows it.
var currentPrecheckStatusShape = newObject(
	currentPrecheckShape,
	listAttr("detail", "Result of each precheck item; an empty list when the API lists none.",
		func(p *dtsapi.Precheck) dtsapi.List[dtsapi.CheckItem] { return p.Detail }, checkItemShape),
)

// checkItemShape is one item of a current-API precheck.
var checkItemShape = newObject(
	stringAttr("check_item", "Code of the item, such as `CHECK_CONN_SRC`.", func(c *dtsapi.CheckItem) dtsapi.String { return c.CheckItem }),
	stringAttr("check_item_description", "Description key of the item, such as `CHECK_CONN_SRC_DETAIL`.", func(c *dtsapi.CheckItem) dtsapi.String { return c.CheckItemDescription }),
	stringAttr("check_result", "Result of the item: `Success` or `Failed`.", func(c *dtsapi.CheckItem) dtsapi.String { return c.CheckResult }),
	stringAttr("failed_reason", "Why the item failed; set for failed items.", func(c *dtsapi.CheckItem) dtsapi.String { return c.FailedReason }),
	stringAttr("repair_method", "How to fix the failure (a repair key); set for failed items.", func(c *dtsapi.CheckItem) dtsapi.String { return c.RepairMethod }),
)

// retryStateShape is whether DTS is retrying on its own after an error, and why.
var retryStateShape = newObject(
	boolAttr("retrying", "Whether DTS is retrying now.", func(r *dtsapi.RetryState) dtsapi.Bool { return r.Retrying }),
	int64Attr("retry_count", "Retries so far.", func(r *dtsapi.RetryState) dtsapi.Int { return r.RetryCount }),
	int64Attr("max_retry_time", "How long DTS retries before the job fails, in seconds.", func(r *dtsapi.RetryState) dtsapi.Int { return r.MaxRetryTime }),
	int64Attr("retry_time", "Seconds since the first retry began.", func(r *dtsapi.RetryState) dtsapi.Int { return r.RetryTime }),
	stringAttr("retry_target", "What DTS retries against: `srcDB`, `destDB` or `inner_module`.", func(r *dtsapi.RetryState) dtsapi.String { return r.RetryTarget }),
	stringAttr("module", "Stage code of the job while it retries, such as `03`.", func(r *dtsapi.RetryState) dtsapi.String { return r.Module }),
	stringAttr("error_message", "The error being retried (`ErrMessage`).", func(r *dtsapi.RetryState) dtsapi.String { return r.ErrMessage }),
)

// errorDetailShape is a documented error code of a failed job.
var errorDetailShape = newObject(
	stringAttr("error_code", "Error code, such as `DTS-31009`.", func(e *dtsapi.ErrorDetail) dtsapi.String { return e.ErrorCode }),
	stringAttr("help_url", "Help page for the code.", func(e *dtsapi.ErrorDetail) dtsapi.String { return e.HelpURL }),
)

// performanceShape is a job's throughput, as sent.
var performanceShape = newObject(
	stringAttr("flow", "Data moved, in MB/s, as sent.", func(p *dtsapi.Performance) dtsapi.String { return p.Flow }),
	stringAttr("rps", "Statements per second, as sent.", func(p *dtsapi.Performance) dtsapi.String { return p.Rps }),
)

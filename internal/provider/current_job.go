package provider

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

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

// discoveryOrder is the JobTypes a read asks, in order, when job_type is unset.
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
	jobID         = through(coreOfJob, jobCoreNamed.id)
	jobInstanceID = stringAttr("dts_instance_id", "ID of the DTS instance that runs the job (`DtsInstanceID`).",
		func(j *dtsJob) dtsapi.String { return j.DtsInstanceID })
	jobName   = through(coreOfJob, jobCoreNamed.name)
	jobStatus = stringAttr("status", statusDescription(family.Current.Table, wait.StageJob, "the job")+
		" Migration, synchronization and change tracking jobs each use some of them; see the `wait_for` stage table.",
		func(j *dtsJob) dtsapi.String { return j.Status })
	jobErrorMessage = through(coreOfJob, jobCoreNamed.errorMessage)
	jobDelay        = int64Attr("delay", "Latency of incremental migration or synchronization, in seconds. Null when the API sends none.",
		func(j *dtsJob) dtsapi.Int { return j.Delay })
	jobCheckpoint = through(coreOfJob, coreCheckpoint)
	jobCreateTime = through(coreOfJob, jobCoreNamed.createTime)
	jobTags       = tagsAttr(func(j *dtsJob) dtsapi.List[dtsapi.Tag] { return j.TagList }, func(t *dtsapi.Tag) (k, v dtsapi.String) { return t.TagKey, t.TagValue })
	jobStructure  = through(coreOfJob, coreStructure)
	jobData       = through(coreOfJob, coreData)
	jobSync       = currentStage("data_synchronization_status", wait.StageDataSynchronization, "incremental migration or synchronization",
		func(j *dtsJob) dtsapi.Object[dtsapi.StageStatus] { return j.DataSynchronizationStatus })
	jobFullCheck = currentStage("full_data_check_status", wait.StageFullDataCheck, "the full data verification",
		func(j *dtsJob) dtsapi.Object[dtsapi.StageStatus] { return j.FullDataCheckStatus })
)

// jobCore is what a job shares with its sub-jobs: the attributes read from it are declared once,
// below, and lifted into each with through.
type jobCore = dtsapi.JobCore

func coreOfJob(j *dtsJob) *jobCore { return &j.JobCore }

// The attributes of what a job and a sub-job share whose descriptions fit both.
var (
	coreCheckpoint = checkpointAttrs(func(c *jobCore) dtsapi.Int { return c.Checkpoint })
	coreStructure  = currentStage("structure_initialization_status", wait.StageStructureInitialization, "schema migration",
		func(c *jobCore) dtsapi.Object[dtsapi.StageStatus] { return c.StructureInitializationStatus })
	coreData = currentStage("data_initialization_status", wait.StageDataInitialization, "full data migration",
		func(c *jobCore) dtsapi.Object[dtsapi.StageStatus] { return c.DataInitializationStatus })
	coreRetryState = objectAttr("retry_state", "Whether DTS is retrying on its own after an error, and why. Null when the API returns none.",
		func(c *jobCore) dtsapi.Object[dtsapi.RetryState] { return c.RetryState }, retryStateShape)
	coreEndpoints = endpointAttrs("Null when the API returns none.",
		func(c *jobCore) dtsapi.Object[dtsapi.Endpoint] { return c.SourceEndpoint },
		func(c *jobCore) dtsapi.Object[dtsapi.Endpoint] { return c.DestinationEndpoint }, currentEndpointShape)
)

// namedCoreAttrs are the attributes of what a job and a sub-job share whose descriptions name which
// of the two they describe: dts_jobs lists no sub-jobs, so its page should not mention them.
type namedCoreAttrs struct {
	id, name, errorMessage, createTime, dbObject attribute[jobCore]
}

// Those attributes, as the job and as a sub-job show them.
var (
	jobCoreNamed    = newNamedCoreAttrs("job")
	subJobCoreNamed = newNamedCoreAttrs("sub-job")
)

// newNamedCoreAttrs declares the attributes of namedCoreAttrs for what, "job" or "sub-job".
func newNamedCoreAttrs(what string) namedCoreAttrs {
	return namedCoreAttrs{
		id: stringAttr("dts_job_id", "ID of the "+what+" (`DtsJobId`), such as `i03e3zty16i****`.",
			func(c *jobCore) dtsapi.String { return c.DtsJobID }),
		name: stringAttr("job_name", "Name of the "+what+".", func(c *jobCore) dtsapi.String { return c.DtsJobName }),
		errorMessage: stringAttr("error_message", "Why the "+what+" failed; set when it did.",
			func(c *jobCore) dtsapi.String { return c.ErrorMessage }),
		createTime: stringAttr("create_time", "When the "+what+" was created, as the API sends it (ISO 8601 UTC).",
			func(c *jobCore) dtsapi.String { return c.CreateTime }),
		dbObject: stringAttr("db_object", "The objects the "+what+" moves, as the raw JSON text the API returns; decode it with `jsondecode()`.",
			func(c *jobCore) dtsapi.String { return c.DbObject.String }),
	}
}

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
func currentStage[S any](name string, stage wait.Stage, what string, get func(*S) dtsapi.Object[dtsapi.StageStatus]) attribute[S] {
	return objectAttr(name, "State of "+what+". Null when the API returns none.", get, currentStageShape(stage, what))
}

// currentPrecheckShape is a current-API precheck without its items, as dts_jobs lists it.
var currentPrecheckShape = precheckShape(family.Current.Table)

// currentPrecheckStatusShape is the precheck with its items, as dts_job_status shows it.
var currentPrecheckStatusShape = precheckStatusShape(family.Current.Table)

// precheckShape is a current-API precheck without its items; table documents its statuses: a job's
// precheck and a sub-job's are documented with different ones.
func precheckShape(table wait.Table) object[dtsapi.Precheck] {
	return newObject(
		stringAttr("status", statusDescription(table, wait.StagePrecheck, "the precheck"), func(p *dtsapi.Precheck) dtsapi.String { return p.Status }),
		int64Attr("percent", percentDescription("the precheck"), func(p *dtsapi.Precheck) dtsapi.Int { return p.Percent }),
		stringAttr("error_message", errorDescription("the precheck"), func(p *dtsapi.Precheck) dtsapi.String { return p.ErrorMessage }),
	)
}

// precheckStatusShape is a current-API precheck with its items; table documents its statuses.
func precheckStatusShape(table wait.Table) object[dtsapi.Precheck] {
	return newObject(
		precheckShape(table),
		listAttr("detail", "Result of each precheck item; an empty list when the API lists none.",
			func(p *dtsapi.Precheck) dtsapi.List[dtsapi.CheckItem] { return p.Detail }, checkItemShape),
	)
}

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
	stringAttr("error_message", "The error being retried (`ErrMessage`; `ErrMsg` in a sub-job).", func(r *dtsapi.RetryState) dtsapi.String { return r.Message() }),
	stringAttr("job_id", "ID of the task being retried (`JobId`).", func(r *dtsapi.RetryState) dtsapi.String { return r.JobID }),
	migrationErrorAttr("The structured error being retried (`RetryState.MigrationErr*`); null when the API sends none of its fields.",
		func(r *dtsapi.RetryState) *dtsapi.MigrationError { return &r.MigrationError }),
)

// migrationErrorShape is DTS's structured error, its six fields kept as sent.
var migrationErrorShape = newObject(
	stringAttr("code", "Error code (`MigrationErrCode`), such as `dts.retry.err.0046`.", func(m *dtsapi.MigrationError) dtsapi.String { return m.MigrationErrCode }),
	stringAttr("type", "Category of the error (`MigrationErrType`), such as `ForeignKey`.", func(m *dtsapi.MigrationError) dtsapi.String { return m.MigrationErrType }),
	stringAttr("message", "Message of the error (`MigrationErrMsg`), often a message key rather than prose.", func(m *dtsapi.MigrationError) dtsapi.String { return m.MigrationErrMsg }),
	stringAttr("workaround", "Suggested fix (`MigrationErrWorkaround`), often a message key rather than prose.", func(m *dtsapi.MigrationError) dtsapi.String { return m.MigrationErrWorkaround }),
	stringAttr("help_doc_id", "ID of the help document for the code (`MigrationErrHelpDocId`), such as `462133`.", func(m *dtsapi.MigrationError) dtsapi.String { return m.MigrationErrHelpDocID }),
	stringAttr("help_doc_key", "Key of the help document for the code (`MigrationErrHelpDocKey`), such as `DTS-RETRY-ERR-0046`.", func(m *dtsapi.MigrationError) dtsapi.String { return m.MigrationErrHelpDocKey }),
)

// migrationErrorAttr declares migration_error, read from the six MigrationErr* fields of the object
// that carries them; null when none of them is sent.
func migrationErrorAttr[S any](desc string, get func(*S) *dtsapi.MigrationError) attribute[S] {
	return attribute[S]{
		name:   "migration_error",
		schema: schema.SingleNestedAttribute{Computed: true, Description: desc, Attributes: migrationErrorShape.schemaAttributes()},
		typ:    migrationErrorShape.typ,
		value: func(s *S, at *location, diags *diag.Diagnostics) tftypes.Value {
			m := get(s)
			if !m.Sent() {
				m = nil
			}
			return migrationErrorShape.value(m, at.attr("migration_error"), diags)
		},
	}
}

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

// dtsJobIDArgument is the dts_job_id argument of the data sources that read one current-API job.
func dtsJobIDArgument() schema.StringAttribute {
	return schema.StringAttribute{
		Required:    true,
		Description: "ID of the job (`DtsJobId`), such as `i03e3zty16i****`: the job ID the DTS console shows for migration, synchronization and change tracking jobs.",
		Validators:  []validator.String{stringvalidator.RegexMatches(regexp.MustCompile(`^\S+$`), "must not be empty or contain spaces")},
	}
}

// jobTypeArgument is the job_type argument of the data sources that read one current-API job.
func jobTypeArgument() schema.StringAttribute {
	return schema.StringAttribute{
		Optional: true,
		Computed: true,
		Description: "Type of the job: `migration`, `synchronization` or `subscription` (change tracking). Unset, the first " +
			"read asks for a migration job, then a synchronization job, then a change tracking job, and records the " +
			"type that has it; a wait's later polls ask only that type. Set it to read with exactly one request.",
		Validators: []validator.String{stringvalidator.OneOf(jobTypeNames()...)},
	}
}

// jobFinder finds one current-API job as every data source that reads one does: with job_type set it
// asks that type only; unset, the first read asks each type in discoveryOrder until one has the job,
// and the reads that follow (a wait's polls) ask only the type that had it.
type jobFinder struct {
	id, region string
	asked      []string
}

func newJobFinder(id string, jobType types.String, region string) *jobFinder {
	asked := discoveryOrder()
	if !jobType.IsNull() {
		asked = []string{jobTypeWire(jobType.ValueString())}
	}
	return &jobFinder{id: id, region: region, asked: asked}
}

// request is the next read's request.
func (f *jobFinder) request() dtsapi.DescribeDtsJobRequest {
	return dtsapi.DescribeDtsJobRequest{DtsJobID: f.id, RegionID: f.region, JobTypes: f.asked}
}

// found records the answer that had the job: discovery is done once.
func (f *jobFinder) found(read *dtsapi.DtsJobRead) { f.asked = []string{read.JobType} }

// currentNotFound points users of legacy jobs to the data source that reads them.
const currentNotFound = " If the job is a legacy data migration job (its ID is a MigrationJobId, as " +
	"DescribeMigrationJobs lists it), read it with the dts_migration_job_status data source: dts_job_status reads " +
	"only jobs of the current API (DescribeDtsJobs)."

// jobReadErrorDiagnostic is readErrorDiagnostic with the "job not found" that DescribeDtsJobs has no
// error code for.
func jobReadErrorDiagnostic(s subject, t target, readTimeout time.Duration, err error) (summary, detail string) {
	var notFound *dtsapi.NotFoundError
	if !errors.As(err, &notFound) {
		return readErrorDiagnostic(s, t, readTimeout, err)
	}
	asked := make([]string, len(notFound.JobTypes))
	for i, w := range notFound.JobTypes {
		asked[i] = jobTypeName(w)
	}
	return "DTS job not found", fmt.Sprintf("DescribeDtsJobs has no job %q in region %s among the %s jobs (job type %s).\n\n"+
		"Check dts_job_id; check job_type, or leave it unset to look among every type; and check that region_id (or the "+
		"provider's region) is the job's region.%s", notFound.DtsJobID, t.region, strings.Join(asked, ", "),
		strings.Join(notFound.JobTypes, ", "), s.notFound)
}

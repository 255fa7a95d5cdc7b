package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/openmigrate/terraform-provider-dts/internal/dtsapi"
	"github.com/openmigrate/terraform-provider-dts/internal/wait"
	"github.com/openmigrate/terraform-provider-dts/internal/wait/family"
)

var (
	_ datasource.DataSource                   = (*jobStatusDataSource)(nil)
	_ datasource.DataSourceWithConfigure      = (*jobStatusDataSource)(nil)
	_ datasource.DataSourceWithValidateConfig = (*jobStatusDataSource)(nil)
)

// jobStatusDataSource reads a current-API job (migration, synchronization or change tracking) with
// DescribeDtsJobs.
type jobStatusDataSource struct {
	dataSource
}

func newJobStatusDataSource() datasource.DataSource {
	return &jobStatusDataSource{}
}

func (d *jobStatusDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_job_status"
}

func (d *jobStatusDataSource) Schema(ctx context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	attrs := jobStatusAttributes.schemaAttributes()
	attrs["dts_job_id"] = dtsJobIDArgument()
	attrs["job_type"] = jobTypeArgument()
	attrs["region_id"] = regionIDAttribute()
	attrs["include_sub_jobs"] = schema.BoolAttribute{
		Optional: true,
		Computed: true,
		Description: "Also read the job's sub-jobs into `sub_jobs`, with one `DescribeDtsJobDetail` call after the " +
			"`DescribeDtsJobs` call of every read and every poll: the shards of a distributed synchronization, and the " +
			"sub-job that initializes objects added to a job. With `wait_for` at `precheck`, `structure_initialization`, " +
			"`data_initialization` or `data_synchronization`, every sub-job that has the stage must reach the target too, " +
			"within `max_delay_seconds`, and a failed sub-job ends the wait. Default `false`.",
	}
	resp.Schema = schema.Schema{
		Description: "Reads the full status of a DTS job created in today's console or with `CreateDtsInstance`/`ConfigureDtsJob` " +
			"(data migration, data synchronization or change tracking) with `DescribeDtsJobs`: precheck with its items, " +
			"schema and full data migration, incremental synchronization with its delay and checkpoint, data " +
			"verification, DTS's own retrying, and errors. With `wait_for`, the read blocks until a stage reaches a " +
			"target status, and fails as soon as the job fails. For legacy migration jobs, use `dts_migration_job_status`.",
		Attributes: attrs,
		Blocks: map[string]schema.Block{
			"timeouts": timeoutsBlock(ctx),
			"wait_for": waitForBlock(family.Current.Table),
		},
	}
}

// jobStatusAttributes are dts_job_status's computed attributes: every field of the job, its sub-jobs
// when asked for, and the request that found it.
var jobStatusAttributes = newObject(
	requestIDAttr(func(r *dtsapi.DtsJobRead) dtsapi.String { return r.RequestID }),
	through(func(r *dtsapi.DtsJobRead) *dtsJob { return r.Job }, jobAttributes),
	nestedList("sub_jobs", "The job's sub-jobs, read with `DescribeDtsJobDetail` when `include_sub_jobs` is true: the shards "+
		"of a distributed synchronization (`kind` `distributed`), then the sub-job that initializes objects added to the job "+
		"(`kind` `sync`), each in the service's order. Null when `include_sub_jobs` is false, an empty list when the job has none.",
		subJobShape, func(r *dtsapi.DtsJobRead, _ *location, _ *diag.Diagnostics) ([]dtsapi.SubJobRead, bool) {
			if r.SubJobs == nil {
				return nil, false
			}
			return r.SubJobs.Items, true
		}),
)

// jobAttributes are the job's own attributes: its fields, and its reverse job's.
var jobAttributes = newObject(
	jobFields,
	objectAttr("reverse_job", "The reverse direction of a two-way synchronization, with every attribute the job has but "+
		"`reverse_job`, `request_id`, `job_type`, `region_id` and the sub-jobs; null for every other job.",
		func(j *dtsJob) dtsapi.Object[dtsJob] { return j.ReverseJob }, newObject(jobID, jobFields)),
)

// jobFields are every field of a DtsJobList item, as the job and its reverse job show them.
var jobFields = newObject(
	jobInstanceID, jobName, jobStatus, jobErrorMessage, jobDelay, jobCheckpoint, jobCreateTime,
	stringAttr("expire_time", "When a subscription (`PrePaid`) instance expires, as the API sends it.", func(j *dtsJob) dtsapi.String { return j.ExpireTime }),
	stringAttr("pay_type", "Billing method: `PrePaid` or `PostPaid`.", func(j *dtsJob) dtsapi.String { return j.PayType }),
	stringAttr("job_class", "Instance class of the job, such as `large`.", func(j *dtsJob) dtsapi.String { return j.DtsJobClass }),
	stringAttr("job_direction", "Direction of the job: `Forward`, or `Reverse` for the reverse job of a two-way synchronization.", func(j *dtsJob) dtsapi.String { return j.DtsJobDirection }),
	through(coreOfJob, jobCoreNamed.dbObject),
	stringAttr("reserved", "Further DTS settings of the job (retry window, SSL flags, network types), as the raw JSON text the API returns (`Reserved`); decode it with `jsondecode()`.",
		func(j *dtsJob) dtsapi.String { return j.Reserved.String }),
	stringAttr("origin_type", "Where the job was created: `PTS`, `DMS` or `DTS`.", func(j *dtsJob) dtsapi.String { return j.OriginType }),
	stringAttr("dedicated_cluster_id", "DTS dedicated cluster the job runs on, if any.", func(j *dtsJob) dtsapi.String { return j.DedicatedClusterID }),
	stringAttr("resource_group_id", "Resource group of the job.", func(j *dtsJob) dtsapi.String { return j.ResourceGroupID }),
	stringAttr("resource_group_name", "Display name of the job's resource group, such as `default resource group`.", func(j *dtsJob) dtsapi.String { return j.ResourceGroupName }),
	stringAttr("dts_bis_label", "Environment label of the DTS instance (`DtsBisLabel`): `normal` or `online`.", func(j *dtsJob) dtsapi.String { return j.DtsBisLabel }),
	stringAttr("etl_safe_checkpoint", "Checkpoint of the job's ETL step (`EtlSafeCheckpoint`), as sent (Unix seconds in the documentation's example).",
		func(j *dtsJob) dtsapi.String { return j.EtlSafeCheckpoint }),
	stringAttr("app_name", "`new` for a change tracking job of the new version; set for such jobs only.", func(j *dtsJob) dtsapi.String { return j.AppName }),
	stringAttr("begin_timestamp", "Change tracking: start of the tracked time range, as the API sends it (ISO 8601 UTC).", func(j *dtsJob) dtsapi.String { return j.BeginTimestamp }),
	stringAttr("end_timestamp", "Change tracking: end of the tracked time range, as the API sends it (ISO 8601 UTC).", func(j *dtsJob) dtsapi.String { return j.EndTimestamp }),
	stringAttr("consumption_checkpoint", "Change tracking: the time the consumer has read up to, as the API sends it (ISO 8601 UTC).",
		func(j *dtsJob) dtsapi.String { return j.ConsumptionCheckpoint }),
	stringAttr("consumption_client", "Change tracking: the downstream consumer, as `<client IP>:<DTS instance ID>`.", func(j *dtsJob) dtsapi.String { return j.ConsumptionClient }),
	stringAttr("cpu_usage", "CPU use of the DTS instance, in percent, as sent (`CpuUsage`).", func(j *dtsJob) dtsapi.String { return j.CPUUsage }),
	stringAttr("mem_usage", "Memory used by the DTS instance, in MB, as sent (`MemUsage`).", func(j *dtsJob) dtsapi.String { return j.MemUsage }),
	stringAttr("du_real_usage", "DU use of a job on a dedicated cluster, as sent, such as `12.0%` (`DuRealUsage`).", func(j *dtsJob) dtsapi.String { return j.DuRealUsage }),
	int64Attr("du_usage", "DTS units (DU) the job uses (`DuUsage`).", func(j *dtsJob) dtsapi.Int { return j.DuUsage }),
	float64Attr("max_du", "Upper bound of DTS units of a serverless instance (`MaxDu`); null for other instances.", func(j *dtsJob) dtsapi.Float { return j.MaxDu }),
	float64Attr("min_du", "Lower bound of DTS units of a serverless instance (`MinDu`); null for other instances.", func(j *dtsJob) dtsapi.Float { return j.MinDu }),
	jobTags,
	objectAttr("migration_mode", modeDescription, func(j *dtsJob) dtsapi.Object[dtsapi.MigrationMode] { return j.MigrationMode }, currentModeShape),
	objectAttr("precheck_status", "State of the precheck. Null when the API returns none.",
		func(j *dtsJob) dtsapi.Object[dtsapi.Precheck] { return j.PrecheckStatus }, currentPrecheckStatusShape),
	jobStructure, jobData, jobSync, jobFullCheck,
	currentStage("data_etl_status", "", "the ETL step", func(j *dtsJob) dtsapi.Object[dtsapi.StageStatus] { return j.DataEtlStatus }),
	currentStage("data_cloud_status", "", "the physical-gateway (data cloud) migration", func(j *dtsJob) dtsapi.Object[dtsapi.StageStatus] { return j.DataCloudStatus }),
	currentStage("incremental_data_check_status", wait.StageIncrementalDataCheck, "the incremental data verification", func(j *dtsJob) dtsapi.Object[dtsapi.StageStatus] { return j.IncDataCheckStatus }),
	currentStage("structure_data_check_status", "", "the schema verification", func(j *dtsJob) dtsapi.Object[dtsapi.StageStatus] { return j.StructureDataCheckStatus }),
	migrationErrorAttr("DTS's structured error for the job (`MigrationErrCode`, `MigrationErrType`, `MigrationErrMsg`, "+
		"`MigrationErrWorkaround`, `MigrationErrHelpDocId`, `MigrationErrHelpDocKey`); null when the API sends none of them.",
		func(j *dtsJob) *dtsapi.MigrationError { return &j.MigrationError }),
	through(coreOfJob, coreRetryState),
	listAttr("error_details", "Documented error codes of a failed job, with their help pages; an empty list when there are none.",
		func(j *dtsJob) dtsapi.List[dtsapi.ErrorDetail] { return j.ErrorDetails }, errorDetailShape),
	objectAttr("performance", "Throughput of the job, as the API sends it. Null when the API returns none.",
		func(j *dtsJob) dtsapi.Object[dtsapi.Performance] { return j.Performance }, performanceShape),
	through(coreOfJob, coreEndpoints),
)

// subJobShape is one sub-job of DescribeDtsJobDetail, in the job's shapes: what it shares with the
// job is declared in current_job.go; the rest is the sub-job's own.
var subJobShape = newObject(
	through(func(s *dtsapi.SubJobRead) *jobCore { return &s.JobCore },
		subJobCoreNamed.id, subJobCoreNamed.name, subJobCoreNamed.errorMessage, subJobCoreNamed.createTime, subJobCoreNamed.dbObject,
		coreCheckpoint, coreStructure, coreData, coreRetryState, coreEndpoints),
	derivedString("kind", "Which list the sub-job came from: `distributed` (`SubDistributedJob`, a shard of a distributed "+
		"synchronization) or `sync` (`SubSyncJob`, the sub-job that initializes objects added to the job).",
		func(s *dtsapi.SubJobRead) (string, bool) { return s.Kind, true }),
	stringAttr("job_type", "Type of the sub-job as sent: `online` (migration), `SYNC` or `SUBSCRIBE`.", func(s *dtsapi.SubJobRead) dtsapi.String { return s.JobType }),
	stringAttr("task_type", "Kind of the sub-job as sent, such as `rds`.", func(s *dtsapi.SubJobRead) dtsapi.String { return s.TaskType }),
	stringAttr("status", "Status of the sub-job as sent. The provider reads it as a job status (compared ignoring case), "+
		"which the documentation's help page suggests and its SDK does not state.", func(s *dtsapi.SubJobRead) dtsapi.String { return s.Status }),
	int64Attr("delay", "Latency of the sub-job's incremental synchronization, in seconds: the API's milliseconds rounded up, "+
		"or the API's figure as sent when the read found `DescribeDtsJobDetail` reporting seconds (it then warns).",
		func(s *dtsapi.SubJobRead) dtsapi.Int { return s.DelaySeconds }),
	stringAttr("finish_time", "When the sub-job finished, as the API sends it (ISO 8601 UTC).", func(s *dtsapi.SubJobRead) dtsapi.String { return s.FinishTime }),
	stringAttr("synchronization_direction", "Direction of the sub-job: `Forward` or `Reverse`.", func(s *dtsapi.SubJobRead) dtsapi.String { return s.SynchronizationDirection }),
	objectAttr("precheck_status", "State of the sub-job's precheck. Null when the API returns none.",
		func(s *dtsapi.SubJobRead) dtsapi.Object[dtsapi.Precheck] { return s.PrecheckStatus }, precheckStatusShape(family.SubJob.Table)),
	objectAttr("data_synchronization_status", "State of the sub-job's incremental synchronization; its delay is the sub-job's `delay`. Null when the API returns none.",
		func(s *dtsapi.SubJobRead) dtsapi.Object[dtsapi.StageStatus] { return s.DataSynchronizationStatus },
		currentStageShape(wait.StageDataSynchronization, "incremental synchronization")),
)

func (d *jobStatusDataSource) ValidateConfig(ctx context.Context, req datasource.ValidateConfigRequest, resp *datasource.ValidateConfigResponse) {
	validateWaitForConfig(ctx, req, resp, family.Current.Table)
}

// jobStatusArguments are the data source's arguments.
type jobStatusArguments struct {
	DtsJobID types.String   `tfsdk:"dts_job_id"`
	JobType  types.String   `tfsdk:"job_type"`
	RegionID types.String   `tfsdk:"region_id"`
	Timeouts timeouts.Value `tfsdk:"timeouts"`
	WaitFor  *waitForModel  `tfsdk:"wait_for"`
	// IncludeSubJobs, null or false, reads the job alone.
	IncludeSubJobs types.Bool `tfsdk:"include_sub_jobs"`
}

func (d *jobStatusDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var args jobStatusArguments
	resp.Diagnostics.Append(readArguments(ctx, req.Config, &args)...)
	if resp.Diagnostics.HasError() {
		return
	}
	id := args.DtsJobID.ValueString()
	subj := subject{kind: "DTS job", what: fmt.Sprintf("DTS job %q", id), action: "DescribeDtsJobs", notFound: currentNotFound}
	r, diags := d.startRead(ctx, args.Timeouts, args.RegionID.ValueString(), "Cannot read DTS job status", subj.what)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	defer r.done()

	finder := newJobFinder(id, args.JobType, r.target.region)
	subJobs := args.IncludeSubJobs.ValueBool()
	// last is the latest answer, which holds the job the wait returns, and its request ID.
	var last *dtsapi.DtsJobRead
	describe := func(ctx context.Context) (*dtsapi.DtsJobRead, error) {
		req := finder.request()
		req.SubJobs = subJobs
		found, err := r.client.DescribeDtsJob(ctx, req)
		if err != nil {
			return nil, err
		}
		finder.found(found)
		last = found
		return found, nil
	}
	var units unitWarnings
	logged := logPoll("Polled DTS job status", "dts_job_id", id, r.target, stageOf(args.WaitFor), logJobRead)
	onPoll := func(ctx context.Context, p wait.Poll[dtsapi.DtsJobRead]) {
		logged(ctx, p)
		if p.Response != nil {
			units.note(ctx, p.Response)
		}
	}
	_, err := waitOrReadGate(r, args.WaitFor, family.Current.Table, family.CurrentWithSubJobs.Gate, describe, &resp.Diagnostics,
		onPoll, "Waiting for DTS job", map[string]any{"dts_job_id": id, "include_sub_jobs": subJobs})
	if resp.Diagnostics.HasError() {
		return
	}
	if args.WaitFor == nil && last != nil {
		units.note(ctx, last)
	}
	units.warn(&resp.Diagnostics)
	if err != nil {
		summary, detail := jobReadErrorDiagnostic(subj, r.target, r.timeout, err)
		resp.Diagnostics.AddError(summary, detail)
		return
	}
	warnUnreadSubJobs(last, &resp.Diagnostics)
	computed := jobStatusAttributes.values(last, &location{}, &resp.Diagnostics)
	computed["job_type"] = tftypes.NewValue(tftypes.String, jobTypeName(last.JobType))
	computed["include_sub_jobs"] = tftypes.NewValue(tftypes.Bool, subJobs)
	r.record(resp, req.Config.Raw, computed, subj.what)
}

// warnUnreadSubJobs says when the final answer held sub-jobs the read could not take: sub_jobs lacks
// them, so a condition on sub_jobs would not see them (a wait_for gate does not open on such an answer).
func warnUnreadSubJobs(r *dtsapi.DtsJobRead, diags *diag.Diagnostics) {
	if r.SubJobs == nil || r.SubJobs.Unread == "" {
		return
	}
	diags.AddAttributeWarning(path.Root("sub_jobs"), "Some sub-jobs could not be read",
		fmt.Sprintf("DescribeDtsJobDetail answered for job %q with sub-jobs the provider could not read: %s. sub_jobs holds only "+
			"the ones it could, so a condition on sub_jobs does not see the others; a wait_for gate at a stage the sub-jobs "+
			"hold does not open on such an answer. If this persists, please report it with the request ID (%s).",
			r.Job.DtsJobID.Val, r.SubJobs.Unread, r.SubJobs.RequestID.Val))
}

// unitWarnings gathers, over the polls of one read, the answers whose sub-job delays were taken as
// seconds, for one warning per read; each such poll is also logged at WARN.
type unitWarnings struct {
	polls int
	last  string
}

func (u *unitWarnings) note(ctx context.Context, r *dtsapi.DtsJobRead) {
	if r.SubJobs == nil || r.SubJobs.UnitWarning == "" {
		return
	}
	u.polls++
	u.last = r.SubJobs.UnitWarning
	tflog.Warn(ctx, "DescribeDtsJobDetail reports delays in seconds", map[string]any{"detail": r.SubJobs.UnitWarning})
}

func (u *unitWarnings) warn(diags *diag.Diagnostics) {
	if u.polls == 0 {
		return
	}
	diags.AddAttributeWarning(path.Root("sub_jobs"), "Sub-job delays read as seconds",
		fmt.Sprintf("%s\n\nThe reference documents DescribeDtsJobDetail's delays in milliseconds, and the provider converts them "+
			"to seconds rounding up; this answer's figures fit seconds instead (%d answer(s) of this read). sub_jobs[].delay, and "+
			"max_delay_seconds for the sub-jobs, used the figures as seconds, so no lag was understated. If this persists, "+
			"please report it with the request ID.", u.last, u.polls))
}

// logJobRead adds to a poll's log line whether DTS is retrying on its own, and how many sub-jobs the
// answer holds (the gate's units, counted by logPoll, are the job and the sub-jobs it looked at).
func logJobRead(r *dtsapi.DtsJobRead, fields map[string]any) {
	if r.SubJobs != nil {
		fields["sub_jobs"] = len(r.SubJobs.Items)
		if r.SubJobs.DelaysInSeconds {
			fields["sub_job_delays_in"] = "seconds"
		}
	}
	if r.Job != nil {
		logRetryState(r.Job, fields)
	}
}

// logRetryState adds to a poll's log line whether DTS is retrying on its own, and why.
func logRetryState(j *dtsJob, fields map[string]any) {
	rs := j.RetryState.Get()
	if rs == nil || !rs.Retrying.Val {
		return
	}
	fields["retrying"] = true
	if rs.RetryCount.Set {
		fields["retry_count"] = rs.RetryCount.Val
	}
	if rs.RetryTarget.Set {
		fields["retry_target"] = rs.RetryTarget.Val
	}
	if m := rs.Message(); m.Set {
		fields["retry_error"] = m.Val
	}
}

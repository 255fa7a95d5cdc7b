package provider

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

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
	attrs["dts_job_id"] = schema.StringAttribute{
		Required:    true,
		Description: "ID of the job (`DtsJobId`), such as `i03e3zty16i****`: the job ID the DTS console shows for migration, synchronization and change tracking jobs.",
		Validators:  []validator.String{stringvalidator.RegexMatches(regexp.MustCompile(`^\S+$`), "must not be empty or contain spaces")},
	}
	attrs["job_type"] = schema.StringAttribute{
		Optional: true,
		Computed: true,
		Description: "Type of the job: `migration`, `synchronization` or `subscription` (change tracking). Unset, the first " +
			"read asks for a migration job, then a synchronization job, then a change tracking job, and records the " +
			"type that has it; a wait's later polls ask only that type. Set it to read with exactly one request.",
		Validators: []validator.String{stringvalidator.OneOf(jobTypeNames()...)},
	}
	attrs["region_id"] = regionIDAttribute()
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

// jobStatusAttributes are dts_job_status's computed attributes: every field of the job, and the
// request that found it.
var jobStatusAttributes = newObject(
	requestIDAttr(func(r *dtsapi.DtsJobRead) dtsapi.String { return r.RequestID }),
	through(func(r *dtsapi.DtsJobRead) *dtsJob { return r.Job }, jobAttributes),
)

// jobAttributes are the job's own attributes.
var jobAttributes = newObject(
	jobInstanceID, jobName, jobStatus, jobErrorMessage, jobDelay, jobCheckpoint, jobCreateTime,
	stringAttr("expire_time", "When a subscription (`PrePaid`) instance expires, as the API sends it.", func(j *dtsJob) dtsapi.String { return j.ExpireTime }),
	stringAttr("pay_type", "Billing method: `PrePaid` or `PostPaid`.", func(j *dtsJob) dtsapi.String { return j.PayType }),
	stringAttr("job_class", "Instance class of the job, such as `large`.", func(j *dtsJob) dtsapi.String { return j.DtsJobClass }),
	stringAttr("job_direction", "Direction of the job: `Forward`, or `Reverse` for the reverse job of a two-way synchronization.", func(j *dtsJob) dtsapi.String { return j.DtsJobDirection }),
	stringAttr("db_object", "The objects the job moves, as the raw JSON text the API returns; decode it with `jsondecode()`.", func(j *dtsJob) dtsapi.String { return j.DbObject.String }),
	stringAttr("origin_type", "Where the job was created: `PTS`, `DMS` or `DTS`.", func(j *dtsJob) dtsapi.String { return j.OriginType }),
	stringAttr("dedicated_cluster_id", "DTS dedicated cluster the job runs on, if any.", func(j *dtsJob) dtsapi.String { return j.DedicatedClusterID }),
	stringAttr("resource_group_id", "Resource group of the job.", func(j *dtsJob) dtsapi.String { return j.ResourceGroupID }),
	stringAttr("resource_group_name", "Display name of the job's resource group, such as `default resource group`.", func(j *dtsJob) dtsapi.String { return j.ResourceGroupName }),
	jobTags,
	objectAttr("migration_mode", modeDescription, func(j *dtsJob) dtsapi.Object[dtsapi.MigrationMode] { return j.MigrationMode }, currentModeShape),
	objectAttr("precheck_status", "State of the precheck. Null when the API returns none.",
		func(j *dtsJob) dtsapi.Object[dtsapi.Precheck] { return j.PrecheckStatus }, currentPrecheckStatusShape),
	jobStructure, jobData, jobSync, jobFullCheck,
	currentStage("data_etl_status", "", "the ETL step", func(j *dtsJob) dtsapi.Object[dtsapi.StageStatus] { return j.DataEtlStatus }),
	currentStage("incremental_data_check_status", wait.StageIncrementalDataCheck, "the incremental data verification", func(j *dtsJob) dtsapi.Object[dtsapi.StageStatus] { return j.IncDataCheckStatus }),
	currentStage("structure_data_check_status", "", "the schema verification", func(j *dtsJob) dtsapi.Object[dtsapi.StageStatus] { return j.StructureDataCheckStatus }),
	objectAttr("retry_state", "Whether DTS is retrying on its own after an error, and why. Null when the API returns none.",
		func(j *dtsJob) dtsapi.Object[dtsapi.RetryState] { return j.RetryState }, retryStateShape),
	listAttr("error_details", "Documented error codes of a failed job, with their help pages; an empty list when there are none.",
		func(j *dtsJob) dtsapi.List[dtsapi.ErrorDetail] { return j.ErrorDetails }, errorDetailShape),
	objectAttr("performance", "Throughput of the job, as the API sends it. Null when the API returns none.",
		func(j *dtsJob) dtsapi.Object[dtsapi.Performance] { return j.Performance }, performanceShape),
	objectAttr("reverse_job", "The reverse direction of a two-way synchronization; null for every other job.",
		func(j *dtsJob) dtsapi.Object[dtsJob] { return j.ReverseJob },
		newObject(jobID, jobStatus, jobDelay, jobErrorMessage, jobData, jobSync, jobCheckpoint)),
	endpointAttrs("Null when the API returns none.",
		func(j *dtsJob) dtsapi.Object[dtsapi.Endpoint] { return j.SourceEndpoint },
		func(j *dtsJob) dtsapi.Object[dtsapi.Endpoint] { return j.DestinationEndpoint }, currentEndpointShape),
)

// currentNotFound points users of legacy jobs to the data source that reads them.
const currentNotFound = " If the job is a legacy data migration job (its ID is a MigrationJobId, as " +
	"DescribeMigrationJobs lists it), read it with the dts_migration_job_status data source: dts_job_status reads " +
	"only jobs of the current API (DescribeDtsJobs)."

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

	asked := discoveryOrder()
	if !args.JobType.IsNull() {
		asked = []string{jobTypeWire(args.JobType.ValueString())}
	}
	// last is the latest answer, which holds the job the wait returns, and its request ID.
	var last *dtsapi.DtsJobRead
	describe := func(ctx context.Context) (*dtsJob, error) {
		found, err := r.client.DescribeDtsJob(ctx, dtsapi.DescribeDtsJobRequest{DtsJobID: id, RegionID: r.target.region, JobTypes: asked})
		if err != nil {
			return nil, err
		}
		// Discovery is done once: the polls that follow ask only the type that has the job.
		asked, last = []string{found.JobType}, found
		return found.Job, nil
	}
	_, err := waitOrRead(r, args.WaitFor, family.Current, describe, &resp.Diagnostics,
		logPoll("Polled DTS job status", "dts_job_id", id, r.target, stageOf(args.WaitFor), logRetryState),
		map[string]any{"dts_job_id": id})
	if resp.Diagnostics.HasError() {
		return
	}
	if err != nil {
		summary, detail := jobReadErrorDiagnostic(subj, r.target, r.timeout, err)
		resp.Diagnostics.AddError(summary, detail)
		return
	}
	computed := jobStatusAttributes.values(last, &location{}, &resp.Diagnostics)
	computed["job_type"] = tftypes.NewValue(tftypes.String, jobTypeName(last.JobType))
	r.record(resp, req.Config.Raw, computed, subj.what)
}

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
	if rs.ErrMessage.Set {
		fields["retry_error"] = rs.ErrMessage.Val
	}
}

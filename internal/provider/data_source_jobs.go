package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/openmigrate/terraform-provider-dts/internal/dtsapi"
	"github.com/openmigrate/terraform-provider-dts/internal/wait/family"
)

var (
	_ datasource.DataSource                   = (*jobsDataSource)(nil)
	_ datasource.DataSourceWithConfigure      = (*jobsDataSource)(nil)
	_ datasource.DataSourceWithValidateConfig = (*jobsDataSource)(nil)
)

// jobsDataSource finds current-API jobs with DescribeDtsJobs, page by page.
type jobsDataSource struct {
	dataSource
}

func newJobsDataSource() datasource.DataSource {
	return &jobsDataSource{}
}

func (d *jobsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_jobs"
}

func (d *jobsDataSource) Schema(ctx context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	attrs := jobsAttributes.schemaAttributes()
	attrs["job_type"] = schema.StringAttribute{
		Optional: true,
		Computed: true,
		Description: "Type of the jobs to find: `migration` (the default), `synchronization` or `subscription` " +
			"(change tracking). Sent as `JobType` `MIGRATION`, `SYNC` or `SUBSCRIBE`: one listing holds one type.",
		Validators: []validator.String{stringvalidator.OneOf(jobTypeNames()...)},
	}
	attrs["region_id"] = regionIDAttribute()
	attrs["name"] = nonEmptyArgument("Only jobs whose name contains this text, as the service matches it (a fuzzy " +
		"match). Sent as `Type=name` with `Params`. Use `name_regex` for an exact match.")
	attrs["dts_instance_id"] = nonEmptyArgument("Only the jobs of this DTS instance, such as `dtsi03e3zty16i****`. Sent as `DtsInstanceId`.")
	attrs["status"] = nonEmptyArgument("Only jobs in this status, such as `Synchronizing` (see `dts_job_status` for the " +
		"documented statuses of each job type). Sent as `Status`; the service takes one status.")
	attrs["tags"] = tagsArgument("Sent as `Tags`, a JSON array of `{\"key\", \"value\"}` objects.")
	attrs["name_regex"] = nameRegexArgument()
	resp.Schema = schema.Schema{
		Description: "Finds DTS jobs created in today's console or with `CreateDtsInstance`/`ConfigureDtsJob` (data " +
			"migration, data synchronization or change tracking, one type per read) with `DescribeDtsJobs`, reading " +
			"every page: by name, instance, status and tags on the service's side, and by `name_regex` here. Each " +
			"job comes with its status, delay, checkpoint and stages; feed `ids` to `dts_job_status` for everything " +
			"else. With `wait_for`, the read blocks until every job found is at a target status (a fleet gate: one " +
			"listing per poll, not one request per job), and fails as soon as any of them fails or none is found. " +
			"Without it, no match is an empty list, not an error: before gating anything on the jobs found, check " +
			"that there are some (as the example of one wait per job does). A listing that needs more than 100 pages of 30 jobs fails and " +
			"asks for a narrower filter. For legacy migration jobs, use `dts_migration_jobs`.",
		Attributes: attrs,
		Blocks: map[string]schema.Block{
			"timeouts": timeoutsBlock(ctx),
			"wait_for": fleetWaitForBlock(family.Current.Table),
		},
	}
}

func (d *jobsDataSource) ValidateConfig(ctx context.Context, req datasource.ValidateConfigRequest, resp *datasource.ValidateConfigResponse) {
	validateWaitForConfig(ctx, req, resp, family.Current.Table)
}

type dtsJobsFound = dtsapi.Listing[dtsJob]

// defaultJobType is the job_type of dts_jobs when the configuration sets none, as the service assumes.
const defaultJobType = "migration"

// listedJobShape is one job of dts_jobs: the attributes every current-API job shows, its type, and
// its stages without the precheck's items.
var listedJobShape = newObject(
	jobID, jobInstanceID, jobName,
	derivedString("job_type", "Type of the job, spelled as the `job_type` argument: `migration`, `synchronization` or "+
		"`subscription`. A type the documentation omits is kept as the API sends it.",
		func(j *dtsJob) (string, bool) {
			if name := jobTypeName(j.JobType.Val); name != "" {
				return name, true
			}
			return j.JobType.Val, j.JobType.Set
		}),
	jobStatus, jobErrorMessage, jobDelay, jobCreateTime, jobTags,
	objectAttr("precheck_status", "State of the precheck, without its items (read them with `dts_job_status`). Null when the API returns none.",
		func(j *dtsJob) dtsapi.Object[dtsapi.Precheck] { return j.PrecheckStatus }, currentPrecheckShape),
	jobStructure, jobData, jobSync, jobFullCheck, jobCheckpoint,
)

// jobsAttributes are dts_jobs' computed attributes: the jobs found, and their IDs.
var jobsAttributes = newObject(
	stringsAttr("ids", "IDs (`dts_job_id`) of the jobs found, in the order the service lists them.",
		func(l *dtsJobsFound) []dtsJob { return l.Items }, func(j *dtsJob) dtsapi.String { return j.DtsJobID }),
	objectsAttr("jobs", "The jobs found, in the order of `ids`; an empty list when no job matches.",
		func(l *dtsJobsFound) []dtsJob { return l.Items }, listedJobShape),
)

// jobsArguments are the data source's arguments.
type jobsArguments struct {
	JobType       types.String   `tfsdk:"job_type"`
	RegionID      types.String   `tfsdk:"region_id"`
	Name          types.String   `tfsdk:"name"`
	DtsInstanceID types.String   `tfsdk:"dts_instance_id"`
	Status        types.String   `tfsdk:"status"`
	Tags          types.Map      `tfsdk:"tags"`
	NameRegex     types.String   `tfsdk:"name_regex"`
	Timeouts      timeouts.Value `tfsdk:"timeouts"`
	WaitFor       *waitForModel  `tfsdk:"wait_for"`
}

func (d *jobsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var args jobsArguments
	resp.Diagnostics.Append(readArguments(ctx, req.Config, &args)...)
	if resp.Diagnostics.HasError() {
		return
	}
	jobType := args.JobType.ValueString()
	if args.JobType.IsNull() {
		jobType = defaultJobType
	}
	l := listing{action: "DescribeDtsJobs", jobs: jobType + " jobs", pageSize: dtsapi.DtsJobsPageSize,
		narrower: "name, status, dts_instance_id or tags (name_regex filters only after every page is read)"}
	l.filter("name", args.Name, args.Name.IsNull())
	l.filter("dts_instance_id", args.DtsInstanceID, args.DtsInstanceID.IsNull())
	l.filter("status", args.Status, args.Status.IsNull())
	l.filter("tags", args.Tags, args.Tags.IsNull())
	nameRe := nameRegexp(args.NameRegex, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	r, diags := d.startRead(ctx, args.Timeouts, args.RegionID.ValueString(), "Cannot list DTS jobs", "Listing DTS "+l.jobs)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	defer r.done()

	apiReq := dtsapi.DescribeDtsJobsRequest{
		RegionID:      r.target.region,
		JobType:       jobTypeWire(jobType),
		DtsInstanceID: args.DtsInstanceID.ValueString(),
		Name:          args.Name.ValueString(),
		Status:        args.Status.ValueString(),
		Tags:          tagsValue(args.Tags),
		PageSize:      dtsapi.DtsJobsPageSize,
	}
	list := func(ctx context.Context) (*dtsJobsFound, error) {
		found, err := r.client.ListDtsJobs(ctx, apiReq)
		if err != nil {
			return nil, err
		}
		found.Items = keepMatching(found.Items, nameRe, func(j *dtsJob) dtsapi.String { return j.DtsJobName })
		return found, nil
	}
	found, err := waitOrList(r, args.WaitFor, family.Current, l, list,
		func(j *dtsJob) string { return unitName("job", j.DtsJobID, j.DtsJobName) }, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	if err != nil {
		summary, detail := fleetErrorDiagnostic(l, r.target, r.timeout, err)
		resp.Diagnostics.AddError(summary, detail)
		return
	}
	computed := jobsAttributes.values(found, &location{}, &resp.Diagnostics)
	computed["job_type"] = tftypes.NewValue(tftypes.String, jobType)
	r.record(resp, req.Config.Raw, computed, l.String())
}

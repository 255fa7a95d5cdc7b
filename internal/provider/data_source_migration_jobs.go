package provider

import (
	"context"
	"slices"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/mapvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/openmigrate/terraform-provider-dts/internal/dtsapi"
	"github.com/openmigrate/terraform-provider-dts/internal/wait"
	"github.com/openmigrate/terraform-provider-dts/internal/wait/family"
)

var (
	_ datasource.DataSource                   = (*migrationJobsDataSource)(nil)
	_ datasource.DataSourceWithConfigure      = (*migrationJobsDataSource)(nil)
	_ datasource.DataSourceWithValidateConfig = (*migrationJobsDataSource)(nil)
)

// migrationJobsDataSource finds legacy migration jobs with DescribeMigrationJobs, page by page.
type migrationJobsDataSource struct {
	dataSource
}

func newMigrationJobsDataSource() datasource.DataSource {
	return &migrationJobsDataSource{}
}

func (d *migrationJobsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_migration_jobs"
}

func (d *migrationJobsDataSource) Schema(ctx context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	attrs := migrationJobsAttributes.schemaAttributes()
	attrs["region_id"] = regionIDAttribute()
	attrs["name"] = nonEmptyArgument("Only jobs whose name contains this text, as the service matches it (a fuzzy " +
		"match). Sent as `MigrationJobName`. Use `name_regex` for an exact match.")
	attrs["tags"] = tagsArgument("Sent as `Tag.N.Key` and `Tag.N.Value`, in key order; at most 20.",
		mapvalidator.SizeAtMost(maxLegacyTags))
	attrs["name_regex"] = nameRegexArgument()
	attrs["status"] = schema.ListAttribute{
		Optional:    true,
		ElementType: types.StringType,
		Description: "Only jobs whose `migration_job_status` is one of these, exactly as spelled (" +
			statusList(family.Legacy.Table, wait.StageJob) + "). Applied by the provider after every page is read: " +
			"DescribeMigrationJobs has no status filter.",
		Validators: []validator.List{
			listvalidator.SizeAtLeast(1),
			listvalidator.ValueStringsAre(stringvalidator.LengthAtLeast(1)),
		},
	}
	resp.Schema = schema.Schema{
		Description: "Finds legacy DTS data migration jobs with `DescribeMigrationJobs`, reading every page: by name " +
			"and tags on the service's side, by `name_regex` and `status` here. Each job comes with a summary of its " +
			"stages; feed `ids` to `dts_migration_job_status` for the precheck items and checkpoint. With " +
			"`wait_for`, the read blocks until every job found is at a target status (a fleet gate: one listing per " +
			"poll, not one request per job), and fails as soon as any of them fails or none is found. Without it, no " +
			"match is an empty list, not an error: before gating anything on the jobs found, check that there are " +
			"some (as the first example does). A listing that needs more than 100 pages of 30 jobs fails and asks for a " +
			"narrower filter. For jobs created in today's DTS console, use `dts_jobs`.",
		Attributes: attrs,
		Blocks: map[string]schema.Block{
			"timeouts": timeoutsBlock(ctx),
			"wait_for": legacyFleetWaitFor,
		},
	}
}

// legacyFleetWaitFor is the wait_for block of dts_migration_jobs, which says how a precheck that
// this call reports passed is read.
var legacyFleetWaitFor = func() schema.SingleNestedBlock {
	b := fleetWaitForBlock(family.LegacyListed.Table)
	b.Description += " DescribeMigrationJobs reports a passed precheck as `Success`, where `dts_migration_job_status` " +
		"reports `Finished`: the wait reads `Success` as `Finished` (the two calls' documentation implies they mean the " +
		"same), so the stages and statuses are those of `dts_migration_job_status` throughout."
	return b
}()

func (d *migrationJobsDataSource) ValidateConfig(ctx context.Context, req datasource.ValidateConfigRequest, resp *datasource.ValidateConfigResponse) {
	validateWaitForConfig(ctx, req, resp, family.LegacyListed.Table)
}

type (
	legacyJob          = dtsapi.MigrationJob
	migrationJobsFound = dtsapi.Listing[legacyJob]
)

// maxLegacyTags is how many Tag.N parameters DescribeMigrationJobs takes.
const maxLegacyTags = 20

// listedMigrationJobShape is one job of dts_migration_jobs: what DescribeMigrationJobs lists of it.
var listedMigrationJobShape = newObject(
	stringAttr("migration_job_id", "ID of the migration job (`MigrationJobID`), such as `dtson2z28evm33****`.",
		func(j *legacyJob) dtsapi.String { return j.MigrationJobID }),
	through(func(j *legacyJob) *dtsapi.MigrationJobHeader { return &j.MigrationJobHeader }, legacyJobHeader),
	stringAttr("instance_create_time", "When the migration instance was created, as the API sends it (ISO 8601 UTC).",
		func(j *legacyJob) dtsapi.String { return j.InstanceCreateTime }),
	stringAttr("job_create_time", "When the migration job was created, as the API sends it (ISO 8601 UTC).",
		func(j *legacyJob) dtsapi.String { return j.JobCreateTime }),
	tagsAttr(func(j *legacyJob) dtsapi.List[dtsapi.MigrationTag] { return j.Tags },
		func(t *dtsapi.MigrationTag) (k, v dtsapi.String) { return t.Key, t.Value }),
	objectAttr("precheck", "Summary of the precheck; read its items with `dts_migration_job_status`. Null when the API returns none.",
		func(j *legacyJob) dtsapi.Object[dtsapi.MigrationPrecheck] { return j.Precheck }, legacyPrecheckShape),
	objectAttr("structure_initialization", "State of schema migration. Null when the API returns none.",
		func(j *legacyJob) dtsapi.Object[dtsapi.InitializationStatus] { return j.StructureInitialization },
		legacyInitializationShape(wait.StageStructureInitialization, "schema migration", "tables")),
	objectAttr("data_initialization", "State of full data migration. Null when the API returns none.",
		func(j *legacyJob) dtsapi.Object[dtsapi.InitializationStatus] { return j.DataInitialization },
		legacyInitializationShape(wait.StageDataInitialization, "full data migration", "records")),
	objectAttr("data_synchronization", "State of incremental data migration. Null when the API returns none.",
		func(j *legacyJob) dtsapi.Object[dtsapi.DataSynchronizationStatus] { return j.DataSynchronization }, legacySyncShape),
)

// migrationJobsAttributes are dts_migration_jobs' computed attributes: the jobs found, and their IDs.
var migrationJobsAttributes = newObject(
	stringsAttr("ids", "IDs (`migration_job_id`) of the jobs found, in the order the service lists them.",
		func(l *migrationJobsFound) []legacyJob { return l.Items }, func(j *legacyJob) dtsapi.String { return j.MigrationJobID }),
	objectsAttr("jobs", "The jobs found, in the order of `ids`; an empty list when no job matches.",
		func(l *migrationJobsFound) []legacyJob { return l.Items }, listedMigrationJobShape),
)

// migrationJobsArguments are the data source's arguments.
type migrationJobsArguments struct {
	RegionID  types.String   `tfsdk:"region_id"`
	Name      types.String   `tfsdk:"name"`
	Tags      types.Map      `tfsdk:"tags"`
	NameRegex types.String   `tfsdk:"name_regex"`
	Status    []string       `tfsdk:"status"`
	Timeouts  timeouts.Value `tfsdk:"timeouts"`
	WaitFor   *waitForModel  `tfsdk:"wait_for"`
}

func (d *migrationJobsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var args migrationJobsArguments
	resp.Diagnostics.Append(readArguments(ctx, req.Config, &args)...)
	if resp.Diagnostics.HasError() {
		return
	}
	l := listing{action: "DescribeMigrationJobs", jobs: "migration jobs", pageSize: dtsapi.MigrationJobsPageSize,
		narrower: "name or tags (name_regex and status filter only after every page is read)"}
	l.filter("name", args.Name, args.Name.IsNull())
	l.filter("tags", args.Tags, args.Tags.IsNull())
	nameRe := nameRegexp(args.NameRegex, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	r, diags := d.startRead(ctx, args.Timeouts, args.RegionID.ValueString(), "Cannot list DTS migration jobs", "Listing DTS migration jobs")
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	defer r.done()

	apiReq := dtsapi.DescribeMigrationJobsRequest{
		RegionID: r.target.region,
		Name:     args.Name.ValueString(),
		Tags:     tagsValue(args.Tags),
		PageSize: dtsapi.MigrationJobsPageSize,
	}
	list := func(ctx context.Context) (*migrationJobsFound, error) {
		found, err := r.client.ListMigrationJobs(ctx, apiReq)
		if err != nil {
			return nil, err
		}
		found.Items = keepMatching(found.Items, nameRe, func(j *legacyJob) dtsapi.String { return j.MigrationJobName })
		if args.Status != nil {
			found.Items = slices.DeleteFunc(found.Items, func(j legacyJob) bool { return !slices.Contains(args.Status, j.MigrationJobStatus.Val) })
		}
		return found, nil
	}
	found, err := waitOrList(r, args.WaitFor, family.LegacyListed, l, list,
		func(j *legacyJob) string { return unitName("migration job", j.MigrationJobID, j.MigrationJobName) }, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	if err != nil {
		summary, detail := fleetErrorDiagnostic(l, r.target, r.timeout, err)
		resp.Diagnostics.AddError(summary, detail)
		return
	}
	computed := migrationJobsAttributes.values(found, &location{}, &resp.Diagnostics)
	r.record(resp, req.Config.Raw, computed, l.String())
}

package provider

import (
	"context"
	"fmt"
	"regexp"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
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
	_ datasource.DataSource                   = (*migrationJobStatusDataSource)(nil)
	_ datasource.DataSourceWithConfigure      = (*migrationJobStatusDataSource)(nil)
	_ datasource.DataSourceWithValidateConfig = (*migrationJobStatusDataSource)(nil)
)

// migrationJobStatusDataSource reads a legacy migration job with DescribeMigrationJobStatus.
type migrationJobStatusDataSource struct {
	dataSource
}

func newMigrationJobStatusDataSource() datasource.DataSource {
	return &migrationJobStatusDataSource{}
}

func (d *migrationJobStatusDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_migration_job_status"
}

func (d *migrationJobStatusDataSource) Schema(ctx context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	attrs := migrationJobStatusAttributes.schemaAttributes()
	attrs["migration_job_id"] = schema.StringAttribute{
		Required:    true,
		Description: "ID of the legacy data migration job, such as `dtsz2v12jfo309****`. Sent as `MigrationJobId`.",
		Validators:  []validator.String{stringvalidator.RegexMatches(regexp.MustCompile(`^\S+$`), "must not be empty or contain spaces")},
	}
	attrs["region_id"] = regionIDAttribute()
	attrs["client_token"] = schema.StringAttribute{
		Optional:    true,
		Description: "Client token sent as `ClientToken`: at most 64 ASCII characters.",
		Validators: []validator.String{
			stringvalidator.LengthBetween(1, 64),
			stringvalidator.RegexMatches(regexp.MustCompile(`^[\x20-\x7e]*$`), "must hold only printable ASCII characters"),
		},
	}
	attrs["account_id"] = schema.StringAttribute{
		Optional:           true,
		Description:        "Alibaba Cloud account ID, sent as `AccountId`. Not needed; the API is dropping it.",
		DeprecationMessage: "account_id is not needed and the DescribeMigrationJobStatus API is dropping the AccountId parameter; remove it.",
	}
	resp.Schema = schema.Schema{
		Description: "Reads the full status of a legacy DTS data migration job with one `DescribeMigrationJobStatus` " +
			"call: precheck, schema migration, full data migration and incremental synchronization with its delay " +
			"and checkpoint. With `wait_for`, the read blocks until a stage reaches a target status, and fails as " +
			"soon as the migration fails. For jobs created in today's DTS console, use `dts_job_status`.",
		Attributes: attrs,
		Blocks: map[string]schema.Block{
			"timeouts": timeoutsBlock(ctx),
			"wait_for": waitForBlock(family.Legacy.Table),
		},
	}
}

type legacyStatus = dtsapi.MigrationJobStatus

// migrationJobStatusAttributes are the data source's computed attributes: the whole response.
var migrationJobStatusAttributes = newObject(
	requestIDAttr(func(s *legacyStatus) dtsapi.String { return s.RequestID }),
	stringAttr("task_id", "ID of the migration task, as used in the DTS console's task page links.", func(s *legacyStatus) dtsapi.String { return s.TaskID }),
	through(func(s *legacyStatus) *dtsapi.MigrationJobHeader { return &s.MigrationJobHeader }, legacyJobHeader),
	objectAttr("precheck_status", "State of the precheck. Null when the API returns none.",
		func(s *legacyStatus) dtsapi.Object[dtsapi.MigrationPrecheck] { return s.PrecheckStatus }, legacyPrecheckStatusShape),
	objectAttr("structure_initialization_status", "State of schema migration. Null when the API returns none.",
		func(s *legacyStatus) dtsapi.Object[dtsapi.InitializationStatus] {
			return s.StructureInitializationStatus
		},
		legacyInitializationShape(wait.StageStructureInitialization, "schema migration", "tables")),
	objectAttr("data_initialization_status", "State of full data migration. Null when the API returns none.",
		func(s *legacyStatus) dtsapi.Object[dtsapi.InitializationStatus] { return s.DataInitializationStatus },
		legacyInitializationShape(wait.StageDataInitialization, "full data migration", "records")),
	objectAttr("data_synchronization_status", "State of incremental data migration. Null when the API returns none.",
		func(s *legacyStatus) dtsapi.Object[dtsapi.DataSynchronizationStatus] {
			return s.DataSynchronizationStatus
		},
		legacySyncStatusShape),
)

// legacyNotFound points users of today's jobs to the data source that reads them.
const legacyNotFound = " If the job was created in today's DTS console or with CreateDtsInstance/ConfigureDtsJob, read it " +
	"with the dts_job_status data source: dts_migration_job_status reads only legacy migration jobs " +
	"(DescribeMigrationJobStatus)."

func (d *migrationJobStatusDataSource) ValidateConfig(ctx context.Context, req datasource.ValidateConfigRequest, resp *datasource.ValidateConfigResponse) {
	validateWaitForConfig(ctx, req, resp, family.Legacy.Table)
}

// migrationJobStatusArguments are the data source's arguments.
type migrationJobStatusArguments struct {
	MigrationJobID types.String   `tfsdk:"migration_job_id"`
	RegionID       types.String   `tfsdk:"region_id"`
	ClientToken    types.String   `tfsdk:"client_token"`
	AccountID      types.String   `tfsdk:"account_id"`
	Timeouts       timeouts.Value `tfsdk:"timeouts"`
	WaitFor        *waitForModel  `tfsdk:"wait_for"`
}

func (d *migrationJobStatusDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var args migrationJobStatusArguments
	resp.Diagnostics.Append(readArguments(ctx, req.Config, &args)...)
	if resp.Diagnostics.HasError() {
		return
	}
	jobID := args.MigrationJobID.ValueString()
	subj := subject{kind: "DTS migration job", what: fmt.Sprintf("Migration job %q", jobID),
		action: "DescribeMigrationJobStatus", notFound: legacyNotFound}
	r, diags := d.startRead(ctx, args.Timeouts, args.RegionID.ValueString(), "Cannot read DTS migration job status", subj.what)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	defer r.done()

	apiReq := dtsapi.DescribeMigrationJobStatusRequest{
		MigrationJobID: jobID,
		RegionID:       r.target.region,
		ClientToken:    args.ClientToken.ValueString(),
		AccountID:      args.AccountID.ValueString(),
	}
	describe := func(ctx context.Context) (*dtsapi.MigrationJobStatus, error) {
		return r.client.DescribeMigrationJobStatus(ctx, apiReq)
	}
	status, err := waitOrRead(r, args.WaitFor, family.Legacy, describe, &resp.Diagnostics,
		logPoll[dtsapi.MigrationJobStatus]("Polled DTS migration job status", "migration_job_id", jobID, r.target, stageOf(args.WaitFor), nil),
		map[string]any{"migration_job_id": jobID})
	if resp.Diagnostics.HasError() {
		return
	}
	if err != nil {
		summary, detail := readErrorDiagnostic(subj, r.target, r.timeout, err)
		resp.Diagnostics.AddError(summary, detail)
		return
	}
	computed := migrationJobStatusAttributes.values(status, &location{}, &resp.Diagnostics)
	r.record(resp, req.Config.Raw, computed, subj.what)
}

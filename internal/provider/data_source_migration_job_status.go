package provider

import (
	"context"
	"fmt"
	"regexp"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

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

type legacyStatus = dtsapi.MigrationJobStatus

// migrationJobStatusAttributes are the data source's computed attributes: the whole response.
var migrationJobStatusAttributes = newObject(append([]attribute[legacyStatus]{
	stringAttr("request_id", "ID of the API request that produced this state; quote it to Alibaba Cloud support.", func(s *legacyStatus) dtsapi.String { return s.RequestID }),
	stringAttr("task_id", "ID of the migration task, as used in the DTS console's task page links.", func(s *legacyStatus) dtsapi.String { return s.TaskID }),
	stringAttr("migration_job_name", "Name of the migration job.", func(s *legacyStatus) dtsapi.String { return s.MigrationJobName }),
	stringAttr("migration_job_class", "Instance class of the job: `small`, `medium`, `large`, `xlarge` or `2xlarge`.", func(s *legacyStatus) dtsapi.String { return s.MigrationJobClass }),
	stringAttr("migration_job_status", statusDescription(family.Legacy.Table, wait.StageJob, "the whole job"), func(s *legacyStatus) dtsapi.String { return s.MigrationJobStatus }),
	stringAttr("pay_type", "Billing method, such as `PostPaid`.", func(s *legacyStatus) dtsapi.String { return s.PayType }),
	stringAttr("migration_object", "The migrated objects, as the raw JSON text the API returns; decode it with `jsondecode()`.", func(s *legacyStatus) dtsapi.String { return s.MigrationObject.String }),
	objectAttr("migration_mode", modeDescription, func(s *legacyStatus) dtsapi.Object[dtsapi.MigrationMode] { return s.MigrationMode }, legacyModeShape),
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
		legacySyncShape.with(checkpointAttrs(func(s *dtsapi.DataSynchronizationStatus) dtsapi.Int { return s.Checkpoint })...)),
}, endpointAttrs("Null when the API returns none.",
	func(s *legacyStatus) dtsapi.Object[dtsapi.Endpoint] { return s.SourceEndpoint },
	func(s *legacyStatus) dtsapi.Object[dtsapi.Endpoint] { return s.DestinationEndpoint }, endpointShape)...)...)

// legacyPrecheckStatusShape is the status call's precheck: documented statuses, and the items.
var legacyPrecheckStatusShape = newObject(
	stringAttr("status", statusDescription(family.Legacy.Table, wait.StagePrecheck, "the precheck"),
		func(p *dtsapi.MigrationPrecheck) dtsapi.String { return p.Status }),
	legacyPrecheckPercent,
	listAttr("detail", "Result of each precheck item; an empty list when the API lists none.",
		func(p *dtsapi.MigrationPrecheck) dtsapi.List[dtsapi.MigrationCheckItem] { return p.Detail }, legacyCheckItemShape),
)

// legacyCheckItemShape is one item of a legacy precheck.
var legacyCheckItemShape = newObject(
	stringAttr("check_status", "Result of the item, such as `Success` or `Failed`.", func(c *dtsapi.MigrationCheckItem) dtsapi.String { return c.CheckStatus }),
	stringAttr("item_name", "Name of the item, such as `CHECK_CONN_SRC`.", func(c *dtsapi.MigrationCheckItem) dtsapi.String { return c.ItemName }),
	stringAttr("error_message", "Why the item failed; set for failed items.", func(c *dtsapi.MigrationCheckItem) dtsapi.String { return c.ErrorMessage }),
	stringAttr("repair_method", "How to fix the failure; set for failed items.", func(c *dtsapi.MigrationCheckItem) dtsapi.String { return c.RepairMethod }),
)

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

// regionIDAttribute is the region_id argument every data source takes.
func regionIDAttribute() schema.StringAttribute {
	return schema.StringAttribute{
		Optional: true,
		Computed: true,
		Description: "Region of the job, such as `cn-hangzhou`. Defaults to the provider's `region`; also picks " +
			"the endpoint when the provider sets none.",
		Validators: regionValidators(),
	}
}

func (d *migrationJobStatusDataSource) ValidateConfig(ctx context.Context, req datasource.ValidateConfigRequest, resp *datasource.ValidateConfigResponse) {
	validateWaitForConfig(ctx, req, resp, family.Legacy.Table)
}

// validateWaitForConfig checks a data source's wait_for block. Only the block is read: reading the
// whole configuration by reflection cost more than the check, and Terraform validates every instance.
func validateWaitForConfig(ctx context.Context, req datasource.ValidateConfigRequest, resp *datasource.ValidateConfigResponse, table wait.Table) {
	var w *waitForModel
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("wait_for"), &w)...)
	if resp.Diagnostics.HasError() || w == nil {
		return
	}
	resp.Diagnostics.Append(validateWaitFor(ctx, table, w)...)
}

// legacyNotFound points users of today's jobs to the data source that reads them.
const legacyNotFound = " If the job was created in today's DTS console or with CreateDtsInstance/ConfigureDtsJob, read it " +
	"with the dts_job_status data source: dts_migration_job_status reads only legacy migration jobs " +
	"(DescribeMigrationJobStatus)."

func (d *migrationJobStatusDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var (
		jobID, regionID, clientToken, accountID types.String
		readTimeouts                            timeouts.Value
		waitFor                                 *waitForModel
	)
	resp.Diagnostics.Append(getArguments(ctx, req.Config, map[string]any{
		"migration_job_id": &jobID, "region_id": &regionID, "client_token": &clientToken, "account_id": &accountID,
		"timeouts": &readTimeouts, "wait_for": &waitFor,
	})...)
	if resp.Diagnostics.HasError() {
		return
	}
	subj := subject{kind: "DTS migration job", what: fmt.Sprintf("Migration job %q", jobID.ValueString()),
		action: "DescribeMigrationJobStatus", notFound: legacyNotFound}
	r, diags := d.startRead(ctx, readTimeouts, regionID.ValueString(), "Cannot read DTS migration job status", subj.what)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	defer r.done()

	apiReq := dtsapi.DescribeMigrationJobStatusRequest{
		MigrationJobID: jobID.ValueString(),
		RegionID:       r.target.region,
		ClientToken:    clientToken.ValueString(),
		AccountID:      accountID.ValueString(),
	}
	describe := func(ctx context.Context) (*dtsapi.MigrationJobStatus, error) {
		return r.client.DescribeMigrationJobStatus(ctx, apiReq)
	}
	status, err := waitOrRead(r, waitFor, family.Legacy, describe, &resp.Diagnostics,
		logPoll[dtsapi.MigrationJobStatus]("Polled DTS migration job status", "migration_job_id", jobID.ValueString(), r.target, stageOf(waitFor), nil),
		map[string]any{"migration_job_id": jobID.ValueString()})
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

func stageOf(w *waitForModel) wait.Stage {
	if w == nil {
		return ""
	}
	return wait.Stage(w.Stage.ValueString())
}

// waitOrRead makes one call, or, with a wait_for block, waits with the family's stage table. A
// wait_for that cannot be used is reported in diags, with a nil result and error.
func waitOrRead[R any](r *read, waitFor *waitForModel, family *wait.Family[R], describe func(context.Context) (*R, error),
	diags *diag.Diagnostics, onPoll func(context.Context, wait.Poll[R]), logFields map[string]any) (*R, error) {
	if waitFor == nil {
		return describe(r.ctx)
	}
	t, interval, tdiags := waitFor.target(r.ctx, family.Table)
	diags.Append(tdiags...)
	if diags.HasError() {
		return nil, nil
	}
	w := &wait.Waiter[R]{
		Describe:     describe,
		Gate:         family.Gate(t),
		Clock:        r.clock,
		PollInterval: interval,
		Timeout:      r.timeout,
		OnPoll:       onPoll,
	}
	fields := map[string]any{"region": r.target.region, "target": t.String(),
		"poll_interval": interval.String(), "timeout": r.timeout.String()}
	for k, v := range logFields {
		fields[k] = v
	}
	tflog.Info(r.ctx, "Waiting for DTS job", fields)
	return w.Wait(r.ctx)
}

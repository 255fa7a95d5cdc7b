package provider

import (
	"context"
	"fmt"
	"regexp"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/openmigrate/terraform-provider-dts/internal/dtsapi"
	"github.com/openmigrate/terraform-provider-dts/internal/wait"
)

// defaultReadTimeout bounds a whole read, waits and retries included, unless timeouts.read says otherwise.
const defaultReadTimeout = 20 * time.Minute

var (
	_ datasource.DataSource                   = (*migrationJobStatusDataSource)(nil)
	_ datasource.DataSourceWithConfigure      = (*migrationJobStatusDataSource)(nil)
	_ datasource.DataSourceWithValidateConfig = (*migrationJobStatusDataSource)(nil)
)

type migrationJobStatusDataSource struct {
	data *providerData
}

func newMigrationJobStatusDataSource() datasource.DataSource {
	return &migrationJobStatusDataSource{}
}

func (d *migrationJobStatusDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_migration_job_status"
}

func (d *migrationJobStatusDataSource) Schema(ctx context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = migrationJobStatusSchema(ctx)
}

func migrationJobStatusSchema(ctx context.Context) schema.Schema {
	str := func(desc string) schema.StringAttribute {
		return schema.StringAttribute{Computed: true, Description: desc}
	}
	num := func(desc string) schema.Int64Attribute {
		return schema.Int64Attribute{Computed: true, Description: desc}
	}
	flag := func(desc string) schema.BoolAttribute { return schema.BoolAttribute{Computed: true, Description: desc} }
	stageStatus := func(stage, values string) schema.StringAttribute {
		return str(fmt.Sprintf("Status of %s. Documented values: %s. Values the documentation omits are kept as the API sends them.", stage, values))
	}
	percent := func(stage string) schema.Int64Attribute {
		return num(fmt.Sprintf("Progress of %s, in percent (0 to 100).", stage))
	}
	stageError := func(stage string) schema.StringAttribute {
		return str(fmt.Sprintf("Error message of %s; set when it failed.", stage))
	}
	endpoint := func(which string) schema.SingleNestedAttribute {
		return schema.SingleNestedAttribute{
			Computed:    true,
			Description: fmt.Sprintf("Connection settings of the %s database. Null when the API returns none.", which),
			Attributes: map[string]schema.Attribute{
				"database_name": str(fmt.Sprintf("Name of the %s database that holds the migrated objects.", which)),
				"engine_name":   str(fmt.Sprintf("Database engine of the %s, such as `MySQL`.", which)),
				"ip":            str(fmt.Sprintf("Address of the %s database.", which)),
				"instance_id":   str(fmt.Sprintf("ID of the %s instance, such as `rm-bp1i99e8l7913****`.", which)),
				"instance_type": str(fmt.Sprintf("Instance type of the %s, such as `RDS`.", which)),
				"port":          num(fmt.Sprintf("Port of the %s database.", which)),
				"user_name":     str(fmt.Sprintf("Database account DTS uses on the %s.", which)),
				"oracle_sid":    str(fmt.Sprintf("System ID (SID) of the %s database; set for Oracle only.", which)),
			},
		}
	}
	initialization := func(stage, progressUnit string) schema.SingleNestedAttribute {
		return schema.SingleNestedAttribute{
			Computed:    true,
			Description: fmt.Sprintf("State of %s. Null when the API returns none.", stage),
			Attributes: map[string]schema.Attribute{
				"status":        stageStatus(stage, "`NotStarted`, `Migrating`, `Failed`, `Finished`"),
				"percent":       percent(stage),
				"progress":      num(fmt.Sprintf("Number of %s migrated so far.", progressUnit)),
				"error_message": stageError(stage),
			},
		}
	}

	timeoutsBlock, _ := timeouts.BlockWithOpts(ctx, timeouts.Opts{
		ReadDescription: "Deadline for the whole read, waits and retries included, as a duration such as `30m`. Default `20m`.",
	}).(schema.SingleNestedBlock)
	timeoutsBlock.Description = "Time limits for this data source."

	return schema.Schema{
		Description: "Reads the full status of a DTS data migration job with one `DescribeMigrationJobStatus` call: " +
			"precheck, schema migration, full data migration and incremental synchronization with its delay and " +
			"checkpoint. With `wait_for`, the read blocks until a stage reaches a target status, and fails as soon " +
			"as the migration fails.",
		Attributes: map[string]schema.Attribute{
			"migration_job_id": schema.StringAttribute{
				Required:    true,
				Description: "ID of the data migration job, such as `dtsz2v12jfo309****`. Sent as `MigrationJobId`.",
				Validators:  []validator.String{stringvalidator.LengthAtLeast(1), stringvalidator.RegexMatches(regexp.MustCompile(`^\S+$`), "must not be empty or contain spaces")},
			},
			"region_id": schema.StringAttribute{
				Optional: true,
				Computed: true,
				Description: "Region of the job, sent as `RegionId`, such as `cn-hangzhou`. Defaults to the provider's " +
					"`region`; also picks the endpoint when the provider sets none.",
				Validators: []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"client_token": schema.StringAttribute{
				Optional:    true,
				Description: "Client token sent as `ClientToken`: at most 64 ASCII characters.",
				Validators: []validator.String{
					stringvalidator.LengthBetween(1, 64),
					stringvalidator.RegexMatches(regexp.MustCompile(`^[\x20-\x7e]*$`), "must hold only printable ASCII characters"),
				},
			},
			"account_id": schema.StringAttribute{
				Optional:           true,
				Description:        "Alibaba Cloud account ID, sent as `AccountId`. Not needed; the API is dropping it.",
				DeprecationMessage: "account_id is not needed and the DescribeMigrationJobStatus API is dropping the AccountId parameter; remove it.",
			},
			"request_id":           str("ID of the API request that produced this state; quote it to Alibaba Cloud support."),
			"task_id":              str("ID of the migration task, as used in the DTS console's task page links."),
			"migration_job_name":   str("Name of the migration job."),
			"migration_job_class":  str("Instance class of the job: `small`, `medium`, `large`, `xlarge` or `2xlarge`."),
			"migration_job_status": str("Status of the whole job. Documented values: `NotStarted`, `Prechecking`, `PrecheckFailed`, `Migrating`, `Suspending`, `MigrationFailed`, `Finished`."),
			"pay_type":             str("Billing method, such as `PostPaid`."),
			"migration_object":     str("The migrated objects, as the raw JSON text the API returns; decode it with `jsondecode()`."),
			"migration_mode": schema.SingleNestedAttribute{
				Computed:    true,
				Description: "Which migration types the job performs. Null when the API returns none.",
				Attributes: map[string]schema.Attribute{
					"structure_initialization": flag("Whether the job migrates schemas."),
					"data_initialization":      flag("Whether the job migrates the full data."),
					"data_synchronization":     flag("Whether the job migrates incremental changes."),
				},
			},
			"precheck_status": schema.SingleNestedAttribute{
				Computed:    true,
				Description: "State of the precheck. Null when the API returns none.",
				Attributes: map[string]schema.Attribute{
					"status":  stageStatus("the precheck", "`NotStarted`, `Checking`, `Suspending`, `Failed`, `Finished`"),
					"percent": percent("the precheck"),
					"detail": schema.ListNestedAttribute{
						Computed:    true,
						Description: "Result of each precheck item; an empty list when the API lists none.",
						NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
							"check_status":  str("Result of the item, such as `Success` or `Failed`."),
							"item_name":     str("Name of the item, such as `CHECK_CONN_SRC`."),
							"error_message": str("Why the item failed; set for failed items."),
							"repair_method": str("How to fix the failure; set for failed items."),
						}},
					},
				},
			},
			"structure_initialization_status": initialization("schema migration", "tables"),
			"data_initialization_status":      initialization("full data migration", "records"),
			"data_synchronization_status": schema.SingleNestedAttribute{
				Computed:    true,
				Description: "State of incremental data migration. Null when the API returns none.",
				Attributes: map[string]schema.Attribute{
					"status":          stageStatus("incremental data migration", "`NotStarted`, `Migrating`, `Failed`, `Finished`, `Catched` (caught up)"),
					"percent":         percent("incremental data migration"),
					"delay":           num("Replication delay in seconds: how far the destination is behind the source. Null when the API sends none."),
					"checkpoint":      num("Unix time, in seconds, of the latest change applied to the destination."),
					"checkpoint_time": str("`checkpoint` as an RFC 3339 UTC timestamp, such as `2021-02-05T06:50:47Z`."),
					"error_message":   stageError("incremental data migration"),
				},
			},
			"source_endpoint":      endpoint("source"),
			"destination_endpoint": endpoint("destination"),
		},
		Blocks: map[string]schema.Block{
			"timeouts": timeoutsBlock,
			"wait_for": waitForBlock(),
		},
	}
}

func (d *migrationJobStatusDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	if req.ProviderData == nil {
		return
	}
	data, ok := req.ProviderData.(*providerData)
	if !ok {
		resp.Diagnostics.AddError("Unexpected provider data",
			fmt.Sprintf("Expected *providerData, got %T. This is a bug in the provider; please report it.", req.ProviderData))
		return
	}
	d.data = data
}

func (d *migrationJobStatusDataSource) ValidateConfig(ctx context.Context, req datasource.ValidateConfigRequest, resp *datasource.ValidateConfigResponse) {
	// Only wait_for needs checking: reading the whole model by reflection, every attribute of the
	// response included, cost more than the check itself, and Terraform validates every instance.
	var w *waitForModel
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("wait_for"), &w)...)
	if resp.Diagnostics.HasError() || w == nil {
		return
	}
	resp.Diagnostics.Append(validateWaitFor(ctx, w)...)
}

func (d *migrationJobStatusDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m migrationJobStatusModel
	resp.Diagnostics.Append(m.readArguments(ctx, req.Config)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if d.data == nil {
		resp.Diagnostics.AddError("Provider not configured", "The dts provider was not configured before the data source was read. This is a bug in the provider; please report it.")
		return
	}
	readTimeout, diags := m.Timeouts.Read(ctx, defaultReadTimeout)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, readTimeout)
	defer cancel()
	if d.data.tuning.watchInterrupt {
		var stop func()
		ctx, stop = withInterrupt(ctx)
		defer stop()
	}

	jobID := m.MigrationJobID.ValueString()
	tgt, err := d.data.target(m.RegionID.ValueString())
	if err != nil {
		resp.Diagnostics.AddError("Cannot read DTS migration job status", fmt.Sprintf("Migration job %q: %s.", jobID, err))
		return
	}
	client, err := d.data.client(tgt)
	if err != nil {
		resp.Diagnostics.AddError("Cannot read DTS migration job status", fmt.Sprintf("Migration job %q in region %s: %s.", jobID, tgt.region, err))
		return
	}
	apiReq := dtsapi.DescribeMigrationJobStatusRequest{
		MigrationJobID: jobID,
		RegionID:       tgt.region,
		ClientToken:    m.ClientToken.ValueString(),
		AccountID:      m.AccountID.ValueString(),
	}
	describe := func(ctx context.Context) (*dtsapi.MigrationJobStatus, error) {
		return client.DescribeMigrationJobStatus(ctx, apiReq)
	}
	var status *dtsapi.MigrationJobStatus
	if m.WaitFor == nil {
		status, err = describe(ctx)
	} else {
		t, interval, diags := m.WaitFor.target(ctx)
		resp.Diagnostics.Append(diags...)
		if resp.Diagnostics.HasError() {
			return
		}
		w := &wait.Waiter{
			Describe:     describe,
			Clock:        d.data.tuning.clock,
			PollInterval: interval,
			Timeout:      readTimeout,
			OnPoll:       logPoll(jobID, tgt, t.Stage),
		}
		tflog.Info(ctx, "Waiting for DTS migration job", map[string]any{
			"migration_job_id": jobID, "region": tgt.region, "target": t.String(),
			"poll_interval": interval.String(), "timeout": readTimeout.String(),
		})
		status, err = w.Wait(ctx, t)
	}
	if err != nil {
		summary, detail := readErrorDiagnostic(jobID, tgt, readTimeout, err)
		resp.Diagnostics.AddError(summary, detail)
		return
	}
	m.RegionID = types.StringValue(tgt.region)
	m.fill(status)
	resp.Diagnostics.Append(decodeWarnings(status.Warnings)...)
	state, err := m.stateValue(ctx, resp.State.Schema.Type().TerraformType(ctx))
	if err != nil {
		resp.Diagnostics.AddError("Cannot record the DTS migration job status",
			fmt.Sprintf("Migration job %q: the state does not fit the schema: %s. This is a bug in the provider; please report it.", jobID, err))
		return
	}
	resp.State.Raw = state
}

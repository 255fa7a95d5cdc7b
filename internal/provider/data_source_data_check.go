package provider

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/objectvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/openmigrate/terraform-provider-dts/internal/dtsapi"
	"github.com/openmigrate/terraform-provider-dts/internal/wait"
	"github.com/openmigrate/terraform-provider-dts/internal/wait/family"
)

var (
	_ datasource.DataSource                   = (*dataCheckDataSource)(nil)
	_ datasource.DataSourceWithConfigure      = (*dataCheckDataSource)(nil)
	_ datasource.DataSourceWithValidateConfig = (*dataCheckDataSource)(nil)
)

// dataCheckDataSource reads the results of DTS's own data verification of a current-API job: the
// verification stage's status from DescribeDtsJobs, then every table's counts from
// DescribeDataCheckTableDetails. It never reads the inconsistent rows themselves
// (DescribeDataCheckTableDiffDetails): they are the user's data and do not belong in state.
type dataCheckDataSource struct {
	dataSource
}

func newDataCheckDataSource() datasource.DataSource {
	return &dataCheckDataSource{}
}

func (d *dataCheckDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_data_check"
}

// checkTypes maps check_type to the calls' CheckType.
var checkTypes = map[string]int{"full": dtsapi.CheckTypeFull, "incremental": dtsapi.CheckTypeIncremental}

func (d *dataCheckDataSource) Schema(ctx context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	attrs := dataCheckAttributes.schemaAttributes()
	attrs["dts_job_id"] = dtsJobIDArgument()
	attrs["check_type"] = schema.StringAttribute{
		Required: true,
		Description: "Which verification to read: `full` (the full data verification, `CheckType=1`) or `incremental` " +
			"(the incremental data verification, `CheckType=2`).",
		Validators: []validator.String{stringvalidator.OneOf("full", "incremental")},
	}
	attrs["job_type"] = jobTypeArgument()
	attrs["region_id"] = regionIDAttribute()
	resp.Schema = schema.Schema{
		Description: "Reads the results of DTS's own data verification of a migration or synchronization job created in " +
			"today's console or with `CreateDtsInstance`/`ConfigureDtsJob`: the verification's status from " +
			"`DescribeDtsJobs`, then, table by table, how many rows were verified and how many differ between source " +
			"and destination, from `DescribeDataCheckTableDetails` (every page, 20 tables each). With `wait_for`, the " +
			"read blocks until the verification reaches a target status with at most `max_inconsistent_rows` " +
			"inconsistent rows, and fails as soon as it cannot. The inconsistent rows themselves are never read: they " +
			"are your data, and do not belong in Terraform state.",
		Attributes: attrs,
		Blocks: map[string]schema.Block{
			"timeouts": timeoutsBlock(ctx),
			"wait_for": dataCheckWaitForBlock(),
		},
	}
}

type dataCheck = dtsapi.DataCheck

// dataCheckStage is the job's verification stage object; nil when the job has none.
func dataCheckStage(d *dataCheck) *dtsapi.StageStatus { return d.Stage() }

// stageField reads a field of the verification stage; unset when the stage is missing.
func stageField[L any](get func(*dtsapi.StageStatus) L) func(*dataCheck) L {
	return func(d *dataCheck) L {
		if s := dataCheckStage(d); s != nil {
			return get(s)
		}
		var zero L
		return zero
	}
}

// countField reads a count of the last page of tables; unset when the tables were not read.
func countField(get func(*dtsapi.DataCheckTableDetails) dtsapi.Int) func(*dataCheck) dtsapi.Int {
	return func(d *dataCheck) dtsapi.Int {
		if d.Tables == nil || d.Tables.Last == nil {
			return dtsapi.Int{}
		}
		return get(d.Tables.Last)
	}
}

// dataCheckAttributes are dts_data_check's computed attributes.
var dataCheckAttributes = newObject(
	stringAttr("status", "Status of the verification: `FullDataCheckStatus.Status` or `IncDataCheckStatus.Status`. "+
		"Documented values: full: "+statusList(family.DataCheckStatuses, wait.StageFullDataCheck)+"; incremental: "+
		statusList(family.DataCheckStatuses, wait.StageIncrementalDataCheck)+" (`Catched`: caught up). Values the "+
		"documentation omits are kept as the API sends them. Null when the job reports no such stage.",
		stageField(func(s *dtsapi.StageStatus) dtsapi.String { return s.Status })),
	int64Attr("percent", percentDescription("the verification"), stageField(func(s *dtsapi.StageStatus) dtsapi.Int { return s.Percent })),
	stringAttr("progress", "Progress of the verification as the API reports it: free text such as `1 rows/s (row: 5/5, table: 1/1)`.",
		stageField(func(s *dtsapi.StageStatus) dtsapi.String { return s.Progress })),
	stringAttr("error_message", errorDescription("the verification"), stageField(func(s *dtsapi.StageStatus) dtsapi.String { return s.ErrorMessage })),
	boolAttr("can_switch", "`FullDataCheckStatus.CanSwitch` as the API sends it (the documentation does not describe it); "+
		"null for an incremental verification, and when the API sends none.",
		func(d *dataCheck) dtsapi.Bool {
			if d.CheckType != dtsapi.CheckTypeFull {
				return dtsapi.Bool{}
			}
			return stageField(func(s *dtsapi.StageStatus) dtsapi.Bool { return s.CanSwitch })(d)
		}),
	boolAttr("enabled", "Whether the job has this verification configured: `MigrationMode.FullDataCheck` or "+
		"`MigrationMode.IncDataCheck`. When it is `false`, the tables are not asked for: `tables` is empty and the counts are null.",
		func(d *dataCheck) dtsapi.Bool { return d.Enabled() }),
	int64Attr("total_tables", "Tables in the verification (`TotalCount`). Null when the tables were not read.",
		countField(func(p *dtsapi.DataCheckTableDetails) dtsapi.Int { return p.TotalCount })),
	int64Attr("inconsistent_tables", "Tables with at least one inconsistent row, as the service counts them (`DiffTableCount`).",
		countField(func(p *dtsapi.DataCheckTableDetails) dtsapi.Int { return p.DiffTableCount })),
	int64Attr("failed_tables", "Tables whose verification failed, as the service counts them (`FailedTableCount`; the SDK's "+
		"comment says rows, its name says tables: read as tables, an inference).",
		countField(func(p *dtsapi.DataCheckTableDetails) dtsapi.Int { return p.FailedTableCount })),
	int64Attr("rows_checked", "Rows verified so far, all tables together (`FinishedCount`).",
		countField(func(p *dtsapi.DataCheckTableDetails) dtsapi.Int { return p.FinishedCount })),
	int64Attr("inconsistent_rows", "Inconsistent rows, all tables together: the sum of `tables[].inconsistent_rows`. Null when "+
		"not every row could be counted: the tables were not read, a table reports no count, fewer tables were listed than the "+
		"service counts, or the service counts more inconsistent tables than the tables show. A gate on it never opens on "+
		"rows it did not see.",
		func(d *dataCheck) dtsapi.Int {
			rows, unseen := family.VerifiedTables(d).InconsistentRows()
			if unseen != "" {
				return dtsapi.Int{}
			}
			return dtsapi.IntOf(rows)
		}),
	objectsAttr("tables", "Every table of the verification, in the service's order, with counts only: the rows themselves "+
		"are never read. Empty when the tables were not read.",
		func(d *dataCheck) []dtsapi.DataCheckTable {
			if d.Tables == nil {
				return nil
			}
			return d.Tables.Tables
		}, checkedTableShape),
	requestIDAttr(func(d *dataCheck) dtsapi.String {
		if d.Tables != nil && len(d.Tables.RequestIDs) > 0 {
			return dtsapi.StringOf(d.Tables.RequestIDs[len(d.Tables.RequestIDs)-1])
		}
		return d.Job.RequestID
	}),
)

// checkedTableShape is one verified table.
var checkedTableShape = newObject(
	stringAttr("source_database", "Source database (`SourceDbName`).", func(t *dtsapi.DataCheckTable) dtsapi.String { return t.SourceDbName }),
	stringAttr("source_table", "Source table (`SourceTbName`).", func(t *dtsapi.DataCheckTable) dtsapi.String { return t.SourceTbName }),
	stringAttr("target_database", "Destination database (`TargetDbName`).", func(t *dtsapi.DataCheckTable) dtsapi.String { return t.TargetDbName }),
	stringAttr("target_table", "Destination table (`TargetTbName`); it may be named differently from the source table.",
		func(t *dtsapi.DataCheckTable) dtsapi.String { return t.TargetTbName }),
	int64Attr("rows", "Rows to verify in the table (`TotalCount`).", func(t *dtsapi.DataCheckTable) dtsapi.Int { return t.TotalCount }),
	int64Attr("rows_checked", "Rows of the table verified so far (`FinishCount`).", func(t *dtsapi.DataCheckTable) dtsapi.Int { return t.FinishCount }),
	int64Attr("inconsistent_rows", "Rows of the table that differ between source and destination (`DiffCount`).",
		func(t *dtsapi.DataCheckTable) dtsapi.Int { return t.DiffCount }),
	derivedString("status", "State of the table's verification: `finished`, `initializing`, `running` or `failed` (`Status` "+
		"`0`, `2`, `3`, `5`); any other code as the API sends it. A finished table may still have inconsistent rows.",
		func(t *dtsapi.DataCheckTable) (string, bool) {
			return dtsapi.TableCheckState(t.Status.Val), t.Status.Set
		}),
	int64Attr("error_code", "Why the table's verification failed (`ErrorCode`): see `error`. Null when the API sends none.",
		func(t *dtsapi.DataCheckTable) dtsapi.Int { return t.ErrorCode }),
	derivedString("error", "The documented meaning of `error_code`: 1, too many tables without a primary key; 2, more than "+
		"300 inconsistent rows were found; 3, a table to verify does not exist; 4, the verification SQL has a syntax error. "+
		"Null for any other code.",
		func(t *dtsapi.DataCheckTable) (string, bool) {
			if !t.ErrorCode.Set {
				return "", false
			}
			return dtsapi.TableCheckError(t.ErrorCode.Val)
		}),
	stringAttr("boot_time", "When the table's verification ran, as the API sends it (`yyyy-MM-dd HH:mm:ss`, no time zone).",
		func(t *dtsapi.DataCheckTable) dtsapi.String { return t.BootTime }),
)

// dataCheckWaitForModel is dts_data_check's wait_for block: no stage, since check_type names it.
type dataCheckWaitForModel struct {
	Status              types.List   `tfsdk:"status"`
	MaxInconsistentRows types.Int64  `tfsdk:"max_inconsistent_rows"`
	PollInterval        types.String `tfsdk:"poll_interval"`
}

func dataCheckWaitForBlock() schema.SingleNestedBlock {
	return schema.SingleNestedBlock{
		Description: "Makes the read block until the verification reaches one of the target statuses, with at most " +
			"`max_inconsistent_rows` inconsistent rows, polling at a fixed rate within `timeouts.read`. The read fails at " +
			"once when that can no longer happen: the verification is not enabled for the job, it failed, the job " +
			"failed, or a full verification finished with more inconsistent rows than allowed (an incremental one keeps " +
			"the wait going: DTS checks inconsistent rows again after a delay).",
		Validators: []validator.Object{objectvalidator.AlsoRequires(path.MatchRelative().AtName("status"))},
		Attributes: map[string]schema.Attribute{
			"status": schema.ListAttribute{
				ElementType: types.StringType,
				Optional:    true,
				Description: "Target statuses of the verification, at least one, required in the block: for `full`, " +
					statusList(family.DataCheckStatuses, wait.StageFullDataCheck) + "; for `incremental`, " +
					statusList(family.DataCheckStatuses, wait.StageIncrementalDataCheck) + ". Matched exactly; a status the " +
					"documentation does not list is accepted with a warning.",
				Validators: []validator.List{
					listvalidator.SizeBetween(1, maxWaitStatuses),
					listvalidator.ValueStringsAre(stringvalidator.RegexMatches(regexp.MustCompile(`\S`), "must not be empty")),
				},
			},
			"max_inconsistent_rows": schema.Int64Attribute{
				Optional: true,
				Description: "The target also needs at most this many inconsistent rows, all tables together, with every " +
					"table's count seen. `0` for none at all.",
				Validators: []validator.Int64{int64validator.AtLeast(0)},
			},
			"poll_interval": schema.StringAttribute{
				Optional:    true,
				Description: "Time between the starts of two polls, a duration of at least `1s`. Default `10s`. Each poll reads every page of tables.",
				Validators:  []validator.String{durationAtLeast(minPollInterval)},
			},
		},
	}
}

// dataCheckArguments are the data source's arguments.
type dataCheckArguments struct {
	DtsJobID  types.String           `tfsdk:"dts_job_id"`
	CheckType types.String           `tfsdk:"check_type"`
	JobType   types.String           `tfsdk:"job_type"`
	RegionID  types.String           `tfsdk:"region_id"`
	Timeouts  timeouts.Value         `tfsdk:"timeouts"`
	WaitFor   *dataCheckWaitForModel `tfsdk:"wait_for"`
}

// validateDataCheckWaitFor checks the statuses' spelling against check_type's, once both are known.
func validateDataCheckWaitFor(ctx context.Context, checkType types.String, w *dataCheckWaitForModel) diag.Diagnostics {
	if w == nil || checkType.IsNull() || checkType.IsUnknown() {
		return nil
	}
	ct, ok := checkTypes[checkType.ValueString()]
	if !ok {
		return nil // check_type's validator says so
	}
	info, _ := family.DataCheckStatuses.Lookup(string(family.CheckStage(ct)))
	return validateStatuses(ctx, info, w.Status, path.Root("wait_for").AtName("status"))
}

func (d *dataCheckDataSource) ValidateConfig(ctx context.Context, req datasource.ValidateConfigRequest, resp *datasource.ValidateConfigResponse) {
	var args struct {
		CheckType types.String           `tfsdk:"check_type"`
		WaitFor   *dataCheckWaitForModel `tfsdk:"wait_for"`
	}
	resp.Diagnostics.Append(readArguments(ctx, req.Config, &args)...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(validateDataCheckWaitFor(ctx, args.CheckType, args.WaitFor)...)
}

// dataCheckNotFound says why a legacy job has no verification to read.
const dataCheckNotFound = " If the job is a legacy data migration job (its ID is a MigrationJobId), its verification " +
	"cannot be read: dts_data_check reads jobs of the current API (DescribeDtsJobs) only."

func (d *dataCheckDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var args dataCheckArguments
	resp.Diagnostics.Append(readArguments(ctx, req.Config, &args)...)
	if resp.Diagnostics.HasError() {
		return
	}
	id, checkType := args.DtsJobID.ValueString(), checkTypes[args.CheckType.ValueString()]
	stage := family.CheckStage(checkType)
	subj := subject{kind: "DTS data verification", what: fmt.Sprintf("The %s data verification of DTS job %q", args.CheckType.ValueString(), id),
		action: "DescribeDtsJobs", notFound: dataCheckNotFound}
	r, diags := d.startRead(ctx, args.Timeouts, args.RegionID.ValueString(), "Cannot read DTS data verification", subj.what)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	defer r.done()

	finder := newJobFinder(id, args.JobType, r.target.region)
	describe := func(ctx context.Context) (*dataCheck, error) {
		check, err := r.client.DescribeDataCheck(ctx, dtsapi.DataCheckRequest{Job: finder.request(), CheckType: checkType})
		if err != nil {
			return nil, err
		}
		finder.found(check.Job)
		return check, nil
	}
	var check *dataCheck
	var err error
	if args.WaitFor == nil {
		check, err = describe(r.ctx)
	} else {
		t, interval, tdiags := args.WaitFor.target(r.ctx, args.CheckType, stage)
		resp.Diagnostics.Append(tdiags...)
		if resp.Diagnostics.HasError() {
			return
		}
		check, err = waitWith(r, family.DataCheckGate(t), interval, describe,
			logPoll("Polled DTS data verification", "dts_job_id", id, r.target, stage, logTables),
			"Waiting for DTS data verification", map[string]any{"dts_job_id": id, "check_type": args.CheckType.ValueString()})
	}
	if err != nil {
		summary, detail := dataCheckErrorDiagnostic(subj, r.target, r.timeout, err)
		resp.Diagnostics.AddError(summary, detail)
		return
	}
	// Said once the verification is done, when a gate would look at the rows; while it runs, counts come and go.
	if _, unseen := family.VerifiedTables(check).InconsistentRows(); unseen != "" && check.Tables != nil && verificationDone(check) {
		resp.Diagnostics.AddAttributeWarning(path.Root("inconsistent_rows"), "Inconsistent rows not all counted",
			fmt.Sprintf("%s in region %s: inconsistent_rows is null because %s. The tables that were read are in tables.", subj.what, r.target.region, unseen))
	}
	computed := dataCheckAttributes.values(check, &location{}, &resp.Diagnostics)
	computed["job_type"] = tftypes.NewValue(tftypes.String, jobTypeName(check.Job.JobType))
	r.record(resp, req.Config.Raw, computed, subj.what)
}

// verificationDone reports whether the verification is at the status that ends it: Finished for a
// full one, Catched for an incremental one.
func verificationDone(d *dataCheck) bool {
	st := d.Stage()
	if st == nil {
		return false
	}
	if d.CheckType == dtsapi.CheckTypeIncremental {
		return st.Status.Val == "Catched"
	}
	return st.Status.Val == wait.JobFinished
}

// target converts the block into the verification gate's target and poll interval.
func (w *dataCheckWaitForModel) target(ctx context.Context, checkType types.String, stage wait.Stage) (wait.Target, time.Duration, diag.Diagnostics) {
	var diags diag.Diagnostics
	if w.Status.IsUnknown() || w.MaxInconsistentRows.IsUnknown() || w.PollInterval.IsUnknown() {
		diags.AddAttributeError(path.Root("wait_for"), "Unknown wait_for value",
			"wait_for's arguments must be known when the data source is read.")
		return wait.Target{}, 0, diags
	}
	// Warnings were shown when the configuration was validated; only errors matter here.
	if v := validateDataCheckWaitFor(ctx, checkType, w); v.HasError() {
		return wait.Target{}, 0, v.Errors()
	}
	t := wait.Target{Stage: stage, MaxInconsistentRows: w.MaxInconsistentRows.ValueInt64Pointer()}
	diags.Append(w.Status.ElementsAs(ctx, &t.Statuses, false)...)
	interval, idiags := pollIntervalOf(w.PollInterval)
	diags.Append(idiags...)
	return t, interval, diags
}

// logTables adds to a poll's log line how many tables are done and how many rows differ.
func logTables(d *dataCheck, fields map[string]any) {
	if on := d.Enabled(); on.Set {
		fields["enabled"] = on.Val
	}
	if d.Tables == nil {
		return
	}
	done := 0
	for i := range d.Tables.Tables {
		if d.Tables.Tables[i].Status.Val == dtsapi.TableCheckFinished {
			done++
		}
	}
	fields["tables_done"] = done
	fields["tables"] = len(d.Tables.Tables)
	rows, unseen := family.VerifiedTables(d).InconsistentRows()
	fields["inconsistent_rows"] = rows
	if unseen != "" {
		fields["rows_unseen"] = unseen
	}
}

// dataCheckErrorDiagnostic describes a failed read: the wait's outcome, the job not found, a
// verification with more tables than are read, or the call that failed, naming the page of tables.
func dataCheckErrorDiagnostic(s subject, t target, readTimeout time.Duration, err error) (summary, detail string) {
	var (
		tooMany *dtsapi.TooManyTablesError
		pageErr *dtsapi.PageError
	)
	switch {
	case errors.As(err, &tooMany):
		return "Too many tables in the DTS data verification", fmt.Sprintf("%s in region %s counts %d tables: more than "+
			"the %d pages of %d tables (%d tables) the provider reads, which it stops at rather than read for ever or "+
			"report a part. Look at the verification in the DTS console.",
			s.what, t.region, tooMany.Tables, tooMany.Pages, dtsapi.DataCheckPageSize, tooMany.Pages*dtsapi.DataCheckPageSize)
	case errors.As(err, &pageErr):
		s.action = "DescribeDataCheckTableDetails"
		s.what = fmt.Sprintf("Page %d of the tables of %s", pageErr.Page, lowerFirst(s.what))
	}
	return jobReadErrorDiagnostic(s, t, readTimeout, err)
}

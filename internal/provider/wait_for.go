package provider

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"time"

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
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/openmigrate/terraform-provider-dts/internal/wait"
)

const (
	defaultPollInterval = 10 * time.Second
	minPollInterval     = time.Second
	// maxWaitStatuses bounds wait_for.status: a stage documents at most nine statuses, and each
	// entry costs a check and perhaps a message at every validation.
	maxWaitStatuses = 20
)

type waitForModel struct {
	Stage           types.String `tfsdk:"stage"`
	Status          types.List   `tfsdk:"status"`
	MaxDelaySeconds types.Int64  `tfsdk:"max_delay_seconds"`
	PollInterval    types.String `tfsdk:"poll_interval"`
}

// waitForBlock is the wait_for block of a data source whose stages are those of table. Rules on one
// attribute are validators; the rules that depend on the stage are in validateWaitFor.
func waitForBlock(table wait.Table) schema.SingleNestedBlock {
	stages := make([]string, 0, len(table))
	for _, s := range table.Stages() {
		stages = append(stages, string(s))
	}
	return schema.SingleNestedBlock{
		Description: "Makes the read block until a stage of the job reaches one of the target statuses, polling at a " +
			"fixed rate within `timeouts.read`. The read fails at once when the target can no longer be reached " +
			"(the job or an earlier stage failed, the stage is switched off, or the job finished elsewhere), and at " +
			"the deadline, naming the last status seen. The wait runs during `terraform plan` when the job ID is " +
			"known, and during apply when it is not.",
		Validators: []validator.Object{
			objectvalidator.AlsoRequires(path.MatchRelative().AtName("stage"), path.MatchRelative().AtName("status")),
		},
		Attributes: map[string]schema.Attribute{
			"stage": schema.StringAttribute{
				Optional:    true,
				Description: "Stage to watch, required in the block: " + table.Names() + " (`job` is the job's own status).",
				Validators:  []validator.String{stringvalidator.OneOf(stages...)},
			},
			"status": schema.ListAttribute{
				ElementType: types.StringType,
				Optional:    true,
				Description: "Target statuses of the stage, at least one, such as `[\"Catched\"]` for data_synchronization. " +
					statusMatchingDescription(table) + " A status the documentation does not list is accepted with a warning. At most " + fmt.Sprint(maxWaitStatuses) + ".",
				Validators: []validator.List{
					listvalidator.SizeAtLeast(1),
					listvalidator.SizeAtMost(maxWaitStatuses),
					withinStatusBound{listvalidator.ValueStringsAre(stringvalidator.RegexMatches(regexp.MustCompile(`\S`), "must not be empty"))},
				},
			},
			"max_delay_seconds": schema.Int64Attribute{
				Optional: true,
				Description: "With stage `data_synchronization` only: the target also needs a replication delay of at " +
					"most this many seconds. A response without a delay never satisfies it.",
				Validators: []validator.Int64{int64validator.AtLeast(0)},
			},
			"poll_interval": schema.StringAttribute{
				Optional:    true,
				Description: "Time between the starts of two polls, a duration of at least `1s`. Default `10s`.",
				Validators:  []validator.String{durationAtLeast(minPollInterval)},
			},
		},
	}
}

// fleetWaitForBlock is the wait_for block of a listing data source whose jobs' stages are those of
// table: the same arguments and rules, over every job the listing finds.
func fleetWaitForBlock(table wait.Table) schema.SingleNestedBlock {
	b := waitForBlock(table)
	b.Description = "Makes the read block until every job the listing finds has the stage at one of the target " +
		"statuses (with `data_synchronization` and `max_delay_seconds`, each job's delay within it too), polling at " +
		"a fixed rate within `timeouts.read`; each poll reads every page again, with the same filters, and the wait " +
		"is over the jobs found at that poll. No job found is an error at once: a wait over no jobs would check " +
		"nothing. The read fails at once, naming the job, when any job can no longer reach the target (by the rules " +
		"of the data source that reads one such job), and at the deadline, naming up to ten jobs not at the target. " +
		"The state is the last poll's listing."
	return b
}

// statusMatchingDescription says how the family of table compares statuses: exactly, except where
// its job stage ignores case.
func statusMatchingDescription(table wait.Table) string {
	if job, ok := table.Lookup(string(wait.StageJob)); ok && job.FoldCase {
		return "The `job` stage ignores case, because the service spells some job statuses both ways " +
			"(`Synchronizing`, `synchronizing`); every other stage matches exactly, case included."
	}
	return "Every stage, the `job` stage included, matches exactly, case included: a status that differs from a " +
		"documented one only in case is an error at plan time."
}

// validateWaitFor checks, at plan time and without calling the API, the rules of the block that
// depend on the stage: the spelling of each status, and max_delay_seconds.
func validateWaitFor(ctx context.Context, table wait.Table, w *waitForModel) diag.Diagnostics {
	var diags diag.Diagnostics
	root := path.Root("wait_for")
	if w.Stage.IsNull() || w.Stage.IsUnknown() {
		return diags
	}
	info, ok := table.Lookup(w.Stage.ValueString())
	if !ok {
		return diags // the stage's validator says so
	}
	diags.Append(validateStatuses(ctx, info, w.Status, root.AtName("status"))...)
	if v := w.MaxDelaySeconds; !v.IsNull() && !v.IsUnknown() && !info.HasDelay {
		diags.AddAttributeError(root.AtName("max_delay_seconds"), "max_delay_seconds needs stage data_synchronization",
			fmt.Sprintf("Only incremental synchronization has a delay; remove max_delay_seconds or watch stage "+
				"data_synchronization instead of %s.", info.Stage))
	}
	return diags
}

// withinStatusBound runs a validator on wait_for.status only when the list is within its bound:
// a longer one has its error already, and a message per entry would bury it.
type withinStatusBound struct{ validator.List }

func (v withinStatusBound) ValidateList(ctx context.Context, req validator.ListRequest, resp *validator.ListResponse) {
	if len(req.ConfigValue.Elements()) > maxWaitStatuses {
		return
	}
	v.List.ValidateList(ctx, req, resp)
}

// validateStatuses checks the spelling of each target status of a wait_for block's status list
// (at) against the documented statuses of the stage: a status that differs from one only in case is
// an error naming the right spelling; one not documented at all a warning.
func validateStatuses(ctx context.Context, info wait.StageInfo, list types.List, at path.Path) diag.Diagnostics {
	var diags diag.Diagnostics
	// Over the bound, SizeAtMost has said so: checking each entry would add a message per entry.
	if list.IsNull() || list.IsUnknown() || len(list.Elements()) > maxWaitStatuses {
		return diags
	}
	var statuses []types.String
	diags.Append(list.ElementsAs(ctx, &statuses, false)...)
	for i, s := range statuses {
		if s.IsNull() || s.IsUnknown() || strings.TrimSpace(s.ValueString()) == "" {
			continue
		}
		p := at.AtListIndex(i)
		switch canonical, kind := info.CheckStatus(s.ValueString()); kind {
		case wait.WrongCase:
			diags.AddAttributeError(p, "Misspelled wait_for status",
				fmt.Sprintf("%q is not a %s status, but %q is: statuses are matched exactly, so write %q.",
					s.ValueString(), info.Stage, canonical, canonical))
		case wait.UndocumentedStatus:
			diags.AddAttributeWarning(p, "Undocumented wait_for status",
				fmt.Sprintf("%q is not among the documented %s statuses (%s). The service has been seen to "+
					"return values its documentation omits, so the wait will accept it; check the spelling.",
					s.ValueString(), info.Stage, strings.Join(info.Documented, ", ")))
		}
	}
	return diags
}

// validateWaitForConfig checks a data source's wait_for block. Only the block is read: Terraform
// validates every instance, and the other arguments' rules are their validators.
func validateWaitForConfig(ctx context.Context, req datasource.ValidateConfigRequest, resp *datasource.ValidateConfigResponse, table wait.Table) {
	var args struct {
		WaitFor *waitForModel `tfsdk:"wait_for"`
	}
	resp.Diagnostics.Append(readArguments(ctx, req.Config, &args)...)
	if resp.Diagnostics.HasError() || args.WaitFor == nil {
		return
	}
	resp.Diagnostics.Append(validateWaitFor(ctx, table, args.WaitFor)...)
}

// durationValidator accepts a Go duration no shorter than its least.
type durationValidator struct{ least time.Duration }

func durationAtLeast(least time.Duration) validator.String { return durationValidator{least: least} }

func (v durationValidator) Description(context.Context) string {
	return fmt.Sprintf("a duration such as \"10s\" or \"1m\", at least %s", v.least)
}

func (v durationValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (v durationValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if _, err := parseDuration(req.ConfigValue.ValueString(), v.least); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid "+req.Path.String(), err.Error())
	}
}

func parseDuration(s string, least time.Duration) (time.Duration, error) {
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, fmt.Errorf("%q is not a duration such as \"10s\" or \"1m\"", s)
	}
	if d < least {
		return 0, fmt.Errorf("%s is too short: it must be at least %s, to keep the job's API quota for others", d, least)
	}
	return d, nil
}

// target converts a configured block into the waiter's target and poll interval. The framework has
// run the validators before Read; the checks here catch what was unknown then.
func (w *waitForModel) target(ctx context.Context, table wait.Table) (wait.Target, time.Duration, diag.Diagnostics) {
	var diags diag.Diagnostics
	if w.Stage.IsUnknown() || w.Status.IsUnknown() || w.MaxDelaySeconds.IsUnknown() || w.PollInterval.IsUnknown() {
		diags.AddAttributeError(path.Root("wait_for"), "Unknown wait_for value",
			"wait_for's arguments must be known when the data source is read.")
		return wait.Target{}, 0, diags
	}
	if n := len(w.Status.Elements()); n > maxWaitStatuses {
		diags.AddAttributeError(path.Root("wait_for").AtName("status"), "Too many wait_for statuses",
			fmt.Sprintf("wait_for.status holds %d statuses; it may hold at most %d.", n, maxWaitStatuses))
		return wait.Target{}, 0, diags
	}
	// Warnings were shown when the configuration was validated; only errors matter here.
	if v := validateWaitFor(ctx, table, w); v.HasError() {
		return wait.Target{}, 0, v.Errors()
	}
	t := wait.Target{Stage: wait.Stage(w.Stage.ValueString()), MaxDelaySeconds: w.MaxDelaySeconds.ValueInt64Pointer()}
	diags.Append(w.Status.ElementsAs(ctx, &t.Statuses, false)...)
	interval, idiags := pollIntervalOf(w.PollInterval)
	diags.Append(idiags...)
	return t, interval, diags
}

// pollIntervalOf is wait_for.poll_interval as a duration, the default when it is null.
func pollIntervalOf(v types.String) (time.Duration, diag.Diagnostics) {
	var diags diag.Diagnostics
	if v.IsNull() {
		return defaultPollInterval, diags
	}
	d, err := parseDuration(v.ValueString(), minPollInterval)
	if err != nil {
		diags.AddAttributeError(path.Root("wait_for").AtName("poll_interval"), "Invalid wait_for.poll_interval", err.Error())
	}
	return d, diags
}

// pollLineUnits is how many units not at the target a poll's log line names.
const pollLineUnits = 5

// stageOf is the stage a wait_for block watches, for the poll log; "" without a block.
func stageOf(w *waitForModel) wait.Stage {
	if w == nil {
		return ""
	}
	return wait.Stage(w.Stage.ValueString())
}

// waitOrRead makes one call, or, with a wait_for block, waits with the family's gate for one job. A
// wait_for that cannot be used is reported in diags, with a nil result and error.
func waitOrRead[R any](r *read, waitFor *waitForModel, family *wait.Family[R], describe func(context.Context) (*R, error),
	diags *diag.Diagnostics, onPoll func(context.Context, wait.Poll[R]), logFields map[string]any) (*R, error) {
	return waitOrReadGate(r, waitFor, family.Table, family.Gate, describe, diags, onPoll, "Waiting for DTS job", logFields)
}

// waitOrReadGate makes one call, or, with a wait_for block, waits until the gate that gate builds for
// the block's target (checked against table) opens, logging msg with logFields as it starts: the gate
// over one job, a job and its sub-jobs, or every job of a listing.
func waitOrReadGate[R any](r *read, waitFor *waitForModel, table wait.Table, gate func(wait.Target) wait.Gate[R],
	describe func(context.Context) (*R, error), diags *diag.Diagnostics, onPoll func(context.Context, wait.Poll[R]),
	msg string, logFields map[string]any) (*R, error) {
	if waitFor == nil {
		return describe(r.ctx)
	}
	t, interval, tdiags := waitFor.target(r.ctx, table)
	diags.Append(tdiags...)
	if diags.HasError() {
		return nil, nil
	}
	return waitWith(r, gate(t), interval, describe, onPoll, msg, logFields)
}

// waitWith polls with describe until gate opens, within the read's deadline, logging msg with
// logFields as it starts.
func waitWith[R any](r *read, gate wait.Gate[R], interval time.Duration, describe func(context.Context) (*R, error),
	onPoll func(context.Context, wait.Poll[R]), msg string, logFields map[string]any) (*R, error) {
	w := &wait.Waiter[R]{
		Describe:     describe,
		Gate:         gate,
		Clock:        r.clock,
		PollInterval: interval,
		Timeout:      r.timeout,
		OnPoll:       onPoll,
	}
	fields := map[string]any{"region": r.target.region, "target": gate.Target().String(),
		"poll_interval": interval.String(), "timeout": r.timeout.String()}
	for k, v := range logFields {
		fields[k] = v
	}
	tflog.Info(r.ctx, msg, fields)
	return w.Wait(r.ctx)
}

// logPoll logs a poll at INFO with msg, which TF_LOG=INFO shows while a plan waits. idName names the
// job ID field; more adds what a family's response says beyond the stage (such as DTS's own retrying).
func logPoll[R any](msg, idName, jobID string, t target, stage wait.Stage, more func(r *R, fields map[string]any)) func(ctx context.Context, p wait.Poll[R]) {
	return func(ctx context.Context, p wait.Poll[R]) {
		fields := map[string]any{
			idName:      jobID,
			"region":    t.region,
			"stage":     string(stage),
			"poll":      p.N,
			"elapsed":   p.Elapsed.Round(time.Millisecond).String(),
			"satisfied": p.Satisfied,
		}
		if p.Observation.Status != nil {
			fields["status"] = *p.Observation.Status
		}
		if p.Observation.Percent != nil {
			fields["percent"] = *p.Observation.Percent
		}
		if p.Observation.Delay != nil {
			fields["delay"] = *p.Observation.Delay
		}
		if p.JobStatus != nil {
			fields["job_status"] = *p.JobStatus
		}
		if p.Units > 0 {
			fields["units"] = p.Units
			fields["at_target"] = p.Units - len(p.Waiting)
			if len(p.Waiting) > 0 {
				fields["waiting"] = wait.Summarize(p.Waiting, pollLineUnits)
			}
		}
		if p.Held != "" {
			fields["held"] = p.Held
		}
		if p.Err != nil {
			fields["error"] = p.Err.Error()
		}
		if p.Response != nil && more != nil {
			more(p.Response, fields)
		}
		tflog.Info(ctx, msg, fields)
	}
}

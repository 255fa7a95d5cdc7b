package provider

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/openmigrate/terraform-provider-dts/internal/wait"
)

const (
	defaultPollInterval = 10 * time.Second
	minPollInterval     = time.Second
)

type waitForModel struct {
	Stage           types.String `tfsdk:"stage"`
	Status          types.List   `tfsdk:"status"`
	MaxDelaySeconds types.Int64  `tfsdk:"max_delay_seconds"`
	PollInterval    types.String `tfsdk:"poll_interval"`
}

func stageNames() string {
	names := make([]string, 0, len(wait.Stages()))
	for _, s := range wait.Stages() {
		names = append(names, "`"+string(s)+"`")
	}
	return strings.Join(names, ", ")
}

func waitForBlock() schema.SingleNestedBlock {
	return schema.SingleNestedBlock{
		Description: "Makes the read block until a stage of the job reaches one of the target statuses, polling at a " +
			"fixed rate within `timeouts.read`. The read fails at once when the target can no longer be reached " +
			"(the job or an earlier stage failed, the stage is switched off, or the job finished elsewhere), and at " +
			"the deadline, naming the last status seen. The wait runs during `terraform plan` when the job ID is " +
			"known, and during apply when it is not.",
		Attributes: map[string]schema.Attribute{
			"stage": schema.StringAttribute{
				Optional:    true,
				Description: "Stage to watch, required in the block: " + stageNames() + " (`job` is the job's own status).",
			},
			"status": schema.ListAttribute{
				ElementType: types.StringType,
				Optional:    true,
				Description: "Target statuses of the stage, at least one, matched exactly, such as `[\"Catched\"]` for " +
					"data_synchronization. A status the documentation does not list is accepted with a warning.",
			},
			"max_delay_seconds": schema.Int64Attribute{
				Optional: true,
				Description: "With stage `data_synchronization` only: the target also needs a replication delay of at " +
					"most this many seconds. A response without a delay never satisfies it.",
			},
			"poll_interval": schema.StringAttribute{
				Optional:    true,
				Description: "Time between the starts of two polls, a duration of at least `1s`. Default `10s`.",
			},
		},
	}
}

// validateWaitFor checks the block at plan time without calling the API.
func validateWaitFor(ctx context.Context, w *waitForModel) diag.Diagnostics {
	var diags diag.Diagnostics
	root := path.Root("wait_for")

	stage, stageKnown := wait.Stage(""), false
	switch v := w.Stage; {
	case v.IsNull():
		diags.AddAttributeError(root.AtName("stage"), "Missing wait_for stage",
			"wait_for needs stage, one of "+stageNames()+".")
	case !v.IsUnknown():
		s, ok := wait.ParseStage(v.ValueString())
		if !ok {
			diags.AddAttributeError(root.AtName("stage"), "Unknown wait_for stage",
				fmt.Sprintf("%q is not a stage; use one of %s.", v.ValueString(), stageNames()))
		} else {
			stage, stageKnown = s, true
		}
	}

	switch v := w.Status; {
	case v.IsNull():
		diags.AddAttributeError(root.AtName("status"), "Missing wait_for status",
			"wait_for needs status, a list of at least one target status, such as [\"Catched\"].")
	case !v.IsUnknown():
		var statuses []types.String
		diags.Append(v.ElementsAs(ctx, &statuses, false)...)
		if len(statuses) == 0 {
			diags.AddAttributeError(root.AtName("status"), "Empty wait_for status",
				"wait_for status needs at least one target status.")
		}
		for i, s := range statuses {
			p := root.AtName("status").AtListIndex(i)
			switch {
			case s.IsUnknown():
			case s.IsNull() || strings.TrimSpace(s.ValueString()) == "":
				diags.AddAttributeError(p, "Empty wait_for status", "A target status must not be empty.")
			case stageKnown:
				canonical, kind := stage.CheckStatus(s.ValueString())
				switch kind {
				case wait.WrongCase:
					diags.AddAttributeError(p, "Misspelled wait_for status",
						fmt.Sprintf("%q is not a %s status, but %q is: statuses are matched exactly, so write %q.",
							s.ValueString(), stage, canonical, canonical))
				case wait.UndocumentedStatus:
					diags.AddAttributeWarning(p, "Undocumented wait_for status",
						fmt.Sprintf("%q is not among the documented %s statuses (%s). The service has been seen to "+
							"return values its documentation omits, so the wait will accept it; check the spelling.",
							s.ValueString(), stage, strings.Join(stage.DocumentedStatuses(), ", ")))
				}
			}
		}
	}

	if v := w.MaxDelaySeconds; !v.IsNull() && !v.IsUnknown() {
		if v.ValueInt64() < 0 {
			diags.AddAttributeError(root.AtName("max_delay_seconds"), "Invalid max_delay_seconds",
				fmt.Sprintf("max_delay_seconds is %d; it must be 0 or more.", v.ValueInt64()))
		}
		if stageKnown && stage != wait.StageDataSynchronization {
			diags.AddAttributeError(root.AtName("max_delay_seconds"), "max_delay_seconds needs stage data_synchronization",
				fmt.Sprintf("Only incremental synchronization has a delay; remove max_delay_seconds or watch stage "+
					"data_synchronization instead of %s.", stage))
		}
	}

	if v := w.PollInterval; !v.IsNull() && !v.IsUnknown() {
		if _, err := parsePollInterval(v.ValueString()); err != nil {
			diags.AddAttributeError(root.AtName("poll_interval"), "Invalid poll_interval", err.Error())
		}
	}
	return diags
}

func parsePollInterval(s string) (time.Duration, error) {
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, fmt.Errorf("poll_interval %q is not a duration such as \"10s\" or \"1m\"", s)
	}
	if d < minPollInterval {
		return 0, fmt.Errorf("poll_interval is %s; it must be at least %s, to keep the job's API quota for others", d, minPollInterval)
	}
	return d, nil
}

// target converts a validated block into the waiter's target and poll interval.
func (w *waitForModel) target(ctx context.Context) (wait.Target, time.Duration, diag.Diagnostics) {
	var diags diag.Diagnostics
	// Warnings were shown when the configuration was validated; only errors matter here.
	if v := validateWaitFor(ctx, w); v.HasError() {
		return wait.Target{}, 0, v.Errors()
	}
	if w.Stage.IsUnknown() || w.Status.IsUnknown() || w.MaxDelaySeconds.IsUnknown() || w.PollInterval.IsUnknown() {
		diags.AddAttributeError(path.Root("wait_for"), "Unknown wait_for value",
			"wait_for's arguments must be known when the data source is read.")
		return wait.Target{}, 0, diags
	}
	t := wait.Target{Stage: wait.Stage(w.Stage.ValueString()), MaxDelaySeconds: w.MaxDelaySeconds.ValueInt64Pointer()}
	diags.Append(w.Status.ElementsAs(ctx, &t.Statuses, false)...)
	interval := defaultPollInterval
	if !w.PollInterval.IsNull() {
		interval, _ = parsePollInterval(w.PollInterval.ValueString())
	}
	return t, interval, diags
}

// logPoll logs a poll at INFO, which TF_LOG=INFO shows while a plan waits.
func logPoll(jobID string, t target, stage wait.Stage) func(ctx context.Context, p wait.Poll) {
	return func(ctx context.Context, p wait.Poll) {
		fields := map[string]any{
			"migration_job_id": jobID,
			"region":           t.region,
			"stage":            string(stage),
			"poll":             p.N,
			"elapsed":          p.Elapsed.Round(time.Millisecond).String(),
			"satisfied":        p.Satisfied,
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
		if p.Err != nil {
			fields["error"] = p.Err.Error()
		}
		tflog.Info(ctx, "Polled DTS migration job status", fields)
	}
}

// withInterrupt returns a context that is also cancelled when the process gets SIGINT or SIGTERM.
// Terraform does not cancel the provider's context during the planning step of apply, and the plugin
// runtime swallows SIGINT, so a wait would otherwise outlive Ctrl-C.
func withInterrupt(ctx context.Context) (context.Context, func()) {
	ctx, cancel := context.WithCancelCause(ctx)
	signals := make(chan os.Signal, 1)
	signal.Notify(signals, os.Interrupt, syscall.SIGTERM)
	go func() {
		select {
		case sig := <-signals:
			cancel(fmt.Errorf("interrupted by %s", sig))
		case <-ctx.Done():
		}
	}()
	return ctx, func() {
		signal.Stop(signals)
		cancel(nil)
	}
}

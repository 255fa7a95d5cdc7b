package main

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"time"

	"github.com/openmigrate/terraform-provider-dts/internal/fakedts"
)

// The wait scenario: the job reaches the target waitMiss after the poll at waitPollsMissed × the
// interval, so the wait loses almost a whole interval, the worst case for a poll-based wait.
const (
	waitInterval    = time.Second
	waitPollsMissed = 3
	waitMiss        = 25 * time.Millisecond
	waitReachedAt   = waitPollsMissed*waitInterval + waitMiss
)

// fleetLatency is the latency injected per request in the slow fleet scenario.
const fleetLatency = 50 * time.Millisecond

// terraformParallelism is Terraform's default -parallelism.
const terraformParallelism = 10

const throttleCode = "Throttling.User"

type results struct {
	reps              int
	floor, floorFleet []planRun
	one               []planRun
	fleet, fleetSlow  []planRun
	throttled         []planRun
	wait              []waitRun
	rssOne, rssFleet  []rssRun
	binarySize        int64
	goBench           map[string]goBenchResult
	fleetBound        time.Duration
	// baseline holds the same plans made with the baseline build, when one is given.
	baseline *results
}

func (h *harness) measure(ctx context.Context) (*results, error) {
	r := &results{reps: h.opts.reps}
	r.fleetBound = time.Duration(fleetSize/terraformParallelism) * fleetLatency
	st, err := os.Stat(h.opts.provider)
	if err != nil {
		return nil, err
	}
	r.binarySize = st.Size()

	cur := h.current
	steps := []step{
		{"floor: terraform plan without a provider", func() (err error) {
			r.floor, err = h.repeat(ctx, "floor", h.floorEnv, nil)
			return err
		}},
		{fmt.Sprintf("floor: %d data sources of Terraform's built-in provider", fleetSize), func() (err error) {
			r.floorFleet, err = h.repeat(ctx, "floor200", h.floorEnv, nil)
			return err
		}},
	}
	steps = append(steps, h.providerSteps(ctx, cur, r)...)
	steps = append(steps,
		step{"wait precision", func() (err error) {
			r.wait, err = h.waitPrecision(ctx)
			return err
		}},
		step{"throttling recovery", func() (err error) {
			r.throttled, err = h.repeat(ctx, "one", cur.env, func() {
				h.fake.QueueFaults(
					fakedts.Fault{Code: throttleCode, Status: http.StatusBadRequest},
					fakedts.Fault{Code: throttleCode, Status: http.StatusBadRequest},
				)
			})
			return err
		}},
	)
	if h.baseline != nil {
		r.baseline = &results{reps: r.reps, fleetBound: r.fleetBound}
		steps = append(steps, h.providerSteps(ctx, *h.baseline, r.baseline)...)
	}
	for _, s := range steps {
		fmt.Fprintf(os.Stderr, "bench: %s (%d runs after a warm-up)\n", s.name, h.opts.reps)
		if err := s.do(); err != nil {
			return nil, fmt.Errorf("%s: %w", s.name, err)
		}
	}
	return r, nil
}

type step struct {
	name string
	do   func() error
}

// providerSteps are the plans that depend on the provider build: timing, requests and memory.
func (h *harness) providerSteps(ctx context.Context, b providerBuild, r *results) []step {
	slow := func(do func() error) func() error {
		return func() error {
			h.fake.SetLatency(fleetLatency)
			defer h.fake.SetLatency(0)
			return do()
		}
	}
	return []step{
		{b.label + ": one data source", func() (err error) {
			r.one, err = h.repeat(ctx, "one", b.env, nil)
			return err
		}},
		{fmt.Sprintf("%s: %d data sources", b.label, fleetSize), func() (err error) {
			r.fleet, err = h.repeat(ctx, "fleet", b.env, nil)
			return err
		}},
		{fmt.Sprintf("%s: %d data sources, %s latency", b.label, fleetSize, fleetLatency), slow(func() (err error) {
			r.fleetSlow, err = h.repeat(ctx, "fleet", b.env, nil)
			return err
		})},
		{b.label + ": provider peak RSS, one data source", func() (err error) {
			r.rssOne, err = h.peakRSS(ctx, "one", b.rssEnv)
			return err
		}},
		{fmt.Sprintf("%s: provider peak RSS, %d data sources, %s latency", b.label, fleetSize, fleetLatency), slow(func() (err error) {
			r.rssFleet, err = h.peakRSS(ctx, "fleet", b.rssEnv)
			return err
		})},
	}
}

// waitRun is one plan that waited for a job reaching its target at a known moment.
type waitRun struct {
	planRun
	// reached is when the job reached the target: its first request plus waitReachedAt.
	reached time.Time
	// endAfter is how long after reached the plan ended; tail, how long after the poll that saw
	// the target.
	endAfter, tail time.Duration
	// drifts are each poll's start less its ideal time, first poll + k × interval.
	drifts []time.Duration
	// worstCase says the poll before the target came before it and the next one saw it, so the
	// run measured the full interval the wait can lose.
	worstCase bool
}

func (h *harness) waitPrecision(ctx context.Context) ([]waitRun, error) {
	id := waitJobID
	catchingUp := fakedts.State{
		JobStatus: "Migrating", Precheck: "Finished", Structure: "Finished", Data: "Finished",
		Sync: "Migrating", SyncPercent: 95, Delay: fakedts.Delay(12),
	}
	caughtUp := catchingUp
	caughtUp.Sync, caughtUp.Delay = "Catched", fakedts.Delay(0)
	runs, err := h.repeat(ctx, "wait", h.current.env, func() {
		h.fake.SetJob(id, fakedts.Job{Steps: []fakedts.Step{
			{Body: catchingUp.Body(id), Duration: waitReachedAt},
			{Body: caughtUp.Body(id)},
		}})
	})
	if err != nil {
		return nil, err
	}
	out := make([]waitRun, 0, len(runs))
	for _, p := range runs {
		reqs := p.requests
		if len(reqs) < 2 {
			return nil, fmt.Errorf("the wait made %d requests; it cannot have waited", len(reqs))
		}
		w := waitRun{planRun: p, reached: reqs[0].Time.Add(waitReachedAt)}
		last := reqs[len(reqs)-1]
		w.endAfter = p.end.Sub(w.reached)
		w.tail = p.end.Sub(last.Time)
		for k, r := range reqs {
			w.drifts = append(w.drifts, r.Time.Sub(reqs[0].Time.Add(time.Duration(k)*waitInterval)))
		}
		w.worstCase = len(reqs) == waitPollsMissed+2 && reqs[len(reqs)-2].Time.Before(w.reached) && !last.Time.Before(w.reached)
		out = append(out, w)
	}
	return out, nil
}

// rssRun is the memory of the provider processes that one plan started.
type rssRun struct {
	// peakKiB is the largest peak RSS among them; processes counts them.
	peakKiB   int64
	processes int
	// providerCPU is the CPU time of those processes; totalCPU adds Terraform's.
	providerCPU, totalCPU time.Duration
}

func (h *harness) peakRSS(ctx context.Context, config string, env []string) ([]rssRun, error) {
	var out []rssRun
	for i := 0; i <= h.opts.reps; i++ {
		if err := os.Remove(h.rssRecord); err != nil && !os.IsNotExist(err) {
			return nil, err
		}
		p, err := h.plan(ctx, config, env)
		if err != nil {
			return nil, err
		}
		recs, err := readLaunchRecords(h.rssRecord)
		if err != nil {
			return nil, err
		}
		if len(recs) == 0 {
			return nil, fmt.Errorf("the launcher recorded no provider process: did Terraform start it?")
		}
		run := rssRun{processes: len(recs), totalCPU: p.cpu}
		for _, rec := range recs {
			run.peakKiB = max(run.peakKiB, rec.maxRSSKiB)
			run.providerCPU += rec.cpu
		}
		if i > 0 {
			out = append(out, run)
		}
	}
	return out, nil
}

package main

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"strings"
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
	// listDts and listLegacy are the listing scenarios, each with the floor planned in its rounds.
	listDts, floorListDts []planRun
	// paced is the pacing scenario: many current-API reads under the service's rate limit.
	paced                       []planRun
	listLegacy, floorListLegacy []planRun
	rssOne, rssFleet            []rssRun
	binarySize                  int64
	goBench                     map[string]goBenchResult
	fleetBound                  time.Duration
	// baseline holds the same plans made with the baseline build, when one is given.
	baseline *results
	// subJobs are the sub-job scenarios (dts_job_status with and without include_sub_jobs).
	subJobs *subJobResults
	// dataCheck is the data verification scenario.
	dataCheck *dataCheckResults

	// gate and gateStatus are the 200-job fleet gate and the 200 reads it replaces; gateBig the
	// 1,000-job gate, and gateReady the same over a fleet caught up already.
	gate, gateStatus   []planRun
	gateBig, gateReady []gateRun
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
	var steps []step
	builds, rs := []providerBuild{cur}, []*results{r}
	if h.baseline != nil {
		r.baseline = &results{reps: r.reps, fleetBound: r.fleetBound}
		builds, rs = append(builds, *h.baseline), append(rs, r.baseline)
	}
	switch h.opts.only {
	case onlyListings:
		return r, h.run(h.listingSteps(ctx, r))
	case onlyPacing:
		return r, h.run([]step{h.pacedStep(ctx, r)})
	case onlySubJobs:
		return r, h.run(h.subJobSteps(ctx, r))
	case onlyDataCheck:
		return r, h.run(h.dataCheckSteps(ctx, r))
	case onlyFleetGate:
		return r, h.run(h.fleetGateSteps(ctx, r))
	}
	steps = append(steps, h.providerSteps(ctx, builds, rs)...)
	steps = append(steps, h.listingSteps(ctx, r)...)
	steps = append(steps, h.pacedStep(ctx, r))
	steps = append(steps, h.subJobSteps(ctx, r)...)
	steps = append(steps, h.dataCheckSteps(ctx, r)...)
	steps = append(steps, h.fleetGateSteps(ctx, r)...)
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
	return r, h.run(steps)
}

func (h *harness) run(steps []step) error {
	for _, s := range steps {
		fmt.Fprintf(os.Stderr, "bench: %s (%d runs after a warm-up)\n", s.name, h.opts.reps)
		if err := s.do(); err != nil {
			return fmt.Errorf("%s: %w", s.name, err)
		}
	}
	return nil
}

type step struct {
	name string
	do   func() error
}

// providerSteps are the plans that depend on the provider build, timing, requests and memory,
// made in rounds across the builds, each build's runs going to the results at the same index. The
// floors plan in the same rounds as the provider plans they are set against.
func (h *harness) providerSteps(ctx context.Context, builds []providerBuild, rs []*results) []step {
	names := make([]string, len(builds))
	for i, b := range builds {
		names[i] = b.label
	}
	label := strings.Join(names, " and ")
	plans := func(config string, slow bool, floor string, set func(*results, []planRun), setFloor func([]planRun)) func() error {
		return func() error {
			if slow {
				h.fake.SetLatency(fleetLatency)
				defer h.fake.SetLatency(0)
			}
			var specs []planSpec
			for _, b := range builds {
				specs = append(specs, planSpec{config, b.env})
			}
			if floor != "" {
				specs = append(specs, planSpec{floor, h.floorEnv})
			}
			runs, err := h.rounds(ctx, specs, nil)
			if err != nil {
				return err
			}
			for i := range builds {
				set(rs[i], runs[i])
			}
			if floor != "" {
				setFloor(runs[len(builds)])
			}
			return nil
		}
	}
	memory := func(config string, slow bool, set func(*results, []rssRun)) func() error {
		return func() error {
			if slow {
				h.fake.SetLatency(fleetLatency)
				defer h.fake.SetLatency(0)
			}
			var envs [][]string
			for _, b := range builds {
				envs = append(envs, b.rssEnv)
			}
			runs, err := h.peakRSS(ctx, config, envs)
			if err != nil {
				return err
			}
			for i := range runs {
				set(rs[i], runs[i])
			}
			return nil
		}
	}
	first := rs[0]
	return []step{
		{label + ": one data source, and the floor", plans("one", false, "floor",
			func(r *results, p []planRun) { r.one = p }, func(p []planRun) { first.floor = p })},
		{fmt.Sprintf("%s: %d data sources, and the built-in floor", label, fleetSize), plans("fleet", false, "floor200",
			func(r *results, p []planRun) { r.fleet = p }, func(p []planRun) { first.floorFleet = p })},
		{fmt.Sprintf("%s: %d data sources, %s latency", label, fleetSize, fleetLatency),
			plans("fleet", true, "", func(r *results, p []planRun) { r.fleetSlow = p }, nil)},
		{label + ": provider peak RSS, one data source", memory("one", false, func(r *results, m []rssRun) { r.rssOne = m })},
		{fmt.Sprintf("%s: provider peak RSS, %d data sources, %s latency", label, fleetSize, fleetLatency),
			memory("fleet", true, func(r *results, m []rssRun) { r.rssFleet = m })},
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
		h.fake.SetJob(id, fakedts.Job{Region: "cn-hangzhou", Steps: []fakedts.Step{
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

// peakRSS plans in rounds, like rounds, with the provider started through the launcher.
func (h *harness) peakRSS(ctx context.Context, config string, envs [][]string) ([][]rssRun, error) {
	out := make([][]rssRun, len(envs))
	for i := 0; i <= h.opts.reps; i++ {
		for k := range envs {
			b := (i + k) % len(envs)
			run, err := h.rssRun(ctx, config, envs[b])
			if err != nil {
				return nil, err
			}
			if i > 0 {
				out[b] = append(out[b], run)
			}
		}
	}
	return out, nil
}

func (h *harness) rssRun(ctx context.Context, config string, env []string) (rssRun, error) {
	if err := os.Remove(h.rssRecord); err != nil && !os.IsNotExist(err) {
		return rssRun{}, err
	}
	p, err := h.plan(ctx, config, env)
	if err != nil {
		return rssRun{}, err
	}
	recs, err := readLaunchRecords(h.rssRecord)
	if err != nil {
		return rssRun{}, err
	}
	if len(recs) == 0 {
		return rssRun{}, fmt.Errorf("the launcher recorded no provider process: did Terraform start it?")
	}
	run := rssRun{processes: len(recs), totalCPU: p.cpu}
	for _, rec := range recs {
		run.peakKiB = max(run.peakKiB, rec.maxRSSKiB)
		run.providerCPU += rec.cpu
	}
	return run, nil
}

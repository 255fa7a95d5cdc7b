package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/openmigrate/terraform-provider-dts/internal/fakedts"
)

// The fleet gate scenarios (issue 19): one `dts_jobs` wait_for over every job of a cutover, against
// the fake's limit of 20 DescribeDtsJobs calls a second, side by side in the same rounds with what
// it replaces, one `dts_job_status` per job; and a fleet gate over a thousand jobs, for the
// provider's CPU time per poll and its peak memory. Every job catches up on a timeline of its own,
// one step per listing that includes it, so each plan polls the same number of times. The CPU time
// a poll costs is what a plan of bigSteps+1 polls costs beyond one of a single poll, over a fleet
// caught up already, planned in the same rounds: a read's fixed cost (start-up, schema, and the
// framework's conversion of the state of 1,000 jobs) is paid once however long the wait.
const (
	gateJobs    = 200
	gateBigJobs = 1000
	gateRegion  = "cn-shenzhen"
	// gateSteps is how many polls see jobs still behind: the wait ends at poll gateSteps + 1.
	gateSteps = 3
	// bigSteps is the same for the 1,000 jobs: enough polls that their cost stands out of the noise
	// of a shared machine.
	bigSteps = 9
	// gateLimit is the fake's DescribeDtsJobs limit per second and access key, as the service's.
	gateLimit = 20
	// Targets, from issue 19.
	targetGateCPUPerPoll = 200 * time.Millisecond
	targetGateRSSKiB     = 64 << 10
)

// onlyFleetGate selects the fleet gate scenarios.
const onlyFleetGate = "fleetgate"

// seedGates (re)defines the fleets, restarting every job's timeline. The 1,000 jobs are the
// documented sample's first job, as in the listing scenarios, with their own status and delay.
func (h *harness) seedGates() {
	tags := func(v string) map[string]string { return map[string]string{"cutover": v} }
	h.fake.SetDtsFleet(fakedts.Fleet{Region: gateRegion, JobType: "SYNC", Tags: tags("orders"),
		Jobs: fakedts.StaggeredFleet("dtsbenchgate", "orders", gateJobs, gateSteps)})
	h.fake.SetDtsFleet(fakedts.Fleet{Region: gateRegion, JobType: "SYNC", Tags: tags("warehouse"), Template: h.gateTemplate,
		Jobs: fakedts.StaggeredFleet("dtsbenchbig", "warehouse", gateBigJobs, bigSteps)})
	ready := fakedts.StaggeredFleet("dtsbenchready", "stock", gateBigJobs, 1)
	for i := range ready {
		ready[i].Delays = nil
	}
	h.fake.SetDtsFleet(fakedts.Fleet{Region: gateRegion, JobType: "SYNC", Tags: tags("stock"), Template: h.gateTemplate, Jobs: ready})
}

// fleetGateConfig waits for every synchronization job tagged cutover = tag to catch up.
func fleetGateConfig(tag string) string {
	return fmt.Sprintf(`
data "dts_jobs" "cutover" {
  job_type  = "synchronization"
  region_id = %q
  tags = {
    cutover = %q
  }
  wait_for {
    stage             = "data_synchronization"
    status            = ["Catched"]
    max_delay_seconds = 5
    poll_interval     = "1s"
  }
}

output "caught_up" {
  value = length(data.dts_jobs.cutover.ids)
}
`, gateRegion, tag)
}

var gateStatusConfig = fmt.Sprintf(`
data "dts_job_status" "job" {
  for_each   = toset([for i in range(1, %d) : format("dtsbenchgate%%04d", i)])
  dts_job_id = each.key
  job_type   = "synchronization"
  region_id  = %q
}

output "caught_up" {
  value = length([for j in data.dts_job_status.job : j if j.data_synchronization_status.status == "Catched"])
}
`, gateJobs+1, gateRegion)

// setupFleetGate defines the fleets and writes the scenarios' configurations.
func (h *harness) setupFleetGate() error {
	var err error
	if h.gateTemplate, err = sampleItem(fakedts.DocumentedDtsJobsSample, func(v *listSample) []json.RawMessage { return v.DtsJobList }); err != nil {
		return err
	}
	h.seedGates()
	for name, hcl := range map[string]string{
		"gate":        fleetGateConfig("orders"),
		"gate_status": gateStatusConfig,
		"gate_big":    fleetGateConfig("warehouse"),
		"gate_ready":  fleetGateConfig("stock"),
	} {
		dir := filepath.Join(h.work, "cfg", name)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(providerBlock(h.fake.URL())+hcl), 0o600); err != nil {
			return err
		}
		h.dirs[name] = dir
	}
	return nil
}

// fleetGateSteps plan the 200-job gate and the 200 reads in rounds, then the 1,000-job gate through
// the launcher, each plan on fresh timelines and a quiet rate-limit window.
func (h *harness) fleetGateSteps(ctx context.Context, r *results) []step {
	before := func() {
		h.seedGates()
		time.Sleep(time.Second)
	}
	limited := func(do func() error) func() error {
		return func() error {
			h.fake.SetRateLimit(fakedts.ActionDescribeDtsJobs, gateLimit)
			defer h.fake.SetRateLimit(fakedts.ActionDescribeDtsJobs, 0)
			return do()
		}
	}
	return []step{
		{fmt.Sprintf("a fleet gate over %d jobs and %d dts_job_status, under a %d/s limit", gateJobs, gateJobs, gateLimit), limited(func() error {
			runs, err := h.rounds(ctx, []planSpec{{"gate", h.current.env}, {"gate_status", h.current.env}}, before)
			if err != nil {
				return err
			}
			r.gate, r.gateStatus = runs[0], runs[1]
			return nil
		})},
		{fmt.Sprintf("a fleet gate over %d jobs, and one caught up already: provider CPU and peak RSS", gateBigJobs), limited(func() error {
			for i := 0; i <= h.opts.reps; i++ {
				for k, config := range []string{"gate_big", "gate_ready"} {
					before()
					run, err := h.rssRun(ctx, config, h.current.rssEnv)
					if err != nil {
						return err
					}
					if i > 0 {
						g := gateRun{rssRun: run, polls: h.gatePolls()}
						if k == 0 {
							r.gateBig = append(r.gateBig, g)
						} else {
							r.gateReady = append(r.gateReady, g)
						}
					}
				}
			}
			return nil
		})},
	}
}

// gateRun is one plan of the 1,000-job gate: its provider's memory and CPU, and the polls it made.
type gateRun struct {
	rssRun
	polls []gatePoll
}

// gatePoll is one poll of a fleet gate as the fake saw it: the pages it asked for, in order.
type gatePoll struct {
	pages []int
	ok    bool
}

// gatePolls splits the fake's last requests into polls: each starts at page 1.
func (h *harness) gatePolls() []gatePoll { return splitPolls(h.fake.Requests()) }

func splitPolls(reqs []fakedts.Request) []gatePoll {
	var polls []gatePoll
	for _, q := range reqs {
		// A throttled page is asked again; throttledCalls counts it.
		if q.Action != fakedts.ActionDescribeDtsJobs || q.RateLimited {
			continue
		}
		if q.PageNumber == 1 || len(polls) == 0 {
			polls = append(polls, gatePoll{ok: true})
		}
		p := &polls[len(polls)-1]
		p.pages = append(p.pages, q.PageNumber)
		p.ok = p.ok && q.Status == 200 && q.Params.Get("PageSize") == fmt.Sprint(listingPageSize)
	}
	return polls
}

// pollsText describes the polls of each run and whether each run polled want times, each poll
// asking pages 1 to pages in order.
func pollsText(runs [][]gatePoll, want, pages int) (polls, perPoll string, ok bool) {
	pollCounts, pageCounts := map[int]int{}, map[int]int{}
	ok = len(runs) > 0
	for _, run := range runs {
		pollCounts[len(run)]++
		ok = ok && len(run) == want
		for _, p := range run {
			pageCounts[len(p.pages)]++
			wantPages := make([]int, pages)
			for i := range wantPages {
				wantPages[i] = i + 1
			}
			ok = ok && p.ok && slices.Equal(p.pages, wantPages)
		}
	}
	return countsText(pollCounts), strings.ReplaceAll(countsText(pageCounts), "run", "poll"), ok
}

// throttledCalls describes how many calls of each run the fake's rate limit refused.
func throttledCalls(runs []planRun) string {
	counts := map[int]int{}
	for _, p := range runs {
		n := 0
		for _, q := range p.requests {
			if q.RateLimited {
				n++
			}
		}
		counts[n]++
	}
	return countsText(counts)
}

func (r *results) fleetGateRows() []row {
	if len(r.gate) == 0 {
		return nil
	}
	pages := listingPages(gateJobs)
	var gatePolls [][]gatePoll
	for _, p := range r.gate {
		gatePolls = append(gatePolls, splitPolls(p.requests))
	}
	polls, perPoll, okPolls := pollsText(gatePolls, gateSteps+1, pages)
	statusReqs, okStatus := gateStatusCounts(r.gateStatus)
	gate, status := walls(r.gate), walls(r.gateStatus)
	rows := []row{
		{"19", fmt.Sprintf("Fleet gate: one `dts_jobs` with `wait_for` over %d jobs tagged alike, poll_interval 1s, fake limit %d calls/s: plan wall time",
			gateJobs, gateLimit), fmtS(median(gate)), spread(gate, fmtS), "", ""},
		{"19", fmt.Sprintf("— polls per plan (the last job catches up at poll %d)", gateSteps+1), polls, "", fmt.Sprint(gateSteps + 1), verdict(okPolls)},
		{"19", "— API requests per poll", perPoll, "", fmt.Sprintf("%d: pages 1 to %d of %d", pages, pages, listingPageSize), verdict(okPolls)},
		{"19", "— calls refused by the fake's limit, per plan", throttledCalls(r.gate), "", "", ""},
		{"19", fmt.Sprintf("Side by side, same rounds: %d `dts_job_status` (job_type set), one read each: API requests per plan", gateJobs),
			statusReqs, "", fmt.Sprintf("%d successful, one per job", gateJobs), verdict(okStatus)},
		{"19", "— its plan wall time (one read of each job, no wait)", fmtS(median(status)), spread(status, fmtS), "", ""},
		{"19", "— its calls refused by the fake's limit, per plan", throttledCalls(r.gateStatus), "", "", ""},
	}
	if len(r.gateBig) == 0 || len(r.gateReady) == 0 {
		return rows
	}
	bigPages := listingPages(gateBigJobs)
	cpu := func(runs []gateRun) (all, perPoll, peaks []float64, pollRuns [][]gatePoll) {
		for _, g := range runs {
			pollRuns = append(pollRuns, g.polls)
			all = append(all, seconds(g.providerCPU))
			perPoll = append(perPoll, seconds(g.providerCPU)/float64(max(1, len(g.polls))))
			peaks = append(peaks, float64(g.peakKiB)/1024)
		}
		return all, perPoll, peaks, pollRuns
	}
	bigCPU, bigPerPoll, bigPeaks, bigPolls := cpu(r.gateBig)
	readyCPU, _, readyPeaks, readyPolls := cpu(r.gateReady)
	polls, perPoll, okBig := pollsText(bigPolls, bigSteps+1, bigPages)
	_, _, okReady := pollsText(readyPolls, 1, bigPages)
	marginal := (median(bigCPU) - median(readyCPU)) / bigSteps
	rssOK := len(bigPeaks) > 0 && median(bigPeaks) <= float64(targetGateRSSKiB)/1024 && median(readyPeaks) <= float64(targetGateRSSKiB)/1024
	return append(rows,
		row{"19", fmt.Sprintf("Fleet gate over %s jobs like the documented sample's first, %d pages a poll (%s; %s): provider CPU time per poll, "+
			"(CPU of a %d-poll plan − CPU of a 1-poll plan over a fleet caught up) / %d, medians",
			thousands(gateBigJobs), bigPages, polls, perPoll, bigSteps+1, bigSteps), fmtS(marginal), "",
			"≤ " + fmtS(seconds(targetGateCPUPerPoll)), verdict(okBig && okReady && marginal <= seconds(targetGateCPUPerPoll))},
		row{"19", fmt.Sprintf("— provider CPU time per plan: %d polls / 1 poll", bigSteps+1),
			fmtS(median(bigCPU)) + " / " + fmtS(median(readyCPU)), spread(bigCPU, fmtS) + " / " + spread(readyCPU, fmtS), "", ""},
		row{"19", "— all of the provider's CPU time / polls, fixed costs included", fmtS(median(bigPerPoll)), spread(bigPerPoll, fmtS), "", ""},
		row{"19", fmt.Sprintf("— provider peak RSS (ru_maxrss): %d polls / 1 poll", bigSteps+1),
			fmtMiB(median(bigPeaks)) + " / " + fmtMiB(median(readyPeaks)), spread(bigPeaks, fmtMiB) + " / " + spread(readyPeaks, fmtMiB),
			"≤ " + fmtMiB(float64(targetGateRSSKiB)/1024), verdict(rssOK)},
	)
}

// gateStatusCounts describes the requests of each dts_job_status plan and whether each read every
// job once, successfully.
func gateStatusCounts(runs []planRun) (string, bool) {
	counts := map[int]int{}
	ok := len(runs) > 0
	for _, p := range runs {
		counts[len(p.requests)]++
		jobs := map[string]bool{}
		for _, q := range p.requests {
			if q.Status == 200 {
				ok = ok && !jobs[q.DtsJobID]
				jobs[q.DtsJobID] = true
			}
		}
		ok = ok && len(jobs) == gateJobs
	}
	return countsText(counts), ok
}

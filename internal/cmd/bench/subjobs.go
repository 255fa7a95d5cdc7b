package main

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/openmigrate/terraform-provider-dts/internal/fakedts"
)

// The sub-job scenarios (issue 17): one dts_job_status read without include_sub_jobs, beside the
// baseline build when one is given (still one request, and a plan within subOneSlower of it); the
// same read with include_sub_jobs (two requests: DescribeDtsJobs, then DescribeDtsJobDetail); and
// subPacedJobs reads with include_sub_jobs under the documented limits of both calls, in a region
// of their own.
const (
	subOneJobID    = "dtsbenchsub"
	subPacedJobs   = 200
	subPacedRegion = "cn-shenzhen"
	// subDetailLimit is DescribeDtsJobDetail's documented limit per access key and region.
	subDetailLimit = 40
	// subOneSlower is how much slower than the baseline the read without sub-jobs may plan.
	subOneSlower = 0.05
	// rowSubJobs numbers the scenarios' rows after the issue that asked for them.
	rowSubJobs = "17"
)

func subPacedJobID(i int) string { return fmt.Sprintf("dtsbenchsubpaced%03d", i) }

// subJobResults are the sub-job scenarios' plans.
type subJobResults struct {
	// one and oneBaseline are the read without sub-jobs by this build and the baseline's.
	one, oneBaseline []planRun
	// detail is the read with include_sub_jobs; paced the many reads under both limits.
	detail, paced []planRun
}

// subJobStep is the distributed job with every shard caught up: the sub-job scenarios read it as is.
func subJobStep(id string) fakedts.Step {
	steps := fakedts.DistributedTimelineFor(id, time.Second)
	return steps[len(steps)-1]
}

// setupSubJobs defines the scenarios' jobs: one in the provider's region, the paced ones in theirs.
func (h *harness) setupSubJobs() {
	h.fake.SetDtsJob(subOneJobID, fakedts.DtsJob{Region: "cn-hangzhou", JobType: "SYNC", Steps: []fakedts.Step{subJobStep(subOneJobID)}})
	for i := range subPacedJobs {
		id := subPacedJobID(i)
		h.fake.SetDtsJob(id, fakedts.DtsJob{Region: subPacedRegion, JobType: "SYNC", Steps: []fakedts.Step{subJobStep(id)}})
	}
}

// subJobConfigs are the scenarios' configurations, by name, without the provider block.
func subJobConfigs() map[string]string {
	read := func(subJobs string) string {
		return fmt.Sprintf(`
data "dts_job_status" "job" {
  dts_job_id = %q
  job_type   = "synchronization"%s
}

output "status" {
  value = data.dts_job_status.job.status
}
`, subOneJobID, subJobs)
	}
	return map[string]string{
		"sub_one":    read(""),
		"sub_detail": read("\n  include_sub_jobs = true"),
		"sub_paced": fmt.Sprintf(`
data "dts_job_status" "job" {
  for_each         = toset([for i in range(%d) : format("dtsbenchsubpaced%%03d", i)])
  dts_job_id       = each.key
  job_type         = "synchronization"
  region_id        = %q
  include_sub_jobs = true
}

output "shards" {
  value = sum([for j in data.dts_job_status.job : length(j.sub_jobs)])
}
`, subPacedJobs, subPacedRegion),
	}
}

// subJobSteps plans the scenarios: the read without sub-jobs in rounds with the baseline build.
func (h *harness) subJobSteps(ctx context.Context, r *results) []step {
	r.subJobs = &subJobResults{}
	s := r.subJobs
	return []step{
		{"dts_job_status without include_sub_jobs, beside the baseline when given", func() error {
			specs := []planSpec{{"sub_one", h.current.env}}
			if h.baseline != nil {
				specs = append(specs, planSpec{"sub_one", h.baseline.env})
			}
			runs, err := h.rounds(ctx, specs, nil)
			if err != nil {
				return err
			}
			s.one = runs[0]
			if h.baseline != nil {
				s.oneBaseline = runs[1]
			}
			return nil
		}},
		{"dts_job_status with include_sub_jobs", func() (err error) {
			s.detail, err = h.repeat(ctx, "sub_detail", h.current.env, nil)
			return err
		}},
		{fmt.Sprintf("%d dts_job_status with include_sub_jobs under %d/s and %d/s limits", subPacedJobs, pacedLimit, subDetailLimit), func() (err error) {
			h.fake.SetRateLimit(fakedts.ActionDescribeDtsJobs, pacedLimit)
			h.fake.SetRateLimit(fakedts.ActionDescribeDtsJobDetail, subDetailLimit)
			defer h.fake.SetRateLimit(fakedts.ActionDescribeDtsJobs, 0)
			defer h.fake.SetRateLimit(fakedts.ActionDescribeDtsJobDetail, 0)
			// A second between plans lets the fake's window of the last one pass.
			s.paced, err = h.repeat(ctx, "sub_paced", h.current.env, func() { time.Sleep(time.Second) })
			return err
		}},
	}
}

// actionCounts describes how many requests of each action the runs made, and whether every run made
// exactly want of each, all answered.
func actionCounts(runs []planRun, want map[string]int) (string, bool) {
	counts := map[int]int{}
	ok := len(runs) > 0
	for _, r := range runs {
		got := map[string]int{}
		for _, q := range r.requests {
			if q.Status == http.StatusOK && q.Code == "" {
				got[q.Action]++
			}
		}
		counts[len(r.requests)]++
		ok = ok && len(r.requests) == sum(want)
		for action, n := range want {
			ok = ok && got[action] == n
		}
	}
	return countsText(counts), ok
}

func cpus(runs []planRun) []float64 {
	out := make([]float64, len(runs))
	for i, r := range runs {
		out[i] = seconds(r.cpu)
	}
	return out
}

func sum(m map[string]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}

// targetMapWholeJobNs bounds the provider CPU of mapping the whole job (every leaf, a full reverse job).
const targetMapWholeJobNs = 1_000_000

func (r *results) subJobRows() []row {
	var rows []row
	if b, ok := r.goBench["MapWholeJob"]; ok {
		rows = append(rows, row{rowSubJobs, "Go `BenchmarkMapWholeJob`: mapping a job with every leaf of the field sheet and a full reverse job into state, as Read does",
			fmt.Sprintf("%s, %d allocs, %d B", fmtNs(b.nsPerOp), b.allocsPerOp, b.bytesPerOp), fmt.Sprintf("median of %d", b.runs),
			"< " + fmtNs(targetMapWholeJobNs), verdict(b.nsPerOp < targetMapWholeJobNs)})
	}
	s := r.subJobs
	if s == nil {
		return rows
	}
	one := walls(s.one)
	oneReqs, oneOK := actionCounts(s.one, map[string]int{fakedts.ActionDescribeDtsJobs: 1})
	rows = append(rows,
		row{rowSubJobs, "One `dts_job_status` (job_type set), no include_sub_jobs: plan wall time", fmtS(median(one)), spread(one, fmtS), "", ""},
		row{rowSubJobs, "— API requests per read", oneReqs, "", "exactly 1 (DescribeDtsJobs)", verdict(oneOK)},
	)
	if len(s.oneBaseline) > 0 {
		base := walls(s.oneBaseline)
		change := (median(one) - median(base)) / median(base)
		rows = append(rows,
			row{rowSubJobs, "— the same plan with the baseline build, in the same rounds", fmtS(median(base)), spread(base, fmtS), "", ""},
			row{rowSubJobs, "— this build against the baseline (median / median − 1)", fmt.Sprintf("%+.1f %%", 100*change), "",
				fmt.Sprintf("≤ +%.0f %%", 100*subOneSlower), verdict(change <= subOneSlower)},
			row{rowSubJobs, "— CPU time per plan (Terraform and provider, user + system): this build / the baseline",
				fmtS(median(cpus(s.one))) + " / " + fmtS(median(cpus(s.oneBaseline))), "", "", ""},
		)
	}
	detail := walls(s.detail)
	detailReqs, detailOK := actionCounts(s.detail, map[string]int{fakedts.ActionDescribeDtsJobs: 1, fakedts.ActionDescribeDtsJobDetail: 1})
	rows = append(rows,
		row{rowSubJobs, "One `dts_job_status` with include_sub_jobs (three shards): plan wall time", fmtS(median(detail)), spread(detail, fmtS), "", ""},
		row{rowSubJobs, "— API requests per read", detailReqs, "", "exactly 2 (DescribeDtsJobs, DescribeDtsJobDetail)", verdict(detailOK)},
	)
	if len(s.paced) == 0 {
		return rows
	}
	paced := walls(s.paced)
	bound := seconds(time.Duration(subPacedJobs/pacedLimit)*time.Second + pacedSlack)
	worst, succeeded := 0.0, true
	calls := map[int]int{}
	for _, p := range s.paced {
		throttled, ok := 0, map[string]int{}
		for _, q := range p.requests {
			switch {
			case q.RateLimited:
				throttled++
			case q.Status == http.StatusOK && q.Code == "":
				ok[q.Action]++
			}
		}
		calls[len(p.requests)]++
		worst = max(worst, float64(throttled)/float64(max(1, len(p.requests))))
		succeeded = succeeded && ok[fakedts.ActionDescribeDtsJobs] == subPacedJobs && ok[fakedts.ActionDescribeDtsJobDetail] == subPacedJobs
	}
	return append(rows,
		row{rowSubJobs, fmt.Sprintf("— CPU time per plan (Terraform and provider, user + system), %d reads with include_sub_jobs", subPacedJobs),
			fmtS(median(cpus(s.paced))), spread(cpus(s.paced), fmtS), "", ""},
		row{rowSubJobs, fmt.Sprintf("%d `dts_job_status` with include_sub_jobs, fake limits %d/s DescribeDtsJobs and %d/s DescribeDtsJobDetail per access key: plan wall time",
			subPacedJobs, pacedLimit, subDetailLimit), fmtS(median(paced)), spread(paced, fmtS),
			fmt.Sprintf("≤ %s (%d / %d s + %s)", fmtS(bound), subPacedJobs, pacedLimit, pacedSlack), verdict(median(paced) <= bound)},
		row{rowSubJobs, "— calls per plan (every read's two calls succeeded in every run)", countsText(calls), "",
			fmt.Sprintf("%d successful of each", subPacedJobs), verdict(succeeded)},
		row{rowSubJobs, "— share of calls throttled, worst run", fmt.Sprintf("%.1f %%", 100*worst), "",
			fmt.Sprintf("≤ %.0f %%", 100*pacedThrottledShare), verdict(worst <= pacedThrottledShare)},
	)
}

package main

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/openmigrate/terraform-provider-dts/internal/fakedts"
)

// The pacing scenario: pacedJobs dts_job_status reads, job_type set, against a fake that answers
// Throttling.User beyond pacedLimit DescribeDtsJobs calls a second per access key, as the service
// documents. Its jobs live in a region of their own, out of the other scenarios' way.
const (
	pacedJobs   = 200
	pacedLimit  = 20
	pacedRegion = "cn-beijing"
	// pacedSlack is what the target allows beyond pacedJobs / pacedLimit seconds.
	pacedSlack = 2 * time.Second
	// pacedThrottledShare is the largest share of throttled calls the target allows.
	pacedThrottledShare = 0.05
)

func pacedJobID(i int) string { return fmt.Sprintf("dtsbenchpaced%03d", i) }

// setupPaced defines the paced jobs: SYNC jobs answering the documented sample's first item.
func (h *harness) setupPaced() error {
	item, err := sampleItem(fakedts.DocumentedDtsJobsSample, func(v *listSample) []json.RawMessage { return v.DtsJobList })
	if err != nil {
		return err
	}
	for i := range pacedJobs {
		raw, err := withField(item, "DtsJobId", pacedJobID(i))
		if err != nil {
			return err
		}
		h.fake.SetDtsJob(pacedJobID(i), fakedts.DtsJob{Region: pacedRegion, JobType: "SYNC", Steps: []fakedts.Step{{Raw: raw}}})
	}
	return nil
}

var pacedConfig = fmt.Sprintf(`
data "dts_job_status" "job" {
  for_each   = toset([for i in range(%d) : format("dtsbenchpaced%%03d", i)])
  dts_job_id = each.key
  job_type   = "synchronization"
  region_id  = %q
}

output "statuses" {
  value = length([for j in data.dts_job_status.job : j.status])
}
`, pacedJobs, pacedRegion)

// pacedStep plans the paced reads with the fake's rate limit on.
func (h *harness) pacedStep(ctx context.Context, r *results) step {
	return step{fmt.Sprintf("%d dts_job_status reads under a %d/s limit", pacedJobs, pacedLimit), func() (err error) {
		h.fake.SetRateLimit(fakedts.ActionDescribeDtsJobs, pacedLimit)
		defer h.fake.SetRateLimit(fakedts.ActionDescribeDtsJobs, 0)
		r.paced, err = h.repeat(ctx, "paced", h.current.env, func() { time.Sleep(time.Second) })
		return err
	}}
}

func (r *results) pacedRows() []row {
	if len(r.paced) == 0 {
		return nil
	}
	walls := walls(r.paced)
	bound := seconds(time.Duration(pacedJobs/pacedLimit)*time.Second + pacedSlack)
	var shares []float64
	calls := map[int]int{}
	okCalls := true
	for _, p := range r.paced {
		throttled, succeeded := 0, 0
		for _, q := range p.requests {
			switch {
			case q.RateLimited:
				throttled++
			case q.Status == 200:
				succeeded++
			}
		}
		calls[len(p.requests)]++
		shares = append(shares, float64(throttled)/float64(max(1, len(p.requests))))
		okCalls = okCalls && succeeded == pacedJobs
	}
	worst := 0.0
	for _, s := range shares {
		worst = max(worst, s)
	}
	return []row{
		{"9", fmt.Sprintf("%d `dts_job_status` (job_type set), fake limit %d calls/s per access key: plan wall time", pacedJobs, pacedLimit),
			fmtS(median(walls)), spread(walls, fmtS), fmt.Sprintf("≤ %s (%d / %d s + %s)", fmtS(bound), pacedJobs, pacedLimit, pacedSlack), verdict(median(walls) <= bound)},
		{"9", "— calls per plan (every read succeeded in every run)", countsText(calls), "", fmt.Sprintf("%d successful", pacedJobs), verdict(okCalls)},
		{"9", "— share of calls throttled, worst run", fmt.Sprintf("%.1f %%", 100*worst), "", fmt.Sprintf("≤ %.0f %%", 100*pacedThrottledShare), verdict(worst <= pacedThrottledShare)},
	}
}

package main

import (
	"context"
	"fmt"
	"time"

	"github.com/openmigrate/terraform-provider-dts/internal/fakedts"
)

// The data verification scenario: one dts_data_check over a full verification of
// fakedts.DataCheckBenchTables tables (one DescribeDtsJobs call, then every page of 20 tables), in a
// region of its own. Beside it, when a baseline build is given, the one-data-source plans of the
// other data sources, this build against the baseline, to show that adding a data source left them
// as they were.
const (
	dataCheckRegion = "cn-qingdao"
	// dataCheckPageSize is how many tables the provider asks for per page.
	dataCheckPageSize = 20
	targetDataCheck   = 2 * time.Second
	// targetDataCheckRSSKiB is the provider's peak RSS allowed for the verification's plan.
	targetDataCheckRSSKiB = 48 << 10
	// targetUnchanged is how far the other data sources' one-data-source plan may move.
	targetUnchanged = 0.05
)

func dataCheckRequests() int {
	return 1 + (fakedts.DataCheckBenchTables+dataCheckPageSize-1)/dataCheckPageSize
}

// setupDataCheck defines the verification jobs of the fake, the bench's among them.
func (h *harness) setupDataCheck() {
	h.fake.SetDataCheckJobs(dataCheckRegion, 1)
}

var dataCheckConfig = fmt.Sprintf(`
data "dts_data_check" "verification" {
  dts_job_id = %q
  job_type   = "migration"
  check_type = "full"
  region_id  = %q
}

output "inconsistent_rows" {
  value = data.dts_data_check.verification.inconsistent_rows
}
`, fakedts.DataCheckBenchJobID, dataCheckRegion)

// oneCurrentConfig reads one current-API job: the one-data-source plan of dts_job_status.
var oneCurrentConfig = fmt.Sprintf(`
data "dts_job_status" "job" {
  dts_job_id = %q
  job_type   = "migration"
  region_id  = %q
}

output "status" {
  value = data.dts_job_status.job.status
}
`, fakedts.DataCheckBenchJobID, dataCheckRegion)

// dataCheckResults are the scenario's runs.
type dataCheckResults struct {
	plans, floor []planRun
	rss          []rssRun
	// one and oneCurrent are this build's and the baseline's one-data-source plans of
	// dts_migration_job_status and dts_job_status, planned in the same rounds; empty without a baseline.
	one, oneBaseline               []planRun
	oneCurrent, oneCurrentBaseline []planRun
}

// dataCheckSteps plan the verification in rounds with the floor, measure the provider's memory
// doing it, and, with a baseline, plan the other data sources with both builds.
func (h *harness) dataCheckSteps(ctx context.Context, r *results) []step {
	r.dataCheck = &dataCheckResults{}
	d := r.dataCheck
	steps := []step{
		{fmt.Sprintf("dts_data_check over %d tables, and the floor", fakedts.DataCheckBenchTables), func() error {
			runs, err := h.rounds(ctx, []planSpec{{"data_check", h.current.env}, {"floor", h.floorEnv}}, nil)
			if err != nil {
				return err
			}
			d.plans, d.floor = runs[0], runs[1]
			return nil
		}},
		{fmt.Sprintf("provider peak RSS, dts_data_check over %d tables", fakedts.DataCheckBenchTables), func() error {
			runs, err := h.peakRSS(ctx, "data_check", [][]string{h.current.rssEnv})
			if err != nil {
				return err
			}
			d.rss = runs[0]
			return nil
		}},
	}
	if h.baseline == nil {
		return steps
	}
	return append(steps,
		step{"one dts_migration_job_status, this build and the baseline", func() error {
			runs, err := h.rounds(ctx, []planSpec{{"one", h.current.env}, {"one", h.baseline.env}}, nil)
			if err != nil {
				return err
			}
			d.one, d.oneBaseline = runs[0], runs[1]
			return nil
		}},
		step{"one dts_job_status, this build and the baseline", func() error {
			runs, err := h.rounds(ctx, []planSpec{{"one_current", h.current.env}, {"one_current", h.baseline.env}}, nil)
			if err != nil {
				return err
			}
			d.oneCurrent, d.oneCurrentBaseline = runs[0], runs[1]
			return nil
		}},
	)
}

// dataCheckPages says whether every run made the job's one DescribeDtsJobs call, then asked pages 1
// to the last of 20 tables each, and describes the counts.
func dataCheckPages(runs []planRun) (string, bool) {
	counts := map[int]int{}
	ok := len(runs) > 0
	want := dataCheckRequests()
	for _, r := range runs {
		counts[len(r.requests)]++
		ok = ok && len(r.requests) == want
		for i, q := range r.requests {
			if i == 0 {
				ok = ok && q.Action == fakedts.ActionDescribeDtsJobs && q.Status == 200
				continue
			}
			ok = ok && q.Action == fakedts.ActionDescribeDataCheckTableDetails && q.Status == 200 && q.PageNumber == i &&
				q.Params.Get("PageSize") == fmt.Sprint(dataCheckPageSize) && !q.Params.Has("RegionId")
		}
	}
	return countsText(counts), ok
}

func (r *results) dataCheckRows() []row {
	d := r.dataCheck
	if d == nil || len(d.plans) == 0 {
		return nil
	}
	plans, floor := walls(d.plans), walls(d.floor)
	var paging, peaks []float64
	for _, p := range d.plans {
		if n := len(p.requests); n > 0 {
			paging = append(paging, seconds(p.requests[n-1].Time.Sub(p.requests[0].Time)))
		}
	}
	procs := map[int]int{}
	for _, run := range d.rss {
		peaks = append(peaks, float64(run.peakKiB)/1024)
		procs[run.processes]++
	}
	counts, ok := dataCheckPages(d.plans)
	rows := []row{
		{"18", fmt.Sprintf("`dts_data_check`, full verification of %s tables: plan wall time", thousands(fakedts.DataCheckBenchTables)),
			fmtS(median(plans)), spread(plans, fmtS), "≤ " + fmtS(seconds(targetDataCheck)), verdict(median(plans) <= seconds(targetDataCheck))},
		{"18", "— of which: from the job's request to the last page's", fmtS(median(paging)), spread(paging, fmtS), "", ""},
		{"18", "— the floor, planned in the same rounds", fmtS(median(floor)), spread(floor, fmtS), "", ""},
		{"18", "— API requests per plan", counts, "",
			fmt.Sprintf("%d: 1 + pages 1 to %d of %d", dataCheckRequests(), dataCheckRequests()-1, dataCheckPageSize), verdict(ok)},
		{"18", fmt.Sprintf("— provider peak RSS; provider processes per plan: %s", countsText(procs)), fmtMiB(median(peaks)), spread(peaks, fmtMiB),
			"≤ " + fmtMiB(float64(targetDataCheckRSSKiB)/1024), verdict(len(peaks) > 0 && median(peaks) <= float64(targetDataCheckRSSKiB)/1024)},
	}
	for _, o := range []struct {
		what            string
		after, baseline []planRun
	}{
		{"One `dts_migration_job_status`", d.one, d.oneBaseline},
		{"One `dts_job_status` (job_type set)", d.oneCurrent, d.oneCurrentBaseline},
	} {
		if len(o.after) == 0 {
			continue
		}
		after, before := median(walls(o.after)), median(walls(o.baseline))
		change := (after - before) / before
		rows = append(rows, row{"18", fmt.Sprintf("%s: plan wall time, this build (baseline %s, same rounds)", o.what, fmtS(before)),
			fmtS(after), spread(walls(o.after), fmtS), fmt.Sprintf("within %.0f %% of the baseline (%+.1f %%)", targetUnchanged*100, change*100),
			verdict(change <= targetUnchanged)})
	}
	return rows
}

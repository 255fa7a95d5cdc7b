package main

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/openmigrate/terraform-provider-dts/internal/fakedts"
)

// The listing scenarios: dts_jobs over listedDtsJobs current-API jobs and dts_migration_jobs over
// listedMigrationJobs legacy jobs, each a documented sample item, in a region of their own so that
// the other scenarios' jobs stay out of the listings.
const (
	listedDtsJobs       = 1000
	listedMigrationJobs = 300
	listingRegion       = "cn-shanghai"
	// listingPageSize is what the provider asks per page.
	listingPageSize = 30
)

func listingPages(jobs int) int { return (jobs + listingPageSize - 1) / listingPageSize }

// setupListings defines the listed jobs. Each is served verbatim, so the fake's cost per page stays
// small beside the provider's.
func (h *harness) setupListings() error {
	dtsItem, err := sampleItem(fakedts.DocumentedDtsJobsSample, func(v *listSample) []json.RawMessage { return v.DtsJobList })
	if err != nil {
		return err
	}
	for i := range listedDtsJobs {
		id := fmt.Sprintf("dtsbenchlist%04d", i)
		raw, err := withField(dtsItem, "DtsJobId", id)
		if err != nil {
			return err
		}
		h.fake.SetDtsJob(id, fakedts.DtsJob{Region: listingRegion, Steps: []fakedts.Step{{Raw: raw}}})
	}
	legacyItem, err := sampleItem(fakedts.DocumentedMigrationJobsSample, func(v *listSample) []json.RawMessage { return v.MigrationJobs.MigrationJob })
	if err != nil {
		return err
	}
	for i := range listedMigrationJobs {
		id := fmt.Sprintf("dtsbenchlegacy%04d", i)
		raw, err := withField(legacyItem, "MigrationJobID", id)
		if err != nil {
			return err
		}
		h.fake.SetJob(id, fakedts.Job{Region: listingRegion, Steps: []fakedts.Step{{Item: json.RawMessage(raw)}}})
	}
	return nil
}

type listSample struct {
	DtsJobList    []json.RawMessage
	MigrationJobs struct{ MigrationJob []json.RawMessage }
}

// sampleItem is the first job of a documented listing sample.
func sampleItem(sample string, list func(*listSample) []json.RawMessage) (map[string]any, error) {
	var v listSample
	if err := json.Unmarshal([]byte(sample), &v); err != nil {
		return nil, err
	}
	items := list(&v)
	if len(items) == 0 {
		return nil, fmt.Errorf("the documented sample lists no job")
	}
	var item map[string]any
	return item, json.Unmarshal(items[0], &item)
}

func withField(item map[string]any, name, value string) ([]byte, error) {
	item[name] = value
	return json.Marshal(item)
}

var listDtsJobsConfig = fmt.Sprintf(`
data "dts_jobs" "all" {
  region_id = %q
}

output "synchronizing" {
  value = length([for j in data.dts_jobs.all.jobs : j if j.status == "Migrating"])
}
`, listingRegion)

var listMigrationJobsConfig = fmt.Sprintf(`
data "dts_migration_jobs" "all" {
  region_id = %q
}

output "migrating" {
  value = length([for j in data.dts_migration_jobs.all.jobs : j if j.migration_job_status == "Migrating"])
}
`, listingRegion)

// listingSteps plan each listing in rounds with the floor.
func (h *harness) listingSteps(ctx context.Context, r *results) []step {
	plans := func(config string, set func([]planRun), setFloor func([]planRun)) func() error {
		return func() error {
			runs, err := h.rounds(ctx, []planSpec{{config, h.current.env}, {"floor", h.floorEnv}}, nil)
			if err != nil {
				return err
			}
			set(runs[0])
			setFloor(runs[1])
			return nil
		}
	}
	return []step{
		{fmt.Sprintf("dts_jobs over %d jobs, and the floor", listedDtsJobs), plans("list_dts_jobs",
			func(p []planRun) { r.listDts = p }, func(p []planRun) { r.floorListDts = p })},
		{fmt.Sprintf("dts_migration_jobs over %d jobs, and the floor", listedMigrationJobs), plans("list_migration_jobs",
			func(p []planRun) { r.listLegacy = p }, func(p []planRun) { r.floorListLegacy = p })},
	}
}

// pageCounts describes the requests of each run and whether every run asked exactly pages 1 to
// want of action, 30 jobs each.
func pageCounts(runs []planRun, action string, want int) (string, bool) {
	counts := map[int]int{}
	ok := len(runs) > 0
	for _, r := range runs {
		counts[len(r.requests)]++
		var asked []int
		for _, q := range r.requests {
			ok = ok && q.Action == action && q.Status == 200 && q.Params.Get("PageSize") == fmt.Sprint(listingPageSize)
			asked = append(asked, q.PageNumber)
		}
		for i, n := range asked {
			ok = ok && n == i+1
		}
		ok = ok && len(asked) == want
	}
	return countsText(counts), ok
}

func (r *results) listingRows() []row {
	var rows []row
	for _, l := range []struct {
		name, action string
		jobs         int
		runs, floor  []planRun
	}{
		{"dts_jobs", fakedts.ActionDescribeDtsJobs, listedDtsJobs, r.listDts, r.floorListDts},
		{"dts_migration_jobs", fakedts.ActionDescribeMigrationJobs, listedMigrationJobs, r.listLegacy, r.floorListLegacy},
	} {
		if len(l.runs) == 0 {
			continue
		}
		runs, floor := walls(l.runs), walls(l.floor)
		pages := listingPages(l.jobs)
		var paging []float64
		for _, p := range l.runs {
			if n := len(p.requests); n > 0 {
				paging = append(paging, seconds(p.requests[n-1].Time.Sub(p.requests[0].Time)))
			}
		}
		rows = append(rows,
			row{"8", fmt.Sprintf("`%s` over %s jobs, no latency: plan wall time", l.name, thousands(l.jobs)),
				fmtS(median(runs)), spread(runs, fmtS), "", ""},
			row{"8", "— of which: from the first page's request to the last's", fmtS(median(paging)), spread(paging, fmtS), "", ""},
			row{"8", "— the floor, planned in the same rounds", fmtS(median(floor)), spread(floor, fmtS), "", ""},
			row{"8", "— above the floor (median − median)", fmtS(median(runs) - median(floor)), "", "", ""},
		)
		counts, ok := pageCounts(l.runs, l.action, pages)
		rows = append(rows, row{"8", "— API requests per plan", counts, "",
			fmt.Sprintf("%d, pages 1 to %d of %d", pages, pages, listingPageSize), verdict(ok)})
	}
	return rows
}

func thousands(n int) string {
	s := fmt.Sprint(n)
	var parts []string
	for len(s) > 3 {
		parts = append([]string{s[len(s)-3:]}, parts...)
		s = s[:len(s)-3]
	}
	return strings.Join(slices.Insert(parts, 0, s), ",")
}

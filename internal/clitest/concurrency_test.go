package clitest

import (
	"encoding/json"
	"fmt"
	"sort"
	"testing"
	"time"

	"github.com/openmigrate/terraform-provider-dts/internal/fakedts"
)

// concurrentReads is how many instances of the data source one plan reads.
const concurrentReads = 100

// TestPlanReadsManyJobsConcurrently reads 100 jobs in one plan, many at once, with the provider
// built under the race detector: every instance gets its own job's answer from exactly one request,
// and the provider reports no data race (GORACE=halt_on_error=1 would crash it, and the report
// lands in the module's race log, which newRootModule checks).
func TestPlanReadsManyJobsConcurrently(t *testing.T) {
	t.Parallel()
	f := newFake(t)
	// Slow answers keep many reads in flight in the provider at once.
	f.SetLatency(20 * time.Millisecond)
	ids := make([]string, concurrentReads)
	for i := range ids {
		ids[i] = fmt.Sprintf("dtsconcurrent%03d", i)
		// A distinct delay per job shows crossed answers.
		f.SetJob(ids[i], fakedts.Job{Steps: []fakedts.Step{{Body: syncing(int64(i)).Body(ids[i])}}})
	}
	idList, err := json.Marshal(ids)
	if err != nil {
		t.Fatal(err)
	}
	m := newRootModule(t, config(fakeProvider(f), fmt.Sprintf(`
locals {
  ids = %s
}

data "dts_migration_job_status" "job" {
  for_each         = toset(local.ids)
  migration_job_id = each.value
}

output "own_answers" {
  value = length([
    for i, id in local.ids : id
    if data.dts_migration_job_status.job[id].task_id == trimprefix(id, "dts") &&
       data.dts_migration_job_status.job[id].data_synchronization_status.delay == i
  ])
}
`, idList)))

	r := m.run("plan", "-parallelism=50")
	m.mustSucceed(r, "terraform plan")
	mustContain(t, r.output(), fmt.Sprintf("+ own_answers = %d", concurrentReads))
	for _, text := range []string{r.stdout, r.stderr} {
		if containsFold(text, "DATA RACE") {
			t.Errorf("the provider reported a data race:\n%s", text)
		}
	}

	perJob := map[string]int{}
	for _, req := range f.DescribeRequests() {
		perJob[req.MigrationJobID]++
	}
	var wrong []string
	for _, id := range ids {
		if perJob[id] != 1 {
			wrong = append(wrong, fmt.Sprintf("%s: %d", id, perJob[id]))
		}
		delete(perJob, id)
	}
	for id, n := range perJob {
		wrong = append(wrong, fmt.Sprintf("unexpected job %q: %d", id, n))
	}
	sort.Strings(wrong)
	if len(wrong) > 0 {
		t.Errorf("want exactly one request per job, got %d requests in all; off: %v", len(f.DescribeRequests()), wrong)
	}
}

package main

import (
	"fmt"
	"time"

	"github.com/openmigrate/terraform-provider-dts/internal/fakedts"
)

// The -fleet jobs: a cutover of many databases, one job each, tagged as the fleet examples of the
// dts_jobs and dts_migration_jobs pages are (cutover = "orders").
const (
	fleetTagKey, fleetTagValue = "cutover", "orders"
	// fleetSteps is how many steps of -duration / fleetSteps the fleet takes to catch up: the jobs
	// catch up one after another, the last after -duration.
	fleetSteps = 10
	// Job IDs: the prefix then a four-digit number from 0001.
	fleetSyncPrefix   = "dtsorders"
	fleetLegacyPrefix = "dtsordersmig"
)

// seedFleet defines o.fleet synchronization jobs (DescribeDtsJobs, JobType SYNC) and as many legacy
// migration jobs, each on its own timeline from its first listing, and returns what to say of them.
func seedFleet(fake *fakedts.Server, o options) string {
	if o.fleet <= 0 {
		return ""
	}
	f := fakedts.Fleet{
		Region: o.region, Tags: map[string]string{fleetTagKey: fleetTagValue}, Every: o.duration / fleetSteps,
		JobType: "SYNC", Jobs: fakedts.StaggeredFleet(fleetSyncPrefix, "orders", o.fleet, fleetSteps),
	}
	fake.SetDtsFleet(f)
	f.JobType, f.Jobs = "", fakedts.StaggeredFleet(fleetLegacyPrefix, "orders", o.fleet, fleetSteps)
	fake.SetFleet(f)
	return fmt.Sprintf("fakedts:   a fleet tagged %s = %q: %d synchronization jobs %s0001... (dts_jobs, job_type synchronization) "+
		"and %d legacy migration jobs %s0001... (dts_migration_jobs); their delays fall from 60 s, and they catch up one "+
		"after another, the last %s after its first listing\n",
		fleetTagKey, fleetTagValue, o.fleet, fleetSyncPrefix, o.fleet, fleetLegacyPrefix, o.duration.Round(time.Millisecond))
}

// seedFleetExamples defines the jobs of the fleet examples (dts_jobs and dts_migration_jobs with
// wait_for, and the gating guide's many-databases section): three synchronization jobs and two
// legacy migration jobs tagged cutover = "orders", caught up for good, so that each wait is met at
// its first poll.
func seedFleetExamples(fake *fakedts.Server, region string) {
	tags := map[string]string{fleetTagKey: fleetTagValue}
	fake.SetDtsFleet(fakedts.Fleet{Region: region, JobType: "SYNC", Tags: tags, Jobs: []fakedts.FleetJob{
		{ID: "k7p3x9d2m5v****", Name: "orders-customers"}, {ID: "t4n8c1w6z3q****", Name: "orders-payments"},
		{ID: "b9r5h2j7f4s****", Name: "orders-shipping"},
	}})
	fake.SetFleet(fakedts.Fleet{Region: region, Tags: tags, Jobs: []fakedts.FleetJob{
		{ID: "dtsg6m1q8v3x5****", Name: "orders-customers-legacy"}, {ID: "dtsw2k9d4r7n1****", Name: "orders-payments-legacy"},
	}})
}

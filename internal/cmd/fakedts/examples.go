package main

import (
	"time"

	"github.com/openmigrate/terraform-provider-dts/internal/fakedts"
)

// The jobs of examples/, served with -examples, so that scripts/plan-examples plans every example
// as its page shows it. IDs are in the masked form of Alibaba Cloud's own documentation.
const (
	// Current API, data migration: the ID of the DescribeDtsJobs reference's sample.
	exampleMigrationJob = "i03e3zty16i****"
	// Current API, synchronization: the job of the dts_job_status examples and of the gating guide.
	exampleSyncJob = "r2d7k9m4x8c****"
	// Current API, a second synchronization job of the "orders" project.
	exampleSyncReportingJob = "w5t1q8z3n6b****"
	// Current API, a distributed synchronization with three shards: the ID of the DescribeDtsJobDetail
	// reference's sample, for the include_sub_jobs example.
	exampleDistributedJob = "k2q7m1x9c4b****"
	// Current API, the migration jobs named cutover-* of the dts_jobs example.
	exampleCutoverOrdersJob   = "c6v2m9r4k1p****"
	exampleCutoverPaymentsJob = "h3x8n5w2q7d****"

	// Legacy, caught up: the ID of the DescribeMigrationJobStatus reference's sample.
	exampleLegacyJob = "dtsz2v12jfo309****"
	// Legacy, caught up: the ID of the DescribeMigrationJobs reference's sample.
	exampleLegacyArchiveJob = "dtson2z28evm33****"
	// Legacy, still in full data migration: no incremental synchronization stage in its answers yet.
	exampleLegacyLoadingJob = "dtsb5x8q1rzk4c****"

	// Jobs a gate fails on, for the "When a gate fails" section of the gating guide: none of the
	// examples' filters matches them.
	examplePrecheckFailedJob = "p4f7c2k9w1s****"
	exampleFailedJob         = "f8j3r6t1y5u****"
	exampleLaggingJob        = "l9m2s7v4b8n****"
	examplePrecheckingJob    = "n1c5x8r3m6q****"
)

// seedExamples defines the jobs of examples/ in region, each at a state that lasts: the waits of the
// examples that watch a job are met at their first poll.
func seedExamples(fake *fakedts.Server, region string) {
	const tables, records = "12", "200001"
	caughtUp := func(status string, delay int64) fakedts.DtsState {
		return fakedts.DtsState{
			Status: status, Precheck: "Finished",
			Structure: "Finished", StructureProgress: tables,
			Data: "Finished", DataProgress: records,
			Sync: "Catched", SyncPercent: 95, Delay: fakedts.Delay(delay),
			Checkpoint: time.Now().Unix() - delay,
		}
	}
	current := func(id, jobType, name string, tags map[string]string, st fakedts.DtsState) {
		fake.SetDtsJob(id, fakedts.DtsJob{Region: region, JobType: jobType, Name: name, Tags: tags,
			Steps: []fakedts.Step{{Body: st.Item(id)}}})
	}
	current(exampleMigrationJob, "MIGRATION", "rds_mysql_orders_migration", map[string]string{"env": "prod"}, verified(caughtUp("Migrating", 1), false))
	current(exampleSyncJob, "SYNC", "orders-to-polardb", map[string]string{"project": "orders", "team": "payments"}, verified(caughtUp("Synchronizing", 1), true))
	seedExampleDataChecks(fake, region, caughtUp("Synchronizing", 1))
	current(exampleSyncReportingJob, "SYNC", "orders-reporting", map[string]string{"project": "orders"}, caughtUp("Synchronizing", 3))
	// Every shard caught up: the last step of the distributed timeline, which lasts.
	distributed := fakedts.DistributedTimelineFor(exampleDistributedJob, time.Second)
	fake.SetDtsJob(exampleDistributedJob, fakedts.DtsJob{Region: region, JobType: "SYNC", Name: "drds_orders_to_rds",
		Steps: distributed[len(distributed)-1:]})
	current(exampleCutoverOrdersJob, "MIGRATION", "cutover-orders", nil, caughtUp("Migrating", 0))
	current(exampleCutoverPaymentsJob, "MIGRATION", "cutover-payments", nil, caughtUp("Migrating", 2))

	current(examplePrecheckFailedJob, "SYNC", "crm-to-polardb", nil, fakedts.DtsState{
		Status: "PrecheckFailed", Precheck: "Failed",
		FailedChecks: []fakedts.CheckItem{{
			Name:         "CHECK_CONN_DEST",
			ErrorMessage: "Original error: Access denied for user 'dtstest'@'100.104.***.**' (using password: YES)",
			RepairMethod: "CHECK_ERROR_DEST_CONN_REPAIR2",
		}},
		Structure: "NotStarted", Data: "NotStarted", Sync: "NotStarted",
	})
	failed := caughtUp("Failed", 0)
	failed.Delay, failed.Checkpoint = nil, 0
	failed.Sync, failed.SyncError = "Failed", "DTS-31009: Write to the destination failed: Table 'crm.orders' doesn't exist"
	failed.ErrorMessage = "DTS-31009: Write to the destination failed: Table 'crm.orders' doesn't exist"
	failed.ErrorDetails = []fakedts.ErrorDetail{{Code: "DTS-31009", HelpURL: "https://www.alibabacloud.com/help/en/dts/support/dts-31009"}}
	current(exampleFailedJob, "SYNC", "billing-to-polardb", nil, failed)
	lagging := caughtUp("Synchronizing", 90)
	lagging.Sync = "Migrating"
	current(exampleLaggingJob, "SYNC", "events-to-polardb", nil, lagging)
	current(examplePrecheckingJob, "SYNC", "audit-to-polardb", nil, fakedts.DtsState{
		Status: "Prechecking", Precheck: "Checking", PrecheckPercent: 40,
	})

	legacyCaughtUp := func(delay int64) fakedts.State {
		return fakedts.State{
			JobStatus: "Migrating", Precheck: "Finished",
			Structure: "Finished", StructureProgress: 12,
			Data: "Finished", DataProgress: 200001,
			Sync: "Catched", SyncPercent: 95, Delay: fakedts.Delay(delay), Checkpoint: time.Now().Unix() - delay,
		}
	}
	legacy := func(id, name string, tags map[string]string, st fakedts.State) {
		fake.SetJob(id, fakedts.Job{Region: region, Name: name, Tags: tags, Steps: []fakedts.Step{{Body: st.Body(id)}}})
	}
	legacy(exampleLegacyJob, "orders-mysql-to-rds", map[string]string{"project": "orders"}, legacyCaughtUp(0))
	legacy(exampleLegacyArchiveJob, "orders-archive", map[string]string{"project": "orders"}, legacyCaughtUp(2))
	legacy(exampleLegacyLoadingJob, "shop-mysql-to-rds", nil, fakedts.State{
		JobStatus: "Migrating", Precheck: "Finished",
		Structure: "Finished", StructureProgress: 12,
		Data: "Migrating", DataPercent: 60, DataProgress: 120000,
	})
	seedFleetExamples(fake, region)
}

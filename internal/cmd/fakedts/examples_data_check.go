package main

import (
	"github.com/openmigrate/terraform-provider-dts/internal/fakedts"
)

// The data verifications of examples/: the dts_data_check examples and the gating guide's gate on
// verification.
const (
	// Current API, synchronization, caught up, whose full verification found 3 inconsistent rows in
	// shop.payment: the fact sheet's sample. The gating guide's gate refuses it.
	exampleInconsistentJob = "v3k8d1x6r9m****"
)

// verified adds data verification to a job's state: full (Finished), and incremental (Catched) when
// incremental is set, both configured in its migration mode.
func verified(st fakedts.DtsState, incremental bool) fakedts.DtsState {
	mode := fakedts.DtsMode{StructureInitialization: true, DataInitialization: true, DataSynchronization: true,
		FullDataCheck: true, IncDataCheck: incremental}
	st.Mode = &mode
	st.FullCheck, st.FullCheckPercent, st.CanSwitch = "Finished", 100, true
	st.FullCheckProgress = "18374 rows/s (row: 1091319/1091319, table: 4/4)"
	if incremental {
		st.IncCheck, st.IncCheckPercent, st.IncCheckProgress = "Catched", 100, "12 rows/s"
	}
	return st
}

// shopTables are the four tables of the fact sheet's sample, payment with diff inconsistent rows.
func shopTables(diff int64) []fakedts.CheckedTable {
	return []fakedts.CheckedTable{
		{Database: "shop", Table: "customer", Rows: 12000, Checked: 12000},
		{Database: "shop", Table: "orders", Rows: 250000, Checked: 250000},
		{Database: "shop", Table: "order_item", Rows: 731204, Checked: 731204, BootTime: "2024-06-06 11:20:05"},
		{Database: "shop", Table: "payment", Rows: 98115, Checked: 98115, Inconsistent: diff, BootTime: "2024-06-06 11:20:05"},
	}
}

// seedExampleDataChecks defines the verifications of the jobs that verified() marks, and the job
// whose verification found rows, in region.
func seedExampleDataChecks(fake *fakedts.Server, region string, caughtUp fakedts.DtsState) {
	clean := fakedts.DataCheck{Steps: []fakedts.DataCheckStep{{Tables: shopTables(0)}}}
	fake.SetDataCheck(exampleMigrationJob, 1, clean)
	fake.SetDataCheck(exampleSyncJob, 1, clean)
	fake.SetDataCheck(exampleSyncJob, 2, clean)

	inconsistent := verified(caughtUp, false)
	fake.SetDtsJob(exampleInconsistentJob, fakedts.DtsJob{Region: region, JobType: "SYNC", Name: "shop-to-polardb",
		Steps: []fakedts.Step{{Body: inconsistent.Item(exampleInconsistentJob)}}})
	fake.SetDataCheck(exampleInconsistentJob, 1, fakedts.DataCheck{Steps: []fakedts.DataCheckStep{{Tables: shopTables(3)}}})
}

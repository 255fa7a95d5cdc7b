package fakedts

import "fmt"

// Jobs with data verification that SetDataCheckJobs defines: each a DtsJob whose MigrationMode,
// FullDataCheckStatus and IncDataCheckStatus agree with its verification's tables.
const (
	// DataCheckOffJobID is a migration job caught up, with no verification configured.
	DataCheckOffJobID = "dtscheckoff"
	// DataCheckCleanJobID is a migration job caught up whose full verification of 45 tables is
	// Checking for one step (the first 20 tables done), then Finished with no inconsistent row.
	DataCheckCleanJobID = "dtscheckclean"
	// DataCheckRowsJobID is a migration job caught up whose full verification of 30 tables Finished
	// with inconsistent rows in 12 of them (DataCheckRowsInconsistent in all).
	DataCheckRowsJobID = "dtscheckrows"
	// DataCheckIncrementalJobID is a synchronization job caught up whose incremental verification is
	// Catched with 2 inconsistent rows in one of its 5 tables for one step, then Catched with none:
	// DTS checked them again once replication caught up.
	DataCheckIncrementalJobID = "dtscheckinc"
	// DataCheckFailedJobID is a migration job whose full verification Failed: 2 of its 6 tables
	// finished, 4 failed, one with each documented error code (1 to 4).
	DataCheckFailedJobID = "dtscheckfailed"
	// DataCheckBenchJobID is a migration job caught up whose full verification Finished clean over
	// DataCheckBenchTables tables.
	DataCheckBenchJobID = "dtscheckbench"
)

// Sizes of the verifications of SetDataCheckJobs.
const (
	DataCheckCleanTables      = 45
	DataCheckRowsTables       = 30
	DataCheckRowsInconsistent = 78 // 1 + 2 + ... + 12
	DataCheckBenchTables      = 1000
)

// DataCheckFailedMessage is the verification error message of DataCheckFailedJobID.
const DataCheckFailedMessage = "data check failed: 4 tables could not be verified"

// SetDataCheckJobs defines the jobs above in region; each step of a timeline that moves lasts
// readsPerStep readings (one DescribeDtsJobs answer for the job, one page-1 request for its tables),
// so the job and its tables move together.
func (s *Server) SetDataCheckJobs(region string, readsPerStep int) {
	caughtUp := func(status string, mode DtsMode) DtsState {
		mode.StructureInitialization, mode.DataInitialization, mode.DataSynchronization = true, true, true
		return DtsState{
			Status: status, Mode: &mode, Precheck: "Finished", Structure: "Finished", Data: "Finished",
			Sync: "Catched", SyncPercent: 95, Delay: Delay(0), Checkpoint: 1717651205,
		}
	}
	full := DtsMode{FullDataCheck: true}

	off := caughtUp("Migrating", DtsMode{})
	off.FullCheck, off.IncCheck = "NotStarted", "NotStarted"
	s.SetDtsJob(DataCheckOffJobID, DtsJob{Region: region, Name: "no verification", Steps: []Step{{Body: off.Item(DataCheckOffJobID)}}})

	checking := caughtUp("Migrating", full)
	checking.FullCheck, checking.FullCheckPercent = "Checking", 44
	checking.FullCheckProgress = fmt.Sprintf("1000 rows/s (row: 20000/45000, table: 20/%d)", DataCheckCleanTables)
	clean := checking
	clean.FullCheck, clean.FullCheckPercent, clean.CanSwitch = "Finished", 100, true
	clean.FullCheckProgress = fmt.Sprintf("1000 rows/s (row: 45000/45000, table: %d/%d)", DataCheckCleanTables, DataCheckCleanTables)
	s.SetDtsJob(DataCheckCleanJobID, DtsJob{Region: region, Name: "clean verification", Steps: []Step{
		{Body: checking.Item(DataCheckCleanJobID), Requests: readsPerStep},
		{Body: clean.Item(DataCheckCleanJobID)},
	}})
	s.SetDataCheck(DataCheckCleanJobID, 1, DataCheck{Steps: []DataCheckStep{
		{Tables: Tables("shop", "t", DataCheckCleanTables, func(i int, t *CheckedTable) {
			if i >= 20 {
				t.Checked, t.Status = 0, TableRunning
			}
		}), Requests: readsPerStep},
		{Tables: Tables("shop", "t", DataCheckCleanTables, nil)},
	}})

	rows := caughtUp("Migrating", full)
	rows.FullCheck, rows.FullCheckProgress = "Finished", fmt.Sprintf("1000 rows/s (row: 30000/30000, table: %d/%d)", DataCheckRowsTables, DataCheckRowsTables)
	s.SetDtsJob(DataCheckRowsJobID, DtsJob{Region: region, Name: "verification with inconsistent rows", Steps: []Step{{Body: rows.Item(DataCheckRowsJobID)}}})
	s.SetDataCheck(DataCheckRowsJobID, 1, DataCheck{Steps: []DataCheckStep{{Tables: Tables("shop", "t", DataCheckRowsTables, func(i int, t *CheckedTable) {
		// Every other table of the first 24 differs, by 1, 2, ... 12 rows.
		if i < 24 && i%2 == 1 {
			t.Inconsistent = int64(i/2 + 1)
		}
	})}}})

	inc := caughtUp("Synchronizing", DtsMode{IncDataCheck: true})
	inc.IncCheck, inc.IncCheckPercent, inc.IncCheckProgress = "Catched", 100, "12 rows/s"
	s.SetDtsJob(DataCheckIncrementalJobID, DtsJob{Region: region, JobType: "SYNC", Name: "incremental verification", Steps: []Step{
		{Body: inc.Item(DataCheckIncrementalJobID)},
	}})
	s.SetDataCheck(DataCheckIncrementalJobID, 2, DataCheck{Steps: []DataCheckStep{
		{Tables: Tables("crm", "c", 5, func(i int, t *CheckedTable) {
			if i == 3 {
				t.Inconsistent = 2
			}
		}), Requests: readsPerStep},
		{Tables: Tables("crm", "c", 5, nil)},
	}})

	failed := caughtUp("Migrating", full)
	failed.FullCheck, failed.FullCheckPercent, failed.FullCheckError = "Failed", 33, DataCheckFailedMessage
	s.SetDtsJob(DataCheckFailedJobID, DtsJob{Region: region, Name: "failed verification", Steps: []Step{{Body: failed.Item(DataCheckFailedJobID)}}})
	s.SetDataCheck(DataCheckFailedJobID, 1, DataCheck{Steps: []DataCheckStep{{Tables: Tables("erp", "e", 6, func(i int, t *CheckedTable) {
		if i >= 2 {
			t.Status, t.ErrorCode, t.Checked = TableFailed, int64(i-1), 0
		}
	})}}})

	bench := caughtUp("Migrating", full)
	bench.FullCheck, bench.CanSwitch = "Finished", true
	s.SetDtsJob(DataCheckBenchJobID, DtsJob{Region: region, Name: "verification of 1,000 tables", Steps: []Step{{Body: bench.Item(DataCheckBenchJobID)}}})
	s.SetDataCheck(DataCheckBenchJobID, 1, DataCheck{Steps: []DataCheckStep{{Tables: Tables("bench", "b", DataCheckBenchTables, nil)}}})
}

// Tables returns n finished tables of database db named prefix000, prefix001, ..., each of 1,000
// rows all verified and consistent; edit, when set, changes table i.
func Tables(db, prefix string, n int, edit func(i int, t *CheckedTable)) []CheckedTable {
	out := make([]CheckedTable, n)
	for i := range out {
		out[i] = CheckedTable{Database: db, Table: fmt.Sprintf("%s%03d", prefix, i), Rows: 1000, Checked: 1000}
		if edit != nil {
			edit(i, &out[i])
		}
	}
	return out
}

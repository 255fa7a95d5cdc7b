package family

import (
	"github.com/openmigrate/terraform-provider-dts/internal/dtsapi"
	"github.com/openmigrate/terraform-provider-dts/internal/wait"
)

// LegacyListed is the legacy API's family as DescribeMigrationJobs lists a job: the stage table,
// failure rules and readings of Legacy, applied to the listed item's fields (Precheck,
// StructureInitialization, DataInitialization, DataSynchronization), which carry what the status
// call's do, less the precheck's items.
var LegacyListed = &wait.Family[dtsapi.MigrationJob]{
	Table: Legacy.Table,
	Observe: func(j *dtsapi.MigrationJob, s wait.Stage) wait.Observation {
		return Legacy.Observe(asStatus(j), s)
	},
	Switch: func(j *dtsapi.MigrationJob, s wait.Stage) (*bool, string, bool) {
		return Legacy.Switch(asStatus(j), s)
	},
	FailedChecks: func(j *dtsapi.MigrationJob) []wait.FailedCheck {
		return Legacy.FailedChecks(asStatus(j))
	},
	JobFailures: Legacy.JobFailures,
	Permanent:   Legacy.Permanent,
}

// listedPrecheckPassed is how DescribeMigrationJobs documents a passed precheck ("Success" or
// "Failed"), where DescribeMigrationJobStatus documents "Finished".
const listedPrecheckPassed = "Success"

// asStatus reads a listed legacy job as the status call would answer for it, so that one set of
// rules judges both. A passed precheck reads as "Finished", the status call's word for it; that
// both words mean the same is an inference from the two calls' documentation.
func asStatus(j *dtsapi.MigrationJob) *dtsapi.MigrationJobStatus {
	st := &dtsapi.MigrationJobStatus{
		MigrationJobHeader:            j.MigrationJobHeader,
		MigrationJobID:                j.MigrationJobID,
		PrecheckStatus:                j.Precheck,
		StructureInitializationStatus: j.StructureInitialization,
		DataInitializationStatus:      j.DataInitialization,
		DataSynchronizationStatus:     j.DataSynchronization,
	}
	if p := j.Precheck.Get(); p != nil && p.Status.Val == listedPrecheckPassed {
		passed := *p
		passed.Status = dtsapi.StringOf(wait.JobFinished)
		st.PrecheckStatus = dtsapi.ObjectOf(passed)
	}
	return st
}

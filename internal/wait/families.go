package wait

import "github.com/openmigrate/terraform-provider-dts/internal/dtsapi"

// Statuses shared by the families' tables.
var (
	initializationStatuses = []string{"NotStarted", "Migrating", stageFailed, jobFinished}
	precheckStatuses       = []string{"NotStarted", "Checking", "Suspending", stageFailed, jobFinished}
	beforeData             = []Stage{StagePrecheck, StageStructureInitialization}
	beforeSync             = []Stage{StagePrecheck, StageStructureInitialization, StageDataInitialization}
)

// Legacy is the legacy API's family: DescribeMigrationJobStatus.
var Legacy = &Family[dtsapi.MigrationJobStatus]{
	Table: Table{
		{Stage: StageJob, Field: "MigrationJobStatus",
			Documented: []string{"NotStarted", "Prechecking", "PrecheckFailed", "Migrating", "Suspending", "MigrationFailed", jobFinished}},
		{Stage: StagePrecheck, Field: "PrecheckStatus.Status", Documented: precheckStatuses},
		{Stage: StageStructureInitialization, Field: "StructureInitializationStatus.Status", Documented: initializationStatuses,
			Needs: []Stage{StagePrecheck}},
		{Stage: StageDataInitialization, Field: "DataInitializationStatus.Status", Documented: initializationStatuses,
			Needs: beforeData},
		{Stage: StageDataSynchronization, Field: "DataSynchronizationStatus.Status", HasDelay: true,
			Documented: []string{"NotStarted", "Migrating", stageFailed, jobFinished, "Catched"}, Needs: beforeSync},
	},
	Observe: func(r *dtsapi.MigrationJobStatus, s Stage) Observation {
		switch s {
		case StageJob:
			return Observation{Status: r.MigrationJobStatus.Ptr()}
		case StagePrecheck:
			if p := r.PrecheckStatus.Get(); p != nil {
				return Observation{Status: p.Status.Ptr(), Percent: p.Percent.Ptr()}
			}
		case StageStructureInitialization:
			return observeInitialization(r.StructureInitializationStatus.Get())
		case StageDataInitialization:
			return observeInitialization(r.DataInitializationStatus.Get())
		case StageDataSynchronization:
			if d := r.DataSynchronizationStatus.Get(); d != nil {
				return Observation{Status: d.Status.Ptr(), Percent: d.Percent.Ptr(), Delay: d.Delay.Ptr(), ErrorMessage: d.ErrorMessage.Ptr()}
			}
		}
		return Observation{}
	},
	Switch: func(r *dtsapi.MigrationJobStatus, s Stage) (*bool, string, bool) {
		return modeFlag(r.MigrationMode.Get(), s)
	},
	FailedChecks: func(r *dtsapi.MigrationJobStatus) []FailedCheck {
		p := r.PrecheckStatus.Get()
		if p == nil {
			return nil
		}
		return failedChecks(p.Detail.Items, func(c *dtsapi.MigrationCheckItem) FailedCheck {
			return FailedCheck{Item: c.ItemName.Val, Result: c.CheckStatus.Val, Reason: c.ErrorMessage.Val, RepairMethod: c.RepairMethod.Val}
		})
	},
	JobFailures: map[string]Stage{"PrecheckFailed": StagePrecheck, "MigrationFailed": ""},
}

// Current is the current API's family: a DescribeDtsJobs item.
var Current = &Family[dtsapi.DtsJob]{
	Table: Table{
		{Stage: StageJob, Field: "Status", FoldCase: true, Documented: []string{
			"NotStarted", "NotConfigured", "Prechecking", "PrecheckFailed", "PreCheckPass", "Migrating", "Suspending",
			"MigrationFailed", jobFinished, "Retrying", "Upgrade", "Locked", "Downgrade",
			"Initializing", "InitializeFailed", "Synchronizing", stageFailed, "Modifying",
			"Starting", "Normal", "Abnormal",
		}},
		{Stage: StagePrecheck, Field: "PrecheckStatus.Status", Documented: precheckStatuses},
		{Stage: StageStructureInitialization, Field: "StructureInitializationStatus.Status", Documented: initializationStatuses,
			Needs: []Stage{StagePrecheck}},
		{Stage: StageDataInitialization, Field: "DataInitializationStatus.Status", Documented: initializationStatuses,
			Needs: beforeData},
		{Stage: StageDataSynchronization, Field: "DataSynchronizationStatus.Status", HasDelay: true,
			Documented: []string{"NotStarted", "Migrating", "Suspending", "Checking", stageFailed, jobFinished, "Catched"},
			Needs:      beforeSync},
		{Stage: StageFullDataCheck, Field: "FullDataCheckStatus.Status",
			Documented: []string{"NotStarted", "Checking", stageFailed, jobFinished}, Needs: beforeSync},
		{Stage: StageIncrementalDataCheck, Field: "IncDataCheckStatus.Status",
			Documented: []string{"NotStarted", "Checking", stageFailed, "Catched"},
			Needs:      append(append([]Stage{}, beforeSync...), StageDataSynchronization)},
	},
	Observe: func(j *dtsapi.DtsJob, s Stage) Observation {
		switch s {
		case StageJob:
			return Observation{Status: j.Status.Ptr(), ErrorMessage: j.ErrorMessage.Ptr()}
		case StagePrecheck:
			if p := j.PrecheckStatus.Get(); p != nil {
				return Observation{Status: p.Status.Ptr(), Percent: p.Percent.Ptr(), ErrorMessage: p.ErrorMessage.Ptr()}
			}
			return Observation{}
		case StageDataSynchronization:
			// This call's stage objects carry no delay: the job's own is the synchronization's.
			o := observeStage(j.DataSynchronizationStatus.Get())
			if o.Status != nil {
				o.Delay = j.Delay.Ptr()
			}
			return o
		}
		return observeStage(currentStage(j, s).Get())
	},
	Switch: func(j *dtsapi.DtsJob, s Stage) (*bool, string, bool) {
		return modeFlag(j.MigrationMode.Get(), s)
	},
	FailedChecks: func(j *dtsapi.DtsJob) []FailedCheck {
		p := j.PrecheckStatus.Get()
		if p == nil {
			return nil
		}
		return failedChecks(p.Detail.Items, func(c *dtsapi.CheckItem) FailedCheck {
			return FailedCheck{Item: c.CheckItem.Val, Result: c.CheckResult.Val, Reason: c.FailedReason.Val, RepairMethod: c.RepairMethod.Val}
		})
	},
	JobFailures: map[string]Stage{"PrecheckFailed": StagePrecheck, "MigrationFailed": "", "InitializeFailed": "", stageFailed: ""},
	JobError: func(j *dtsapi.DtsJob) (string, []ErrorDetail) {
		var details []ErrorDetail
		for _, d := range j.ErrorDetails.Items {
			details = append(details, ErrorDetail{Code: d.ErrorCode.Val, HelpURL: d.HelpURL.Val})
		}
		return j.ErrorMessage.Val, details
	},
}

// checkSuccess is a precheck item that passed.
const checkSuccess = "Success"

// failedChecks reads each precheck item and keeps those whose result is not Success.
func failedChecks[T any](items []T, read func(*T) FailedCheck) []FailedCheck {
	var out []FailedCheck
	for i := range items {
		if c := read(&items[i]); c.Result != checkSuccess {
			out = append(out, c)
		}
	}
	return out
}

func observeInitialization(i *dtsapi.InitializationStatus) Observation {
	if i == nil {
		return Observation{}
	}
	return Observation{Status: i.Status.Ptr(), Percent: i.Percent.Ptr(), ErrorMessage: i.ErrorMessage.Ptr()}
}

func observeStage(s *dtsapi.StageStatus) Observation {
	if s == nil {
		return Observation{}
	}
	return Observation{Status: s.Status.Ptr(), Percent: s.Percent.Ptr(), ErrorMessage: s.ErrorMessage.Ptr()}
}

func currentStage(j *dtsapi.DtsJob, s Stage) dtsapi.Object[dtsapi.StageStatus] {
	switch s {
	case StageStructureInitialization:
		return j.StructureInitializationStatus
	case StageDataInitialization:
		return j.DataInitializationStatus
	case StageDataSynchronization:
		return j.DataSynchronizationStatus
	case StageFullDataCheck:
		return j.FullDataCheckStatus
	case StageIncrementalDataCheck:
		return j.IncDataCheckStatus
	}
	return dtsapi.Object[dtsapi.StageStatus]{}
}

// modeFlag returns the migration mode flag that turns s on or off; none for the job and the precheck.
func modeFlag(m *dtsapi.MigrationMode, s Stage) (*bool, string, bool) {
	if m == nil {
		m = &dtsapi.MigrationMode{}
	}
	switch s {
	case StageStructureInitialization:
		return m.StructureInitialization.Ptr(), "StructureInitialization", true
	case StageDataInitialization:
		return m.DataInitialization.Ptr(), "DataInitialization", true
	case StageDataSynchronization:
		return m.DataSynchronization.Ptr(), "DataSynchronization", true
	case StageFullDataCheck:
		return m.FullDataCheck.Ptr(), "FullDataCheck", true
	case StageIncrementalDataCheck:
		return m.IncDataCheck.Ptr(), "IncDataCheck", true
	}
	return nil, "", false
}

// Package family holds the DTS API families' rules for the waiter: each family's stage table, how to
// read a stage from a response, and what a failure reports. Package wait knows none of this.
package family

import (
	"github.com/openmigrate/terraform-provider-dts/internal/dtsapi"
	"github.com/openmigrate/terraform-provider-dts/internal/wait"
)

// Statuses shared by the families' tables.
var (
	initializationStatuses = []string{"NotStarted", "Migrating", wait.StageFailed, wait.JobFinished}
	precheckStatuses       = []string{"NotStarted", "Checking", "Suspending", wait.StageFailed, wait.JobFinished}
	beforeData             = []wait.Stage{wait.StagePrecheck, wait.StageStructureInitialization}
	beforeSync             = []wait.Stage{wait.StagePrecheck, wait.StageStructureInitialization, wait.StageDataInitialization}
)

// Legacy is the legacy API's family: DescribeMigrationJobStatus.
var Legacy = &wait.Family[dtsapi.MigrationJobStatus]{
	Table: wait.Table{
		{Stage: wait.StageJob,
			Documented: []string{"NotStarted", "Prechecking", "PrecheckFailed", "Migrating", "Suspending", "MigrationFailed", wait.JobFinished}},
		{Stage: wait.StagePrecheck, Documented: precheckStatuses},
		{Stage: wait.StageStructureInitialization, Documented: initializationStatuses,
			Needs: []wait.Stage{wait.StagePrecheck}},
		{Stage: wait.StageDataInitialization, Documented: initializationStatuses,
			Needs: beforeData},
		{Stage: wait.StageDataSynchronization, HasDelay: true,
			Documented: []string{"NotStarted", "Migrating", wait.StageFailed, wait.JobFinished, "Catched"}, Needs: beforeSync},
	},
	Observe: func(r *dtsapi.MigrationJobStatus, s wait.Stage) wait.Observation {
		switch s {
		case wait.StageJob:
			return wait.Observation{Status: r.MigrationJobStatus.Ptr()}
		case wait.StagePrecheck:
			if p := r.PrecheckStatus.Get(); p != nil {
				return wait.Observation{Status: p.Status.Ptr(), Percent: p.Percent.Ptr()}
			}
		case wait.StageStructureInitialization:
			return observeInitialization(r.StructureInitializationStatus.Get())
		case wait.StageDataInitialization:
			return observeInitialization(r.DataInitializationStatus.Get())
		case wait.StageDataSynchronization:
			if d := r.DataSynchronizationStatus.Get(); d != nil {
				return wait.Observation{Status: d.Status.Ptr(), Percent: d.Percent.Ptr(), Delay: d.Delay.Ptr(), ErrorMessage: d.ErrorMessage.Ptr()}
			}
		}
		return wait.Observation{}
	},
	Switch: func(r *dtsapi.MigrationJobStatus, s wait.Stage) (*bool, string, bool) {
		return modeFlag(r.MigrationMode.Get(), s)
	},
	FailedChecks: func(r *dtsapi.MigrationJobStatus) []wait.FailedCheck {
		p := r.PrecheckStatus.Get()
		if p == nil {
			return nil
		}
		return failedChecks(p.Detail.Items, func(c *dtsapi.MigrationCheckItem) wait.FailedCheck {
			return wait.FailedCheck{Item: c.ItemName.Val, Result: c.CheckStatus.Val, Reason: c.ErrorMessage.Val, RepairMethod: c.RepairMethod.Val}
		})
	},
	JobFailures: map[string]wait.Stage{"PrecheckFailed": wait.StagePrecheck, "MigrationFailed": ""},
	Permanent:   dtsapi.IsPermanent,
}

// Current is the current API's family: a DescribeDtsJobs item.
var Current = &wait.Family[dtsapi.DtsJob]{
	Table: wait.Table{
		{Stage: wait.StageJob, FoldCase: true, Documented: []string{
			"NotStarted", "NotConfigured", "Prechecking", "PrecheckFailed", "PreCheckPass", "Migrating", "Suspending",
			"MigrationFailed", wait.JobFinished, "Retrying", "Upgrade", "Locked", "Downgrade",
			"Initializing", "InitializeFailed", "Synchronizing", wait.StageFailed, "Modifying",
			"Starting", "Normal", "Abnormal",
		}},
		{Stage: wait.StagePrecheck, Documented: precheckStatuses},
		{Stage: wait.StageStructureInitialization, Documented: initializationStatuses,
			Needs: []wait.Stage{wait.StagePrecheck}},
		{Stage: wait.StageDataInitialization, Documented: initializationStatuses,
			Needs: beforeData},
		{Stage: wait.StageDataSynchronization, HasDelay: true,
			Documented: []string{"NotStarted", "Migrating", "Suspending", "Checking", wait.StageFailed, wait.JobFinished, "Catched"},
			Needs:      beforeSync},
		{Stage: wait.StageFullDataCheck,
			Documented: []string{"NotStarted", "Checking", wait.StageFailed, wait.JobFinished}, Needs: beforeSync},
		{Stage: wait.StageIncrementalDataCheck,
			Documented: []string{"NotStarted", "Checking", wait.StageFailed, "Catched"},
			Needs:      append(append([]wait.Stage{}, beforeSync...), wait.StageDataSynchronization)},
	},
	Observe: func(j *dtsapi.DtsJob, s wait.Stage) wait.Observation {
		switch s {
		case wait.StageFullDataCheck:
			return observeStage(j.FullDataCheckStatus.Get())
		case wait.StageIncrementalDataCheck:
			return observeStage(j.IncDataCheckStatus.Get())
		}
		// This call's stage objects carry no delay: the job's own is the synchronization's.
		return observeCore(&j.JobCore, s, j.Delay)
	},
	Switch: func(j *dtsapi.DtsJob, s wait.Stage) (*bool, string, bool) {
		return modeFlag(j.MigrationMode.Get(), s)
	},
	FailedChecks: func(j *dtsapi.DtsJob) []wait.FailedCheck { return precheckFailures(j.PrecheckStatus.Get()) },
	JobFailures:  map[string]wait.Stage{"PrecheckFailed": wait.StagePrecheck, "MigrationFailed": "", "InitializeFailed": "", wait.StageFailed: ""},
	Permanent:    dtsapi.IsPermanent,
	Holds:        holdWhileModifying,
	JobError: func(j *dtsapi.DtsJob) (string, []wait.ErrorDetail) {
		var details []wait.ErrorDetail
		for _, d := range j.ErrorDetails.Items {
			details = append(details, wait.ErrorDetail{Code: d.ErrorCode.Val, HelpURL: d.HelpURL.Val})
		}
		return j.ErrorMessage.Val, details
	},
}

// checkSuccess is a precheck item that passed.
const checkSuccess = "Success"

// failedChecks reads each precheck item and keeps those whose result is not Success.
func failedChecks[T any](items []T, read func(*T) wait.FailedCheck) []wait.FailedCheck {
	var out []wait.FailedCheck
	for i := range items {
		if c := read(&items[i]); c.Result != checkSuccess {
			out = append(out, c)
		}
	}
	return out
}

func observeInitialization(i *dtsapi.InitializationStatus) wait.Observation {
	if i == nil {
		return wait.Observation{}
	}
	return wait.Observation{Status: i.Status.Ptr(), Percent: i.Percent.Ptr(), ErrorMessage: i.ErrorMessage.Ptr()}
}

// observeCore reads a stage a job and a sub-job both carry; delay, in seconds, is the one that goes
// with the synchronization (each keeps its own, in its own unit, beside JobCore).
func observeCore(c *dtsapi.JobCore, s wait.Stage, delay dtsapi.Int) wait.Observation {
	switch s {
	case wait.StageJob:
		return wait.Observation{Status: c.Status.Ptr(), ErrorMessage: c.ErrorMessage.Ptr()}
	case wait.StagePrecheck:
		p := c.PrecheckStatus.Get()
		if p == nil {
			return wait.Observation{}
		}
		return wait.Observation{Status: p.Status.Ptr(), Percent: p.Percent.Ptr(), ErrorMessage: p.ErrorMessage.Ptr()}
	case wait.StageDataSynchronization:
		o := observeStage(c.DataSynchronizationStatus.Get())
		if o.Status != nil {
			o.Delay = delay.Ptr()
		}
		return o
	}
	return observeStage(coreStage(c, s).Get())
}

// precheckFailures lists a current-API precheck's items that did not succeed.
func precheckFailures(p *dtsapi.Precheck) []wait.FailedCheck {
	if p == nil {
		return nil
	}
	return failedChecks(p.Detail.Items, func(c *dtsapi.CheckItem) wait.FailedCheck {
		return wait.FailedCheck{Item: c.CheckItem.Val, Result: c.CheckResult.Val, Reason: c.FailedReason.Val, RepairMethod: c.RepairMethod.Val}
	})
}

func observeStage(s *dtsapi.StageStatus) wait.Observation {
	if s == nil {
		return wait.Observation{}
	}
	return wait.Observation{Status: s.Status.Ptr(), Percent: s.Percent.Ptr(), ErrorMessage: s.ErrorMessage.Ptr()}
}

// coreStage is the stage object of s among the three that a job and a sub-job both carry.
func coreStage(c *dtsapi.JobCore, s wait.Stage) dtsapi.Object[dtsapi.StageStatus] {
	switch s {
	case wait.StageStructureInitialization:
		return c.StructureInitializationStatus
	case wait.StageDataInitialization:
		return c.DataInitializationStatus
	case wait.StageDataSynchronization:
		return c.DataSynchronizationStatus
	}
	return dtsapi.Object[dtsapi.StageStatus]{}
}

// modeFlag returns the migration mode flag that turns s on or off; none for the job and the precheck.
func modeFlag(m *dtsapi.MigrationMode, s wait.Stage) (*bool, string, bool) {
	if m == nil {
		m = &dtsapi.MigrationMode{}
	}
	switch s {
	case wait.StageStructureInitialization:
		return m.StructureInitialization.Ptr(), "StructureInitialization", true
	case wait.StageDataInitialization:
		return m.DataInitialization.Ptr(), "DataInitialization", true
	case wait.StageDataSynchronization:
		return m.DataSynchronization.Ptr(), "DataSynchronization", true
	case wait.StageFullDataCheck:
		return m.FullDataCheck.Ptr(), "FullDataCheck", true
	case wait.StageIncrementalDataCheck:
		return m.IncDataCheck.Ptr(), "IncDataCheck", true
	}
	return nil, "", false
}

package family

import (
	"strconv"
	"strings"

	"github.com/openmigrate/terraform-provider-dts/internal/dtsapi"
	"github.com/openmigrate/terraform-provider-dts/internal/wait"
)

// jobModifying is the job status while objects are added to or removed from a synchronization.
const jobModifying = "Modifying"

// holdWhileModifying holds a data_synchronization target while the job is Modifying: its new objects
// are initialized by a sub-job before they synchronize, so a job that reads Catched is not caught up.
func holdWhileModifying(j *dtsapi.DtsJob, s wait.Stage) string {
	if s != wait.StageDataSynchronization || !strings.EqualFold(j.Status.Val, jobModifying) {
		return ""
	}
	return `the job is "Modifying": objects are being added to or removed from it, and new objects are initialized by a sub-job before they synchronize`
}

// SubJob is the family of DescribeDtsJobDetail's sub-jobs, as a read takes them (delays in seconds).
// A sub-job runs the stages up to data_synchronization; its status is read as a job's [I: the SDK
// lists the schema stage's values for it, the help page a job's], compared ignoring case, and it
// fails by the job's rules. A stage its migration mode switches off is one it does not have (see
// SubJobHas), not one that can never be reached: a sub-job initializing added tables may skip a stage
// the job runs.
var SubJob = &wait.Family[dtsapi.SubJobRead]{
	Table: wait.Table{
		Current.Table[0],
		{Stage: wait.StagePrecheck, Documented: []string{"NotStarted", "Prechecking", "PrecheckFailed", wait.JobFinished},
			Failures: []string{"PrecheckFailed"}},
		{Stage: wait.StageStructureInitialization, Documented: initializationStatuses,
			Needs: []wait.Stage{wait.StagePrecheck}},
		{Stage: wait.StageDataInitialization, Documented: initializationStatuses,
			Needs: beforeData},
		{Stage: wait.StageDataSynchronization, HasDelay: true,
			Documented: []string{"NotStarted", "Migrating", "Suspending", "Checking", wait.StageFailed, wait.JobFinished, "Catched"},
			Needs:      beforeSync},
	},
	Observe: func(s *dtsapi.SubJobRead, st wait.Stage) wait.Observation {
		return observeCore(&s.JobCore, st, s.DelaySeconds)
	},
	Switch:       func(*dtsapi.SubJobRead, wait.Stage) (*bool, string, bool) { return nil, "", false },
	FailedChecks: func(s *dtsapi.SubJobRead) []wait.FailedCheck { return precheckFailures(s.PrecheckStatus.Get()) },
	JobFailures:  Current.JobFailures,
	JobError: func(s *dtsapi.SubJobRead) (string, []wait.ErrorDetail) {
		return s.ErrorMessage.Val, nil
	},
	Permanent: dtsapi.IsPermanent,
}

// SubJobHas reports whether a sub-job has a stage: the stage object is in the answer, and its migration
// mode does not switch the stage off.
func SubJobHas(s *dtsapi.SubJobRead, st wait.Stage) bool {
	if st == wait.StagePrecheck {
		return s.PrecheckStatus.Get() != nil
	}
	if coreStage(&s.JobCore, st).Get() == nil {
		return false
	}
	on, _, ok := modeFlag(s.MigrationMode.Get(), st)
	return !ok || on == nil || *on
}

// CurrentWithSubJobs is the gate over a current-API job read with its sub-jobs (DescribeDtsJob with
// SubJobs): at precheck, structure_initialization, data_initialization and data_synchronization every
// sub-job that has the stage must be at the target too, within max_delay_seconds; the job stage and
// the data checks look at the job alone, as does a read made without sub-jobs.
var CurrentWithSubJobs = &wait.SubJobs[dtsapi.DtsJobRead, dtsapi.DtsJob, dtsapi.SubJobRead]{
	Job: Current,
	Sub: SubJob,
	Stages: []wait.Stage{wait.StagePrecheck, wait.StageStructureInitialization, wait.StageDataInitialization,
		wait.StageDataSynchronization},
	Split: func(r *dtsapi.DtsJobRead) (*dtsapi.DtsJob, []dtsapi.SubJobRead, bool) {
		if r.SubJobs == nil {
			return r.Job, nil, false
		}
		return r.Job, r.SubJobs.Items, true
	},
	Has:     SubJobHas,
	JobName: func(j *dtsapi.DtsJob) string { return "job " + strconv.Quote(j.DtsJobID.Val) },
	Name:    SubJobName,
	Unread: func(r *dtsapi.DtsJobRead) string {
		if r.SubJobs == nil {
			return ""
		}
		return r.SubJobs.Unread
	},
}

// SubJobName names a sub-job by its kind and ID, such as `distributed sub-job "a1b2c3"`.
func SubJobName(s *dtsapi.SubJobRead) string {
	return s.Kind + " sub-job " + strconv.Quote(s.DtsJobID.Val)
}

package family

import (
	"fmt"

	"github.com/openmigrate/terraform-provider-dts/internal/dtsapi"
	"github.com/openmigrate/terraform-provider-dts/internal/wait"
)

// DataCheckStatuses are the statuses a data verification's wait_for takes: the current API's two
// verification stages, as its table documents them, for plan-time validation.
var DataCheckStatuses = wait.Table{stageOf(Current.Table, wait.StageFullDataCheck), stageOf(Current.Table, wait.StageIncrementalDataCheck)}

func stageOf(t wait.Table, s wait.Stage) wait.StageInfo {
	info, ok := t.Lookup(string(s))
	if !ok {
		panic(fmt.Sprintf("family: stage %s is not in the table", s)) // a bug in this package, caught by its tests
	}
	return info
}

// Verification is the current API's family read through a data verification's reading: the stages,
// failures and errors of the job it holds, by Current's rules.
var Verification = through(Current, func(d *dtsapi.DataCheck) *dtsapi.DtsJob {
	if d.Job == nil || d.Job.Job == nil {
		return &dtsapi.DtsJob{}
	}
	return d.Job.Job
})

// through is f read from a response R that holds f's response J.
func through[R, J any](f *wait.Family[J], job func(*R) *J) *wait.Family[R] {
	out := &wait.Family[R]{
		Table:       f.Table,
		JobFailures: f.JobFailures,
		Permanent:   f.Permanent,
		Observe:     func(r *R, s wait.Stage) wait.Observation { return f.Observe(job(r), s) },
		Switch:      func(r *R, s wait.Stage) (*bool, string, bool) { return f.Switch(job(r), s) },
	}
	if f.FailedChecks != nil {
		out.FailedChecks = func(r *R) []wait.FailedCheck { return f.FailedChecks(job(r)) }
	}
	if f.JobError != nil {
		out.JobError = func(r *R) (string, []wait.ErrorDetail) { return f.JobError(job(r)) }
	}
	if f.Holds != nil {
		out.Holds = func(r *R, s wait.Stage) string { return f.Holds(job(r), s) }
	}
	return out
}

// DataCheckGate is the gate over a job's data verification: t.Stage is wait.StageFullDataCheck or
// wait.StageIncrementalDataCheck, matching the reading's CheckType.
func DataCheckGate(t wait.Target) wait.Gate[dtsapi.DataCheck] {
	return wait.Verification(Verification, t, VerifiedTables)
}

// VerifiedTables is what a reading says of the verified tables; nil when they were not read.
func VerifiedTables(d *dtsapi.DataCheck) *wait.Verified {
	if d.Tables == nil {
		return nil
	}
	v := &wait.Verified{Tables: make([]wait.TableResult, len(d.Tables.Tables))}
	if last := d.Tables.Last; last != nil {
		v.Counted, v.CountedInconsistent = last.TotalCount.Ptr(), last.DiffTableCount.Ptr()
	}
	for i := range d.Tables.Tables {
		t := &d.Tables.Tables[i]
		r := wait.TableResult{Name: t.Name(), InconsistentRows: t.DiffCount.Ptr(), Failed: t.Status.Val == dtsapi.TableCheckFailed}
		if t.ErrorCode.Set {
			if meaning, ok := dtsapi.TableCheckError(t.ErrorCode.Val); ok {
				r.Error = fmt.Sprintf("%s (error code %d)", meaning, t.ErrorCode.Val)
			} else if t.ErrorCode.Val != 0 {
				r.Error = fmt.Sprintf("error code %d", t.ErrorCode.Val)
			}
		}
		v.Tables[i] = r
	}
	return v
}

// CheckStage is the stage a verification of checkType watches.
func CheckStage(checkType int) wait.Stage {
	if checkType == dtsapi.CheckTypeIncremental {
		return wait.StageIncrementalDataCheck
	}
	return wait.StageFullDataCheck
}

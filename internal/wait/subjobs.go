package wait

import (
	"fmt"
	"slices"
)

// SubJobs says how a response of type R holds a job (of type J) and its sub-jobs (of type S), and
// which rules a gate over them follows. The job and each sub-job are judged by their own family's
// rules for one job; Gate combines the verdicts.
type SubJobs[R, J, S any] struct {
	// Job is the job's family, Sub the sub-jobs'. Sub's table must hold every stage of Stages.
	Job *Family[J]
	Sub *Family[S]
	// Stages are the stages at which the sub-jobs hold the gate as well; at any other the job
	// decides alone.
	Stages []Stage
	// Split returns the response's job and its sub-jobs; asked is false when the response was read
	// without its sub-jobs, and the job then decides alone.
	Split func(r *R) (job *J, subs []S, asked bool)
	// Has reports whether a sub-job has the stage. One that has not is not looked at for it, neither
	// its status nor its delay: it does not hold the gate, and it cannot end the wait.
	Has func(s *S, stage Stage) bool
	// JobName and Name name the job and a sub-job in messages.
	JobName func(j *J) string
	Name    func(s *S) string
	// Unread, when set, says which sub-jobs of a response asked for them could not be read (a list
	// that was not one, an element that was not an object), or "" when every one was. Such a response
	// never satisfies a gate at Stages: what was not read could be the sub-job that lags.
	Unread func(r *R) string
}

// Gate returns the gate over a job and its sub-jobs. At the stages of c.Stages, the target is reached
// when the job is at it and so is every sub-job that has the stage (within the delay bound, if any);
// the job first, then each sub-job can make it unreachable by its family's rules, and the error names
// the sub-job. A job that is finished with its own stage at the target while a sub-job is not ends
// the wait, since a finished job will not change. At other stages, or without sub-jobs to look at,
// it is the job's own gate.
func (c *SubJobs[R, J, S]) Gate(t Target) Gate[R] {
	return subJobsGate[R, J, S]{c: c, job: jobGate[J]{family: c.Job, target: t}, sub: jobGate[S]{family: c.Sub, target: t}}
}

type subJobsGate[R, J, S any] struct {
	c   *SubJobs[R, J, S]
	job jobGate[J]
	sub jobGate[S]
}

func (g subJobsGate[R, J, S]) Target() Target { return g.job.target }

func (g subJobsGate[R, J, S]) Permanent(err error) bool { return g.job.Permanent(err) }

func (g subJobsGate[R, J, S]) validate() error { return g.job.validate() }

func (g subJobsGate[R, J, S]) Decide(r *R) Verdict {
	job, subs, asked := g.c.Split(r)
	v := g.job.Decide(job)
	t := g.job.target
	if v.Unreachable != nil || !asked || !slices.Contains(g.c.Stages, t.Stage) {
		return v
	}
	if g.c.Unread != nil {
		if why := g.c.Unread(r); why != "" {
			v = g.holdFor(v, why)
		}
	}
	units := []Unit{{Name: g.c.JobName(job), Observation: v.Observation, JobStatus: v.JobStatus}}
	verdicts := []Verdict{v}
	for i := range subs {
		s := &subs[i]
		if !g.c.Has(s, t.Stage) {
			continue
		}
		sv := g.sub.Decide(s)
		units = append(units, Unit{Name: g.c.Name(s), Observation: sv.Observation, JobStatus: sv.JobStatus})
		verdicts = append(verdicts, sv)
	}
	if len(units) == 1 {
		return v
	}
	all := Every(units, verdicts)
	all.Observation, all.JobStatus, all.Held = v.Observation, v.JobStatus, v.Held
	if all.Satisfied || all.Unreachable != nil || !v.Satisfied {
		return all
	}
	if status := orEmpty(v.JobStatus); g.c.Job.info(StageJob).matches(status, JobFinished) {
		all.Unreachable = &UnreachableError{
			Target: t, Stage: StageJob, Status: status, JobStatus: status,
			Reason: fmt.Sprintf("the job has finished (job status %q) while %d of its sub-jobs are not at the target (%s), so they will not change any more",
				status, len(all.Waiting), Summarize(all.Waiting, timeoutUnits)),
			Hint: "Wait for a status the sub-jobs reached, or look at them in the DTS console.",
		}
	}
	return all
}

// holdFor keeps a job's verdict from opening the gate while some of its sub-jobs could not be read.
func (g subJobsGate[R, J, S]) holdFor(v Verdict, unread string) Verdict {
	if v.Satisfied {
		v.Satisfied = false
		v.Held = "not every sub-job could be read (" + unread + ")"
	}
	return v
}

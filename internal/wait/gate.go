package wait

import (
	"fmt"
	"strings"
)

// A gate is the decision a wait makes from each response: the target is reached, it can no longer be
// reached, or not yet. One job, a job with its sub-jobs, every job of a fleet and a data verification
// are gates alike, so one waiter serves them all.

// Gate decides, from one response of type R, whether a wait is over.
type Gate[R any] interface {
	// Target is what the gate waits for, for messages.
	Target() Target
	// Decide reads one response.
	Decide(r *R) Verdict
	// Permanent reports whether a failed call is one that waiting will not mend, which ends the wait.
	Permanent(err error) bool
}

// Verdict is what one response decides.
type Verdict struct {
	// Satisfied says the target is reached: the wait ends with this response.
	Satisfied bool
	// Unreachable, when set, says why the target can no longer be reached: the wait ends with it.
	Unreachable *UnreachableError
	// Observation is what the response said about the watched stage (of the job, for a job with
	// sub-jobs; empty for a fleet).
	Observation Observation
	// JobStatus is the job's status; nil when the response had none or the gate watches many jobs.
	JobStatus *string
	// Units is how many units a gate over several looked at (a job and its sub-jobs, the jobs of a
	// fleet); 0 for a gate over one job.
	Units int
	// Waiting are the units not at the target, in the order the service lists them.
	Waiting []Unit
	// Held says why the target is not reached although the watched status is at it, such as a job
	// whose objects are being changed; empty otherwise.
	Held string
}

// Unit is one of the things a gate over several looks at: a job of a fleet, or a sub-job.
type Unit struct {
	// Name names the unit in messages, such as `job "i03e3zty16i" (orders)`.
	Name string
	// Observation is what the response said about the unit's watched stage.
	Observation Observation
	// JobStatus is the unit's own status; nil when the response had none.
	JobStatus *string
}

// String describes the unit for a message: its name, status, percent and delay as far as known.
func (u Unit) String() string {
	var parts []string
	if u.Observation.Status != nil {
		parts = append(parts, fmt.Sprintf("status %q", *u.Observation.Status))
	} else {
		parts = append(parts, "no status")
	}
	if u.Observation.Delay != nil {
		parts = append(parts, fmt.Sprintf("delay %ds", *u.Observation.Delay))
	}
	if u.JobStatus != nil && (u.Observation.Status == nil || *u.JobStatus != *u.Observation.Status) {
		parts = append(parts, fmt.Sprintf("job status %q", *u.JobStatus))
	}
	return u.Name + " (" + strings.Join(parts, ", ") + ")"
}

// Summarize lists the first n units for a message, and how many more there are.
func Summarize(units []Unit, n int) string {
	var b strings.Builder
	for i, u := range units {
		if i == n {
			fmt.Fprintf(&b, " and %d more", len(units)-n)
			break
		}
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(u.String())
	}
	return b.String()
}

// Gate returns the gate over one job: reached when the target's stage is at one of its statuses (and
// within the delay bound), unreachable by the family's failure rules.
func (f *Family[R]) Gate(t Target) Gate[R] {
	return jobGate[R]{family: f, target: t}
}

type jobGate[R any] struct {
	family *Family[R]
	target Target
}

func (g jobGate[R]) Target() Target { return g.target }

func (g jobGate[R]) Permanent(err error) bool {
	return g.family.Permanent != nil && g.family.Permanent(err)
}

func (g jobGate[R]) Decide(r *R) Verdict {
	f, t := g.family, g.target
	v := Verdict{Observation: f.Observe(r, t.Stage), JobStatus: f.Observe(r, StageJob).Status}
	v.Satisfied = t.satisfiedBy(f.info(t.Stage), v.Observation)
	if v.Satisfied && f.Holds != nil {
		if why := f.Holds(r, t.Stage); why != "" {
			v.Satisfied, v.Held = false, why
		}
	}
	if !v.Satisfied {
		v.Unreachable = unreachable(f, t, r, v.Observation)
	}
	return v
}

// Fleet returns the gate over every job of a listing L: reached when each job is at the target,
// unreachable as soon as one job can no longer reach it (by the family's rules for one job), and
// never reached by a listing with no job, since a wait over nothing would check nothing.
func Fleet[L, J any](f *Family[J], t Target, jobs func(*L) []J, name func(*J) string) Gate[L] {
	return fleetGate[L, J]{job: jobGate[J]{family: f, target: t}, jobs: jobs, name: name}
}

type fleetGate[L, J any] struct {
	job  jobGate[J]
	jobs func(*L) []J
	name func(*J) string
}

func (g fleetGate[L, J]) Target() Target { return g.job.target }

// overListing marks the gate for the waiter's timeout, whose message then speaks of listings.
func (fleetGate[L, J]) overListing() {}

func (g fleetGate[L, J]) Permanent(err error) bool { return g.job.Permanent(err) }

func (g fleetGate[L, J]) Decide(l *L) Verdict {
	jobs := g.jobs(l)
	if len(jobs) == 0 {
		return Verdict{Unreachable: &UnreachableError{
			Target: g.job.target,
			Reason: "no job matches the listing's filters, and a wait over no jobs would pass without checking anything",
			Hint: "Check the filters (job type, name, status, tags, name_regex) and the region: a mistyped tag " +
				"matches nothing. The gate stays closed until at least one job matches.",
		}}
	}
	units := make([]Unit, len(jobs))
	verdicts := make([]Verdict, len(jobs))
	for i := range jobs {
		verdicts[i] = g.job.Decide(&jobs[i])
		units[i] = Unit{Name: g.name(&jobs[i]), Observation: verdicts[i].Observation, JobStatus: verdicts[i].JobStatus}
	}
	return Every(units, verdicts)
}

// Every combines the verdicts of several units (verdicts[i] is units[i]'s): the target is reached when
// every unit reached it; it can no longer be reached as soon as one unit cannot, and the error names
// that unit. A unit held (Verdict.Held) is waiting, with the reason in its name.
func Every(units []Unit, verdicts []Verdict) Verdict {
	v := Verdict{Units: len(units)}
	for i, u := range verdicts {
		if u.Unreachable != nil {
			e := *u.Unreachable
			e.Unit = units[i].Name
			return Verdict{Units: len(units), Unreachable: &e}
		}
		if !u.Satisfied {
			w := units[i]
			if u.Held != "" {
				w.Name += ", held: " + u.Held
			}
			v.Waiting = append(v.Waiting, w)
		}
	}
	v.Satisfied = len(v.Waiting) == 0 && len(units) > 0
	return v
}

func (g jobGate[R]) validate() error { return g.target.validate(g.family.Table) }

func (g fleetGate[L, J]) validate() error { return g.job.validate() }

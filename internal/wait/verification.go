package wait

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// A data verification is a gate over a job's verification stage (full_data_check or
// incremental_data_check) that also counts the inconsistent rows of the verified tables: a stage at
// its target status is not enough when the rows it found are too many, or could not all be seen.

// TableResult is one verified table, as a verification gate reads it.
type TableResult struct {
	// Name names the table in messages, such as `shop.payment`.
	Name string
	// InconsistentRows is how many of its rows differ; nil when the response did not say readably.
	InconsistentRows *int64
	// Failed says the table's verification failed; Error says why, when known.
	Failed bool
	Error  string
}

// String describes the table for a message: its name and inconsistent rows, or why it failed.
func (t TableResult) String() string {
	switch {
	case t.Failed && t.Error != "":
		return t.Name + ": failed: " + t.Error
	case t.Failed:
		return t.Name + ": failed"
	case t.InconsistentRows == nil:
		return t.Name + ": no count of inconsistent rows"
	}
	return t.Name + ": " + plural64(*t.InconsistentRows, "inconsistent row")
}

// Verified is what one response of a verification says of its tables.
type Verified struct {
	// Tables are the tables read, in the service's order.
	Tables []TableResult
	// Counted is how many tables the service counts; nil when it did not say.
	Counted *int64
	// CountedInconsistent is how many tables the service counts with inconsistent rows; nil when it
	// did not say.
	CountedInconsistent *int64
}

// InconsistentRows adds up the tables' inconsistent rows. unseen says why the sum may fall short of
// the truth (tables counted but not read, a table without a count, tables counted as inconsistent
// that the tables read do not show); "" when nothing was left unseen.
func (v *Verified) InconsistentRows() (rows int64, unseen string) {
	if v == nil {
		return 0, "the verification's tables were not read"
	}
	var withRows int64
	for _, t := range v.Tables {
		switch {
		case t.InconsistentRows == nil:
			if unseen == "" {
				unseen = fmt.Sprintf("table %s reports no count of inconsistent rows", t.Name)
			}
		case *t.InconsistentRows > 0:
			rows += *t.InconsistentRows
			withRows++
		}
	}
	switch {
	case unseen != "":
	case v.Counted != nil && int64(len(v.Tables)) < *v.Counted:
		unseen = fmt.Sprintf("the service counts %d tables and %d were read", *v.Counted, len(v.Tables))
	case v.CountedInconsistent != nil && *v.CountedInconsistent > withRows:
		unseen = fmt.Sprintf("the service counts %s with inconsistent rows, and the tables read show %d",
			plural64(*v.CountedInconsistent, "table"), withRows)
	}
	return rows, unseen
}

// inconsistent returns the tables with inconsistent rows; failed those whose verification failed.
func (v *Verified) inconsistent() []TableResult {
	return v.keep(func(t TableResult) bool { return t.InconsistentRows != nil && *t.InconsistentRows > 0 })
}

func (v *Verified) failed() []TableResult {
	return v.keep(func(t TableResult) bool { return t.Failed })
}

func (v *Verified) keep(f func(TableResult) bool) []TableResult {
	if v == nil {
		return nil
	}
	var out []TableResult
	for _, t := range v.Tables {
		if f(t) {
			out = append(out, t)
		}
	}
	return out
}

// Verification returns the gate over a job's data verification: t.Stage is StageFullDataCheck or
// StageIncrementalDataCheck, read from each response by f, and tables reads the verified tables
// (nil when they were not read). The target is reached when the stage is at one of t's statuses and,
// with t.MaxInconsistentRows, the tables hold no more inconsistent rows than that, every table seen.
// It can no longer be reached by f's rules for the stage (the job failed, the stage or one before it
// failed, the stage is switched off, the job finished), and when a full verification has Finished
// with more inconsistent rows than allowed: it will not change. An incremental verification with too
// many keeps the wait going, since DTS checks inconsistent rows again after a delay to rule out
// replication lag.
func Verification[R any](f *Family[R], t Target, tables func(*R) *Verified) Gate[R] {
	return verificationGate[R]{family: f, target: t, tables: tables}
}

type verificationGate[R any] struct {
	family *Family[R]
	target Target
	tables func(*R) *Verified
}

func (g verificationGate[R]) Target() Target { return g.target }

func (g verificationGate[R]) Permanent(err error) bool {
	return g.family.Permanent != nil && g.family.Permanent(err)
}

// tablesShown is how many tables an error names.
const tablesShown = 10

func (g verificationGate[R]) Decide(r *R) Verdict {
	f, t := g.family, g.target
	o := f.Observe(r, t.Stage)
	v := Verdict{Observation: o, JobStatus: f.Observe(r, StageJob).Status}
	verified := g.tables(r)
	rows, unseen := verified.InconsistentRows()
	tooMany := t.MaxInconsistentRows != nil && rows > *t.MaxInconsistentRows
	if t.satisfiedBy(f.info(t.Stage), o) {
		switch {
		case t.MaxInconsistentRows == nil:
			v.Satisfied = true
			return v
		case tooMany:
			v.Held = fmt.Sprintf("%s in %s, more than the %d allowed", plural64(rows, "inconsistent row"),
				plural(len(verified.inconsistent()), "table"), *t.MaxInconsistentRows)
			if t.Stage == StageIncrementalDataCheck {
				v.Held += "; DTS checks inconsistent rows again after a delay, to rule out replication lag"
			}
		case unseen != "":
			v.Held = "the inconsistent rows were not all seen: " + unseen
		default:
			v.Satisfied = true
			return v
		}
	}

	if u := unreachable(f, t, r, o); u != nil {
		if u.Stage == t.Stage && f.info(t.Stage).matches(u.Status, StageFailed) {
			u.Tables = verified.failed()
		}
		v.Unreachable = u
		return v
	}
	if tooMany && t.Stage == StageFullDataCheck && o.Status != nil && f.info(t.Stage).matches(*o.Status, JobFinished) {
		bad := verified.inconsistent()
		u := &UnreachableError{Target: t, Tables: bad}
		blame(u, f, t.Stage, r)
		if v.JobStatus != nil {
			u.JobStatus = *v.JobStatus
		}
		u.Reason = fmt.Sprintf("the full data verification has finished with %s in %s, more than the %d allowed, "+
			"and a finished verification does not change", plural64(rows, "inconsistent row"), plural(len(bad), "table"), *t.MaxInconsistentRows)
		u.Hint = "Look at the inconsistent rows in the DTS console, correct the destination (or find what writes to it " +
			"besides DTS), then run the verification again."
		v.Unreachable = u
	}
	return v
}

func (g verificationGate[R]) validate() error {
	t := g.target
	if t.Stage != StageFullDataCheck && t.Stage != StageIncrementalDataCheck {
		return fmt.Errorf("a data verification's gate watches %s or %s, not %s", StageFullDataCheck, StageIncrementalDataCheck, t.Stage)
	}
	if t.MaxInconsistentRows != nil && *t.MaxInconsistentRows < 0 {
		return errors.New("the maximum of inconsistent rows must not be negative")
	}
	t.MaxInconsistentRows = nil
	return t.validate(g.family.Table)
}

// describeTables lists tables for an error, at most tablesShown, and how many more there are.
func describeTables(tables []TableResult) string {
	var b strings.Builder
	for i, t := range tables {
		if i == tablesShown {
			fmt.Fprintf(&b, "\n  ... and %d more", len(tables)-tablesShown)
			break
		}
		b.WriteString("\n  - ")
		b.WriteString(t.String())
	}
	return b.String()
}

func plural64(n int64, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return strconv.FormatInt(n, 10) + " " + noun + "s"
}

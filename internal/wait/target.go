package wait

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// Target is what a wait waits for: the stage's status in Statuses and, when MaxDelaySeconds is set,
// a replication delay no larger than it.
type Target struct {
	// Stage is the stage watched.
	Stage Stage
	// Statuses are the statuses that end the wait, compared exactly (case-sensitive); at least one.
	Statuses []string
	// MaxDelaySeconds bounds the data_synchronization delay; nil means no bound. A response without a
	// delay never satisfies a bound.
	MaxDelaySeconds *int64
}

// shownStatuses is how many of a target's statuses its description quotes.
const shownStatuses = 5

// String describes the target, e.g. `data_synchronization status in ["Catched"] with delay <= 5s`,
// quoting at most shownStatuses statuses.
func (t Target) String() string {
	var b strings.Builder
	b.WriteString(string(t.Stage))
	b.WriteString(" status in [")
	for i, s := range t.Statuses {
		if i == shownStatuses {
			fmt.Fprintf(&b, ", … and %d more", len(t.Statuses)-i)
			break
		}
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(strconv.Quote(s))
	}
	b.WriteString("]")
	if t.MaxDelaySeconds != nil {
		fmt.Fprintf(&b, " with delay <= %ds", *t.MaxDelaySeconds)
	}
	return b.String()
}

// validate rejects targets the provider's plan-time validation should already have refused.
func (t Target) validate(table Table) error {
	info, ok := table.Lookup(string(t.Stage))
	if !ok {
		return fmt.Errorf("unknown stage %q: want one of %s", t.Stage, quoteStages(table.Stages()))
	}
	if len(t.Statuses) == 0 {
		return fmt.Errorf("no target status given for stage %s: give at least one of %s", t.Stage, quoteList(info.Documented))
	}
	if slices.Contains(t.Statuses, "") {
		return fmt.Errorf("empty target status for stage %s: the service never reports an empty status, so the wait could not end", t.Stage)
	}
	if t.MaxDelaySeconds != nil {
		if !info.HasDelay {
			return fmt.Errorf("a maximum delay was given for stage %s, but only %s reports a delay", t.Stage, StageDataSynchronization)
		}
		if *t.MaxDelaySeconds < 0 {
			return errors.New("the maximum delay must not be negative")
		}
	}
	return nil
}

// satisfiedBy reports whether o meets the target; an observation without a status never does.
func (t Target) satisfiedBy(info StageInfo, o Observation) bool {
	if o.Status == nil || !slices.ContainsFunc(t.Statuses, func(want string) bool { return info.matches(*o.Status, want) }) {
		return false
	}
	return t.delayOK(o)
}

// delayOK reports whether o meets the delay bound, if any.
func (t Target) delayOK(o Observation) bool {
	return t.MaxDelaySeconds == nil || (o.Delay != nil && *o.Delay <= *t.MaxDelaySeconds)
}

func quoteList(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = strconv.Quote(s)
	}
	return strings.Join(q, ", ")
}

func quoteStages(ss []Stage) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = strconv.Quote(string(s))
	}
	return strings.Join(q, ", ")
}

// Package wait polls a DTS job (or its sub-jobs, or a fleet of jobs) until a gate opens, fails as
// soon as the gate can no longer open, and gives up at a deadline. It does not know which API it
// polls: it gets a describe function and a Gate, which decides from each response (see Family.Gate
// and Fleet; package family holds the API families' rules). Time comes from a clock.Clock, so the
// whole state machine is tested without sleeping.
package wait

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/openmigrate/terraform-provider-dts/internal/clock"
)

// Poll is one call made by a wait, as reported to OnPoll.
type Poll[R any] struct {
	// N numbers the polls of a wait from 1.
	N int
	// At is when the call was made.
	At time.Time
	// Elapsed is At less the start of the wait.
	Elapsed time.Duration
	// Response is the call's answer; nil when the call failed.
	Response *R
	// Err is the call's error; nil when it succeeded.
	Err error
	// Verdict is what the gate decided from the response; empty when the call failed.
	Verdict
}

// Waiter polls a job's status until a target is reached.
type Waiter[R any] struct {
	// Describe makes one call, with its own retries.
	Describe func(ctx context.Context) (*R, error)
	// Gate decides from each response whether the wait is over.
	Gate Gate[R]
	// Clock tells the time and sleeps between polls; nil means clock.System.
	Clock clock.Clock
	// PollInterval is the time between the starts of two polls; it must be positive.
	PollInterval time.Duration
	// Timeout is the deadline of the wait, measured on Clock from the start of Wait; it must be positive.
	Timeout time.Duration
	// OnPoll, when set, is called after every poll, whether it succeeded or not.
	OnPoll func(ctx context.Context, p Poll[R])
}

// state is what a wait remembers between polls, for its errors.
type state struct {
	clock   clock.Clock
	target  Target
	start   time.Time
	polls   int
	last    *Observation
	lastJob *string
	lastErr error
	// units and waiting are the last verdict's, for a gate over several units.
	units   int
	waiting []Unit
	// held is why the last verdict held a target that looked reached.
	held string
	// overListing says the gate watches every job of a listing.
	overListing bool
}

func (s *state) elapsed() time.Duration { return s.clock.Now().Sub(s.start) }

func (s *state) timeout(timeout time.Duration) *TimeoutError {
	return &TimeoutError{
		Target:        s.target,
		Timeout:       timeout,
		Waited:        s.elapsed(),
		Polls:         s.polls,
		Last:          s.last,
		LastJobStatus: s.lastJob,
		LastErr:       s.lastErr,
		Units:         s.units,
		Waiting:       s.waiting,
		Held:          s.held,
		OverListing:   s.overListing,
	}
}

// stopped returns the error for a context that is done: a timeout when its deadline passed, a
// cancellation otherwise.
func (s *state) stopped(ctx context.Context, timeout time.Duration) error {
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return s.timeout(timeout)
	}
	return canceled(ctx, s)
}

// Wait polls until the target is reached and returns the response that reached it. It returns an
// *UnreachableError as soon as a response shows the target can no longer be reached, a
// *TimeoutError when Timeout or the context's deadline passes first, a *CanceledError when ctx is
// canceled, and the call's error, wrapped, when a call fails in a way waiting cannot mend
// (see Gate.Permanent). Polls start at fixed times, start + k*PollInterval, however long the
// calls take; a call that overruns one or more of those times is followed by the next one to come.
func (w *Waiter[R]) Wait(ctx context.Context) (*R, error) {
	if err := w.validate(); err != nil {
		return nil, err
	}
	target := w.Gate.Target()
	clk := w.Clock
	if clk == nil {
		clk = clock.System{}
	}
	s := &state{clock: clk, target: target, start: clk.Now()}
	_, s.overListing = w.Gate.(interface{ overListing() })
	deadline := s.start.Add(w.Timeout)

	for slot := int64(0); ; {
		if ctx.Err() != nil {
			return nil, s.stopped(ctx, w.Timeout)
		}
		resp, done, err := w.poll(ctx, s)
		if done {
			return resp, err
		}

		// The next poll is the first slot not already past, so a slow call never causes a burst.
		now := clk.Now()
		slot = max(slot+1, ceilDiv(now.Sub(s.start), w.PollInterval))
		next := s.start.Add(time.Duration(slot) * w.PollInterval)
		if !next.Before(deadline) {
			if remaining := deadline.Sub(now); remaining > 0 {
				if err := clk.Sleep(ctx, remaining); err != nil {
					return nil, s.stopped(ctx, w.Timeout)
				}
			}
			return nil, s.timeout(w.Timeout)
		}
		if err := clk.Sleep(ctx, next.Sub(now)); err != nil {
			return nil, s.stopped(ctx, w.Timeout)
		}
	}
}

// poll makes one call and decides whether the wait ends with it.
func (w *Waiter[R]) poll(ctx context.Context, s *state) (resp *R, done bool, err error) {
	s.polls++
	p := Poll[R]{N: s.polls, At: s.clock.Now()}
	p.Elapsed = p.At.Sub(s.start)
	report := func() {
		if w.OnPoll != nil {
			w.OnPoll(ctx, p)
		}
	}

	r, callErr := w.Describe(ctx)
	if callErr == nil && r == nil {
		callErr = errors.New("the call returned no response")
	}
	if callErr != nil {
		p.Err = callErr
		report()
		switch {
		case ctx.Err() != nil:
			// The failure is the context's doing, not the service's.
			return nil, true, s.stopped(ctx, w.Timeout)
		case w.Gate.Permanent(callErr):
			return nil, true, fmt.Errorf("waiting for %s: poll %d failed in a way that waiting will not fix: %w", s.target, p.N, callErr)
		}
		s.lastErr = callErr
		return nil, false, nil
	}

	p.Response = r
	p.Verdict = w.Gate.Decide(r)
	if p.Observation.Status != nil {
		o := p.Observation
		s.last, s.lastErr, s.held = &o, nil, p.Held
	}
	if p.JobStatus != nil {
		s.lastJob = p.JobStatus
	}
	s.held = p.Held
	if p.Units > 0 {
		s.units, s.waiting, s.lastErr = p.Units, p.Waiting, nil
	}
	report()

	if p.Satisfied {
		return r, true, nil
	}
	if p.Unreachable != nil {
		return nil, true, p.Unreachable
	}
	return nil, false, nil
}

func (w *Waiter[R]) validate() error {
	if w.Describe == nil {
		return errors.New("wait: no Describe function given")
	}
	if w.Gate == nil {
		return errors.New("wait: no Gate given")
	}
	if w.PollInterval <= 0 {
		return fmt.Errorf("wait: the poll interval must be positive, got %s", w.PollInterval)
	}
	if w.Timeout <= 0 {
		return fmt.Errorf("wait: the timeout must be positive, got %s", w.Timeout)
	}
	if v, ok := w.Gate.(interface{ validate() error }); ok {
		if err := v.validate(); err != nil {
			return fmt.Errorf("wait: %w", err)
		}
	}
	return nil
}

// ceilDiv returns how many intervals it takes to cover d, rounding up.
func ceilDiv(d, interval time.Duration) int64 {
	return int64((d + interval - 1) / interval)
}

// unreachable returns why r shows that the target can no longer be reached, or nil while it still
// can be (or while r does not establish enough to tell). o is r's observation of the target's stage.
func unreachable[R any](f *Family[R], t Target, r *R, o Observation) *UnreachableError {
	job := orEmpty(f.Observe(r, StageJob).Status)
	u := &UnreachableError{Target: t, JobStatus: job}
	if f.JobError != nil {
		u.JobErrorMessage, u.ErrorDetails = f.JobError(r)
	}
	stages := f.Table.Stages()[1:] // the job's stages, in the order they run

	if blamed, failed := f.jobFailure(job); failed {
		if blamed == StagePrecheck {
			blame(u, f, StagePrecheck, r)
			u.Reason = fmt.Sprintf("the job's precheck failed (job status %q)", job)
			u.Hint = "Fix what the failed precheck items report, then run the precheck again in the DTS console."
			return u
		}
		u.Reason = fmt.Sprintf("the job failed (job status %q)", job)
		switch stage, ok := firstFailed(f, stages, r); {
		case ok:
			blame(u, f, stage, r)
			u.Reason += fmt.Sprintf("; %s is %q", stage, u.Status)
		default:
			// The job failed without naming a failed stage; a stage's error message is the best clue.
			if stage, ok := firstWithErrorMessage(f, stages, r); ok {
				blame(u, f, stage, r)
				u.Reason += fmt.Sprintf("; %s reports an error", stage)
			} else {
				u.Stage, u.Status = StageJob, job
			}
		}
		u.Hint = "Fix the cause reported above and restart the job in the DTS console, then try again."
		return u
	}

	info := f.info(t.Stage)
	if failed, ok := firstFailed(f, append(append([]Stage{}, info.Needs...), t.Stage), r); ok && t.Stage != StageJob {
		blame(u, f, failed, r)
		if failed == t.Stage {
			u.Reason = fmt.Sprintf("%s failed (status %q)", failed, u.Status)
		} else {
			u.Reason = fmt.Sprintf("%s failed (status %q), and %s runs after it", failed, u.Status, t.Stage)
		}
		u.Hint = "Fix the cause reported above and restart the job in the DTS console, then try again."
		return u
	}

	if on, name, ok := f.Switch(r, t.Stage); ok && on != nil && !*on {
		blame(u, f, t.Stage, r)
		u.Reason = fmt.Sprintf("%s is switched off in the job's migration mode (MigrationMode.%s is false), so it will never run", t.Stage, name)
		u.Hint = "Wait for a stage the job performs, or turn this one on in the job's migration types."
		return u
	}

	// A finished job changes no more, but a missing status or delay may be a gap in this response alone.
	if f.info(StageJob).matches(job, JobFinished) && o.Status != nil && (o.Delay != nil || t.MaxDelaySeconds == nil) {
		blame(u, f, t.Stage, r)
		if t.Stage == StageJob {
			u.Reason = fmt.Sprintf("the job has finished (job status %q), so its status will not change any more", job)
		} else {
			u.Reason = fmt.Sprintf("the job has finished (job status %q) with %s at %q", job, t.Stage, u.Status)
			if o.Delay != nil && t.MaxDelaySeconds != nil && *o.Delay > *t.MaxDelaySeconds {
				u.Reason += fmt.Sprintf(" and a delay of %ds, above the %ds bound", *o.Delay, *t.MaxDelaySeconds)
			}
			u.Reason += ", so it will not change any more"
		}
		u.Hint = "Wait for a status the job reached, or start the job again."
		return u
	}
	return nil
}

// blame records stage as the one at fault: its status and error message and, for the precheck, the
// check items that did not pass.
func blame[R any](u *UnreachableError, f *Family[R], stage Stage, r *R) {
	o := f.Observe(r, stage)
	u.Stage = stage
	u.Status = orEmpty(o.Status)
	u.ErrorMessage = orEmpty(o.ErrorMessage)
	if stage == StagePrecheck && f.FailedChecks != nil {
		u.FailedChecks = f.FailedChecks(r)
	}
}

// firstFailed returns the first of stages whose status is Failed.
func firstFailed[R any](f *Family[R], stages []Stage, r *R) (Stage, bool) {
	for _, stage := range stages {
		if s := f.Observe(r, stage).Status; s != nil && f.info(stage).failed(*s) {
			return stage, true
		}
	}
	return "", false
}

// firstWithErrorMessage returns the first of stages that has a non-empty error message.
func firstWithErrorMessage[R any](f *Family[R], stages []Stage, r *R) (Stage, bool) {
	for _, stage := range stages {
		if m := f.Observe(r, stage).ErrorMessage; m != nil && *m != "" {
			return stage, true
		}
	}
	return "", false
}

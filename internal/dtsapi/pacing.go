package dtsapi

import (
	"context"
	"strings"
	"sync"
	"time"

	"github.com/openmigrate/terraform-provider-dts/internal/clock"
)

// DocumentedLimits are the service's documented per-account, per-region rate limits, in calls per
// second, by action. Actions not listed have no documented limit.
var DocumentedLimits = map[string]float64{
	"DescribeDtsJobs":      20,
	"DescribeDtsJobDetail": 40,
}

// Pacing defaults for PacerConfig fields left at zero.
const (
	// DefaultHeadroom is the share of a documented limit the pacer uses, so that the service's
	// window and uneven network delays do not turn a full pace into throttling. It is no smaller
	// because the plan's budget is the limit's pace plus 2 s: 200 reads at 19/s leave 1.5 s of it.
	DefaultHeadroom = 0.95
	// DefaultUnlimitedStartRate is the pace, in calls per second, of an action without a documented
	// limit after its first throttled answer.
	DefaultUnlimitedStartRate = 10.0
	// DefaultMinRate is the slowest pace, in calls per second, however often calls are throttled.
	DefaultMinRate = 1.0
)

// recoverySteps is how many successes bring a halved pace back to its ceiling.
const recoverySteps = 16

// PaceKey is what the service counts calls by: access key, region and action.
type PaceKey struct {
	AccessKeyID string
	Region      string
	Action      string
}

// PacerConfig builds a Pacer; zero fields take the defaults.
type PacerConfig struct {
	// Clock times the waits; the system clock when nil.
	Clock clock.Clock
	// Limits are the documented limits by action, in calls per second; DocumentedLimits when nil.
	Limits map[string]float64
	// Headroom is the share of a documented limit to pace at, in (0, 1].
	Headroom float64
	// UnlimitedStartRate is the pace of an action without a documented limit once it is throttled;
	// that action goes unpaced again when its pace has recovered to twice this rate.
	UnlimitedStartRate float64
	// MinRate is the slowest pace.
	MinRate float64
}

// Pacer spaces calls per PaceKey so that the provider does not throttle itself. An action with a
// documented limit is paced below it from the first call; others are not paced until throttled. A
// throttled answer halves the pace of its key for every caller, including those already waiting,
// and pushes the next call out; each success then raises the pace a step, back to its ceiling.
// It is safe for concurrent use; share one Pacer among all clients of a process.
type Pacer struct {
	clock     clock.Clock
	limits    map[string]float64
	headroom  float64
	startRate float64
	minRate   float64

	mu   sync.Mutex
	keys map[PaceKey]*paceState
}

// paceState is one key's pace; the Pacer's mutex guards it.
type paceState struct {
	// ceiling is the fastest pace; for a key without a documented limit, reaching it ends pacing.
	ceiling float64
	// documented says the ceiling comes from a documented limit, so the key is always paced.
	documented bool
	// rate is the current pace in calls per second; 0 means not paced.
	rate float64
	// next is the earliest time the next call may be sent.
	next time.Time
	// gen counts the slowdowns: a throttled answer to a call sent before the last slowdown is
	// already accounted for, and a caller that booked its turn before it books again.
	gen uint64
}

// NewPacer returns a Pacer with cfg's zero fields set to the defaults.
func NewPacer(cfg PacerConfig) *Pacer {
	p := &Pacer{
		clock:     cfg.Clock,
		limits:    cfg.Limits,
		headroom:  cfg.Headroom,
		startRate: cfg.UnlimitedStartRate,
		minRate:   cfg.MinRate,
		keys:      make(map[PaceKey]*paceState),
	}
	if p.clock == nil {
		p.clock = clock.System{}
	}
	if p.limits == nil {
		p.limits = DocumentedLimits
	}
	if p.headroom <= 0 || p.headroom > 1 {
		p.headroom = DefaultHeadroom
	}
	if p.startRate <= 0 {
		p.startRate = DefaultUnlimitedStartRate
	}
	if p.minRate <= 0 {
		p.minRate = DefaultMinRate
	}
	return p
}

// Turn is a granted permission to send one call. Report its outcome with Succeeded or Throttled;
// other failures need no report. The zero Turn reports nothing.
type Turn struct {
	p   *Pacer
	st  *paceState
	gen uint64
	// Waited is how long the caller waited for its turn.
	Waited time.Duration
}

// Wait blocks until a call on key may be sent, or until ctx is done, when it returns ctx's error.
// A key that is not paced returns at once.
func (p *Pacer) Wait(ctx context.Context, key PaceKey) (Turn, error) {
	var waited time.Duration
	p.mu.Lock()
	st := p.state(key)
	for {
		if err := ctx.Err(); err != nil {
			p.mu.Unlock()
			return Turn{}, err
		}
		if st.rate == 0 {
			gen := st.gen
			p.mu.Unlock()
			return Turn{p: p, st: st, gen: gen, Waited: waited}, nil
		}
		now := p.clock.Now()
		slot := now
		if st.next.After(now) {
			slot = st.next
		}
		st.next = slot.Add(interval(st.rate))
		gen, booked := st.gen, st.next
		d := slot.Sub(now)
		if d <= 0 {
			p.mu.Unlock()
			return Turn{p: p, st: st, gen: gen, Waited: waited}, nil
		}
		p.mu.Unlock()
		err := p.clock.Sleep(ctx, d)
		waited += d
		p.mu.Lock()
		if err != nil {
			if st.gen == gen && st.next.Equal(booked) {
				st.next = slot // nobody booked after us: give the turn back
			}
			p.mu.Unlock()
			return Turn{}, err
		}
		if st.gen == gen {
			p.mu.Unlock()
			return Turn{p: p, st: st, gen: gen, Waited: waited}, nil
		}
		// Throttled since the turn was booked: book again at the slower pace.
	}
}

// state returns key's pace, creating it on first use; p.mu is held.
func (p *Pacer) state(key PaceKey) *paceState {
	st, ok := p.keys[key]
	if ok {
		return st
	}
	st = &paceState{ceiling: 2 * p.startRate}
	if limit, ok := p.limits[key.Action]; ok && limit > 0 {
		st.ceiling = limit * p.headroom
		st.documented = true
		st.rate = st.ceiling
	}
	p.keys[key] = st
	return st
}

// Succeeded reports that the call was answered without throttling: the pace recovers a step.
func (t Turn) Succeeded() {
	if t.st == nil {
		return
	}
	t.p.mu.Lock()
	defer t.p.mu.Unlock()
	st := t.st
	if st.rate == 0 {
		return
	}
	st.rate = min(st.ceiling, st.rate+st.ceiling/(2*recoverySteps))
	if !st.documented && st.rate >= st.ceiling {
		st.rate = 0
	}
}

// Throttled reports a throttled answer, with the service's hint of how long to hold off (0 when
// none). The first such answer since the last slowdown halves the key's pace (an unpaced key
// starts at the start rate) and pushes its next call out; later ones from calls sent before that
// slowdown only extend the hold-off to the hint.
func (t Turn) Throttled(hint time.Duration) {
	if t.st == nil {
		return
	}
	t.p.mu.Lock()
	defer t.p.mu.Unlock()
	st, now := t.st, t.p.clock.Now()
	if t.gen == st.gen {
		if st.rate == 0 {
			st.rate = t.p.startRate
		} else {
			st.rate = max(t.p.minRate, st.rate/2)
		}
		st.gen++
		// Callers booked at the old pace book again after this, so the queue restarts here.
		st.next = now.Add(max(interval(st.rate), hint))
		return
	}
	if until := now.Add(hint); hint > 0 && until.After(st.next) {
		st.next = until
		st.gen++
	}
}

// interval is the spacing of calls at rate calls per second.
func interval(rate float64) time.Duration {
	return time.Duration(float64(time.Second) / rate)
}

// isThrottling says whether a service error code means the call was refused for its rate.
func isThrottling(code string) bool {
	return strings.HasPrefix(code, "Throttling")
}

// paceKey names the counter the service charges a request to.
func paceKey(accessKeyID string, params []param) PaceKey {
	k := PaceKey{AccessKeyID: accessKeyID}
	for _, p := range params {
		switch p.name {
		case "Action":
			k.Action = p.value
		case "Region":
			k.Region = p.value
		case "RegionId":
			if k.Region == "" {
				k.Region = p.value
			}
		}
	}
	return k
}

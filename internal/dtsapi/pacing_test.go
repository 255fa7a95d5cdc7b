package dtsapi

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/openmigrate/terraform-provider-dts/internal/clock"
)

var paceT0 = time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)

// frozenClock stands still: Sleep returns at once without moving the time, so a turn's Waited is
// exactly how far after the frozen now it was granted, however many callers wait concurrently.
type frozenClock struct {
	mu      sync.Mutex
	now     time.Time
	sleeps  int
	onSleep func()
}

func (c *frozenClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *frozenClock) Sleep(ctx context.Context, _ time.Duration) error {
	c.mu.Lock()
	c.sleeps++
	hook := c.onSleep
	c.onSleep = nil
	c.mu.Unlock()
	if hook != nil {
		hook()
	}
	return ctx.Err()
}

var (
	dtsJobsKey = PaceKey{AccessKeyID: "LTAI-A", Region: "cn-hangzhou", Action: "DescribeDtsJobs"}
	legacyKey  = PaceKey{AccessKeyID: "LTAI-A", Region: "cn-hangzhou", Action: "DescribeMigrationJobStatus"}
)

// near compares durations computed through different float64 rates.
func near(a, b time.Duration) bool { return (a - b).Abs() <= time.Microsecond }

func mustWait(t *testing.T, p *Pacer, key PaceKey) Turn {
	t.Helper()
	turn, err := p.Wait(context.Background(), key)
	if err != nil {
		t.Fatalf("Wait(%v): %v", key, err)
	}
	return turn
}

func TestConcurrentCallsOfADocumentedActionStayUnderItsLimit(t *testing.T) {
	clk := &frozenClock{now: paceT0}
	p := NewPacer(PacerConfig{Clock: clk})
	const callers = 200
	granted := make([]time.Duration, callers)
	var wg sync.WaitGroup
	for i := range callers {
		wg.Go(func() {
			turn, err := p.Wait(context.Background(), dtsJobsKey)
			if err != nil {
				t.Error(err)
			}
			granted[i] = turn.Waited
		})
	}
	wg.Wait()
	slices.Sort(granted)
	if granted[0] != 0 {
		t.Errorf("the first call waits %v, want no wait", granted[0])
	}
	// The service counts 20 calls per second: no window of a second may hold more.
	for i := 20; i < callers; i++ {
		if gap := granted[i] - granted[i-20]; gap <= time.Second {
			t.Fatalf("calls %d to %d fall within %v: more than 20 in a second", i-20, i, gap)
		}
	}
	// The plan's budget is 200/20 s + 2 s: the pace must leave most of the 2 s to everything else.
	if last := granted[callers-1]; last > 10500*time.Millisecond {
		t.Errorf("the last of %d calls goes after %v, want at most 10.5s", callers, last)
	}
}

func TestUndocumentedActionsAreNotDelayedBeforeAThrottle(t *testing.T) {
	clk := &frozenClock{now: paceT0}
	p := NewPacer(PacerConfig{Clock: clk})
	var wg sync.WaitGroup
	for range 200 {
		wg.Go(func() {
			turn, err := p.Wait(context.Background(), legacyKey)
			if err != nil || turn.Waited != 0 {
				t.Errorf("Wait = %v, %v; want no wait", turn.Waited, err)
			}
			turn.Succeeded()
		})
	}
	wg.Wait()
	if clk.sleeps != 0 {
		t.Fatalf("the clock slept %d times, want none", clk.sleeps)
	}
}

func TestAThrottleSlowsOtherCallersOfTheSameKeyOnly(t *testing.T) {
	for _, throttled := range []PaceKey{legacyKey, dtsJobsKey} {
		t.Run(throttled.Action, func(t *testing.T) {
			clk := &frozenClock{now: paceT0}
			p := NewPacer(PacerConfig{Clock: clk})
			mustWait(t, p, throttled).Throttled(0)

			if w := mustWait(t, p, throttled).Waited; w < 50*time.Millisecond {
				t.Errorf("the next caller of the throttled key waits %v, want it held off", w)
			}
			others := []PaceKey{
				{AccessKeyID: "LTAI-B", Region: throttled.Region, Action: throttled.Action},
				{AccessKeyID: throttled.AccessKeyID, Region: "cn-shanghai", Action: throttled.Action},
				{AccessKeyID: throttled.AccessKeyID, Region: throttled.Region, Action: "DescribeMigrationJobs"},
			}
			for _, k := range others {
				if w := mustWait(t, p, k).Waited; w != 0 {
					t.Errorf("a caller of %v waits %v after a throttle of %v, want no wait", k, w, throttled)
				}
			}
		})
	}
}

func TestAThrottleHalvesTheDocumentedPace(t *testing.T) {
	clk := &frozenClock{now: paceT0}
	p := NewPacer(PacerConfig{Clock: clk})
	full := interval(20 * DefaultHeadroom)
	a, b := mustWait(t, p, dtsJobsKey), mustWait(t, p, dtsJobsKey)
	if b.Waited != full {
		t.Fatalf("second call waits %v, want %v", b.Waited, full)
	}
	// Two answers to calls sent at the same pace are one signal: the pace halves once.
	a.Throttled(0)
	b.Throttled(0)
	c, d := mustWait(t, p, dtsJobsKey), mustWait(t, p, dtsJobsKey)
	if gap := d.Waited - c.Waited; !near(gap, 2*full) {
		t.Fatalf("after a throttle calls are %v apart, want %v", gap, 2*full)
	}
	if !near(c.Waited, 2*full) {
		t.Fatalf("the first call after a throttle waits %v, want one slow interval %v", c.Waited, 2*full)
	}
}

func TestAThrottleRebooksCallersAlreadyWaiting(t *testing.T) {
	clk := &frozenClock{now: paceT0}
	p := NewPacer(PacerConfig{Clock: clk})
	first := mustWait(t, p, dtsJobsKey)
	full := interval(20 * DefaultHeadroom)
	// The second caller has booked its turn at the full pace and sleeps when the first is throttled.
	clk.onSleep = func() { first.Throttled(0) }
	second := mustWait(t, p, dtsJobsKey)
	if want := full + 2*full; !near(second.Waited, want) {
		t.Fatalf("a caller waiting during a throttle waits %v in all, want %v (its old turn, then one at half pace)", second.Waited, want)
	}
}

func TestTheServiceHintHoldsOffEveryCaller(t *testing.T) {
	clk := &frozenClock{now: paceT0}
	p := NewPacer(PacerConfig{Clock: clk})
	a, b := mustWait(t, p, legacyKey), mustWait(t, p, legacyKey)
	a.Throttled(0)
	// A late answer to a call from before the slowdown does not halve again, but its hint counts.
	b.Throttled(3 * time.Second)
	if w := mustWait(t, p, legacyKey).Waited; w != 3*time.Second {
		t.Fatalf("after a hint of 3s the next caller waits %v", w)
	}
}

func TestThePaceRecoversAfterSuccesses(t *testing.T) {
	t.Run("documented", func(t *testing.T) {
		clk := &frozenClock{now: paceT0}
		p := NewPacer(PacerConfig{Clock: clk})
		full := interval(20 * DefaultHeadroom)
		mustWait(t, p, dtsJobsKey).Throttled(0)
		prev := mustWait(t, p, dtsJobsKey)
		var gaps []time.Duration
		for range recoverySteps + 2 {
			prev.Succeeded()
			next := mustWait(t, p, dtsJobsKey)
			gaps = append(gaps, next.Waited-prev.Waited)
			prev = next
		}
		// Each success shortens the gap.
		for i := 1; i < len(gaps); i++ {
			if gaps[i] > gaps[i-1] {
				t.Fatalf("gaps grow during recovery: %v", gaps)
			}
		}
		if last := gaps[len(gaps)-1]; !near(last, full) {
			t.Fatalf("after %d successes calls are %v apart, want the full pace %v (gaps %v)", recoverySteps+2, last, full, gaps)
		}
		// Recovery stops at the documented pace, never beyond.
		for range 50 {
			prev.Succeeded()
		}
		if a, b := mustWait(t, p, dtsJobsKey), mustWait(t, p, dtsJobsKey); !near(b.Waited-a.Waited, full) {
			t.Fatalf("after many successes calls are %v apart, want %v", b.Waited-a.Waited, full)
		}
	})
	t.Run("undocumented", func(t *testing.T) {
		clk := &frozenClock{now: paceT0}
		p := NewPacer(PacerConfig{Clock: clk})
		mustWait(t, p, legacyKey).Throttled(0)
		var turn Turn
		for range recoverySteps {
			turn = mustWait(t, p, legacyKey)
			if turn.Waited == 0 {
				t.Fatal("an undocumented action is paced after its throttle")
			}
			turn.Succeeded()
		}
		// The clock stands still, so only an unpaced key can grant turns without a wait.
		for range 5 {
			if w := mustWait(t, p, legacyKey).Waited; w != 0 {
				t.Fatalf("after recovery a call waits %v, want the action unpaced again", w)
			}
		}
	})
}

func TestWaitEndsWithTheContext(t *testing.T) {
	p := NewPacer(PacerConfig{Clock: clock.System{}})
	mustWait(t, p, legacyKey).Throttled(time.Minute)

	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(20*time.Millisecond, cancel)
	start := time.Now()
	_, err := p.Wait(ctx, legacyKey)
	if !errors.Is(err, context.Canceled) || time.Since(start) > 5*time.Second {
		t.Fatalf("cancelled wait = %v after %v; want context.Canceled at once", err, time.Since(start))
	}

	ctx, cancel2 := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel2()
	start = time.Now()
	_, err = p.Wait(ctx, legacyKey)
	if !errors.Is(err, context.DeadlineExceeded) || time.Since(start) > 5*time.Second {
		t.Fatalf("wait past the deadline = %v after %v; want context.DeadlineExceeded at once", err, time.Since(start))
	}
}

func TestAnAbandonedTurnIsGivenBack(t *testing.T) {
	clk := &frozenClock{now: paceT0}
	p := NewPacer(PacerConfig{Clock: clk})
	mustWait(t, p, dtsJobsKey)
	ctx, cancel := context.WithCancel(context.Background())
	clk.onSleep = cancel
	if _, err := p.Wait(ctx, dtsJobsKey); !errors.Is(err, context.Canceled) {
		t.Fatalf("Wait = %v, want context.Canceled", err)
	}
	if w := mustWait(t, p, dtsJobsKey).Waited; w != interval(20*DefaultHeadroom) {
		t.Fatalf("the caller after an abandoned turn waits %v, want that turn's %v", w, interval(20*DefaultHeadroom))
	}
}

func TestPaceKeyNamesTheRegionTheRequestIsChargedTo(t *testing.T) {
	cases := []struct {
		params []param
		want   PaceKey
	}{
		{[]param{{"Action", "DescribeMigrationJobStatus"}, {"RegionId", "cn-beijing"}}, PaceKey{"AK", "cn-beijing", "DescribeMigrationJobStatus"}},
		{[]param{{"Action", "DescribeDtsJobs"}, {"RegionId", "cn-beijing"}, {"Region", "cn-hangzhou"}}, PaceKey{"AK", "cn-hangzhou", "DescribeDtsJobs"}},
		{[]param{{"Region", "cn-hangzhou"}, {"RegionId", "cn-beijing"}, {"Action", "DescribeDtsJobs"}}, PaceKey{"AK", "cn-hangzhou", "DescribeDtsJobs"}},
	}
	for _, tc := range cases {
		if got := paceKey("AK", tc.params); got != tc.want {
			t.Errorf("paceKey(%v) = %v, want %v", tc.params, got, tc.want)
		}
	}
}

const pacedOKBody = `{"RequestId":"REQ-OK","Success":true,"MigrationJobId":"dts-job","MigrationJobStatus":"Migrating"}`

// TestClientsSharingAPacerAreSlowedTogether checks the hook: a throttle seen by one client holds
// off another client on the same pacer, and not a client with a pacer of its own.
func TestClientsSharingAPacerAreSlowedTogether(t *testing.T) {
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if calls.Add(1) == 1 {
			w.WriteHeader(http.StatusBadRequest)
			_, _ = io.WriteString(w, `{"RequestId":"x","Code":"Throttling.User","Message":"Request was denied due to user flow control."}`)
			return
		}
		_, _ = io.WriteString(w, pacedOKBody)
	}))
	defer srv.Close()
	clk := clock.NewFake(paceT0)
	shared := NewPacer(PacerConfig{Clock: clk})
	newClient := func(p *Pacer) *Client {
		c, err := New(Config{
			Endpoint: srv.URL, RegionID: "cn-hangzhou", Clock: clk, Pacer: p,
			Credentials: StaticCredentials{AccessKeyID: "LTAI-A", AccessKeySecret: "secret"},
			// No backoff to speak of: the retry comes before the throttle's hold-off is over.
			Retry:  RetryPolicy{BaseDelay: time.Millisecond, MaxDelay: time.Millisecond},
			Jitter: func() float64 { return 0 },
		})
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	a, b, alone := newClient(shared), newClient(shared), newClient(nil)
	req := DescribeMigrationJobStatusRequest{MigrationJobID: "dts-job"}
	if _, err := a.DescribeMigrationJobStatus(context.Background(), req); err != nil {
		t.Fatal(err)
	}
	// a: backoff 0.5ms, then the rest of the hold-off of one turn at the start rate.
	hold := interval(DefaultUnlimitedStartRate)
	if got := clk.Sleeps(); len(got) != 2 || got[0]+got[1] != hold {
		t.Fatalf("the throttled client slept %v, want a backoff and a pace wait adding up to %v", got, hold)
	}
	if _, err := alone.DescribeMigrationJobStatus(context.Background(), req); err != nil {
		t.Fatal(err)
	}
	if got := clk.Sleeps(); len(got) != 2 {
		t.Fatalf("a client on its own pacer slept %v, want no wait", got[2:])
	}
	if _, err := b.DescribeMigrationJobStatus(context.Background(), req); err != nil {
		t.Fatal(err)
	}
	if got := clk.Sleeps(); len(got) != 3 || got[2] != hold {
		t.Fatalf("another client on the shared pacer slept %v, want one turn %v", got[2:], hold)
	}
}

// TestManyConcurrentCallsAgainstAThrottlingServiceSucceed runs in real time against a server that
// throttles beyond limit calls per second per access key, like the service's gateway.
func TestManyConcurrentCallsAgainstAThrottlingServiceSucceed(t *testing.T) {
	if testing.Short() {
		t.Skip("takes a few seconds of real time")
	}
	const (
		limit = 50
		calls = 100
	)
	var (
		mu        sync.Mutex
		accepted  []time.Time
		throttled int
	)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		now := time.Now()
		mu.Lock()
		// A sliding window of one second: stricter than the service's fixed one.
		accepted = slices.DeleteFunc(accepted, func(at time.Time) bool { return now.Sub(at) >= time.Second })
		ok := len(accepted) < limit
		if ok {
			accepted = append(accepted, now)
		} else {
			throttled++
		}
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		if !ok {
			w.WriteHeader(http.StatusBadRequest)
			_, _ = io.WriteString(w, `{"RequestId":"x","Code":"Throttling.User","Message":"Request was denied due to user flow control."}`)
			return
		}
		_, _ = io.WriteString(w, pacedOKBody)
	}))
	defer srv.Close()
	c, err := New(Config{
		Endpoint: srv.URL, RegionID: "cn-hangzhou",
		Credentials: StaticCredentials{AccessKeyID: "LTAI-A", AccessKeySecret: "secret"},
		Retry:       RetryPolicy{MaxRetries: new(10), BaseDelay: 20 * time.Millisecond, MaxDelay: 200 * time.Millisecond},
		Pacer:       NewPacer(PacerConfig{Limits: map[string]float64{"DescribeMigrationJobStatus": limit}}),
	})
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	var wg sync.WaitGroup
	errs := make(chan error, calls)
	for range calls {
		wg.Go(func() {
			if _, err := c.DescribeMigrationJobStatus(context.Background(), DescribeMigrationJobStatusRequest{MigrationJobID: "dts-job"}); err != nil {
				errs <- err
			}
		})
	}
	wg.Wait()
	close(errs)
	elapsed := time.Since(start)
	for err := range errs {
		t.Error(err)
	}
	total := calls + throttled
	if share := float64(throttled) / float64(total); share > 0.05 {
		t.Errorf("%d of %d calls throttled (%.1f%%), want at most 5%%", throttled, total, 100*share)
	}
	// Paced below 50/s, 100 calls take at least 99/50 s; ten times that is a generous ceiling.
	floor := time.Duration(float64(calls-1) / limit * float64(time.Second))
	if elapsed < floor || elapsed > 10*floor {
		t.Errorf("%d calls took %v, want between %v and %v", calls, elapsed, floor, 10*floor)
	}
	t.Logf("%d calls in %v, %d throttled", calls, elapsed, throttled)
}

// BenchmarkPacerUnlimited is the pacer's cost for a call of an action without a documented limit,
// never throttled: what every legacy call pays.
func BenchmarkPacerUnlimited(b *testing.B) {
	p := NewPacer(PacerConfig{})
	ctx := context.Background()
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			turn, err := p.Wait(ctx, legacyKey)
			if err != nil || turn.Waited != 0 {
				b.Fatal("an unthrottled legacy call waited")
			}
			turn.Succeeded()
		}
	})
}

// BenchmarkLegacyCallLoopback is one unthrottled legacy call through the client to a loopback
// server, for scale: the pacer's share is BenchmarkPacerUnlimited's.
func BenchmarkLegacyCallLoopback(b *testing.B) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, pacedOKBody)
	}))
	defer srv.Close()
	c, err := New(Config{
		Endpoint: srv.URL, RegionID: "cn-hangzhou",
		Credentials: StaticCredentials{AccessKeyID: "LTAI-A", AccessKeySecret: "secret"},
	})
	if err != nil {
		b.Fatal(err)
	}
	req := DescribeMigrationJobStatusRequest{MigrationJobID: "dts-job"}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.DescribeMigrationJobStatus(context.Background(), req); err != nil {
			b.Fatal(fmt.Sprint(err))
		}
	}
}

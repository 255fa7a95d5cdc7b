// Package clock abstracts time so that waits and backoffs are tested without sleeping.
package clock

import (
	"context"
	"sync"
	"time"
)

// Clock tells the time and sleeps; a sleep ends early, with the context's error, when the context is done.
type Clock interface {
	Now() time.Time
	Sleep(ctx context.Context, d time.Duration) error
}

// System is the real clock.
type System struct{}

// Now returns the current time.
func (System) Now() time.Time { return time.Now() }

// Sleep waits for d or until ctx is done, whichever comes first.
func (System) Sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// Fake is a virtual clock: Sleep returns at once and moves the time forward by the duration slept,
// so code that waits for minutes runs in microseconds. It is safe for concurrent use.
type Fake struct {
	mu     sync.Mutex
	now    time.Time
	sleeps []time.Duration
	// OnSleep, when set, runs before each sleep returns, with the time after the sleep;
	// tests use it to cancel a context or change what a fake service answers.
	OnSleep func(now time.Time)
}

// NewFake returns a fake clock set to start.
func NewFake(start time.Time) *Fake { return &Fake{now: start} }

// Now returns the fake time.
func (f *Fake) Now() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.now
}

// Advance moves the fake time forward by d without counting as a sleep (for example, the latency of a request).
func (f *Fake) Advance(d time.Duration) {
	f.mu.Lock()
	f.now = f.now.Add(d)
	f.mu.Unlock()
}

// Sleep moves the fake time forward by d and returns at once; it returns the context's error
// without moving the time when the context is already done.
func (f *Fake) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	f.mu.Lock()
	if d > 0 {
		f.now = f.now.Add(d)
	}
	f.sleeps = append(f.sleeps, d)
	now, hook := f.now, f.OnSleep
	f.mu.Unlock()
	if hook != nil {
		hook(now)
	}
	return ctx.Err()
}

// Sleeps returns the durations of every sleep so far, in order.
func (f *Fake) Sleeps() []time.Duration {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]time.Duration(nil), f.sleeps...)
}

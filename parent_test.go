package main

import (
	"testing"
	"time"
)

func TestWatchParentStopsWhenTheParentChanges(t *testing.T) {
	ticks := make(chan time.Time)
	ppids := []int{42, 42, 1}
	calls := 0
	stopped := make(chan int, 1)
	go watchParent(42, ticks, func() int { calls++; return ppids[min(calls, len(ppids))-1] }, func() { stopped <- calls })
	for range 2 {
		ticks <- time.Time{}
	}
	select {
	case <-stopped:
		t.Fatal("stopped while the parent was still there")
	default:
	}
	ticks <- time.Time{}
	select {
	case n := <-stopped:
		if n != 3 {
			t.Fatalf("stopped after %d checks, want 3", n)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("did not stop once the parent changed")
	}
}

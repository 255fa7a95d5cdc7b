package main

import (
	"os"
	"testing"
	"time"
)

func TestQuietUnlessLogging(t *testing.T) {
	cases := []struct {
		name    string
		env     map[string]string
		wantOff bool
	}{
		{"no logging asked for", map[string]string{"TF_LOG": "", "TF_LOG_PROVIDER": ""}, true},
		{"TF_LOG set", map[string]string{"TF_LOG": "INFO", "TF_LOG_PROVIDER": ""}, false},
		{"TF_LOG_PROVIDER set", map[string]string{"TF_LOG": "", "TF_LOG_PROVIDER": "DEBUG"}, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			for k, v := range tc.env {
				t.Setenv(k, v)
			}
			for _, name := range sdkLogSettings {
				t.Setenv(name, "")
				_ = os.Unsetenv(name) // t.Setenv restores it afterwards
			}
			quietUnlessLogging()
			for _, name := range sdkLogSettings {
				if got := os.Getenv(name) == "OFF"; got != tc.wantOff {
					t.Errorf("%s = %q, want OFF: %v", name, os.Getenv(name), tc.wantOff)
				}
			}
		})
	}
	t.Run("an explicit level is kept", func(t *testing.T) {
		t.Setenv("TF_LOG", "")
		t.Setenv("TF_LOG_PROVIDER", "")
		t.Setenv("TF_LOG_SDK_FRAMEWORK", "WARN")
		quietUnlessLogging()
		if got := os.Getenv("TF_LOG_SDK_FRAMEWORK"); got != "WARN" {
			t.Fatalf("TF_LOG_SDK_FRAMEWORK = %q, want WARN", got)
		}
	})
}

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

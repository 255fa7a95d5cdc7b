package wait

import (
	"fmt"
	"strings"
	"testing"
)

// Tests of Every and Summarize, which a gate over several units (the jobs of a fleet, sub-jobs)
// decides and reports with.

func unitsNamed(n int) []Unit {
	units := make([]Unit, n)
	for i := range units {
		units[i] = Unit{Name: fmt.Sprintf("job j%02d", i+1), Observation: Observation{Status: ptr("Migrating"), Delay: i64(int64(10 * (i + 1)))}}
	}
	return units
}

func TestEvery(t *testing.T) {
	target := syncTarget("Catched")
	reached, waiting := Verdict{Satisfied: true}, Verdict{}
	failed := Verdict{Unreachable: &UnreachableError{Target: target, Reason: "the job failed"}}
	held := Verdict{Held: "its objects are being changed (job status \"Modifying\")"}
	tests := []struct {
		name          string
		verdicts      []Verdict
		wantSatisfied bool
		wantWaiting   []string
		// wantUnreachable names the unit the error must name.
		wantUnreachable string
	}{
		{name: "every unit reached", verdicts: []Verdict{reached, reached, reached}, wantSatisfied: true},
		{name: "one waits", verdicts: []Verdict{reached, waiting, reached}, wantWaiting: []string{"job j02"}},
		{name: "a held unit waits, with the reason", verdicts: []Verdict{held, reached},
			wantWaiting: []string{`job j01, held: its objects are being changed (job status "Modifying")`}},
		{name: "an unreachable unit ends it, even after waiting ones", verdicts: []Verdict{waiting, waiting, failed, failed},
			wantUnreachable: "job j03"},
		{name: "no unit is never reached", verdicts: nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			units := unitsNamed(len(tt.verdicts))
			v := Every(units, tt.verdicts)
			if v.Units != len(units) {
				t.Errorf("Units = %d, want %d", v.Units, len(units))
			}
			if tt.wantUnreachable != "" {
				if v.Unreachable == nil || v.Satisfied {
					t.Fatalf("verdict %+v, want unreachable", v)
				}
				if v.Unreachable.Unit != tt.wantUnreachable || !strings.Contains(v.Unreachable.Error(), tt.wantUnreachable+": the job failed") {
					t.Errorf("error names %q: %v", v.Unreachable.Unit, v.Unreachable)
				}
				if failed.Unreachable.Unit != "" {
					t.Error("Every wrote the unit's name into the unit's own verdict")
				}
				return
			}
			var names []string
			for _, u := range v.Waiting {
				names = append(names, u.Name)
			}
			if v.Satisfied != tt.wantSatisfied || v.Unreachable != nil || strings.Join(names, "|") != strings.Join(tt.wantWaiting, "|") {
				t.Errorf("Satisfied %v, unreachable %v, waiting %q; want %v, none, %q", v.Satisfied, v.Unreachable, names, tt.wantSatisfied, tt.wantWaiting)
			}
		})
	}
}

func TestSummarize(t *testing.T) {
	units := unitsNamed(7)
	units[1].JobStatus = ptr("Synchronizing")
	units[2].Observation = Observation{}
	got := Summarize(units, 5)
	want := `job j01 (status "Migrating", delay 10s); job j02 (status "Migrating", delay 20s, job status "Synchronizing"); ` +
		`job j03 (no status); job j04 (status "Migrating", delay 40s); job j05 (status "Migrating", delay 50s) and 2 more`
	if got != want {
		t.Errorf("Summarize(7 units, 5) =\n%s\nwant\n%s", got, want)
	}
	if got := Summarize(units[:2], 5); strings.Contains(got, "more") || !strings.HasSuffix(got, `job status "Synchronizing")`) {
		t.Errorf("Summarize(2 units, 5) = %s", got)
	}
	if got := Summarize(nil, 5); got != "" {
		t.Errorf("Summarize(nil) = %q", got)
	}
}

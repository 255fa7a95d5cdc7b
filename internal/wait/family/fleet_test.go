package family

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/openmigrate/terraform-provider-dts/internal/dtsapi"
	"github.com/openmigrate/terraform-provider-dts/internal/wait"
)

// Tests of the fleet gate: one wait over every job of a listing, each job judged by the family's
// rules for one job.

// fleet is a listing as the provider's pager returns it.
type fleet struct{ jobs []dtsapi.DtsJob }

func fleetOf(jobs ...*dtsapi.DtsJob) *fleet {
	f := &fleet{}
	for i, j := range jobs {
		j.DtsJobID = str("dtsjob" + string(rune('a'+i)))
		f.jobs = append(f.jobs, *j)
	}
	return f
}

func fleetGate(t wait.Target) wait.Gate[fleet] {
	return wait.Fleet(Current, t, func(f *fleet) []dtsapi.DtsJob { return f.jobs },
		func(j *dtsapi.DtsJob) string { return "job " + j.DtsJobID.Val })
}

var caughtUp = wait.Target{Stage: wait.StageDataSynchronization, Statuses: []string{"Catched"}, MaxDelaySeconds: i64(5)}

func TestFleetDecides(t *testing.T) {
	synced := func(d int64) *dtsapi.DtsJob {
		return dtsJob("Synchronizing", at(wait.StageDataSynchronization, "Catched", ""), delay(d))
	}
	tests := []struct {
		name          string
		fleet         *fleet
		wantSatisfied bool
		wantWaiting   []string
		// wantUnreachable, when set, is text the error must hold.
		wantUnreachable []string
	}{
		{name: "every job caught up", fleet: fleetOf(synced(0), synced(5), synced(2)), wantSatisfied: true},
		{name: "one job lags", fleet: fleetOf(synced(0), synced(9), synced(2)), wantWaiting: []string{"job dtsjobb"}},
		{name: "one job still initializing", fleet: fleetOf(dtsJob("Initializing", at(wait.StageDataInitialization, "Migrating", "")), synced(1)),
			wantWaiting: []string{"job dtsjoba"}},
		{name: "no job matches", fleet: fleetOf(), wantUnreachable: []string{"no job matches", "mistyped tag"}},
		{name: "a failed job ends it by name", fleet: fleetOf(synced(0), dtsJob("Failed", at(wait.StageDataSynchronization, "Failed", "binlog purged")), synced(9)),
			wantUnreachable: []string{"job dtsjobb: the job failed", "binlog purged"}},
		{name: "a precheck failure ends it", fleet: fleetOf(dtsJob("PrecheckFailed", checks("Failed", dtsapi.CheckItem{CheckItem: str("CHECK_CONN_SRC"), CheckResult: str("Failed")}))),
			wantUnreachable: []string{"job dtsjoba: the job's precheck failed", "CHECK_CONN_SRC"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := fleetGate(caughtUp).Decide(tt.fleet)
			if len(tt.wantUnreachable) > 0 {
				if v.Unreachable == nil {
					t.Fatalf("verdict %+v, want unreachable", v)
				}
				for _, want := range tt.wantUnreachable {
					if !strings.Contains(v.Unreachable.Error(), want) {
						t.Errorf("error %q does not say %q", v.Unreachable.Error(), want)
					}
				}
				if v.Satisfied {
					t.Error("an unreachable verdict is also satisfied")
				}
				return
			}
			if v.Unreachable != nil {
				t.Fatalf("unexpected unreachable: %v", v.Unreachable)
			}
			if v.Satisfied != tt.wantSatisfied || v.Units != len(tt.fleet.jobs) {
				t.Errorf("Satisfied = %v, Units = %d; want %v, %d", v.Satisfied, v.Units, tt.wantSatisfied, len(tt.fleet.jobs))
			}
			var names []string
			for _, u := range v.Waiting {
				names = append(names, u.Name)
			}
			if strings.Join(names, ",") != strings.Join(tt.wantWaiting, ",") {
				t.Errorf("waiting = %q, want %q", names, tt.wantWaiting)
			}
		})
	}
}

// A fleet wait ends when the last job catches up, and its polls say how many are at the target.
func TestFleetWaitEndsWithTheLastJob(t *testing.T) {
	lagging := func(d int64) *dtsapi.DtsJob {
		return dtsJob("Synchronizing", at(wait.StageDataSynchronization, "Catched", ""), delay(d))
	}
	delays := [][]int64{{0, 30, 60}, {0, 4, 20}, {1, 2, 3}}
	h := newFamilyHarness[fleet](nil, func(n int, _ time.Duration) reply[fleet] {
		d := delays[min(n, len(delays))-1]
		return reply[fleet]{resp: fleetOf(lagging(d[0]), lagging(d[1]), lagging(d[2]))}
	})
	w := h.waiter(10*time.Second, time.Hour)
	w.Gate = fleetGate(caughtUp)
	got, err := w.Waiter.Wait(t.Context())
	if err != nil {
		t.Fatalf("Wait: %v", err)
	}
	if len(h.polls) != 3 || got != h.polls[2].Response {
		t.Fatalf("made %d polls, want 3, ending with the third response", len(h.polls))
	}
	for i, want := range []int{1, 2, 3} {
		if p := h.polls[i]; p.Units-len(p.Waiting) != want || p.Units != 3 {
			t.Errorf("poll %d: %d of %d at the target, want %d of 3", i+1, p.Units-len(p.Waiting), p.Units, want)
		}
	}
}

// A fleet that never catches up times out naming the jobs not at the target, ten at the most.
func TestFleetTimeoutNamesTheJobsNotAtTheTarget(t *testing.T) {
	var jobs []*dtsapi.DtsJob
	for range 12 {
		jobs = append(jobs, dtsJob("Synchronizing", at(wait.StageDataSynchronization, "Migrating", ""), delay(40)))
	}
	jobs = append(jobs, dtsJob("Synchronizing", at(wait.StageDataSynchronization, "Catched", ""), delay(0)))
	h := newFamilyHarness[fleet](nil, func(int, time.Duration) reply[fleet] { return reply[fleet]{resp: fleetOf(jobs...)} })
	w := h.waiter(10*time.Second, time.Minute)
	w.Gate = fleetGate(caughtUp)
	_, err := w.Waiter.Wait(t.Context())
	var te *wait.TimeoutError
	if !errors.As(err, &te) {
		t.Fatalf("Wait error = %v, want a timeout", err)
	}
	msg := err.Error()
	for _, want := range []string{"12 of 13 not at the target", `job dtsjoba (status "Migrating", delay 40s`, "job dtsjobj", "and 2 more"} {
		if !strings.Contains(msg, want) {
			t.Errorf("timeout %q does not say %q", msg, want)
		}
	}
	if strings.Contains(msg, "job dtsjobk") || strings.Contains(msg, "job dtsjobm") {
		t.Errorf("timeout %q names more than ten jobs, or one at the target", msg)
	}
}

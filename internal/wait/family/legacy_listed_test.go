package family

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/openmigrate/terraform-provider-dts/internal/dtsapi"
	"github.com/openmigrate/terraform-provider-dts/internal/fakedts"
	"github.com/openmigrate/terraform-provider-dts/internal/wait"
)

// Tests of LegacyListed: a legacy job as DescribeMigrationJobs lists it, judged by the rules that
// judge DescribeMigrationJobStatus's answer.

type listedOpt func(*dtsapi.MigrationJob)

// listedJob builds a DescribeMigrationJobs item with the given job status.
func listedJob(status string, opts ...listedOpt) *dtsapi.MigrationJob {
	j := &dtsapi.MigrationJob{MigrationJobID: str("dtsl1"), MigrationJobHeader: dtsapi.MigrationJobHeader{MigrationJobStatus: str(status)}}
	for _, o := range opts {
		o(j)
	}
	return j
}

func listedPrecheck(status string) listedOpt {
	return func(j *dtsapi.MigrationJob) {
		j.Precheck = dtsapi.ObjectOf(dtsapi.MigrationPrecheck{Status: str(status), Percent: dtsapi.IntOf(100)})
	}
}

// listedInit has schema migration done and full data migration at data.
func listedInit(data string) listedOpt {
	return func(j *dtsapi.MigrationJob) {
		j.StructureInitialization = dtsapi.ObjectOf(dtsapi.InitializationStatus{Status: str("Finished"), Percent: dtsapi.IntOf(100)})
		j.DataInitialization = dtsapi.ObjectOf(dtsapi.InitializationStatus{Status: str(data), Percent: dtsapi.IntOf(100)})
	}
}

func listedSync(status string, delay int64, errMsg string) listedOpt {
	return func(j *dtsapi.MigrationJob) {
		j.DataSynchronization = dtsapi.ObjectOf(dtsapi.DataSynchronizationStatus{
			Status: str(status), Percent: dtsapi.IntOf(95), Delay: dtsapi.IntOf(delay), ErrorMessage: str(errMsg),
		})
	}
}

func listedMode(structure, data, sync bool) listedOpt {
	return func(j *dtsapi.MigrationJob) {
		j.MigrationMode = dtsapi.ObjectOf(dtsapi.MigrationMode{
			StructureInitialization: dtsapi.BoolOf(structure), DataInitialization: dtsapi.BoolOf(data), DataSynchronization: dtsapi.BoolOf(sync),
		})
	}
}

func TestLegacyListedSharesTheLegacyRules(t *testing.T) {
	if &LegacyListed.Table[0] != &Legacy.Table[0] {
		t.Error("LegacyListed has a stage table of its own; it must be Legacy's")
	}
	for status, blame := range Legacy.JobFailures {
		if got, ok := LegacyListed.JobFailures[status]; !ok || got != blame {
			t.Errorf("job status %q: LegacyListed blames %q (%v), Legacy %q", status, got, ok, blame)
		}
	}
	if len(LegacyListed.JobFailures) != len(Legacy.JobFailures) || LegacyListed.Permanent == nil {
		t.Errorf("LegacyListed's failure rules differ from Legacy's: %v", LegacyListed.JobFailures)
	}
}

func TestObserveLegacyListed(t *testing.T) {
	full := listedJob("Migrating", listedPrecheck("Success"), listedInit("Migrating"), listedSync("Catched", 3, "sync note"))
	tests := []observeCase[dtsapi.MigrationJob]{
		{"job", wait.StageJob, full, wait.Observation{Status: ptr("Migrating")}},
		{"a passed precheck reads as the status call's Finished", wait.StagePrecheck, full, wait.Observation{Status: ptr("Finished"), Percent: ptr(int64(100))}},
		{"a failed precheck", wait.StagePrecheck, listedJob("PrecheckFailed", listedPrecheck("Failed")), wait.Observation{Status: ptr("Failed"), Percent: ptr(int64(100))}},
		{"a precheck status the listing does not document is kept", wait.StagePrecheck, listedJob("Prechecking", listedPrecheck("Checking")),
			wait.Observation{Status: ptr("Checking"), Percent: ptr(int64(100))}},
		{"structure", wait.StageStructureInitialization, full, wait.Observation{Status: ptr("Finished"), Percent: ptr(int64(100))}},
		{"data init", wait.StageDataInitialization, full, wait.Observation{Status: ptr("Migrating"), Percent: ptr(int64(100))}},
		{"data sync with its own delay", wait.StageDataSynchronization, full,
			wait.Observation{Status: ptr("Catched"), Percent: ptr(int64(95)), Delay: ptr(int64(3)), ErrorMessage: ptr("sync note")}},
		{"a stage the family lacks", wait.StageFullDataCheck, full, wait.Observation{}},
	}
	for _, s := range LegacyListed.Table.Stages() {
		tests = append(tests, observeCase[dtsapi.MigrationJob]{"no stage objects/" + string(s), s, &dtsapi.MigrationJob{}, wait.Observation{}})
	}
	runObserve(t, LegacyListed, tests)
	if p := full.Precheck.Get(); p.Status.Val != "Success" {
		t.Errorf("reading the job changed its precheck status to %q: state must keep what the service sent", p.Status.Val)
	}
}

// legacyFleet is a DescribeMigrationJobs listing.
type legacyFleet struct{ jobs []dtsapi.MigrationJob }

func legacyFleetOf(jobs ...*dtsapi.MigrationJob) *legacyFleet {
	f := &legacyFleet{}
	for i, j := range jobs {
		j.MigrationJobID = str("dtsmig" + string(rune('a'+i)))
		f.jobs = append(f.jobs, *j)
	}
	return f
}

func legacyFleetGate(t wait.Target) wait.Gate[legacyFleet] {
	return wait.Fleet(LegacyListed, t, func(f *legacyFleet) []dtsapi.MigrationJob { return f.jobs },
		func(j *dtsapi.MigrationJob) string { return "migration job " + j.MigrationJobID.Val })
}

func TestLegacyFleetDecides(t *testing.T) {
	synced := func(d int64) *dtsapi.MigrationJob {
		return listedJob("Migrating", listedPrecheck("Success"), listedInit("Finished"), listedSync("Catched", d, ""))
	}
	tests := []struct {
		name            string
		target          wait.Target
		fleet           *legacyFleet
		wantSatisfied   bool
		wantWaiting     []string
		wantUnreachable []string
	}{
		{name: "every job caught up, each by its own delay", target: caughtUp, fleet: legacyFleetOf(synced(0), synced(5)), wantSatisfied: true},
		{name: "one job's delay above the bound", target: caughtUp, fleet: legacyFleetOf(synced(0), synced(6)),
			wantWaiting: []string{"migration job dtsmigb"}},
		{name: "a job still loading", target: caughtUp,
			fleet:       legacyFleetOf(listedJob("Migrating", listedPrecheck("Success"), listedInit("Migrating"), listedSync("NotStarted", 0, "")), synced(0)),
			wantWaiting: []string{"migration job dtsmiga"}},
		{name: "every precheck passed", target: wait.Target{Stage: wait.StagePrecheck, Statuses: []string{"Finished"}},
			fleet: legacyFleetOf(synced(0), synced(90)), wantSatisfied: true},
		{name: "no job", target: caughtUp, fleet: legacyFleetOf(), wantUnreachable: []string{"no job matches"}},
		{name: "a failed migration ends it by name", target: caughtUp,
			fleet:           legacyFleetOf(synced(0), listedJob("MigrationFailed", listedPrecheck("Success"), listedInit("Finished"), listedSync("Failed", 0, "binlog purged"))),
			wantUnreachable: []string{"migration job dtsmigb: the job failed", "binlog purged"}},
		{name: "a failed precheck ends it", target: caughtUp,
			fleet:           legacyFleetOf(listedJob("PrecheckFailed", listedPrecheck("Failed")), synced(0)),
			wantUnreachable: []string{"migration job dtsmiga: the job's precheck failed"}},
		{name: "synchronization switched off", target: caughtUp,
			fleet:           legacyFleetOf(synced(0), listedJob("Migrating", listedMode(true, true, false), listedInit("Migrating"))),
			wantUnreachable: []string{"migration job dtsmigb: data_synchronization is switched off"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := legacyFleetGate(tt.target).Decide(tt.fleet)
			if len(tt.wantUnreachable) > 0 {
				if v.Unreachable == nil || v.Satisfied {
					t.Fatalf("verdict %+v, want unreachable only", v)
				}
				for _, want := range tt.wantUnreachable {
					if !strings.Contains(v.Unreachable.Error(), want) {
						t.Errorf("error %q does not say %q", v.Unreachable.Error(), want)
					}
				}
				return
			}
			if v.Unreachable != nil {
				t.Fatalf("unexpected unreachable: %v", v.Unreachable)
			}
			var names []string
			for _, u := range v.Waiting {
				names = append(names, u.Name)
			}
			if v.Satisfied != tt.wantSatisfied || v.Units != len(tt.fleet.jobs) || strings.Join(names, ",") != strings.Join(tt.wantWaiting, ",") {
				t.Errorf("Satisfied %v, Units %d, waiting %q; want %v, %d, %q", v.Satisfied, v.Units, names, tt.wantSatisfied, len(tt.fleet.jobs), tt.wantWaiting)
			}
		})
	}
}

// The documented sample lists a job caught up and one whose precheck failed: a gate over both ends
// at once, naming the second; a gate over the first alone opens.
func TestLegacyFleetOverTheDocumentedSample(t *testing.T) {
	var page dtsapi.MigrationJobs
	if err := json.Unmarshal([]byte(fakedts.DocumentedMigrationJobsSample), &page); err != nil {
		t.Fatal(err)
	}
	jobs := page.MigrationJobs.Items
	if len(jobs) != 2 {
		t.Fatalf("the sample lists %d jobs, want 2", len(jobs))
	}
	gate := wait.Fleet(LegacyListed, caughtUp, func(l *[]dtsapi.MigrationJob) []dtsapi.MigrationJob { return *l },
		func(j *dtsapi.MigrationJob) string { return "migration job " + j.MigrationJobID.Val })
	v := gate.Decide(&jobs)
	if v.Unreachable == nil || !strings.Contains(v.Unreachable.Error(), "migration job dtsz2v12jfo309****: the job's precheck failed") {
		t.Errorf("over both jobs: %+v, want the second job's precheck failure", v)
	}
	first := jobs[:1]
	if v := gate.Decide(&first); !v.Satisfied || v.Units != 1 {
		t.Errorf("over the caught-up job: %+v, want satisfied", v)
	}
}

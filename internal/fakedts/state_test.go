package fakedts

import (
	"encoding/json"
	"net/http"
	"testing"
	"time"
)

func TestDocumentedSample(t *testing.T) {
	var sample struct {
		Success            bool
		RequestID          string `json:"RequestId"`
		MigrationJobID     string `json:"MigrationJobId"`
		MigrationJobStatus string
		PrecheckStatus     struct {
			Percent string
			Detail  struct{ CheckItem []map[string]string }
		}
		DataSynchronizationStatus map[string]string
		MigrationMode             map[string]bool
	}
	if err := json.Unmarshal([]byte(DocumentedSample), &sample); err != nil {
		t.Fatal(err)
	}
	if n := len(sample.PrecheckStatus.Detail.CheckItem); n != 14 {
		t.Errorf("%d check items, want 14", n)
	}
	if !sample.Success || sample.RequestID != "A032E3B4-929B-48E9-97B9-37587CBF****" || sample.MigrationJobID != "dtsz2v12jfo309****" ||
		sample.MigrationJobStatus != "Migrating" || sample.PrecheckStatus.Percent != "100" ||
		sample.DataSynchronizationStatus["Checkpoint"] != "1612507847" || sample.DataSynchronizationStatus["Delay"] != "0" ||
		!sample.MigrationMode["dataSynchronization"] {
		t.Errorf("sample differs from the documentation: %+v", sample)
	}
}

func TestStateBody(t *testing.T) {
	body := State{
		JobStatus: "Migrating", Precheck: "Failed",
		FailedChecks: []CheckItem{
			{Name: "CHECK_CONN_SRC", ErrorMessage: "Access denied", RepairMethod: "CHECK_ERROR_DEST_CONN_REPAIR2"},
			{Name: "CHECK_NEW", Status: "Warning"},
		},
		Structure: "Finished", StructureProgress: 3,
		Data: "Migrating", DataPercent: 42, DataProgress: 1000, DataError: "",
		Sync: "Failed", SyncPercent: 7, Delay: Delay(0), Checkpoint: 1612507847, SyncError: "broken",
	}.Body("dtsabc")
	raw, err := json.Marshal(body)
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		MigrationJobID     string `json:"MigrationJobId"`
		TaskID             string `json:"TaskId"`
		MigrationJobStatus string
		MigrationMode      map[string]bool
		PrecheckStatus     struct {
			Status, Percent string
			Detail          struct{ CheckItem []map[string]string }
		}
		StructureInitializationStatus map[string]string
		DataInitializationStatus      map[string]string
		DataSynchronizationStatus     map[string]string
	}
	if err := json.Unmarshal(raw, &got); err != nil {
		t.Fatal(err)
	}
	if got.MigrationJobID != "dtsabc" || got.TaskID != "abc" || got.MigrationJobStatus != "Migrating" || len(got.MigrationMode) != 3 || !got.MigrationMode["structureInitialization"] {
		t.Errorf("job fields: %s", raw)
	}
	items := got.PrecheckStatus.Detail.CheckItem
	if len(items) != 15 || items[0]["CheckStatus"] != "Failed" || items[0]["ErrorMessage"] != "Access denied" ||
		items[0]["RepairMethod"] != "CHECK_ERROR_DEST_CONN_REPAIR2" || items[1]["CheckStatus"] != "Success" ||
		items[14]["ItemName"] != "CHECK_NEW" || items[14]["CheckStatus"] != "Warning" {
		t.Errorf("check items: %v", items)
	}
	if s := got.StructureInitializationStatus; s["Percent"] != "100" || s["Progress"] != "3" {
		t.Errorf("a Finished stage should report 100 percent: %v", s)
	}
	if d := got.DataInitializationStatus; d["Percent"] != "42" || d["Progress"] != "1000" || d["Status"] != "Migrating" {
		t.Errorf("data: %v", d)
	}
	if _, ok := got.DataInitializationStatus["ErrorMessage"]; ok {
		t.Error("an empty ErrorMessage should be left out")
	}
	if s := got.DataSynchronizationStatus; s["Delay"] != "0" || s["Checkpoint"] != "1612507847" || s["Percent"] != "7" || s["ErrorMessage"] != "broken" {
		t.Errorf("sync: %v", s)
	}

	sparse := State{JobStatus: "NotStarted", Mode: &Mode{DataInitialization: true}, Precheck: "Checking", PrecheckPercent: 50, Sync: "NotStarted"}.Body("dtsx")
	for _, absent := range []string{"StructureInitializationStatus", "DataInitializationStatus"} {
		if _, ok := sparse[absent]; ok {
			t.Errorf("%s should be left out", absent)
		}
	}
	if sync := dig(sparse, "DataSynchronizationStatus"); sync == nil || dig(sync, "Delay") != nil || dig(sync, "Checkpoint") != nil {
		t.Errorf("sync without delay: %v", sync)
	}
	if mode := dig(sparse, "MigrationMode"); dig(mode, "dataInitialization") != true || dig(mode, "structureInitialization") != false {
		t.Errorf("mode: %v", mode)
	}
	checking, _ := dig(sparse, "PrecheckStatus", "Detail", "CheckItem").([]map[string]any)
	if len(checking) != 7 {
		t.Errorf("half a precheck lists %d items, want 7", len(checking))
	}
	notStarted, _ := dig(State{Precheck: "NotStarted"}.Body("dtsx"), "PrecheckStatus", "Detail", "CheckItem").([]map[string]any)
	if notStarted == nil || len(notStarted) != 0 {
		t.Errorf("a precheck not started lists %v, want an empty list", notStarted)
	}
}

func TestDemoTimeline(t *testing.T) {
	const total = 120 * time.Second
	steps := DemoTimelineFor("dtsdemo", total)
	var sum time.Duration
	for _, st := range steps[:len(steps)-1] {
		if st.Duration <= 0 {
			t.Fatalf("a step before the last lasts %v", st.Duration)
		}
		sum += st.Duration
	}
	if sum != total || steps[len(steps)-1].Duration != 0 {
		t.Errorf("steps last %v in all, last step %v", sum, steps[len(steps)-1].Duration)
	}

	// Serve the timeline and read it at every step, as the demo would.
	s, c := newTestServer(t)
	start := time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)
	clk := &manualClock{now: start}
	s.SetNow(clk.Now)
	c.now = clk.Now
	s.SetJob("dtsdemo", Job{Steps: steps})
	type seen struct {
		job, precheck, structure, data, sync string
		dataPercent                          string
		delay                                any
	}
	var got []seen
	for i := range steps {
		clk.Set(start.Add(time.Duration(i) * total / time.Duration(len(steps)-1)))
		resp, body := c.call(http.MethodGet, map[string]string{"MigrationJobId": "dtsdemo"})
		if resp.StatusCode != http.StatusOK || body["MigrationJobId"] != "dtsdemo" {
			t.Fatalf("step %d: HTTP %d %v", i, resp.StatusCode, body)
		}
		stage := func(name, field string) string {
			m, _ := body[name].(map[string]any)
			v, _ := m[field].(string)
			return v
		}
		sync, _ := body["DataSynchronizationStatus"].(map[string]any)
		got = append(got, seen{
			status(body), stage("PrecheckStatus", "Status"), stage("StructureInitializationStatus", "Status"),
			stage("DataInitializationStatus", "Status"), stage("DataSynchronizationStatus", "Status"),
			stage("DataInitializationStatus", "Percent"), sync["Delay"],
		})
	}
	want := []seen{
		{job: "NotStarted"},
		{job: "Prechecking", precheck: "Checking"},
		{job: "Prechecking", precheck: "Checking"},
		{job: "Migrating", precheck: "Finished", structure: "Migrating"},
		{job: "Migrating", precheck: "Finished", structure: "Finished", data: "Migrating", dataPercent: "20"},
		{job: "Migrating", precheck: "Finished", structure: "Finished", data: "Migrating", dataPercent: "60"},
		{job: "Migrating", precheck: "Finished", structure: "Finished", data: "Migrating", dataPercent: "90"},
		{"Migrating", "Finished", "Finished", "Finished", "Migrating", "100", "40"},
		{"Migrating", "Finished", "Finished", "Finished", "Migrating", "100", "25"},
		{"Migrating", "Finished", "Finished", "Finished", "Migrating", "100", "12"},
		{"Migrating", "Finished", "Finished", "Finished", "Migrating", "100", "5"},
		{"Migrating", "Finished", "Finished", "Finished", "Migrating", "100", "2"},
		{"Migrating", "Finished", "Finished", "Finished", "Catched", "100", "0"},
	}
	if len(got) != len(want) {
		t.Fatalf("%d steps, want %d", len(got), len(want))
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("step %d: got %+v, want %+v", i, got[i], want[i])
		}
	}
	// It stays caught up.
	clk.Set(start.Add(10 * total))
	if _, body := c.call(http.MethodGet, map[string]string{"MigrationJobId": "dtsdemo"}); dig(body, "DataSynchronizationStatus", "Status") != "Catched" {
		t.Errorf("after the timeline: %v", body)
	}
	if zero := DemoTimelineFor("dtsdemo", 0); len(zero) != len(steps) || zero[0].Duration <= 0 {
		t.Error("DemoTimelineFor(id, 0) should still move through its steps")
	}
}

// dig follows path through nested objects, nil when any step is missing.
func dig(v any, path ...string) any {
	for _, name := range path {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[name]
	}
	return v
}

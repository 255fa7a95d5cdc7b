package fakedts

import (
	"strconv"
	"strings"
	"time"
)

// precheckItems are the check items of a MySQL-to-MySQL precheck, as in the documented sample.
var precheckItems = []string{
	"CHECK_CONN_SRC", "CHECK_AUTH_SRC", "CHECK_CONN_DEST", "CHECK_AUTH_DEST", "CHECK_BINLOG_ON",
	"CHECK_BINLOG_MODE", "CHECK_BINLOG_ROW_IMAGE", "CHECK_SERVER_ID", "CHECK_BINLOG_EXIST",
	"CHECK_ENGINE", "CHECK_MYSQL_PASSOWRD_FORMAT", "CHECK_SRC", "CHECK_SQL_MODE", "CHECK_SAME_USER",
}

// State describes a job at one moment; Body renders it as the service would, numbers as strings.
type State struct {
	// JobStatus is MigrationJobStatus; empty leaves it out.
	JobStatus string
	// Mode says which migration types run; nil means all three.
	Mode *Mode

	// Precheck is PrecheckStatus.Status; empty leaves PrecheckStatus out.
	Precheck        string
	PrecheckPercent int64
	// FailedChecks replace the check items of the same name, or are added after them.
	FailedChecks []CheckItem

	// Structure is StructureInitializationStatus.Status; empty leaves the struct out.
	Structure         string
	StructurePercent  int64
	StructureProgress int64
	StructureError    string

	// Data is DataInitializationStatus.Status; empty leaves the struct out.
	Data         string
	DataPercent  int64
	DataProgress int64
	DataError    string

	// Sync is DataSynchronizationStatus.Status; empty leaves the struct out.
	Sync        string
	SyncPercent int64
	// Delay is in seconds; nil leaves it out, as the service does before synchronization runs.
	Delay *int64
	// Checkpoint is a Unix time in seconds; 0 leaves it out.
	Checkpoint int64
	SyncError  string
}

// Mode is MigrationMode: the migration types a job performs.
type Mode struct {
	StructureInitialization bool
	DataInitialization      bool
	DataSynchronization     bool
}

// CheckItem is one precheck item.
type CheckItem struct {
	Name string
	// Status is CheckStatus; empty means "Failed".
	Status       string
	ErrorMessage string
	RepairMethod string
}

// Delay returns a pointer to seconds, for State.Delay.
func Delay(seconds int64) *int64 { return &seconds }

// Body renders the state as a DescribeMigrationJobStatus response for jobID, without RequestId and
// Success, which the server adds. A Finished stage with a zero percent reports 100. The precheck
// lists every item once finished or failed, and a share of them matching the percent while checking.
func (st State) Body(jobID string) map[string]any {
	mode := Mode{StructureInitialization: true, DataInitialization: true, DataSynchronization: true}
	if st.Mode != nil {
		mode = *st.Mode
	}
	body := map[string]any{
		"MigrationJobId":    jobID,
		"TaskId":            strings.TrimPrefix(jobID, "dts"),
		"MigrationJobName":  "MySQL Migration",
		"MigrationJobClass": "2xlarge",
		"PayType":           "PostPaid",
		"MigrationObject":   `[{"DBName":"dtstestdata","TableIncludes":[{"TableName":"customer"}]}]`,
		"MigrationMode": map[string]any{
			"structureInitialization": mode.StructureInitialization,
			"dataInitialization":      mode.DataInitialization,
			"dataSynchronization":     mode.DataSynchronization,
		},
		"SourceEndpoint": map[string]any{
			"EngineName": "MySQL", "InstanceType": "RDS", "InstanceId": "rm-bp1i99e8l7913****",
			"DatabaseName": "dtstestdatabase", "IP": "172.16.88.10", "Port": "3306", "UserName": "dtstest",
		},
		"DestinationEndpoint": map[string]any{
			"EngineName": "MySQL", "InstanceType": "RDS", "InstanceId": "rm-bp1zc3iyqe3qw****",
			"DatabaseName": "dtstestdata", "IP": "172.16.88.20", "Port": "3306", "UserName": "dtstest",
		},
	}
	if st.JobStatus != "" {
		body["MigrationJobStatus"] = st.JobStatus
	}
	if st.Precheck != "" {
		percent := finishedPercent(st.Precheck, st.PrecheckPercent)
		body["PrecheckStatus"] = map[string]any{
			"Status":  st.Precheck,
			"Percent": itoa(percent),
			"Detail":  map[string]any{"CheckItem": st.checkItems(percent)},
		}
	}
	if st.Structure != "" {
		body["StructureInitializationStatus"] = stage(st.Structure, st.StructurePercent, st.StructureProgress, st.StructureError)
	}
	if st.Data != "" {
		body["DataInitializationStatus"] = stage(st.Data, st.DataPercent, st.DataProgress, st.DataError)
	}
	if st.Sync != "" {
		sync := map[string]any{
			"Status":  st.Sync,
			"Percent": itoa(finishedPercent(st.Sync, st.SyncPercent)),
		}
		if st.Delay != nil {
			sync["Delay"] = itoa(*st.Delay)
		}
		if st.Checkpoint != 0 {
			sync["Checkpoint"] = itoa(st.Checkpoint)
		}
		if st.SyncError != "" {
			sync["ErrorMessage"] = st.SyncError
		}
		body["DataSynchronizationStatus"] = sync
	}
	return body
}

func stage(status string, percent, progress int64, errorMessage string) map[string]any {
	m := map[string]any{
		"Status":   status,
		"Percent":  itoa(finishedPercent(status, percent)),
		"Progress": itoa(progress),
	}
	if errorMessage != "" {
		m["ErrorMessage"] = errorMessage
	}
	return m
}

func finishedPercent(status string, percent int64) int64 {
	if status == "Finished" && percent == 0 {
		return 100
	}
	return percent
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// checkItems lists the precheck items done at percent for a precheck in status, passed ones with
// Status "Success", with the failed checks applied: each replaces the item of its name, or is added.
func checkItems(status string, percent int64, failed []CheckItem) []CheckItem {
	done := len(precheckItems)
	switch status {
	case "Finished", "Failed":
	case "Checking", "Suspending":
		done = int(min(max(percent, 0), 100)) * len(precheckItems) / 100
	default:
		done = 0
	}
	items := make([]CheckItem, 0, done+len(failed))
	index := make(map[string]int, done)
	for _, name := range precheckItems[:done] {
		index[name] = len(items)
		items = append(items, CheckItem{Name: name, Status: "Success"})
	}
	for _, fc := range failed {
		fc.Status = orDefault(fc.Status, "Failed")
		if i, ok := index[fc.Name]; ok {
			items[i] = fc
			continue
		}
		items = append(items, fc)
	}
	return items
}

// checkItems renders the legacy precheck's Detail.CheckItem list at percent.
func (st State) checkItems(percent int64) []map[string]any {
	items := checkItems(st.Precheck, percent, st.FailedChecks)
	out := make([]map[string]any, 0, len(items))
	for _, it := range items {
		item := map[string]any{"CheckStatus": it.Status, "ItemName": it.Name}
		if it.ErrorMessage != "" {
			item["ErrorMessage"] = it.ErrorMessage
		}
		if it.RepairMethod != "" {
			item["RepairMethod"] = it.RepairMethod
		}
		out = append(out, item)
	}
	return out
}

// DemoJobID is the legacy migration job of the demo (cmd/fakedts).
const DemoJobID = "dtsq4n8c2v6x1m9k3p"

// DemoTimelineFor is a job that runs its whole course over total, in equal Duration steps: precheck,
// schema migration, full data migration with a rising percent, then incremental synchronization
// whose delay falls (40, 25, 12, 5, 2 s) until it is Catched with delay 0, where it stays.
func DemoTimelineFor(jobID string, total time.Duration) []Step {
	const (
		tables  = 12
		records = 200001
	)
	prechecking := func(percent int64) State {
		return State{JobStatus: "Prechecking", Precheck: "Checking", PrecheckPercent: percent}
	}
	loading := func(percent int64) State {
		return State{
			JobStatus: "Migrating", Precheck: "Finished",
			Structure: "Finished", StructureProgress: tables,
			Data: "Migrating", DataPercent: percent, DataProgress: records * percent / 100,
		}
	}
	syncing := func(status string, delay int64) State {
		return State{
			JobStatus: "Migrating", Precheck: "Finished",
			Structure: "Finished", StructureProgress: tables,
			Data: "Finished", DataProgress: records,
			Sync: status, SyncPercent: 95, Delay: Delay(delay),
		}
	}
	states := []State{
		{JobStatus: "NotStarted"},
		prechecking(30),
		prechecking(70),
		{
			JobStatus: "Migrating", Precheck: "Finished",
			Structure: "Migrating", StructurePercent: 50, StructureProgress: tables / 2,
		},
		loading(20),
		loading(60),
		loading(90),
		syncing("Migrating", 40),
		syncing("Migrating", 25),
		syncing("Migrating", 12),
		syncing("Migrating", 5),
		syncing("Migrating", 2),
		syncing("Catched", 0),
	}
	return evenSteps(states, total, func(st State, at time.Time) any {
		if st.Delay != nil {
			st.Checkpoint = at.Unix() - *st.Delay
		}
		return st.Body(jobID)
	})
}

// evenSteps makes a timeline of states over total: equal steps, the last lasting forever. body
// renders a state as served from at, the time its step begins (for checkpoints that trail the clock).
func evenSteps[S any](states []S, total time.Duration, body func(st S, at time.Time) any) []Step {
	each := stepLength(total, len(states))
	start := time.Now()
	steps := make([]Step, len(states))
	for i, st := range states {
		steps[i] = Step{Body: body(st, start.Add(time.Duration(i)*each)), Duration: each}
	}
	steps[len(steps)-1].Duration = 0
	return steps
}

// stepLength splits total among the steps before the last, which lasts forever.
func stepLength(total time.Duration, steps int) time.Duration {
	each := total / time.Duration(steps-1)
	if each <= 0 {
		// A zero Duration would make the first step last forever.
		each = time.Nanosecond
	}
	return each
}

// DemoSyncJobID is the current-API synchronization job of the demo (cmd/fakedts), read with
// DescribeDtsJobs and JobType SYNC.
const DemoSyncJobID = "e9k3v7q2m5x8t1z"

// DemoSyncTimelineFor is a synchronization job (a DtsJob of JobType SYNC; each Step's Body is its
// DtsJobList item) that runs its whole course over total, in equal Duration steps: Prechecking,
// Initializing (schema, then full data with a rising percent), then Synchronizing with a falling
// delay (40, 25, 12, 5, 2 s) until DataSynchronizationStatus is Catched with delay 0, where it stays.
func DemoSyncTimelineFor(jobID string, total time.Duration) []Step {
	const (
		tables  = "12"
		records = 200001
	)
	prechecking := func(percent int64) DtsState {
		return DtsState{Status: "Prechecking", Precheck: "Checking", PrecheckPercent: percent}
	}
	loading := func(percent int64) DtsState {
		return DtsState{
			Status: "Initializing", Precheck: "Finished",
			Structure: "Finished", StructureProgress: tables,
			Data: "Migrating", DataPercent: percent, DataProgress: itoa(records * percent / 100),
			Sync: "NotStarted",
		}
	}
	syncing := func(status string, delay int64) DtsState {
		return DtsState{
			Status: "Synchronizing", Precheck: "Finished",
			Structure: "Finished", StructureProgress: tables,
			Data: "Finished", DataProgress: itoa(records),
			Sync: status, SyncPercent: 95, Delay: Delay(delay),
		}
	}
	states := []DtsState{
		prechecking(20),
		prechecking(70),
		{
			Status: "Initializing", Precheck: "Finished",
			Structure: "Migrating", StructurePercent: 50, StructureProgress: "6",
			Data: "NotStarted", Sync: "NotStarted",
		},
		loading(20),
		loading(60),
		loading(90),
		syncing("Migrating", 40),
		syncing("Migrating", 25),
		syncing("Migrating", 12),
		syncing("Migrating", 5),
		syncing("Migrating", 2),
		syncing("Catched", 0),
	}
	return evenSteps(states, total, func(st DtsState, at time.Time) any {
		if st.Delay != nil {
			st.Checkpoint = at.Unix() - *st.Delay
		}
		return st.Item(jobID)
	})
}

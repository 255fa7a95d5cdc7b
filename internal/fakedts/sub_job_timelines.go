package fakedts

import "time"

// Timelines of jobs whose DescribeDtsJobDetail answer matters: each Step's Body is the job's
// DtsJobList item and its Detail the job's detail answer at the same moment. Like DemoSyncTimelineFor,
// each runs its course over total in equal Duration steps, and its last step lasts forever.

// Jobs of the demo server (cmd/fakedts) that have sub-jobs or a reverse job.
const (
	DemoDistributedJobID = "dtsdemodist0001"
	DemoSubSyncJobID     = "dtsdemomodify0001"
	DemoTwoWayJobID      = "dtsdemotwoway0001"
	DemoSecondsJobID     = "dtsdemoseconds0001"
)

// caughtUp is a synchronization job whose incremental stage is at status with the delay.
func caughtUp(status string, delay int64) DtsState {
	return DtsState{
		Status: "Synchronizing", Precheck: "Finished",
		Structure: "Finished", StructureProgress: "8",
		Data: "Finished", DataProgress: "2204817",
		Sync: status, SyncPercent: 95, Delay: Delay(delay),
	}
}

// shard is a distributed job's sub-job, synchronizing with a delay sent in milliseconds.
func shard(id, status string, millis int64) DtsSubJob {
	st := caughtUp(status, 0)
	st.Delay = nil
	return DtsSubJob{ID: id, DtsState: st, DelayMillis: &millis}
}

// DistributedShardIDs are the sub-jobs of DistributedTimelineFor(jobID, ...), the second one lagging.
func DistributedShardIDs(jobID string) []string {
	return []string{jobID + "_shard0", jobID + "_shard1", jobID + "_shard2"}
}

// DistributedTimelineFor is a distributed synchronization job (one sub-job per shard of a PolarDB-X 1.0
// source) whose own item shows DataSynchronizationStatus Catched with delay 0 all along, while its
// second shard lags: 754 s, 300 s, 90 s, 12.5 s and 3 s behind, then Catched with no delay. The third
// shard reports 400 ms, then 0. A gate on the job alone opens at once; one that looks at the
// sub-jobs, with max_delay_seconds of 5, opens at the last step.
func DistributedTimelineFor(jobID string, total time.Duration) []Step {
	ids := DistributedShardIDs(jobID)
	lags := []int64{754000, 300000, 90000, 12500, 3000, 0}
	steps := make([]Step, len(lags))
	each := stepLength(total, len(lags))
	for i, lag := range lags {
		status, last := "Migrating", i == len(lags)-1
		third := int64(400)
		if last {
			status, third = "Catched", 0
		}
		job := caughtUp("Catched", 0)
		job.Extra = map[string]any{"DtsJobName": "drds_orders_to_rds"}
		steps[i] = Step{
			Body: job.Item(jobID),
			Detail: DtsDetail{Job: job, TaskType: "Distributed_xxx", Distributed: []DtsSubJob{
				shard(ids[0], "Catched", 0), shard(ids[1], status, lag), shard(ids[2], "Catched", third),
			}}.Body(jobID),
			Duration: each,
		}
	}
	steps[len(steps)-1].Duration = 0
	return steps
}

// SubSyncJobIDFor is the sub-job of SubSyncTimelineFor(jobID, ...).
func SubSyncJobIDFor(jobID string) string { return jobID + "_sub" }

// SubSyncTimelineFor is a synchronization job whose objects are being changed: its item shows Status
// Modifying with DataSynchronizationStatus Catched and a delay of 1 s, while a sub-sync-job prechecks,
// creates and loads the two new tables (data initialization at 37 %, then 80 %) and then synchronizes
// them (delay 20 s). At the last step the job is Synchronizing again and the sub-job, which ran last,
// is Finished with its synchronization Catched.
func SubSyncTimelineFor(jobID string, total time.Duration) []Step {
	sub := func(status string, st DtsState) DtsSubJob {
		st.Status = status
		st.Extra = map[string]any{"DbObject": `{"crm":{"name":"crm","all":false,"Table":{"invoice":{"name":"invoice","all":true},"payment":{"name":"payment","all":true}}}}`}
		return DtsSubJob{ID: SubSyncJobIDFor(jobID), DtsState: st}
	}
	subs := []DtsSubJob{
		sub("Prechecking", DtsState{Precheck: "Checking", PrecheckPercent: 60}),
		sub("Initializing", DtsState{Precheck: "Finished", Structure: "Migrating", StructurePercent: 50, StructureProgress: "1",
			Data: "NotStarted", Sync: "NotStarted"}),
		sub("Initializing", DtsState{Precheck: "Finished", Structure: "Finished", StructureProgress: "2",
			Data: "Migrating", DataPercent: 37, DataProgress: "1250000", Sync: "NotStarted"}),
		sub("Initializing", DtsState{Precheck: "Finished", Structure: "Finished", StructureProgress: "2",
			Data: "Migrating", DataPercent: 80, DataProgress: "2700000", Sync: "NotStarted"}),
		sub("Synchronizing", DtsState{Precheck: "Finished", Structure: "Finished", StructureProgress: "2",
			Data: "Finished", DataProgress: "3375000", Sync: "Migrating", SyncPercent: 90, Delay: Delay(20)}),
		sub("Finished", DtsState{Precheck: "Finished", Structure: "Finished", StructureProgress: "2",
			Data: "Finished", DataProgress: "3375000", Sync: "Catched", SyncPercent: 100, Delay: Delay(0)}),
	}
	steps := make([]Step, len(subs))
	each := stepLength(total, len(subs))
	for i, s := range subs {
		job := caughtUp("Catched", 1)
		if i == len(subs)-1 {
			job.Delay = Delay(0)
		} else {
			job.Status = "Modifying"
		}
		steps[i] = Step{Body: job.Item(jobID), Detail: DtsDetail{Job: job, Sync: []DtsSubJob{s}}.Body(jobID), Duration: each}
	}
	steps[len(steps)-1].Duration = 0
	return steps
}

// TwoWayTimelineFor is a two-way synchronization job: the forward task is Catched with no delay all
// along, while its reverse task (ReverseJob, ID jobID+"_reverse") initializes and then catches up
// (8 s, then Catched with delay 0). It has no sub-jobs: its detail is derived from its item.
func TwoWayTimelineFor(jobID string, total time.Duration) []Step {
	reverses := []DtsState{
		{Status: "Initializing", Precheck: "Finished", Structure: "Finished", StructureProgress: "8",
			Data: "Migrating", DataPercent: 40, DataProgress: "880000", Sync: "NotStarted"},
		caughtUp("Migrating", 8),
		caughtUp("Catched", 0),
	}
	steps := make([]Step, len(reverses))
	each := stepLength(total, len(reverses))
	for i, r := range reverses {
		job := caughtUp("Catched", 0)
		reverse := r
		reverse.Source, reverse.Destination = twoWayEndpoint("rm-bp1imrtn6fq7h****"), twoWayEndpoint("rm-bp1162kryivb8****")
		job.Reverse = &reverse
		job.Extra = map[string]any{"DtsBisLabel": "normal", "Reserved": `{"maxRetryTime":43200,"srcSSL":"0","destSSL":"0"}`}
		steps[i] = Step{Body: job.Item(jobID), Duration: each}
	}
	steps[len(steps)-1].Duration = 0
	return steps
}

func twoWayEndpoint(instance string) *DtsEndpoint {
	return &DtsEndpoint{EngineName: "MySQL", InstanceType: "RDS", InstanceID: instance, Port: "3306",
		DatabaseName: "dtstestdata", UserName: "dtstest", Region: "cn-hangzhou", SSL: "DISABLE"}
}

// SecondsShardIDs are the sub-jobs of SecondsTimelineFor(jobID, ...).
func SecondsShardIDs(jobID string) []string {
	return []string{jobID + "_shard0", jobID + "_shard1"}
}

// SecondsTimelineFor is a distributed job whose detail call reports delays in seconds, not the
// documented milliseconds: the job's own delay reads 30 s in DescribeDtsJobs and 30 in the detail,
// its shards 30 and 4; then 12 (12, 2) and 3 (3, 1); then Catched with no delay anywhere. A reader
// that took the detail for milliseconds would see every shard at most 1 s behind.
func SecondsTimelineFor(jobID string, total time.Duration) []Step {
	ids := SecondsShardIDs(jobID)
	lags := [][3]int64{{30, 30, 4}, {12, 12, 2}, {3, 3, 1}, {0, 0, 0}}
	steps := make([]Step, len(lags))
	each := stepLength(total, len(lags))
	for i, l := range lags {
		status := "Migrating"
		if l[0] == 0 {
			status = "Catched"
		}
		job := caughtUp(status, l[0])
		first, second := caughtUp(status, l[1]), caughtUp(status, l[2])
		steps[i] = Step{
			Body: job.Item(jobID),
			Detail: DtsDetail{Job: job, TaskType: "Distributed_xxx", DelaysInSeconds: true, Distributed: []DtsSubJob{
				{ID: ids[0], DtsState: first}, {ID: ids[1], DtsState: second},
			}}.Body(jobID),
			Duration: each,
		}
	}
	steps[len(steps)-1].Duration = 0
	return steps
}

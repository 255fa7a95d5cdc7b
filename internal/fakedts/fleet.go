package fakedts

import (
	"fmt"
	"maps"
	"time"
)

// A fleet is many jobs cut over together, such as one DTS job per database of an application, all
// tagged alike. Each job has a timeline of its own, which starts when a listing (or, for a legacy
// job, a status call) first includes it: its incremental synchronization catches up, with a delay
// that falls at its own pace, or fails, or lags for good.

// FleetJob is one job of a Fleet.
type FleetJob struct {
	// ID is the job's ID; Name, when set, its name.
	ID, Name string
	// Delays are the replication delays, in seconds, that the job's incremental synchronization
	// reports in turn while it catches up (status Migrating), each for one Fleet.Every; then it is
	// Catched with delay 0, for good. Without delays the job is caught up from the start.
	Delays []int64
	// Fails, when set, is the error message the job fails with once its delays have passed, instead
	// of catching up: the job's status is Failed (MigrationFailed for a migration job) and so is its
	// synchronization.
	Fails string
	// Lags, instead, keeps the job at its last delay, still catching up, for good.
	Lags bool
}

// Fleet is jobs that move toward a cutover together, each on a timeline of its own.
type Fleet struct {
	// Region is every job's region (see DtsJob.Region and Job.Region).
	Region string
	// JobType is the current-API jobs' type: MIGRATION (also when empty) or SYNC. Legacy jobs have none.
	JobType string
	// Tags are every job's tags, such as {"cutover": "orders"}.
	Tags map[string]string
	// Every is how long each of a job's delays lasts by the server clock. Zero makes each last one
	// answer that includes the job, so that every poll of a listing moves every job one step.
	Every time.Duration
	// Template, when set, is the DtsJobList item each step of a current-API job starts from, such as
	// a documented sample's; the step sets its Status, Delay, ErrorMessage and the status and error
	// message of its DataSynchronizationStatus. Nil renders DtsState's items. Unused for legacy jobs.
	Template map[string]any
	// Jobs are the jobs, defined (and so listed) in this order.
	Jobs []FleetJob
}

// SetDtsFleet defines the fleet's jobs as current-API jobs, read with DescribeDtsJobs, replacing any
// of the same ID. Each lists with its precheck, schema and full data done and its synchronization as
// its timeline says; the job's Delay is the synchronization's.
func (s *Server) SetDtsFleet(f Fleet) {
	migration := normalizeJobType(f.JobType) == "MIGRATION"
	for _, j := range f.Jobs {
		steps := f.steps(j, func(status string, delay int64, failure string) Step {
			st := DtsState{
				Status: "Synchronizing", Precheck: "Finished", Structure: "Finished", Data: "Finished",
				Sync: status, SyncPercent: 95, Delay: Delay(delay),
			}
			if migration {
				st.Status = "Migrating"
			}
			if failure != "" {
				st.Status, st.ErrorMessage, st.SyncError = "Failed", failure, failure
				if migration {
					st.Status = "MigrationFailed"
				}
			}
			if f.Template != nil {
				return Step{Body: fromTemplate(f.Template, st)}
			}
			return Step{Body: st.Item(j.ID)}
		})
		s.SetDtsJob(j.ID, DtsJob{Region: f.Region, JobType: f.JobType, Name: j.Name, Tags: maps.Clone(f.Tags), Steps: steps})
	}
}

// SetFleet defines the fleet's jobs as legacy migration jobs, read with DescribeMigrationJobs and
// DescribeMigrationJobStatus, replacing any of the same ID. Each answers with its precheck, schema and
// full data done and its synchronization as its timeline says.
func (s *Server) SetFleet(f Fleet) {
	for _, j := range f.Jobs {
		steps := f.steps(j, func(status string, delay int64, failure string) Step {
			st := State{
				JobStatus: "Migrating", Precheck: "Finished", Structure: "Finished", Data: "Finished",
				Sync: status, SyncPercent: 95, Delay: Delay(delay),
			}
			if failure != "" {
				st.JobStatus, st.SyncError = "MigrationFailed", failure
			}
			return Step{Body: st.Body(j.ID)}
		})
		s.SetJob(j.ID, Job{Region: f.Region, Name: j.Name, Tags: maps.Clone(f.Tags), Steps: steps})
	}
}

// steps is a job's timeline: one step per delay, then the step that lasts.
func (f Fleet) steps(j FleetJob, at func(status string, delay int64, failure string) Step) []Step {
	steps := make([]Step, 0, len(j.Delays)+1)
	for _, d := range j.Delays {
		st := at("Migrating", d, "")
		st.Duration = f.Every
		if f.Every <= 0 {
			st.Requests = 1
		}
		steps = append(steps, st)
	}
	switch {
	case j.Fails != "":
		steps = append(steps, at("Failed", lastOr(j.Delays, 0), j.Fails))
	case j.Lags && len(j.Delays) > 0:
		// The last delay's step is the timeline's last, which lasts for good.
	default:
		steps = append(steps, at("Catched", 0, ""))
	}
	return steps
}

func lastOr(xs []int64, none int64) int64 {
	if len(xs) == 0 {
		return none
	}
	return xs[len(xs)-1]
}

// StaggeredFleet returns n jobs that catch up one after another over steps steps: IDs idPrefix
// followed by a four-digit number from 0001, names name followed by "-" and a three-digit number
// from 001. Job k (from 1) catches up after ceil(k·steps/n) steps, reporting a delay that falls
// from 60 s by equal amounts until then, so the last job catches up after steps steps and the others
// before it, in order.
func StaggeredFleet(idPrefix, name string, n, steps int) []FleetJob {
	jobs := make([]FleetJob, n)
	for i := range jobs {
		k := i + 1
		behind := max(1, (k*steps+n-1)/n)
		delays := make([]int64, behind)
		for s := range delays {
			delays[s] = int64(60 * (behind - s) / behind)
		}
		jobs[i] = FleetJob{ID: fmt.Sprintf("%s%04d", idPrefix, k), Name: fmt.Sprintf("%s-%03d", name, k), Delays: delays}
	}
	return jobs
}

// fromTemplate is template with the job-level and synchronization fields of st.
func fromTemplate(template map[string]any, st DtsState) map[string]any {
	item := maps.Clone(template)
	item["Status"], item["ErrorMessage"] = st.Status, st.ErrorMessage
	if st.Delay != nil {
		item["Delay"] = *st.Delay
	}
	sync, _ := template["DataSynchronizationStatus"].(map[string]any)
	sync = maps.Clone(sync)
	if sync == nil {
		sync = map[string]any{}
	}
	sync["Status"], sync["ErrorMessage"] = st.Sync, st.SyncError
	item["DataSynchronizationStatus"] = sync
	return item
}

# Blocks the plan until synchronization has caught up to within 5 seconds,
# polling every 30 seconds for at most an hour. The read fails at once if the
# job fails (PrecheckFailed, InitializeFailed, Failed), and at the deadline
# with the last status seen. DTS retrying on its own does not end the wait.
data "dts_job_status" "caught_up" {
  dts_job_id = "r2d7k9m4x8c****"
  job_type   = "synchronization"
  region_id  = "cn-hangzhou"

  wait_for {
    stage             = "data_synchronization"
    status            = ["Catched"]
    max_delay_seconds = 5 # against the job's top-level delay
    poll_interval     = "30s"
  }

  timeouts {
    read = "1h"
  }
}

# Waits for a migration job's full data migration to finish, whatever
# incremental migration does afterwards. job_type is left unset: the first
# read finds the job's type, and later polls ask only that type.
data "dts_job_status" "full_load_done" {
  dts_job_id = "i03e3zty16i****"

  wait_for {
    stage  = "data_initialization"
    status = ["Finished"]
  }
}

# Waits until the synchronization job runs. The job stage compares statuses
# ignoring case, so "synchronizing" would match the service's "Synchronizing"
# too; state keeps the status as the service sent it.
data "dts_job_status" "running" {
  dts_job_id = "r2d7k9m4x8c****"
  job_type   = "synchronization"

  wait_for {
    stage  = "job"
    status = ["Synchronizing"]
  }
}

# Blocks the plan until incremental synchronization has caught up to within
# 5 seconds, polling every 30 seconds for at most an hour. The read fails at
# once if the migration fails, and at the deadline with the last status seen.
data "dts_migration_job_status" "caught_up" {
  migration_job_id = "dtsz2v12jfo309****"
  region_id        = "cn-hangzhou"

  wait_for {
    stage             = "data_synchronization"
    status            = ["Catched"]
    max_delay_seconds = 5
    poll_interval     = "30s"
  }

  timeouts {
    read = "1h"
  }
}

# Waits for the full data migration to finish, whatever incremental
# synchronization does afterwards.
data "dts_migration_job_status" "full_load_done" {
  migration_job_id = "dtsz2v12jfo309****"

  wait_for {
    stage  = "data_initialization"
    status = ["Finished"]
  }
}

# Blocks the plan until the full data verification has finished without a
# single inconsistent row, polling every minute for at most six hours. The
# read fails at once when verification is not enabled for the job, when it
# fails, when the job fails, or when it finishes with inconsistent rows (the
# error names up to ten tables with their counts).
data "dts_data_check" "clean" {
  dts_job_id = "i03e3zty16i****"
  job_type   = "migration"
  check_type = "full"

  wait_for {
    status                = ["Finished"]
    max_inconsistent_rows = 0
    poll_interval         = "1m"
  }

  timeouts {
    read = "6h"
  }
}

# Waits for the incremental verification of a synchronization job to report
# no inconsistent rows. Unlike a full verification, an incremental one with
# inconsistent rows keeps the wait going: DTS checks those rows again after a
# delay, to rule out replication lag.
data "dts_data_check" "incremental" {
  dts_job_id = "r2d7k9m4x8c****"
  job_type   = "synchronization"
  check_type = "incremental"

  wait_for {
    status                = ["Catched"]
    max_inconsistent_rows = 0
  }
}

# The same question, caught up or not, asked of a legacy migration job and of
# a job of the current API.
data "dts_migration_job_status" "legacy" {
  migration_job_id = "dtsz2v12jfo309****"
}

data "dts_job_status" "current" {
  dts_job_id = "i03e3zty16i****"
}

output "caught_up" {
  value = {
    # Legacy: the delay belongs to the incremental synchronization stage.
    legacy = try(
      data.dts_migration_job_status.legacy.data_synchronization_status.status == "Catched" &&
      data.dts_migration_job_status.legacy.data_synchronization_status.delay <= 5,
      false,
    )
    # Current: the delay is the job's own, top-level attribute.
    current = try(
      data.dts_job_status.current.data_synchronization_status.status == "Catched" &&
      data.dts_job_status.current.delay <= 5,
      false,
    )
  }
}

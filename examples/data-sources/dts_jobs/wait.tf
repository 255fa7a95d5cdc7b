# The migration jobs whose name starts with "cutover-", each read in full and
# waited for until incremental migration has caught up.
data "dts_jobs" "cutover" {
  name_regex = "^cutover-"
}

data "dts_job_status" "cutover" {
  for_each   = toset(data.dts_jobs.cutover.ids)
  dts_job_id = each.key
  job_type   = "migration"

  wait_for {
    stage             = "data_synchronization"
    status            = ["Catched"]
    max_delay_seconds = 5
    poll_interval     = "30s"
  }

  timeouts {
    read = "2h"
  }
}

output "cutover_checkpoints" {
  value = { for id, job in data.dts_job_status.cutover : id => job.checkpoint_time }
}

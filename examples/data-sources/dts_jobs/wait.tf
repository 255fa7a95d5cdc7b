# The migration jobs whose name starts with "cutover-". job_type is set even
# though migration is the default: a listing holds one job type, and
# synchronization jobs would simply not be found.
data "dts_jobs" "cutover" {
  job_type   = "migration"
  name_regex = "^cutover-"

  # No match is an empty list, not an error: without this, a mistyped filter,
  # job type or region would leave nothing to wait for, and the cutover would
  # be planned without a single job checked.
  lifecycle {
    postcondition {
      condition     = length(self.ids) > 0
      error_message = "No DTS migration job named cutover-* in region ${self.region_id}: check name_regex, job_type and region_id. The cutover is not planned without jobs to check."
    }
  }
}

# Each job read in full and waited for until incremental migration has caught
# up. Terraform reports a failed wait only once the waits still running end.
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

# The gate: every job found has caught up, and at least one was found.
resource "terraform_data" "cutover" {
  input = sort(keys(data.dts_job_status.cutover))

  lifecycle {
    precondition {
      condition = length(data.dts_job_status.cutover) > 0 && alltrue([
        for job in data.dts_job_status.cutover :
        try(job.data_synchronization_status.status == "Catched" && job.delay <= 5, false)
      ])
      error_message = "Not every cutover-* job has caught up to within 5 s: ${join(", ", [
        for id, job in data.dts_job_status.cutover : "${id} (${coalesce(job.status, "status unknown")}, delay ${try("${job.delay} s", "unknown")})"
        if !try(job.data_synchronization_status.status == "Catched" && job.delay <= 5, false)
      ])}."
    }
  }
}

output "cutover_checkpoints" {
  value = { for id, job in data.dts_job_status.cutover : id => job.checkpoint_time }
}

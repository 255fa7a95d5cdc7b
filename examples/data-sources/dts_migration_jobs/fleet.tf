# One wait over every legacy migration job of the cutover, found by tag: the
# read ends when each of them has caught up to within 5 s, and fails at once,
# naming the job, when one of them fails, or when none is found at all.
data "dts_migration_jobs" "orders_cutover" {
  tags = {
    cutover = "orders"
  }

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

# The gate: the cutover goes ahead only on a listing whose every job has
# caught up, even if someone later loosens or removes wait_for. The delay is
# the data_synchronization object's in this data source.
resource "terraform_data" "orders_cutover" {
  input = data.dts_migration_jobs.orders_cutover.ids

  lifecycle {
    precondition {
      condition = length(data.dts_migration_jobs.orders_cutover.jobs) > 0 && alltrue([
        for job in data.dts_migration_jobs.orders_cutover.jobs :
        try(job.data_synchronization.status == "Catched" && job.data_synchronization.delay <= 5, false)
      ])
      error_message = "Not every migration job tagged cutover=orders has caught up to within 5 s: ${join(", ", [
        for job in data.dts_migration_jobs.orders_cutover.jobs : "${job.migration_job_name} (${coalesce(job.migration_job_status, "status unknown")}, delay ${try("${job.data_synchronization.delay} s", "unknown")})"
        if !try(job.data_synchronization.status == "Catched" && job.data_synchronization.delay <= 5, false)
      ])}."
    }
  }
}

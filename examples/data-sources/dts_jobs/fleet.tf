# One wait over every synchronization job of the cutover, found by tag: the
# read ends when each of them has caught up to within 5 s, and fails at once,
# naming the job, when one of them fails, or when none is found at all.
data "dts_jobs" "orders_cutover" {
  job_type = "synchronization"
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
# caught up, even if someone later loosens or removes wait_for.
resource "terraform_data" "orders_cutover" {
  input = data.dts_jobs.orders_cutover.ids

  lifecycle {
    precondition {
      condition = length(data.dts_jobs.orders_cutover.jobs) > 0 && alltrue([
        for job in data.dts_jobs.orders_cutover.jobs :
        try(job.data_synchronization_status.status == "Catched" && job.delay <= 5, false)
      ])
      error_message = "Not every job tagged cutover=orders has caught up to within 5 s: ${join(", ", [
        for job in data.dts_jobs.orders_cutover.jobs : "${job.job_name} (${coalesce(job.status, "status unknown")}, delay ${try("${job.delay} s", "unknown")})"
        if !try(job.data_synchronization_status.status == "Catched" && job.delay <= 5, false)
      ])}."
    }
  }
}

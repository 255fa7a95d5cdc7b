# Every synchronization job of the "orders" project, found by tag.
data "dts_jobs" "orders" {
  job_type = "synchronization"
  tags = {
    project = "orders"
  }
}

output "orders_sync_jobs" {
  value = {
    for job in data.dts_jobs.orders.jobs : job.job_name => {
      id            = job.dts_job_id
      status        = job.status
      delay_seconds = job.delay
    }
  }
}

# Warns on every plan and apply when a synchronization job falls behind. A
# check block never stops the run: it reports, and the run goes on.
check "orders_sync_delay" {
  assert {
    condition = alltrue([
      for job in data.dts_jobs.orders.jobs : coalesce(job.delay, 0) <= 60
    ])
    error_message = "Synchronization jobs more than 60 s behind: ${join(", ", [
      for job in data.dts_jobs.orders.jobs : "${job.job_name} (${job.delay} s)" if coalesce(job.delay, 0) > 60
    ])}."
  }
}

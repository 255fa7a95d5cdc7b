# Every legacy migration job tagged for the "orders" project, with its status.
data "dts_migration_jobs" "orders" {
  tags = {
    project = "orders"
  }

  # No match is an empty list, not an error: the waits below would then wait
  # for nothing. A mistyped tag or region fails the plan here instead.
  lifecycle {
    postcondition {
      condition     = length(self.ids) > 0
      error_message = "No legacy migration job tagged project=orders in region ${self.region_id}: check the tags and region_id."
    }
  }
}

output "orders_migrations" {
  value = {
    for job in data.dts_migration_jobs.orders.jobs : job.migration_job_name => {
      id            = job.migration_job_id
      status        = job.migration_job_status
      delay_seconds = try(job.data_synchronization.delay, null)
    }
  }
}

# The jobs that need attention, filtered here: the call has no status filter.
data "dts_migration_jobs" "failed" {
  status = ["PrecheckFailed", "MigrationFailed"]
}

# Warns when any legacy job has failed, without stopping the run.
check "no_failed_migrations" {
  assert {
    condition     = length(data.dts_migration_jobs.failed.ids) == 0
    error_message = "Failed migration jobs: ${join(", ", [for job in data.dts_migration_jobs.failed.jobs : "${job.migration_job_name} (${job.migration_job_status})"])}."
  }
}

# Every job whose incremental migration is running, read in full and waited for
# until it has caught up. Terraform reports a failed wait only once the waits
# still running end.
data "dts_migration_job_status" "orders" {
  for_each = toset([
    for job in data.dts_migration_jobs.orders.jobs : job.migration_job_id
    if try(job.migration_mode.data_synchronization, false)
  ])
  migration_job_id = each.key

  wait_for {
    stage             = "data_synchronization"
    status            = ["Catched"]
    max_delay_seconds = 5
  }
}

# Reads the job's status once, on every plan. This job is still in full data
# migration: data_synchronization_status is null until incremental
# synchronization starts, so every attribute of it is read with try().
data "dts_migration_job_status" "migration" {
  migration_job_id = "dtsb5x8q1rzk4c****"
}

output "migration" {
  value = {
    job_status          = data.dts_migration_job_status.migration.migration_job_status
    full_data_percent   = try(data.dts_migration_job_status.migration.data_initialization_status.percent, null)
    incremental_status  = try(data.dts_migration_job_status.migration.data_synchronization_status.status, "not started")
    delay_seconds       = try(data.dts_migration_job_status.migration.data_synchronization_status.delay, null)
    checkpoint_time     = try(data.dts_migration_job_status.migration.data_synchronization_status.checkpoint_time, null)
    destination_address = try("${data.dts_migration_job_status.migration.destination_endpoint.ip}:${data.dts_migration_job_status.migration.destination_endpoint.port}", null)
  }
}

# precheck_status is null until the precheck has run, hence try().
output "failed_precheck_items" {
  value = [
    for item in try(data.dts_migration_job_status.migration.precheck_status.detail, []) :
    "${item.item_name}: ${item.error_message}" if item.check_status != "Success"
  ]
}

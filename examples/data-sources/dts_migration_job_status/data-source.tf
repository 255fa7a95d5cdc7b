# Reads the job's status once, on every plan.
data "dts_migration_job_status" "migration" {
  migration_job_id = "dtsz2v12jfo309****"
}

output "incremental_sync" {
  value = {
    status          = data.dts_migration_job_status.migration.data_synchronization_status.status
    delay_seconds   = data.dts_migration_job_status.migration.data_synchronization_status.delay
    checkpoint_time = data.dts_migration_job_status.migration.data_synchronization_status.checkpoint_time
  }
}

# precheck_status is null until the precheck has run, hence try().
output "failed_precheck_items" {
  value = [
    for item in try(data.dts_migration_job_status.migration.precheck_status.detail, []) :
    "${item.item_name}: ${item.error_message}" if item.check_status != "Success"
  ]
}

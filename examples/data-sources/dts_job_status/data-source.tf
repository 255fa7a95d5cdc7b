# Reads a synchronization job's status once, on every plan. With job_type
# set, each read is exactly one DescribeDtsJobs call; unset, the first read
# looks among migration, synchronization and change tracking jobs in turn.
data "dts_job_status" "sync" {
  dts_job_id = "r2d7k9m4x8c****"
  job_type   = "synchronization"
}

output "synchronization" {
  value = {
    job_status       = data.dts_job_status.sync.status
    sync_status      = try(data.dts_job_status.sync.data_synchronization_status.status, null)
    delay_seconds    = data.dts_job_status.sync.delay # top-level: the stage objects carry no delay
    checkpoint_time  = data.dts_job_status.sync.checkpoint_time
    retrying         = try(data.dts_job_status.sync.retry_state.retrying, false)
    destination_host = try(data.dts_job_status.sync.destination_endpoint.ip, null)
  }
}

# precheck_status is null until the precheck has run, hence try().
output "failed_precheck_items" {
  value = [
    for item in try(data.dts_job_status.sync.precheck_status.detail, []) :
    "${item.check_item}: ${item.failed_reason}" if item.check_result != "Success"
  ]
}

# Refuses to plan the change that depends on the destination unless the job
# is synchronizing with a small delay.
resource "terraform_data" "switch_reads" {
  input = data.dts_job_status.sync.destination_endpoint.instance_id

  lifecycle {
    precondition {
      condition = try(
        data.dts_job_status.sync.data_synchronization_status.status == "Catched" &&
        data.dts_job_status.sync.delay <= 10,
        false,
      )
      error_message = "DTS job ${data.dts_job_status.sync.dts_job_id} is ${coalesce(data.dts_job_status.sync.status, "in an unknown state")}, delay ${try("${data.dts_job_status.sync.delay} s", "not reported")}: the destination is not caught up."
    }
  }
}

# The configuration `make demo` applies. It is written as it would be for a real account: the
# credentials, the region and the endpoint come from the environment, which scripts/demo points at
# a fake DTS endpoint on 127.0.0.1.

terraform {
  required_version = ">= 1.5.0"

  required_providers {
    dts = {
      source = "openmigrate/dts"
    }
  }
}

variable "dts_job_id" {
  type        = string
  description = "ID of the DTS synchronization job to wait for, such as i03e3zty16i****."
}

variable "max_cutover_delay_seconds" {
  type        = number
  description = "Largest replication delay, in seconds, at which the cutover may go ahead."
  default     = 5
}

# Blocks until synchronization has caught up, polling every 2 seconds, for at most 2 minutes; fails
# at once if the job fails. job_type set: one DescribeDtsJobs call per poll.
data "dts_job_status" "sync" {
  dts_job_id = var.dts_job_id
  job_type   = "synchronization"

  wait_for {
    stage             = "data_synchronization"
    status            = ["Catched"]
    max_delay_seconds = var.max_cutover_delay_seconds
    poll_interval     = "2s"
  }

  timeouts {
    read = "2m"
  }
}

# Stands for whatever switches the application over to the destination database: a DNS record, a
# configuration value, a connection string in a secret.
resource "terraform_data" "cutover" {
  input = {
    dts_job_id              = data.dts_job_status.sync.dts_job_id
    destination_instance_id = data.dts_job_status.sync.destination_endpoint.instance_id
  }

  lifecycle {
    precondition {
      condition = try(
        data.dts_job_status.sync.data_synchronization_status.status == "Catched" &&
        data.dts_job_status.sync.delay <= var.max_cutover_delay_seconds,
        false,
      )
      error_message = "Synchronization of ${var.dts_job_id} has not caught up to within ${var.max_cutover_delay_seconds} s: cutting over now would lose writes."
    }
  }
}

output "job_status" {
  description = "Status of the whole synchronization job."
  value       = data.dts_job_status.sync.status
}

output "stages" {
  description = "Status of each stage of the job."
  value = {
    precheck            = data.dts_job_status.sync.precheck_status.status
    schema_migration    = data.dts_job_status.sync.structure_initialization_status.status
    full_data_migration = data.dts_job_status.sync.data_initialization_status.status
    incremental_sync    = data.dts_job_status.sync.data_synchronization_status.status
  }
}

output "replication_delay_seconds" {
  description = "How far the destination was behind the source when the wait ended."
  value       = data.dts_job_status.sync.delay
}

output "checkpoint_time" {
  description = "Time of the latest change applied to the destination."
  value       = data.dts_job_status.sync.checkpoint_time
}

output "cutover" {
  description = "What the cutover resource recorded."
  value       = terraform_data.cutover.output
}

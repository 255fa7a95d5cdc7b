terraform {
  # check blocks need Terraform 1.5 or later.
  required_version = ">= 1.5.0"

  required_providers {
    dts = {
      source = "openmigrate/dts"
    }
  }
}

variable "migration_job_id" {
  type        = string
  description = "ID of the DTS migration job that replicates the source database to the destination."
}

variable "max_cutover_delay_seconds" {
  type        = number
  description = "Largest replication delay, in seconds, at which the cutover may go ahead."
  default     = 5
}

variable "max_lag_warning_seconds" {
  type        = number
  description = "Replication delay, in seconds, above which every plan warns."
  default     = 60
}

# 1. The wait: every plan blocks here until incremental synchronization has
#    caught up, and fails at once if the migration fails.
data "dts_migration_job_status" "migration" {
  migration_job_id = var.migration_job_id

  wait_for {
    stage             = "data_synchronization"
    status            = ["Catched"]
    max_delay_seconds = var.max_cutover_delay_seconds
    poll_interval     = "30s"
  }

  timeouts {
    read = "2h"
  }
}

# 2. The gate: the cutover stands for whatever switches the application over
#    to the destination (a DNS record, a configuration value, a secret). Its
#    precondition refuses to plan or apply it unless replication has caught up,
#    even if someone later loosens or removes wait_for.
resource "terraform_data" "cutover" {
  input = {
    destination_instance_id = data.dts_migration_job_status.migration.destination_endpoint.instance_id
    destination_database    = data.dts_migration_job_status.migration.destination_endpoint.database_name
  }

  lifecycle {
    precondition {
      condition = try(
        data.dts_migration_job_status.migration.data_synchronization_status.status == "Catched" &&
        data.dts_migration_job_status.migration.data_synchronization_status.delay <= var.max_cutover_delay_seconds,
        false,
      )
      error_message = "DTS job ${var.migration_job_id} has not caught up to within ${var.max_cutover_delay_seconds} s; cutting over now would lose writes."
    }
  }
}

# 3. The watch: a check reads the job again without waiting and warns, but
#    never fails, when replication falls behind. A failed read inside a check
#    block is a warning too, so an API outage does not block unrelated changes.
check "replication_keeps_up" {
  data "dts_migration_job_status" "now" {
    migration_job_id = var.migration_job_id
  }

  assert {
    condition = try(
      data.dts_migration_job_status.now.data_synchronization_status.delay <= var.max_lag_warning_seconds,
      false,
    )
    error_message = "DTS job ${var.migration_job_id} is not keeping up: incremental sync is ${try(data.dts_migration_job_status.now.data_synchronization_status.status, "not reported")}, delay ${try("${data.dts_migration_job_status.now.data_synchronization_status.delay} s", "not reported")} (warning above ${var.max_lag_warning_seconds} s)."
  }
}

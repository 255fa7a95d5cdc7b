terraform {
  required_providers {
    dts = {
      source = "openmigrate/dts"
    }
  }
}

variable "migration_job_id" {
  type        = string
  description = "ID of the DTS migration job to wait for."
}

variable "wait_timeout" {
  type        = string
  description = "How long a plan may wait for the job, such as 45m; keep it below the pipeline job's own timeout."
  default     = "45m"
}

data "dts_migration_job_status" "migration" {
  migration_job_id = var.migration_job_id

  wait_for {
    stage             = "data_synchronization"
    status            = ["Catched"]
    max_delay_seconds = 10
    # Each poll is one DescribeMigrationJobStatus call: poll less often for
    # long waits, to leave the account's API quota to others.
    poll_interval = "15s"
  }

  timeouts {
    # The whole read: every poll, every retry, and the wait between them.
    read = var.wait_timeout
  }
}

output "replication_delay_seconds" {
  value = data.dts_migration_job_status.migration.data_synchronization_status.delay
}

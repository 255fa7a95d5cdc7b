terraform {
  # check blocks need Terraform 1.5 or later.
  required_version = ">= 1.5.0"

  required_providers {
    dts = {
      source = "openmigrate/dts"
    }
  }
}

variable "dts_job_id" {
  type        = string
  description = "ID of the DTS migration or synchronization job that replicates the source database to the destination, such as i03e3zty16i****."
}

variable "job_type" {
  type        = string
  description = "Type of the job: migration or synchronization."
  default     = "synchronization"
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
#    caught up, and fails at once if the job fails. DTS retrying on its own
#    (Retrying) does not end the wait.
data "dts_job_status" "replication" {
  dts_job_id = var.dts_job_id
  job_type   = var.job_type

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
#    even if someone later loosens or removes wait_for. The delay is the job's
#    top-level attribute in this data source.
resource "terraform_data" "cutover" {
  input = {
    destination_instance_id = data.dts_job_status.replication.destination_endpoint.instance_id
    destination_database    = data.dts_job_status.replication.destination_endpoint.database_name
  }

  lifecycle {
    precondition {
      condition = try(
        data.dts_job_status.replication.data_synchronization_status.status == "Catched" &&
        data.dts_job_status.replication.delay <= var.max_cutover_delay_seconds,
        false,
      )
      error_message = "DTS job ${var.dts_job_id} has not caught up to within ${var.max_cutover_delay_seconds} s; cutting over now would lose writes."
    }
  }
}

# 3. The watch: a check reads the job again without waiting and warns, but
#    never fails, when replication falls behind. A failed read inside a check
#    block is a warning too, so an API outage does not block unrelated changes.
check "replication_keeps_up" {
  data "dts_job_status" "now" {
    dts_job_id = var.dts_job_id
    job_type   = var.job_type
  }

  assert {
    condition = try(
      data.dts_job_status.now.delay <= var.max_lag_warning_seconds,
      false,
    )
    error_message = "DTS job ${var.dts_job_id} is not keeping up: job ${try(data.dts_job_status.now.status, "status not reported")}, delay ${try("${data.dts_job_status.now.delay} s", "not reported")} (warning above ${var.max_lag_warning_seconds} s)${try(data.dts_job_status.now.retry_state.retrying, false) ? "; DTS is retrying: ${try(data.dts_job_status.now.retry_state.error_message, "no reason given")}" : ""}."
  }
}

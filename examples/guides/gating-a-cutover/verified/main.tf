terraform {
  # The configuration needs Terraform 1.5 or later; the test next to it
  # (cutover.tftest.hcl) needs 1.7, for override_data.
  required_version = ">= 1.5.0"

  required_providers {
    dts = {
      source = "openmigrate/dts"
    }
  }
}

variable "dts_job_id" {
  type        = string
  description = "ID of the DTS migration or synchronization job that replicates the source database to the destination, such as r2d7k9m4x8c****."
}

variable "job_type" {
  type        = string
  description = "Type of the job: migration or synchronization."
  default     = "synchronization"
}

variable "max_cutover_delay_seconds" {
  type        = number
  description = "Largest replication delay, in seconds, of the job and of each of its sub-jobs, at which the cutover may go ahead."
  default     = 5
}

variable "max_inconsistent_rows" {
  type        = number
  description = "Most rows that DTS's full data verification may find inconsistent for the cutover to go ahead."
  default     = 0
}

# 1. Synchronization has caught up: the job and each of its sub-jobs (the
#    shards of a distributed job, the sub-job that initializes objects added
#    to it) are Catched within the delay. include_sub_jobs = true makes the
#    wait cover the sub-jobs, and fail at once if one of them fails.
data "dts_job_status" "replication" {
  dts_job_id       = var.dts_job_id
  job_type         = var.job_type
  include_sub_jobs = true

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

# 2. DTS's own full data verification has finished, with no more inconsistent
#    rows than allowed. It fails at once if verification is not configured for
#    the job, fails, or finishes with more rows, naming the tables.
data "dts_data_check" "verification" {
  dts_job_id = var.dts_job_id
  job_type   = var.job_type
  check_type = "full"

  wait_for {
    status                = ["Finished"]
    max_inconsistent_rows = var.max_inconsistent_rows
    poll_interval         = "1m"
  }

  timeouts {
    read = "6h"
  }
}

locals {
  # Sub-jobs that hold the gate: every one with an incremental stage must have
  # caught up. A sub-job without one (still initializing) does not hold it.
  lagging_sub_jobs = [
    for s in coalesce(data.dts_job_status.replication.sub_jobs, []) :
    "${s.dts_job_id} (${try(s.data_synchronization_status.status, "no status")}, delay ${try("${s.delay} s", "not reported")})"
    if s.data_synchronization_status != null && !try(
      s.data_synchronization_status.status == "Catched" && s.delay <= var.max_cutover_delay_seconds,
      false,
    )
  ]

  # Tables where source and destination differ, with how many rows: counts
  # only, the rows themselves are never read.
  inconsistent_tables = [
    for t in data.dts_data_check.verification.tables :
    "${t.source_database}.${t.source_table} (${t.inconsistent_rows})" if coalesce(t.inconsistent_rows, 0) > 0
  ]
}

# 3. The gate: the cutover stands for whatever switches the application over
#    to the destination. Each precondition holds it back on its own, so the
#    cutover stays safe if someone later loosens or removes a wait_for.
resource "terraform_data" "cutover" {
  input = {
    destination_instance_id = data.dts_job_status.replication.destination_endpoint.instance_id
    verified_tables         = data.dts_data_check.verification.total_tables
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

    precondition {
      condition     = data.dts_job_status.replication.sub_jobs != null && length(local.lagging_sub_jobs) == 0
      error_message = "Sub-jobs of DTS job ${var.dts_job_id} have not caught up: ${join("; ", local.lagging_sub_jobs)}."
    }

    precondition {
      condition = try(
        data.dts_data_check.verification.status == "Finished" &&
        data.dts_data_check.verification.inconsistent_rows <= var.max_inconsistent_rows,
        false,
      )
      error_message = "DTS's full data verification of job ${var.dts_job_id} is ${coalesce(data.dts_data_check.verification.status, "not reported")} with ${coalesce(tostring(data.dts_data_check.verification.inconsistent_rows), "uncounted")} inconsistent rows (at most ${var.max_inconsistent_rows} allowed)${length(local.inconsistent_tables) > 0 ? ": ${join(", ", local.inconsistent_tables)}" : ""}."
    }
  }
}

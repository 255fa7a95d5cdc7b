terraform {
  # check blocks need Terraform 1.5 or later.
  required_version = ">= 1.5.0"

  required_providers {
    dts = {
      source = "openmigrate/dts"
    }
  }
}

variable "cutover_tag" {
  type        = string
  description = "Value of the cutover tag that every DTS job of this cutover carries, one job per database."
  default     = "orders"
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

# 1. The wait, over every job at once: each poll lists the jobs tagged for the
#    cutover, 30 a page, and the plan blocks until every one of them has
#    caught up. It fails at once, naming the job, when one job fails, and when
#    no job carries the tag (a mistyped tag must not open the gate).
data "dts_jobs" "cutover" {
  job_type = "synchronization"
  tags = {
    cutover = var.cutover_tag
  }

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

# 2. The gate: the precondition reads the same listing, so the cutover stays
#    safe if someone later loosens or removes wait_for.
resource "terraform_data" "cutover" {
  input = sort(data.dts_jobs.cutover.ids)

  lifecycle {
    precondition {
      condition = length(data.dts_jobs.cutover.jobs) > 0 && alltrue([
        for job in data.dts_jobs.cutover.jobs :
        try(job.data_synchronization_status.status == "Catched" && job.delay <= var.max_cutover_delay_seconds, false)
      ])
      error_message = "Not every DTS job tagged cutover=${var.cutover_tag} has caught up to within ${var.max_cutover_delay_seconds} s; cutting over now would lose writes."
    }
  }
}

# 3. The watch: one listing without waiting, which warns, but never fails,
#    when any job of the cutover falls behind.
check "cutover_keeps_up" {
  data "dts_jobs" "now" {
    job_type = "synchronization"
    tags = {
      cutover = var.cutover_tag
    }
  }

  assert {
    condition = alltrue([
      for job in data.dts_jobs.now.jobs : try(job.delay <= var.max_lag_warning_seconds, false)
    ])
    error_message = "DTS jobs tagged cutover=${var.cutover_tag} more than ${var.max_lag_warning_seconds} s behind: ${join(", ", [
      for job in data.dts_jobs.now.jobs : "${job.job_name} (${try("${job.delay} s", "no delay reported")})"
      if !try(job.delay <= var.max_lag_warning_seconds, false)
    ])}."
  }
}

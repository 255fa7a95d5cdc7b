# Tests the gate of main.tf without an account and without a DTS job:
# override_data replaces each data source's read with the values below, so the
# provider makes no request (Terraform 1.7 or later; OpenTofu 1.8 or later).
# Run it with `terraform test`. Attributes left out of a value get a value of
# Terraform's choosing (an empty list for tables and sub_jobs): write null
# where a test means null. The lists' elements cannot be set here yet
# (Terraform issue 38369, nested list attributes), so the tests drive the
# gate through the attributes it decides on.

variables {
  dts_job_id = "r2d7k9m4x8c****"
}

# By default: the job and its sub-jobs caught up, the verification clean.
override_data {
  target = data.dts_job_status.replication
  values = {
    delay                       = 1
    data_synchronization_status = { status = "Catched" }
    destination_endpoint        = { instance_id = "pc-bp1x8k2m9z****" }
  }
}

override_data {
  target = data.dts_data_check.verification
  values = {
    status            = "Finished"
    total_tables      = 4
    inconsistent_rows = 0
  }
}

run "clean_verification_allows_the_cutover" {
  command = plan

  assert {
    condition     = terraform_data.cutover.input.verified_tables == 4
    error_message = "The cutover should be planned, with the verification's tables."
  }
}

run "inconsistent_rows_block_the_cutover" {
  command = plan

  override_data {
    target = data.dts_data_check.verification
    values = {
      status            = "Finished"
      total_tables      = 4
      inconsistent_rows = 3
    }
  }

  expect_failures = [terraform_data.cutover]
}

run "rows_within_the_bound_allow_the_cutover" {
  command = plan

  variables {
    max_inconsistent_rows = 3
  }

  override_data {
    target = data.dts_data_check.verification
    values = {
      status            = "Finished"
      total_tables      = 4
      inconsistent_rows = 3
    }
  }
}

run "uncounted_rows_block_the_cutover" {
  command = plan

  # inconsistent_rows is null when not every table's rows could be counted.
  override_data {
    target = data.dts_data_check.verification
    values = {
      status            = "Finished"
      inconsistent_rows = null
    }
  }

  expect_failures = [terraform_data.cutover]
}

run "unfinished_verification_blocks_the_cutover" {
  command = plan

  override_data {
    target = data.dts_data_check.verification
    values = {
      status            = "Checking"
      inconsistent_rows = 0
    }
  }

  expect_failures = [terraform_data.cutover]
}

run "a_lagging_job_blocks_the_cutover" {
  command = plan

  override_data {
    target = data.dts_job_status.replication
    values = {
      delay                       = 90
      data_synchronization_status = { status = "Migrating" }
      destination_endpoint        = { instance_id = "pc-bp1x8k2m9z****" }
    }
  }

  expect_failures = [terraform_data.cutover]
}

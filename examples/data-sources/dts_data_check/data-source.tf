# Reads the results of a migration job's full data verification once, on
# every plan: one DescribeDtsJobs call for the verification's status, then
# DescribeDataCheckTableDetails page by page (20 tables a page). A read
# without wait_for never fails because verification is off or unfinished:
# enabled is false, or status says how far it got.
data "dts_data_check" "full" {
  dts_job_id = "i03e3zty16i****"
  job_type   = "migration"
  check_type = "full"
}

output "verification" {
  value = {
    enabled             = data.dts_data_check.full.enabled
    status              = data.dts_data_check.full.status
    percent             = data.dts_data_check.full.percent
    total_tables        = data.dts_data_check.full.total_tables
    inconsistent_tables = data.dts_data_check.full.inconsistent_tables
    inconsistent_rows   = data.dts_data_check.full.inconsistent_rows
  }
}

# The tables where source and destination differ, with how many rows differ:
# counts only. The rows themselves are never read (they are your data, and do
# not belong in Terraform state): look at them in the DTS console.
output "inconsistent_tables" {
  value = {
    for t in data.dts_data_check.full.tables :
    "${t.source_database}.${t.source_table}" => t.inconsistent_rows if coalesce(t.inconsistent_rows, 0) > 0
  }
}

# Tables whose verification failed, with the documented reason.
output "failed_tables" {
  value = [
    for t in data.dts_data_check.full.tables :
    "${t.source_database}.${t.source_table}: ${coalesce(t.error, try("error code ${t.error_code}", "no reason given"))}" if t.status == "failed"
  ]
}

# Current API: the service matches the name loosely, name_regex then keeps
# the exact name; job_type defaults to migration.
data "dts_jobs" "orders" {
  job_type   = "synchronization"
  name       = "orders"
  name_regex = "^orders-to-polardb$"
  tags = {
    team = "payments"
  }
}

# Then read (or wait for) the one job found.
data "dts_job_status" "orders" {
  dts_job_id = one(data.dts_jobs.orders.ids)
  job_type   = "synchronization"
}

# Legacy migration jobs still running or done.
data "dts_migration_jobs" "orders" {
  name   = "orders"
  status = ["Migrating", "Finished"]
}

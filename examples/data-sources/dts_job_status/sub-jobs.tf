# Waits until a distributed synchronization job (one sub-job per shard of a
# PolarDB-X 1.0 source) has caught up on every shard. The job itself can read
# Catched while one shard lags, so include_sub_jobs reads each shard too, with
# one more request per read and per poll (DescribeDtsJobDetail), and the wait
# needs every shard at Catched within 5 seconds. A failed shard ends the wait
# at once, naming it. A job whose tables are being changed (Modifying) holds
# the wait too, with or without include_sub_jobs.
data "dts_job_status" "all_shards" {
  dts_job_id       = "k2q7m1x9c4b****"
  job_type         = "synchronization"
  include_sub_jobs = true

  wait_for {
    stage             = "data_synchronization"
    status            = ["Catched"]
    max_delay_seconds = 5
    poll_interval     = "30s"
  }

  timeouts {
    read = "1h"
  }
}

# sub_jobs is null without include_sub_jobs, and an empty list for a job that
# has no sub-jobs.
output "shards" {
  value = {
    for s in data.dts_job_status.all_shards.sub_jobs : s.dts_job_id => {
      kind   = s.kind # "distributed" for a shard, "sync" for new tables
      status = try(s.data_synchronization_status.status, null)
      delay  = s.delay # seconds, rounded up from the API's milliseconds
    }
  }
}

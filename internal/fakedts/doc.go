// Package fakedts is a fake of Alibaba Cloud's DTS RPC endpoint (DescribeMigrationJobStatus,
// DescribeMigrationJobs and DescribeDtsJobs) and of STS AssumeRole, for tests and demos. One gateway
// checks every request the way the real one does — common parameters, access keys, timestamps,
// nonces, security tokens and signature V1, verified by its own code so that a client signing
// wrongly fails instead of agreeing with itself — then applies rate limits and injected faults, and
// hands the request to its action's handler. Handlers answer from scripted job timelines: legacy
// jobs (Job, State) and current-API jobs (DtsJob, DtsState), each moving only when an answer
// includes it; a Fleet is many of either, tagged alike, each on a timeline of its own.
package fakedts

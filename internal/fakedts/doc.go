// Package fakedts is a fake of Alibaba Cloud's DTS RPC endpoint (DescribeMigrationJobStatus) and of
// STS AssumeRole, for tests and demos. It checks requests the way the real gateway does — common
// parameters, access keys, timestamps, nonces, security tokens and signature V1, verified by its own
// code so that a client signing wrongly fails instead of agreeing with itself — and answers with
// scripted job timelines and injected faults.
package fakedts

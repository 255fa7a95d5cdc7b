package dtsapi

import "context"

// DescribeMigrationJobStatusRequest holds the parameters of one DescribeMigrationJobStatus call
// (legacy API). Empty strings are not sent.
type DescribeMigrationJobStatusRequest struct {
	MigrationJobID string
	// RegionID overrides the client's region when set.
	RegionID    string
	ClientToken string
	// AccountID is accepted by the API but documented as going away.
	AccountID string
}

// MigrationJobStatus is the DescribeMigrationJobStatus answer. Every leaf tells a missing or empty
// value from a zero one, and keeps a value it could not parse in its Bad field.
type MigrationJobStatus struct {
	Envelope
	MigrationJobHeader
	// MigrationJobID is MigrationJobId here, MigrationJobID in DescribeMigrationJobs.
	MigrationJobID                String                            `json:"MigrationJobId"`
	TaskID                        String                            `json:"TaskId"`
	PrecheckStatus                Object[MigrationPrecheck]         `json:"PrecheckStatus"`
	StructureInitializationStatus Object[InitializationStatus]      `json:"StructureInitializationStatus"`
	DataInitializationStatus      Object[InitializationStatus]      `json:"DataInitializationStatus"`
	DataSynchronizationStatus     Object[DataSynchronizationStatus] `json:"DataSynchronizationStatus"`
}

// MigrationJobHeader is what both legacy calls say of a job under the same keys: DescribeMigrationJobs
// of each job it lists, DescribeMigrationJobStatus of the job it reads.
type MigrationJobHeader struct {
	MigrationJobStatus String `json:"MigrationJobStatus"`
	MigrationJobName   String `json:"MigrationJobName"`
	MigrationJobClass  String `json:"MigrationJobClass"`
	PayType            String `json:"PayType"`
	// MigrationObject is JSON text describing the migrated objects: the status call sends a string
	// holding it, DescribeMigrationJobs an object, kept as its compact text.
	MigrationObject     JSONText              `json:"MigrationObject"`
	MigrationMode       Object[MigrationMode] `json:"MigrationMode"`
	SourceEndpoint      Object[Endpoint]      `json:"SourceEndpoint"`
	DestinationEndpoint Object[Endpoint]      `json:"DestinationEndpoint"`
}

// MigrationPrecheck is a legacy job's precheck: PrecheckStatus in the status call, with its items,
// and Precheck in DescribeMigrationJobs, without them.
type MigrationPrecheck struct {
	Status  String `json:"Status"`
	Percent Int    `json:"Percent"`
	// Detail is Detail.CheckItem on the wire.
	Detail List[MigrationCheckItem] `json:"Detail"`
}

// MigrationCheckItem is one item of a legacy precheck.
type MigrationCheckItem struct {
	CheckStatus  String `json:"CheckStatus"`
	ItemName     String `json:"ItemName"`
	ErrorMessage String `json:"ErrorMessage"`
	RepairMethod String `json:"RepairMethod"`
}

func (MigrationCheckItem) listKey() string { return "CheckItem" }

// InitializationStatus is a legacy job's schema migration (Progress counts tables) or full data
// migration (Progress counts records). DescribeMigrationJobs spells the status key "status".
type InitializationStatus struct {
	Status       String `json:"Status"`
	Percent      Int    `json:"Percent"`
	Progress     Int    `json:"Progress"`
	ErrorMessage String `json:"ErrorMessage"`
}

// DataSynchronizationStatus is a legacy job's incremental migration.
type DataSynchronizationStatus struct {
	Status  String `json:"Status"`
	Percent Int    `json:"Percent"`
	// Delay is the replication latency in seconds.
	Delay Int `json:"Delay"`
	// Checkpoint is the Unix time, in seconds, of the latest change applied.
	Checkpoint   Int    `json:"Checkpoint"`
	ErrorMessage String `json:"ErrorMessage"`
}

// DescribeMigrationJobStatus reads the status of a legacy data migration job. A failed call returns
// a *Error.
func (c *Client) DescribeMigrationJobStatus(ctx context.Context, req DescribeMigrationJobStatusRequest) (*MigrationJobStatus, error) {
	if req.MigrationJobID == "" {
		return nil, &Error{Code: "MissingParameter", Message: "MigrationJobId is required"}
	}
	p := c.params("DescribeMigrationJobStatus", req.RegionID, "RegionId")
	p.add("MigrationJobId", req.MigrationJobID)
	p.add("ClientToken", req.ClientToken)
	p.add("AccountId", req.AccountID)
	return call[MigrationJobStatus](ctx, c, p)
}

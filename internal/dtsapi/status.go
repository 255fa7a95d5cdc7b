package dtsapi

// DescribeMigrationJobStatusRequest holds the parameters of one DescribeMigrationJobStatus call.
// Empty strings are not sent.
type DescribeMigrationJobStatusRequest struct {
	MigrationJobID string
	// RegionID overrides the client's region when set.
	RegionID    string
	ClientToken string
	// AccountID is accepted by the API but documented as going away.
	AccountID string
}

// MigrationJobStatus is the decoded DescribeMigrationJobStatus response. Every field is nil when the
// response leaves it out or sends it empty, so callers can tell "absent" from a zero value.
type MigrationJobStatus struct {
	RequestID          *string
	MigrationJobID     *string
	TaskID             *string
	MigrationJobName   *string
	MigrationJobClass  *string
	MigrationJobStatus *string
	PayType            *string
	// MigrationObject is the raw JSON text describing the migrated objects.
	MigrationObject *string

	MigrationMode                 *MigrationMode
	PrecheckStatus                *PrecheckStatus
	StructureInitializationStatus *InitializationStatus
	DataInitializationStatus      *InitializationStatus
	DataSynchronizationStatus     *DataSynchronizationStatus
	SourceEndpoint                *Endpoint
	DestinationEndpoint           *Endpoint

	// Warnings lists the fields whose values could not be parsed; those fields are nil.
	Warnings []DecodeWarning
}

// MigrationMode says which migration types the job performs.
type MigrationMode struct {
	StructureInitialization *bool
	DataInitialization      *bool
	DataSynchronization     *bool
}

// PrecheckStatus is the state of the precheck and its items.
type PrecheckStatus struct {
	Status  *string
	Percent *int64
	// Detail is nil when the response has no Detail, and empty (not nil) when it lists no items.
	Detail []CheckItem
}

// CheckItem is one precheck item.
type CheckItem struct {
	CheckStatus  *string
	ItemName     *string
	ErrorMessage *string
	RepairMethod *string
}

// InitializationStatus is the state of schema migration (Progress counts tables) or of full data
// migration (Progress counts records).
type InitializationStatus struct {
	Status       *string
	Percent      *int64
	Progress     *int64
	ErrorMessage *string
}

// DataSynchronizationStatus is the state of incremental data migration.
type DataSynchronizationStatus struct {
	Status  *string
	Percent *int64
	// Delay is the replication latency in seconds.
	Delay *int64
	// Checkpoint is the Unix time, in seconds, of the latest change applied.
	Checkpoint   *int64
	ErrorMessage *string
}

// Endpoint is the connection settings of the source or destination database.
type Endpoint struct {
	DatabaseName *string
	EngineName   *string
	IP           *string
	InstanceID   *string
	InstanceType *string
	Port         *int64
	UserName     *string
	OracleSID    *string
}

// DecodeWarning reports a response field whose value could not be parsed as the documented type.
type DecodeWarning struct {
	// Field is the path of the field in the response, such as "DataSynchronizationStatus.Delay"
	// or "PrecheckStatus.Detail.CheckItem[2].CheckStatus".
	Field string
	// Raw is the value as it was sent, truncated to a readable length.
	Raw string
	// Want names the expected type: "integer", "boolean", "string", "object" or "list".
	Want string
}

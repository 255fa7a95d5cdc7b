package dtsapi

import (
	"context"
	"slices"
	"strconv"
)

// MigrationJobsPageSize is the page size every version of DescribeMigrationJobs' documentation accepts.
const MigrationJobsPageSize = 30

// DescribeMigrationJobsRequest holds the parameters of one DescribeMigrationJobs call (legacy API).
type DescribeMigrationJobsRequest struct {
	// RegionID is sent as RegionId; the client's region when empty.
	RegionID string
	// Name is sent as MigrationJobName: the service's fuzzy match.
	Name string
	// Tags are sent as Tag.N.Key and Tag.N.Value, in key order.
	Tags map[string]string
	// PageSize and PageNum default to MigrationJobsPageSize and 1.
	PageSize int
	PageNum  int
}

// MigrationJobs is one page of DescribeMigrationJobs.
type MigrationJobs struct {
	Envelope
	// MigrationJobs is MigrationJobs.MigrationJob on the wire.
	MigrationJobs    List[MigrationJob] `json:"MigrationJobs"`
	PageNumber       Int                `json:"PageNumber"`
	PageRecordCount  Int                `json:"PageRecordCount"`
	TotalRecordCount Int                `json:"TotalRecordCount"`
}

// MigrationJob is one legacy migration job as DescribeMigrationJobs lists it.
type MigrationJob struct {
	MigrationJobHeader
	MigrationJobID          String                            `json:"MigrationJobID"`
	InstanceCreateTime      String                            `json:"InstanceCreateTime"`
	JobCreateTime           String                            `json:"JobCreateTime"`
	Precheck                Object[MigrationPrecheck]         `json:"Precheck"`
	StructureInitialization Object[InitializationStatus]      `json:"StructureInitialization"`
	DataInitialization      Object[InitializationStatus]      `json:"DataInitialization"`
	DataSynchronization     Object[DataSynchronizationStatus] `json:"DataSynchronization"`
	// Tags is Tags.Tag on the wire.
	Tags List[MigrationTag] `json:"Tags"`
}

func (MigrationJob) listKey() string { return "MigrationJob" }

// MigrationTag is one tag of a legacy job.
type MigrationTag struct {
	Key   String `json:"Key"`
	Value String `json:"Value"`
}

func (MigrationTag) listKey() string { return "Tag" }

// DescribeMigrationJobs reads one page of legacy migration jobs. A failed call returns a *Error.
func (c *Client) DescribeMigrationJobs(ctx context.Context, req DescribeMigrationJobsRequest) (*MigrationJobs, error) {
	p := c.params("DescribeMigrationJobs", req.RegionID, "RegionId")
	p.add("MigrationJobName", req.Name)
	keys := make([]string, 0, len(req.Tags))
	for k := range req.Tags {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for i, k := range keys {
		n := strconv.Itoa(i + 1)
		p.add("Tag."+n+".Key", k)
		p.add("Tag."+n+".Value", req.Tags[k])
	}
	p.add("PageSize", strconv.Itoa(orDefault(req.PageSize, MigrationJobsPageSize)))
	p.add("PageNum", strconv.Itoa(orDefault(req.PageNum, 1)))
	return call[MigrationJobs](ctx, c, p)
}

package dtsapi

import (
	"context"
	"errors"
	"fmt"
	"strconv"
)

// Check types of the data-verification calls: which verification of a job to report on.
const (
	CheckTypeFull        = 1
	CheckTypeIncremental = 2
)

// DataCheckPageSize is how many tables the provider asks for per page of
// DescribeDataCheckTableDetails; the call documents no default or maximum.
const DataCheckPageSize = 20

// MaxDataCheckPages bounds the reading of one verification's tables: 5,000 tables at 20 a page.
const MaxDataCheckPages = 250

// Verification states of one table, as TableDetails[].Status sends them (a digit in a string).
const (
	TableCheckFinished     = "0"
	TableCheckInitializing = "2"
	TableCheckRunning      = "3"
	TableCheckFailed       = "5"
)

// tableCheckStates names the documented table states.
var tableCheckStates = map[string]string{
	TableCheckFinished:     "finished",
	TableCheckInitializing: "initializing",
	TableCheckRunning:      "running",
	TableCheckFailed:       "failed",
}

// TableCheckState names a table's documented verification state ("finished", "initializing",
// "running", "failed"); any other code is returned as sent.
func TableCheckState(code string) string {
	if name, ok := tableCheckStates[code]; ok {
		return name
	}
	return code
}

// tableCheckErrors are the documented meanings of TableDetails[].ErrorCode.
var tableCheckErrors = map[int64]string{
	1: "too many tables without a primary key",
	2: "more than 300 inconsistent rows were found",
	3: "a table to verify does not exist",
	4: "the verification SQL has a syntax error",
}

// TableCheckError is the documented meaning of a table's ErrorCode; ok is false for a code the
// documentation does not list (0 among them: no code for "no error" is documented).
func TableCheckError(code int64) (meaning string, ok bool) {
	meaning, ok = tableCheckErrors[code]
	return meaning, ok
}

// DescribeDataCheckTableDetailsRequest asks for one page of a verification's per-table results.
// The call takes no region: the endpoint of the job's region answers it.
type DescribeDataCheckTableDetailsRequest struct {
	// DtsJobID is the migration or synchronization job's ID.
	DtsJobID string
	// CheckType is CheckTypeFull or CheckTypeIncremental.
	CheckType int
	// PageSize and PageNumber default to DataCheckPageSize and 1.
	PageSize   int
	PageNumber int
}

// DataCheckTableDetails is one page of DescribeDataCheckTableDetails. Its counts cover the whole
// verification, not the page.
type DataCheckTableDetails struct {
	Envelope
	// DynamicCode is an extra error code, such as 403, that the service is dropping.
	DynamicCode String `json:"DynamicCode"`
	PageNumber  Int    `json:"PageNumber"`
	// TotalCount counts tables: the paging total.
	TotalCount Int `json:"TotalCount"`
	// DiffTableCount counts the tables with inconsistent rows.
	DiffTableCount Int `json:"DiffTableCount"`
	// FailedTableCount counts, by its name, the tables whose verification failed (the SDK's comment
	// says rows: an inference, see the fact sheet).
	FailedTableCount Int `json:"FailedTableCount"`
	// FinishedCount counts rows verified so far, all tables together.
	FinishedCount Int                  `json:"FinishedCount"`
	TableDetails  List[DataCheckTable] `json:"TableDetails"`
}

// DataCheckTable is one table of a verification. Its counts are rows.
type DataCheckTable struct {
	// ID is the result record's key.
	ID           Int    `json:"Id"`
	SourceDbName String `json:"SourceDbName"`
	SourceTbName String `json:"SourceTbName"`
	TargetDbName String `json:"TargetDbName"`
	TargetTbName String `json:"TargetTbName"`
	// TotalCount is the rows to verify; FinishCount those verified so far; DiffCount those that differ.
	TotalCount  Int `json:"TotalCount"`
	FinishCount Int `json:"FinishCount"`
	DiffCount   Int `json:"DiffCount"`
	// Status is the table's state, a digit (see TableCheckState).
	Status String `json:"Status"`
	// ErrorCode says why the table's verification failed (see TableCheckError).
	ErrorCode Int `json:"ErrorCode"`
	// BootTime is when the verification ran, as sent: yyyy-MM-dd HH:mm:ss, no zone.
	BootTime String `json:"BootTime"`
}

func (DataCheckTable) listKey() string { return "TableDetail" }

// Name is the table as `database.table` on the source side, for messages.
func (t *DataCheckTable) Name() string { return t.SourceDbName.Val + "." + t.SourceTbName.Val }

// DescribeDataCheckTableDetails reads one page of a verification's tables. A failed call returns a
// *Error.
func (c *Client) DescribeDataCheckTableDetails(ctx context.Context, req DescribeDataCheckTableDetailsRequest) (*DataCheckTableDetails, error) {
	if req.DtsJobID == "" {
		return nil, &Error{Code: "MissingParameter", Message: "DtsJobId is required"}
	}
	if req.CheckType != CheckTypeFull && req.CheckType != CheckTypeIncremental {
		return nil, &Error{Code: "InvalidParameter", Message: fmt.Sprintf("CheckType must be %d (full) or %d (incremental), got %d", CheckTypeFull, CheckTypeIncremental, req.CheckType)}
	}
	// No region parameter: the call has none (see the fact sheet).
	p := c.params("DescribeDataCheckTableDetails", "")
	p.add("DtsJobId", req.DtsJobID)
	p.add("CheckType", strconv.Itoa(req.CheckType))
	p.add("PageSize", strconv.Itoa(orDefault(req.PageSize, DataCheckPageSize)))
	p.add("PageNumber", strconv.Itoa(orDefault(req.PageNumber, 1)))
	return call[DataCheckTableDetails](ctx, c, p)
}

// DataCheckTables is every table of a verification, with the counts of the last page read.
type DataCheckTables struct {
	// Tables are the tables in the service's order, each once.
	Tables []DataCheckTable
	// Last is the last page read, for its counts (TotalCount, DiffTableCount, FailedTableCount,
	// FinishedCount); its TableDetails are in Tables.
	Last *DataCheckTableDetails
	// Pages is how many pages were read; RequestIDs are their request IDs, in order.
	Pages      int
	RequestIDs []string
}

// TooManyTablesError is a verification with more tables than MaxDataCheckPages pages hold.
type TooManyTablesError struct {
	// Tables is how many tables the service counts; Read how many the pages held.
	Tables, Read int64
	Pages        int
}

func (e *TooManyTablesError) Error() string {
	return fmt.Sprintf("the verification counts %d tables, more than the %d pages of %d tables that are read (%d tables were read)",
		e.Tables, e.Pages, DataCheckPageSize, e.Read)
}

// ListDataCheckTables reads every page of DescribeDataCheckTableDetails for the job's verification
// (req's page fields are ignored): pages 1, 2, ... of DataCheckPageSize until TotalCount tables are
// read or a page holds fewer, through the listings' pager. A page that fails after its retries is a
// *PageError; a verification past MaxDataCheckPages pages a *TooManyTablesError.
func (c *Client) ListDataCheckTables(ctx context.Context, req DescribeDataCheckTableDetailsRequest) (*DataCheckTables, error) {
	req.PageSize = DataCheckPageSize
	var last *DataCheckTableDetails
	l, err := listBy(ctx, pageRule{maxPages: MaxDataCheckPages, pageSize: DataCheckPageSize},
		func(ctx context.Context, n int) (page[DataCheckTable], error) {
			req.PageNumber = n
			p, err := c.DescribeDataCheckTableDetails(ctx, req)
			if err != nil {
				return page[DataCheckTable]{}, err
			}
			last = p
			return page[DataCheckTable]{items: p.TableDetails.Items, total: p.TotalCount, requestID: p.RequestID}, nil
		}, tableKey)
	if err != nil {
		var tooMany *TooManyPagesError
		if errors.As(err, &tooMany) {
			return nil, &TooManyTablesError{Tables: tooMany.Total, Read: tooMany.Read, Pages: tooMany.Pages}
		}
		return nil, err
	}
	last.TableDetails = List[DataCheckTable]{Present: last.TableDetails.Present}
	return &DataCheckTables{Tables: l.Items, Last: last, Pages: l.Pages, RequestIDs: l.RequestIDs}, nil
}

// tableKey keeps a table once when a later page repeats it: by its result record's key, else by its
// source and destination names.
func tableKey(t *DataCheckTable) string {
	if t.ID.Set {
		return "id:" + strconv.FormatInt(t.ID.Val, 10)
	}
	if !t.SourceDbName.Set && !t.SourceTbName.Set {
		return ""
	}
	return "name:" + strconv.Quote(t.SourceDbName.Val) + strconv.Quote(t.SourceTbName.Val) +
		strconv.Quote(t.TargetDbName.Val) + strconv.Quote(t.TargetTbName.Val)
}

// DataCheckRequest names a job's verification: the job, found as DescribeDtsJob finds it, and which
// verification.
type DataCheckRequest struct {
	Job DescribeDtsJobRequest
	// CheckType is CheckTypeFull or CheckTypeIncremental.
	CheckType int
}

// DataCheck is one reading of a job's verification: the job (for the verification stage's status,
// whether verification is configured, and the job's own state) and its tables.
type DataCheck struct {
	// Job is the job as DescribeDtsJobs lists it, and the answer it was found in.
	Job *DtsJobRead
	// CheckType is the verification read: CheckTypeFull or CheckTypeIncremental.
	CheckType int
	// Tables are the verification's tables; nil when the job has the verification switched off,
	// and the tables were not asked for.
	Tables *DataCheckTables
}

// Enabled is the job's MigrationMode flag for the verification (FullDataCheck or IncDataCheck).
func (d *DataCheck) Enabled() Bool {
	if d.Job == nil || d.Job.Job == nil {
		return Bool{}
	}
	m := d.Job.Job.MigrationMode.Get()
	if m == nil {
		return Bool{}
	}
	if d.CheckType == CheckTypeIncremental {
		return m.IncDataCheck
	}
	return m.FullDataCheck
}

// Stage is the job's verification stage object (FullDataCheckStatus or IncDataCheckStatus); nil when
// the job has none.
func (d *DataCheck) Stage() *StageStatus {
	if d.Job == nil || d.Job.Job == nil {
		return nil
	}
	if d.CheckType == CheckTypeIncremental {
		return d.Job.Job.IncDataCheckStatus.Get()
	}
	return d.Job.Job.FullDataCheckStatus.Get()
}

// DescribeDataCheck reads a job's verification: one DescribeDtsJobs call per job type asked, as
// DescribeDtsJob does, then every page of its tables, unless the job has the verification
// switched off. A job not found is a *NotFoundError.
func (c *Client) DescribeDataCheck(ctx context.Context, req DataCheckRequest) (*DataCheck, error) {
	if req.CheckType != CheckTypeFull && req.CheckType != CheckTypeIncremental {
		return nil, &Error{Code: "InvalidParameter", Message: fmt.Sprintf("CheckType must be %d (full) or %d (incremental), got %d", CheckTypeFull, CheckTypeIncremental, req.CheckType)}
	}
	job, err := c.DescribeDtsJob(ctx, req.Job)
	if err != nil {
		return nil, err
	}
	out := &DataCheck{Job: job, CheckType: req.CheckType}
	if on := out.Enabled(); on.Set && !on.Val {
		return out, nil
	}
	out.Tables, err = c.ListDataCheckTables(ctx, DescribeDataCheckTableDetailsRequest{DtsJobID: req.Job.DtsJobID, CheckType: req.CheckType})
	if err != nil {
		return nil, err
	}
	return out, nil
}

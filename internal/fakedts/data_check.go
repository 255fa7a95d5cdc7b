package fakedts

import (
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"time"
)

// The data-verification calls: DescribeDataCheckTableDetails answers from a verification timeline per
// job and check type; DescribeDataCheckTableDiffDetails answers with rows, so that a client that asked
// for them would get the user's data, and is counted, so that a test can prove it is never asked.

const (
	// ActionDescribeDataCheckTableDetails reports a job's full (CheckType 1) or incremental
	// (CheckType 2) data verification, table by table (SetDataCheck).
	//
	// DtsJobId and CheckType are required (400 MissingParameter); a CheckType other than 1 or 2
	// answers as the help page's example does, in DTS's shape with HTTP 200: ErrCode
	// InvalidParameter, ErrMessage "The Value of Input Parameter %s is not valid.", DynamicMessage
	// CheckType, DynamicCode 403. The call takes no region: RegionId is ignored. Filters: Status -1
	// (all, the default) or 6 (only tables with inconsistent rows), else InvalidParameter likewise;
	// SchemaName and TableName (exact, on the source side). PageSize 10, 20, 30, 50 or 100 (default
	// 10: the documentation states none) and PageNumber >= 1, else 400 InvalidParameter. A job the
	// fake knows (SetDtsJob) without a verification of that type answers no tables; any other job
	// answers InvalidJobId in DTS's shape (the documentation lists no error codes: an assumption).
	// The answer: RequestId, Success true, HttpStatusCode 200, PageNumber, TotalCount (tables
	// matching the filters), DiffTableCount, FailedTableCount, FinishedCount (rows verified, all
	// tables), TableDetails. No PageSize or page count, as documented.
	//
	// The timeline moves one request at each request for page 1; later pages answer from the step
	// that page 1 answered, as one reading sees one verification.
	ActionDescribeDataCheckTableDetails = "DescribeDataCheckTableDetails"
	// ActionDescribeDataCheckTableDiffDetails returns the inconsistent rows of one table (DbName,
	// TbName): invented values for every inconsistent row the verification reports for it. The
	// provider must never call it; DiffDetailsRequests counts the calls.
	ActionDescribeDataCheckTableDiffDetails = "DescribeDataCheckTableDiffDetails"
)

// Table states of TableDetails[].Status.
const (
	TableFinished     = "0"
	TableInitializing = "2"
	TableRunning      = "3"
	TableFailed       = "5"
)

// DataCheck is a job's full or incremental data verification: its timeline of per-table results.
type DataCheck struct {
	// Steps is the timeline; without steps the verification lists no tables.
	Steps []DataCheckStep
}

// DataCheckStep is the verification while the step lasts.
type DataCheckStep struct {
	// Tables are the tables verified, in the order listed.
	Tables []CheckedTable
	// Extra fields are set on every page's answer last, replacing the computed ones (a TotalCount
	// that counts more tables than are listed, odd wire values...).
	Extra map[string]any
	// Requests and Duration end the step, as for Step: Requests counts readings (page-1 requests).
	Requests int
	Duration time.Duration
}

// CheckedTable is one table of a verification.
type CheckedTable struct {
	// Database and Table name the source table; TargetDatabase and TargetTable the destination
	// table, the same names when empty.
	Database, Table             string
	TargetDatabase, TargetTable string
	// Rows is the rows to verify (TotalCount), Checked those verified so far (FinishCount),
	// Inconsistent those that differ (DiffCount).
	Rows, Checked, Inconsistent int64
	// Status is the state code; empty means TableFinished.
	Status string
	// ErrorCode, when not zero, is sent as ErrorCode (documented: 1 to 4).
	ErrorCode int64
	// BootTime is sent as is; empty means "2024-06-06 11:20:04".
	BootTime string
	// Extra fields are set on the table last, replacing any of the same name.
	Extra map[string]any
}

// dataCheckKey names one verification.
type dataCheckKey struct {
	jobID     string
	checkType int
}

// dataCheckState is a verification and where its timeline is.
type dataCheckState struct {
	tl timeline
	// current is the step the last page-1 request answered from.
	current Step
	read    bool
}

// SetDataCheck defines the job's verification of checkType (1 full, 2 incremental), replacing any
// previous one and restarting its timeline.
func (s *Server) SetDataCheck(jobID string, checkType int, dc DataCheck) {
	steps := make([]Step, len(dc.Steps))
	for i, st := range dc.Steps {
		st.Tables = slices.Clone(st.Tables)
		st.Extra = maps.Clone(st.Extra)
		steps[i] = Step{Body: st, Requests: st.Requests, Duration: st.Duration}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.dataChecks == nil {
		s.dataChecks = make(map[dataCheckKey]*dataCheckState)
	}
	s.dataChecks[dataCheckKey{jobID, checkType}] = &dataCheckState{tl: timeline{steps: steps}}
}

// DiffDetailsRequests counts the DescribeDataCheckTableDiffDetails requests received, failed ones
// included.
func (s *Server) DiffDetailsRequests() int {
	return len(s.RequestsFor(ActionDescribeDataCheckTableDiffDetails))
}

// dataCheckStep returns the verification's step for a request: page 1 moves the timeline, later
// pages read the step page 1 answered. known is false for a job the fake does not know at all.
func (s *Server) dataCheckStep(jobID string, checkType, page int, now time.Time) (st DataCheckStep, known bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	dc, ok := s.dataChecks[dataCheckKey{jobID, checkType}]
	if !ok {
		_, job := s.dtsJobs[jobID]
		return DataCheckStep{}, job
	}
	if page == 1 || !dc.read {
		dc.current, _ = dc.tl.advance(now)
		dc.read = true
	}
	st, _ = dc.current.Body.(DataCheckStep)
	return st, true
}

// checkTypeOf reads CheckType, answering as the service does and returning false when it is missing
// or not 1 or 2.
func checkTypeOf(x *exchange) (int, bool) {
	raw := x.params.Get("CheckType")
	if raw == "" {
		x.gatewayError(http.StatusBadRequest, "MissingParameter", "CheckType is mandatory for this action.")
		return 0, false
	}
	n, err := strconv.Atoi(raw)
	if err != nil || (n != 1 && n != 2) {
		x.invalidInput("CheckType")
		return 0, false
	}
	return n, true
}

// invalidInput answers the documented error for a parameter value the call does not take.
func (x *exchange) invalidInput(name string) {
	x.write(http.StatusOK, marshalJSON(map[string]any{
		"RequestId": x.requestID, "Success": false, "HttpStatusCode": http.StatusOK,
		"ErrCode": "InvalidParameter", "ErrMessage": "The Value of Input Parameter %s is not valid.",
		"DynamicMessage": name, "DynamicCode": "403",
	}), "InvalidParameter")
}

// describeDataCheckTableDetails answers an authenticated DescribeDataCheckTableDetails call, as its
// Action constant describes.
func (s *Server) describeDataCheckTableDetails(x *exchange) {
	p := x.params
	jobID := p.Get("DtsJobId")
	if jobID == "" {
		x.gatewayError(http.StatusBadRequest, "MissingParameter", "DtsJobId is mandatory for this action.")
		return
	}
	checkType, ok := checkTypeOf(x)
	if !ok {
		return
	}
	onlyInconsistent := false
	switch p.Get("Status") {
	case "", "-1":
	case "6":
		onlyInconsistent = true
	default:
		x.invalidInput("Status")
		return
	}
	page, ok := parsePaging(x, "PageNumber", 10)
	if !ok {
		return
	}
	st, known := s.dataCheckStep(jobID, checkType, page.number, s.clock())
	if !known {
		x.dtsError(http.StatusOK, "InvalidJobId", "The specified job does not exist.")
		return
	}
	schema, table := p.Get("SchemaName"), p.Get("TableName")
	var matched []CheckedTable
	var diffTables, failedTables, rowsChecked int64
	for _, t := range st.Tables {
		if (schema != "" && t.Database != schema) || (table != "" && t.Table != table) || (onlyInconsistent && t.Inconsistent == 0) {
			continue
		}
		matched = append(matched, t)
		rowsChecked += t.Checked
		if t.Inconsistent > 0 {
			diffTables++
		}
		if t.Status == TableFailed {
			failedTables++
		}
	}
	lo, hi := page.bounds(len(matched))
	details := make([]map[string]any, 0, hi-lo)
	for i, t := range matched[lo:hi] {
		details = append(details, t.render(int64(1717651200000101+lo+i)))
	}
	answer := map[string]any{
		"RequestId": x.requestID, "Success": true, "HttpStatusCode": http.StatusOK,
		"PageNumber": page.number, "TotalCount": len(matched), "DiffTableCount": diffTables,
		"FailedTableCount": failedTables, "FinishedCount": rowsChecked, "TableDetails": details,
	}
	maps.Copy(answer, st.Extra)
	x.write(http.StatusOK, marshalJSON(answer), "")
}

// render returns the table's TableDetails entry with the SDK's wire types: numbers as JSON numbers,
// Status a digit in a string.
func (t CheckedTable) render(id int64) map[string]any {
	m := map[string]any{
		"Id":           id,
		"SourceDbName": t.Database,
		"SourceTbName": t.Table,
		"TargetDbName": orDefault(t.TargetDatabase, t.Database),
		"TargetTbName": orDefault(t.TargetTable, t.Table),
		"TotalCount":   t.Rows,
		"FinishCount":  t.Checked,
		"DiffCount":    t.Inconsistent,
		"Status":       orDefault(t.Status, TableFinished),
		"BootTime":     orDefault(t.BootTime, "2024-06-06 11:20:04"),
	}
	if t.ErrorCode != 0 {
		m["ErrorCode"] = t.ErrorCode
	}
	maps.Copy(m, t.Extra)
	return m
}

// describeDataCheckTableDiffDetails answers DescribeDataCheckTableDiffDetails with an invented row for
// each inconsistent row of the table, at the verification's current step.
func (s *Server) describeDataCheckTableDiffDetails(x *exchange) {
	p := x.params
	jobID, db, tb := p.Get("DtsJobId"), p.Get("DbName"), p.Get("TbName")
	for _, name := range []string{"DtsJobId", "DbName", "TbName"} {
		if p.Get(name) == "" {
			x.gatewayError(http.StatusBadRequest, "MissingParameter", name+" is mandatory for this action.")
			return
		}
	}
	checkType, ok := checkTypeOf(x)
	if !ok {
		return
	}
	s.mu.Lock()
	var st DataCheckStep
	if dc, ok := s.dataChecks[dataCheckKey{jobID, checkType}]; ok && dc.read {
		st, _ = dc.current.Body.(DataCheckStep)
	}
	s.mu.Unlock()
	var diffs []map[string]any
	for _, t := range st.Tables {
		if t.Database != db || t.Table != tb {
			continue
		}
		for i := range t.Inconsistent {
			diffs = append(diffs, map[string]any{
				"Id": 130581001 + i, "GmtCreated": "2024-06-06T11:21:40.000+00:00",
				"Diff": fmt.Sprintf(`[{"column":"id","source":"%d","dest":"%d","isPrimary":true},{"column":"secret","source":"user data %d","dest":"USER DATA %d","isPrimary":false}]`, 88213+i, 88213+i, i, i),
			})
		}
	}
	x.write(http.StatusOK, marshalJSON(map[string]any{
		"RequestId": x.requestID, "Success": true, "HttpStatusCode": http.StatusOK, "InstanceId": "dts" + jobID,
		"DbName": db, "TbName": tb, "DiffCount": len(diffs), "DiffDetails": diffs,
	}), "")
}

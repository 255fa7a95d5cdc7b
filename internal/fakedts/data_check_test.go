package fakedts

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
)

func newDataCheckServer(t *testing.T) (*Server, *testClient) {
	t.Helper()
	s, c := newListingServer(t, ActionDescribeDataCheckTableDetails)
	s.SetDataCheckJobs("cn-hangzhou", 2)
	return s, c
}

// tablePage asks for one page of jobID's verification and fails unless it succeeds.
func tablePage(t *testing.T, c *testClient, jobID, checkType string, page int, extra ...string) map[string]any {
	t.Helper()
	p := map[string]string{"DtsJobId": jobID, "CheckType": checkType, "PageSize": "20", "PageNumber": fmt.Sprint(page)}
	for i := 0; i+1 < len(extra); i += 2 {
		p[extra[i]] = extra[i+1]
	}
	resp, body := c.call(http.MethodPost, p)
	if resp.StatusCode != http.StatusOK || body["Success"] != true {
		t.Fatalf("page %d: HTTP %d %v", page, resp.StatusCode, body)
	}
	return body
}

func tableNames(body map[string]any) []string {
	list, _ := body["TableDetails"].([]any)
	out := make([]string, 0, len(list))
	for _, it := range list {
		out = append(out, fmt.Sprintf("%v.%v", dig(it, "SourceDbName"), dig(it, "SourceTbName")))
	}
	return out
}

// details are the TableDetails of an answer, each an object.
func details(t *testing.T, body map[string]any) []map[string]any {
	t.Helper()
	list, ok := body["TableDetails"].([]any)
	if !ok {
		t.Fatalf("TableDetails is %T, want a list", body["TableDetails"])
	}
	out := make([]map[string]any, len(list))
	for i, it := range list {
		if out[i], ok = it.(map[string]any); !ok {
			t.Fatalf("TableDetails[%d] is %T, want an object", i, it)
		}
	}
	return out
}

// number is a JSON number of an answer.
func number(t *testing.T, m map[string]any, key string) float64 {
	t.Helper()
	n, ok := m[key].(float64)
	if !ok {
		t.Fatalf("%s is %#v, want a JSON number", key, m[key])
	}
	return n
}

func TestDataCheckPagesEveryTable(t *testing.T) {
	_, c := newDataCheckServer(t)
	var all []string
	for page := 1; page <= 3; page++ {
		body := tablePage(t, c, DataCheckCleanJobID, "1", page)
		if body["TotalCount"] != float64(DataCheckCleanTables) || body["PageNumber"] != float64(page) {
			t.Fatalf("page %d: TotalCount %v, PageNumber %v", page, body["TotalCount"], body["PageNumber"])
		}
		if _, ok := body["PageSize"]; ok {
			t.Errorf("the answer has a PageSize, which the call does not document")
		}
		all = append(all, tableNames(body)...)
	}
	want := make([]string, DataCheckCleanTables)
	for i := range want {
		want[i] = fmt.Sprintf("shop.t%03d", i)
	}
	if !slices.Equal(all, want) {
		t.Fatalf("tables over three pages: %v", all)
	}
}

func TestDataCheckWireTypesFollowTheSDK(t *testing.T) {
	_, c := newDataCheckServer(t)
	body := tablePage(t, c, DataCheckFailedJobID, "1", 1)
	first := details(t, body)[0]
	if _, ok := first["Status"].(string); !ok {
		t.Errorf("Status %#v, want a digit in a string", first["Status"])
	}
	for _, f := range []string{"Id", "TotalCount", "FinishCount", "DiffCount"} {
		if _, ok := first[f].(float64); !ok {
			t.Errorf("%s %#v, want a JSON number", f, first[f])
		}
	}
	if _, ok := first["ErrorCode"]; ok {
		t.Errorf("a table without error carries ErrorCode %v", first["ErrorCode"])
	}
	if first["BootTime"] != "2024-06-06 11:20:04" {
		t.Errorf("BootTime %v", first["BootTime"])
	}
}

func TestDataCheckFailedTablesCarryEachDocumentedErrorCode(t *testing.T) {
	_, c := newDataCheckServer(t)
	body := tablePage(t, c, DataCheckFailedJobID, "1", 1)
	var codes []float64
	for _, m := range details(t, body) {
		if m["Status"] == TableFailed {
			codes = append(codes, number(t, m, "ErrorCode"))
		}
	}
	if !slices.Equal(codes, []float64{1, 2, 3, 4}) || body["FailedTableCount"] != float64(4) {
		t.Fatalf("failed tables' codes %v, FailedTableCount %v; want 1 to 4 and 4", codes, body["FailedTableCount"])
	}
}

func TestDataCheckTimelineMovesOncePerReading(t *testing.T) {
	_, c := newDataCheckServer(t)
	running := func(body map[string]any) int {
		n := 0
		for _, m := range details(t, body) {
			if m["Status"] == TableRunning {
				n++
			}
		}
		return n
	}
	// Two readings of the Checking step (pages 1 to 3 each), then Finished.
	for reading := 1; reading <= 3; reading++ {
		var stillRunning int
		for page := 1; page <= 3; page++ {
			stillRunning += running(tablePage(t, c, DataCheckCleanJobID, "1", page))
		}
		want := DataCheckCleanTables - 20
		if reading == 3 {
			want = 0
		}
		if stillRunning != want {
			t.Errorf("reading %d: %d tables running, want %d", reading, stillRunning, want)
		}
	}
}

func TestDataCheckRowsAndFilters(t *testing.T) {
	_, c := newDataCheckServer(t)
	body := tablePage(t, c, DataCheckRowsJobID, "1", 1)
	if body["DiffTableCount"] != float64(12) || body["TotalCount"] != float64(DataCheckRowsTables) {
		t.Fatalf("DiffTableCount %v, TotalCount %v", body["DiffTableCount"], body["TotalCount"])
	}
	var sum float64
	for page := 1; page <= 2; page++ {
		for _, m := range details(t, tablePage(t, c, DataCheckRowsJobID, "1", page)) {
			sum += number(t, m, "DiffCount")
		}
	}
	if sum != DataCheckRowsInconsistent {
		t.Errorf("inconsistent rows %v, want %d", sum, DataCheckRowsInconsistent)
	}
	only := tablePage(t, c, DataCheckRowsJobID, "1", 1, "Status", "6")
	if n := len(tableNames(only)); n != 12 || only["TotalCount"] != float64(12) {
		t.Errorf("Status=6 lists %d tables (TotalCount %v), want the 12 inconsistent", n, only["TotalCount"])
	}
	one := tablePage(t, c, DataCheckRowsJobID, "1", 1, "SchemaName", "shop", "TableName", "t003")
	if got := tableNames(one); !slices.Equal(got, []string{"shop.t003"}) {
		t.Errorf("SchemaName/TableName: %v", got)
	}
}

func TestDataCheckIncrementalRowsClearAfterAStep(t *testing.T) {
	_, c := newDataCheckServer(t)
	var diffs []float64
	for range 3 {
		diffs = append(diffs, number(t, tablePage(t, c, DataCheckIncrementalJobID, "2", 1), "DiffTableCount"))
	}
	if !slices.Equal(diffs, []float64{1, 1, 0}) {
		t.Fatalf("DiffTableCount over three readings: %v, want 1, 1, 0", diffs)
	}
	// The incremental verification is not the full one: the full one was never defined.
	if full := tablePage(t, c, DataCheckIncrementalJobID, "1", 1); full["TotalCount"] != float64(0) {
		t.Errorf("the full verification of an incremental-only job lists %v tables", full["TotalCount"])
	}
}

func TestDataCheckRefusesBadRequests(t *testing.T) {
	_, c := newDataCheckServer(t)
	for _, tc := range []struct {
		name   string
		params map[string]string
		status int
		code   string
	}{
		{"no job", map[string]string{"CheckType": "1"}, http.StatusBadRequest, "MissingParameter"},
		{"no check type", map[string]string{"DtsJobId": DataCheckCleanJobID}, http.StatusBadRequest, "MissingParameter"},
		{"check type 3", map[string]string{"DtsJobId": DataCheckCleanJobID, "CheckType": "3"}, http.StatusOK, "InvalidParameter"},
		{"status 5", map[string]string{"DtsJobId": DataCheckCleanJobID, "CheckType": "1", "Status": "5"}, http.StatusOK, "InvalidParameter"},
		{"page size 7", map[string]string{"DtsJobId": DataCheckCleanJobID, "CheckType": "1", "PageSize": "7"}, http.StatusBadRequest, "InvalidParameter"},
		{"unknown job", map[string]string{"DtsJobId": "nosuchjob", "CheckType": "1"}, http.StatusOK, "InvalidJobId"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp, body := c.call(http.MethodPost, tc.params)
			code := body["Code"]
			if code == nil {
				code = body["ErrCode"]
			}
			if resp.StatusCode != tc.status || code != tc.code {
				t.Fatalf("HTTP %d %v, want HTTP %d %s", resp.StatusCode, body, tc.status, tc.code)
			}
			if tc.code == "InvalidParameter" && tc.status == http.StatusOK &&
				(body["Success"] != false || !strings.Contains(fmt.Sprint(body["ErrMessage"]), "%s") || body["DynamicMessage"] != "CheckType" && body["DynamicMessage"] != "Status") {
				t.Errorf("the documented shape has ErrMessage with %%s and DynamicMessage: %v", body)
			}
		})
	}
}

func TestDiffDetailsAreCounted(t *testing.T) {
	s, c := newDataCheckServer(t)
	tablePage(t, c, DataCheckRowsJobID, "1", 1)
	if n := s.DiffDetailsRequests(); n != 0 {
		t.Fatalf("%d DiffDetails requests before any", n)
	}
	c.action = ActionDescribeDataCheckTableDiffDetails
	resp, body := c.call(http.MethodPost, map[string]string{"DtsJobId": DataCheckRowsJobID, "CheckType": "1", "DbName": "shop", "TbName": "t023"})
	if resp.StatusCode != http.StatusOK || body["DiffCount"] != float64(12) {
		t.Fatalf("HTTP %d %v, want the 12 rows of shop.t023", resp.StatusCode, body)
	}
	if n := s.DiffDetailsRequests(); n != 1 {
		t.Fatalf("%d DiffDetails requests counted, want 1", n)
	}
}

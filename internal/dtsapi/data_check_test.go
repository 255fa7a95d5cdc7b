package dtsapi

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/openmigrate/terraform-provider-dts/internal/fakedts"
)

// TestDecodeDataCheckSample reads the fact sheet's sample: four tables, one with 3 inconsistent rows.
func TestDecodeDataCheckSample(t *testing.T) {
	got := decodeAs[DataCheckTableDetails](t, readSample(t, "data_check_sample.json"))
	counts := map[string]struct{ got, want Int }{
		"PageNumber":       {got.PageNumber, IntOf(1)},
		"TotalCount":       {got.TotalCount, IntOf(4)},
		"DiffTableCount":   {got.DiffTableCount, IntOf(1)},
		"FailedTableCount": {got.FailedTableCount, IntOf(0)},
		"FinishedCount":    {got.FinishedCount, IntOf(1091319)},
	}
	for name, c := range counts {
		if c.got != c.want {
			t.Errorf("%s = %+v, want %+v", name, c.got, c.want)
		}
	}
	if len(got.TableDetails.Items) != 4 {
		t.Fatalf("%d tables, want 4", len(got.TableDetails.Items))
	}
	want := DataCheckTable{
		ID: IntOf(1717651200000104), SourceDbName: StringOf("shop"), SourceTbName: StringOf("payment"),
		TargetDbName: StringOf("shop"), TargetTbName: StringOf("payment"), TotalCount: IntOf(98115),
		FinishCount: IntOf(98115), DiffCount: IntOf(3), Status: StringOf("0"), BootTime: StringOf("2024-06-06 11:20:05"),
	}
	if diff := cmp.Diff(want, got.TableDetails.Items[3]); diff != "" {
		t.Errorf("payment (-want +got):\n%s", diff)
	}
	if got.TableDetails.Items[3].ErrorCode.Set {
		t.Errorf("ErrorCode is left out of the sample and must not be set")
	}
}

func TestDecodeDataCheckLooseWireTypes(t *testing.T) {
	got := decodeAs[DataCheckTableDetails](t, `{"TotalCount":"2","DiffTableCount":1.0,"TableDetails":[
		{"Id":"7","SourceDbName":"a","SourceTbName":"b","TotalCount":"10","FinishCount":"10","DiffCount":"2","Status":0,"ErrorCode":"2"},
		{"Id":8,"DiffCount":"many","Status":"6","ErrorCode":null}]}`)
	if got.TotalCount != IntOf(2) || got.DiffTableCount != IntOf(1) {
		t.Errorf("counts %+v %+v", got.TotalCount, got.DiffTableCount)
	}
	a, b := got.TableDetails.Items[0], got.TableDetails.Items[1]
	if a.DiffCount != IntOf(2) || a.Status != StringOf("0") || a.ErrorCode != IntOf(2) || a.ID != IntOf(7) {
		t.Errorf("first table %+v", a)
	}
	if b.DiffCount.Set || b.DiffCount.Bad != `"many"` || b.Status != StringOf("6") || b.ErrorCode.Set {
		t.Errorf("second table %+v: an unparsable count must be unset and kept in Bad, an unknown status kept", b)
	}
}

func TestTableCheckStatesAndErrors(t *testing.T) {
	for code, want := range map[string]string{"0": "finished", "2": "initializing", "3": "running", "5": "failed", "6": "6", "": ""} {
		if got := TableCheckState(code); got != want {
			t.Errorf("TableCheckState(%q) = %q, want %q", code, got, want)
		}
	}
	for code := range int64(6) {
		meaning, ok := TableCheckError(code)
		if ok != (code >= 1 && code <= 4) || ok == (meaning == "") {
			t.Errorf("TableCheckError(%d) = %q, %v", code, meaning, ok)
		}
	}
	if m, _ := TableCheckError(2); !strings.Contains(m, "300") {
		t.Errorf("code 2 = %q, want the 300-row limit", m)
	}
}

// dataCheckFake is a fake with the data-verification jobs and a client on it.
func dataCheckFake(t *testing.T) (*fakedts.Server, *testClient) {
	t.Helper()
	f := fakedts.NewServer()
	t.Cleanup(f.Close)
	f.AddAccessKey(testKeyID, testSecret)
	f.SetDataCheckJobs("cn-hangzhou", 2)
	c := newTestClient(t, f.URL(), func(cfg *Config) {
		cfg.Clock = nil
		cfg.Credentials = StaticCredentials{AccessKeyID: testKeyID, AccessKeySecret: testSecret}
	})
	return f, c
}

func TestListDataCheckTablesAsksEveryPageWithoutARegion(t *testing.T) {
	f, c := dataCheckFake(t)
	got, err := c.ListDataCheckTables(context.Background(), DescribeDataCheckTableDetailsRequest{DtsJobID: fakedts.DataCheckCleanJobID, CheckType: CheckTypeFull, PageNumber: 7, PageSize: 50})
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Tables) != fakedts.DataCheckCleanTables || got.Pages != 3 || len(got.RequestIDs) != 3 {
		t.Fatalf("%d tables in %d pages (%d request IDs), want 45 in 3", len(got.Tables), got.Pages, len(got.RequestIDs))
	}
	if got.Last.TotalCount != IntOf(45) || got.Last.FinishedCount.Val != 20*1000 || got.Last.TableDetails.Items != nil {
		t.Errorf("last page: %+v", got.Last)
	}
	for i, r := range f.RequestsFor(fakedts.ActionDescribeDataCheckTableDetails) {
		p := r.Params
		if p.Get("PageNumber") != fmt.Sprint(i+1) || p.Get("PageSize") != "20" || p.Get("CheckType") != "1" ||
			p.Get("DtsJobId") != fakedts.DataCheckCleanJobID || p.Has("RegionId") || p.Has("Region") {
			t.Errorf("request %d: %v", i+1, p)
		}
	}
}

// tablePages answers DescribeDataCheckTableDetails with tables in pages of 20, with total as
// TotalCount (JSON text), and fail's answer instead for the pages it returns true for.
func tablePages(tables int, total string, fail func(page int) bool) func(http.ResponseWriter, *http.Request, url.Values) {
	return func(w http.ResponseWriter, r *http.Request, form url.Values) {
		var n int
		_, _ = fmt.Sscan(form.Get("PageNumber"), &n)
		if fail != nil && fail(n) {
			gatewayError(http.StatusServiceUnavailable, "ServiceUnavailable", "The request has failed due to a temporary failure of the server.")(w, r, form)
			return
		}
		var items []string
		for i := (n - 1) * 20; i < n*20 && i < tables; i++ {
			items = append(items, fmt.Sprintf(`{"Id":%d,"SourceDbName":"d","SourceTbName":"t%d","DiffCount":0}`, i+1, i))
		}
		respond(http.StatusOK, fmt.Sprintf(`{"RequestId":"R%d","Success":true,"TotalCount":%s,"TableDetails":[%s]}`, n, total, strings.Join(items, ",")))(w, r, form)
	}
}

func TestListDataCheckTablesStopRule(t *testing.T) {
	for _, tc := range []struct {
		name              string
		tables            int
		total             string
		pages, tablesWant int
	}{
		{"total read", 45, "45", 3, 45},
		{"exactly full pages", 40, "40", 2, 40},
		{"a short page ends it though more are counted", 45, "60", 3, 45},
		{"no total: a short page ends it", 45, "null", 3, 45},
		{"no total, full pages: an empty page ends it", 40, "null", 3, 40},
		{"no tables", 0, "0", 1, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newScriptedServer(t, tablePages(tc.tables, tc.total, nil))
			c := newTestClient(t, s.srv.URL)
			got, err := c.ListDataCheckTables(context.Background(), DescribeDataCheckTableDetailsRequest{DtsJobID: "j", CheckType: CheckTypeIncremental})
			if err != nil {
				t.Fatal(err)
			}
			if got.Pages != tc.pages || len(got.Tables) != tc.tablesWant || len(s.requests()) != tc.pages {
				t.Fatalf("%d tables in %d pages (%d requests), want %d in %d", len(got.Tables), got.Pages, len(s.requests()), tc.tablesWant, tc.pages)
			}
		})
	}
}

func TestListDataCheckTablesFailsPastItsPageBound(t *testing.T) {
	s := newScriptedServer(t, tablePages(6000, "6000", nil))
	c := newTestClient(t, s.srv.URL)
	_, err := c.ListDataCheckTables(context.Background(), DescribeDataCheckTableDetailsRequest{DtsJobID: "j", CheckType: CheckTypeFull})
	var tooMany *TooManyTablesError
	if !errors.As(err, &tooMany) || tooMany.Tables != 6000 || tooMany.Read != 5000 || len(s.requests()) != MaxDataCheckPages {
		t.Fatalf("err = %v after %d requests, want TooManyTablesError for 6000 tables after %d", err, len(s.requests()), MaxDataCheckPages)
	}
	if !strings.Contains(err.Error(), "6000 tables") || !IsPermanent(err) {
		t.Errorf("%q must say how many tables there are and be permanent (another poll would not fit them either)", err)
	}
}

func TestListDataCheckTablesNamesTheFailedPage(t *testing.T) {
	s := newScriptedServer(t, tablePages(45, "45", func(page int) bool { return page == 2 }))
	c := newTestClient(t, s.srv.URL, func(cfg *Config) { cfg.Retry.MaxRetries = new(1) })
	_, err := c.ListDataCheckTables(context.Background(), DescribeDataCheckTableDetailsRequest{DtsJobID: "j", CheckType: CheckTypeFull})
	var pe *PageError
	var apiErr *Error
	if !errors.As(err, &pe) || pe.Page != 2 || !errors.As(err, &apiErr) || apiErr.Code != "ServiceUnavailable" || apiErr.Attempts != 2 {
		t.Fatalf("err = %v, want page 2's ServiceUnavailable after 2 attempts", err)
	}
	if n := len(s.requests()); n != 3 {
		t.Errorf("%d requests, want page 1 and page 2 twice", n)
	}
}

func TestDescribeDataCheckReadsTheJobThenItsTables(t *testing.T) {
	f, c := dataCheckFake(t)
	job := func(id string, types ...string) DescribeDtsJobRequest {
		return DescribeDtsJobRequest{DtsJobID: id, JobTypes: types}
	}
	got, err := c.DescribeDataCheck(context.Background(), DataCheckRequest{
		Job: job(fakedts.DataCheckIncrementalJobID, JobTypeMigration, JobTypeSynchronization), CheckType: CheckTypeIncremental})
	if err != nil {
		t.Fatal(err)
	}
	if got.Job.JobType != JobTypeSynchronization || !got.Enabled().Val || got.Stage().Status.Val != "Catched" || len(got.Tables.Tables) != 5 {
		t.Fatalf("job type %s, enabled %+v, stage %+v, %d tables", got.Job.JobType, got.Enabled(), got.Stage(), len(got.Tables.Tables))
	}
	var actions []string
	for _, r := range f.Requests() {
		actions = append(actions, r.Action)
	}
	if want := []string{"DescribeDtsJobs", "DescribeDtsJobs", "DescribeDataCheckTableDetails"}; !slices.Equal(actions, want) {
		t.Errorf("requests %v, want %v", actions, want)
	}

	f.ResetRequests()
	off, err := c.DescribeDataCheck(context.Background(), DataCheckRequest{Job: job(fakedts.DataCheckOffJobID, JobTypeMigration), CheckType: CheckTypeFull})
	if err != nil || off.Tables != nil || off.Enabled() != BoolOf(false) {
		t.Fatalf("verification off: %+v, %v; want no tables", off, err)
	}
	if n := len(f.RequestsFor(fakedts.ActionDescribeDataCheckTableDetails)); n != 0 {
		t.Errorf("%d table requests for a verification that is off, want none", n)
	}

	_, err = c.DescribeDataCheck(context.Background(), DataCheckRequest{Job: job("nosuchjob", JobTypeMigration), CheckType: CheckTypeFull})
	var nf *NotFoundError
	if !errors.As(err, &nf) {
		t.Errorf("unknown job: %v, want NotFoundError", err)
	}
	if _, err := c.DescribeDataCheck(context.Background(), DataCheckRequest{Job: job("x", JobTypeMigration), CheckType: 3}); err == nil {
		t.Errorf("CheckType 3 was accepted")
	}
	if n := f.DiffDetailsRequests(); n != 0 {
		t.Errorf("%d DescribeDataCheckTableDiffDetails requests, want none ever", n)
	}
}

func TestDataCheckCallsArePacedOnlyAfterAThrottle(t *testing.T) {
	if _, documented := DocumentedLimits["DescribeDataCheckTableDetails"]; documented {
		t.Fatal("DescribeDataCheckTableDetails has no published limit and must not be paced from the start")
	}
	pages := tablePages(45, "45", nil)
	s := newScriptedServer(t, pages, pages, pages,
		gatewayError(http.StatusBadRequest, "Throttling.User", "Request was denied due to user flow control."), pages)
	c := newTestClient(t, s.srv.URL)
	req := DescribeDataCheckTableDetailsRequest{DtsJobID: "j", CheckType: CheckTypeFull}
	if _, err := c.ListDataCheckTables(context.Background(), req); err != nil {
		t.Fatal(err)
	}
	if sleeps := c.clock.Sleeps(); len(sleeps) != 0 {
		t.Fatalf("three pages slept %v before any throttle, want no wait", sleeps)
	}
	// The second reading's first page is throttled: its retry and the pages after it are paced.
	if _, err := c.ListDataCheckTables(context.Background(), req); err != nil {
		t.Fatal(err)
	}
	// The retry's backoff outlasts the hold-off; pages 2 and 3 wait their turn.
	if sleeps := c.clock.Sleeps(); len(sleeps) != 3 {
		t.Fatalf("after a throttle the calls slept %v, want a backoff and a pace wait before each page that followed", sleeps)
	}
	// The throttle was charged to the client's region, though the call sends none.
	turn, err := c.cfg.Pacer.Wait(context.Background(), PaceKey{AccessKeyID: testKeyID, Region: "cn-hangzhou", Action: "DescribeDataCheckTableDetails"})
	if err != nil || turn.Waited == 0 {
		t.Errorf("a call in cn-hangzhou after the throttle waited %v (%v), want it paced", turn.Waited, err)
	}
}

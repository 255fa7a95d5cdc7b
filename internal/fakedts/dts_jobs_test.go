package fakedts

import (
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

// newListingServer starts a fake with the test key and a client for action.
func newListingServer(t *testing.T, action string) (*Server, *testClient) {
	t.Helper()
	s := NewServer()
	t.Cleanup(s.Close)
	s.AddAccessKey(testKeyID, testSecret)
	c := newDTSClient(t, s, testKeyID, testSecret)
	c.action = action
	return s, c
}

// hangzhou is a DescribeDtsJobs query in cn-hangzhou, as the provider sends it, plus extra.
func hangzhou(extra ...string) map[string]string {
	p := map[string]string{"Region": "cn-hangzhou", "RegionId": "cn-hangzhou"}
	for i := 0; i+1 < len(extra); i += 2 {
		p[extra[i]] = extra[i+1]
	}
	return p
}

// listOK sends a listing request and fails unless it succeeds.
func listOK(t *testing.T, c *testClient, params map[string]string) map[string]any {
	t.Helper()
	resp, body := c.call(http.MethodPost, params)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("HTTP %d %v", resp.StatusCode, body)
	}
	return body
}

// dtsIDs are the DtsJobId of each DtsJobList item.
func dtsIDs(body map[string]any) []string {
	list, _ := body["DtsJobList"].([]any)
	ids := make([]string, 0, len(list))
	for _, it := range list {
		id, _ := dig(it, "DtsJobId").(string)
		ids = append(ids, id)
	}
	return ids
}

// dtsJobAt is a job in cn-hangzhou that reports status.
func dtsJobAt(jobType, status string) DtsJob {
	return DtsJob{Region: "cn-hangzhou", JobType: jobType, Steps: []Step{{Body: DtsState{Status: status}.Item("x")}}}
}

func TestDtsStateItemShape(t *testing.T) {
	item := DtsState{
		Status: "Synchronizing", Mode: &DtsMode{DataSynchronization: true, IncDataCheck: true},
		ErrorMessage: "DTS-1: broken", ErrorDetails: []ErrorDetail{{Code: "DTS-31009", HelpURL: "https://help.example/31009"}},
		Precheck: "Failed", PrecheckPercent: 100, FailedChecks: []CheckItem{{Name: "CHECK_CONN_DEST", ErrorMessage: "Access denied", RepairMethod: "FIX_IT"}},
		Structure: "Finished", StructureProgress: "12",
		Data: "Migrating", DataPercent: 40, DataProgress: "80000",
		Sync: "Catched", SyncPercent: 95, Delay: Delay(7), Checkpoint: 1616899019,
		FullCheck: "Finished", FullCheckProgress: "1 rows/s (row: 5/5, table: 1/1)", CanSwitch: true,
		IncCheck: "Checking", IncCheckPercent: 3,
		Retrying: true, RetryCount: 2, RetryTime: 60, RetryTarget: "srcDB", RetryModule: "03", RetryError: "lost connection",
		Source:  &DtsEndpoint{EngineName: "Oracle", InstanceID: "i-abc", IP: "10.0.0.1", Port: "1521", OracleSID: "ORCL", Region: "cn-beijing", SSL: "ENABLE_WITH_CERTIFICATE"},
		Reverse: &DtsState{Status: "Synchronizing", Delay: Delay(1), Checkpoint: 1616899000},
		Extra:   map[string]any{"DataEtlStatus": map[string]any{"Status": "NotStarted"}},
	}.Item("j1")
	var got map[string]any
	if err := json.Unmarshal(marshalJSON(item), &got); err != nil {
		t.Fatal(err)
	}
	checks := []struct {
		path []string
		want any
	}{
		{[]string{"DtsJobId"}, "j1"},
		{[]string{"DtsInstanceID"}, "dtsj1"},
		{[]string{"Status"}, "Synchronizing"},
		{[]string{"Delay"}, 7.0}, // a JSON number
		{[]string{"Checkpoint"}, "1616899019"},
		{[]string{"ErrorMessage"}, "DTS-1: broken"},
		{[]string{"MigrationMode", "StructureInitialization"}, false},
		{[]string{"MigrationMode", "IncDataCheck"}, true},
		{[]string{"MigrationMode", "StructureDataCheck"}, false},
		{[]string{"PrecheckStatus", "Percent"}, "100"},
		{[]string{"StructureInitializationStatus", "Percent"}, "100"},
		{[]string{"StructureInitializationStatus", "Progress"}, "12"},
		{[]string{"DataInitializationStatus", "Percent"}, "40"},
		{[]string{"DataSynchronizationStatus", "Status"}, "Catched"},
		{[]string{"DataSynchronizationStatus", "NeedUpgrade"}, false},
		{[]string{"FullDataCheckStatus", "Progress"}, "1 rows/s (row: 5/5, table: 1/1)"},
		{[]string{"FullDataCheckStatus", "CanSwitch"}, true},
		{[]string{"IncDataCheckStatus", "Percent"}, "3"},
		{[]string{"RetryState", "Retrying"}, true},
		{[]string{"RetryState", "RetryCount"}, 2.0},
		{[]string{"RetryState", "ErrMessage"}, "lost connection"},
		{[]string{"RetryState", "Module"}, "03"},
		{[]string{"SourceEndpoint", "Ip"}, "10.0.0.1"},
		{[]string{"SourceEndpoint", "InstanceID"}, "i-abc"},
		{[]string{"SourceEndpoint", "Port"}, "1521"},
		{[]string{"SourceEndpoint", "OracleSID"}, "ORCL"},
		{[]string{"SourceEndpoint", "Region"}, "cn-beijing"},
		{[]string{"SourceEndpoint", "SslSolutionEnum"}, "ENABLE_WITH_CERTIFICATE"},
		{[]string{"DestinationEndpoint", "Port"}, "3306"},
		{[]string{"DestinationEndpoint", "SslSolutionEnum"}, "DISABLE"},
		{[]string{"ReverseJob", "DtsJobId"}, "j1_reverse"},
		{[]string{"ReverseJob", "DtsJobDirection"}, "Reverse"},
		{[]string{"ReverseJob", "Delay"}, 1.0},
		{[]string{"ReverseJob", "Checkpoint"}, "1616899000"},
		{[]string{"ReverseJob", "RetryState"}, nil},
		{[]string{"DataEtlStatus", "Status"}, "NotStarted"},
	}
	for _, c := range checks {
		if v := dig(got, c.path...); !reflect.DeepEqual(v, c.want) {
			t.Errorf("%s = %#v, want %#v", strings.Join(c.path, "."), v, c.want)
		}
	}
	details, _ := got["ErrorDetails"].([]any)
	if len(details) != 1 || dig(details[0], "ErrorCode") != "DTS-31009" || dig(details[0], "HelpUrl") != "https://help.example/31009" {
		t.Errorf("ErrorDetails = %v", got["ErrorDetails"])
	}
	detail, _ := dig(got, "PrecheckStatus", "Detail").([]any)
	if len(detail) != len(precheckItems) {
		t.Fatalf("Detail is %v, want a plain array of %d items", dig(got, "PrecheckStatus", "Detail"), len(precheckItems))
	}
	failed := detail[2]
	if dig(failed, "CheckItem") != "CHECK_CONN_DEST" || dig(failed, "CheckResult") != "Failed" || dig(failed, "FailedReason") != "Access denied" ||
		dig(failed, "RepairMethod") != "FIX_IT" || dig(failed, "CheckItemDescription") != "CHECK_CONN_DEST_DETAIL" || dig(detail[0], "CheckResult") != "Success" {
		t.Errorf("check items: %v, %v", detail[0], failed)
	}

	// Left out: stages not set, the delay before synchronization, the reverse job of a one-way job.
	bare := DtsState{Status: "NotStarted"}.Item("j2")
	for _, absent := range []string{"Delay", "Checkpoint", "PrecheckStatus", "DataSynchronizationStatus", "ReverseJob", "FullDataCheckStatus"} {
		if _, ok := bare[absent]; ok {
			t.Errorf("%s should be left out: %v", absent, bare[absent])
		}
	}
	if details, _ := bare["ErrorDetails"].([]map[string]any); details == nil || len(details) != 0 {
		t.Errorf("ErrorDetails without errors is %#v, want an empty list", bare["ErrorDetails"])
	}
}

func TestDocumentedDtsJobsSampleIsServedExactly(t *testing.T) {
	s, c := newListingServer(t, ActionDescribeDtsJobs)
	ids := s.SetDocumentedDtsJobs("cn-hangzhou")
	if !slices.Equal(ids, []string{"i03e3zty16i****", "l5512es7w15****"}) {
		t.Fatalf("ids %q", ids)
	}
	body := listOK(t, c, hangzhou("JobType", "MIGRATION", "PageSize", "30", "PageNumber", "1"))
	var sample map[string]any
	if err := json.Unmarshal([]byte(DocumentedDtsJobsSample), &sample); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"Success", "HttpStatusCode", "PageNumber", "PageRecordCount", "TotalRecordCount", "DtsJobList"} {
		if !reflect.DeepEqual(body[k], sample[k]) {
			t.Errorf("%s = %v, want the sample's %v", k, body[k], sample[k])
		}
	}
	if id, _ := body["RequestId"].(string); len(id) != 36 {
		t.Errorf("RequestId %q", id)
	}
	// The raw items still answer the filters.
	if got := dtsIDs(listOK(t, c, hangzhou("Status", "PrecheckFailed"))); !slices.Equal(got, ids[1:]) {
		t.Errorf("Status filter on the sample: %q", got)
	}
	if got := dtsIDs(listOK(t, c, hangzhou("Tags", `[{"key":"env","value":"prod"}]`))); !slices.Equal(got, ids[:1]) {
		t.Errorf("Tags filter on the sample: %q", got)
	}
}

func TestDescribeDtsJobsFilters(t *testing.T) {
	s, c := newListingServer(t, ActionDescribeDtsJobs)
	define := func(id string, job DtsJob) { s.SetDtsJob(id, job) }
	define("abc", DtsJob{Region: "cn-hangzhou", Name: "Orders_Migration", InstanceID: "dtsiabc", Tags: map[string]string{"env": "prod", "team": "a"},
		Steps: []Step{{Body: DtsState{Status: "Migrating", Source: &DtsEndpoint{InstanceID: "rm-src1"}}.Item("abc")}}})
	define("abcd", DtsJob{Region: "cn-hangzhou", Name: "users", InstanceID: "dtsiabcd", Tags: map[string]string{"env": "prod"},
		Steps: []Step{{Body: DtsState{Status: "Finished"}.Item("abcd")}}})
	define("sync1", DtsJob{Region: "cn-hangzhou", JobType: "SYNC", Name: "orders-sync", Tags: map[string]string{"env": "dev"},
		Steps: []Step{{Body: DtsState{Status: "Synchronizing"}.Item("sync1")}}})
	define("sub1", DtsJob{Region: "cn-hangzhou", JobType: "SUBSCRIBE", Steps: []Step{{Body: DtsState{Status: "Normal"}.Item("sub1")}}})
	define("bj1", DtsJob{Region: "cn-beijing", Steps: []Step{{Body: DtsState{Status: "Migrating"}.Item("bj1")}}})
	define("anywhere", DtsJob{Steps: []Step{{Body: DtsState{Status: "NotStarted"}.Item("anywhere")}}})

	cases := []struct {
		name   string
		params map[string]string
		want   []string
	}{
		{"JobType defaults to MIGRATION", hangzhou(), []string{"abc", "abcd", "anywhere"}},
		{"JobType SYNC", hangzhou("JobType", "SYNC"), []string{"sync1"}},
		{"JobType SUBSCRIBE", hangzhou("JobType", "SUBSCRIBE"), []string{"sub1"}},
		{"another region", hangzhou("Region", "cn-beijing", "RegionId", "cn-beijing"), []string{"bj1", "anywhere"}},
		{"Region alone", map[string]string{"Region": "cn-beijing"}, []string{"bj1", "anywhere"}},
		{"RegionId alone", map[string]string{"RegionId": "cn-beijing"}, []string{"bj1", "anywhere"}},
		{"Region and RegionId disagree", hangzhou("RegionId", "cn-beijing"), []string{"anywhere"}},
		{"no region at all", map[string]string{}, []string{"anywhere"}},
		{"DtsJobId narrows, not exact", hangzhou("DtsJobId", "abc"), []string{"abc", "abcd"}},
		{"DtsJobId of the longer ID", hangzhou("DtsJobId", "abcd"), []string{"abcd"}},
		{"DtsJobId of another type", hangzhou("DtsJobId", "sync1"), []string{}},
		{"DtsInstanceId exact", hangzhou("DtsInstanceId", "dtsiabc"), []string{"abc"}},
		{"name, fuzzy and ignoring case", hangzhou("Type", "name", "Params", "ORDERS"), []string{"abc"}},
		{"name across types", hangzhou("JobType", "SYNC", "Type", "name", "Params", "orders"), []string{"sync1"}},
		{"Params without Type is ignored", hangzhou("Params", "users"), []string{"abc", "abcd", "anywhere"}},
		{"instance search", hangzhou("Type", "instance", "Params", "dtsiabcd"), []string{"abcd"}},
		{"source RDS search", hangzhou("Type", "srcRds", "Params", "rm-src1"), []string{"abc"}},
		{"Status", hangzhou("Status", "Finished"), []string{"abcd"}},
		{"Status is the job's own, exactly", hangzhou("Status", "finished"), []string{}},
		{"one tag", hangzhou("Tags", `[{"key":"env","value":"prod"}]`), []string{"abc", "abcd"}},
		{"tags are ANDed", hangzhou("Tags", `[{"key":"env","value":"prod"},{"key":"team","value":"a"}]`), []string{"abc"}},
		{"a tag's value must match", hangzhou("Tags", `[{"key":"env","value":"dev"}]`), []string{}},
		{"empty tag list", hangzhou("Tags", `[]`), []string{"abc", "abcd", "anywhere"}},
		{"nothing matches", hangzhou("DtsJobId", "zzz"), []string{}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			body := listOK(t, c, tc.params)
			if got := dtsIDs(body); !slices.Equal(got, tc.want) {
				t.Errorf("listed %q, want %q", got, tc.want)
			}
			if body["Success"] != true || body["HttpStatusCode"] != 200.0 || body["TotalRecordCount"] != float64(len(tc.want)) ||
				body["PageRecordCount"] != float64(len(tc.want)) || body["PageNumber"] != 1.0 {
				t.Errorf("top level: %v", body)
			}
			if list, ok := body["DtsJobList"].([]any); !ok || list == nil {
				t.Errorf("DtsJobList is %#v, want a list", body["DtsJobList"])
			}
		})
	}

	// The item carries the job's identity from its DtsJob.
	item, _ := listOK(t, c, hangzhou("DtsInstanceId", "dtsiabc"))["DtsJobList"].([]any)
	if len(item) != 1 || dig(item[0], "DtsJobName") != "Orders_Migration" || dig(item[0], "JobType") != "MIGRATION" ||
		!reflect.DeepEqual(dig(item[0], "TagList"), []any{
			map[string]any{"TagKey": "env", "TagValue": "prod"}, map[string]any{"TagKey": "team", "TagValue": "a"},
		}) || dig(item[0], "CreateTime") == nil {
		t.Errorf("item %v", item)
	}
}

func TestDescribeDtsJobsInvalidParameters(t *testing.T) {
	s, c := newListingServer(t, ActionDescribeDtsJobs)
	s.SetDtsJob("j", dtsJobAt("MIGRATION", "Migrating"))
	for _, size := range []string{"10", "20", "30", "50", "100"} {
		if body := listOK(t, c, hangzhou("PageSize", size)); len(dtsIDs(body)) != 1 {
			t.Errorf("PageSize %s: %v", size, body)
		}
	}
	cases := map[string]map[string]string{
		"PageSize":    hangzhou("PageSize", "25"),
		"PageSize ":   hangzhou("PageSize", "200"),
		"PageSize  ":  hangzhou("PageSize", "x"),
		"PageNumber":  hangzhou("PageNumber", "0"),
		"PageNumber ": hangzhou("PageNumber", "-1"),
		"Tags":        hangzhou("Tags", `[{"key":"env"`),
		"Tags ":       hangzhou("Tags", `{"key":"env","value":"prod"}`),
		"Tags  ":      hangzhou("Tags", `[{"key":"","value":"prod"}]`),
		"JobType":     hangzhou("JobType", "REPLICATION"),
		"Type":        hangzhou("Type", "owner", "Params", "me"),
	}
	for name, params := range cases {
		t.Run(name, func(t *testing.T) {
			resp, body := c.call(http.MethodPost, params)
			wantGatewayError(t, resp, body, http.StatusBadRequest, "InvalidParameter")
			if msg, _ := body["Message"].(string); !strings.Contains(msg, strings.TrimSpace(name)) {
				t.Errorf("Message %q does not name %s", msg, name)
			}
		})
	}
}

func TestDescribeDtsJobsPaging(t *testing.T) {
	s, c := newListingServer(t, ActionDescribeDtsJobs)
	var all []string
	for i := range 25 {
		id := fmt.Sprintf("job%02d", i)
		s.SetDtsJob(id, dtsJobAt("MIGRATION", "Migrating"))
		all = append(all, id)
	}
	s.SetDtsJob("job05", dtsJobAt("MIGRATION", "Finished")) // redefining keeps the job's place
	pages := [][]string{all[0:10], all[10:20], all[20:25], {}}
	for i, want := range pages {
		body := listOK(t, c, hangzhou("PageSize", "10", "PageNumber", fmt.Sprint(i+1)))
		if got := dtsIDs(body); !slices.Equal(got, want) {
			t.Errorf("page %d: %q, want %q", i+1, got, want)
		}
		if body["PageNumber"] != float64(i+1) || body["PageRecordCount"] != float64(len(want)) || body["TotalRecordCount"] != 25.0 {
			t.Errorf("page %d: PageNumber %v PageRecordCount %v TotalRecordCount %v", i+1, body["PageNumber"], body["PageRecordCount"], body["TotalRecordCount"])
		}
	}
	if got := dtsIDs(listOK(t, c, hangzhou())); !slices.Equal(got, all[:20]) {
		t.Errorf("the default page size is not 20: %d items", len(got))
	}
	reqs := s.RequestsFor(ActionDescribeDtsJobs)
	if r := reqs[1]; r.PageNumber != 2 || r.Region != "cn-hangzhou" || r.RegionID != "cn-hangzhou" || r.JobType != "" || r.Status != http.StatusOK {
		t.Errorf("recorded %+v", r)
	}
}

func TestDescribeDtsJobsListChangesMidListing(t *testing.T) {
	s, c := newListingServer(t, ActionDescribeDtsJobs)
	var all []string
	for i := range 25 {
		id := fmt.Sprintf("job%02d", i)
		s.SetDtsJob(id, dtsJobAt("MIGRATION", "Migrating"))
		all = append(all, id)
	}
	s.OnPage(ActionDescribeDtsJobs, 1, func() { s.SetDtsJobFirst("newest", dtsJobAt("MIGRATION", "NotStarted")) })
	page := func(n int) map[string]any {
		return listOK(t, c, hangzhou("PageSize", "10", "PageNumber", fmt.Sprint(n)))
	}

	first := page(1)
	if got := dtsIDs(first); !slices.Equal(got, all[:10]) || first["TotalRecordCount"] != 25.0 {
		t.Fatalf("page 1: %q, total %v", got, first["TotalRecordCount"])
	}
	// The new job pushed everything down one place: page 2 starts with page 1's last job.
	second := page(2)
	if got := dtsIDs(second); !slices.Equal(got, all[9:19]) || second["TotalRecordCount"] != 26.0 {
		t.Errorf("page 2: %q, total %v", got, second["TotalRecordCount"])
	}
	if got := dtsIDs(page(3)); !slices.Equal(got, all[19:25]) {
		t.Errorf("page 3: %q", got)
	}
	// The hook ran once; the new job leads the list.
	if got := dtsIDs(page(1)); got[0] != "newest" || len(got) != 10 {
		t.Errorf("page 1 again: %q", got)
	}
	if got := dtsIDs(page(3)); !slices.Equal(got, all[19:25]) {
		t.Errorf("page 3 again: %q", got)
	}
}

func TestDescribeDtsJobsPageFault(t *testing.T) {
	s, c := newListingServer(t, ActionDescribeDtsJobs)
	for i := range 15 {
		s.SetDtsJob(fmt.Sprintf("job%02d", i), dtsJobAt("MIGRATION", "Migrating"))
	}
	listOK(t, c, hangzhou("PageSize", "10", "PageNumber", "1"))
	s.QueueFaults(Fault{Status: http.StatusServiceUnavailable})
	resp, body := c.call(http.MethodPost, hangzhou("PageSize", "10", "PageNumber", "2"))
	wantGatewayError(t, resp, body, http.StatusServiceUnavailable, "ServiceUnavailable")
	if got := dtsIDs(listOK(t, c, hangzhou("PageSize", "10", "PageNumber", "2"))); len(got) != 5 {
		t.Errorf("page 2 after the fault: %q", got)
	}
}

func TestDtsJobTimelineMovesOnlyWhenListed(t *testing.T) {
	s, c := newListingServer(t, ActionDescribeDtsJobs)
	s.SetDtsJob("watched", DtsJob{Region: "cn-hangzhou", JobType: "SYNC", Steps: []Step{
		{Body: DtsState{Status: "Prechecking"}.Item("watched"), Requests: 1},
		{Body: DtsState{Status: "Initializing"}.Item("watched"), Requests: 1},
		{Body: DtsState{Status: "Synchronizing"}.Item("watched")},
	}})
	s.SetDtsJob("other", dtsJobAt("SYNC", "Synchronizing"))
	status := func(params map[string]string) []string {
		list, _ := listOK(t, c, params)["DtsJobList"].([]any)
		var out []string
		for _, it := range list {
			out = append(out, fmt.Sprint(dig(it, "DtsJobId"), "=", dig(it, "Status")))
		}
		return out
	}
	sync := func(extra ...string) map[string]string {
		return hangzhou(append([]string{"JobType", "SYNC"}, extra...)...)
	}
	// Requests that do not return the job leave it where it is.
	status(sync("DtsJobId", "other"))
	status(sync("PageSize", "10", "PageNumber", "2"))
	status(hangzhou())
	if got := status(sync("Status", "Synchronizing")); !slices.Equal(got, []string{"other=Synchronizing"}) {
		t.Errorf("the Status filter sees %q, want the watched job still Prechecking", got)
	}
	want := [][]string{
		{"watched=Prechecking"},
		{"watched=Initializing"},
		{"watched=Synchronizing"},
		{"watched=Synchronizing"},
	}
	for i, w := range want {
		if got := status(sync("DtsJobId", "watched")); !slices.Equal(got, w) {
			t.Errorf("read %d: %q, want %q", i, got, w)
		}
	}
}

func TestDtsJobWithoutStepsIsNotStarted(t *testing.T) {
	s, c := newListingServer(t, ActionDescribeDtsJobs)
	s.SetDtsJob("j", DtsJob{Name: "bare"})
	list, _ := listOK(t, c, hangzhou())["DtsJobList"].([]any)
	if len(list) != 1 || dig(list[0], "Status") != "NotStarted" || dig(list[0], "DtsJobName") != "bare" || dig(list[0], "DtsJobId") != "j" {
		t.Errorf("got %v", list)
	}
	s.DeleteDtsJob("j")
	if got := dtsIDs(listOK(t, c, hangzhou())); len(got) != 0 {
		t.Errorf("deleted job listed: %q", got)
	}
}

func TestRateLimit(t *testing.T) {
	s, c := newListingServer(t, ActionDescribeDtsJobs)
	start := time.Date(2026, 4, 1, 8, 0, 0, 0, time.UTC)
	clk := &manualClock{now: start}
	s.SetNow(clk.Now)
	c.now = clk.Now
	s.AddAccessKey("LTAIother", "other-secret")
	other := newDTSClient(t, s, "LTAIother", "other-secret")
	other.action, other.now = ActionDescribeDtsJobs, clk.Now
	s.SetDtsJob("j", dtsJobAt("MIGRATION", "Migrating"))
	s.SetRateLimit(ActionDescribeDtsJobs, 3)

	code := func(c *testClient, params map[string]string) string {
		resp, body := c.call(http.MethodPost, params)
		if resp.StatusCode == http.StatusOK {
			return "ok"
		}
		wantGatewayError(t, resp, body, http.StatusBadRequest, "Throttling.User")
		if body["Message"] != "Request was denied due to user flow control." {
			t.Errorf("Message %v", body["Message"])
		}
		return "throttled"
	}
	var got []string
	at := func(d time.Duration, c *testClient, params map[string]string) {
		clk.Set(start.Add(d))
		got = append(got, code(c, params))
	}
	at(0, c, hangzhou())
	at(100*time.Millisecond, c, hangzhou())
	at(200*time.Millisecond, c, hangzhou())
	at(300*time.Millisecond, c, hangzhou())                                                 // the fourth within a second
	at(300*time.Millisecond, other, hangzhou())                                             // another key has its own limit
	at(300*time.Millisecond, c, hangzhou("Region", "cn-beijing", "RegionId", "cn-beijing")) // and another region
	at(999*time.Millisecond, c, hangzhou())                                                 // throttled calls do not count, but the window has not moved
	at(1000*time.Millisecond, c, hangzhou())                                                // the first call left the window
	at(1050*time.Millisecond, c, hangzhou())
	want := []string{"ok", "ok", "ok", "throttled", "ok", "ok", "throttled", "ok", "throttled"}
	if !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
	// Other actions are not limited.
	c.action = dtsAction
	s.SetJob(testJob, Job{})
	for range 5 {
		if resp, _ := c.call(http.MethodPost, jobParams()); resp.StatusCode != http.StatusOK {
			t.Fatalf("DescribeMigrationJobStatus was throttled: HTTP %d", resp.StatusCode)
		}
	}
	throttled := 0
	for _, r := range s.Requests() {
		if r.RateLimited {
			throttled++
			if r.Status != http.StatusBadRequest || r.Code != "Throttling.User" {
				t.Errorf("recorded %d %q", r.Status, r.Code)
			}
		}
	}
	if throttled != 3 {
		t.Errorf("%d requests recorded as rate limited, want 3", throttled)
	}
	// A throttled request takes no fault; removing the limit lets everything through.
	c.action = ActionDescribeDtsJobs
	clk.Set(start.Add(1060 * time.Millisecond))
	s.QueueFaults(Fault{Status: http.StatusServiceUnavailable})
	if got := code(c, hangzhou()); got != "throttled" {
		t.Fatalf("got %s", got)
	}
	s.SetRateLimit(ActionDescribeDtsJobs, 0)
	if resp, _ := c.call(http.MethodPost, hangzhou()); resp.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("the queued fault was not kept for the next request: HTTP %d", resp.StatusCode)
	}
	for range 5 {
		if got := code(c, hangzhou()); got != "ok" {
			t.Fatalf("without a limit: %s", got)
		}
	}
}

func TestDemoSyncTimeline(t *testing.T) {
	const total = 110 * time.Second
	steps := DemoSyncTimelineFor("dtssync", total)
	var sum time.Duration
	for _, st := range steps[:len(steps)-1] {
		sum += st.Duration
	}
	if sum != total || steps[len(steps)-1].Duration != 0 {
		t.Errorf("steps last %v in all, last step %v", sum, steps[len(steps)-1].Duration)
	}
	s, c := newListingServer(t, ActionDescribeDtsJobs)
	start := time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)
	clk := &manualClock{now: start}
	s.SetNow(clk.Now)
	c.now = clk.Now
	s.SetDtsJob("dtssync", DtsJob{Region: "cn-hangzhou", JobType: "SYNC", Steps: steps})
	var got []string
	for i := range steps {
		clk.Set(start.Add(time.Duration(i) * total / time.Duration(len(steps)-1)))
		list, _ := listOK(t, c, hangzhou("JobType", "SYNC", "DtsJobId", "dtssync"))["DtsJobList"].([]any)
		if len(list) != 1 {
			t.Fatalf("step %d: %v", i, list)
		}
		it := list[0]
		got = append(got, fmt.Sprint(dig(it, "Status"), " ", dig(it, "PrecheckStatus", "Status"), " ",
			dig(it, "StructureInitializationStatus", "Status"), " ", dig(it, "DataInitializationStatus", "Status"), " ",
			dig(it, "DataInitializationStatus", "Percent"), " ", dig(it, "DataSynchronizationStatus", "Status"), " ", dig(it, "Delay")))
	}
	want := []string{
		"Prechecking Checking <nil> <nil> <nil> <nil> <nil>",
		"Prechecking Checking <nil> <nil> <nil> <nil> <nil>",
		"Initializing Finished Migrating NotStarted 0 NotStarted <nil>",
		"Initializing Finished Finished Migrating 20 NotStarted <nil>",
		"Initializing Finished Finished Migrating 60 NotStarted <nil>",
		"Initializing Finished Finished Migrating 90 NotStarted <nil>",
		"Synchronizing Finished Finished Finished 100 Migrating 40",
		"Synchronizing Finished Finished Finished 100 Migrating 25",
		"Synchronizing Finished Finished Finished 100 Migrating 12",
		"Synchronizing Finished Finished Finished 100 Migrating 5",
		"Synchronizing Finished Finished Finished 100 Migrating 2",
		"Synchronizing Finished Finished Finished 100 Catched 0",
	}
	if !slices.Equal(got, want) {
		t.Errorf("timeline\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if r := s.RequestsFor(ActionDescribeDtsJobs)[0]; r.DtsJobID != "dtssync" || r.JobType != "SYNC" || r.PageNumber != 0 || r.Region != "cn-hangzhou" {
		t.Errorf("recorded %+v", r)
	}
}

package fakedts

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

var ordersTag = `[{"key":"cutover","value":"orders"}]`

// fleetPoll lists every page of the orders fleet as a fleet gate does, 30 jobs a page, and returns
// each job as "ID status delay", in listing order, and how many pages it took.
func fleetPoll(t *testing.T, c *testClient, extra ...string) (jobs []string, pages int) {
	t.Helper()
	for page := 1; ; page++ {
		body := listOK(t, c, hangzhou(append([]string{"PageSize", "30", "PageNumber", strconv.Itoa(page), "Tags", ordersTag}, extra...)...))
		list, _ := body["DtsJobList"].([]any)
		for _, it := range list {
			jobs = append(jobs, fmt.Sprint(dig(it, "DtsJobId"), " ", dig(it, "Status"), " ", dig(it, "DataSynchronizationStatus", "Status"), " ", dig(it, "Delay")))
		}
		total, _ := body["TotalRecordCount"].(float64)
		if len(list) == 0 || len(jobs) >= int(total) {
			return jobs, page
		}
	}
}

func TestDtsFleetMovesEachJobOneStepPerPoll(t *testing.T) {
	s, c := newListingServer(t, ActionDescribeDtsJobs)
	jobs := StaggeredFleet("dtsorders", "orders", 40, 4)
	jobs = append(jobs,
		FleetJob{ID: "dtsordersfail", Name: "orders-payments", Delays: []int64{30}, Fails: "DTS-1020042: binlog purged"},
		FleetJob{ID: "dtsorderslag", Name: "orders-audit", Delays: []int64{90, 70}, Lags: true},
	)
	s.SetDtsFleet(Fleet{Region: "cn-hangzhou", JobType: "SYNC", Tags: map[string]string{"cutover": "orders"}, Jobs: jobs})
	s.SetDtsJob("dtsother", DtsJob{Region: "cn-hangzhou", JobType: "SYNC", Tags: map[string]string{"cutover": "users"}})

	var caughtUp []int
	for poll := 1; poll <= 6; poll++ {
		got, pages := fleetPoll(t, c, "JobType", "SYNC")
		if len(got) != 42 || pages != 2 {
			t.Fatalf("poll %d: %d jobs in %d pages, want the 42 tagged jobs in 2 pages: %q", poll, len(got), pages, got)
		}
		n := 0
		for _, j := range got {
			if strings.HasSuffix(j, " Synchronizing Catched 0") {
				n++
			}
		}
		caughtUp = append(caughtUp, n)
		if poll == 1 && got[0] != "dtsorders0001 Synchronizing Migrating 60" {
			t.Errorf("poll 1: the first job is %q, want it 60 s behind", got[0])
		}
		if poll >= 2 && got[40] != "dtsordersfail Failed Failed 30" {
			t.Errorf("poll %d: the failing job is %q", poll, got[40])
		}
		if got[41] != "dtsorderslag Synchronizing Migrating "+map[bool]string{true: "90", false: "70"}[poll == 1] {
			t.Errorf("poll %d: the lagging job is %q", poll, got[41])
		}
	}
	// Job k of 40 catches up after ceil(k·4/40) steps: 10 more jobs at each poll, all 40 from the fifth.
	if want := []int{0, 10, 20, 30, 40, 40}; !slices.Equal(caughtUp, want) {
		t.Errorf("jobs caught up at each poll: %v, want %v", caughtUp, want)
	}

	list, _ := listOK(t, c, hangzhou("JobType", "SYNC", "DtsJobId", "dtsordersfail"))["DtsJobList"].([]any)
	if len(list) != 1 {
		t.Fatalf("the failed job is listed as %v", list)
	}
	item := list[0]
	if dig(item, "ErrorMessage") != "DTS-1020042: binlog purged" || dig(item, "DataSynchronizationStatus", "ErrorMessage") != "DTS-1020042: binlog purged" ||
		dig(item, "DtsJobName") != "orders-payments" || dig(item, "JobType") != "SYNC" {
		t.Errorf("the failed job's item: %v", item)
	}
}

func TestDtsFleetOfMigrationJobs(t *testing.T) {
	s, c := newListingServer(t, ActionDescribeDtsJobs)
	s.SetDtsFleet(Fleet{Region: "cn-hangzhou", Tags: map[string]string{"cutover": "orders"}, Jobs: []FleetJob{
		{ID: "m1", Delays: []int64{5}}, {ID: "m2", Fails: "source gone"},
	}})
	if got, _ := fleetPoll(t, c); !slices.Equal(got, []string{"m1 Migrating Migrating 5", "m2 MigrationFailed Failed 0"}) {
		t.Errorf("listed %q", got)
	}
}

// Each job's timeline starts at the first answer that includes it, and moves by the server clock.
func TestDtsFleetTimelinesStartWithEachJob(t *testing.T) {
	s, c := newListingServer(t, ActionDescribeDtsJobs)
	start := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	clk := &manualClock{now: start}
	s.SetNow(clk.Now)
	c.now = clk.Now
	s.SetDtsFleet(Fleet{Region: "cn-hangzhou", Tags: map[string]string{"cutover": "orders"}, Every: 10 * time.Second, Jobs: []FleetJob{
		{ID: "early", Delays: []int64{50, 20}}, {ID: "late", Delays: []int64{50, 20}},
	}})
	listOK(t, c, hangzhou("DtsJobId", "early"))
	clk.Set(start.Add(15 * time.Second))
	got, _ := fleetPoll(t, c)
	want := []string{"early Migrating Migrating 20", "late Migrating Migrating 50"}
	if !slices.Equal(got, want) {
		t.Errorf("15 s after the first job was listed: %q, want %q", got, want)
	}
	clk.Set(start.Add(30 * time.Second))
	got, _ = fleetPoll(t, c)
	want = []string{"early Migrating Catched 0", "late Migrating Migrating 20"}
	if !slices.Equal(got, want) {
		t.Errorf("30 s after: %q, want %q", got, want)
	}
}

func TestLegacyFleet(t *testing.T) {
	s, c := newListingServer(t, ActionDescribeMigrationJobs)
	s.SetFleet(Fleet{Region: "cn-hangzhou", Tags: map[string]string{"cutover": "orders"}, Jobs: []FleetJob{
		{ID: "dtsl1", Name: "orders-1", Delays: []int64{40}},
		{ID: "dtsl2", Name: "orders-2", Delays: []int64{40, 20}, Fails: "The task has failed for a long time and cannot be recovered."},
	}})
	s.SetJob("dtsl3", Job{Region: "cn-hangzhou", Tags: map[string]string{"cutover": "users"}})
	poll := func() []string {
		body := listOK(t, c, map[string]string{"RegionId": "cn-hangzhou", "Tag.1.Key": "cutover", "Tag.1.Value": "orders"})
		var out []string
		for _, it := range legacyItems(t, body) {
			out = append(out, fmt.Sprint(it["MigrationJobID"], " ", it["MigrationJobName"], " ", it["MigrationJobStatus"], " ",
				dig(it, "Precheck", "Status"), " ", dig(it, "DataSynchronization", "status"), " ", dig(it, "DataSynchronization", "Delay"), " ",
				dig(it, "DataSynchronization", "ErrorMessage")))
		}
		return out
	}
	want := [][]string{
		{"dtsl1 orders-1 Migrating Success Migrating 40 <nil>", "dtsl2 orders-2 Migrating Success Migrating 40 <nil>"},
		{"dtsl1 orders-1 Migrating Success Catched 0 <nil>", "dtsl2 orders-2 Migrating Success Migrating 20 <nil>"},
		{"dtsl1 orders-1 Migrating Success Catched 0 <nil>",
			"dtsl2 orders-2 MigrationFailed Success Failed 20 The task has failed for a long time and cannot be recovered."},
	}
	for i, w := range want {
		if got := poll(); !slices.Equal(got, w) {
			t.Errorf("poll %d:\n%s\nwant\n%s", i+1, strings.Join(got, "\n"), strings.Join(w, "\n"))
		}
	}
	// The status call answers from the same timeline.
	c.action = ActionDescribeMigrationJobStatus
	body := listOK(t, c, map[string]string{"RegionId": "cn-hangzhou", "MigrationJobId": "dtsl2"})
	if body["MigrationJobStatus"] != "MigrationFailed" || dig(body, "DataSynchronizationStatus", "Status") != "Failed" {
		t.Errorf("the status call: %v", body)
	}
}

func TestStaggeredFleet(t *testing.T) {
	jobs := StaggeredFleet("dtsx", "db", 7, 3)
	var behind []int
	for _, j := range jobs {
		behind = append(behind, len(j.Delays))
		if j.Delays[0] != 60 || !slices.IsSortedFunc(j.Delays, func(a, b int64) int { return int(b - a) }) || j.Delays[len(j.Delays)-1] <= 0 {
			t.Errorf("%s: delays %v, want falling from 60 and above 0", j.ID, j.Delays)
		}
		if j.Fails != "" || j.Lags {
			t.Errorf("%s fails or lags", j.ID)
		}
	}
	if want := []int{1, 1, 2, 2, 3, 3, 3}; !slices.Equal(behind, want) {
		t.Errorf("steps behind: %v, want %v", behind, want)
	}
	if jobs[0].ID != "dtsx0001" || jobs[6].Name != "db-007" {
		t.Errorf("named %q and %q", jobs[0].ID, jobs[6].Name)
	}
	if got := StaggeredFleet("dtsx", "db", 3, 6)[2].Delays; !slices.Equal(got, []int64{60, 50, 40, 30, 20, 10}) {
		t.Errorf("the last of 3 over 6 steps: %v", got)
	}
}

// The Tags filter reads a job's tags without rendering its item where it can; a verbatim item still
// answers with the tags it carries.
func TestDescribeDtsJobsTagsOfAVerbatimItem(t *testing.T) {
	s, c := newListingServer(t, ActionDescribeDtsJobs)
	s.SetDtsJob("raw", DtsJob{Region: "cn-hangzhou", Tags: map[string]string{"cutover": "orders"}, Steps: []Step{
		{Raw: []byte(`{"DtsJobId":"raw","Status":"Migrating","TagList":[{"TagKey":"cutover","TagValue":"billing"}]}`)},
	}})
	s.SetDtsJob("filled", DtsJob{Region: "cn-hangzhou", Tags: map[string]string{"cutover": "orders"}, Steps: []Step{
		{Body: DtsState{Status: "Migrating"}.Item("filled")},
	}})
	s.SetDtsJob("bare", DtsJob{Region: "cn-hangzhou", Tags: map[string]string{"cutover": "orders"}})
	for tags, want := range map[string][]string{
		ordersTag:                               {"filled", "bare"},
		`[{"key":"cutover","value":"billing"}]`: {"raw"},
	} {
		if got := dtsIDs(listOK(t, c, hangzhou("Tags", tags))); !slices.Equal(got, want) {
			t.Errorf("Tags %s: listed %q, want %q", tags, got, want)
		}
		if got := dtsIDs(listOK(t, c, hangzhou("Tags", tags, "Status", "Migrating"))); !slices.Equal(got, slices.DeleteFunc(slices.Clone(want), func(id string) bool { return id == "bare" })) {
			t.Errorf("Tags %s and Status Migrating: listed %q", tags, got)
		}
	}
}

// A fleet may start each item from a template, such as the documented sample's first job.
func TestDtsFleetFromATemplate(t *testing.T) {
	s, c := newListingServer(t, ActionDescribeDtsJobs)
	var sample struct{ DtsJobList []map[string]any }
	mustUnmarshal(DocumentedDtsJobsSample, &sample)
	template := sample.DtsJobList[0]
	s.SetDtsFleet(Fleet{Region: "cn-hangzhou", Tags: map[string]string{"cutover": "orders"}, Template: template, Jobs: []FleetJob{
		{ID: "t1", Name: "orders-1", Delays: []int64{30}}, {ID: "t2", Name: "orders-2", Fails: "lost"},
	}})
	first, _ := fleetPoll(t, c)
	second, _ := fleetPoll(t, c)
	if want := []string{"t1 Migrating Migrating 30", "t2 MigrationFailed Failed 0"}; !slices.Equal(first, want) {
		t.Errorf("first poll %q, want %q", first, want)
	}
	if want := []string{"t1 Migrating Catched 0", "t2 MigrationFailed Failed 0"}; !slices.Equal(second, want) {
		t.Errorf("second poll %q, want %q", second, want)
	}
	list, _ := listOK(t, c, hangzhou("DtsJobId", "t1"))["DtsJobList"].([]any)
	if len(list) != 1 || dig(list[0], "DtsJobName") != "orders-1" || dig(list[0], "DataSynchronizationStatus", "Progress") != "0/0" ||
		dig(list[0], "FullDataCheckStatus", "CanSwitch") != true || dig(list[0], "TagList") == nil {
		t.Errorf("the item keeps the template's other fields and gets the job's identity: %v", list)
	}
	if st, _ := template["DataSynchronizationStatus"].(map[string]any); st["Status"] != "Migrating" || template["Delay"] != 3.0 {
		t.Errorf("the template was changed: %v", template)
	}
}

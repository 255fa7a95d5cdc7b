package fakedts

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"
)

// detailOK asks for a job's detail in cn-hangzhou and fails unless the call succeeds.
func detailOK(t *testing.T, c *testClient, id string) map[string]any {
	t.Helper()
	c.action = ActionDescribeDtsJobDetail
	resp, body := c.call(http.MethodPost, map[string]string{"DtsJobId": id, "RegionId": "cn-hangzhou", "SyncSubJobHistory": "false"})
	if resp.StatusCode != http.StatusOK || body["Success"] != true {
		t.Fatalf("HTTP %d %v", resp.StatusCode, body)
	}
	return body
}

// listJob lists one job of type SYNC in cn-hangzhou, which moves its timeline.
func listJob(t *testing.T, c *testClient, id string) map[string]any {
	t.Helper()
	c.action = ActionDescribeDtsJobs
	list, _ := listOK(t, c, hangzhou("JobType", "SYNC", "DtsJobId", id))["DtsJobList"].([]any)
	if len(list) != 1 {
		t.Fatalf("listed %v", list)
	}
	item, ok := list[0].(map[string]any)
	if !ok {
		t.Fatalf("listed %v", list[0])
	}
	return item
}

// subJobs describes the sub-jobs of a detail answer: list, ID, status, sync status and delay as sent.
func subJobs(body map[string]any) []string {
	var out []string
	for _, list := range []string{"SubDistributedJob", "SubSyncJob"} {
		items, _ := body[list].([]any)
		for _, it := range items {
			out = append(out, fmt.Sprint(list, " ", dig(it, "DtsJobId"), " ", dig(it, "Status"), " ",
				dig(it, "DataSynchronizationStatus", "Status"), " ", dig(it, "Delay")))
		}
	}
	return out
}

func TestDtsDetailShape(t *testing.T) {
	body := DtsDetail{
		Job:      caughtUp("Catched", 2),
		TaskType: "Distributed_xxx",
		Distributed: []DtsSubJob{
			{ID: "s0", DtsState: DtsState{Status: "Synchronizing", Sync: "Migrating", Delay: Delay(3), Checkpoint: 1717650471,
				RetryError: "lost connection", Precheck: "Finished"}},
			{ID: "s1", DtsState: DtsState{Status: "Synchronizing", Sync: "Catched"}, DelayMillis: ptr(int64(1500))},
		},
		Sync: []DtsSubJob{},
	}.Body("j")
	var got map[string]any
	decodeInto(t, marshalJSON(body), &got)
	checks := []struct {
		path []string
		want any
	}{
		{[]string{"DtsJobId"}, "j"},
		{[]string{"JobType"}, "sync"},
		{[]string{"TaskType"}, "Distributed_xxx"},
		{[]string{"Delay"}, 2000.0},
		{[]string{"MigrationMode", "DataExtractTransformLoad"}, false},
		{[]string{"MigrationMode", "FullDataCheck"}, nil},
		{[]string{"RetryState", "ErrMessage"}, ""},
		{[]string{"PrecheckStatus"}, nil},
		{[]string{"SubDistributedJob", "0", "Delay"}, 3000.0},
		{[]string{"SubDistributedJob", "0", "Checkpoint"}, "1717650471"},
		{[]string{"SubDistributedJob", "0", "RetryState", "ErrMsg"}, "lost connection"},
		{[]string{"SubDistributedJob", "0", "RetryState", "ErrMessage"}, nil},
		{[]string{"SubDistributedJob", "0", "PrecheckStatus", "Status"}, "Finished"},
		{[]string{"SubDistributedJob", "0", "JobType"}, "SYNC"},
		{[]string{"SubDistributedJob", "1", "Delay"}, 1500.0},
		{[]string{"SubDistributedJob", "1", "DtsJobId"}, "s1"},
	}
	for _, c := range checks {
		if v := digPath(got, c.path); v != c.want {
			t.Errorf("%s = %#v, want %#v", strings.Join(c.path, "."), v, c.want)
		}
	}
	if list, ok := got["SubSyncJob"].([]any); !ok || len(list) != 0 {
		t.Errorf("an empty Sync list is sent as [], got %#v", got["SubSyncJob"])
	}
	seconds := DtsDetail{Job: caughtUp("Migrating", 30), DelaysInSeconds: true,
		Distributed: []DtsSubJob{{ID: "s", DtsState: DtsState{Delay: Delay(4)}}, {ID: "t", DelayMillis: ptr(int64(1200))}}}.Body("j")
	decodeInto(t, marshalJSON(seconds), &got)
	if d := []any{got["Delay"], digPath(got, []string{"SubDistributedJob", "0", "Delay"}), digPath(got, []string{"SubDistributedJob", "1", "Delay"})}; !slices.Equal(d, []any{30.0, 4.0, 2.0}) {
		t.Errorf("delays sent in seconds: %v, want 30, 4 and 2 (1200 ms rounded up)", d)
	}
}

func ptr[T any](v T) *T { return &v }

func decodeInto(t *testing.T, raw []byte, out *map[string]any) {
	t.Helper()
	*out = decodeObject(t, raw)
}

// digPath follows keys and list indexes through decoded JSON.
func digPath(v any, path []string) any {
	for _, p := range path {
		switch x := v.(type) {
		case map[string]any:
			v = x[p]
		case []any:
			var i int
			if _, err := fmt.Sscan(p, &i); err != nil || i >= len(x) {
				return nil
			}
			v = x[i]
		default:
			return nil
		}
	}
	return v
}

func TestDescribeDtsJobDetailFollowsTheListing(t *testing.T) {
	s, c := newListingServer(t, ActionDescribeDtsJobs)
	detail := func(lag int64) any {
		return DtsDetail{Job: caughtUp("Catched", 0), Distributed: []DtsSubJob{shard("sh", "Migrating", lag)}}.Body("d")
	}
	s.SetDtsJob("d", DtsJob{Region: "cn-hangzhou", JobType: "SYNC", Name: "dist", Steps: []Step{
		{Body: caughtUp("Catched", 0).Item("d"), Detail: detail(9000), Requests: 1},
		{Body: caughtUp("Catched", 0).Item("d"), Detail: detail(4000), Requests: 1},
		{Body: caughtUp("Catched", 0).Item("d"), Detail: detail(0)},
	}})
	var got []string
	got = append(got, subJobs(detailOK(t, c, "d"))...) // before any listing: the first step
	got = append(got, subJobs(detailOK(t, c, "d"))...) // the detail call does not move the timeline
	listJob(t, c, "d")
	got = append(got, subJobs(detailOK(t, c, "d"))...)
	listJob(t, c, "d")
	got = append(got, subJobs(detailOK(t, c, "d"))...)
	listJob(t, c, "d")
	body := detailOK(t, c, "d")
	got = append(got, subJobs(body)...)
	want := []string{
		"SubDistributedJob sh Synchronizing Migrating 9000",
		"SubDistributedJob sh Synchronizing Migrating 9000",
		"SubDistributedJob sh Synchronizing Migrating 9000",
		"SubDistributedJob sh Synchronizing Migrating 4000",
		"SubDistributedJob sh Synchronizing Migrating 0",
	}
	if !slices.Equal(got, want) {
		t.Errorf("detail answers\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if body["DtsJobId"] != "d" || body["DtsJobName"] != "dist" || body["RequestId"] == "" {
		t.Errorf("identity: %v %v %v", body["DtsJobId"], body["DtsJobName"], body["RequestId"])
	}
	if r := s.RequestsFor(ActionDescribeDtsJobDetail); len(r) != 5 || r[0].DtsJobID != "d" || r[0].RegionID != "cn-hangzhou" {
		t.Errorf("recorded %d detail requests: %+v", len(r), r)
	}
}

func TestDescribeDtsJobDetailDerivedFromTheItem(t *testing.T) {
	s, c := newListingServer(t, ActionDescribeDtsJobs)
	s.SetDtsJob("plain", DtsJob{Region: "cn-hangzhou", JobType: "SYNC", Steps: []Step{{Body: caughtUp("Migrating", 7).Item("plain")}}})
	s.SetDtsJob("bare", DtsJob{Region: "cn-hangzhou", JobType: "SYNC"})
	listJob(t, c, "plain")
	body := detailOK(t, c, "plain")
	if body["Delay"] != 7000.0 || body["Status"] != "Synchronizing" || dig(body, "DataSynchronizationStatus", "Status") != "Migrating" {
		t.Errorf("derived detail: %v", body)
	}
	if _, ok := body["SubDistributedJob"]; ok {
		t.Errorf("a job without sub-jobs lists SubDistributedJob: %v", body["SubDistributedJob"])
	}
	if body := detailOK(t, c, "bare"); body["Status"] != "NotStarted" || body["DtsJobId"] != "bare" {
		t.Errorf("a job without steps: %v", body)
	}
}

func TestDescribeDtsJobDetailErrors(t *testing.T) {
	s, c := newListingServer(t, ActionDescribeDtsJobDetail)
	s.SetDtsJob("j", DtsJob{Region: "cn-hangzhou", JobType: "SYNC"})
	for _, tt := range []struct {
		name   string
		params map[string]string
		status int
		code   string
	}{
		{"no DtsJobId", map[string]string{"RegionId": "cn-hangzhou"}, http.StatusBadRequest, "MissingParameter"},
		{"a bad SyncSubJobHistory", map[string]string{"DtsJobId": "j", "RegionId": "cn-hangzhou", "SyncSubJobHistory": "sometimes"}, http.StatusBadRequest, "InvalidParameter"},
		{"an unknown job", map[string]string{"DtsJobId": "nope", "RegionId": "cn-hangzhou"}, http.StatusOK, "Forbidden.InstanceNotFound"},
		{"another region", map[string]string{"DtsJobId": "j", "RegionId": "cn-beijing"}, http.StatusOK, "Forbidden.InstanceNotFound"},
		{"no region", map[string]string{"DtsJobId": "j"}, http.StatusOK, "Forbidden.InstanceNotFound"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := c.call(http.MethodPost, tt.params)
			if tt.status != http.StatusOK {
				wantGatewayError(t, resp, body, tt.status, tt.code)
				return
			}
			if resp.StatusCode != http.StatusOK || body["Success"] != false || body["ErrCode"] != tt.code {
				t.Errorf("HTTP %d %v, want DTS's own shape with %s", resp.StatusCode, body, tt.code)
			}
		})
	}
	s.SetRateLimit(ActionDescribeDtsJobDetail, 1)
	detailOK(t, c, "j")
	resp, body := c.call(http.MethodPost, map[string]string{"DtsJobId": "j", "RegionId": "cn-hangzhou"})
	wantGatewayError(t, resp, body, http.StatusBadRequest, "Throttling.User")
}

// timelineRun reads a timeline at each step's start, listing then describing the job as a poll does,
// and describes each read with describe.
func timelineRun(t *testing.T, id string, steps []Step, total time.Duration, describe func(item, detail map[string]any) string) []string {
	t.Helper()
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
	s.SetDtsJob(id, DtsJob{Region: "cn-hangzhou", JobType: "SYNC", Steps: steps})
	var got []string
	for i := range steps {
		clk.Set(start.Add(time.Duration(i) * total / time.Duration(len(steps)-1)))
		item := listJob(t, c, id)
		got = append(got, describe(item, detailOK(t, c, id)))
	}
	return got
}

func TestSubJobTimelines(t *testing.T) {
	const total = 60 * time.Second
	tests := []struct {
		name     string
		steps    []Step
		describe func(item, detail map[string]any) string
		want     []string
	}{
		{
			name:  "distributed: the job is Catched while its second shard lags",
			steps: DistributedTimelineFor("dist", total),
			describe: func(item, detail map[string]any) string {
				return fmt.Sprint(dig(item, "Status"), " ", dig(item, "DataSynchronizationStatus", "Status"), " ", dig(item, "Delay"), " | ",
					strings.Join(subJobs(detail), "; "))
			},
			want: []string{
				"Synchronizing Catched 0 | SubDistributedJob dist_shard0 Synchronizing Catched 0; SubDistributedJob dist_shard1 Synchronizing Migrating 754000; SubDistributedJob dist_shard2 Synchronizing Catched 400",
				"Synchronizing Catched 0 | SubDistributedJob dist_shard0 Synchronizing Catched 0; SubDistributedJob dist_shard1 Synchronizing Migrating 300000; SubDistributedJob dist_shard2 Synchronizing Catched 400",
				"Synchronizing Catched 0 | SubDistributedJob dist_shard0 Synchronizing Catched 0; SubDistributedJob dist_shard1 Synchronizing Migrating 90000; SubDistributedJob dist_shard2 Synchronizing Catched 400",
				"Synchronizing Catched 0 | SubDistributedJob dist_shard0 Synchronizing Catched 0; SubDistributedJob dist_shard1 Synchronizing Migrating 12500; SubDistributedJob dist_shard2 Synchronizing Catched 400",
				"Synchronizing Catched 0 | SubDistributedJob dist_shard0 Synchronizing Catched 0; SubDistributedJob dist_shard1 Synchronizing Migrating 3000; SubDistributedJob dist_shard2 Synchronizing Catched 400",
				"Synchronizing Catched 0 | SubDistributedJob dist_shard0 Synchronizing Catched 0; SubDistributedJob dist_shard1 Synchronizing Catched 0; SubDistributedJob dist_shard2 Synchronizing Catched 0",
			},
		},
		{
			name:  "sub-sync: the job is Modifying while its sub-job loads the new tables",
			steps: SubSyncTimelineFor("mod", total),
			describe: func(item, detail map[string]any) string {
				sub := digPath(detail, []string{"SubSyncJob", "0"})
				return fmt.Sprint(dig(item, "Status"), " ", dig(item, "DataSynchronizationStatus", "Status"), " ", dig(item, "Delay"), " | ",
					dig(sub, "DtsJobId"), " ", dig(sub, "Status"), " ", dig(sub, "PrecheckStatus", "Status"), " ",
					dig(sub, "StructureInitializationStatus", "Status"), " ", dig(sub, "DataInitializationStatus", "Status"), " ",
					dig(sub, "DataInitializationStatus", "Percent"), " ", dig(sub, "DataSynchronizationStatus", "Status"), " ", dig(sub, "Delay"))
			},
			want: []string{
				"Modifying Catched 1 | mod_sub Prechecking Checking <nil> <nil> <nil> <nil> <nil>",
				"Modifying Catched 1 | mod_sub Initializing Finished Migrating NotStarted 0 NotStarted <nil>",
				"Modifying Catched 1 | mod_sub Initializing Finished Finished Migrating 37 NotStarted <nil>",
				"Modifying Catched 1 | mod_sub Initializing Finished Finished Migrating 80 NotStarted <nil>",
				"Modifying Catched 1 | mod_sub Synchronizing Finished Finished Finished 100 Migrating 20000",
				"Synchronizing Catched 0 | mod_sub Finished Finished Finished Finished 100 Catched 0",
			},
		},
		{
			name:  "two-way: the reverse job catches up; the detail has no sub-jobs",
			steps: TwoWayTimelineFor("tw", total),
			describe: func(item, detail map[string]any) string {
				return fmt.Sprint(dig(item, "Status"), " ", dig(item, "Delay"), " | reverse ", dig(item, "ReverseJob", "DtsJobId"), " ",
					dig(item, "ReverseJob", "Status"), " ", dig(item, "ReverseJob", "DataSynchronizationStatus", "Status"), " ",
					dig(item, "ReverseJob", "Delay"), " ", dig(item, "ReverseJob", "DtsJobDirection"), " | ", len(subJobs(detail)), " sub-jobs")
			},
			want: []string{
				"Synchronizing 0 | reverse tw_reverse Initializing NotStarted <nil> Reverse | 0 sub-jobs",
				"Synchronizing 0 | reverse tw_reverse Synchronizing Migrating 8 Reverse | 0 sub-jobs",
				"Synchronizing 0 | reverse tw_reverse Synchronizing Catched 0 Reverse | 0 sub-jobs",
			},
		},
		{
			name:  "seconds: the detail reports the same figures as DescribeDtsJobs",
			steps: SecondsTimelineFor("sec", total),
			describe: func(item, detail map[string]any) string {
				return fmt.Sprint(dig(item, "Delay"), " ", detail["Delay"], " | ", strings.Join(subJobs(detail), "; "))
			},
			want: []string{
				"30 30 | SubDistributedJob sec_shard0 Synchronizing Migrating 30; SubDistributedJob sec_shard1 Synchronizing Migrating 4",
				"12 12 | SubDistributedJob sec_shard0 Synchronizing Migrating 12; SubDistributedJob sec_shard1 Synchronizing Migrating 2",
				"3 3 | SubDistributedJob sec_shard0 Synchronizing Migrating 3; SubDistributedJob sec_shard1 Synchronizing Migrating 1",
				"0 0 | SubDistributedJob sec_shard0 Synchronizing Catched 0; SubDistributedJob sec_shard1 Synchronizing Catched 0",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			id, _ := dig(tt.steps[0].Body, "DtsJobId").(string)
			got := timelineRun(t, id, tt.steps, total, tt.describe)
			if !slices.Equal(got, tt.want) {
				t.Errorf("timeline\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}

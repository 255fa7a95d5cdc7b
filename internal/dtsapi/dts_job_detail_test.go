package dtsapi

import (
	"context"
	"errors"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/openmigrate/terraform-provider-dts/internal/fakedts"
)

func TestDescribeDtsJobDetailRequest(t *testing.T) {
	s := newScriptedServer(t, respond(200, `{"RequestId":"R","Success":true,"DtsJobId":"j"}`))
	c := newTestClient(t, s.srv.URL)
	if _, err := c.DescribeDtsJobDetail(context.Background(), DescribeDtsJobDetailRequest{DtsJobID: "j", RegionID: "cn-shanghai"}); err != nil {
		t.Fatal(err)
	}
	got := s.requests()[0]
	for k, v := range map[string]string{"Action": "DescribeDtsJobDetail", "DtsJobId": "j", "RegionId": "cn-shanghai", "SyncSubJobHistory": "false"} {
		if got.Get(k) != v {
			t.Errorf("%s = %q, want %q", k, got.Get(k), v)
		}
	}
	// The call takes RegionId only; Region would be an unknown parameter to it.
	if got.Has("Region") || got.Has("SynchronizationDirection") {
		t.Errorf("sent %v", got)
	}
	if _, err := c.DescribeDtsJobDetail(context.Background(), DescribeDtsJobDetailRequest{}); err == nil || len(s.requests()) != 1 {
		t.Errorf("an empty DtsJobId was sent or accepted: %v", err)
	}
}

// TestDecodeDtsJobDetailSamples reads the fact sheet's two samples: a distributed job with three shards
// and a job in Modifying with its sub-sync-job.
func TestDecodeDtsJobDetailSamples(t *testing.T) {
	d := decodeAs[DtsJobDetail](t, readSample(t, "dts_job_detail_distributed.json"))
	if d.DtsJobID.Val != "k2q7m1x9c4b****" || d.Delay != IntOf(754000) || d.Checkpoint != IntOf(1717650471) || d.TaskType.Val != "Distributed_xxx" {
		t.Errorf("top level: %+v %+v %+v %+v", d.DtsJobID, d.Delay, d.Checkpoint, d.TaskType)
	}
	if n := len(d.SubDistributedJob.Items); n != 3 || d.SubSyncJob.Present {
		t.Fatalf("%d distributed sub-jobs, sync list present %v", n, d.SubSyncJob.Present)
	}
	lagging := d.SubDistributedJob.Items[1]
	switch {
	case lagging.DtsJobID.Val != "f6g7h8i9j0k****" || lagging.Delay != IntOf(754000) || lagging.Checkpoint != IntOf(1717650471):
		t.Errorf("shard 1: %+v %+v %+v", lagging.DtsJobID, lagging.Delay, lagging.Checkpoint)
	case lagging.DataSynchronizationStatus.Get().Status.Val != "Migrating" || lagging.DataSynchronizationStatus.Get().NeedUpgrade != BoolOf(true):
		t.Errorf("shard 1 sync: %+v", lagging.DataSynchronizationStatus.Get())
	case lagging.SourceEndpoint.Get().DatabaseName.Val != "orders_0001" || lagging.TaskType.Val != "rds":
		t.Errorf("shard 1 source: %+v", lagging.SourceEndpoint.Get())
	case lagging.PrecheckStatus.Get().Status.Val != "Finished" || !lagging.PrecheckStatus.Get().Detail.Present:
		t.Errorf("shard 1 precheck: %+v", lagging.PrecheckStatus.Get())
	}

	m := decodeAs[DtsJobDetail](t, readSample(t, "dts_job_detail_modifying.json"))
	if m.Status.Val != "Modifying" || len(m.SubSyncJob.Items) != 1 || m.SubDistributedJob.Present {
		t.Fatalf("Modifying sample: %+v, %d sync sub-jobs", m.Status, len(m.SubSyncJob.Items))
	}
	sub := m.SubSyncJob.Items[0]
	if sub.Status.Val != "Initializing" || sub.DataInitializationStatus.Get().Percent != IntOf(37) ||
		len(sub.PrecheckStatus.Get().Detail.Items) != 2 || !strings.Contains(sub.DbObject.Val, "invoice") {
		t.Errorf("sub-sync-job: %+v", sub)
	}
}

func TestDecodeDtsJobDetailListForms(t *testing.T) {
	d := decodeAs[DtsJobDetail](t, `{"DtsJobId": "j",
		"SubDistributedJob": {"SubDistributedJob": [{"DtsJobId": "a", "Delay": "1500"}, {"DtsJobId": "b"}]},
		"SubSyncJob": {"SubSyncJob": {"DtsJobId": "c", "RetryState": {"ErrMsg": "lost"}}}}`)
	read := ReadSubJobs(d, "j", Int{})
	var got []string
	for _, s := range read.Items {
		got = append(got, s.Kind+":"+s.DtsJobID.Val)
	}
	if !slices.Equal(got, []string{"distributed:a", "distributed:b", "sync:c"}) {
		t.Errorf("wrapped lists read as %q", got)
	}
	if read.Items[0].DelaySeconds != IntOf(2) || read.Items[1].DelaySeconds.Set || read.Items[2].RetryState.Get().Message().Val != "lost" {
		t.Errorf("items: %+v %+v %+v", read.Items[0].DelaySeconds, read.Items[1].DelaySeconds, read.Items[2].RetryState.Get())
	}
}

// Sub-jobs the answer holds but the read cannot take are said, so that a gate does not open on the
// sub-jobs it could read; a well-formed answer has none.
func TestReadSubJobsSaysWhatItCouldNotRead(t *testing.T) {
	tests := []struct {
		name, body string
		wantItems  int
		want       []string
	}{
		{"well formed", `{"SubDistributedJob": [{"DtsJobId": "a"}], "SubSyncJob": []}`, 1, nil},
		{"not a list", `{"SubDistributedJob": 7, "SubSyncJob": [{"DtsJobId": "c"}]}`, 1, []string{"SubDistributedJob is not a list: 7"}},
		{"elements that are not objects", `{"SubDistributedJob": [{"DtsJobId": "a"}, "shard1", 3], "SubSyncJob": true}`, 1,
			[]string{`2 element(s) of SubDistributedJob are not objects, the first: "shard1"`, "; SubSyncJob is not a list: true"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := ReadSubJobs(decodeAs[DtsJobDetail](t, tt.body), "j", Int{})
			if len(r.Items) != tt.wantItems {
				t.Errorf("read %d sub-jobs, want %d", len(r.Items), tt.wantItems)
			}
			if (r.Unread == "") != (len(tt.want) == 0) {
				t.Errorf("Unread = %q, want it to hold %q", r.Unread, tt.want)
			}
			for _, w := range tt.want {
				if !strings.Contains(r.Unread, w) {
					t.Errorf("Unread = %q, want it to hold %q", r.Unread, w)
				}
			}
		})
	}
}

func TestSecondsFromMillisecondsRoundsUp(t *testing.T) {
	for _, tt := range []struct{ ms, s int64 }{
		{0, 0}, {1, 1}, {400, 1}, {999, 1}, {1000, 1}, {1001, 2}, {12500, 13}, {754000, 754},
		{-1500, -1}, {math.MaxInt64, math.MaxInt64/1000 + 1},
	} {
		if got := SecondsFromMilliseconds(tt.ms); got != tt.s {
			t.Errorf("SecondsFromMilliseconds(%d) = %d, want %d", tt.ms, got, tt.s)
		}
	}
}

func TestDetailDelayUnitCheck(t *testing.T) {
	unset := Int{}
	tests := []struct {
		name               string
		jobsDelay, detail  Int
		seconds            bool
		wantSubJobSeconds  int64
		wantWarningFigures []string
	}{
		{name: "milliseconds, as documented", jobsDelay: IntOf(30), detail: IntOf(30000), wantSubJobSeconds: 13},
		{name: "milliseconds, the lag halved between the calls", jobsDelay: IntOf(30), detail: IntOf(15000), wantSubJobSeconds: 13},
		{name: "seconds: the same figure", jobsDelay: IntOf(30), detail: IntOf(30), seconds: true, wantSubJobSeconds: 12500,
			wantWarningFigures: []string{"delay of 30 s", "a delay of 30 for it", "would be 1 s"}},
		{name: "seconds: just under 100 times", jobsDelay: IntOf(2), detail: IntOf(199), seconds: true, wantSubJobSeconds: 12500,
			wantWarningFigures: []string{"delay of 2 s", "a delay of 199 for it"}},
		{name: "100 times is milliseconds", jobsDelay: IntOf(2), detail: IntOf(200), wantSubJobSeconds: 13},
		{name: "below 2 s it cannot tell", jobsDelay: IntOf(1), detail: IntOf(1), wantSubJobSeconds: 13},
		{name: "no delay from DescribeDtsJobs", jobsDelay: unset, detail: IntOf(5), wantSubJobSeconds: 13},
		{name: "no delay in the detail", jobsDelay: IntOf(30), detail: unset, wantSubJobSeconds: 13},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := DetailDelayInSeconds(tt.jobsDelay, tt.detail); got != tt.seconds {
				t.Errorf("DetailDelayInSeconds = %v, want %v", got, tt.seconds)
			}
			d := &DtsJobDetail{DtsJobID: StringOf("j"), Delay: tt.detail,
				SubSyncJob: ListOf(SyncSubJob{SubJob{JobCore: JobCore{DtsJobID: StringOf("s")}, Delay: IntOf(12500)}})}
			r := ReadSubJobs(d, "j", tt.jobsDelay)
			if r.DelaysInSeconds != tt.seconds || r.Items[0].DelaySeconds != IntOf(tt.wantSubJobSeconds) {
				t.Errorf("read: in seconds %v, sub-job delay %+v; want %v, %d", r.DelaysInSeconds, r.Items[0].DelaySeconds, tt.seconds, tt.wantSubJobSeconds)
			}
			if (r.UnitWarning != "") != tt.seconds {
				t.Errorf("warning %q", r.UnitWarning)
			}
			for _, want := range tt.wantWarningFigures {
				if !strings.Contains(r.UnitWarning, want) {
					t.Errorf("warning %q does not say %q", r.UnitWarning, want)
				}
			}
			if r.Items[0].Delay != IntOf(12500) {
				t.Errorf("the sub-job's Delay as sent changed: %+v", r.Items[0].Delay)
			}
		})
	}
}

// newFakeClient starts a fake with the test key and returns it with a client on the system clock.
func newFakeClient(t *testing.T) (*fakedts.Server, *testClient) {
	t.Helper()
	f := fakedts.NewServer()
	t.Cleanup(f.Close)
	f.AddSTSKey(testKeyID, testSecret, testToken)
	return f, newTestClient(t, f.URL(), func(cfg *Config) { cfg.Clock = nil })
}

func TestDescribeDtsJobWithSubJobsAgainstTheFake(t *testing.T) {
	f, c := newFakeClient(t)
	f.SetDtsJob("dist", fakedts.DtsJob{Region: "cn-hangzhou", JobType: "SYNC", Steps: fakedts.DistributedTimelineFor("dist", time.Hour)})
	f.SetDtsJob("mod", fakedts.DtsJob{Region: "cn-hangzhou", JobType: "SYNC", Steps: fakedts.SubSyncTimelineFor("mod", time.Hour)})
	req := DescribeDtsJobRequest{DtsJobID: "dist", RegionID: "cn-hangzhou", JobTypes: []string{JobTypeSynchronization}, SubJobs: true}
	read, err := c.DescribeDtsJob(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	if read.SubJobs == nil || read.SubJobs.DelaysInSeconds || read.SubJobs.UnitWarning != "" || !read.SubJobs.RequestID.Set {
		t.Fatalf("sub-jobs read %+v", read.SubJobs)
	}
	var got []string
	for _, s := range read.SubJobs.Items {
		got = append(got, s.Kind+" "+s.DtsJobID.Val+" "+s.DataSynchronizationStatus.Get().Status.Val+" "+strconv.FormatInt(s.DelaySeconds.Val, 10))
	}
	want := []string{"distributed dist_shard0 Catched 0", "distributed dist_shard1 Migrating 754", "distributed dist_shard2 Catched 1"}
	if !slices.Equal(got, want) {
		t.Errorf("sub-jobs %q, want %q (400 ms rounds up to 1 s)", got, want)
	}

	read, err = c.DescribeDtsJob(context.Background(), DescribeDtsJobRequest{DtsJobID: "mod", RegionID: "cn-hangzhou", JobTypes: []string{JobTypeSynchronization}, SubJobs: true})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(read.SubJobs.Items); n != 1 || read.SubJobs.Items[0].Kind != SubJobSync || read.Job.Status.Val != "Modifying" {
		t.Errorf("Modifying job: status %+v, %d sub-jobs %+v", read.Job.Status, n, read.SubJobs.Items)
	}

	// Without SubJobs, one request per read, as before.
	f.ResetRequests()
	req.SubJobs = false
	if read, err = c.DescribeDtsJob(context.Background(), req); err != nil || read.SubJobs != nil {
		t.Fatalf("read %+v, %v", read, err)
	}
	if n := len(f.Requests()); n != 1 {
		t.Errorf("a read without sub-jobs made %d requests", n)
	}
}

func TestDescribeDtsJobTakesSecondsWhenTheDetailReportsThem(t *testing.T) {
	f, c := newFakeClient(t)
	f.SetDtsJob("sec", fakedts.DtsJob{Region: "cn-hangzhou", JobType: "SYNC", Steps: fakedts.SecondsTimelineFor("sec", time.Hour)})
	read, err := c.DescribeDtsJob(context.Background(), DescribeDtsJobRequest{DtsJobID: "sec", RegionID: "cn-hangzhou", JobTypes: []string{JobTypeSynchronization}, SubJobs: true})
	if err != nil {
		t.Fatal(err)
	}
	s := read.SubJobs
	if !s.DelaysInSeconds || s.Items[0].DelaySeconds != IntOf(30) || s.Items[1].DelaySeconds != IntOf(4) {
		t.Errorf("in seconds %v, delays %+v %+v; want 30 and 4", s.DelaysInSeconds, s.Items[0].DelaySeconds, s.Items[1].DelaySeconds)
	}
	for _, want := range []string{`job "sec"`, "DescribeDtsJobs reports a delay of 30 s", "DescribeDtsJobDetail a delay of 30"} {
		if !strings.Contains(s.UnitWarning, want) {
			t.Errorf("warning %q does not say %q", s.UnitWarning, want)
		}
	}
}

func TestSubJobsOfAJobTheDetailCallDoesNotKnowArePermanent(t *testing.T) {
	t.Run("an error code", func(t *testing.T) {
		f, c := newFakeClient(t)
		f.SetDtsJob("j", fakedts.DtsJob{Region: "cn-hangzhou", JobType: "SYNC"})
		// The listing answers as usual; the detail call says the job is not there.
		f.QueueFaults(fakedts.Fault{Header: http.Header{"X-Test": {"listing"}}}, fakedts.Fault{DTSShape: true, Code: "Forbidden.InstanceNotFound"})
		_, err := c.DescribeDtsJob(context.Background(), DescribeDtsJobRequest{DtsJobID: "j", RegionID: "cn-hangzhou", JobTypes: []string{JobTypeSynchronization}, SubJobs: true})
		var nf *SubJobsNotFoundError
		if !errors.As(err, &nf) || !IsPermanent(err) || nf.DtsJobID != "j" || nf.Region != "cn-hangzhou" {
			t.Fatalf("err = %v, want a permanent SubJobsNotFoundError", err)
		}
		for _, want := range []string{`DescribeDtsJobs lists job "j" in region cn-hangzhou`, "Forbidden.InstanceNotFound"} {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("%q does not say %q", err, want)
			}
		}
		if n := len(f.RequestsFor(fakedts.ActionDescribeDtsJobDetail)); n != 1 {
			t.Errorf("the detail call was made %d times; a job that is not there is not retried", n)
		}
	})
	for _, tt := range []struct{ name, body, want string }{
		{"an answer about another job", `{"Success":true,"DtsJobId":"other"}`, `answered about job "other"`},
		{"an answer about no job", `{"Success":true}`, "names no job"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s := newScriptedServer(t, respond(200, `{"Success":true,"DtsJobList":[{"DtsJobId":"j"}]}`), respond(200, tt.body))
			c := newTestClient(t, s.srv.URL)
			_, err := c.DescribeDtsJob(context.Background(), DescribeDtsJobRequest{DtsJobID: "j", JobTypes: []string{JobTypeSynchronization}, SubJobs: true})
			if !IsPermanent(err) || err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), "cn-hangzhou") {
				t.Errorf("err = %v, want a permanent error saying %q and the client's region", err, tt.want)
			}
		})
	}
	t.Run("a server error is not", func(t *testing.T) {
		s := newScriptedServer(t, respond(200, `{"Success":true,"DtsJobList":[{"DtsJobId":"j"}]}`), gatewayError(503, "ServiceUnavailable", "busy"))
		c := newTestClient(t, s.srv.URL, func(cfg *Config) { cfg.Retry.MaxRetries = new(0) })
		_, err := c.DescribeDtsJob(context.Background(), DescribeDtsJobRequest{DtsJobID: "j", JobTypes: []string{JobTypeSynchronization}, SubJobs: true})
		var nf *SubJobsNotFoundError
		if err == nil || IsPermanent(err) || errors.As(err, &nf) {
			t.Errorf("err = %v, want a transient error", err)
		}
	})
}

// TestDetailCallsArePacedAtTheirOwnLimit: 40 a second for DescribeDtsJobDetail, independently of
// DescribeDtsJobs' 20, per key and region.
func TestDetailCallsArePacedAtTheirOwnLimit(t *testing.T) {
	clk := &frozenClock{now: paceT0}
	p := NewPacer(PacerConfig{Clock: clk})
	detailKey := dtsJobsKey
	detailKey.Action = "DescribeDtsJobDetail"
	const callers = 120
	granted := map[PaceKey][]time.Duration{}
	var mu sync.Mutex
	var wg sync.WaitGroup
	for i := range 2 * callers {
		key := dtsJobsKey
		if i%2 == 1 {
			key = detailKey
		}
		wg.Go(func() {
			turn, err := p.Wait(context.Background(), key)
			if err != nil {
				t.Error(err)
			}
			mu.Lock()
			granted[key] = append(granted[key], turn.Waited)
			mu.Unlock()
		})
	}
	wg.Wait()
	for key, limit := range map[PaceKey]int{dtsJobsKey: 20, detailKey: 40} {
		g := granted[key]
		slices.Sort(g)
		for i := limit; i < len(g); i++ {
			if gap := g[i] - g[i-limit]; gap <= time.Second {
				t.Fatalf("%s: calls %d to %d fall within %v: more than %d in a second", key.Action, i-limit, i, gap, limit)
			}
		}
		// At 95 % of the limit, the 120th call goes at (120-1)/(0.95*limit) s.
		want := time.Duration(float64(callers-1) / (0.95 * float64(limit)) * float64(time.Second))
		if last := g[len(g)-1]; !near(last, want) && (last-want).Abs() > time.Millisecond {
			t.Errorf("%s: the last call goes after %v, want %v", key.Action, last, want)
		}
	}
}

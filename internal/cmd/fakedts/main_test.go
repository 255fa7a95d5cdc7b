package main

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha1"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/openmigrate/terraform-provider-dts/internal/dtsapi"
	"github.com/openmigrate/terraform-provider-dts/internal/fakedts"
)

// syncBuffer is a bytes.Buffer that the server goroutine and the test can share.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// waitForFile returns the file's content once it exists, or fails the test after a generous bound.
func waitForFile(t *testing.T, name string, done <-chan error) string {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if b, err := os.ReadFile(name); err == nil {
			return strings.TrimSpace(string(b))
		}
		select {
		case err := <-done:
			t.Fatalf("the fake exited before writing its URL: %v", err)
		case <-time.After(10 * time.Millisecond):
		}
	}
	t.Fatalf("%s was not written", name)
	return ""
}

// startFake runs the command with args and a -url-file, and returns its endpoint once it serves. stop
// cancels it and fails the test unless run returns nil within a generous bound; calling it again is a
// no-op, so a test can both defer it and call it to check the shutdown.
func startFake(t *testing.T, args []string, stdout, stderr io.Writer) (endpoint string, stop func()) {
	t.Helper()
	urlFile := filepath.Join(t.TempDir(), "url")
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- run(ctx, append([]string{"-url-file", urlFile}, args...), stdout, stderr) }()
	endpoint = waitForFile(t, urlFile, done)
	var once sync.Once
	return endpoint, func() {
		once.Do(func() {
			t.Helper()
			cancel()
			select {
			case err := <-done:
				if err != nil {
					t.Errorf("run returned %v after cancellation, want nil", err)
				}
			case <-time.After(10 * time.Second):
				t.Error("run did not return after cancellation")
			}
		})
	}
}

func TestServesTheDemoJobUntilCancelled(t *testing.T) {
	var stdout, stderr syncBuffer
	url, stop := startFake(t, []string{"-duration", "1s", "-access-key-id", "id", "-access-key-secret", "secret"}, &stdout, &stderr)
	defer stop()
	if !strings.HasPrefix(url, "http://127.0.0.1:") {
		t.Fatalf("URL %q is not on 127.0.0.1", url)
	}

	describe := func(secret string) (*dtsapi.MigrationJobStatus, error) {
		c, err := dtsapi.New(dtsapi.Config{
			Endpoint:    url,
			RegionID:    "cn-hangzhou",
			Credentials: dtsapi.StaticCredentials{AccessKeyID: "id", AccessKeySecret: secret},
			Retry:       dtsapi.RetryPolicy{MaxRetries: new(0)},
		})
		if err != nil {
			t.Fatal(err)
		}
		return c.DescribeMigrationJobStatus(t.Context(), dtsapi.DescribeMigrationJobStatusRequest{MigrationJobID: fakedts.DemoJobID})
	}
	if _, err := describe("wrong"); err == nil {
		t.Error("a wrong secret was accepted")
	}
	first, err := describe("secret")
	if err != nil {
		t.Fatal(err)
	}
	if got := first.MigrationJobStatus.Val; got != "NotStarted" {
		t.Errorf("the first answer's job status is %q, want NotStarted", got)
	}
	time.Sleep(1100 * time.Millisecond)
	last, err := describe("secret")
	if err != nil {
		t.Fatal(err)
	}
	if s := last.DataSynchronizationStatus.Get(); s == nil || s.Status.Val != "Catched" {
		t.Errorf("after -duration the job is not Catched: %+v", s)
	}
	if log := stderr.String(); !strings.Contains(log, "incremental sync Catched, delay 0 s") {
		t.Errorf("the request log does not describe the last answer:\n%s", log)
	}
	if got := strings.TrimSpace(stdout.String()); got != url {
		t.Errorf("stdout is %q, want the URL %q", got, url)
	}

	stop()
}

func TestExitsAfterExitAfter(t *testing.T) {
	done := make(chan error, 1)
	go func() {
		done <- run(context.Background(), []string{"-exit-after", "50ms", "-quiet"}, io.Discard, io.Discard)
	}()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("run returned %v, want nil", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("run did not return after -exit-after")
	}
}

func TestRejectsBadFlags(t *testing.T) {
	for _, args := range [][]string{
		{"-listen", "0.0.0.0:0"},
		{"-listen", "example.com:80"},
		{"-listen", "127.0.0.1"},
		{"-duration", "0s"},
		{"extra"},
	} {
		err := run(context.Background(), args, io.Discard, io.Discard)
		if err == nil || errors.Is(err, context.Canceled) {
			t.Errorf("run(%q) = %v, want an error", args, err)
		}
	}
}

// rpcCall signs params with signature V1, written here from the documented algorithm so that the
// test depends on neither the client's signer nor the fake's, sends them and decodes the answer.
func rpcCall(t *testing.T, endpoint, keyID, secret string, params map[string]string) map[string]any {
	t.Helper()
	p := url.Values{}
	for k, v := range map[string]string{
		"Version": "2020-01-01", "Format": "JSON", "AccessKeyId": keyID, "SignatureMethod": "HMAC-SHA1",
		"SignatureVersion": "1.0", "SignatureNonce": rand.Text(), "Timestamp": time.Now().UTC().Format("2006-01-02T15:04:05Z"),
	} {
		p.Set(k, v)
	}
	for k, v := range params {
		p.Set(k, v)
	}
	query := strings.NewReplacer("+", "%20", "*", "%2A", "%7E", "~").Replace(p.Encode())
	mac := hmac.New(sha1.New, []byte(secret+"&"))
	mac.Write([]byte("POST&%2F&" + url.QueryEscape(query)))
	p.Set("Signature", base64.StdEncoding.EncodeToString(mac.Sum(nil)))
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, endpoint+"/", strings.NewReader(p.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = resp.Body.Close() }()
	var body map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("HTTP %d %v: %v", resp.StatusCode, body, err)
	}
	return body
}

func TestServesTheSyncDemoJob(t *testing.T) {
	var stderr syncBuffer
	endpoint, stop := startFake(t, []string{"-duration", "1s", "-access-key-id", "id", "-access-key-secret", "secret"}, io.Discard, &stderr)
	defer stop()
	if log := stderr.String(); !strings.Contains(log, fakedts.DemoSyncJobID) || !strings.Contains(log, fakedts.DemoJobID) {
		t.Errorf("the startup message does not name both demo jobs:\n%s", log)
	}

	job := func() map[string]any {
		t.Helper()
		body := rpcCall(t, endpoint, "id", "secret", map[string]string{
			"Action": "DescribeDtsJobs", "JobType": "SYNC", "Region": "cn-hangzhou", "RegionId": "cn-hangzhou",
			"DtsJobId": fakedts.DemoSyncJobID, "PageSize": "30", "PageNumber": "1",
		})
		list, _ := body["DtsJobList"].([]any)
		if len(list) != 1 {
			t.Fatalf("DtsJobList %v", body)
		}
		item, _ := list[0].(map[string]any)
		return item
	}
	stage := func(item map[string]any, name string) any {
		m, _ := item[name].(map[string]any)
		return m["Status"]
	}
	first := job()
	if first["DtsJobId"] != fakedts.DemoSyncJobID || first["Status"] != "Prechecking" || stage(first, "PrecheckStatus") != "Checking" || first["JobType"] != "SYNC" {
		t.Errorf("the first answer is %v", first)
	}
	time.Sleep(1100 * time.Millisecond)
	last := job()
	if last["Status"] != "Synchronizing" || stage(last, "DataSynchronizationStatus") != "Catched" || last["Delay"] != 0.0 ||
		stage(last, "DataInitializationStatus") != "Finished" {
		t.Errorf("after -duration the job is %v", last)
	}
	if log := stderr.String(); !strings.Contains(log, "1 jobs listed: "+fakedts.DemoSyncJobID+" Synchronizing, incremental sync Catched, delay 0 s") {
		t.Errorf("the request log does not describe the last answer:\n%s", log)
	}
	// The legacy demo job is listed too, under its name.
	legacy := rpcCall(t, endpoint, "id", "secret", map[string]string{"Action": "DescribeMigrationJobs", "RegionId": "cn-hangzhou"})
	wrapper, _ := legacy["MigrationJobs"].(map[string]any)
	list, _ := wrapper["MigrationJob"].([]any)
	if len(list) != 1 {
		t.Fatalf("DescribeMigrationJobs: %v", legacy)
	}
	if item, _ := list[0].(map[string]any); item["MigrationJobID"] != fakedts.DemoJobID || item["MigrationJobName"] != "demo migration" {
		t.Errorf("DescribeMigrationJobs lists %v", item)
	}
	stop()
}

// The jobs with sub-jobs answer DescribeDtsJobDetail, and the request log describes those answers.
func TestServesTheSubJobDemos(t *testing.T) {
	var stderr syncBuffer
	endpoint, stop := startFake(t, []string{"-duration", "1h", "-access-key-id", "id", "-access-key-secret", "secret"}, io.Discard, &stderr)
	defer stop()
	for _, id := range []string{fakedts.DemoDistributedJobID, fakedts.DemoSubSyncJobID, fakedts.DemoTwoWayJobID, fakedts.DemoSecondsJobID} {
		if !strings.Contains(stderr.String(), id) {
			t.Errorf("the startup message does not name %s:\n%s", id, stderr.String())
		}
	}
	detail := func(id string) map[string]any {
		rpcCall(t, endpoint, "id", "secret", map[string]string{
			"Action": "DescribeDtsJobs", "JobType": "SYNC", "Region": "cn-hangzhou", "RegionId": "cn-hangzhou", "DtsJobId": id,
		})
		return rpcCall(t, endpoint, "id", "secret", map[string]string{
			"Action": "DescribeDtsJobDetail", "RegionId": "cn-hangzhou", "DtsJobId": id, "SyncSubJobHistory": "false",
		})
	}
	if subs, _ := detail(fakedts.DemoDistributedJobID)["SubDistributedJob"].([]any); len(subs) != 3 {
		t.Errorf("the distributed job lists %d shards", len(subs))
	}
	if subs, _ := detail(fakedts.DemoSubSyncJobID)["SubSyncJob"].([]any); len(subs) != 1 {
		t.Errorf("the modifying job lists %d sub-sync-jobs", len(subs))
	}
	want := "detail of " + fakedts.DemoDistributedJobID + " Synchronizing, delay 0, 3 sub-jobs: " +
		fakedts.DemoDistributedJobID + "_shard0 Synchronizing, delay 0; " + fakedts.DemoDistributedJobID + "_shard1 Synchronizing, delay 754000"
	// A request is logged once its answer is sent: the line may come after the client has its answer.
	for deadline := time.Now().Add(10 * time.Second); !strings.Contains(stderr.String(), want) && time.Now().Before(deadline); {
		time.Sleep(10 * time.Millisecond)
	}
	if !strings.Contains(stderr.String(), want) {
		t.Errorf("the request log does not say %q:\n%s", want, stderr.String())
	}
	stop()
}

func TestServesTheExampleJobs(t *testing.T) {
	endpoint, stop := startFake(t, []string{"-quiet", "-examples", "-access-key-id", "examples-id", "-access-key-secret", "examples-secret"}, io.Discard, io.Discard)
	defer stop()

	current := []struct{ id, jobType, status, sync string }{
		{exampleMigrationJob, "MIGRATION", "Migrating", "Catched"},
		{exampleSyncJob, "SYNC", "Synchronizing", "Catched"},
		{exampleDistributedJob, "SYNC", "Synchronizing", "Catched"},
		{exampleSyncReportingJob, "SYNC", "Synchronizing", "Catched"},
		{exampleCutoverOrdersJob, "MIGRATION", "Migrating", "Catched"},
		{exampleCutoverPaymentsJob, "MIGRATION", "Migrating", "Catched"},
		{examplePrecheckFailedJob, "SYNC", "PrecheckFailed", "NotStarted"},
		{exampleFailedJob, "SYNC", "Failed", "Failed"},
		{exampleLaggingJob, "SYNC", "Synchronizing", "Migrating"},
		{examplePrecheckingJob, "SYNC", "Prechecking", ""},
	}
	for _, c := range current {
		body := rpcCall(t, endpoint, "examples-id", "examples-secret", map[string]string{
			"Action": "DescribeDtsJobs", "JobType": c.jobType, "Region": "cn-hangzhou", "RegionId": "cn-hangzhou",
			"DtsJobId": c.id, "PageSize": "30", "PageNumber": "1",
		})
		list, _ := body["DtsJobList"].([]any)
		if len(list) != 1 {
			t.Errorf("%s (%s): DtsJobList %v, want the one job", c.id, c.jobType, body["DtsJobList"])
			continue
		}
		item, _ := list[0].(map[string]any)
		sync, _ := item["DataSynchronizationStatus"].(map[string]any)
		if item["DtsJobId"] != c.id || item["Status"] != c.status || (c.sync != "" && sync["Status"] != c.sync) {
			t.Errorf("%s: Status %v, incremental %v; want %s, %s", c.id, item["Status"], sync["Status"], c.status, c.sync)
		}
	}

	legacy := []struct {
		id     string
		hasSyn bool
	}{{exampleLegacyJob, true}, {exampleLegacyArchiveJob, true}, {exampleLegacyLoadingJob, false}}
	for _, c := range legacy {
		body := rpcCall(t, endpoint, "examples-id", "examples-secret", map[string]string{"Action": "DescribeMigrationJobStatus", "MigrationJobId": c.id, "RegionId": "cn-hangzhou"})
		sync, ok := body["DataSynchronizationStatus"].(map[string]any)
		if body["MigrationJobId"] != c.id || ok != c.hasSyn || (ok && sync["Status"] != "Catched") {
			t.Errorf("%s: MigrationJobId %v, DataSynchronizationStatus %v; want it present %v and Catched", c.id, body["MigrationJobId"], sync, c.hasSyn)
		}
	}

	// The project=orders tag finds the two caught-up legacy jobs, and only them.
	listing := rpcCall(t, endpoint, "examples-id", "examples-secret", map[string]string{"Action": "DescribeMigrationJobs", "RegionId": "cn-hangzhou", "Tag.1.Key": "project", "Tag.1.Value": "orders"})
	wrapper, _ := listing["MigrationJobs"].(map[string]any)
	if list, _ := wrapper["MigrationJob"].([]any); len(list) != 2 {
		t.Errorf("DescribeMigrationJobs with tag project=orders lists %d jobs, want 2: %v", len(list), list)
	}
	stop()
}

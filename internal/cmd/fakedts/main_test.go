package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/openmigrate/terraform-provider-dts/internal/dtsapi"
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

func TestServesTheDemoJobUntilCancelled(t *testing.T) {
	urlFile := filepath.Join(t.TempDir(), "url")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stdout, stderr syncBuffer
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"-url-file", urlFile, "-duration", "1s", "-access-key-id", "id", "-access-key-secret", "secret"}, &stdout, &stderr)
	}()
	url := waitForFile(t, urlFile, done)
	if !strings.HasPrefix(url, "http://127.0.0.1:") {
		t.Fatalf("URL %q is not on 127.0.0.1", url)
	}

	describe := func(secret string) (*dtsapi.MigrationJobStatus, error) {
		c, err := dtsapi.New(dtsapi.Config{
			Endpoint:    url,
			RegionID:    "cn-hangzhou",
			Credentials: dtsapi.StaticCredentials{AccessKeyID: "id", AccessKeySecret: secret},
			Retry:       dtsapi.RetryPolicy{MaxRetries: -1},
		})
		if err != nil {
			t.Fatal(err)
		}
		return c.DescribeMigrationJobStatus(ctx, dtsapi.DescribeMigrationJobStatusRequest{MigrationJobID: "dtsdemo0001"})
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

	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("run returned %v after cancellation, want nil", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("run did not return after cancellation")
	}
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

package clitest

import (
	"bytes"
	"context"
	"errors"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/openmigrate/terraform-provider-dts/internal/fakedts"
)

// TestInterruptStopsWait shows that Ctrl-C ends a wait within about a second (the SPEC's promise;
// bounded at 3s for Terraform's own shutdown on a loaded machine), in plan and in apply's
// planning step (where Terraform does not cancel the provider's context), and that neither
// terraform nor the provider is left running. SIGINT goes to the whole process group, as a
// terminal sends it. Both data sources wait the same way: dts_migration_job_status, and
// dts_job_status on a synchronization job, with job_type set so every poll is one DescribeDtsJobs.
func TestInterruptStopsWait(t *testing.T) {
	t.Parallel()
	sources := []struct {
		ds    jobDataSource
		extra string
	}{
		{ds: legacyJobs},
		{ds: currentJobs, extra: `job_type = "synchronization"`},
	}
	for _, src := range sources {
		for _, args := range [][]string{{"plan"}, {"apply", "-auto-approve"}} {
			t.Run(src.ds.name+"/"+args[0], func(t *testing.T) {
				t.Parallel()
				testInterruptStopsWait(t, src.ds, src.extra, args)
			})
		}
	}
}

// testInterruptStopsWait interrupts terraform with args while ds, with extra in its block, waits
// for a job that never catches up.
func testInterruptStopsWait(t *testing.T, ds jobDataSource, extra string, args []string) {
	const jobID = "dtsinterrupt01"
	f := newFake(t)
	// A job whose synchronization never catches up: only Ctrl-C or the timeout ends the wait.
	f.SetJob(jobID, fakedts.Job{Steps: []fakedts.Step{{Body: syncing(60).Body(jobID)}}})
	f.SetDtsJob(jobID, syncJob(jobID, 60))
	m := newRootModule(t, config(fakeProvider(f), ds.read(jobID, extra+`
  wait_for {
    stage         = "data_synchronization"
    status        = ["Catched"]
    poll_interval = "1s"
  }
  timeouts {
    read = "5m"
  }`)+`
resource "terraform_data" "cutover" {
  input = data.`+ds.name+`.job.`+ds.statusAttr+`
}
`))

	ctx, cancel := context.WithTimeout(context.Background(), commandTimeout)
	defer cancel()
	cmd := m.command(ctx, args...)
	var out lockedBuffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()

	// The wait is under way once the fake has answered two polls.
	deadline := time.After(time.Minute)
polls:
	for {
		select {
		case err := <-exited:
			t.Fatalf("terraform %s ended before the second poll (%v):\n%s", args[0], err, out.String())
		case <-deadline:
			t.Fatalf("the fake saw %d polls in a minute, want 2", len(ds.requests(f)))
		case <-time.After(50 * time.Millisecond):
			if len(ds.requests(f)) >= 2 {
				break polls
			}
		}
	}

	// The process check below can only pass for the right reason if it sees the provider now.
	if !m.providerRunning() {
		t.Fatalf("no process running %s among %v while terraform %s waits", providerPath, m.processesLeft(), args[0])
	}

	pgid := cmd.Process.Pid
	signalled := time.Now()
	if err := syscall.Kill(-pgid, syscall.SIGINT); err != nil {
		t.Fatalf("SIGINT to process group %d: %v", pgid, err)
	}
	var err error
	select {
	case err = <-exited:
	case <-time.After(30 * time.Second):
		t.Fatalf("terraform %s still runs 30s after SIGINT:\n%s", args[0], out.String())
	}
	elapsed := time.Since(signalled)
	t.Logf("terraform %s ended %s after SIGINT", args[0], elapsed.Round(time.Millisecond))
	if elapsed > 3*time.Second {
		t.Errorf("terraform %s took %s to end after SIGINT, want about a second and at most 3s", args[0], elapsed)
	}
	var exitErr *exec.ExitError
	switch {
	case err == nil:
		t.Errorf("terraform %s exited 0 after SIGINT, want a failure:\n%s", args[0], out.String())
	case !errors.As(err, &exitErr) || !exitErr.Exited():
		t.Errorf("terraform %s did not exit by itself after SIGINT: %v", args[0], err)
	}
	output := strings.Join(strings.Fields(out.String()), " ")
	// Terraform's notice or the provider's error, whichever wins the race to the output.
	if !strings.Contains(output, "Interrupt received") && !strings.Contains(output, "interrupted by interrupt") {
		t.Errorf("terraform %s's output does not say it was interrupted:\n%s", args[0], out.String())
	}
	if strings.Contains(output, "Apply complete") {
		t.Errorf("terraform apply applied after SIGINT:\n%s", out.String())
	}

	if left := m.waitNoProcessesLeft(3 * time.Second); len(left) > 0 {
		t.Errorf("processes %v are still running 3s after terraform %s ended", left, args[0])
	}
	// No poll after the provider is gone.
	polled := len(ds.requests(f))
	time.Sleep(1500 * time.Millisecond)
	if n := len(ds.requests(f)); n != polled {
		t.Errorf("the fake saw %d more polls after terraform %s ended", n-polled, args[0])
	}
}

// lockedBuffer collects a running command's output, which the test may read before it ends.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// TestProviderExitsWhenTerraformIsKilled: a terraform killed outright cannot stop its provider, yet
// the provider must not outlive it (its parent watch, or a write to the broken stderr pipe, ends it).
func TestProviderExitsWhenTerraformIsKilled(t *testing.T) {
	t.Parallel()
	const jobID = "dtsorphan01"
	f := newFake(t)
	f.SetJob(jobID, fakedts.Job{Steps: []fakedts.Step{{Body: syncing(60).Body(jobID)}}})
	f.QueueFaults(fakedts.Fault{Hang: true})
	m := newRootModule(t, config(fakeProvider(f), readJob(jobID, "")))
	ctx, cancel := context.WithTimeout(context.Background(), commandTimeout)
	defer cancel()
	cmd := m.command(ctx, "plan")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	deadline := time.Now().Add(time.Minute)
	for len(f.DescribeRequests()) < 1 {
		if time.Now().After(deadline) {
			t.Fatal("the fake saw no request in a minute")
		}
		time.Sleep(50 * time.Millisecond)
	}
	if !m.providerRunning() {
		t.Fatal("the provider is not running while its request hangs")
	}
	if err := cmd.Process.Kill(); err != nil { // terraform alone, not its process group
		t.Fatal(err)
	}
	if err := <-exited; err == nil {
		t.Fatal("terraform exited 0 although it was killed")
	}
	killed := time.Now()
	// The request's own timeout is 30s: ending well before it shows the provider noticed on its own.
	if left := m.waitNoProcessesLeft(10 * time.Second); len(left) > 0 {
		t.Fatalf("the provider (processes %v) still runs %s after terraform was killed", left, time.Since(killed).Round(time.Second))
	}
}

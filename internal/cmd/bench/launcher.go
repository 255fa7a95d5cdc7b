package main

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// The launcher: for a memory measurement, Terraform's dev override points at a copy of this
// program, which starts the real provider as its child on the same stdio and, when the child has
// exited, records the kernel's account of its peak RSS (wait4's ru_maxrss). That is the provider's
// own peak, exact, with nothing of Terraform in it and no sampling to miss a spike.
const (
	envLaunchProvider = "DTS_BENCH_LAUNCH_PROVIDER"
	envLaunchRecord   = "DTS_BENCH_LAUNCH_RECORD"
)

func launch(provider, record string) int {
	cmd := exec.Command(provider, os.Args[1:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	cmd.Env = withoutLaunchEnv(os.Environ())
	// Signals meant for the provider reach the launcher; pass them on rather than dying first.
	sigs := make(chan os.Signal, 4)
	signal.Notify(sigs, syscall.SIGINT, syscall.SIGTERM)
	if err := cmd.Start(); err != nil {
		fmt.Fprintln(os.Stderr, "bench launcher:", err)
		return 1
	}
	go func() {
		for s := range sigs {
			_ = cmd.Process.Signal(s)
		}
	}()
	err := cmd.Wait()
	var exitErr *exec.ExitError
	if err != nil && !errors.As(err, &exitErr) {
		fmt.Fprintln(os.Stderr, "bench launcher:", err)
		return 1
	}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok && record != "" {
		// One short O_APPEND write per process, so concurrent launchers do not interleave.
		line := fmt.Sprintf("%d %d %d\n", cmd.ProcessState.Pid(), ru.Maxrss, cmd.ProcessState.UserTime()+cmd.ProcessState.SystemTime())
		if f, err := os.OpenFile(record, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600); err == nil {
			_, _ = f.WriteString(line)
			_ = f.Close()
		}
	}
	if code := cmd.ProcessState.ExitCode(); code >= 0 {
		return code
	}
	return 1
}

// launchRecord is one provider process as the launcher recorded it.
type launchRecord struct {
	pid       int
	maxRSSKiB int64
	cpu       time.Duration
}

func readLaunchRecords(path string) ([]launchRecord, error) {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var recs []launchRecord
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) != 3 {
			return nil, fmt.Errorf("%s: malformed line %q", path, sc.Text())
		}
		pid, err1 := strconv.Atoi(fields[0])
		rss, err2 := strconv.ParseInt(fields[1], 10, 64)
		cpu, err3 := strconv.ParseInt(fields[2], 10, 64)
		if err := errors.Join(err1, err2, err3); err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		recs = append(recs, launchRecord{pid: pid, maxRSSKiB: rss, cpu: time.Duration(cpu)})
	}
	return recs, sc.Err()
}

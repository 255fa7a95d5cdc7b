package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
)

// goBenchmarks are the Go benchmarks make bench reports, by package.
var goBenchmarks = []struct{ pkg, pattern string }{
	{"./internal/dtsapi", "^Benchmark(SignRequest|DecodeDocumentedSample|SignAndDecode|DecodeDtsJobsPage|PacerUnlimited)$"},
	{"./internal/provider", "^Benchmark(MapDocumentedSample|MapWholeJob)$"},
}

// goBenchResult is one benchmark over its runs: the median time, and the allocations, which do
// not vary between runs.
type goBenchResult struct {
	runs        int
	nsPerOp     float64
	bytesPerOp  int64
	allocsPerOp int64
}

func runGoBenchmarks(ctx context.Context, count int, benchTime string) (map[string]goBenchResult, error) {
	samples := map[string][]float64{}
	out := map[string]goBenchResult{}
	for _, b := range goBenchmarks {
		cmd := exec.CommandContext(ctx, "go", "test", "-run", "^$", "-bench", b.pattern, "-benchmem",
			"-count", strconv.Itoa(count), "-benchtime", benchTime, b.pkg)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		cmd.Env = withoutLaunchEnv(os.Environ())
		stdout, err := cmd.Output()
		if err != nil {
			return nil, fmt.Errorf("go test -bench %s: %w\n%s%s", b.pkg, err, stdout, stderr.String())
		}
		for _, line := range strings.Split(string(stdout), "\n") {
			name, ns, bytesOp, allocs, ok := parseBenchLine(line)
			if !ok {
				continue
			}
			samples[name] = append(samples[name], ns)
			out[name] = goBenchResult{bytesPerOp: bytesOp, allocsPerOp: max(out[name].allocsPerOp, allocs)}
		}
	}
	for name, ns := range samples {
		r := out[name]
		r.runs, r.nsPerOp = len(ns), median(ns)
		out[name] = r
	}
	for _, want := range []string{"SignRequest", "DecodeDocumentedSample", "SignAndDecode", "DecodeDtsJobsPage", "PacerUnlimited", "MapDocumentedSample", "MapWholeJob"} {
		if out[want].runs == 0 {
			return nil, fmt.Errorf("go test reported no result for Benchmark%s", want)
		}
	}
	return out, nil
}

// parseBenchLine reads "BenchmarkX-2  N  123 ns/op  [45 MB/s]  678 B/op  9 allocs/op".
func parseBenchLine(line string) (name string, ns float64, bytesOp, allocs int64, ok bool) {
	f := strings.Fields(line)
	if len(f) < 4 || !strings.HasPrefix(f[0], "Benchmark") {
		return "", 0, 0, 0, false
	}
	name = strings.TrimPrefix(f[0], "Benchmark")
	if i := strings.LastIndexByte(name, '-'); i > 0 {
		name = name[:i]
	}
	seen := 0
	for i := 2; i+1 < len(f); i++ {
		var err error
		switch f[i+1] {
		case "ns/op":
			ns, err = strconv.ParseFloat(f[i], 64)
			seen++
		case "B/op":
			bytesOp, err = strconv.ParseInt(f[i], 10, 64)
			seen++
		case "allocs/op":
			allocs, err = strconv.ParseInt(f[i], 10, 64)
			seen++
		}
		if err != nil {
			return "", 0, 0, 0, false
		}
	}
	if seen != 3 {
		return "", 0, 0, 0, false
	}
	return name, ns, bytesOp, allocs, true
}

func withoutLaunchEnv(environ []string) []string {
	var env []string
	for _, kv := range environ {
		if !strings.HasPrefix(kv, envLaunchProvider+"=") && !strings.HasPrefix(kv, envLaunchRecord+"=") {
			env = append(env, kv)
		}
	}
	return env
}

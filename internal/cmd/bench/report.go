package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"slices"
	"strings"
	"time"
)

// Targets, from issue 7.
const (
	targetOverhead         = 250 * time.Millisecond
	targetFleet            = 2 * time.Second
	targetAboveBound       = 1500 * time.Millisecond
	targetWaitSlack        = 300 * time.Millisecond
	targetThrottled        = 2500 * time.Millisecond
	targetRSSKiB           = 32 << 10
	targetBinaryBytes      = 25_000_000
	targetSignDecodeNs     = 100_000
	targetSignDecodeAllocs = 200
	// driftTolerance separates jitter from a schedule that slips a little more with every poll.
	driftTolerance = 50 * time.Millisecond
)

// analysisMarker starts the hand-written part of BENCHMARKS.md, which a new run keeps.
const analysisMarker = "<!-- Everything below this line is written by hand; make bench keeps it. -->"

type row struct {
	n, what, median, spread, target, result string
}

func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

func seconds(d time.Duration) float64 { return d.Seconds() }

func walls(runs []planRun) []float64 {
	out := make([]float64, len(runs))
	for i, r := range runs {
		out[i] = seconds(r.wall())
	}
	return out
}

func fmtS(s float64) string { return fmt.Sprintf("%.3f s", s) }

func spread(xs []float64, f func(float64) string) string {
	if len(xs) == 0 {
		return ""
	}
	return f(slices.Min(xs)) + " – " + f(slices.Max(xs))
}

func verdict(ok bool) string {
	if ok {
		return "PASS"
	}
	return "**MISS**"
}

func (r *results) rows() []row {
	var rows []row
	floor := walls(r.floor)
	one := walls(r.one)
	floorMed, oneMed := median(floor), median(one)
	rows = append(rows,
		row{"1", "Floor: `terraform plan` with no provider (one terraform_data, one output)", fmtS(floorMed), spread(floor, fmtS), "", ""},
		row{"2", "One data source, no wait: plan wall time", fmtS(oneMed), spread(one, fmtS), "", ""},
	)
	overhead := oneMed - floorMed
	rows = append(rows, row{"2", "— overhead over the floor (median − median)", fmtS(overhead), "",
		"≤ " + fmtS(seconds(targetOverhead)), verdict(overhead <= seconds(targetOverhead))})
	perRead, okReads := requestCounts(r.one, 1)
	rows = append(rows, row{"2", "— API requests per read", perRead, "", "exactly 1", verdict(okReads)})

	fleet, slow, floorFleet := walls(r.fleet), walls(r.fleetSlow), walls(r.floorFleet)
	rows = append(rows, row{"3", fmt.Sprintf("Floor for %d instances: %d `terraform_remote_state` data sources of Terraform's built-in provider, no plugin", fleetSize, fleetSize),
		fmtS(median(floorFleet)), spread(floorFleet, fmtS), "", ""})
	rows = append(rows, row{"3", fmt.Sprintf("%d data sources (`for_each`), no latency: plan wall time", fleetSize),
		fmtS(median(fleet)), spread(fleet, fmtS), "≤ " + fmtS(seconds(targetFleet)), verdict(median(fleet) <= seconds(targetFleet))})
	perPlan, okFleet := requestCounts(append(slices.Clone(r.fleet), r.fleetSlow...), fleetSize)
	rows = append(rows, row{"3", "— API requests per plan (both latencies)", perPlan, "",
		fmt.Sprintf("%d, one per data source", fleetSize), verdict(okFleet)})
	rows = append(rows, row{"3", fmt.Sprintf("%d data sources, %d ms injected per request: plan wall time", fleetSize, fleetLatency.Milliseconds()),
		fmtS(median(slow)), spread(slow, fmtS), "", ""})
	above := median(slow) - seconds(r.fleetBound)
	rows = append(rows, row{"3", fmt.Sprintf("— above the parallelism bound (%d / %d × %d ms = %s)", fleetSize, terraformParallelism,
		fleetLatency.Milliseconds(), fmtS(seconds(r.fleetBound))), fmtS(above), "",
		"≤ " + fmtS(seconds(targetAboveBound)), verdict(above <= seconds(targetAboveBound))})

	var endAfter, tails, maxDrift []float64
	worst := 0
	for _, w := range r.wait {
		endAfter = append(endAfter, seconds(w.endAfter))
		tails = append(tails, seconds(w.tail))
		var m time.Duration
		for _, d := range w.drifts {
			m = max(m, d.Abs())
		}
		maxDrift = append(maxDrift, seconds(m))
		if w.worstCase {
			worst++
		}
	}
	waitTarget := seconds(waitInterval + targetWaitSlack)
	rows = append(rows,
		row{"4", fmt.Sprintf("Wait, `poll_interval = \"%s\"`, target reached %d ms after a poll: plan end after the target (%d of %d runs hit the worst case)",
			waitInterval, waitMiss.Milliseconds(), worst, len(r.wait)),
			fmtS(median(endAfter)), spread(endAfter, fmtS), "≤ " + fmtS(waitTarget), verdict(median(endAfter) <= waitTarget)},
		row{"4", "— of which: from the poll that saw the target to the plan's end", fmtS(median(tails)), spread(tails, fmtS), "", ""},
		row{"4", fmt.Sprintf("— poll drift: largest distance of a poll's start from first poll + k × %s, in a run of %d polls", waitInterval, waitPollsMissed+2),
			fmtMs(median(maxDrift)), spread(maxDrift, fmtMs), "< " + fmtMs(seconds(driftTolerance)) + ", not growing",
			verdict(len(maxDrift) > 0 && slices.Max(maxDrift) < seconds(driftTolerance))},
	)

	thr := walls(r.throttled)
	thrReqs, okThr := throttleCounts(r.throttled)
	rows = append(rows,
		row{"5", fmt.Sprintf("Two `%s` (HTTP 400) answers, then success: plan wall time", throttleCode),
			fmtS(median(thr)), spread(thr, fmtS), "≤ " + fmtS(seconds(targetThrottled)), verdict(median(thr) <= seconds(targetThrottled))},
		row{"5", "— requests per plan (throttled, throttled, success)", thrReqs, "", "3", verdict(okThr)},
	)

	for _, m := range []struct {
		label string
		runs  []rssRun
	}{
		{"one data source", r.rssOne},
		{fmt.Sprintf("%d data sources, %d ms latency", fleetSize, fleetLatency.Milliseconds()), r.rssFleet},
	} {
		var peaks, provCPU, totalCPU []float64
		procs := map[int]int{}
		for _, run := range m.runs {
			peaks = append(peaks, float64(run.peakKiB)/1024)
			procs[run.processes]++
			provCPU = append(provCPU, seconds(run.providerCPU))
			totalCPU = append(totalCPU, seconds(run.totalCPU))
		}
		rows = append(rows, row{"6", fmt.Sprintf("Provider peak RSS (ru_maxrss of the provider process), %s; provider processes per plan: %s",
			m.label, countsText(procs)), fmtMiB(median(peaks)), spread(peaks, fmtMiB),
			"≤ " + fmtMiB(float64(targetRSSKiB)/1024), verdict(len(peaks) > 0 && median(peaks) <= float64(targetRSSKiB)/1024)})
		rows = append(rows, row{"6", fmt.Sprintf("— CPU time (user + system) per plan, %s: provider processes / Terraform and providers together", m.label),
			fmtS(median(provCPU)) + " / " + fmtS(median(totalCPU)), "", "", ""})
	}
	rows = append(rows, row{"6", "Provider binary, stripped (`-s -w -trimpath`, as `make build`)",
		fmt.Sprintf("%.1f MB (%d bytes)", float64(r.binarySize)/1e6, r.binarySize), "",
		fmt.Sprintf("≤ %d MB", targetBinaryBytes/1_000_000), verdict(r.binarySize <= targetBinaryBytes)})

	if r.goBench != nil {
		gb := func(name, what string) row {
			b := r.goBench[name]
			return row{"7", fmt.Sprintf("Go `Benchmark%s`: %s", name, what),
				fmt.Sprintf("%s, %d allocs, %d B", fmtNs(b.nsPerOp), b.allocsPerOp, b.bytesPerOp),
				fmt.Sprintf("median of %d", b.runs), "", ""}
		}
		sd := r.goBench["SignAndDecode"]
		sdRow := gb("SignAndDecode", "signing a request plus decoding the documented sample")
		sdRow.target = fmt.Sprintf("< %s and < %d allocs", fmtNs(targetSignDecodeNs), targetSignDecodeAllocs)
		sdRow.result = verdict(sd.nsPerOp < targetSignDecodeNs && sd.allocsPerOp < targetSignDecodeAllocs)
		rows = append(rows,
			gb("SignRequest", "signing one request (canonical query, HMAC-SHA1, form body)"),
			gb("DecodeDocumentedSample", "decoding the documented sample into the typed result"),
			sdRow,
			gb("MapDocumentedSample", "mapping it into Terraform values as Read does (every declared attribute, then the state value), not in the target"),
			gb("DecodeDtsJobsPage", "decoding a full DescribeDtsJobs page (30 jobs like the documented sample's)"),
			gb("PacerUnlimited", "the request pace of an unthrottled legacy call (wait and success report)"),
		)
	}
	return slices.Concat(rows, r.listingRows(), r.pacedRows(), r.subJobRows(), r.dataCheckRows(), r.fleetGateRows())
}

func fmtMs(s float64) string  { return fmt.Sprintf("%.1f ms", s*1000) }
func fmtMiB(m float64) string { return fmt.Sprintf("%.1f MiB", m) }
func fmtNs(ns float64) string { return fmt.Sprintf("%.1f µs", ns/1000) }

// requestCounts describes the requests of each run and whether every run made exactly want, each
// for a different job.
func requestCounts(runs []planRun, want int) (string, bool) {
	counts := map[int]int{}
	ok := len(runs) > 0
	for _, r := range runs {
		counts[len(r.requests)]++
		jobs := map[string]bool{}
		for _, q := range r.requests {
			jobs[q.MigrationJobID] = true
		}
		ok = ok && len(r.requests) == want && len(jobs) == want
	}
	return countsText(counts), ok
}

func throttleCounts(runs []planRun) (string, bool) {
	counts := map[int]int{}
	ok := len(runs) > 0
	for _, r := range runs {
		counts[len(r.requests)]++
		ok = ok && len(r.requests) == 3 && r.requests[0].Code == throttleCode &&
			r.requests[1].Code == throttleCode && r.requests[2].Code == "" && r.requests[2].Status == 200
	}
	return countsText(counts), ok
}

// countsText says how many runs saw each count: "200 in all 10 runs", or "1 (4 runs), 2 (1 run)".
func countsText(counts map[int]int) string {
	keys := make([]int, 0, len(counts))
	total := 0
	for k, n := range counts {
		keys = append(keys, k)
		total += n
	}
	slices.Sort(keys)
	if len(keys) == 1 {
		return fmt.Sprintf("%d in all %d runs", keys[0], total)
	}
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%d (%d runs)", k, counts[k])
	}
	return strings.Join(parts, ", ")
}

func renderTable(rows []row) string {
	var b strings.Builder
	b.WriteString("| # | Measurement | Median | Min – max | Target | Result |\n")
	b.WriteString("|---|---|---|---|---|---|\n")
	for _, r := range rows {
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s |\n", r.n, r.what, r.median, r.spread, r.target, r.result)
	}
	return b.String()
}

// machine describes where the numbers were measured.
type machine struct {
	cpus             int
	cpuModel, memory string
	os, kernel       string
	goVersion        string
	terraform        string
	commit           string
	loadBefore       string
	loadAfter        string
	when             time.Time
	took             time.Duration
}

func describeMachine(terraform string) machine {
	m := machine{
		cpus:       runtime.NumCPU(),
		cpuModel:   procField("/proc/cpuinfo", "model name"),
		memory:     memTotal(),
		os:         strings.Trim(procField("/etc/os-release", "PRETTY_NAME="), `"`),
		kernel:     readTrim("/proc/sys/kernel/osrelease"),
		goVersion:  commandOutput("go", "env", "GOVERSION"),
		terraform:  terraformVersion(terraform),
		commit:     commandOutput("git", "describe", "--always", "--dirty"),
		loadBefore: loadAverage(),
		when:       time.Now().UTC(),
	}
	return m
}

// procField returns the value after the first line starting with key (and ':' or '=').
func procField(path, key string) string {
	f, err := os.Open(path)
	if err != nil {
		return "unknown"
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if !strings.HasPrefix(line, key) {
			continue
		}
		v := strings.TrimPrefix(line, key)
		v = strings.TrimLeft(v, " \t:")
		return strings.TrimSpace(v)
	}
	return "unknown"
}

func memTotal() string {
	v := procField("/proc/meminfo", "MemTotal")
	var kb int64
	if _, err := fmt.Sscanf(v, "%d kB", &kb); err != nil {
		return v
	}
	return fmt.Sprintf("%.1f GiB", float64(kb)/(1<<20))
}

func readTrim(path string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return "unknown"
	}
	return strings.TrimSpace(string(b))
}

func loadAverage() string {
	f := strings.Fields(readTrim("/proc/loadavg"))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], " ")
}

func commandOutput(name string, args ...string) string {
	out, err := exec.Command(name, args...).Output()
	if err != nil {
		return "unknown"
	}
	return strings.TrimSpace(string(out))
}

func terraformVersion(path string) string {
	out, err := exec.Command(path, "version", "-json").Output()
	if err != nil {
		return path + " (version unknown)"
	}
	var v struct {
		Version  string `json:"terraform_version"`
		Platform string `json:"platform"`
	}
	if json.Unmarshal(out, &v) != nil || v.Version == "" {
		return path + " (version unknown)"
	}
	return fmt.Sprintf("%s %s (%s)", path, v.Version, v.Platform)
}

// renderComparison sets the provider plans of the baseline build beside this build's.
func renderComparison(r *results, baseline string) string {
	b := r.baseline
	var sb strings.Builder
	fmt.Fprintf(&sb, "| Measurement (medians of %d runs) | Baseline: %s | This build | Change |\n", r.reps, baseline)
	sb.WriteString("|---|---|---|---|\n")
	line := func(what string, before, after float64, f func(float64) string) {
		change := ""
		if before != 0 {
			change = fmt.Sprintf("%+.0f %%", (after-before)/before*100)
		}
		fmt.Fprintf(&sb, "| %s | %s | %s | %s |\n", what, f(before), f(after), change)
	}
	floor := median(walls(r.floor))
	line("One data source: plan wall time", median(walls(b.one)), median(walls(r.one)), fmtS)
	line("— overhead over the floor", median(walls(b.one))-floor, median(walls(r.one))-floor, fmtS)
	line(fmt.Sprintf("%d data sources, no latency: plan wall time", fleetSize), median(walls(b.fleet)), median(walls(r.fleet)), fmtS)
	line(fmt.Sprintf("%d data sources, %d ms latency: plan wall time", fleetSize, fleetLatency.Milliseconds()),
		median(walls(b.fleetSlow)), median(walls(r.fleetSlow)), fmtS)
	for _, m := range []struct {
		label         string
		before, after []rssRun
	}{{"one data source", b.rssOne, r.rssOne}, {fmt.Sprintf("%d data sources, %d ms latency", fleetSize, fleetLatency.Milliseconds()), b.rssFleet, r.rssFleet}} {
		line("Provider CPU time per plan, "+m.label, median(rssField(m.before, func(x rssRun) float64 { return seconds(x.providerCPU) })),
			median(rssField(m.after, func(x rssRun) float64 { return seconds(x.providerCPU) })), fmtS)
		line("CPU time per plan, Terraform and providers together, "+m.label, median(rssField(m.before, func(x rssRun) float64 { return seconds(x.totalCPU) })),
			median(rssField(m.after, func(x rssRun) float64 { return seconds(x.totalCPU) })), fmtS)
		line("Provider peak RSS, "+m.label, median(rssField(m.before, func(x rssRun) float64 { return float64(x.peakKiB) / 1024 })),
			median(rssField(m.after, func(x rssRun) float64 { return float64(x.peakKiB) / 1024 })), fmtMiB)
	}
	perReadBefore, _ := requestCounts(b.one, 1)
	perReadAfter, _ := requestCounts(r.one, 1)
	fmt.Fprintf(&sb, "| API requests per read | %s | %s | |\n", perReadBefore, perReadAfter)
	return sb.String()
}

func rssField(runs []rssRun, f func(rssRun) float64) []float64 {
	out := make([]float64, len(runs))
	for i, r := range runs {
		out[i] = f(r)
	}
	return out
}

func writeReport(path string, m machine, command, table, comparison string) error {
	analysis := ""
	if old, err := os.ReadFile(path); err == nil {
		if _, after, ok := strings.Cut(string(old), analysisMarker); ok {
			analysis = after
		}
	}
	var b strings.Builder
	b.WriteString("# Benchmarks\n\n")
	b.WriteString("Measured by `make bench` (not part of `make test`): the stripped provider in real `terraform plan` runs " +
		"against the fake DTS endpoint (internal/fakedts) on loopback, in the same process as the harness, side by side " +
		"with a plan that has no provider at all. Each scenario runs once to warm up, then the timed runs; medians are " +
		"reported. Wall times run from starting `terraform plan` to its exit.\n\n")
	b.WriteString("## Machine\n\n")
	fmt.Fprintf(&b, "- CPUs (nproc): %d × %s\n", m.cpus, m.cpuModel)
	fmt.Fprintf(&b, "- Memory: %s\n", m.memory)
	fmt.Fprintf(&b, "- OS: %s, kernel %s\n", m.os, m.kernel)
	fmt.Fprintf(&b, "- Go: %s\n", m.goVersion)
	fmt.Fprintf(&b, "- Terraform: %s\n", m.terraform)
	fmt.Fprintf(&b, "- Provider commit: %s\n", m.commit)
	fmt.Fprintf(&b, "- Load average (1, 5, 15 min) before / after: %s / %s\n", m.loadBefore, m.loadAfter)
	fmt.Fprintf(&b, "- Run: %s, took %s\n", m.when.Format(time.RFC3339), m.took.Round(time.Second))
	fmt.Fprintf(&b, "- Command: `%s`\n\n", command)
	b.WriteString("## Results\n\n")
	b.WriteString(table)
	if comparison != "" {
		b.WriteString("\n## Side by side with a baseline build\n\n")
		b.WriteString(comparison)
	}
	b.WriteString("\n" + analysisMarker)
	if analysis == "" {
		analysis = "\n"
	}
	b.WriteString(analysis)
	return os.WriteFile(path, []byte(b.String()), 0o644)
}

// Command bench measures the provider in real `terraform plan` runs against the fake DTS endpoint,
// side by side with the floor Terraform itself sets: plan overhead, API requests per read, wait
// precision, throttling recovery, the provider's peak memory and binary size, and the Go benchmarks
// of the client's hot path. It prints one table and writes it, with the machine, to BENCHMARKS.md.
//
// `make bench` runs it after `make build`. It exits non-zero only when the harness itself fails; a
// missed target is a MISS in the table.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

func main() {
	// The same binary stands in for the provider when Terraform starts it for a memory measurement.
	if provider := os.Getenv(envLaunchProvider); provider != "" {
		os.Exit(launch(provider, os.Getenv(envLaunchRecord)))
	}
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

type options struct {
	provider  string
	terraform string
	reps      int
	out       string
	goBench   bool
	benchTime string
	baseline  string
	// baselineLabel names the baseline in the report.
	baselineLabel string
	// only, when set, runs just those scenarios and prints their rows, writing no report.
	only string
}

// onlyListings selects the listing scenarios (dts_jobs and dts_migration_jobs).
const onlyListings = "listings"

// onlyPacing selects the pacing scenario (dts_job_status reads under the service's rate limit).
const onlyPacing = "pacing"

// onlySubJobs selects the sub-job scenarios (dts_job_status with and without include_sub_jobs).
const onlySubJobs = "subjobs"

// onlyDataCheck selects the data verification scenario (dts_data_check over 1,000 tables and, with
// -baseline, the other data sources' one-data-source plans beside the baseline's).
const onlyDataCheck = "datacheck"

func run() error {
	var o options
	flag.StringVar(&o.provider, "provider", "bin/terraform-provider-dts", "the stripped provider binary, as make build leaves it")
	flag.StringVar(&o.terraform, "terraform", "", "Terraform (or OpenTofu) to run; scripts/terraform-path when empty")
	flag.IntVar(&o.reps, "reps", 5, "timed repetitions of each scenario; medians are reported")
	flag.StringVar(&o.out, "out", "BENCHMARKS.md", "where to write the report; empty to only print the table")
	flag.BoolVar(&o.goBench, "gobench", true, "run the Go benchmarks too")
	flag.StringVar(&o.benchTime, "benchtime", "1s", "-benchtime of the Go benchmarks")
	flag.StringVar(&o.baseline, "baseline", "", "another provider binary, such as an earlier build, to measure beside this one")
	flag.StringVar(&o.baselineLabel, "baseline-label", "", "how the report names the baseline; its path when empty")
	flag.StringVar(&o.only, "only", "", `run just these scenarios and print their rows, with no Go benchmarks and no report: "`+onlyListings+`", "`+onlyPacing+`", "`+onlySubJobs+`", "`+onlyDataCheck+`" or "`+onlyFleetGate+`"`)
	flag.Parse()
	switch o.only {
	case "":
	case onlyListings, onlyPacing, onlySubJobs, onlyDataCheck, onlyFleetGate:
		o.goBench, o.out = false, ""
	default:
		return fmt.Errorf("-only %q: the selections are %q, %q, %q, %q and %q", o.only, onlyListings, onlyPacing, onlySubJobs, onlyDataCheck, onlyFleetGate)
	}
	if o.reps < 1 {
		return fmt.Errorf("-reps must be at least 1, got %d", o.reps)
	}
	var err error
	if o.provider, err = filepath.Abs(o.provider); err != nil {
		return err
	}
	if _, err := os.Stat(o.provider); err != nil {
		return fmt.Errorf("the provider binary: %w (run make build first)", err)
	}
	if o.terraform == "" {
		out, err := exec.Command("scripts/terraform-path").Output()
		if err != nil {
			return fmt.Errorf("scripts/terraform-path: %w", err)
		}
		o.terraform = strings.TrimSpace(string(out))
	}

	started := time.Now()
	m := describeMachine(o.terraform)
	h, err := newHarness(o)
	if err != nil {
		return err
	}
	defer h.close()

	ctx := context.Background()
	r, err := h.measure(ctx)
	if err != nil {
		return err
	}
	if o.goBench {
		fmt.Fprintln(os.Stderr, "bench: Go benchmarks")
		if r.goBench, err = runGoBenchmarks(ctx, o.reps, o.benchTime); err != nil {
			return err
		}
	}
	m.loadAfter = loadAverage()
	m.took = time.Since(started)

	if o.only != "" {
		fmt.Println(renderTable(slices.Concat(r.listingRows(), r.pacedRows(), r.subJobRows(), r.dataCheckRows(), r.fleetGateRows())))
		return nil
	}
	table := renderTable(r.rows())
	fmt.Println(table)
	comparison := ""
	if r.baseline != nil {
		label := o.baselineLabel
		if label == "" {
			label = "`" + o.baseline + "`"
		}
		comparison = renderComparison(r, label)
		fmt.Println(comparison)
	}
	if o.out != "" {
		if err := writeReport(o.out, m, commandLine(), table, comparison); err != nil {
			return err
		}
		fmt.Fprintln(os.Stderr, "bench: wrote", o.out)
	}
	return nil
}

// commandLine is how this run was started, for the report.
func commandLine() string {
	args := []string{"go run ./internal/cmd/bench"}
	for _, a := range os.Args[1:] {
		if strings.ContainsAny(a, " '\"$`\\") {
			a = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
		}
		args = append(args, a)
	}
	if os.Getenv("MAKELEVEL") != "" {
		return "make bench  # " + strings.Join(args, " ")
	}
	return strings.Join(args, " ")
}

package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/openmigrate/terraform-provider-dts/internal/fakedts"
)

// Credentials the fake knows; nothing else ever sees them.
const (
	benchAccessKey = "LTAIbenchKey"
	benchSecretKey = "bench+Secret/Key=="
)

// Jobs the fake serves.
const (
	fleetSize = 200
	waitJobID = "dtsbenchwait"
)

func fleetJobID(i int) string { return fmt.Sprintf("dtsbench%04d", i) }

// planTimeout bounds one terraform run, so a hung plan fails the harness instead of stalling it.
const planTimeout = 3 * time.Minute

// harness owns the temporary workspace, the fake endpoint and the environment of every run.
type harness struct {
	opts options
	work string
	fake *fakedts.Server
	// current is the provider under test; baseline, when set, an earlier build measured beside it.
	current  providerBuild
	baseline *providerBuild
	// floorEnv runs the configurations that use no provider.
	floorEnv []string
	// rssRecord is the file the launcher appends one line to per provider process.
	rssRecord string
	dirs      map[string]string
	// gateTemplate is the item of the fleet gate scenarios' 1,000 jobs.
	gateTemplate map[string]any
}

// providerBuild is one provider binary as Terraform finds it: env runs it directly, for timing;
// rssEnv starts it through the launcher, which records its peak RSS.
type providerBuild struct {
	label  string
	env    []string
	rssEnv []string
}

func newHarness(o options) (*harness, error) {
	work, err := os.MkdirTemp("", "dts-bench-")
	if err != nil {
		return nil, err
	}
	h := &harness{opts: o, work: work, dirs: map[string]string{}}
	if err := h.setup(); err != nil {
		h.close()
		return nil, err
	}
	return h, nil
}

func (h *harness) close() {
	if h.fake != nil {
		h.fake.Close()
	}
	_ = os.RemoveAll(h.work)
}

func (h *harness) setup() error {
	h.fake = fakedts.NewServer()
	h.fake.AddAccessKey(benchAccessKey, benchSecretKey)
	sample := []byte(fakedts.DocumentedSample)
	for i := range fleetSize {
		// In the provider's region, so that the listing scenarios' region lists none of them.
		h.fake.SetJob(fleetJobID(i), fakedts.Job{Region: "cn-hangzhou", Steps: []fakedts.Step{{Raw: sample}}})
	}
	if err := h.setupListings(); err != nil {
		return err
	}
	if err := h.setupPaced(); err != nil {
		return err
	}
	h.setupSubJobs()
	h.setupDataCheck()

	home := filepath.Join(h.work, "home")
	if err := os.MkdirAll(home, 0o755); err != nil {
		return err
	}
	h.rssRecord = filepath.Join(h.work, "rss.log")
	base := isolatedEnv(os.Environ(), home)
	h.floorEnv = base
	var err error
	if h.current, err = h.providerBuild("current", h.opts.provider, base); err != nil {
		return err
	}
	if h.opts.baseline != "" {
		b, err := h.providerBuild("baseline", h.opts.baseline, base)
		if err != nil {
			return err
		}
		h.baseline = &b
	}
	remoteState := filepath.Join(h.work, "remote.tfstate")
	if err := os.WriteFile(remoteState, []byte(remoteStateFile), 0o600); err != nil {
		return err
	}

	configs := map[string]string{
		"floor":               floorConfig,
		"one":                 providerBlock(h.fake.URL()) + oneConfig,
		"fleet":               providerBlock(h.fake.URL()) + fleetConfig,
		"wait":                providerBlock(h.fake.URL()) + waitConfig,
		"floor200":            fmt.Sprintf(floorFleetConfig, remoteState),
		"list_dts_jobs":       providerBlock(h.fake.URL()) + listDtsJobsConfig,
		"list_migration_jobs": providerBlock(h.fake.URL()) + listMigrationJobsConfig,
		"paced":               providerBlock(h.fake.URL()) + pacedConfig,
		"data_check":          providerBlock(h.fake.URL()) + dataCheckConfig,
		"one_current":         providerBlock(h.fake.URL()) + oneCurrentConfig,
	}
	for name, hcl := range subJobConfigs() {
		configs[name] = providerBlock(h.fake.URL()) + hcl
	}
	for name, hcl := range configs {
		dir := filepath.Join(h.work, "cfg", name)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(hcl), 0o600); err != nil {
			return err
		}
		h.dirs[name] = dir
	}
	return h.setupFleetGate()
}

// providerBuild copies the binary, and the launcher (this very program, see launch), into
// directories of their own under the provider's name, for dev_overrides to find.
func (h *harness) providerBuild(label, binary string, base []string) (providerBuild, error) {
	binary, err := filepath.Abs(binary)
	if err != nil {
		return providerBuild{}, err
	}
	self, err := os.Executable()
	if err != nil {
		return providerBuild{}, err
	}
	b := providerBuild{label: label}
	for _, d := range []struct {
		from string
		env  *[]string
		kind string
	}{{binary, &b.env, "direct"}, {self, &b.rssEnv, "launcher"}} {
		dir := filepath.Join(h.work, label, d.kind)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return providerBuild{}, err
		}
		if err := copyFile(d.from, filepath.Join(dir, "terraform-provider-dts"), 0o755); err != nil {
			return providerBuild{}, err
		}
		rc := filepath.Join(h.work, label, d.kind+".terraformrc")
		if err := os.WriteFile(rc, []byte(cliConfig(dir)), 0o600); err != nil {
			return providerBuild{}, err
		}
		*d.env = append(append([]string(nil), base...), "TF_CLI_CONFIG_FILE="+rc)
	}
	b.rssEnv = append(b.rssEnv, envLaunchProvider+"="+binary, envLaunchRecord+"="+h.rssRecord)
	return b, nil
}

func cliConfig(overrideDir string) string {
	return fmt.Sprintf(`provider_installation {
  dev_overrides {
    "openmigrate/dts" = %q
  }
  direct {}
}
`, overrideDir)
}

// isolatedEnv keeps the machine's environment but nothing that configures Terraform, the provider
// or Alibaba Cloud credentials, and never lets a credentials chain reach ECS metadata.
func isolatedEnv(environ []string, home string) []string {
	var env []string
	for _, kv := range environ {
		name, _, _ := strings.Cut(kv, "=")
		switch {
		case strings.HasPrefix(name, "TF_"), strings.HasPrefix(name, "ALIBABA_CLOUD_"),
			strings.HasPrefix(name, "ALICLOUD_"), strings.HasPrefix(name, "CHECKPOINT_"),
			name == "DTS_ENDPOINT", name == "HOME", name == envLaunchProvider, name == envLaunchRecord:
			continue
		}
		env = append(env, kv)
	}
	return append(env,
		"HOME="+home,
		"CHECKPOINT_DISABLE=1",
		"ALIBABA_CLOUD_ECS_METADATA_DISABLED=true",
		"TF_IN_AUTOMATION=1",
	)
}

func copyFile(from, to string, mode os.FileMode) error {
	src, err := os.Open(from)
	if err != nil {
		return err
	}
	defer src.Close()
	dst, err := os.OpenFile(to, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, mode)
	if err != nil {
		return err
	}
	if _, err := io.Copy(dst, src); err != nil {
		_ = dst.Close()
		return err
	}
	return dst.Close()
}

// floorFleetConfig reads 200 data sources of Terraform's built-in provider, which runs inside
// Terraform: what 200 data source instances cost with no plugin at all.
var floorFleetConfig = fmt.Sprintf(`
data "terraform_remote_state" "job" {
  for_each = toset([for i in range(%d) : format("dtsbench%%%%04d", i)])
  backend  = "local"
  config = {
    path = %%q
  }
}

output "read" {
  value = length(data.terraform_remote_state.job)
}
`, fleetSize)

// remoteStateFile is the state the floor's data sources read: one output.
const remoteStateFile = `{"version": 4, "terraform_version": "1.11.0", "serial": 1, "lineage": "dts-bench",
"outputs": {"status": {"value": "Migrating", "type": "string"}}, "resources": []}
`

// floorConfig has no provider at all: what any plan costs.
const floorConfig = `
resource "terraform_data" "anchor" {
  input = "bench"
}

output "anchor" {
  value = terraform_data.anchor.input
}
`

func providerBlock(endpoint string) string {
	return fmt.Sprintf(`
terraform {
  required_providers {
    dts = {
      source = "openmigrate/dts"
    }
  }
}

provider "dts" {
  region     = "cn-hangzhou"
  endpoint   = %q
  access_key = %q
  secret_key = %q
}
`, endpoint, benchAccessKey, benchSecretKey) + floorConfig
}

var oneConfig = fmt.Sprintf(`
data "dts_migration_job_status" "job" {
  migration_job_id = %q
}

output "status" {
  value = data.dts_migration_job_status.job.migration_job_status
}
`, fleetJobID(0))

var fleetConfig = fmt.Sprintf(`
data "dts_migration_job_status" "job" {
  for_each         = toset([for i in range(%d) : format("dtsbench%%04d", i)])
  migration_job_id = each.key
}

output "migrating" {
  value = length([for j in data.dts_migration_job_status.job : j if j.migration_job_status == "Migrating"])
}
`, fleetSize)

var waitConfig = fmt.Sprintf(`
data "dts_migration_job_status" "job" {
  migration_job_id = %q
  wait_for {
    stage         = "data_synchronization"
    status        = ["Catched"]
    poll_interval = %q
  }
}

output "delay" {
  value = data.dts_migration_job_status.job.data_synchronization_status.delay
}
`, waitJobID, waitInterval.String())

// planRun is one terraform plan, timed from starting the process to its exit.
type planRun struct {
	start, end time.Time
	requests   []fakedts.Request
	// cpu is the user and system time of terraform and every process it started and waited for.
	cpu time.Duration
}

func (p planRun) wall() time.Duration { return p.end.Sub(p.start) }

// plan runs terraform plan in the named configuration, in env, with the fake's request log cleared first.
func (h *harness) plan(ctx context.Context, config string, env []string) (planRun, error) {
	ctx, cancel := context.WithTimeout(ctx, planTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, h.opts.terraform, "plan", "-input=false", "-no-color")
	cmd.Dir = h.dirs[config]
	cmd.Env = env
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	h.fake.ResetRequests()
	r := planRun{start: time.Now()}
	err := cmd.Run()
	r.end = time.Now()
	r.requests = h.fake.Requests()
	if cmd.ProcessState != nil {
		r.cpu = cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
	}
	if err != nil {
		return r, fmt.Errorf("terraform plan (%s): %w\n%s", config, err, out.String())
	}
	return r, nil
}

// repeat runs one warm-up plan, untimed, then reps timed ones; before runs before each of them.
func (h *harness) repeat(ctx context.Context, config string, env []string, before func()) ([]planRun, error) {
	runs, err := h.rounds(ctx, []planSpec{{config, env}}, before)
	if err != nil {
		return nil, err
	}
	return runs[0], nil
}

// planSpec is a configuration and the environment to plan it in.
type planSpec struct {
	config string
	env    []string
}

// rounds runs a warm-up round, untimed, then reps rounds in each of which every spec plans once,
// in turns, so that a change in the machine's load falls on all of them alike: the floor and each
// provider build. before runs before each plan.
func (h *harness) rounds(ctx context.Context, specs []planSpec, before func()) ([][]planRun, error) {
	out := make([][]planRun, len(specs))
	for i := 0; i <= h.opts.reps; i++ {
		for k := range specs {
			s := (i + k) % len(specs) // rotate which goes first
			if before != nil {
				before()
			}
			r, err := h.plan(ctx, specs[s].config, specs[s].env)
			if err != nil {
				return nil, err
			}
			if i > 0 {
				out[s] = append(out[s], r)
			}
		}
	}
	return out, nil
}

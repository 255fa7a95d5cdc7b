package clitest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/openmigrate/terraform-provider-dts/internal/fakedts"
)

// Credentials the fake knows; the secrets hold characters that every encoding changes.
const (
	testAccessKey = "LTAI5tCliTestKey"
	testSecretKey = "cli+Secret/Key=Q7v"
	testRegion    = "cn-hangzhou"
)

// markerVar tags every process a test starts (terraform passes its environment on to the provider),
// so the test can find the ones left behind.
const markerVar = "DTS_CLITEST_RUN"

// commandTimeout bounds one terraform command, so a hang fails the test instead of the whole run.
const commandTimeout = 3 * time.Minute

// Set by TestMain.
var (
	terraformPath string
	providerPath  string
	cliConfigPath string
	skipReason    string
)

// TestMain builds the provider once, under the race detector, and writes a CLI configuration that
// points terraform at it.
func TestMain(m *testing.M) {
	os.Exit(runTests(m))
}

func runTests(m *testing.M) int {
	if os.Getenv("TF_ACC") == "" {
		skipReason = "CLI tests run the provider binary through terraform; set TF_ACC=1 to run them"
		return m.Run()
	}
	tf, err := findTerraform()
	if err != nil {
		skipReason = err.Error()
		return m.Run()
	}
	terraformPath = tf

	tmp, err := os.MkdirTemp("", "dts-clitest-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(tmp)

	pluginDir := filepath.Join(tmp, "plugins")
	providerPath = filepath.Join(pluginDir, "terraform-provider-dts")
	if err := buildProvider(providerPath); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	cliConfigPath = filepath.Join(tmp, "terraformrc")
	cliConfig := fmt.Sprintf(`provider_installation {
  dev_overrides {
    "openmigrate/dts" = %q
  }
  direct {}
}
`, pluginDir)
	if err := os.WriteFile(cliConfigPath, []byte(cliConfig), 0o600); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	return m.Run()
}

// findTerraform looks where terraform-plugin-testing looks, then falls back to OpenTofu.
func findTerraform() (string, error) {
	if p := os.Getenv("TF_ACC_TERRAFORM_PATH"); p != "" {
		return p, nil
	}
	for _, name := range []string{"terraform", "tofu"} {
		if p, err := exec.LookPath(name); err == nil {
			return p, nil
		}
	}
	return "", errors.New("CLI tests need terraform or tofu on PATH, or TF_ACC_TERRAFORM_PATH; scripts/terraform-path builds one")
}

// buildProvider builds the provider with -race, so that a data race in it makes terraform fail.
func buildProvider(out string) error {
	gomod, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		return fmt.Errorf("go env GOMOD: %w", err)
	}
	cmd := exec.Command("go", "build", "-race", "-o", out, ".")
	cmd.Dir = filepath.Dir(strings.TrimSpace(string(gomod)))
	if output, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("go build -race: %w\n%s", err, output)
	}
	return nil
}

// rootModule is a terraform working directory with its own main.tf and environment.
type rootModule struct {
	t      *testing.T
	dir    string
	env    []string
	marker string
	// racePrefix is GORACE's log_path: the race detector writes its reports to racePrefix.<pid>.
	racePrefix string
}

// newRootModule writes config as main.tf in a fresh directory. Every command gets an environment
// built from scratch: no credentials, configuration or ECS metadata of the machine.
func newRootModule(t *testing.T, config string) *rootModule {
	t.Helper()
	if skipReason != "" {
		t.Skip(skipReason)
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(config), 0o600); err != nil {
		t.Fatal(err)
	}
	home := t.TempDir()
	m := &rootModule{
		t:          t,
		dir:        dir,
		marker:     fmt.Sprintf("%s-%d", t.Name(), time.Now().UnixNano()),
		racePrefix: filepath.Join(t.TempDir(), "race"),
	}
	m.env = []string{
		"PATH=" + os.Getenv("PATH"),
		"HOME=" + home,
		"TF_CLI_CONFIG_FILE=" + cliConfigPath,
		"CHECKPOINT_DISABLE=1",
		"TF_IN_AUTOMATION=1",
		"ALIBABA_CLOUD_ECS_METADATA_DISABLED=true",
		// The race runtime sleeps a second at exit by default, once per provider start.
		"GORACE=halt_on_error=1 atexit_sleep_ms=100 log_path=" + m.racePrefix,
		markerVar + "=" + m.marker,
	}
	t.Cleanup(m.checkRaces)
	t.Cleanup(m.checkNoProcessesLeft)
	return m
}

// setenv adds a variable to the environment of the commands that follow.
func (m *rootModule) setenv(name, value string) {
	m.env = append(m.env, name+"="+value)
}

// command prepares terraform with args (and -no-color after the subcommand) in its own process
// group, which ctx ending kills whole.
func (m *rootModule) command(ctx context.Context, args ...string) *exec.Cmd {
	args = append([]string{args[0], "-no-color"}, args[1:]...)
	cmd := exec.CommandContext(ctx, terraformPath, args...)
	cmd.Dir = m.dir
	cmd.Env = m.env
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	cmd.WaitDelay = 10 * time.Second
	return cmd
}

// result is what a finished terraform command left.
type result struct {
	stdout, stderr string
	exitCode       int
}

// output is stdout and stderr with whitespace collapsed, since terraform wraps diagnostics at 78 columns.
func (r result) output() string {
	return strings.Join(strings.Fields(r.stdout+"\n"+r.stderr), " ")
}

// run runs terraform with args to the end.
func (m *rootModule) run(args ...string) result {
	m.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), commandTimeout)
	defer cancel()
	cmd := m.command(ctx, args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	r := result{stdout: stdout.String(), stderr: stderr.String()}
	var exitErr *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &exitErr):
		r.exitCode = exitErr.ExitCode()
	default:
		m.t.Fatalf("terraform %s: %v", strings.Join(args, " "), err)
	}
	if ctx.Err() != nil {
		m.t.Fatalf("terraform %s did not finish within %s:\n%s\n%s", strings.Join(args, " "), commandTimeout, r.stdout, r.stderr)
	}
	return r
}

// mustSucceed fails the test unless r exited 0.
func (m *rootModule) mustSucceed(r result, what string) {
	m.t.Helper()
	if r.exitCode != 0 {
		m.t.Fatalf("%s exited %d, want 0:\n%s\n%s", what, r.exitCode, r.stdout, r.stderr)
	}
}

// processesLeft lists the processes that carry this module's marker: terraform and the provider.
func (m *rootModule) processesLeft() []int {
	entries, err := os.ReadDir("/proc")
	if err != nil {
		m.t.Logf("cannot list processes: %v", err)
		return nil
	}
	want := []byte("\x00" + markerVar + "=" + m.marker + "\x00")
	var pids []int
	for _, e := range entries {
		var pid int
		if _, err := fmt.Sscan(e.Name(), &pid); err != nil {
			continue
		}
		environ, err := os.ReadFile(filepath.Join("/proc", e.Name(), "environ"))
		if err != nil {
			continue
		}
		if bytes.Contains(append([]byte{0}, environ...), want) {
			pids = append(pids, pid)
		}
	}
	return pids
}

// providerRunning reports whether one of this module's processes runs the built provider.
func (m *rootModule) providerRunning() bool {
	for _, pid := range m.processesLeft() {
		if exe, err := os.Readlink(fmt.Sprintf("/proc/%d/exe", pid)); err == nil && exe == providerPath {
			return true
		}
	}
	return false
}

// waitNoProcessesLeft waits up to grace for this module's processes to end, and returns those that did not.
func (m *rootModule) waitNoProcessesLeft(grace time.Duration) []int {
	deadline := time.Now().Add(grace)
	for {
		pids := m.processesLeft()
		if len(pids) == 0 || time.Now().After(deadline) {
			return pids
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// checkNoProcessesLeft fails the test when a terraform or provider process outlives its command,
// and ends it.
func (m *rootModule) checkNoProcessesLeft() {
	pids := m.waitNoProcessesLeft(5 * time.Second)
	for _, pid := range pids {
		exe, _ := os.Readlink(fmt.Sprintf("/proc/%d/exe", pid))
		m.t.Errorf("process %d (%s) outlived its terraform command", pid, exe)
		_ = syscall.Kill(pid, syscall.SIGKILL)
	}
}

// checkRaces fails the test when the race detector wrote a report for the provider.
func (m *rootModule) checkRaces() {
	reports, _ := filepath.Glob(m.racePrefix + ".*")
	for _, name := range reports {
		report, _ := os.ReadFile(name)
		m.t.Errorf("the race detector reported in %s:\n%s", name, report)
	}
}

// newFake starts a fake DTS endpoint that knows the test key.
func newFake(t *testing.T) *fakedts.Server {
	t.Helper()
	f := fakedts.NewServer()
	f.AddAccessKey(testAccessKey, testSecretKey)
	t.Cleanup(f.Close)
	return f
}

// closedEndpoint returns a loopback URL where nothing listens.
func closedEndpoint(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	return "http://" + addr
}

// config is a root module using the dts provider with the given provider block body, then body.
func config(providerArgs, body string) string {
	return `terraform {
  required_providers {
    dts = {
      source = "openmigrate/dts"
    }
  }
}

provider "dts" {
` + providerArgs + `
}

` + body
}

// fakeProvider is the provider block body that points at the fake with the test key.
func fakeProvider(f *fakedts.Server) string {
	return fmt.Sprintf("  region     = %q\n  endpoint   = %q\n  access_key = %q\n  secret_key = %q\n",
		testRegion, f.URL(), testAccessKey, testSecretKey)
}

// mustContain fails the test unless text holds every one of want.
func mustContain(t *testing.T, text string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(text, w) {
			t.Errorf("output lacks %q:\n%s", w, text)
		}
	}
}

// containsFold reports whether s holds sub, ignoring case.
func containsFold(s, sub string) bool {
	return strings.Contains(strings.ToLower(s), strings.ToLower(sub))
}

// Command fakedts serves the fake DTS endpoint of package fakedts as a standalone process, with a
// simulated legacy migration job (DescribeMigrationJobStatus, DescribeMigrationJobs) and a simulated
// current-API synchronization job (DescribeDtsJobs, JobType SYNC), and with -fleet a fleet of jobs of
// both kinds tagged cutover = "orders", for `make demo` and for trying the provider without an
// Alibaba Cloud account.
//
// It listens on 127.0.0.1 (a random port unless -listen says otherwise), prints its URL, optionally
// writes it to -url-file once it accepts connections, logs each request it answers, and exits cleanly
// on SIGINT or SIGTERM.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/openmigrate/terraform-provider-dts/internal/dtsapi"
	"github.com/openmigrate/terraform-provider-dts/internal/fakedts"
)

// Demo credentials: they exist only in this fake, which accepts nothing else.
const (
	demoAccessKeyID     = "LTAI5tDemoOnlyNotARealKey"
	demoAccessKeySecret = "demo-secret-known-only-to-the-fake"
)

func main() {
	log.SetFlags(0)
	log.SetPrefix("fakedts: ")
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	if err != nil {
		log.Fatal(err)
	}
}

// options are the command line flags.
type options struct {
	listen    string
	urlFile   string
	jobID     string
	syncJobID string
	region    string
	duration  time.Duration
	keyID     string
	keySecret string
	exitAfter time.Duration
	quiet     bool
	fleet     int
	examples  bool
}

func parseFlags(args []string, stderr io.Writer) (options, error) {
	var o options
	fs := flag.NewFlagSet("fakedts", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.listen, "listen", "127.0.0.1:0", "loopback `address` to listen on; port 0 picks a free one")
	fs.StringVar(&o.urlFile, "url-file", "", "write the endpoint URL to this `file` once the server accepts connections")
	fs.StringVar(&o.jobID, "job", fakedts.DemoJobID, "ID of the simulated migration job")
	fs.StringVar(&o.syncJobID, "sync-job", fakedts.DemoSyncJobID, "ID of the simulated synchronization job (DescribeDtsJobs, JobType SYNC)")
	fs.StringVar(&o.region, "region", "cn-hangzhou", "region the jobs live in; requests for another region do not find them")
	fs.DurationVar(&o.duration, "duration", 20*time.Second, "how long each job takes, from its first request, to reach incremental sync Catched")
	fs.StringVar(&o.keyID, "access-key-id", demoAccessKeyID, "access key ID the fake accepts")
	fs.StringVar(&o.keySecret, "access-key-secret", demoAccessKeySecret, "access key secret the fake accepts")
	fs.DurationVar(&o.exitAfter, "exit-after", 0, "exit on its own after this long, so a fake whose caller died does not linger; 0 never")
	fs.BoolVar(&o.quiet, "quiet", false, "do not log each request")
	fs.IntVar(&o.fleet, "fleet", 0, "also serve a fleet tagged cutover = \"orders\": this `many` synchronization jobs and as many legacy migration jobs, catching up one after another within -duration")
	fs.BoolVar(&o.examples, "examples", false, "also serve the jobs that examples/ reads (scripts/plan-examples), at states that last")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if fs.NArg() > 0 {
		return o, fmt.Errorf("unexpected arguments: %s", strings.Join(fs.Args(), " "))
	}
	host, _, err := net.SplitHostPort(o.listen)
	if err != nil {
		return o, fmt.Errorf("-listen %q: %w", o.listen, err)
	}
	// The provider talks plain HTTP to loopback hosts only, and a fake should not be reachable from elsewhere.
	if !dtsapi.IsLoopback(host) {
		return o, fmt.Errorf("-listen %q: the fake serves loopback addresses only, such as 127.0.0.1:0", o.listen)
	}
	if o.fleet < 0 || o.fleet > 9999 {
		return o, fmt.Errorf("-fleet must be between 0 and 9999, got %d", o.fleet)
	}
	if o.duration <= 0 {
		return o, fmt.Errorf("-duration must be positive, got %s", o.duration)
	}
	return o, nil
}

// run serves until ctx ends (SIGINT or SIGTERM in main) or -exit-after passes.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	o, err := parseFlags(args, stderr)
	if err != nil {
		return err
	}
	if o.exitAfter > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, o.exitAfter)
		defer cancel()
	}

	fake := fakedts.NewUnstartedHandler()
	fake.AddAccessKey(o.keyID, o.keySecret)
	fake.SetJob(o.jobID, fakedts.Job{Region: o.region, Name: "demo migration", Steps: fakedts.DemoTimelineFor(o.jobID, o.duration)})
	fake.SetDtsJob(o.syncJobID, fakedts.DtsJob{
		Region: o.region, JobType: "SYNC", Name: "demo synchronization", Tags: map[string]string{"env": "demo"},
		Steps: fakedts.DemoSyncTimelineFor(o.syncJobID, o.duration),
	})
	for _, j := range subJobDemos {
		fake.SetDtsJob(j.id, fakedts.DtsJob{Region: o.region, JobType: "SYNC", Name: j.name, Steps: j.timeline(j.id, o.duration)})
	}
	fleet := seedFleet(fake, o)
	if o.examples {
		seedExamples(fake, o.region)
	}
	defer fake.Close()

	ln, err := net.Listen("tcp", o.listen)
	if err != nil {
		return err
	}
	url := "http://" + ln.Addr().String()
	handler := fake.Handler()
	if !o.quiet {
		handler = logRequests(handler, log.New(stderr, "fakedts: ", 0))
	}
	srv := &http.Server{Handler: handler, ReadHeaderTimeout: 10 * time.Second}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()

	if o.urlFile != "" {
		if err := writeFileAtomically(o.urlFile, url+"\n"); err != nil {
			_ = srv.Close()
			return err
		}
	}
	fmt.Fprintln(stdout, url)
	fmt.Fprintf(stderr, "fakedts: serving at %s (access key ID %s) in %s:\n", url, o.keyID, o.region)
	fmt.Fprintf(stderr, "fakedts:   legacy migration job %s (dts_migration_job_status); it reaches incremental sync Catched %s after its first request\n",
		o.jobID, o.duration)
	fmt.Fprintf(stderr, "fakedts:   synchronization job %s (dts_job_status, job_type synchronization); it reaches Synchronizing, Catched %s after its first request\n",
		o.syncJobID, o.duration)
	fmt.Fprint(stderr, fleet)
	if o.examples {
		fmt.Fprintf(stderr, "fakedts:   and the jobs of examples/ (-examples)\n")
	}

	for _, j := range subJobDemos {
		fmt.Fprintf(stderr, "fakedts:   synchronization job %s (dts_job_status, include_sub_jobs): %s over %s from its first request\n", j.id, j.says, o.duration)
	}

	select {
	case err := <-served:
		return err
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	// Close first releases requests the fake holds back, so that Shutdown does not wait for them.
	fake.Close()
	if err := srv.Shutdown(shutdown); err != nil {
		_ = srv.Close()
	}
	if err := <-served; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		fmt.Fprintf(stderr, "fakedts: exiting after %s (-exit-after)\n", o.exitAfter)
	}
	return nil
}

// subJobDemos are the jobs whose DescribeDtsJobDetail answer matters (sub-jobs, a reverse job, the
// delay unit), for trying include_sub_jobs.
var subJobDemos = []struct {
	id, name, says string
	timeline       func(id string, total time.Duration) []fakedts.Step
}{
	{fakedts.DemoDistributedJobID, "demo distributed", "reads Catched while its shard " + fakedts.DistributedShardIDs(fakedts.DemoDistributedJobID)[1] +
		" lags (754 s down to 0)", fakedts.DistributedTimelineFor},
	{fakedts.DemoSubSyncJobID, "demo modifying", "is Modifying while sub-job " + fakedts.SubSyncJobIDFor(fakedts.DemoSubSyncJobID) +
		" loads two new tables", fakedts.SubSyncTimelineFor},
	{fakedts.DemoTwoWayJobID, "demo two-way", "is caught up while its reverse job catches up", fakedts.TwoWayTimelineFor},
	{fakedts.DemoSecondsJobID, "demo seconds", "has a detail call that reports seconds, not milliseconds", fakedts.SecondsTimelineFor},
}

// writeFileAtomically writes content so that a reader polling for the file never sees it half written.
func writeFileAtomically(name, content string) error {
	tmp, err := os.CreateTemp(filepath.Dir(name), ".fakedts-url-")
	if err != nil {
		return err
	}
	if _, err := tmp.WriteString(content); err != nil {
		_ = tmp.Close()
		_ = os.Remove(tmp.Name())
		return err
	}
	if err := tmp.Close(); err != nil {
		_ = os.Remove(tmp.Name())
		return err
	}
	return os.Rename(tmp.Name(), name)
}

// recorder keeps the status and body of an answer, for the request log.
type recorder struct {
	http.ResponseWriter
	status int
	body   bytes.Buffer
}

func (r *recorder) WriteHeader(status int) {
	r.status = status
	r.ResponseWriter.WriteHeader(status)
}

func (r *recorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	r.body.Write(b)
	return r.ResponseWriter.Write(b)
}

// logRequests logs one line per answered request: the job and the furthest stage the answer reports.
func logRequests(next http.Handler, l *log.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := &recorder{ResponseWriter: w}
		next.ServeHTTP(rec, r)
		l.Printf("%s %s -> HTTP %d: %s", time.Now().Format("15:04:05.000"), r.Method, rec.status, summarize(rec.body.Bytes()))
	})
}

// stageAnswer is a stage's part of an answer.
type stageAnswer struct {
	Status, Percent, Delay string
}

// answer holds the fields of an answer that the request log shows, for the three calls.
type answer struct {
	MigrationJobID     string
	MigrationJobStatus string
	Code, ErrCode      string
	Precheck           *stageAnswer `json:"PrecheckStatus"`
	Structure          *stageAnswer `json:"StructureInitializationStatus"`
	Data               *stageAnswer `json:"DataInitializationStatus"`
	Sync               *stageAnswer `json:"DataSynchronizationStatus"`
	// DtsJobList is DescribeDtsJobs's list; MigrationJobs is DescribeMigrationJobs's.
	DtsJobList    []dtsJobAnswer
	MigrationJobs *struct{ MigrationJob []json.RawMessage }
	// DtsJobID, Status, Delay and the sub-job lists are DescribeDtsJobDetail's.
	DtsJobID          string `json:"DtsJobId"`
	Status            string
	Delay             *json.Number
	SubDistributedJob []dtsJobAnswer
	SubSyncJob        []dtsJobAnswer
}

// dtsJobAnswer holds the fields of a DtsJobList item that the request log shows.
type dtsJobAnswer struct {
	DtsJobID  string `json:"DtsJobId"`
	Status    string
	Delay     *json.Number
	Precheck  *stageAnswer `json:"PrecheckStatus"`
	Structure *stageAnswer `json:"StructureInitializationStatus"`
	Data      *stageAnswer `json:"DataInitializationStatus"`
	Sync      *stageAnswer `json:"DataSynchronizationStatus"`
}

// summarize describes an answer in a few words: the job's status and the furthest stage it reports,
// such as "dtsq4n8c2v6x1m9k3p Migrating, full data migration Migrating 60%", or for a listing each job so.
func summarize(body []byte) string {
	var a answer
	if err := json.Unmarshal(body, &a); err != nil {
		return fmt.Sprintf("%d bytes that are not JSON", len(body))
	}
	if code := a.Code + a.ErrCode; code != "" {
		return "error " + code
	}
	if a.MigrationJobs != nil {
		return fmt.Sprintf("%d legacy jobs listed", len(a.MigrationJobs.MigrationJob))
	}
	if a.DtsJobList != nil {
		jobs := make([]string, 0, len(a.DtsJobList))
		for _, j := range a.DtsJobList {
			delay := ""
			if j.Delay != nil {
				delay = j.Delay.String()
			}
			jobs = append(jobs, furthestStage(j.DtsJobID+" "+j.Status, j.Precheck, j.Structure, j.Data, j.Sync, delay))
		}
		return fmt.Sprintf("%d jobs listed: %s", len(jobs), strings.Join(jobs, "; "))
	}
	if a.DtsJobID != "" && a.DtsJobList == nil {
		subs := make([]string, 0, len(a.SubDistributedJob)+len(a.SubSyncJob))
		for _, j := range append(a.SubDistributedJob, a.SubSyncJob...) {
			subs = append(subs, fmt.Sprintf("%s %s, delay %s", j.DtsJobID, j.Status, numberOr(j.Delay, "?")))
		}
		return fmt.Sprintf("detail of %s %s, delay %s, %d sub-jobs: %s", a.DtsJobID, a.Status, numberOr(a.Delay, "?"), len(subs), strings.Join(subs, "; "))
	}
	delay := ""
	if a.Sync != nil {
		delay = a.Sync.Delay
	}
	return furthestStage(a.MigrationJobID+" "+a.MigrationJobStatus, a.Precheck, a.Structure, a.Data, a.Sync, delay)
}

// numberOr is n's text, or absent.
func numberOr(n *json.Number, absent string) string {
	if n == nil {
		return absent
	}
	return n.String()
}

// furthestStage adds the furthest stage that has started to the job's description s.
func furthestStage(s string, precheck, structure, data, sync *stageAnswer, delay string) string {
	started := func(st *stageAnswer) bool { return st != nil && st.Status != "NotStarted" }
	switch {
	case started(sync):
		return fmt.Sprintf("%s, incremental sync %s, delay %s s", s, sync.Status, delay)
	case started(data):
		return fmt.Sprintf("%s, full data migration %s %s%%", s, data.Status, data.Percent)
	case started(structure):
		return fmt.Sprintf("%s, schema migration %s %s%%", s, structure.Status, structure.Percent)
	case precheck != nil:
		return fmt.Sprintf("%s, precheck %s %s%%", s, precheck.Status, precheck.Percent)
	}
	return s
}

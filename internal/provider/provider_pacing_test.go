package provider

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/openmigrate/terraform-provider-dts/internal/clock"
	"github.com/openmigrate/terraform-provider-dts/internal/dtsapi"
)

// TestAThrottleSlowsReadsOfEveryProviderConfiguration checks that the pace is the process's: a
// throttle seen through one configured provider holds off the reads of another (as with two
// provider aliases in one plan), while a provider on a pace of its own is not held off.
func TestAThrottleSlowsReadsOfEveryProviderConfiguration(t *testing.T) {
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if calls.Add(1) == 1 {
			w.Header().Set("x-ratelimit-user-api", "Limit:20,Remain:0,TimeLeft:1000")
			w.WriteHeader(http.StatusBadRequest)
			_, _ = io.WriteString(w, `{"RequestId":"x","Code":"Throttling.User","Message":"Request was denied due to user flow control."}`)
			return
		}
		_, _ = io.WriteString(w, `{"RequestId":"y","Success":true,"MigrationJobId":"dts-job","MigrationJobStatus":"Migrating"}`)
	}))
	defer srv.Close()
	s := settings{
		region:   setting{"cn-hangzhou", "provider block"},
		endpoint: setting{srv.URL, "provider block"},
		// A key of this test's own: the process's pace outlives the test.
		accessKey:  setting{"LTAI-provider-pacing-test", "provider block"},
		secretKey:  setting{"secret", "provider block"},
		maxRetries: new(0), // no retries: the throttle is reported at once
	}
	read := func(t *testing.T, tu tuning) (time.Duration, error) {
		t.Helper()
		d := newProviderData(s, tu, "test")
		tg, err := d.target("")
		if err != nil {
			t.Fatal(err)
		}
		c, err := d.client(tg)
		if err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		_, err = c.DescribeMigrationJobStatus(context.Background(), dtsapi.DescribeMigrationJobStatusRequest{MigrationJobID: "dts-job"})
		return time.Since(start), err
	}
	p, ok := New("test")().(*dtsProvider)
	if !ok {
		t.Fatal("New must build a *dtsProvider")
	}
	process := p.tuning
	if process.pacer == nil || process.pacer != processPacer {
		t.Fatal("the provider served to Terraform must pace with the process's pacer")
	}
	if _, err := read(t, process); err == nil {
		t.Fatal("want the first read throttled")
	}
	// The service asked for a second's pause: every configuration's reads of that key honour it.
	if took, err := read(t, process); err != nil || took < 900*time.Millisecond {
		t.Fatalf("a read through another configuration took %v (%v), want it held off about 1s", took, err)
	}
	own := tuning{clock: clock.System{}, lookupEnv: process.lookupEnv}
	if took, err := read(t, own); err != nil || took >= 900*time.Millisecond {
		t.Fatalf("a read on a pace of its own took %v (%v), want no hold-off", took, err)
	}
}

package family

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/openmigrate/terraform-provider-dts/internal/dtsapi"
	"github.com/openmigrate/terraform-provider-dts/internal/wait"
)

// A fleet whose listing never reads times out saying so, with the last failure, not as a job whose
// status was never seen.
func TestFleetTimeoutWithoutAListing(t *testing.T) {
	pageFailed := &dtsapi.PageError{Page: 3, Err: &dtsapi.Error{Code: "ServiceUnavailable", Retryable: true, HTTPStatus: 503}}
	h := newFamilyHarness[fleet](nil, func(int, time.Duration) reply[fleet] { return reply[fleet]{err: pageFailed} })
	w := h.waiter(10*time.Second, time.Minute)
	w.Gate = fleetGate(caughtUp)
	_, err := w.Waiter.Wait(t.Context())
	var te *wait.TimeoutError
	if !errors.As(err, &te) || !te.OverListing || len(h.polls) != 6 {
		t.Fatalf("Wait = %v after %d polls, want a timeout over a listing after 6", err, len(h.polls))
	}
	msg := err.Error()
	for _, want := range []string{"no listing was ever read", "the last poll failed: page 3 failed: ServiceUnavailable"} {
		if !strings.Contains(msg, want) {
			t.Errorf("timeout %q does not say %q", msg, want)
		}
	}
	if strings.Contains(msg, "job ID") {
		t.Errorf("timeout %q speaks of one job", msg)
	}
}

// A page that fails in a way waiting will not mend ends a fleet wait at once; one that may mend
// does not, and the wait goes on to the listing that follows.
func TestFleetPageFailures(t *testing.T) {
	synced := fleetOf(dtsJob("Synchronizing", at(wait.StageDataSynchronization, "Catched", ""), delay(1)))
	forbidden := &dtsapi.PageError{Page: 2, Err: &dtsapi.Error{Code: "Forbidden.RAM", HTTPStatus: 403}}
	h := newFamilyHarness[fleet](nil, scripted(reply[fleet]{err: forbidden}))
	w := h.waiter(10*time.Second, time.Minute)
	w.Gate = fleetGate(caughtUp)
	if _, err := w.Waiter.Wait(t.Context()); !errors.Is(err, forbidden.Err) || len(h.polls) != 1 {
		t.Errorf("Wait = %v after %d polls, want the page's permanent error at the first", err, len(h.polls))
	}
	tooMany := &dtsapi.TooManyPagesError{Read: 3000, Total: 3500, Pages: dtsapi.MaxPages}
	h = newFamilyHarness[fleet](nil, scripted(reply[fleet]{err: tooMany}))
	w = h.waiter(10*time.Second, time.Minute)
	w.Gate = fleetGate(caughtUp)
	if _, err := w.Waiter.Wait(t.Context()); !errors.As(err, &tooMany) || len(h.polls) != 1 {
		t.Errorf("Wait = %v after %d polls, want the listing's length to end it at once", err, len(h.polls))
	}
	unavailable := &dtsapi.PageError{Page: 2, Err: &dtsapi.Error{Code: "ServiceUnavailable", Retryable: true, HTTPStatus: 503}}
	h = newFamilyHarness[fleet](nil, scripted(reply[fleet]{err: unavailable}, reply[fleet]{resp: synced}))
	w = h.waiter(10*time.Second, time.Minute)
	w.Gate = fleetGate(caughtUp)
	if got, err := w.Waiter.Wait(t.Context()); err != nil || got != synced || len(h.polls) != 2 {
		t.Errorf("Wait = %v after %d polls, want the second poll's listing", err, len(h.polls))
	}
}

package main

import (
	"net/url"
	"testing"

	"github.com/openmigrate/terraform-provider-dts/internal/fakedts"
)

func TestSplitPolls(t *testing.T) {
	page := func(n int, throttled bool) fakedts.Request {
		q := fakedts.Request{Action: fakedts.ActionDescribeDtsJobs, PageNumber: n, Status: 200, Params: url.Values{"PageSize": {"30"}}}
		if throttled {
			q.Status, q.RateLimited = 400, true
		}
		return q
	}
	reqs := []fakedts.Request{page(1, false), page(2, true), page(2, false), page(3, false), page(1, false), page(2, false), page(3, false)}
	polls := splitPolls(reqs)
	if polls, perPoll, ok := pollsText([][]gatePoll{polls}, 2, 3); !ok || polls != "2 in all 1 runs" || perPoll != "3 in all 2 polls" {
		t.Errorf("pollsText = %q, %q, %v; want 2 polls of pages 1 to 3", polls, perPoll, ok)
	}
	if _, _, ok := pollsText([][]gatePoll{polls}, 3, 3); ok {
		t.Error("2 polls passed for 3")
	}
	skipped := splitPolls([]fakedts.Request{page(1, false), page(3, false)})
	if _, _, ok := pollsText([][]gatePoll{skipped}, 1, 2); ok {
		t.Error("a poll that skipped page 2 passed")
	}
	failed := splitPolls([]fakedts.Request{page(1, false), {Action: fakedts.ActionDescribeDtsJobs, PageNumber: 2, Status: 500}})
	if _, _, ok := pollsText([][]gatePoll{failed}, 1, 2); ok {
		t.Error("a poll with a failed page passed")
	}
}

package dtsapi

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
)

type item struct{ id string }

// pages serves ids in pages of size, reporting total (or len(ids) when total is negative).
func pages(ids []string, size int, total int64) (func(context.Context, int) (page[item], error), *int) {
	calls := 0
	return func(_ context.Context, n int) (page[item], error) {
		calls++
		var p page[item]
		for i := (n - 1) * size; i < n*size && i < len(ids); i++ {
			p.items = append(p.items, item{ids[i]})
		}
		t := total
		if t < 0 {
			t = int64(len(ids))
		}
		p.total = IntOf(t)
		return p, nil
	}, &calls
}

func idsOf(l *Listing[item]) []string {
	out := make([]string, len(l.Items))
	for i, it := range l.Items {
		out[i] = it.id
	}
	return out
}

func key(it *item) string { return it.id }

func names(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("j%03d", i)
	}
	return out
}

func TestListAllReadsUntilTheTotal(t *testing.T) {
	for _, tc := range []struct {
		jobs, wantCalls int
	}{{0, 1}, {1, 1}, {30, 1}, {31, 2}, {90, 3}, {1000, 34}} {
		fetch, calls := pages(names(tc.jobs), 30, -1)
		l, err := listAll(context.Background(), fetch, key)
		if err != nil {
			t.Fatal(err)
		}
		if *calls != tc.wantCalls || l.Pages != tc.wantCalls || !slices.Equal(idsOf(l), names(tc.jobs)) {
			t.Errorf("%d jobs: %d calls, %d items, want %d calls and every job in order", tc.jobs, *calls, len(l.Items), tc.wantCalls)
		}
	}
}

func TestListAllStopsAtAnEmptyPage(t *testing.T) {
	// The service counts more than it lists: an empty page ends the listing instead of a loop.
	fetch, calls := pages(names(40), 30, 500)
	l, err := listAll(context.Background(), fetch, key)
	if err != nil || len(l.Items) != 40 || *calls != 3 {
		t.Fatalf("got %v items after %d calls (%v), want 40 after 3", len(l.Items), *calls, err)
	}
}

func TestListAllSurvivesAJobCreatedMidListing(t *testing.T) {
	before := names(60)
	for _, tc := range []struct {
		name      string
		after     []string
		want      []string
		wantPages int
	}{
		// Created in front: page 2 starts with page 1's last job, kept once; the new job was on a page
		// already read, so the listing ends at the empty page it reaches instead of looping.
		{"in front", append([]string{"new"}, before...), before, 4},
		// Created at the end: the total grows by one and one more page brings it.
		{"at the end", append(append([]string{}, before...), "new"), append(append([]string{}, before...), "new"), 3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fetch := func(_ context.Context, n int) (page[item], error) {
				ids := before
				if n > 1 {
					ids = tc.after
				}
				var p page[item]
				for i := (n - 1) * 30; i < n*30 && i < len(ids); i++ {
					p.items = append(p.items, item{ids[i]})
				}
				p.total = IntOf(int64(len(ids)))
				return p, nil
			}
			l, err := listAll(context.Background(), fetch, key)
			if err != nil {
				t.Fatal(err)
			}
			if got := idsOf(l); !slices.Equal(got, tc.want) || l.Pages != tc.wantPages {
				t.Fatalf("after %d pages got %d jobs, want %d jobs once each after %d pages", l.Pages, len(got), len(tc.want), tc.wantPages)
			}
		})
	}
}

func TestListAllFailsPastMaxPages(t *testing.T) {
	fetch, calls := pages(names(MaxPages*30+1), 30, -1)
	_, err := listAll(context.Background(), fetch, key)
	var tooMany *TooManyPagesError
	if !errors.As(err, &tooMany) || *calls != MaxPages || tooMany.Read != int64(MaxPages*30) {
		t.Fatalf("err = %v after %d calls, want TooManyPagesError after %d", err, *calls, MaxPages)
	}
}

// A wait over a listing polls it again and again: which failures end the wait is IsPermanent's say.
func TestListingFailuresThatEndAWait(t *testing.T) {
	for _, tc := range []struct {
		err  error
		want bool
	}{
		{&TooManyPagesError{Read: 3000, Total: 3100, Pages: MaxPages}, true},
		{&PageError{Page: 2, Err: &Error{Code: "ServiceUnavailable", Retryable: true, HTTPStatus: 503}}, false},
		{&PageError{Page: 2, Err: &Error{Code: "Forbidden.RAM", HTTPStatus: 403}}, true},
	} {
		if got := IsPermanent(tc.err); got != tc.want {
			t.Errorf("IsPermanent(%v) = %v, want %v", tc.err, got, tc.want)
		}
	}
}

func TestListAllNamesTheFailedPage(t *testing.T) {
	boom := &Error{Code: "ServiceUnavailable", Retryable: true}
	fetch := func(_ context.Context, n int) (page[item], error) {
		if n == 2 {
			return page[item]{}, boom
		}
		return page[item]{items: []item{{fmt.Sprint(n)}}, total: IntOf(5)}, nil
	}
	_, err := listAll(context.Background(), fetch, key)
	var pe *PageError
	if !errors.As(err, &pe) || pe.Page != 2 || !errors.Is(err, boom) || err.Error() != "page 2 failed: "+boom.Error() {
		t.Fatalf("err = %v, want page 2's error", err)
	}
}

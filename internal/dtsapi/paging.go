package dtsapi

import (
	"context"
	"fmt"
)

// MaxPages bounds a listing: past it the listing fails and asks for a narrower filter, rather than
// read for ever or keep only a part.
const MaxPages = 100

// PageError is a listing that failed at one page, after that page's own retries.
type PageError struct {
	// Page is the page number that failed, from 1.
	Page int
	Err  error
}

func (e *PageError) Error() string { return fmt.Sprintf("page %d failed: %v", e.Page, e.Err) }

// Unwrap returns the page's error.
func (e *PageError) Unwrap() error { return e.Err }

// TooManyPagesError is a listing that did not end within MaxPages pages.
type TooManyPagesError struct {
	// Read is how many distinct jobs the pages held; Total the count the service reported last.
	Read, Total int64
	Pages       int
}

func (e *TooManyPagesError) Error() string {
	return fmt.Sprintf("the listing did not end within %d pages (%d jobs read of %d counted): narrow it with a filter", e.Pages, e.Read, e.Total)
}

// Listing is every item a paged call returned, each once, in the service's order.
type Listing[T any] struct {
	Items []T
	// Pages is how many pages were read; RequestIDs are their request IDs, in order.
	Pages      int
	RequestIDs []string
}

// page is what one page of a listing call says.
type page[T any] struct {
	items     []T
	total     Int
	requestID String
}

// pageRule says when a paged call ends, where calls differ.
type pageRule struct {
	// maxPages bounds the listing; MaxPages when zero.
	maxPages int
	// pageSize, when set, also ends the listing at a page with fewer items than it: a call whose
	// answer gives no page count and whose total may not be trusted to end the reading by itself.
	pageSize int
}

// listAll reads pages 1, 2, ... until the distinct items read reach the service's latest
// TotalRecordCount, or a page comes back empty, or MaxPages pages were read. Items are counted from
// the lists themselves; an item whose key an earlier page held (the list shifted under the reader)
// is kept once. Each page is one call with the client's retries, deadline, cancellation and pacing.
func listAll[T any](ctx context.Context, fetch func(ctx context.Context, n int) (page[T], error), key func(*T) string) (*Listing[T], error) {
	return listBy(ctx, pageRule{}, fetch, key)
}

// listBy is listAll under rule: its own page bound and, with a page size, a short page as the end.
func listBy[T any](ctx context.Context, rule pageRule, fetch func(ctx context.Context, n int) (page[T], error), key func(*T) string) (*Listing[T], error) {
	maxPages := rule.maxPages
	if maxPages <= 0 {
		maxPages = MaxPages
	}
	out := &Listing[T]{}
	seen := make(map[string]bool)
	var total int64
	for n := 1; ; n++ {
		if n > maxPages {
			return nil, &TooManyPagesError{Read: int64(len(out.Items)), Total: total, Pages: maxPages}
		}
		p, err := fetch(ctx, n)
		if err != nil {
			return nil, &PageError{Page: n, Err: err}
		}
		out.Pages = n
		if n == 1 && p.total.Set && p.total.Val > int64(len(p.items)) {
			// A fleet wait lists a thousand jobs a poll: growing the list by doubling copied it twice over.
			out.Items = make([]T, 0, min(p.total.Val, int64(MaxPages*max(len(p.items), 1))))
		}
		if p.requestID.Set {
			out.RequestIDs = append(out.RequestIDs, p.requestID.Val)
		}
		for i := range p.items {
			k := key(&p.items[i])
			if k != "" && seen[k] {
				continue
			}
			seen[k] = true
			out.Items = append(out.Items, p.items[i])
		}
		total = p.total.Val
		if len(p.items) == 0 || (p.total.Set && int64(len(out.Items)) >= total) || len(p.items) < rule.pageSize {
			return out, nil
		}
	}
}

// ListDtsJobs reads every page of DescribeDtsJobs for req's filters; req's PageNumber is ignored.
func (c *Client) ListDtsJobs(ctx context.Context, req DescribeDtsJobsRequest) (*Listing[DtsJob], error) {
	return listAll(ctx, func(ctx context.Context, n int) (page[DtsJob], error) {
		req.PageNumber = n
		p, err := c.DescribeDtsJobs(ctx, req)
		if err != nil {
			return page[DtsJob]{}, err
		}
		return page[DtsJob]{items: p.DtsJobList.Items, total: p.TotalRecordCount, requestID: p.RequestID}, nil
	}, func(j *DtsJob) string { return j.DtsJobID.Val })
}

// ListMigrationJobs reads every page of DescribeMigrationJobs for req's filters; req's PageNum is
// ignored.
func (c *Client) ListMigrationJobs(ctx context.Context, req DescribeMigrationJobsRequest) (*Listing[MigrationJob], error) {
	return listAll(ctx, func(ctx context.Context, n int) (page[MigrationJob], error) {
		req.PageNum = n
		p, err := c.DescribeMigrationJobs(ctx, req)
		if err != nil {
			return page[MigrationJob]{}, err
		}
		return page[MigrationJob]{items: p.MigrationJobs.Items, total: p.TotalRecordCount, requestID: p.RequestID}, nil
	}, func(j *MigrationJob) string { return j.MigrationJobID.Val })
}

package fakedts

import (
	"bytes"
	"cmp"
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// pageSizes are the page sizes both listings accept: every value some version of either call's
// documentation lists.
var pageSizes = []int{10, 20, 30, 50, 100}

// paging is a listing's page request.
type paging struct {
	size, number int
}

// parsePaging reads and checks a listing's PageSize and page number, answering 400
// InvalidParameter and returning false when either is not valid.
func parsePaging(x *exchange, numberParam string, defaultSize int) (paging, bool) {
	p := paging{size: defaultSize, number: 1}
	if v := x.params.Get("PageSize"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || !slices.Contains(pageSizes, n) {
			x.gatewayError(http.StatusBadRequest, "InvalidParameter", "Specified parameter PageSize is not valid.")
			return p, false
		}
		p.size = n
	}
	if v := x.params.Get(numberParam); v != "" {
		n, err := strconv.ParseInt(v, 10, 32)
		if err != nil || n < 1 {
			x.gatewayError(http.StatusBadRequest, "InvalidParameter", "Specified parameter "+numberParam+" is not valid.")
			return p, false
		}
		p.number = int(n)
	}
	return p, true
}

// bounds returns the slice of total items the page holds.
func (p paging) bounds(total int) (lo, hi int) {
	lo = min((p.number-1)*p.size, total)
	return lo, min(lo+p.size, total)
}

// pageHook runs f once, when a listing of action has chosen the jobs of page.
type pageHook struct {
	action string
	page   int
	f      func()
}

// OnPage runs f once, the first time a listing of action (ActionDescribeDtsJobs or
// ActionDescribeMigrationJobs) answers page number page: after the page's jobs are chosen and
// before the page is sent, so the client's next request sees what f changed. f may define or delete
// jobs, for example with SetDtsJobFirst, to shift the list and change TotalRecordCount mid-listing.
func (s *Server) OnPage(action string, page int, f func()) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.pageHooks = append(s.pageHooks, pageHook{action, page, f})
}

// runPageHooks runs and forgets the hooks for this page; the caller does not hold s.mu.
func (s *Server) runPageHooks(action string, page int) {
	s.mu.Lock()
	var due []func()
	kept := s.pageHooks[:0]
	for _, h := range s.pageHooks {
		if h.action == action && h.page == page {
			due = append(due, h.f)
			continue
		}
		kept = append(kept, h)
	}
	s.pageHooks = kept
	s.mu.Unlock()
	for _, f := range due {
		f()
	}
}

// decodeJSONObject reads a JSON object keeping numbers as written; nil when raw is not an object.
func decodeJSONObject(raw []byte) map[string]any {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil || m == nil {
		return nil
	}
	return m
}

// itemBytes encodes a step's item or body: json.RawMessage and []byte as given, anything else
// with json.Marshal (nil as an empty object). obj is the result decoded when it is a JSON object
// and was not given verbatim, so the caller may add fields to it.
func itemBytes(v any) (raw []byte, obj map[string]any, err error) {
	switch b := v.(type) {
	case json.RawMessage:
		return b, nil, nil
	case []byte:
		return b, nil, nil
	case nil:
		return []byte("{}"), map[string]any{}, nil
	}
	raw = marshalJSON(v)
	if raw == nil {
		// marshalJSON hides the error; ask json.Marshal for it.
		_, err = json.Marshal(v)
		return nil, nil, err
	}
	return raw, decodeJSONObject(raw), nil
}

// text is a field of a decoded object as text, "" when absent or not a scalar.
func text(m map[string]any, key string) string {
	switch v := m[key].(type) {
	case string:
		return v
	case json.Number:
		return v.String()
	case bool:
		return strconv.FormatBool(v)
	}
	return ""
}

// object is a nested object of a decoded object, nil when absent.
func object(m map[string]any, key string) map[string]any {
	o, _ := m[key].(map[string]any)
	return o
}

// containsFold reports whether s contains substr, ignoring case: the service's fuzzy match.
func containsFold(s, substr string) bool {
	return strings.Contains(strings.ToLower(s), strings.ToLower(substr))
}

// writeListing writes a listing answer whose list is the items, spliced in verbatim. head holds the
// fields before the list, in order, as name and value pairs; wrap, when set, nests the list in an
// object under that key, as the legacy calls do.
func (x *exchange) writeListing(head []field, listName, wrap string, items [][]byte) {
	var b bytes.Buffer
	b.WriteByte('{')
	for _, f := range head {
		b.Write(marshalJSON(f.name))
		b.WriteByte(':')
		b.Write(marshalJSON(f.value))
		b.WriteByte(',')
	}
	b.Write(marshalJSON(listName))
	b.WriteByte(':')
	if wrap != "" {
		b.WriteByte('{')
		b.Write(marshalJSON(wrap))
		b.WriteByte(':')
	}
	b.WriteByte('[')
	for i, item := range items {
		if i > 0 {
			b.WriteByte(',')
		}
		b.Write(item)
	}
	b.WriteByte(']')
	if wrap != "" {
		b.WriteByte('}')
	}
	b.WriteByte('}')
	x.write(http.StatusOK, b.Bytes(), "")
}

// field is one name and value of a JSON object.
type field struct {
	name  string
	value any
}

// listed is a job as a listing sees it: its place in creation order, its timeline, and its list item
// at a step of that timeline.
type listed struct {
	order int64
	tl    *timeline
	item  func(st Step, hasStep bool) ([]byte, error)
	// matched says the caller has applied the item filters already, without rendering the item.
	matched bool
}

// listPage chooses a listing's page among jobs, in creation order, and returns its items and how
// many jobs match in all. keepItem, when set, filters on each job's current item; only the jobs of
// the page advance their timelines, as only they are answered. The caller holds the server's lock.
func listPage(jobs []listed, now time.Time, page paging, keepItem func(map[string]any) bool) (items [][]byte, total int, err error) {
	matched := jobs[:0]
	for _, j := range jobs {
		if keepItem != nil && !j.matched {
			raw, err := j.item(j.tl.peek(now))
			if err != nil {
				return nil, 0, err
			}
			if !keepItem(decodeJSONObject(raw)) {
				continue
			}
		}
		matched = append(matched, j)
	}
	slices.SortFunc(matched, func(a, b listed) int { return cmp.Compare(a.order, b.order) })
	lo, hi := page.bounds(len(matched))
	items = make([][]byte, 0, hi-lo)
	for _, j := range matched[lo:hi] {
		raw, err := j.item(j.tl.advance(now))
		if err != nil {
			return nil, 0, err
		}
		items = append(items, raw)
	}
	return items, len(matched), nil
}

package fakedts

import (
	"cmp"
	"encoding/json"
	"errors"
	"maps"
	"net/http"
	"slices"
	"strings"
	"time"
)

// DtsJob is a current-API job (data migration, synchronization or change tracking), listed by
// DescribeDtsJobs.
type DtsJob struct {
	// Region, when set, must equal the request's Region and RegionId, whichever are sent (at least
	// one must be); otherwise the job is not listed, as a job in another region.
	Region string
	// JobType is MIGRATION (also when empty), SYNC or SUBSCRIBE; a listing holds one type.
	JobType string
	// Name, InstanceID and Tags, when set, are the item's DtsJobName, DtsInstanceID and TagList.
	Name       string
	InstanceID string
	Tags       map[string]string
	// Steps is the job's timeline, as for Job, but each Step's Body (or Raw) is the job's
	// DtsJobList item at that moment, typically DtsState.Item. An object gets the job's identity
	// filled in (DtsJobId and JobType; CreateTime when missing; Name, InstanceID and Tags when set);
	// json.RawMessage, []byte and Raw are listed verbatim. Without steps the job is NotStarted.
	Steps []Step
}

// dtsJobState is a current-API job and where it is in its timeline.
type dtsJobState struct {
	job     DtsJob
	order   int64
	created time.Time
	tl      timeline
}

// SetDtsJob defines the current-API job, replacing any previous definition (which keeps its place
// in listings) and restarting its timeline. A new job is listed after the jobs defined before it.
func (s *Server) SetDtsJob(id string, job DtsJob) {
	s.setDtsJob(id, job, false)
}

// SetDtsJobFirst is SetDtsJob for a new job listed before every job defined so far, as if the
// service listed newest first: a listing read page by page then sees its later pages shift by one.
func (s *Server) SetDtsJobFirst(id string, job DtsJob) {
	s.setDtsJob(id, job, true)
}

func (s *Server) setDtsJob(id string, job DtsJob, first bool) {
	job.Steps = append([]Step(nil), job.Steps...)
	job.Tags = maps.Clone(job.Tags)
	job.JobType = normalizeJobType(job.JobType)
	now := s.clock()
	s.mu.Lock()
	defer s.mu.Unlock()
	order := s.orderFor(first)
	if old, ok := s.dtsJobs[id]; ok && !first {
		order = old.order
	}
	s.dtsJobs[id] = &dtsJobState{job: job, order: order, created: now, tl: timeline{steps: job.Steps}}
}

// DeleteDtsJob forgets the current-API job.
func (s *Server) DeleteDtsJob(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.dtsJobs, id)
}

// item renders the job's item for step (the NotStarted item when the job has no steps).
func (js *dtsJobState) item(id string, st Step, hasStep bool) ([]byte, error) {
	if !hasStep {
		st = Step{Body: DtsState{Status: "NotStarted"}.Item(id)}
	}
	if st.Raw != nil {
		return st.Raw, nil
	}
	var obj map[string]any
	if m, ok := st.Body.(map[string]any); ok {
		// Encoding a map only to decode it again cost most of a fleet's page.
		obj = maps.Clone(m)
	} else {
		raw, o, err := itemBytes(st.Body)
		if err != nil || o == nil {
			return raw, err
		}
		obj = o
	}
	obj["DtsJobId"] = id
	if _, ok := obj["CreateTime"]; !ok {
		obj["CreateTime"] = js.created.UTC().Format(timestampLayout)
	}
	obj["JobType"] = js.job.JobType
	if js.job.Name != "" {
		obj["DtsJobName"] = js.job.Name
	}
	if js.job.InstanceID != "" {
		obj["DtsInstanceID"] = js.job.InstanceID
	}
	if js.job.Tags != nil {
		obj["TagList"] = dtsTagList(js.job.Tags)
	}
	raw := marshalJSON(obj)
	if raw == nil {
		// marshalJSON hides the error; ask json.Marshal for it.
		_, err := json.Marshal(obj)
		return nil, cmp.Or(err, errors.New("the item cannot be encoded"))
	}
	return raw, nil
}

// ownTags returns the tags the job's item at now carries without rendering it: the job's Tags, when
// set, for an item the server fills in; false for a verbatim item, which carries its own.
func (js *dtsJobState) ownTags(now time.Time) (map[string]string, bool) {
	if js.job.Tags == nil {
		return nil, false
	}
	st, hasStep := js.tl.peek(now)
	if !hasStep {
		return js.job.Tags, true
	}
	if _, isObject := st.Body.(map[string]any); st.Raw != nil || !isObject {
		return nil, false
	}
	return js.job.Tags, true
}

// dtsFilter is a DescribeDtsJobs query.
type dtsFilter struct {
	region, regionID, jobType, jobID, instanceID, searchType, search, status string
	tags                                                                     []requestTag
}

// requestTag is one tag of a Tags filter.
type requestTag struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

// matchesJob applies the filters that do not depend on the job's timeline.
func (f dtsFilter) matchesJob(id string, js *dtsJobState) bool {
	if r := js.job.Region; r != "" && (f.region == "" && f.regionID == "" ||
		f.region != "" && f.region != r || f.regionID != "" && f.regionID != r) {
		return false
	}
	// The service's DtsJobId filter only narrows the page; matching part of the ID makes that visible.
	return js.job.JobType == f.jobType && strings.Contains(id, f.jobID)
}

// matchesItem applies the filters that read the job's item at this moment.
func (f dtsFilter) matchesItem(item map[string]any) bool {
	if f.instanceID != "" && text(item, "DtsInstanceID") != f.instanceID {
		return false
	}
	if f.status != "" && text(item, "Status") != f.status {
		return false
	}
	if f.searchType != "" && f.search != "" {
		var within string
		switch f.searchType {
		case "name":
			within = text(item, "DtsJobName")
		case "instance":
			within = text(item, "DtsInstanceID")
		case "srcRds":
			within = text(object(item, "SourceEndpoint"), "InstanceID")
		case "rds":
			within = text(object(item, "DestinationEndpoint"), "InstanceID")
		}
		if !containsFold(within, f.search) {
			return false
		}
	}
	have := map[string]string{}
	list, _ := item["TagList"].([]any)
	for _, t := range list {
		if m, ok := t.(map[string]any); ok {
			have[text(m, "TagKey")] = text(m, "TagValue")
		}
	}
	return f.matchesTags(have)
}

// matchesTags applies the Tags filter to a job's tags.
func (f dtsFilter) matchesTags(have map[string]string) bool {
	// Every tag asked for must be on the job (AND); the service does not document how tags combine.
	for _, t := range f.tags {
		if v, ok := have[t.Key]; !ok || v != t.Value {
			return false
		}
	}
	return true
}

// describeDtsJobs answers an authenticated DescribeDtsJobs call, as its Action constant describes.
func (s *Server) describeDtsJobs(x *exchange) {
	p := x.params
	f := dtsFilter{
		region: p.Get("Region"), regionID: p.Get("RegionId"), jobType: normalizeJobType(p.Get("JobType")),
		jobID: p.Get("DtsJobId"), instanceID: p.Get("DtsInstanceId"), searchType: p.Get("Type"),
		search: p.Get("Params"), status: p.Get("Status"),
	}
	if !slices.Contains([]string{"MIGRATION", "SYNC", "SUBSCRIBE"}, f.jobType) {
		x.gatewayError(http.StatusBadRequest, "InvalidParameter", "Specified parameter JobType is not valid.")
		return
	}
	if f.search != "" && !slices.Contains([]string{"", "name", "instance", "srcRds", "rds"}, f.searchType) {
		x.gatewayError(http.StatusBadRequest, "InvalidParameter", "Specified parameter Type is not valid.")
		return
	}
	if raw := p.Get("Tags"); raw != "" {
		if err := json.Unmarshal([]byte(raw), &f.tags); err != nil || slices.ContainsFunc(f.tags, func(t requestTag) bool { return t.Key == "" }) {
			x.gatewayError(http.StatusBadRequest, "InvalidParameter", "Specified parameter Tags is not valid.")
			return
		}
	}
	page, ok := parsePaging(x, "PageNumber", 20)
	if !ok {
		return
	}

	// Rendering every job's item for every page costs more than the client under test when a listing
	// holds thousands of jobs (the benchmarks list 1,000); only the item filters need it.
	var keepItem func(map[string]any) bool
	itemFilters := f.instanceID != "" || f.status != "" || f.searchType != "" && f.search != ""
	if itemFilters || len(f.tags) > 0 {
		keepItem = f.matchesItem
	}
	now := s.clock()
	s.mu.Lock()
	jobs := make([]listed, 0, len(s.dtsJobs))
	for id, js := range s.dtsJobs {
		if !f.matchesJob(id, js) {
			continue
		}
		l := listed{order: js.order, tl: &js.tl,
			item: func(st Step, hasStep bool) ([]byte, error) { return js.item(id, st, hasStep) }}
		// A fleet is found by its tags: rendering a thousand items per page to read them took seconds.
		if tags, ok := js.ownTags(now); ok && !itemFilters && len(f.tags) > 0 {
			if !f.matchesTags(tags) {
				continue
			}
			l.matched = true
		}
		jobs = append(jobs, l)
	}
	items, total, err := listPage(jobs, now, page, keepItem)
	s.mu.Unlock()
	if err != nil {
		x.gatewayError(http.StatusInternalServerError, "InternalError", "fakedts: a job's list item cannot be encoded: "+err.Error())
		return
	}

	s.runPageHooks(ActionDescribeDtsJobs, page.number)
	x.writeListing([]field{
		{"RequestId", x.requestID}, {"Success", true}, {"HttpStatusCode", http.StatusOK},
		{"PageNumber", page.number}, {"PageRecordCount", len(items)}, {"TotalRecordCount", total},
	}, "DtsJobList", "", items)
}

package fakedts

import (
	"encoding/json"
	"maps"
	"net/http"
	"regexp"
	"slices"
	"strconv"
)

// tagParam is a DescribeMigrationJobs tag filter parameter, Tag.N.Key or Tag.N.Value.
var tagParam = regexp.MustCompile(`^Tag\.([0-9]+)\.(Key|Value)$`)

// ListItem renders the state as a DescribeMigrationJobs MigrationJob item for jobID: the status
// answer of Body in this call's shape. The server adds the job's tags and creation times.
func (st State) ListItem(jobID string) map[string]any {
	return listItemFromStatus(decodeJSONObject(marshalJSON(st.Body(jobID))))
}

// listItemFromStatus turns a DescribeMigrationJobStatus answer into a DescribeMigrationJobs item:
// MigrationJobID, Precheck {Status, Percent} (Finished reads Success, this call's documented
// result), stage objects without the Status suffix and with a lower-case "status" key,
// DataSynchronization without Checkpoint and Progress, MigrationMode keys capitalised, endpoints
// with InstanceID and OracleSID, and MigrationObject as an object. Fields this call lacks are dropped.
func listItemFromStatus(status map[string]any) map[string]any {
	item := map[string]any{}
	if status == nil {
		return item
	}
	copyField := func(to map[string]any, toKey string, from map[string]any, fromKey string) {
		if v, ok := from[fromKey]; ok {
			to[toKey] = v
		}
	}
	copyField(item, "MigrationJobID", status, "MigrationJobId")
	for _, k := range []string{"MigrationJobName", "MigrationJobStatus", "MigrationJobClass", "PayType"} {
		copyField(item, k, status, k)
	}
	if mode := object(status, "MigrationMode"); mode != nil {
		m := map[string]any{}
		copyField(m, "StructureInitialization", mode, "structureInitialization")
		copyField(m, "DataInitialization", mode, "dataInitialization")
		copyField(m, "DataSynchronization", mode, "dataSynchronization")
		item["MigrationMode"] = m
	}
	if pre := object(status, "PrecheckStatus"); pre != nil {
		m := map[string]any{}
		copyField(m, "Status", pre, "Status")
		if m["Status"] == "Finished" {
			m["Status"] = "Success"
		}
		copyField(m, "Percent", pre, "Percent")
		item["Precheck"] = m
	}
	stages := []struct{ from, to string }{
		{"StructureInitializationStatus", "StructureInitialization"},
		{"DataInitializationStatus", "DataInitialization"},
		{"DataSynchronizationStatus", "DataSynchronization"},
	}
	for _, sg := range stages {
		stage := object(status, sg.from)
		if stage == nil {
			continue
		}
		m := map[string]any{}
		copyField(m, "status", stage, "Status")
		copyField(m, "Percent", stage, "Percent")
		if sg.to == "DataSynchronization" {
			copyField(m, "Delay", stage, "Delay")
		} else {
			copyField(m, "Progress", stage, "Progress")
		}
		copyField(m, "ErrorMessage", stage, "ErrorMessage")
		item[sg.to] = m
	}
	for _, name := range []string{"SourceEndpoint", "DestinationEndpoint"} {
		ep := object(status, name)
		if ep == nil {
			continue
		}
		m := map[string]any{}
		for _, k := range []string{"DatabaseName", "EngineName", "IP", "InstanceType", "Port", "UserName"} {
			copyField(m, k, ep, k)
		}
		copyField(m, "InstanceID", ep, "InstanceId")
		copyField(m, "OracleSID", ep, "oracleSID")
		item[name] = m
	}
	if obj, ok := migrationObject(text(status, "MigrationObject")); ok {
		item["MigrationObject"] = obj
	}
	return item
}

// migrationObject turns the status call's MigrationObject text, [{"DBName","TableIncludes":
// [{"TableName"}]}], into this call's {"SynchronousObject":[{DatabaseName, WholeDatabase,
// TableList:{Table:[...]}}]}; false when the text is not that.
func migrationObject(raw string) (map[string]any, bool) {
	var dbs []struct {
		DBName        string
		TableIncludes []struct{ TableName string }
	}
	if raw == "" || json.Unmarshal([]byte(raw), &dbs) != nil {
		return nil, false
	}
	objects := make([]any, 0, len(dbs))
	for _, db := range dbs {
		tables := make([]string, 0, len(db.TableIncludes))
		for _, t := range db.TableIncludes {
			tables = append(tables, t.TableName)
		}
		objects = append(objects, map[string]any{
			"DatabaseName":  db.DBName,
			"WholeDatabase": strconv.FormatBool(len(tables) == 0),
			"TableList":     map[string]any{"Table": tables},
		})
	}
	return map[string]any{"SynchronousObject": objects}, true
}

// listItem renders the legacy job's DescribeMigrationJobs item for step. An object gets the job's
// identity: MigrationJobID, MigrationJobName when Job.Name is set, Tags from Job.Tags when set (an
// empty list when neither the job nor the item has tags), and the creation times when missing.
func (js *jobState) listItem(id string, st Step, hasStep bool) ([]byte, error) {
	if !hasStep {
		st = notStartedStep(id)
	}
	var obj map[string]any
	if st.Item != nil {
		raw, o, err := itemBytes(st.Item)
		if err != nil || o == nil {
			return raw, err
		}
		obj = o
	} else {
		body := st.Raw
		if body == nil {
			raw, _, err := itemBytes(st.Body)
			if err != nil {
				return nil, err
			}
			body = raw
		}
		obj = listItemFromStatus(decodeJSONObject(body))
	}
	obj["MigrationJobID"] = id
	if js.job.Name != "" {
		obj["MigrationJobName"] = js.job.Name
	}
	created := js.created.UTC().Format(timestampLayout)
	for _, k := range []string{"InstanceCreateTime", "JobCreateTime"} {
		if _, ok := obj[k]; !ok {
			obj[k] = created
		}
	}
	if _, ok := obj["Tags"]; !ok || js.job.Tags != nil {
		tags := make([]map[string]any, 0, len(js.job.Tags))
		for _, k := range slices.Sorted(maps.Keys(js.job.Tags)) {
			tags = append(tags, map[string]any{"Key": k, "Value": js.job.Tags[k]})
		}
		obj["Tags"] = map[string]any{"Tag": tags}
	}
	return marshalJSON(obj), nil
}

// legacyTag is one Tag.N filter; anyValue when Tag.N.Value was not sent.
type legacyTag struct {
	key, value string
	anyValue   bool
}

// parseTagFilters reads Tag.N.Key and Tag.N.Value, N 1 to 20; false after answering 400 when one
// is out of range or a key is missing or empty.
func parseTagFilters(x *exchange) ([]legacyTag, bool) {
	byN := map[int]*legacyTag{}
	for name, values := range x.params {
		m := tagParam.FindStringSubmatch(name)
		if m == nil {
			continue
		}
		n, err := strconv.Atoi(m[1])
		if err != nil || n < 1 || n > 20 {
			x.gatewayError(http.StatusBadRequest, "InvalidParameter", "Specified parameter "+name+" is not valid.")
			return nil, false
		}
		t := byN[n]
		if t == nil {
			t = &legacyTag{anyValue: true}
			byN[n] = t
		}
		v := ""
		if len(values) > 0 {
			v = values[0]
		}
		if m[2] == "Key" {
			t.key = v
		} else {
			t.value, t.anyValue = v, false
		}
	}
	var tags []legacyTag
	for _, n := range slices.Sorted(maps.Keys(byN)) {
		if byN[n].key == "" {
			x.gatewayError(http.StatusBadRequest, "InvalidParameter", "Specified parameter Tag."+strconv.Itoa(n)+".Key is not valid.")
			return nil, false
		}
		tags = append(tags, *byN[n])
	}
	return tags, true
}

// matchesLegacyItem applies the name and tag filters to a rendered item.
func matchesLegacyItem(item map[string]any, name string, tags []legacyTag) bool {
	if name != "" && !containsFold(text(item, "MigrationJobName"), name) {
		return false
	}
	have := map[string]string{}
	list, _ := object(item, "Tags")["Tag"].([]any)
	for _, t := range list {
		if m, ok := t.(map[string]any); ok {
			have[text(m, "Key")] = text(m, "Value")
		}
	}
	for _, t := range tags {
		v, ok := have[t.key]
		if !ok || !t.anyValue && v != t.value {
			return false
		}
	}
	return true
}

// describeMigrationJobs answers an authenticated DescribeMigrationJobs call, as its Action constant describes.
func (s *Server) describeMigrationJobs(x *exchange) {
	region, name := x.params.Get("RegionId"), x.params.Get("MigrationJobName")
	tags, ok := parseTagFilters(x)
	if !ok {
		return
	}
	page, ok := parsePaging(x, "PageNum", 30)
	if !ok {
		return
	}

	// As in describeDtsJobs: only the name and tag filters need every job's item rendered.
	var keepItem func(map[string]any) bool
	if name != "" || len(tags) > 0 {
		keepItem = func(item map[string]any) bool { return matchesLegacyItem(item, name, tags) }
	}
	now := s.clock()
	s.mu.Lock()
	jobs := make([]listed, 0, len(s.jobs))
	for id, js := range s.jobs {
		if js.job.Region == "" || js.job.Region == region {
			jobs = append(jobs, listed{order: js.order, tl: &js.tl,
				item: func(st Step, hasStep bool) ([]byte, error) { return js.listItem(id, st, hasStep) }})
		}
	}
	items, total, err := listPage(jobs, now, page, keepItem)
	s.mu.Unlock()
	if err != nil {
		x.gatewayError(http.StatusInternalServerError, "InternalError", "fakedts: a job's list item cannot be encoded: "+err.Error())
		return
	}

	s.runPageHooks(ActionDescribeMigrationJobs, page.number)
	x.writeListing([]field{
		{"RequestId", x.requestID}, {"Success", "true"},
		{"PageNumber", page.number}, {"PageRecordCount", len(items)}, {"TotalRecordCount", total},
	}, "MigrationJobs", "MigrationJob", items)
}

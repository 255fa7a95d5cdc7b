package fakedts

import (
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// legacyItems are the MigrationJobs.MigrationJob items of a DescribeMigrationJobs answer.
func legacyItems(t *testing.T, body map[string]any) []map[string]any {
	t.Helper()
	list, ok := dig(body, "MigrationJobs", "MigrationJob").([]any)
	if !ok {
		t.Fatalf("MigrationJobs.MigrationJob is not a list: %v", body)
	}
	out := make([]map[string]any, 0, len(list))
	for _, it := range list {
		m, _ := it.(map[string]any)
		out = append(out, m)
	}
	return out
}

func legacyIDs(t *testing.T, body map[string]any) []string {
	t.Helper()
	var ids []string
	for _, it := range legacyItems(t, body) {
		id, _ := it["MigrationJobID"].(string)
		ids = append(ids, id)
	}
	return ids
}

func TestDescribeMigrationJobsItemShape(t *testing.T) {
	s, c := newListingServer(t, ActionDescribeMigrationJobs)
	st := State{
		JobStatus: "Migrating", Precheck: "Finished",
		Structure: "Finished", StructureProgress: 2,
		Data: "Migrating", DataPercent: 40, DataProgress: 1000, DataError: "slow",
		Sync: "Migrating", SyncPercent: 10, Delay: Delay(4), Checkpoint: 1612507847,
	}
	s.SetJob("dtsshape", Job{Region: "cn-hangzhou", Name: "Orders", Tags: map[string]string{"env": "prod", "app": "shop"},
		Steps: []Step{{Body: st.Body("dtsshape")}}})
	body := listOK(t, c, map[string]string{"RegionId": "cn-hangzhou"})
	if body["Success"] != "true" || body["PageNumber"] != 1.0 || body["PageRecordCount"] != 1.0 || body["TotalRecordCount"] != 1.0 {
		t.Errorf("top level: %v", body)
	}
	items := legacyItems(t, body)
	if len(items) != 1 {
		t.Fatalf("items %v", items)
	}
	item := items[0]
	checks := []struct {
		path []string
		want any
	}{
		{[]string{"MigrationJobID"}, "dtsshape"},
		{[]string{"MigrationJobName"}, "Orders"},
		{[]string{"MigrationJobStatus"}, "Migrating"},
		{[]string{"MigrationJobClass"}, "2xlarge"},
		{[]string{"PayType"}, "PostPaid"},
		{[]string{"MigrationMode", "StructureInitialization"}, true},
		{[]string{"MigrationMode", "DataSynchronization"}, true},
		{[]string{"Precheck", "Status"}, "Success"},
		{[]string{"Precheck", "Percent"}, "100"},
		{[]string{"Precheck", "Detail"}, nil},
		{[]string{"StructureInitialization", "status"}, "Finished"},
		{[]string{"StructureInitialization", "Status"}, nil},
		{[]string{"StructureInitialization", "Progress"}, "2"},
		{[]string{"DataInitialization", "status"}, "Migrating"},
		{[]string{"DataInitialization", "Percent"}, "40"},
		{[]string{"DataInitialization", "ErrorMessage"}, "slow"},
		{[]string{"DataSynchronization", "status"}, "Migrating"},
		{[]string{"DataSynchronization", "Delay"}, "4"},
		{[]string{"DataSynchronization", "Checkpoint"}, nil},
		{[]string{"DataSynchronization", "Progress"}, nil},
		{[]string{"SourceEndpoint", "InstanceID"}, "rm-bp1i99e8l7913****"},
		{[]string{"SourceEndpoint", "InstanceId"}, nil},
		{[]string{"SourceEndpoint", "IP"}, "172.16.88.10"},
		{[]string{"SourceEndpoint", "Port"}, "3306"},
		{[]string{"MigrationObject", "SynchronousObject"}, []any{map[string]any{
			"DatabaseName": "dtstestdata", "WholeDatabase": "false", "TableList": map[string]any{"Table": []any{"customer"}},
		}}},
		{[]string{"Tags", "Tag"}, []any{map[string]any{"Key": "app", "Value": "shop"}, map[string]any{"Key": "env", "Value": "prod"}}},
		{[]string{"PrecheckStatus"}, nil},
		{[]string{"DataSynchronizationStatus"}, nil},
		{[]string{"TaskId"}, nil},
	}
	for _, ck := range checks {
		if v := dig(item, ck.path...); !reflect.DeepEqual(v, ck.want) {
			t.Errorf("%s = %#v, want %#v", strings.Join(ck.path, "."), v, ck.want)
		}
	}
	for _, k := range []string{"InstanceCreateTime", "JobCreateTime"} {
		if v, _ := item[k].(string); len(v) != len(timestampLayout) {
			t.Errorf("%s = %v", k, item[k])
		}
	}
	// State.ListItem is the same rendering, before the server adds tags and times.
	want := st.ListItem("dtsshape")
	for k, v := range want {
		if k == "MigrationJobName" {
			continue
		}
		if !reflect.DeepEqual(dig(decodeListItem(t, want), k), item[k]) {
			t.Errorf("ListItem's %s = %v, listed %v", k, v, item[k])
		}
	}
}

// decodeListItem round-trips an item through JSON, as a client sees it.
func decodeListItem(t *testing.T, item map[string]any) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(marshalJSON(item), &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func TestDescribeMigrationJobsOddSteps(t *testing.T) {
	s, c := newListingServer(t, ActionDescribeMigrationJobs)
	s.SetJob("dtsraw", Job{Name: "raw one", Steps: []Step{{Raw: []byte(`{"Success":tr`)}}})
	s.SetJob("dtsbare", Job{})
	s.SetJob("dtsitem", Job{Steps: []Step{{Body: State{JobStatus: "Migrating"}.Body("dtsitem"),
		Item: map[string]any{"MigrationJobName": "custom", "MigrationJobStatus": "Suspending", "Tags": map[string]any{"Tag": map[string]any{"Key": "k", "Value": "v"}}}}}})
	items := legacyItems(t, listOK(t, c, map[string]string{}))
	if len(items) != 3 {
		t.Fatalf("items %v", items)
	}
	raw, bare, custom := items[0], items[1], items[2]
	if raw["MigrationJobID"] != "dtsraw" || raw["MigrationJobName"] != "raw one" || raw["MigrationJobStatus"] != nil ||
		!reflect.DeepEqual(raw["Tags"], map[string]any{"Tag": []any{}}) {
		t.Errorf("a job with a raw body lists as %v", raw)
	}
	if bare["MigrationJobStatus"] != "NotStarted" || bare["MigrationJobID"] != "dtsbare" {
		t.Errorf("a job without steps lists as %v", bare)
	}
	if custom["MigrationJobID"] != "dtsitem" || custom["MigrationJobStatus"] != "Suspending" || dig(custom, "Tags", "Tag", "Key") != "k" {
		t.Errorf("a step's Item lists as %v", custom)
	}
}

func TestDescribeMigrationJobsFilters(t *testing.T) {
	s, c := newListingServer(t, ActionDescribeMigrationJobs)
	job := func(region, name string, tags map[string]string) Job {
		return Job{Region: region, Name: name, Tags: tags, Steps: []Step{{Body: State{JobStatus: "Migrating"}.Body("x")}}}
	}
	s.SetJob("dtsorders", job("cn-hangzhou", "MySQL Orders", map[string]string{"env": "prod", "team": "a"}))
	s.SetJob("dtsusers", job("cn-hangzhou", "users", map[string]string{"env": "prod", "team": ""}))
	s.SetJob("dtsbj", job("cn-beijing", "orders-bj", nil))
	s.SetJob("dtsany", job("", "anywhere", map[string]string{"env": "dev"}))
	cases := []struct {
		name   string
		params map[string]string
		want   []string
	}{
		{"region", map[string]string{"RegionId": "cn-hangzhou"}, []string{"dtsorders", "dtsusers", "dtsany"}},
		{"another region", map[string]string{"RegionId": "cn-beijing"}, []string{"dtsbj", "dtsany"}},
		{"no region", map[string]string{}, []string{"dtsany"}},
		{"name, fuzzy and ignoring case", map[string]string{"RegionId": "cn-hangzhou", "MigrationJobName": "ORDERS"}, []string{"dtsorders"}},
		{"name across regions", map[string]string{"RegionId": "cn-beijing", "MigrationJobName": "orders"}, []string{"dtsbj"}},
		{"one tag", map[string]string{"RegionId": "cn-hangzhou", "Tag.1.Key": "env", "Tag.1.Value": "prod"}, []string{"dtsorders", "dtsusers"}},
		{"tags are ANDed", map[string]string{"RegionId": "cn-hangzhou", "Tag.1.Key": "env", "Tag.1.Value": "prod", "Tag.2.Key": "team", "Tag.2.Value": "a"}, []string{"dtsorders"}},
		{"a key without a value matches any value", map[string]string{"RegionId": "cn-hangzhou", "Tag.1.Key": "team"}, []string{"dtsorders", "dtsusers"}},
		{"an empty value matches an empty value", map[string]string{"RegionId": "cn-hangzhou", "Tag.1.Key": "team", "Tag.1.Value": ""}, []string{"dtsusers"}},
		{"Tag.20", map[string]string{"RegionId": "cn-hangzhou", "Tag.20.Key": "env", "Tag.20.Value": "dev"}, []string{"dtsany"}},
		{"a Status parameter filters nothing", map[string]string{"RegionId": "cn-hangzhou", "Status": "Finished"}, []string{"dtsorders", "dtsusers", "dtsany"}},
		{"nothing matches", map[string]string{"RegionId": "cn-hangzhou", "MigrationJobName": "zzz"}, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			body := listOK(t, c, tc.params)
			if got := legacyIDs(t, body); !slices.Equal(got, tc.want) {
				t.Errorf("listed %q, want %q", got, tc.want)
			}
			if body["TotalRecordCount"] != float64(len(tc.want)) || body["Success"] != "true" {
				t.Errorf("top level: %v", body)
			}
		})
	}
	bad := map[string]map[string]string{
		"empty key":          {"Tag.1.Key": "", "Tag.1.Value": "x"},
		"value without key":  {"Tag.2.Value": "x"},
		"N beyond 20":        {"Tag.21.Key": "env"},
		"N of 0":             {"Tag.0.Key": "env"},
		"PageSize 25":        {"PageSize": "25"},
		"PageNum 0":          {"PageNum": "0"},
		"PageNum not number": {"PageNum": "two"},
	}
	for name, params := range bad {
		t.Run(name, func(t *testing.T) {
			resp, body := c.call(http.MethodPost, params)
			wantGatewayError(t, resp, body, http.StatusBadRequest, "InvalidParameter")
		})
	}
}

func TestDescribeMigrationJobsPaging(t *testing.T) {
	s, c := newListingServer(t, ActionDescribeMigrationJobs)
	var all []string
	for i := range 65 {
		id := fmt.Sprintf("dts%02d", i)
		s.SetJob(id, Job{})
		all = append(all, id)
	}
	if got := legacyIDs(t, listOK(t, c, map[string]string{})); !slices.Equal(got, all[:30]) {
		t.Errorf("the default page size is not 30: %d items", len(got))
	}
	s.OnPage(ActionDescribeMigrationJobs, 2, func() { s.SetJobFirst("dtsnewest", Job{}) })
	pages := [][]string{all[0:30], all[30:60], all[59:65]}
	totals := []float64{65, 65, 66}
	for i, want := range pages {
		body := listOK(t, c, map[string]string{"PageSize": "30", "PageNum": fmt.Sprint(i + 1)})
		if got := legacyIDs(t, body); !slices.Equal(got, want) {
			t.Errorf("page %d: %q, want %q", i+1, got, want)
		}
		if body["PageNumber"] != float64(i+1) || body["PageRecordCount"] != float64(len(want)) || body["TotalRecordCount"] != totals[i] {
			t.Errorf("page %d: %v %v %v", i+1, body["PageNumber"], body["PageRecordCount"], body["TotalRecordCount"])
		}
	}
	if r := s.RequestsFor(ActionDescribeMigrationJobs); len(r) != 4 || r[3].PageNumber != 3 {
		t.Errorf("recorded %+v", r)
	}
}

func TestLegacyTimelineMovesWhenListed(t *testing.T) {
	s, c := newListingServer(t, ActionDescribeMigrationJobs)
	s.SetJob(testJob, Job{Steps: []Step{
		{Body: State{JobStatus: "Prechecking"}.Body(testJob), Requests: 1},
		{Body: State{JobStatus: "Migrating"}.Body(testJob)},
	}})
	s.SetJob("dtsother", Job{Name: "other"})
	// A listing that leaves the job out does not move it.
	listOK(t, c, map[string]string{"MigrationJobName": "other"})
	items := legacyItems(t, listOK(t, c, map[string]string{}))
	if items[0]["MigrationJobStatus"] != "Prechecking" {
		t.Errorf("first listing: %v", items[0]["MigrationJobStatus"])
	}
	// Listing moved it: the status call now sees the next step.
	c.action = dtsAction
	if _, body := c.call(http.MethodGet, jobParams()); status(body) != "Migrating" {
		t.Errorf("status after the listing: %v", status(body))
	}
}

func TestDocumentedMigrationJobsSampleIsServedExactly(t *testing.T) {
	s, c := newListingServer(t, ActionDescribeMigrationJobs)
	ids := s.SetDocumentedMigrationJobs("cn-hangzhou")
	body := listOK(t, c, map[string]string{"RegionId": "cn-hangzhou", "PageSize": "30", "PageNum": "1"})
	var sample map[string]any
	if err := json.Unmarshal([]byte(DocumentedMigrationJobsSample), &sample); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"Success", "PageNumber", "PageRecordCount", "TotalRecordCount", "MigrationJobs"} {
		if !reflect.DeepEqual(body[k], sample[k]) {
			t.Errorf("%s = %v, want the sample's %v", k, body[k], sample[k])
		}
	}
	if got := legacyIDs(t, listOK(t, c, map[string]string{"RegionId": "cn-hangzhou", "Tag.1.Key": "testkey1"})); !slices.Equal(got, ids[:1]) {
		t.Errorf("tag filter on the sample: %q", got)
	}
	c.action = dtsAction
	if _, body := c.call(http.MethodGet, map[string]string{"MigrationJobId": ids[1], "RegionId": "cn-hangzhou"}); status(body) != "PrecheckFailed" {
		t.Errorf("status call for a sample job: %v", body)
	}
}

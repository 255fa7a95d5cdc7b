package provider

import (
	"encoding/json"
	"fmt"
	"math/big"
	"strconv"
	"strings"
	"testing"
	"unicode"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/openmigrate/terraform-provider-dts/internal/dtsapi"
	"github.com/openmigrate/terraform-provider-dts/internal/dtsapi/fieldsheet"
)

// The field sheet (internal/dtsapi/testdata/DescribeDtsJobs-fields.md, a copy of the project's fact
// sheet) lists every leaf of a DescribeDtsJobs job and of its ReverseJob. TestJobStatusMapsEveryLeaf
// holds dts_job_status to it: a leaf added to the sheet that no attribute shows fails the test.

const fieldSheet = "../dtsapi/testdata/DescribeDtsJobs-fields.md"

// sheetJob is the sheet's job and ReverseJob leaves, and a DtsJobList item with every one of them set to a
// value of its own.
func sheetJob(t testing.TB) (item map[string]any, job, reverse []fieldsheet.Leaf) {
	t.Helper()
	job, reverse, err := fieldsheet.Read(fieldSheet)
	if err == nil {
		item, err = fieldsheet.Item(job, reverse)
	}
	if err != nil {
		t.Fatal(err)
	}
	// At least, not exactly: fewer is a parse that skipped rows; more is a new leaf, which the tests name.
	if len(job) < fieldsheet.JobLeaves || len(reverse) < fieldsheet.ReverseLeaves {
		t.Fatalf("the sheet parsed to %d job and %d ReverseJob leaves; it lists at least %d and %d",
			len(job), len(reverse), fieldsheet.JobLeaves, fieldsheet.ReverseLeaves)
	}
	return item, job, reverse
}

// unmappedLeaves are the leaves no attribute shows as sent, each with the reason.
var unmappedLeaves = map[string]string{
	// The job's own ID is the dts_job_id argument; the read keeps only the item whose DtsJobId equals it.
	"DtsJobId": "the dts_job_id argument, which the read matches exactly",
	// job_type says which type's page held the job, in the argument's spelling (migration,
	// synchronization, subscription), not the wire's (MIGRATION, SYNC, SUBSCRIBE).
	"JobType": "job_type, in the argument's spelling",
}

// leafRenames are the attribute names that are not the snake case of the wire name, by wire name.
var leafRenames = map[string][]string{
	"DtsJobName":               {"job_name"},
	"DtsJobClass":              {"job_class"},
	"DtsJobDirection":          {"job_direction"},
	"ResourceGroupDisplayName": {"resource_group_name"},
	"IncDataCheckStatus":       {"incremental_data_check_status"},
	"IncDataCheck":             {"incremental_data_check"},
	"SslSolutionEnum":          {"ssl_solution"},
	"ErrMessage":               {"error_message"},
	"MigrationErrCode":         {"migration_error", "code"},
	"MigrationErrType":         {"migration_error", "type"},
	"MigrationErrMsg":          {"migration_error", "message"},
	"MigrationErrWorkaround":   {"migration_error", "workaround"},
	"MigrationErrHelpDocId":    {"migration_error", "help_doc_id"},
	"MigrationErrHelpDocKey":   {"migration_error", "help_doc_key"},
	"TagList":                  {"tags"},
}

// snake is the snake case of a wire name, an acronym kept as one word: OracleSID is oracle_sid.
func snake(name string) string {
	r := []rune(name)
	var b strings.Builder
	for i, c := range r {
		if i > 0 && unicode.IsUpper(c) && (unicode.IsLower(r[i-1]) || i+1 < len(r) && unicode.IsLower(r[i+1])) {
			b.WriteByte('_')
		}
		b.WriteRune(unicode.ToLower(c))
	}
	return b.String()
}

// attrPath is where a leaf shows in state: attribute names, and "[0]" for the first element of a list.
func attrPath(leaf string) []string {
	var out []string
	for _, seg := range strings.Split(leaf, ".") {
		name, isList := strings.CutSuffix(seg, "[]")
		if r, ok := leafRenames[name]; ok {
			out = append(out, r...)
		} else {
			out = append(out, snake(name))
		}
		if isList && name != "TagList" {
			out = append(out, "[0]")
		}
	}
	return out
}

// wholeJobRead is a read of a job with every leaf of the sheet set to a value of its own, its
// ReverseJob too (from fieldsheet.ReverseBase on).
func wholeJobRead(t testing.TB) (*dtsapi.DtsJobRead, []fieldsheet.Leaf, []fieldsheet.Leaf) {
	t.Helper()
	item, jobLeaves, reverseLeaves := sheetJob(t)
	body, err := json.Marshal(map[string]any{"RequestId": "R", "Success": true, "DtsJobList": []any{item}})
	if err != nil {
		t.Fatal(err)
	}
	var page dtsapi.DtsJobs
	if err := json.Unmarshal(body, &page); err != nil || len(page.DtsJobList.Items) != 1 {
		t.Fatalf("decode: %v, %d jobs", err, len(page.DtsJobList.Items))
	}
	return &dtsapi.DtsJobRead{Job: &page.DtsJobList.Items[0], JobType: dtsapi.JobTypeSynchronization, RequestID: page.RequestID}, jobLeaves, reverseLeaves
}

// stateAt follows an attribute path (names, and "[i]" for a list element) through state values; ok is
// false where it leads nowhere.
func stateAt(v tftypes.Value, path []string) (tftypes.Value, bool) {
	for _, p := range path {
		if index, ok := strings.CutPrefix(p, "["); ok {
			var list []tftypes.Value
			i, err := strconv.Atoi(strings.TrimSuffix(index, "]"))
			if err != nil || v.As(&list) != nil || i >= len(list) {
				return tftypes.Value{}, false
			}
			v = list[i]
			continue
		}
		var obj map[string]tftypes.Value
		if v.As(&obj) != nil {
			return tftypes.Value{}, false
		}
		next, ok := obj[p]
		if !ok {
			return tftypes.Value{}, false
		}
		v = next
	}
	return v, true
}

// stateText renders a leaf of state as fmt.Sprint renders the wire value.
func stateText(v tftypes.Value) string {
	switch {
	case !v.IsKnown() || v.IsNull():
		return "<null>"
	case v.Type().Is(tftypes.String):
		var s string
		_ = v.As(&s)
		return s
	case v.Type().Is(tftypes.Number):
		var n big.Float
		_ = v.As(&n)
		return n.Text('g', -1)
	case v.Type().Is(tftypes.Bool):
		var b bool
		_ = v.As(&b)
		return strconv.FormatBool(b)
	}
	return "<" + v.Type().String() + ">"
}

func TestJobStatusMapsEveryLeafOfTheSheet(t *testing.T) {
	read, jobLeaves, reverseLeaves := wholeJobRead(t)
	var diags diag.Diagnostics
	state := tftypes.NewValue(jobStatusAttributes.typ, jobStatusAttributes.values(read, &location{}, &diags))
	if diags.HasError() || diags.WarningsCount() > 0 {
		t.Fatalf("mapping a well-formed job reported %v", diags)
	}
	tags := map[string]string{}
	check := func(prefix []string, leaves []fieldsheet.Leaf, first int) {
		for i, l := range leaves {
			want := fmt.Sprint(l.WireValue(first + i))
			if _, ok := unmappedLeaves[l.Path]; ok && len(prefix) == 0 {
				continue
			}
			where := strings.Join(append(append([]string{}, prefix...), l.Path), ".")
			path := append(append([]string{}, prefix...), attrPath(l.Path)...)
			if strings.HasPrefix(l.Path, "TagList[].") {
				// Tags are a map: the key leaf names the entry, the value leaf is its value.
				if strings.HasSuffix(l.Path, "TagKey") {
					tags[strings.Join(prefix, ".")] = want
					continue
				}
				path = append(path[:len(path)-1], tags[strings.Join(prefix, ".")])
			}
			v, ok := stateAt(state, path)
			if !ok {
				t.Errorf("%s: no attribute at %s", where, strings.Join(path, "."))
				continue
			}
			if got := stateText(v); got != want {
				t.Errorf("%s: %s = %s, want %s", where, strings.Join(path, "."), got, want)
			}
		}
	}
	check(nil, jobLeaves, 0)
	check([]string{"reverse_job"}, reverseLeaves, fieldsheet.ReverseBase)
	for leaf, why := range unmappedLeaves {
		if why == "" {
			t.Errorf("%s is left unmapped without a reason", leaf)
		}
	}
	if v, _ := stateAt(state, []string{"checkpoint_time"}); stateText(v) != "1970-01-01T00:16:42Z" {
		t.Errorf("checkpoint_time = %s, want the checkpoint (1002) in RFC 3339", stateText(v))
	}
}

// TestReverseJobIsTheWholeJob: the reverse job shows every attribute of the job but those SPEC leaves
// out, through the same declarations.
func TestReverseJobIsTheWholeJob(t *testing.T) {
	reverse, ok := jobStatusAttributes.typ.AttributeTypes["reverse_job"].(tftypes.Object)
	if !ok {
		t.Fatal("reverse_job is not an object")
	}
	excluded := map[string]bool{"reverse_job": true, "request_id": true, "sub_jobs": true}
	for name, typ := range jobStatusAttributes.typ.AttributeTypes {
		if excluded[name] {
			if _, ok := reverse.AttributeTypes[name]; ok {
				t.Errorf("reverse_job has %s", name)
			}
			continue
		}
		if got, ok := reverse.AttributeTypes[name]; !ok || !got.Equal(typ) {
			t.Errorf("reverse_job's %s is %v, the job's %v", name, got, typ)
		}
	}
	// job_type and region_id are arguments of the data source, dts_job_id the reverse job's own ID.
	if _, ok := reverse.AttributeTypes["dts_job_id"]; !ok {
		t.Error("reverse_job has no dts_job_id")
	}
	for _, arg := range []string{"job_type", "region_id", "include_sub_jobs"} {
		if _, ok := reverse.AttributeTypes[arg]; ok {
			t.Errorf("reverse_job has the argument %s", arg)
		}
	}
}

func TestSnakeAndAttrPath(t *testing.T) {
	for leaf, want := range map[string]string{
		"DtsInstanceID":                                "dts_instance_id",
		"SourceEndpoint.OracleSID":                     "source_endpoint.oracle_sid",
		"PrecheckStatus.Detail[].CheckItem":            "precheck_status.detail.[0].check_item",
		"RetryState.MigrationErrHelpDocId":             "retry_state.migration_error.help_doc_id",
		"CpuUsage":                                     "cpu_usage",
		"DataCloudStatus.NeedUpgrade":                  "data_cloud_status.need_upgrade",
		"DestinationEndpoint.Ip":                       "destination_endpoint.ip",
		"MigrationMode.IncDataCheck":                   "migration_mode.incremental_data_check",
		"ErrorDetails[].HelpUrl":                       "error_details.[0].help_url",
		"FullDataCheckStatus.CanSwitch":                "full_data_check_status.can_switch",
		"DestinationEndpoint.SslSolutionEnum":          "destination_endpoint.ssl_solution",
		"StructureDataCheckStatus.ErrorMessage":        "structure_data_check_status.error_message",
		"DataSynchronizationStatus.NeedUpgrade":        "data_synchronization_status.need_upgrade",
		"MigrationMode.StructureInitialization":        "migration_mode.structure_initialization",
		"DtsBisLabel":                                  "dts_bis_label",
		"EtlSafeCheckpoint":                            "etl_safe_checkpoint",
		"DuRealUsage":                                  "du_real_usage",
		"MaxDu":                                        "max_du",
		"ConsumptionCheckpoint":                        "consumption_checkpoint",
		"RetryState.JobId":                             "retry_state.job_id",
		"ResourceGroupId":                              "resource_group_id",
		"DedicatedClusterId":                           "dedicated_cluster_id",
		"PrecheckStatus.Detail[].CheckItemDescription": "precheck_status.detail.[0].check_item_description",
	} {
		if got := strings.Join(attrPath(leaf), "."); got != want {
			t.Errorf("attrPath(%s) = %s, want %s", leaf, got, want)
		}
	}
}

// BenchmarkMapWholeJob maps a job with every leaf of the field sheet set, and a full reverse job,
// into dts_job_status's state as Read does after the call: every declared attribute, then the state
// value. make bench holds it under a millisecond.
func BenchmarkMapWholeJob(b *testing.B) {
	read, _, _ := wholeJobRead(b)
	config, _ := jobStatusTestConfig(b, map[string]tftypes.Value{
		"dts_job_id": tftypes.NewValue(tftypes.String, "i03e3zty16i****"),
		"job_type":   tftypes.NewValue(tftypes.String, "synchronization"),
	})
	var state tftypes.Value
	b.ReportAllocs()
	for b.Loop() {
		var diags diag.Diagnostics
		computed := jobStatusAttributes.values(read, &location{}, &diags)
		computed["job_type"] = tftypes.NewValue(tftypes.String, jobTypeName(read.JobType))
		computed["include_sub_jobs"] = tftypes.NewValue(tftypes.Bool, false)
		computed["region_id"] = tftypes.NewValue(tftypes.String, "cn-hangzhou")
		raw, err := stateWith(config.Raw, computed)
		if err != nil || diags.HasError() {
			b.Fatal(err, diags)
		}
		state = raw
	}
	if v, ok := stateAt(state, []string{"reverse_job", "max_du"}); !ok || v.IsNull() {
		b.Fatal("the state does not hold the reverse job's max_du")
	}
}

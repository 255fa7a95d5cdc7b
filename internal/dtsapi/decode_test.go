package dtsapi

import (
	"encoding/json"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// seeAll lets cmp look into Object's unexported pointer.
var seeAll = cmp.Exporter(func(reflect.Type) bool { return true })

func decodeAs[R any, P interface {
	*R
	response
}](t testing.TB, body string) *R {
	t.Helper()
	out := new(R)
	if err := decode([]byte(body), P(out)); err != nil {
		t.Fatalf("decode: %v", err)
	}
	return out
}

func readSample(t testing.TB, name string) string {
	t.Helper()
	body, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return string(body)
}

func TestDecodeDocumentedSample(t *testing.T) {
	got := decodeAs[MigrationJobStatus](t, readSample(t, "documented_sample.json"))

	names := []string{"CHECK_CONN_SRC", "CHECK_AUTH_SRC", "CHECK_CONN_DEST", "CHECK_AUTH_DEST", "CHECK_BINLOG_ON",
		"CHECK_BINLOG_MODE", "CHECK_BINLOG_ROW_IMAGE", "CHECK_SERVER_ID", "CHECK_BINLOG_EXIST", "CHECK_ENGINE",
		"CHECK_MYSQL_PASSOWRD_FORMAT", "CHECK_SRC", "CHECK_SQL_MODE", "CHECK_SAME_USER"}
	items := make([]MigrationCheckItem, 0, len(names))
	for _, n := range names {
		items = append(items, MigrationCheckItem{CheckStatus: StringOf("Success"), ItemName: StringOf(n)})
	}
	want := &MigrationJobStatus{
		Envelope:       Envelope{RequestID: StringOf("A032E3B4-929B-48E9-97B9-37587CBF****"), Success: BoolOf(true)},
		MigrationJobID: StringOf("dtsz2v12jfo309****"),
		TaskID:         StringOf("z2v12jfo309****"),
		MigrationJobHeader: MigrationJobHeader{
			MigrationJobStatus: StringOf("Migrating"),
			MigrationJobName:   StringOf("MySQL Migration"),
			MigrationJobClass:  StringOf("2xlarge"),
			PayType:            StringOf("PostPaid"),
			MigrationMode: ObjectOf(MigrationMode{
				StructureInitialization: BoolOf(true), DataInitialization: BoolOf(true), DataSynchronization: BoolOf(true),
			}),
			SourceEndpoint: ObjectOf(Endpoint{
				UserName: StringOf("dtstest"), InstanceID: StringOf("rm-bp1i99e8l7913****"), InstanceType: StringOf("RDS"), EngineName: StringOf("MySQL"),
			}),
			DestinationEndpoint: ObjectOf(Endpoint{
				UserName: StringOf("dtstest"), InstanceID: StringOf("rm-bp1zc3iyqe3qw****"), InstanceType: StringOf("RDS"), EngineName: StringOf("MySQL"),
			}),
		},
		PrecheckStatus: ObjectOf(MigrationPrecheck{Status: StringOf("Finished"), Percent: IntOf(100), Detail: ListOf(items...)}),
		StructureInitializationStatus: ObjectOf(InitializationStatus{
			Status: StringOf("Finished"), Percent: IntOf(100), Progress: IntOf(1),
		}),
		DataInitializationStatus: ObjectOf(InitializationStatus{
			Status: StringOf("Finished"), Percent: IntOf(100), Progress: IntOf(200001),
		}),
		DataSynchronizationStatus: ObjectOf(DataSynchronizationStatus{
			Status: StringOf("Catched"), Percent: IntOf(95), Delay: IntOf(0), Checkpoint: IntOf(1612507847),
		}),
	}
	if diff := cmp.Diff(want, got, seeAll); diff != "" {
		t.Fatalf("decoded sample differs (-want +got):\n%s", diff)
	}
}

func TestDecodeLooseWireTypes(t *testing.T) {
	got := decodeAs[MigrationJobStatus](t, `{
		"Success": "true",
		"MigrationJobStatus": "SomethingNew",
		"MigrationObject": [{"DBName": "shop", "TableIncludes": [{"TableName": "orders"}]}],
		"UnknownTopLevel": {"nested": [1, 2, 3]},
		"MigrationMode": {"structureInitialization": "false", "dataInitialization": false, "dataSynchronization": "TRUE"},
		"PrecheckStatus": {"Status": "Failed", "Percent": 100,
			"Detail": {"CheckItem": {"CheckStatus": "Failed", "ItemName": "CHECK_CONN_SRC",
				"ErrorMessage": "Access denied", "RepairMethod": "CHECK_ERROR_DEST_CONN_REPAIR2", "Extra": 1}}},
		"DataInitializationStatus": {"Status": "Migrating", "Percent": "  42 ", "Progress": 1.5e3},
		"DataSynchronizationStatus": {"Status": "Migrating", "Delay": "", "Percent": null, "Checkpoint": "1612507847"},
		"SourceEndpoint": {"Port": 3306, "IP": "", "oracleSID": "orcl", "DatabaseName": 12},
		"DestinationEndpoint": {"Port": "5432"}
	}`)
	want := &MigrationJobStatus{
		Envelope: Envelope{Success: BoolOf(true)},
		MigrationJobHeader: MigrationJobHeader{
			MigrationJobStatus: StringOf("SomethingNew"),
			MigrationObject:    JSONText{StringOf(`[{"DBName":"shop","TableIncludes":[{"TableName":"orders"}]}]`)},
			MigrationMode: ObjectOf(MigrationMode{
				StructureInitialization: BoolOf(false), DataInitialization: BoolOf(false), DataSynchronization: BoolOf(true),
			}),
			SourceEndpoint:      ObjectOf(Endpoint{Port: IntOf(3306), OracleSID: StringOf("orcl"), DatabaseName: StringOf("12")}),
			DestinationEndpoint: ObjectOf(Endpoint{Port: IntOf(5432)}),
		},
		PrecheckStatus: ObjectOf(MigrationPrecheck{Status: StringOf("Failed"), Percent: IntOf(100), Detail: ListOf(MigrationCheckItem{
			CheckStatus: StringOf("Failed"), ItemName: StringOf("CHECK_CONN_SRC"),
			ErrorMessage: StringOf("Access denied"), RepairMethod: StringOf("CHECK_ERROR_DEST_CONN_REPAIR2"),
		})}),
		DataInitializationStatus:  ObjectOf(InitializationStatus{Status: StringOf("Migrating"), Percent: IntOf(42), Progress: IntOf(1500)}),
		DataSynchronizationStatus: ObjectOf(DataSynchronizationStatus{Status: StringOf("Migrating"), Checkpoint: IntOf(1612507847)}),
	}
	if diff := cmp.Diff(want, got, seeAll); diff != "" {
		t.Fatalf("loose variants decode wrongly (-want +got):\n%s", diff)
	}
}

func TestDecodeEmptyAndMissingLists(t *testing.T) {
	cases := []struct {
		name     string
		precheck string
		present  bool
	}{
		{"no detail", `{"Status": "Checking"}`, false},
		{"empty list", `{"Detail": {"CheckItem": []}}`, true},
		{"null list", `{"Detail": {"CheckItem": null}}`, true},
		{"bare empty list", `{"Detail": []}`, true},
		{"null detail", `{"Detail": null}`, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := decodeAs[MigrationJobStatus](t, `{"PrecheckStatus": `+tc.precheck+`}`).PrecheckStatus.Get()
			if got == nil {
				t.Fatal("PrecheckStatus is missing")
			}
			if got.Detail.Present != tc.present || len(got.Detail.Items) != 0 {
				t.Fatalf("Detail = %+v, want present=%v and no items", got.Detail, tc.present)
			}
		})
	}
	if got := decodeAs[MigrationJobStatus](t, `{}`); got.PrecheckStatus.Get() != nil || got.DataSynchronizationStatus.Get() != nil || got.MigrationMode.Get() != nil {
		t.Fatalf("missing nested objects must be nil, got %+v", got)
	}
}

func TestDecodeListForms(t *testing.T) {
	item := `{"CheckItem": "CHECK_CONN_SRC", "CheckResult": "Failed"}`
	for name, detail := range map[string]string{
		"array":                 `[` + item + `]`,
		"wrapped array":         `{"CheckItem": [` + item + `]}`,
		"wrapped single object": `{"CheckItem": ` + item + `}`,
		"single object":         item,
		"lower-case wrapper":    `{"checkItem": [` + item + `]}`,
	} {
		t.Run(name, func(t *testing.T) {
			got := decodeAs[DtsJobs](t, `{"DtsJobList": [{"PrecheckStatus": {"Detail": `+detail+`}}]}`)
			want := ListOf(CheckItem{CheckItem: StringOf("CHECK_CONN_SRC"), CheckResult: StringOf("Failed")})
			if diff := cmp.Diff(want, got.DtsJobList.Items[0].PrecheckStatus.Get().Detail, seeAll); diff != "" {
				t.Fatalf("(-want +got):\n%s", diff)
			}
		})
	}
	wrapped := decodeAs[DtsJobs](t, `{"DtsJobList": {"DtsJob": [{"DtsJobId": "a"}, {"DtsJobId": "b"}]}}`)
	if n := len(wrapped.DtsJobList.Items); n != 2 {
		t.Fatalf("a wrapped DtsJobList decodes to %d jobs, want 2", n)
	}
}

func TestDecodeUnparsableValuesAreKeptAsBad(t *testing.T) {
	got := decodeAs[MigrationJobStatus](t, `{
		"MigrationJobStatus": {"unexpected": "object"},
		"MigrationMode": {"dataSynchronization": "maybe"},
		"PrecheckStatus": {"Percent": "about half", "Detail": {"CheckItem": [7, {"CheckStatus": ["x"], "ItemName": "B"}]}},
		"StructureInitializationStatus": "Finished",
		"DataSynchronizationStatus": {"Status": "Migrating", "Delay": "12.5", "Checkpoint": true},
		"SourceEndpoint": {"Port": "33o6"}
	}`)
	checks := []struct {
		field    string
		bad      string
		wantBad  string
		stillSet bool
	}{
		{"MigrationJobStatus", got.MigrationJobStatus.Bad, `{"unexpected": "object"}`, got.MigrationJobStatus.Set},
		{"MigrationMode.dataSynchronization", got.MigrationMode.Get().DataSynchronization.Bad, `"maybe"`, got.MigrationMode.Get().DataSynchronization.Set},
		{"PrecheckStatus.Percent", got.PrecheckStatus.Get().Percent.Bad, `"about half"`, got.PrecheckStatus.Get().Percent.Set},
		{"StructureInitializationStatus", got.StructureInitializationStatus.Bad, `"Finished"`, got.StructureInitializationStatus.Get() != nil},
		{"DataSynchronizationStatus.Delay", got.DataSynchronizationStatus.Get().Delay.Bad, `"12.5"`, got.DataSynchronizationStatus.Get().Delay.Set},
		{"DataSynchronizationStatus.Checkpoint", got.DataSynchronizationStatus.Get().Checkpoint.Bad, `true`, got.DataSynchronizationStatus.Get().Checkpoint.Set},
		{"SourceEndpoint.Port", got.SourceEndpoint.Get().Port.Bad, `"33o6"`, got.SourceEndpoint.Get().Port.Set},
	}
	for _, c := range checks {
		if c.bad != c.wantBad || c.stillSet {
			t.Errorf("%s: Bad = %q (set %v), want %q and not set", c.field, c.bad, c.stillSet, c.wantBad)
		}
	}
	if s := got.DataSynchronizationStatus.Get().Status; s.Val != "Migrating" {
		t.Fatal("a bad field must not cost its siblings")
	}
	// The item that is not an object is left out, so the one kept is item 0, as state will show it.
	detail := got.PrecheckStatus.Get().Detail
	if len(detail.Items) != 1 || detail.Items[0].ItemName.Val != "B" || detail.Items[0].CheckStatus.Bad != `["x"]` {
		t.Fatalf("Detail items = %+v", detail.Items)
	}
	if diff := cmp.Diff([]string{"7"}, detail.Skipped); diff != "" {
		t.Fatalf("Skipped (-want +got):\n%s", diff)
	}
}

func TestDecodeRejectsNonObjects(t *testing.T) {
	for _, body := range []string{``, `   `, `<html><body>502 Bad Gateway</body></html>`, `{"RequestId": "x", "Succ`, `[1,2]`, `"text"`, `null`} {
		if err := decode([]byte(body), new(MigrationJobStatus)); err == nil {
			t.Errorf("decode(%q) succeeded, want an error", body)
		}
	}
}

func TestExcerptIsShortAndPrintable(t *testing.T) {
	long := strings.Repeat("é", 200) + "\x00\n"
	got := excerpt([]byte(long))
	if len([]rune(got)) > excerptLimit+1 || strings.ContainsAny(got, "\x00\n") || !strings.HasSuffix(got, "…") {
		t.Fatalf("excerpt = %q", got)
	}
}

// dtsJobsPage is a DescribeDtsJobs answer holding n jobs, copied from the documented sample's.
func dtsJobsPage(t testing.TB, n int) []byte {
	t.Helper()
	var sample map[string]any
	if err := json.Unmarshal([]byte(readSample(t, "dts_jobs_sample.json")), &sample); err != nil {
		t.Fatal(err)
	}
	jobs, ok := sample["DtsJobList"].([]any)
	if !ok {
		t.Fatal("the sample has no DtsJobList")
	}
	list := make([]any, n)
	for i := range list {
		list[i] = jobs[i%len(jobs)]
	}
	sample["DtsJobList"] = list
	body, err := json.Marshal(sample)
	if err != nil {
		t.Fatal(err)
	}
	return body
}

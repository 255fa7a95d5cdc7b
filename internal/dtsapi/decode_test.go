package dtsapi

import (
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func ptr[T any](v T) *T { return &v }

func decodeStatus(t *testing.T, body string) *MigrationJobStatus {
	t.Helper()
	w, err := decodeWire([]byte(body))
	if err != nil {
		t.Fatalf("decode: %v", err)
	}
	return w.status()
}

func TestDecodeDocumentedSample(t *testing.T) {
	body, err := os.ReadFile("testdata/documented_sample.json")
	if err != nil {
		t.Fatal(err)
	}
	got := decodeStatus(t, string(body))

	names := []string{"CHECK_CONN_SRC", "CHECK_AUTH_SRC", "CHECK_CONN_DEST", "CHECK_AUTH_DEST", "CHECK_BINLOG_ON",
		"CHECK_BINLOG_MODE", "CHECK_BINLOG_ROW_IMAGE", "CHECK_SERVER_ID", "CHECK_BINLOG_EXIST", "CHECK_ENGINE",
		"CHECK_MYSQL_PASSOWRD_FORMAT", "CHECK_SRC", "CHECK_SQL_MODE", "CHECK_SAME_USER"}
	items := make([]CheckItem, 0, len(names))
	for _, n := range names {
		items = append(items, CheckItem{CheckStatus: ptr("Success"), ItemName: ptr(n)})
	}
	want := &MigrationJobStatus{
		RequestID:          ptr("A032E3B4-929B-48E9-97B9-37587CBF****"),
		MigrationJobID:     ptr("dtsz2v12jfo309****"),
		TaskID:             ptr("z2v12jfo309****"),
		MigrationJobName:   ptr("MySQL Migration"),
		MigrationJobClass:  ptr("2xlarge"),
		MigrationJobStatus: ptr("Migrating"),
		PayType:            ptr("PostPaid"),
		MigrationMode: &MigrationMode{
			StructureInitialization: ptr(true), DataInitialization: ptr(true), DataSynchronization: ptr(true),
		},
		PrecheckStatus: &PrecheckStatus{Status: ptr("Finished"), Percent: ptr(int64(100)), Detail: items},
		StructureInitializationStatus: &InitializationStatus{
			Status: ptr("Finished"), Percent: ptr(int64(100)), Progress: ptr(int64(1)),
		},
		DataInitializationStatus: &InitializationStatus{
			Status: ptr("Finished"), Percent: ptr(int64(100)), Progress: ptr(int64(200001)),
		},
		DataSynchronizationStatus: &DataSynchronizationStatus{
			Status: ptr("Catched"), Percent: ptr(int64(95)), Delay: ptr(int64(0)), Checkpoint: ptr(int64(1612507847)),
		},
		SourceEndpoint: &Endpoint{
			UserName: ptr("dtstest"), InstanceID: ptr("rm-bp1i99e8l7913****"), InstanceType: ptr("RDS"), EngineName: ptr("MySQL"),
		},
		DestinationEndpoint: &Endpoint{
			UserName: ptr("dtstest"), InstanceID: ptr("rm-bp1zc3iyqe3qw****"), InstanceType: ptr("RDS"), EngineName: ptr("MySQL"),
		},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("decoded sample differs (-want +got):\n%s", diff)
	}
}

func TestDecodeLooseWireTypes(t *testing.T) {
	got := decodeStatus(t, `{
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
		MigrationJobStatus: ptr("SomethingNew"),
		MigrationObject:    ptr(`[{"DBName":"shop","TableIncludes":[{"TableName":"orders"}]}]`),
		MigrationMode: &MigrationMode{
			StructureInitialization: ptr(false), DataInitialization: ptr(false), DataSynchronization: ptr(true),
		},
		PrecheckStatus: &PrecheckStatus{Status: ptr("Failed"), Percent: ptr(int64(100)), Detail: []CheckItem{{
			CheckStatus: ptr("Failed"), ItemName: ptr("CHECK_CONN_SRC"),
			ErrorMessage: ptr("Access denied"), RepairMethod: ptr("CHECK_ERROR_DEST_CONN_REPAIR2"),
		}}},
		DataInitializationStatus:  &InitializationStatus{Status: ptr("Migrating"), Percent: ptr(int64(42)), Progress: ptr(int64(1500))},
		DataSynchronizationStatus: &DataSynchronizationStatus{Status: ptr("Migrating"), Checkpoint: ptr(int64(1612507847))},
		SourceEndpoint:            &Endpoint{Port: ptr(int64(3306)), OracleSID: ptr("orcl"), DatabaseName: ptr("12")},
		DestinationEndpoint:       &Endpoint{Port: ptr(int64(5432))},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("loose variants decode wrongly (-want +got):\n%s", diff)
	}
}

func TestDecodeEmptyAndMissingLists(t *testing.T) {
	cases := []struct {
		name     string
		precheck string
		want     *PrecheckStatus
	}{
		{"no detail", `{"Status": "Checking"}`, &PrecheckStatus{Status: ptr("Checking")}},
		{"empty list", `{"Detail": {"CheckItem": []}}`, &PrecheckStatus{Detail: []CheckItem{}}},
		{"null list", `{"Detail": {"CheckItem": null}}`, &PrecheckStatus{Detail: []CheckItem{}}},
		{"empty detail", `{"Detail": {}}`, &PrecheckStatus{Detail: []CheckItem{}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := decodeStatus(t, `{"PrecheckStatus": `+tc.precheck+`}`)
			if diff := cmp.Diff(tc.want, got.PrecheckStatus); diff != "" {
				t.Fatalf("(-want +got):\n%s", diff)
			}
			if len(got.PrecheckStatus.Detail) != 0 {
				t.Fatalf("want an empty list, got %v", got.PrecheckStatus.Detail)
			}
			if tc.name != "no detail" && got.PrecheckStatus.Detail == nil {
				t.Fatal("an empty CheckItem list must decode as an empty list, not as nil")
			}
		})
	}
	if got := decodeStatus(t, `{}`); got.PrecheckStatus != nil || got.DataSynchronizationStatus != nil || got.MigrationMode != nil {
		t.Fatalf("missing nested objects must be nil, got %+v", got)
	}
}

func TestDecodeUnparsableValuesBecomeWarnings(t *testing.T) {
	got := decodeStatus(t, `{
		"MigrationJobStatus": {"unexpected": "object"},
		"MigrationMode": {"dataSynchronization": "maybe"},
		"PrecheckStatus": {"Percent": "about half", "Detail": {"CheckItem": [{"CheckStatus": ["x"]}, 7]}},
		"StructureInitializationStatus": "Finished",
		"DataSynchronizationStatus": {"Status": "Migrating", "Delay": "12.5", "Checkpoint": true},
		"SourceEndpoint": {"Port": "33o6"}
	}`)
	want := []DecodeWarning{
		{Field: "MigrationJobStatus", Raw: `{"unexpected": "object"}`, Want: "string"},
		{Field: "MigrationMode.dataSynchronization", Raw: `"maybe"`, Want: "boolean"},
		{Field: "PrecheckStatus.Percent", Raw: `"about half"`, Want: "integer"},
		{Field: "PrecheckStatus.Detail.CheckItem[0].CheckStatus", Raw: `["x"]`, Want: "string"},
		{Field: "PrecheckStatus.Detail.CheckItem[1]", Raw: `7`, Want: "object"},
		{Field: "StructureInitializationStatus", Raw: `"Finished"`, Want: "object"},
		{Field: "DataSynchronizationStatus.Delay", Raw: `"12.5"`, Want: "integer"},
		{Field: "DataSynchronizationStatus.Checkpoint", Raw: `true`, Want: "integer"},
		{Field: "SourceEndpoint.Port", Raw: `"33o6"`, Want: "integer"},
	}
	if diff := cmp.Diff(want, got.Warnings); diff != "" {
		t.Fatalf("warnings (-want +got):\n%s", diff)
	}
	if got.MigrationJobStatus != nil || got.DataSynchronizationStatus.Delay != nil || got.SourceEndpoint.Port != nil {
		t.Fatal("unparsable values must decode as nil")
	}
	if got.DataSynchronizationStatus.Status == nil || *got.DataSynchronizationStatus.Status != "Migrating" {
		t.Fatal("a bad field must not cost its siblings")
	}
	if len(got.PrecheckStatus.Detail) != 1 {
		t.Fatalf("the item that is an object is kept, got %d items", len(got.PrecheckStatus.Detail))
	}
}

func TestDecodeRejectsNonObjects(t *testing.T) {
	for _, body := range []string{``, `   `, `<html><body>502 Bad Gateway</body></html>`, `{"RequestId": "x", "Succ`, `[1,2]`, `"text"`, `null`} {
		if _, err := decodeWire([]byte(body)); err == nil {
			t.Errorf("decodeWire(%q) succeeded, want an error", body)
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

package dtsapi

import (
	"context"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/openmigrate/terraform-provider-dts/internal/fakedts"
)

func TestDecodeMigrationJobsSample(t *testing.T) {
	got := decodeAs[MigrationJobs](t, readSample(t, "migration_jobs_sample.json"))
	if !got.MigrationJobs.Present || len(got.MigrationJobs.Items) != 2 {
		t.Fatalf("MigrationJobs.MigrationJob: %+v, want the sample's two jobs", got.MigrationJobs)
	}
	if got.TotalRecordCount != IntOf(2) || got.RequestID != StringOf("0ED4846D-ED60-435D-88C0-7EC0CE4D****") {
		t.Errorf("TotalRecordCount %+v, RequestId %+v", got.TotalRecordCount, got.RequestID)
	}
	j := got.MigrationJobs.Items[0]
	want := MigrationJob{
		MigrationJobID:     StringOf("dtson2z28evm33****"),
		InstanceCreateTime: StringOf("2021-06-22T08:50:02Z"),
		JobCreateTime:      StringOf("2021-06-22T08:53:55Z"),
		MigrationJobHeader: MigrationJobHeader{
			MigrationJobStatus: StringOf("Migrating"),
			MigrationJobName:   StringOf("MySQL Migration"),
			MigrationJobClass:  StringOf("medium"),
			PayType:            StringOf("PostPaid"),
			MigrationObject: JSONText{StringOf(`{"SynchronousObject":[{"DatabaseName":"dtstestdata","WholeDatabase":"false",` +
				`"TableList":{"Table":["customer","orders"]}}]}`)},
			MigrationMode: ObjectOf(MigrationMode{StructureInitialization: BoolOf(true), DataInitialization: BoolOf(true),
				DataSynchronization: BoolOf(true)}),
			SourceEndpoint: ObjectOf(Endpoint{InstanceType: StringOf("RDS"), InstanceID: StringOf("rm-bp1i99e8l7913****"),
				EngineName: StringOf("MySQL"), IP: StringOf("172.16.88.***"), Port: IntOf(3306), UserName: StringOf("dtstest"),
				DatabaseName: StringOf("dtstestdata")}),
			DestinationEndpoint: ObjectOf(Endpoint{InstanceType: StringOf("RDS"), InstanceID: StringOf("rm-bp1zc3iyqe3qw****"),
				EngineName: StringOf("MySQL"), IP: StringOf("172.16.89.***"), Port: IntOf(3306), UserName: StringOf("dtstest"),
				DatabaseName: StringOf("dtstestdata")}),
		},
		Precheck: ObjectOf(MigrationPrecheck{Status: StringOf("Success"), Percent: IntOf(100)}),
		// The sample spells these three objects' status key in lower case.
		StructureInitialization: ObjectOf(InitializationStatus{Status: StringOf("Finished"), Percent: IntOf(100), Progress: IntOf(2)}),
		DataInitialization:      ObjectOf(InitializationStatus{Status: StringOf("Finished"), Percent: IntOf(100), Progress: IntOf(200001)}),
		DataSynchronization:     ObjectOf(DataSynchronizationStatus{Status: StringOf("Catched"), Percent: IntOf(95), Delay: IntOf(0)}),
		Tags:                    ListOf(MigrationTag{Key: StringOf("testkey1"), Value: StringOf("testvalue1")}),
	}
	if diff := cmp.Diff(want, j, seeAll); diff != "" {
		t.Errorf("first job (-want +got):\n%s", diff)
	}
	if second := got.MigrationJobs.Items[1]; !second.Tags.Present || len(second.Tags.Items) != 0 {
		t.Errorf("an empty Tags.Tag must be a present, empty list: %+v", second.Tags)
	}
}

func TestDecodeMigrationJobsForms(t *testing.T) {
	cases := map[string]struct {
		body string
		ids  []string
	}{
		"array":         {`{"MigrationJobs": {"MigrationJob": [{"MigrationJobID": "a"}, {"MigrationJobID": "b"}]}}`, []string{"a", "b"}},
		"single object": {`{"MigrationJobs": {"MigrationJob": {"MigrationJobID": "a"}}}`, []string{"a"}},
		"bare array":    {`{"MigrationJobs": [{"MigrationJobID": "a"}]}`, []string{"a"}},
		"empty":         {`{"MigrationJobs": {"MigrationJob": []}}`, []string{}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			got := decodeAs[MigrationJobs](t, tc.body)
			ids := []string{}
			for _, j := range got.MigrationJobs.Items {
				ids = append(ids, j.MigrationJobID.Val)
			}
			if !got.MigrationJobs.Present || !slices.Equal(ids, tc.ids) {
				t.Fatalf("jobs %v (present %v), want %v", ids, got.MigrationJobs.Present, tc.ids)
			}
		})
	}
}

func TestDecodeMigrationJobStatusKeysInEitherCase(t *testing.T) {
	for _, key := range []string{"status", "Status", "STATUS"} {
		t.Run(key, func(t *testing.T) {
			got := decodeAs[MigrationJobs](t, `{"MigrationJobs": {"MigrationJob": [{
				"StructureInitialization": {"`+key+`": "Finished", "Percent": "100", "Progress": "3"},
				"DataInitialization": {"`+key+`": "Migrating", "Percent": 40, "Progress": "1200"},
				"DataSynchronization": {"`+key+`": "Catched", "Percent": "95", "Delay": "2"},
				"Precheck": {"`+key+`": "Success", "Percent": "100"}}]}}`)
			j := got.MigrationJobs.Items[0]
			if s := j.StructureInitialization.Get(); s == nil || s.Status != StringOf("Finished") || s.Progress != IntOf(3) {
				t.Errorf("StructureInitialization %+v", s)
			}
			if s := j.DataInitialization.Get(); s == nil || s.Status != StringOf("Migrating") || s.Percent != IntOf(40) {
				t.Errorf("DataInitialization %+v", s)
			}
			if s := j.DataSynchronization.Get(); s == nil || s.Status != StringOf("Catched") || s.Delay != IntOf(2) {
				t.Errorf("DataSynchronization %+v", s)
			}
			if p := j.Precheck.Get(); p == nil || p.Status != StringOf("Success") {
				t.Errorf("Precheck %+v", p)
			}
		})
	}
}

func TestListMigrationJobsAsksEveryPage(t *testing.T) {
	f := fakedts.NewServer()
	defer f.Close()
	f.AddAccessKey(testKeyID, testSecret)
	var want []string
	for i := range 65 {
		id := "dtsl" + string(rune('A'+i/26)) + string(rune('a'+i%26))
		want = append(want, id)
		f.SetJob(id, fakedts.Job{Tags: map[string]string{"b": "2", "a": "1"}})
	}
	c := newTestClient(t, f.URL(), func(cfg *Config) {
		cfg.Clock = nil
		cfg.Credentials = StaticCredentials{AccessKeyID: testKeyID, AccessKeySecret: testSecret}
	})
	l, err := c.ListMigrationJobs(context.Background(), DescribeMigrationJobsRequest{Tags: map[string]string{"b": "2", "a": "1"}})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, j := range l.Items {
		got = append(got, j.MigrationJobID.Val)
	}
	if !slices.Equal(got, want) || l.Pages != 3 || len(l.RequestIDs) != 3 {
		t.Fatalf("%d jobs in %d pages, want the 65 in order in 3", len(got), l.Pages)
	}
	for i, r := range f.RequestsFor(fakedts.ActionDescribeMigrationJobs) {
		p := r.Params
		if p.Get("PageNum") != string(rune('1'+i)) || p.Get("PageSize") != "30" ||
			p.Get("Tag.1.Key") != "a" || p.Get("Tag.1.Value") != "1" || p.Get("Tag.2.Key") != "b" || p.Get("Tag.2.Value") != "2" {
			t.Errorf("request %d: %v", i+1, p)
		}
	}
}

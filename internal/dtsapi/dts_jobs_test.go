package dtsapi

import (
	"context"
	"errors"
	"testing"
)

// TestDecodeDtsJobsSample reads the fact sheet's sample field by field.
func TestDecodeDtsJobsSample(t *testing.T) {
	page := decodeAs[DtsJobs](t, readSample(t, "dts_jobs_sample.json"))
	if n := len(page.DtsJobList.Items); n != 2 || page.TotalRecordCount.Val != 2 || page.PageNumber.Val != 1 {
		t.Fatalf("page: %d jobs, total %+v, page %+v", n, page.TotalRecordCount, page.PageNumber)
	}
	j, failed := &page.DtsJobList.Items[0], &page.DtsJobList.Items[1]
	strs := map[string]struct{ got, want String }{
		"DtsJobId":                          {j.DtsJobID, StringOf("i03e3zty16i****")},
		"DtsInstanceID":                     {j.DtsInstanceID, StringOf("dtsi03e3zty16i****")},
		"DtsJobName":                        {j.DtsJobName, StringOf("rds_mysql_orders_migration")},
		"JobType":                           {j.JobType, StringOf("MIGRATION")},
		"Status":                            {j.Status, StringOf("Migrating")},
		"DtsJobClass":                       {j.DtsJobClass, StringOf("large")},
		"DtsJobDirection":                   {j.DtsJobDirection, StringOf("Forward")},
		"CreateTime":                        {j.CreateTime, StringOf("2021-03-16T08:01:19Z")},
		"ExpireTime":                        {j.ExpireTime, String{}},
		"ErrorMessage":                      {j.ErrorMessage, String{}},
		"DbObject":                          {j.DbObject.String, StringOf(`{"dtstestdata":{"name":"dtstestdata","all":true}}`)},
		"ResourceGroupDisplayName":          {j.ResourceGroupName, StringOf("default resource group")},
		"PrecheckStatus.Detail[1]":          {j.PrecheckStatus.Get().Detail.Items[1].CheckItem, StringOf("CHECK_AUTH_DEST")},
		"FullDataCheckStatus.Progress":      {j.FullDataCheckStatus.Get().Progress, StringOf("1 rows/s (row: 5/5, table: 1/1)")},
		"DataInitializationStatus.Progress": {j.DataInitializationStatus.Get().Progress, StringOf("44755")},
		"Performance.Flow":                  {j.Performance.Get().Flow, StringOf("0.02")},
		"SourceEndpoint.IP (Ip)":            {j.SourceEndpoint.Get().IP, StringOf("172.16.88.***")},
		"SourceEndpoint.InstanceID":         {j.SourceEndpoint.Get().InstanceID, StringOf("rm-bp1162kryivb8****")},
		"SourceEndpoint.SslSolutionEnum":    {j.SourceEndpoint.Get().SslSolutionEnum, StringOf("DISABLE")},
		"TagList[0].TagKey":                 {j.TagList.Items[0].TagKey, StringOf("env")},
		"failed: FailedReason":              {failed.PrecheckStatus.Get().Detail.Items[0].FailedReason, StringOf("Original error: Access denied for user 'dtstest'@'100.104.***.**' (using password: YES)")},
		"failed: RepairMethod":              {failed.PrecheckStatus.Get().Detail.Items[0].RepairMethod, StringOf("CHECK_ERROR_DEST_CONN_REPAIR2")},
	}
	for name, c := range strs {
		if c.got != c.want {
			t.Errorf("%s = %+v, want %+v", name, c.got, c.want)
		}
	}
	ints := map[string]struct{ got, want Int }{
		"Delay":                      {j.Delay, IntOf(3)},
		"Checkpoint (a string)":      {j.Checkpoint, IntOf(1616899019)},
		"PrecheckStatus.Percent":     {j.PrecheckStatus.Get().Percent, IntOf(100)},
		"RetryState.MaxRetryTime":    {j.RetryState.Get().MaxRetryTime, IntOf(43200)},
		"SourceEndpoint.Port":        {j.SourceEndpoint.Get().Port, IntOf(3306)},
		"failed: Checkpoint missing": {failed.Checkpoint, Int{}},
	}
	for name, c := range ints {
		if c.got != c.want {
			t.Errorf("%s = %+v, want %+v", name, c.got, c.want)
		}
	}
	mode := j.MigrationMode.Get()
	if !mode.FullDataCheck.Val || !mode.FullDataCheck.Set || mode.IncDataCheck.Val || !j.FullDataCheckStatus.Get().CanSwitch.Val {
		t.Errorf("booleans: mode %+v, CanSwitch %+v", mode, j.FullDataCheckStatus.Get().CanSwitch)
	}
	if !j.ErrorDetails.Present || len(j.ErrorDetails.Items) != 0 || j.ReverseJob.Get() != nil || failed.TagList.Present != true {
		t.Errorf("an empty list is present and empty, a missing object nil: %+v %+v %+v", j.ErrorDetails, j.ReverseJob, failed.TagList)
	}
}

func TestDecodeDtsJobLooseTypes(t *testing.T) {
	page := decodeAs[DtsJobs](t, `{"DtsJobList": {"DtsJob": {"DtsJobId": "a", "Status": "synchronizing", "Delay": "7",
		"Checkpoint": 1616899019, "PrecheckStatus": {"Percent": 100.0}, "FullDataCheckStatus": {"CanSwitch": "true"},
		"ErrorDetails": {"ErrorDetail": {"ErrorCode": "DTS-31009", "HelpUrl": "https://help"}},
		"TagList": {"Tag": [{"TagKey": "k", "TagValue": "v"}]},
		"ReverseJob": {"DtsJobId": "a_r", "Delay": 2}}}}`)
	if len(page.DtsJobList.Items) != 1 {
		t.Fatalf("a wrapped single job decodes to %d jobs", len(page.DtsJobList.Items))
	}
	j := page.DtsJobList.Items[0]
	switch {
	case j.Status.Val != "synchronizing": // kept as sent: the waiter compares job statuses ignoring case
		t.Errorf("Status = %+v", j.Status)
	case j.Delay != IntOf(7) || j.Checkpoint != IntOf(1616899019) || j.PrecheckStatus.Get().Percent != IntOf(100):
		t.Errorf("numbers: %+v %+v %+v", j.Delay, j.Checkpoint, j.PrecheckStatus.Get().Percent)
	case j.FullDataCheckStatus.Get().CanSwitch != BoolOf(true):
		t.Errorf("CanSwitch = %+v", j.FullDataCheckStatus.Get().CanSwitch)
	case len(j.ErrorDetails.Items) != 1 || j.ErrorDetails.Items[0].HelpURL.Val != "https://help" || len(j.TagList.Items) != 1:
		t.Errorf("wrapped lists: %+v %+v", j.ErrorDetails, j.TagList)
	case j.ReverseJob.Get() == nil || j.ReverseJob.Get().Delay != IntOf(2):
		t.Errorf("ReverseJob = %+v", j.ReverseJob)
	}
}

func TestDescribeDtsJobsSendsEveryFilter(t *testing.T) {
	s := newScriptedServer(t, respond(200, `{"RequestId":"R","Success":true,"DtsJobList":[]}`))
	c := newTestClient(t, s.srv.URL)
	_, err := c.DescribeDtsJobs(context.Background(), DescribeDtsJobsRequest{
		RegionID: "cn-shanghai", JobType: JobTypeSynchronization, DtsJobID: "j", DtsInstanceID: "dtsi", Name: "orders",
		Status: "Synchronizing", Tags: map[string]string{"team": "db", "env": "prod"}, PageNumber: 2,
	})
	if err != nil {
		t.Fatal(err)
	}
	got := s.requests()[0]
	for k, v := range map[string]string{
		"Action": "DescribeDtsJobs", "Region": "cn-shanghai", "RegionId": "cn-shanghai", "JobType": "SYNC", "DtsJobId": "j",
		"DtsInstanceId": "dtsi", "Type": "name", "Params": "orders", "Status": "Synchronizing",
		"Tags": `[{"key":"env","value":"prod"},{"key":"team","value":"db"}]`, "PageSize": "30", "PageNumber": "2",
	} {
		if got.Get(k) != v {
			t.Errorf("%s = %q, want %q", k, got.Get(k), v)
		}
	}
}

func TestDescribeDtsJobMatchesExactly(t *testing.T) {
	// The service narrows by DtsJobId loosely: the answer to "j1" lists "j10" too.
	s := newScriptedServer(t,
		respond(200, `{"Success":true,"RequestId":"R1","DtsJobList":[{"DtsJobId":"j10"}]}`),
		respond(200, `{"Success":true,"RequestId":"R2","DtsJobList":[{"DtsJobId":"j10"},{"DtsJobId":"j1","Status":"Synchronizing"}]}`))
	c := newTestClient(t, s.srv.URL)
	got, err := c.DescribeDtsJob(context.Background(), DescribeDtsJobRequest{DtsJobID: "j1", JobTypes: []string{JobTypeMigration, JobTypeSynchronization}})
	if err != nil {
		t.Fatal(err)
	}
	if got.Job.DtsJobID.Val != "j1" || got.JobType != JobTypeSynchronization || got.RequestID.Val != "R2" {
		t.Fatalf("found %+v as %s in %s", got.Job.DtsJobID, got.JobType, got.RequestID.Val)
	}
}

func TestDescribeDtsJobNotFoundIsPermanent(t *testing.T) {
	s := newScriptedServer(t, respond(200, `{"Success":true,"DtsJobList":[{"DtsJobId":"j10"}]}`))
	c := newTestClient(t, s.srv.URL)
	_, err := c.DescribeDtsJob(context.Background(), DescribeDtsJobRequest{DtsJobID: "j1", RegionID: "cn-beijing", JobTypes: []string{JobTypeSubscription}})
	var nf *NotFoundError
	if !errors.As(err, &nf) || nf.Region != "cn-beijing" || nf.JobTypes[0] != "SUBSCRIBE" || !IsPermanent(err) {
		t.Fatalf("err = %v, want a permanent NotFoundError naming the region and type", err)
	}
}

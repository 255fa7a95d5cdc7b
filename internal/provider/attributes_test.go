package provider

import (
	"context"
	"encoding/json"
	"os"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/openmigrate/terraform-provider-dts/internal/dtsapi"
)

func decodeJSON[R any](t *testing.T, body string) *R {
	t.Helper()
	out := new(R)
	if err := json.Unmarshal([]byte(body), out); err != nil {
		t.Fatal(err)
	}
	return out
}

func warningPaths(diags diag.Diagnostics) []string {
	var out []string
	for _, d := range diags.Warnings() {
		if wp, ok := d.(diag.DiagnosticWithPath); ok {
			out = append(out, wp.Path().String())
		}
	}
	return out
}

// TestWarningsNameTheIndexesOfState: an item that is not an object is left out of the list, so the
// warning for the next item names the index it has in state (detail[0]), not the one it had on the wire.
func TestWarningsNameTheIndexesOfState(t *testing.T) {
	status := decodeJSON[dtsapi.MigrationJobStatus](t, `{"PrecheckStatus": {"Percent": "half",
		"Detail": {"CheckItem": [7, {"CheckStatus": ["x"], "ItemName": "CHECK_SRC"}]}},
		"SourceEndpoint": {"Port": "33o6"}}`)
	var diags diag.Diagnostics
	values := migrationJobStatusAttributes.values(status, &location{}, &diags)

	// In the order of the declarations: the job header (with the endpoints) first, then the stages.
	want := []string{"source_endpoint.port", "precheck_status.percent", "precheck_status.detail", "precheck_status.detail[0].check_status"}
	got := warningPaths(diags)
	if len(got) != len(want) {
		t.Fatalf("warnings at %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("warnings at %v, want %v", got, want)
		}
	}
	var precheck map[string]tftypes.Value
	if err := values["precheck_status"].As(&precheck); err != nil {
		t.Fatal(err)
	}
	var detail []tftypes.Value
	if err := precheck["detail"].As(&detail); err != nil || len(detail) != 1 {
		t.Fatalf("detail = %v (%v), want the one object item", detail, err)
	}
}

// TestStateOfEveryDataSourceFitsItsSchema reads each documented sample through each data source's
// declarations: the state built from them must be a value of the schema's type.
func TestStateOfEveryDataSourceFitsItsSchema(t *testing.T) {
	ctx := context.Background()
	read := func(name string) []byte {
		b, err := os.ReadFile("../dtsapi/testdata/" + name)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	legacy := decodeJSON[dtsapi.MigrationJobStatus](t, string(read("documented_sample.json")))
	page := decodeJSON[dtsapi.DtsJobs](t, string(read("dts_jobs_sample.json")))
	legacyPage := decodeJSON[dtsapi.MigrationJobs](t, string(read("migration_jobs_sample.json")))
	cases := map[string]struct {
		ds       datasource.DataSource
		computed func(*diag.Diagnostics) map[string]tftypes.Value
		// at is where a value of the sample sits in state, read back through the schema, and want that value.
		at   path.Path
		want string
	}{
		"dts_migration_job_status": {newMigrationJobStatusDataSource(), func(d *diag.Diagnostics) map[string]tftypes.Value {
			return migrationJobStatusAttributes.values(legacy, &location{}, d)
		}, path.Root("precheck_status").AtName("detail").AtListIndex(13).AtName("item_name"), "CHECK_SAME_USER"},
		"dts_job_status": {newJobStatusDataSource(), func(d *diag.Diagnostics) map[string]tftypes.Value {
			return jobStatusAttributes.values(&dtsapi.DtsJobRead{Job: &page.DtsJobList.Items[0], RequestID: page.RequestID}, &location{}, d)
		}, path.Root("request_id"), "621BB4F8-3016-4FAA-8D5A-5D3163CC****"},
		"dts_jobs": {newJobsDataSource(), func(d *diag.Diagnostics) map[string]tftypes.Value {
			return jobsAttributes.values(&dtsJobsFound{Items: page.DtsJobList.Items}, &location{}, d)
		}, path.Root("jobs").AtListIndex(1).AtName("job_name"), "ecs_mysql_to_rds"},
		"dts_migration_jobs": {newMigrationJobsDataSource(), func(d *diag.Diagnostics) map[string]tftypes.Value {
			return migrationJobsAttributes.values(&migrationJobsFound{Items: legacyPage.MigrationJobs.Items}, &location{}, d)
		}, path.Root("jobs").AtListIndex(0).AtName("migration_job_name"), "MySQL Migration"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			var resp datasource.SchemaResponse
			tc.ds.Schema(ctx, datasource.SchemaRequest{}, &resp)
			var diags diag.Diagnostics
			computed := tc.computed(&diags)
			if diags.HasError() || len(diags) > 0 {
				t.Fatalf("a clean sample gave diagnostics: %v", diags)
			}
			state, err := stateWith(configValue(t, resp.Schema, nil), computed)
			if err != nil {
				t.Fatalf("the state does not fit the schema: %v", err)
			}
			var got types.String
			if diags := (tfsdk.State{Schema: resp.Schema, Raw: state}).GetAttribute(ctx, tc.at, &got); diags.HasError() || got.ValueString() != tc.want {
				t.Fatalf("%s in state = %s (%v), want %q", tc.at, got, diags, tc.want)
			}
		})
	}
}

func TestStateWithRejectsUnknownAttributes(t *testing.T) {
	var resp datasource.SchemaResponse
	newJobStatusDataSource().Schema(context.Background(), datasource.SchemaRequest{}, &resp)
	if _, err := stateWith(configValue(t, resp.Schema, nil), map[string]tftypes.Value{"nope": tftypes.NewValue(tftypes.String, "x")}); err == nil {
		t.Fatal("an attribute the schema lacks must be an error")
	}
	if _, err := stateWith(configValue(t, resp.Schema, nil), map[string]tftypes.Value{"delay": tftypes.NewValue(tftypes.String, "x")}); err == nil {
		t.Fatal("a value of the wrong type must be an error")
	}
}

func TestLocationPath(t *testing.T) {
	root := &location{}
	got := root.attr("precheck_status").attr("detail").element(2).attr("item_name").path()
	if want := path.Root("precheck_status").AtName("detail").AtListIndex(2).AtName("item_name"); !got.Equal(want) {
		t.Fatalf("path = %s, want %s", got, want)
	}
}

// TestStateWithLeavesTheConfigurationAlone: the framework compares the configuration with the
// state after Read, walking every attribute the configuration sets; a configuration that took the
// state's values would make it walk all of them, on every read.
func TestStateWithLeavesTheConfigurationAlone(t *testing.T) {
	var resp datasource.SchemaResponse
	newJobStatusDataSource().Schema(context.Background(), datasource.SchemaRequest{}, &resp)
	config := configValue(t, resp.Schema, map[string]tftypes.Value{"dts_job_id": tftypes.NewValue(tftypes.String, "j")})
	before := config.Copy()
	state, err := stateWith(config, map[string]tftypes.Value{"job_name": tftypes.NewValue(tftypes.String, "orders")})
	if err != nil {
		t.Fatal(err)
	}
	if !config.Equal(before) || state.Equal(before) {
		t.Fatalf("the configuration changed with the state: %v", config)
	}
}

// TestThroughReadsTheInnerValue: attributes lifted through a getter read the value it finds, and
// are null when it finds none.
func TestThroughReadsTheInnerValue(t *testing.T) {
	o := newObject(through(func(r *dtsapi.DtsJobRead) *dtsJob { return r.Job }, jobName))
	var diags diag.Diagnostics
	if got := o.values(&dtsapi.DtsJobRead{}, &location{}, &diags)["job_name"]; !got.IsNull() {
		t.Fatalf("job_name without a job = %v, want null", got)
	}
	read := &dtsapi.DtsJobRead{Job: &dtsJob{JobCore: dtsapi.JobCore{DtsJobName: dtsapi.String{Val: "orders", Set: true}}}}
	if got := o.values(read, &location{}, &diags)["job_name"]; !got.Equal(tftypes.NewValue(tftypes.String, "orders")) {
		t.Fatalf("job_name = %v, want orders", got)
	}
}

package provider

import (
	"context"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// TestArgumentsModelsAreTheSchemasArguments: each data source's arguments model names every argument
// and block of its schema, and nothing else, so Read sees every argument a configuration can set.
func TestArgumentsModelsAreTheSchemasArguments(t *testing.T) {
	cases := map[string]struct {
		ds    datasource.DataSource
		model any
	}{
		"dts_migration_job_status": {newMigrationJobStatusDataSource(), migrationJobStatusArguments{}},
		"dts_job_status":           {newJobStatusDataSource(), jobStatusArguments{}},
		"dts_jobs":                 {newJobsDataSource(), jobsArguments{}},
		"dts_migration_jobs":       {newMigrationJobsDataSource(), migrationJobsArguments{}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			var resp datasource.SchemaResponse
			tc.ds.Schema(context.Background(), datasource.SchemaRequest{}, &resp)
			var want []string
			for n, a := range resp.Schema.Attributes {
				if a.IsOptional() || a.IsRequired() {
					want = append(want, n)
				}
			}
			for n := range resp.Schema.Blocks {
				want = append(want, n)
			}
			var got []string
			typ := reflect.TypeOf(tc.model)
			for i := range typ.NumField() {
				got = append(got, typ.Field(i).Tag.Get("tfsdk"))
			}
			slices.Sort(want)
			slices.Sort(got)
			if !slices.Equal(got, want) {
				t.Fatalf("the arguments model names %v, the schema's arguments are %v", got, want)
			}
		})
	}
}

func jobStatusTestConfig(t testing.TB, set map[string]tftypes.Value) (tfsdk.Config, schema.Schema) {
	t.Helper()
	var resp datasource.SchemaResponse
	newJobStatusDataSource().Schema(context.Background(), datasource.SchemaRequest{}, &resp)
	return tfsdk.Config{Schema: resp.Schema, Raw: configValue(t, resp.Schema, set)}, resp.Schema
}

// waitForValue is a wait_for block of the schema with the given stage and statuses.
func waitForValue(t testing.TB, sch schema.Schema, stage string, statuses ...string) tftypes.Value {
	t.Helper()
	typ, ok := sch.Type().TerraformType(context.Background()).(tftypes.Object)
	if !ok {
		t.Fatal("the schema is not an object")
	}
	wt, ok := typ.AttributeTypes["wait_for"].(tftypes.Object)
	if !ok {
		t.Fatal("the schema has no wait_for block")
	}
	list := make([]tftypes.Value, len(statuses))
	for i, s := range statuses {
		list[i] = tftypes.NewValue(tftypes.String, s)
	}
	v := map[string]tftypes.Value{}
	for n, at := range wt.AttributeTypes {
		v[n] = tftypes.NewValue(at, nil)
	}
	v["stage"] = tftypes.NewValue(tftypes.String, stage)
	v["status"] = tftypes.NewValue(tftypes.List{ElementType: tftypes.String}, list)
	return tftypes.NewValue(wt, v)
}

func TestReadArgumentsReadsEachArgument(t *testing.T) {
	_, sch := jobStatusTestConfig(t, nil)
	config, _ := jobStatusTestConfig(t, map[string]tftypes.Value{
		"dts_job_id": tftypes.NewValue(tftypes.String, "i03e3zty16i****"),
		"region_id":  tftypes.NewValue(tftypes.String, tftypes.UnknownValue),
		"wait_for":   waitForValue(t, sch, "data_synchronization", "Catched"),
	})
	var args jobStatusArguments
	if diags := readArguments(context.Background(), config, &args); diags.HasError() {
		t.Fatal(diags)
	}
	if args.DtsJobID.ValueString() != "i03e3zty16i****" || !args.RegionID.IsUnknown() || !args.JobType.IsNull() {
		t.Fatalf("arguments = %+v", args)
	}
	if args.WaitFor == nil || args.WaitFor.Stage.ValueString() != "data_synchronization" || len(args.WaitFor.Status.Elements()) != 1 {
		t.Fatalf("wait_for = %+v", args.WaitFor)
	}
}

// TestReadArgumentsReportsAModelThatDoesNotFit: a field named for no argument, or for none at all,
// is a bug reported as an error, not a panic or a silently empty field.
func TestReadArgumentsReportsAModelThatDoesNotFit(t *testing.T) {
	config, _ := jobStatusTestConfig(t, nil)
	var unknownName struct {
		Nope types.String `tfsdk:"nope"`
	}
	if diags := readArguments(context.Background(), config, &unknownName); !diags.HasError() {
		t.Fatal("a field named for no attribute must be an error")
	}
	var untagged struct {
		DtsJobID types.String
	}
	diags := readArguments(context.Background(), config, &untagged)
	if !diags.HasError() || !strings.Contains(diags.Errors()[0].Detail(), "DtsJobID") {
		t.Fatalf("a field without a tag must be an error naming it, got %v", diags)
	}
}

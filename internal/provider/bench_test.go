package provider

import (
	"context"
	"reflect"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/openmigrate/terraform-provider-dts/internal/dtsapi"
	"github.com/openmigrate/terraform-provider-dts/internal/fakedts"
)

// documentedStatus reads the documented sample response through the real client, from the fake.
func documentedStatus(b testing.TB) *dtsapi.MigrationJobStatus {
	b.Helper()
	f := fakedts.NewServer()
	defer f.Close()
	f.AddAccessKey(testAccessKey, testSecretKey)
	f.SetJob("dtsz2v12jfo309****", fakedts.Job{Steps: []fakedts.Step{{Raw: []byte(fakedts.DocumentedSample)}}})
	client, err := dtsapi.New(dtsapi.Config{
		Endpoint:    f.URL(),
		RegionID:    "cn-hangzhou",
		Credentials: dtsapi.StaticCredentials{AccessKeyID: testAccessKey, AccessKeySecret: testSecretKey},
	})
	if err != nil {
		b.Fatal(err)
	}
	status, err := client.DescribeMigrationJobStatus(context.Background(),
		dtsapi.DescribeMigrationJobStatusRequest{MigrationJobID: "dtsz2v12jfo309****"})
	if err != nil {
		b.Fatal(err)
	}
	return status
}

// BenchmarkMapDocumentedSample maps a decoded response into the data source's state as Read does
// after the call: every declared attribute read from the response, then the state value.
func BenchmarkMapDocumentedSample(b *testing.B) {
	ctx := context.Background()
	status := documentedStatus(b)
	var resp datasource.SchemaResponse
	newMigrationJobStatusDataSource().Schema(ctx, datasource.SchemaRequest{}, &resp)
	config := configValue(b, resp.Schema, map[string]tftypes.Value{
		"migration_job_id": tftypes.NewValue(tftypes.String, "dtsz2v12jfo309****"),
	})
	state := tfsdk.State{Schema: resp.Schema}
	b.ReportAllocs()
	for b.Loop() {
		var diags diag.Diagnostics
		computed := migrationJobStatusAttributes.values(status, &location{}, &diags)
		computed["region_id"] = tftypes.NewValue(tftypes.String, "cn-hangzhou")
		raw, err := stateWith(config, computed)
		if err != nil || diags.HasError() {
			b.Fatal(err, diags)
		}
		state.Raw = raw
	}
	var item types.String
	if diags := state.GetAttribute(ctx, path.Root("precheck_status").AtName("detail").AtListIndex(13).AtName("item_name"), &item); diags.HasError() || item.ValueString() != "CHECK_SAME_USER" {
		b.Fatalf("the state does not hold the sample: %q %v", item, diags)
	}
}

// configValue is a configuration of the schema with the given attributes set and the rest null.
func configValue(t testing.TB, sch schema.Schema, set map[string]tftypes.Value) tftypes.Value {
	t.Helper()
	typ, ok := sch.Type().TerraformType(context.Background()).(tftypes.Object)
	if !ok {
		t.Fatal("the schema is not an object")
	}
	attrs := make(map[string]tftypes.Value, len(typ.AttributeTypes))
	for name, at := range typ.AttributeTypes {
		attrs[name] = tftypes.NewValue(at, nil)
	}
	for name, v := range set {
		attrs[name] = v
	}
	return tftypes.NewValue(typ, attrs)
}

// BenchmarkReadArguments reads dts_job_status's arguments (the job ID and a wait_for block) from a
// configuration of its whole schema, the computed attributes null, three ways: into a map of
// targets by name (the provider's earlier way), into the arguments model with readArguments (the
// provider's way), and with Config.Get into a model of every attribute, which is what Config.Get
// needs (one attr.Value field per attribute, as a model written by hand would hold).
func BenchmarkReadArguments(b *testing.B) {
	ctx := context.Background()
	_, sch := jobStatusTestConfig(b, nil)
	config, _ := jobStatusTestConfig(b, map[string]tftypes.Value{
		"dts_job_id": tftypes.NewValue(tftypes.String, "i03e3zty16i****"),
		"wait_for":   waitForValue(b, sch, "data_synchronization", "Catched"),
	})
	check := func(b *testing.B, id types.String, w *waitForModel, diags diag.Diagnostics) {
		if diags.HasError() || id.ValueString() != "i03e3zty16i****" || w == nil || w.Stage.ValueString() != "data_synchronization" {
			b.Fatalf("read %v %+v: %v", id, w, diags)
		}
	}
	b.Run("map of targets", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var (
				id, jobType, regionID types.String
				readTimeouts          timeouts.Value
				waitFor               *waitForModel
			)
			var diags diag.Diagnostics
			for name, target := range map[string]any{
				"dts_job_id": &id, "job_type": &jobType, "region_id": &regionID, "timeouts": &readTimeouts, "wait_for": &waitFor,
			} {
				diags.Append(config.GetAttribute(ctx, path.Root(name), target)...)
			}
			check(b, id, waitFor, diags)
		}
	})
	b.Run("readArguments", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var args jobStatusArguments
			diags := readArguments(ctx, config, &args)
			check(b, args.DtsJobID, args.WaitFor, diags)
		}
	})
	b.Run("Config.Get of every attribute", func(b *testing.B) {
		// A struct type with a field of the framework's value type for each attribute and block.
		ot, ok := sch.Type().(basetypes.ObjectType)
		if !ok {
			b.Fatalf("the schema is a %T", sch.Type())
		}
		var fields []reflect.StructField
		for name, at := range ot.AttrTypes {
			fields = append(fields, reflect.StructField{
				Name: "F_" + name,
				Type: reflect.TypeOf(at.ValueType(ctx)),
				Tag:  reflect.StructTag(`tfsdk:"` + name + `"`),
			})
		}
		model := reflect.StructOf(fields)
		b.ReportAllocs()
		for b.Loop() {
			m := reflect.New(model)
			diags := config.Get(ctx, m.Interface())
			id, _ := m.Elem().FieldByName("F_dts_job_id").Interface().(types.String)
			var w waitForModel
			wf, _ := m.Elem().FieldByName("F_wait_for").Interface().(types.Object)
			diags.Append(wf.As(ctx, &w, basetypes.ObjectAsOptions{})...)
			check(b, id, &w, diags)
		}
	})
}

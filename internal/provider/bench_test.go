package provider

import (
	"context"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
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

package provider

import (
	"context"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/openmigrate/terraform-provider-dts/internal/fakedts"
)

// BenchmarkReadDataSourceRPC is one whole ReadDataSource call as Terraform makes it, through the
// plugin server, against the fake: what a plan costs the provider per job.
func BenchmarkReadDataSourceRPC(b *testing.B) {
	ctx := context.Background()
	f := fakedts.NewServer()
	defer f.Close()
	f.AddAccessKey(testAccessKey, testSecretKey)
	f.SetJob("dtsz2v12jfo309****", fakedts.Job{Steps: []fakedts.Step{{Raw: []byte(fakedts.DocumentedSample)}}})

	server, err := factories(testTuning())["dts"]()
	if err != nil {
		b.Fatal(err)
	}
	schemas, err := server.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		b.Fatal(err)
	}
	providerType := schemas.Provider.ValueType()
	providerConfig, err := tfprotov6.NewDynamicValue(providerType, objectOf(providerType, map[string]tftypes.Value{
		"region":     tftypes.NewValue(tftypes.String, "cn-hangzhou"),
		"endpoint":   tftypes.NewValue(tftypes.String, f.URL()),
		"access_key": tftypes.NewValue(tftypes.String, testAccessKey),
		"secret_key": tftypes.NewValue(tftypes.String, testSecretKey),
	}))
	if err != nil {
		b.Fatal(err)
	}
	if resp, err := server.ConfigureProvider(ctx, &tfprotov6.ConfigureProviderRequest{Config: &providerConfig}); err != nil || len(resp.Diagnostics) > 0 {
		b.Fatal(err, resp.Diagnostics)
	}
	dsType := schemas.DataSourceSchemas["dts_migration_job_status"].ValueType()
	config, err := tfprotov6.NewDynamicValue(dsType, objectOf(dsType, map[string]tftypes.Value{
		"migration_job_id": tftypes.NewValue(tftypes.String, "dtsz2v12jfo309****"),
	}))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		resp, err := server.ReadDataSource(ctx, &tfprotov6.ReadDataSourceRequest{TypeName: "dts_migration_job_status", Config: &config})
		if err != nil || len(resp.Diagnostics) > 0 {
			b.Fatal(err, resp.Diagnostics[0].Summary, resp.Diagnostics[0].Detail)
		}
	}
}

// objectOf is a value of the object type t with the given attributes and every other one null.
func objectOf(t tftypes.Type, set map[string]tftypes.Value) tftypes.Value {
	ot, _ := t.(tftypes.Object)
	vals := make(map[string]tftypes.Value, len(ot.AttributeTypes))
	for name, at := range ot.AttributeTypes {
		if v, ok := set[name]; ok {
			vals[name] = v
		} else {
			vals[name] = tftypes.NewValue(at, nil)
		}
	}
	return tftypes.NewValue(ot, vals)
}

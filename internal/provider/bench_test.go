package provider

import (
	"context"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	fwattr "github.com/hashicorp/terraform-plugin-framework/attr"
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

// BenchmarkMapDocumentedSample maps a decoded response into Terraform values as Read does after
// the call: the model's fill, then the state value built field by field.
func BenchmarkMapDocumentedSample(b *testing.B) {
	benchmarkMapping(b, func(ctx context.Context, state *tfsdk.State, m *migrationJobStatusModel) {
		raw, err := m.stateValue(ctx, state.Schema.Type().TerraformType(ctx))
		if err != nil {
			b.Fatal(err)
		}
		state.Raw = raw
	})
}

// BenchmarkMapDocumentedSampleStateSet is the same mapping through the framework's reflection,
// State.Set, for comparison: Read used it before stateValue.
func BenchmarkMapDocumentedSampleStateSet(b *testing.B) {
	benchmarkMapping(b, func(ctx context.Context, state *tfsdk.State, m *migrationJobStatusModel) {
		if diags := state.Set(ctx, m); diags.HasError() {
			b.Fatal(diags)
		}
	})
}

func benchmarkMapping(b *testing.B, set func(context.Context, *tfsdk.State, *migrationJobStatusModel)) {
	ctx := context.Background()
	status := documentedStatus(b)
	sch := migrationJobStatusSchema(ctx)
	state := tfsdk.State{Schema: sch, Raw: tftypes.NewValue(sch.Type().TerraformType(ctx), nil)}
	b.ReportAllocs()
	for b.Loop() {
		m := migrationJobStatusModel{
			MigrationJobID: types.StringValue("dtsz2v12jfo309****"),
			RegionID:       types.StringValue("cn-hangzhou"),
			Timeouts:       timeouts.Value{Object: types.ObjectNull(map[string]fwattr.Type{"read": types.StringType})},
		}
		m.fill(status)
		set(ctx, &state, &m)
	}
	var item types.String
	if diags := state.GetAttribute(ctx, path.Root("precheck_status").AtName("detail").AtListIndex(13).AtName("item_name"), &item); diags.HasError() || item.ValueString() != "CHECK_SAME_USER" {
		b.Fatalf("the state does not hold the sample: %q %v", item, diags)
	}
}

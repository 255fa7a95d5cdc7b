package provider

import (
	"context"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	fwattr "github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/openmigrate/terraform-provider-dts/internal/dtsapi"
)

// TestStateValueMatchesStateSet holds the hand-built state to what the framework's State.Set
// makes of the same model, for full, sparse and odd responses and every shape of the arguments.
func TestStateValueMatchesStateSet(t *testing.T) {
	ctx := context.Background()
	sch := migrationJobStatusSchema(ctx)
	typ, ok := sch.Type().TerraformType(ctx).(tftypes.Object)
	if !ok {
		t.Fatalf("the schema's type is %T, not an object", sch.Type().TerraformType(ctx))
	}
	str := func(s string) *string { return &s }
	num := func(n int64) *int64 { return &n }
	yes := true
	timeoutsType := map[string]fwattr.Type{"read": types.StringType}

	statuses := map[string]*dtsapi.MigrationJobStatus{
		"documented sample": documentedStatus(t),
		"empty response":    {},
		"sparse, empty detail, checkpoint, a port": {
			RequestID:      str("R"),
			MigrationMode:  &dtsapi.MigrationMode{DataSynchronization: &yes},
			PrecheckStatus: &dtsapi.PrecheckStatus{Status: str("Checking"), Detail: []dtsapi.CheckItem{}},
			DataSynchronizationStatus: &dtsapi.DataSynchronizationStatus{
				Status: str("Catched"), Delay: num(0), Checkpoint: num(1612507847),
			},
			StructureInitializationStatus: &dtsapi.InitializationStatus{},
			SourceEndpoint:                &dtsapi.Endpoint{Port: num(3306)},
		},
		"failed check item without fields": {
			PrecheckStatus: &dtsapi.PrecheckStatus{Detail: []dtsapi.CheckItem{{}, {CheckStatus: str("Failed"), ErrorMessage: str("no binlog")}}},
		},
	}
	arguments := map[string]migrationJobStatusModel{
		"no blocks": {
			MigrationJobID: types.StringValue("dtsz2v12jfo309****"),
			RegionID:       types.StringValue("cn-hangzhou"),
			Timeouts:       timeouts.Value{Object: types.ObjectNull(timeoutsType)},
		},
		"every argument": {
			MigrationJobID: types.StringValue("dtsz2v12jfo309****"),
			RegionID:       types.StringValue("ap-northeast-1"),
			ClientToken:    types.StringValue("token-1"),
			AccountID:      types.StringValue("123456789012"),
			Timeouts: timeouts.Value{Object: types.ObjectValueMust(timeoutsType,
				map[string]fwattr.Value{"read": types.StringValue("30m")})},
			WaitFor: &waitForModel{
				Stage:           types.StringValue("data_synchronization"),
				Status:          types.ListValueMust(types.StringType, []fwattr.Value{types.StringValue("Catched")}),
				MaxDelaySeconds: types.Int64Value(5),
				PollInterval:    types.StringNull(),
			},
		},
	}
	for sname, status := range statuses {
		for aname, args := range arguments {
			t.Run(sname+"/"+aname, func(t *testing.T) {
				m := args
				m.fill(status)
				want := tfsdk.State{Schema: sch, Raw: tftypes.NewValue(typ, nil)}
				if diags := want.Set(ctx, &m); diags.HasError() {
					t.Fatalf("State.Set: %v", diags)
				}
				got, err := m.stateValue(ctx, typ)
				if err != nil {
					t.Fatal(err)
				}
				if !got.Equal(want.Raw) {
					diffs, _ := got.Diff(want.Raw)
					for _, d := range diffs {
						t.Errorf("at %s: built %s, State.Set %s", d.Path, d.Value1, d.Value2)
					}
					t.Fatal("the built state differs from State.Set's")
				}
			})
		}
	}
}

// TestStateValueReportsSchemaMismatch shows that a model and schema that disagree give an error,
// not a panic, so the read reports a bug instead of crashing the provider.
func TestStateValueReportsSchemaMismatch(t *testing.T) {
	ctx := context.Background()
	m := migrationJobStatusModel{SourceEndpoint: &endpointModel{}}
	wrong := tftypes.Object{AttributeTypes: map[string]tftypes.Type{"source_endpoint": tftypes.String}}
	if _, err := m.stateValue(ctx, wrong); err == nil {
		t.Fatal("want an error for a schema that does not fit the model")
	}
}

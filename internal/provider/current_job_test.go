package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/openmigrate/terraform-provider-dts/internal/dtsapi"
)

// TestEveryStageObjectHasItsFlags: need_upgrade and can_switch are read on every current-API stage
// object, null where the wire has no such key.
func TestEveryStageObjectHasItsFlags(t *testing.T) {
	stages := []string{"StructureInitializationStatus", "DataInitializationStatus", "DataSynchronizationStatus",
		"DataEtlStatus", "FullDataCheckStatus", "IncDataCheckStatus", "StructureDataCheckStatus"}
	attrs := []string{"structure_initialization_status", "data_initialization_status", "data_synchronization_status",
		"data_etl_status", "full_data_check_status", "incremental_data_check_status", "structure_data_check_status"}
	for i, stage := range stages {
		for _, tc := range []struct {
			body                   string
			needUpgrade, canSwitch any
		}{
			{`{"Status": "Migrating", "NeedUpgrade": true, "CanSwitch": "false"}`, true, false},
			{`{"Status": "Migrating", "NeedUpgrade": "false", "CanSwitch": true}`, false, true},
			{`{"Status": "Migrating"}`, nil, nil},
		} {
			job := decodeJSON[dtsapi.DtsJob](t, `{"`+stage+`": `+tc.body+`}`)
			var diags diag.Diagnostics
			values := jobStatusAttributes.values(&dtsapi.DtsJobRead{Job: job}, &location{}, &diags)
			var obj map[string]tftypes.Value
			if err := values[attrs[i]].As(&obj); err != nil || obj == nil || diags.HasError() {
				t.Fatalf("%s from %s: %v %v %v", attrs[i], tc.body, obj, err, diags)
			}
			want := map[string]any{"need_upgrade": tc.needUpgrade, "can_switch": tc.canSwitch}
			for name, w := range want {
				if got := obj[name]; !got.Equal(tftypes.NewValue(tftypes.Bool, w)) {
					t.Errorf("%s.%s from %s = %v, want %v", attrs[i], name, tc.body, got, w)
				}
			}
		}
	}
}

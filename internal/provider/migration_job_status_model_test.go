package provider

import (
	"context"
	"strings"
	"testing"
)

func TestAttributePathOfResponseFields(t *testing.T) {
	cases := map[string]string{
		"RequestId":                                    "request_id",
		"MigrationJobStatus":                           "migration_job_status",
		"MigrationObject":                              "migration_object",
		"MigrationMode.structureInitialization":        "migration_mode.structure_initialization",
		"MigrationMode.dataSynchronization":            "migration_mode.data_synchronization",
		"PrecheckStatus.Percent":                       "precheck_status.percent",
		"PrecheckStatus.Detail":                        "precheck_status.detail",
		"PrecheckStatus.Detail.CheckItem":              "precheck_status.detail",
		"PrecheckStatus.Detail.CheckItem[3]":           "precheck_status.detail[3]",
		"PrecheckStatus.Detail.CheckItem[12].ItemName": "precheck_status.detail[12].item_name",
		"StructureInitializationStatus.Progress":       "structure_initialization_status.progress",
		"DataInitializationStatus.ErrorMessage":        "data_initialization_status.error_message",
		"DataSynchronizationStatus.Delay":              "data_synchronization_status.delay",
		"DataSynchronizationStatus.Checkpoint":         "data_synchronization_status.checkpoint",
		"SourceEndpoint.IP":                            "source_endpoint.ip",
		"SourceEndpoint.InstanceId":                    "source_endpoint.instance_id",
		"DestinationEndpoint.oracleSID":                "destination_endpoint.oracle_sid",
		"DestinationEndpoint.Port":                     "destination_endpoint.port",
	}
	sch := migrationJobStatusSchema(context.Background())
	for field, want := range cases {
		p := attributePath(field)
		if p.String() != want {
			t.Errorf("attributePath(%q) = %s, want %s", field, p, want)
			continue
		}
		if strings.HasSuffix(want, "]") {
			p = p.ParentPath() // a list element is not an attribute of its own
		}
		if _, diags := sch.AttributeAtPath(context.Background(), p); diags.HasError() {
			t.Errorf("%s is not an attribute of the schema: %v", p, diags)
		}
	}
}

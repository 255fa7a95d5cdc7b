package provider

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/openmigrate/terraform-provider-dts/internal/fakedts"
)

const dataAddr = "data.dts_migration_job_status.test"

func expect(path tfjsonpath.Path, v knownvalue.Check) statecheck.StateCheck {
	return statecheck.ExpectKnownValue(dataAddr, path, v)
}

func attr(name string, more ...string) tfjsonpath.Path {
	p := tfjsonpath.New(name)
	for _, m := range more {
		p = p.AtMapKey(m)
	}
	return p
}

func str(s string) knownvalue.Check   { return knownvalue.StringExact(s) }
func num(n int64) knownvalue.Check    { return knownvalue.Int64Exact(n) }
func null() knownvalue.Check          { return knownvalue.Null() }
func boolean(b bool) knownvalue.Check { return knownvalue.Bool(b) }

func jobConfig(f *fakedts.Server, jobID, extra string) string {
	return providerConfig(f, "") + fmt.Sprintf(`
data "dts_migration_job_status" "test" {
  migration_job_id = %q
  %s
}
`, jobID, extra)
}

func endpointCheck(instanceID string) knownvalue.Check {
	return knownvalue.ObjectExact(map[string]knownvalue.Check{
		"database_name": null(), "engine_name": str("MySQL"), "ip": null(), "instance_id": str(instanceID),
		"instance_type": str("RDS"), "port": null(), "user_name": str("dtstest"), "oracle_sid": null(),
	})
}

func TestAccDocumentedSampleMapsIntoState(t *testing.T) {
	f := newFake(t)
	f.SetJob("dtsz2v12jfo309****", fakedts.Job{Steps: []fakedts.Step{{Body: json.RawMessage(fakedts.DocumentedSample)}}})

	items := []string{"CHECK_CONN_SRC", "CHECK_AUTH_SRC", "CHECK_CONN_DEST", "CHECK_AUTH_DEST", "CHECK_BINLOG_ON",
		"CHECK_BINLOG_MODE", "CHECK_BINLOG_ROW_IMAGE", "CHECK_SERVER_ID", "CHECK_BINLOG_EXIST", "CHECK_ENGINE",
		"CHECK_MYSQL_PASSOWRD_FORMAT", "CHECK_SRC", "CHECK_SQL_MODE", "CHECK_SAME_USER"}
	detail := make([]knownvalue.Check, 0, len(items))
	for _, name := range items {
		detail = append(detail, knownvalue.ObjectExact(map[string]knownvalue.Check{
			"check_status": str("Success"), "item_name": str(name), "error_message": null(), "repair_method": null(),
		}))
	}

	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testFactories,
		Steps: []resource.TestStep{{
			Config: jobConfig(f, "dtsz2v12jfo309****", ""),
			ConfigStateChecks: []statecheck.StateCheck{
				expect(attr("migration_job_id"), str("dtsz2v12jfo309****")),
				expect(attr("region_id"), str("cn-hangzhou")),
				expect(attr("request_id"), str("A032E3B4-929B-48E9-97B9-37587CBF****")),
				expect(attr("task_id"), str("z2v12jfo309****")),
				expect(attr("migration_job_name"), str("MySQL Migration")),
				expect(attr("migration_job_class"), str("2xlarge")),
				expect(attr("migration_job_status"), str("Migrating")),
				expect(attr("pay_type"), str("PostPaid")),
				expect(attr("migration_object"), null()),
				expect(attr("client_token"), null()),
				expect(attr("migration_mode"), knownvalue.ObjectExact(map[string]knownvalue.Check{
					"structure_initialization": boolean(true), "data_initialization": boolean(true), "data_synchronization": boolean(true),
				})),
				expect(attr("precheck_status", "status"), str("Finished")),
				expect(attr("precheck_status", "percent"), num(100)),
				expect(attr("precheck_status", "detail"), knownvalue.ListExact(detail)),
				expect(attr("structure_initialization_status"), knownvalue.ObjectExact(map[string]knownvalue.Check{
					"status": str("Finished"), "percent": num(100), "progress": num(1), "error_message": null(),
				})),
				expect(attr("data_initialization_status"), knownvalue.ObjectExact(map[string]knownvalue.Check{
					"status": str("Finished"), "percent": num(100), "progress": num(200001), "error_message": null(),
				})),
				expect(attr("data_synchronization_status"), knownvalue.ObjectExact(map[string]knownvalue.Check{
					"status": str("Catched"), "percent": num(95), "delay": num(0), "checkpoint": num(1612507847),
					"checkpoint_time": str("2021-02-05T06:50:47Z"), "error_message": null(),
				})),
				expect(attr("source_endpoint"), endpointCheck("rm-bp1i99e8l7913****")),
				expect(attr("destination_endpoint"), endpointCheck("rm-bp1zc3iyqe3qw****")),
			},
		}},
	})
}

func TestAccLooseWireTypes(t *testing.T) {
	f := newFake(t)
	f.SetJob("dts-loose", fakedts.Job{Steps: []fakedts.Step{{Body: json.RawMessage(`{
		"RequestId": "REQ-LOOSE", "Success": "true", "MigrationJobStatus": "Migrating", "SomeNewField": {"x": [1]},
		"MigrationObject": "[{\"DBName\":\"shop\"}]",
		"MigrationMode": {"structureInitialization": "true", "dataInitialization": false, "dataSynchronization": "false"},
		"PrecheckStatus": {"Status": "Finished", "Percent": 100,
			"Detail": {"CheckItem": {"CheckStatus": "Success", "ItemName": "CHECK_CONN_SRC"}}},
		"DataSynchronizationStatus": {"Status": "Migrating", "Percent": "7", "Delay": "", "Checkpoint": 1612507847},
		"SourceEndpoint": {"Port": 3306, "IP": "", "oracleSID": "orcl"},
		"DestinationEndpoint": {"Port": "5432"}
	}`)}}})

	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testFactories,
		Steps: []resource.TestStep{{
			Config: jobConfig(f, "dts-loose", ""),
			ConfigStateChecks: []statecheck.StateCheck{
				expect(attr("migration_object"), str(`[{"DBName":"shop"}]`)),
				expect(attr("migration_mode"), knownvalue.ObjectExact(map[string]knownvalue.Check{
					"structure_initialization": boolean(true), "data_initialization": boolean(false), "data_synchronization": boolean(false),
				})),
				expect(attr("precheck_status", "percent"), num(100)),
				expect(attr("precheck_status", "detail"), knownvalue.ListExact([]knownvalue.Check{knownvalue.ObjectExact(map[string]knownvalue.Check{
					"check_status": str("Success"), "item_name": str("CHECK_CONN_SRC"), "error_message": null(), "repair_method": null(),
				})})),
				expect(attr("data_synchronization_status"), knownvalue.ObjectExact(map[string]knownvalue.Check{
					"status": str("Migrating"), "percent": num(7), "delay": null(), "checkpoint": num(1612507847),
					"checkpoint_time": str("2021-02-05T06:50:47Z"), "error_message": null(),
				})),
				expect(attr("source_endpoint", "port"), num(3306)),
				expect(attr("source_endpoint", "ip"), null()),
				expect(attr("source_endpoint", "oracle_sid"), str("orcl")),
				expect(attr("destination_endpoint", "port"), num(5432)),
				expect(attr("structure_initialization_status"), null()),
				expect(attr("data_initialization_status"), null()),
			},
		}},
	})
}

func TestAccEmptyCheckItemListIsEmpty(t *testing.T) {
	f := newFake(t)
	f.SetJob("dts-empty", fakedts.Job{Steps: []fakedts.Step{{Body: json.RawMessage(
		`{"Success": true, "PrecheckStatus": {"Status": "Checking", "Detail": {"CheckItem": []}}}`)}}})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testFactories,
		Steps: []resource.TestStep{{
			Config: jobConfig(f, "dts-empty", ""),
			ConfigStateChecks: []statecheck.StateCheck{
				expect(attr("precheck_status", "detail"), knownvalue.ListSizeExact(0)),
				expect(attr("precheck_status", "percent"), null()),
				expect(attr("migration_job_status"), null()),
				expect(attr("migration_mode"), null()),
			},
		}},
	})
}

func TestAccClientTokenAndRegionAreSent(t *testing.T) {
	f := newFake(t)
	f.SetJob("dts-tokyo", fakedts.Job{Region: "ap-northeast-1", Steps: []fakedts.Step{{Body: fakedts.State{JobStatus: "Migrating"}.Body("dts-tokyo")}}})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testFactories,
		Steps: []resource.TestStep{{
			Config: jobConfig(f, "dts-tokyo", `region_id = "ap-northeast-1"
  client_token = "0c593ea1-3bea-11e9-b96b-88e9fe63"`),
			ConfigStateChecks: []statecheck.StateCheck{
				expect(attr("region_id"), str("ap-northeast-1")),
				expect(attr("migration_job_status"), str("Migrating")),
				expect(attr("client_token"), str("0c593ea1-3bea-11e9-b96b-88e9fe63")),
			},
			Check: func(*terraform.State) error {
				for _, r := range f.DescribeRequests() {
					if r.RegionID != "ap-northeast-1" || r.Params.Get("ClientToken") != "0c593ea1-3bea-11e9-b96b-88e9fe63" {
						return fmt.Errorf("request carried RegionId %q and ClientToken %q", r.RegionID, r.Params.Get("ClientToken"))
					}
				}
				if len(f.DescribeRequests()) == 0 {
					return fmt.Errorf("the fake saw no request")
				}
				return nil
			},
		}},
	})
}

func TestAccUnparsableValueIsNullWithWarning(t *testing.T) {
	f := newFake(t)
	f.SetJob("dts-odd", fakedts.Job{Steps: []fakedts.Step{{Body: json.RawMessage(
		`{"Success": true, "MigrationJobStatus": "Migrating", "DataSynchronizationStatus": {"Status": "Migrating", "Delay": "soon"}}`)}}})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testFactories,
		Steps: []resource.TestStep{{
			Config: jobConfig(f, "dts-odd", ""),
			ConfigStateChecks: []statecheck.StateCheck{
				expect(attr("data_synchronization_status", "delay"), null()),
				expect(attr("data_synchronization_status", "status"), str("Migrating")),
			},
		}},
	})
}

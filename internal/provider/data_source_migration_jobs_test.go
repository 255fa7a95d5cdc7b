package provider

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/openmigrate/terraform-provider-dts/internal/fakedts"
)

const migrationJobsAddr = "data.dts_migration_jobs.test"

func expectMigrationJobs(path tfjsonpath.Path, v knownvalue.Check) statecheck.StateCheck {
	return statecheck.ExpectKnownValue(migrationJobsAddr, path, v)
}

func migrationJobsConfig(f *fakedts.Server, args string) string {
	return providerConfig(f, "") + fmt.Sprintf(`
data "dts_migration_jobs" "test" {
  %s
}
`, args)
}

// legacyJobs defines n legacy jobs in cn-hangzhou, named and numbered from 0, and returns their IDs.
func legacyJobs(f *fakedts.Server, n int, prefix string) []string {
	ids := make([]string, n)
	for i := range ids {
		ids[i] = fmt.Sprintf("%s%04d", prefix, i)
		f.SetJob(ids[i], fakedts.Job{Region: "cn-hangzhou", Name: fmt.Sprintf("%s-%d", prefix, i)})
	}
	return ids
}

// legacyJobIn is a legacy job in cn-hangzhou whose listed status is status.
func legacyJobIn(name, status string, tags map[string]string) fakedts.Job {
	return fakedts.Job{Region: "cn-hangzhou", Name: name, Tags: tags,
		Steps: []fakedts.Step{{Body: fakedts.State{JobStatus: status}.Body("x")}}}
}

var legacyFilterParams = []string{"RegionId", "MigrationJobName", "Tag.1.Key", "Tag.1.Value", "Tag.2.Key", "Tag.2.Value", "Tag.3.Key", "Status", "Region", "JobType"}

func TestAccMigrationJobsPagesThroughEveryJob(t *testing.T) {
	f := newFake(t)
	ids := legacyJobs(f, 70, "dtslegacy")
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testFactories,
		Steps: []resource.TestStep{readStep(migrationJobsConfig(f, ""),
			expectMigrationJobs(tfjsonpath.New("ids"), strs(ids...)),
			expectMigrationJobs(tfjsonpath.New("jobs"), knownvalue.ListSizeExact(70)),
			expectMigrationJobs(jobAt(69, "migration_job_id"), str(ids[69])),
			expectMigrationJobs(jobAt(69, "migration_job_name"), str("dtslegacy-69")),
			expectMigrationJobs(jobAt(0, "migration_job_status"), str("NotStarted")),
			expectMigrationJobs(tfjsonpath.New("region_id"), str("cn-hangzhou")),
		)},
	})
	reqs := checkRequests(t, f, fakedts.ActionDescribeMigrationJobs, []int{1, 2, 3})
	for _, r := range reqs {
		if r.Params.Has("PageNumber") || r.Params.Get("PageNum") == "" {
			t.Fatalf("the page must travel as PageNum: %v", r.Params)
		}
	}
	sent(t, reqs, map[string]string{"RegionId": "cn-hangzhou"}, legacyFilterParams...)
}

func TestAccMigrationJobsFilters(t *testing.T) {
	f := newFake(t)
	prod := map[string]string{"env": "prod", "team": "data"}
	f.SetJob("dtsorders", legacyJobIn("Orders Migration", "Migrating", prod))
	f.SetJob("dtsorders2", legacyJobIn("orders migration 2", "Finished", prod))
	f.SetJob("dtsorders3", legacyJobIn("Orders Migration 3", "PrecheckFailed", prod))
	f.SetJob("dtsstaging", legacyJobIn("Orders Migration staging", "Migrating", map[string]string{"env": "staging", "team": "data"}))
	f.SetJob("dtsbilling", legacyJobIn("Billing Migration", "Migrating", prod))
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testFactories,
		Steps: []resource.TestStep{
			// The service matches the name and the tags.
			readStep(migrationJobsConfig(f, `
  name = "orders migration"
  tags = { team = "data", env = "prod" }
`),
				expectMigrationJobs(tfjsonpath.New("ids"), strs("dtsorders", "dtsorders2", "dtsorders3")),
				expectMigrationJobs(jobAt(0, "tags"), knownvalue.MapExact(map[string]knownvalue.Check{"env": str("prod"), "team": str("data")}))),
			// The provider matches name_regex and status.
			readStep(migrationJobsConfig(f, `
  name_regex = "^Orders Migration"
  status     = ["Migrating", "PrecheckFailed"]
`),
				expectMigrationJobs(tfjsonpath.New("ids"), strs("dtsorders", "dtsorders3", "dtsstaging"))),
			// Statuses match exactly, as spelled.
			readStep(migrationJobsConfig(f, `status = ["finished"]`),
				expectMigrationJobs(tfjsonpath.New("ids"), knownvalue.ListExact([]knownvalue.Check{}))),
		},
	})
	var serviceSide, clientSide []fakedts.Request
	for _, r := range f.RequestsFor(fakedts.ActionDescribeMigrationJobs) {
		if r.Params.Has("MigrationJobName") {
			serviceSide = append(serviceSide, r)
		} else {
			clientSide = append(clientSide, r)
		}
	}
	if len(serviceSide) == 0 || len(clientSide) == 0 {
		t.Fatalf("%d requests with the service's filters, %d without; want both", len(serviceSide), len(clientSide))
	}
	sent(t, serviceSide, map[string]string{
		"RegionId": "cn-hangzhou", "MigrationJobName": "orders migration",
		"Tag.1.Key": "env", "Tag.1.Value": "prod", "Tag.2.Key": "team", "Tag.2.Value": "data",
	}, legacyFilterParams...)
	sent(t, clientSide, map[string]string{"RegionId": "cn-hangzhou"}, legacyFilterParams...)
}

func TestAccMigrationJobsNoMatchIsAnEmptyList(t *testing.T) {
	f := newFake(t)
	empty := knownvalue.ListExact([]knownvalue.Check{})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testFactories,
		Steps: []resource.TestStep{readStep(migrationJobsConfig(f, `name = "nothing"`),
			expectMigrationJobs(tfjsonpath.New("ids"), empty), expectMigrationJobs(tfjsonpath.New("jobs"), empty))},
	})
	checkRequests(t, f, fakedts.ActionDescribeMigrationJobs, []int{1})
}

func legacyEndpoint(ip, instanceID, instanceType, database string) knownvalue.Check {
	return knownvalue.ObjectExact(map[string]knownvalue.Check{
		"database_name": str(database), "engine_name": str("MySQL"), "ip": str(ip), "instance_id": str(instanceID),
		"instance_type": str(instanceType), "port": num(3306), "user_name": str("dtstest"), "oracle_sid": null(),
	})
}

func TestAccMigrationJobsDocumentedSampleMapsIntoState(t *testing.T) {
	f := newFake(t)
	f.SetDocumentedMigrationJobs("cn-hangzhou")
	stage := func(status string, percent, progress int64) knownvalue.Check {
		return knownvalue.ObjectExact(map[string]knownvalue.Check{
			"status": str(status), "percent": num(percent), "progress": num(progress), "error_message": null(),
		})
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testFactories,
		Steps: []resource.TestStep{readStep(migrationJobsConfig(f, ""),
			expectMigrationJobs(tfjsonpath.New("ids"), strs("dtson2z28evm33****", "dtsz2v12jfo309****")),
			expectMigrationJobs(jobAt(0, "migration_job_id"), str("dtson2z28evm33****")),
			expectMigrationJobs(jobAt(0, "migration_job_name"), str("MySQL Migration")),
			expectMigrationJobs(jobAt(0, "migration_job_status"), str("Migrating")),
			expectMigrationJobs(jobAt(0, "migration_job_class"), str("medium")),
			expectMigrationJobs(jobAt(0, "pay_type"), str("PostPaid")),
			expectMigrationJobs(jobAt(0, "instance_create_time"), str("2021-06-22T08:50:02Z")),
			expectMigrationJobs(jobAt(0, "job_create_time"), str("2021-06-22T08:53:55Z")),
			expectMigrationJobs(jobAt(0, "migration_object"), str(`{"SynchronousObject":[{"DatabaseName":"dtstestdata",`+
				`"WholeDatabase":"false","TableList":{"Table":["customer","orders"]}}]}`)),
			expectMigrationJobs(jobAt(0, "tags"), knownvalue.MapExact(map[string]knownvalue.Check{"testkey1": str("testvalue1")})),
			expectMigrationJobs(jobAt(0, "migration_mode"), knownvalue.ObjectExact(map[string]knownvalue.Check{
				"structure_initialization": boolean(true), "data_initialization": boolean(true), "data_synchronization": boolean(true),
			})),
			expectMigrationJobs(jobAt(0, "precheck"), knownvalue.ObjectExact(map[string]knownvalue.Check{
				"status": str("Success"), "percent": num(100),
			})),
			// The sample spells these objects' status key in lower case.
			expectMigrationJobs(jobAt(0, "structure_initialization"), stage("Finished", 100, 2)),
			expectMigrationJobs(jobAt(0, "data_initialization"), stage("Finished", 100, 200001)),
			expectMigrationJobs(jobAt(0, "data_synchronization"), knownvalue.ObjectExact(map[string]knownvalue.Check{
				"status": str("Catched"), "percent": num(95), "delay": num(0), "error_message": null(),
			})),
			expectMigrationJobs(jobAt(0, "source_endpoint"), legacyEndpoint("172.16.88.***", "rm-bp1i99e8l7913****", "RDS", "dtstestdata")),
			expectMigrationJobs(jobAt(0, "destination_endpoint"), legacyEndpoint("172.16.89.***", "rm-bp1zc3iyqe3qw****", "RDS", "dtstestdata")),
			expectMigrationJobs(jobAt(1, "migration_job_status"), str("PrecheckFailed")),
			expectMigrationJobs(jobAt(1, "tags"), knownvalue.MapExact(map[string]knownvalue.Check{})),
			expectMigrationJobs(jobAt(1, "precheck", "status"), str("Failed")),
			expectMigrationJobs(jobAt(1, "migration_mode", "data_synchronization"), boolean(false)),
			expectMigrationJobs(jobAt(1, "structure_initialization"), knownvalue.ObjectExact(map[string]knownvalue.Check{
				"status": str("NotStarted"), "percent": num(0), "progress": num(0), "error_message": null(),
			})),
			expectMigrationJobs(jobAt(1, "source_endpoint"), legacyEndpoint("172.16.20.***", "i-bp1bq0iu5vhw6****", "ECS", "shop")),
		)},
	})
}

func TestAccMigrationJobsUpperCaseStatusKeys(t *testing.T) {
	f := newFake(t)
	f.SetJob("dtsupper", fakedts.Job{Region: "cn-hangzhou", Steps: []fakedts.Step{{Item: json.RawMessage(`{
		"MigrationJobID": "dtsupper", "MigrationJobStatus": "Migrating",
		"Precheck": {"Status": "Success", "Percent": 100},
		"StructureInitialization": {"Status": "Finished", "Percent": "100", "Progress": 4},
		"DataInitialization": {"Status": "Migrating", "Percent": "40", "Progress": "1200"},
		"DataSynchronization": {"Status": "NotStarted", "Percent": "0"},
		"MigrationObject": "[{\"DBName\":\"shop\"}]",
		"Tags": {"Tag": {"Key": "env", "Value": "prod"}}
	}`)}}})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testFactories,
		Steps: []resource.TestStep{readStep(migrationJobsConfig(f, ""),
			expectMigrationJobs(jobAt(0, "structure_initialization"), knownvalue.ObjectExact(map[string]knownvalue.Check{
				"status": str("Finished"), "percent": num(100), "progress": num(4), "error_message": null(),
			})),
			expectMigrationJobs(jobAt(0, "data_initialization", "status"), str("Migrating")),
			expectMigrationJobs(jobAt(0, "data_initialization", "progress"), num(1200)),
			expectMigrationJobs(jobAt(0, "data_synchronization"), knownvalue.ObjectExact(map[string]knownvalue.Check{
				"status": str("NotStarted"), "percent": num(0), "delay": null(), "error_message": null(),
			})),
			// Sent as text, the status call's way, it is kept as sent.
			expectMigrationJobs(jobAt(0, "migration_object"), str(`[{"DBName":"shop"}]`)),
			// A single tag object instead of a list.
			expectMigrationJobs(jobAt(0, "tags"), knownvalue.MapExact(map[string]knownvalue.Check{"env": str("prod")})),
			expectMigrationJobs(jobAt(0, "source_endpoint"), null()),
			expectMigrationJobs(jobAt(0, "migration_mode"), null()),
		)},
	})
}

func TestAccMigrationJobsFailingPageIsNamed(t *testing.T) {
	f := newFake(t)
	legacyJobs(f, 70, "dtslegacy")
	f.OnPage(fakedts.ActionDescribeMigrationJobs, 2, func() {
		f.QueueFaults(fakedts.Fault{Code: "InternalError", DTSShape: true, Message: "The request processing has failed due to some unknown error."})
	})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testFactories,
		Steps: []resource.TestStep{{
			Config: providerConfig(f, withRetries(0)) + `
data "dts_migration_jobs" "test" {
  name = "dtslegacy"
}
`,
			ExpectError: re(`(?s)DTS API error: InternalError.*DescribeMigrationJobs for page 3 of the listing of migration ` +
				`jobs with name = "dtslegacy" in region cn-hangzhou .*failed.*The service answered: InternalError`),
		}},
	})
}

package provider

import (
	"fmt"
	"strings"

	"github.com/openmigrate/terraform-provider-dts/internal/dtsapi"
	"github.com/openmigrate/terraform-provider-dts/internal/wait"
)

// The shapes that both API families share, declared once: descriptions of stages, endpoints,
// migration modes, checkpoints and tags. What one family's jobs share is in legacy_job.go and
// current_job.go.

// statusDescription describes a stage's status attribute with the statuses the family documents.
func statusDescription(table wait.Table, stage wait.Stage, what string) string {
	return fmt.Sprintf("Status of %s. Documented values: %s. Values the documentation omits are kept as the API sends them.",
		what, statusList(table, stage))
}

// statusList is the statuses the family documents for a stage, quoted as code.
func statusList(table wait.Table, stage wait.Stage) string {
	info, _ := table.Lookup(string(stage))
	quoted := make([]string, len(info.Documented))
	for i, s := range info.Documented {
		quoted[i] = "`" + s + "`"
	}
	return strings.Join(quoted, ", ")
}

func percentDescription(what string) string {
	return fmt.Sprintf("Progress of %s, in percent (0 to 100).", what)
}

func errorDescription(what string) string {
	return fmt.Sprintf("Error message of %s; set when it failed.", what)
}

// requestIDAttr declares request_id, the ID of the answer the state was read from.
func requestIDAttr[S any](get func(*S) dtsapi.String) attribute[S] {
	return stringAttr("request_id", "ID of the API request that produced this state; quote it to Alibaba Cloud support.", get)
}

// endpointShape is a source or destination database as every call reports it.
func endpointShape(which string) object[dtsapi.Endpoint] {
	type e = dtsapi.Endpoint
	return newObject(
		stringAttr("database_name", fmt.Sprintf("Name of the %s database that holds the migrated objects.", which), func(e *e) dtsapi.String { return e.DatabaseName }),
		stringAttr("engine_name", fmt.Sprintf("Database engine of the %s, such as `MySQL`.", which), func(e *e) dtsapi.String { return e.EngineName }),
		stringAttr("ip", fmt.Sprintf("Address of the %s database.", which), func(e *e) dtsapi.String { return e.IP }),
		stringAttr("instance_id", fmt.Sprintf("ID of the %s instance, such as `rm-bp1i99e8l7913****`.", which), func(e *e) dtsapi.String { return e.InstanceID }),
		stringAttr("instance_type", fmt.Sprintf("Instance type of the %s, such as `RDS`.", which), func(e *e) dtsapi.String { return e.InstanceType }),
		int64Attr("port", fmt.Sprintf("Port of the %s database.", which), func(e *e) dtsapi.Int { return e.Port }),
		stringAttr("user_name", fmt.Sprintf("Database account DTS uses on the %s.", which), func(e *e) dtsapi.String { return e.UserName }),
		stringAttr("oracle_sid", fmt.Sprintf("System ID (SID) of the %s database; set for Oracle only.", which), func(e *e) dtsapi.String { return e.OracleSID }),
	)
}

// currentEndpointShape adds what the current API reports of an endpoint.
func currentEndpointShape(which string) object[dtsapi.Endpoint] {
	type e = dtsapi.Endpoint
	return newObject(
		endpointShape(which),
		stringAttr("region", fmt.Sprintf("Region of the %s database.", which), func(e *e) dtsapi.String { return e.Region }),
		stringAttr("ssl_solution", fmt.Sprintf("How DTS encrypts the connection to the %s (`SslSolutionEnum`), such as `DISABLE`.", which),
			func(e *e) dtsapi.String { return e.SslSolutionEnum }),
	)
}

// endpointAttrs declares source_endpoint and destination_endpoint, each of the given shape.
func endpointAttrs[S any](desc string, source, destination func(*S) dtsapi.Object[dtsapi.Endpoint], shape func(string) object[dtsapi.Endpoint]) group[S] {
	return group[S]{
		objectAttr("source_endpoint", "Connection settings of the source database. "+desc, source, shape("source")),
		objectAttr("destination_endpoint", "Connection settings of the destination database. "+desc, destination, shape("destination")),
	}
}

// legacyModeShape is the legacy calls' migration mode: three stages.
var legacyModeShape = newObject(
	boolAttr("structure_initialization", "Whether the job migrates schemas.", func(m *dtsapi.MigrationMode) dtsapi.Bool { return m.StructureInitialization }),
	boolAttr("data_initialization", "Whether the job migrates the full data.", func(m *dtsapi.MigrationMode) dtsapi.Bool { return m.DataInitialization }),
	boolAttr("data_synchronization", "Whether the job migrates incremental changes.", func(m *dtsapi.MigrationMode) dtsapi.Bool { return m.DataSynchronization }),
)

// currentModeShape is the current API's migration mode: the legacy three and three data checks.
var currentModeShape = newObject(
	legacyModeShape,
	boolAttr("full_data_check", "Whether the job verifies the full data.", func(m *dtsapi.MigrationMode) dtsapi.Bool { return m.FullDataCheck }),
	boolAttr("incremental_data_check", "Whether the job verifies incremental data.", func(m *dtsapi.MigrationMode) dtsapi.Bool { return m.IncDataCheck }),
	boolAttr("structure_data_check", "Whether the job verifies schemas.", func(m *dtsapi.MigrationMode) dtsapi.Bool { return m.StructureDataCheck }),
)

const modeDescription = "Which stages the job runs. Null when the API returns none."

// checkpointAttrs are a Unix-seconds checkpoint and its RFC 3339 rendering.
func checkpointAttrs[S any](get func(*S) dtsapi.Int) group[S] {
	return group[S]{
		int64Attr("checkpoint", "Unix time, in seconds, of the latest change applied to the destination.", get),
		unixTimeAttr("checkpoint_time", "`checkpoint` as an RFC 3339 UTC timestamp, such as `2021-02-05T06:50:47Z`.", get),
	}
}

// tagsAttr declares a job's tags as a map.
func tagsAttr[S any, T dtsapi.ListElement](get func(*S) dtsapi.List[T], kv func(*T) (k, v dtsapi.String)) attribute[S] {
	return mapAttr("tags", "Tags of the job, key to value. Null when the API returns none.", get, kv)
}

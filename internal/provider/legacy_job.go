package provider

import (
	"fmt"

	"github.com/openmigrate/terraform-provider-dts/internal/dtsapi"
	"github.com/openmigrate/terraform-provider-dts/internal/wait"
	"github.com/openmigrate/terraform-provider-dts/internal/wait/family"
)

// What a legacy migration job shows, declared once for the two data sources that read one:
// dts_migration_job_status (DescribeMigrationJobStatus) and each job of dts_migration_jobs
// (DescribeMigrationJobs).

// legacyJobHeader is what both legacy calls say of a job under the same keys.
var legacyJobHeader = newObject(
	stringAttr("migration_job_status", statusDescription(family.Legacy.Table, wait.StageJob, "the whole job"),
		func(h *dtsapi.MigrationJobHeader) dtsapi.String { return h.MigrationJobStatus }),
	stringAttr("migration_job_name", "Name of the migration job.", func(h *dtsapi.MigrationJobHeader) dtsapi.String { return h.MigrationJobName }),
	stringAttr("migration_job_class", "Instance class of the job: `small`, `medium`, `large`, `xlarge` or `2xlarge`.",
		func(h *dtsapi.MigrationJobHeader) dtsapi.String { return h.MigrationJobClass }),
	stringAttr("pay_type", "Billing method, such as `PostPaid`.", func(h *dtsapi.MigrationJobHeader) dtsapi.String { return h.PayType }),
	stringAttr("migration_object", "The migrated objects, as JSON text (an object the API sends is kept as its compact text); decode it with `jsondecode()`.",
		func(h *dtsapi.MigrationJobHeader) dtsapi.String { return h.MigrationObject.String }),
	objectAttr("migration_mode", modeDescription, func(h *dtsapi.MigrationJobHeader) dtsapi.Object[dtsapi.MigrationMode] { return h.MigrationMode }, legacyModeShape),
	endpointAttrs("Null when the API returns none.",
		func(h *dtsapi.MigrationJobHeader) dtsapi.Object[dtsapi.Endpoint] { return h.SourceEndpoint },
		func(h *dtsapi.MigrationJobHeader) dtsapi.Object[dtsapi.Endpoint] { return h.DestinationEndpoint }, endpointShape),
)

// legacyInitializationShape is a legacy job's schema or full data migration; progress counts unit.
func legacyInitializationShape(stage wait.Stage, what, unit string) object[dtsapi.InitializationStatus] {
	type s = dtsapi.InitializationStatus
	return newObject(
		stringAttr("status", statusDescription(family.Legacy.Table, stage, what), func(s *s) dtsapi.String { return s.Status }),
		int64Attr("percent", percentDescription(what), func(s *s) dtsapi.Int { return s.Percent }),
		int64Attr("progress", fmt.Sprintf("Number of %s migrated so far.", unit), func(s *s) dtsapi.Int { return s.Progress }),
		stringAttr("error_message", errorDescription(what), func(s *s) dtsapi.String { return s.ErrorMessage }),
	)
}

const incrementalMigration = "incremental data migration"

// legacySyncShape is a legacy job's incremental migration as DescribeMigrationJobs lists it; the
// status call adds the checkpoint.
var legacySyncShape = newObject(
	stringAttr("status", statusDescription(family.Legacy.Table, wait.StageDataSynchronization, incrementalMigration),
		func(s *dtsapi.DataSynchronizationStatus) dtsapi.String { return s.Status }),
	int64Attr("percent", percentDescription(incrementalMigration), func(s *dtsapi.DataSynchronizationStatus) dtsapi.Int { return s.Percent }),
	int64Attr("delay", "Replication delay in seconds: how far the destination is behind the source. Null when the API sends none.",
		func(s *dtsapi.DataSynchronizationStatus) dtsapi.Int { return s.Delay }),
	stringAttr("error_message", errorDescription(incrementalMigration), func(s *dtsapi.DataSynchronizationStatus) dtsapi.String { return s.ErrorMessage }),
)

// legacySyncStatusShape is the status call's incremental migration: the listed one and its checkpoint.
var legacySyncStatusShape = newObject(
	legacySyncShape,
	checkpointAttrs(func(s *dtsapi.DataSynchronizationStatus) dtsapi.Int { return s.Checkpoint }),
)

var legacyPrecheckPercent = int64Attr("percent", percentDescription("the precheck"), func(p *dtsapi.MigrationPrecheck) dtsapi.Int { return p.Percent })

// legacyPrecheckShape is a legacy job's precheck summary, as DescribeMigrationJobs lists it.
var legacyPrecheckShape = newObject(
	stringAttr("status", "Status of the precheck. DescribeMigrationJobs documents `Success` and `Failed`; values the documentation omits are kept as the API sends them.",
		func(p *dtsapi.MigrationPrecheck) dtsapi.String { return p.Status }),
	legacyPrecheckPercent,
)

// legacyPrecheckStatusShape is the status call's precheck: documented statuses, and the items.
var legacyPrecheckStatusShape = newObject(
	stringAttr("status", statusDescription(family.Legacy.Table, wait.StagePrecheck, "the precheck"),
		func(p *dtsapi.MigrationPrecheck) dtsapi.String { return p.Status }),
	legacyPrecheckPercent,
	listAttr("detail", "Result of each precheck item; an empty list when the API lists none.",
		func(p *dtsapi.MigrationPrecheck) dtsapi.List[dtsapi.MigrationCheckItem] { return p.Detail }, legacyCheckItemShape),
)

// legacyCheckItemShape is one item of a legacy precheck.
var legacyCheckItemShape = newObject(
	stringAttr("check_status", "Result of the item, such as `Success` or `Failed`.", func(c *dtsapi.MigrationCheckItem) dtsapi.String { return c.CheckStatus }),
	stringAttr("item_name", "Name of the item, such as `CHECK_CONN_SRC`.", func(c *dtsapi.MigrationCheckItem) dtsapi.String { return c.ItemName }),
	stringAttr("error_message", "Why the item failed; set for failed items.", func(c *dtsapi.MigrationCheckItem) dtsapi.String { return c.ErrorMessage }),
	stringAttr("repair_method", "How to fix the failure; set for failed items.", func(c *dtsapi.MigrationCheckItem) dtsapi.String { return c.RepairMethod }),
)

package provider

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/openmigrate/terraform-provider-dts/internal/dtsapi"
)

type migrationJobStatusModel struct {
	MigrationJobID                types.String                    `tfsdk:"migration_job_id"`
	RegionID                      types.String                    `tfsdk:"region_id"`
	ClientToken                   types.String                    `tfsdk:"client_token"`
	AccountID                     types.String                    `tfsdk:"account_id"`
	Timeouts                      timeouts.Value                  `tfsdk:"timeouts"`
	WaitFor                       *waitForModel                   `tfsdk:"wait_for"`
	RequestID                     types.String                    `tfsdk:"request_id"`
	TaskID                        types.String                    `tfsdk:"task_id"`
	MigrationJobName              types.String                    `tfsdk:"migration_job_name"`
	MigrationJobClass             types.String                    `tfsdk:"migration_job_class"`
	MigrationJobStatus            types.String                    `tfsdk:"migration_job_status"`
	PayType                       types.String                    `tfsdk:"pay_type"`
	MigrationObject               types.String                    `tfsdk:"migration_object"`
	MigrationMode                 *migrationModeModel             `tfsdk:"migration_mode"`
	PrecheckStatus                *precheckStatusModel            `tfsdk:"precheck_status"`
	StructureInitializationStatus *initializationStatusModel      `tfsdk:"structure_initialization_status"`
	DataInitializationStatus      *initializationStatusModel      `tfsdk:"data_initialization_status"`
	DataSynchronizationStatus     *dataSynchronizationStatusModel `tfsdk:"data_synchronization_status"`
	SourceEndpoint                *endpointModel                  `tfsdk:"source_endpoint"`
	DestinationEndpoint           *endpointModel                  `tfsdk:"destination_endpoint"`
}

type migrationModeModel struct {
	StructureInitialization types.Bool `tfsdk:"structure_initialization"`
	DataInitialization      types.Bool `tfsdk:"data_initialization"`
	DataSynchronization     types.Bool `tfsdk:"data_synchronization"`
}

type precheckStatusModel struct {
	Status  types.String     `tfsdk:"status"`
	Percent types.Int64      `tfsdk:"percent"`
	Detail  []checkItemModel `tfsdk:"detail"`
}

type checkItemModel struct {
	CheckStatus  types.String `tfsdk:"check_status"`
	ItemName     types.String `tfsdk:"item_name"`
	ErrorMessage types.String `tfsdk:"error_message"`
	RepairMethod types.String `tfsdk:"repair_method"`
}

type initializationStatusModel struct {
	Status       types.String `tfsdk:"status"`
	Percent      types.Int64  `tfsdk:"percent"`
	Progress     types.Int64  `tfsdk:"progress"`
	ErrorMessage types.String `tfsdk:"error_message"`
}

type dataSynchronizationStatusModel struct {
	Status         types.String `tfsdk:"status"`
	Percent        types.Int64  `tfsdk:"percent"`
	Delay          types.Int64  `tfsdk:"delay"`
	Checkpoint     types.Int64  `tfsdk:"checkpoint"`
	CheckpointTime types.String `tfsdk:"checkpoint_time"`
	ErrorMessage   types.String `tfsdk:"error_message"`
}

type endpointModel struct {
	DatabaseName types.String `tfsdk:"database_name"`
	EngineName   types.String `tfsdk:"engine_name"`
	IP           types.String `tfsdk:"ip"`
	InstanceID   types.String `tfsdk:"instance_id"`
	InstanceType types.String `tfsdk:"instance_type"`
	Port         types.Int64  `tfsdk:"port"`
	UserName     types.String `tfsdk:"user_name"`
	OracleSID    types.String `tfsdk:"oracle_sid"`
}

// readArguments reads only the arguments from the configuration: Config.Get would reflect over
// every computed attribute too, all null in a configuration, which costs more than the read's own work.
func (m *migrationJobStatusModel) readArguments(ctx context.Context, config tfsdk.Config) diag.Diagnostics {
	var diags diag.Diagnostics
	for name, target := range map[string]any{
		"migration_job_id": &m.MigrationJobID,
		"region_id":        &m.RegionID,
		"client_token":     &m.ClientToken,
		"account_id":       &m.AccountID,
		"timeouts":         &m.Timeouts,
		"wait_for":         &m.WaitFor,
	} {
		diags.Append(config.GetAttribute(ctx, path.Root(name), target)...)
	}
	return diags
}

func stringValue(p *string) types.String { return types.StringPointerValue(p) }
func int64Value(p *int64) types.Int64    { return types.Int64PointerValue(p) }
func boolValue(p *bool) types.Bool       { return types.BoolPointerValue(p) }

// fill sets every computed attribute from a response; what the response lacks becomes null.
func (m *migrationJobStatusModel) fill(s *dtsapi.MigrationJobStatus) {
	m.RequestID = stringValue(s.RequestID)
	m.TaskID = stringValue(s.TaskID)
	m.MigrationJobName = stringValue(s.MigrationJobName)
	m.MigrationJobClass = stringValue(s.MigrationJobClass)
	m.MigrationJobStatus = stringValue(s.MigrationJobStatus)
	m.PayType = stringValue(s.PayType)
	m.MigrationObject = stringValue(s.MigrationObject)

	m.MigrationMode = nil
	if mm := s.MigrationMode; mm != nil {
		m.MigrationMode = &migrationModeModel{
			StructureInitialization: boolValue(mm.StructureInitialization),
			DataInitialization:      boolValue(mm.DataInitialization),
			DataSynchronization:     boolValue(mm.DataSynchronization),
		}
	}
	m.PrecheckStatus = nil
	if p := s.PrecheckStatus; p != nil {
		m.PrecheckStatus = &precheckStatusModel{Status: stringValue(p.Status), Percent: int64Value(p.Percent)}
		if p.Detail != nil {
			m.PrecheckStatus.Detail = make([]checkItemModel, len(p.Detail))
			for i, it := range p.Detail {
				m.PrecheckStatus.Detail[i] = checkItemModel{
					CheckStatus:  stringValue(it.CheckStatus),
					ItemName:     stringValue(it.ItemName),
					ErrorMessage: stringValue(it.ErrorMessage),
					RepairMethod: stringValue(it.RepairMethod),
				}
			}
		}
	}
	m.StructureInitializationStatus = initializationValue(s.StructureInitializationStatus)
	m.DataInitializationStatus = initializationValue(s.DataInitializationStatus)
	m.DataSynchronizationStatus = nil
	if d := s.DataSynchronizationStatus; d != nil {
		m.DataSynchronizationStatus = &dataSynchronizationStatusModel{
			Status:         stringValue(d.Status),
			Percent:        int64Value(d.Percent),
			Delay:          int64Value(d.Delay),
			Checkpoint:     int64Value(d.Checkpoint),
			CheckpointTime: types.StringNull(),
			ErrorMessage:   stringValue(d.ErrorMessage),
		}
		if d.Checkpoint != nil {
			m.DataSynchronizationStatus.CheckpointTime = types.StringValue(time.Unix(*d.Checkpoint, 0).UTC().Format(time.RFC3339))
		}
	}
	m.SourceEndpoint = endpointValue(s.SourceEndpoint)
	m.DestinationEndpoint = endpointValue(s.DestinationEndpoint)
}

func initializationValue(s *dtsapi.InitializationStatus) *initializationStatusModel {
	if s == nil {
		return nil
	}
	return &initializationStatusModel{
		Status:       stringValue(s.Status),
		Percent:      int64Value(s.Percent),
		Progress:     int64Value(s.Progress),
		ErrorMessage: stringValue(s.ErrorMessage),
	}
}

func endpointValue(e *dtsapi.Endpoint) *endpointModel {
	if e == nil {
		return nil
	}
	return &endpointModel{
		DatabaseName: stringValue(e.DatabaseName),
		EngineName:   stringValue(e.EngineName),
		IP:           stringValue(e.IP),
		InstanceID:   stringValue(e.InstanceID),
		InstanceType: stringValue(e.InstanceType),
		Port:         int64Value(e.Port),
		UserName:     stringValue(e.UserName),
		OracleSID:    stringValue(e.OracleSID),
	}
}

// decodeWarnings turns the decoder's warnings into attribute warnings that name the value sent.
func decodeWarnings(warnings []dtsapi.DecodeWarning) diag.Diagnostics {
	var diags diag.Diagnostics
	for _, w := range warnings {
		p := attributePath(w.Field)
		diags.AddAttributeWarning(p, "Unparsable value in the DTS response",
			fmt.Sprintf("The API returned %s for %s, which is not a valid %s; %s is null in this read. "+
				"The rest of the response was read as usual. If this persists, please report it with the request ID.",
				w.Raw, w.Field, w.Want, p))
	}
	return diags
}

// attributePath maps a response field path such as "PrecheckStatus.Detail.CheckItem[2].ItemName"
// to its attribute, precheck_status.detail[2].item_name.
func attributePath(field string) path.Path {
	var p path.Path
	for i, seg := range strings.Split(field, ".") {
		name, index, hasIndex := strings.Cut(seg, "[")
		if name != "CheckItem" {
			if i == 0 {
				p = path.Root(snakeCase(name))
			} else {
				p = p.AtName(snakeCase(name))
			}
		}
		if hasIndex {
			if n, err := strconv.Atoi(strings.TrimSuffix(index, "]")); err == nil {
				p = p.AtListIndex(n)
			}
		}
	}
	return p
}

// snakeCase turns a response field name into an attribute name: MigrationJobId → migration_job_id,
// oracleSID → oracle_sid, IP → ip.
func snakeCase(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		isUpper := 'A' <= c && c <= 'Z'
		if isUpper && i > 0 {
			prev := s[i-1]
			prevLower := 'a' <= prev && prev <= 'z' || '0' <= prev && prev <= '9'
			nextLower := i+1 < len(s) && 'a' <= s[i+1] && s[i+1] <= 'z'
			if prevLower || ('A' <= prev && prev <= 'Z' && nextLower) {
				b.WriteByte('_')
			}
		}
		if isUpper {
			c += 'a' - 'A'
		}
		b.WriteByte(c)
	}
	return b.String()
}

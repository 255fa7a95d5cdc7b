package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// stateValue is the model as the data source's state value, built field by field. State.Set would
// do the same by reflection, but the framework compiles a regular expression for every struct field
// it visits (terraform-plugin-framework issue 725), about 110 per read here: that made mapping a
// response cost more than a millisecond and ten thousand allocations.
func (m *migrationJobStatusModel) stateValue(ctx context.Context, t tftypes.Type) (tftypes.Value, error) {
	b := stateBuilder{ctx: ctx}
	v := b.object(t, true, func(t tftypes.Object) map[string]tftypes.Value {
		return map[string]tftypes.Value{
			"migration_job_id":     b.attr(m.MigrationJobID),
			"region_id":            b.attr(m.RegionID),
			"client_token":         b.attr(m.ClientToken),
			"account_id":           b.attr(m.AccountID),
			"timeouts":             b.attr(m.Timeouts),
			"wait_for":             b.waitFor(t.AttributeTypes["wait_for"], m.WaitFor),
			"request_id":           b.attr(m.RequestID),
			"task_id":              b.attr(m.TaskID),
			"migration_job_name":   b.attr(m.MigrationJobName),
			"migration_job_class":  b.attr(m.MigrationJobClass),
			"migration_job_status": b.attr(m.MigrationJobStatus),
			"pay_type":             b.attr(m.PayType),
			"migration_object":     b.attr(m.MigrationObject),
			"migration_mode":       b.migrationMode(t.AttributeTypes["migration_mode"], m.MigrationMode),
			"precheck_status":      b.precheckStatus(t.AttributeTypes["precheck_status"], m.PrecheckStatus),
			"structure_initialization_status": b.initializationStatus(
				t.AttributeTypes["structure_initialization_status"], m.StructureInitializationStatus),
			"data_initialization_status": b.initializationStatus(
				t.AttributeTypes["data_initialization_status"], m.DataInitializationStatus),
			"data_synchronization_status": b.dataSynchronizationStatus(
				t.AttributeTypes["data_synchronization_status"], m.DataSynchronizationStatus),
			"source_endpoint":      b.endpoint(t.AttributeTypes["source_endpoint"], m.SourceEndpoint),
			"destination_endpoint": b.endpoint(t.AttributeTypes["destination_endpoint"], m.DestinationEndpoint),
		}
	})
	return v, b.err
}

// stateBuilder converts model values, keeping the first error so the code above reads as a table.
type stateBuilder struct {
	ctx context.Context
	err error
}

func (b *stateBuilder) fail(err error) {
	if b.err == nil {
		b.err = err
	}
}

// terraformValuer is what every framework value (types.String, types.Object, ...) implements.
type terraformValuer interface {
	ToTerraformValue(context.Context) (tftypes.Value, error)
}

func (b *stateBuilder) attr(v terraformValuer) tftypes.Value {
	tv, err := v.ToTerraformValue(b.ctx)
	if err != nil {
		b.fail(err)
	}
	return tv
}

// object builds a value of the object type t, null unless present; attrs gives its attributes.
func (b *stateBuilder) object(t tftypes.Type, present bool, attrs func(tftypes.Object) map[string]tftypes.Value) tftypes.Value {
	ot, ok := t.(tftypes.Object)
	if !ok {
		b.fail(fmt.Errorf("the schema gives %s where the model has an object", t))
		return tftypes.NewValue(tftypes.DynamicPseudoType, nil)
	}
	if !present {
		return tftypes.NewValue(ot, nil)
	}
	vals := attrs(ot)
	// NewValue panics on a value that does not fit its type; a mismatch is a bug to report instead.
	if err := tftypes.ValidateValue(ot, vals); err != nil {
		b.fail(err)
		return tftypes.NewValue(ot, nil)
	}
	return tftypes.NewValue(ot, vals)
}

func (b *stateBuilder) waitFor(t tftypes.Type, w *waitForModel) tftypes.Value {
	return b.object(t, w != nil, func(tftypes.Object) map[string]tftypes.Value {
		return map[string]tftypes.Value{
			"stage":             b.attr(w.Stage),
			"status":            b.attr(w.Status),
			"max_delay_seconds": b.attr(w.MaxDelaySeconds),
			"poll_interval":     b.attr(w.PollInterval),
		}
	})
}

func (b *stateBuilder) migrationMode(t tftypes.Type, mm *migrationModeModel) tftypes.Value {
	return b.object(t, mm != nil, func(tftypes.Object) map[string]tftypes.Value {
		return map[string]tftypes.Value{
			"structure_initialization": b.attr(mm.StructureInitialization),
			"data_initialization":      b.attr(mm.DataInitialization),
			"data_synchronization":     b.attr(mm.DataSynchronization),
		}
	})
}

func (b *stateBuilder) precheckStatus(t tftypes.Type, p *precheckStatusModel) tftypes.Value {
	return b.object(t, p != nil, func(t tftypes.Object) map[string]tftypes.Value {
		return map[string]tftypes.Value{
			"status":  b.attr(p.Status),
			"percent": b.attr(p.Percent),
			"detail":  b.checkItems(t.AttributeTypes["detail"], p.Detail),
		}
	})
}

// checkItems is the detail list: null for a nil slice, as State.Set makes it, else one object per item.
func (b *stateBuilder) checkItems(t tftypes.Type, items []checkItemModel) tftypes.Value {
	lt, ok := t.(tftypes.List)
	if !ok {
		b.fail(fmt.Errorf("the schema gives %s where the model has a list", t))
		return tftypes.NewValue(tftypes.DynamicPseudoType, nil)
	}
	if items == nil {
		return tftypes.NewValue(lt, nil)
	}
	elems := make([]tftypes.Value, len(items))
	for i := range items {
		it := &items[i]
		elems[i] = b.object(lt.ElementType, true, func(tftypes.Object) map[string]tftypes.Value {
			return map[string]tftypes.Value{
				"check_status":  b.attr(it.CheckStatus),
				"item_name":     b.attr(it.ItemName),
				"error_message": b.attr(it.ErrorMessage),
				"repair_method": b.attr(it.RepairMethod),
			}
		})
	}
	return tftypes.NewValue(lt, elems)
}

func (b *stateBuilder) initializationStatus(t tftypes.Type, s *initializationStatusModel) tftypes.Value {
	return b.object(t, s != nil, func(tftypes.Object) map[string]tftypes.Value {
		return map[string]tftypes.Value{
			"status":        b.attr(s.Status),
			"percent":       b.attr(s.Percent),
			"progress":      b.attr(s.Progress),
			"error_message": b.attr(s.ErrorMessage),
		}
	})
}

func (b *stateBuilder) dataSynchronizationStatus(t tftypes.Type, s *dataSynchronizationStatusModel) tftypes.Value {
	return b.object(t, s != nil, func(tftypes.Object) map[string]tftypes.Value {
		return map[string]tftypes.Value{
			"status":          b.attr(s.Status),
			"percent":         b.attr(s.Percent),
			"delay":           b.attr(s.Delay),
			"checkpoint":      b.attr(s.Checkpoint),
			"checkpoint_time": b.attr(s.CheckpointTime),
			"error_message":   b.attr(s.ErrorMessage),
		}
	})
}

func (b *stateBuilder) endpoint(t tftypes.Type, e *endpointModel) tftypes.Value {
	return b.object(t, e != nil, func(tftypes.Object) map[string]tftypes.Value {
		return map[string]tftypes.Value{
			"database_name": b.attr(e.DatabaseName),
			"engine_name":   b.attr(e.EngineName),
			"ip":            b.attr(e.IP),
			"instance_id":   b.attr(e.InstanceID),
			"instance_type": b.attr(e.InstanceType),
			"port":          b.attr(e.Port),
			"user_name":     b.attr(e.UserName),
			"oracle_sid":    b.attr(e.OracleSID),
		}
	})
}

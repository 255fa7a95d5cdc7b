package provider

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"reflect"
	"syscall"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/openmigrate/terraform-provider-dts/internal/clock"
	"github.com/openmigrate/terraform-provider-dts/internal/dtsapi"
)

// What every data source of the provider shares: configuration, the read's deadline and interrupt
// handling, and where a read goes.

// defaultReadTimeout bounds a whole read, waits and retries included, unless timeouts.read says otherwise.
const defaultReadTimeout = 20 * time.Minute

// dataSource is embedded by every data source: it takes the provider's data in Configure.
type dataSource struct {
	data *providerData
}

func (d *dataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	if req.ProviderData == nil {
		return
	}
	data, ok := req.ProviderData.(*providerData)
	if !ok {
		resp.Diagnostics.AddError("Unexpected provider data",
			fmt.Sprintf("Expected *providerData, got %T. This is a bug in the provider; please report it.", req.ProviderData))
		return
	}
	d.data = data
}

// timeoutsBlock is the timeouts block of every data source.
func timeoutsBlock(ctx context.Context) schema.SingleNestedBlock {
	b, _ := timeouts.BlockWithOpts(ctx, timeouts.Opts{
		ReadDescription: "Deadline for the whole read, waits and retries included, as a duration such as `30m`. Default `20m`.",
	}).(schema.SingleNestedBlock)
	b.Description = "Time limits for this data source."
	return b
}

// regionIDAttribute is the region_id argument every data source takes.
func regionIDAttribute() schema.StringAttribute {
	return schema.StringAttribute{
		Optional: true,
		Computed: true,
		Description: "Region of the job, such as `cn-hangzhou`. Defaults to the provider's `region`; also picks " +
			"the endpoint when the provider sets none.",
		Validators: regionValidators(),
	}
}

// readArguments reads a data source's arguments into args, a struct whose fields carry the
// arguments' names in tfsdk tags, as the framework's models do. Each field is read on its own with
// GetAttribute: Config.Get would need a field for every computed attribute too, and would convert
// each of them, all null in a configuration, at a cost BenchmarkReadArguments measures.
func readArguments[T any](ctx context.Context, config tfsdk.Config, args *T) diag.Diagnostics {
	var diags diag.Diagnostics
	v := reflect.ValueOf(args).Elem()
	for i := range v.NumField() {
		f := v.Type().Field(i)
		name := f.Tag.Get("tfsdk")
		if name == "" {
			diags.AddError("Arguments model without a name",
				fmt.Sprintf("Field %s of %s has no tfsdk tag. This is a bug in the provider; please report it.", f.Name, v.Type()))
			continue
		}
		diags.Append(config.GetAttribute(ctx, path.Root(name), v.Field(i).Addr().Interface())...)
	}
	return diags
}

// read is one read in progress: its deadline, where it goes and the client that goes there.
type read struct {
	ctx     context.Context
	clock   clock.Clock
	timeout time.Duration
	target  target
	client  *dtsapi.Client
	done    func()
}

// startRead sets the read's deadline and interrupt handling and resolves its target; what names the
// read in errors, such as `Migration job "dts123"`. The caller must call done.
func (d *dataSource) startRead(ctx context.Context, t timeouts.Value, regionID, summary, what string) (*read, diag.Diagnostics) {
	var diags diag.Diagnostics
	if d.data == nil {
		diags.AddError("Provider not configured", "The dts provider was not configured before the data source was read. This is a bug in the provider; please report it.")
		return nil, diags
	}
	readTimeout, tdiags := t.Read(ctx, defaultReadTimeout)
	diags.Append(tdiags...)
	if diags.HasError() {
		return nil, diags
	}
	r := &read{timeout: readTimeout, clock: d.data.tuning.clock}
	var cancel context.CancelFunc
	r.ctx, cancel = context.WithTimeout(ctx, readTimeout)
	r.done = cancel
	if d.data.tuning.watchInterrupt {
		var stop func()
		r.ctx, stop = withInterrupt(r.ctx)
		r.done = func() { stop(); cancel() }
	}
	tgt, err := d.data.target(regionID)
	if err != nil {
		r.done()
		diags.AddError(summary, fmt.Sprintf("%s: %s.", what, err))
		return nil, diags
	}
	r.target = tgt
	r.client, err = d.data.client(tgt)
	if err != nil {
		r.done()
		diags.AddError(summary, fmt.Sprintf("%s in region %s: %s.", what, tgt.region, err))
		return nil, diags
	}
	return r, diags
}

// record sets the read's state: the configuration with the computed attributes and the region the
// read went to. what names the read for the error a state that does not fit the schema gives, which
// is a bug in the provider.
func (r *read) record(resp *datasource.ReadResponse, config tftypes.Value, computed map[string]tftypes.Value, what string) {
	computed["region_id"] = tftypes.NewValue(tftypes.String, r.target.region)
	state, err := stateWith(config, computed)
	if err != nil {
		resp.Diagnostics.AddError("Cannot record the state of the data source",
			fmt.Sprintf("%s: the state does not fit the schema: %s. This is a bug in the provider; please report it.", what, err))
		return
	}
	resp.State.Raw = state
}

// withInterrupt returns a context that is also cancelled when the process gets SIGINT or SIGTERM.
// Terraform does not cancel the provider's context during the planning step of apply, and the plugin
// runtime swallows SIGINT, so a wait would otherwise outlive Ctrl-C.
func withInterrupt(ctx context.Context) (context.Context, func()) {
	ctx, cancel := context.WithCancelCause(ctx)
	signals := make(chan os.Signal, 1)
	signal.Notify(signals, os.Interrupt, syscall.SIGTERM)
	go func() {
		select {
		case sig := <-signals:
			cancel(fmt.Errorf("interrupted by %s", sig))
		case <-ctx.Done():
		}
	}()
	return ctx, func() {
		signal.Stop(signals)
		cancel(nil)
	}
}

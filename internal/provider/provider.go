// Package provider is the Terraform side of terraform-provider-dts: schema, configuration and data sources.
package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
)

// Address is the provider's registry address.
const Address = "registry.terraform.io/openmigrate/dts"

var _ provider.Provider = (*dtsProvider)(nil)

type dtsProvider struct {
	version string
}

// New returns a constructor of the provider for providerserver.
func New(version string) func() provider.Provider {
	return func() provider.Provider { return &dtsProvider{version: version} }
}

func (p *dtsProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "dts"
	resp.Version = p.version
}

func (p *dtsProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	resp.Schema = schema.Schema{
		Description: "Reads the state of Alibaba Cloud DTS data migration jobs.",
	}
}

func (p *dtsProvider) Configure(_ context.Context, _ provider.ConfigureRequest, _ *provider.ConfigureResponse) {
}

func (p *dtsProvider) DataSources(_ context.Context) []func() datasource.DataSource {
	return nil
}

func (p *dtsProvider) Resources(_ context.Context) []func() resource.Resource {
	return nil
}

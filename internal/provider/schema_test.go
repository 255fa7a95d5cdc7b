package provider

import (
	"context"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	dsschema "github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	pschema "github.com/hashicorp/terraform-plugin-framework/provider/schema"
)

// described is what every schema attribute and block offers.
type described interface {
	GetDescription() string
}

// TestEveryAttributeHasADescription walks the provider's schema and every data source's: docs are generated
// from these descriptions.
func TestEveryAttributeHasADescription(t *testing.T) {
	ctx := context.Background()
	var presp provider.SchemaResponse
	(&dtsProvider{}).Schema(ctx, provider.SchemaRequest{}, &presp)

	var missing []string
	count := 0
	check := func(name string, d described) {
		count++
		if d.GetDescription() == "" {
			missing = append(missing, name)
		}
	}
	check("provider", presp.Schema)
	for name, a := range presp.Schema.Attributes {
		check("provider."+name, a)
	}
	for name, b := range presp.Schema.Blocks {
		check("provider."+name, b)
		if nb, ok := b.(pschema.SingleNestedBlock); ok {
			for an, a := range nb.Attributes {
				check("provider."+name+"."+an, a)
			}
		}
	}
	var walk func(prefix string, attrs map[string]dsschema.Attribute)
	walk = func(prefix string, attrs map[string]dsschema.Attribute) {
		for name, a := range attrs {
			check(prefix+name, a)
			switch n := a.(type) {
			case dsschema.SingleNestedAttribute:
				walk(prefix+name+".", n.Attributes)
			case dsschema.ListNestedAttribute:
				walk(prefix+name+".", n.NestedObject.Attributes)
			}
		}
	}
	for _, newDataSource := range (&dtsProvider{}).DataSources(ctx) {
		ds := newDataSource()
		var meta datasource.MetadataResponse
		ds.Metadata(ctx, datasource.MetadataRequest{ProviderTypeName: "dts"}, &meta)
		var dresp datasource.SchemaResponse
		ds.Schema(ctx, datasource.SchemaRequest{}, &dresp)
		check(meta.TypeName, dresp.Schema)
		walk(meta.TypeName+".", dresp.Schema.Attributes)
		for name, b := range dresp.Schema.Blocks {
			check(meta.TypeName+"."+name, b)
			if nb, ok := b.(dsschema.SingleNestedBlock); ok {
				walk(meta.TypeName+"."+name+".", nb.Attributes)
			}
		}
	}
	if len(missing) > 0 {
		t.Fatalf("attributes without a description: %v", missing)
	}
	// The provider has 9 arguments and assume_role 6; the four data sources some 300 attributes in all.
	if count < 250 {
		t.Fatalf("the walk saw only %d schema elements; it is not reaching nested attributes", count)
	}
}

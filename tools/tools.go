//go:build generate

// Package tools pins the documentation generator, tfplugindocs, in a module of its own so that the
// provider's module does not carry its dependencies. `make generate` runs the same two steps
// through scripts/docs, which also works where only OpenTofu is installed.
package tools

import (
	_ "github.com/hashicorp/terraform-plugin-docs/cmd/tfplugindocs"
)

// Format the examples, which the documentation embeds.
//go:generate terraform fmt -recursive ../examples/

// Render docs/ from templates/, examples/ and the provider's schema.
//go:generate go run github.com/hashicorp/terraform-plugin-docs/cmd/tfplugindocs generate --provider-dir .. --provider-name dts

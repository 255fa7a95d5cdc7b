// Command terraform-provider-dts serves the Terraform provider for Alibaba Cloud DTS migration jobs.
package main

import (
	"context"
	"flag"
	"log"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"

	"github.com/openmigrate/terraform-provider-dts/internal/provider"
)

// version is set at build time by ldflags (-X main.version=...).
var version = "dev"

func main() {
	var debug bool
	flag.BoolVar(&debug, "debug", false, "serve the provider for a debugger such as delve")
	flag.Parse()
	superviseProcess(debug)
	limitMemory()

	err := providerserver.Serve(context.Background(), provider.New(version), providerserver.ServeOpts{
		Address: provider.Address,
		Debug:   debug,
	})
	if err != nil {
		log.Fatal(err.Error())
	}
}

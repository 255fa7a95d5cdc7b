# The provider's address. The page shows the snippets of this directory without it, as registry
# documentation does; a configuration needs it once, in any file.
terraform {
  required_providers {
    dts = {
      source = "openmigrate/dts"
    }
  }
}

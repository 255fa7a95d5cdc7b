terraform {
  required_providers {
    dts = {
      source = "openmigrate/dts"
    }
  }
}

# Credentials come from the environment (ALIBABA_CLOUD_ACCESS_KEY_ID and
# ALIBABA_CLOUD_ACCESS_KEY_SECRET), from a CLI profile, or from any other source
# the Authentication guide lists.
provider "dts" {
  region = "cn-hangzhou"
}

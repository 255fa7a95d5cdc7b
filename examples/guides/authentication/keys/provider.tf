variable "access_key" {
  type = string
}

variable "secret_key" {
  type      = string
  sensitive = true
}

# Keys in the provider block come first of every source. Prefer the environment
# (ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET), which keeps
# them out of the configuration; pass them as variables if you must.
provider "dts" {
  region     = "cn-hangzhou"
  access_key = var.access_key
  secret_key = var.secret_key
}

# Assumes a RAM role with whatever credentials the other sources give (here,
# the environment or the default chain), and reads DTS as that role.
provider "dts" {
  region = "cn-hangzhou"

  assume_role {
    role_arn           = "acs:ram::123456789012:role/migration-reader"
    session_name       = "terraform-cutover"
    session_expiration = 3600
  }
}

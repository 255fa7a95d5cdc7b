# On an ECS instance with a RAM role attached: credentials come from the
# instance metadata service.
provider "dts" {
  region        = "cn-hangzhou"
  ecs_role_name = "terraform-runner"
}

# A profile of the Alibaba Cloud CLI (`aliyun configure --profile migration`),
# looked up in ~/.aliyun/config.json, then in ~/.alibabacloud/credentials.
provider "dts" {
  region  = "cn-hangzhou"
  profile = "migration"
}

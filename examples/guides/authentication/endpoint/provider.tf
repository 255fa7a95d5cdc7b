# An endpoint of your choice, such as a VPC endpoint from the DTS endpoint list
# of your region. Scheme and host only; https unless the host is loopback.
provider "dts" {
  region   = "ap-northeast-1"
  endpoint = "https://dts.ap-northeast-1.aliyuncs.com"
}

# Both data sources on the same events, and whether they agree: the count,
# the order and every field of every event, resource_info reshaped (see
# modules/compare). README.md says how to run it on the fake API.
terraform {
  required_providers {
    huaweicloud = {
      source = "huaweicloud/huaweicloud"
    }
    clusterprotect = {
      source = "clusterprotect/clusterprotect"
    }
  }
}

variable "huaweicloud_hss_endpoint" {
  description = "The Huawei Cloud provider's HSS endpoint, such as the fake's URL with a trailing slash; null for the cloud's. Ours reads HW_HSS_ENDPOINT."
  type        = string
  default     = null
}

# Both read HW_REGION_NAME, HW_ACCESS_KEY and HW_SECRET_KEY (README.md).
provider "huaweicloud" {
  endpoints = var.huaweicloud_hss_endpoint == null ? {} : { hss = var.huaweicloud_hss_endpoint }
}

provider "clusterprotect" {}

data "huaweicloud_hss_cluster_protect_alarm_events" "old" {
  enterprise_project_id = "all_granted_eps"
}

data "clusterprotect_events" "new" {
  enterprise_project_id = "all_granted_eps"
}

module "parity" {
  source = "./modules/compare"
  old    = data.huaweicloud_hss_cluster_protect_alarm_events.old
  new    = data.clusterprotect_events.new
}

output "parity" {
  value = module.parity
}

# The comparison on a recording of the old data source instead of the data
# source itself, so it runs without the Huawei Cloud provider: make test
# serves the recorded events on the fake API and reads them here with
# clusterprotect_events. ../README.md says how the recording was made.
terraform {
  required_providers {
    clusterprotect = {
      source = "clusterprotect/clusterprotect"
    }
  }
}

provider "clusterprotect" {}

data "clusterprotect_events" "new" {
  enterprise_project_id = "all_granted_eps"
}

module "parity" {
  source = "../modules/compare"
  old    = jsondecode(file("${path.module}/../testdata/huaweicloud-sample.json"))
  new    = data.clusterprotect_events.new
}

output "parity" {
  value = module.parity
}

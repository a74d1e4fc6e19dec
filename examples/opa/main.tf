# Plan JSON for the OPA policy in policy/: one data source in the root module
# and one in a child module, both read at plan time (under prior_state).
terraform {
  required_providers {
    clusterprotect = {
      source = "clusterprotect/clusterprotect"
    }
  }
}

provider "clusterprotect" {}

data "clusterprotect_events" "all" {
  enterprise_project_id = "all_granted_eps"
  handle_status         = "unhandled"
}

module "prod" {
  source = "./modules/cluster"
}

# Provider functions need Terraform 1.8+ or OpenTofu 1.7+, and the provider in
# required_providers.
terraform {
  required_providers {
    clusterprotect = {
      source = "clusterprotect/clusterprotect"
    }
  }
}

# provider::clusterprotect::rfc3339_from_epoch_ms(1695094500324)
# is "2023-09-19T03:35:00.324Z".

data "clusterprotect_events" "deny" {
  enterprise_project_id = "all_granted_eps"
  actions               = ["deny"]
  handle_status         = "unhandled"
}

variable "signed_off_at" {
  description = "When the clusters were last reviewed, in RFC 3339."
  type        = string
  default     = "2026-12-01T00:00:00Z"
}

locals {
  deny = [
    for e in data.clusterprotect_events.deny.data_list : {
      cluster = e.cluster_name
      policy  = e.policy_name
      # The function refuses null: an event the API gave no time keeps null.
      at = e.create_time == null ? null : provider::clusterprotect::rfc3339_from_epoch_ms(e.create_time)
    }
  ]
}

# Unhandled deny events, newest first, each with its time.
output "unhandled_deny" {
  value = local.deny
}

# The newest one's time, as people read dates.
output "newest_unhandled_deny" {
  value = try(formatdate("DD MMM YYYY hh:mm:ss ZZZ", local.deny[0].at), "none")
}

# The events raised after the last review; one without a time counts, so that
# nothing is missed. HCL's && does not short-circuit: a conditional keeps a
# null time away from timecmp, which refuses it.
output "since_sign_off" {
  value = [for d in local.deny : d if d.at == null ? true : timecmp(d.at, var.signed_off_at) > 0]
}

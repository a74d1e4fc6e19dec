# A central security account gates three accounts, two regions each: its
# own, member-a's through an agency that member-a grants it (assume_role),
# and member-b's with member-b's own keys. One module per account reads the
# events and the clusters of each region and reports them; the bundled OPA
# policy, given required_reads (see README.md), fails the job when any
# account's region was not read completely, so deleting one account's module
# does not pass.
#
# The report uses provider::clusterprotect::rfc3339_from_epoch_ms, which
# needs Terraform 1.8 or newer, or OpenTofu 1.7 or newer.
terraform {
  required_providers {
    clusterprotect = {
      source = "clusterprotect/clusterprotect"
    }
  }
}

variable "regions" {
  description = "Regions read in every account."
  type        = list(string)
  default     = ["ap-southeast-1", "cn-north-4"]
}

variable "member_b_access_key" {
  description = "Access key of member-b's reader."
  type        = string
  sensitive   = true
}

variable "member_b_secret_key" {
  description = "Secret key of member-b's reader."
  type        = string
  sensitive   = true
}

# The security account: access keys (and endpoints) from the environment,
# HW_ACCESS_KEY and HW_SECRET_KEY.
provider "clusterprotect" {
  alias = "security"
}

# member-a, through the agency it grants the security account: the
# security account's keys assume it.
provider "clusterprotect" {
  alias = "member_a"
  assume_role {
    agency_name = "hss-reader"
    domain_name = "member-a"
  }
}

# member-b, with a reader's keys of its own.
provider "clusterprotect" {
  alias      = "member_b"
  access_key = var.member_b_access_key
  secret_key = var.member_b_secret_key
}

module "security" {
  source    = "./modules/account"
  providers = { clusterprotect = clusterprotect.security }
  account   = "security"
  regions   = var.regions
}

module "member_a" {
  source    = "./modules/account"
  providers = { clusterprotect = clusterprotect.member_a }
  account   = "member-a"
  regions   = var.regions
}

module "member_b" {
  source    = "./modules/account"
  providers = { clusterprotect = clusterprotect.member_b }
  account   = "member-b"
  regions   = var.regions
}

output "report" {
  description = "Per account and region: the project, the events and unhandled deny events, the newest event's time (RFC 3339), and the clusters not protected with policy."
  value = {
    for account, report in {
      security = module.security.report
      member_a = module.member_a.report
      member_b = module.member_b.report
      } : account => {
      for region, r in report : region => merge(r, {
        # null stays null: the function refuses it.
        newest_event_at = r.newest_event_ms == null ? null : provider::clusterprotect::rfc3339_from_epoch_ms(r.newest_event_ms)
      })
    }
  }
}

output "required_reads" {
  description = "The policy's data.clusterprotect.required_reads for these accounts and regions: write it to a file, review it, and pass it to OPA with -d."
  value = { clusterprotect = { required_reads = concat(
    module.security.required_reads, module.member_a.required_reads, module.member_b.required_reads,
  ) } }
}

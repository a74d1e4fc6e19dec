# The shortest configuration: a region and access keys. The keys usually come
# from HW_ACCESS_KEY and HW_SECRET_KEY, and the region from HW_REGION_NAME, so
# `provider "clusterprotect" {}` is enough. The project is found from the
# region through IAM; set project_id to skip that lookup (it applies to this
# region only: a data source in another region finds its own).
provider "clusterprotect" {
  region     = "ap-southeast-1"
  access_key = var.access_key
  secret_key = var.secret_key
}

variable "access_key" {
  type = string
}

variable "secret_key" {
  type      = string
  sensitive = true
}

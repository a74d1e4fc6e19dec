# AK/SK credentials, usually from HW_ACCESS_KEY and HW_SECRET_KEY.
provider "clusterprotect" {
  region     = "ap-southeast-1"
  project_id = "0123456789abcdef0123456789abcdef"
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

module github.com/clusterprotect/terraform-provider-clusterprotect

go 1.25

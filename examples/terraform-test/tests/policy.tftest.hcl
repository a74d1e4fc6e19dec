# Unit tests of the policy in main.tf, with no credentials and no API:
# terraform test (Terraform 1.7 or newer) mocks the provider and overrides
# what the data source returns.
mock_provider "clusterprotect" {}

run "passes_when_no_unhandled_deny_events" {
  command = plan

  override_data {
    target = data.clusterprotect_events.unhandled_deny
    values = {
      summary = {
        total            = 0
        by_action        = {}
        by_handle_status = {}
        by_cluster_id    = {}
        by_cluster_name  = {}
        by_policy_name   = {}
      }
    }
  }

  assert {
    condition     = length(output.unhandled_deny_by_cluster) == 0
    error_message = "No cluster should be reported."
  }
}

run "fails_when_unhandled_deny_events_exist" {
  command = plan

  override_data {
    target = data.clusterprotect_events.unhandled_deny
    values = {
      summary = {
        total            = 2
        by_action        = { deny = 2 }
        by_handle_status = { unhandled = 2 }
        by_cluster_id    = { "prod-cluster" = 2 }
        by_cluster_name  = { "prod" = 2 }
        by_policy_name   = { "deny-privileged" = 2 }
      }
    }
  }

  expect_failures = [data.clusterprotect_events.unhandled_deny]
}

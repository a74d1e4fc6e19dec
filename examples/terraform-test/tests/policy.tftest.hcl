# Unit tests of the gate in main.tf, with no credentials and no API:
# terraform test (Terraform 1.7 or newer, OpenTofu 1.8 or newer) mocks the
# provider, and override_data plants the events of each case.
#
# A mock makes up every computed value it is not given, and complete would
# be false: so the mock's default read is a clean one (complete, no
# warnings, no events), and each override, which replaces those defaults,
# sets complete itself. A planted event gives every attribute (null where
# the gate does not care) and a whole resource_info: OpenTofu requires each
# one, and Terraform would fill a missing one with a random value.
mock_provider "clusterprotect" {
  mock_data "clusterprotect_events" {
    defaults = {
      complete  = true
      warnings  = []
      data_list = []
      summary   = { total = 0, unhandled_deny = 0, by_action = {}, by_handle_status = {}, by_cluster_id = {}, by_cluster_name = {}, by_policy_name = {} }
    }
  }
}

run "passes_on_a_clean_read" {
  command = plan

  assert {
    condition     = length(output.unhandled_by_action) == 0
    error_message = "A clean read should report no events."
  }
}

run "fails_on_an_unhandled_deny_event" {
  command = plan

  override_data {
    target = data.clusterprotect_events.all
    values = {
      summary  = { total = 1, unhandled_deny = 1, by_action = {}, by_handle_status = {}, by_cluster_id = {}, by_cluster_name = {}, by_policy_name = {} }
      complete = true
      warnings = []
      data_list = [{
        event_id              = "ev-1"
        action                = "deny"
        handle_status         = "unhandled"
        cluster_name          = "prod"
        cluster_id            = "44753d6c-415e-11ee-834b-0255ac1001b2"
        policy_name           = "deny-privileged"
        policy_id             = null
        event_name            = "Privileged container"
        event_class_id        = "clusterprotect_1001"
        event_type            = 3009
        event_content         = null
        create_time           = 1764806400000
        update_time           = 1764806400000
        project_id            = null
        enterprise_project_id = "0"
        resource_info = {
          enforcement_action = "deny"
          kind               = "Pod"
          namespace          = "shop"
          name               = "web-0"
          resource_name      = "web-0"
          group              = ""
          version            = "v1"
          message            = "privileged containers are not allowed"
        }
      }]
    }
  }

  expect_failures = [data.clusterprotect_events.all]
}

# The API left handle_status out: it may be unhandled, and
# summary.unhandled_deny counts it.
run "fails_on_a_deny_event_without_handle_status" {
  command = plan

  override_data {
    target = data.clusterprotect_events.all
    values = {
      summary  = { total = 1, unhandled_deny = 1, by_action = {}, by_handle_status = {}, by_cluster_id = {}, by_cluster_name = {}, by_policy_name = {} }
      complete = true
      warnings = []
      data_list = [{
        event_id              = "ev-3"
        action                = "deny"
        handle_status         = null
        cluster_name          = "prod"
        cluster_id            = "44753d6c-415e-11ee-834b-0255ac1001b2"
        policy_name           = "deny-privileged"
        policy_id             = null
        event_name            = "Privileged container"
        event_class_id        = "clusterprotect_1001"
        event_type            = 3009
        event_content         = null
        create_time           = 1764806400000
        update_time           = 1764806400000
        project_id            = null
        enterprise_project_id = "0"
        resource_info = {
          enforcement_action = "deny"
          kind               = "Pod"
          namespace          = "shop"
          name               = "web-0"
          resource_name      = "web-0"
          group              = ""
          version            = "v1"
          message            = "privileged containers are not allowed"
        }
      }]
    }
  }

  expect_failures = [data.clusterprotect_events.all]
}

run "passes_on_an_unhandled_warn_event" {
  command = plan

  override_data {
    target = data.clusterprotect_events.all
    values = {
      summary  = { total = 1, unhandled_deny = 0, by_action = {}, by_handle_status = {}, by_cluster_id = {}, by_cluster_name = {}, by_policy_name = {} }
      complete = true
      warnings = []
      data_list = [{
        event_id              = "ev-2"
        action                = "warn"
        handle_status         = "unhandled"
        cluster_name          = "prod"
        cluster_id            = "44753d6c-415e-11ee-834b-0255ac1001b2"
        policy_name           = "warn-latest-tag"
        policy_id             = null
        event_name            = null
        event_class_id        = null
        event_type            = null
        event_content         = null
        create_time           = 1764806400000
        update_time           = null
        project_id            = null
        enterprise_project_id = null
        resource_info = {
          enforcement_action = "warn"
          kind               = "Deployment"
          namespace          = "shop"
          name               = "cart"
          resource_name      = null
          group              = null
          version            = null
          message            = null
        }
      }]
    }
  }

  assert {
    condition     = output.unhandled_by_action == { warn = ["ev-2"] }
    error_message = "The warn event should be reported, and pass."
  }
}

run "fails_closed_on_a_read_that_may_lack_events" {
  command = plan

  override_data {
    target = data.clusterprotect_events.all
    values = {
      summary   = { total = 0, unhandled_deny = 0, by_action = {}, by_handle_status = {}, by_cluster_id = {}, by_cluster_name = {}, by_policy_name = {} }
      complete  = false
      warnings  = []
      data_list = []
    }
  }

  expect_failures = [data.clusterprotect_events.all]
}

run "fails_closed_on_a_warning_of_the_read" {
  command = plan

  override_data {
    target = data.clusterprotect_events.all
    values = {
      summary   = { total = 0, unhandled_deny = 0, by_action = {}, by_handle_status = {}, by_cluster_id = {}, by_cluster_name = {}, by_policy_name = {} }
      complete  = true
      warnings  = ["No event matches actions: no event has action \"dney\"; did you mean \"deny\"?"]
      data_list = []
    }
  }

  expect_failures = [data.clusterprotect_events.all]
}

# Plans the whole environment with its terraform.tfvars against a mocked AWS provider (no
# credentials, no network): module wiring and every variable validation run for real.
mock_provider "aws" {
  mock_data "aws_caller_identity" {
    defaults = { account_id = "111111111111", arn = "arn:aws:iam::111111111111:user/test" }
  }
  mock_data "aws_region" {
    defaults = { name = "us-east-1" }
  }
  mock_data "aws_partition" {
    defaults = { partition = "aws" }
  }
  mock_data "aws_iam_policy_document" {
    defaults = { json = "{\"Version\":\"2012-10-17\",\"Statement\":[]}" }
  }
}

run "plans_with_the_committed_tfvars" {
  command = plan

  assert {
    condition     = output.cluster_name == "oficina-homolog"
    error_message = "the cluster is named after the environment"
  }
}

run "learner_lab_creates_no_iam" {
  command = plan

  variables {
    existing_iam_role_arn = "arn:aws:iam::111111111111:role/LabRole"
  }

  assert {
    condition     = output.app_irsa_role_arn == null && output.relay_irsa_role_arn == null && output.load_balancer_controller_role_arn == null
    error_message = "with LabRole no workload role may be created"
  }
}

run "world_open_public_endpoint_is_rejected" {
  command = plan

  variables {
    cluster_public_endpoint = {
      enabled = true
      cidrs   = ["0.0.0.0/0"]
      reason  = "convenience for everyone"
    }
  }

  expect_failures = [var.cluster_public_endpoint]
}

run "public_endpoint_without_a_reason_is_rejected" {
  command = plan

  variables {
    cluster_public_endpoint = {
      enabled = true
      cidrs   = ["203.0.113.0/24"]
      reason  = ""
    }
  }

  expect_failures = [var.cluster_public_endpoint]
}

run "relay_publishes_only_to_an_sns_fifo_topic" {
  command = plan

  variables {
    order_events_topic_arn = "arn:aws:sns:us-east-1:111111111111:oficina-order-events"
  }

  expect_failures = [var.order_events_topic_arn]
}

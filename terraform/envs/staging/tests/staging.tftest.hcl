# What envs/staging sets in main.tf, planned with its own values against a mocked AWS provider (the plan must
# succeed). The wiring every stage shares (APP2_URL, the ingress chain, no port 22, ...) is tested once in
# modules/stack/tests, for the shapes the stages use.

mock_provider "aws" {
  source = "../../modules/stack/tests/mocks"
}

variables {
  app1_image_tag = "1111111111111111111111111111111111111111"
  app2_image_tag = "2222222222222222222222222222222222222222"
}

run "this_directory_deploys_staging" {
  command = plan

  assert {
    condition = (
      output.stack.app_environments.app1.ENVIRONMENT == "staging" && output.stack.app_environments.app2.ENVIRONMENT == "staging" &&
      output.stack.asg_names == { app1 = "relay-staging-app1", app2 = "relay-staging-app2" } &&
      output.stack.log_group_names == { app1 = "/relay/staging/app1", app2 = "/relay/staging/app2" }
    )
    error_message = "envs/staging must deploy the staging stage"
  }

  assert {
    condition = output.stack.images == {
      app1 = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/relay/app1:1111111111111111111111111111111111111111"
      app2 = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/relay/app2:2222222222222222222222222222222222222222"
    }
    error_message = "each service must run the image tag given to this stage"
  }
}

run "staging_keeps_two_instances_per_service" {
  command = plan

  assert {
    condition     = length(output.stack.availability_zones) == 2 && length(output.stack.nat_gateway_ids) == 1
    error_message = "staging spans two AZs that share one NAT gateway"
  }

  assert {
    condition     = alltrue([for service in values(output.stack.capacity) : service == { instance_type = "t3.small", min_size = 2, max_size = 4 }])
    error_message = "staging must survive the loss of an instance or an AZ like prod: two t3.small per service, four at most"
  }

  assert {
    condition     = !output.stack.load_balancers.public.deletion_protection && !output.stack.load_balancers.internal.deletion_protection
    error_message = "staging's load balancers can be destroyed"
  }

  assert {
    condition     = output.stack.app_environments.app1.LOG_LEVEL == "info" && output.stack.app_environments.app2.LOG_LEVEL == "info"
    error_message = "staging logs at info level, like prod"
  }
}

run "refuses_malformed_region" {
  command = plan
  variables { aws_region = "Frankfurt" }
  expect_failures = [var.aws_region]
}

run "refuses_a_repository_without_owner" {
  command = plan
  variables { github_repository = "relay" }
  expect_failures = [var.github_repository]
}

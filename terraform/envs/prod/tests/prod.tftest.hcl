# What envs/prod sets in main.tf, planned with its own values against a mocked AWS provider (the plan must
# succeed). The wiring every stage shares (APP2_URL, the ingress chain, no port 22, ...) is tested once in
# modules/stack/tests, for the shapes the stages use.

mock_provider "aws" {
  source = "../../modules/stack/tests/mocks"
}

variables {
  app1_image_tag = "1111111111111111111111111111111111111111"
  app2_image_tag = "2222222222222222222222222222222222222222"
}

run "this_directory_deploys_prod" {
  command = plan

  assert {
    condition = (
      output.stack.app_environments.app1.ENVIRONMENT == "prod" && output.stack.app_environments.app2.ENVIRONMENT == "prod" &&
      output.stack.asg_names == { app1 = "relay-prod-app1", app2 = "relay-prod-app2" } &&
      output.stack.log_group_names == { app1 = "/relay/prod/app1", app2 = "/relay/prod/app2" }
    )
    error_message = "envs/prod must deploy the prod stage"
  }

  assert {
    condition = output.stack.images == {
      app1 = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/relay/app1:1111111111111111111111111111111111111111"
      app2 = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/relay/app2:2222222222222222222222222222222222222222"
    }
    error_message = "each service must run the image tag given to this stage"
  }
}

run "prod_is_highly_available_and_protected" {
  command = plan

  assert {
    condition     = length(output.stack.availability_zones) == 3 && length(output.stack.nat_gateway_ids) == 3
    error_message = "prod must have a NAT gateway in each of its three AZs"
  }

  assert {
    condition     = alltrue([for service in values(output.stack.capacity) : service == { instance_type = "t3.small", min_size = 2, max_size = 6 }])
    error_message = "prod must keep two t3.small per service and room to scale to six"
  }

  assert {
    condition     = output.stack.load_balancers.public.deletion_protection && output.stack.load_balancers.internal.deletion_protection
    error_message = "prod's load balancers must be protected from deletion"
  }

  assert {
    condition     = output.stack.app_environments.app1.LOG_LEVEL == "info" && output.stack.app_environments.app2.LOG_LEVEL == "info"
    error_message = "prod logs at info level"
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

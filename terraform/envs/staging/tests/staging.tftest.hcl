# What only the staging stage guarantees, planned with its terraform.tfvars against a mocked AWS provider. The
# checks every stage shares (wiring, ingress, port 22, refused values) are in shared.tftest.hcl, a link to
# ../../_shared/tests.

mock_provider "aws" {
  source = "../_shared/tests/aws"
}

variables {
  app1_image_tag = "1111111111111111111111111111111111111111"
  app2_image_tag = "2222222222222222222222222222222222222222"
}

run "this_directory_deploys_staging" {
  command = plan

  assert {
    condition     = module.stack.app_environments.app1.ENVIRONMENT == "staging" && output.asg_names.app1 == "relay-staging-app1"
    error_message = "envs/staging must deploy the staging stage"
  }
}

run "staging_keeps_two_instances_per_service" {
  command = plan

  assert {
    condition     = var.min_size >= 2 && length(module.stack.availability_zones) >= 2
    error_message = "staging must survive the loss of an instance or an AZ like prod"
  }

  assert {
    condition     = length(module.stack.nat_gateway_ids) == 1
    error_message = "staging shares one NAT gateway between its AZs"
  }

  assert {
    condition     = !module.stack.load_balancers.public.deletion_protection && !module.stack.load_balancers.internal.deletion_protection
    error_message = "staging's load balancers can be destroyed"
  }
}

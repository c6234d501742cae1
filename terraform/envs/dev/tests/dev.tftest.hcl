# What only the dev stage guarantees, planned with its terraform.tfvars against a mocked AWS provider. The
# checks every stage shares (wiring, ingress, port 22, refused values) are in shared.tftest.hcl, a link to
# ../../_shared/tests.

mock_provider "aws" {
  source = "../_shared/tests/aws"
}

variables {
  app1_image_tag = "1111111111111111111111111111111111111111"
  app2_image_tag = "2222222222222222222222222222222222222222"
}

run "this_directory_deploys_dev" {
  command = plan

  assert {
    condition     = module.stack.app_environments.app1.ENVIRONMENT == "dev" && output.asg_names.app1 == "relay-dev-app1"
    error_message = "envs/dev must deploy the dev stage"
  }
}

run "dev_is_small_and_disposable" {
  command = plan

  assert {
    condition     = length(module.stack.availability_zones) == 2 && length(module.stack.nat_gateway_ids) == 1
    error_message = "dev spans two AZs that share one NAT gateway"
  }

  assert {
    condition     = var.min_size == 1
    error_message = "dev runs one instance per service"
  }

  assert {
    condition     = !module.stack.load_balancers.public.deletion_protection && !module.stack.load_balancers.internal.deletion_protection
    error_message = "dev's load balancers can be destroyed"
  }
}

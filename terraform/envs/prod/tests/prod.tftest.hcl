# What only the prod stage guarantees, planned with its terraform.tfvars against a mocked AWS provider. The
# checks every stage shares (wiring, ingress, port 22, refused values) are in shared.tftest.hcl, a link to
# ../../_shared/tests.

mock_provider "aws" {
  source = "../_shared/tests/aws"
}

variables {
  app1_image_tag = "1111111111111111111111111111111111111111"
  app2_image_tag = "2222222222222222222222222222222222222222"
}

run "this_directory_deploys_prod" {
  command = plan

  assert {
    condition     = module.stack.app_environments.app1.ENVIRONMENT == "prod" && output.asg_names.app1 == "relay-prod-app1"
    error_message = "envs/prod must deploy the prod stage"
  }
}

run "prod_is_highly_available_and_protected" {
  command = plan

  assert {
    condition     = length(module.stack.availability_zones) == 3 && length(module.stack.nat_gateway_ids) == 3
    error_message = "prod must have a NAT gateway in each of its three AZs"
  }

  assert {
    condition     = var.min_size >= 2 && var.max_size >= 6
    error_message = "prod must keep two instances per service and room to scale to six"
  }

  assert {
    condition     = module.stack.load_balancers.public.deletion_protection && module.stack.load_balancers.internal.deletion_protection
    error_message = "prod's load balancers must be protected from deletion"
  }
}

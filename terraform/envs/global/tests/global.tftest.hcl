# Plan only: the state bucket's prevent_destroy would stop the test from destroying what an apply created.
# Values the modules validate or that the assertions read are mocked at plan time.
mock_provider "aws" {
  override_during = plan

  mock_data "aws_partition" {
    defaults = { partition = "aws" }
  }

  mock_data "aws_region" {
    defaults = { id = "eu-west-1", name = "eu-west-1" }
  }

  mock_data "aws_caller_identity" {
    defaults = { account_id = "123456789012" }
  }

  mock_resource "aws_s3_bucket" {
    defaults = { arn = "arn:aws:s3:::relay-tfstate-mock" }
  }

  mock_resource "aws_ecr_repository" {
    defaults = {
      arn            = "arn:aws:ecr:eu-west-1:123456789012:repository/relay/mock"
      repository_url = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/relay/mock"
    }
  }

  mock_resource "aws_iam_openid_connect_provider" {
    defaults = { arn = "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com" }
  }

  mock_resource "aws_iam_role" {
    defaults = { arn = "arn:aws:iam::123456789012:role/mock" }
  }
}

# No variables here: the runs below plan with the example terraform.tfvars, so it must stay valid.

run "creates_both_app_repositories_and_the_ci_roles" {
  command = plan

  assert {
    condition     = keys(output.ecr_repository_urls) == ["relay/app1", "relay/app2"] && keys(output.ecr_repository_arns) == ["relay/app1", "relay/app2"]
    error_message = "The shared stage creates exactly the relay/app1 and relay/app2 repositories."
  }

  assert {
    condition     = alltrue([for arn in [output.ci_push_role_arn, output.ci_plan_role_arn, output.ci_packer_role_arn] : startswith(arn, "arn:aws:iam::")])
    error_message = "The push, plan and packer CI roles are created."
  }

  assert {
    condition     = output.packer_instance_profile_name == "relay-packer-build"
    error_message = "The build instance profile is the one packer/variables.pkr.hcl names by default."
  }

  assert {
    condition     = output.github_oidc_provider_arn == "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com"
    error_message = "The OIDC provider is created by default."
  }
}

# The stages are the folders next to envs/global: dev, staging and prod.
run "a_deploy_role_per_stage_releases_that_stage_only" {
  command = plan

  assert {
    condition = keys(output.deploy_role_arns) == ["dev", "prod", "staging"] && alltrue([
      for stage in ["dev", "staging", "prod"] :
      jsondecode(module.github_oidc.roles["deploy-${stage}"].trust_policy).Statement[0].Condition.StringEquals["token.actions.githubusercontent.com:sub"] == ["repo:example-org/relay:environment:${stage}"]
    ])
    error_message = "Each stage folder, and nothing else, has a deploy role, trusted by jobs of the GitHub environment of that stage only."
  }

  assert {
    condition     = alltrue([for name, role in module.github_oidc.roles : !strcontains(role.trust_policy, ":pull_request") if name != "ci-plan"])
    error_message = "No role but the read-only plan role trusts pull requests."
  }

  assert {
    condition = alltrue(flatten([
      for role in values(module.github_oidc.roles) : [
        for policy in role.policies : [
          for s in jsondecode(policy).Statement : [
            for action in flatten([s.Action]) : can(regex("^iam:(Get|List)[A-Za-z]+$", action)) || action == "iam:PassRole" if startswith(lower(action), "iam:")
          ]
        ]
      ]
    ]))
    error_message = "No CI or deploy role may change IAM."
  }

  assert {
    condition = alltrue([
      for stage in ["dev", "staging", "prod"] : toset(flatten([
        for s in jsondecode(module.github_oidc.roles["deploy-${stage}"].policies[0]).Statement : s.Resource if s.Action == "iam:PassRole"
      ])) == toset(["arn:aws:iam::123456789012:role/relay-${stage}-app1-instance", "arn:aws:iam::123456789012:role/relay-${stage}-app2-instance"])
    ])
    error_message = "A deploy role passes its own stage's two instance roles (modules/service: <name>-instance) and no other role."
  }

  assert {
    condition = alltrue(flatten([
      for stage in ["dev", "staging", "prod"] : [
        for s in jsondecode(module.github_oidc.roles["deploy-${stage}"].policies[0]).Statement :
        s.Resource == "arn:aws:ssm:eu-west-1:123456789012:parameter/relay/${stage}/*" if anytrue([for action in flatten([s.Action]) : startswith(action, "ssm:")])
      ]
    ]))
    error_message = "A deploy role reads and writes parameters under /relay/<its stage>/ only."
  }
}

run "uses_an_existing_oidc_provider" {
  command = plan

  variables {
    create_github_oidc_provider = false
    github_oidc_provider_arn    = "arn:aws:iam::210987654321:oidc-provider/token.actions.githubusercontent.com"
  }

  assert {
    condition     = output.github_oidc_provider_arn == var.github_oidc_provider_arn
    error_message = "An existing provider is passed through to the roles."
  }
}

mock_provider "aws" {
  mock_data "aws_partition" {
    defaults = { partition = "aws" }
  }

  mock_data "aws_region" {
    defaults = { id = "eu-west-1", name = "eu-west-1" }
  }

  mock_data "aws_caller_identity" {
    defaults = { account_id = "123456789012" }
  }

  mock_resource "aws_iam_openid_connect_provider" {
    defaults = { arn = "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com" }
  }
}

variables {
  github_repository   = "example-org/relay"
  ecr_repository_arns = ["arn:aws:ecr:eu-west-1:123456789012:repository/relay/app1", "arn:aws:ecr:eu-west-1:123456789012:repository/relay/app2"]
  state_bucket_name   = "relay-tfstate-test"
  tags                = { Project = "relay" }
}

run "push_role_trusts_only_the_main_branch_of_the_repository" {
  assert {
    condition     = aws_iam_openid_connect_provider.github[0].url == "https://token.actions.githubusercontent.com" && aws_iam_openid_connect_provider.github[0].client_id_list == toset(["sts.amazonaws.com"])
    error_message = "The OIDC provider is GitHub's, for the STS audience."
  }

  assert {
    condition = (
      jsondecode(aws_iam_role.ci_push.assume_role_policy).Statement[0].Principal.Federated == aws_iam_openid_connect_provider.github[0].arn &&
      jsondecode(aws_iam_role.ci_push.assume_role_policy).Statement[0].Condition.StringEquals["token.actions.githubusercontent.com:aud"] == "sts.amazonaws.com" &&
      jsondecode(aws_iam_role.ci_push.assume_role_policy).Statement[0].Condition.StringEquals["token.actions.githubusercontent.com:sub"] == "repo:example-org/relay:ref:refs/heads/main"
    )
    error_message = "ci-push may only be assumed by workflow runs on main of the given repository."
  }

  assert {
    condition     = aws_iam_role.ci_push.name == "relay-ci-push" && aws_iam_role.ci_push.tags["Project"] == "relay"
    error_message = "Role names follow name_prefix and carry the tags."
  }
}

run "push_role_pushes_to_the_given_repositories_only" {
  assert {
    condition = (
      jsondecode(aws_iam_role_policy.ci_push.policy).Statement[0].Action == "ecr:GetAuthorizationToken" &&
      toset(jsondecode(aws_iam_role_policy.ci_push.policy).Statement[1].Resource) == toset(var.ecr_repository_arns)
    )
    error_message = "ci-push may log in to ECR and push to the given repositories, nothing else."
  }

  assert {
    condition     = alltrue([for s in jsondecode(aws_iam_role_policy.ci_push.policy).Statement : s.Resource != "*" if s.Action != "ecr:GetAuthorizationToken"])
    error_message = "Only GetAuthorizationToken (which has no resource scope) may use Resource *."
  }
}

run "plan_role_trusts_pull_requests_and_main" {
  assert {
    condition = toset(jsondecode(aws_iam_role.ci_plan.assume_role_policy).Statement[0].Condition.StringEquals["token.actions.githubusercontent.com:sub"]) == toset([
      "repo:example-org/relay:pull_request",
      "repo:example-org/relay:ref:refs/heads/main",
    ])
    error_message = "ci-plan may be assumed by pull request runs and runs on main of the given repository only."
  }

  assert {
    condition     = aws_iam_role_policy_attachment.ci_plan_read_only.policy_arn == "arn:aws:iam::aws:policy/ReadOnlyAccess"
    error_message = "ci-plan reads through ReadOnlyAccess."
  }
}

run "plan_role_reads_no_data_but_the_state" {
  assert {
    condition     = !strcontains(aws_iam_role_policy.ci_plan_no_data_reads.policy, "kms:")
    error_message = "No KMS deny: it would also block the state bucket's default aws/s3 key, used through S3."
  }

  assert {
    condition = one([
      for s in jsondecode(aws_iam_role_policy.ci_plan_no_data_reads.policy).Statement :
      s.NotResource if s.Effect == "Deny" && contains(flatten([s.Action]), "s3:GetObject")
    ]) == "arn:aws:s3:::relay-tfstate-test/*"
    error_message = "ci-plan may read the objects of the state bucket and of no other bucket."
  }

  assert {
    condition = length(setsubtract(
      ["ssm:GetParameter", "secretsmanager:GetSecretValue", "logs:GetLogEvents", "logs:FilterLogEvents", "ecr:BatchGetImage"],
      flatten([for s in jsondecode(aws_iam_role_policy.ci_plan_no_data_reads.policy).Statement : s.Action if s.Effect == "Deny" && try(s.Resource, "") == "*"]),
    )) == 0
    error_message = "ci-plan must not read parameters, secrets, log events or images."
  }
}

run "plan_role_writes_nothing_but_lock_files" {
  assert {
    condition = alltrue([
      for s in jsondecode(aws_iam_role_policy.ci_plan_state.policy).Statement :
      s.Resource == "arn:aws:s3:::relay-tfstate-test/*.tflock" if contains(flatten([s.Action]), "s3:PutObject") || contains(flatten([s.Action]), "s3:DeleteObject")
    ])
    error_message = "ci-plan may only write and delete .tflock objects."
  }

  assert {
    condition     = contains([for s in jsondecode(aws_iam_role_policy.ci_plan_state.policy).Statement : s.Resource if s.Action == "s3:GetObject"], "arn:aws:s3:::relay-tfstate-test/*")
    error_message = "ci-plan reads the state objects."
  }

  assert {
    condition     = length(jsondecode(aws_iam_role_policy.ci_plan_state.policy).Statement) == 3
    error_message = "No KMS statement without state_kms_key_arn."
  }
}

run "packer_role_builds_in_this_region_with_packer_named_iam_only" {
  assert {
    condition     = jsondecode(aws_iam_role.ci_packer[0].assume_role_policy).Statement[0].Condition.StringEquals["token.actions.githubusercontent.com:sub"] == "repo:example-org/relay:ref:refs/heads/main"
    error_message = "ci-packer may only be assumed by workflow runs on main."
  }

  assert {
    condition = alltrue([
      for s in jsondecode(aws_iam_role_policy.ci_packer[0].policy).Statement :
      try(s.Condition.StringEquals["aws:RequestedRegion"], "") == "eu-west-1" if s.Resource == "*" && anytrue([for a in flatten([s.Action]) : startswith(a, "ec2:")])
    ])
    error_message = "EC2 actions that cannot be scoped by ARN are held to the stage's region."
  }

  assert {
    condition = alltrue([
      for s in jsondecode(aws_iam_role_policy.ci_packer[0].policy).Statement :
      try(s.Condition.StringEquals["ec2:ResourceTag/Builder"], "") == "packer" || try(s.Condition.StringEquals["ec2:ResourceTag/Role"], "") == "container-host"
      if anytrue([for a in flatten([s.Action]) : contains(["ec2:TerminateInstances", "ec2:StopInstances", "ec2:DeleteVolume", "ec2:DeregisterImage", "ec2:DeleteSnapshot", "ec2:ModifyImageAttribute", "ec2:ModifySnapshotAttribute"], a)])
    ])
    error_message = "What stops, deletes or shares existing EC2 resources is held to Packer's own build resources and relay host images."
  }

  assert {
    condition = alltrue(flatten([
      for s in jsondecode(aws_iam_role_policy.ci_packer[0].policy).Statement : [
        for r in flatten([s.Resource]) : can(regex("^arn:aws:iam::123456789012:(role|instance-profile)/packer-\\*$", r))
      ] if anytrue([for a in flatten([s.Action]) : startswith(a, "iam:")])
    ]))
    error_message = "IAM actions are limited to Packer's temporary packer-* role and instance profile."
  }

  assert {
    condition = one([
      for s in jsondecode(aws_iam_role_policy.ci_packer[0].policy).Statement : s.Condition.StringEquals["iam:PassedToService"] if s.Action == "iam:PassRole"
    ]) == "ec2.amazonaws.com"
    error_message = "The temporary role may only be passed to EC2."
  }

  assert {
    condition     = output.ci_packer_role_arn == aws_iam_role.ci_packer[0].arn
    error_message = "ci_packer_role_arn is the role's ARN."
  }
}

run "existing_provider_and_state_key_are_used" {
  variables {
    create_oidc_provider = false
    oidc_provider_arn    = "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com"
    state_kms_key_arn    = "arn:aws:kms:eu-west-1:123456789012:key/00000000-0000-0000-0000-000000000000"
    push_branch          = "release"
    create_packer_role   = false
  }

  assert {
    condition     = length(aws_iam_openid_connect_provider.github) == 0 && output.oidc_provider_arn == var.oidc_provider_arn
    error_message = "An existing provider is used instead of creating one."
  }

  assert {
    condition     = jsondecode(aws_iam_role.ci_push.assume_role_policy).Statement[0].Condition.StringEquals["token.actions.githubusercontent.com:sub"] == "repo:example-org/relay:ref:refs/heads/release"
    error_message = "push_branch sets the branch ci-push trusts."
  }

  assert {
    condition     = contains([for s in jsondecode(aws_iam_role_policy.ci_plan_state.policy).Statement : s.Resource], var.state_kms_key_arn)
    error_message = "ci-plan may use the state bucket's key when one is given."
  }

  assert {
    condition     = length(aws_iam_role.ci_packer) == 0 && output.ci_packer_role_arn == null
    error_message = "No packer role when create_packer_role is false."
  }
}

run "rejects_a_repository_without_owner" {
  command = plan

  variables {
    github_repository = "relay"
  }

  expect_failures = [var.github_repository]
}

run "rejects_a_missing_provider_arn" {
  command = plan

  variables {
    create_oidc_provider = false
  }

  expect_failures = [var.oidc_provider_arn]
}

run "rejects_non_ecr_arns" {
  command = plan

  variables {
    ecr_repository_arns = ["*"]
  }

  expect_failures = [var.ecr_repository_arns]
}

run "rejects_a_wildcard_branch" {
  command = plan

  variables {
    push_branch = "*"
  }

  expect_failures = [var.push_branch]
}

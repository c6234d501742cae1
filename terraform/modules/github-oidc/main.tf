locals {
  oidc_host         = "token.actions.githubusercontent.com"
  oidc_provider_arn = var.create_oidc_provider ? aws_iam_openid_connect_provider.github[0].arn : var.oidc_provider_arn
  partition         = data.aws_partition.current.partition
  region            = data.aws_region.current.id
  account_id        = data.aws_caller_identity.current.account_id
  state_bucket_arn  = "arn:${local.partition}:s3:::${var.state_bucket_name}"
  ec2_arn           = "arn:${local.partition}:ec2:${local.region}:${local.account_id}" # + :<type>/<id>

  # GitHub's OIDC subjects: a run on a branch, a run triggered by a pull request, a job of a GitHub environment.
  sub_push_branch  = "repo:${var.github_repository}:ref:refs/heads/${var.push_branch}"
  sub_pull_request = "repo:${var.github_repository}:pull_request"
  sub_environment  = { for stage in var.deploy_stages : stage => "repo:${var.github_repository}:environment:${stage}" }

  # Who may assume a role: GitHub's OIDC tokens for sts whose subject is one of the given ones. Only ci-plan, which
  # can read and write nothing but configuration, trusts pull requests.
  trust_subjects = merge(
    {
      push_branch  = [local.sub_push_branch]
      pull_request = [local.sub_pull_request]
    },
    { for stage, sub in local.sub_environment : "environment_${stage}" => [sub] },
  )
  trust_policies = { for name, subjects in local.trust_subjects : name => jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Federated = local.oidc_provider_arn }
      Action    = "sts:AssumeRoleWithWebIdentity"
      Condition = {
        StringEquals = {
          "${local.oidc_host}:aud" = "sts.amazonaws.com"
          "${local.oidc_host}:sub" = subjects
        }
      }
    }]
  }) }
}

data "aws_partition" "current" {}

data "aws_region" "current" {}

data "aws_caller_identity" "current" {}

# AWS validates GitHub's certificate against its own trusted CAs, so no thumbprint is pinned here.
resource "aws_iam_openid_connect_provider" "github" {
  count = var.create_oidc_provider ? 1 : 0

  url            = "https://${local.oidc_host}"
  client_id_list = ["sts.amazonaws.com"]

  tags = merge(var.tags, { Name = local.oidc_host })
}

resource "aws_iam_role" "ci_push" {
  name                 = "${var.name_prefix}-ci-push"
  description          = "GitHub Actions on ${var.github_repository}@${var.push_branch}: push images to the app repositories"
  max_session_duration = 3600

  assume_role_policy = local.trust_policies.push_branch

  tags = merge(var.tags, { Name = "${var.name_prefix}-ci-push" })
}

resource "aws_iam_role_policy" "ci_push" {
  name = "push-app-images"
  role = aws_iam_role.ci_push.id

  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid      = "LogInToEcr"
        Effect   = "Allow"
        Action   = "ecr:GetAuthorizationToken" # account-wide by design: the action has no resource scope
        Resource = "*"
      },
      {
        Sid    = "PushToAppRepositoriesOnly"
        Effect = "Allow"
        Action = [
          "ecr:BatchCheckLayerAvailability",
          "ecr:InitiateLayerUpload",
          "ecr:UploadLayerPart",
          "ecr:CompleteLayerUpload",
          "ecr:PutImage",
          "ecr:BatchGetImage",
          "ecr:DescribeImages",
        ]
        Resource = var.ecr_repository_arns
      },
    ]
  })
}

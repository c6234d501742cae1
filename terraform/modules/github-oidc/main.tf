locals {
  oidc_host         = "token.actions.githubusercontent.com"
  oidc_provider_arn = var.create_oidc_provider ? aws_iam_openid_connect_provider.github[0].arn : var.oidc_provider_arn
  partition         = data.aws_partition.current.partition
  region            = data.aws_region.current.id
  account_id        = data.aws_caller_identity.current.account_id
  state_bucket_arn  = "arn:${local.partition}:s3:::${var.state_bucket_name}"

  # GitHub's OIDC subject for a run on a branch, and for a run triggered by a pull request.
  sub_push_branch  = "repo:${var.github_repository}:ref:refs/heads/${var.push_branch}"
  sub_pull_request = "repo:${var.github_repository}:pull_request"

  # Who may assume a role: GitHub's OIDC tokens for sts whose subject is one of the given ones. One document
  # for the roles used from the push branch only (ci-push, ci-packer), one for ci-plan, also used by pull requests.
  trust_push_branch                  = jsonencode(local.trust_policies[0])
  trust_pull_request_and_push_branch = jsonencode(local.trust_policies[1])
  trust_policies = [for subjects in [local.sub_push_branch, [local.sub_pull_request, local.sub_push_branch]] : {
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
  }]
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

  assume_role_policy = local.trust_push_branch

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

resource "aws_iam_role" "ci_plan" {
  name                 = "${var.name_prefix}-ci-plan"
  description          = "GitHub Actions on ${var.github_repository} (pull requests and ${var.push_branch}): terraform plan"
  max_session_duration = 3600

  assume_role_policy = local.trust_pull_request_and_push_branch

  tags = merge(var.tags, { Name = "${var.name_prefix}-ci-plan" })
}

# terraform plan refreshes every resource it manages, which takes read access to all of their services.
resource "aws_iam_role_policy_attachment" "ci_plan_read_only" {
  role       = aws_iam_role.ci_plan.name
  policy_arn = "arn:${local.partition}:iam::aws:policy/ReadOnlyAccess"
}

# ReadOnlyAccess also reads data: object contents, parameters and secrets, log events, images. Plans need none
# of it (only the state's own objects), so it is denied: a pull request's workflow cannot read it either.
# kms:Decrypt is not denied: ReadOnlyAccess does not grant it, and the state bucket's default key (aws/s3) is used
# through S3 by the key's own policy, which a deny would override.
resource "aws_iam_role_policy" "ci_plan_no_data_reads" {
  name = "no-data-reads"
  role = aws_iam_role.ci_plan.id

  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid         = "NoObjectReadsButState"
        Effect      = "Deny"
        Action      = ["s3:GetObject", "s3:GetObjectVersion"]
        NotResource = "${local.state_bucket_arn}/*"
      },
      {
        Sid    = "NoDataReads"
        Effect = "Deny"
        Action = [
          "ssm:GetParameter",
          "ssm:GetParameters",
          "ssm:GetParametersByPath",
          "ssm:GetParameterHistory",
          "secretsmanager:GetSecretValue",
          "logs:GetLogEvents",
          "logs:FilterLogEvents",
          "logs:StartQuery",
          "logs:GetQueryResults",
          "logs:StartLiveTail",
          "dynamodb:GetItem",
          "dynamodb:BatchGetItem",
          "dynamodb:Query",
          "dynamodb:Scan",
          "ecr:BatchGetImage",
          "ecr:GetDownloadUrlForLayer",
          "ec2:GetPasswordData",
          "ec2:GetConsoleOutput",
          "ec2:GetConsoleScreenshot",
        ]
        Resource = "*"
      },
    ]
  })
}

resource "aws_iam_role_policy" "ci_plan_state" {
  name = "read-state-write-locks"
  role = aws_iam_role.ci_plan.id

  policy = jsonencode({
    Version = "2012-10-17"
    Statement = concat(
      [
        {
          Sid      = "ListStateBucket"
          Effect   = "Allow"
          Action   = "s3:ListBucket"
          Resource = local.state_bucket_arn
        },
        {
          Sid      = "ReadState"
          Effect   = "Allow"
          Action   = "s3:GetObject"
          Resource = "${local.state_bucket_arn}/*"
        },
        {
          # use_lockfile: plan creates <key>.tflock next to the state and deletes it when done.
          Sid      = "WriteLockFilesOnly"
          Effect   = "Allow"
          Action   = ["s3:PutObject", "s3:DeleteObject"]
          Resource = "${local.state_bucket_arn}/*.tflock"
        },
      ],
      var.state_kms_key_arn == null ? [] : [{
        Sid      = "UseStateKey"
        Effect   = "Allow"
        Action   = ["kms:Decrypt", "kms:GenerateDataKey"]
        Resource = var.state_kms_key_arn
      }],
    )
  })
}

resource "aws_iam_role" "ci_packer" {
  count = var.create_packer_role ? 1 : 0

  name                 = "${var.name_prefix}-ci-packer"
  description          = "GitHub Actions on ${var.github_repository}@${var.push_branch}: build the relay host AMI with Packer"
  max_session_duration = 3600

  assume_role_policy = local.trust_push_branch

  tags = merge(var.tags, { Name = "${var.name_prefix}-ci-packer" })
}

# What the amazon-ebs builder calls with packer/relay-host.pkr.hcl's settings. Packer names its temporary
# resources at random, so EC2 actions cannot be scoped by ARN; they are held to the account's own region
# instead (checkov CKV_AWS_356 / CKV_AWS_290 knowingly not met for those statements and for the session actions).
# What changes or deletes an existing instance, volume, image or snapshot is further held to resources Packer
# tagged itself (run_tags Builder=packer) or to relay host AMIs (Role=container-host), so the role cannot stop a
# stage's instances or touch other images. Its temporary instance profile and role are always named packer-*,
# which bounds the IAM actions.
resource "aws_iam_role_policy" "ci_packer" {
  count = var.create_packer_role ? 1 : 0

  name = "build-relay-host-ami"
  role = aws_iam_role.ci_packer[0].id

  policy = jsonencode({
    Version = "2012-10-17"
    Statement = concat(
      [
        {
          Sid    = "BuildInstanceAndImageInThisRegion"
          Effect = "Allow"
          Action = [
            "ec2:CopyImage", "ec2:CreateImage", "ec2:CreateKeyPair", "ec2:CreateSecurityGroup", "ec2:CreateSnapshot",
            "ec2:CreateTags", "ec2:CreateVolume", "ec2:DeleteKeyPair", "ec2:DeleteSecurityGroup",
            "ec2:DescribeImageAttribute", "ec2:DescribeImages", "ec2:DescribeInstanceStatus", "ec2:DescribeInstances",
            "ec2:DescribeKeyPairs", "ec2:DescribeRegions", "ec2:DescribeSecurityGroups", "ec2:DescribeSnapshots",
            "ec2:DescribeSubnets", "ec2:DescribeTags", "ec2:DescribeVolumes", "ec2:DescribeVpcs", "ec2:RegisterImage",
            "ec2:RunInstances",
          ]
          Resource  = "*"
          Condition = { StringEquals = { "aws:RequestedRegion" = local.region } }
        },
        {
          Sid    = "OnlyTheBuildInstanceAndItsVolumes"
          Effect = "Allow"
          Action = [
            "ec2:AttachVolume", "ec2:DeleteVolume", "ec2:DetachVolume", "ec2:ModifyInstanceAttribute",
            "ec2:StopInstances", "ec2:TerminateInstances",
          ]
          Resource = "*"
          Condition = {
            StringEquals = { "aws:RequestedRegion" = local.region, "ec2:ResourceTag/Builder" = "packer" }
          }
        },
        {
          Sid    = "OnlyRelayHostImages"
          Effect = "Allow"
          Action = [
            "ec2:DeleteSnapshot", "ec2:DeregisterImage", "ec2:ModifyImageAttribute", "ec2:ModifySnapshotAttribute",
          ]
          Resource = "*"
          Condition = {
            StringEquals = { "aws:RequestedRegion" = local.region, "ec2:ResourceTag/Role" = "container-host" }
          }
        },
        {
          Sid      = "ReadBaseImageParameter"
          Effect   = "Allow"
          Action   = "ssm:GetParameter"
          Resource = "arn:${local.partition}:ssm:${local.region}::parameter/aws/service/ami-amazon-linux-latest/*"
        },
        {
          Sid    = "TunnelSshThroughSessionManager"
          Effect = "Allow"
          Action = "ssm:StartSession"
          Resource = [
            "arn:${local.partition}:ec2:${local.region}:${local.account_id}:instance/*",
            "arn:${local.partition}:ssm:${local.region}::document/AWS-StartPortForwardingSession",
          ]
        },
        {
          Sid      = "EndOwnSessions"
          Effect   = "Allow"
          Action   = ["ssm:TerminateSession", "ssm:GetConnectionStatus"]
          Resource = "*"
        },
        {
          Sid    = "TemporaryInstanceProfile"
          Effect = "Allow"
          Action = [
            "iam:AddRoleToInstanceProfile", "iam:CreateInstanceProfile", "iam:CreateRole", "iam:DeleteInstanceProfile",
            "iam:DeleteRole", "iam:DeleteRolePolicy", "iam:GetInstanceProfile", "iam:GetRole", "iam:PutRolePolicy",
            "iam:RemoveRoleFromInstanceProfile", "iam:TagInstanceProfile", "iam:TagRole",
          ]
          Resource = [
            "arn:${local.partition}:iam::${local.account_id}:role/packer-*",
            "arn:${local.partition}:iam::${local.account_id}:instance-profile/packer-*",
          ]
        },
        {
          Sid       = "PassTemporaryRoleToTheBuildInstance"
          Effect    = "Allow"
          Action    = "iam:PassRole"
          Resource  = "arn:${local.partition}:iam::${local.account_id}:role/packer-*"
          Condition = { StringEquals = { "iam:PassedToService" = "ec2.amazonaws.com" } }
        },
      ],
      var.packer_kms_key_arn == null ? [] : [{
        Sid      = "EncryptImageSnapshots"
        Effect   = "Allow"
        Action   = ["kms:CreateGrant", "kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:GenerateDataKey*", "kms:ReEncrypt*"]
        Resource = var.packer_kms_key_arn
      }],
    )
  })
}

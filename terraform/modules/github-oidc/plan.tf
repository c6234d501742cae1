################################################################################
# ci-plan: `terraform plan -lock=false` of the roots under terraform/, from pull requests (terraform.yml).
#
# A pull request can change the workflow that assumes this role, so the role itself is the boundary: it may read
# the configuration of what the roots manage and nothing else. The actions are those the AWS provider (5.100)
# calls when it refreshes each resource and data source type used under terraform/ (see README.md for how the
# list was recorded); what they return is configuration. No data reads: object contents other than the state's,
# parameter values other than /<name_prefix>/*, secrets, log events, queries, image layers. No write at all: pull
# request plans run with -lock=false, so not even a lock file.
################################################################################

locals {
  # Neither these services' Describe/List calls nor the provider's calls of them support resource-level scopes.
  plan_reads_without_resource_scope = [
    "acm:DescribeCertificate",
    "acm:GetCertificate", # the public certificate and chain; ACM never returns a private key here
    "acm:ListCertificates",
    "acm:ListTagsForCertificate",
    "autoscaling:DescribeAutoScalingGroups",
    "autoscaling:DescribePolicies",
    "autoscaling:DescribeScheduledActions",
    "cloudwatch:DescribeAlarms",
    "cloudwatch:GetDashboard",
    "cloudwatch:ListTagsForResource",
    "ec2:DescribeAddresses",
    "ec2:DescribeAddressesAttribute",
    "ec2:DescribeAvailabilityZones",
    "ec2:DescribeFlowLogs",
    "ec2:DescribeImages",
    "ec2:DescribeInstanceTypes",
    "ec2:DescribeInternetGateways",
    "ec2:DescribeLaunchTemplates",
    "ec2:DescribeLaunchTemplateVersions",
    "ec2:DescribeNatGateways",
    "ec2:DescribeNetworkAcls",
    "ec2:DescribeNetworkInterfaces",
    "ec2:DescribePrefixLists",
    "ec2:DescribeRouteTables",
    "ec2:DescribeSecurityGroupRules",
    "ec2:DescribeSecurityGroups",
    "ec2:DescribeSubnets",
    "ec2:DescribeVpcAttribute",
    "ec2:DescribeVpcEndpoints",
    "ec2:DescribeVpcEndpointServices",
    "ec2:DescribeVpcs",
    "elasticloadbalancing:DescribeCapacityReservation",
    "elasticloadbalancing:DescribeListenerAttributes",
    "elasticloadbalancing:DescribeListeners",
    "elasticloadbalancing:DescribeLoadBalancerAttributes",
    "elasticloadbalancing:DescribeLoadBalancers",
    "elasticloadbalancing:DescribeTags",
    "elasticloadbalancing:DescribeTargetGroupAttributes",
    "elasticloadbalancing:DescribeTargetGroups",
    "kms:DescribeKey",
    "kms:GetKeyPolicy",
    "kms:GetKeyRotationStatus",
    "kms:ListAliases",
    "kms:ListResourceTags",
    "logs:DescribeLogGroups",
    "logs:ListTagsForResource",
    "route53:GetHostedZone",
    "route53:ListHostedZones",
    "route53:ListResourceRecordSets",
    "route53:ListTagsForResource",
    "sns:GetSubscriptionAttributes",
    "sns:GetTopicAttributes",
    "sns:ListTagsForResource",
    "ssm:DescribeParameters", # names and metadata, never values
  ]

  # aws_s3_bucket and its configuration resources; HeadBucket is authorised as s3:ListBucket.
  plan_bucket_reads = [
    "s3:GetAccelerateConfiguration",
    "s3:GetBucketAcl",
    "s3:GetBucketCORS",
    "s3:GetBucketLocation",
    "s3:GetBucketLogging",
    "s3:GetBucketObjectLockConfiguration",
    "s3:GetBucketOwnershipControls",
    "s3:GetBucketPolicy",
    "s3:GetBucketPublicAccessBlock",
    "s3:GetBucketRequestPayment",
    "s3:GetBucketTagging",
    "s3:GetBucketVersioning",
    "s3:GetBucketWebsite",
    "s3:GetEncryptionConfiguration",
    "s3:GetLifecycleConfiguration",
    "s3:GetReplicationConfiguration",
    "s3:ListBucket",
  ]
}

resource "aws_iam_role" "ci_plan" {
  name                 = "${var.name_prefix}-ci-plan"
  description          = "GitHub Actions on ${var.github_repository} (pull requests): terraform plan -lock=false"
  max_session_duration = 3600

  assume_role_policy = local.trust_policies.pull_request

  tags = merge(var.tags, { Name = "${var.name_prefix}-ci-plan" })
}

resource "aws_iam_role_policy" "ci_plan" {
  name = "read-configuration"
  role = aws_iam_role.ci_plan.id

  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid      = "ReadConfiguration"
        Effect   = "Allow"
        Action   = local.plan_reads_without_resource_scope
        Resource = "*"
      },
      {
        # Roles, instance profiles and the OIDC provider of this project (stage roles are <name_prefix>-<stage>-...).
        Sid    = "ReadProjectIam"
        Effect = "Allow"
        Action = [
          "iam:GetInstanceProfile",
          "iam:GetOpenIDConnectProvider",
          "iam:GetRole",
          "iam:GetRolePolicy",
          "iam:ListAttachedRolePolicies",
          "iam:ListRolePolicies",
        ]
        Resource = [
          "arn:${local.partition}:iam::${local.account_id}:role/${var.name_prefix}-*",
          "arn:${local.partition}:iam::${local.account_id}:instance-profile/${var.name_prefix}-*",
          "arn:${local.partition}:iam::${local.account_id}:oidc-provider/${local.oidc_host}",
        ]
      },
      {
        # Image metadata (tags, digests) of the app repositories: data sources list the newest tags. No layers.
        Sid      = "ReadAppRepositories"
        Effect   = "Allow"
        Action   = ["ecr:DescribeImages", "ecr:DescribeRepositories", "ecr:GetLifecyclePolicy", "ecr:ListTagsForResource"]
        Resource = var.ecr_repository_arns
      },
      {
        # The stages' buckets (<name_prefix>-...) and the state bucket: their configuration, not their objects.
        Sid      = "ReadProjectBuckets"
        Effect   = "Allow"
        Action   = local.plan_bucket_reads
        Resource = distinct(["arn:${local.partition}:s3:::${var.name_prefix}-*", local.state_bucket_arn])
      },
      {
        Sid      = "ReadState"
        Effect   = "Allow"
        Action   = "s3:GetObject"
        Resource = "${local.state_bucket_arn}/*.tfstate"
      },
      {
        # The project's own parameters (/<name_prefix>/<stage>/..., read by path), in every region of the account.
        Sid      = "ReadProjectParameters"
        Effect   = "Allow"
        Action   = ["ssm:GetParameter", "ssm:GetParameters", "ssm:GetParametersByPath", "ssm:ListTagsForResource"]
        Resource = "arn:${local.partition}:ssm:*:${local.account_id}:parameter/${var.name_prefix}/*"
      },
    ]
  })
}

# The state bucket's default key (aws/s3) needs nothing here: its key policy lets the account use it through S3.
resource "aws_iam_role_policy" "ci_plan_state_key" {
  count = var.state_kms_key_arn == null ? 0 : 1

  name = "decrypt-state"
  role = aws_iam_role.ci_plan.id

  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "DecryptStateThroughS3"
      Effect    = "Allow"
      Action    = "kms:Decrypt"
      Resource  = var.state_kms_key_arn
      Condition = { StringEquals = { "kms:ViaService" = "s3.${local.region}.amazonaws.com" } }
    }]
  })
}

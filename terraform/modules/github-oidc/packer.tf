################################################################################
# ci-packer: packer build of packer/relay-host.pkr.hcl (amazon-ebs builder) from the push branch.
#
# What the builder calls with that template's settings is listed in packer/README.md. It creates its instance,
# volume, network interface, key pair, security group, AMI and snapshots with the template's run_tags, which hold
# Builder=packer from the first resource on; everything that changes, deletes or opens a session into an existing
# resource is conditioned on that tag, and the role may only put the tag on resources as it creates them. The
# build instance gets the fixed PREFIX-packer-build profile below: the role creates no IAM resources.
################################################################################

locals {
  # The tag the builder's run_tags put on everything it creates; packer/test checks the template against it.
  packer_builder_tag = { key = "Builder", value = "packer" }

  packer_build_name = "${var.name_prefix}-packer-build"
}

resource "aws_iam_role" "ci_packer" {
  count = var.create_packer_role ? 1 : 0

  name                 = "${var.name_prefix}-ci-packer"
  description          = "GitHub Actions on ${var.github_repository}@${var.push_branch}: build the relay host AMI with Packer"
  max_session_duration = 3600

  assume_role_policy = local.trust_policies.push_branch

  tags = merge(var.tags, { Name = "${var.name_prefix}-ci-packer" })
}

# EC2 actions that cannot be scoped by ARN (Packer names its resources at random) are held to the region instead:
# checkov CKV_AWS_356 / CKV_AWS_290 knowingly not met for those statements.
resource "aws_iam_role_policy" "ci_packer" {
  count = var.create_packer_role ? 1 : 0

  name = "build-relay-host-ami"
  role = aws_iam_role.ci_packer[0].id

  policy = jsonencode({
    Version = "2012-10-17"
    Statement = concat(
      [
        {
          Sid    = "DescribeInThisRegion"
          Effect = "Allow"
          Action = [
            "ec2:DescribeImageAttribute", "ec2:DescribeImages", "ec2:DescribeInstanceStatus", "ec2:DescribeInstanceTypeOfferings",
            "ec2:DescribeInstances", "ec2:DescribeKeyPairs", "ec2:DescribeRegions", "ec2:DescribeSecurityGroups",
            "ec2:DescribeSnapshots", "ec2:DescribeSubnets", "ec2:DescribeTags", "ec2:DescribeVolumes", "ec2:DescribeVpcs",
          ]
          Resource  = "*"
          Condition = { StringEquals = { "aws:RequestedRegion" = local.region } }
        },
        {
          Sid       = "CreateKeyPairsAndGroupsInThisRegion"
          Effect    = "Allow"
          Action    = ["ec2:CreateKeyPair", "ec2:CreateSecurityGroup"]
          Resource  = "*"
          Condition = { StringEquals = { "aws:RequestedRegion" = local.region } }
        },
        {
          # The template's source_ami_filter accepts Amazon's images only (packer/test checks it). No snapshot grant:
          # a launch may not attach a volume made from one of the account's snapshots.
          Sid       = "LaunchAmazonImagesOnly"
          Effect    = "Allow"
          Action    = "ec2:RunInstances"
          Resource  = "arn:${local.partition}:ec2:${local.region}::image/*"
          Condition = { StringEquals = { "ec2:Owner" = "amazon" } }
        },
        {
          Sid      = "LaunchIntoTheBuildSubnet"
          Effect   = "Allow"
          Action   = "ec2:RunInstances"
          Resource = "${local.ec2_arn}:subnet/${coalesce(var.packer_subnet_id, "*")}"
        },
        {
          # The build's own security group (no ingress) and key pair, tagged as they were created.
          Sid       = "LaunchWithTheBuildsGroupAndKeyPair"
          Effect    = "Allow"
          Action    = "ec2:RunInstances"
          Resource  = ["${local.ec2_arn}:key-pair/*", "${local.ec2_arn}:security-group/*"]
          Condition = { StringEquals = { "ec2:ResourceTag/${local.packer_builder_tag.key}" = local.packer_builder_tag.value } }
        },
        {
          # The instance and its volumes carry the builder tag from launch (run_tags, run_volume_tags).
          Sid       = "LaunchTaggedBuildInstances"
          Effect    = "Allow"
          Action    = "ec2:RunInstances"
          Resource  = ["${local.ec2_arn}:instance/*", "${local.ec2_arn}:volume/*"]
          Condition = { StringEquals = { "aws:RequestTag/${local.packer_builder_tag.key}" = local.packer_builder_tag.value } }
        },
        {
          Sid      = "LaunchWithANetworkInterface"
          Effect   = "Allow"
          Action   = "ec2:RunInstances"
          Resource = "${local.ec2_arn}:network-interface/*"
        },
        {
          # An image of a build instance only (not of a stage's instance), itself tagged as a build resource.
          Sid       = "ImageOnlyBuildInstances"
          Effect    = "Allow"
          Action    = "ec2:CreateImage"
          Resource  = "${local.ec2_arn}:instance/*"
          Condition = { StringEquals = { "ec2:ResourceTag/${local.packer_builder_tag.key}" = local.packer_builder_tag.value } }
        },
        {
          Sid    = "CreateTaggedImagesAndSnapshots"
          Effect = "Allow"
          Action = "ec2:CreateImage"
          Resource = [
            "arn:${local.partition}:ec2:${local.region}::image/*",
            "arn:${local.partition}:ec2:${local.region}::snapshot/*",
          ]
          Condition = { StringEquals = { "aws:RequestTag/${local.packer_builder_tag.key}" = local.packer_builder_tag.value } }
        },
        {
          # Tags only on what these calls create, and only with the builder tag: no existing resource can be given
          # it, so the conditions below keep meaning "created by a build".
          Sid      = "TagOnlyWhatABuildCreates"
          Effect   = "Allow"
          Action   = "ec2:CreateTags"
          Resource = "*"
          Condition = {
            StringEquals = {
              "aws:RequestedRegion"                            = local.region
              "ec2:CreateAction"                               = ["CreateImage", "CreateKeyPair", "CreateSecurityGroup", "RunInstances"]
              "aws:RequestTag/${local.packer_builder_tag.key}" = local.packer_builder_tag.value
            }
          }
        },
        {
          # Stop, terminate and clean up the build's own resources; set the AMI's IMDS attribute; add the AMI's
          # final tags. Never a resource the role did not create.
          Sid    = "ChangeOnlyBuildResources"
          Effect = "Allow"
          Action = [
            "ec2:CreateTags", "ec2:DeleteKeyPair", "ec2:DeleteSecurityGroup", "ec2:DeleteSnapshot", "ec2:DeleteVolume",
            "ec2:DeregisterImage", "ec2:ModifyImageAttribute", "ec2:ModifyInstanceAttribute", "ec2:StopInstances",
            "ec2:TerminateInstances",
          ]
          Resource = "*"
          Condition = {
            StringEquals = {
              "aws:RequestedRegion"                             = local.region
              "ec2:ResourceTag/${local.packer_builder_tag.key}" = local.packer_builder_tag.value
            }
          }
        },
        {
          Sid      = "ReadBaseImageParameter"
          Effect   = "Allow"
          Action   = "ssm:GetParameter"
          Resource = "arn:${local.partition}:ssm:${local.region}::parameter/aws/service/ami-amazon-linux-latest/*"
        },
        {
          # Packer's SSH runs in a port-forwarding session. Only build instances; SessionDocumentAccessCheck makes a
          # session without a document (a shell, SSM-SessionManagerRunShell) need a permission the role lacks.
          Sid      = "PortForwardToBuildInstancesOnly"
          Effect   = "Allow"
          Action   = "ssm:StartSession"
          Resource = "${local.ec2_arn}:instance/*"
          Condition = {
            StringEquals = { "ssm:resourceTag/${local.packer_builder_tag.key}" = local.packer_builder_tag.value }
            Bool         = { "ssm:SessionDocumentAccessCheck" = "true" }
          }
        },
        {
          Sid      = "WithThePortForwardingDocument"
          Effect   = "Allow"
          Action   = "ssm:StartSession"
          Resource = "arn:${local.partition}:ssm:${local.region}::document/AWS-StartPortForwardingSession"
        },
        {
          # Session Manager tags each session with the ID of the caller who started it.
          Sid       = "EndOwnSessions"
          Effect    = "Allow"
          Action    = "ssm:TerminateSession"
          Resource  = "arn:${local.partition}:ssm:${local.region}:${local.account_id}:session/*"
          Condition = { StringLike = { "ssm:resourceTag/aws:ssmmessages:session-id" = "$${aws:userid}" } }
        },
        {
          Sid      = "CheckTheBuildInstanceProfile"
          Effect   = "Allow"
          Action   = "iam:GetInstanceProfile"
          Resource = "arn:${local.partition}:iam::${local.account_id}:instance-profile/${local.packer_build_name}"
        },
        {
          Sid       = "PassOnlyTheBuildRoleToEc2"
          Effect    = "Allow"
          Action    = "iam:PassRole"
          Resource  = "arn:${local.partition}:iam::${local.account_id}:role/${local.packer_build_name}"
          Condition = { StringEquals = { "iam:PassedToService" = "ec2.amazonaws.com" } }
        },
      ],
      [for statement in [
        {
          Sid      = "EncryptVolumesAndSnapshots"
          Effect   = "Allow"
          Action   = ["kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:GenerateDataKey*", "kms:ReEncrypt*"]
          Resource = var.packer_kms_key_arn
        },
        {
          Sid       = "GrantTheKeyToEbsOnly"
          Effect    = "Allow"
          Action    = "kms:CreateGrant"
          Resource  = var.packer_kms_key_arn
          Condition = { Bool = { "kms:GrantIsForAWSResource" = "true" } }
        },
      ] : statement if var.packer_kms_key_arn != null],
    )
  })
}

# The build instance's role: what the SSM agent needs for Session Manager, nothing else (AWS's "Session Manager
# only" instance policy, without the S3/KMS parts for session logging, which the build does not use).
resource "aws_iam_role" "packer_build" {
  count = var.create_packer_role ? 1 : 0

  name        = local.packer_build_name
  description = "Packer build instances of the relay host AMI: Session Manager only"

  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "ec2.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })

  tags = merge(var.tags, { Name = local.packer_build_name })
}

# The SSM agent's channel actions have no resource-level permissions (checkov CKV_AWS_290/355 knowingly not met).
resource "aws_iam_role_policy" "packer_build" {
  count = var.create_packer_role ? 1 : 0

  name = "session-manager-agent"
  role = aws_iam_role.packer_build[0].id

  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid    = "SessionManagerAgent"
      Effect = "Allow"
      Action = [
        "ssm:UpdateInstanceInformation",
        "ssmmessages:CreateControlChannel",
        "ssmmessages:CreateDataChannel",
        "ssmmessages:OpenControlChannel",
        "ssmmessages:OpenDataChannel",
      ]
      Resource = "*"
    }]
  })
}

resource "aws_iam_instance_profile" "packer_build" {
  count = var.create_packer_role ? 1 : 0

  name = local.packer_build_name
  role = aws_iam_role.packer_build[0].name

  tags = merge(var.tags, { Name = local.packer_build_name })
}

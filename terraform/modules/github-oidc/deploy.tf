################################################################################
# Deploy roles, one per stage: release image tags to that stage with tools/release, from workflow jobs of the
# GitHub environment named like the stage. A release reads the images' metadata, creates a launch template
# version of each service (the latest one with new user data), refreshes its Auto Scaling group to that version
# (rolled back on a failed health check or rollout alarm), records the tags in /<name_prefix>/<stage>/<service>/...
# parameters, and deletes the version it made when the refresh did not succeed. It never changes a template's
# default version. Nothing else: no IAM, no security group, no group or template created or deleted.
################################################################################

locals {
  deploy_stages = toset(var.deploy_stages)

  # Per stage: the names modules/stack and modules/service give (<name_prefix>-<stage>-<service>).
  deploy_targets = { for stage in local.deploy_stages : stage => {
    names          = [for service in var.deploy_services : "${var.name_prefix}-${stage}-${service}"]
    group_arns     = [for service in var.deploy_services : "arn:${local.partition}:autoscaling:${local.region}:${local.account_id}:autoScalingGroup:*:autoScalingGroupName/${var.name_prefix}-${stage}-${service}"]
    instance_roles = [for service in var.deploy_services : "arn:${local.partition}:iam::${local.account_id}:role/${var.name_prefix}-${stage}-${service}-instance"]
    parameters     = "arn:${local.partition}:ssm:${local.region}:${local.account_id}:parameter/${var.name_prefix}/${stage}/*"
  } }

  # A launch through one of the account's templates; the template resource's own statement admits only the stage's.
  any_launch_template = "${local.ec2_arn}:launch-template/*"
}

resource "aws_iam_role" "deploy" {
  for_each = local.deploy_stages

  name                 = "${var.name_prefix}-deploy-${each.key}"
  description          = "GitHub Actions on ${var.github_repository}, environment ${each.key}: release image tags to the ${each.key} stage"
  max_session_duration = 3600

  assume_role_policy = local.trust_policies["environment_${each.key}"]

  tags = merge(var.tags, { Name = "${var.name_prefix}-deploy-${each.key}", Environment = each.key })
}

resource "aws_iam_role_policy" "deploy" {
  for_each = local.deploy_stages

  name = "release-${each.key}"
  role = aws_iam_role.deploy[each.key].id

  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        # These Describe actions have no resource-level permissions.
        Sid    = "DescribeGroupsRefreshesTemplatesAlarms"
        Effect = "Allow"
        Action = [
          "autoscaling:DescribeAutoScalingGroups",
          "autoscaling:DescribeInstanceRefreshes",
          "cloudwatch:DescribeAlarms",
          "ec2:DescribeLaunchTemplates",
          "ec2:DescribeLaunchTemplateVersions",
        ]
        Resource  = "*"
        Condition = { StringEquals = { "aws:RequestedRegion" = local.region } }
      },
      {
        Sid      = "ReadImageMetadata"
        Effect   = "Allow"
        Action   = "ecr:DescribeImages"
        Resource = var.ecr_repository_arns
      },
      {
        # Launch template ARNs hold IDs, not names: the stage's templates are those tagged with its names. A release
        # deletes the version it made when the refresh did not succeed, so the latest version is again the last good one.
        Sid      = "NewVersionsOfTheStageTemplates"
        Effect   = "Allow"
        Action   = ["ec2:CreateLaunchTemplateVersion", "ec2:DeleteLaunchTemplateVersions"]
        Resource = "${local.ec2_arn}:launch-template/*"
        Condition = {
          StringEquals = {
            "aws:ResourceTag/Name"        = local.deploy_targets[each.key].names
            "aws:ResourceTag/Environment" = each.key
          }
        }
      },
      {
        Sid      = "RefreshTheStageGroups"
        Effect   = "Allow"
        Action   = ["autoscaling:CancelInstanceRefresh", "autoscaling:StartInstanceRefresh"]
        Resource = local.deploy_targets[each.key].group_arns
      },
      # A refresh to a new launch template version is authorised like a launch from it by the caller: Auto Scaling
      # makes a dry-run RunInstances with the caller's credentials from the template and the group's subnet, so the
      # caller needs RunInstances on what that launch uses and creates, CreateTags for the template's tag
      # specifications and PassRole for its profile (README.md, "What a launch through a stage template may use").
      # Every RunInstances grant below holds only for such a request (aws:ViaAWSService, never a call of the role's
      # own) through the stage's templates (ec2:LaunchTemplate, the template resource below), and binds each resource
      # to the stage: its templates, the account's images, its private subnets, its services' security groups,
      # volumes and interfaces the template tags with the stage. A Spot request, untagged, is not evaluated (README).
      {
        Sid      = "LaunchFromTheStageTemplates"
        Effect   = "Allow"
        Action   = "ec2:RunInstances"
        Resource = "${local.ec2_arn}:launch-template/*"
        Condition = {
          Bool         = { "aws:ViaAWSService" = "true" }
          StringEquals = { "aws:ResourceTag/Name" = local.deploy_targets[each.key].names, "aws:ResourceTag/Environment" = each.key }
        }
      },
      {
        Sid      = "LaunchTheTemplatesImageIfTheAccountOwnsIt"
        Effect   = "Allow"
        Action   = "ec2:RunInstances"
        Resource = "arn:${local.partition}:ec2:${local.region}::image/*"
        Condition = {
          Bool         = { "aws:ViaAWSService" = "true", "ec2:IsLaunchTemplateResource" = "true" }
          ArnLike      = { "ec2:LaunchTemplate" = local.any_launch_template }
          StringEquals = { "ec2:Owner" = local.account_id }
        }
      },
      {
        # The template names no subnet: the group supplies one of its own, which are the stage's private subnets.
        Sid      = "LaunchIntoTheStagePrivateSubnets"
        Effect   = "Allow"
        Action   = "ec2:RunInstances"
        Resource = "${local.ec2_arn}:subnet/*"
        Condition = {
          Bool         = { "aws:ViaAWSService" = "true" }
          ArnLike      = { "ec2:LaunchTemplate" = local.any_launch_template }
          StringEquals = { "aws:ResourceTag/Environment" = each.key, "aws:ResourceTag/Tier" = "private" }
        }
      },
      {
        Sid      = "LaunchWithTheTemplatesServiceSecurityGroup"
        Effect   = "Allow"
        Action   = "ec2:RunInstances"
        Resource = "${local.ec2_arn}:security-group/*"
        Condition = {
          Bool         = { "aws:ViaAWSService" = "true", "ec2:IsLaunchTemplateResource" = "true" }
          ArnLike      = { "ec2:LaunchTemplate" = local.any_launch_template }
          StringEquals = { "aws:ResourceTag/Name" = local.deploy_targets[each.key].names, "aws:ResourceTag/Environment" = each.key }
        }
      },
      {
        Sid      = "LaunchTheTemplatesInstance"
        Effect   = "Allow"
        Action   = "ec2:RunInstances"
        Resource = "${local.ec2_arn}:instance/*"
        Condition = {
          Bool    = { "aws:ViaAWSService" = "true", "ec2:IsLaunchTemplateResource" = "true" }
          ArnLike = { "ec2:LaunchTemplate" = local.any_launch_template }
        }
      },
      {
        # The template's tag specifications give both the stage's Environment tag.
        Sid      = "CreateVolumesAndInterfacesTaggedWithTheStage"
        Effect   = "Allow"
        Action   = "ec2:RunInstances"
        Resource = ["${local.ec2_arn}:network-interface/*", "${local.ec2_arn}:volume/*"]
        Condition = {
          Bool         = { "aws:ViaAWSService" = "true" }
          ArnLike      = { "ec2:LaunchTemplate" = local.any_launch_template }
          StringEquals = { "aws:RequestTag/Environment" = each.key }
        }
      },
      {
        Sid       = "TagOnlyWhatALaunchCreates"
        Effect    = "Allow"
        Action    = "ec2:CreateTags"
        Resource  = ["${local.ec2_arn}:instance/*", "${local.ec2_arn}:network-interface/*", "${local.ec2_arn}:volume/*"]
        Condition = { StringEquals = { "ec2:CreateAction" = "RunInstances" } }
      },
      {
        Sid       = "PassOnlyTheStageInstanceRoles"
        Effect    = "Allow"
        Action    = "iam:PassRole"
        Resource  = local.deploy_targets[each.key].instance_roles
        Condition = { StringEquals = { "iam:PassedToService" = "ec2.amazonaws.com" } }
      },
      {
        Sid      = "ReadAndRecordTheStageTags"
        Effect   = "Allow"
        Action   = ["ssm:GetParameter", "ssm:GetParameterHistory", "ssm:GetParameters", "ssm:PutParameter"]
        Resource = local.deploy_targets[each.key].parameters
      },
    ]
  })
}

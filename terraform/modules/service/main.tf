data "aws_partition" "current" {}
data "aws_region" "current" {}

# Provider default_tags do not reach instances launched by an Auto Scaling group: merge them into the ASG's tags.
data "aws_default_tags" "current" {}

# AMI contract with packer/: relay-host-al2023-<arch>-<timestamp>, tagged Project=relay, Role=container-host.
data "aws_ami" "host" {
  count = var.ami_id == null ? 1 : 0

  owners      = ["self"]
  most_recent = true

  filter {
    name   = "name"
    values = ["relay-host-al2023-${var.architecture}-*"]
  }

  filter {
    name   = "architecture"
    values = [var.architecture]
  }

  filter {
    name   = "tag:Project"
    values = ["relay"]
  }

  filter {
    name   = "tag:Role"
    values = ["container-host"]
  }
}

# An explicit ami_id, read back for its architecture (the lookup above finds only AMIs of var.architecture).
data "aws_ami" "given" {
  count = var.ami_id == null ? 0 : 1

  include_deprecated = true # named on purpose: use it even after its deprecation date

  filter {
    name   = "image-id"
    values = [var.ami_id]
  }
}

# The instance type must run the AMI's architecture: EC2 refuses to launch an arm64 AMI on t3 or an x86_64 one on
# t4g, and the Auto Scaling group would only retry. AWS's data on the type decides, at plan, before anything changes.
data "aws_ec2_instance_type" "this" {
  instance_type = var.instance_type

  lifecycle {
    postcondition {
      condition     = contains(self.supported_architectures, local.ami_architecture)
      error_message = "instance_type ${var.instance_type} runs ${join(" and ", self.supported_architectures)}, but the AMI ${local.ami_id} is ${local.ami_architecture}: choose an instance type and an AMI of one architecture (architecture = \"arm64\" with a Graviton type such as t4g.micro, \"x86_64\" with one such as t3.micro, and an ami_id built for it)."
    }
  }
}

locals {
  ami              = one(concat(data.aws_ami.given, data.aws_ami.host))
  ami_architecture = local.ami.architecture

  # The size of the AMI's root snapshot (block_device_mappings carries each mapping's EBS settings as strings): EC2
  # refuses to launch with a smaller root volume, so the plan refuses a smaller root_volume_size (launch template).
  ami_root_volume_size = one([
    for mapping in local.ami.block_device_mappings : tonumber(mapping.ebs.volume_size)
    if mapping.device_name == local.ami.root_device_name && can(mapping.ebs.volume_size)
  ])
}

locals {
  # Not a variable: make release (tools/release/src/names.ts) and the deploy roles of envs/global look for the
  # parameter under /relay/<environment>/, as the AMI lookup above looks for relay's AMI.
  project = "relay"

  region         = data.aws_region.current.name
  ami_id         = coalesce(var.ami_id, one(data.aws_ami.host[*].id))
  log_group_name = "/${local.project}/${var.environment}/${var.service_name}"

  # The tag the service runs is the one recorded in its parameter (see aws_ssm_parameter.image_tag).
  image_tag = aws_ssm_parameter.image_tag.insecure_value
  image     = startswith(local.image_tag, "sha256:") ? "${var.image_repository_url}@${local.image_tag}" : "${var.image_repository_url}:${local.image_tag}"

  tags          = merge(var.tags, { Service = var.service_name, Environment = var.environment })
  instance_tags = merge(data.aws_default_tags.current.tags, local.tags, { Name = var.name })

  # Read by the AMI's relay-app.service (EnvironmentFile=/etc/relay/runtime.env).
  runtime_env = {
    IMAGE          = local.image
    SERVICE_NAME   = var.service_name
    CONTAINER_PORT = tostring(var.container_port)
    LOG_GROUP      = aws_cloudwatch_log_group.this.name
    AWS_REGION     = local.region
  }

  # Handed to the container with docker --env-file /etc/relay/app.env.
  app_env = merge(var.app_environment, {
    PORT              = tostring(var.container_port)
    ENVIRONMENT       = var.environment
    METRICS_NAMESPACE = var.metrics_namespace
    AWS_REGION        = local.region
  })

  user_data = templatefile("${path.module}/templates/cloud-config.yaml.tftpl", {
    runtime_env = join("", [for key in sort(keys(local.runtime_env)) : "${key}=${local.runtime_env[key]}\n"])
    app_env     = join("", [for key in sort(keys(local.app_env)) : "${key}=${local.app_env[key]}\n"])
  })
}

# checkov CKV_AWS_158 / trivy AVD-AWS-0017 (log group encrypted with a customer managed key) are met only when
# kms_key_arn is set; without it CloudWatch Logs encrypts the group with its own key. CKV_AWS_338 (one year of
# retention) is left to log_retention_days.
resource "aws_cloudwatch_log_group" "this" {
  name              = local.log_group_name
  retention_in_days = var.log_retention_days
  kms_key_id        = var.kms_key_arn

  tags = merge(local.tags, { Name = local.log_group_name })
}

################################################################################
# Security group: the load balancer may reach the container port; the instances may reach HTTPS (ECR, SSM,
# CloudWatch through NAT or VPC endpoints) and whatever extra_egress names. No SSH: use SSM Session Manager.
################################################################################

resource "aws_security_group" "this" {
  name_prefix = "${var.name}-"
  description = "${var.name} instances"
  vpc_id      = var.vpc_id

  tags = merge(local.tags, { Name = var.name })

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_vpc_security_group_ingress_rule" "from_load_balancer" {
  security_group_id            = aws_security_group.this.id
  description                  = "Container port from the load balancer"
  ip_protocol                  = "tcp"
  from_port                    = var.container_port
  to_port                      = var.container_port
  referenced_security_group_id = var.alb_security_group_id

  tags = merge(local.tags, { Name = "${var.name}-from-load-balancer" })
}

# trivy AVD-AWS-0104 (egress to 0.0.0.0/0) is knowingly not met: ECR, its S3 layer storage, SSM and CloudWatch
# have no fixed address ranges to name here, and without interface endpoints they are reached through NAT. The
# rule is HTTPS only; with interface endpoints for all of them (the network module's interface_endpoints) it
# could be narrowed to the VPC's CIDR and the S3 gateway endpoint's prefix list.
resource "aws_vpc_security_group_egress_rule" "https" {
  security_group_id = aws_security_group.this.id
  description       = "HTTPS to AWS APIs (ECR, SSM, CloudWatch) through NAT or VPC endpoints"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = "0.0.0.0/0"

  tags = merge(local.tags, { Name = "${var.name}-https" })
}

resource "aws_vpc_security_group_egress_rule" "extra" {
  # Keyed by position so that security group IDs unknown until apply are fine.
  for_each = { for index, rule in var.extra_egress : tostring(index) => rule }

  security_group_id            = aws_security_group.this.id
  description                  = each.value.description
  ip_protocol                  = "tcp"
  from_port                    = each.value.port
  to_port                      = each.value.port
  referenced_security_group_id = each.value.security_group_id

  tags = merge(local.tags, { Name = "${var.name}-egress-${each.key}" })
}

################################################################################
# Instance role: SSM access, pull from its own repository, logs to its own group, metrics to its namespace.
################################################################################

resource "aws_iam_role" "this" {
  name        = "${var.name}-instance"
  description = "Instances of ${var.name}"

  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { Service = "ec2.amazonaws.com" }
    }]
  })

  tags = merge(local.tags, { Name = "${var.name}-instance" })
}

# The managed policy the SSM agent is supported with (Session Manager, inventory, patching). Knowingly broader
# than Session Manager alone: it also grants ssm:GetParameter(s) on every parameter of the account.
resource "aws_iam_role_policy_attachment" "ssm" {
  role       = aws_iam_role.this.name
  policy_arn = "arn:${data.aws_partition.current.partition}:iam::aws:policy/AmazonSSMManagedInstanceCore"
}

resource "aws_iam_role_policy" "this" {
  name = "${var.name}-runtime"
  role = aws_iam_role.this.id

  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        # GetAuthorizationToken has no resource-level permissions: it must be "*". It only returns a token; what
        # the token may pull is limited by the next statement.
        Sid      = "EcrLogin"
        Effect   = "Allow"
        Action   = "ecr:GetAuthorizationToken"
        Resource = "*"
      },
      {
        Sid      = "EcrPullOwnRepository"
        Effect   = "Allow"
        Action   = ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]
        Resource = var.ecr_repository_arn
      },
      {
        Sid      = "LogsToOwnGroup"
        Effect   = "Allow"
        Action   = ["logs:CreateLogStream", "logs:DescribeLogStreams", "logs:PutLogEvents"]
        Resource = [aws_cloudwatch_log_group.this.arn, "${aws_cloudwatch_log_group.this.arn}:*"]
      },
      {
        # PutMetricData has no resource-level permissions; the namespace condition is how it is scoped.
        Sid       = "MetricsToOwnNamespace"
        Effect    = "Allow"
        Action    = "cloudwatch:PutMetricData"
        Resource  = "*"
        Condition = { StringEquals = { "cloudwatch:namespace" = var.metrics_namespace } }
      },
    ]
  })
}

resource "aws_iam_instance_profile" "this" {
  name = "${var.name}-instance"
  role = aws_iam_role.this.name

  tags = merge(local.tags, { Name = "${var.name}-instance" })
}

################################################################################
# The image tag the service runs. Releases belong to tools/release (make release): it rolls a new launch
# template version out with an instance refresh and, once every instance runs it, records the tag here. Terraform
# writes the parameter only when it creates the service (var.image_tag) and otherwise renders the user data from
# the recorded tag, so that a plan after a release matches the version the release created: no change.
################################################################################

# The parameter's configured value when no tag is given (never an image tag): ignored once the parameter exists,
# refused by the launch template's first precondition when the parameter would be created with it.
locals {
  no_image_tag = "(none)"
}

resource "aws_ssm_parameter" "image_tag" {
  name = "/${local.project}/${var.environment}/${var.service_name}/image-tag"
  type = "String"
  # Not a secret: insecure_value keeps the user data rendered from it readable in plans.
  insecure_value = coalesce(var.image_tag, local.no_image_tag)

  tags = merge(local.tags, { Name = "${var.name}-image-tag" })

  lifecycle {
    # make release owns the value after creation.
    ignore_changes = [insecure_value]
  }
}

################################################################################
# Launch template and Auto Scaling group
################################################################################

resource "aws_launch_template" "this" {
  name = var.name
  # The same text as the VersionDescription of the versions make release creates (tools/release/src/names.ts).
  description = "${var.service_name} ${local.image_tag}"

  image_id      = local.ami_id
  instance_type = var.instance_type
  user_data     = base64encode(local.user_data)

  # Each version Terraform creates becomes the default (what a launch without a version would use). The group
  # does not follow: it runs the version its last instance refresh rolled out.
  update_default_version = true

  iam_instance_profile {
    arn = aws_iam_instance_profile.this.arn
  }

  # IMDSv2 only. Hop limit 1 suffices: the container shares the host's network stack (--network host).
  metadata_options {
    http_endpoint               = "enabled"
    http_tokens                 = "required"
    http_put_response_hop_limit = 1
    instance_metadata_tags      = var.enable_instance_metadata_tags ? "enabled" : "disabled"
  }

  # checkov CKV_AWS_126 (detailed monitoring) is knowingly not met where detailed_monitoring is false: five-minute
  # EC2 metrics are free, and request-count scaling uses the load balancer's one-minute metrics either way.
  monitoring {
    enabled = var.detailed_monitoring
  }

  network_interfaces {
    device_index                = 0
    associate_public_ip_address = false
    delete_on_termination       = true
    security_groups             = [aws_security_group.this.id]
  }

  # Spot with EC2's defaults, which are what an Auto Scaling group needs: a one-time request (the group, not EC2,
  # replaces a reclaimed instance), terminate on interruption, and no maximum price (the Spot price, capped at the
  # on-demand price). No tag specification for the Spot request: the deploy roles' dry-run launches then need no
  # permission on it (README, "Spot instances").
  dynamic "instance_market_options" {
    for_each = var.spot_instances ? [1] : []

    content {
      market_type = "spot"
    }
  }

  # /dev/xvda is the root device of Amazon Linux 2023, the base of the relay host AMI.
  block_device_mappings {
    device_name = "/dev/xvda"

    ebs {
      volume_type           = "gp3"
      volume_size           = var.root_volume_size
      encrypted             = true
      kms_key_id            = var.kms_key_arn
      delete_on_termination = true
    }
  }

  tag_specifications {
    resource_type = "volume"
    tags          = local.instance_tags
  }

  tag_specifications {
    resource_type = "network-interface"
    tags          = local.instance_tags
  }

  tags = merge(local.tags, { Name = var.name })

  lifecycle {
    precondition {
      condition     = local.ami_root_volume_size != null && try(var.root_volume_size >= local.ami_root_volume_size, false)
      error_message = "root_volume_size is ${var.root_volume_size} GiB, but the AMI ${local.ami_id} ${local.ami_root_volume_size == null ? "has no EBS root snapshot" : "has a root snapshot of ${local.ami_root_volume_size} GiB"}: EC2 refuses to launch with a root volume smaller than the AMI's snapshot. Give root_volume_size at least that size (or an AMI with an EBS root device)."
    }

    precondition {
      condition     = local.image_tag != local.no_image_tag
      error_message = "${var.name} is created by this plan and no image tag is recorded for it yet (${aws_ssm_parameter.image_tag.name}): give the tag to start it with: image_tag (in a stage: ${var.service_name}_image_tag, e.g. TF_VAR_${var.service_name}_image_tag=<full commit SHA>)."
    }

    precondition {
      condition     = local.image_tag == local.no_image_tag || can(regex("^([A-Za-z0-9_][A-Za-z0-9_.-]{0,127}|sha256:[0-9a-f]{64})$", local.image_tag))
      error_message = "${aws_ssm_parameter.image_tag.name} holds \"${local.image_tag}\", which is not an image tag (an imported parameter reads as empty): see docs/operations.md, \"Image tags recorded before Terraform managed them\"."
    }

    precondition {
      condition     = var.image_tag == null || var.image_tag == local.image_tag
      error_message = "${var.name} exists and runs the tag recorded in ${aws_ssm_parameter.image_tag.name}, ${local.image_tag}, which only make release changes: the image tag given (${coalesce(var.image_tag, "-")}) is refused. Release it with make release ENV=${var.environment} (tools/release/README.md) and plan without image tags (unset TF_VAR_${var.service_name}_image_tag)."
    }
  }
}

# Rollout guard: a release whose instances pass the health check but answer 5xx fails its instance refresh, and
# the refresh rolls back. No notification: the monitoring module's alarms tell people.
resource "aws_cloudwatch_metric_alarm" "rollout_5xx" {
  count = var.target_group_dimensions == null ? 0 : 1

  alarm_name          = "${var.name}-rollout-5xx"
  alarm_description   = "${var.name} answers more than ${var.instance_refresh_5xx_threshold} 5xx a minute; fails and rolls back a running instance refresh."
  namespace           = "AWS/ApplicationELB"
  metric_name         = "HTTPCode_Target_5XX_Count"
  dimensions          = { LoadBalancer = var.target_group_dimensions.load_balancer, TargetGroup = var.target_group_dimensions.target_group }
  statistic           = "Sum"
  period              = 60
  evaluation_periods  = 2
  comparison_operator = "GreaterThanThreshold"
  threshold           = var.instance_refresh_5xx_threshold
  treat_missing_data  = "notBreaching"

  tags = merge(local.tags, { Name = "${var.name}-rollout-5xx" })
}

resource "aws_autoscaling_group" "this" {
  name                = var.name
  vpc_zone_identifier = var.subnet_ids
  target_group_arns   = var.target_group_arns

  min_size         = var.min_size
  max_size         = var.max_size
  desired_capacity = coalesce(var.desired_capacity, var.min_size)

  # Replace instances that fail the target group's health check, not only those EC2 reports as impaired.
  health_check_type         = "ELB"
  health_check_grace_period = var.health_check_grace_period
  default_instance_warmup   = var.health_check_grace_period

  # A numbered version (not "$Latest"): an instance refresh can roll back only from a numbered version. At creation
  # the latest; afterwards the version make release's last successful instance refresh rolled out (ignored below).
  launch_template {
    id      = aws_launch_template.this.id
    version = aws_launch_template.this.latest_version
  }

  # Creating the group waits until its first instances are healthy targets of the load balancer, for up to the
  # grace period plus five minutes (registration and two health checks): a stage that cannot start fails its
  # apply. min_elb_capacity, not wait_for_elb_capacity: the provider waits for the latter after updates too, for
  # exactly that many healthy targets, which a group the scaling policy has grown never has (README).
  min_elb_capacity          = coalesce(var.desired_capacity, var.min_size)
  wait_for_capacity_timeout = "${var.health_check_grace_period + 300}s"

  metrics_granularity = "1Minute"
  enabled_metrics = [
    "GroupDesiredCapacity",
    "GroupInServiceInstances",
    "GroupMaxSize",
    "GroupMinSize",
    "GroupPendingInstances",
    "GroupTerminatingInstances",
    "GroupTotalInstances",
  ]

  dynamic "tag" {
    for_each = local.instance_tags

    content {
      key                 = tag.key
      value               = tag.value
      propagate_at_launch = true
    }
  }

  lifecycle {
    # The scaling policy moves desired capacity between min_size and max_size; an apply must not undo that. The
    # version belongs to make release: a new launch template version from Terraform (an AMI, an instance type)
    # reaches the instances with the next release, through an instance refresh that rolls back when it fails.
    ignore_changes = [desired_capacity, launch_template[0].version]
  }
}

resource "aws_autoscaling_policy" "target_tracking" {
  count = var.scaling_metric == null ? 0 : 1

  name                   = "${var.name}-${var.scaling_metric == "ALBRequestCountPerTarget" ? "requests" : "cpu"}"
  autoscaling_group_name = aws_autoscaling_group.this.name
  policy_type            = "TargetTrackingScaling"

  target_tracking_configuration {
    target_value = var.scaling_target_value

    predefined_metric_specification {
      predefined_metric_type = var.scaling_metric
      resource_label         = var.scaling_metric == "ALBRequestCountPerTarget" ? "${var.target_group_dimensions.load_balancer}/${var.target_group_dimensions.target_group}" : null
    }
  }
}

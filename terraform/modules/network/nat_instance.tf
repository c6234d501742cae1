################################################################################
# NAT instances (nat = "instance"): per NAT, a fixed network interface that the private route tables point at, an
# Elastic IP, and an Auto Scaling group of one Graviton instance in that AZ's public subnet. At boot the instance
# (nat-instance/relay-nat.sh) associates the Elastic IP with its primary interface, attaches the fixed interface,
# and forwards what arrives on the fixed interface out through the primary, masqueraded: one public address per NAT.
# A lost instance is replaced by the group; the routes and the outside address stay, as they belong to the fixed
# interface and the Elastic IP, which the replacement takes over.
################################################################################

data "aws_partition" "current" {}
data "aws_region" "current" {}

locals {
  nat_instance_names = [for i in range(local.nat_instance_count) : "${var.name}-nat-${var.azs[i]}"]

  # Resolved by EC2 at each launch, so a replacement always boots the newest Amazon Linux 2023 for arm64.
  nat_instance_image = "resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64"

  nat_instance_tags = [for i in range(local.nat_instance_count) : merge(var.tags, { Name = local.nat_instance_names[i] })]

  # The ARN prefix of EC2 resources in this account and region, for the take-over policy.
  ec2_arn_prefix = "arn:${data.aws_partition.current.partition}:ec2:${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}:"
}

# A generated name and create_before_destroy, so that a change that replaces the group (its description) creates
# the new one and moves the fixed interfaces and the launch template to it before deleting the old one. The running
# instance's primary interface keeps the old group until the refresh that the new launch template version starts has
# replaced the instance (one boot, a few minutes); until then the delete meets DependencyViolation, which the
# provider retries within the group's delete timeout, set here to 30 minutes to cover a slow boot.
resource "aws_security_group" "nat_instance" {
  count = var.nat == "instance" ? 1 : 0

  name_prefix = "${var.name}-nat-instance-"
  description = "NAT instances: anything from the private subnets, out to anywhere"
  vpc_id      = aws_vpc.this.id

  tags = merge(var.tags, { Name = "${var.name}-nat-instance" })

  lifecycle {
    create_before_destroy = true
  }

  timeouts {
    delete = "30m"
  }
}

resource "aws_vpc_security_group_ingress_rule" "nat_instance_from_private_subnets" {
  for_each = var.nat == "instance" ? toset(local.private_subnet_cidrs) : toset([])

  security_group_id = aws_security_group.nat_instance[0].id
  description       = "Traffic to forward, from a private subnet"
  ip_protocol       = "-1"
  cidr_ipv4         = each.key

  tags = merge(var.tags, { Name = "${var.name}-nat-instance-from-${each.key}" })
}

# checkov CKV_AWS_382 (no egress to 0.0.0.0/0 on all ports) is knowingly not met: forwarding the private subnets'
# traffic to the internet, whatever its port, is what a NAT is for. The instances' own security groups limit it.
resource "aws_vpc_security_group_egress_rule" "nat_instance_to_anywhere" {
  count = var.nat == "instance" ? 1 : 0

  security_group_id = aws_security_group.nat_instance[0].id
  description       = "Forwarded traffic and the instance's own (SSM, package updates, EC2 API)"
  ip_protocol       = "-1"
  cidr_ipv4         = "0.0.0.0/0"

  tags = merge(var.tags, { Name = "${var.name}-nat-instance-to-anywhere" })
}

resource "aws_network_interface" "nat_instance" {
  count = local.nat_instance_count

  subnet_id         = aws_subnet.public[count.index].id
  security_groups   = [aws_security_group.nat_instance[0].id]
  source_dest_check = false # it forwards packets that are neither from nor to its own address
  description       = "Fixed interface of ${local.nat_instance_names[count.index]}: target of the private routes"

  tags = local.nat_instance_tags[count.index]
}

# Associated by the NAT's instance with itself at boot, not here: instance and network_interface are left unset, so
# the association the instance makes is no drift (both are optional and computed in the provider).
resource "aws_eip" "nat_instance" {
  count = local.nat_instance_count

  domain = "vpc"

  tags = local.nat_instance_tags[count.index]

  depends_on = [aws_internet_gateway.this]
}

resource "aws_iam_role" "nat_instance" {
  count = local.nat_instance_count

  name        = local.nat_instance_names[count.index]
  description = "NAT instance of ${var.name} in ${var.azs[count.index]}"

  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { Service = "ec2.amazonaws.com" }
    }]
  })

  tags = local.nat_instance_tags[count.index]
}

# The managed policy the SSM agent is supported with (Session Manager, inventory, patching). Knowingly broader
# than Session Manager alone: it also grants ssm:GetParameter(s) on every parameter of the account.
resource "aws_iam_role_policy_attachment" "nat_instance_ssm" {
  count = local.nat_instance_count

  role       = aws_iam_role.nat_instance[count.index].name
  policy_arn = "arn:${data.aws_partition.current.partition}:iam::aws:policy/AmazonSSMManagedInstanceCore"
}

# What the instance does at boot (README, "IAM conditions relied on"). ec2:AssociateAddress with an instance ID
# authorizes the Elastic IP and the instance; ec2:AttachNetworkInterface authorizes the interface and the instance;
# every resource of a request must be allowed. The Elastic IP and the interface are named by their ARNs; the instance
# may be any that runs with this NAT's own instance profile (ec2:InstanceProfile, an ARN-typed key of the instance
# resource). Should AWS also authorize the instance's primary interface on AssociateAddress, that interface is
# allowed too, but only one in this NAT's public subnet carrying this NAT's Name tag (the launch template tags it at
# creation). So an instance can take over its own NAT's address and interface, for itself or a sibling of its group,
# and nothing else.
resource "aws_iam_role_policy" "nat_instance_take_over" {
  count = local.nat_instance_count

  name = "take-over-own-nat"
  role = aws_iam_role.nat_instance[count.index].id

  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid      = "OwnNatElasticIp"
        Effect   = "Allow"
        Action   = "ec2:AssociateAddress"
        Resource = "${local.ec2_arn_prefix}elastic-ip/${aws_eip.nat_instance[count.index].allocation_id}"
      },
      {
        Sid      = "OwnNatInterface"
        Effect   = "Allow"
        Action   = "ec2:AttachNetworkInterface"
        Resource = aws_network_interface.nat_instance[count.index].arn
      },
      {
        Sid      = "PrimaryInterfaceOfThisNat"
        Effect   = "Allow"
        Action   = "ec2:AssociateAddress"
        Resource = "${local.ec2_arn_prefix}network-interface/*"
        Condition = {
          StringEquals = { "aws:ResourceTag/Name" = local.nat_instance_names[count.index] }
          ArnEquals    = { "ec2:Subnet" = aws_subnet.public[count.index].arn }
        }
      },
      {
        Sid       = "ToInstancesOfThisNat"
        Effect    = "Allow"
        Action    = ["ec2:AssociateAddress", "ec2:AttachNetworkInterface"]
        Resource  = "${local.ec2_arn_prefix}instance/*"
        Condition = { ArnEquals = { "ec2:InstanceProfile" = aws_iam_instance_profile.nat_instance[count.index].arn } }
      },
    ]
  })
}

resource "aws_iam_instance_profile" "nat_instance" {
  count = local.nat_instance_count

  name = local.nat_instance_names[count.index]
  role = aws_iam_role.nat_instance[count.index].name

  tags = local.nat_instance_tags[count.index]
}

# checkov CKV_AWS_88-style public IP findings are knowingly not met for the primary interface: a new instance needs
# a public address for its first EC2 API call, which associates the Elastic IP with it and so releases the
# auto-assigned address, seconds after boot. Its security group admits nothing from outside the private subnets. checkov CKV_AWS_126 (detailed monitoring)
# is knowingly not met: basic monitoring is free, and the NAT has no scaling that would use one-minute metrics.
resource "aws_launch_template" "nat_instance" {
  count = local.nat_instance_count

  name        = local.nat_instance_names[count.index]
  description = "NAT instance of ${var.name} in ${var.azs[count.index]}"

  image_id                             = local.nat_instance_image
  instance_type                        = var.nat_instance_type
  instance_initiated_shutdown_behavior = "terminate" # relay-nat.service powers off on failure; the group replaces it
  update_default_version               = true

  user_data = base64encode(templatefile("${path.module}/nat-instance/cloud-config.yaml.tftpl", {
    script        = file("${path.module}/nat-instance/relay-nat.sh")
    unit          = file("${path.module}/nat-instance/relay-nat.service")
    networkd_conf = file("${path.module}/nat-instance/networkd-foreign.conf")
    fixed_interface_network = templatefile("${path.module}/nat-instance/fixed-interface.network.tftpl", {
      mac = aws_network_interface.nat_instance[count.index].mac_address
    })
    environment = join("", [
      "NAT_ALLOCATION_ID=${aws_eip.nat_instance[count.index].allocation_id}\n",
      "NAT_PUBLIC_IP=${aws_eip.nat_instance[count.index].public_ip}\n",
      "NAT_INTERFACE_ID=${aws_network_interface.nat_instance[count.index].id}\n",
      "NAT_INTERFACE_MAC=${aws_network_interface.nat_instance[count.index].mac_address}\n",
      "NAT_INTERFACE_ADDRESS=${aws_network_interface.nat_instance[count.index].private_ip}/${split("/", local.public_subnet_cidrs[count.index])[1]}\n",
      # AWS reserves the second address of every subnet for the VPC router.
      "NAT_SUBNET_ROUTER=${cidrhost(local.public_subnet_cidrs[count.index], 1)}\n",
      "NAT_PRIVATE_CIDRS=\"${join(" ", local.private_subnet_cidrs)}\"\n",
    ])
  }))

  iam_instance_profile {
    arn = aws_iam_instance_profile.nat_instance[count.index].arn
  }

  # IMDSv2 only, hop limit 1: nothing on the NAT runs in a container.
  metadata_options {
    http_endpoint               = "enabled"
    http_tokens                 = "required"
    http_put_response_hop_limit = 1
  }

  network_interfaces {
    device_index                = 0
    associate_public_ip_address = true
    delete_on_termination       = true
    security_groups             = [aws_security_group.nat_instance[0].id]
  }

  # /dev/xvda is the root device of Amazon Linux 2023; its size is the image's.
  block_device_mappings {
    device_name = "/dev/xvda"

    ebs {
      volume_type           = "gp3"
      encrypted             = true
      delete_on_termination = true
    }
  }

  dynamic "tag_specifications" {
    for_each = ["instance", "volume", "network-interface"]

    content {
      resource_type = tag_specifications.value
      tags          = local.nat_instance_tags[count.index]
    }
  }

  tags = local.nat_instance_tags[count.index]
}

resource "aws_autoscaling_group" "nat_instance" {
  count = local.nat_instance_count

  name                = local.nat_instance_names[count.index]
  vpc_zone_identifier = [aws_subnet.public[count.index].id]

  min_size         = 1
  max_size         = 1
  desired_capacity = 1

  health_check_type = "EC2"

  # A numbered version: a new launch template version (new script, type or interface) starts the refresh.
  launch_template {
    id      = aws_launch_template.nat_instance[count.index].id
    version = aws_launch_template.nat_instance[count.index].latest_version
  }

  # One instance: it is terminated before its replacement launches, so a refresh costs one boot of NAT outage.
  instance_refresh {
    strategy = "Rolling"

    preferences {
      min_healthy_percentage = 0
    }
  }

  dynamic "tag" {
    for_each = local.nat_instance_tags[count.index]

    content {
      key                 = tag.key
      value               = tag.value
      propagate_at_launch = true
    }
  }
}

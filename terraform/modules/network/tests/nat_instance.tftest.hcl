# nat = "instance": NAT instances instead of NAT gateways, against a mocked AWS provider. The provider still
# validates ARN arguments, so resources whose ARN feeds another resource get ARN-shaped mocks.
mock_provider "aws" {
  mock_resource "aws_cloudwatch_log_group" {
    defaults = { arn = "arn:aws:logs:eu-west-1:123456789012:log-group:/aws/vpc-flow-logs/mock" }
  }

  mock_resource "aws_iam_role" {
    defaults = { arn = "arn:aws:iam::123456789012:role/mock" }
  }

  mock_resource "aws_iam_instance_profile" {
    defaults = { arn = "arn:aws:iam::123456789012:instance-profile/mock" }
  }

  mock_resource "aws_launch_template" {
    defaults = { id = "lt-0123456789abcdef0" }
  }

  mock_data "aws_partition" {
    defaults = { partition = "aws" }
  }

  mock_data "aws_region" {
    defaults = { name = "eu-west-1" }
  }

  mock_data "aws_caller_identity" {
    defaults = { account_id = "123456789012" }
  }
}

variables {
  name = "relay-test"
  azs  = ["eu-west-1a", "eu-west-1b", "eu-west-1c"]
  nat  = "instance"
  tags = { Project = "relay" }
}

run "one_nat_instance_per_az_and_no_nat_gateway" {
  assert {
    condition     = length(aws_nat_gateway.this) == 0 && length(aws_eip.nat) == 0 && length(output.nat_gateway_ids) == 0
    error_message = "nat = \"instance\" must create no NAT gateway (nor its Elastic IP)."
  }

  assert {
    condition = length(aws_autoscaling_group.nat_instance) == 3 && alltrue([
      for i, group in aws_autoscaling_group.nat_instance :
      group.min_size == 1 && group.max_size == 1 && group.desired_capacity == 1 && group.vpc_zone_identifier == toset([aws_subnet.public[i].id])
    ])
    error_message = "Each AZ's NAT must be an Auto Scaling group of exactly one instance in that AZ's public subnet."
  }

  assert {
    condition     = output.nat_instance_asg_names == ["relay-test-nat-eu-west-1a", "relay-test-nat-eu-west-1b", "relay-test-nat-eu-west-1c"]
    error_message = "NAT instance groups are named <name>-nat-<az> and listed in the order of azs."
  }

  assert {
    condition = alltrue([
      for i, eni in aws_network_interface.nat_instance :
      eni.subnet_id == aws_subnet.public[i].id && eni.source_dest_check == false
    ])
    error_message = "Each NAT's fixed interface lives in its AZ's public subnet with the source/destination check off."
  }

  assert {
    condition = length(aws_eip.nat_instance) == 3 && alltrue([
      for i, eip in aws_eip.nat_instance : eip.domain == "vpc" && eip.tags.Name == "relay-test-nat-${var.azs[i]}"
    ]) && output.nat_public_ips == aws_eip.nat_instance[*].public_ip
    error_message = "Each NAT has an Elastic IP of its own, and nat_public_ips lists them."
  }

  assert {
    condition = alltrue([
      for template in aws_launch_template.nat_instance :
      template.network_interfaces[0].device_index == 0 && template.network_interfaces[0].associate_public_ip_address == "true"
    ])
    error_message = "A NAT instance's primary interface needs its auto-assigned public address for its first API call, which moves the Elastic IP onto it."
  }
}

run "every_private_route_targets_its_az_nat_interface" {
  assert {
    condition = alltrue([
      for i, route in aws_route.private_nat :
      route.network_interface_id == aws_network_interface.nat_instance[i].id && route.nat_gateway_id == null
    ])
    error_message = "Each private route table's default route must target the fixed interface of its own AZ's NAT."
  }

  assert {
    condition = output.private_routes == [
      for i in range(3) : {
        route_table_id = aws_route_table.private[i].id
        destination    = "0.0.0.0/0"
        target         = aws_network_interface.nat_instance[i].id
      }
    ]
    error_message = "private_routes must report each private route table's default route through its own AZ's NAT interface."
  }
}

run "single_nat_instance_is_shared" {
  variables {
    single_nat_gateway = true
  }

  assert {
    condition     = length(aws_autoscaling_group.nat_instance) == 1 && length(aws_network_interface.nat_instance) == 1
    error_message = "single_nat_gateway = true must create exactly one NAT instance group and one fixed interface."
  }

  assert {
    condition     = length(aws_route.private_nat) == 3 && alltrue([for route in aws_route.private_nat : route.network_interface_id == aws_network_interface.nat_instance[0].id])
    error_message = "Every private route table must target the single NAT's fixed interface."
  }
}

run "nat_security_group_admits_only_the_private_subnets" {
  assert {
    condition = (
      toset([for rule in aws_vpc_security_group_ingress_rule.nat_instance_from_private_subnets : rule.cidr_ipv4]) == toset(["10.0.128.0/20", "10.0.144.0/20", "10.0.160.0/20"]) &&
      alltrue([for rule in aws_vpc_security_group_ingress_rule.nat_instance_from_private_subnets : rule.security_group_id == aws_security_group.nat_instance[0].id])
    )
    error_message = "The NAT security group must admit the private subnets' CIDRs and nothing else (no public SSH)."
  }

  assert {
    condition = toset(output.nat_instance_ingress) == toset([
      for cidr in ["10.0.128.0/20", "10.0.144.0/20", "10.0.160.0/20"] : { ip_protocol = "-1", cidr_ipv4 = cidr, referenced_security_group_id = tostring(null) }
    ])
    error_message = "nat_instance_ingress must report the private subnets' CIDRs and nothing else."
  }

  assert {
    condition     = aws_vpc_security_group_egress_rule.nat_instance_to_anywhere[0].cidr_ipv4 == "0.0.0.0/0" && aws_vpc_security_group_egress_rule.nat_instance_to_anywhere[0].ip_protocol == "-1"
    error_message = "The NAT must be able to forward to anywhere."
  }

  assert {
    condition = alltrue([
      for i, template in aws_launch_template.nat_instance :
      template.network_interfaces[0].security_groups == toset([aws_security_group.nat_instance[0].id]) &&
      aws_network_interface.nat_instance[i].security_groups == toset([aws_security_group.nat_instance[0].id])
    ])
    error_message = "Both interfaces of a NAT instance must use the NAT security group only."
  }
}

run "nat_instance_is_locked_down" {
  assert {
    condition = alltrue([
      for template in aws_launch_template.nat_instance :
      template.metadata_options[0].http_tokens == "required" && template.metadata_options[0].http_put_response_hop_limit == 1
    ])
    error_message = "NAT instances must require IMDSv2 with a hop limit of 1."
  }

  assert {
    condition     = alltrue([for template in aws_launch_template.nat_instance : template.block_device_mappings[0].ebs[0].encrypted == "true"])
    error_message = "NAT instances' root volumes must be encrypted."
  }

  assert {
    condition     = alltrue([for template in aws_launch_template.nat_instance : template.key_name == null])
    error_message = "NAT instances must have no key pair: Session Manager only."
  }

  assert {
    condition = alltrue([
      for template in aws_launch_template.nat_instance :
      template.image_id == "resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64" &&
      template.instance_type == "t4g.nano" && template.instance_initiated_shutdown_behavior == "terminate"
    ])
    error_message = "NAT instances run the newest AL2023 arm64 image on a t4g.nano and are replaced when they power off."
  }

  assert {
    condition     = strcontains(base64decode(aws_launch_template.nat_instance[0].user_data), "[systemctl, disable, --now, sshd.service]")
    error_message = "The user data must switch sshd off."
  }
}

run "user_data_configures_the_script_for_its_own_nat" {
  assert {
    condition = alltrue([
      for i, template in aws_launch_template.nat_instance : alltrue([
        for line in [
          "NAT_ALLOCATION_ID=${aws_eip.nat_instance[i].allocation_id}\\n",
          "NAT_PUBLIC_IP=${aws_eip.nat_instance[i].public_ip}\\n",
          "NAT_INTERFACE_ID=${aws_network_interface.nat_instance[i].id}\\n",
          "NAT_INTERFACE_MAC=${aws_network_interface.nat_instance[i].mac_address}\\n",
          "NAT_INTERFACE_ADDRESS=${aws_network_interface.nat_instance[i].private_ip}/20\\n",
          "NAT_SUBNET_ROUTER=${cidrhost(aws_subnet.public[i].cidr_block, 1)}\\n",
          "NAT_PRIVATE_CIDRS=\\\"10.0.128.0/20 10.0.144.0/20 10.0.160.0/20\\\"\\n",
        ] : strcontains(base64decode(template.user_data), line)
      ])
    ])
    error_message = "Each NAT's user data must name its own Elastic IP and fixed interface, its subnet's router and the private subnets."
  }

  assert {
    condition = alltrue([
      for i, template in aws_launch_template.nat_instance :
      strcontains(base64decode(template.user_data), "MACAddress=${aws_network_interface.nat_instance[i].mac_address}\\n\\n[Link]\\nUnmanaged=yes")
    ])
    error_message = "Each NAT's user data must keep systemd-networkd off its own fixed interface."
  }

  assert {
    condition     = alltrue([for template in aws_launch_template.nat_instance : length(base64decode(template.user_data)) < 16384])
    error_message = "EC2 accepts at most 16 KB of user data before base64 encoding."
  }

  assert {
    condition     = strcontains(base64decode(aws_launch_template.nat_instance[0].user_data), jsonencode(file("nat-instance/relay-nat.sh")))
    error_message = "The user data must carry nat-instance/relay-nat.sh unchanged."
  }
}

run "nat_instance_role_takes_over_only_its_own_nat" {
  assert {
    condition = alltrue([
      for i, policy in aws_iam_role_policy.nat_instance_take_over :
      jsondecode(policy.policy).Statement == [
        {
          Sid      = "OwnNatElasticIp"
          Effect   = "Allow"
          Action   = "ec2:AssociateAddress"
          Resource = "arn:aws:ec2:eu-west-1:123456789012:elastic-ip/${aws_eip.nat_instance[i].allocation_id}"
        },
        {
          Sid      = "OwnNatInterface"
          Effect   = "Allow"
          Action   = "ec2:AttachNetworkInterface"
          Resource = aws_network_interface.nat_instance[i].arn
        },
        {
          Sid      = "PrimaryInterfaceOfThisNat"
          Effect   = "Allow"
          Action   = "ec2:AssociateAddress"
          Resource = "arn:aws:ec2:eu-west-1:123456789012:network-interface/*"
          Condition = {
            StringEquals = { "aws:ResourceTag/Name" = "relay-test-nat-${var.azs[i]}" }
            ArnEquals    = { "ec2:Subnet" = aws_subnet.public[i].arn }
          }
        },
        {
          Sid       = "ToInstancesOfThisNat"
          Effect    = "Allow"
          Action    = ["ec2:AssociateAddress", "ec2:AttachNetworkInterface"]
          Resource  = "arn:aws:ec2:eu-west-1:123456789012:instance/*"
          Condition = { ArnEquals = { "ec2:InstanceProfile" = aws_iam_instance_profile.nat_instance[i].arn } }
        },
      ] && policy.role == aws_iam_role.nat_instance[i].id
    ])
    error_message = "A NAT's role may associate its own NAT's Elastic IP and attach its own NAT's interface, to instances with its own instance profile, and nothing else."
  }

  assert {
    condition     = alltrue([for attachment in aws_iam_role_policy_attachment.nat_instance_ssm : attachment.policy_arn == "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore"])
    error_message = "NAT instances must be reachable through Session Manager."
  }
}

run "nat_instance_type_is_configurable" {
  command = plan

  variables {
    nat_instance_type = "c7gn.medium"
  }

  assert {
    condition     = alltrue([for template in aws_launch_template.nat_instance : template.instance_type == "c7gn.medium"])
    error_message = "nat_instance_type must set the NAT instances' type."
  }
}

run "nat_gateway_mode_creates_no_nat_instance" {
  command = plan

  variables {
    nat = "gateway"
  }

  assert {
    condition = (
      length(aws_autoscaling_group.nat_instance) == 0 && length(aws_network_interface.nat_instance) == 0 &&
      length(aws_security_group.nat_instance) == 0 && length(aws_iam_role.nat_instance) == 0 && length(aws_nat_gateway.this) == 3
    )
    error_message = "nat = \"gateway\" must create NAT gateways and nothing of the NAT instances."
  }
}

run "rejects_an_unknown_nat" {
  command = plan

  variables {
    nat = "nat-gateway"
  }

  expect_failures = [var.nat]
}

run "rejects_a_nat_instance_type_that_is_not_graviton" {
  command = plan

  variables {
    nat_instance_type = "t3.nano"
  }

  expect_failures = [var.nat_instance_type]
}

# The provider still validates ARN arguments, so resources whose ARN feeds another resource get ARN-shaped mocks.
mock_provider "aws" {
  mock_resource "aws_cloudwatch_log_group" {
    defaults = { arn = "arn:aws:logs:eu-west-1:123456789012:log-group:/aws/vpc-flow-logs/mock" }
  }

  mock_resource "aws_iam_role" {
    defaults = { arn = "arn:aws:iam::123456789012:role/mock" }
  }
}

variables {
  name = "relay-test"
  azs  = ["eu-west-1a", "eu-west-1b", "eu-west-1c"]
  tags = { Project = "relay" }
}

run "subnets_never_give_public_ips" {
  command = plan

  assert {
    condition     = length(aws_subnet.public) == 3 && length(aws_subnet.private) == 3
    error_message = "Expected one public and one private subnet per AZ."
  }

  assert {
    condition     = alltrue([for s in concat(aws_subnet.public, aws_subnet.private) : s.map_public_ip_on_launch == false])
    error_message = "No subnet may assign public IPs on launch."
  }

  assert {
    condition     = aws_subnet.public[0].cidr_block == "10.0.0.0/20" && aws_subnet.private[0].cidr_block == "10.0.128.0/20"
    error_message = "Subnets are carved from blocks 0.. (public) and 8.. (private) of the VPC."
  }

  assert {
    condition     = aws_subnet.private[2].availability_zone == "eu-west-1c" && aws_subnet.private[2].tags["Tier"] == "private"
    error_message = "Private subnets follow the order of azs and carry Tier=private."
  }

  assert {
    condition     = aws_vpc.this.tags["Name"] == "relay-test" && aws_vpc.this.tags["Project"] == "relay"
    error_message = "Resources carry Name merged with the tags input."
  }
}

run "explicit_subnet_cidrs_are_used_as_given" {
  command = plan

  variables {
    azs                  = ["eu-west-1a", "eu-west-1b"]
    public_subnet_cidrs  = ["10.0.0.0/24", "10.0.1.0/24"]
    private_subnet_cidrs = ["10.0.10.0/23", "10.0.12.0/23"]
  }

  assert {
    condition     = aws_subnet.public[*].cidr_block == ["10.0.0.0/24", "10.0.1.0/24"] && aws_subnet.private[*].cidr_block == ["10.0.10.0/23", "10.0.12.0/23"]
    error_message = "Given subnet CIDRs replace the carved ones, in the order of azs."
  }
}

run "one_nat_gateway_per_az_by_default" {
  assert {
    condition     = length(aws_nat_gateway.this) == 3 && length(output.nat_gateway_ids) == 3
    error_message = "Expected one NAT gateway per AZ when single_nat_gateway is false."
  }

  assert {
    condition     = aws_route.private_nat[1].nat_gateway_id == aws_nat_gateway.this[1].id && aws_route.private_nat[2].nat_gateway_id == aws_nat_gateway.this[2].id
    error_message = "Each private route table must use the NAT gateway of its own AZ."
  }

  assert {
    condition     = length(output.private_route_table_ids) == 3 && length(output.private_subnet_ids) == 3
    error_message = "Expected one private route table and subnet per AZ in the outputs."
  }

  assert {
    condition = output.private_routes == [
      for i in range(3) : {
        route_table_id = aws_route_table.private[i].id
        destination    = "0.0.0.0/0"
        target         = aws_nat_gateway.this[i].id
      }
    ]
    error_message = "private_routes must report each private route table's default route through its own AZ's NAT gateway."
  }

  assert {
    condition     = output.nat_instance_ingress == []
    error_message = "NAT gateways have no NAT instance security group rules to report."
  }
}

run "single_nat_gateway_is_shared" {
  variables {
    single_nat_gateway = true
  }

  assert {
    condition     = length(aws_nat_gateway.this) == 1
    error_message = "Expected exactly one NAT gateway."
  }

  assert {
    condition     = alltrue([for r in aws_route.private_nat : r.nat_gateway_id == aws_nat_gateway.this[0].id])
    error_message = "Every private route table must use the single NAT gateway."
  }
}

run "s3_gateway_endpoint_on_private_route_tables_only" {
  assert {
    condition     = aws_vpc_endpoint.s3.vpc_endpoint_type == "Gateway" && toset(aws_vpc_endpoint.s3.route_table_ids) == toset(aws_route_table.private[*].id)
    error_message = "The S3 gateway endpoint must be attached to the private route tables."
  }

  assert {
    condition     = length(aws_vpc_endpoint.interface) == 0 && length(aws_security_group.endpoints) == 0
    error_message = "No interface endpoints (nor their security group) unless asked for."
  }
}

run "interface_endpoints_accept_https_from_the_vpc_only" {
  variables {
    interface_endpoints = ["ssm", "ecr.api"]
  }

  assert {
    condition     = length(aws_vpc_endpoint.interface) == 2 && aws_vpc_endpoint.interface["ecr.api"].private_dns_enabled
    error_message = "Expected the requested interface endpoints with private DNS."
  }

  assert {
    condition     = aws_vpc_endpoint.interface["ssm"].tags["Name"] == "relay-test-ssm" && aws_vpc_endpoint.interface["ecr.api"].tags["Name"] == "relay-test-ecr-api"
    error_message = "Interface endpoints are named after their service."
  }

  assert {
    condition = (
      aws_vpc_security_group_ingress_rule.endpoints_https[0].from_port == 443 &&
      aws_vpc_security_group_ingress_rule.endpoints_https[0].to_port == 443 &&
      aws_vpc_security_group_ingress_rule.endpoints_https[0].cidr_ipv4 == "10.0.0.0/16"
    )
    error_message = "The endpoint security group must admit 443 from the VPC CIDR only."
  }
}

run "default_security_group_has_no_rules" {
  assert {
    condition     = length(aws_default_security_group.this.ingress) == 0 && length(aws_default_security_group.this.egress) == 0
    error_message = "The default security group must have no rules."
  }
}

run "flow_logs_role_writes_its_own_log_group_only" {
  override_data {
    target = data.aws_caller_identity.current
    values = { account_id = "123456789012" }
  }

  variables {
    flow_log_retention_days = 90
  }

  assert {
    condition     = aws_cloudwatch_log_group.flow_logs.retention_in_days == 90 && aws_cloudwatch_log_group.flow_logs.name == "/aws/vpc-flow-logs/relay-test"
    error_message = "Flow logs must go to the VPC's own log group with the given retention."
  }

  assert {
    condition     = aws_flow_log.this.log_destination == aws_cloudwatch_log_group.flow_logs.arn && aws_flow_log.this.traffic_type == "ALL"
    error_message = "The VPC's flow log must record all traffic into its log group."
  }

  assert {
    condition     = jsondecode(aws_iam_role_policy.flow_logs.policy).Statement[0].Resource == "${aws_cloudwatch_log_group.flow_logs.arn}:*"
    error_message = "The flow log role may write to its own log group only."
  }

  assert {
    condition     = jsondecode(aws_iam_role.flow_logs.assume_role_policy).Statement[0].Condition.StringEquals["aws:SourceAccount"] == "123456789012"
    error_message = "The flow log role's trust must be pinned to this account."
  }
}

run "rejects_a_single_az" {
  command = plan

  variables {
    azs = ["eu-west-1a"]
  }

  expect_failures = [var.azs]
}

run "rejects_a_public_vpc_cidr" {
  command = plan

  variables {
    cidr_block = "8.8.0.0/16"
  }

  expect_failures = [var.cidr_block]
}

run "rejects_subnet_cidrs_that_do_not_match_the_azs" {
  command = plan

  variables {
    private_subnet_cidrs = ["10.0.128.0/20"]
  }

  expect_failures = [var.private_subnet_cidrs]
}

run "rejects_unknown_interface_endpoints" {
  command = plan

  variables {
    interface_endpoints = ["ssm", "dynamodb"]
  }

  expect_failures = [var.interface_endpoints]
}

run "rejects_an_invalid_retention" {
  command = plan

  variables {
    flow_log_retention_days = 42
  }

  expect_failures = [var.flow_log_retention_days]
}

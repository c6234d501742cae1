output "vpc_id" {
  description = "ID of the VPC."
  value       = aws_vpc.this.id
}

output "vpc_cidr_block" {
  description = "IPv4 CIDR block of the VPC."
  value       = aws_vpc.this.cidr_block
}

output "public_subnet_ids" {
  description = "IDs of the public subnets (for ALBs), in the order of azs."
  value       = aws_subnet.public[*].id
}

output "private_subnet_ids" {
  description = "IDs of the private subnets (for instances and the internal ALB), in the order of azs."
  value       = aws_subnet.private[*].id
}

output "nat_gateway_ids" {
  description = "IDs of the NAT gateways: one, or one per AZ; empty when nat is \"instance\"."
  value       = aws_nat_gateway.this[*].id
}

output "nat_public_ips" {
  description = "Public (Elastic) IPv4 addresses the private subnets' traffic leaves from, one per NAT, gateway or instance."
  value       = concat(aws_eip.nat[*].public_ip, aws_eip.nat_instance[*].public_ip)
}

output "nat_instance_asg_names" {
  description = "Auto Scaling group of each NAT instance, one per NAT; empty when nat is \"gateway\"."
  value       = aws_autoscaling_group.nat_instance[*].name
}

output "private_route_table_ids" {
  description = "IDs of the private route tables, one per AZ in the order of azs."
  value       = aws_route_table.private[*].id
}

output "private_routes" {
  description = "The default route of each private route table, in the order of azs: route_table_id, destination (0.0.0.0/0) and target, the ID of the NAT gateway or of the NAT instance's fixed network interface it sends to."
  value = [
    for route in aws_route.private_nat : {
      route_table_id = route.route_table_id
      destination    = route.destination_cidr_block
      target         = coalesce(route.nat_gateway_id, route.network_interface_id)
    }
  ]
}

output "nat_instance_ingress" {
  description = "What may reach the NAT instances: ip_protocol, cidr_ipv4 and referenced_security_group_id of every ingress rule of their security group. Empty when nat is \"gateway\"."
  value = [
    for rule in aws_vpc_security_group_ingress_rule.nat_instance_from_private_subnets : {
      ip_protocol                  = rule.ip_protocol
      cidr_ipv4                    = rule.cidr_ipv4
      referenced_security_group_id = rule.referenced_security_group_id
    }
  ]
}

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

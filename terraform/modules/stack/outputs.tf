output "public_url" {
  description = "Base URL of the public API (app1): https://<domain_name> with a domain, https://<public ALB DNS name> with certificate_arn, else http://<public ALB DNS name>."
  value       = module.public_alb.url
}

output "public_alb_dns_name" {
  description = "DNS name of the public load balancer (point a CNAME or alias record here)."
  value       = module.public_alb.dns_name
}

output "internal_alb_dns_name" {
  description = "DNS name of the internal load balancer in front of app2 (resolvable inside the VPC only)."
  value       = module.internal_alb.dns_name
}

output "internal_alb_url" {
  description = "URL app1 calls app2 with (its APP2_URL)."
  value       = module.internal_alb.url
}

output "asg_names" {
  description = "Auto Scaling group of each service, by service."
  value       = { app1 = module.app1.asg_name, app2 = module.app2.asg_name }
}

output "log_group_names" {
  description = "CloudWatch log group of each service's container, by service."
  value       = { app1 = module.app1.log_group_name, app2 = module.app2.log_group_name }
}

output "images" {
  description = "Image each service runs, by service."
  value       = { app1 = module.app1.image, app2 = module.app2.image }
}

output "capacity" {
  description = "Instance type, min_size and max_size of each service, by service."
  value       = { app1 = module.app1.capacity, app2 = module.app2.capacity }
}

output "hosts" {
  description = "What each service's instances launch as, by service: ami_id, architecture (the AMI's, which the instance type runs), detailed_monitoring, market_type (spot or on-demand) and root_volume_size (GiB)."
  value       = { app1 = module.app1.host, app2 = module.app2.host }
}

output "scale_to_zero_schedules" {
  description = "Each service's scheduled stop and start actions (recurrence, time_zone, min_size, max_size, desired_capacity), by service; null values without scale_to_zero_schedule."
  value       = { app1 = module.app1.scale_to_zero_schedule, app2 = module.app2.scale_to_zero_schedule }
}

output "app_environments" {
  description = "Environment each service's container gets, by service."
  value       = { app1 = module.app1.app_environment, app2 = module.app2.app_environment }
}

output "security_group_ids" {
  description = "Security group of each tier: public_alb, app1, internal_alb, app2."
  value = {
    public_alb   = module.public_alb.security_group_id
    app1         = module.app1.security_group_id
    internal_alb = module.internal_alb.security_group_id
    app2         = module.app2.security_group_id
  }
}

locals {
  load_balancers = {
    public   = module.public_alb
    internal = module.internal_alb
  }
}

output "load_balancers" {
  description = "What each load balancer really is, by public and internal: internal, drop_invalid_header_fields, deletion_protection, access_logs_force_destroy, ingress (from_port, to_port, cidr_ipv4, referenced_security_group_id of each rule), listeners (by port: protocol, action, redirect, ssl_policy, certificate_arn), domain (certificate, validation_records, alias_records; null without domain_name) and url."
  value = {
    for side, alb in local.load_balancers : side => {
      internal                   = alb.internal
      drop_invalid_header_fields = alb.drop_invalid_header_fields
      deletion_protection        = alb.deletion_protection
      access_logs_force_destroy  = alb.access_logs_force_destroy
      ingress                    = alb.ingress
      listeners                  = alb.listeners
      domain                     = alb.domain
      url                        = alb.url
    }
  }
}

output "https_required" {
  description = "Whether the stage refuses to plan without HTTPS on the public load balancer (require_https)."
  value       = var.require_https
}

output "service_ingress" {
  description = "What may reach each service's instances (from_port, to_port, cidr_ipv4, referenced_security_group_id of each rule), by service."
  value       = { app1 = module.app1.ingress, app2 = module.app2.ingress }
}

output "service_egress" {
  description = "Where each service's instances may connect to (port and CIDR or security group), by service."
  value       = { app1 = module.app1.egress, app2 = module.app2.egress }
}

output "vpc_id" {
  description = "ID of the stage's VPC."
  value       = module.network.vpc_id
}

output "availability_zones" {
  description = "Availability zones the stage spans."
  value       = local.azs
}

output "nat_gateway_ids" {
  description = "NAT gateways of the stage: one, or one per AZ; empty when nat is \"instance\"."
  value       = module.network.nat_gateway_ids
}

output "nat_instance_asg_names" {
  description = "Auto Scaling group of each NAT instance: one, or one per AZ; empty when nat is \"gateway\"."
  value       = module.network.nat_instance_asg_names
}

output "private_routes" {
  description = "The default route of each private route table, in the order of availability_zones: route_table_id, destination and target (the NAT gateway or the NAT instance's fixed network interface it sends to)."
  value       = module.network.private_routes
}

output "nat_instance_ingress" {
  description = "What may reach the NAT instances (ip_protocol, cidr_ipv4, referenced_security_group_id of each rule of their security group); empty with NAT gateways."
  value       = module.network.nat_instance_ingress
}

output "nat_public_ips" {
  description = "Public IPv4 addresses the stage's outbound traffic leaves from (for allow lists elsewhere)."
  value       = module.network.nat_public_ips
}

output "dashboard_url" {
  description = "Console URL of the stage's CloudWatch dashboard."
  value       = module.monitoring.dashboard_url
}

output "alarm_topic_arn" {
  description = "SNS topic every alarm of the stage notifies."
  value       = module.monitoring.sns_topic_arn
}

output "alarm_notifications" {
  description = "Who the alarms reach: the e-mail address, whether its subscription still waits for confirmation, or nobody (no alarm_email)."
  value       = module.monitoring.notifications
}

output "public_url" {
  description = "URL of the public API, e.g. <public_url>/get/send/infra."
  value       = module.stack.public_url
}

output "public_alb_dns_name" {
  description = "DNS name of the public load balancer (target of a CNAME or alias record)."
  value       = module.stack.public_alb_dns_name
}

output "internal_alb_dns_name" {
  description = "DNS name of the internal load balancer app1 calls app2 through."
  value       = module.stack.internal_alb_dns_name
}

output "asg_names" {
  description = "Auto Scaling group of each service (for instance refresh status and SSM sessions)."
  value       = module.stack.asg_names
}

output "log_group_names" {
  description = "CloudWatch log group of each service's container."
  value       = module.stack.log_group_names
}

output "images" {
  description = "Image each service runs."
  value       = module.stack.images
}

output "dashboard_url" {
  description = "Console URL of the stage's CloudWatch dashboard."
  value       = module.stack.dashboard_url
}

output "alarm_topic_arn" {
  description = "SNS topic the stage's alarms notify."
  value       = module.stack.alarm_topic_arn
}

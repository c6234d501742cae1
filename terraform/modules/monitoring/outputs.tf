output "sns_topic_arn" {
  description = "ARN of the SNS topic every alarm notifies (on alarm and on recovery)."
  value       = aws_sns_topic.alarms.arn
}

output "dashboard_name" {
  description = "Name of the CloudWatch dashboard."
  value       = aws_cloudwatch_dashboard.this.dashboard_name
}

output "dashboard_url" {
  description = "Console URL of the CloudWatch dashboard."
  value       = "https://${local.region}.console.aws.amazon.com/cloudwatch/home?region=${local.region}#dashboards/dashboard/${aws_cloudwatch_dashboard.this.dashboard_name}"
}

output "alarm_arns" {
  description = "ARNs of the alarms by name: public-alb-5xx-rate, TG-target-5xx, TG-unhealthy-hosts, TG-p99-response-time (per target_groups key) and ASG-cpu (per asg_names key)."
  value       = local.alarm_arns
}

output "notifications" {
  description = "Who the alarms reach: \"e-mail to <alarm_email>\", \"nobody yet: ...\" while the subscription waits for confirmation, or \"nobody: ...\" without alarm_email."
  value       = local.notifications
}

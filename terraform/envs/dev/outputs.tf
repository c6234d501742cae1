output "stack" {
  description = "Every output of modules/stack: public_url, asg_names, log_group_names, images, dashboard_url, alarm_topic_arn, ..."
  value       = module.stack
}

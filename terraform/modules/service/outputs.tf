output "asg_name" {
  description = "Name of the Auto Scaling group."
  value       = aws_autoscaling_group.this.name
}

output "asg_arn" {
  description = "ARN of the Auto Scaling group."
  value       = aws_autoscaling_group.this.arn
}

output "security_group_id" {
  description = "Security group of the instances (reference it to let them reach another service)."
  value       = aws_security_group.this.id
}

output "launch_template_id" {
  description = "ID of the launch template."
  value       = aws_launch_template.this.id
}

output "launch_template_latest_version" {
  description = "Latest launch template version: Terraform's last change or make release's last version. The Auto Scaling group runs it once a release has rolled it out."
  value       = aws_launch_template.this.latest_version
}

output "log_group_name" {
  description = "CloudWatch log group of the container's output."
  value       = aws_cloudwatch_log_group.this.name
}

output "iam_role_arn" {
  description = "ARN of the instance role."
  value       = aws_iam_role.this.arn
}

output "instance_profile_name" {
  description = "Name of the instance profile."
  value       = aws_iam_instance_profile.this.name
}

output "image" {
  description = "Image reference of the recorded tag (repository URL with tag or digest): what the instances run after a successful release."
  value       = local.image
}

output "image_tag" {
  description = "Image tag recorded in the image_tag_parameter: the tag of the last successful release, or the one the service was created with."
  value       = local.image_tag
}

output "image_tag_parameter" {
  description = "Name of the SSM parameter (String) that records the service's image tag: /relay/<environment>/<service_name>/image-tag."
  value       = aws_ssm_parameter.image_tag.name
}

output "app_environment" {
  description = "Complete environment the container gets (/etc/relay/app.env)."
  value       = local.app_env
}

output "ingress" {
  description = "What may reach the instances: from_port, to_port and the source (cidr_ipv4 or referenced_security_group_id, the other null) of every ingress rule."
  value = [
    for rule in [aws_vpc_security_group_ingress_rule.from_load_balancer] : {
      from_port                    = rule.from_port
      to_port                      = rule.to_port
      cidr_ipv4                    = rule.cidr_ipv4
      referenced_security_group_id = rule.referenced_security_group_id
    }
  ]
}

output "egress" {
  description = "Where the instances may connect to: port and destination (CIDR or security group) of every egress rule."
  value = concat(
    [{ port = aws_vpc_security_group_egress_rule.https.from_port, destination = aws_vpc_security_group_egress_rule.https.cidr_ipv4 }],
    [for rule in aws_vpc_security_group_egress_rule.extra : { port = rule.from_port, destination = rule.referenced_security_group_id }],
  )
}

output "capacity" {
  description = "Instance type of the launch template and min_size and max_size of the Auto Scaling group."
  value = {
    instance_type = aws_launch_template.this.instance_type
    min_size      = aws_autoscaling_group.this.min_size
    max_size      = aws_autoscaling_group.this.max_size
  }
}

output "host" {
  description = "What the instances launch as, read back from the launch template and the AMI: ami_id, architecture (the AMI's, which the instance type runs: checked at plan), detailed_monitoring, market_type (spot or on-demand) and root_volume_size (GiB)."
  value = {
    ami_id              = aws_launch_template.this.image_id
    architecture        = local.ami_architecture
    detailed_monitoring = aws_launch_template.this.monitoring[0].enabled
    market_type         = coalesce(one(aws_launch_template.this.instance_market_options[*].market_type), "on-demand")
    root_volume_size    = aws_launch_template.this.block_device_mappings[0].ebs[0].volume_size
  }
}

output "scale_to_zero_schedule" {
  description = "The scheduled actions of scale_to_zero_schedule, read back, by stop and start: recurrence, time_zone, min_size, max_size, desired_capacity. Null without a schedule."
  value = var.scale_to_zero_schedule == null ? null : {
    for name, action in { stop = aws_autoscaling_schedule.stop[0], start = aws_autoscaling_schedule.start[0] } : name => {
      recurrence               = action.recurrence
      time_zone                = action.time_zone
      min_size                 = action.min_size
      max_size                 = action.max_size
      desired_capacity         = action.desired_capacity
    }
  }
}

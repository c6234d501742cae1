locals {
  region         = data.aws_region.current.id
  account_id     = data.aws_caller_identity.current.account_id
  partition      = data.aws_partition.current.partition
  topic_name     = "${var.name_prefix}-alarms"
  dashboard_name = "${var.name_prefix}-overview"
  kms_key_arn    = coalesce(var.kms_key_arn, try(aws_kms_key.alarms[0].arn, null))
  alarm_actions  = [aws_sns_topic.alarms.arn]
}

data "aws_region" "current" {}

data "aws_caller_identity" "current" {}

data "aws_partition" "current" {}

# CloudWatch alarms cannot publish to a topic encrypted with the AWS managed alias/aws/sns key (its policy does
# not admit the cloudwatch service), so unless a key is given the topic gets its own customer managed key.
resource "aws_kms_key" "alarms" {
  count = var.kms_key_arn == null ? 1 : 0

  description             = "Encrypts the ${local.topic_name} SNS topic"
  enable_key_rotation     = true
  deletion_window_in_days = 7

  # In a key policy, Resource "*" means this key; checkov CKV_AWS_109/111/356 read it as any resource.
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "AccountAdministersKeyThroughIam"
        Effect    = "Allow"
        Principal = { AWS = "arn:${local.partition}:iam::${local.account_id}:root" }
        Action    = "kms:*"
        Resource  = "*"
      },
      {
        Sid       = "CloudWatchAlarmsPublishEncrypted"
        Effect    = "Allow"
        Principal = { Service = "cloudwatch.amazonaws.com" }
        Action    = ["kms:Decrypt", "kms:GenerateDataKey*"]
        Resource  = "*"
        Condition = { StringEquals = { "aws:SourceAccount" = local.account_id } }
      },
    ]
  })

  tags = merge(var.tags, { Name = local.topic_name })
}

resource "aws_kms_alias" "alarms" {
  count = var.kms_key_arn == null ? 1 : 0

  name          = "alias/${local.topic_name}"
  target_key_id = aws_kms_key.alarms[0].key_id
}

resource "aws_sns_topic" "alarms" {
  name              = local.topic_name
  kms_master_key_id = local.kms_key_arn

  tags = merge(var.tags, { Name = local.topic_name })
}

resource "aws_sns_topic_policy" "alarms" {
  arn = aws_sns_topic.alarms.arn

  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "CloudWatchAlarmsOfThisAccountPublish"
        Effect    = "Allow"
        Principal = { Service = "cloudwatch.amazonaws.com" }
        Action    = "sns:Publish"
        Resource  = aws_sns_topic.alarms.arn
        Condition = { StringEquals = { "aws:SourceAccount" = local.account_id } }
      },
      {
        Sid       = "DenyInsecureTransport"
        Effect    = "Deny"
        Principal = "*"
        Action    = "sns:Publish"
        Resource  = aws_sns_topic.alarms.arn
        Condition = { Bool = { "aws:SecureTransport" = "false" } }
      },
    ]
  })
}

# AWS mails the address a link to confirm the subscription; until it is clicked nothing is delivered, and an
# unconfirmed subscription expires after three days (apply again to get a new mail).
resource "aws_sns_topic_subscription" "email" {
  count = var.alarm_email == null ? 0 : 1

  topic_arn = aws_sns_topic.alarms.arn
  protocol  = "email"
  endpoint  = var.alarm_email
}

locals {
  notifications = (
    var.alarm_email == null ? "nobody: set alarm_email (an address that confirms AWS's subscription mail), or subscribe to the SNS topic ${local.topic_name}" :
    aws_sns_topic_subscription.email[0].pending_confirmation ? "nobody yet: ${var.alarm_email} has not confirmed the subscription; click the link in the mail from AWS Notifications" :
    "e-mail to ${var.alarm_email}"
  )
}

# A warning at every plan and apply while the alarms reach nobody. (Whether an address has confirmed its
# subscription is known only after apply, so the notifications output reports that, not a check: a check that
# cannot be evaluated at plan time fails terraform test.)
check "alarms_reach_someone" {
  assert {
    condition     = var.alarm_email != null
    error_message = "The alarms of ${var.name_prefix} notify nobody: set alarm_email, or subscribe to the SNS topic ${local.topic_name} yourself."
  }
}

# Errors the load balancer itself returns (no healthy target, timeouts) as a share of all requests.
resource "aws_cloudwatch_metric_alarm" "alb_5xx_rate" {
  alarm_name          = "${var.name_prefix}-public-alb-5xx-rate"
  alarm_description   = "More than ${var.thresholds.alb_5xx_rate_percent}% of the public ALB's requests end in a 5xx the ALB generated itself."
  comparison_operator = "GreaterThanThreshold"
  threshold           = var.thresholds.alb_5xx_rate_percent
  evaluation_periods  = var.evaluation_periods
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions

  metric_query {
    id          = "rate"
    expression  = "IF(requests > 0, 100 * FILL(errors, 0) / requests, 0)"
    label       = "ELB 5xx (% of requests)"
    return_data = true
  }

  metric_query {
    id = "errors"
    metric {
      namespace   = "AWS/ApplicationELB"
      metric_name = "HTTPCode_ELB_5XX_Count"
      dimensions  = { LoadBalancer = var.public_alb_arn_suffix }
      period      = 60
      stat        = "Sum"
    }
  }

  metric_query {
    id = "requests"
    metric {
      namespace   = "AWS/ApplicationELB"
      metric_name = "RequestCount"
      dimensions  = { LoadBalancer = var.public_alb_arn_suffix }
      period      = 60
      stat        = "Sum"
    }
  }

  tags = merge(var.tags, { Name = "${var.name_prefix}-public-alb-5xx-rate" })
}

resource "aws_cloudwatch_metric_alarm" "target_5xx" {
  for_each = var.target_groups

  alarm_name          = "${var.name_prefix}-${each.key}-target-5xx"
  alarm_description   = "${each.key}'s targets answered more than ${var.thresholds.target_5xx_count} 5xx responses a minute."
  namespace           = "AWS/ApplicationELB"
  metric_name         = "HTTPCode_Target_5XX_Count"
  dimensions          = { TargetGroup = each.value.arn_suffix, LoadBalancer = each.value.alb_arn_suffix }
  statistic           = "Sum"
  period              = 60
  comparison_operator = "GreaterThanThreshold"
  threshold           = var.thresholds.target_5xx_count
  evaluation_periods  = var.evaluation_periods
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions

  tags = merge(var.tags, { Name = "${var.name_prefix}-${each.key}-target-5xx" })
}

resource "aws_cloudwatch_metric_alarm" "unhealthy_hosts" {
  for_each = var.target_groups

  alarm_name          = "${var.name_prefix}-${each.key}-unhealthy-hosts"
  alarm_description   = "${each.key} has more than ${var.thresholds.unhealthy_host_count} targets failing their health check."
  namespace           = "AWS/ApplicationELB"
  metric_name         = "UnHealthyHostCount"
  dimensions          = { TargetGroup = each.value.arn_suffix, LoadBalancer = each.value.alb_arn_suffix }
  statistic           = "Maximum"
  period              = 60
  comparison_operator = "GreaterThanThreshold"
  threshold           = var.thresholds.unhealthy_host_count
  evaluation_periods  = var.evaluation_periods
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions

  tags = merge(var.tags, { Name = "${var.name_prefix}-${each.key}-unhealthy-hosts" })
}

resource "aws_cloudwatch_metric_alarm" "p99_response_time" {
  for_each = var.target_groups

  alarm_name          = "${var.name_prefix}-${each.key}-p99-response-time"
  alarm_description   = "${each.key}'s p99 target response time is above ${var.thresholds.p99_response_time_seconds} s."
  namespace           = "AWS/ApplicationELB"
  metric_name         = "TargetResponseTime"
  dimensions          = { TargetGroup = each.value.arn_suffix, LoadBalancer = each.value.alb_arn_suffix }
  extended_statistic  = "p99"
  period              = 60
  comparison_operator = "GreaterThanThreshold"
  threshold           = var.thresholds.p99_response_time_seconds
  evaluation_periods  = var.evaluation_periods
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions

  tags = merge(var.tags, { Name = "${var.name_prefix}-${each.key}-p99-response-time" })
}

resource "aws_cloudwatch_metric_alarm" "asg_cpu" {
  for_each = var.asg_names

  alarm_name          = "${var.name_prefix}-${each.key}-cpu"
  alarm_description   = "${each.key}'s instances average more than ${var.thresholds.asg_cpu_percent}% CPU."
  namespace           = "AWS/EC2"
  metric_name         = "CPUUtilization"
  dimensions          = { AutoScalingGroupName = each.value }
  statistic           = "Average"
  period              = var.instance_metrics_period
  comparison_operator = "GreaterThanThreshold"
  threshold           = var.thresholds.asg_cpu_percent
  evaluation_periods  = var.evaluation_periods
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions

  tags = merge(var.tags, { Name = "${var.name_prefix}-${each.key}-cpu" })
}

locals {
  alarm_arns = merge(
    { "public-alb-5xx-rate" = aws_cloudwatch_metric_alarm.alb_5xx_rate.arn },
    { for k, a in aws_cloudwatch_metric_alarm.target_5xx : "${k}-target-5xx" => a.arn },
    { for k, a in aws_cloudwatch_metric_alarm.unhealthy_hosts : "${k}-unhealthy-hosts" => a.arn },
    { for k, a in aws_cloudwatch_metric_alarm.p99_response_time : "${k}-p99-response-time" => a.arn },
    { for k, a in aws_cloudwatch_metric_alarm.asg_cpu : "${k}-cpu" => a.arn },
  )

  # Dashboard widgets: 24 columns wide, four rows (load balancers, capacity, the apps' own
  # metrics, app1's calls to app2).
  elb = "AWS/ApplicationELB"
  app_dims = {
    for s in var.services : s => ["Service", s, "Environment", var.environment]
  }

  widget = {
    requests = {
      title = "Requests per minute"
      stat  = "Sum"
      metrics = concat(
        [[local.elb, "RequestCount", "LoadBalancer", var.public_alb_arn_suffix, { label = "public ALB" }]],
        [for k, tg in var.target_groups : [local.elb, "RequestCount", "TargetGroup", tg.arn_suffix, "LoadBalancer", tg.alb_arn_suffix, { label = k }]],
      )
    }
    latency = {
      title = "Target response time (s)"
      stat  = "p99"
      metrics = concat(
        [for k, tg in var.target_groups : [local.elb, "TargetResponseTime", "TargetGroup", tg.arn_suffix, "LoadBalancer", tg.alb_arn_suffix, { label = "${k} p99" }]],
        [for k, tg in var.target_groups : [local.elb, "TargetResponseTime", "TargetGroup", tg.arn_suffix, "LoadBalancer", tg.alb_arn_suffix, { label = "${k} p50", stat = "p50" }]],
      )
    }
    errors = {
      title = "Errors per minute"
      stat  = "Sum"
      metrics = concat(
        [[local.elb, "HTTPCode_ELB_5XX_Count", "LoadBalancer", var.public_alb_arn_suffix, { label = "public ALB 5xx" }]],
        [for k, tg in var.target_groups : [local.elb, "HTTPCode_Target_5XX_Count", "TargetGroup", tg.arn_suffix, "LoadBalancer", tg.alb_arn_suffix, { label = "${k} 5xx" }]],
        [for k, tg in var.target_groups : [local.elb, "HTTPCode_Target_4XX_Count", "TargetGroup", tg.arn_suffix, "LoadBalancer", tg.alb_arn_suffix, { label = "${k} 4xx" }]],
      )
    }
    hosts = {
      title = "Healthy / unhealthy targets"
      stat  = "Minimum"
      metrics = concat(
        [for k, tg in var.target_groups : [local.elb, "HealthyHostCount", "TargetGroup", tg.arn_suffix, "LoadBalancer", tg.alb_arn_suffix, { label = "${k} healthy" }]],
        [for k, tg in var.target_groups : [local.elb, "UnHealthyHostCount", "TargetGroup", tg.arn_suffix, "LoadBalancer", tg.alb_arn_suffix, { label = "${k} unhealthy", stat = "Maximum" }]],
      )
    }
    cpu = {
      title   = "Instance CPU (%)"
      stat    = "Average"
      period  = var.instance_metrics_period
      metrics = [for k, asg in var.asg_names : ["AWS/EC2", "CPUUtilization", "AutoScalingGroupName", asg, { label = k }]]
    }
    app_requests = {
      title   = "App requests per minute"
      stat    = "Sum"
      metrics = [for s, d in local.app_dims : concat([var.metrics_namespace, "Requests"], d, [{ label = s }])]
    }
    app_errors = {
      title = "App errors per minute"
      stat  = "Sum"
      metrics = concat(
        [for s, d in local.app_dims : concat([var.metrics_namespace, "Errors4xx"], d, [{ label = "${s} 4xx" }])],
        [for s, d in local.app_dims : concat([var.metrics_namespace, "Errors5xx"], d, [{ label = "${s} 5xx" }])],
      )
    }
    app_latency = {
      title   = "App latency p99 (ms)"
      stat    = "p99"
      metrics = [for s, d in local.app_dims : concat([var.metrics_namespace, "Latency"], d, [{ label = s }])]
    }
    upstream_latency = {
      title = "app1 → app2 call latency (ms)"
      stat  = "p99"
      metrics = [
        [var.metrics_namespace, "UpstreamLatency", "Service", "app1", "Environment", var.environment, { label = "p99" }],
        [var.metrics_namespace, "UpstreamLatency", "Service", "app1", "Environment", var.environment, { label = "p50", stat = "p50" }],
      ]
    }
    # One line per Kind (unreachable, timeout, bad_response, upstream_4xx, upstream_5xx) that has data, so a new
    # kind in app1 shows up without a change here.
    upstream_failures = {
      title = "app1 → app2 call failures per minute, by kind"
      stat  = "Sum"
      metrics = [[{
        id         = "failures"
        expression = "SEARCH('{${var.metrics_namespace},Environment,Kind,Service} MetricName=\"UpstreamFailures\" Service=\"app1\" Environment=\"${var.environment}\"', 'Sum', 60)"
        label      = "$${PROP('Dim.Kind')}"
      }]]
    }
  }

  layout = [
    { key = "requests", x = 0, y = 0 }, { key = "latency", x = 8, y = 0 }, { key = "errors", x = 16, y = 0 },
    { key = "hosts", x = 0, y = 6 }, { key = "cpu", x = 8, y = 6 },
    { key = "app_requests", x = 0, y = 12 }, { key = "app_errors", x = 8, y = 12 }, { key = "app_latency", x = 16, y = 12 },
    { key = "upstream_latency", x = 0, y = 18 }, { key = "upstream_failures", x = 8, y = 18 },
  ]
}

resource "aws_cloudwatch_dashboard" "this" {
  dashboard_name = local.dashboard_name

  dashboard_body = jsonencode({
    widgets = concat(
      # A metric widget without metrics is refused by CloudWatch (no target groups or ASGs given).
      [for w in local.layout : {
        type   = "metric"
        x      = w.x
        y      = w.y
        width  = 8
        height = 6
        properties = {
          title   = local.widget[w.key].title
          region  = local.region
          stat    = local.widget[w.key].stat
          period  = try(local.widget[w.key].period, 60)
          view    = "timeSeries"
          metrics = local.widget[w.key].metrics
        }
      } if length(local.widget[w.key].metrics) > 0],
      [{
        type   = "alarm"
        x      = 16
        y      = 6
        width  = 8
        height = 6
        properties = {
          title  = "Alarms"
          alarms = values(local.alarm_arns)
        }
      }],
    )
  })
}

# The provider still validates ARN arguments, so resources whose ARN feeds another resource get ARN-shaped mocks.
mock_provider "aws" {
  mock_data "aws_region" {
    defaults = { id = "eu-west-1", name = "eu-west-1" }
  }

  mock_data "aws_caller_identity" {
    defaults = { account_id = "123456789012" }
  }

  mock_resource "aws_sns_topic" {
    defaults = { arn = "arn:aws:sns:eu-west-1:123456789012:relay-test-alarms" }
  }

  mock_resource "aws_kms_key" {
    defaults = { arn = "arn:aws:kms:eu-west-1:123456789012:key/00000000-0000-0000-0000-000000000000" }
  }

  mock_resource "aws_sns_topic_subscription" {
    defaults = { pending_confirmation = false }
  }

  mock_resource "aws_cloudwatch_metric_alarm" {
    defaults = { arn = "arn:aws:cloudwatch:eu-west-1:123456789012:alarm:mock" }
  }
}

variables {
  name_prefix           = "relay-test"
  environment           = "dev"
  public_alb_arn_suffix = "app/relay-test-public/1111"
  target_groups = {
    app1 = { arn_suffix = "targetgroup/relay-test-app1/aaaa", alb_arn_suffix = "app/relay-test-public/1111" }
    app2 = { arn_suffix = "targetgroup/relay-test-app2/bbbb", alb_arn_suffix = "app/relay-test-internal/2222" }
  }
  asg_names   = { app1 = "relay-test-app1", app2 = "relay-test-app2" }
  alarm_email = "ops@example.com"
  tags        = { Project = "relay" }
}

run "topic_is_encrypted_with_a_key_cloudwatch_may_use" {
  assert {
    condition     = aws_sns_topic.alarms.kms_master_key_id == aws_kms_key.alarms[0].arn && aws_kms_key.alarms[0].enable_key_rotation
    error_message = "Without kms_key_arn the topic is encrypted with the module's own rotating key."
  }

  assert {
    condition = anytrue([
      for s in jsondecode(aws_kms_key.alarms[0].policy).Statement :
      try(s.Principal.Service, "") == "cloudwatch.amazonaws.com" && try(s.Condition.StringEquals["aws:SourceAccount"], "") == "123456789012"
    ])
    error_message = "The key policy must let CloudWatch alarms of this account use the key."
  }

  assert {
    condition     = aws_sns_topic_subscription.email[0].protocol == "email" && aws_sns_topic_subscription.email[0].endpoint == "ops@example.com"
    error_message = "alarm_email is subscribed to the topic."
  }
}

# The check block's failure is a warning in a real plan (and a failure in a test unless expected): it must fire.
run "alarms_without_an_address_say_they_reach_nobody" {
  command = plan

  variables {
    alarm_email = null
  }

  assert {
    condition     = length(aws_sns_topic_subscription.email) == 0
    error_message = "No e-mail subscription without alarm_email."
  }

  assert {
    condition     = output.notifications == "nobody: set alarm_email (an address that confirms AWS's subscription mail), or subscribe to the SNS topic relay-test-alarms"
    error_message = "Without alarm_email the notifications output says that nobody is told, and what to do."
  }

  expect_failures = [check.alarms_reach_someone]
}

# Like a real subscription just created, this one waits for its confirmation.
run "an_unconfirmed_address_is_reported_until_confirmed" {
  state_key = "unconfirmed" # a subscription of its own, created here

  override_resource {
    target = aws_sns_topic_subscription.email
    values = { pending_confirmation = true }
  }

  assert {
    condition     = startswith(output.notifications, "nobody yet: ops@example.com has not confirmed the subscription")
    error_message = "A subscription waiting for confirmation is reported as reaching nobody yet."
  }
}

run "a_confirmed_address_is_reached" {
  assert {
    condition     = output.notifications == "e-mail to ops@example.com"
    error_message = "A confirmed subscription is reported as the address the alarms reach."
  }
}

run "given_key_and_email_are_used" {
  variables {
    kms_key_arn = "arn:aws:kms:eu-west-1:123456789012:key/11111111-1111-1111-1111-111111111111"
  }

  assert {
    condition     = length(aws_kms_key.alarms) == 0 && aws_sns_topic.alarms.kms_master_key_id == var.kms_key_arn
    error_message = "A given key replaces the module's own."
  }

  assert {
    condition     = aws_sns_topic_subscription.email[0].protocol == "email" && aws_sns_topic_subscription.email[0].endpoint == "ops@example.com"
    error_message = "alarm_email is subscribed to the topic."
  }
}

run "public_alb_5xx_rate_divides_elb_errors_by_requests" {
  assert {
    condition     = one([for q in aws_cloudwatch_metric_alarm.alb_5xx_rate.metric_query : q.expression if q.return_data == true]) == "IF(requests > 0, 100 * FILL(errors, 0) / requests, 0)"
    error_message = "The alarm must evaluate the ELB 5xx share of requests, in percent."
  }

  assert {
    condition = toset([for q in aws_cloudwatch_metric_alarm.alb_5xx_rate.metric_query : "${q.id}=${q.metric[0].metric_name}:${q.metric[0].dimensions.LoadBalancer}" if length(q.metric) > 0]) == toset([
      "errors=HTTPCode_ELB_5XX_Count:app/relay-test-public/1111",
      "requests=RequestCount:app/relay-test-public/1111",
    ])
    error_message = "The rate is built from the public ALB's HTTPCode_ELB_5XX_Count and RequestCount."
  }

  assert {
    condition     = aws_cloudwatch_metric_alarm.alb_5xx_rate.threshold == 5 && aws_cloudwatch_metric_alarm.alb_5xx_rate.alarm_actions == toset([aws_sns_topic.alarms.arn])
    error_message = "The 5xx rate alarm fires above 5% and notifies the topic."
  }
}

run "one_alarm_of_each_kind_per_target_group_and_asg" {
  assert {
    condition = (
      keys(aws_cloudwatch_metric_alarm.target_5xx) == ["app1", "app2"] &&
      keys(aws_cloudwatch_metric_alarm.unhealthy_hosts) == ["app1", "app2"] &&
      keys(aws_cloudwatch_metric_alarm.p99_response_time) == ["app1", "app2"] &&
      keys(aws_cloudwatch_metric_alarm.asg_cpu) == ["app1", "app2"]
    )
    error_message = "Expected target 5xx, unhealthy host and p99 alarms per target group and a CPU alarm per ASG."
  }

  assert {
    condition     = aws_cloudwatch_metric_alarm.unhealthy_hosts["app2"].dimensions.TargetGroup == "targetgroup/relay-test-app2/bbbb" && aws_cloudwatch_metric_alarm.unhealthy_hosts["app2"].dimensions.LoadBalancer == "app/relay-test-internal/2222"
    error_message = "Target group alarms use the target group's and its own load balancer's dimensions."
  }

  assert {
    condition     = aws_cloudwatch_metric_alarm.p99_response_time["app1"].extended_statistic == "p99" && aws_cloudwatch_metric_alarm.p99_response_time["app1"].threshold == 2
    error_message = "The latency alarm watches p99 against the default 2 s."
  }

  assert {
    condition     = aws_cloudwatch_metric_alarm.asg_cpu["app1"].dimensions.AutoScalingGroupName == "relay-test-app1" && aws_cloudwatch_metric_alarm.asg_cpu["app1"].threshold == 80 && aws_cloudwatch_metric_alarm.asg_cpu["app1"].period == 60
    error_message = "The CPU alarm watches the ASG's average CPU against the default 80%, per minute (detailed monitoring)."
  }

  assert {
    condition     = length(output.alarm_arns) == 9 && contains(keys(output.alarm_arns), "app2-unhealthy-hosts")
    error_message = "alarm_arns lists every alarm by name."
  }

  assert {
    condition     = alltrue([for a in aws_cloudwatch_metric_alarm.target_5xx : a.treat_missing_data == "notBreaching" && a.ok_actions == toset([aws_sns_topic.alarms.arn])])
    error_message = "Alarms stay quiet without data and report recovery to the topic."
  }
}

run "instance_metrics_follow_basic_monitoring" {
  variables {
    instance_metrics_period = 300
  }

  assert {
    condition     = alltrue([for alarm in aws_cloudwatch_metric_alarm.asg_cpu : alarm.period == 300])
    error_message = "Without detailed monitoring the CPU alarms must use the five-minute period of the data."
  }

  assert {
    condition = one([
      for w in jsondecode(aws_cloudwatch_dashboard.this.dashboard_body).widgets : w.properties.period if try(w.properties.title, "") == "Instance CPU (%)"
    ]) == 300
    error_message = "The CPU graph must use the five-minute period of the data."
  }

  assert {
    condition     = aws_cloudwatch_metric_alarm.target_5xx["app1"].period == 60
    error_message = "The load balancers' metrics keep their one-minute period."
  }
}

run "thresholds_can_be_overridden_one_by_one" {
  variables {
    thresholds = { asg_cpu_percent = 60 }
  }

  assert {
    condition     = aws_cloudwatch_metric_alarm.asg_cpu["app2"].threshold == 60 && aws_cloudwatch_metric_alarm.alb_5xx_rate.threshold == 5
    error_message = "An overridden threshold applies while the others keep their defaults."
  }
}

run "dashboard_shows_the_load_balancers_and_the_apps_metrics" {
  assert {
    condition     = output.dashboard_name == "relay-test-overview" && strcontains(output.dashboard_url, "region=eu-west-1#dashboards/dashboard/relay-test-overview")
    error_message = "Dashboard name and URL."
  }

  assert {
    condition = alltrue([
      for m in ["RequestCount", "TargetResponseTime", "HTTPCode_ELB_5XX_Count", "HealthyHostCount", "CPUUtilization", "Requests", "Errors4xx", "Errors5xx", "Latency", "UpstreamLatency"] :
      contains(flatten([for w in jsondecode(aws_cloudwatch_dashboard.this.dashboard_body).widgets : [for metric in try(w.properties.metrics, []) : try(metric[1], null)]]), m)
    ])
    error_message = "The dashboard must graph the ALB, target, ASG and app metrics."
  }

  assert {
    condition = alltrue([
      for w in jsondecode(aws_cloudwatch_dashboard.this.dashboard_body).widgets : alltrue([
        for metric in try(w.properties.metrics, []) : slice(metric, 2, 6) == ["Service", "app1", "Environment", "dev"] || slice(metric, 2, 6) == ["Service", "app2", "Environment", "dev"]
      ]) if try(w.properties.metrics[0][0], "") == "Relay"
    ])
    error_message = "App metrics are graphed in the Relay namespace with the Service and Environment dimensions."
  }
}

# The names are the ones app1/src/metrics.ts and app2/src/metrics.ts publish (scripts/check-metric-names.sh).
run "dashboard_graphs_the_metrics_the_apps_publish" {
  variables {
    environment = "prod"
  }

  assert {
    condition = toset(flatten([
      for w in jsondecode(aws_cloudwatch_dashboard.this.dashboard_body).widgets : [
        for metric in try(w.properties.metrics, []) : metric[1] if try(metric[0], null) == "Relay"
      ]
    ])) == toset(["Requests", "Errors4xx", "Errors5xx", "Latency", "UpstreamLatency"])
    error_message = "The dashboard must graph exactly the Relay metrics the apps publish."
  }

  assert {
    condition = toset(flatten([
      for w in jsondecode(aws_cloudwatch_dashboard.this.dashboard_body).widgets : [
        for metric in try(w.properties.metrics, []) : try(metric[6].stat, w.properties.stat) if try(metric[1], null) == "UpstreamLatency"
      ]
    ])) == toset(["p50", "p99"])
    error_message = "app1's UpstreamLatency is graphed as p50 and p99."
  }

  assert {
    condition = [
      for w in jsondecode(aws_cloudwatch_dashboard.this.dashboard_body).widgets : w.properties.metrics[0][0].expression
      if can(w.properties.metrics[0][0].expression)
      ] == [
      "SEARCH('{Relay,Environment,Kind,Service} MetricName=\"UpstreamFailures\" Service=\"app1\" Environment=\"prod\"', 'Sum', 60)",
    ]
    error_message = "UpstreamFailures of this stage's app1 is graphed by its Kind dimension."
  }
}

run "dashboard_leaves_out_empty_widgets" {
  variables {
    target_groups = {}
    asg_names     = {}
  }

  assert {
    condition     = alltrue([for w in jsondecode(aws_cloudwatch_dashboard.this.dashboard_body).widgets : length(w.properties.metrics) > 0 if w.type == "metric"])
    error_message = "No metric widget may be empty."
  }

  assert {
    condition     = length(output.alarm_arns) == 1
    error_message = "Without target groups and ASGs only the public ALB's 5xx rate is alarmed."
  }
}

run "rejects_a_malformed_environment" {
  command = plan

  variables {
    environment = "Prod"
  }

  expect_failures = [var.environment]
}

run "rejects_a_bad_email" {
  command = plan

  variables {
    alarm_email = "not-an-address"
  }

  expect_failures = [var.alarm_email]
}

run "rejects_a_percentage_above_100" {
  command = plan

  variables {
    thresholds = { alb_5xx_rate_percent = 150 }
  }

  expect_failures = [var.thresholds]
}

################################################################################
# Scale to zero on a schedule (scale_to_zero_schedule): a pair of scheduled actions. The stop action sets min, max
# and desired capacity to 0, so that neither the scaling policy nor anything else starts an instance; the start
# action restores min_size, max_size and the desired capacity, and the scaling policy works within them again.
#
# Between stop and start the group differs from its configuration: a plan then shows min_size and max_size going
# back, and applying it starts the instances (AWS raises desired capacity to the new minimum) and waits for them.
# A release (make release) while the group is at zero changes the launch template version the group runs; the
# start action launches that version.
################################################################################

resource "aws_autoscaling_schedule" "stop" {
  count = var.scale_to_zero_schedule == null ? 0 : 1

  scheduled_action_name  = "${var.name}-stop"
  autoscaling_group_name = aws_autoscaling_group.this.name
  recurrence             = var.scale_to_zero_schedule.stop
  time_zone              = var.scale_to_zero_schedule.time_zone

  min_size         = 0
  max_size         = 0
  desired_capacity = 0
}

resource "aws_autoscaling_schedule" "start" {
  count = var.scale_to_zero_schedule == null ? 0 : 1

  scheduled_action_name  = "${var.name}-start"
  autoscaling_group_name = aws_autoscaling_group.this.name
  recurrence             = var.scale_to_zero_schedule.start
  time_zone              = var.scale_to_zero_schedule.time_zone

  min_size         = var.min_size
  max_size         = var.max_size
  desired_capacity = coalesce(var.desired_capacity, var.min_size)
}

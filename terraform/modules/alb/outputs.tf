output "alb_arn" {
  description = "ARN of the load balancer."
  value       = aws_lb.this.arn
}

output "alb_arn_suffix" {
  description = "ARN suffix of the load balancer (app/NAME/ID), the LoadBalancer dimension of its CloudWatch metrics."
  value       = aws_lb.this.arn_suffix
}

output "dns_name" {
  description = "DNS name of the load balancer."
  value       = aws_lb.this.dns_name
}

output "zone_id" {
  description = "Route 53 hosted zone ID of the load balancer, for alias records."
  value       = aws_lb.this.zone_id
}

output "url" {
  description = "Base URL clients use: https://DOMAIN_NAME with domain_name, https://DNS_NAME with certificate_arn, else http://DNS_NAME, with :listener_port unless it is 80."
  value = (
    var.domain_name != null ? "https://${var.domain_name}" :
    local.https_enabled ? "https://${aws_lb.this.dns_name}" :
    var.listener_port == 80 ? "http://${aws_lb.this.dns_name}" : "http://${aws_lb.this.dns_name}:${var.listener_port}"
  )
}

output "security_group_id" {
  description = "ID of the load balancer's security group; targets admit target_port from it."
  value       = aws_security_group.this.id
}

output "target_group_arn" {
  description = "ARN of the target group (attach an Auto Scaling group to it)."
  value       = aws_lb_target_group.this.arn
}

output "target_group_arn_suffix" {
  description = "ARN suffix of the target group (targetgroup/NAME/ID), the TargetGroup dimension of its CloudWatch metrics."
  value       = aws_lb_target_group.this.arn_suffix
}

output "listener_arns" {
  description = "ARNs of the listeners by protocol: http, and https when certificate_arn or domain_name is set."
  value       = merge({ http = aws_lb_listener.http.arn }, local.https_enabled ? { https = aws_lb_listener.https[0].arn } : {})
}

output "access_logs_bucket" {
  description = "Name of the S3 bucket that receives the access logs."
  value       = aws_s3_bucket.access_logs.id
}

# Read back from the resources (not the inputs), so that tests of the stages can check what is really built.

output "internal" {
  description = "Whether the load balancer is internal (true) or internet-facing (false)."
  value       = aws_lb.this.internal
}

output "drop_invalid_header_fields" {
  description = "Whether the load balancer drops HTTP headers with invalid names instead of forwarding them."
  value       = aws_lb.this.drop_invalid_header_fields
}

output "deletion_protection" {
  description = "Whether deleting the load balancer is refused."
  value       = aws_lb.this.enable_deletion_protection
}

output "access_logs_force_destroy" {
  description = "Whether terraform destroy deletes the access log bucket with its logs (false: the bucket and its logs stay)."
  value       = aws_s3_bucket.access_logs.force_destroy
}

output "ingress" {
  description = "What may reach the listeners: from_port, to_port and the source (cidr_ipv4 or referenced_security_group_id, the other null) of every ingress rule."
  value = [
    for rule in concat(aws_vpc_security_group_ingress_rule.cidr, aws_vpc_security_group_ingress_rule.security_group) : {
      from_port                    = rule.from_port
      to_port                      = rule.to_port
      cidr_ipv4                    = rule.cidr_ipv4
      referenced_security_group_id = rule.referenced_security_group_id
    }
  ]
}

output "listeners" {
  description = "What each listener does, by port: protocol, action (forward or redirect), redirect (protocol, port, status_code; null unless it redirects), and on HTTPS ssl_policy and certificate_arn (null on HTTP)."
  value = {
    for listener in concat([aws_lb_listener.http], aws_lb_listener.https) : tostring(listener.port) => {
      protocol        = listener.protocol
      action          = listener.default_action[0].type
      redirect        = one([for r in listener.default_action[0].redirect : { protocol = r.protocol, port = r.port, status_code = r.status_code }])
      ssl_policy      = listener.protocol == "HTTPS" ? listener.ssl_policy : null
      certificate_arn = listener.protocol == "HTTPS" ? listener.certificate_arn : null
    }
  }
}

output "domain" {
  description = "With domain_name: name; certificate (domain_name, validation_method, arn); validation_records (zone_id, name, type of each DNS validation record); alias_records (zone_id, name, type, target: the load balancer's DNS name). Null without domain_name."
  value = var.domain_name == null ? null : {
    name = var.domain_name
    certificate = {
      domain_name       = aws_acm_certificate.this[0].domain_name
      validation_method = aws_acm_certificate.this[0].validation_method
      arn               = aws_acm_certificate_validation.this[0].certificate_arn
    }
    validation_records = [for r in aws_route53_record.certificate_validation : { zone_id = r.zone_id, name = r.name, type = r.type }]
    alias_records      = [for r in values(aws_route53_record.alias) : { zone_id = r.zone_id, name = r.name, type = r.type, target = one(r.alias).name }]
  }
}

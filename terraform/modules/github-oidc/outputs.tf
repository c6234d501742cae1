output "oidc_provider_arn" {
  description = "ARN of the GitHub OIDC provider the roles trust (created here or given)."
  value       = local.oidc_provider_arn
}

output "ci_push_role_arn" {
  description = "ARN of the role that pushes images (role-to-assume of the build workflow on the push branch)."
  value       = aws_iam_role.ci_push.arn
}

output "ci_plan_role_arn" {
  description = "ARN of the read-only role that runs terraform plan (role-to-assume for pull requests and the push branch)."
  value       = aws_iam_role.ci_plan.arn
}

output "ci_packer_role_arn" {
  description = "ARN of the role that builds the relay host AMI (role-to-assume of the packer workflow); null when create_packer_role is false."
  value       = try(aws_iam_role.ci_packer[0].arn, null)
}

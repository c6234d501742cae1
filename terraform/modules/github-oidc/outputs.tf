output "oidc_provider_arn" {
  description = "ARN of the GitHub OIDC provider the roles trust (created here or given)."
  value       = local.oidc_provider_arn
}

output "ci_push_role_arn" {
  description = "ARN of the role that pushes images (role-to-assume of the build workflow on the push branch)."
  value       = aws_iam_role.ci_push.arn
}

output "ci_plan_role_arn" {
  description = "ARN of the read-only role that runs terraform plan -lock=false (role-to-assume of the pull requests' plans)."
  value       = aws_iam_role.ci_plan.arn
}

output "ci_packer_role_arn" {
  description = "ARN of the role that builds the relay host AMI (role-to-assume of the packer workflow); null when create_packer_role is false."
  value       = try(aws_iam_role.ci_packer[0].arn, null)
}

output "packer_instance_profile_name" {
  description = "Instance profile of the Packer build instance (the template's iam_instance_profile); null when create_packer_role is false."
  value       = try(aws_iam_instance_profile.packer_build[0].name, null)
}

output "deploy_role_arns" {
  description = "ARN of each stage's deploy role by stage (AWS_DEPLOY_ROLE_ARN of the GitHub environment of that name)."
  value       = { for stage, role in aws_iam_role.deploy : stage => role.arn }
}

output "roles" {
  description = "Every role of this module by short name (ci-push, ci-plan, ci-packer, packer-build, deploy-<stage>): its ARN, trust policy and inline policies (JSON), to review and test what each may do."
  value = merge(
    {
      ci-push = { arn = aws_iam_role.ci_push.arn, trust_policy = aws_iam_role.ci_push.assume_role_policy, policies = [aws_iam_role_policy.ci_push.policy] }
      ci-plan = {
        arn          = aws_iam_role.ci_plan.arn
        trust_policy = aws_iam_role.ci_plan.assume_role_policy
        policies     = concat([aws_iam_role_policy.ci_plan.policy], aws_iam_role_policy.ci_plan_state_key[*].policy)
      }
    },
    var.create_packer_role ? {
      ci-packer    = { arn = aws_iam_role.ci_packer[0].arn, trust_policy = aws_iam_role.ci_packer[0].assume_role_policy, policies = [aws_iam_role_policy.ci_packer[0].policy] }
      packer-build = { arn = aws_iam_role.packer_build[0].arn, trust_policy = aws_iam_role.packer_build[0].assume_role_policy, policies = [aws_iam_role_policy.packer_build[0].policy] }
    } : {},
    { for stage, role in aws_iam_role.deploy : "deploy-${stage}" => { arn = role.arn, trust_policy = role.assume_role_policy, policies = [aws_iam_role_policy.deploy[stage].policy] } },
  )
}

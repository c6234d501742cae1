output "state_bucket_name" {
  description = "Name of the Terraform state bucket: TF_STATE_BUCKET for scripts/terraform.sh and -backend-config=bucket=... for every stage."
  value       = module.state_bucket.bucket_name
}

output "ecr_repository_urls" {
  description = "Repository URLs by name (relay/app1, relay/app2): where CI pushes images tagged with the git commit SHA."
  value       = module.ecr.repository_urls
}

output "ecr_repository_arns" {
  description = "Repository ARNs by name (relay/app1, relay/app2)."
  value       = module.ecr.repository_arns
}

output "github_oidc_provider_arn" {
  description = "ARN of the GitHub OIDC provider the CI roles trust."
  value       = module.github_oidc.oidc_provider_arn
}

output "ci_push_role_arn" {
  description = "Role the image workflow assumes on main to push to ECR."
  value       = module.github_oidc.ci_push_role_arn
}

output "ci_plan_role_arn" {
  description = "Role the pull requests' plans (terraform.yml) assume to run terraform plan."
  value       = module.github_oidc.ci_plan_role_arn
}

output "ci_packer_role_arn" {
  description = "Role the packer workflow assumes on main to build the relay host AMI."
  value       = module.github_oidc.ci_packer_role_arn
}

output "packer_instance_profile_name" {
  description = "Instance profile of the Packer build instance: the default of iam_instance_profile in packer/variables.pkr.hcl."
  value       = module.github_oidc.packer_instance_profile_name
}

output "deploy_role_arns" {
  description = "Deploy role ARN by stage: the AWS_DEPLOY_ROLE_ARN variable of the GitHub environment of that stage."
  value       = module.github_oidc.deploy_role_arns
}

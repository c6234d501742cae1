#!/usr/bin/env bash
# `make plan|apply ENV=<env>`: terraform plan or apply for one stage against its S3 state.
#   TF_STATE_BUCKET=relay-tfstate-123456789012-eu-west-1 AWS_REGION=eu-west-1 scripts/terraform.sh plan dev
#
# TF_STATE_BUCKET  state bucket created by terraform/envs/global (its state_bucket_name output)
# AWS_REGION       region of the state bucket (the stage's own region is aws_region in its terraform.tfvars)
# AWS credentials  any source the AWS provider reads: AWS_PROFILE, access key variables, SSO, a role...
# The state key (<env>/terraform.tfstate) is in the backend block of terraform/envs/<env>/versions.tf, locked
# with a lock file next to it (use_lockfile); only the bucket and its region come from here.
# TF_CLI_ARGS_plan  extra `terraform plan` options, read by terraform itself: -lock=false for a read-only role
#                   (CI's pull-request plans), which may not write the lock file
# apply asks for confirmation, as terraform does.
set -euo pipefail
cd "$(dirname "$0")/.."

usage() {
  echo "usage: $0 plan|apply global|dev|staging|prod" >&2
  exit 2
}

[ "$#" -eq 2 ] || usage
action="$1"
env="$2"
case "$action" in plan | apply) ;; *) usage ;; esac
case "$env" in global | dev | staging | prod) ;; *) usage ;; esac
dir="terraform/envs/$env"
[ -f "$dir/terraform.tfvars" ] || { echo "$dir/terraform.tfvars is missing" >&2; exit 1; }

missing=()
[ -n "${TF_STATE_BUCKET:-}" ] || missing+=("TF_STATE_BUCKET (the state bucket: terraform output -raw state_bucket_name in terraform/envs/global)")
[ -n "${AWS_REGION:-}" ] || missing+=("AWS_REGION (the state bucket's region, e.g. eu-west-1)")
if [ "${#missing[@]}" -gt 0 ]; then
  printf 'terraform.sh: set %s\n' "${missing[@]}" >&2
  echo "No state bucket yet? Bootstrap it first: terraform/envs/global/README.md, 'First apply'." >&2
  exit 1
fi

scripts/ensure-tools.sh terraform

init_log="$(mktemp)"
trap 'rm -f "$init_log"' EXIT
if ! terraform -chdir="$dir" init -input=false \
  -backend-config="bucket=$TF_STATE_BUCKET" \
  -backend-config="region=$AWS_REGION" 2>&1 | tee "$init_log"; then
  if grep -qiE 'credential|InvalidClientTokenId|ExpiredToken|security token' "$init_log"; then
    echo "terraform.sh: no valid AWS credentials. Log in first (aws sso login, AWS_PROFILE, or access keys)." >&2
  elif grep -qiE 'NoSuchBucket|bucket does not exist|S3 bucket .* does not exist' "$init_log"; then
    echo "terraform.sh: bucket '$TF_STATE_BUCKET' not found in $AWS_REGION. Check TF_STATE_BUCKET/AWS_REGION," \
      "or bootstrap it: terraform/envs/global/README.md." >&2
  fi
  exit 1
fi

case "$action" in
  plan) terraform -chdir="$dir" plan -input=false -var-file=terraform.tfvars ;;
  apply) terraform -chdir="$dir" apply -var-file=terraform.tfvars ;;
esac

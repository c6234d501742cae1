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
#
# plan saves the plan to .run/plans/<env>.tfplan (with image tags and every other variable in it); apply applies
# exactly that file, once, and refuses when there is none or it is no longer the code it was made from (see
# check_saved_plan). Terraform itself refuses a plan whose state has changed since ("Saved plan is stale").
set -euo pipefail
cd "$(dirname "$0")/.."

usage() {
  echo "usage: $0 plan|apply <env>: global or a stage, a folder of terraform/envs ($(cd terraform/envs && echo */ | tr -d /))" >&2
  exit 2
}

[ "$#" -eq 2 ] || usage
action="$1"
env="$2"
case "$action" in plan | apply) ;; *) usage ;; esac
[[ "$env" =~ ^[a-z][a-z0-9-]*$ ]] || usage
dir="terraform/envs/$env"
[ -f "$dir/versions.tf" ] || usage
[ -f "$dir/terraform.tfvars" ] || { echo "$dir/terraform.tfvars is missing" >&2; exit 1; }

# Saved plans. A plan is valid for max_plan_age_hours: long enough to review it and apply in one sitting, short
# enough that what it read (the newest relay host AMI, resources changed by hand) is still what AWS has.
plan_file=".run/plans/$env.tfplan"
plan_info="$plan_file.info"
max_plan_age_hours=4

# The code a plan is made from: the tree of terraform/ in HEAD (a later commit that leaves terraform/ alone keeps
# a plan valid), HEAD itself for the messages, and whether terraform/ differs from HEAD (changed or new files).
source_tree() { git rev-parse HEAD:terraform; }
source_commit() { git rev-parse --short HEAD; }
source_dirty() { [ -n "$(git status --porcelain -- terraform)" ]; }

refuse_apply() {
  echo "terraform.sh: not applying $env: $1" >&2
  echo "Make a new plan and apply it: make plan ENV=$env && make apply ENV=$env" >&2
  exit 1
}

# Refuses (exits) unless $plan_file was made by `plan` from the code of this checkout as committed, less than
# max_plan_age_hours ago.
check_saved_plan() {
  if [ ! -f "$plan_file" ] || [ ! -f "$plan_info" ]; then refuse_apply "there is no saved plan ($plan_file)."; fi
  local key value commit="" tree="" dirty="" created=""
  while IFS='=' read -r key value; do
    case "$key" in
      commit) commit="$value" ;;
      tree) tree="$value" ;;
      dirty) dirty="$value" ;;
      created) created="$value" ;;
    esac
  done <"$plan_info"
  [ "$dirty" = false ] ||
    refuse_apply "its plan was made from uncommitted changes in terraform/ (commit $commit and more)."
  [ "$tree" = "$(source_tree)" ] ||
    refuse_apply "terraform/ has changed since its plan was made at commit $commit (now $(source_commit))."
  ! source_dirty ||
    refuse_apply "terraform/ has uncommitted changes: commit or stash them first."
  local age_hours=$((($(date +%s) - ${created:-0}) / 3600))
  [ "$age_hours" -lt "$max_plan_age_hours" ] ||
    refuse_apply "its plan is $age_hours hours old (at most $max_plan_age_hours)."
}

git rev-parse --verify --quiet HEAD >/dev/null || {
  echo "terraform.sh: plans record the commit they are made from: run this in a git checkout with a commit" >&2
  exit 1
}
if [ "$action" = apply ]; then check_saved_plan; fi

missing=()
[ -n "${TF_STATE_BUCKET:-}" ] || missing+=("TF_STATE_BUCKET (the state bucket: terraform output -raw state_bucket_name in terraform/envs/global)")
[ -n "${AWS_REGION:-}" ] || missing+=("AWS_REGION (the state bucket's region, e.g. eu-west-1)")
if [ "${#missing[@]}" -gt 0 ]; then
  printf 'terraform.sh: set %s\n' "${missing[@]}" >&2
  echo "No state bucket yet? Bootstrap it first: docs/operations.md, step 1 (terraform/envs/global)." >&2
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
      "or bootstrap it: docs/operations.md, step 1 (terraform/envs/global)." >&2
  fi
  exit 1
fi

save_plan() {
  # A failed plan must not leave the previous one to be applied.
  rm -f "$plan_file" "$plan_info"
  mkdir -p "$(dirname "$plan_file")"
  terraform -chdir="$dir" plan -input=false -var-file=terraform.tfvars -out="$PWD/$plan_file"
  local dirty=false
  if source_dirty; then dirty=true; fi
  printf 'commit=%s\ntree=%s\ndirty=%s\ncreated=%s\n' \
    "$(source_commit)" "$(source_tree)" "$dirty" "$(date +%s)" >"$plan_info"
  if [ "$dirty" = true ]; then
    echo "terraform.sh: terraform/ has uncommitted changes, so this plan is for review only: commit them and plan again to apply." >&2
  else
    echo "Saved the plan to $plan_file. Apply exactly it, within $max_plan_age_hours hours: make apply ENV=$env"
  fi
}

apply_saved_plan() {
  local apply_log
  apply_log="$(mktemp)"
  if ! terraform -chdir="$dir" apply -input=false "$PWD/$plan_file" 2>&1 | tee "$apply_log"; then
    if grep -q 'Saved plan is stale' "$apply_log"; then
      echo "terraform.sh: the state of $env has changed since the plan. Make a new plan: make plan ENV=$env" >&2
    fi
    rm -f "$apply_log"
    exit 1
  fi
  rm -f "$apply_log" "$plan_file" "$plan_info"
}

case "$action" in
  plan) save_plan ;;
  apply) apply_saved_plan ;;
esac

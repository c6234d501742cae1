#!/usr/bin/env bash
# Tests of scripts/terraform.sh (make plan / make apply): its arguments and its saved plans. Each case runs the
# real script in a throwaway git repository laid out like this one, with a stub `terraform` first on PATH that
# records its arguments, writes the -out file of a plan and applies only a plan file that exists. No AWS account,
# no Terraform. Run by `make test-scripts`; prints one line per case and fails if any case fails.
set -euo pipefail
repository="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

mkdir -p "$work/bin"
cat >"$work/bin/terraform" <<'STUB'
#!/usr/bin/env bash
# Stub: records its arguments; `plan -out=FILE` writes FILE; `apply FILE` fails unless FILE exists. The exit
# status and output of plan and apply can be set through STUB_PLAN_EXIT, STUB_APPLY_EXIT and STUB_APPLY_OUTPUT.
echo "$*" >>"$STUB_LOG"
case "$2" in
  plan)
    [ "${STUB_PLAN_EXIT:-0}" -eq 0 ] || exit "$STUB_PLAN_EXIT"
    for arg in "$@"; do
      case "$arg" in -out=*) echo "saved plan" >"${arg#-out=}" ;; esac
    done
    ;;
  apply)
    [ -f "${!#}" ] || { echo "stub: no plan file ${!#}" >&2; exit 1; }
    [ -z "${STUB_APPLY_OUTPUT:-}" ] || echo "$STUB_APPLY_OUTPUT"
    exit "${STUB_APPLY_EXIT:-0}"
    ;;
esac
STUB
chmod +x "$work/bin/terraform"
export PATH="$work/bin:$PATH" STUB_LOG="$work/terraform-calls"
export TF_STATE_BUCKET=relay-tfstate-test AWS_REGION=eu-west-1
unset STUB_PLAN_EXIT STUB_APPLY_EXIT STUB_APPLY_OUTPUT

repo="$work/repo"
git_in_repo() { git -C "$repo" -c user.name=test -c user.email=test@example.com "$@"; }

# A fresh repository with the script and one stage directory per stage, all committed.
new_repo() {
  rm -rf "$repo"
  mkdir -p "$repo/scripts"
  cp "$repository/scripts/terraform.sh" "$repository/scripts/ensure-tools.sh" "$repo/scripts/"
  for env in global dev staging prod; do
    mkdir -p "$repo/terraform/envs/$env"
    echo 'aws_region = "eu-west-1"' >"$repo/terraform/envs/$env/terraform.tfvars"
    echo '# stage' >"$repo/terraform/envs/$env/main.tf"
    echo 'terraform {}' >"$repo/terraform/envs/$env/versions.tf"
  done
  echo '.run/' >"$repo/.gitignore"
  echo '# relay' >"$repo/README.md"
  git_in_repo init -q
  git_in_repo add -A
  git_in_repo commit -q -m "initial"
  : >"$STUB_LOG"
}

commit_change() {
  echo "# changed" >>"$repo/$1"
  git_in_repo commit -q -am "change $1"
}

# Runs the script with the given arguments; sets $status and $output (stdout and stderr).
run_script() {
  status=0
  output="$("$repo/scripts/terraform.sh" "$@" 2>&1)" || status=$?
}

passed=0
failed=0
case_name=""
case_failed=false
begin() {
  case_name="$1"
  case_failed=false
  new_repo
}
fail() {
  echo "FAILED  $case_name: $1"
  printf '%s\n' "$output" | sed 's/^/        /'
  [ "$case_failed" = true ] || failed=$((failed + 1))
  case_failed=true
}
pass() {
  [ "$case_failed" = false ] || return 0
  echo "ok      $case_name"
  passed=$((passed + 1))
}
expect_status() { [ "$status" -eq "$1" ] || fail "exit status $status, expected $1"; }
expect_output() { [[ "$output" == *"$1"* ]] || fail "output lacks: $1"; }
expect_no_apply() { ! grep -q ' apply ' "$STUB_LOG" || fail "terraform apply was run"; }
plan_file="$repo/.run/plans/dev.tfplan"

begin "refuses an unknown action or stage, before calling terraform"
run_script deploy dev
expect_status 2
run_script plan qa
expect_status 2
expect_output "usage:"
[ ! -s "$STUB_LOG" ] || fail "terraform was called"
pass

begin "a new stage is a folder of terraform/envs with a versions.tf; nothing outside it is one"
mkdir -p "$repo/terraform/envs/qa"
cp "$repo/terraform/envs/dev/"* "$repo/terraform/envs/qa/"
git_in_repo add -A
git_in_repo commit -q -m "add qa"
run_script plan qa
expect_status 0
[ -f "$repo/.run/plans/qa.tfplan" ] || fail "no plan saved for qa"
run_script plan ../../scripts
expect_status 2
run_script plan _qa
expect_status 2
pass

begin "needs the state bucket and its region"
TF_STATE_BUCKET="" run_script plan dev
expect_status 1
expect_output "set TF_STATE_BUCKET"
pass

begin "plan saves the plan of the stage, with the commit it was made from"
run_script plan dev
expect_status 0
[ -f "$plan_file" ] || fail "no $plan_file"
grep -qx "commit=$(git_in_repo rev-parse --short HEAD)" "$plan_file.info" || fail "the plan's info lacks the commit"
grep -qx "dirty=false" "$plan_file.info" || fail "the plan's info does not say the tree was clean"
grep -qx -- "-chdir=terraform/envs/dev plan -input=false -var-file=terraform.tfvars -out=$plan_file" "$STUB_LOG" ||
  fail "terraform plan was not run with the stage's variables and -out"
expect_output "make apply ENV=dev"
pass

begin "apply without a saved plan refuses and says how to make one"
run_script apply dev
expect_status 1
expect_output "there is no saved plan"
expect_output "make plan ENV=dev"
expect_no_apply
pass

begin "apply applies exactly the saved plan, once"
run_script plan dev
run_script apply dev
expect_status 0
[ "$(tail -n 1 "$STUB_LOG")" = "-chdir=terraform/envs/dev apply -input=false $plan_file" ] ||
  fail "terraform apply was not given the saved plan: $(tail -n 1 "$STUB_LOG")"
[ ! -e "$plan_file" ] || fail "the applied plan is still there"
run_script apply dev
expect_status 1
expect_output "there is no saved plan"
pass

begin "a plan of one stage is not applied to another"
run_script plan dev
: >"$STUB_LOG"
run_script apply staging
expect_status 1
expect_output "make plan ENV=staging"
expect_no_apply
pass

begin "a commit that changes terraform/ makes the plan stale"
run_script plan dev
commit_change terraform/envs/dev/main.tf
: >"$STUB_LOG"
run_script apply dev
expect_status 1
expect_output "terraform/ has changed since its plan was made at commit"
expect_no_apply
pass

begin "a commit outside terraform/ leaves the plan valid"
run_script plan dev
commit_change README.md
run_script apply dev
expect_status 0
pass

begin "a plan made from uncommitted changes is for review only"
echo "# work in progress" >>"$repo/terraform/envs/dev/main.tf"
run_script plan dev
expect_status 0
expect_output "for review only"
git_in_repo commit -q -am "work in progress"
: >"$STUB_LOG"
run_script apply dev
expect_status 1
expect_output "made from uncommitted changes"
expect_no_apply
pass

begin "a new file in terraform/ counts as an uncommitted change"
run_script plan dev
echo '# new' >"$repo/terraform/envs/dev/extra.tf"
: >"$STUB_LOG"
run_script apply dev
expect_status 1
expect_output "uncommitted changes"
expect_no_apply
pass

begin "a plan older than four hours is refused"
run_script plan dev
sed -i.bak "s/^created=.*/created=$(($(date +%s) - 4 * 3600 - 60))/" "$plan_file.info" || fail "no plan info"
: >"$STUB_LOG"
run_script apply dev
expect_status 1
expect_output "hours old"
expect_no_apply
pass

begin "a failed plan leaves no plan to apply, not even the previous one"
run_script plan dev
STUB_PLAN_EXIT=1 run_script plan dev
expect_status 1
[ ! -e "$plan_file" ] || fail "a plan file is left"
run_script apply dev
expect_status 1
expect_output "there is no saved plan"
pass

begin "a plan Terraform finds stale is reported with what to do"
run_script plan dev
STUB_APPLY_EXIT=1 STUB_APPLY_OUTPUT="Error: Saved plan is stale" run_script apply dev
expect_status 1
expect_output "has changed since the plan. Make a new plan: make plan ENV=dev"
pass

echo "terraform.sh: $passed cases passed, $failed failed"
[ "$failed" -eq 0 ]

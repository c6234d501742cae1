#!/usr/bin/env bash
# `make test-terraform`: terraform fmt over the tree, then for every module and env directory: init (no
# backend), validate, terraform test (mocked AWS provider, no credentials needed) and the README interface
# check; then scripts/check-metric-names.sh (the dashboard's app metrics exist in the apps). Prints one line per
# directory and a summary; fails if any step of any directory or the metric name check failed.
#
# Providers: when ${TF_PLUGIN_DIR:-/opt/tf-plugins} holds registry.terraform.io/hashicorp/aws, init installs
# from there and never touches the network; otherwise it downloads from the Terraform registry once into a
# shared plugin cache (.run/terraform-plugin-cache) that every directory reuses.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/ensure-tools.sh terraform

plugin_dir="${TF_PLUGIN_DIR:-/opt/tf-plugins}"
init_args=(-backend=false -input=false -no-color)
if [ -d "$plugin_dir/registry.terraform.io/hashicorp/aws" ]; then
  init_args+=("-plugin-dir=$plugin_dir")
  echo "providers: offline from $plugin_dir"
else
  export TF_PLUGIN_CACHE_DIR="${TF_PLUGIN_CACHE_DIR:-$PWD/.run/terraform-plugin-cache}"
  mkdir -p "$TF_PLUGIN_CACHE_DIR"
  echo "providers: Terraform registry, cached in $TF_PLUGIN_CACHE_DIR"
fi

logs="$(mktemp -d)"
trap 'rm -rf "$logs"' EXIT

failed=()
if terraform fmt -check -recursive -diff terraform >"$logs/fmt" 2>&1; then
  echo "ok      terraform fmt"
else
  echo "FAILED  terraform fmt (run: make fmt)"
  cat "$logs/fmt"
  failed+=("fmt")
fi

# Runs init, validate, test and the README check in one directory; the step that failed, if any, goes to
# <log>.failed. Everything it prints goes to <log>.
check_dir() {
  local dir="$1" log="$2" step=""
  {
    if ! terraform -chdir="$dir" init "${init_args[@]}"; then
      step="init"
    elif ! terraform -chdir="$dir" validate -no-color; then
      step="validate"
    elif ! compgen -G "$dir/tests/*.tftest.hcl" >/dev/null; then
      echo "$dir has no tests/*.tftest.hcl"
      step="test"
    elif ! terraform -chdir="$dir" test -no-color; then
      step="test"
    elif ! scripts/check-terraform-readme.sh "$dir"; then
      step="README check"
    fi
  } >"$log" 2>&1
  [ -z "$step" ] || echo "$step" >"$log.failed"
}

# Directories run ${TF_TEST_JOBS:-nproc} at a time; results print in directory order once all are done.
mapfile -t dirs < <(printf '%s\n' terraform/modules/*/ terraform/envs/*/ | sed 's#/$##')
jobs="${TF_TEST_JOBS:-$(nproc)}"
# Parallel inits racing to fill an empty plugin cache can break it, so the first directory fills it alone
# (a failure here shows again in that directory's own result).
if [ -n "${TF_PLUGIN_CACHE_DIR:-}" ]; then
  terraform -chdir="${dirs[0]}" init "${init_args[@]}" >/dev/null 2>&1 || true
fi
start=$SECONDS
for dir in "${dirs[@]}"; do
  while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do wait -n || true; done
  check_dir "$dir" "$logs/${dir//\//_}" &
done
wait

runs_passed=0
for dir in "${dirs[@]}"; do
  log="$logs/${dir//\//_}"
  runs=$(sed -n 's/^Success! \([0-9]*\) passed.*/\1/p' "$log")
  if [ -f "$log.failed" ]; then
    printf 'FAILED  %-32s at %s\n' "$dir" "$(cat "$log.failed")"
    grep -v '^  - ' "$log" | tail -n 60 | sed 's/^/        /'
    failed+=("$dir")
  else
    runs_passed=$((runs_passed + ${runs:-0}))
    printf 'ok      %-32s %3s test runs\n' "$dir" "${runs:-0}"
  fi
done

# The dashboard may only graph app metrics that app1/app2 really publish.
scripts/check-metric-names.sh || failed+=("metric names")

echo "terraform: ${#dirs[@]} directories, $runs_passed test runs passed in $((SECONDS - start)) s; failed: ${failed[*]:-none}"
[ "${#failed[@]}" -eq 0 ]

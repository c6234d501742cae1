#!/usr/bin/env bash
# Part of `make test-scripts`: the targets that act on a stage (plan, apply, release, rollback) refuse to run
# without ENV, naming it, and pass the stage given to their script. `make -n` only prints the commands.
set -uo pipefail # not -e: every check runs, and a failed one is counted
cd "$(dirname "$0")/.." || exit 1

failures=0
fail() {
  echo "FAIL: $*"
  failures=$((failures + 1))
}

for target in plan apply release rollback; do
  output=$(env -u ENV make --no-print-directory -n "$target" 2>&1)
  code=$?
  if [ "$code" -eq 0 ] || [[ "$output" != *"ENV is required: make $target ENV=<"* ]]; then
    fail "make $target without ENV: exit $code, $output"
  else
    echo "ok: make $target without ENV stops: ${output##*\*\*\* }"
  fi
  output=$(env -u ENV make --no-print-directory -n "$target" ENV=staging TAG=abc 2>&1)
  if [[ "$output" != *'"staging"'* ]]; then
    fail "make $target ENV=staging does not pass the stage: $output"
  else
    echo "ok: make $target ENV=staging runs: $output"
  fi
done

if [ "$failures" -gt 0 ]; then
  echo "test-make-stage: $failures failed"
  exit 1
fi
echo "test-make-stage: all passed"

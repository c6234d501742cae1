#!/usr/bin/env bash
# `make test`: every test of the repository, each suite installing what it needs. Runs all suites even when
# one fails, then prints a summary line per suite and fails if any failed.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1

suites=(test-scripts test-apps test-browser test-terraform test-nat test-packer test-workflows resilience)
failed=()
for suite in "${suites[@]}"; do
  echo
  echo "=== $suite"
  start=$SECONDS
  if make --no-print-directory "$suite"; then
    echo "=== $suite: ok ($((SECONDS - start)) s)"
  else
    echo "=== $suite: FAILED ($((SECONDS - start)) s)"
    failed+=("$suite")
  fi
done

echo
echo "$(( ${#suites[@]} - ${#failed[@]} )) passed, ${#failed[@]} failed"
[ "${#failed[@]}" -eq 0 ] || { echo "failed suites: ${failed[*]}"; exit 1; }

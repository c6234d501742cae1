#!/usr/bin/env bash
# `make test-scripts`: the code of the repository's own tooling. shellcheck over every tracked shell script
# (found by extension or shebang, so none can be forgotten), the tests of images.sh (test-images.sh), of
# terraform.sh (test-plan-apply.sh), of ensure-tools.sh (test-ensure-tools.sh), of smoke-images.sh
# (test-smoke-images.sh) and of the Makefile's stage targets (test-make-stage.sh), then `tsc --noEmit`, Biome
# and, where the project has a test script, `bun test` in each Bun project of the tooling (TOOLING_PROJECTS in
# lib/common.sh), with the tools pinned in each project's lockfile. bench's tests run wrk.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/common.sh
scripts/ensure-tools.sh shellcheck bun wrk

mapfile -t scripts < <(
  git ls-files -co --exclude-standard | while read -r file; do
    [ -f "$file" ] || continue
    case "$file" in
      *.sh) echo "$file" ;;
      *.tftpl | *.md | *.ts | *.json | *.hcl | *.tf) ;;
      *) head -n1 "$file" | grep -qE '^#!.*\b(ba)?sh\b' && echo "$file" ;;
    esac
  done
)
shellcheck --external-sources "${scripts[@]}"
echo "shellcheck: ${#scripts[@]} scripts clean"

scripts/test-images.sh
scripts/test-plan-apply.sh
scripts/test-ensure-tools.sh
scripts/test-smoke-images.sh
scripts/test-make-stage.sh

for project in "${TOOLING_PROJECTS[@]}"; do
  (
    cd "$project"
    bun install --frozen-lockfile --silent
    bun run typecheck
    bun run lint
    if grep -q '"test":' package.json; then bun run test; fi
  )
  echo "$project: tsc and biome clean"
done

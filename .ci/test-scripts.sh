#!/usr/bin/env bash
# The code of the repository's own tooling: shellcheck over every tracked shell script (by extension or
# shebang, so none can be forgotten), then `tsc --noEmit` and Biome over the TypeScript under .ci (local stack,
# resilience scenarios, benchmark, workflow policy), with the tools pinned in .ci/package.json.
set -euo pipefail
cd "$(dirname "$0")/.."
.ci/ensure-tools.sh shellcheck bun

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

cd .ci
bun install --frozen-lockfile --silent
bun run typecheck
bun run lint
echo "TypeScript of .ci: tsc and biome clean"

#!/usr/bin/env bash
# Runs shellcheck over every tracked shell script (by extension or shebang), so none can be forgotten.
set -euo pipefail
cd "$(dirname "$0")/.."
.ci/ensure-tools.sh shellcheck

mapfile -t scripts < <(
  git ls-files -co --exclude-standard | while read -r file; do
    [ -f "$file" ] || continue
    case "$file" in
      *.sh | .ci/run) echo "$file" ;;
      *.tftpl | *.md | *.ts | *.json | *.hcl | *.tf) ;;
      *) head -n1 "$file" | grep -qE '^#!.*\b(ba)?sh\b' && echo "$file" ;;
    esac
  done
)
shellcheck --external-sources "${scripts[@]}"
echo "shellcheck: ${#scripts[@]} scripts clean"

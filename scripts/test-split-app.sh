#!/usr/bin/env bash
# Splits app2 into a standalone repository in a temporary folder (split-app.sh) and checks it there the way
# its own CI would: nothing points back into this repository, then a frozen install, Biome, tsc, bun test and
# the kit check. Part of `make test-apps`.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/ensure-tools.sh bun git

dest=$(mktemp -d "${TMPDIR:-/tmp}/relay-split.XXXXXX")
trap 'rm -rf "$dest"' EXIT
scripts/split-app.sh app2 "$dest/app2"
cd "$dest/app2"

if grep -rnE "\.\./(packages|app1|app2)\b|packages/service-kit" --exclude-dir=vendor --exclude-dir=node_modules --exclude-dir=.git .; then
  echo "test-split-app: the split app2 still points into the relay repository (above)" >&2
  exit 1
fi
bun install --frozen-lockfile
bun run lint
bun run typecheck
bun test
bun run kit-check
[ -z "$(git status --porcelain)" ] || { git status --short; echo "test-split-app: checking changed files" >&2; exit 1; }
echo "test-split-app: the split app2 installs, lints, type-checks and passes its tests on its own"

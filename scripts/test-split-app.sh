#!/usr/bin/env bash
# Splits app2 into a standalone repository in a temporary folder (split-app.sh, given a path relative to where it
# is run, as a user would; a destination inside this repository is refused) and checks it there the way its own
# CI would: nothing points back into this repository, then a frozen install, Biome, tsc, bun test and
# the kit check. Part of `make test-apps`.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/ensure-tools.sh bun git

repo=$PWD
dest=$(mktemp -d "${TMPDIR:-/tmp}/relay-split.XXXXXX")
trap 'rm -rf "$dest" "$repo/relay-app2" "$repo/e2e/relay-app2"' EXIT
# A destination relative to the caller's directory, as a user types it: it must land there, not in this checkout.
(cd "$dest" && "$repo/scripts/split-app.sh" app2 relay-app2)
if [ ! -f "$dest/relay-app2/package.json" ] || [ -e "$repo/relay-app2" ]; then
  echo "test-split-app: 'split-app.sh app2 relay-app2' run in $dest did not create $dest/relay-app2" >&2
  exit 1
fi
if scripts/split-app.sh app2 "$repo/e2e/relay-app2" 2>"$dest/inside.err" ||
  ! grep -q "is inside this repository" "$dest/inside.err"; then
  echo "test-split-app: a destination inside this repository was not refused" >&2
  exit 1
fi
cd "$dest/relay-app2"

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

#!/usr/bin/env bash
# `make test-apps`: for app2 then app1 (app1's cross-app test starts the real app2, so app2 is installed
# first): install from the lockfile, Biome, tsc, bun test. Then build and start both images with oci-smoke
# when the workplace provides it (it needs root, buildah and the npm registry; GitHub Actions builds with
# Docker instead).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/ensure-tools.sh bun
scripts/check-app-copies.sh

for app in app2 app1; do
  echo "--- $app: install, lint, typecheck, test"
  (
    cd "$app"
    bun install --frozen-lockfile
    bun run lint
    bun run typecheck
    bun test
  )
done

oci_smoke=../shared/tools/oci/oci-smoke
if [ ! -x "$oci_smoke" ]; then
  echo "--- images: skipped, $oci_smoke is not here (it exists only on the build machines; CI builds with Docker)"
  exit 0
fi
echo "--- app2 image"
"$oci_smoke" app2
echo "--- app1 image"
# app1 needs APP2_URL to start; nothing has to listen there for /health to answer
"$oci_smoke" --health /health --env APP2_URL=http://127.0.0.1:9 app1

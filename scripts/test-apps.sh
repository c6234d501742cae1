#!/usr/bin/env bash
# `make test-apps`: the service kit, then app2 and app1 (APP_PROJECTS in lib/common.sh): install from the
# lockfile, Biome, tsc, bun test; for each app first `bun run kit-check` (its Dockerfile is the kit's template
# rendered, its framework versions are the kit's, its bun.lock records the kit's package.json). Then app2 split
# into a standalone repository (test-split-app.sh), and both apps compiled for arm64 and run under emulation
# (test-arm64.sh). Then both images, built for this machine with the kit as a named build context and started:
# /health, Swagger UI's files from inside them, their HEALTHCHECK, exit 0 on SIGTERM (smoke-images.sh: Docker, or
# oci-smoke without a Docker engine, or skipped when neither is there).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/common.sh
scripts/ensure-tools.sh bun

for project in "${APP_PROJECTS[@]}"; do
  echo "--- $project: install, lint, typecheck, test"
  (
    cd "$project"
    bun install --frozen-lockfile
    [ "$project" = packages/service-kit ] || bun run kit-check
    bun run lint
    bun run typecheck
    bun test
  )
done

echo "--- app2 split into its own repository"
scripts/test-split-app.sh

echo "--- app2 and app1 compiled for arm64, run under qemu"
scripts/test-arm64.sh

echo "--- the images, built and started"
scripts/smoke-images.sh

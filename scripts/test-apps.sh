#!/usr/bin/env bash
# `make test-apps`: the service kit, then app2 and app1 (APP_PROJECTS in lib/common.sh): install from the
# lockfile, Biome, tsc, bun test; for each app first `bun run kit-check` (its Dockerfile is the kit's template
# rendered, its framework versions are the kit's, its bun.lock records the kit's package.json). Then app2 split
# into a standalone repository (test-split-app.sh), and both apps compiled for arm64 and run under emulation
# (test-arm64.sh). Then both images (linux/amd64), built with the kit as a named build context and started with
# oci-smoke, which must get Swagger UI's files from them, when the workplace provides it (it needs root, buildah
# and the npm registry; GitHub Actions builds both platforms with Docker instead).
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

oci_smoke=../shared/tools/oci/oci-smoke
if [ ! -x "$oci_smoke" ]; then
  echo "--- images: skipped, $oci_smoke is not here (it exists only on the build machines; CI builds with Docker)"
  exit 0
fi
kit_context=(--build-context service-kit=packages/service-kit)
# The probe asks for Swagger UI's script: the image has no node_modules, so it must come from inside the executable.
# The image's own HEALTHCHECK (/health) runs as well.
probe=(--health /swagger/assets/swagger-ui-bundle.js)
echo "--- app2 image"
"$oci_smoke" "${kit_context[@]}" "${probe[@]}" app2
echo "--- app1 image"
# app1 needs APP2_URL to start; nothing has to listen there for it to answer
"$oci_smoke" "${kit_context[@]}" "${probe[@]}" --env APP2_URL=http://127.0.0.1:9 app1

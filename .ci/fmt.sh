#!/usr/bin/env bash
# `make fmt`: rewrites the code in its canonical format: Biome in each app (`bun run format`) and in .ci,
# `terraform fmt` over terraform/, `packer fmt` over packer/. The test suites check the same formats.
set -euo pipefail
cd "$(dirname "$0")/.."
.ci/ensure-tools.sh bun terraform packer

for app in app1 app2; do
  echo "fmt: $app (biome)"
  # Biome comes from the app's devDependencies.
  [ -d "$app/node_modules" ] || (cd "$app" && bun install --frozen-lockfile)
  (cd "$app" && bun run format)
done

echo "fmt: .ci (biome)"
[ -d .ci/node_modules ] || (cd .ci && bun install --frozen-lockfile)
(cd .ci && bun run format)

echo "fmt: terraform"
terraform fmt -recursive terraform

# packer 1.6 formats one directory at a time.
echo "fmt: packer"
find packer -name '*.pkr.hcl' -printf '%h\n' | sort -u | while read -r dir; do
  packer fmt "$dir"
done

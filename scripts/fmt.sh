#!/usr/bin/env bash
# `make fmt`: rewrites the code in its canonical format: Biome in every Bun project (`bun run format`),
# `terraform fmt` over terraform/, `packer fmt` over packer/. The test suites check the same formats.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/common.sh
scripts/ensure-tools.sh bun terraform packer

for project in "${BUN_PROJECTS[@]}"; do
  echo "fmt: $project (biome)"
  # Biome comes from the project's devDependencies.
  [ -d "$project/node_modules" ] || (cd "$project" && bun install --frozen-lockfile)
  (cd "$project" && bun run format)
done

echo "fmt: terraform"
terraform fmt -recursive terraform

# packer 1.6 formats one directory at a time.
echo "fmt: packer"
find packer -name '*.pkr.hcl' -printf '%h\n' | sort -u | while read -r dir; do
  packer fmt "$dir"
done

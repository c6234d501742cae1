#!/usr/bin/env bash
# packer fmt over the AMI template, then, in its Bun test project (PACKER_PROJECTS in lib/common.sh), tsc, Biome
# and the tests: its structure, the boot script and systemd unit, and its contracts with terraform/modules/service
# and with the CI role that builds it. `packer validate` needs the amazon plugin and AWS, so CI's packer workflow
# runs it.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/common.sh
# systemd-analyze checks the unit file; terraform plans envs/global for the CI role contract.
scripts/ensure-tools.sh bun packer curl systemd-analyze terraform

packer fmt -check -diff packer/
echo "packer fmt: clean"

for project in "${PACKER_PROJECTS[@]}"; do
  (
    cd "$project"
    bun install --frozen-lockfile --silent
    bun run typecheck
    bun run lint
    bun test
  )
done

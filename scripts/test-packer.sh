#!/usr/bin/env bash
# packer fmt over the AMI template, then its structure test, the tests of the boot script and systemd unit, and
# its contracts with terraform/modules/service and with the CI role that builds it (packer/test, Bun). `packer
# validate` needs the amazon plugin and AWS, so CI's packer workflow runs it.
set -euo pipefail
cd "$(dirname "$0")/.."
# systemd-analyze checks the unit file; terraform plans envs/global for the CI role contract.
scripts/ensure-tools.sh bun packer curl systemd-analyze terraform

packer fmt -check -diff packer/
echo "packer fmt: clean"

cd packer/test
bun install --frozen-lockfile --silent
bun run typecheck
bun test

#!/usr/bin/env bash
# packer fmt over the AMI template, then its structure test and the tests of the boot script and systemd unit
# (packer/test, Bun). `packer validate` needs the amazon plugin and AWS, so CI's packer workflow runs it.
set -euo pipefail
cd "$(dirname "$0")/.."
# systemd-analyze checks the unit file.
scripts/ensure-tools.sh bun packer curl systemd-analyze

packer fmt -check -diff packer/
echo "packer fmt: clean"

cd packer/test
bun install --frozen-lockfile --silent
bun run typecheck
bun test

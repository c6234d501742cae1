#!/usr/bin/env bash
# packer fmt over the AMI template, then its structure test and the tests of the boot script and systemd unit
# (packer/test, Bun). `packer validate` needs the amazon plugin and AWS, so CI's packer workflow runs it.
set -euo pipefail
cd "$(dirname "$0")/.."
.ci/ensure-tools.sh bun packer curl

# systemd-analyze (for the unit test) comes with Debian's systemd package, which ensure-tools cannot name.
if ! command -v systemd-analyze >/dev/null; then
  echo "test-packer: installing systemd for systemd-analyze" >&2
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq systemd >/dev/null
fi

packer fmt -check -diff packer/
echo "packer fmt: clean"

cd packer/test
bun install --frozen-lockfile --silent
bun run typecheck
bun test

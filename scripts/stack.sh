#!/usr/bin/env bash
# `make stack`: 2x app1 behind a public HAProxy and 2x app2 behind an internal HAProxy, like the two ALBs,
# on free loopback ports. Prints the public URL; Ctrl-C stops everything. See e2e/README.md.
set -euo pipefail
cd "$(dirname "$0")/.."

# shellcheck source=scripts/lib/local-stack.sh
source scripts/lib/local-stack.sh
bun e2e/src/serve.ts "$RUN_DIR"

#!/usr/bin/env bash
# `make stack`: 2x app1 behind a public HAProxy and 2x app2 behind an internal HAProxy, like the two ALBs,
# on free loopback ports. Prints the public URL; Ctrl-C stops everything. See .ci/stack/README.md.
set -euo pipefail
cd "$(dirname "$0")/.."

# shellcheck source=.ci/stack/prepare.sh
source .ci/stack/prepare.sh
bun .ci/stack/serve.ts "$RUN_DIR"

#!/usr/bin/env bash
# `make resilience`: under load through local stand-ins for the two ALBs, a rolling restart, a kill -9 of an
# app2 instance, a full app2 outage and a path fuzz. Prints numbers, then "N passed, N failed".
# FUZZ_SEED=<n> replays a fuzz run; KEEP_RUN_DIR=1 keeps the logs. See e2e/README.md.
set -euo pipefail
cd "$(dirname "$0")/.."

# shellcheck source=scripts/lib/local-stack.sh
source scripts/lib/local-stack.sh
bun e2e/src/resilience.ts "$RUN_DIR"

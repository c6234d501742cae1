#!/usr/bin/env bash
# `make bench`: throughput, latency, CPU per request and peak memory of app2 and the app1->app2 chain beside a
# plain Bun baseline. The benchmark itself is TypeScript (bench/src/main.ts); bench/README.md describes what it
# measures and its BENCH_* settings. Exits non-zero only when something failed to run.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/common.sh

scripts/ensure-tools.sh bun wrk
for project in app1 app2 bench; do
  (cd "$project" && bun install --frozen-lockfile --silent)
done
run_dir=.run/bench
rm -rf "$run_dir"
mkdir -p "$run_dir"
# The benchmark stops its services itself; this catches what is left if it was killed.
trap 'kill_process_groups "$run_dir/process-groups"' EXIT
bun bench/src/main.ts "$run_dir"

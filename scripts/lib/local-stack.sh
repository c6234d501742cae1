# shellcheck shell=bash
# Sourced by stack.sh and resilience.sh (from the repository root): installs what the local stack
# needs, creates RUN_DIR for its configs, sockets and logs, and on exit kills whatever the stack left running.

# shellcheck source=scripts/lib/common.sh
source scripts/lib/common.sh
scripts/ensure-tools.sh bun haproxy
for app in app1 app2 e2e; do
  (cd "$app" && bun install --frozen-lockfile --silent)
done

# Under /tmp rather than .run/: HAProxy's stats sockets need a short path (Unix sockets allow 107 bytes).
RUN_DIR="$(mktemp -d "${TMPDIR:-/tmp}/relay-stack.XXXXXX")"
export RUN_DIR

# The controller stops everything itself; this catches what is left if it crashed or was killed.
# KEEP_RUN_DIR=1 keeps the logs and configs for a look after the run.
cleanup_stack() {
  kill_process_groups "$RUN_DIR/process-groups"
  if [ "${KEEP_RUN_DIR:-0}" = 1 ]; then
    echo "logs and configs kept in $RUN_DIR"
  else
    rm -rf "$RUN_DIR"
  fi
}
trap cleanup_stack EXIT

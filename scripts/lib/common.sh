# shellcheck shell=bash
# Helpers shared by the scripts in this folder. Source it after `set -euo pipefail`, from the repository root:
#   source scripts/lib/common.sh
# Needs bash and curl (wait_http); nothing else.

# The Bun projects of the repository, each with its own package.json and bun.lock. The services and the kit they
# are built on are tested by test-apps.sh, in this order: the kit first, app2 before app1 (app1's cross-app test
# starts the installed app2). The tooling is tested by test-scripts.sh; the AMI template's tests, which need
# Packer and Terraform, by test-packer.sh. fmt.sh formats them all.
# shellcheck disable=SC2034 # used by the scripts that source this file
APP_PROJECTS=(packages/service-kit app2 app1)
# shellcheck disable=SC2034
TOOLING_PROJECTS=(e2e bench tools/workflow-lint tools/release)
# shellcheck disable=SC2034
PACKER_PROJECTS=(packer/test)
# shellcheck disable=SC2034
BUN_PROJECTS=("${APP_PROJECTS[@]}" "${TOOLING_PROJECTS[@]}" "${PACKER_PROJECTS[@]}")

# True when something accepts TCP connections on 127.0.0.1:<port>.
port_in_use() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# Fails with a message naming <what> (who needs the port, and how to choose another) when <port> is taken.
require_free_port() {
  local port="$1" what="$2"
  if port_in_use "$port"; then
    echo "error: port $port is already in use (needed by $what)" >&2
    return 1
  fi
}

# SIGKILLs every process group listed in <file> (one id a line, as e2e/src/process.ts records them): what a
# TypeScript controller that was killed left running. No file: nothing to do.
kill_process_groups() {
  local file="$1" group
  [ -f "$file" ] || return 0
  while read -r group; do
    kill -KILL -- "-$group" 2>/dev/null || true
  done <"$file"
}

# Waits until <url> answers 2xx, polling every 0.1 s, for at most <timeout_s> seconds.
# With a <pid>, gives up as soon as that process has exited (the server died while starting).
wait_http() {
  local url="$1" timeout_s="$2" pid="${3:-}"
  local deadline=$((SECONDS + timeout_s))
  until curl --silent --fail --output /dev/null --max-time 1 "$url"; do
    if [ -n "$pid" ] && ! kill -0 "$pid" 2>/dev/null; then
      echo "error: process $pid exited before $url answered" >&2
      return 1
    fi
    if [ "$SECONDS" -ge "$deadline" ]; then
      echo "error: $url did not answer within ${timeout_s} s" >&2
      return 1
    fi
    sleep 0.1
  done
}

# Stops the process <pid>: SIGTERM, then SIGKILL if it still runs after <grace_s> seconds (default 10).
# Returns once it is gone. Reaps it when it is a child of this shell.
stop_pid() {
  local pid="$1" grace_s="${2:-10}"
  kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null || true; return 0; }
  kill -TERM "$pid" 2>/dev/null || true
  local deadline=$((SECONDS + grace_s))
  while kill -0 "$pid" 2>/dev/null; do
    if [ "$SECONDS" -ge "$deadline" ]; then
      echo "warning: process $pid ignored SIGTERM for ${grace_s} s; sending SIGKILL" >&2
      kill -KILL "$pid" 2>/dev/null || true
      break
    fi
    sleep 0.1
  done
  wait "$pid" 2>/dev/null || true
}

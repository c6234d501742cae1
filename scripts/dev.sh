#!/usr/bin/env bash
# `make dev`: installs what is missing, runs app2 and then app1 (wired to app2) on this machine, on 127.0.0.1 only
# (HOST), streams both logs prefixed [app1]/[app2], and stops both gracefully on Ctrl-C or SIGTERM.
#   APP1_PORT (default 3001), APP2_PORT (default 3002) and LOG_LEVEL are passed on to the apps.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/common.sh

app1_port="${APP1_PORT:-3001}"
app2_port="${APP2_PORT:-3002}"
health_timeout_s=30

require_free_port "$app2_port" "app2; set APP2_PORT to choose another"
require_free_port "$app1_port" "app1; set APP1_PORT to choose another"

scripts/ensure-tools.sh bun curl
for app in app2 app1; do
  (cd "$app" && bun install --frozen-lockfile --silent)
done

# Prints the lines it reads, prefixed. It ignores Ctrl-C so the apps' last lines still show while they stop.
prefix_lines() {
  trap '' INT TERM
  local line
  while IFS= read -r line; do
    printf '%s %s\n' "$1" "$line"
  done
}

# Starts `bun run start` in <app>'s folder with the given VAR=value pairs, in a session of its own so that
# Ctrl-C reaches only this script, which then stops the apps in order. Sets started_pid.
start_app() {
  local app="$1"
  shift
  local launcher=(env)
  command -v setsid >/dev/null && launcher=(setsid env)
  (cd "$app" && exec "${launcher[@]}" "$@" bun run start) > >(prefix_lines "[$app]") 2>&1 &
  started_pid=$!
}

app1_pid=""
app2_pid=""
# shellcheck disable=SC2317 # shellcheck 0.9 takes functions run only by traps for dead code
stop_apps() {
  trap - INT TERM EXIT
  # app1 first: it is app2's only caller.
  for pid in "$app1_pid" "$app2_pid"; do
    [ -n "$pid" ] || continue
    stop_pid "$pid" 15
    kill -TERM -- "-$pid" 2>/dev/null || true # anything the app left behind in its session
  done
  wait # the log prefixers end once the apps have closed their output
}
# shellcheck disable=SC2317
on_signal() {
  stop_apps
  echo "dev: stopped"
  exit 0
}
trap on_signal INT TERM
trap stop_apps EXIT

start_app app2 HOST=127.0.0.1 PORT="$app2_port" ENVIRONMENT=local
app2_pid=$started_pid
wait_http "http://127.0.0.1:$app2_port/health" "$health_timeout_s" "$app2_pid"

start_app app1 HOST=127.0.0.1 PORT="$app1_port" ENVIRONMENT=local APP2_URL="http://127.0.0.1:$app2_port"
app1_pid=$started_pid
wait_http "http://127.0.0.1:$app1_port/health" "$health_timeout_s" "$app1_pid"

cat <<EOF

relay runs locally (Ctrl-C stops both):
  app1, the public relay API:  http://127.0.0.1:$app1_port   Swagger UI: http://127.0.0.1:$app1_port/swagger
  app2, the internal reverser: http://127.0.0.1:$app2_port   Swagger UI: http://127.0.0.1:$app2_port/swagger
Try:
  curl http://127.0.0.1:$app1_port/get/send/infra

EOF

# Polling rather than `wait -n`, which needs bash 5.1 (macOS ships 3.2). Ctrl-C ends the sleep at once.
while kill -0 "$app1_pid" 2>/dev/null && kill -0 "$app2_pid" 2>/dev/null; do
  sleep 0.5
done
echo "dev: an app exited on its own; stopping the other" >&2
exit 1

#!/usr/bin/env bash
# Part of `make test-apps`: the apps as their linux/arm64 (Graviton) images run them, checked on this machine.
# Each app is cross-compiled the way its Dockerfile does for arm64 (`bun run build --target=bun-linux-arm64`) and
# started under qemu-aarch64 with Debian's arm64 glibc (directly on an arm64 machine): app2 must answer /health and
# /api2/send/infra, app1, wired to the arm64 app2, /health and /get/send/infra; each passes its own --healthcheck
# and exits 0 on SIGTERM. Prints each executable's `file` line and the answers.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/common.sh

run=()
if [ "$(uname -m)" != aarch64 ]; then
  scripts/ensure-tools.sh bun curl file qemu-aarch64 arm64-glibc
  # The executables are dynamically linked against glibc: -L is where qemu finds its arm64 loader and libraries.
  run=(qemu-aarch64 -L /usr/aarch64-linux-gnu)
else
  scripts/ensure-tools.sh bun curl file
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/relay-arm64.XXXXXX")
pids=()
cleanup() {
  for pid in "${pids[@]}"; do stop_pid "$pid" 5; done
  rm -rf "$work"
}
trap cleanup EXIT

for app in app2 app1; do
  (cd "$app" && bun install --frozen-lockfile --silent && bun run build --target=bun-linux-arm64 --outfile "$work/$app" >/dev/null)
  file "$work/$app" | sed "s|$work/||"
  if ! file -b "$work/$app" | grep -q 'ARM aarch64'; then
    echo "test-arm64: $app was not compiled for arm64" >&2
    exit 1
  fi
done

# Starts the arm64 <app> on <port> (more variables after it) and waits for its /health.
start() {
  local app=$1 port=$2
  shift 2
  env PORT="$port" "$@" "${run[@]}" "$work/$app" >"$work/$app.log" 2>&1 &
  pids+=("$!")
  if ! wait_http "http://127.0.0.1:$port/health" 60 "$!"; then
    tail -n 20 "$work/$app.log" >&2
    exit 1
  fi
}

# GET <url> must answer 200 with exactly <body>.
expect_answer() {
  local url=$1 body=$2 answer status
  answer=$(curl --silent --show-error --max-time 20 --write-out '\n%{http_code}' "$url")
  status=${answer##*$'\n'}
  answer=${answer%$'\n'*}
  echo "GET /${url#http://127.0.0.1:*/} -> $status $answer"
  if [ "$status" != 200 ] || [ "$answer" != "$body" ]; then
    echo "test-arm64: expected 200 $body" >&2
    exit 1
  fi
}

# The executable's --healthcheck (the image's HEALTHCHECK) against the running <app> on <port>.
expect_healthcheck() {
  local app=$1 port=$2
  if ! PORT=$port "${run[@]}" "$work/$app" --healthcheck; then
    echo "test-arm64: $app --healthcheck failed against port $port" >&2
    exit 1
  fi
  echo "$app --healthcheck -> exit 0"
}

# SIGTERM to the process started <index>th must end it with exit 0 (it drains, then exits).
expect_clean_stop() {
  local app=$1 index=$2 status=0
  kill -TERM "${pids[$index]}"
  wait "${pids[$index]}" || status=$?
  echo "$app on SIGTERM -> exit $status"
  [ "$status" -eq 0 ] || { tail -n 20 "$work/$app.log" >&2; exit 1; }
}

# Two ports the kernel hands out as free, both held at once so that they differ, and released just before the apps
# bind them: what the kit's testing helper (freePort) does, rather than guessing ports that another run may guess.
mapfile -t ports < <(bun -e '
  const servers = [0, 1].map(() => Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } }))
  for (const server of servers) console.log(server.port)
  for (const server of servers) server.stop(true)')
reversal='{"original":"infra","processed":"arfni"}'

start app2 "${ports[0]}"
expect_answer "http://127.0.0.1:${ports[0]}/health" '{"status":"ok"}'
expect_answer "http://127.0.0.1:${ports[0]}/api2/send/infra" "$reversal"
expect_healthcheck app2 "${ports[0]}"

start app1 "${ports[1]}" APP2_URL="http://127.0.0.1:${ports[0]}"
expect_answer "http://127.0.0.1:${ports[1]}/health" '{"status":"ok"}'
expect_answer "http://127.0.0.1:${ports[1]}/get/send/infra" "$reversal"
expect_healthcheck app1 "${ports[1]}"

expect_clean_stop app1 1
expect_clean_stop app2 0
pids=()
echo "test-arm64: app2 and app1 compiled for arm64 answer as they should"

#!/usr/bin/env bash
# Part of `make test-scripts`: scripts/smoke-images.sh against a stand-in for docker (and for oci-smoke) on a PATH
# of its own. The stand-in's containers are small Bun servers on ports the kernel picks, which answer /health and
# Swagger UI's script and exit on SIGTERM; STUB_* variables make them, or docker, fail the way a broken image or
# machine would. Checks the build and run commands, each failure's one-line message and exit 1, that containers
# and images are removed afterwards, the fall-back to oci-smoke and the skip.
set -uo pipefail # not -e: every check runs, and a failed one is counted
cd "$(dirname "$0")/.." || exit 1
scripts/ensure-tools.sh bun curl

root=$(mktemp -d "${TMPDIR:-/tmp}/relay-test-smoke-images.XXXXXX")
# Stops the containers a failed check left running.
stop_containers() {
  local pid_file
  for pid_file in "$root"/state/*.pid; do
    [ -f "$pid_file" ] && kill -KILL "$(cat "$pid_file")" 2>/dev/null
  done
}
trap 'stop_containers; rm -rf "$root"' EXIT
mkdir -p "$root/stubs"

# A container: listens on a port the kernel picks and writes it down, then its exit code when SIGTERM ends it.
cat >"$root/container.ts" <<'TS'
const [state] = process.argv.slice(2)
const server = Bun.serve({
  hostname: '127.0.0.1',
  port: 0,
  fetch(request) {
    const { pathname } = new URL(request.url)
    if (pathname === '/health') return Response.json({ status: 'ok' })
    if (pathname === '/swagger/assets/swagger-ui-bundle.js' && !process.env.STUB_NO_SWAGGER) return new Response('ui')
    return new Response('not found', { status: 404 })
  },
})
await Bun.write(`${state}.port`, String(server.port))
process.on('SIGTERM', async () => {
  const code = Number(process.env.STUB_EXIT_ON_TERM ?? 0)
  await Bun.write(`${state}.exit`, String(code))
  process.exit(code)
})
TS

cat >"$root/stubs/docker" <<'STUB'
#!/usr/bin/env bash
echo "docker $*" >>"$STUB_LOG"
last() { local arg; for arg; do :; done; echo "$arg"; }
case "$1" in
  info) [ -z "${STUB_NO_DAEMON:-}" ] || { echo "Cannot connect to the Docker daemon" >&2; exit 1; } ;;
  buildx)
    case "$2" in
      version) [ -z "${STUB_NO_BUILDX:-}" ] || { echo "docker: 'buildx' is not a docker command." >&2; exit 1; } ;;
      build) [ -z "${STUB_BUILD_FAILS:-}" ] || { echo "ERROR: failed to solve" >&2; exit 1; } ;;
    esac
    ;;
  run)
    name=""
    while [ "$#" -gt 0 ]; do [ "$1" = --name ] && name=$2; shift; done
    state="$STUB_STATE/$name"
    bun "$STUB_CONTAINER" "$state" >"$state.log" 2>&1 &
    echo "$!" >"$state.pid"
    for _ in $(seq 100); do [ -s "$state.port" ] && break; sleep 0.05; done
    echo "${name}-id"
    ;;
  port) echo "127.0.0.1:$(cat "$STUB_STATE/$2.port")" ;;
  inspect)
    state="$STUB_STATE/$(last "$@")"
    case "$3" in
      *Health.Status*)
        if [ -n "${STUB_NO_HEALTHCHECK:-}" ]; then echo none
        elif [ -n "${STUB_UNHEALTHY:-}" ]; then echo unhealthy
        else echo healthy; fi
        ;;
      *Health.Log*) echo '[{"ExitCode":1,"Output":"health check failed"}]' ;;
    esac
    ;;
  image)
    [ "$2" = inspect ] && echo 118000000
    ;;
  kill) kill -TERM "$(cat "$STUB_STATE/$(last "$@").pid")" ;;
  wait)
    state="$STUB_STATE/$2"
    until [ -f "$state.exit" ]; do sleep 0.05; done
    cat "$state.exit"
    ;;
  logs) cat "$STUB_STATE/$(last "$@").log" ;;
  rm)
    shift 2 # --force
    for name; do
      [ -f "$STUB_STATE/$name.pid" ] && kill -KILL "$(cat "$STUB_STATE/$name.pid")" 2>/dev/null
      rm -f "$STUB_STATE/$name".*
    done
    ;;
  *) echo "docker stand-in: unexpected: $*" >&2; exit 1 ;;
esac
STUB
cat >"$root/oci-smoke" <<'STUB'
#!/usr/bin/env bash
echo "oci-smoke $*" >>"$STUB_LOG"
STUB
chmod +x "$root/stubs/docker" "$root/oci-smoke"

failures=0
fail() {
  echo "FAIL: $*"
  failures=$((failures + 1))
}

# smoke <expected exit code> [VAR=value ...] -- [apps...]: runs smoke-images.sh; its output is in $root/out.
smoke() {
  local expected="$1" code=0
  shift
  local settings=()
  while [ "$1" != -- ]; do settings+=("$1"); shift; done
  shift
  stop_containers
  rm -rf "$root/state" && mkdir -p "$root/state"
  : >"$root/log"
  env PATH="$root/stubs:$PATH" STUB_LOG="$root/log" STUB_STATE="$root/state" STUB_CONTAINER="$root/container.ts" \
    "${settings[@]}" scripts/smoke-images.sh "$@" >"$root/out" 2>&1 || code=$?
  if [ "$code" -ne "$expected" ]; then
    fail "smoke-images.sh ${settings[*]} $*: exit $code, expected $expected:"
    sed 's/^/    /' "$root/out"
    return 1
  fi
}

# expect <name> <file> <text>: <file> contains <text>.
expect() {
  if grep -qF -- "$3" "$2"; then echo "ok: $1"; else fail "$1: '$3' not in:"; sed 's/^/    /' "$2"; fi
}

no_container_left() {
  if ls "$root"/state/*.pid >/dev/null 2>&1; then
    fail "$1: containers left behind: $(cd "$root/state" && echo *.pid)"
  else
    echo "ok: $1: no container left"
  fi
}

if smoke 0 -- app2 app1; then
  expect "docker: builds with the kit as a build context and loads the image" "$root/log" \
    "docker buildx build --build-context service-kit=packages/service-kit --load --tag relay-smoke/app2:"
  expect "docker: app1's container gets APP2_URL" "$root/log" "--env APP2_URL=http://127.0.0.1:9"
  expect "docker: a port Docker picks, the HEALTHCHECK every second" "$root/log" \
    "--publish 127.0.0.1::8080 --health-interval 1s"
  expect "docker: stops with SIGTERM" "$root/log" "docker kill --signal TERM relay-smoke-app1-"
  expect "docker: says what passed" "$root/out" \
    "smoke-images: app1: PASS (/health, /swagger/assets/swagger-ui-bundle.js, HEALTHCHECK healthy, exit 0 on SIGTERM; image 118 MB)"
  expect "docker: removes its images" "$root/log" "docker image rm --force relay-smoke/app2:"
  no_container_left "docker: both apps pass"
fi

for case in "STUB_NO_HEALTHCHECK=1|the image has no HEALTHCHECK" \
  "STUB_UNHEALTHY=1|its HEALTHCHECK fails: [{\"ExitCode\":1" \
  "STUB_EXIT_ON_TERM=1|exit 1 on SIGTERM instead of 0" \
  "STUB_NO_SWAGGER=1|/swagger/assets/swagger-ui-bundle.js does not answer 200" \
  "STUB_BUILD_FAILS=1|ERROR: failed to solve"; do
  setting=${case%%|*} message=${case#*|}
  if smoke 1 "$setting" -- app2; then
    expect "docker, $setting: fails saying so" "$root/out" "$message"
    no_container_left "docker, $setting"
  fi
done

if smoke 2 -- app3; then expect "an unknown app: usage" "$root/out" "smoke-images: unknown app 'app3'"; fi

if smoke 0 STUB_NO_DAEMON=1 OCI_SMOKE="$root/oci-smoke" --; then
  expect "no daemon: says why Docker is not used" "$root/out" \
    "smoke-images: the Docker daemon does not answer; using $root/oci-smoke"
  expect "no daemon: oci-smoke builds app2 with the kit, probes Swagger UI's script" "$root/log" \
    "oci-smoke --build-context service-kit=packages/service-kit --health /swagger/assets/swagger-ui-bundle.js app2"
  expect "no daemon: oci-smoke starts app1 with APP2_URL" "$root/log" \
    "--env APP2_URL=http://127.0.0.1:9 app1"
fi

if smoke 0 STUB_NO_BUILDX=1 OCI_SMOKE= --; then
  expect "no Buildx and no oci-smoke: skipped, naming Docker" "$root/out" \
    "smoke-images: skipped: docker has no Buildx (the docker-buildx-plugin package). Install Docker with Buildx"
fi

if smoke 1 STUB_NO_DAEMON=1 OCI_SMOKE="$root/missing" --; then
  expect "an OCI_SMOKE that is not there: a one-line error" "$root/out" \
    "smoke-images: OCI_SMOKE=$root/missing is not an executable file"
fi

if [ "$failures" -gt 0 ]; then
  echo "test-smoke-images: $failures failed"
  exit 1
fi
echo "test-smoke-images: all passed"

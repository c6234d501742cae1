#!/usr/bin/env bash
# Builds each app's image (linux, the machine's own architecture) and starts it the way the EC2 hosts do: it must
# answer /health and serve Swagger UI's script (the image has no node_modules: the file comes from inside the
# executable), pass its own HEALTHCHECK, and exit 0 on SIGTERM. Part of `make test-apps`; on its own:
#   scripts/smoke-images.sh [app1|app2 ...]        (default: app2 app1)
#
# With Docker, when `docker` has Buildx and its daemon answers: `docker buildx build --load` with the kit as the
# build context service-kit, then one container per app on a port Docker picks, whose HEALTHCHECK Docker runs.
# On a machine without a Docker engine, oci-smoke does the same with buildah: OCI_SMOKE=<path to oci-smoke>,
# by default ../shared/tools/oci/oci-smoke beside this checkout when it is there (OCI_SMOKE= turns it off).
# Neither: says so and exits 0.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/common.sh

usage="usage: scripts/smoke-images.sh [app1|app2 ...]"
apps=("$@")
[ "${#apps[@]}" -gt 0 ] || apps=(app2 app1)
for app in "${apps[@]}"; do
  case "$app" in
    app1 | app2) ;;
    *) echo "smoke-images: unknown app '$app'; $usage" >&2; exit 2 ;;
  esac
done

kit_context=(--build-context service-kit=packages/service-kit)
swagger_script=/swagger/assets/swagger-ui-bundle.js

# The variables <app> needs to start: app1 needs APP2_URL, where nothing has to answer for /health.
app_env() {
  case "$1" in
    app1) echo APP2_URL=http://127.0.0.1:9 ;;
  esac
}

# Why Docker cannot build and run the images here, or nothing when it can.
docker_missing() {
  if ! command -v docker >/dev/null; then
    echo "docker is not installed"
  elif ! docker buildx version >/dev/null 2>&1; then
    echo "docker has no Buildx (the docker-buildx-plugin package)"
  elif ! docker info >/dev/null 2>&1; then
    echo "the Docker daemon does not answer"
  fi
}

containers=()
images=()
cleanup() {
  [ "${#containers[@]}" -eq 0 ] || docker rm --force "${containers[@]}" >/dev/null 2>&1 || true
  [ "${#images[@]}" -eq 0 ] || docker image rm --force "${images[@]}" >/dev/null 2>&1 || true
}

fail() {
  echo "smoke-images: $1: FAIL: $2" >&2
  [ -z "${3:-}" ] || docker logs --tail 20 "$3" >&2 || true
  exit 1
}

# docker inspect's <format> of <container>.
inspect() { docker inspect --format "$2" "$1"; }

smoke_with_docker() {
  local app="$1" image="relay-smoke/$1:$$" container="relay-smoke-$1-$$" env address health status deadline
  env=$(app_env "$app")
  echo "--- $app image (docker buildx build --load)"
  images+=("$image")
  docker buildx build "${kit_context[@]}" --load --tag "$image" "$app"
  containers+=("$container")
  # The image's HEALTHCHECK as it is, only run every second instead of every 15 s.
  docker run --detach --name "$container" --publish 127.0.0.1::8080 --health-interval 1s \
    ${env:+--env "$env"} "$image" >/dev/null
  address=$(docker port "$container" 8080/tcp | head -n1)
  wait_http "http://$address/health" 30 || fail "$app" "no answer on /health" "$container"
  curl --silent --fail --output /dev/null --max-time 5 "http://$address$swagger_script" ||
    fail "$app" "$swagger_script does not answer 200: Swagger UI's files are not in the executable" "$container"

  deadline=$((SECONDS + 30))
  while health=$(inspect "$container" '{{if .State.Health}}{{.State.Health.Status}}{{else}}none{{end}}'); do
    case "$health" in
      healthy) break ;;
      none) fail "$app" "the image has no HEALTHCHECK" ;;
      unhealthy) fail "$app" "its HEALTHCHECK fails: $(inspect "$container" '{{json .State.Health.Log}}')" "$container" ;;
    esac
    [ "$SECONDS" -lt "$deadline" ] || fail "$app" "its HEALTHCHECK did not pass within 30 s ($health)" "$container"
    sleep 1
  done

  # What `docker stop` sends first; the service drains and exits 0 well before Docker's SIGKILL would come.
  docker kill --signal TERM "$container" >/dev/null
  status=$(timeout 25 docker wait "$container") || fail "$app" "still running 25 s after SIGTERM" "$container"
  [ "$status" = 0 ] || fail "$app" "exit $status on SIGTERM instead of 0" "$container"
  echo "smoke-images: $app: PASS (/health, $swagger_script, HEALTHCHECK healthy, exit 0 on SIGTERM;" \
    "image $(($(docker image inspect --format '{{.Size}}' "$image") / 1000000)) MB)"
}

smoke_with_oci_smoke() {
  local app="$1" env
  env=$(app_env "$app")
  echo "--- $app image (oci-smoke)"
  # oci-smoke runs the image's HEALTHCHECK and stops it with SIGTERM itself; --health is the path it probes.
  "$oci_smoke" "${kit_context[@]}" --health "$swagger_script" ${env:+--env "$env"} "$app"
}

no_docker=$(docker_missing)
if [ -z "$no_docker" ]; then
  trap cleanup EXIT
  for app in "${apps[@]}"; do smoke_with_docker "$app"; done
  exit 0
fi

oci_smoke=${OCI_SMOKE-../shared/tools/oci/oci-smoke}
if [ -n "${OCI_SMOKE:-}" ] && [ ! -x "$oci_smoke" ]; then
  echo "smoke-images: OCI_SMOKE=$oci_smoke is not an executable file" >&2
  exit 1
fi
if [ -n "$oci_smoke" ] && [ -x "$oci_smoke" ]; then
  echo "smoke-images: $no_docker; using $oci_smoke"
  for app in "${apps[@]}"; do smoke_with_oci_smoke "$app"; done
  exit 0
fi

echo "smoke-images: skipped: $no_docker. Install Docker with Buildx to build and start the images" \
  "(or point OCI_SMOKE at oci-smoke on a machine without a Docker engine)."

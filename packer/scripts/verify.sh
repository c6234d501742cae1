#!/usr/bin/env bash
# Checks on the build instance that the image keeps the boot contract; any failure fails the build.
set -euo pipefail

check() {
  local description=$1
  shift
  if "$@" >/dev/null; then
    echo "ok: $description"
  else
    echo "FAILED: $description" >&2
    exit 1
  fi
}

check "docker is enabled" systemctl is-enabled docker.service
check "the SSM agent is enabled" systemctl is-enabled amazon-ssm-agent.service
check "daemon.json is valid for this dockerd" dockerd --validate --config-file /etc/docker/daemon.json
check "the ECR credential helper is installed" command -v docker-credential-ecr-login
check "root's docker uses the ECR credential helper" grep -q '"credsStore": "ecr-login"' /root/.docker/config.json
check "relay-app.service passes systemd-analyze verify" systemd-analyze verify relay-app.service
check "relay-app-container is executable" test -x /usr/local/bin/relay-app-container
check "relay-app.service is installed but not enabled" test "$(systemctl is-enabled relay-app.service || true)" = disabled

#!/usr/bin/env bash
# Installs the tools named as arguments when they are missing, from the npm registry (bun) or Debian's
# packages (everything else). Idempotent and quiet when nothing is missing.
#   scripts/ensure-tools.sh bun shellcheck haproxy wrk packer systemd-analyze ip nft socat qemu-aarch64 arm64-glibc
# arm64-glibc is not a command: Debian's glibc for arm64 in /usr/aarch64-linux-gnu, what qemu-aarch64 -L needs to
# run a dynamically linked arm64 program on another architecture.
set -euo pipefail

apt_updated=false
apt_install() {
  if [ "$(id -u)" -ne 0 ] && ! command -v sudo >/dev/null; then
    echo "ensure-tools: '$1' is missing and I am not root; install it with your package manager" >&2
    exit 1
  fi
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  if [ "$apt_updated" = false ]; then
    $sudo apt-get update -qq
    apt_updated=true
  fi
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$@" >/dev/null
}

present() {
  case "$1" in
    arm64-glibc) [ -e /usr/aarch64-linux-gnu/lib/ld-linux-aarch64.so.1 ] ;;
    *) command -v "$1" >/dev/null 2>&1 ;;
  esac
}

for tool in "$@"; do
  present "$tool" && continue
  echo "ensure-tools: installing $tool" >&2
  case "$tool" in
    bun)
      # The npm package ships the native binary for this platform; no download script needed.
      npm install --global --silent bun@1.4.5
      ;;
    terraform)
      echo "ensure-tools: terraform >= 1.11 is required and is not packaged by Debian;" \
        "install it from HashiCorp (https://developer.hashicorp.com/terraform/install)" >&2
      exit 1
      ;;
    systemd-analyze)
      apt_install systemd
      ;;
    ip)
      apt_install iproute2
      ;;
    nft)
      apt_install nftables
      ;;
    qemu-aarch64)
      apt_install qemu-user
      ;;
    arm64-glibc)
      apt_install libc6-arm64-cross
      ;;
    *)
      apt_install "$tool"
      ;;
  esac
done

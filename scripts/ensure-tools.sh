#!/usr/bin/env bash
# Installs the tools named as arguments when they are missing, from the npm registry (bun, the release in the
# repository's .bun-version) or Debian's packages (everything else). Idempotent and quiet when nothing is missing.
# Installs run as root: directly when this runs as root, through sudo otherwise.
#   scripts/ensure-tools.sh bun shellcheck haproxy wrk packer systemd-analyze ip nft socat qemu-aarch64 arm64-glibc
# arm64-glibc is not a command: Debian's glibc for arm64 in /usr/aarch64-linux-gnu, what qemu-aarch64 -L needs to
# run a dynamically linked arm64 program on another architecture.
set -euo pipefail

repo_root=$(cd "$(dirname "$0")/.." && pwd)

# Runs a command as root (the global npm folder and apt need it); fails naming <tool> when that is not possible.
as_root() {
  local tool="$1"
  shift
  if [ "$(id -u)" -eq 0 ]; then
    "$@"
  elif command -v sudo >/dev/null; then
    sudo "$@"
  else
    echo "ensure-tools: '$tool' is missing and I am neither root nor have sudo; install it yourself" >&2
    exit 1
  fi
}

apt_updated=false
apt_install() {
  if [ "$apt_updated" = false ]; then
    as_root "$1" apt-get update -qq
    apt_updated=true
  fi
  as_root "$1" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
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
      as_root bun npm install --global --silent "bun@$(cat "$repo_root/.bun-version")"
      ;;
    terraform)
      echo "ensure-tools: terraform >= 1.11 is required (CI uses the release in .terraform-version) and is not" \
        "packaged by Debian; install it from HashiCorp (https://developer.hashicorp.com/terraform/install)" >&2
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

#!/usr/bin/env bash
# Part of `make test-scripts`: scripts/ensure-tools.sh on a PATH of stand-ins (id, sudo, npm, apt-get) where no
# tool is installed. As root it installs directly; as another user through sudo, npm as well as apt-get; without
# sudo it fails with a one-line error. Bun is the release in .bun-version.
set -uo pipefail # not -e: every check runs, and a failed one is counted
cd "$(dirname "$0")/.." || exit 1

root=$(mktemp -d "${TMPDIR:-/tmp}/relay-test-ensure-tools.XXXXXX")
trap 'rm -rf "$root"' EXIT
bun_version=$(cat .bun-version)

# The stand-ins record what runs, and as whom, in $STUB_LOG. Nothing else is on their PATH but what the script
# itself needs (cat, dirname, env).
stubs="$root/stubs"
mkdir -p "$stubs"
for tool in cat dirname env; do ln -s "$(command -v "$tool")" "$stubs/$tool"; done
cat >"$stubs/id" <<'STUB'
#!/bin/bash
[ "$1" = -u ] && echo "${STUB_AS_ROOT:-${STUB_UID:-1000}}"
STUB
cat >"$stubs/sudo" <<'STUB'
#!/bin/bash
STUB_AS_ROOT=0 exec "$@"
STUB
for tool in npm apt-get; do
  cat >"$stubs/$tool" <<STUB
#!/bin/bash
echo "\$(id -u) $tool \$*" >>"\$STUB_LOG"
STUB
done
chmod +x "$stubs"/*

failures=0
# check <name> <expected log> <expected exit code> [uid] [--no-sudo] -- <tools...>
check() {
  local name=$1 expected=$2 expected_code=$3 uid=$4 no_sudo=$5 code=0
  shift 5
  : >"$root/log"
  [ "$no_sudo" = --no-sudo ] && mv "$stubs/sudo" "$root/sudo"
  env -i PATH="$stubs" STUB_LOG="$root/log" STUB_UID="$uid" /bin/bash scripts/ensure-tools.sh "$@" \
    2>"$root/stderr" || code=$?
  [ -f "$root/sudo" ] && mv "$root/sudo" "$stubs/sudo"
  if [ "$code" -ne "$expected_code" ] || [ "$(cat "$root/log")" != "$expected" ]; then
    echo "FAIL: $name: exit $code (expected $expected_code), ran:"
    sed 's/^/    /' "$root/log"
    echo "  expected:"
    printf '%s\n' "$expected" | sed 's/^/    /'
    sed 's/^/  stderr: /' "$root/stderr"
    failures=$((failures + 1))
  else
    echo "ok: $name"
  fi
}

check "root: npm installs the Bun of .bun-version" \
  "0 npm install --global --silent bun@$bun_version" 0 0 "" -- bun
check "a user with sudo: npm runs through sudo" \
  "0 npm install --global --silent bun@$bun_version" 0 1000 "" -- bun
check "a user with sudo: apt-get runs through sudo, updated once" \
  "$(printf '0 apt-get update -qq\n0 apt-get install -y -qq shellcheck\n0 apt-get install -y -qq qemu-user')" 0 1000 "" \
  -- shellcheck qemu-aarch64
check "a user without sudo: a one-line error, nothing run" "" 1 1000 --no-sudo -- bun
if ! grep -qx "ensure-tools: 'bun' is missing and I am neither root nor have sudo; install it yourself" "$root/stderr"; then
  echo "FAIL: the error without sudo says: $(cat "$root/stderr")"
  failures=$((failures + 1))
fi

if [ "$failures" -gt 0 ]; then
  echo "test-ensure-tools: $failures failed"
  exit 1
fi
echo "test-ensure-tools: all passed"

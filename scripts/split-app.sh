#!/usr/bin/env bash
# Makes a standalone repository of one service: the app's folder at the root, the service kit vendored in
# vendor/service-kit, the paths that pointed at ../packages/service-kit pointing there, the lockfile and the
# Dockerfile made for that layout, relay's .bun-version, and a first commit. The result installs, tests and builds
# on its own:
#   scripts/split-app.sh app2 /tmp/relay-app2
#   cd /tmp/relay-app2 && bun install --frozen-lockfile && bun test && docker build -t relay/app2 .
set -euo pipefail

usage="usage: scripts/split-app.sh <app1|app2> <dest> (outside this repository; must not exist or be empty)"
[ "$#" -eq 2 ] || { echo "$usage" >&2; exit 2; }
app="$1"
# Where the caller is, not where the repository is: resolved before this script changes directory.
dest=$(realpath --canonicalize-missing -- "$2")
case "$app" in
  app1 | app2) ;;
  *) echo "split-app: unknown app '$app'; $usage" >&2; exit 2 ;;
esac
repo_root=$(cd "$(dirname "$0")/.." && pwd -P)
case "$dest/" in
  "$repo_root"/*) echo "split-app: $dest is inside this repository; $usage" >&2; exit 2 ;;
esac
if [ -e "$dest" ] && [ -n "$(ls -A "$dest")" ]; then
  echo "split-app: $dest is not empty; $usage" >&2
  exit 2
fi

cd "$repo_root"
scripts/ensure-tools.sh bun git
kit_dir=packages/service-kit
vendored=vendor/service-kit

mkdir -p "$dest"

# Copies the files of <dir> that git tracks or would track (as they are in the working tree) to <target>.
copy_tracked() {
  local dir="$1" target="$2" file
  git ls-files --cached --others --exclude-standard -- "$dir" | while read -r file; do
    [ -f "$file" ] || continue # deleted in the working tree
    mkdir -p "$target/$(dirname "${file#"$dir"/}")"
    cp -p "$file" "$target/${file#"$dir"/}"
  done
}
copy_tracked "$app" "$dest"
copy_tracked "$kit_dir" "$dest/$vendored"
cp .bun-version "$dest/" # the Bun release its Dockerfile builds with (bun run dockerfile), for its CI too

cd "$dest"
# Every path from the app to the kit, in package.json, the docs and the tests' comments. The kit is now inside
# the build context, so `docker build` needs no named context for it.
grep -rlF "$kit_dir" --exclude-dir=vendor . | while read -r file; do
  sed -i "s# --build-context service-kit=\.\./$kit_dir##g; s#\.\./$kit_dir#$vendored#g; s#$kit_dir#$vendored#g" "$file"
done
grep -qF "\"file:$vendored\"" package.json || {
  echo "split-app: package.json has no dependency on file:$vendored after rewriting" >&2
  exit 1
}

# The vendored kit is checked in its own folder, with its own configuration: not by the app's `bun test`, nor by
# its Biome, which would otherwise stop at the kit's biome.json (a second root configuration).
cat >bunfig.toml <<'EOF'
[test]
pathIgnorePatterns = ["vendor/**"]
EOF
cat >biome.json <<'EOF'
{
  "$schema": "./node_modules/@biomejs/biome/configuration_schema.json",
  "extends": ["@relay/service-kit/biome"],
  "files": { "includes": ["src/**", "test/**", "*.json", "!!vendor"] }
}
EOF
printf '%s\n' "$vendored/node_modules" >>.dockerignore
kit_version=$(bun -e "console.log(require('./$vendored/package.json').version)")
relay_commit=$(git -C "$repo_root" rev-parse --short HEAD)
cat >>README.md <<EOF

## The vendored service kit

\`$vendored\` is \`@relay/service-kit\` $kit_version, taken from relay at commit $relay_commit and
installed as a \`file:\` dependency; its README says what it offers. To take a newer version, replace the
folder, then run \`bun install\`, \`bun run dockerfile\` and \`bun run kit-check\`.
EOF

bun install --silent # records the new path of the kit in bun.lock
bun run --silent dockerfile
bun run --silent kit-check

git init --quiet --initial-branch=main
git add --all
if git config user.email >/dev/null; then
  git commit --quiet -m "Split $app out of relay ($relay_commit)"
  echo "split-app: $app is a repository at $dest"
else
  echo "split-app: $app is at $dest, its files staged (no git identity here to commit them)"
fi

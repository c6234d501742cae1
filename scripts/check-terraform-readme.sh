#!/usr/bin/env bash
# Checks that a Terraform module's README.md documents exactly its interface, so the two cannot drift:
# every `variable` and `output` declared in <dir>/*.tf must be a row of the README's "## Inputs" or
# "## Outputs" table, and every row of those tables must be declared. A row is a table line whose first
# cell is the backticked name:  | `name` | description | ...
#   scripts/check-terraform-readme.sh terraform/modules/network [more dirs...]
set -euo pipefail

# Prints "input <name>" / "output <name>" for each top-level declaration in the directory's .tf files.
declared() {
  awk '
    /^variable "[^"]+"/ { split($0, part, "\""); print "input " part[2] }
    /^output "[^"]+"/   { split($0, part, "\""); print "output " part[2] }
  ' "$1"/*.tf | sort -u
}

# Prints "input <name>" / "output <name>" for each table row under the README's Inputs and Outputs headings.
documented() {
  awk '
    /^## / {
      kind = ""
      if ($0 ~ /^## Inputs[[:space:]]*$/) kind = "input"
      if ($0 ~ /^## Outputs[[:space:]]*$/) kind = "output"
      next
    }
    kind != "" && match($0, /^\| *`[^`]+`/) {
      name = substr($0, RSTART, RLENGTH)
      sub(/^\| *`/, "", name)
      sub(/`$/, "", name)
      print kind " " name
    }
  ' "$1" | sort -u
}

[ "$#" -gt 0 ] || { echo "usage: $0 <terraform dir>..." >&2; exit 2; }

status=0
for dir in "$@"; do
  readme="$dir/README.md"
  if [ ! -f "$readme" ]; then
    echo "$dir: README.md is missing" >&2
    status=1
    continue
  fi
  in_code=$(declared "$dir")
  in_readme=$(documented "$readme")
  while read -r kind name; do
    echo "$readme: $kind '$name' is declared in $dir/*.tf but missing from the '## ${kind^}s' table" >&2
    status=1
  done < <(comm -23 <(echo "$in_code") <(echo "$in_readme"))
  while read -r kind name; do
    echo "$readme: $kind '$name' is in the '## ${kind^}s' table but not declared in $dir/*.tf" >&2
    status=1
  done < <(comm -13 <(echo "$in_code") <(echo "$in_readme"))
done
exit "$status"

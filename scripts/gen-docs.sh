#!/usr/bin/env bash
# gen-docs.sh — rewrites the generated parts of docs/api.md from the code:
# the route table (`fazhi routes --markdown`) and the role matrix (`fazhi
# roles --markdown`), each between its <!-- generated: … --> markers.
# tests/integration/docs.test.mjs fails when the file differs from this.
#
#   scripts/gen-docs.sh [build/fazhi]
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
bin=${1:-$top/build/fazhi}
doc=$top/docs/api.md
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT

# replace NAME CMD…: the lines between the NAME markers become CMD's output.
replace() {
	local name=$1; shift
	local out; out=$("$@")
	grep -q "^<!-- generated: $name -->\$" "$doc" || { echo "gen-docs: no '$name' markers in $doc" >&2; exit 1; }
	awk -v name="$name" -v out="$out" '
		$0 == "<!-- generated: " name " -->" { print; print out; skip = 1; next }
		$0 == "<!-- end: " name " -->" { skip = 0 }
		!skip { print }' "$doc" >"$tmp"
	cp "$tmp" "$doc"
}
replace "fazhi routes --markdown" "$bin" routes --markdown
replace "fazhi roles --markdown" "$bin" roles --markdown

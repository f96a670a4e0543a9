#!/bin/sh
set -u
file=$(mktemp)
trap 'rm -f "$file"' EXIT
echo 1.4.7 > "$file"
out=$(sh tools/bump-version patch "$file") || exit 1
[ "$out" = "1.4.8" ] && [ "$(cat "$file")" = "1.4.8" ] || { echo "patch: got $out"; exit 1; }

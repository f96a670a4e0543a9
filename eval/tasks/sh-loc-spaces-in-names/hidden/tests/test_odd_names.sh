#!/bin/sh
set -u
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
mkdir -p "$dir/User Guide"
printf 'one\ntwo\n' > "$dir/Getting Started.md"
printf 'a\nb\nc\nno newline at the end' > "$dir/User Guide/FAQ *.md"
printf 'z\n' > "$dir/plain.md"
out=$(sh scripts/loc.sh "$dir" md 2>&1)
expected="2 $dir/Getting Started.md
4 $dir/User Guide/FAQ *.md
1 $dir/plain.md
7 total"
[ "$out" = "$expected" ] || { printf 'expected:\n%s\ngot:\n%s\n' "$expected" "$out"; exit 1; }

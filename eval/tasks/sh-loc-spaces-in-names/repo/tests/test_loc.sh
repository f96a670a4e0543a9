#!/bin/sh
set -u
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
mkdir -p "$dir/src"
printf 'a\nb\nc\n' > "$dir/src/one.md"
printf 'x\n' > "$dir/two.md"
printf 'not counted\n' > "$dir/three.txt"
out=$(sh scripts/loc.sh "$dir" md)
expected="3 $dir/src/one.md
1 $dir/two.md
4 total"
[ "$out" = "$expected" ] || { printf 'expected:\n%s\ngot:\n%s\n' "$expected" "$out"; exit 1; }

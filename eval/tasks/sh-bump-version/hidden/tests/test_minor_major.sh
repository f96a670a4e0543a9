#!/bin/sh
set -u
file=$(mktemp)
trap 'rm -f "$file"' EXIT
fail() { echo "$1"; exit 1; }
bump() { echo "$1" > "$file"; sh tools/bump-version "$2" "$file"; }

[ "$(bump 1.4.7 minor)" = "1.5.0" ] || fail "minor of 1.4.7 should be 1.5.0"
[ "$(cat "$file")" = "1.5.0" ] || fail "the file should hold 1.5.0"
[ "$(bump 1.4.7 major)" = "2.0.0" ] || fail "major of 1.4.7 should be 2.0.0"
[ "$(bump 0.9.9 patch)" = "0.9.10" ] || fail "patch of 0.9.9 should be 0.9.10"
[ "$(bump v1.4.7 minor)" = "v1.5.0" ] || fail "the v prefix should be kept"
[ "$(cat "$file")" = "v1.5.0" ] || fail "the file should hold v1.5.0"

echo 1.4.7 > "$file"
if sh tools/bump-version mayor "$file" >/dev/null 2>&1; then fail "an unknown part should fail"; fi
[ "$(cat "$file")" = "1.4.7" ] || fail "a failed bump must not touch the file"
echo "1.4" > "$file"
if sh tools/bump-version patch "$file" >/dev/null 2>&1; then fail "1.4 is not X.Y.Z and should fail"; fi
[ "$(cat "$file")" = "1.4" ] || fail "a failed bump must not touch the file"
exit 0

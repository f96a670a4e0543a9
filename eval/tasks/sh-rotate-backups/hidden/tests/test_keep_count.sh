#!/bin/sh
set -u
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
fail() { echo "$1"; exit 1; }

for day in 01 02 03 04 05 06 07 08 09 10; do touch "$dir/db-2024-05-$day.sql.gz"; done
touch "$dir/notes.txt" "$dir/db-latest.sql.gz"
sh bin/rotate-backups "$dir" 7 >/dev/null || fail "rotate-backups failed"
left=$(ls "$dir" | grep '^db-2024' | tr '\n' ' ')
[ "$left" = "db-2024-05-04.sql.gz db-2024-05-05.sql.gz db-2024-05-06.sql.gz db-2024-05-07.sql.gz db-2024-05-08.sql.gz db-2024-05-09.sql.gz db-2024-05-10.sql.gz " ] || fail "expected the newest 7, got: $left"
[ -f "$dir/notes.txt" ] && [ -f "$dir/db-latest.sql.gz" ] || fail "other files must be left alone"

sh bin/rotate-backups "$dir" 1 >/dev/null || fail "rotate-backups 1 failed"
[ "$(ls "$dir" | grep '^db-2024')" = "db-2024-05-10.sql.gz" ] || fail "KEEP=1 must keep the newest backup"

for bad in 0 -3 seven 2x ""; do
  if sh bin/rotate-backups "$dir" "$bad" >/dev/null 2>&1; then fail "KEEP='$bad' should be refused"; fi
  sh bin/rotate-backups "$dir" "$bad" >/dev/null 2>&1
  [ $? -eq 2 ] || fail "KEEP='$bad' should exit 2"
done
[ -f "$dir/db-2024-05-10.sql.gz" ] || fail "a refused run must not delete anything"
exit 0

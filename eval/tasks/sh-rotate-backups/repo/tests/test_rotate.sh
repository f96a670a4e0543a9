#!/bin/sh
set -u
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
for day in 01 02 03; do touch "$dir/db-2024-05-$day.sql.gz"; done
sh bin/rotate-backups "$dir" 5 >/dev/null || exit 1
[ "$(ls "$dir" | wc -l)" -eq 3 ] || { echo "nothing should be removed when there are fewer than KEEP"; exit 1; }

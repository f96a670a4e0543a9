#!/bin/sh
# loc.sh DIR EXT: lines of every *.EXT file under DIR ("<lines> <path>", sorted by path), then "<total> total".
set -eu
dir=${1:?usage: loc.sh DIR EXT}
ext=${2:?usage: loc.sh DIR EXT}

total=0
for file in $(find "$dir" -type f -name "*.$ext" | sort); do
  lines=$(wc -l < "$file")
  echo "$lines $file"
  total=$((total + lines))
done
echo "$total total"

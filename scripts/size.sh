#!/usr/bin/env bash
# Prints the shipped size of dist/ (wasm and JS, raw and gzip -9). Build first (trunk build --release).
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT/dist"
printf '%-44s %10s %10s\n' file raw gzip
total_raw=0; total_gz=0
for f in *.wasm *.js *.css *.html; do
    [ -f "$f" ] || continue
    raw=$(wc -c <"$f"); gz=$(gzip -9 -c "$f" | wc -c)
    total_raw=$((total_raw + raw)); total_gz=$((total_gz + gz))
    printf '%-44s %10s %10s\n' "$f" "$raw" "$gz"
done
printf '%-44s %10s %10s\n' total "$total_raw" "$total_gz"

#!/usr/bin/env bash
# Sets up, builds the release page into dist/ and serves it on 127.0.0.1.
# Usage: scripts/run.sh [PORT]   (or PORT=… scripts/run.sh; default 8080)
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"
port="${1:-${PORT:-8080}}"

"$ROOT/scripts/setup.sh"
step "trunk build --release"
trunk build --release
step "Delivery Lab is at http://127.0.0.1:$port/  (Ctrl-C to stop)"
exec python3 -m http.server "$port" --bind 127.0.0.1 --directory dist

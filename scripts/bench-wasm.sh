#!/usr/bin/env bash
# The model's speed in WASM, in headless Chromium (release build): the same benchmark scenario as
# `dlab bench` (3 brokers, 6 partitions, 100,000 records, faults). Prints one BENCH line.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
TMPDIR="$tmp" cargo test --release --locked --target wasm32-unknown-unknown --test wasm_bench -- --nocapture 2>&1 \
    | grep -E "BENCH|test result"

#!/usr/bin/env bash
# Sets up and runs every check and test tier. This is the README's test command and what CI runs.
#   1. lint: cargo fmt --check; clippy -D warnings for the host and for wasm32
#   2. native: cargo test (model, view-model, scenarios, properties)
#   3. browser: wasm-bindgen-test in headless Chromium (the Yew app mounted and clicked)
#   4. end to end: the release build served on loopback, driven by Playwright in Chromium
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"
started=$(date +%s)

"$ROOT/scripts/setup.sh"

step "lint: cargo fmt --check"
cargo fmt --all -- --check
step "lint: clippy (host)"
cargo clippy --locked --all-targets -- -D warnings
step "lint: clippy (wasm32)"
cargo clippy --locked --all-targets --target wasm32-unknown-unknown -- -D warnings

step "tier 1: native tests"
cargo test --locked

step "tier 2: browser tests (wasm-bindgen-test, headless Chromium)"
# chromedriver leaves profile folders in the temp dir: give it one we clean.
browser_tmp="$(mktemp -d)"
trap 'rm -rf "$browser_tmp"' EXIT
TMPDIR="$browser_tmp" cargo test --locked --target wasm32-unknown-unknown --test browser

step "tier 3: end to end (release build, Playwright + Chromium)"
trunk build --release
"$ROOT/scripts/size.sh"
node --test --test-reporter=spec tests/e2e/

echo "all tiers passed in $(( $(date +%s) - started )) s"

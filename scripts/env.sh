# Sourced by the other scripts: where the tools are, and the settings that keep them offline.
# shellcheck shell=bash
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export ROOT
export PATH="$ROOT/node_modules/.bin:$HOME/.cargo/bin:$PATH"
# Trunk otherwise asks the crate registry's web API for updates on every run (unreachable here).
export TRUNK_SKIP_VERSION_CHECK=true
# wasm-bindgen-test-runner prefers geckodriver when present: name Chromium's driver explicitly.
export CHROMEDRIVER="${CHROMEDRIVER:-/usr/bin/chromedriver}"
export CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"

TRUNK_VERSION="0.21.14"
BINARYEN_VERSION="132.0.0"
# wasm-bindgen-cli must equal the wasm-bindgen in Cargo.lock, or Trunk ignores it.
WASM_BINDGEN_VERSION="$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' "$ROOT/Cargo.lock")"
export TRUNK_VERSION BINARYEN_VERSION WASM_BINDGEN_VERSION

step() { printf '\n==> %s\n' "$*"; }

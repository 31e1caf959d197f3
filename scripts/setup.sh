#!/usr/bin/env bash
# Installs what Delivery Lab needs to build and test, skipping what is already there.
# Idempotent: a second run takes seconds. Only the package registries are used (crates, npm,
# Debian); nothing downloads a prebuilt binary from elsewhere.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"
started=$(date +%s)

have_version() { # have_version CMD EXPECTED: true if `CMD --version` mentions EXPECTED
    command -v "$1" >/dev/null 2>&1 && "$1" --version 2>/dev/null | grep -qF "$2"
}

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    step "rustup target add wasm32-unknown-unknown"
    rustup target add wasm32-unknown-unknown
fi
if ! rustup component list --installed | grep -q '^clippy'; then
    rustup component add clippy rustfmt
fi

if ! have_version trunk "$TRUNK_VERSION"; then
    step "cargo install trunk $TRUNK_VERSION (about 7 minutes on 2 cores)"
    # 0.22 needs a newer rustc; --locked keeps Trunk's own tested dependency set.
    cargo install --locked trunk --version "$TRUNK_VERSION"
fi

if ! have_version wasm-bindgen "$WASM_BINDGEN_VERSION"; then
    step "cargo install wasm-bindgen-cli $WASM_BINDGEN_VERSION (about 2 minutes)"
    # Not --locked: its lock file names a webpki-roots version the registry mirror lacks.
    cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
fi

if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then
    step "apt-get install chromium chromium-driver"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq chromium chromium-driver >/dev/null
fi

if [ ! -x node_modules/.bin/wasm-opt ] || [ ! -d node_modules/playwright-core ] \
    || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    step "npm ci (binaryen for wasm-opt, playwright-core for end-to-end tests)"
    npm ci --no-audit --no-fund --loglevel=error
fi

# Trunk runs cargo with --offline: make sure every crate in Cargo.lock is in the local registry.
cargo fetch --locked --quiet
cargo fetch --locked --quiet --target wasm32-unknown-unknown

echo "setup: ready in $(( $(date +%s) - started )) s"

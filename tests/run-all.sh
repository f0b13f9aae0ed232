#!/bin/sh
# Every test of the project: formatting, lints, unit and integration tests,
# then the root-only compat tests (network namespaces, real keepalived).
#   tests/run-all.sh            (as root for the compat tests)
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
echo "== cargo fmt --check"
cargo fmt --check
echo "== cargo clippy --all-targets -- -D warnings"
cargo clippy --all-targets -- -D warnings
echo "== cargo test"
cargo test
echo "== cargo build --release"
cargo build --release
if [ "$(id -u)" = 0 ]; then
    echo "== compat-tests (root, network namespaces)"
    KEEPALIVED_RS="$top/target/release/keepalived" compat-tests/run -j 2
else
    echo "== compat-tests skipped: they need root (network namespaces)"
fi

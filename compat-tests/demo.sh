#!/bin/sh
# Build keepalived-rs and run it on a sample configuration inside a throw-away
# network namespace (never on this machine's own interfaces). As root.
#   sudo compat-tests/demo.sh [CONFIG]      (default: compat-tests/configs/demo.conf)
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
conf=${1:-$top/compat-tests/configs/demo.conf}
cargo build --release --manifest-path "$top/Cargo.toml"
ns="kr-demo-$$"
trap 'ip netns del "$ns" 2>/dev/null || true' EXIT INT TERM
ip netns add "$ns"
ip -n "$ns" link add demo0 type veth peer name demo1
ip -n "$ns" link set demo0 up
ip -n "$ns" link set demo1 up
ip -n "$ns" addr add 10.99.0.150/24 dev demo0
echo "== keepalived -t -f $conf (in netns $ns)"
rc=0
ip netns exec "$ns" "$top/target/release/keepalived" -t -f "$conf" || rc=$?
echo "== exit code $rc (0 = config OK; 4 fatal, 5 errors/warnings, 6 script security, 2 missing parameter)"

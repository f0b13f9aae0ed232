#!/bin/sh
# Build keepalived-rs, check a sample configuration with -t, then run the daemon on it
# for a few seconds inside a throw-away network namespace (never on this machine's own
# interfaces), in its own PID and mount namespaces (pid files on a private /run). As root.
#   sudo compat-tests/demo.sh [CONFIG [SECONDS]]   (default: compat-tests/configs/demo.conf, 6)
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
conf=${1:-$top/compat-tests/configs/demo.conf}
secs=${2:-6}
cargo build --release --manifest-path "$top/Cargo.toml"
bin="$top/target/release/keepalived"
ns="kr-demo-$$"
pid=
cleanup() {
    [ -n "$pid" ] && kill -KILL "$pid" 2>/dev/null || true
    ip netns del "$ns" 2>/dev/null || true
}
trap cleanup EXIT INT TERM
ip netns add "$ns"
ip -n "$ns" link set lo up
ip -n "$ns" link add demo0 type veth peer name demo1
ip -n "$ns" link set demo0 up
ip -n "$ns" link set demo1 up
ip -n "$ns" addr add 10.99.0.150/24 dev demo0
echo "== keepalived -t -f $conf (in netns $ns)"
rc=0
ip netns exec "$ns" "$bin" -t -f "$conf" || rc=$?
echo "== exit code $rc (0 = config OK; 4 fatal, 5 errors/warnings, 6 script security, 2 missing parameter)"
echo "== keepalived -n -l -f $conf for $secs s (in netns $ns, own PID namespace)"
ip netns exec "$ns" unshare --pid --fork --kill-child --mount-proc \
    sh -c 'mount -t tmpfs kr-demo-run /run && exec "$0" -n -l -f "$1"' "$bin" "$conf" &
pid=$!
sleep "$secs"
echo "== ip addr show demo0 (the VIP is there while we are MASTER)"
ip -n "$ns" -br addr show dev demo0
# SIGTERM to the daemon itself: the child of unshare, which waits for it
daemon=$(cat "/proc/$pid/task/$pid/children" 2>/dev/null || true)
[ -n "$daemon" ] && kill -TERM $daemon
wait "$pid" 2>/dev/null || true
pid=
echo "== after SIGTERM"
ip -n "$ns" -br addr show dev demo0

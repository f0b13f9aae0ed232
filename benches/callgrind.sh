#!/usr/bin/env bash
# Instructions per operation of the vrrp_core bench's cases, under callgrind
# (stable on a shared machine, unlike ns/op).
#
#   benches/callgrind.sh [case...]      (default: every case)
#   ITERS=10000 KEEP=1 benches/callgrind.sh rx_v2
#
# For each case: run the bench binary with VRRP_BENCH_CASE=<case> and
# VRRP_BENCH_ITERS=$ITERS, then with VRRP_BENCH_ITERS=0 (same set-up, no
# operation); Ir/op = (Ir(ITERS) - Ir(0)) / ITERS. With KEEP=1 the callgrind
# files are kept and their paths printed, for
#   callgrind_annotate --inclusive=yes <file> | head -60
set -euo pipefail

ITERS=${ITERS:-10000}
CASES=("$@")
if [ ${#CASES[@]} -eq 0 ]; then
    CASES=(rx_v2 rx_v3 tx_v2 decode_v2 decode_v3 emit_v2)
fi

cd "$(dirname "$0")/.."
command -v valgrind >/dev/null || { echo "valgrind is not installed" >&2; exit 1; }

# build (release profile with debuginfo: [profile.release] debug = 1) and find
# the binary from cargo's JSON messages
BIN=$(cargo bench --bench vrrp_core --no-run --message-format=json 2>/dev/null |
    grep -o '"executable":"[^"]*vrrp_core-[^"]*"' | tail -1 | cut -d'"' -f4)
[ -x "${BIN:-}" ] || { echo "could not build or find the vrrp_core bench" >&2; exit 1; }
echo "binary: $BIN"

OUT=$(mktemp -d "${TMPDIR:-/tmp}/vrrp_callgrind.XXXXXX")
[ "${KEEP:-0}" = 1 ] || trap 'rm -rf "$OUT"' EXIT

# total Ir of one run
ir() {
    local case=$1 iters=$2 file="$OUT/$1.$2.out"
    VRRP_BENCH_CASE=$case VRRP_BENCH_ITERS=$iters \
        valgrind --tool=callgrind --callgrind-out-file="$file" "$BIN" >/dev/null 2>"$file.log" ||
        { cat "$file.log" >&2; exit 1; }
    awk '/^(summary|totals):/ { print $2; exit }' "$file"
}

printf '%-10s %12s %12s %10s\n' case "Ir($ITERS)" "Ir(0)" "Ir/op"
for c in "${CASES[@]}"; do
    full=$(ir "$c" "$ITERS")
    base=$(ir "$c" 0)
    awk -v c="$c" -v f="$full" -v b="$base" -v n="$ITERS" \
        'BEGIN { printf "%-10s %12d %12d %10.1f\n", c, f, b, (n > 0 ? (f - b) / n : 0) }'
done
[ "${KEEP:-0}" = 1 ] && echo "callgrind files: $OUT"
exit 0

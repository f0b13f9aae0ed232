#!/usr/bin/env python3
"""Benchmark: `keepalived -t` on generated configs of 1,000 and 20,000 instances
(10 and 200 thousand lines), ours against keepalived 2.2.7, in the same run and the
same network namespace (which holds the interfaces the configs name).

Not a test: it prints times and the ratio ours/keepalived. Run as root:
    benches/config_test_speed.py [--ours target/release/keepalived] [--sizes 1000,20000] [--repeat 3]
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "compat-tests"))
from lab import Netns  # noqa: E402

PER_IF = 255  # one VRID per instance per interface and family


def generate(n: int) -> str:
    out = ["global_defs {", "    router_id bench", "}", ""]
    for i in range(n):
        ifn, vrid = divmod(i, PER_IF)
        a, b = divmod(i, 250)
        out += [
            f"vrrp_instance VI_{i} {{",
            "    state BACKUP",
            f"    interface bench{ifn}",
            f"    virtual_router_id {vrid + 1}",
            "    priority 100",
            "    advert_int 1",
            "    virtual_ipaddress {",
            f"        10.{100 + a // 250}.{a % 250}.{b + 1}/32",
            "    }",
            "}",
        ]
    return "\n".join(out) + "\n"


def timed(ns: Netns, argv: list[str]) -> tuple[float, int]:
    t0 = time.perf_counter()
    r = ns.run(argv, timeout=600)
    return time.perf_counter() - t0, r.rc


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--ours", default=str(HERE.parent / "target/release/keepalived"))
    ap.add_argument("--theirs", default="/usr/sbin/keepalived")
    ap.add_argument("--sizes", default="1000,20000")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    if os.geteuid() != 0:
        print("run as root (network namespaces)", file=sys.stderr)
        return 2
    sizes = [int(s) for s in args.sizes.split(",")]
    with tempfile.TemporaryDirectory(prefix="kr-bench-") as tmp, Netns("krbench") as ns:
        for k in range((max(sizes) + PER_IF - 1) // PER_IF):
            ns.add_dummy(f"bench{k}", multicast=True)
        print(f"{'instances':>10} {'lines':>8} {'keepalived s':>13} {'ours s':>8} {'ours/keepalived':>16}  exit codes")
        for n in sizes:
            conf = Path(tmp) / f"bench-{n}.conf"
            text = generate(n)
            conf.write_text(text)
            theirs, ours = [], []
            rcs = set()
            for _ in range(args.repeat):
                t, rc = timed(ns, [args.theirs, "-t", "-f", str(conf)])
                theirs.append(t)
                rcs.add(("keepalived", rc))
                t, rc = timed(ns, [args.ours, "-t", "-f", str(conf)])
                ours.append(t)
                rcs.add(("ours", rc))
            mt, mo = statistics.median(theirs), statistics.median(ours)
            print(f"{n:>10} {text.count(chr(10)):>8} {mt:>13.3f} {mo:>8.3f} {mo / mt:>15.1%}  {sorted(rcs)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

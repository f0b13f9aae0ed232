#!/usr/bin/env python3
"""What tracking scripts cost the daemon's loop, ours against keepalived 2.2.7 in the same
namespaces (issue 5's benchmark; prints figures, asserts nothing about speed).

    sudo benches/scripts_cost.py [--seconds 20] [--instances 100]

One host of the compat-tests wire lab runs N instances (VRRPv2, advert_int 1, master
alone), each tracking its own vrrp_script (`exit 0`, interval 1). Reported for each
implementation: the daemon's own CPU (user+system of its processes), its children's CPU
(the scripts, from cutime/cstime), and the advert timing on the wire: for every VRID the
gaps between consecutive adverts, and their largest deviation from 1 s.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "compat-tests"))
sys.path.insert(0, str(HERE))
sys.dont_write_bytecode = True
import lab  # noqa: E402
import wire  # noqa: E402
from daemon_resources import CLK_TCK, procs, wait_vips  # noqa: E402


def config(work: Path, n: int, number: int) -> str:
    script = work / "ok.sh"
    script.write_text("#!/bin/sh\nexit 0\n")
    script.chmod(0o755)
    out = ["global_defs {", "    script_user root", "}"]
    for i in range(n):
        out += [f"vrrp_script s{i} {{", f'    script "{script}"', "    interval 1", "    weight 2", "}"]
    for i in range(n):
        out += [
            f"vrrp_instance B{i} {{",
            "    interface eth0",
            f"    virtual_router_id {i + 1}",
            "    priority 150",
            "    advert_int 1",
            "    virtual_ipaddress {",
            f"        10.99.{200}.{i + 1}/32",
            "    }",
            "    track_script {",
            f"        s{i}",
            "    }",
            "}",
        ]
    return "\n".join(out) + "\n"


def ticks(node) -> tuple[int, int]:
    own = kids = 0
    for pid in procs(node):
        try:
            st = Path(f"/proc/{pid}/stat").read_bytes()
            f = st[st.rindex(b")") + 2:].split()
            own += int(f[11]) + int(f[12])
            kids += int(f[13]) + int(f[14])
        except (OSError, ValueError, IndexError):
            pass
    return own, kids


def run(impl: str, n: int, seconds: float) -> dict:
    with wire.Lab(hosts=1, tag="scripts-bench") as lb:
        node = lb.nodes[0]
        node.start(impl, config(lb.work, n, lb.number), args=("-n",), alive_check=0.5)
        wait_vips(node, n, 60)
        time.sleep(3)
        cap = lb.start_capture()
        (o0, k0), t0 = ticks(node), time.monotonic()
        time.sleep(seconds)
        (o1, k1), t1 = ticks(node), time.monotonic()
        cap.stop()
        node.stop(timeout=10)
        dt = t1 - t0
        by_vrid: dict[int, list[int]] = {}
        for f in cap.frames():
            v = wire.decode_vrrp(f)
            if v is not None and v.priority:
                by_vrid.setdefault(v.vrid, []).append(v.ts)
        devs = sorted(abs((b - a) - 1_000_000) for ts in by_vrid.values() for a, b in zip(ts, ts[1:]))
        return {
            "own": 100.0 * (o1 - o0) / CLK_TCK / dt,
            "kids": 100.0 * (k1 - k0) / CLK_TCK / dt,
            "p50": devs[len(devs) // 2] if devs else None,
            "p99": devs[int(len(devs) * 0.99)] if devs else None,
            "max": devs[-1] if devs else None,
            "gaps": len(devs),
        }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seconds", type=float, default=20.0)
    ap.add_argument("--instances", type=int, default=100)
    args = ap.parse_args()
    if os.geteuid() != 0:
        print("run as root (it creates network namespaces)", file=sys.stderr)
        return 2
    lab.install_handlers()
    res = {impl: run(impl, args.instances, args.seconds) for impl in ("keepalived", "ours")}
    print(f"\n{args.instances} instances each tracking a script at interval 1, "
          f"{args.seconds:g} s, same namespaces")
    print(f"{'measure':40} {'keepalived':>12} {'ours':>12}")
    for key, label in (("own", "daemon CPU %"), ("kids", "scripts' CPU % (children)")):
        print(f"{label:40} {res['keepalived'][key]:12.2f} {res['ours'][key]:12.2f}")
    for key in ("p50", "p99", "max"):
        print(f"{'advert period deviation ' + key + ' (us)':40} "
              f"{res['keepalived'][key]:12} {res['ours'][key]:12}")
    print(f"{'gaps measured':40} {res['keepalived']['gaps']:12} {res['ours']['gaps']:12}")
    k, o = res["keepalived"]["own"], res["ours"]["own"]
    if k:
        print(f"ours/keepalived daemon CPU: {100 * o / k:.1f} %")
    return 0


if __name__ == "__main__":
    sys.exit(main())

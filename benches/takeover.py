#!/usr/bin/env python3
"""Benchmark: takeover accuracy against the protocol's ideal, keepalived 2.2.7 against
ours, in the same namespaces and the same run (issue 6's benchmark list).

Two hosts of one implementation on a bridged lab: A (priority 150) is MASTER, B (priority
100) BACKUP, VRRPv2, advert_int 1 s. Each round, on the wire (tcpdump on the bridge):

* SIGKILL of A's PID namespace (no priority-0 advert): B's first advert comes
  Master_Down_Interval = 3 x 1 s + skew(100) = 3.609375 s after A's last advert;
* A restarted, preempts B; SIGTERM of A: A sends priority 0, B's first advert comes
  skew(100) = 0.609375 s after it.

Printed: per implementation the mean and worst |measured - ideal| (ms) for each kind and
the ratio ours/keepalived. Not a test: nothing is asserted (compat-tests assert the same
takeovers within their tolerance). Run as root:
    benches/takeover.py [--rounds 3]
"""
from __future__ import annotations

import argparse
import signal
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "compat-tests"))
import wire  # noqa: E402

VRID = 61
ADV_US = 1_000_000


def config(lab: wire.Lab, priority: int) -> str:
    return (f"global_defs {{\n    router_id n{priority}\n}}\n"
            f"vrrp_instance VI_1 {{\n    interface eth0\n    virtual_router_id {VRID}\n"
            f"    priority {priority}\n    advert_int 1\n"
            f"    virtual_ipaddress {{\n        10.99.{lab.number}.200/32\n    }}\n}}\n")


def until(pred, timeout: float, what: str) -> None:
    end = time.monotonic() + timeout
    while not pred():
        if time.monotonic() > end:
            raise RuntimeError(f"timed out waiting for {what}")
        time.sleep(0.02)


def adverts(cap: wire.Capture) -> list[wire.Vrrp]:
    out = []
    for f in cap.frames():
        v = wire.decode_vrrp(f)
        if v is not None and v.vrid == VRID:
            out.append(v)
    return out


def measure(impl: str, rounds: int) -> dict[str, list[float]]:
    res: dict[str, list[float]] = {"SIGKILL": [], "SIGTERM": []}
    ideal_kill = wire.master_down_us(2, 100, ADV_US)
    ideal_term = wire.skew_us(2, 100, ADV_US)
    with wire.Lab(hosts=2, tag="bto") as lb:
        a, b = lb.nodes
        vip = f"10.99.{lb.number}.200"
        ip_a, ip_b = f"10.99.{lb.number}.1", f"10.99.{lb.number}.2"
        b.start(impl, config(lb, 100), args=("-n", "-l"))
        for _ in range(rounds):
            a.start(impl, config(lb, 150), args=("-n", "-l"))
            until(lambda: a.holds(vip) and not b.holds(vip), 15, "A master")
            time.sleep(1.5)
            cap = lb.start_capture()
            time.sleep(1.2)
            a.kill9()
            until(lambda: b.holds(vip), 10, "B master after SIGKILL")
            time.sleep(0.3)
            cap.stop()
            advs = adverts(cap)
            last_a = max(v.ts for v in advs if v.ip_src == ip_a)
            first_b = min(v.ts for v in advs if v.ip_src == ip_b and v.ts > last_a)
            res["SIGKILL"].append((first_b - last_a - ideal_kill) / 1000)

            a.start(impl, config(lb, 150), args=("-n", "-l"))
            until(lambda: a.holds(vip) and not b.holds(vip), 15, "A master again")
            time.sleep(1.5)
            cap = lb.start_capture()
            time.sleep(1.2)
            a.stop(signal.SIGTERM)
            until(lambda: b.holds(vip), 10, "B master after SIGTERM")
            time.sleep(0.3)
            cap.stop()
            advs = adverts(cap)
            zero = min(v.ts for v in advs if v.ip_src == ip_a and v.priority == 0)
            first_b = min(v.ts for v in advs if v.ip_src == ip_b and v.ts > zero)
            res["SIGTERM"].append((first_b - zero - ideal_term) / 1000)
        b.stop(signal.SIGTERM)
    return res


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    got = {impl: measure(impl, args.rounds) for impl in ("keepalived", "ours")}
    print(f"takeover error against the ideal (ms; {args.rounds} rounds; + = late)")
    print(f"{'':10} {'keepalived mean/worst':>24} {'ours mean/worst':>20} {'ratio':>7}")
    for kind in ("SIGKILL", "SIGTERM"):
        k, o = got["keepalived"][kind], got["ours"][kind]
        km, kw = statistics.mean(abs(x) for x in k), max(abs(x) for x in k)
        om, ow = statistics.mean(abs(x) for x in o), max(abs(x) for x in o)
        ratio = f"{om / km:.2f}" if km > 0 else "-"
        print(f"{kind:10} {km:11.3f} / {kw:8.3f} {om:9.3f} / {ow:8.3f} {ratio:>7}")
    for impl in got:
        for kind, xs in got[impl].items():
            print(f"  {impl:10} {kind}: " + " ".join(f"{x:+.3f}" for x in xs))
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Memory and CPU of our daemon against keepalived 2.2.7, side by side in the same
network namespaces (issue 4's benchmark; a benchmark, not a test: it prints figures and
ratios, it asserts nothing about speed).

    sudo benches/daemon_resources.py [--seconds 30] [--instances 1000] [--only v2|v3|rss]

Topology: the compat-tests wire lab (compat-tests/wire.py) with two hosts, plus three more
bridges so that each host has eth0..eth3 on four separate segments (a VRID can then be used
four times: 1000 instances = 4 x 250). Host 1 runs every instance at priority 150 (master),
host 2 at 100 (backup). For each implementation in turn (keepalived first, then ours, on
the same lab):

* RSS: the sum of VmRSS over every process of the daemon (keepalived: parent + VRRP
  child), with 1 instance and with N instances, once all VIPs are up.
* CPU: (utime + stime) of all the daemon's processes over --seconds, once host 1 holds every
  VIP, for the master and the backup, with VRRPv2 at advert_int 1 and VRRPv3 at 0.1 s.

Addresses: 10.99.7.x for the hosts, VIPs 10.99.200-203.x/32, all inside the namespaces.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "compat-tests"))
sys.dont_write_bytecode = True
import lab  # noqa: E402
import wire  # noqa: E402

LAB_NUMBER = 7
IFACES = 4
CLK_TCK = os.sysconf("SC_CLK_TCK")


def add_segments(lb: "wire.Lab") -> None:
    """eth1..eth3 on each host, each on its own bridge brK in the bridge namespace."""
    for k in range(1, IFACES):
        lb.bridge.ip("link", "add", "name", f"br{k}", "type", "bridge", "stp_state", "0",
                     "forward_delay", "0", "mcast_snooping", "0")
        lb.bridge.interfaces.append(f"br{k}")
        lb.bridge.set_up(f"br{k}")
        for node in lb.nodes:
            port = f"p{node.n}e{k}"
            lb.bridge.ip("link", "add", "name", port, "type", "veth", "peer", "name", f"eth{k}",
                         "netns", node.ns.name)
            lb.bridge.interfaces.append(port)
            node.ns.interfaces.append(f"eth{k}")
            lb.bridge.ip("link", "set", "dev", port, "master", f"br{k}")
            lb.bridge.set_up(port)
            node.ns.ip("addr", "add", f"10.99.{LAB_NUMBER}.{node.n + 10 * k}/24", "dev", f"eth{k}")
            node.ns.set_up(f"eth{k}")
    time.sleep(1.0)


def config(n: int, priority: int, v3: bool) -> str:
    out = ["global_defs {", "    router_id bench", "}"]
    for i in range(n):
        k, vrid = divmod(i, 250)
        out += [
            f"vrrp_instance B{i} {{",
            f"    interface eth{k}",
            f"    virtual_router_id {vrid + 1}",
            f"    priority {priority}",
            f"    advert_int {'0.1' if v3 else '1'}",
        ]
        if v3:
            out.append("    version 3")
        out += ["    virtual_ipaddress {", f"        10.99.{200 + k}.{vrid + 1}/32", "    }", "}"]
    return "\n".join(out) + "\n"


def procs(node: "wire.Node") -> list[int]:
    return node.members()


def rss_kib(node: "wire.Node") -> int:
    total = 0
    for pid in procs(node):
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total


def anon_kib(node: "wire.Node") -> int:
    """Private memory of the daemon's processes (Private_Dirty of smaps_rollup): what it
    allocated itself, without the pages of its binary and shared libraries."""
    total = 0
    for pid in procs(node):
        try:
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                if line.startswith("Private_Dirty:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total


def cpu_ticks(node: "wire.Node") -> int:
    total = 0
    for pid in procs(node):
        try:
            st = Path(f"/proc/{pid}/stat").read_bytes()
            f = st[st.rindex(b")") + 2:].split()
            total += int(f[11]) + int(f[12])
        except (OSError, ValueError, IndexError):
            pass
    return total


def vip_count(node: "wire.Node") -> int:
    out = node.ns.ip("-o", "addr", "show").stdout.decode()
    return sum(1 for line in out.splitlines() if " 10.99.20" in line)


def wait_vips(node: "wire.Node", n: int, timeout: float) -> float:
    t0 = time.monotonic()
    while time.monotonic() - t0 < timeout:
        if vip_count(node) >= n:
            return time.monotonic() - t0
        time.sleep(0.2)
    raise RuntimeError(f"{node.name}: {vip_count(node)}/{n} VIPs after {timeout} s\n{node.log_tail()}")


def stop(node: "wire.Node") -> None:
    if node.running():
        rc = node.stop(timeout=20)
        if rc is None:
            node.kill9()


def run_rss(lb, impl: str, n: int) -> tuple[int, int]:
    m = lb.nodes[0]
    m.start(impl, config(n, 150, False), args=("-n",), alive_check=0.5)
    try:
        wait_vips(m, n, 60)
        time.sleep(2)
        return rss_kib(m), anon_kib(m)
    finally:
        stop(m)


def cpu_split(node: "wire.Node") -> tuple[int, int]:
    u = s = 0
    for pid in procs(node):
        try:
            st = Path(f"/proc/{pid}/stat").read_bytes()
            f = st[st.rindex(b")") + 2:].split()
            u += int(f[11])
            s += int(f[12])
        except (OSError, ValueError, IndexError):
            pass
    return u, s


def run_cpu(lb, impl: str, n: int, v3: bool, seconds: float) -> tuple:
    m, b = lb.nodes
    b.start(impl, config(n, 100, v3), args=("-n",), alive_check=0.5)
    m.start(impl, config(n, 150, v3), args=("-n",), alive_check=0.5)
    try:
        wait_vips(m, n, 90)
        time.sleep(3)
        m0, b0, t0 = cpu_split(m), cpu_split(b), time.monotonic()
        time.sleep(seconds)
        m1, b1, t1 = cpu_split(m), cpu_split(b), time.monotonic()
        dt = t1 - t0
        if vip_count(b) != 0:
            raise RuntimeError(f"backup holds {vip_count(b)} VIPs: the pair did not settle")

        def pct(a, b_, i):
            return 100.0 * (b_[i] - a[i]) / CLK_TCK / dt
        return tuple(pct(x0, x1, i) for x0, x1 in ((m0, m1), (b0, b1)) for i in (0, 1))
    finally:
        stop(m)
        stop(b)


def ratio(a: float, b: float) -> str:
    return f"{100.0 * a / b:.1f} %" if b else "n/a"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seconds", type=float, default=30.0)
    ap.add_argument("--instances", type=int, default=1000)
    ap.add_argument("--only", choices=["rss", "v2", "v3"], action="append")
    args = ap.parse_args()
    if os.geteuid() != 0:
        print("run as root (it creates network namespaces)", file=sys.stderr)
        return 2
    if not 1 <= args.instances <= 250 * IFACES:
        print(f"--instances must be 1..{250 * IFACES}", file=sys.stderr)
        return 2
    only = set(args.only or ["rss", "v2", "v3"])
    lab.install_handlers()
    impls = ["keepalived", "ours"]
    res: dict = {}
    with wire.Lab(hosts=2, number=LAB_NUMBER, tag="bench") as lb:
        add_segments(lb)
        for impl in impls:
            if "rss" in only:
                res[(impl, "rss1")] = run_rss(lb, impl, 1)
                res[(impl, "rssN")] = run_rss(lb, impl, args.instances)
            if "v2" in only:
                res[(impl, "v2")] = run_cpu(lb, impl, args.instances, False, args.seconds)
            if "v3" in only:
                res[(impl, "v3")] = run_cpu(lb, impl, args.instances, True, args.seconds)
    n = args.instances
    print(f"\nkeepalived 2.2.7 ({wire.REFERENCE_BIN}) vs keepalived-rs ({wire.ours_bin()}), "
          f"same namespaces, {n} instances, CPU over {args.seconds:g} s")
    print(f"{'measure':44} {'keepalived':>12} {'ours':>12} {'ours/keepalived':>16}")
    if "rss" in only:
        for key, label in (("rss1", "1 instance"), ("rssN", f"{n} instances")):
            (kr, ka), (orr, oa) = res[("keepalived", key)], res[("ours", key)]
            print(f"{'RSS (MiB), ' + label:44} {kr / 1024:12.2f} {orr / 1024:12.2f} {ratio(orr, kr):>16}")
            print(f"{'private dirty (MiB), ' + label:44} {ka / 1024:12.2f} {oa / 1024:12.2f} {ratio(oa, ka):>16}")
    for key, label in (("v2", "VRRPv2 advert_int 1"), ("v3", "VRRPv3 advert_int 0.1")):
        if key not in only:
            continue
        k, o = res[("keepalived", key)], res[("ours", key)]
        for j, role in ((0, "master"), (2, "backup")):
            kt, ot = k[j] + k[j + 1], o[j] + o[j + 1]
            print(f"{'CPU %, ' + label + ', ' + role:44} {kt:12.2f} {ot:12.2f} {ratio(ot, kt):>16}")
            print(f"{'  of which user / system':44} {k[j]:5.2f}/{k[j + 1]:5.2f}  {o[j]:5.2f}/{o[j + 1]:5.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""SIGHUP reload at scale: our daemon against keepalived 2.2.7, side by side in the same
network namespaces (issue 6's benchmark: "reload time and longest advert gap at 1000
instances"; a benchmark, not a test: it prints figures and ratios ours/keepalived).

    sudo benches/reload.py [--instances 1000] [--reloads 5] [--interval 2.2]

Set-up (compat-tests/test_reload.py's 1000-instance pair, itself benches/
daemon_resources.py's layout): hosts h1 and h2 on four segments eth0..eth3, 250 VRIDs on
each, VRRPv2 advert_int 1, one /32 VIP per instance; h1 priority 150 (master of all), h2
priority 100 (the watching backup); tcpdump on the four bridges, `ip -ts -o monitor
address` in both hosts. For each implementation in turn (keepalived first, then ours; a
fresh lab for each, same lab number, so the same addresses and MACs), once h1 holds every
VIP and h2 has watched for its master-down interval:

1. steady state: h1's CPU time over --interval * --reloads seconds, no reload;
2. unchanged file: --reloads SIGHUPs to h1, --interval s apart, then 2 s more;
3. priority change: --reloads SIGHUPs, before each one h1's file rewritten with every
   instance's priority toggled 150 <-> 151 (nothing else changes: every instance matched,
   h1 stays master of all), --interval s apart, then 2 s more.

Measures (all times from the SIGHUP, taken just before kill(2), on the pcap clock):

* reload time (phase 3), the wire-observable definition: the time until the new
  configuration is in effect on the wire for every instance = for each reload, the
  latest over the N VRIDs of the first advert from h1 carrying the new priority; the
  table gives the median over the reloads and the worst reload. An implementation that
  does not apply the file ("never") has no reload time. (keepalived sends an advert at
  once from every reloaded master, so this is its processing time, not the advert
  interval.)
* first advert of every VRID (phase 2): the latest over the VRIDs of h1's first advert
  after the SIGHUP, median over the reloads: whether (and how fast) a reloaded master
  "sends an advert at once"; without that it is up to advert_int.
* log line (phase 2): the time until h1's log shows RELOAD_DONE_RE (keepalived's parent
  "Reload complete", which it logs once it has re-read the file and signalled its VRRP
  child - not when the child is done), seen by polling the log every 2 ms; median.
* longest advert gap: over every VRID, the longest time between two consecutive adverts
  of h1, for gaps ending between the first SIGHUP and 2 s after the last one, and its
  excess over advert_int (the ratio of the excesses is the telling one).
* VIPs lost: VIPs deleted on h1 (ip monitor "Deleted") plus VIPs added on h2, and adverts
  with priority > 0 from h2 (the backup taking over), during phases 2 and 3.
* CPU per reload: h1's utime + stime (all its processes) during phase 2, minus the steady
  state rate of phase 1 for the same duration, divided by the number of reloads (10 ms
  ticks: a coarse figure).

Safety: everything runs in the lab's namespaces (compat-tests/wire.py), cleaned up on
exit, SIGINT and SIGTERM.
"""

from __future__ import annotations

import argparse
import bisect
import os
import re
import statistics
import sys
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "compat-tests"))
sys.path.insert(0, str(HERE))
sys.dont_write_bytecode = True
import lab  # noqa: E402
import wire  # noqa: E402
import daemon_resources as dr  # noqa: E402
import test_reload as tr  # noqa: E402

ADV_US = tr.ADV_US
#: Log line that ends a reload: keepalived's parent says "Reload complete"; ours today says
#: the reload was not applied (the lead aligns the text; keep the pattern here only).
RELOAD_DONE_RE = re.compile(rb"Reload complete|keeping the running configuration")


class LogWatch:
    """Polls a log file every 2 ms and records when lines matching RELOAD_DONE_RE appear."""

    def __init__(self, path: Path):
        self.path = path
        self.off = path.stat().st_size
        self.hits: list[int] = []
        self._stop = threading.Event()
        self._t = threading.Thread(target=self._run, daemon=True)
        self._t.start()

    def _run(self) -> None:
        buf = b""
        while not self._stop.is_set():
            try:
                with open(self.path, "rb") as f:
                    f.seek(self.off)
                    data = f.read()
            except OSError:
                data = b""
            if data:
                t = wire.now_us()
                self.off += len(data)
                buf += data
                *lines, buf = buf.split(b"\n")
                self.hits += [t for line in lines if RELOAD_DONE_RE.search(line)]
            time.sleep(0.002)

    def stop(self) -> None:
        self._stop.set()
        self._t.join(timeout=2)

    def first_after(self, t: int, before: int | None = None) -> int | None:
        xs = [h for h in self.hits if h >= t and (before is None or h < before)]
        return xs[0] - t if xs else None


def median(xs):
    xs = [x for x in xs if x is not None]
    return statistics.median(xs) if xs else None


def run_impl(impl: str, n: int, reloads: int, interval: float) -> dict:
    B = tr.Big(impl, n)
    res: dict = {}
    try:
        keys = B.keys()
        conf = B.h1.runs[-1]["conf"]
        # 1. steady state CPU
        span = reloads * interval
        c0, t0 = dr.cpu_ticks(B.h1), time.monotonic()
        time.sleep(span)
        steady = (dr.cpu_ticks(B.h1) - c0) / (time.monotonic() - t0)   # ticks per second
        # 2. unchanged file
        watch = LogWatch(B.h1.runs[-1]["log"])
        c0, t0 = dr.cpu_ticks(B.h1), time.monotonic()
        marks_u = tr.sighups(B.h1, reloads, interval)
        tr.sleep_until(marks_u[-1] + int(interval * 1e6))
        cpu = dr.cpu_ticks(B.h1) - c0 - steady * (time.monotonic() - t0)
        res["cpu_ms"] = max(0.0, cpu) * 1000 / dr.CLK_TCK / reloads
        tr.sleep_until(marks_u[-1] + 2_000_000)
        hi_u = wire.now_us()
        watch.stop()
        res["log_ms"] = median([watch.first_after(t, nxt) for t, nxt in
                                zip(marks_u, marks_u[1:] + [None])])
        res["log_ms"] = None if res["log_ms"] is None else res["log_ms"] / 1000
        # 3. priority changes
        prio = 150
        marks_p, prios = [], []
        for k in range(reloads):
            prio = 151 if prio == 150 else 150
            conf.write_text(dr.config(n, prio, False))
            prios.append(prio)
            t = tr.sighups(B.h1, 1, 0)[0]
            marks_p.append(t)
            tr.sleep_until(t + int(interval * 1e6))
        tr.sleep_until(marks_p[-1] + 2_000_000)
        hi_p = wire.now_us()
        B.wire.sync()
        W = B.wire
        # first advert of every VRID after each unchanged reload
        series_all = W.series(1, B.t_settled - 2 * ADV_US, hi_p)
        firsts = []
        for t in marks_u:
            worst = 0
            for key in keys:
                ts = series_all.get(key, [])
                i = bisect.bisect_left(ts, t)
                worst = max(worst, ts[i] - t if i < len(ts) else 10 ** 9)
            firsts.append(worst)
        res["first_ms"] = median(firsts) / 1000
        # reload time: first advert with the new priority, latest over the VRIDs
        by_key: dict = {}
        for ts, seg, node, vrid, p, _ in W.adverts:
            if node == 1 and p > 0 and ts >= marks_p[0] - 2 * ADV_US:
                by_key.setdefault((seg, vrid), []).append((ts, p))
        for v in by_key.values():
            v.sort()
        times = []
        for k, (t, p) in enumerate(zip(marks_p, prios)):
            end = marks_p[k + 1] if k + 1 < len(marks_p) else hi_p
            worst = 0
            for key in keys:
                advs = by_key.get(key, [])
                last = [q for ts, q in advs if ts < t][-1:]
                new = [ts for ts, q in advs if t <= ts < end and q == p]
                # a change only if the VRID advertised another priority before the SIGHUP
                # (an implementation that ignored the previous reload may already be at p)
                if not new or last == [p]:
                    worst = None
                    break
                worst = max(worst, new[0] - t)
            times.append(worst)
        ok = [x for x in times if x is not None]
        res["reload_ms"] = median(ok) / 1000 if len(ok) == len(times) else None
        res["reload_worst_ms"] = max(ok) / 1000 if len(ok) == len(times) else None
        res["reload_applied"] = f"{len(ok)}/{len(times)}"
        # gaps and losses, per phase
        for name, marks, hi in (("u", marks_u, hi_u), ("p", marks_p, hi_p)):
            g = tr.gap_report(series_all, marks[0], hi, keys)
            res[f"gap_{name}"] = g["max"]
            res[f"gap_{name}_at"] = tr.gap_str(g["max_key"], g["max_at"], g["max"], marks)
            res[f"over_{name}"] = len(g["over"])
            dels = B.mon[1].between(marks[0], hi, "del")
            adds2 = B.mon[2].between(marks[0], hi, "add")
            h2 = [a for a in W.of(2, marks[0], hi) if a[4] > 0]
            res[f"lost_{name}"] = (len(dels), len(adds2), len({(a[1], a[3]) for a in h2}))
        res["alive"] = B.h1.running() and B.h2.running()
    finally:
        B.close()
    return res


def ratio(a, b) -> str:
    if a is None or b is None:
        return "n/a"
    return f"{100.0 * a / b:.1f} %" if b else "n/a"


def fmt(x, unit="", prec=1) -> str:
    if x is None:
        return "never"
    return f"{x:.{prec}f}{unit}"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--instances", type=int, default=1000)
    ap.add_argument("--reloads", type=int, default=5)
    ap.add_argument("--interval", type=float, default=2.2,
                    help="seconds between SIGHUPs (default 2.2: successive SIGHUPs fall "
                         "0.2 s later in the advert cycle, covering it in 5 reloads)")
    ap.add_argument("--impl", choices=["keepalived", "ours"], action="append",
                    help="only this implementation (repeatable; default both)")
    args = ap.parse_args()
    if os.geteuid() != 0:
        print("run as root (it creates network namespaces)", file=sys.stderr)
        return 2
    if not 1 <= args.instances <= 250 * dr.IFACES:
        print(f"--instances must be 1..{250 * dr.IFACES}", file=sys.stderr)
        return 2
    if args.interval < 1.2:
        print("--interval must be >= 1.2 s (a reload's adverts are attributed to the reload "
              "before the next one)", file=sys.stderr)
        return 2
    lab.install_handlers()
    impls = args.impl or ["keepalived", "ours"]
    res = {}
    for impl in impls:
        print(f"[{impl}] {args.instances} instances, {args.reloads} reloads ...", file=sys.stderr,
              flush=True)
        res[impl] = run_impl(impl, args.instances, args.reloads, args.interval)
        print(f"[{impl}] {res[impl]}", file=sys.stderr, flush=True)
    k = res.get("keepalived", {})
    o = res.get("ours", {})
    print(f"\nkeepalived 2.2.7 ({wire.REFERENCE_BIN}) vs keepalived-rs ({wire.ours_bin()}), "
          f"same namespaces, {args.instances} instances (VRRPv2, advert_int 1), "
          f"{args.reloads} reloads {args.interval:g} s apart per phase, load average "
          f"{tr.loadavg()}")
    print(f"{'measure':52} {'keepalived':>12} {'ours':>12} {'ours/keepalived':>16}")

    def row(label, key, unit="", prec=1, scale=1.0):
        a = k.get(key)
        b = o.get(key)
        a = None if a is None else a * scale
        b = None if b is None else b * scale
        print(f"{label:52} {fmt(a, unit, prec) if k else '-':>12} {fmt(b, unit, prec) if o else '-':>12} "
              f"{ratio(b, a):>16}")

    row("reload time, new priority on the wire (median, ms)", "reload_ms")
    row("reload time, worst reload (ms)", "reload_worst_ms")
    print(f"{'  reloads applied on the wire':52} {k.get('reload_applied', '-'):>12} "
          f"{o.get('reload_applied', '-'):>12}")
    row("first advert of every VRID, unchanged (median, ms)", "first_ms")
    row("log line RELOAD_DONE_RE, unchanged (median, ms)", "log_ms")
    for ph, label in (("u", "unchanged file"), ("p", "priority change")):
        row(f"longest advert gap, {label} (s)", f"gap_{ph}", "", 4, 1e-6)
        ka, oa = k.get(f"gap_{ph}"), o.get(f"gap_{ph}")
        ke = None if ka is None else (ka - ADV_US) / 1000
        oe = None if oa is None else (oa - ADV_US) / 1000
        print(f"{'  excess over advert_int (ms)':52} {fmt(ke) if k else '-':>12} "
              f"{fmt(oe) if o else '-':>12} {ratio(oe, ke):>16}")
        print(f"{'  VRIDs with a gap > advert_int + 10 ms':52} {k.get(f'over_{ph}', '-'):>12} "
              f"{o.get(f'over_{ph}', '-'):>12}")
        for name, r in (("keepalived", k), ("ours", o)):
            if r:
                print(f"{'    where (' + name + ')':52} {r[f'gap_{ph}_at']}")
        lk, lo_ = k.get(f"lost_{ph}"), o.get(f"lost_{ph}")
        print(f"{'  VIPs deleted on h1 / added on h2 / h2 VRIDs':52} "
              f"{'/'.join(map(str, lk)) if lk else '-':>12} {'/'.join(map(str, lo_)) if lo_ else '-':>12}")
    row("CPU per reload above steady state (ms)", "cpu_ms")
    for name, r in (("keepalived", k), ("ours", o)):
        if r and not r.get("alive"):
            print(f"NOTE: {name}'s daemons were not both running at the end")
    return 0


if __name__ == "__main__":
    sys.exit(main())

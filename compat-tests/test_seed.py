"""The seed story end to end (issue 5): two nginx hosts made highly available by VRRP, as
in /work/shared/seed (the article's configs and check script), on a three-host wire lab
(seed_lab.py: h1 and h2 run nginx and a daemon, h3 is the client that fetches pages
through the VIPs with curl; tcpdump records the bridge).

Cases, for every implementation pairing (h1/h2): keepalived/keepalived (the reference;
the others are compared with it), ours/ours, ours/keepalived, keepalived/ours
(KRS_WIRE_IMPLS=keepalived: the reference only). Names: seed:<case>:<impl>-h1/<impl>-h2.

master_backup  The article's master/backup configs (check script every 2 s, weight 10).
    A) as written: the VIP answers HTTP from h1; nginx stopped on h1 -> the script restarts
       it and the VIP stays on h1; nginx made unable to start and stopped -> every script
       run is killed at its timeout (= the 2 s interval) before its `sleep 3` ends, so
       `killall keepalived` never runs: the VIP stays on h1 (no HTTP answer any more), h1
       advertises 100 (the +10 is gone), no `sleep 3` lives 3 s; ours also says why in
       plain words ("timed out after 2 s (timeout defaults to interval ...").
    B) the same with `timeout 10` added to the vrrp_script: the script runs `killall
       keepalived` on h1 -> priority-0 advert -> h2 (50 + 10) takes over after its skew
       (765.625 ms, +-20 ms, from the wire) and answers HTTP.
    Compared with keepalived besides: how often h1 calls the nginx start command while
    nginx cannot start, and whether h1's +10 visibly lapses on the wire after the nginx
    restart (keepalived 2.2.7 starts a new script run at each interval even while the
    previous one is being timed out, logging "... already running, expect idle - skipping
    run" all the same: one call every 2 s, and the new run's success restores the +10 at
    once).
dual_master    The article's dual-master configs: HTTP through each VIP names its master;
    SIGKILL h1's daemon (its whole PID namespace, nginx included) -> h2 serves both VIPs,
    taking over 3 s + skew after h1's last advert; h1 started again -> each VIP back to its
    master; the same with h2 killed and restarted.
neg_weight     configs/seed/negweight-*.conf: a flag-file script with weight -60 on h1
    (150 - 60 < 100): the flag moves the VIP to h2 (3 s + skew(100) after h1's last
    priority-150 advert) and back when it goes (3 s + skew(150) after the last h2 advert
    h1 accepted), on the wire and in `ip addr`.
notify         configs/seed/notify-*.conf: notify, notify_master/backup/fault/stop and a
    vrrp_notify_fifo read by /work/shared/samples/sample_notify_fifo.sh (unchanged), plus a
    notify_fifo read by a recorder (seed_lab.py's fifo-record.py), through BACKUP, MASTER,
    priority loss, recovery, FAULT, recovery and SIGTERM: the sequences each of them
    recorded on each host must be those of keepalived (timestamps ignored); the FIFO
    scripts get SIGTERM before the STOP line (the sample then logs STOPPING).
backup_priority_rise  configs/seed/rise-*.conf: a backup's priority rises (script +10)
    while it discards a lower-priority master's adverts, as the dual-master story's
    restarted master does under keepalived; when it preempts is compared with keepalived.

KRS_WIRE_VERBOSE=1 prints every run's measurements and notes on stderr (=2: also the
values compared with the reference run).
"""

from __future__ import annotations

import os
import re
import signal
import statistics
import sys
import threading
import time
from pathlib import Path

import wire
import wire_scenarios as ws
from seed_lab import Monitor, SeedLab, local_config, seed_config, vips, wait_for
from wire import master_down_us, now_us, skew_us

TOL_US = 20_000
VERBOSE = os.environ.get("KRS_WIRE_VERBOSE", "") not in ("", "0")
REFERENCE = ("keepalived", "keepalived")
_print_lock = threading.Lock()


def _ms(us) -> str:
    return f"{us / 1000:.3f} ms"


class SeedRun:
    """One run of a case by a pairing (h1, h2); subclasses give key, number, flow, analyze."""

    key = ""
    number = 0
    keep_init = False

    def __init__(self, impl1: str, impl2: str):
        self.impl = {"h1": impl1, "h2": impl2}
        self.name = f"seed:{self.key}:{impl1}-h1/{impl2}-h2"
        self.marks: dict[str, int] = {}
        self.problems: list[str] = []
        self.notes: list[str] = []
        self.measure: dict[str, tuple[int, int]] = {}
        self.sig: dict[str, object] = {}
        self.fatal: str | None = None
        self.frames: list = []
        self.tails = ""
        self.logs: dict[str, list[str]] = {}
        self.by: dict[tuple[str, int], list] = {}

    # ---- running ------------------------------------------------------------------------
    def mark(self, name: str) -> int:
        self.marks[name] = now_us()
        return self.marks[name]

    def who(self, n: str) -> str:
        return f"{n} ({self.impl[n]})"

    def by_impl(self, key: str, node: str, value, expected: dict) -> None:
        """A deliberate difference (KEEPALIVED.md §3.1, issue 5): keepalived 2.2.7 starts a
        new script run at every interval even while the previous one is being timed out
        (it logs "already running ... skipping run" and runs anyway); ours really skips, as
        keepalived 2.3+ does. What depends on it is checked against each implementation's
        own expectation instead of against the reference run."""
        want = expected[self.impl[node]]
        if value != want:
            self.problems.append(f"{key}: {self.who(node)} gave {value!r}, expected {want!r}")

    def execute(self) -> "SeedRun":
        with SeedLab(self.number, tag=self.key) as L:
            self.L = L
            self.v140, self.v141 = vips(self.number)
            self.macs = {n: node.mac for n, node in L.web.items()}
            self.cap = L.lab.start_capture()
            self.mon = Monitor(L)
            try:
                self.flow()
            except AssertionError as e:      # wire.NodeError included
                self.fatal = str(e)
            finally:
                self.marks.setdefault("end", now_us())
                self.mon.stop()
                self.cap.stop()
                self.frames = self.cap.frames()
                self.tails = L.tails(30)
                self.logs = {n: [r["log"].read_text(errors="replace") for r in node.runs]
                             for n, node in L.web.items()}
                self.collect()
        self._index_wire()
        if not self.fatal:
            self.analyze()
        if VERBOSE:
            with _print_lock:
                print(self.report(), file=sys.stderr, flush=True)
        return self

    def collect(self) -> None:
        """Read what lives in the lab (work dir, node file systems) before it goes."""

    def flow(self) -> None:
        raise NotImplementedError

    def analyze(self) -> None:
        raise NotImplementedError

    def start(self, n: str, conf: str) -> None:
        self.L.web[n].start(self.impl[n], conf, keep_init=self.keep_init)

    def log_offset(self, n: str) -> int:
        node = self.L.web[n]
        return len(node.runs[-1]["log"].read_text(errors="replace"))

    def hold(self, what: str, expected: dict, seconds: float) -> None:
        """`ip addr` must show exactly `expected` (vip -> [holder]) for `seconds`."""
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            h = self.L.holders()
            if any(h[v] != r for v, r in expected.items()):
                self.problems.append(f"{what}: VIP holders changed to {h}")
                return
            time.sleep(0.1)

    def wait_holders(self, what: str, expected: dict, timeout: float) -> None:
        wait_for(lambda: all(self.L.holders()[v] == r for v, r in expected.items()), timeout,
                 f"{what}: VIP holders {expected} (now {self.L.holders()})", self.L.tails)

    def wait_prio(self, n: str, vrid: int, prio: int, since: int, timeout: float, what: str) -> None:
        """Wait until the capture holds an advert of n for vrid with priority prio."""
        mac = self.macs[n]

        def seen():
            for f in self.cap.frames():
                if f.ts >= since and f.src == mac:
                    v = wire.decode_vrrp(f)
                    if v and v.vrid == vrid and v.priority == prio:
                        return True
            return False
        wait_for(seen, timeout, what, self.L.tails)

    def sleep_until(self, t_us: int) -> None:
        d = t_us - now_us()
        if d > 0:
            time.sleep(d / 1e6)

    # ---- wire -----------------------------------------------------------------------------
    def _index_wire(self) -> None:
        role = {m: n for n, m in self.macs.items()}
        for f in self.frames:
            v = wire.decode_vrrp(f)
            if v is None:
                continue
            n = role.get(v.src_mac)
            if n is None:
                self.problems.append(f"VRRP from an unknown MAC {v.src_mac}")
                continue
            self.by.setdefault((n, v.vrid), []).append(v)

    def adv(self, n: str, vrid: int, lo=None, hi=None, prio=None) -> list:
        out = []
        for a in self.by.get((n, vrid), []):
            if lo is not None and a.ts < lo:
                continue
            if hi is not None and a.ts >= hi:
                continue
            if prio == "pos" and a.priority == 0:
                continue
            if prio == "zero" and a.priority != 0:
                continue
            if isinstance(prio, int) and not isinstance(prio, bool) and a.priority != prio:
                continue
            out.append(a)
        return out

    def timing(self, name: str, measured: int | None, ideal: int, tol: int = TOL_US,
               lo: int | None = None, hi: int | None = None) -> None:
        """measured must be ideal +- tol (or within [lo, hi] when given)."""
        if measured is None:
            self.problems.append(f"{name}: could not be measured (adverts missing)")
            return
        self.measure[name] = (measured, ideal)
        lo = ideal - tol if lo is None else lo
        hi = ideal + tol if hi is None else hi
        if not lo <= measured <= hi:
            self.problems.append(f"{name}: measured {_ms(measured)}, expected {_ms(lo)} .. "
                                 f"{_ms(hi)} (ideal {_ms(ideal)})")

    def silent(self, what: str, n: str, vrid: int, lo: int, hi: int) -> None:
        noisy = self.adv(n, vrid, lo, hi)
        if noisy:
            self.problems.append(f"{what}: {self.who(n)} sent {len(noisy)} advert(s) for vrid "
                                 f"{vrid} (priorities {sorted({a.priority for a in noisy})})")

    def prio_runs(self, vrid: int, lo: int, hi: int) -> list[tuple[str, int]]:
        """Sequence of (sender, priority) of the adverts in [lo, hi), repeats collapsed."""
        advs = sorted((a.ts, n, a.priority) for (n, v), xs in self.by.items() if v == vrid
                      for a in xs if lo <= a.ts < hi)
        out: list[tuple[str, int]] = []
        for _, n, p in advs:
            if not out or out[-1] != (n, p):
                out.append((n, p))
        return out

    def holder_runs(self, lo: int, hi: int) -> list[str]:
        """Distinct single-holder states of the VIPs seen by the monitor in [lo, hi]
        (states during a hand-over, with two or no holders, left out), repeats collapsed."""
        out: list[str] = []
        for h in self.mon.holders_between(lo, hi):
            if all(len(x) == 1 for x in h.values() if x) and any(h.values()):
                s = ", ".join(f"{v}: {x[0]}" for v, x in sorted(h.items()) if x)
                if not out or out[-1] != s:
                    out.append(s)
        return out

    # ---- reporting ------------------------------------------------------------------------
    def report(self) -> str:
        lines = [f"[{self.name}]"]
        for k, (got, ideal) in self.measure.items():
            lines.append(f"    {k}: {_ms(got)} (ideal {_ms(ideal)}, diff {_ms(got - ideal)})")
        lines += [f"    note: {x}" for x in self.notes]
        if self.fatal:
            lines.append(f"    FATAL: {self.fatal.splitlines()[0]}")
        lines += [f"    problem: {p}" for p in self.problems]
        if os.environ.get("KRS_WIRE_VERBOSE") == "2":
            lines += [f"    sig {k}: {v!r}" for k, v in sorted(self.sig.items())]
        return "\n".join(lines)

    def failure_text(self, problems: list[str]) -> str:
        out = []
        if self.fatal:
            out.append(f"  FATAL: {wire.indent(self.fatal, '    ').strip()}")
        out += [f"  - {p}" for p in problems]
        if self.measure:
            out.append("  measurements: " + "; ".join(
                f"{k}: {_ms(g)} (ideal {_ms(i)})" for k, (g, i) in self.measure.items()))
        out += [f"  note: {x}" for x in self.notes]
        t0 = min(self.marks.values()) if self.marks else 0
        out.append("  marks: " + ", ".join(f"{k} {(v - t0) / 1e6:+.3f}s" for k, v in self.marks.items()))
        if not self.fatal:
            out.append(wire.indent(self.tails, "    | "))
        return "\n".join(out)


# ============================================================================ case 1
class MasterBackup(SeedRun):
    key = "master_backup"
    number = 21
    VRID = 255

    def conf(self, n: str, extra: str = "") -> str:
        name = {"h1": "master-backup-150.conf", "h2": "master-backup-151.conf"}[n]
        return seed_config(name, self.number, self.L.work, extra)

    def start_pair(self, phase: str, extra: str = "") -> None:
        L = self.L
        self.mark(f"{phase}_start")
        self.start("h1", self.conf("h1", extra))
        self.start("h2", self.conf("h2", extra))
        L.wait_http(self.v140, "h1", 12, f"{phase}: the VIP answers from the master h1")
        for n, node in L.web.items():
            L.wait_http(node.ip4, n, 6, f"{phase}: {n}'s nginx, started by its check script")
        self.wait_prio("h1", self.VRID, 110, self.marks[f"{phase}_start"], 10,
                       f"{phase}: h1 advertising priority 100 + 10 (its check script succeeds)")

    def flow(self) -> None:
        L = self.L
        h1, h2 = L.h1, L.h2
        # ---- A: the article's configs as written
        self.start_pair("A")
        self.mark("A_110")
        self.hold("A: h1 master", {self.v140: ["h1"]}, 1.5)
        self.mark("A_settled")
        pid0 = L.nginx_master("h1")
        self.mark("A_nginx_stop")
        L.stop_nginx("h1")
        took = L.wait_http(self.v140, "h1", 6, "A: nginx stopped on h1: its check script "
                           "restarts it and the VIP answers from h1 again")
        self.notes.append(f"A: HTTP through the VIP answered again {took:.2f} s after nginx "
                          "was stopped on h1")
        pid1 = L.nginx_master("h1")
        if pid1 is None or pid1 == pid0:
            self.problems.append(f"A: h1's nginx master is {pid1} after the restart (was {pid0})")
        time.sleep(4.5)              # the restarting run times out; the next one succeeds
        self.mark("A_broken")
        off = self.log_offset("h1")
        L.set_broken("h1", True)
        L.stop_nginx("h1")
        answers = []
        for k in (3, 6, 8):
            self.sleep_until(self.marks["A_broken"] + k * 1_000_000)
            answers.append(L.http(self.v140))
        self.mark("A_observed")
        self.log_off_broken = off
        self.sig["A: HTTP answers through the VIP while h1's nginx cannot start"] = answers
        if any(a is not None for a in answers):
            self.problems.append(f"A: HTTP through the VIP answered {answers} while h1's nginx "
                                 "could not start (expected no answer: the VIP stays on h1)")
        for n, node in L.web.items():
            if not node.running():
                self.problems.append(f"A: {self.who(n)} daemon is gone (exit status "
                                     f"{node.wait(1)}): `killall keepalived` ran")
        self.mark("A_term")
        for n, node in L.web.items():
            if node.running():
                self.sig[f"A: exit status of {n} after SIGTERM"] = rc = node.stop(signal.SIGTERM)
                if rc != 0:
                    self.problems.append(f"A: {self.who(n)} exited with status {rc} after SIGTERM")
        L.set_broken("h1", False)

        # ---- B: the same with `timeout 10` in the vrrp_script
        self.start_pair("B", "timeout 10")
        self.sleep_until(self.marks["B_start"] + 4_500_000)   # h2's first run (3 s) is over
        self.mark("B_kill")
        L.set_broken("h1", True)
        L.stop_nginx("h1")
        rc = h1.wait(12)
        if rc is None:
            raise AssertionError(f"B: {self.who('h1')} still running 12 s after its nginx was "
                                 f"made unable to start (`killall keepalived` did not run)\n"
                                 f"{L.tails()}")
        self.mark("B_h1_exit")
        self.sig["B: exit status of h1 after the check script's killall"] = rc
        if rc != 0:
            self.problems.append(f"B: {self.who('h1')} exited with status {rc} after killall")
        L.wait_http(self.v140, "h2", 5, "B: after h1's killall the VIP answers from h2")
        self.hold("B: after the takeover", {self.v140: ["h2"]}, 1.5)
        self.mark("B_term")
        self.sig["B: exit status of h2 after SIGTERM"] = rc2 = h2.stop(signal.SIGTERM)
        if rc2 != 0:
            self.problems.append(f"B: {self.who('h2')} exited with status {rc2} after SIGTERM")

    def analyze(self) -> None:
        m, P, v = self.marks, self.problems, self.VRID
        # ---- A
        states = self.mon.holders_between(m["A_settled"], m["A_term"])
        bad = [h for h in states if h[self.v140] != ["h1"]]
        if bad:
            P.append(f"A: the VIP left h1 while its nginx was restarted / could not start: {bad}")
        self.silent("A: h2 is backup all along", "h2", v, m["A_start"], m["A_term"])
        before = {a.priority for a in self.adv("h1", v, m["A_110"], m["A_nginx_stop"])}
        if before != {110}:
            P.append(f"A: h1 advertised {sorted(before)} before nginx was stopped (expected 110)")
        late = self.adv("h1", v, m["A_broken"] + 4_200_000, m["A_term"])
        prios = sorted({a.priority for a in late})
        self.sig["A: h1's advertised priorities while nginx cannot start"] = prios
        if prios != [100] or len(late) < 3:
            P.append(f"A: h1 advertised priorities {prios} ({len(late)} adverts) from 4.2 s after "
                     "its nginx became unable to start (expected 100: base 100, the +10 gone)")
        # the check script: nginx restarted, then only refused starts
        att = self.attempts
        restart = [a for t, a in att if m["A_nginx_stop"] <= t * 1e6 < m["A_broken"]]
        if "start" not in restart:
            P.append(f"A: h1's check script did not call the nginx start command after nginx was "
                     f"stopped (calls: {restart})")
        broken = [(t, a) for t, a in att if m["A_broken"] <= t * 1e6 <= m["A_observed"]]
        refused = [t for t, a in broken if a.startswith("refused")]
        if len(refused) < 2 or len(refused) != sum(1 for _, a in broken if a == "start"):
            P.append(f"A: calls of h1's nginx start command while it cannot start: {broken} "
                     "(expected >= 2, each refused)")
        if len(refused) >= 2:
            gaps = [b - a for a, b in zip(refused, refused[1:])]
            self.notes.append(f"A: h1 ({self.impl['h1']}) called the nginx start command "
                              f"{len(refused)} times in {(m['A_observed'] - m['A_broken']) / 1e6:.1f}"
                              f" s, every {statistics.median(gaps):.2f} s (median)")
        if len(refused) >= 2:
            # keepalived 2.2.7 starts a new run at every interval even while the previous
            # one is being timed out ("... already running, expect idle - skipping run" is
            # logged, then it runs anyway): a start attempt every 2 s
            self.by_impl("A: seconds between h1's nginx start calls while nginx cannot start "
                         "(median)", "h1", round(statistics.median(gaps)),
                         {"keepalived": 2, "ours": 4})
        dip = self.adv("h1", v, m["A_nginx_stop"], m["A_broken"], prio=100)
        self.by_impl("A: h1 advertised 100 (its +10 lost) two times or more while its nginx "
                     "was restarted", "h1", len(dip) >= 2, {"keepalived": False, "ours": True})
        lives = self.mon.sleep_lifetimes("h1", m["A_broken"], m["A_observed"])
        self.notes.append(f"A: h1's `sleep 3` processes lived {[round(x, 2) for x in lives]} s "
                          "(sampled every 0.1 s)")
        if len(lives) < 2:
            P.append(f"A: saw {len(lives)} `sleep 3` of h1's check script while nginx could not start")
        elif max(lives) >= 2.9:
            P.append(f"A: a `sleep 3` of h1's check script lived {max(lives):.2f} s: the script was "
                     "not killed at its 2 s timeout")
        log = self.logs["h1"][0][self.log_off_broken:]
        if "VRRP_Script(check_nginx_alive) timed_out" not in log:
            P.append(f"A: {self.who('h1')} did not log 'VRRP_Script(check_nginx_alive) timed_out'")
        if self.impl["h1"] == "ours":
            for want in ("VRRP_Script(check_nginx_alive) timed out after 2 s",
                         "timeout defaults to interval"):
                if want not in log:
                    P.append(f"A: ours on h1 did not log {want!r} when the script timed out")
        # ---- B
        zero = self.adv("h1", v, m["B_kill"], prio="zero")
        self.sig["B: priority-0 adverts of h1 at killall"] = len(zero)
        if not zero:
            P.append(f"B: {self.who('h1')} sent no priority-0 advert after `killall keepalived`")
            return
        first = self.adv("h2", v, zero[0].ts, m["B_term"])
        self.timing("B: takeover: h2's first advert after h1's priority-0 advert (skew(prio 60))",
                    first[0].ts - zero[0].ts if first else None, skew_us(2, 60, 1_000_000))
        self.measure["B: nginx unable to start on h1 -> h2's first advert (informative)"] = (
            first[0].ts - m["B_kill"] if first else 0, 0)
        prios = sorted({a.priority for a in first})
        self.sig["B: h2's advertised priority as master"] = prios
        if prios != [60]:
            P.append(f"B: h2 advertised {prios} as master (expected 50 + 10 = 60)")
        after = self.adv("h1", v, zero[0].ts, prio="pos")
        if after:
            P.append(f"B: h1 advertised priority {after[0].priority} after its priority-0 advert")
        self.silent("B: before the killall h2 is backup", "h2", v, m["B_start"], m["B_kill"])
        lives = self.mon.sleep_lifetimes("h1", m["B_kill"], m["B_h1_exit"])
        if not lives or max(lives) < 2.85:
            P.append(f"B: h1's `sleep 3` processes lived {lives} s: with timeout 10 one should "
                     "have run to its end before the killall")
        att = [a for t, a in self.attempts if m["B_kill"] <= t * 1e6 <= m["B_h1_exit"]]
        if not any(a.startswith("refused") for a in att):
            P.append(f"B: h1's check script did not call the nginx start command before the "
                     f"killall (calls {att})")
        if first:
            states = self.mon.holders_between(first[0].ts + 300_000, m["B_term"])
            if any(h[self.v140] != ["h2"] for h in states):
                P.append(f"B: VIP holders from 0.3 s after h2's takeover: {states} (expected h2 "
                         "only)")

    def collect(self) -> None:
        self.attempts = self.L.attempts("h1")


# ============================================================================ case 2
class DualMaster(SeedRun):
    key = "dual_master"
    number = 22
    PRIO = {255: {"h1": 110, "h2": 60}, 1: {"h1": 50, "h2": 100}}   # effective, scripts OK
    MASTER = {255: "h1", 1: "h2"}

    def conf(self, n: str) -> str:
        name = {"h1": "dual-master-150.conf", "h2": "dual-master-151.conf"}[n]
        return seed_config(name, self.number, self.L.work)

    def serve(self, what: str, want: dict, timeout: float) -> None:
        for vip, n in want.items():
            self.L.wait_http(vip, n, timeout, f"{what}: GET through {vip}")

    def flow(self) -> None:
        L = self.L
        home = {self.v140: "h1", self.v141: "h2"}
        self.leftover: dict[str, list[str]] = {}
        self.mark("start")
        self.start("h1", self.conf("h1"))
        self.start("h2", self.conf("h2"))
        self.serve("both running", home, 12)
        self.wait_holders("both running", {v: [n] for v, n in home.items()}, 5)
        self.wait_prio("h1", 255, 110, self.marks["start"], 10,
                       "h1 advertising VI_1 at 100 + 10 (its check script succeeds)")
        self.sleep_until(self.marks["start"] + 6_000_000)   # h2's script succeeded too
        self.hold("both running", {v: [n] for v, n in home.items()}, 1.0)
        self.mark("settled")
        for victim, other in (("h1", "h2"), ("h2", "h1")):
            node = L.web[victim]
            self.mark(f"kill_{victim}")
            node.kill9()
            self.serve(f"{victim}'s daemon SIGKILLed", {self.v140: other, self.v141: other}, 8)
            both = lambda h, other=other: all(other in x for x in h.values())  # noqa: E731
            wait_for(lambda: both(L.holders()), 3, f"{other} holding both VIPs", L.tails)
            end = time.monotonic() + 1.5
            while time.monotonic() < end:
                if not both(L.holders()):
                    self.problems.append(f"{victim} killed: {other} lost a VIP: {L.holders()}")
                    break
                time.sleep(0.1)
            self.leftover[victim] = [v for v, h in L.holders().items() if victim in h]
            self.mark(f"restart_{victim}")
            self.start(victim, self.conf(victim))
            self.serve(f"{victim} started again", home, 12)
            self.wait_holders(f"{victim} started again", {v: [n] for v, n in home.items()}, 5)
            if victim == "h1":
                self.wait_prio("h1", 255, 110, self.marks["restart_h1"], 10,
                               "h1 advertising VI_1 at 100 + 10 again (its check script succeeds)")
            if victim == "h1":      # h1's check script has succeeded before h2 is killed
                self.sleep_until(self.marks[f"restart_{victim}"] + 6_000_000)
            self.hold(f"{victim} started again", {v: [n] for v, n in home.items()}, 1.0)
            self.mark(f"resettled_{victim}")
        self.mark("term")
        for n, node in L.web.items():
            rc = node.stop(signal.SIGTERM)
            if rc != 0:
                self.problems.append(f"{self.who(n)} exited with status {rc} after SIGTERM")

    def analyze(self) -> None:
        m, P = self.marks, self.problems
        for vrid, master in self.MASTER.items():
            backup = "h2" if master == "h1" else "h1"
            self.silent(f"vrid {vrid} settled", backup, vrid, m["start"] + 5_000_000, m["kill_h1"])
        self.notes.append(f"VIPs left on the SIGKILLed host: {self.leftover}")
        for victim, other in (("h1", "h2"), ("h2", "h1")):
            # the victim's instances as master: VI_1 for h1, VI_2 for h2
            vrid = 255 if victim == "h1" else 1
            last = self.adv(victim, vrid, hi=m[f"restart_{victim}"])
            first = self.adv(other, vrid, last[-1].ts) if last else []
            p = self.PRIO[vrid][other]
            self.timing(f"{victim} killed: {other}'s first vrid {vrid} advert after {victim}'s "
                        f"last (3 s + skew(prio {p}))",
                        first[0].ts - last[-1].ts if first and last else None,
                        master_down_us(2, p, 1_000_000))
            zero = self.adv(victim, vrid, m[f"kill_{victim}"], m[f"restart_{victim}"], prio="zero")
            if zero:
                P.append(f"{self.who(victim)} sent a priority-0 advert when SIGKILLed")
            # the other instance: the victim was its backup; the other stays master
            ovrid = 1 if vrid == 255 else 255
            self.silent(f"{victim} killed: vrid {ovrid} stays with {other}", victim, ovrid,
                        m[f"kill_{victim}"], m[f"resettled_{victim}"])
            # restart: preemption after the master-down interval
            # restarted with priority 100 (a weighted script counts once it has a result):
            # master 3 s + skew(100) after the start, or 3 s + skew(110) if the script
            # succeeded before. keepalived 2.2.7: a priority change in BACKUP after it
            # discarded a lower-priority advert moves the deadline to that advert + 3 s +
            # skew(new) (vrrp_set_effective_priority() takes the remaining time left in
            # ms_down_timer by the discard for the old interval), up to ~1.3 s later.
            back = self.adv(victim, vrid, m[f"restart_{victim}"], prio="pos")
            self.timing(f"{victim} restarted: its first vrid {vrid} advert after its start "
                        f"(3 s + skew, start-up included)",
                        back[0].ts - m[f"restart_{victim}"] if back else None,
                        master_down_us(2, 100, 1_000_000),
                        lo=master_down_us(2, self.PRIO[vrid][victim], 1_000_000) - TOL_US,
                        hi=2_000_000 + master_down_us(2, self.PRIO[vrid][victim], 1_000_000)
                        + 500_000)
            if back:
                self.silent(f"{victim} restarted: {other} gives vrid {vrid} back", other, vrid,
                            back[0].ts + TOL_US, m[f"resettled_{victim}"])
            self.sig[f"{victim} killed and restarted: single holders seen"] = self.holder_runs(
                m[f"kill_{victim}"], m[f"resettled_{victim}"])
        for (n, vrid), advs in sorted(self.by.items()):
            # Settled priorities (the last 3 s before the final SIGTERM). A restarted node may
            # advertise its base priority for a moment before: its check script's first run
            # (nginx died with the node) is timed out, and ours then skips the next interval's
            # run where keepalived 2.2.7 starts another (see SeedRun.by_impl).
            self.sig[f"priorities advertised by {n} for vrid {vrid} in the 3 s before the final "
                     "SIGTERM"] = sorted({a.priority for a in advs
                                          if m["term"] - 3_000_000 <= a.ts < m["term"]})
            if self.impl[n] == "ours":
                early = sorted({a.priority for a in advs if a.ts < m["term"]})
                if not set(early) <= {100, 110} and not set(early) <= {50, 60}:
                    self.problems.append(f"{self.who(n)} advertised {early} for vrid {vrid}")


# ============================================================================ case 3
class NegWeight(SeedRun):
    key = "neg_weight"
    number = 23
    VRID = 51

    def flow(self) -> None:
        L = self.L
        w = L.work
        self.mark("start")
        self.start("h1", local_config("negweight-h1.conf", self.number, w))
        self.start("h2", local_config("negweight-h2.conf", self.number, w))
        self.wait_holders("start", {self.v140: ["h1"]}, 8)
        self.hold("h1 master", {self.v140: ["h1"]}, 1.0)
        self.mark("flag_set")
        (w / "down-h1").write_text("")
        self.wait_holders("flag set on h1 (150 - 60 < 100)", {self.v140: ["h2"]}, 8)
        self.hold("h2 master", {self.v140: ["h2"]}, 1.0)
        self.mark("flag_cleared")
        (w / "down-h1").unlink()
        self.wait_holders("flag removed on h1", {self.v140: ["h1"]}, 8)
        self.hold("h1 master again", {self.v140: ["h1"]}, 1.0)
        self.mark("term")
        for n, node in L.web.items():
            rc = node.stop(signal.SIGTERM)
            if rc != 0:
                self.problems.append(f"{self.who(n)} exited with status {rc} after SIGTERM")

    def analyze(self) -> None:
        m, P, v = self.marks, self.problems, self.VRID
        prios = {a.priority for a in self.adv("h1", v, m["start"], m["flag_set"])}
        if prios != {150}:
            P.append(f"h1 advertised {sorted(prios)} before the flag (expected 150)")
        self.silent("before the flag h2 is backup", "h2", v, m["start"], m["flag_set"])
        # flag set: h1 advertises 90, h2 ignores those and takes over 3 s + skew after the
        # last advert it accepted (h1's last 150)
        ninety = self.adv("h1", v, m["flag_set"], prio=90)
        first_b = self.adv("h2", v, m["flag_set"])
        if not ninety:
            P.append("h1 never advertised 150 - 60 = 90 after the flag was set")
        elif ninety[0].ts - m["flag_set"] > 2_100_000:
            P.append(f"h1's first priority-90 advert came {_ms(ninety[0].ts - m['flag_set'])} "
                     "after the flag (script interval 1 s + advert interval 1 s)")
        last150 = self.adv("h1", v, m["flag_set"] - 3_000_000,
                           first_b[0].ts if first_b else None, prio=150)
        self.timing("flag set: h2's first advert after h1's last priority-150 advert "
                    "(3 s + skew(100))",
                    first_b[0].ts - last150[-1].ts if first_b and last150 else None,
                    master_down_us(2, 100, 1_000_000))
        if first_b:
            self.silent("h2 master: h1 steps down", "h1", v, first_b[0].ts + TOL_US, m["flag_cleared"])
        # flag removed: h1 (150 again, backup) ignores h2's 100 and takes over 3 s + skew(150)
        # after the last h2 advert it accepted
        back = self.adv("h1", v, m["flag_cleared"])
        if not back:
            P.append("h1 never advertised after the flag was removed")
        else:
            if back[0].priority != 150:
                P.append(f"h1 came back with priority {back[0].priority} (expected 150)")
            md = master_down_us(2, 150, 1_000_000)
            cands = self.adv("h2", v, back[0].ts - md - 500_000, back[0].ts - md + 500_000)
            best = min(cands, key=lambda a: abs(back[0].ts - a.ts - md)) if cands else None
            self.timing("flag removed: h1's first advert after the last h2 advert it accepted "
                        "(3 s + skew(150))", back[0].ts - best.ts if best else None, md)
            self.silent("h1 master again: h2 steps down", "h2", v, back[0].ts + TOL_US, m["term"])
        zeros = [(n, a.ts) for n in ("h1", "h2") for a in self.adv(n, v, hi=m["term"], prio="zero")]
        if zeros:
            P.append(f"priority-0 adverts before SIGTERM: {zeros} (preemption sends none)")
        runs = self.prio_runs(v, m["start"], m["term"])
        self.sig["adverts (sender, priority), repeats collapsed"] = runs
        if runs != [("h1", 150), ("h1", 90), ("h2", 100), ("h1", 150)]:
            P.append(f"adverts (sender, priority): {runs}, expected h1 150, h1 90, h2 100, h1 150")
        hr = self.holder_runs(m["start"], m["term"])
        self.sig["VIP holders (ip addr)"] = hr
        want = [f"{self.v140}: h1", f"{self.v140}: h2", f"{self.v140}: h1"]
        if hr != want:
            P.append(f"VIP holders seen: {hr}, expected {want}")


# ============================================================================ case 4
_PROLOGUE = re.compile(r"^\w{3} \w{3} [ \d]\d \d\d:\d\d:\d\d \d{4}: \[\d+:\d+\] ")


class Notify(SeedRun):
    key = "notify"
    number = 24
    VRID = 52
    keep_init = True     # the FIFO script outlives the daemon; its log is in the node's /tmp

    def stop(self, n: str) -> int | None:
        node = self.L.web[n]
        node.send_signal(signal.SIGTERM)
        log = node.runs[-1]["log"]

        def exited():   # keep_init: the namespace's init stays, so node.wait() cannot tell
            return re.search(rb"\[lab\] daemon exited with status (\d+)", log.read_bytes())
        try:
            return int(wait_for(exited, 10, f"{n}'s daemon to exit after SIGTERM").group(1))
        except AssertionError:
            return None

    def flow(self) -> None:
        L = self.L
        w = L.work
        one = lambda n: {self.v140: [n]}  # noqa: E731
        self.mark("start")
        self.start("h1", local_config("notify-h1.conf", self.number, w))
        self.wait_holders("h1 alone", one("h1"), 6)
        self.start("h2", local_config("notify-h2.conf", self.number, w))
        time.sleep(1.5)
        self.hold("both running", one("h1"), 0.5)
        steps = [("down-h1", True, "h2"), ("down-h1", False, "h1"),
                 ("fault-h1", True, "h2"), ("fault-h1", False, "h1")]
        for flag, on, holder in steps:
            self.mark(f"{flag}_{'on' if on else 'off'}")
            if on:
                (w / flag).write_text("")
            else:
                (w / flag).unlink()
            self.wait_holders(f"{flag} {'created' if on else 'removed'}", one(holder), 6)
            self.hold(f"after {flag} {'created' if on else 'removed'}", one(holder), 0.7)
        self.mark("term_h1")
        for n in ("h1", "h2"):
            rc = self.stop(n)
            self.sig[f"exit status of {n} after SIGTERM"] = rc
            if rc != 0:
                self.problems.append(f"{self.who(n)} exited with status {rc} after SIGTERM")
            if n == "h1":
                self.wait_holders("h1 stopped", one("h2"), 3)
        time.sleep(1.5)          # sample_notify_fifo.sh: STOPPING 0.5 s after its SIGTERM

    def collect(self) -> None:
        self.fifo: dict[str, list[str] | None] = {}
        self.calls: dict[str, list[str]] = {}
        self.rec: dict[str, list[tuple[float, str]]] = {}
        for n, node in self.L.web.items():
            self.calls[n] = [a for _, a in self.L.notify_calls(n)]
            self.rec[n] = self.L.fifo_records(n)
            init = node._init_pid()
            try:
                text = Path(f"/proc/{init}/root/tmp/vrrp_notify_fifo.log").read_text()
                self.fifo[n] = [_PROLOGUE.sub("", x) for x in text.splitlines()]
            except (OSError, TypeError):
                self.fifo[n] = None

    def analyze(self) -> None:
        P = self.problems
        expect_h1 = ["BACKUP", "MASTER", "BACKUP", "MASTER", "FAULT", "BACKUP", "MASTER", "STOP"]
        expect_h2 = ["BACKUP", "MASTER", "BACKUP", "MASTER", "BACKUP", "MASTER", "STOP"]
        for n, expect in (("h1", expect_h1), ("h2", expect_h2)):
            generic = [a.split(" ", 1)[1] for a in self.calls[n] if a.startswith("generic ")]
            specific = [a for a in self.calls[n] if not a.startswith("generic ")]
            fifo = self.fifo[n]
            self.sig[f"{n}: notify arguments, in order"] = generic
            self.sig[f"{n}: notify_master/backup/fault/stop calls, in order"] = specific
            self.sig[f"{n}: lines of sample_notify_fifo.sh's log, in order"] = fifo
            states = [g.split()[2] for g in generic if len(g.split()) == 4]
            if states != expect:
                P.append(f"{self.who(n)}: notify states {states}, expected {expect}")
            if specific != [s.lower() for s in expect]:
                P.append(f"{self.who(n)}: notify_* calls {specific}, expected "
                         f"{[s.lower() for s in expect]}")
            if fifo is None:
                P.append(f"{self.who(n)}: no /tmp/vrrp_notify_fifo.log from sample_notify_fifo.sh")
            else:
                got = [x for x in fifo if x.startswith("INSTANCE ")]
                if got != generic:
                    P.append(f"{self.who(n)}: FIFO lines {got} differ from the notify arguments "
                             f"{generic}")
                # keepalived SIGTERMs the FIFO script before it writes the STOP lines and
                # closes the FIFO: the sample then logs STOPPING (not "FIFO CLOSED")
                if not fifo or fifo[-1] != "STOPPING" or any("FIFO" in x for x in fifo):
                    P.append(f"{self.who(n)}: sample_notify_fifo.sh's log ends {fifo[-3:]} "
                             "(expected the STOP line, then STOPPING)")
            # notify_fifo read by fifo-record.py: the same lines, SIGTERM before the STOP line
            ev = [e for _, e in self.rec[n]]
            self.sig[f"{n}: fifo-record.py's events (notify_fifo), in order"] = ev
            lines = [e[5:].replace('"', "") for e in ev if e.startswith("line ")]
            if lines != generic:
                P.append(f"{self.who(n)}: notify_fifo lines {lines} differ from the notify "
                         f"arguments {generic}")
            stop = next((i for i, e in enumerate(ev) if e.startswith("line ") and " STOP " in e), None)
            term = next((i for i, e in enumerate(ev) if e == "SIGTERM"), None)
            if stop is None or term is None or term > stop:
                P.append(f"{self.who(n)}: the notify_fifo_script got SIGTERM at event {term} and "
                         f"the STOP line at event {stop} of {ev} (keepalived: SIGTERM first, then "
                         "the STOP line, then end of file)")


# ============================================================================ case 5
class BackupPriorityRise(SeedRun):
    """h2 masters the VIP at priority 50; h1 (100) starts as backup and discards h2's
    adverts; ~2.3 s after h1's start its script begins to succeed: 100 -> 110 while
    backup. keepalived (2.2.7 and HEAD): discarding an advert leaves the *remaining* time in
    ms_down_timer, and vrrp_set_effective_priority() then moves the deadline by
    (3 s + skew(110)) - remaining, i.e. to the last discarded advert + 3 s + skew(110):
    h1's first advert comes exactly 3 s + skew(110) after an advert of h2 it discarded
    around the change (not 3 s + skew after its own start)."""

    key = "backup_priority_rise"
    number = 25
    VRID = 53

    def flow(self) -> None:
        L = self.L
        w = L.work
        self.start("h2", local_config("rise-h2.conf", self.number, w))
        self.wait_holders("h2 alone", {self.v140: ["h2"]}, 8)
        time.sleep(1.0)
        self.mark("h1_start")
        self.start("h1", local_config("rise-h1.conf", self.number, w))
        self.sleep_until(self.marks["h1_start"] + 2_300_000)
        self.mark("flag")
        (w / "up-h1").write_text("")
        self.wait_holders("h1 (110) preempts h2 (50)", {self.v140: ["h1"]}, 9)
        self.hold("h1 master", {self.v140: ["h1"]}, 1.0)
        self.mark("term")
        for n, node in L.web.items():
            rc = node.stop(signal.SIGTERM)
            if rc != 0:
                self.problems.append(f"{self.who(n)} exited with status {rc} after SIGTERM")

    def analyze(self) -> None:
        m, P, v = self.marks, self.problems, self.VRID
        first = self.adv("h1", v, m["h1_start"], m["term"])
        if not first:
            P.append(f"{self.who('h1')} never advertised")
            return
        t1 = first[0].ts
        if first[0].priority != 110:
            P.append(f"h1's first advert has priority {first[0].priority} (expected 110)")
        self.measure["h1's first advert after its start (informative)"] = (
            t1 - m["h1_start"], master_down_us(2, 110, 1_000_000))
        md = master_down_us(2, 110, 1_000_000)
        around = self.adv("h2", v, m["flag"] - 1_000_000, m["flag"] + 1_100_000)
        hit = [a for a in around if abs(t1 - a.ts - md) <= TOL_US]
        self.sig["h1's first advert is 3 s + skew(110) after an h2 advert it discarded "
                 "around its priority rise"] = bool(hit)
        best = min(around, key=lambda a: abs(t1 - a.ts - md)) if around else None
        self.timing("h1's first advert after the h2 advert closest to 3 s + skew(110) before "
                    "it, among those discarded around the priority rise", 
                    t1 - best.ts if best else None, md)
        self.silent("h1 master: h2 steps down", "h2", v, t1 + TOL_US, m["term"])


# ============================================================================ running
CASES = (MasterBackup, DualMaster, NegWeight, Notify, BackupPriorityRise)
_ref_lock = threading.Lock()
_ref_locks: dict[str, threading.Lock] = {}
_refs: dict[str, SeedRun] = {}


def reference(cls) -> SeedRun:
    with _ref_lock:
        lk = _ref_locks.setdefault(cls.key, threading.Lock())
    with lk:
        if cls.key not in _refs:
            _refs[cls.key] = cls(*REFERENCE).execute()
        return _refs[cls.key]


def compare(ref: SeedRun, got: SeedRun) -> list[str]:
    out = []
    for k in sorted(set(ref.sig) | set(got.sig)):
        a, b = ref.sig.get(k, "(none)"), got.sig.get(k, "(none)")
        if a != b:
            out.append(f"differs from keepalived: {k}: this run {b!r} vs keepalived {a!r}"[:900])
    return out


def check(cls, a: str, b: str) -> None:
    if (a, b) == REFERENCE:
        r = reference(cls)
        problems = list(r.problems)
    else:
        r = cls(a, b).execute()
        problems = list(r.problems)
        if not r.fatal:
            ref = reference(cls)
            if ref.fatal:
                problems.append(f"cannot compare: the reference run failed: "
                                f"{ref.fatal.splitlines()[0]}")
            else:
                problems += compare(ref, r)
    if r.fatal or problems:
        raise AssertionError(r.failure_text(problems))


def cases():
    for cls in CASES:
        for a, b in ws.pairings():
            yield (f"seed:{cls.key}:{a}-h1/{b}-h2", lambda cls=cls, a=a, b=b: check(cls, a, b))

"""VRRP interop scenarios on the wire lab (wire.py), for test_wire_interop.py and
test_wire_inject.py.

A scenario is a pair of configs (host A = the master of the failover instance, host B =
its backup) run by an implementation pairing, one of
    keepalived-A/keepalived-B   (the reference; always run)
    ours-A/ours-B, ours-A/keepalived-B, keepalived-A/ours-B.
Implementations: "keepalived" = /usr/sbin/keepalived ($KEEPALIVED_REF), "ours" =
$KEEPALIVED_RS_BIN (default target/release/keepalived). KRS_WIRE_IMPLS=keepalived keeps
only the reference pairing (comma list of allowed implementations, default both).

Flow of one run (tcpdump on the bridge records everything):
 1. start A alone; wait until it holds every VIP (A masters all instances);
 2. start B; wait until B's master-down interval has passed and the designated masters
    hold their VIPs (in `ip addr`: exactly one holder per VIP), stable for 2 adverts;
 3. (kill) SIGKILL A's daemon (its whole PID namespace) -> B must take over; restart A ->
    A must drop the VIPs the killed daemon left behind (v2: checked 0.5 s after start)
    and preempt after its master-down interval; settle again;
 4. (term) SIGTERM A -> priority-0 advert -> B must take over after its skew time; A exits
    0 and removes its VIPs; B then holds every VIP.
Analysis (from the pcap, all in µs):
 * every advert field by field against the config (version, type, vrid, priority,
   count, addresses, auth, interval, TTL 255, TOS 0xc0, no DF, checksums, src/dst);
 * IPv4 id +1 per advert; only the designated master advertises in settled periods;
   no priority 0 when a master is preempted;
 * GARP / unsolicited NA for every VIP at each mastership start, first one within 20 ms of
   the first advert; a second burst 5 s later when the node was still master then;
 * failover timing: SIGKILL -> B's first advert 3*adv + skew(B) after A's last one;
   SIGTERM -> B's first advert skew(B) after A's priority-0 advert (KEEPALIVED.md §5.4),
   tolerance 20 ms; preemption after restart not before A's master-down interval;
 * for non-reference pairings: the same role's frames compared field by field with the
   reference run (same lab number => same addresses/MACs), plus counts (priority-0 adverts,
   GARPs per burst, IP id pattern, exit status).
KRS_WIRE_VERBOSE=1 prints every run's measurements on stderr.
"""

from __future__ import annotations

import os
import signal
import statistics
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import wire
from wire import Lab, NodeError, master_down_us, now_us, skew_us

HERE = Path(__file__).resolve().parent
SHARED = Path(os.environ.get("KA_SHARED", str(HERE.parent.parent / "shared")))
CONFIGS = HERE / "configs" / "wire"
TOL_US = 20_000                 # timing tolerance
BURST_US = 100_000              # GARPs of one burst: within this time of the first advert
POLL_S = 0.1                    # `ip addr` polling period (keep the CPU for the daemons)
VERBOSE = os.environ.get("KRS_WIRE_VERBOSE", "") not in ("", "0")
IMPLS = ("keepalived", "ours")
REFERENCE = ("keepalived", "keepalived")
PAIRINGS = [REFERENCE, ("ours", "ours"), ("ours", "keepalived"), ("keepalived", "ours")]
_print_lock = threading.Lock()


def pairings() -> list[tuple[str, str]]:
    """Pairings allowed by KRS_WIRE_IMPLS (comma list of implementations)."""
    raw = os.environ.get("KRS_WIRE_IMPLS", ",".join(IMPLS))
    allowed = {x.strip() for x in raw.split(",") if x.strip()}
    bad = allowed - set(IMPLS)
    if bad:
        raise ValueError(f"KRS_WIRE_IMPLS: unknown implementation(s) {sorted(bad)}; use {IMPLS}")
    return [p for p in PAIRINGS if set(p) <= allowed]


class Fatal(AssertionError):
    """The run cannot go on (a daemon died, a state was never reached)."""


# ============================================================================ scenarios
@dataclass
class Instance:
    name: str
    vrid: int
    version: int
    family: int
    adver_us: int
    vips: tuple[str, ...]          # as carried in adverts (no prefix)
    prio: dict                     # role -> configured priority
    auth_type: int = 0             # v2 only
    auth: bytes = b""
    unicast: bool = False

    @property
    def master(self) -> str:
        return max(self.prio, key=lambda r: self.prio[r])

    def md(self, role: str) -> int:
        return master_down_us(self.version, self.prio[role], self.adver_us)

    def skew(self, role: str) -> int:
        return skew_us(self.version, self.prio[role], self.adver_us)


@dataclass
class Scenario:
    key: str
    lab: int
    sources: dict                  # role -> ("seed"|"wire", file name)
    instances: list
    failover_vrid: int
    roles: tuple = ("master", "backup")
    kill: bool = True              # SIGKILL + restart phases

    def configs(self) -> dict:
        out = {}
        for role, (kind, name) in self.sources.items():
            if kind == "seed":   # the seed's config with only interface and addresses adapted
                text = (SHARED / "seed" / name).read_text(encoding="utf-8")
                text = text.replace("ens33", "eth0").replace("192.168.1.", f"10.99.{self.lab}.")
            else:
                text = (CONFIGS / name).read_text(encoding="utf-8")
                text = text.replace("10.99.LAB.", f"10.99.{self.lab}.")
            out[role] = text
        return out

    @property
    def failover(self) -> Instance:
        return next(i for i in self.instances if i.vrid == self.failover_vrid)

    def designated(self) -> dict:
        """vip -> role that must hold it when both daemons run."""
        return {v: i.master for i in self.instances for v in i.vips}

    def all_vips(self) -> list:
        return [v for i in self.instances for v in i.vips]

    def instance(self, vrid: int) -> Instance | None:
        return next((i for i in self.instances if i.vrid == vrid), None)


def _scenarios() -> list[Scenario]:
    def net(lab, h):
        return f"10.99.{lab}.{h}"
    return [
        Scenario("v2_pass", 11, {"A": ("seed", "master-backup-150.conf"),
                                 "B": ("seed", "master-backup-151.conf")},
                 [Instance("VI_1", 255, 2, 4, 1_000_000, (net(11, 140),), {"A": 100, "B": 50},
                           auth_type=1, auth=b"1111")], 255),
        Scenario("v2_noauth", 12, {"A": ("wire", "v2_noauth-a.conf"),
                                   "B": ("wire", "v2_noauth-b.conf")},
                 [Instance("VI_N", 42, 2, 4, 1_000_000, (net(12, 142),), {"A": 100, "B": 50})],
                 42, kill=False),
        Scenario("v3_ipv4", 13, {"A": ("wire", "v3_ipv4-a.conf"), "B": ("wire", "v3_ipv4-b.conf")},
                 [Instance("VI_3", 33, 3, 4, 100_000, (net(13, 150), net(13, 151)),
                           {"A": 150, "B": 100})], 33),
        Scenario("v3_ipv6", 14, {"A": ("wire", "v3_ipv6-a.conf"), "B": ("wire", "v3_ipv6-b.conf")},
                 [Instance("VI_6", 66, 3, 6, 100_000, ("fd00:99::160", "fd00:99::161"),
                           {"A": 150, "B": 100})], 66),
        Scenario("unicast", 15, {"A": ("wire", "unicast-a.conf"), "B": ("wire", "unicast-b.conf")},
                 [Instance("VI_U", 77, 3, 4, 100_000, (net(15, 177),), {"A": 120, "B": 80},
                           unicast=True)], 77),
        Scenario("dual_master", 16, {"A": ("seed", "dual-master-150.conf"),
                                     "B": ("seed", "dual-master-151.conf")},
                 [Instance("VI_1", 255, 2, 4, 1_000_000, (net(16, 140),), {"A": 100, "B": 50},
                           auth_type=1, auth=b"1111"),
                  Instance("VI_2", 1, 2, 4, 1_000_000, (net(16, 141),), {"A": 50, "B": 100},
                           auth_type=1, auth=b"1111")],
                 255, roles=("vi1master", "vi2master"), kill=False),
    ]


SCENARIOS = _scenarios()


def case_name(prefix: str, roles: tuple, a: str, b: str) -> str:
    return f"wire:{prefix}:{a}-{roles[0]}/{b}-{roles[1]}"


# ============================================================================ helpers
def _rel(ts: int | None, t0: int) -> str:
    return "n/a" if ts is None else f"{(ts - t0) / 1e6:+.6f}s"


def _ms(us: int | float) -> str:
    return f"{us / 1000:.3f} ms"


class Run:
    """One execution of a scenario by an implementation pairing, and its analysis."""

    def __init__(self, sc: Scenario, impl_a: str, impl_b: str):
        self.sc = sc
        self.impl = {"A": impl_a, "B": impl_b}
        self.name = case_name(sc.key, sc.roles, impl_a, impl_b)
        self.marks: dict[str, int] = {}
        self.problems: list[str] = []
        self.measure: dict[str, tuple[int, int]] = {}    # name -> (measured µs, ideal µs)
        self.sig: dict[tuple, object] = {}               # compared with the reference run
        self.fatal: str | None = None
        self.frames: list = []
        self.tails = ""
        self.nodes: dict = {}
        self.macs: dict[str, str] = {}
        self.runs: dict[str, list] = {}
        self.ips: dict[str, tuple] = {}
        self.rc: dict[str, object] = {}
        self.notes: list[str] = []

    # ---- running ------------------------------------------------------------------------
    def mark(self, name: str) -> int:
        self.marks[name] = now_us()
        return self.marks[name]

    def t0(self) -> int:
        return self.marks.get("A_start", 0)

    def holders(self) -> dict:
        held = {r: {a.split("/")[0] for a in n.addresses()} for r, n in self.nodes.items()
                if r in self.impl}
        return {v: sorted(r for r in held if v in held[r]) for v in self.sc.all_vips()}

    def _dead(self) -> str:
        out = []
        for r, n in self.nodes.items():
            if r not in self.impl:
                continue
            if n.runs and not n.running() and n.runs[-1]["rc"] is None:
                n.wait(0)
            if n.runs and not n.running() and not n.runs[-1].get("expected_exit"):
                out.append(f"{n.name} ({self.impl[r]}) daemon exited with status {n.runs[-1]['rc']}")
        return "; ".join(out)

    def wait_state(self, what: str, pred, timeout_us: int, not_before: int = 0) -> None:
        """Poll `ip addr` until pred(holders) is true at/after not_before, else Fatal."""
        deadline = max(now_us(), not_before) + timeout_us
        h = None
        while True:
            t = now_us()
            h = self.holders()
            if t >= not_before and pred(h):
                return
            if t > deadline:
                dead = self._dead()
                raise Fatal(f"{what}: not reached within {timeout_us / 1e6:.1f} s; VIP holders "
                            f"{h}" + (f"; {dead}" if dead else ""))
            time.sleep(POLL_S)

    def hold_stable(self, what: str, pred, duration_us: int) -> None:
        """pred(holders) must stay true for duration_us (problem, not fatal, if not)."""
        end = now_us() + duration_us
        while now_us() < end:
            h = self.holders()
            if not pred(h):
                self.problems.append(f"{what}: VIP holders changed to {h} at "
                                     f"{_rel(now_us(), self.t0())}")
                return
            time.sleep(POLL_S)

    @staticmethod
    def exactly(expected: dict):
        return lambda h: all(h[v] == [r] for v, r in expected.items())

    def start_pair(self) -> None:
        """A alone until it masters every instance, then B until the roles are settled."""
        sc = self.sc
        A, B = self.nodes["A"], self.nodes["B"]
        conf = sc.configs()
        adv = max(i.adver_us for i in sc.instances)
        everything_a = {v: "A" for v in sc.all_vips()}
        final = sc.designated()

        self.mark("A_start")
        A.start(self.impl["A"], conf["A"])
        self.wait_state("A alone becomes master of every instance", self.exactly(everything_a),
                        max(i.md("A") for i in sc.instances) + 3_000_000)
        self.mark("A_master")

        t_b = self.mark("B_start")
        B.start(self.impl["B"], conf["B"])
        settle = t_b + max(i.md("B") for i in sc.instances) + 2 * adv + 100_000
        self.wait_state("after B started: designated masters hold their VIPs (exactly one "
                        "holder each)", self.exactly(final), 3_000_000, not_before=settle)
        self.hold_stable("settled state", self.exactly(final), max(adv, 300_000))
        self.mark("settled")

    def phases(self) -> None:
        sc = self.sc
        A, B = self.nodes["A"], self.nodes["B"]
        conf = sc.configs()
        adv = max(i.adver_us for i in sc.instances)
        final = sc.designated()
        self.start_pair()

        fo = sc.failover
        if sc.kill:
            self.mark("kill")
            A.kill9()
            A.runs[-1]["expected_exit"] = True
            self.wait_state("B takes over after SIGKILL of A",
                            lambda h: all("B" in h[v] for v in fo.vips), fo.md("B") + 3_000_000)
            time.sleep(1.5 * fo.adver_us / 1e6)      # a few adverts of B as master
            self.mark("restart")
            A.start(self.impl["A"], conf["A"])
            t_r = now_us()
            if fo.md("A") >= 1_500_000:
                # keepalived deletes its instances' VIPs found on the interface at start-up
                # (the killed daemon left them there); it adds them back once master
                time.sleep(0.5)
                stale = [v for v in fo.vips if "A" in self.holders()[v]]
                if stale and not self._adv("A", fo.vrid, lo=self.marks["restart"]):
                    self.problems.append(f"restart: {self.who('A')} still held {stale} "
                                         f"{(now_us() - self.marks['restart']) / 1e6:.2f} s after "
                                         "its start, as backup (keepalived removes them at start-up)")
            self.wait_state("restarted A preempts B (exactly one holder each)", self.exactly(final),
                            3_000_000, not_before=t_r + max(i.md("A") for i in sc.instances
                                                            if i.master == "A") + 2 * adv)
            self.hold_stable("state after restart", self.exactly(final), max(adv, 300_000))
            self.mark("resettled")

        self.mark("term")
        A.runs[-1]["expected_exit"] = True
        rc = A.stop(signal.SIGTERM, timeout=10)
        self.rc["A_sigterm"] = rc
        if rc is None:
            self.problems.append("A did not exit within 10 s of SIGTERM")
            A.kill9()
        self.wait_state("after SIGTERM of A: B holds every VIP, A none",
                        self.exactly({v: "B" for v in sc.all_vips()}),
                        fo.skew("B") + 3_000_000)
        time.sleep(max(adv, 300_000) / 1e6)
        self.mark("end")

    hosts = 2

    def execute(self) -> "Run":
        lab = Lab(self.hosts, number=self.sc.lab, tag=self.sc.key)
        try:
            self.nodes = dict(zip(("A", "B", "C"), lab.nodes))
            self.macs = {r: n.mac for r, n in self.nodes.items()}
            self.ips = {r: (n.ip4, n.link_local) for r, n in self.nodes.items()}
            cap = lab.start_capture()
            try:
                self.phases()
            except (NodeError, Fatal) as e:
                self.fatal = str(e)
            finally:
                self.marks.setdefault("end", now_us())
                cap.stop()
                self.frames = cap.frames()
                self.tails = "\n".join(n.log_tail() for r, n in self.nodes.items() if r in self.impl)
                self.runs = {r: [dict(x) for x in n.runs] for r, n in self.nodes.items()}
        finally:
            lab.close()
        self.analyze()
        if VERBOSE:
            with _print_lock:
                print(self.report_measures(), file=sys.stderr, flush=True)
        return self

    # ---- analysis ----------------------------------------------------------------------
    def analyze(self) -> None:
        sc, P = self.sc, self.problems
        role_of = {m: r for r, m in self.macs.items() if r in ("A", "B")}
        ev = [e for e in (wire.decode(f) for f in self.frames) if e is not None]
        self.adverts = [e for e in ev if isinstance(e, wire.Vrrp)]
        self.garps = [e for e in ev if isinstance(e, wire.Arp) and e.gratuitous]
        self.nas = [e for e in ev if isinstance(e, wire.NA)]
        by = {}
        for a in self.adverts:
            r = role_of.get(a.src_mac)
            if r is None:
                P.append(f"VRRP from an unknown MAC {a.src_mac} at {_rel(a.ts, self.t0())}")
                continue
            if sc.instance(a.vrid) is None:
                P.append(f"{r} sent an advert for unconfigured VRID {a.vrid}")
                continue
            by.setdefault((r, a.vrid), []).append(a)
        self.by = by
        self._check_fields(by)
        self._check_ids(by)
        self._check_roles(by)
        self._check_garps(by)
        self._check_timing(by)
        self._signatures(by)

    def _expected_fields(self, role: str, inst: Instance) -> dict:
        other = "B" if role == "A" else "A"
        mcast = inst.family == 4 and "224.0.0.18" or "ff02::12"
        exp = {"version": inst.version, "type": 1, "vrid": inst.vrid, "count": len(inst.vips),
               "addresses": inst.vips, "ttl": 255, "tos": 0xC0, "df": False, "checksum_ok": True,
               "family": inst.family, "src_mac": self.macs[role]}
        if inst.family == 4:
            exp["ip_csum_ok"] = True
            exp["ip_src"] = self.ips[role][0]
        else:
            exp["ip_src"] = self.ips[role][1]
        if inst.unicast:
            exp["ip_dst"] = self.ips[other][0]
            exp["dst_mac"] = self.macs[other]
        else:
            exp["ip_dst"] = mcast
            exp["dst_mac"] = "01:00:5e:00:00:12" if inst.family == 4 else "33:33:00:00:00:12"
        if inst.version == 2:
            exp.update(auth_type=inst.auth_type, adver_int=inst.adver_us // 1_000_000,
                       auth_data=inst.auth[:8].ljust(8, b"\0"))
        else:
            exp.update(adver_int=inst.adver_us // 10_000, reserved=0, auth_data=b"")
        return exp

    def _check_fields(self, by: dict) -> None:
        bad: dict[tuple, int] = {}
        for (r, vrid), advs in by.items():
            inst = self.sc.instance(vrid)
            exp = self._expected_fields(r, inst)
            for a in advs:
                f = a.fields()
                for k, v in exp.items():
                    if f[k] != v:
                        key = (r, vrid, k, f[k], v)
                        bad[key] = bad.get(key, 0) + 1
                if a.priority not in (inst.prio[r], 0):
                    key = (r, vrid, "priority", a.priority, (inst.prio[r], 0))
                    bad[key] = bad.get(key, 0) + 1
        for (r, vrid, k, got, exp), n in sorted(bad.items(), key=str):
            self.problems.append(f"{self.who(r)} vrid {vrid}: advert field {k} = {got!r}, expected "
                                 f"{exp!r} ({n} advert(s))")

    def who(self, role: str) -> str:
        return f"{role} ({self.impl[role]})"

    def _segments(self, role: str, advs: list) -> list[list]:
        """Split a node's adverts by daemon process run (restart boundaries)."""
        starts = [x["t_start"] for x in self.runs.get(role, [])] or [0]
        segs = [[] for _ in starts]
        for a in advs:
            k = max(i for i, t in enumerate(starts) if t <= a.ts) if a.ts >= starts[0] else 0
            segs[k].append(a)
        return [s for s in segs if s]

    def _check_ids(self, by: dict) -> None:
        for (r, vrid), advs in sorted(by.items()):
            if advs[0].family != 4:
                continue
            firsts, steps = [], set()
            for seg in self._segments(r, advs):
                firsts.append(seg[0].ip_id)
                for p, q in zip(seg, seg[1:]):
                    d = (q.ip_id - p.ip_id) % 65536
                    steps.add(d)
            self.sig[("ip id", r, vrid)] = (tuple(firsts), tuple(sorted(steps)))
            if steps - {1}:
                self.problems.append(f"{self.who(r)} vrid {vrid}: IP id steps {sorted(steps)} between "
                                     "consecutive adverts (keepalived: +1 per advert)")

    def _adv(self, r, vrid, lo=None, hi=None, prio=None):
        out = []
        for a in self.by.get((r, vrid), []):
            if lo is not None and a.ts < lo:
                continue
            if hi is not None and a.ts >= hi:
                continue
            if prio == "zero" and a.priority != 0:
                continue
            if prio == "pos" and a.priority == 0:
                continue
            out.append(a)
        return out

    def _check_roles(self, by: dict) -> None:
        """Only the designated master advertises once the roles are sorted out; nobody
        sends priority 0 except A after SIGTERM; the master's advert period = advert_int.

        Phase "both running" = [B started, A killed/terminated); phase "after restart" =
        [A restarted, A terminated). The node that (re)started in the phase and is the
        designated master must take over: the other one has to be silent from 20 ms after
        its first advert; otherwise the other one has to be silent for the whole phase."""
        sc, m = self.sc, self.marks
        phases = []
        if "B_start" in m:
            phases.append(("both running", "B", m["B_start"], m.get("kill", m.get("term"))))
        if "restart" in m:
            phases.append(("after restart", "A", m["restart"], m.get("term")))
        for label, starter, lo, hi in phases:
            if hi is None:
                continue
            for inst in sc.instances:
                mr = inst.master
                other = "B" if mr == "A" else "A"
                mine = self._adv(mr, inst.vrid, lo, hi)
                quiet_from = lo
                if mr == starter:
                    if not mine:
                        self.problems.append(f"{label}: {self.who(mr)} never advertised vrid "
                                             f"{inst.vrid} (it should have taken over)")
                        continue
                    quiet_from = mine[0].ts + TOL_US
                noisy = self._adv(other, inst.vrid, quiet_from, hi)
                if noisy:
                    self.problems.append(
                        f"{label}: {self.who(other)} sent {len(noisy)} advert(s) for vrid {inst.vrid} "
                        f"({_rel(noisy[0].ts, self.t0())} .. {_rel(noisy[-1].ts, self.t0())}) while "
                        f"{self.who(mr)} was master")
                gaps = [q.ts - p.ts for p, q in zip(mine, mine[1:])]
                if gaps:
                    med = int(statistics.median(gaps))
                    self.measure[f"{label}: {mr} vrid {inst.vrid} advert period (median of "
                                 f"{len(gaps)})"] = (med, inst.adver_us)
                    if abs(med - inst.adver_us) > TOL_US:
                        self.problems.append(f"{label}: {self.who(mr)} vrid {inst.vrid} median advert "
                                             f"period {_ms(med)}, expected {_ms(inst.adver_us)} "
                                             f"+-{_ms(TOL_US)}")
                if hi - max(lo, mine[0].ts if mine else lo) > 3 * inst.adver_us and len(mine) < 2:
                    self.problems.append(f"{label}: {self.who(mr)} sent only {len(mine)} advert(s) "
                                         f"for vrid {inst.vrid} in {(hi - lo) / 1e6:.2f} s")
        for (r, vrid), advs in by.items():
            zeros = [a for a in advs if a.priority == 0]
            allowed_lo = m.get("term")
            bad = [a for a in zeros if r != "A" or allowed_lo is None or a.ts < allowed_lo]
            if bad:
                self.problems.append(f"{self.who(r)} sent {len(bad)} priority-0 advert(s) for vrid "
                                     f"{vrid} at {', '.join(_rel(a.ts, self.t0()) for a in bad[:3])} "
                                     "(keepalived only does on shutdown/fault)")

    def _starts(self, r: str, inst: Instance) -> list:
        advs = self._adv(r, inst.vrid, prio="pos")
        starts = []
        for i, a in enumerate(advs):
            if i == 0 or a.ts - advs[i - 1].ts > 2.5 * inst.adver_us:
                end = advs[-1].ts
                for b, c in zip(advs[i:], advs[i + 1:]):
                    if c.ts - b.ts > 2.5 * inst.adver_us:
                        end = b.ts
                        break
                starts.append((a, end))
        return starts

    def _announcements(self, r: str, vip: str, lo: int, hi: int) -> list:
        mac = self.macs[r]
        pool = self.garps if ":" not in vip else self.nas
        out = []
        for g in pool:
            if g.src_mac != mac or not lo <= g.ts < hi:
                continue
            if (g.sender_ip if isinstance(g, wire.Arp) else g.target) == vip:
                out.append(g)
        return out

    def _check_garps(self, by: dict) -> None:
        t0 = self.t0()
        for g in self.garps + self.nas:
            r = {m: r for r, m in self.macs.items()}.get(g.src_mac)
            if r not in ("A", "B"):
                continue
            exp = {}
            if isinstance(g, wire.Arp):
                if g.sender_ip not in self.sc.all_vips():
                    continue
                exp = {"op": 1, "dst_mac": "ff:ff:ff:ff:ff:ff", "sender_mac": self.macs[r],
                       "target_mac": "ff:ff:ff:ff:ff:ff", "target_ip": g.sender_ip}
            else:
                if g.target not in self.sc.all_vips():
                    continue
                exp = {"ip_src": g.target, "ip_dst": "ff02::1", "dst_mac": "33:33:00:00:00:01",
                       "hop_limit": 255, "override": True, "solicited": False, "router": False,
                       "tlla": self.macs[r], "checksum_ok": True}
            f = g.fields()
            for k, v in exp.items():
                if f[k] != v:
                    self.problems.append(f"{self.who(r)} {type(g).__name__} for "
                                         f"{g.sender_ip if isinstance(g, wire.Arp) else g.target} at "
                                         f"{_rel(g.ts, t0)}: {k} = {f[k]!r}, expected {v!r}")
                    break
        end = self.marks.get("end", 0)
        for inst in self.sc.instances:
            for r in ("A", "B"):
                for k, (first, last) in enumerate(self._starts(r, inst)):
                    counts, fields = [], set()
                    for vip in inst.vips:
                        ann = self._announcements(r, vip, first.ts - TOL_US, first.ts + BURST_US)
                        counts.append(len(ann))
                        fields |= {tuple(sorted(g.fields().items())) for g in ann}
                        what = "unsolicited NA" if ":" in vip else "gratuitous ARP"
                        label = f"{r} vrid {inst.vrid} mastership #{k + 1} {what} for {vip}"
                        if not ann:
                            self.problems.append(f"{self.who(r)} became master of vrid {inst.vrid} "
                                                 f"at {_rel(first.ts, t0)} but sent no {what} for "
                                                 f"{vip} within {_ms(BURST_US)}")
                            continue
                        d = ann[0].ts - first.ts
                        self.measure[f"{label}: delay after first advert"] = (d, 0)
                        if abs(d) > TOL_US:
                            self.problems.append(f"{label}: first one {_ms(d)} after the first advert "
                                                 f"(expected within {_ms(TOL_US)})")
                    self.sig[("announcements per VIP in the first burst", r, inst.vrid, k)] = \
                        tuple(counts)
                    self.sig[("announcement fields", r, inst.vrid, k)] = sorted(fields)
                    # second burst 5 s later (garp_master_delay), when still master then
                    if last >= first.ts + 5_300_000 and end >= first.ts + 5_300_000:
                        second = tuple(len(self._announcements(r, vip, first.ts + 4_900_000,
                                                               first.ts + 5_100_000 + BURST_US))
                                       for vip in inst.vips)
                        self.sig[("announcements per VIP 5 s after mastership", r, inst.vrid, k)] = second
                self.sig[("mastership starts", r, inst.vrid)] = len(self._starts(r, inst))

    def _timing(self, name: str, measured: int | None, ideal: int, tol: int = TOL_US,
                lo_only: bool = False, hi_extra: int = 0) -> None:
        if measured is None:
            self.problems.append(f"{name}: could not be measured (missing adverts)")
            return
        self.measure[name] = (measured, ideal)
        d = measured - ideal
        if d < -tol or d > tol + hi_extra:
            rng = f"-{_ms(tol)}..+{_ms(tol + hi_extra)}"
            self.problems.append(f"{name}: measured {_ms(measured)}, ideal {_ms(ideal)} "
                                 f"(diff {_ms(d)}, allowed {rng})")

    def _check_timing(self, by: dict) -> None:
        m, fo = self.marks, self.sc.failover
        v = fo.vrid
        if "kill" in m:
            # the killed daemon may still send an advert between the mark and the kill (pid
            # look-up): its last advert is the last one before the restart
            last_a = self._adv("A", v, hi=m.get("restart", m["end"]))
            first_b = self._adv("B", v, lo=last_a[-1].ts) if last_a else []
            self._timing(f"SIGKILL failover vrid {v}: B's first advert after A's last one "
                         f"(3*adv + skew(prio {fo.prio['B']}))",
                         first_b[0].ts - last_a[-1].ts if first_b and last_a else None, fo.md("B"))
            # restart: A may not preempt before its own master-down interval has run out
            if "restart" in m:
                first_a = self._adv("A", v, lo=m["restart"], prio="pos")
                if first_a:
                    d = first_a[0].ts - m["restart"]
                    # lower bound exact (the process starts after the mark); startup time allowed
                    self._timing(f"restart: A's first advert after start (master-down interval, "
                                 "incl. daemon start-up)", d, fo.md("A"), hi_extra=1_000_000)
                else:
                    self.problems.append(f"restart: {self.who('A')} never advertised vrid {v} after restart")
        if "term" in m:
            zero = self._adv("A", v, lo=m["term"], prio="zero")
            self.sig[("priority-0 adverts at SIGTERM", "A", v)] = len(zero)
            for inst in self.sc.instances:
                if inst.vrid != v:
                    self.sig[("priority-0 adverts at SIGTERM", "A", inst.vrid)] = \
                        len(self._adv("A", inst.vrid, lo=m["term"], prio="zero"))
            if not zero:
                self.problems.append(f"SIGTERM: {self.who('A')} sent no priority-0 advert for vrid {v}")
            else:
                first_b = self._adv("B", v, lo=zero[0].ts)
                self._timing(f"SIGTERM failover vrid {v}: B's first advert after A's priority-0 "
                             f"advert (skew(prio {fo.prio['B']}))",
                             first_b[0].ts - zero[0].ts if first_b else None, fo.skew("B"))
                after = [a for a in self._adv("A", v, lo=zero[0].ts) if a.priority != 0]
                if after:
                    self.problems.append(f"SIGTERM: {self.who('A')} advertised priority "
                                         f"{after[0].priority} after its priority-0 advert")
            self.sig[("exit status after SIGTERM", "A")] = self.rc.get("A_sigterm")
            if self.rc.get("A_sigterm") not in (0, None):
                self.problems.append(f"SIGTERM: {self.who('A')} exited with status "
                                     f"{self.rc['A_sigterm']} (keepalived: 0)")

    def _signatures(self, by: dict) -> None:
        for (r, vrid), advs in by.items():
            for kind, sel in (("priority>0", lambda a: a.priority), ("priority 0", lambda a: not a.priority)):
                s = {tuple(sorted(a.fields().items())) for a in advs if sel(a)}
                if s:
                    self.sig[(f"advert fields ({kind})", r, vrid)] = sorted(s, key=repr)

    # ---- reporting ---------------------------------------------------------------------
    def report_measures(self) -> str:
        lines = [f"[{self.name}] measurements:"]
        for k, (got, ideal) in self.measure.items():
            lines.append(f"    {k}: {_ms(got)} (ideal {_ms(ideal)}, diff {_ms(got - ideal)})")
        lines += [f"    {n}" for n in self.notes]
        if self.fatal:
            lines.append(f"    FATAL: {self.fatal.splitlines()[0]}")
        for p in self.problems:
            lines.append(f"    problem: {p}")
        if os.environ.get("KRS_WIRE_VERBOSE") == "2":
            for k, v in sorted(self.sig.items(), key=repr):
                lines.append(f"    sig {k}: {v!r}"[:400])
        return "\n".join(lines)

    def summary(self) -> str:
        t0 = self.t0()
        lines = [f"  wire summary (times relative to A's first start; marks: "
                 + ", ".join(f"{k} {_rel(v, t0)}" for k, v in self.marks.items()) + ")"]
        for (r, vrid), advs in sorted(getattr(self, "by", {}).items()):
            prios = {}
            for a in advs:
                prios[a.priority] = prios.get(a.priority, 0) + 1
            lines.append(f"    {r} ({self.impl[r]}) vrid {vrid}: {len(advs)} adverts {prios} "
                         f"{_rel(advs[0].ts, t0)} .. {_rel(advs[-1].ts, t0)}")
        for r, mac in self.macs.items():
            if r not in self.impl:
                continue
            n = sum(1 for g in getattr(self, "garps", []) + getattr(self, "nas", []) if g.src_mac == mac)
            lines.append(f"    {r} ({self.impl[r]}) GARP/NA frames: {n}")
        return "\n".join(lines)

    def failure_text(self, problems: list[str]) -> str:
        out = []
        if self.fatal:
            out.append(f"  FATAL: {wire.indent(self.fatal, '    ').strip()}")
        out += [f"  - {p}" for p in problems]
        if any("mastership #" not in k for k in self.measure):
            out.append("  measurements: " + "; ".join(
                f"{k}: {_ms(g)} (ideal {_ms(i)})" for k, (g, i) in self.measure.items()
                if "mastership #" not in k))
        out.append(self.summary())
        out.append(wire.indent(self.tails, "    | "))
        return "\n".join(out)


# ============================================================================ comparison
def _diff_fields(ref: list, got: list) -> str:
    """Field-level difference between two sorted lists of field tuples."""
    rf, gf = {}, {}
    for tup in ref:
        for k, v in tup:
            rf.setdefault(k, set()).add(v)
    for tup in got:
        for k, v in tup:
            gf.setdefault(k, set()).add(v)
    parts = []
    for k in sorted(set(rf) | set(gf)):
        if rf.get(k) != gf.get(k):
            parts.append(f"{k}: ours {sorted(gf.get(k, set()), key=repr)} vs keepalived "
                         f"{sorted(rf.get(k, set()), key=repr)}")
    if not parts:
        parts.append(f"{len(got)} distinct frame(s) vs keepalived's {len(ref)}")
    return "; ".join(parts)


def compare(ref: Run, got: Run) -> list[str]:
    """What differs between the same roles' frames in the reference run and this run."""
    out = []
    for key in sorted(set(ref.sig) | set(got.sig), key=repr):
        kind = key[0]
        opt = kind.startswith("announcements per VIP 5 s")   # only when both runs had it
        if key not in got.sig or key not in ref.sig:
            if opt:
                continue
            if key not in got.sig:
                out.append(f"{kind} {key[1:]}: none in this run (keepalived: {ref.sig[key]!r})"[:600])
            else:
                out.append(f"{kind} {key[1:]}: {got.sig[key]!r} but none in keepalived's run"[:600])
            continue
        a, b = ref.sig[key], got.sig[key]
        if a == b:
            continue
        role = key[1] if len(key) > 1 else ""
        who = got.who(role) if role in ("A", "B") else role
        where = ""
        if len(key) > 2:
            where = f" vrid {key[2]}" + (f" mastership #{key[3] + 1}" if len(key) > 3 else "")
        if isinstance(a, list):
            out.append(f"{kind} of {who}{where}: {_diff_fields(a, b)}")
        else:
            out.append(f"{kind} of {who}{where}: ours {b!r} vs keepalived {a!r}")
    return out


_ref_lock = threading.Lock()
_ref_locks: dict[str, threading.Lock] = {}
_refs: dict[str, Run] = {}


def reference(sc: Scenario) -> Run:
    """The keepalived<->keepalived run of a scenario (run once per process, shared)."""
    with _ref_lock:
        lk = _ref_locks.setdefault(sc.key, threading.Lock())
    with lk:
        if sc.key not in _refs:
            _refs[sc.key] = Run(sc, *REFERENCE).execute()
        return _refs[sc.key]


def check_scenario(sc: Scenario, impl_a: str, impl_b: str) -> None:
    if (impl_a, impl_b) == REFERENCE:
        r = reference(sc)
        problems = list(r.problems)
    else:
        r = Run(sc, impl_a, impl_b).execute()
        problems = list(r.problems)
        if not r.fatal:
            ref = reference(sc)
            if ref.fatal:
                problems.append(f"cannot compare: the reference run failed: {ref.fatal.splitlines()[0]}")
            else:
                if ref.problems:
                    problems.append(f"(note: the reference run itself had {len(ref.problems)} "
                                    f"problem(s): {ref.problems[0]})")
                problems += [f"differs from keepalived: {d}" for d in compare(ref, r)]
    if r.fatal or problems:
        raise AssertionError(r.failure_text(problems))


# ============================================================================ injection
def _inject_scenario() -> Scenario:
    base = SCENARIOS[0]                      # the seed's v2 PASS master/backup pair
    lab = 17
    inst = base.instances[0]
    return Scenario("inject", lab, base.sources,
                    [Instance(inst.name, inst.vrid, inst.version, inst.family, inst.adver_us,
                              (f"10.99.{lab}.140",), dict(inst.prio), inst.auth_type, inst.auth)],
                    inst.vrid)


INJECT = _inject_scenario()
INJECT_PRIORITY = 254


class InjectRun(Run):
    """Forged adverts from a third host C (raw frames on its eth0) that a VRRP router
    must drop: wrong password, no auth, wrong VRID, TTL 254 (all with priority 254, so
    that accepting one would be visible). Flow: settle A master / B backup; two bursts
    of bad adverts -> A keeps the VIP, B stays quiet; positive control: one valid
    priority-254 advert -> A must step down (proves the injection path) and come back
    after its master-down interval; then A is SIGSTOPped and bad bursts are sent at
    0.4/1.4/2.4 s -> B must still take over exactly 3*adv + skew after A's last advert
    (a backup that accepted any of them would restart its timer); SIGCONT A -> A masters
    again, B goes back to backup."""

    hosts = 3

    def frames_for(self, kind: str) -> bytes:
        inst, c = self.sc.instances[0], self.nodes["C"]
        kw = dict(src_mac=c.mac, src_ip=c.ip4, vrid=inst.vrid, priority=INJECT_PRIORITY,
                  vips=list(inst.vips), adver_int=inst.adver_us // 1_000_000,
                  auth_type=inst.auth_type, auth=inst.auth)
        if kind == "wrong password":
            kw["auth"] = b"2222"
        elif kind == "no authentication":
            kw.update(auth_type=0, auth=b"")
        elif kind == "wrong VRID":
            kw["vrid"] = 254
        elif kind == "TTL 254":
            kw["ttl"] = 254
        elif kind != "valid":
            raise ValueError(kind)
        return wire.build_vrrp_v2_frame(**kw)

    BAD = ("wrong password", "no authentication", "wrong VRID", "TTL 254")

    def bad_burst(self) -> None:
        self.nodes["C"].send_frames([self.frames_for(k) for k in self.BAD], interval=0.01)

    def phases(self) -> None:
        inst = self.sc.instances[0]
        A = self.nodes["A"]
        final = self.sc.designated()
        self.start_pair()

        self.mark("inject_master")
        for _ in range(2):
            self.bad_burst()
            self.hold_stable("bad adverts sent while A is master", self.exactly(final), 1_200_000)

        self.mark("control")
        self.nodes["C"].send_frames([self.frames_for("valid")])
        self.wait_state("positive control: A steps down after a valid priority-254 advert from C",
                        lambda h: "A" not in h[inst.vips[0]], 1_000_000)
        self.wait_state("A masters again after the control advert", self.exactly(final),
                        inst.md("A") + 3_000_000)
        self.hold_stable("after the control", self.exactly(final), 1_000_000)

        t_p = self.mark("pause")
        A.pause()
        for k in range(3):
            delay = t_p + 400_000 + k * 1_000_000 - now_us()
            if delay > 0:
                time.sleep(delay / 1e6)
            self.bad_burst()
        self.wait_state("B takes over while A is stopped", lambda h: "B" in h[inst.vips[0]],
                        inst.md("B") + 2_000_000)
        self.mark("resume")
        A.resume()
        self.wait_state("after SIGCONT: A master again, B backup", self.exactly(final), 3_000_000)
        self.hold_stable("after SIGCONT", self.exactly(final), 1_000_000)
        self.mark("end")

    def analyze(self) -> None:
        sc, P, m = self.sc, self.problems, self.marks
        inst = sc.instances[0]
        v = inst.vrid
        role_of = {self.macs["A"]: "A", self.macs["B"]: "B"}
        ev = [e for e in (wire.decode(f) for f in self.frames) if e is not None]
        self.adverts = [e for e in ev if isinstance(e, wire.Vrrp)]
        self.garps = [e for e in ev if isinstance(e, wire.Arp) and e.gratuitous]
        self.nas = [e for e in ev if isinstance(e, wire.NA)]
        self.by = {}
        injected = []
        for a in self.adverts:
            if a.src_mac == self.macs["C"]:
                injected.append(a)
            elif a.src_mac in role_of:
                self.by.setdefault((role_of[a.src_mac], a.vrid), []).append(a)
            else:
                P.append(f"VRRP from an unknown MAC {a.src_mac}")
        self._check_fields(self.by)
        for (r, vrid), advs in self.by.items():
            if vrid != v:
                P.append(f"{self.who(r)} advertised unconfigured vrid {vrid}")
            zeros = [a for a in advs if a.priority == 0]
            if zeros:
                P.append(f"{self.who(r)} sent {len(zeros)} priority-0 advert(s)")
        if "pause" not in m:
            return
        # B must stay silent until A is stopped (bad adverts and the control included)
        noisy = self._adv("B", v, m["B_start"], m["pause"])
        if noisy:
            P.append(f"{self.who('B')} advertised {len(noisy)} time(s) while A was master "
                     f"(first at {_rel(noisy[0].ts, self.t0())})")
        # positive control: A silent from the valid advert until its master-down interval ran out
        ctl = [a for a in injected if a.ts >= m["control"] and a.vrid == v and a.ttl == 255
               and a.auth_type == inst.auth_type and a.auth_data == inst.auth.ljust(8, b"\0")]
        if not ctl:
            P.append("the control advert from C is not in the capture")
        else:
            back = self._adv("A", v, lo=ctl[0].ts + 1)
            self._timing("control: A's first advert after C's valid priority-254 advert "
                         f"(3*adv + skew(prio {inst.prio['A']}))",
                         back[0].ts - ctl[0].ts if back else None, inst.md("A"))
        # A stopped: B takes over 3*adv + skew(B) after A's last advert despite the bad ones
        # A may still advertise between the mark and the SIGSTOP: last advert before SIGCONT
        last_a = self._adv("A", v, hi=m.get("resume", m["end"]))
        first_b = self._adv("B", v, lo=last_a[-1].ts) if last_a else []
        if last_a and first_b:
            landed = [a for a in injected if last_a[-1].ts < a.ts < first_b[0].ts]
            kinds = sorted({("wrong VRID" if a.vrid != v else "TTL 254" if a.ttl != 255 else
                             "no authentication" if a.auth_type == 0 else
                             "valid" if a.auth_data == inst.auth.ljust(8, b"\0") else
                             "wrong password") for a in landed})
            self.notes.append(f"{len(landed)} injected adverts between A's last advert and B's takeover")
            if set(kinds) != set(self.BAD):
                P.append(f"only {kinds} of the bad adverts reached the wire before B's takeover "
                         "(test ineffective)")
        self._timing(f"A stopped: B's first advert after A's last one (3*adv + skew(prio "
                     f"{inst.prio['B']})), bad adverts in between",
                     first_b[0].ts - last_a[-1].ts if last_a and first_b else None, inst.md("B"))
        # after SIGCONT: B yields to A
        if "resume" in m:
            a_back = self._adv("A", v, lo=m["resume"])
            if not a_back:
                P.append(f"{self.who('A')} did not advertise after SIGCONT")
            else:
                late = self._adv("B", v, lo=a_back[0].ts + TOL_US)
                if late:
                    P.append(f"{self.who('B')} kept advertising {len(late)} time(s) after A resumed")


def check_inject(impl_a: str, impl_b: str) -> None:
    r = InjectRun(INJECT, impl_a, impl_b)
    r.name = case_name("inject", INJECT.roles, impl_a, impl_b)
    r.execute()
    if r.fatal or r.problems:
        raise AssertionError(r.failure_text(list(r.problems)))

"""SIGHUP reload end to end (issue 6): keepalived 2.2.7 (the reference) and ours, each on
its own lab, the same steps and the same checks; everything judged from the wire (tcpdump
on the lab bridges) and from `ip -ts -o monitor address` run in the nodes' namespaces.

What keepalived does on SIGHUP: KEEPALIVED.md §8.1 and /work/shared/compat/evidence/
log-reload-sighup-with-D.txt (conf-r1.conf -> conf-r2.conf). Instances are matched by VRID,
family, interface, unicast details - not by name; a matched master stays master, sends an
advert at once and never removes an unchanged VIP; VIPs no longer configured go ("(NAME)
ip address A/P dev IF, no longer exist"), added ones get a GARP burst; a removed instance
sends priority 0, removes its addresses and gets a FAULT notification; a new instance
starts as at boot.

1000-instance cases (benches/daemon_resources.py's layout, reused by import: hosts h1, h2
on four segments eth0..eth3 x VRIDs 1..250, VRRPv2, advert_int 1, VIPs 10.99.200-203.x/32;
h1 priority 150 = master of all, h2 priority 100 = the watching backup). They share one lab
per implementation (cases run in this order; a case that finds the pair unsettled, or that
changed h1's config, makes the next one build a fresh lab):

test_reload:unchanged:IMPL  five SIGHUPs to h1, 2.2 s apart, same file (2.2 s, not 2: the
    SIGHUPs fall at phases 0, 0.2 .. 0.8 s of h1's advert cycle, so one of them comes
    just before the adverts of most VRIDs - where a reload that blocks the daemon shows -
    whatever the phase of the daemon's timers).
test_reload:storm:IMPL  100 SIGHUPs to h1 within one second, same file.
    Both: no VIP of h1 is ever deleted (ip monitor: no "Deleted" line); for every one of
    the 1000 VRIDs the longest gap between h1's consecutive adverts, from the first
    SIGHUP to 3 s after the last one, is <= advert_int + 10 ms (GAP_TOL_US), and adverts
    go on to the end; h2 never sends an advert with priority > 0 and never gets a VIP.
test_reload:addremove:IMPL  h1's file rewritten: instance B349 (eth1, VRID 100) removed,
    B650 (eth2, VRID 151) renamed RENAMED650, instance ADDED (eth0, VRID 251, priority 255 =
    address owner, master at once as at boot, VIP 10.99.200.251) added; one SIGHUP.
    Within advert_int + 20 ms (TOL_US) of the SIGHUP: B349's priority-0 advert is on the
    wire, then no more adverts from h1 for it, and its VIP is deleted on h1; ADDED's
    advert (priority 255), its VIP on h1 and a gratuitous ARP for it. h2 takes VRID 100
    over as usual: its first advert skew(100) = 609.375 ms (+-20 ms) after the priority-0
    advert, and the VIP. The renamed instance keeps its state (no VIP deletion, no gap);
    every other VRID as in the unchanged case.

Small cases (two hosts, eth0 only, VRRPv2 advert_int 1, -D logging; h1 master 150 or 200,
h2 backup 100):

test_reload:vipdiff:IMPL  VI_1 with VIPs .51 .52 -> .51 .53 on both hosts (SIGHUP to h2,
    then h1 - the backup must know the new list, it checks the master's address list): .52 is
    deleted on h1 and .53 added within advert_int + 20 ms, .51 is never deleted, a
    gratuitous ARP for .53 follows, h1's adverts carry .51 .53 from then on, h1's log says
    "(VI_1) ip address 10.99.L.52/32 dev eth0, no longer exist" and h2 stays silent.
test_reload:broken:IMPL  h1 reloads a file `keepalived -t` rejects with exit 2 (a
    `priority` without its value: "missing a parameter"; both implementations' -t agree). Ours must
    keep running the old configuration: daemon alive, no VIP deleted, adverts on time,
    h2 silent, and a log line matching NOT_APPLIED_RE after the SIGHUP. keepalived 2.2.7
    does not keep running (see KNOWN_REFERENCE_DEVIATIONS): measured and printed only.
test_reload:notify:IMPL  h1 has KEEP (VRID 61) and DROPME (VRID 62, `notify SCRIPT`
    writing its arguments to the node's private /tmp); DROPME removed by a reload: its priority-0
    advert and VIP removal within advert_int + 20 ms, h2 takes VRID 62 over after its
    skew, KEEP undisturbed, and the script's last line is "INSTANCE DROPME FAULT 200"
    (keepalived: verified in the evidence).

Every case prints one summary line of measurements on stderr (longest gaps, counts, times).
A check that keepalived 2.2.7 itself fails on this machine is listed in
KNOWN_REFERENCE_DEVIATIONS: asserted for ours only, reported as a note for keepalived.

Implementations: "keepalived" = /usr/sbin/keepalived ($KEEPALIVED_REF), "ours" =
$KEEPALIVED_RS_BIN (default target/release/keepalived); KRS_WIRE_IMPLS=keepalived runs the
reference only. The cases of this module take a module-wide lock (timings on a 2-CPU
machine: do not run them in parallel with each other); `-j` only overlaps them with other
modules' cases, which is not advisable either. Run (as root): compat-tests/run test_reload
(or a filter such as `test_reload:storm`, `:ours`).
"""

from __future__ import annotations

import bisect
import datetime
import os
import re
import signal
import struct
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import wire
from wire import Lab, now_us, skew_us

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "benches"))
import daemon_resources as dr  # noqa: E402  (the 4-segment x 250-VRID layout)

IMPLS = ("keepalived", "ours")
ADV_US = 1_000_000              # advert_int 1 everywhere here
GAP_TOL_US = 10_000             # longest advert gap allowed: advert_int + 10 ms (the issue)
TOL_US = 20_000                 # "within one advert interval": advert_int + 20 ms
N_BIG = 1000
BIG_REMOVED = 349               # B349: eth1, VRID 100
BIG_RENAMED = 650               # B650: eth2, VRID 151
ADDED_KEY = (0, 251)            # eth0, VRID 251: free on every segment (VRIDs 1..250 used)
ADDED_VIP = "10.99.200.251"
#: Our log line saying a reloaded configuration was rejected and the old one kept (loose:
#: the lead aligns the exact text; keep the pattern here only).
NOT_APPLIED_RE = re.compile(r"New configuration not applied \(.*\): keeping the running configuration")
#: Checks keepalived 2.2.7 fails on this machine: (case, check) -> why. Asserted for ours
#: only; for keepalived the measured value is printed as a note.
KNOWN_REFERENCE_DEVIATIONS = {
    # The issue's own measurement: keepalived 2.2.7 keeps every VIP but its longest advert
    # gap over five reloads at 1000 instances was 1.013 s. Here, over several runs: unchanged
    # 1.0077 .. 1.0138 s, add/remove 1.0040 .. 1.0112 s, storm 1.0064 .. 1.0341 s (17 to 33
    # reloads done for the 100 SIGHUPs; up to 293 of the 1000 VRIDs over 1.010 s). keepalived
    # sends an advert for every master at once on SIGHUP (so the gap across a SIGHUP is
    # short), then rebuilds its 1000 instances in one thread for ~20-70 ms: the adverts due
    # meanwhile go out late, the last instances of the file (VRID 250) latest.
    ("unchanged", "gap"): "advert gap over advert_int + 10 ms (issue: 1.013 s, here up to 1.0138 s)",
    ("addremove", "gap"): "advert gap over advert_int + 10 ms (measured up to 1.0112 s)",
    ("storm", "gap"): "advert gap over advert_int + 10 ms (measured up to 1.0341 s)",
    # keepalived's VRRP child exits on a reload whose file has a missing parameter (the
    # parser exits the process, KEEPALIVED.md §1.3): the parent logs "pid N exited with
    # permanent error CONFIG. Terminating" and stops with status 2 - without a priority-0
    # advert and without removing the VIPs (h1 still holds its VIP while h2 takes over after
    # its master-down interval: the address is then on both hosts).
    ("broken", "*"): "keepalived 2.2.7 exits on a reload of a file with a missing parameter",
}
# 1000-instance labs and 10 ms timing (reload) / a CPU-hogging flood (hostile): run alone
EXCLUSIVE = True

_LOCK = threading.Lock()         # one case of this module at a time
_print_lock = threading.Lock()


def impls() -> list[str]:
    raw = os.environ.get("KRS_WIRE_IMPLS", ",".join(IMPLS))
    allowed = [x.strip() for x in raw.split(",") if x.strip()]
    bad = set(allowed) - set(IMPLS)
    if bad:
        raise ValueError(f"KRS_WIRE_IMPLS: unknown implementation(s) {sorted(bad)}; use {IMPLS}")
    return [i for i in IMPLS if i in allowed]


def _ms(us) -> str:
    return "n/a" if us is None else f"{us / 1000:.3f} ms"


def _s(us) -> str:
    return "n/a" if us is None else f"{us / 1e6:.4f} s"


# ============================================================================ observation
class PcapTail:
    """Incremental reader of a pcap file tcpdump is still writing (µs timestamps)."""

    def __init__(self, path: Path):
        self.path = path
        self.off = 0
        self.hdr: struct.Struct | None = None
        self.div = 1

    def read(self) -> list[wire.Frame]:
        try:
            with open(self.path, "rb") as f:
                f.seek(self.off)
                raw = f.read()
        except FileNotFoundError:
            return []
        out, pos = [], 0
        if self.hdr is None:
            if len(raw) < 24:
                return []
            table = {b"\xd4\xc3\xb2\xa1": ("<", 1), b"\xa1\xb2\xc3\xd4": (">", 1),
                     b"\x4d\x3c\xb2\xa1": ("<", 1000), b"\xa1\xb2\x3c\x4d": (">", 1000)}
            endian, self.div = table[raw[:4]]
            self.hdr = struct.Struct(endian + "IIII")
            pos = 24
        while pos + 16 <= len(raw):
            sec, frac, incl, orig = self.hdr.unpack_from(raw, pos)
            if pos + 16 + incl > len(raw):
                break
            out.append(wire.Frame(sec * 1_000_000 + frac // self.div,
                                  raw[pos + 16:pos + 16 + incl], orig))
            pos += 16 + incl
        self.off += pos
        return out


class BridgeCapture(wire.Capture):
    """wire.Capture on any bridge of the lab's bridge namespace (br0 .. br3)."""

    def __init__(self, lab_: Lab, ifname: str):
        super().__init__(lab_)
        self.ifname = ifname
        self.path = lab_.work / f"capture-{ifname}.pcap"
        self.err = lab_.work / f"tcpdump-{ifname}.err"

    def start(self, timeout: float = 10.0) -> None:
        argv = ["tcpdump", "-i", self.ifname, "-w", str(self.path), "-U", "--immediate-mode",
                "--time-stamp-precision=micro", "-n", "-s", "256", "-Z", "root",
                "ip proto 112 or arp or ether proto 0x88b5"]
        with open(self.err, "wb") as errf:
            self.proc = self.lab.bridge.spawn(argv, hostname=None, stdout=subprocess.DEVNULL,
                                              stderr=errf)
        deadline = time.monotonic() + timeout
        while b"listening on" not in self._err():
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise wire.LabError(f"tcpdump on {self.ifname} did not start: "
                                    f"{self._err().decode(errors='replace')}")
            time.sleep(0.02)
        self._mark("start", deadline)

    def _mark(self, what: str, deadline: float) -> None:
        token = f"KTMARK {what} {os.getpid()} {time.time_ns()}".encode()
        frame = b"\xff" * 6 + bytes.fromhex(self.lab.bridge_mac.replace(":", "")) \
            + struct.pack("!H", wire.MARKER_ETHERTYPE) + token.ljust(46, b"\0")
        while True:
            wire.send_frames(self.lab.bridge, self.ifname, [frame])
            t_end = min(deadline, time.monotonic() + 1.0)
            while time.monotonic() < t_end:
                if any(token in f.data for f in wire.read_pcap(self.path)):
                    return
                time.sleep(0.02)
            if time.monotonic() >= deadline:
                raise wire.LabError(f"capture marker '{what}' never showed up in {self.path}")


@dataclass
class Wire:
    """Everything decoded so far from the captures of segments 0..k (VRRP and ARP)."""
    lab: Lab
    caps: list = field(default_factory=list)
    tails: list = field(default_factory=list)
    node_of: dict = field(default_factory=dict)      # ip source -> node number
    adverts: list = field(default_factory=list)      # (ts, seg, node, vrid, prio, addrs)
    arps: list = field(default_factory=list)         # (ts, seg, wire.Arp)

    def start(self, segments: int) -> None:
        for k in range(segments):
            c = BridgeCapture(self.lab, f"br{k}")
            c.start()
            self.caps.append(c)
            self.tails.append(PcapTail(c.path))
        for node in self.lab.nodes:
            self.node_of[node.ip4] = node.n
            for k in range(1, segments):
                self.node_of[f"10.99.{self.lab.number}.{node.n + 10 * k}"] = node.n

    def update(self) -> None:
        """Decode what the captures wrote since the last call."""
        for seg, t in enumerate(self.tails):
            for f in t.read():
                if f.ethertype == wire.MARKER_ETHERTYPE:
                    continue
                v = wire.decode_vrrp(f)
                if v is not None:
                    self.adverts.append((v.ts, seg, self.node_of.get(v.ip_src, 0), v.vrid,
                                         v.priority, v.addresses))
                    continue
                a = wire.decode_arp(f)
                if a is not None:
                    self.arps.append((a.ts, seg, a))

    def sync(self) -> None:
        """Wait until what was sent up to now is in the files (a marker per bridge)."""
        for c in self.caps:
            c._mark("sync", time.monotonic() + 10)
        self.update()

    def stop(self) -> None:
        for c in self.caps:
            try:
                c.stop(timeout=3)
            except Exception:
                pass

    def of(self, node: int, lo: int | None = None, hi: int | None = None, key=None) -> list:
        return [a for a in self.adverts if a[2] == node
                and (lo is None or a[0] >= lo) and (hi is None or a[0] < hi)
                and (key is None or (a[1], a[3]) == key)]

    def series(self, node: int, lo: int, hi: int) -> dict:
        """(seg, vrid) -> sorted timestamps of node's priority > 0 adverts in [lo, hi)."""
        out: dict = {}
        for ts, seg, n, vrid, prio, _ in self.adverts:
            if n == node and prio > 0 and lo <= ts < hi:
                out.setdefault((seg, vrid), []).append(ts)
        for v in out.values():
            v.sort()
        return out


class AddrMonitor:
    """`ip -ts -o monitor address` in a node's network namespace, parsed into events
    (ts µs, "add"|"del", address, line)."""

    LINE = re.compile(r"^\[(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+)\] (Deleted )?\d+: (\S+)\s+inet6? "
                      r"([0-9a-f.:]+)/(\d+)")

    def __init__(self, node: wire.Node):
        self.node = node
        self.path = node.lab.work / f"monitor-{node.name}.txt"
        self.f = open(self.path, "wb")
        self.proc = node.ns.spawn(["ip", "-ts", "-o", "monitor", "address"], hostname=None,
                                  stdout=self.f, stderr=subprocess.STDOUT)
        self.off = 0
        self.events: list = []
        time.sleep(0.2)   # ip monitor subscribes at start; nothing to wait on but time

    def update(self) -> list:
        with open(self.path, "rb") as f:
            f.seek(self.off)
            raw = f.read()
        end = raw.rfind(b"\n") + 1
        self.off += end
        for line in raw[:end].decode(errors="replace").splitlines():
            m = self.LINE.match(line)
            if not m:
                continue
            ts = int(datetime.datetime.strptime(m.group(1), "%Y-%m-%dT%H:%M:%S.%f")
                     .timestamp() * 1e6)
            self.events.append((ts, "del" if m.group(2) else "add", m.group(4), line))
        return self.events

    def between(self, lo: int, hi: int, kind: str | None = None, prefix: str = "10.99.20") -> list:
        self.update()
        return [e for e in self.events if lo <= e[0] < hi and (kind is None or e[1] == kind)
                and e[2].startswith(prefix)]

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=3)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self.proc in self.node.ns.children:
            self.node.ns.children.remove(self.proc)
        self.f.close()


# ============================================================================ checking
class Check:
    """Problems and measurements of one case run."""

    def __init__(self, case: str, impl: str):
        self.case, self.impl = case, impl
        self.name = f"test_reload:{case}:{impl}"
        self.problems: list[str] = []
        self.notes: list[str] = []
        self.measures: list[str] = [f"load average {loadavg()}"]

    def expect(self, what: str, ok: bool, msg: str) -> None:
        if ok:
            return
        known = (KNOWN_REFERENCE_DEVIATIONS.get((self.case, what))
                 or KNOWN_REFERENCE_DEVIATIONS.get((self.case, "*")))
        if self.impl == "keepalived" and known:
            self.notes.append(f"{what}: {msg}  [known keepalived 2.2.7 behaviour: {known}]")
        else:
            self.problems.append(f"{what}: {msg}")

    def measure(self, text: str) -> None:
        self.measures.append(text)

    def finish(self, tails: str = "") -> None:
        with _print_lock:
            print(f"  [{self.name}] " + "; ".join(self.measures), file=sys.stderr, flush=True)
            for n in self.notes:
                print(f"  [{self.name}] note: {n}", file=sys.stderr, flush=True)
        if self.problems:
            text = "\n".join(f"  - {p}" for p in self.problems)
            text += "\n  measured: " + "; ".join(self.measures)
            if tails:
                text += "\n" + wire.indent(tails, "    | ")
            raise AssertionError(text)


def gap_report(series: dict, lo: int, hi: int, keys) -> dict:
    """Longest gap per key among h1's adverts, counting gaps that end in [lo, hi) and the
    tail hi - last advert before hi; keys with no advert before lo are reported as
    'no_start'."""
    out = {"max": 0, "max_key": None, "max_at": None, "over": [], "missing": [], "no_start": []}
    for key in keys:
        ts = [t for t in series.get(key, []) if t < hi]
        if not ts:
            out["missing"].append(key)
            continue
        if ts[0] >= lo:
            out["no_start"].append(key)
        worst, at = 0, None
        for a, b in zip(ts, ts[1:]):
            if b >= lo and b - a > worst:
                worst, at = b - a, a
        tail = hi - ts[-1]
        if tail > worst:
            worst, at = tail, ts[-1]
        if worst > ADV_US + GAP_TOL_US:
            out["over"].append((key, worst, at))
        if worst > out["max"]:
            out["max"], out["max_key"], out["max_at"] = worst, key, at
    return out


def spanning_gaps(series: dict, keys, marks: list[int]) -> list[int]:
    """For each SIGHUP time, the longest gap (over keys) between the advert before it and
    the advert after it."""
    out = [0] * len(marks)
    for key in keys:
        ts = series.get(key, [])
        for j, t in enumerate(marks):
            i = bisect.bisect_left(ts, t)
            if 0 < i < len(ts):
                out[j] = max(out[j], ts[i] - ts[i - 1])
    return out


def loadavg() -> str:
    try:
        return Path("/proc/loadavg").read_text().split()[0]
    except OSError:
        return "?"


def key_str(key) -> str:
    return f"eth{key[0]}/vrid {key[1]}" if key else "n/a"


def rel_to(ts, marks: list[int]) -> str:
    """'+0.123 s after SIGHUP k' for the last SIGHUP before ts."""
    if ts is None:
        return ""
    before = [(i, t) for i, t in enumerate(marks) if t <= ts]
    if not before:
        return f"{(ts - marks[0]) / 1e6:+.3f} s from SIGHUP 1"
    i, t = before[-1]
    return f"{(ts - t) / 1e6:+.3f} s after SIGHUP {i + 1}"


def gap_str(key, start: int, width: int, marks: list[int]) -> str:
    """'eth1/vrid 7 1.0123 s from +0.900 s after SIGHUP 3, across SIGHUP 4' (or 'between
    SIGHUPs': a gap no SIGHUP fell into)."""
    if start is None:
        return "n/a (no adverts)"
    across = [str(i + 1) for i, t in enumerate(marks) if start < t <= start + width]
    where = (f"across SIGHUP {', '.join(across[:3])}{' ...' if len(across) > 3 else ''}"
             if across else "between SIGHUPs")
    return f"{key_str(key)} {_s(width)} from {rel_to(start, marks)}, {where}"


def log_since(node: wire.Node, offset: int) -> str:
    try:
        return node.runs[-1]["log"].read_bytes()[offset:].decode(errors="replace")
    except OSError:
        return ""


def log_size(node: wire.Node) -> int:
    try:
        return node.runs[-1]["log"].stat().st_size
    except OSError:
        return 0


def holds_any(node: wire.Node, ip: str) -> bool:
    """The address is on any interface of the node (Node.holds looks at eth0 only)."""
    out = node.ns.ip("-o", "addr", "show").stdout.decode(errors="replace")
    return f" {ip}/" in out


def in_node(node: wire.Node, argv: list[str], timeout: float = 10) -> subprocess.CompletedProcess:
    """Run argv in the node's network, PID and mount namespaces (its private /tmp)."""
    init = node._init_pid()
    assert init is not None, f"{node.name}: not running"
    return subprocess.run(["nsenter", "-t", str(init), "-n", "-p", "-m", "--", *argv],
                          capture_output=True, timeout=timeout)


def sleep_until(t_us: int) -> None:
    d = t_us - now_us()
    if d > 0:
        time.sleep(d / 1e6)


def sighups(node: wire.Node, count: int, interval: float) -> list[int]:
    """count SIGHUPs to the daemon's main process, interval s apart; their times (µs)."""
    pid = node.daemon_pid()
    assert pid is not None, f"{node.name} not running\n{node.log_tail()}"
    t0 = time.monotonic()
    out = []
    for i in range(count):
        d = t0 + i * interval - time.monotonic()
        if d > 0:
            time.sleep(d)
        out.append(now_us())
        os.kill(pid, signal.SIGHUP)
    return out


# ============================================================================ 1000 instances
def big_config(n: int, priority: int, change: bool = False) -> str:
    """daemon_resources.config(); change=True: B349 removed, B650 renamed RENAMED650,
    ADDED (eth0, VRID 251, priority 255) appended."""
    text = dr.config(n, priority, False)
    if not change:
        return text
    block = re.compile(r"vrrp_instance B%d \{\n.*?\n\}\n" % BIG_REMOVED, re.S)
    text, k = block.subn("", text)
    assert k == 1, "B349 block not found"
    assert text.count(f"vrrp_instance B{BIG_RENAMED} {{") == 1
    text = text.replace(f"vrrp_instance B{BIG_RENAMED} {{", f"vrrp_instance RENAMED{BIG_RENAMED} {{")
    return text + ("vrrp_instance ADDED {\n    interface eth0\n    virtual_router_id 251\n"
                   "    priority 255\n    advert_int 1\n    virtual_ipaddress {\n"
                   f"        {ADDED_VIP}/32\n    }}\n}}\n")


def big_key(i: int) -> tuple[int, int]:
    k, vrid = divmod(i, 250)
    return (k, vrid + 1)


def big_vip(i: int) -> str:
    k, vrid = divmod(i, 250)
    return f"10.99.{200 + k}.{vrid + 1}"


class Big:
    """The 1000-instance pair, settled: h1 master of everything, h2 backup, captures on
    br0..br3, address monitors on both hosts."""

    def __init__(self, impl: str, n: int = N_BIG, args: tuple = ("-n", "-l")):
        self.impl, self.n = impl, n
        self.dirty = False
        self.lab = Lab(hosts=2, number=dr.LAB_NUMBER, tag="reload")
        try:
            dr.add_segments(self.lab)
            self.h1, self.h2 = self.lab.nodes
            self.wire = Wire(self.lab)
            self.wire.start(dr.IFACES)
            self.mon = {1: AddrMonitor(self.h1), 2: AddrMonitor(self.h2)}
            self.t_start = now_us()
            self.h1.start(impl, big_config(n, 150), args=args, alive_check=0.5)
            self.t_up = dr.wait_vips(self.h1, n, 120)
            self.h2.start(impl, big_config(n, 100), args=args, alive_check=0.5)
            # h2 must have seen h1's adverts for its whole master-down interval
            time.sleep(wire.master_down_us(2, 100, ADV_US) / 1e6 + 1.0)
            if not self.healthy():
                raise AssertionError(f"{impl}: the 1000-instance pair did not settle: h1 holds "
                                     f"{dr.vip_count(self.h1)}, h2 {dr.vip_count(self.h2)} VIPs\n"
                                     f"{self.tails()}")
            self.t_settled = now_us()
        except BaseException:
            self.close()
            raise

    def keys(self) -> list:
        return [big_key(i) for i in range(self.n)]

    def healthy(self) -> bool:
        return (not self.dirty and self.h1.running() and self.h2.running()
                and dr.vip_count(self.h1) == self.n and dr.vip_count(self.h2) == 0)

    def tails(self) -> str:
        return self.h1.log_tail(20) + "\n" + self.h2.log_tail(10)

    def close(self) -> None:
        for m in getattr(self, "mon", {}).values():
            try:
                m.stop()
            except Exception:
                pass
        if getattr(self, "wire", None):
            self.wire.stop()
        for node in self.lab.nodes:
            if node.running():
                try:
                    if node.stop(timeout=20) is None:
                        node.kill9()
                except Exception:
                    node.kill9()
        self.lab.close()


_big: Big | None = None


def get_big(impl: str) -> Big:
    global _big
    if _big is not None and (_big.impl != impl or not _big.healthy()):
        drop_big()
    if _big is None:
        _big = Big(impl)
    return _big


def drop_big() -> None:
    global _big
    if _big is not None:
        b, _big = _big, None
        b.close()


def check_steady(c: Check, B: Big, t_case: int, lo: int, hi: int, marks: list[int],
                 allowed_del: set = frozenset(), skip_keys: set = frozenset(),
                 h2_allowed: set = frozenset()) -> None:
    """The unchanged-reload checks over [lo, hi): no deleted VIP on h1 (except allowed_del),
    gaps <= adv + 10 ms for every key but skip_keys, h2 silent and VIP-less (except the
    keys / VIPs in h2_allowed)."""
    W = B.wire
    # gaps: adverts since the pair settled, so that gaps spanning lo are seen whole
    series = W.series(1, B.t_settled - ADV_US - 200_000, hi)
    keys = [k for k in B.keys() if k not in skip_keys]
    g = gap_report(series, lo, hi, keys)
    # steady-state reference: the longest gap within this case before its first SIGHUP
    pre = 0
    for k in keys:
        ts = series.get(k, [])
        for a, b in zip(ts, ts[1:]):
            if a >= t_case and b < lo:
                pre = max(pre, b - a)
    c.measure(f"longest h1 advert gap {gap_str(g['max_key'], g['max_at'], g['max'], marks)}"
              f"; before the first SIGHUP {_s(pre)}; "
              f"gaps > {_s(ADV_US + GAP_TOL_US)}: {len(g['over'])} VRIDs")
    if len(marks) <= 10:
        firsts = []
        for t in marks:
            worst = 0
            for k in keys:
                ts = series.get(k, [])
                i = bisect.bisect_left(ts, t)
                worst = max(worst, ts[i] - t if i < len(ts) else hi - t)
            firsts.append(worst)
        c.measure("all VRIDs advertised again (an advert sent at once?) "
                  + ", ".join(f"{x / 1000:.1f}" for x in firsts) + " ms after each SIGHUP")
    across = spanning_gaps(series, keys, marks)
    if len(across) <= 10:
        c.measure("longest gap across each SIGHUP, over advert_int: "
                  + ", ".join(f"{(x - ADV_US) / 1000:+.1f}" for x in across) + " ms")
    else:
        c.measure(f"longest gap across a SIGHUP: {(max(across) - ADV_US) / 1000:+.1f} ms over "
                  f"advert_int (median over the {len(across)} SIGHUPs "
                  f"{(sorted(across)[len(across) // 2] - ADV_US) / 1000:+.1f} ms)")
    c.expect("gap", not g["over"],
             f"{len(g['over'])} VRID(s) with an advert gap > advert_int + 10 ms, worst: "
             + "; ".join(gap_str(k, t, w, marks)
                         for k, w, t in sorted(g["over"], key=lambda x: -x[1])[:5]))
    c.expect("adverts", not g["missing"] and not g["no_start"],
             f"VRIDs without h1 adverts in the window: {[key_str(k) for k in g['missing'][:8]]}"
             f" ({len(g['missing'])}), without one before it: {len(g['no_start'])}")
    dels = [e for e in B.mon[1].between(lo, hi, "del") if e[2] not in allowed_del]
    c.measure(f"VIPs deleted on h1: {len(dels)}")
    c.expect("vip_deleted", not dels,
             f"{len(dels)} VIP deletion(s) on h1, first: "
             + "; ".join(f"{e[2]} {rel_to(e[0], marks)}" for e in dels[:5]))
    h2adv = [a for a in W.of(2, lo, hi) if a[4] > 0 and (a[1], a[3]) not in h2_allowed]
    h2add = [e for e in B.mon[2].between(lo, hi, "add") if e[2] not in h2_allowed]
    c.measure(f"h2 adverts (prio > 0): {len(h2adv)}, VIPs added on h2: {len(h2add)}")
    c.expect("backup_takeover", not h2adv and not h2add,
             f"h2 sent {len(h2adv)} advert(s) with priority > 0 for "
             f"{len({(a[1], a[3]) for a in h2adv})} VRID(s) (first: "
             f"{', '.join(f'{key_str((a[1], a[3]))} prio {a[4]} {rel_to(a[0], marks)}' for a in h2adv[:3])})"
             f" and got {len(h2add)} VIP(s)")
    alive = B.h1.running() and B.h2.running()
    c.expect("alive", alive, f"daemon exited: h1 running {B.h1.running()}, h2 {B.h2.running()}")


def run_unchanged(impl: str, case: str, count: int, interval: float, after: float) -> None:
    B = get_big(impl)
    c = Check(case, impl)
    try:
        log_off = log_size(B.h1)
        t_case = now_us()
        time.sleep(2.5)                        # settled adverts (>= 2 per VRID) before the SIGHUPs
        marks = sighups(B.h1, count, interval)
        sleep_until(marks[-1] + int(after * 1e6))
        hi = now_us()
        B.wire.sync()
        c.measure(f"{count} SIGHUPs over {(marks[-1] - marks[0]) / 1e6:.3f} s")
        check_steady(c, B, t_case, marks[0], hi, marks)
        reloads = len(re.findall(r"^.*Reloading \.\.\.$", log_since(B.h1, log_off), re.M))
        c.measure(f"'Reloading ...' lines in h1's log: {reloads}")
        c.measure(f"h1 VIPs at the end: {dr.vip_count(B.h1)}/{B.n}")
        if c.problems or c.notes:
            B.dirty = not B.healthy()
    except BaseException:
        drop_big()
        raise
    c.finish(B.tails() if c.problems else "")


def case_unchanged(impl: str) -> None:
    run_unchanged(impl, "unchanged", 5, 2.2, 3.0)


def case_storm(impl: str) -> None:
    run_unchanged(impl, "storm", 100, 0.01, 4.0)


def case_addremove(impl: str) -> None:
    B = get_big(impl)
    c = Check("addremove", impl)
    try:
        W = B.wire
        rem_key, rem_vip = big_key(BIG_REMOVED), big_vip(BIG_REMOVED)
        ren_key, ren_vip = big_key(BIG_RENAMED), big_vip(BIG_RENAMED)
        conf = B.h1.runs[-1]["conf"]
        conf.write_text(big_config(B.n, 150, change=True))
        B.dirty = True                         # h1 runs another config from now on
        t_case = now_us()
        time.sleep(2.5)
        marks = sighups(B.h1, 1, 0)
        th = marks[0]
        sleep_until(th + 3_500_000)            # removal + h2's skew + a few adverts
        hi = now_us()
        W.sync()
        limit = th + ADV_US + TOL_US
        # removed instance: priority 0, then silence, VIP gone
        p0 = [a for a in W.of(1, th, hi, rem_key) if a[4] == 0]
        t_p0 = p0[0][0] if p0 else None
        c.measure(f"removed B{BIG_REMOVED} ({key_str(rem_key)}): priority-0 advert "
                  f"{_ms(t_p0 - th) if p0 else 'none'} after SIGHUP")
        c.expect("removed_prio0", p0 and t_p0 <= limit,
                 f"no priority-0 advert of the removed instance {key_str(rem_key)} within "
                 f"{_ms(ADV_US + TOL_US)} of the SIGHUP (h1 adverts for it after the SIGHUP: "
                 f"{[(round((a[0] - th) / 1e3, 1), a[4]) for a in W.of(1, th, hi, rem_key)][:6]}"
                 " [ms, prio])")
        if p0:
            later = [a for a in W.of(1, t_p0 + 1, hi, rem_key) if a[4] > 0]
            c.expect("removed_silent", not later,
                     f"h1 still advertises the removed instance after its priority 0: "
                     f"{len(later)} advert(s)")
        d = [e for e in B.mon[1].between(th, hi, "del") if e[2] == rem_vip]
        c.measure(f"its VIP deleted {_ms(d[0][0] - th) if d else 'never'} after SIGHUP")
        c.expect("removed_vip", d and d[0][0] <= limit,
                 f"the removed instance's VIP {rem_vip} not deleted on h1 within "
                 f"{_ms(ADV_US + TOL_US)} ({'deleted ' + _ms(d[0][0] - th) if d else 'never'})"
                 f"; h1 holds it now: {holds_any(B.h1, rem_vip)}")
        # h2 takes the removed VRID over after its skew
        if p0:
            h2 = [a for a in W.of(2, t_p0, hi, rem_key) if a[4] > 0]
            ideal = skew_us(2, 100, ADV_US)
            took = h2[0][0] - t_p0 if h2 else None
            c.measure(f"h2 takes {key_str(rem_key)} over {_ms(took)} after the priority 0 "
                      f"(ideal {_ms(ideal)})")
            c.expect("h2_takeover", took is not None and abs(took - ideal) <= TOL_US,
                     f"h2's first advert for {key_str(rem_key)} {_ms(took)} after h1's priority 0"
                     f", expected {_ms(ideal)} +- {_ms(TOL_US)}")
            c.expect("h2_vip", holds_any(B.h2, rem_vip), f"h2 does not hold {rem_vip}")
        # added instance: advert (255), VIP, GARP
        adds = [a for a in W.of(1, th, hi, ADDED_KEY) if a[4] > 0]
        t_add = adds[0][0] if adds else None
        c.measure(f"ADDED ({key_str(ADDED_KEY)}): first advert {_ms(t_add - th) if adds else 'none'}"
                  " after SIGHUP")
        c.expect("added_advert", adds and t_add <= limit and adds[0][4] == 255,
                 f"no advert of the added instance within {_ms(ADV_US + TOL_US)} of the SIGHUP"
                 f" (first: {(round((t_add - th) / 1e3, 1), adds[0][4]) if adds else None})")
        va = [e for e in B.mon[1].between(th, hi, "add") if e[2] == ADDED_VIP]
        c.measure(f"its VIP added {_ms(va[0][0] - th) if va else 'never'} after SIGHUP")
        c.expect("added_vip", va and va[0][0] <= limit,
                 f"the added VIP {ADDED_VIP} not on h1 within {_ms(ADV_US + TOL_US)} "
                 f"({'added ' + _ms(va[0][0] - th) if va else 'never'})")
        garps = [a for ts, seg, a in W.arps if ts >= th and seg == 0 and a.gratuitous
                 and a.sender_ip == ADDED_VIP and a.src_mac == B.h1.mac]
        c.measure(f"GARPs for it: {len(garps)}, first {_ms(garps[0].ts - th) if garps else 'n/a'}"
                  " after SIGHUP")
        c.expect("added_garp", garps and garps[0].ts <= limit + 100_000,
                 f"no gratuitous ARP for {ADDED_VIP} from h1 after the reload")
        if adds:
            gr = gap_report({ADDED_KEY: [a[0] for a in adds]}, t_add + 1, hi, [ADDED_KEY])
            c.expect("added_gap", not gr["over"],
                     f"the added instance's adverts have a gap of {_s(gr['max'])}")
        # renamed instance keeps its state; every other VRID as in the unchanged case
        ren_del = [e for e in B.mon[1].between(th, hi, "del") if e[2] == ren_vip]
        c.expect("renamed_vip", not ren_del,
                 f"the renamed instance's VIP {ren_vip} was deleted on h1")
        check_steady(c, B, t_case, th, hi, marks, allowed_del={rem_vip}, skip_keys={rem_key},
                     h2_allowed={rem_key, rem_vip})
        ren = gap_report(W.series(1, B.t_settled, hi), th, hi, [ren_key])
        c.measure(f"renamed {key_str(ren_key)}: longest gap {_s(ren['max'])}")
    finally:
        tails = B.tails()
        drop_big()
    c.finish(tails if c.problems else "")


# ============================================================================ small cases
class Small:
    """Two hosts on eth0, capture on br0, address monitors."""

    def __init__(self, number: int):
        self.lab = Lab(hosts=2, number=number, tag="reload")
        try:
            self.h1, self.h2 = self.lab.nodes
            self.wire = Wire(self.lab)
            self.wire.start(1)
            self.mon = {1: AddrMonitor(self.h1), 2: AddrMonitor(self.h2)}
        except BaseException:
            self.close()
            raise

    def vip(self, last: int) -> str:
        return f"10.99.{self.lab.number}.{last}"

    def start_pair(self, impl: str, conf1: str, conf2: str, vips: list[str]) -> int:
        """h1 first until it holds vips, then h2; returns the settled time."""
        self.h1.start(impl, conf1)
        t0 = time.monotonic()
        while not all(self.h1.holds(v) for v in vips):
            if time.monotonic() - t0 > 15 or not self.h1.running():
                raise AssertionError(f"h1 ({impl}) never held {vips}\n{self.h1.log_tail(25)}")
            time.sleep(0.1)
        self.h2.start(impl, conf2)
        time.sleep(wire.master_down_us(2, 100, ADV_US) / 1e6 + 0.5)
        held = [v for v in vips if self.h2.holds(v)]
        assert not held, f"h2 ({impl}) took {held} at start\n{self.h2.log_tail(25)}"
        return now_us()

    def tails(self) -> str:
        return self.h1.log_tail(30) + "\n" + self.h2.log_tail(12)

    def close(self) -> None:
        for m in getattr(self, "mon", {}).values():
            try:
                m.stop()
            except Exception:
                pass
        if getattr(self, "wire", None):
            self.wire.stop()
        for node in self.lab.nodes:
            if node.running():
                try:
                    if node.stop(timeout=10) is None:
                        node.kill9()
                except Exception:
                    node.kill9()
        self.lab.close()


def small_conf(instances: list[dict]) -> str:
    """global_defs (garp_master_delay 0: one burst, as in the evidence) + instances:
    dicts with name, vrid, prio, vips, and optionally notify / extra lines."""
    out = ["global_defs {", "    router_id reload_test", "    vrrp_garp_master_delay 0", "}"]
    for i in instances:
        out += [f"vrrp_instance {i['name']} {{", "    interface eth0",
                f"    virtual_router_id {i['vrid']}",
                f"    priority {i['prio']}" if i.get("prio") is not None else "    priority",
                "    advert_int 1", "    virtual_ipaddress {"]
        out += [f"        {v}" for v in i["vips"]]
        out.append("    }")
        if i.get("notify"):
            out.append(f"    notify {i['notify']}")
        out.append("}")
    return "\n".join(out) + "\n"


def steady_small(c: Check, S: Small, key: tuple, lo: int, hi: int, marks: list[int],
                 keep_vips: list[str]) -> None:
    """h1's adverts for key keep <= adv + 10 ms gaps over [lo, hi); keep_vips never deleted
    on h1; h2 silent and VIP-less."""
    series = S.wire.series(1, lo - 2 * ADV_US, hi)
    g = gap_report(series, lo, hi, [key])
    c.measure(f"longest h1 advert gap ({key_str(key)}) {_s(g['max'])}")
    c.expect("gap", not g["over"] and not g["missing"],
             f"h1's adverts: longest gap {gap_str(key, g['max_at'], g['max'], marks)} "
             f"(allowed {_s(ADV_US + GAP_TOL_US)})"
             + (" - none at all" if g["missing"] else ""))
    dels = [e for e in S.mon[1].between(lo, hi, "del", prefix="10.99.") if e[2] in keep_vips]
    c.expect("vip_deleted", not dels, "kept VIP(s) deleted on h1: "
             + "; ".join(f"{e[2]} {rel_to(e[0], marks)}" for e in dels))
    h2adv = [a for a in S.wire.of(2, lo, hi) if a[4] > 0 and (a[1], a[3]) == key]
    h2add = [e for e in S.mon[2].between(lo, hi, "add", prefix="10.99.") if e[2] in keep_vips]
    c.expect("backup_takeover", not h2adv and not h2add,
             f"h2 sent {len(h2adv)} advert(s) for {key_str(key)} and got VIPs "
             f"{[e[2] for e in h2add]}")


def case_vipdiff(impl: str) -> None:
    drop_big()
    S = Small(41)
    c = Check("vipdiff", impl)
    try:
        A, B_, C = S.vip(51), S.vip(52), S.vip(53)
        old = lambda p: small_conf([{"name": "VI_1", "vrid": 51, "prio": p, "vips": [A, B_]}])  # noqa: E731
        new = lambda p: small_conf([{"name": "VI_1", "vrid": 51, "prio": p, "vips": [A, C]}])  # noqa: E731
        S.start_pair(impl, old(150), old(100), [A, B_])
        off = log_size(S.h1)
        time.sleep(1.2)
        S.h2.runs[-1]["conf"].write_text(new(100))
        S.h1.runs[-1]["conf"].write_text(new(150))
        sighups(S.h2, 1, 0)
        marks = sighups(S.h1, 1, 0)
        th = marks[0]
        sleep_until(th + 3_000_000)
        hi = now_us()
        S.wire.sync()
        limit = th + ADV_US + TOL_US
        d = [e for e in S.mon[1].between(th, hi, "del", prefix="10.99.") if e[2] == B_]
        c.measure(f"{B_} deleted {_ms(d[0][0] - th) if d else 'never'} after SIGHUP")
        c.expect("dropped_vip", d and d[0][0] <= limit and not S.h1.holds(B_),
                 f"dropped VIP {B_}: deletion {_ms(d[0][0] - th) if d else 'never seen'}; "
                 f"h1 holds it now: {S.h1.holds(B_)}")
        a = [e for e in S.mon[1].between(th, hi, "add", prefix="10.99.") if e[2] == C]
        c.measure(f"{C} added {_ms(a[0][0] - th) if a else 'never'} after SIGHUP")
        c.expect("added_vip", a and a[0][0] <= limit and S.h1.holds(C),
                 f"added VIP {C}: {'added ' + _ms(a[0][0] - th) if a else 'never added'}; "
                 f"h1 holds it now: {S.h1.holds(C)}")
        garps = [x for ts, seg, x in S.wire.arps if ts >= th and x.gratuitous
                 and x.sender_ip == C and x.src_mac == S.h1.mac]
        c.measure(f"GARPs for {C}: {len(garps)}"
                  + (f", first {_ms(garps[0].ts - th)} after SIGHUP" if garps else ""))
        c.expect("garp", garps and garps[0].ts <= limit + 100_000,
                 f"no gratuitous ARP for the added VIP {C} from h1 after the reload")
        advs = [x for x in S.wire.of(1, th, hi, (0, 51)) if x[4] > 0]
        newl = [x for x in advs if set(x[5]) == {A, C}]
        c.measure(f"first advert with {{{A}, {C}}} "
                  f"{_ms(newl[0][0] - th) if newl else 'never'} after SIGHUP")
        c.expect("advert_vips", newl and newl[0][0] <= limit,
                 f"h1's adverts after the SIGHUP carry {sorted({x[5] for x in advs})}, "
                 f"expected ({A}, {C}) within {_ms(ADV_US + TOL_US)}")
        if newl:
            stale = [x for x in advs if x[0] > newl[0][0] and B_ in x[5]]
            c.expect("advert_vips_stale", not stale, f"{len(stale)} later advert(s) still carry {B_}")
        steady_small(c, S, (0, 51), th, hi, marks, [A])
        line = f"(VI_1) ip address {B_}/32 dev eth0, no longer exist"
        c.expect("log", line in log_since(S.h1, off), f"h1's log lacks {line!r}")
    finally:
        tails = S.tails()
        S.close()
    c.finish(tails if c.problems else "")


def case_broken(impl: str) -> None:
    drop_big()
    S = Small(42)
    c = Check("broken", impl)
    try:
        A = S.vip(51)
        conf = lambda p: small_conf([{"name": "VI_1", "vrid": 51, "prio": p, "vips": [A]}])  # noqa: E731
        S.start_pair(impl, conf(150), conf(100), [A])
        off = log_size(S.h1)
        time.sleep(1.2)
        S.h1.runs[-1]["conf"].write_text(conf(None))     # "priority" without its value
        marks = sighups(S.h1, 1, 0)
        th = marks[0]
        sleep_until(th + 4_000_000)
        hi = now_us()
        S.wire.sync()
        alive = S.h1.running()
        c.measure(f"h1 daemon after the reload: "
                  f"{'running' if alive else f'exited with status {S.h1.proc.returncode}'}"
                  f", holds {A}: {S.h1.holds(A)}, h2 holds it: {S.h2.holds(A)}")
        c.expect("alive", alive, "h1's daemon exited after reloading a broken config")
        steady_small(c, S, (0, 51), th, hi, marks, [A])
        text = log_since(S.h1, off)
        hit = NOT_APPLIED_RE.search(text)
        c.measure(f"log: {text[hit.start():].splitlines()[0][:120]!r}" if hit
                  else "log: no line matching NOT_APPLIED_RE")
        c.expect("log", hit is not None,
                 f"no log line matching {NOT_APPLIED_RE.pattern!r} after the SIGHUP; h1's log "
                 f"since:\n{wire.indent(text[-1500:], '      ')}")
    finally:
        tails = S.tails()
        S.close()
    c.finish(tails if c.problems else "")


NOTIFY_SCRIPT = '#!/bin/sh\necho "$@" >> /tmp/notify-args.log\n'


def case_notify(impl: str) -> None:
    drop_big()
    S = Small(43)
    c = Check("notify", impl)
    try:
        K, D = S.vip(61), S.vip(63)
        script = S.lab.work / "notify.sh"
        script.write_text(NOTIFY_SCRIPT)
        script.chmod(0o755)
        keep = lambda p: {"name": "KEEP", "vrid": 61, "prio": p, "vips": [K]}  # noqa: E731
        drop = lambda p: {"name": "DROPME", "vrid": 62, "prio": p, "vips": [D],  # noqa: E731
                          "notify": str(script)}
        S.start_pair(impl, small_conf([keep(200), drop(200)]), small_conf([keep(100), drop(100)]),
                     [K, D])
        before = in_node(S.h1, ["cat", "/tmp/notify-args.log"]).stdout.decode(errors="replace")
        time.sleep(1.2)
        S.h1.runs[-1]["conf"].write_text(small_conf([keep(200)]))
        marks = sighups(S.h1, 1, 0)
        th = marks[0]
        sleep_until(th + 3_000_000)
        hi = now_us()
        S.wire.sync()
        limit = th + ADV_US + TOL_US
        p0 = [a for a in S.wire.of(1, th, hi, (0, 62)) if a[4] == 0]
        c.measure(f"DROPME priority 0 {_ms(p0[0][0] - th) if p0 else 'never'} after SIGHUP")
        c.expect("removed_prio0", p0 and p0[0][0] <= limit,
                 f"no priority-0 advert for the removed DROPME within {_ms(ADV_US + TOL_US)}")
        d = [e for e in S.mon[1].between(th, hi, "del", prefix="10.99.") if e[2] == D]
        c.measure(f"{D} deleted {_ms(d[0][0] - th) if d else 'never'} after SIGHUP")
        c.expect("removed_vip", d and d[0][0] <= limit and not S.h1.holds(D),
                 f"DROPME's VIP {D}: deletion {_ms(d[0][0] - th) if d else 'never seen'}, "
                 f"h1 holds it now: {S.h1.holds(D)}")
        if p0:
            h2 = [a for a in S.wire.of(2, p0[0][0], hi, (0, 62)) if a[4] > 0]
            took = h2[0][0] - p0[0][0] if h2 else None
            ideal = skew_us(2, 100, ADV_US)
            c.measure(f"h2 takes VRID 62 over {_ms(took)} after the priority 0")
            c.expect("h2_takeover", took is not None and abs(took - ideal) <= TOL_US
                     and S.h2.holds(D),
                     f"h2's first advert for VRID 62 {_ms(took)} after h1's priority 0 (expected "
                     f"{_ms(ideal)} +- {_ms(TOL_US)}); h2 holds {D}: {S.h2.holds(D)}")
        after = in_node(S.h1, ["cat", "/tmp/notify-args.log"]).stdout.decode(errors="replace")
        new = after[len(before):].splitlines() if after.startswith(before) else after.splitlines()
        c.measure(f"notify lines before: {before.splitlines()}, after the reload: {new}")
        c.expect("notify", new[-1:] == ["INSTANCE DROPME FAULT 200"],
                 f"the removed instance's notify script got {new} after the reload, expected "
                 "the last line 'INSTANCE DROPME FAULT 200'")
        steady_small(c, S, (0, 61), th, hi, marks, [K])
    finally:
        tails = S.tails()
        S.close()
    c.finish(tails if c.problems else "")


# ============================================================================ cases
def _locked(fn, impl):
    def run():
        with _LOCK:
            fn(impl)
    return run


def cases():
    for impl in impls():
        for key, fn in (("unchanged", case_unchanged), ("storm", case_storm),
                        ("addremove", case_addremove), ("vipdiff", case_vipdiff),
                        ("broken", case_broken), ("notify", case_notify)):
            yield f"test_reload:{key}:{impl}", _locked(fn, impl)

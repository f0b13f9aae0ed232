#!/usr/bin/env python3
"""Wire lab for keepalived-rs compat tests: a bridged LAN of namespaces, VRRP daemons in
them, a tcpdump observer, and a pcap reader with VRRP / ARP / IPv6 NA decoders (stdlib only).

Topology (everything in namespaces created here, never the root namespace)::

    bridge ns  [ br0 ]--p1--veth--eth0 [ host ns h1: 10.99.L.1/24, fd00:99::1/64 ]
               (tcpdump -i br0)--p2--veth--eth0 [ host ns h2: 10.99.L.2/24, fd00:99::2/64 ]
                                 ...

* ``L`` is the lab number (1..250). Host n has MAC 02:99:00:LL:00:NN (hex), so two labs
  with the same number (e.g. the reference run and ours) use the very same addresses,
  MACs and IPv6 link-locals, and their frames can be compared field for field.
* IPv6 DAD is off in the host namespaces (global address added ``nodad``), router
  solicitations are off, and ``Lab`` waits until eth0 has carrier, its link-local is
  no longer tentative and the bridge ports forward, before anything starts.
* The bridge namespace has IPv6 disabled, so the capture only holds what hosts send
  (plus our own start/stop marker frames, ethertype 0x88b5, which the decoders skip).

Nodes: ``Node.start(impl, config_text)`` runs ``keepalived -n -l -D -f CONF`` (impl
"keepalived" = /usr/sbin/keepalived or $KEEPALIVED_REF; "ours" = $KEEPALIVED_RS_BIN, default
target/release/keepalived of this repo) inside::

    ip netns exec HOSTNS unshare --pid --fork --kill-child=SIGKILL --mount-proc --uts \\
        sh -c 'mount tmpfs on /run and /tmp; hostname hN; DAEMON ARGS; echo exit status'

i.e. each daemon is in its own PID namespace (``killall keepalived`` in it reaches only
that node), its own mount namespace with private /run (pid files) and /tmp (dumps) and
/dev/console bound to /dev/null (no syslog socket here: glibc's LOG_CONS fallback would
write every log line to the machine's console, ~1 ms each), and its own UTS namespace. Both
implementations run with niceness KRS_WIRE_NICE (default -10) so that a busy shared machine
adds less scheduling jitter to the timings. Configs and logs live in the lab's work
directory /var/tmp/kt-<pid>-<n>/ (removed at the end unless KRS_WIRE_KEEP=1).

Node control: ``stop(sig)`` signals the daemon's main process (SIGTERM = clean shutdown)
and waits for it; ``kill9()`` SIGKILLs the PID namespace's init, so every daemon process
dies at once (a crash: no priority-0 advert); ``pause()``/``resume()`` SIGSTOP/SIGCONT
all of them; ``addresses()`` reads ``ip -j addr show dev eth0``; ``log_text()``.

Safety: everything this module starts is registered with lab.register_cleanup, so the
runner's atexit / SIGINT / SIGTERM handlers kill it (by pid / PID namespace) and delete the
namespaces and the work directory. Signals are only ever sent to pids we started or to
members of PID namespaces we created.

Run as a script, ``wire.py send IFACE [--interval S] HEXFRAME...`` sends raw Ethernet
frames on IFACE (used through ``ip netns exec`` for the capture markers and for injecting
forged adverts from a third host).
"""

from __future__ import annotations

import itertools
import json
import os
import shutil
import signal
import socket
import struct
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

sys.dont_write_bytecode = True
HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
import lab  # noqa: E402
from lab import LabError, Netns  # noqa: E402

REFERENCE_BIN = os.environ.get("KEEPALIVED_REF", "/usr/sbin/keepalived")
WORK_ROOT = Path(os.environ.get("KRS_WIRE_WORKDIR", "/var/tmp"))
KEEP = os.environ.get("KRS_WIRE_KEEP", "") not in ("", "0")
#: Niceness of the daemons (both implementations alike): the machine is shared and busy
#: compilers would otherwise add several ms of scheduling jitter to the timings measured.
NICE = int(os.environ.get("KRS_WIRE_NICE", "-10"))
MARKER_ETHERTYPE = 0x88B5
NS_PREFIX = "ktw"

_counter = itertools.count(1)
_lab_numbers = itertools.count(0)


def ours_bin() -> str:
    """Binary under test: $KEEPALIVED_RS_BIN (relative paths: relative to the repo root)."""
    p = Path(os.environ.get("KEEPALIVED_RS_BIN", "target/release/keepalived"))
    return str(p if p.is_absolute() else REPO / p)


def impl_bin(impl: str) -> str:
    if impl == "keepalived":
        return REFERENCE_BIN
    if impl == "ours":
        return ours_bin()
    raise ValueError(f"unknown implementation {impl!r}")


def now_us() -> int:
    """Wall clock in µs: the same clock (CLOCK_REALTIME) as the pcap timestamps."""
    return time.time_ns() // 1000


# ============================================================================ processes
def _ppid_map() -> dict[int, int]:
    out = {}
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open(f"/proc/{d}/stat", "rb") as f:
                st = f.read()
            out[int(d)] = int(st[st.rindex(b")") + 2:].split()[1])
        except (OSError, ValueError, IndexError):
            pass
    return out


def _children(pid: int) -> list[int]:
    return [p for p, pp in _ppid_map().items() if pp == pid]


def _pidns(pid: int) -> str | None:
    try:
        return os.readlink(f"/proc/{pid}/ns/pid")
    except OSError:
        return None


def _comm(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/comm").read_text().strip()
    except OSError:
        return "?"


# ============================================================================ lab
class NodeError(AssertionError):
    """A daemon could not be started or died (message carries its log)."""


class Node:
    """One simulated host: namespace with eth0 on the lab bridge, and the daemon run on it."""

    def __init__(self, lab_: "Lab", n: int, ns: Netns):
        self.lab = lab_
        self.n = n
        self.ns = ns
        self.name = f"h{n}"
        self.ip4 = f"10.99.{lab_.number}.{n}"
        self.ip6 = f"fd00:99::{n:x}"
        self.mac = f"02:99:00:{lab_.number:02x}:00:{n:02x}"
        self.link_local: str | None = None
        self.proc: subprocess.Popen | None = None
        self.impl: str | None = None
        self.runs: list[dict] = []   # one per start(): impl, conf, log, t_start, rc

    # ---- daemon life cycle --------------------------------------------------------------
    def start(self, impl: str, config_text: str, args: tuple[str, ...] = ("-n", "-l", "-D"),
              alive_check: float = 0.3, syslog: "Path | None" = None,
              keep_init: bool = False, env: dict | None = None) -> None:
        """Write the config and start the daemon in the foreground in fresh PID/mount/UTS
        namespaces. Raises NodeError if it exits within alive_check seconds.

        syslog: a unix datagram socket (see SyslogSink) that the node sees as /dev/log: the
        node gets a private /dev (tmpfs with null, zero, random, urandom bound from the real
        one, /dev/console on null, /dev/fd) so nothing is created in the machine's /dev.
        keep_init: the namespace's init stays after the command returns (a daemon that
        forks - no -n - would otherwise be killed with its PID namespace).
        env: extra environment variables for the daemon."""
        if self.running():
            raise LabError(f"{self.name}: daemon already running")
        k = len(self.runs) + 1
        conf = self.lab.work / f"{self.name}-{k}.conf"
        log = self.lab.work / f"{self.name}-{k}.log"
        conf.write_bytes(config_text.encode("utf-8"))
        binary = impl_bin(impl)
        if not os.access(binary, os.X_OK):
            raise NodeError(f"{self.name}: {impl} binary not found or not executable: {binary}")
        # /dev/console -> /dev/null (in this mount namespace only): there is no syslog socket
        # here, and glibc's LOG_CONS fallback (keepalived -l sets it) would otherwise write
        # every log line to the machine's console - slowly, ~1 ms per line.
        if syslog is None:
            dev = ' && mount --bind /dev/null /dev/console'
        else:
            dev = (' && mkdir /run/kt-dev && mount --rbind /dev /run/kt-dev'
                   ' && mount -t tmpfs -o mode=0755 kt-dev /dev'
                   ' && for n in null zero random urandom; do touch /dev/$n'
                   ' && mount --bind /run/kt-dev/$n /dev/$n || exit 1; done'
                   ' && touch /dev/console && mount --bind /dev/null /dev/console'
                   ' && ln -s /proc/self/fd /dev/fd'
                   f' && touch /dev/log && mount --bind {syslog} /dev/log')
        script = ('mount -t tmpfs -o mode=0755 kt-run /run && mount -t tmpfs -o mode=1777 kt-tmp /tmp'
                  + dev +
                  ' && hostname "$0" || { echo "[lab] namespace set-up failed" >&2; exit 97; }; '
                  '"$@"; rc=$?; echo "[lab] daemon exited with status $rc" >&2; '
                  + ('exec sleep 1000000' if keep_init else 'exit $rc'))
        nice = ["nice", "-n", str(NICE)] if NICE else []
        argv = ["unshare", "--pid", "--fork", "--kill-child=SIGKILL", "--mount-proc", "--uts",
                "sh", "-c", script, self.name, *nice, binary, *args, "-f", str(conf)]
        with open(log, "wb") as logf:
            self.proc = self.ns.spawn(argv, hostname=None, stdout=logf, stderr=subprocess.STDOUT,
                                      env={**os.environ, **env} if env else None)
        self.impl = impl
        run = {"impl": impl, "conf": conf, "log": log, "t_start": now_us(), "rc": None, "n": k}
        self.runs.append(run)
        deadline = time.monotonic() + alive_check
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                break
            time.sleep(0.02)
        if self.proc.poll() is not None:
            run["rc"] = self.proc.returncode
            raise NodeError(f"{self.name}: {impl} ({binary}) exited at start with status "
                            f"{self.proc.returncode}:\n{indent(self.log_text(run), '    | ')}")

    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def _init_pid(self) -> int | None:
        """Root-namespace pid of the PID namespace's init (our sh), or None."""
        if not self.running():
            return None
        kids = _children(self.proc.pid)
        return kids[0] if kids else None

    def members(self) -> list[int]:
        """Root-namespace pids of the processes in the node's PID namespace, init excluded."""
        init = self._init_pid()
        if init is None:
            return []
        ns = _pidns(init)
        return [int(d) for d in os.listdir("/proc")
                if d.isdigit() and int(d) != init and _pidns(int(d)) == ns]

    def daemon_pid(self) -> int | None:
        """Pid of the daemon's main process (child of the namespace init)."""
        init = self._init_pid()
        if init is None:
            return None
        for _ in range(50):
            kids = _children(init)
            if kids:
                return kids[0]
            time.sleep(0.01)
        return None

    def send_signal(self, sig: int) -> None:
        """Send sig to the daemon's main process (like `kill -SIG $(cat keepalived.pid)`)."""
        pid = self.daemon_pid()
        if pid is None:
            raise NodeError(f"{self.name}: daemon not running, cannot send signal {sig}"
                            f"\n{indent(self.log_text(), '    | ')}")
        os.kill(pid, sig)

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 10.0) -> int | None:
        """Signal the main process and wait for the daemon to exit; returns its exit status
        (None if it did not exit within timeout; it is then still running)."""
        self.send_signal(sig)
        return self.wait(timeout)

    def wait(self, timeout: float) -> int | None:
        if self.proc is None:
            return None
        try:
            rc = self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            return None
        self._reaped(rc)
        return rc

    def _reaped(self, rc: int) -> None:
        if self.runs and self.runs[-1]["rc"] is None:
            self.runs[-1]["rc"] = rc
        if self.proc in self.ns.children:
            self.ns.children.remove(self.proc)

    def kill9(self) -> None:
        """SIGKILL every daemon process at once (SIGKILL to the PID namespace's init: the
        kernel then kills all its members) — a crash, no priority-0 advert possible."""
        init = self._init_pid()
        if init is not None:
            os.kill(init, signal.SIGKILL)
        if self.proc is not None:
            try:
                self._reaped(self.proc.wait(timeout=10))
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self._reaped(self.proc.wait(timeout=10))

    def pause(self) -> None:
        """SIGSTOP all daemon processes (the namespace's init excluded)."""
        for pid in self.members():
            os.kill(pid, signal.SIGSTOP)

    def resume(self) -> None:
        for pid in self.members():
            os.kill(pid, signal.SIGCONT)

    # ---- state ------------------------------------------------------------------------
    def addresses(self) -> list[str]:
        """'addr/prefix' strings of eth0, from `ip -j addr show dev eth0`."""
        cp = self.ns.ip("-j", "addr", "show", "dev", "eth0")
        data = json.loads(cp.stdout or b"[]")
        return [f"{a['local']}/{a['prefixlen']}" for d in data for a in d.get("addr_info", [])]

    def holds(self, ip: str) -> bool:
        return any(a.split("/")[0] == ip for a in self.addresses())

    def log_text(self, run: dict | None = None) -> str:
        runs = [run] if run else self.runs
        parts = []
        for r in runs:
            try:
                txt = r["log"].read_text(errors="replace")
            except OSError:
                txt = "(no log)"
            parts.append(f"--- {self.name} run {r['n']} ({r['impl']}) log ---\n{txt}")
        return "\n".join(parts)

    def log_tail(self, lines: int = 15) -> str:
        if not self.runs:
            return f"--- {self.name}: never started ---"
        r = self.runs[-1]
        try:
            txt = r["log"].read_text(errors="replace").splitlines()
        except OSError:
            txt = ["(no log)"]
        status = "running" if self.running() else f"exited {r['rc']}"
        return (f"--- {self.name} ({r['impl']}, run {r['n']}, {status}) last {lines} log lines ---\n"
                + "\n".join(txt[-lines:]))

    def send_frames(self, frames: list[bytes], interval: float = 0.0) -> None:
        """Send raw Ethernet frames out of this host's eth0 (from inside its namespace)."""
        send_frames(self.ns, "eth0", frames, interval)

    def teardown(self) -> None:
        if self.running():
            try:
                self.kill9()
            except Exception:
                pass


def send_frames(ns: Netns, ifname: str, frames: list[bytes], interval: float = 0.0) -> None:
    argv = [sys.executable, "-B", str(HERE / "wire.py"), "send", ifname,
            "--interval", str(interval), *[f.hex() for f in frames]]
    res = ns.run(argv, timeout=30 + interval * len(frames), hostname=None)
    if res.rc != 0:
        raise LabError(f"sending frames in {ns.name} failed: {res.stderr.decode(errors='replace')}")


class SyslogSink:
    """A unix datagram socket standing in for /dev/log (``Node.start(syslog=sink.path)``):
    collects the RFC 3164 messages a daemon sends, parsed into (facility, severity, ident,
    pid, text)."""

    def __init__(self, directory: Path):
        self.path = Path(directory) / f"log-{next(_counter)}.sock"
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.sock.bind(str(self.path))
        os.chmod(self.path, 0o666)
        self.sock.settimeout(0.1)
        self.raw: list[bytes] = []
        self._stop = threading.Event()
        self._t = threading.Thread(target=self._run, daemon=True)
        self._t.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self.raw.append(self.sock.recv(65536))
            except socket.timeout:
                continue
            except OSError:
                return

    @staticmethod
    def parse(msg: bytes) -> tuple[int, int, str, int | None, str] | None:
        """'<PRI>Mmm dd hh:mm:ss host IDENT[PID]: TEXT' (host optional, as glibc omits it)."""
        import re
        m = re.match(rb"<(\d+)>(?:\w{3} [ \d]\d \d\d:\d\d:\d\d )?"
                     rb"(?:([^\s:\[]+) (?=[^\s:\[]+(?:\[\d+\])?: ))?([^\s\[:]+)(?:\[(\d+)\])?: (.*)",
                     msg.rstrip(b"\n\0"), re.S)
        if not m:
            return None
        pri = int(m.group(1))
        return (pri >> 3, pri & 7, m.group(3).decode(errors="replace"),
                int(m.group(4)) if m.group(4) else None, m.group(5).decode(errors="replace"))

    def messages(self) -> list[tuple[int, int, str, int | None, str]]:
        return [p for p in (self.parse(m) for m in list(self.raw)) if p]

    def lines(self) -> list[tuple[str, str]]:
        """(ident, text) in arrival order."""
        return [(m[2], m[4]) for m in self.messages()]

    def close(self) -> None:
        self._stop.set()
        self.sock.close()
        self._t.join(timeout=2)
        try:
            self.path.unlink()
        except OSError:
            pass


class Capture:
    """tcpdump on br0 in the bridge namespace, writing a pcap; start() returns once it
    provably captures (a marker frame sent after "listening on" is in the file)."""

    def __init__(self, lab_: "Lab"):
        self.lab = lab_
        self.path = lab_.work / "capture.pcap"
        self.err = lab_.work / "tcpdump.err"
        self.proc: subprocess.Popen | None = None

    def start(self, timeout: float = 10.0) -> None:
        argv = ["tcpdump", "-i", "br0", "-w", str(self.path), "-U", "--immediate-mode",
                "--time-stamp-precision=micro", "-n", "-s", "2048", "-Z", "root"]
        with open(self.err, "wb") as errf:
            self.proc = self.lab.bridge.spawn(argv, hostname=None, stdout=subprocess.DEVNULL,
                                              stderr=errf)
        deadline = time.monotonic() + timeout
        while b"listening on" not in self._err():
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise LabError(f"tcpdump did not start: {self._err().decode(errors='replace')}")
            time.sleep(0.02)
        self._mark("start", deadline)

    def _err(self) -> bytes:
        try:
            return self.err.read_bytes()
        except OSError:
            return b""

    def _mark(self, what: str, deadline: float) -> None:
        token = f"KTMARK {what} {os.getpid()} {time.time_ns()}".encode()
        frame = b"\xff" * 6 + bytes.fromhex(self.lab.bridge_mac.replace(":", "")) \
            + struct.pack("!H", MARKER_ETHERTYPE) + token.ljust(46, b"\0")
        while True:
            send_frames(self.lab.bridge, "br0", [frame])
            t_end = min(deadline, time.monotonic() + 1.0)
            while time.monotonic() < t_end:
                if any(token in f.data for f in read_pcap(self.path)):
                    return
                time.sleep(0.02)
            if time.monotonic() >= deadline:
                raise LabError(f"capture marker '{what}' never showed up in {self.path}")

    def frames(self) -> list["Frame"]:
        """Frames captured so far (the capture may still be running)."""
        return [f for f in read_pcap(self.path) if f.ethertype != MARKER_ETHERTYPE]

    def stop(self, timeout: float = 10.0, fast: bool = False) -> None:
        """Wait until everything sent so far is in the file, then SIGINT tcpdump and wait."""
        if self.proc is None or self.proc.poll() is not None:
            return
        try:
            if not fast:
                self._mark("stop", time.monotonic() + timeout)
        finally:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
            if self.proc in self.lab.bridge.children:
                self.lab.bridge.children.remove(self.proc)


class Lab:
    """Bridge namespace + ``hosts`` host namespaces + work directory (+ capture)."""

    def __init__(self, hosts: int = 2, number: int | None = None, tag: str = "wire"):
        if number is None:
            number = 1 + next(_lab_numbers) % 250
        if not 0 <= number <= 255:
            raise ValueError("lab number must be 0..255")
        self.number = number
        self.tag = tag
        self.work = WORK_ROOT / f"kt-{os.getpid()}-{next(_counter)}"
        self.nodes: list[Node] = []
        self.bridge: Netns | None = None
        self.capture: Capture | None = None
        self.bridge_mac = f"02:99:00:{number:02x}:00:00"
        self._closed = False
        self.work.mkdir(mode=0o755, parents=True)
        try:
            lab.register_cleanup(self, lambda: self.close(fast=True))
        except LabError:
            shutil.rmtree(self.work, ignore_errors=True)
            raise
        try:
            self._build(hosts)
        except BaseException:
            self.close()
            raise

    # ---- set-up -------------------------------------------------------------------------
    def _build(self, hosts: int) -> None:
        self.bridge = Netns(prefix=NS_PREFIX)
        _sysctl(self.bridge, {"net.ipv6.conf.all.disable_ipv6": 1,
                              "net.ipv6.conf.default.disable_ipv6": 1})
        self.bridge.ip("link", "add", "name", "br0", "address", self.bridge_mac, "type", "bridge",
                       "stp_state", "0", "forward_delay", "0", "mcast_snooping", "0")
        self.bridge.interfaces.append("br0")
        self.bridge.set_up("br0")
        for n in range(1, hosts + 1):
            ns = Netns(prefix=NS_PREFIX)
            _sysctl(ns, {"net.ipv6.conf.all.accept_dad": 0, "net.ipv6.conf.default.accept_dad": 0,
                         "net.ipv6.conf.default.router_solicitations": 0,
                         "net.ipv6.conf.all.router_solicitations": 0})
            node = Node(self, n, ns)
            port = f"p{n}"
            self.bridge.ip("link", "add", "name", port, "type", "veth", "peer", "name", "eth0",
                           "netns", ns.name)
            self.bridge.interfaces.append(port)
            ns.interfaces.append("eth0")
            ns.ip("link", "set", "dev", "eth0", "address", node.mac)
            self.bridge.ip("link", "set", "dev", port, "master", "br0")
            self.bridge.set_up(port)
            ns.ip("addr", "add", f"{node.ip4}/24", "dev", "eth0")
            ns.ip("addr", "add", f"{node.ip6}/64", "dev", "eth0", "nodad")
            ns.set_up("eth0")
            self.nodes.append(node)
        self._wait_ready()

    def _wait_ready(self, timeout: float = 10.0) -> None:
        """Carrier, non-tentative link-local + global IPv6 on every eth0; ports forwarding."""
        deadline = time.monotonic() + timeout
        pending = list(self.nodes)
        while pending:
            node = pending[0]
            data = json.loads(node.ns.ip("-j", "addr", "show", "dev", "eth0").stdout or b"[]")
            d = data[0] if data else {}
            infos = d.get("addr_info", [])
            ll = [a for a in infos if a.get("family") == "inet6" and a.get("scope") == "link"]
            ok = (d.get("operstate") == "UP" and ll
                  and not any(a.get("tentative") or a.get("dadfailed") for a in infos)
                  and any(a.get("local") == node.ip6 for a in infos)
                  and any(a.get("local") == node.ip4 for a in infos))
            if ok:
                port = json.loads(self.bridge.ip("-j", "-d", "link", "show", "dev",
                                                 f"p{node.n}").stdout)[0]
                state = port.get("linkinfo", {}).get("info_slave_data", {}).get("state")
                ok = state == "forwarding" and port.get("operstate") == "UP"
            if ok:
                node.link_local = ll[0]["local"]
                pending.pop(0)
                continue
            if time.monotonic() > deadline:
                raise LabError(f"lab {self.number}: {node.name} eth0 not ready: {json.dumps(d)}")
            time.sleep(0.05)

    def start_capture(self) -> Capture:
        self.capture = Capture(self)
        self.capture.start()
        return self.capture

    # ---- tear-down ----------------------------------------------------------------------
    def close(self, fast: bool = False) -> None:
        """Stop the capture, kill the daemons, delete namespaces and the work dir. Idempotent.
        fast (used by the signal/atexit cleanup): no end marker, tcpdump just terminated."""
        if self._closed:
            return
        self._closed = True
        for step in ([lambda: self.capture and self.capture.stop(timeout=3, fast=fast)]
                     + [n.teardown for n in self.nodes]
                     + [n.ns.delete for n in self.nodes]
                     + [lambda: self.bridge and self.bridge.delete()]):
            try:
                step()
            except Exception:
                pass
        if not KEEP:
            shutil.rmtree(self.work, ignore_errors=True)
        lab.unregister_cleanup(self)

    def __enter__(self) -> "Lab":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _sysctl(ns: Netns, values: dict) -> None:
    args = [f"{k}={v}" for k, v in values.items()]
    res = ns.run(["sysctl", "-q", "-w", *args], timeout=10, hostname=None)
    if res.rc != 0:
        raise LabError(f"sysctl in {ns.name}: {res.stderr.decode(errors='replace')}")


def indent(text: str, prefix: str = "    ") -> str:
    return "\n".join(prefix + line for line in text.splitlines())


# ============================================================================ pcap
@dataclass
class Frame:
    ts: int          # µs since the epoch
    data: bytes      # captured bytes (Ethernet frame)
    orig_len: int

    @property
    def dst(self) -> str:
        return mac_str(self.data[0:6])

    @property
    def src(self) -> str:
        return mac_str(self.data[6:12])

    @property
    def ethertype(self) -> int:
        et = struct.unpack_from("!H", self.data, 12)[0] if len(self.data) >= 14 else 0
        if et == 0x8100 and len(self.data) >= 18:
            et = struct.unpack_from("!H", self.data, 16)[0]
        return et

    @property
    def payload(self) -> bytes:
        et = struct.unpack_from("!H", self.data, 12)[0]
        return self.data[18:] if et == 0x8100 else self.data[14:]


def read_pcap(path) -> list[Frame]:
    """Frames of a classic libpcap file (µs or ns magic, either byte order, Ethernet).
    A truncated last record (file still being written) is ignored."""
    try:
        raw = Path(path).read_bytes()
    except FileNotFoundError:
        return []
    if len(raw) < 24:
        return []
    magic = raw[:4]
    table = {b"\xd4\xc3\xb2\xa1": ("<", 1), b"\xa1\xb2\xc3\xd4": (">", 1),
             b"\x4d\x3c\xb2\xa1": ("<", 1000), b"\xa1\xb2\x3c\x4d": (">", 1000)}
    if magic not in table:
        raise ValueError(f"{path}: not a pcap file (magic {magic.hex()})")
    endian, div = table[magic]
    linktype = struct.unpack_from(endian + "I", raw, 20)[0] & 0x0FFFFFFF
    if linktype != 1:
        raise ValueError(f"{path}: link type {linktype}, expected 1 (Ethernet)")
    frames, off = [], 24
    hdr = struct.Struct(endian + "IIII")
    while off + 16 <= len(raw):
        sec, frac, incl, orig = hdr.unpack_from(raw, off)
        if off + 16 + incl > len(raw):
            break
        frames.append(Frame(sec * 1_000_000 + frac // div, raw[off + 16:off + 16 + incl], orig))
        off += 16 + incl
    return frames


def mac_str(b: bytes) -> str:
    return ":".join(f"{x:02x}" for x in b)


def inet_csum(data: bytes) -> int:
    """Internet checksum (one's complement of the one's complement sum)."""
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack(f"!{len(data) // 2}H", data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return (~s) & 0xFFFF


@dataclass
class IPInfo:
    family: int      # 4 or 6
    src: str
    dst: str
    ttl: int         # TTL / hop limit
    tos: int         # TOS / traffic class
    proto: int       # protocol / final next header
    ident: int | None
    df: bool
    total_len: int   # IPv4 total length / IPv6 payload length
    hdr_csum_ok: bool | None
    payload: bytes
    src_raw: bytes
    dst_raw: bytes


def decode_ip(frame: Frame) -> IPInfo | None:
    et, p = frame.ethertype, frame.payload
    if et == 0x0800 and len(p) >= 20 and p[0] >> 4 == 4:
        ihl = (p[0] & 0xF) * 4
        total = struct.unpack_from("!H", p, 2)[0]
        ident, frag = struct.unpack_from("!HH", p, 4)
        return IPInfo(4, socket.inet_ntop(socket.AF_INET, p[12:16]),
                      socket.inet_ntop(socket.AF_INET, p[16:20]), p[8], p[1], p[9], ident,
                      bool(frag & 0x4000), total, inet_csum(p[:ihl]) == 0, p[ihl:total],
                      p[12:16], p[16:20])
    if et == 0x86DD and len(p) >= 40 and p[0] >> 4 == 6:
        vtf, plen, nh, hl = struct.unpack_from("!IHBB", p, 0)
        body, off = p[40:40 + plen], 0
        while nh in (0, 43, 60, 44) and off + 8 <= len(body):   # skip extension headers
            nxt = body[off]
            off += 8 if nh == 44 else (body[off + 1] + 1) * 8
            nh = nxt
        return IPInfo(6, socket.inet_ntop(socket.AF_INET6, p[8:24]),
                      socket.inet_ntop(socket.AF_INET6, p[24:40]), hl, (vtf >> 20) & 0xFF, nh,
                      None, False, plen, None, body[off:], p[8:24], p[24:40])
    return None


def _pseudo(ip: IPInfo, length: int, proto: int) -> bytes:
    if ip.family == 4:
        return ip.src_raw + ip.dst_raw + struct.pack("!BBH", 0, proto, length)
    return ip.src_raw + ip.dst_raw + struct.pack("!I3xB", length, proto)


@dataclass
class Vrrp:
    """A VRRP packet as seen on the wire."""
    ts: int
    src_mac: str
    dst_mac: str
    frame_len: int
    family: int
    ip_src: str
    ip_dst: str
    ttl: int
    tos: int
    ip_id: int | None
    df: bool
    ip_len: int
    ip_csum_ok: bool | None
    version: int
    type: int
    vrid: int
    priority: int
    count: int
    auth_type: int | None      # v2 only
    adver_int: int             # v2: seconds; v3: centiseconds (12 bits)
    reserved: int              # v3: the 4 reserved bits before the interval; v2: 0
    checksum: int
    checksum_ok: bool
    addresses: tuple[str, ...]
    auth_data: bytes           # v2: the 8 bytes after the addresses; v3: b""
    vrrp_len: int

    def fields(self) -> dict:
        """Everything an implementation controls, for field-by-field comparison
        (timestamp, IP id and the checksum value itself excluded)."""
        return {k: getattr(self, k) for k in (
            "dst_mac", "src_mac", "frame_len", "family", "ip_src", "ip_dst", "ttl", "tos", "df",
            "ip_len", "ip_csum_ok", "version", "type", "vrid", "priority", "count", "auth_type",
            "adver_int", "reserved", "checksum_ok", "addresses", "auth_data", "vrrp_len")}


def decode_vrrp(frame: Frame) -> Vrrp | None:
    ip = decode_ip(frame)
    if ip is None or ip.proto != 112 or len(ip.payload) < 8:
        return None
    v = ip.payload
    version, vtype = v[0] >> 4, v[0] & 0xF
    vrid, prio, count = v[1], v[2], v[3]
    alen = 4 if ip.family == 4 else 16
    fam = socket.AF_INET if ip.family == 4 else socket.AF_INET6
    addrs = tuple(socket.inet_ntop(fam, v[8 + i * alen:8 + (i + 1) * alen])
                  for i in range(count) if 8 + (i + 1) * alen <= len(v))
    end = 8 + count * alen
    if version == 2:
        auth_type, adver, reserved = v[4], v[5], 0
        auth_data = v[end:end + 8]
        ok = inet_csum(v) == 0
    else:
        auth_type, reserved = None, v[4] >> 4
        adver = struct.unpack_from("!H", v, 4)[0] & 0x0FFF
        auth_data = v[end:]
        ok = inet_csum(_pseudo(ip, len(v), 112) + v) == 0
    return Vrrp(frame.ts, frame.src, frame.dst, len(frame.data), ip.family, ip.src, ip.dst,
                ip.ttl, ip.tos, ip.ident, ip.df, ip.total_len, ip.hdr_csum_ok, version, vtype,
                vrid, prio, count, auth_type, adver, reserved, struct.unpack_from("!H", v, 6)[0],
                ok, addrs, bytes(auth_data), len(v))


@dataclass
class Arp:
    ts: int
    src_mac: str
    dst_mac: str
    op: int
    sender_mac: str
    sender_ip: str
    target_mac: str
    target_ip: str

    @property
    def gratuitous(self) -> bool:
        """A broadcast announcement of sender_ip (request or reply). Not: the kernel's
        unicast reply to someone else's gratuitous request (sender = target = that address
        too), which a host still holding the VIP can send during a handover."""
        return self.sender_ip == self.target_ip and self.dst_mac == "ff:ff:ff:ff:ff:ff"

    def fields(self) -> dict:
        return {k: getattr(self, k) for k in ("src_mac", "dst_mac", "op", "sender_mac",
                                              "sender_ip", "target_mac", "target_ip")}


def decode_arp(frame: Frame) -> Arp | None:
    p = frame.payload
    if frame.ethertype != 0x0806 or len(p) < 28:
        return None
    htype, ptype, hlen, plen, op = struct.unpack_from("!HHBBH", p, 0)
    if htype != 1 or ptype != 0x0800 or hlen != 6 or plen != 4:
        return None
    return Arp(frame.ts, frame.src, frame.dst, op, mac_str(p[8:14]),
               socket.inet_ntoa(p[14:18]), mac_str(p[18:24]), socket.inet_ntoa(p[24:28]))


@dataclass
class NA:
    """ICMPv6 neighbour advertisement."""
    ts: int
    src_mac: str
    dst_mac: str
    ip_src: str
    ip_dst: str
    hop_limit: int
    router: bool
    solicited: bool
    override: bool
    target: str
    tlla: str | None
    checksum_ok: bool

    def fields(self) -> dict:
        return {k: getattr(self, k) for k in ("src_mac", "dst_mac", "ip_src", "ip_dst",
                                              "hop_limit", "router", "solicited", "override",
                                              "target", "tlla", "checksum_ok")}


def decode_na(frame: Frame) -> NA | None:
    ip = decode_ip(frame)
    if ip is None or ip.family != 6 or ip.proto != 58 or len(ip.payload) < 24:
        return None
    m = ip.payload
    if m[0] != 136:
        return None
    flags = m[4]
    tlla, off = None, 24
    while off + 8 <= len(m):
        otype, olen = m[off], m[off + 1] * 8
        if olen == 0:
            break
        if otype == 2 and olen >= 8:
            tlla = mac_str(m[off + 2:off + 8])
        off += olen
    ok = inet_csum(_pseudo(ip, len(m), 58) + m) == 0
    return NA(frame.ts, frame.src, frame.dst, ip.src, ip.dst, ip.ttl, bool(flags & 0x80),
              bool(flags & 0x40), bool(flags & 0x20),
              socket.inet_ntop(socket.AF_INET6, m[8:24]), tlla, ok)


def decode(frame: Frame):
    """Vrrp, Arp or NA object for the frame, or None for anything else."""
    return decode_vrrp(frame) or decode_arp(frame) or decode_na(frame)


# ============================================================================ builders
def build_vrrp_v2_frame(src_mac: str, src_ip: str, vrid: int, priority: int, vips: list[str],
                        adver_int: int = 1, auth_type: int = 0, auth: bytes = b"",
                        ttl: int = 255, tos: int = 0xC0, ip_id: int = 1,
                        dst_ip: str = "224.0.0.18") -> bytes:
    """A complete Ethernet frame holding a VRRPv2 advertisement (checksums correct)."""
    body = bytes([0x21, vrid, priority, len(vips), auth_type, adver_int, 0, 0])
    body += b"".join(socket.inet_aton(a) for a in vips) + auth[:8].ljust(8, b"\0")
    csum = inet_csum(body)
    body = body[:6] + struct.pack("!H", csum) + body[8:]
    hdr = struct.pack("!BBHHHBBH4s4s", 0x45, tos, 20 + len(body), ip_id, 0, ttl, 112, 0,
                      socket.inet_aton(src_ip), socket.inet_aton(dst_ip))
    hdr = hdr[:10] + struct.pack("!H", inet_csum(hdr)) + hdr[12:]
    d = socket.inet_aton(dst_ip)
    dst_mac = bytes([0x01, 0x00, 0x5E, d[1] & 0x7F, d[2], d[3]]) if d[0] >= 224 else b"\xff" * 6
    return dst_mac + bytes.fromhex(src_mac.replace(":", "")) + b"\x08\x00" + hdr + body


# ============================================================================ timing
def skew_us(version: int, priority: int, adver_us: int) -> int:
    """KEEPALIVED.md §5.4: v2 (256-p) s/256 whatever the interval; v3 (256-p)*MAI(cs)*625/16."""
    if version == 2:
        return (256 - priority) * 1_000_000 // 256
    return (256 - priority) * (adver_us // 10_000) * 625 // 16


def master_down_us(version: int, priority: int, adver_us: int, adverts: int = 3) -> int:
    return adverts * adver_us + skew_us(version, priority, adver_us)


# ============================================================================ sender CLI
def _send_main(argv: list[str]) -> int:
    import argparse
    ap = argparse.ArgumentParser(prog="wire.py send")
    ap.add_argument("ifname")
    ap.add_argument("--interval", type=float, default=0.0)
    ap.add_argument("--duration", type=float, default=0.0,
                    help="flood: send the frames round-robin, as fast as possible, for this "
                         "many seconds (at most 10), then print how many were sent")
    ap.add_argument("frames", nargs="+")
    a = ap.parse_args(argv)
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    s.bind((a.ifname, 0))
    if a.duration > 0:
        frames = [bytes.fromhex(hx) for hx in a.frames]
        end = time.monotonic() + min(a.duration, 10.0)
        sent = 0
        while time.monotonic() < end:
            for f in frames:
                try:
                    s.send(f)
                    sent += 1
                except BlockingIOError:
                    pass
        s.close()
        print(sent)
        return 0
    for i, hx in enumerate(a.frames):
        if i and a.interval:
            time.sleep(a.interval)
        s.send(bytes.fromhex(hx))
    s.close()
    return 0


if __name__ == "__main__":
    if len(sys.argv) >= 2 and sys.argv[1] == "send":
        sys.exit(_send_main(sys.argv[2:]))
    print(__doc__)
    sys.exit(2)

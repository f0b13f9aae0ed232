"""The seed story's lab (issue 5): two web hosts h1, h2 running nginx and a VRRP daemon, and
a client h3 (no daemon), on the wire lab of wire.py. Used by test_seed.py.

Files of a lab, all in its work directory W = /var/tmp/kt-<pid>-<n>/ (wire.Lab):

* ``W/check_nginx_alive_or_not.sh`` — /work/shared/seed/check_nginx_alive_or_not.sh with
  only its nginx start command adapted: ``/usr/local/nginx/sbin/nginx`` -> ``W/nginx-start``.
* ``W/nginx-start`` — the "nginx start command" of a node: starts the node's own nginx
  (node = `hostname`, i.e. hN in the node's UTS namespace); it records every call in
  ``W/nginx-hN/attempts`` and fails (exit 1, nothing started) while ``W/nginx-hN/broken``
  exists.
* ``W/nginx-hN/`` — that nginx's prefix: nginx.conf, pid file, logs, temp directories.
  nginx listens on the node's address and on the seed's VIPs (10.99.L.140/141), port 80
  (net.ipv4.ip_nonlocal_bind=1 in the node's network namespace, so it starts whether or
  not the node holds a VIP), and answers every request with the body "hN\\n".

nginx is only ever started from inside a node: by the daemon's check script (so it runs in
the daemon's PID/mount/UTS namespaces, where the script's ``ps -C nginx`` and ``killall``
look) or by ``in_node``. It dies with the node's PID namespace (Node.kill9, daemon exit
without keep_init, Lab.close), and ``stop_nginx`` only signals nginx processes of that
namespace.

Configs: ``seed_config(name, lab, work)`` = a seed config from /work/shared/seed with only
``ens33`` -> ``eth0``, ``192.168.1.`` -> ``10.99.L.`` and the script path adapted;
``local_config(name, ...)`` = a file of compat-tests/configs/seed/ with its placeholders
(``10.99.LAB.``, ``@WORK@`` = W, ``@SAMPLES@`` = /work/shared/samples) filled in.
``W/notify-record.sh ARGS`` appends "<time> ARGS" to ``W/notify-hN.log`` (notify scripts);
``W/fifo-record.py FIFO`` (a notify_fifo_script) appends "<time> line ...", "<time> SIGTERM"
and "<time> EOF" to ``W/fifo-record-hN.log``.
"""

from __future__ import annotations

import os
import signal
import subprocess
import threading
import time
from pathlib import Path

import wire
from wire import Lab, now_us

HERE = Path(__file__).resolve().parent
SHARED = Path(os.environ.get("KA_SHARED", str(HERE.parent.parent / "shared")))
SEED = SHARED / "seed"
SAMPLES = SHARED / "samples"
CONFIGS = HERE / "configs" / "seed"
SEED_SCRIPT_PATH = "/etc/keepalived/check_nginx_alive_or_not.sh"
SEED_NGINX_PATH = "/usr/local/nginx/sbin/nginx"
NGINX = "/usr/sbin/nginx"


# ============================================================================ files
def check_script_text(work: Path) -> str:
    """The seed's check script, only its nginx start command adapted."""
    text = (SEED / "check_nginx_alive_or_not.sh").read_text(encoding="utf-8")
    assert text.count(SEED_NGINX_PATH) == 1, "the seed's check script changed"
    return text.replace(SEED_NGINX_PATH, str(work / "nginx-start"))


def seed_config(name: str, lab: int, work: Path, extra_script_lines: str = "") -> str:
    """A seed config with only interface, addresses and script path adapted.
    extra_script_lines: lines added at the end of the vrrp_script block (e.g. "timeout 10")."""
    text = (SEED / name).read_text(encoding="utf-8")
    text = text.replace("ens33", "eth0").replace("192.168.1.", f"10.99.{lab}.")
    text = text.replace(SEED_SCRIPT_PATH, str(work / "check_nginx_alive_or_not.sh"))
    if extra_script_lines:
        start = text.index("\nvrrp_script ")
        end = text.index("\n}\n", start) + 1          # the block's closing brace line
        text = text[:end] + extra_script_lines.rstrip("\n") + "\n" + text[end:]
    return text


def local_config(name: str, lab: int, work: Path) -> str:
    text = (CONFIGS / name).read_text(encoding="utf-8")
    return (text.replace("10.99.LAB.", f"10.99.{lab}.").replace("@WORK@", str(work))
            .replace("@SAMPLES@", str(SAMPLES)))


def vips(lab: int) -> tuple[str, str]:
    return f"10.99.{lab}.140", f"10.99.{lab}.141"


def _write_exec(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")
    os.chmod(path, 0o755)


class SeedLab:
    """wire.Lab with 3 hosts (h1, h2: web servers; h3: client) and the seed's files."""

    def __init__(self, number: int, tag: str = "seed"):
        self.lab = Lab(3, number=number, tag=tag)
        try:
            self.number = number
            self.work = self.lab.work
            self.h1, self.h2, self.h3 = self.lab.nodes
            self.web = {"h1": self.h1, "h2": self.h2}
            self._files()
        except BaseException:
            self.lab.close()
            raise

    def _files(self) -> None:
        w = self.work
        _write_exec(w / "check_nginx_alive_or_not.sh", check_script_text(w))
        _write_exec(w / "nginx-start", f"""#!/bin/sh
# the node's "nginx start command" (called by check_nginx_alive_or_not.sh)
d={w}/nginx-$(hostname)
echo "$(date +%s.%N) start" >>"$d/attempts"
if [ -e "$d/broken" ]; then
    echo "$(date +%s.%N) refused (broken)" >>"$d/attempts"
    exit 1
fi
exec {NGINX} -p "$d" -c "$d/nginx.conf" -e "$d/error.log"
""")
        _write_exec(w / "notify-record.sh", f"""#!/bin/sh
# notify script of the seed lab: one line per call (its arguments) in notify-<host>.log
echo "$(date +%s.%N) $*" >>{w}/notify-$(hostname).log
""")
        _write_exec(w / "fifo-record.py", f"""#!/usr/bin/python3
# notify_fifo_script of the seed lab: "<time> <event>" lines in fifo-record-<host>.log for
# every line read from the FIFO (its last argument), SIGTERM and end of file.
import os, signal, socket, sys, time
out = open("{w}/fifo-record-" + socket.gethostname() + ".log", "a", buffering=1)
def rec(what):
    out.write("%.6f %s\\n" % (time.time(), what))
signal.signal(signal.SIGTERM, lambda *a: rec("SIGTERM"))
fifo = sys.argv[-1]
for _ in range(500):
    if os.path.exists(fifo):
        break
    time.sleep(0.01)
rec("open")
fd = os.open(fifo, os.O_RDONLY)
buf = b""
while True:
    data = os.read(fd, 4096)
    if not data:
        rec("EOF")
        break
    buf += data
    while b"\\n" in buf:
        line, buf = buf.split(b"\\n", 1)
        rec("line " + line.decode(errors="replace"))
""")
        v140, v141 = vips(self.number)
        for name, node in self.web.items():
            d = w / f"nginx-{name}"
            d.mkdir(mode=0o755)
            (d / "nginx.conf").write_text(f"""# nginx of {name} (seed lab {self.number})
worker_processes 1;
pid {d}/nginx.pid;
error_log {d}/error.log;
events {{
    worker_connections 64;
}}
http {{
    access_log {d}/access.log;
    client_body_temp_path {d}/body;
    proxy_temp_path {d}/proxy;
    fastcgi_temp_path {d}/fastcgi;
    uwsgi_temp_path {d}/uwsgi;
    scgi_temp_path {d}/scgi;
    server {{
        listen {node.ip4}:80;
        listen {v140}:80;
        listen {v141}:80;
        default_type text/plain;
        location / {{
            return 200 "{name}\\n";
        }}
    }}
}}
""")
            wire._sysctl(node.ns, {"net.ipv4.ip_nonlocal_bind": 1})

    def close(self) -> None:
        self.lab.close()

    def __enter__(self) -> "SeedLab":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # ---- nginx ------------------------------------------------------------------------
    def nginx_dir(self, name: str) -> Path:
        return self.work / f"nginx-{name}"

    def set_broken(self, name: str, broken: bool) -> None:
        f = self.nginx_dir(name) / "broken"
        if broken:
            f.write_text("the node's nginx start command fails while this file exists\n")
        elif f.exists():
            f.unlink()

    def attempts(self, name: str) -> list[tuple[float, str]]:
        """(time, "start"|"refused (broken)") of every call of the node's nginx start command."""
        try:
            text = (self.nginx_dir(name) / "attempts").read_text()
        except FileNotFoundError:
            return []
        out = []
        for line in text.splitlines():
            t, _, what = line.partition(" ")
            out.append((float(t), what))
        return out

    def nginx_pids(self, name: str) -> list[int]:
        """Host pids of the nginx processes in the node's PID namespace (zombies excluded)."""
        node = self.web[name]
        return [p for p in node.members() if wire._comm(p) == "nginx" and _alive(p)]

    def nginx_master(self, name: str) -> int | None:
        """Host pid of the node's nginx master (the nginx whose parent is not an nginx)."""
        pids = self.nginx_pids(name)
        ppids = wire._ppid_map()
        masters = [p for p in pids if ppids.get(p) not in pids]
        return masters[0] if masters else None

    def stop_nginx(self, name: str, timeout: float = 5.0) -> None:
        """Stop the node's nginx like `nginx -s stop` (SIGTERM to its master) and wait until
        no nginx process is left in the node."""
        master = self.nginx_master(name)
        assert master is not None, f"{name}: no nginx running to stop"
        os.kill(master, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        while self.nginx_pids(name):
            if time.monotonic() > deadline:
                raise AssertionError(f"{name}: nginx still running {timeout} s after SIGTERM: "
                                     f"{self.nginx_pids(name)}")
            time.sleep(0.02)

    def notify_calls(self, name: str) -> list[tuple[float, str]]:
        """(time, arguments) of every call of notify-record.sh on node name."""
        try:
            text = (self.work / f"notify-{name}.log").read_text()
        except FileNotFoundError:
            return []
        out = []
        for line in text.splitlines():
            t, _, args = line.partition(" ")
            out.append((float(t), args))
        return sorted(out)

    def fifo_records(self, name: str) -> list[tuple[float, str]]:
        """(time, event) written by fifo-record.py on node name."""
        try:
            text = (self.work / f"fifo-record-{name}.log").read_text()
        except FileNotFoundError:
            return []
        return [(float(t), e) for t, _, e in (x.partition(" ") for x in text.splitlines())]

    # ---- client -----------------------------------------------------------------------
    def http(self, ip: str, timeout: float = 1.0) -> str | None:
        """Body of GET http://ip/ fetched by curl in the client namespace h3, or None if
        there was no HTTP answer (refused, timed out, no route)."""
        res = self.h3.ns.run(["curl", "-s", "-S", "--max-time", str(timeout), "--noproxy", "*",
                              f"http://{ip}/"], timeout=timeout + 5, hostname=None)
        if res.rc != 0:
            return None
        return res.stdout.decode(errors="replace").strip()

    def wait_http(self, ip: str, want: str | None, timeout: float, what: str = "") -> float:
        """Poll until GET http://ip/ from h3 answers want (None: no answer); returns the
        time it took. Raises AssertionError with the last answer and the daemons' logs."""
        t0 = time.monotonic()
        got = "(not tried)"
        while True:
            got = self.http(ip)
            if got == want:
                return time.monotonic() - t0
            if time.monotonic() - t0 > timeout:
                raise AssertionError(f"{what or 'HTTP'}: GET http://{ip}/ from h3 answered "
                                     f"{got!r}, wanted {want!r} (waited {timeout} s); holders "
                                     f"{self.holders()}\n{self.tails()}")
            time.sleep(0.1)

    # ---- state ------------------------------------------------------------------------
    def holders(self) -> dict:
        """vip -> sorted names of the web hosts whose eth0 carries it (`ip addr`)."""
        held = {n: {a.split("/")[0] for a in node.addresses()} for n, node in self.web.items()}
        return {v: sorted(n for n in held if v in held[n]) for v in vips(self.number)}

    def tails(self, lines: int = 25) -> str:
        return "\n".join(node.log_tail(lines) for node in self.web.values() if node.runs)


class Monitor:
    """Background sampler (every `period` s) of the VIP holders (`ip addr` of h1 and h2)
    and of the `sleep` processes of the web nodes (the check script's `sleep 3`).

    changes: [(µs, holders)] each time the holders differ from the previous sample;
    sleeps: {(node, host pid): [start µs (from /proc/PID/stat), last seen µs, cmdline]}:
    a lifetime is underestimated by at most one sampling period."""

    def __init__(self, sl: "SeedLab", period: float = 0.1):
        self.sl = sl
        self.period = period
        self.changes: list[tuple[int, dict]] = []
        self.sleeps: dict[tuple[str, int], list] = {}
        self._stop = threading.Event()
        self._t = threading.Thread(target=self._run, daemon=True)
        self._t.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            t = now_us()
            try:
                h = self.sl.holders()
                if not self.changes or self.changes[-1][1] != h:
                    self.changes.append((t, h))
                for name, node in self.sl.web.items():
                    for pid in node.members():
                        if wire._comm(pid) != "sleep":
                            continue
                        rec = self.sleeps.get((name, pid))
                        if rec is None:
                            rec = self.sleeps[(name, pid)] = [_start_us(pid) or t, t,
                                                              _cmdline(pid)]
                        rec[1] = t
            except Exception:   # a node going away between two reads
                pass
            self._stop.wait(self.period)

    def stop(self) -> None:
        self._stop.set()
        self._t.join(timeout=5)

    def holders_between(self, lo: int, hi: int) -> list[dict]:
        """Every distinct holders state seen in [lo, hi] (the one current at lo included)."""
        out = []
        for i, (t, h) in enumerate(self.changes):
            nxt = self.changes[i + 1][0] if i + 1 < len(self.changes) else None
            if t <= hi and (nxt is None or nxt > lo):
                out.append(h)
        return out

    def sleep_lifetimes(self, node: str, lo: int, hi: int, cmd: str = "sleep 3") -> list[float]:
        """Observed lifetimes (s) of `cmd` processes of node started in [lo, hi]."""
        return [(last - first) / 1e6 for (n, _), (first, last, c) in self.sleeps.items()
                if n == node and c == cmd and lo <= first <= hi]


def _start_us(pid: int) -> int | None:
    """Wall-clock start time (µs) of a process, from its boot-based starttime."""
    try:
        st = Path(f"/proc/{pid}/stat").read_text()
        ticks = int(st[st.rindex(")") + 2:].split()[19])
    except (OSError, ValueError, IndexError):
        return None
    boot_s = time.clock_gettime(time.CLOCK_BOOTTIME)
    return now_us() - int((boot_s - ticks / os.sysconf("SC_CLK_TCK")) * 1e6)


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode().strip()
    except OSError:
        return ""


def _alive(pid: int) -> bool:
    try:
        st = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return st[st.rindex(")") + 2:].split()[0] != "Z"


def in_node(node, argv: list[str], timeout: float = 10) -> subprocess.CompletedProcess:
    """Run argv inside the node's network, PID, mount and UTS namespaces."""
    init = node._init_pid()
    assert init is not None, f"{node.name}: node not running"
    return subprocess.run(["nsenter", "-t", str(init), "-n", "-p", "-m", "-u", "--", *argv],
                          capture_output=True, timeout=timeout)


def wait_for(pred, timeout: float, what: str, tails=None):
    t0 = time.monotonic()
    while True:
        v = pred()
        if v:
            return v
        if time.monotonic() - t0 > timeout:
            extra = ("\n" + tails()) if tails else ""
            raise AssertionError(f"timed out after {timeout} s waiting for {what}{extra}")
        time.sleep(0.05)


__all__ = ["SeedLab", "seed_config", "local_config", "check_script_text", "vips", "in_node",
           "wait_for", "now_us"]

"""Network-namespace lab helpers for keepalived-rs compat tests (root only, stdlib only).

What this module owns: creating and removing uniquely named network namespaces, putting
interfaces in them, and running commands inside them (optionally in a private UTS
namespace with a fixed hostname) with timeouts. What it must not do: touch the root
namespace's interfaces, or kill any process it did not start itself.

Safety model
------------
* Every namespace is named ``<prefix>-<our pid>-<n>`` (default prefix ``kt``), so two
  test runs never collide and a sweep only ever deletes our own namespaces.
* Live namespaces are kept in a registry. They are removed by ``Netns.delete()``
  (called by ``with Netns() as ns:``), and as a safety net by an ``atexit`` hook and by
  SIGINT/SIGTERM handlers (installed on first use, main thread only).
* Background processes started with ``Netns.spawn()`` are put in their own session and
  killed by their process-group id (the group we created) before the namespace goes.

Typical use::

    from lab import Netns
    with Netns(hostname="kartest") as ns:
        ns.add_dummy("eth0")
        res = ns.run(["keepalived", "-t", "-f", conf], timeout=20)
        print(res.rc, res.stderr.decode())

Kernel note: some kernels (e.g. this test VM) are built without CONFIG_DUMMY. For that
case ``add_dummy`` falls back to an ``ifb`` device, which the kernel sets up exactly
like a dummy (ARPHRD_ETHER, flags BROADCAST|NOARP, multicast off, carrier on when up).
``DUMMY_KIND`` tells which kind is in use.
"""

from __future__ import annotations

import atexit
import itertools
import os
import signal
import subprocess
import threading
import time
from dataclasses import dataclass, field

__all__ = [
    "Netns", "Result", "LabError", "cleanup_all", "install_handlers", "require_root",
    "valid_ifname", "dummy_kind", "DEFAULT_HOSTNAME", "register_cleanup", "unregister_cleanup",
    "shutting_down",
]

#: Hostname used for the private UTS namespace when a test needs deterministic `@` lines.
DEFAULT_HOSTNAME = "kartest"
#: Maximum interface name length accepted by Linux (IFNAMSIZ - 1).
IFNAMSIZ_MAX = 15

_counter = itertools.count()
_lock = threading.RLock()
_live: dict[str, "Netns"] = {}
_atexit_installed = False
_signals_installed = False
_dummy_kind: str | None = None
_hooks: dict[object, object] = {}   # key -> callable run by cleanup_all (see register_cleanup)
_shutting_down = False              # set by the SIGINT/SIGTERM handler: no new namespaces/hooks


class LabError(RuntimeError):
    """A lab set-up step (ip netns / ip link ...) failed."""


@dataclass
class Result:
    """Outcome of ``Netns.run``: exit code (None on timeout), raw stdout/stderr bytes."""
    argv: list[str]
    rc: int | None
    stdout: bytes = b""
    stderr: bytes = b""
    timed_out: bool = False
    extra: dict = field(default_factory=dict)


def require_root() -> bool:
    """True if running as root (network namespaces need CAP_SYS_ADMIN/CAP_NET_ADMIN)."""
    return os.geteuid() == 0


def valid_ifname(name: str) -> bool:
    """Mirror of the kernel's dev_valid_name(): 1..15 bytes, not '.'/'..', no '/', ':' or blanks."""
    raw = name.encode("utf-8", "surrogateescape")
    if not raw or len(raw) > IFNAMSIZ_MAX or name in (".", ".."):
        return False
    return not any(c in name for c in "/: \t\n\r\v\f")


def _ip(*args: str, check: bool = True, timeout: float = 15) -> subprocess.CompletedProcess:
    """Run the ``ip`` command; raise LabError with its stderr if check and it fails."""
    cp = subprocess.run(["ip", *args], capture_output=True, timeout=timeout)
    if check and cp.returncode != 0:
        raise LabError(f"ip {' '.join(args)}: {cp.stderr.decode(errors='replace').strip()}")
    return cp


def register_cleanup(key, fn) -> None:
    """Have cleanup_all() call fn() (before namespaces are deleted) until unregistered.

    For helpers that own more than namespaces (work directories, processes in PID
    namespaces, see wire.py). fn must be idempotent; exceptions are ignored. Raises
    LabError once a SIGINT/SIGTERM cleanup has begun (the caller must then undo what it
    did so far itself)."""
    with _lock:
        if _shutting_down:
            raise LabError("shutting down (signal received)")
        _hooks[key] = fn
    install_handlers()


def unregister_cleanup(key) -> None:
    """Forget a hook registered with register_cleanup (no error if unknown)."""
    with _lock:
        _hooks.pop(key, None)


def cleanup_all() -> None:
    """Kill our background processes and delete every namespace this process created.

    Safe to call several times and from signal handlers. Registered cleanup hooks run
    first (outside the lock). Besides the registry, it sweeps ``ip netns list`` for names
    carrying this process's pid (a namespace whose creation was interrupted would
    otherwise be missed)."""
    with _lock:
        hooks = list(_hooks.items())
    for key, fn in hooks:
        try:
            fn()
        except Exception:  # keep going: the namespaces must still go
            pass
        unregister_cleanup(key)
    with _lock:
        for ns in list(_live.values()):
            try:
                ns.delete()
            except Exception:  # keep going: the remaining namespaces must still go
                pass
        cp = _ip("netns", "list", check=False)
        for line in cp.stdout.decode(errors="replace").splitlines():
            name = line.split(" ", 1)[0]
            for prefix in Netns.prefixes_used:
                if name.startswith(f"{prefix}-{os.getpid()}-"):
                    _ip("netns", "del", name, check=False)


def shutting_down() -> bool:
    """True once the SIGINT/SIGTERM handler started cleaning up."""
    return _shutting_down


def _on_signal(signum, _frame):
    global _shutting_down
    _shutting_down = True
    cleanup_all()
    if threading.active_count() > 1:
        # worker threads may be half-way through creating something: give them a moment
        # to notice (creation now fails) and undo it, then sweep again
        time.sleep(0.5)
        cleanup_all()
    signal.signal(signum, signal.SIG_DFL)
    os.kill(os.getpid(), signum)


def install_handlers() -> None:
    """Register cleanup_all with atexit and (from the main thread only) for SIGINT/SIGTERM.

    Called automatically by Netns.create(); call it early from the main thread when
    namespaces will be created from worker threads, so the signal handlers get installed."""
    global _atexit_installed, _signals_installed
    with _lock:
        if not _atexit_installed:
            _atexit_installed = True
            atexit.register(cleanup_all)
        if not _signals_installed and threading.current_thread() is threading.main_thread():
            _signals_installed = True
            for sig in (signal.SIGINT, signal.SIGTERM):
                signal.signal(sig, _on_signal)


def dummy_kind() -> str:
    """'dummy' if the kernel can create dummy links, else 'ifb' (probed once, in a scratch netns)."""
    global _dummy_kind
    if _dummy_kind is None:
        with Netns(prefix="ktprobe") as ns:
            cp = _ip("-n", ns.name, "link", "add", "name", "probe0", "type", "dummy", check=False)
            _dummy_kind = "dummy" if cp.returncode == 0 else "ifb"
    return _dummy_kind


class Netns:
    """A uniquely named network namespace, deleted on exit of ``with`` or ``delete()``.

    The namespace is created by the constructor unless ``create=False``. ``hostname`` is
    the default for ``run``/``spawn`` (None: keep the host's UTS namespace)."""

    prefixes_used: set[str] = {"kt"}

    def __init__(self, prefix: str = "kt", hostname: str | None = None, create: bool = True):
        self.prefix = prefix
        self.name = f"{prefix}-{os.getpid()}-{next(_counter)}"
        self.hostname = hostname
        self.interfaces: list[str] = []   # created by us, in creation order
        self.children: list[subprocess.Popen] = []
        self.alive = False
        if create:
            self.create()

    # ---- life cycle -------------------------------------------------------------------
    def create(self) -> "Netns":
        """Create the namespace (bringing its loopback up) and register it for cleanup."""
        install_handlers()
        with _lock:
            if _shutting_down:
                raise LabError("shutting down (signal received)")
            Netns.prefixes_used.add(self.prefix)
            _live[self.name] = self
            _ip("netns", "add", self.name)
            self.alive = True
        self.ip("link", "set", "lo", "up")
        return self

    def delete(self) -> None:
        """Kill our background processes in it, then delete the namespace (idempotent)."""
        for p in list(self.children):
            self._kill(p)
        self.children.clear()
        with _lock:
            if self.alive or self.name in _live:
                _ip("netns", "del", self.name, check=False)
                self.alive = False
                _live.pop(self.name, None)

    def __enter__(self) -> "Netns":
        return self

    def __exit__(self, *exc) -> None:
        self.delete()

    # ---- interfaces -------------------------------------------------------------------
    def ip(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        """Run ``ip -n <ns> ARGS...``."""
        return _ip("-n", self.name, *args, check=check)

    def add_dummy(self, ifname: str, multicast: bool = True, up: bool = True) -> None:
        """Add a dummy-like interface (dummy, or ifb where dummy is unavailable).

        multicast: set IFF_MULTICAST (dummy/ifb have it off by default; keepalived then
        says '(VI) interface X does not support multicast' for multicast instances)."""
        if not valid_ifname(ifname):
            raise LabError(f"invalid interface name {ifname!r}")
        self.ip("link", "add", "name", ifname, "type", dummy_kind())
        self.interfaces.append(ifname)
        self.ip("link", "set", "dev", ifname, "multicast", "on" if multicast else "off")
        if up:
            self.set_up(ifname)

    def add_veth(self, ifname: str, peer: str, peer_ns: "Netns | None" = None, up: bool = True) -> None:
        """Add a veth pair ifname<->peer; the peer is moved into peer_ns if given."""
        self.ip("link", "add", "name", ifname, "type", "veth", "peer", "name", peer)
        self.interfaces.append(ifname)
        if peer_ns is not None:
            self.ip("link", "set", "dev", peer, "netns", peer_ns.name)
            peer_ns.interfaces.append(peer)
        else:
            self.interfaces.append(peer)
        if up:
            self.set_up(ifname)
            (peer_ns or self).set_up(peer)

    def add_bridge(self, ifname: str, up: bool = True) -> None:
        """Add a Linux bridge."""
        self.ip("link", "add", "name", ifname, "type", "bridge")
        self.interfaces.append(ifname)
        if up:
            self.set_up(ifname)

    def set_master(self, ifname: str, bridge: str) -> None:
        """Enslave ifname to bridge."""
        self.ip("link", "set", "dev", ifname, "master", bridge)

    def set_up(self, ifname: str) -> None:
        self.ip("link", "set", "dev", ifname, "up")

    def add_address(self, ifname: str, cidr: str) -> None:
        """Add an address, e.g. '10.99.0.1/24' or 'fd00::1/64' (IPv6 without DAD)."""
        extra = ["nodad"] if ":" in cidr else []
        self.ip("addr", "add", cidr, "dev", ifname, *extra)

    def links(self) -> list[str]:
        """Names of all links in the namespace (including lo)."""
        out = self.ip("-o", "link", "show").stdout.decode(errors="replace")
        return [line.split(": ")[1].split("@")[0] for line in out.splitlines() if ": " in line]

    # ---- commands ---------------------------------------------------------------------
    def wrap(self, argv: list[str], hostname: str | None = "default") -> list[str]:
        """argv that runs ``argv`` in this namespace (and in a private UTS namespace
        with the given hostname, unless hostname is None)."""
        host = self.hostname if hostname == "default" else hostname
        base = ["ip", "netns", "exec", self.name]
        if host is None:
            return base + list(argv)
        return base + ["unshare", "--uts", "--", "sh", "-c",
                       'hostname "$0" && exec "$@"', host] + list(argv)

    def run(self, argv: list[str], timeout: float = 30, hostname: str | None = "default",
            cwd: str | None = None, env: dict | None = None, input: bytes | None = None) -> Result:
        """Run argv inside the namespace, wait at most timeout seconds, return a Result.

        On timeout the whole process group (which we created) is killed and rc is None."""
        full = self.wrap(argv, hostname)
        p = subprocess.Popen(full, stdin=subprocess.PIPE if input is not None else subprocess.DEVNULL,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=cwd, env=env,
                             start_new_session=True)
        self.children.append(p)   # so that delete()/cleanup_all() can kill it
        try:
            out, err = p.communicate(input=input, timeout=timeout)
            return Result(list(argv), p.returncode, out, err)
        except subprocess.TimeoutExpired:
            self._kill(p)
            out, err = p.communicate()
            return Result(list(argv), None, out, err, timed_out=True)
        finally:
            if p in self.children:
                self.children.remove(p)

    def spawn(self, argv: list[str], hostname: str | None = "default", stdout=None, stderr=None,
              cwd: str | None = None, env: dict | None = None) -> subprocess.Popen:
        """Start argv in the background inside the namespace; killed by delete()."""
        p = subprocess.Popen(self.wrap(argv, hostname), stdin=subprocess.DEVNULL,
                             stdout=stdout, stderr=stderr, cwd=cwd, env=env, start_new_session=True)
        self.children.append(p)
        return p

    @staticmethod
    def _kill(p: subprocess.Popen, grace: float = 2.0) -> None:
        """SIGTERM then SIGKILL the process group led by p (a group we created)."""
        if p.poll() is not None:
            return
        for sig, wait in ((signal.SIGTERM, grace), (signal.SIGKILL, 5.0)):
            try:
                os.killpg(p.pid, sig)
            except ProcessLookupError:
                return
            try:
                p.wait(timeout=wait)
                return
            except subprocess.TimeoutExpired:
                continue

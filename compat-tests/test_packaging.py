"""Packaging (issue 6): the systemd unit, the Debian package built with `cargo deb`, and
that package replacing Debian's keepalived 2.2.7 package.

Cases
-----
* ``packaging:unit_verify`` - `systemd-analyze verify` accepts packaging/keepalived.service
  without a single warning; the settings that make it a drop-in are Debian's; every name
  in CapabilityBoundingSet= is one systemd knows (it ignores unknown ones silently).
* ``packaging:unit_capabilities_suffice`` - the daemon, started with exactly the unit's
  capability bounding set (`setpriv`, as systemd would leave it), in a one-host wire lab:
  it becomes MASTER and adds its address (NET_ADMIN, NET_RAW), runs its scripts as
  `nobody` (SETUID, SETGID), creates its notify FIFO owned by `nobody` (CHOWN) and
  writes to it (DAC_OVERRIDE), kills the hanging script of `nobody` at its timeout
  (KILL), stops with status 0 and removes the FIFO.
* ``packaging:deb_contents`` - `cargo deb --no-build` on the binary under test
  ($KEEPALIVED_RS_BIN, else $KEEPALIVED_RS, else target/release/keepalived; copied to a
  private target directory): control fields, conffiles, paths and modes, maintainer
  scripts, file contents, a stripped binary and its -dbgsym package.
* ``packaging:deb_replaces_keepalived`` - the package installed with dpkg into a
  throw-away root where Debian's keepalived is installed and enabled, then removed and
  purged there.

The throw-away root
-------------------
An overlay over this machine's root file system, in private mount, PID and network
namespaces (`unshare --mount --pid --fork --net`)::

    tmpfs on WORK/ns (seen by the namespace only)
    overlay lowerdir=/ upperdir=WORK/ns/upper -> WORK/ns/root
    fresh proc, tmpfs /run (no systemd socket, no /run/systemd/system), tmpfs /tmp,
    /dev bound; /usr/sbin/policy-rc.d that refuses every action
    chroot WORK/ns/root dpkg -i keepalived-rs_*.deb

Every write dpkg and the maintainer scripts make lands in the tmpfs upper layer; nothing
of this machine's root file system, dpkg database, services or processes can change:
the scripts see no systemd (so deb-systemd-invoke/systemctl do nothing), invoke-rc.d is
refused by policy-rc.d, and the PID namespace hides every process of this machine.
When the namespace's first process exits (or is killed: `--kill-child`), the kernel
drops the mounts and the tmpfs; the test then removes WORK. Debian's keepalived must be
installed on this machine (`.ci/run` installs it); it is what the overlay starts from.
"""

from __future__ import annotations

import atexit
import grp
import gzip
import hashlib
import json
import os
import pwd
import re
import shutil
import signal
import stat
import subprocess
import tempfile
import threading
import time
from pathlib import Path

import lab
import wire
from wire import Lab

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
UNIT = REPO / "packaging" / "keepalived.service"
DEFAULT_FILE = REPO / "packaging" / "default" / "keepalived"
MAN_PAGES = {  # installed path -> source in the repository
    "usr/share/man/man8/keepalived.8.gz": REPO / "man" / "keepalived.8",
    "usr/share/man/man5/keepalived.conf.5.gz": REPO / "man" / "keepalived.conf.5",
}
UNIT_PATH = "lib/systemd/system/keepalived.service"
VERSION_PREFIX = "Keepalived v2.2.7 (keepalived-rs"
#: Debian's keepalived 2.2.7 unit (KEEPALIVED.md section 12): what ours must keep.
DEBIAN_UNIT = {
    ("Unit", "After"): ["network-online.target"],
    ("Unit", "Wants"): ["network-online.target"],
    ("Unit", "ConditionFileNotEmpty"): ["/etc/keepalived/keepalived.conf"],
    ("Service", "Type"): ["notify"],
    ("Service", "EnvironmentFile"): ["-/etc/default/keepalived"],
    ("Service", "ExecStart"): ["/usr/sbin/keepalived --dont-fork $DAEMON_ARGS"],
    ("Service", "ExecReload"): ["/bin/kill -HUP $MAINPID"],
    ("Install", "WantedBy"): ["multi-user.target"],
}
#: What the capability case expects the unit to grant (packaging/README.md says why).
EXPECTED_CAPS = {"CAP_NET_ADMIN", "CAP_NET_RAW", "CAP_SETUID", "CAP_SETGID", "CAP_KILL",
                 "CAP_CHOWN", "CAP_DAC_OVERRIDE"}
WORK_ROOT = Path(os.environ.get("KRS_WIRE_WORKDIR", "/var/tmp"))
CARGO_DEB_TIMEOUT = 300
INSTALL_TIMEOUT = 240


# ---- helpers --------------------------------------------------------------------------
def unit_settings(path: Path) -> dict[tuple[str, str], list[str]]:
    """(section, key) -> values, in order, of a systemd unit file (comments skipped,
    continuation lines joined)."""
    out: dict[tuple[str, str], list[str]] = {}
    section = None
    pending = ""
    for raw in path.read_text().splitlines():
        line = pending + raw.strip()
        pending = ""
        if not line or line[0] in "#;":
            continue
        if line.endswith("\\"):
            pending = line[:-1] + " "
            continue
        if line.startswith("[") and line.endswith("]"):
            section = line[1:-1]
            continue
        key, sep, value = line.partition("=")
        assert sep and section, f"{path}: not a unit file line: {raw!r}"
        out.setdefault((section, key.strip()), []).append(value.strip())
    return out


def unit_caps(path: Path) -> set[str]:
    values = unit_settings(path).get(("Service", "CapabilityBoundingSet"), [])
    assert values, f"{path} has no CapabilityBoundingSet="
    assert not any(v.startswith("~") for v in values), "CapabilityBoundingSet= must be an allow list"
    return {c for v in values for c in v.split()}


def run(argv, timeout: float, **kw) -> subprocess.CompletedProcess:
    return subprocess.run(argv, capture_output=True, timeout=timeout, **kw)


def text(cp: subprocess.CompletedProcess) -> str:
    return (cp.stdout.decode(errors="replace") + cp.stderr.decode(errors="replace")).strip()


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def ours_bin() -> Path:
    """The binary under test, as the other compat tests name it."""
    p = os.environ.get("KEEPALIVED_RS_BIN") or os.environ.get("KEEPALIVED_RS") \
        or "target/release/keepalived"
    path = Path(p)
    return path if path.is_absolute() else REPO / path


def cargo() -> str:
    found = shutil.which("cargo") or str(Path.home() / ".cargo" / "bin" / "cargo")
    assert os.access(found, os.X_OK), "cargo not found (PATH or ~/.cargo/bin)"
    return found


class Built:
    """The .deb built once per test run (by whichever case asks first)."""
    lock = threading.Lock()
    deb: Path | None = None
    dir: Path | None = None
    error: str | None = None


def _remove_built() -> None:
    if Built.dir is not None:
        shutil.rmtree(Built.dir, ignore_errors=True)


def built_deb() -> Path:
    """`cargo deb --no-build` on the binary under test; returns the .deb (cached).

    The binary is copied to a private target directory first: cargo-deb deletes older
    keepalived-rs packages from <target-dir>/debian/ and leaves its debug files in
    <target-dir>/keepalived-rs/, and the repository's target/ is not the test's to touch."""
    with Built.lock:
        if Built.deb is not None:
            return Built.deb
        if Built.error is not None:
            raise AssertionError(Built.error)
        binary = ours_bin()
        if not binary.is_file():
            Built.error = f"binary under test missing: {binary} (cargo build --release)"
            raise AssertionError(Built.error)
        cargo_bin = cargo()
        probe = run([cargo_bin, "deb", "--version"], timeout=30)
        if probe.returncode != 0:
            Built.error = ("cargo-deb is not installed (cargo install cargo-deb; see "
                           f"packaging/README.md):\n{text(probe)}")
            raise AssertionError(Built.error)
        Built.dir = Path(tempfile.mkdtemp(prefix="krs-deb-", dir=WORK_ROOT))
        lab.register_cleanup(Built, _remove_built)
        atexit.register(_remove_built)
        target = Built.dir / "target"
        (target / "release").mkdir(parents=True)
        shutil.copy2(binary, target / "release" / "keepalived")
        out = Built.dir / "out"
        env = {**os.environ, "CARGO_TARGET_DIR": str(target)}
        cp = run([cargo_bin, "deb", "--no-build", "--offline", "--output", str(out)],
                 timeout=CARGO_DEB_TIMEOUT, cwd=REPO, env=env)
        debs = sorted(out.glob("keepalived-rs_*.deb"))
        if cp.returncode != 0 or len(debs) != 1:
            Built.error = f"cargo deb failed (status {cp.returncode}, {debs}):\n{text(cp)}"
            raise AssertionError(Built.error)
        Built.deb = debs[0]
        return Built.deb


def deb_field(deb: Path, field: str) -> str:
    cp = run(["dpkg-deb", "-f", str(deb), field], timeout=30)
    assert cp.returncode == 0, text(cp)
    return cp.stdout.decode().strip()


def relations(value: str) -> dict[str, str]:
    """'a (>= 1), b' -> {'a': '(>= 1)', 'b': ''}."""
    out = {}
    for item in filter(None, (s.strip() for s in value.split(","))):
        m = re.fullmatch(r"([a-z0-9][a-z0-9+.-]*)\s*(\(.*\))?", item)
        assert m, f"bad relation {item!r} in {value!r}"
        out[m.group(1)] = m.group(2) or ""
    return out


# ---- unit -----------------------------------------------------------------------------
def check_unit_verify() -> None:
    tool = shutil.which("systemd-analyze")
    assert tool, "systemd-analyze not found (apt-get install systemd): cannot verify the unit"
    cp = run([tool, "verify", str(UNIT)], timeout=60)
    assert cp.returncode == 0 and not text(cp), \
        f"systemd-analyze verify {UNIT}: status {cp.returncode}\n{text(cp)}"

    settings = unit_settings(UNIT)
    for key, want in DEBIAN_UNIT.items():
        assert settings.get(key) == want, \
            f"[{key[0]}] {key[1]}= is {settings.get(key)}, Debian's unit has {want}"
    # Debian's unit relies on these defaults; a drop-in must not change them.
    for key in ("KillMode", "PIDFile", "User", "Group", "PrivateTmp", "ProtectProc",
                "ProtectKernelTunables", "NoNewPrivileges"):
        assert ("Service", key) not in settings, f"[Service] {key}= changes keepalived's behaviour"

    caps = unit_caps(UNIT)
    known = run([tool, "capability"], timeout=30)
    assert known.returncode == 0, text(known)
    names = {line.split()[0].upper() for line in known.stdout.decode().splitlines()[1:] if line.split()}
    assert "CAP_NET_RAW" in names, f"unexpected `systemd-analyze capability` output:\n{text(known)}"
    unknown = sorted(caps - names)
    assert not unknown, f"capabilities systemd does not know (silently ignored): {unknown}"
    assert caps == EXPECTED_CAPS, \
        f"CapabilityBoundingSet= is {sorted(caps)}, expected {sorted(EXPECTED_CAPS)}"

    # systemd's own reading of the unit: what is dropped, and what must stay as keepalived
    # has it (a private /tmp would hide the dumps; ProtectProc, ProtectKernelTunables and
    # NoNewPrivileges would break ordinary scripts).
    sec = run([tool, "security", "--offline=true", "--json=short", str(UNIT)], timeout=60)
    assert sec.returncode == 0, text(sec)
    checks = {c["name"]: c["set"] for c in json.loads(sec.stdout)}
    want = {name: True for name in (
        "CapabilityBoundingSet=~CAP_SYS_ADMIN", "CapabilityBoundingSet=~CAP_SYS_MODULE",
        "CapabilityBoundingSet=~CAP_SYS_PTRACE", "CapabilityBoundingSet=~CAP_SYS_RAWIO",
        "CapabilityBoundingSet=~CAP_SYS_(NICE|RESOURCE)", "CapabilityBoundingSet=~CAP_IPC_LOCK",
        "CapabilityBoundingSet=~CAP_SYS_TIME", "CapabilityBoundingSet=~CAP_SYS_BOOT",
        "RestrictNamespaces=~user", "RestrictAddressFamilies=~\u2026", "ProtectKernelModules=",
        "ProtectKernelLogs=", "ProtectControlGroups=", "LockPersonality=", "RestrictSUIDSGID=",
        "SystemCallArchitectures=", "AmbientCapabilities=")}
    want.update({name: False for name in (
        "CapabilityBoundingSet=~CAP_NET_ADMIN", "CapabilityBoundingSet=~CAP_KILL",
        "CapabilityBoundingSet=~CAP_SET(UID|GID|PCAP)", "PrivateTmp=", "ProtectProc=",
        "ProtectKernelTunables=", "NoNewPrivileges=", "ProtectHome=")})
    wrong = {name: checks.get(name, "missing") for name, v in want.items() if checks.get(name) is not v}
    assert not wrong, f"systemd-analyze security --offline disagrees (name: its value): {wrong}"


def check_unit_capabilities_suffice() -> None:
    caps = unit_caps(UNIT)
    bounding = "-all," + ",".join("+" + c.lower().removeprefix("cap_") for c in sorted(caps))
    uid, gid = pwd.getpwnam("nobody").pw_uid, grp.getgrnam("nogroup").gr_gid
    with Lab(hosts=1, tag="pkgcaps") as lb:
        node = lb.nodes[0]
        w = lb.work
        vip = f"10.99.{lb.number}.100"
        reader = w / "fifo-reader.sh"
        reader.write_text('#!/bin/sh\n'
                          'echo "uid $(id -u) gid $(id -g)" >> /tmp/fifo.out\n'
                          'while read -r line; do echo "$line" >> /tmp/fifo.out; done < "$1"\n')
        hang = w / "hang.sh"
        hang.write_text("#!/bin/sh\nexec sleep 1000\n")
        for f in (reader, hang):
            f.chmod(0o755)
        conf = w / "caps.conf"
        conf.write_text(f"""global_defs {{
    router_id pkg_caps
    script_user nobody nogroup
    vrrp_notify_fifo /tmp/notify.fifo nobody nogroup
    vrrp_notify_fifo_script {reader} nobody nogroup
}}
vrrp_script hang {{
    script "{hang}"
    interval 1
    timeout 1
    weight 2
}}
vrrp_instance VI_1 {{
    interface eth0
    virtual_router_id 81
    priority 200
    version 3
    advert_int 0.1
    track_script {{
        hang
    }}
    virtual_ipaddress {{
        {vip}/24
    }}
}}
""")
        log = w / "daemon.log"
        # As wire.Node.start, but the daemon is exec'd by setpriv with the unit's
        # bounding set and no inheritable/ambient capabilities, and the namespace's init
        # stays after the daemon exits (so its /tmp can be looked at).
        script = ('mount -t tmpfs -o mode=0755 kt-run /run && mount -t tmpfs -o mode=1777 kt-tmp /tmp'
                  ' && mount --bind /dev/null /dev/console'
                  ' || { echo "[lab] namespace set-up failed" >&2; exit 97; }; '
                  '"$@"; echo "[lab] daemon exited with status $?" >&2; exec sleep 1000000')
        argv = ["unshare", "--pid", "--fork", "--kill-child=SIGKILL", "--mount-proc",
                "sh", "-c", script, "pkgcaps",
                "setpriv", "--bounding-set", bounding, "--inh-caps", "-all", "--ambient-caps", "-all",
                str(ours_bin()), "-n", "-l", "-D", "-f", str(conf)]
        with open(log, "wb") as logf:
            node.proc = node.ns.spawn(argv, hostname=None, stdout=logf, stderr=subprocess.STDOUT)
        node.impl = "ours"
        node.runs.append({"impl": "ours (unit capabilities)", "conf": conf, "log": log,
                          "t_start": wire.now_us(), "rc": None, "n": 1})

        def fail(msg: str) -> AssertionError:
            return AssertionError(f"{msg}\nbounding set {bounding}\n{node.log_tail(40)}")

        def wait(pred, timeout: float, what: str):
            deadline = time.monotonic() + timeout
            while time.monotonic() < deadline:
                v = pred()
                if v:
                    return v
                if not node.running():
                    raise fail(f"namespace ended while waiting for {what}")
                time.sleep(0.05)
            raise fail(f"timed out after {timeout} s waiting for {what}")

        init = wait(node._init_pid, 5, "the namespace's init")
        root = Path(f"/proc/{init}/root")
        daemon = wait(lambda: next((p for p in node.members() if wire._comm(p) == "keepalived"), None),
                      5, "the daemon process")
        status = Path(f"/proc/{daemon}/status").read_text()
        cap_bnd = int(re.search(r"^CapBnd:\s*([0-9a-f]+)", status, re.M).group(1), 16)
        cap_eff = int(re.search(r"^CapEff:\s*([0-9a-f]+)", status, re.M).group(1), 16)
        assert cap_bnd == cap_eff and bin(cap_bnd).count("1") == len(caps), \
            fail(f"daemon's capabilities: CapBnd {cap_bnd:x} CapEff {cap_eff:x}, want {len(caps)}")

        # NET_ADMIN (address), NET_RAW (VRRP and packet sockets)
        wait(lambda: node.holds(vip), 6, f"MASTER holding {vip}")
        # CHOWN + DAC_OVERRIDE: the FIFO is nobody's, and the daemon could write to it;
        # SETUID/SETGID: its reader runs as nobody:nogroup.
        out = root / "tmp" / "fifo.out"
        wait(lambda: out.exists() and 'INSTANCE "VI_1" MASTER' in out.read_text(), 6,
             "the MASTER line from the notify FIFO")
        lines = out.read_text().splitlines()
        assert lines[0] == f"uid {uid} gid {gid}", fail(f"FIFO script identity: {lines[0]!r}")
        st = os.stat(root / "tmp" / "notify.fifo")
        assert stat.S_ISFIFO(st.st_mode) and (st.st_uid, st.st_gid) == (uid, gid), \
            fail(f"notify FIFO: mode {st.st_mode:o} owner {st.st_uid}:{st.st_gid}")
        # KILL: each run of hang.sh (sleep as nobody) is killed at its 1 s timeout; without
        # the capability the kills fail and a new sleep piles up every second.
        def hang_sleeps() -> int:
            n = 0
            for p in node.members():
                try:
                    n += wire._comm(p) == "sleep" and os.stat(f"/proc/{p}").st_uid == uid
                except OSError:
                    pass
            return n

        counts = []
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            counts.append(hang_sleeps())
            time.sleep(0.1)
        assert max(counts) >= 1, fail("hang.sh never seen running")
        assert max(counts) <= 2, fail(f"up to {max(counts)} sleeps of hang.sh alive at once "
                                      "(interval 1 s, timeout 1 s): its runs are not killed")
        assert node.holds(vip), fail("lost MASTER while the scripts ran")

        os.kill(daemon, signal.SIGTERM)
        m = wait(lambda: re.search(r"\[lab\] daemon exited with status (\d+)",
                                   log.read_text(errors="replace")), 5, "the daemon to exit")
        assert m.group(1) == "0", fail(f"exit status {m.group(1)} after SIGTERM")
        assert not os.path.lexists(root / "tmp" / "notify.fifo"), fail("FIFO left behind at exit")
        assert not node.holds(vip), fail(f"{vip} left on eth0 at exit")
        bad_re = re.compile(r"Operation not permitted|Permission denied|EPERM|EACCES"
                            r"|Failed to set uid|send advert error")
        bad = [line for line in log.read_text(errors="replace").splitlines() if bad_re.search(line)]
        assert not bad, fail("permission errors in the log:\n" + "\n".join(bad))


# ---- the .deb -------------------------------------------------------------------------
def extract(deb: Path, into: Path) -> None:
    cp = run(["dpkg-deb", "-x", str(deb), str(into)], timeout=60)
    assert cp.returncode == 0, text(cp)


def check_deb_contents() -> None:
    deb = built_deb()
    fields = {f: deb_field(deb, f) for f in ("Package", "Architecture", "Provides", "Conflicts",
                                            "Replaces", "Depends")}
    assert fields["Package"] == "keepalived-rs", fields
    arch = run(["dpkg", "--print-architecture"], timeout=10).stdout.decode().strip()
    assert fields["Architecture"] == arch, fields
    assert "keepalived" in relations(fields["Provides"]), fields
    assert relations(fields["Conflicts"]) == {"keepalived": ""}, fields
    assert relations(fields["Replaces"]) == {"keepalived": ""}, fields
    depends = relations(fields["Depends"])
    assert "libc6" in depends, f"Depends: {depends} (no libc6: was dpkg-shlibdeps missing?)"
    assert "iproute2" not in depends, f"Depends: {depends}"

    with tempfile.TemporaryDirectory(prefix="krs-debx-", dir=WORK_ROOT) as tmp:
        t = Path(tmp)
        ctl = t / "control"
        cp = run(["dpkg-deb", "-e", str(deb), str(ctl)], timeout=60)
        assert cp.returncode == 0, text(cp)
        conffiles = (ctl / "conffiles").read_text().split()
        assert conffiles == ["/etc/default/keepalived"], f"conffiles: {conffiles}"
        for script in ("postinst", "prerm", "postrm"):
            p = ctl / script
            assert p.is_file() and p.stat().st_mode & 0o777 == 0o755, f"{script}: missing or not 0755"
            assert (REPO / "packaging" / "debian" / script).read_bytes() == p.read_bytes(), \
                f"{script} differs from packaging/debian/{script}"
            cp = run(["sh", "-n", str(p)], timeout=10)
            assert cp.returncode == 0, f"{script}: {text(cp)}"
        assert not (ctl / "preinst").exists(), "unexpected preinst"

        listing = run(["dpkg-deb", "-c", str(deb)], timeout=60)
        assert listing.returncode == 0, text(listing)
        entries = {}
        for line in listing.stdout.decode().splitlines():
            f = line.split()
            entries[f[-1].removeprefix("./").rstrip("/")] = (f[0], f[1])
        want = {"usr/sbin/keepalived": "-rwxr-xr-x", UNIT_PATH: "-rw-r--r--",
                "etc/default/keepalived": "-rw-r--r--", **{m: "-rw-r--r--" for m in MAN_PAGES}}
        for path, mode in want.items():
            assert path in entries, f"{path} not in the package:\n{listing.stdout.decode()}"
            assert entries[path] == (mode, "0/0"), f"{path}: {entries[path]}, want {mode} root"
        # Same paths as Debian's package (dpkg hands them over on Replaces); never the
        # /usr/lib alias of the unit, which a merged-/usr system would lose when dpkg
        # removes keepalived's /lib/systemd/system/keepalived.service.
        assert not any(p.startswith("usr/lib/systemd") for p in entries), \
            f"unit under /usr/lib/systemd: {sorted(entries)}"
        assert not any(p.startswith("etc/keepalived/") for p in entries), \
            "the package must not ship files in /etc/keepalived"

        root = t / "root"
        extract(deb, root)
        assert (root / UNIT_PATH).read_bytes() == UNIT.read_bytes(), "unit differs from packaging/"
        assert (root / "etc/default/keepalived").read_bytes() == DEFAULT_FILE.read_bytes(), \
            "/etc/default/keepalived differs from packaging/default/keepalived"
        for path, src in MAN_PAGES.items():
            data = (root / path).read_bytes()
            assert data[:2] == b"\x1f\x8b", f"{path} is not gzip"
            assert gzip.decompress(data) == src.read_bytes(), f"{path} differs from {src}"
        binary = root / "usr/sbin/keepalived"
        cp = run(["unshare", "--net", str(binary), "-v"], timeout=30)
        first = (cp.stdout + cp.stderr).decode(errors="replace").splitlines()[:1]
        assert cp.returncode == 0 and first and first[0].startswith(VERSION_PREFIX), \
            f"packaged keepalived -v: status {cp.returncode}: {text(cp)[:500]}"
        sections = run(["readelf", "-S", "-W", str(binary)], timeout=30)
        assert sections.returncode == 0, text(sections)
        assert b".debug_info" not in sections.stdout and b".symtab" not in sections.stdout, \
            "packaged binary not stripped (debug symbols belong in the -dbgsym package)"
        ddebs = list(deb.parent.glob("keepalived-rs-dbgsym_*.ddeb"))
        assert len(ddebs) == 1, f"no keepalived-rs-dbgsym package beside {deb.name}"


INNER = r'''
set -u
W=$1; DEB=$2; O=$W/out; T=$W/ns
step() { echo "== $*" >> "$O/steps"; }
die() { echo "SETUP FAILED: $*" >> "$O/steps"; exit 90; }
mount -t tmpfs -o mode=0700 krs-pkg "$T" || die "tmpfs"
mkdir "$T/upper" "$T/work" "$T/root"
mount -t overlay krs-pkg-root -o "lowerdir=/,upperdir=$T/upper,workdir=$T/work" "$T/root" || die overlay
R=$T/root
mount -t proc proc "$R/proc" || die proc
mount -t tmpfs -o mode=0755 krs-run "$R/run" || die run
mount -t tmpfs -o mode=1777 krs-tmp "$R/tmp" || die tmp
mount --bind /dev "$R/dev" || die dev
[ ! -d "$R/run/systemd/system" ] || die "systemd visible in the root"
printf '#!/bin/sh\nexit 101\n' > "$R/usr/sbin/policy-rc.d" && chmod 755 "$R/usr/sbin/policy-rc.d" || die policy
cp "$DEB" "$R/tmp/keepalived-rs.deb" || die copy
in_root() { chroot "$R" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C DEBIAN_FRONTEND=noninteractive "$@"; }
query() { in_root dpkg-query -W -f '${Package}|${Status}|${Version}\n' "$@" 2>/dev/null; }
wants=/etc/systemd/system/multi-user.target.wants/keepalived.service

step before
query keepalived > "$O/before.status"
# The operator's files, and keepalived enabled as apt leaves it.
mkdir -p "$R/etc/keepalived"
cp "$W/user.conf" "$R/etc/keepalived/keepalived.conf" && chmod 0640 "$R/etc/keepalived/keepalived.conf"
cp "$W/user.default" "$R/etc/default/keepalived"
in_root deb-systemd-helper enable keepalived.service > "$O/enable.log" 2>&1
readlink "$R$wants" > "$O/before.wants"

step install
in_root dpkg -i /tmp/keepalived-rs.deb < /dev/null > "$O/install.log" 2>&1
echo $? > "$O/install.rc"
query keepalived keepalived-rs > "$O/after.status"
in_root dpkg -S /usr/sbin/keepalived /lib/systemd/system/keepalived.service \
    /usr/share/man/man8/keepalived.8.gz /usr/share/man/man5/keepalived.conf.5.gz \
    /etc/default/keepalived > "$O/after.owners" 2>&1
in_root dpkg-query -W -f '${Conffiles}\n' keepalived-rs > "$O/after.conffiles.rs" 2>&1
in_root dpkg-query -W -f '${Conffiles}\n' keepalived > "$O/after.conffiles.deb" 2>&1
in_root /usr/sbin/keepalived -v > "$O/after.version" 2>&1
mkdir "$O/files"
for f in usr/sbin/keepalived lib/systemd/system/keepalived.service \
         usr/share/man/man8/keepalived.8.gz usr/share/man/man5/keepalived.conf.5.gz \
         etc/default/keepalived etc/keepalived/keepalived.conf; do
    mkdir -p "$O/files/$(dirname $f)"; cp -p "$R/$f" "$O/files/$f"
done
ls -a "$R/etc/default" > "$O/after.default.ls"
readlink "$R$wants" > "$O/after.wants"

step remove
in_root dpkg -r keepalived-rs < /dev/null > "$O/remove.log" 2>&1
echo $? > "$O/remove.rc"
[ -e "$R/usr/sbin/keepalived" ] && echo present > "$O/remove.binary" || echo absent > "$O/remove.binary"
cp -p "$R/etc/keepalived/keepalived.conf" "$O/remove.user.conf"
cp -p "$R/etc/default/keepalived" "$O/remove.default"

step purge
in_root dpkg --purge keepalived-rs < /dev/null > "$O/purge.log" 2>&1
echo $? > "$O/purge.rc"
cp -p "$R/etc/keepalived/keepalived.conf" "$O/purge.user.conf"
readlink "$R$wants" > "$O/purge.wants"
step done
'''


def check_deb_replaces_keepalived() -> None:
    deb = built_deb()
    host = run(["dpkg-query", "-W", "-f", "${Status}|${Version}", "keepalived"], timeout=30)
    assert host.returncode == 0 and host.stdout.decode().startswith("install ok installed|1:2.2.7"), \
        ("Debian's keepalived 2.2.7 must be installed on this machine (the throw-away root is "
         f"an overlay over it): {text(host)}")
    token = os.urandom(8).hex()
    user_conf = (f"# the operator's configuration {token}\n"
                 "vrrp_instance VI_1 {\n    interface eth0\n    virtual_router_id 51\n}\n").encode()
    user_default = f'# edited by the operator {token}\nDAEMON_ARGS="-D -S 7"\n'.encode()
    work = Path(tempfile.mkdtemp(prefix="krs-pkgroot-", dir=WORK_ROOT))
    proc: subprocess.Popen | None = None

    def cleanup() -> None:
        if proc is not None and proc.poll() is None:
            try:
                os.killpg(proc.pid, signal.SIGKILL)   # the group we created; --kill-child
            except ProcessLookupError:                # takes the namespace down with it
                pass
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                pass
        shutil.rmtree(work, ignore_errors=True)

    lab.register_cleanup(work, cleanup)
    try:
        (work / "ns").mkdir()
        (work / "out").mkdir()
        (work / "user.conf").write_bytes(user_conf)
        (work / "user.default").write_bytes(user_default)
        argv = ["unshare", "--mount", "--propagation", "private", "--pid", "--fork", "--net",
                "--kill-child=SIGKILL", "sh", "-c", INNER, "krs-pkgroot", str(work), str(deb)]
        proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, start_new_session=True)
        try:
            output, _ = proc.communicate(timeout=INSTALL_TIMEOUT)
        except subprocess.TimeoutExpired:
            raise AssertionError(f"install in the throw-away root took over {INSTALL_TIMEOUT} s")
        o = work / "out"

        def read(name: str) -> str:
            p = o / name
            return p.read_text(errors="replace").strip() if p.exists() else f"(no {name})"

        steps = read("steps")
        context = f"steps:\n{steps}\nnamespace output:\n{output.decode(errors='replace')[-2000:]}"
        assert proc.returncode == 0 and steps.endswith("== done"), \
            f"throw-away root: status {proc.returncode}\n{context}"

        # Debian's keepalived was there, enabled.
        assert read("before.status").startswith("keepalived|install ok installed|1:2.2.7"), \
            read("before.status")
        assert read("before.wants") == "/lib/systemd/system/keepalived.service", \
            f"keepalived not enabled before: {read('before.wants')} {read('enable.log')}"

        # dpkg accepts ours in place of keepalived (non-interactive: no conffile prompt).
        install_log = read("install.log")
        assert read("install.rc") == "0", f"dpkg -i failed:\n{install_log}"
        assert "will remove keepalived in favour of keepalived-rs" in install_log, install_log
        status = dict(line.split("|", 1) for line in read("after.status").splitlines())
        assert status.get("keepalived-rs", "").startswith("install ok installed|"), status
        # keepalived removed, its remaining conffiles (init script, DBus policy) kept
        assert status.get("keepalived", "").split("|")[0].endswith(" ok config-files"), status
        owners = read("after.owners").splitlines()
        assert len(owners) == 5 and all(line.startswith("keepalived-rs: ") for line in owners), \
            "files not handed over to keepalived-rs:\n" + "\n".join(owners)

        files = o / "files"
        version = read("after.version").splitlines()
        assert version and version[0].startswith(VERSION_PREFIX), \
            f"/usr/sbin/keepalived -v in the root: {version[:3]}"
        with tempfile.TemporaryDirectory(prefix="krs-debx-", dir=WORK_ROOT) as tmp:
            extract(deb, Path(tmp))
            assert sha256(files / "usr/sbin/keepalived") == sha256(Path(tmp) / "usr/sbin/keepalived"), \
                "installed /usr/sbin/keepalived is not the packaged one"
        assert (files / UNIT_PATH).read_bytes() == UNIT.read_bytes(), "installed unit is not ours"
        for path, src in MAN_PAGES.items():
            assert gzip.decompress((files / path).read_bytes()) == src.read_bytes(), \
                f"installed /{path} is not man/{src.name}"

        # The operator's files: keepalived.conf untouched (content and mode), the edited
        # /etc/default/keepalived kept, now a conffile of keepalived-rs, with no
        # .dpkg-new/.dpkg-dist beside it.
        uc = files / "etc/keepalived/keepalived.conf"
        assert uc.read_bytes() == user_conf and stat.S_IMODE(uc.stat().st_mode) == 0o640, \
            "the operator's keepalived.conf changed on install"
        assert (files / "etc/default/keepalived").read_bytes() == user_default, \
            "the operator's /etc/default/keepalived was replaced"
        leftovers = [n for n in read("after.default.ls").split() if n.startswith("keepalived.")]
        assert not leftovers, f"dpkg left {leftovers} in /etc/default"
        md5 = hashlib.md5(DEFAULT_FILE.read_bytes()).hexdigest()
        conff = read("after.conffiles.rs").split()
        assert conff == ["/etc/default/keepalived", md5], \
            f"keepalived-rs conffiles: {read('after.conffiles.rs')}"
        assert "/etc/default/keepalived" in read("after.conffiles.deb") \
            and "obsolete" in read("after.conffiles.deb").split("/etc/default/keepalived")[1].split("\n")[0], \
            f"keepalived still claims /etc/default/keepalived: {read('after.conffiles.deb')}"
        # The operator's choice (enabled) carried over to the same unit name.
        assert read("after.wants") == "/lib/systemd/system/keepalived.service", \
            f"keepalived.service no longer enabled after the switch: {read('after.wants')}"

        # Removal and purge of keepalived-rs: its scripts succeed, the operator's
        # configuration stays, the enablement goes with the purge.
        assert read("remove.rc") == "0", f"dpkg -r keepalived-rs failed:\n{read('remove.log')}"
        assert read("remove.binary") == "absent", "/usr/sbin/keepalived still there after dpkg -r"
        assert (o / "remove.user.conf").read_bytes() == user_conf, "keepalived.conf changed by dpkg -r"
        assert (o / "remove.default").read_bytes() == user_default, \
            "/etc/default/keepalived (a conffile) changed by dpkg -r"
        assert read("purge.rc") == "0", f"dpkg --purge keepalived-rs failed:\n{read('purge.log')}"
        assert (o / "purge.user.conf").read_bytes() == user_conf, "keepalived.conf changed by purge"
        assert read("purge.wants") == "", f"enablement left after purge: {read('purge.wants')}"
    finally:
        cleanup()
        lab.unregister_cleanup(work)


def cases():
    yield ("packaging:unit_verify", check_unit_verify)
    yield ("packaging:unit_capabilities_suffice", check_unit_capabilities_suffice)
    yield ("packaging:deb_contents", check_deb_contents)
    yield ("packaging:deb_replaces_keepalived", check_deb_replaces_keepalived)

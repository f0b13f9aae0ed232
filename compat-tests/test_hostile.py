"""Hostile packets (issue 7): a flood of forged adverts for a VRID in use, from a third host.

Three hosts: h1 MASTER (priority 150), h2 BACKUP (priority 100), VRRPv2 with PASS
authentication, advert_int 1; h3 floods the LAN for 3 s, as fast as Python can send
(tens of thousands of frames a second), with forged adverts for the same VRID, round
robin: wrong password at priority 255, TTL 254, a bad VRRP checksum, version 3, advert
interval 2, one address too many, an unknown type, priority 0 with TTL 1, a too-short
packet. Checked on the wire (tcpdump) and in `ip addr`:

* ours: h1's advert gaps stay within advert_int + 10 ms, h2 never sends an advert nor
  takes the VIP, h1's /tmp/keepalived.stats counts the rejected adverts, and each
  daemon's log gets at most one line per kind of error and instance per 10 s (plus the
  "N more ... were not logged" line), not one per packet;
* keepalived 2.2.7, same flood, same assertions where it passes them; what it does not
  pass is printed as a note with its numbers (measured here before: a 3.9 s silence of
  the master and ~1,950 log lines per daemon).
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import wire  # noqa: E402
from wire import Lab  # noqa: E402

# 1000-instance labs and 10 ms timing (reload) / a CPU-hogging flood (hostile): run alone
EXCLUSIVE = True

VRID = 51
PASS = b"secret"
FLOOD_S = 3.0
TOL_US = 10_000


def conf(lb: Lab, prio: int) -> str:
    return f"""global_defs {{
    router_id h{prio}
}}
vrrp_instance VI_1 {{
    interface eth0
    virtual_router_id {VRID}
    priority {prio}
    advert_int 1
    authentication {{
        auth_type PASS
        auth_pass {PASS.decode()}
    }}
    virtual_ipaddress {{
        10.99.{lb.number}.100/32
    }}
}}
"""


def forged(lb: Lab) -> list[bytes]:
    mac, ip = "02:99:00:ee:00:03", f"10.99.{lb.number}.3"
    vips = [f"10.99.{lb.number}.100"]
    v2 = wire.build_vrrp_v2_frame
    frames = [
        v2(mac, ip, VRID, 255, vips, auth_type=1, auth=b"wrong"),          # password
        v2(mac, ip, VRID, 200, vips, auth_type=1, auth=PASS, ttl=254),     # TTL
        v2(mac, ip, VRID, 200, vips, auth_type=1, auth=PASS, adver_int=2),  # interval
        v2(mac, ip, VRID, 200, vips + [f"10.99.{lb.number}.101"], auth_type=1, auth=PASS),
        v2(mac, ip, VRID, 0, vips, auth_type=1, auth=PASS, ttl=1),         # prio 0, TTL 1
    ]
    good = v2(mac, ip, VRID, 200, vips, auth_type=1, auth=PASS)
    bad_csum = bytearray(good)
    bad_csum[14 + 20 + 6] ^= 0xFF                                          # VRRP checksum
    frames.append(bytes(bad_csum))
    v3 = bytearray(good)
    v3[14 + 20] = 0x31                                                     # version 3
    frames.append(bytes(v3))
    bad_type = bytearray(good)
    bad_type[14 + 20] = 0x22                                               # type 2
    frames.append(bytes(bad_type))
    return frames


def adverts(cap, ip: str) -> list[int]:
    out = []
    for f in cap.frames():
        v = wire.decode_vrrp(f)
        if v is not None and v.vrid == VRID and v.ip_src == ip and v.priority > 0:
            out.append(v.ts)
    return out


def check_flood(impl: str) -> None:
    problems: list[str] = []
    with Lab(hosts=3, tag="hostile") as lb:
        h1, h2, h3 = lb.nodes
        ip1, ip2 = f"10.99.{lb.number}.1", f"10.99.{lb.number}.2"
        vip = f"10.99.{lb.number}.100"
        h1.start(impl, conf(lb, 150), args=("-n", "-l"))
        h2.start(impl, conf(lb, 100), args=("-n", "-l"))
        end = time.monotonic() + 15
        while not (h1.holds(vip) and not h2.holds(vip)):
            assert time.monotonic() < end, "h1 never became master alone"
            time.sleep(0.1)
        time.sleep(1.5)
        log1_before, log2_before = len(h1.log_text()), len(h2.log_text())
        cap = lb.start_capture()
        time.sleep(1.2)
        t_flood = wire.now_us()
        argv = [sys.executable, "-B", str(HERE / "wire.py"), "send", "eth0",
                "--duration", str(FLOOD_S), *[f.hex() for f in forged(lb)]]
        res = h3.ns.run(argv, timeout=30, hostname=None)
        assert res.rc == 0, res.stderr.decode(errors="replace")
        sent = int(res.stdout.decode().split()[-1])
        time.sleep(2.5)
        cap.stop()
        rate = sent / FLOOD_S
        a1 = adverts(cap, ip1)
        gaps = [(b - a) for a, b in zip(a1, a1[1:]) if b > t_flood]
        worst = max(gaps) if gaps else None
        b_adverts = adverts(cap, ip2)
        stats = Path(f"/proc/{h1.daemon_pid()}/root/tmp/keepalived.stats")
        h1.send_signal(signal.SIGUSR2)
        time.sleep(0.5)
        stats_text = stats.read_text() if stats.exists() else ""
        new1 = h1.log_text()[log1_before:]
        new2 = h2.log_text()[log2_before:]
        lines1, lines2 = len(new1.splitlines()), len(new2.splitlines())
        summary = (f"[hostile:flood:{impl}] {sent} forged frames in {FLOOD_S:g} s "
                   f"({rate:,.0f}/s); h1 longest advert gap {worst / 1e6 if worst else 0:.4f} s; "
                   f"h2 adverts {len(b_adverts)}, h2 holds VIP {h2.holds(vip)}; "
                   f"log lines since the flood h1 {lines1}, h2 {lines2}")
        print(summary, file=sys.stderr)
        if rate < 10_000:
            problems.append(f"the flood was too slow to mean anything ({rate:,.0f}/s)")
        if worst is None or worst > 1_000_000 + TOL_US:
            problems.append(f"h1 went {worst} us without an advert during the flood "
                            f"(allowed {1_000_000 + TOL_US})")
        if b_adverts or h2.holds(vip):
            problems.append(f"h2 took over: {len(b_adverts)} adverts, VIP {h2.holds(vip)}")
        if not h1.holds(vip):
            problems.append("h1 lost the VIP")
        # keepalived's kinds: one line each per 10 s, plus the "not logged" line, per daemon
        if lines1 > 40 or lines2 > 40:
            problems.append(f"the flood reached the logs: {lines1} lines on h1, {lines2} on h2")
        # the .stats file's "Packet Errors" and "Authentication Errors" sections
        # (keepalived's layout has no line for checksum or version errors)
        counted, section = 0, ""
        for line in stats_text.splitlines():
            if line.startswith("  ") and not line.startswith("    "):
                section = line.strip()
            elif line.startswith("    ") and section in ("Packet Errors:",
                                                       "Authentication Errors:"):
                counted += int(line.split(":")[1])
        # 6 of the 8 kinds land in those sections; frames the kernel drops when the
        # socket's buffer is full never reach a daemon, so ask for half of them
        print(f"[hostile:flood:{impl}] rejected adverts counted in h1's stats: {counted}",
              file=sys.stderr)
        if counted < sent * 6 // 8 // 2:
            problems.append(f"h1's stats count {counted} rejected adverts of {sent} sent:\n"
                            f"{stats_text}")
        h1.stop()
        h2.stop()
    if impl == "keepalived":
        for p in problems:
            print(f"[hostile:flood:keepalived] note (keepalived 2.2.7's weakness): {p}",
                  file=sys.stderr)
        return
    assert not problems, "\n".join(problems)


def cases():
    for impl in ("keepalived", "ours"):
        yield (f"hostile:flood:{impl}", lambda impl=impl: check_flood(impl))


if __name__ == "__main__":
    subprocess.run([sys.executable, str(HERE / "run"), "hostile"], check=False)

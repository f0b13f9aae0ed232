"""Hostile scripts against the daemon's timing (issue 5, bad input): a track script that
hangs (killed at its timeout every interval), one that forks a long-lived child and exits
at once, one that prints megabytes, a notify script that never exits and a notify FIFO with
no reader. The master's adverts must keep their cadence on the wire, no child may stay a
zombie, every script problem is one log line per event, and SIGTERM still ends the daemon
with status 0 within 2 s.
"""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import wire
from wire import Lab

ADVER_US = 100_000
#: Allowed deviation of a master's advert period from 100 ms while scripts run. The
#: daemon wakes on a timerfd; a loaded 2-core machine adds scheduling delays, so the
#: test bound is loose and the benchmark reports the real figure.
TOLERANCE_US = 10_000


def zombies_of(pid: int) -> list[int]:
    out = []
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            st = Path(f"/proc/{d}/stat").read_text()
        except OSError:
            continue
        f = st[st.rindex(")") + 2:].split()
        if f[0] == "Z" and int(f[1]) == pid:
            out.append(int(d))
    return out


def write_script(path: Path, body: str) -> str:
    path.write_text("#!/bin/sh\n" + body)
    path.chmod(0o755)
    return str(path)


def check_hostile_scripts() -> None:
    with Lab(hosts=1, tag="scripts") as lb:
        node = lb.nodes[0]
        w = lb.work
        hang = write_script(w / "hang.sh", "exec sleep 1000\n")
        fork = write_script(w / "fork.sh", "sleep 30 &\nexit 0\n")
        chatty = write_script(w / "chatty.sh", "head -c 5000000 /dev/zero | tr '\\0' x\nexit 0\n")
        stuck = write_script(w / "stuck-notify.sh", "exec sleep 1000\n")
        conf = f"""global_defs {{
    script_user root
    vrrp_notify_fifo {w}/nobody-reads.fifo
}}
vrrp_script hang {{
    script "{hang}"
    interval 1
    timeout 1
    weight 2
}}
vrrp_script fork {{
    script "{fork}"
    interval 1
    weight 2
}}
vrrp_script chatty {{
    script "{chatty}"
    interval 1
    weight 2
}}
vrrp_instance VI_1 {{
    interface eth0
    virtual_router_id 71
    priority 200
    version 3
    advert_int 0.1
    virtual_ipaddress {{
        10.99.{lb.number}.100/24
    }}
    track_script {{
        hang
        fork
        chatty
    }}
    notify_master "{stuck}"
}}
"""
        cap = lb.start_capture()
        node.start("ours", conf, args=("-n", "-l", "-D"))
        t0 = time.monotonic()
        while not node.holds(f"10.99.{lb.number}.100"):
            assert time.monotonic() - t0 < 10, f"never master\n{node.log_tail()}"
            time.sleep(0.05)
        pid = node.daemon_pid()
        assert pid is not None
        worst_zombies = []
        t_run = time.monotonic()
        while time.monotonic() - t_run < 6:
            z = zombies_of(pid)
            if z:
                worst_zombies.append(z)
            time.sleep(0.25)
        rc = None
        t_stop = time.monotonic()
        rc = node.stop(signal.SIGTERM, timeout=5)
        took = time.monotonic() - t_stop
        cap.stop()
        # zombies: a just-exited child may be seen for an instant before SIGCHLD is handled;
        # one that stays across two samples (0.25 s apart) is a leak.
        persistent = [z for a, b in zip(worst_zombies, worst_zombies[1:]) for z in a if z in b]
        assert not persistent, f"children left as zombies: {persistent}\n{node.log_tail()}"
        assert rc == 0, f"exit status {rc}\n{node.log_tail()}"
        assert took < 2.0, f"SIGTERM took {took:.2f} s with a hanging notify script (limit 2 s)"
        adverts = [v for v in (wire.decode_vrrp(f) for f in cap.frames())
                   if v is not None and v.vrid == 71 and v.priority != 0]
        assert len(adverts) > 50, f"only {len(adverts)} adverts captured"
        gaps = [b.ts - a.ts for a, b in zip(adverts, adverts[1:])]
        worst = max(abs(g - ADVER_US) for g in gaps)
        assert worst <= TOLERANCE_US, (
            f"advert period off by up to {worst} us while scripts run "
            f"(limit {TOLERANCE_US}); gaps (us): {sorted(gaps)[:3]} .. {sorted(gaps)[-3:]}")
        log = node.log_text()
        assert "VRRP_Script(hang) timed_out" in log, node.log_tail(40)
        assert "VRRP_Script(hang) timed out after 1 s (timeout 1" in log, node.log_tail(40)
        # one transition line, not one per run: the hanging script fails every second
        assert log.count("VRRP_Script(hang) timed_out") == 1, log.count("VRRP_Script(hang) timed_out")
        assert "VRRP_Script(fork) succeeded" in log and "VRRP_Script(chatty) succeeded" in log
        # weights: 200 + 2 + 2 (hang failed) -> effective priority in the adverts
        assert {v.priority for v in adverts[-10:]} == {204}, {v.priority for v in adverts[-10:]}


def cases():
    yield ("scripts:hostile_scripts_keep_timing:ours", check_hostile_scripts)

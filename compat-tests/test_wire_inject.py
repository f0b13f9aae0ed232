"""Forged VRRP adverts injected from a third host must not change the state (issue 4).

Host C sends raw frames (wire.py send, AF_PACKET in C's namespace) that look like a
higher-priority (254) master for the seed's VRRPv2/PASS instance but carry a wrong
password, no authentication, a wrong VRID or TTL 254. Checked on the wire and in
`ip addr`, for keepalived and ours as master and as backup; see wire_scenarios.InjectRun.
Case names: wire:inject:<impl>-master/<impl>-backup.
"""

from __future__ import annotations

import wire_scenarios as ws


def cases():
    for a, b in ws.pairings():
        yield (ws.case_name("inject", ws.INJECT.roles, a, b),
               lambda a=a, b=b: ws.check_inject(a, b))

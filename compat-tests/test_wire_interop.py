"""Wire interop of VRRP daemons (issue 4): keepalived 2.2.7 and ours, in every role pairing.

Scenarios (wire_scenarios.SCENARIOS): the seed's master/backup configs (VRRPv2, PASS auth,
advert_int 1), VRRPv2 without auth, VRRPv3/IPv4 at 0.1 s, VRRPv3/IPv6 at 0.1 s, VRRPv3
unicast peers at 0.1 s, and the seed's dual-master configs. For each scenario and pairing
(keepalived/keepalived = the reference, ours/ours, ours master + keepalived backup,
keepalived master + ours backup) a two-host lab is run and its capture analysed; see
wire_scenarios.py for the flow and the checks. Case names: wire:<scenario>:<impl>-<role>/<impl>-<role>.

Only the reference pairing: KRS_WIRE_IMPLS=keepalived compat-tests/run wire
"""

from __future__ import annotations

import wire_scenarios as ws


def cases():
    for sc in ws.SCENARIOS:
        for a, b in ws.pairings():
            yield (ws.case_name(sc.key, sc.roles, a, b),
                   lambda sc=sc, a=a, b=b: ws.check_scenario(sc, a, b))

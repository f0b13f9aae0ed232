"""The pcap reader and VRRP/ARP/NA decoders of wire.py against keepalived's own captures
(/work/shared/compat/captures/*.pcap, see its README.md). No namespaces needed; these
keep the decoders honest, since every wire test relies on them.
Case names: wire:decode:<capture>.
"""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path

import wire
from wire import Arp, NA, Vrrp, skew_us

CAPTURES = Path(os.environ.get("KA_SHARED", str(Path(__file__).resolve().parents[2] / "shared"))) \
    / "compat" / "captures"


def _load(name: str):
    path = CAPTURES / name
    assert path.is_file(), f"capture not found: {path}"
    ev = [e for e in (wire.decode(f) for f in wire.read_pcap(path)) if e is not None]
    return ([e for e in ev if isinstance(e, Vrrp)], [e for e in ev if isinstance(e, Arp)],
            [e for e in ev if isinstance(e, NA)])


def _common(adverts, version, vrid, adver_int):
    assert adverts, "no VRRP adverts decoded"
    for a in adverts:
        got = (a.version, a.type, a.vrid, a.adver_int, a.ttl, a.tos, a.df, a.checksum_ok)
        exp = (version, 1, vrid, adver_int, 255, 0xC0, False, True)
        assert got == exp, f"advert at {a.ts}: (version, type, vrid, interval, ttl, tos, df, " \
                           f"checksum ok) = {got}, expected {exp}"
        if a.family == 4:
            assert a.ip_csum_ok, f"advert at {a.ts}: bad IPv4 header checksum"


def _ids(adverts):
    by = {}
    for a in adverts:
        by.setdefault(a.ip_src, []).append(a.ip_id)
    for src, ids in by.items():
        assert ids[0] == 1 and all(q - p == 1 for p, q in zip(ids, ids[1:])), \
            f"IP ids from {src}: {ids} (keepalived counts from 1)"


def check_v2pass():
    adv, arp, _ = _load("v2pass-failover.pcap")
    _common(adv, 2, 255, 1)
    for a in adv:
        assert (a.auth_type, a.auth_data, a.addresses, a.ip_dst, a.ip_len) == \
            (1, b"1111\0\0\0\0", ("10.99.0.140",), "224.0.0.18", 40), a
    assert Counter(a.priority for a in adv) == Counter({100: 6, 0: 2, 50: 2}), \
        Counter(a.priority for a in adv)
    _ids(adv)
    garps = [g for g in arp if g.gratuitous]
    assert len(garps) == 15 and all(
        (g.op, g.sender_ip, g.target_mac, g.dst_mac, g.sender_mac == g.src_mac)
        == (1, "10.99.0.140", "ff:ff:ff:ff:ff:ff", "ff:ff:ff:ff:ff:ff", True) for g in garps), garps
    # h1's priority-0 advert -> h2's first advert: skew(50) = 804.687 ms (KEEPALIVED.md §5.4)
    zero = next(a for a in adv if a.priority == 0)
    first_b = next(a for a in adv if a.ip_src == "10.99.0.2")
    d = first_b.ts - zero.ts
    assert abs(d - skew_us(2, 50, 1_000_000)) <= 20_000, f"takeover after {d} µs"


def check_v3_ipv4():
    adv, arp, _ = _load("v3-ipv4.pcap")
    _common(adv, 3, 33, 50)
    for a in adv:
        assert (a.addresses, a.reserved, a.auth_type, a.ip_len) == \
            (("10.99.0.150", "10.99.0.151"), 0, None, 36), a
    _ids(adv)
    assert sum(g.gratuitous for g in arp) == 20


def check_v3_ipv6():
    adv, _, nas = _load("v3-ipv6.pcap")
    _common(adv, 3, 66, 100)
    for a in adv:
        assert a.ip_src.startswith("fe80::") and a.ip_dst == "ff02::12" and a.ip_id is None \
            and a.addresses == ("fe80::66", "fd00:99::140") and a.dst_mac == "33:33:00:00:00:12", a
    assert len(nas) == 20 and {n.target for n in nas} == {"fe80::66", "fd00:99::140"}
    for n in nas:
        assert (n.ip_src, n.ip_dst, n.hop_limit, n.override, n.solicited, n.router, n.tlla,
                n.checksum_ok) == (n.target, "ff02::1", 255, True, False, False, n.src_mac, True), n


def check_v2_unicast():
    adv, arp, _ = _load("v2-unicast.pcap")
    _common(adv, 2, 77, 1)
    # recorded on host .3, one of the two peers: it only sees the adverts sent to it
    got = {(a.ip_src, a.ip_dst, a.dst_mac == "ff:ff:ff:ff:ff:ff", a.auth_type, a.auth_data)
           for a in adv}
    assert got == {("10.99.0.1", "10.99.0.3", False, 0, bytes(8))}, got
    assert [a.priority for a in adv] == [120] * 6 + [0], [a.priority for a in adv]
    n = sum(g.gratuitous for g in arp)
    assert n == 10, f"{n} gratuitous ARPs"


def cases():
    yield "wire:decode:v2pass-failover", check_v2pass
    yield "wire:decode:v3-ipv4", check_v3_ipv4
    yield "wire:decode:v3-ipv6", check_v3_ipv6
    yield "wire:decode:v2-unicast", check_v2_unicast

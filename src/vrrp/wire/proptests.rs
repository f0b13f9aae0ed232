//! Properties of the wire layer: every valid repr emits and parses back
//! equal, the incremental priority patch equals a full recompute, and no
//! parser panics on any bytes (the fuzz target `vrrp_decoder` goes further).

use super::advert::{self, RxFamily};
use super::arp::{ArpFrameRepr, ArpOperation, ArpPacket, ArpRepr};
use super::ethernet::{EthernetAddress, EthernetRepr, ethertype};
use super::ipv4::{HeaderChecksum, Ipv4Packet, Ipv4Repr};
use super::ipv6::{Ipv6Packet, Ipv6Repr};
use super::ndisc::{NaFrameRepr, NaPacket, NaRepr};
use super::vrrp::{
    Auth, AuthType, ChecksumForm, Family, Kind, MCAST_GROUP_V4, MCAST_GROUP_V6, PseudoHeader,
    Version, VrrpPacket, VrrpRepr,
};
use proptest::prelude::*;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

fn arb_family() -> impl Strategy<Value = Family> {
    prop_oneof![Just(Family::Ipv4), Just(Family::Ipv6)]
}

fn arb_addr(family: Family) -> BoxedStrategy<IpAddr> {
    match family {
        Family::Ipv4 => any::<[u8; 4]>()
            .prop_map(|o| IpAddr::V4(Ipv4Addr::from(o)))
            .boxed(),
        Family::Ipv6 => any::<[u8; 16]>()
            .prop_map(|o| IpAddr::V6(Ipv6Addr::from(o)))
            .boxed(),
    }
}

fn arb_ph(family: Family) -> BoxedStrategy<PseudoHeader> {
    match family {
        Family::Ipv4 => (any::<[u8; 4]>(), any::<[u8; 4]>(), any::<bool>())
            .prop_map(|(s, d, group)| PseudoHeader::V4 {
                src: Ipv4Addr::from(s),
                dst: if group {
                    MCAST_GROUP_V4
                } else {
                    Ipv4Addr::from(d)
                },
            })
            .boxed(),
        Family::Ipv6 => (any::<[u8; 16]>(), any::<[u8; 16]>(), any::<bool>())
            .prop_map(|(s, d, group)| PseudoHeader::V6 {
                src: Ipv6Addr::from(s),
                dst: if group {
                    MCAST_GROUP_V6
                } else {
                    Ipv6Addr::from(d)
                },
            })
            .boxed(),
    }
}

fn arb_form() -> impl Strategy<Value = ChecksumForm> {
    prop_oneof![
        Just(ChecksumForm::Standard),
        Just(ChecksumForm::OldUnicast),
        Just(ChecksumForm::NoPseudoHeader)
    ]
}

fn arb_auth(family: Family) -> impl Strategy<Value = Auth> {
    (0u8..=2, any::<[u8; 8]>()).prop_map(move |(kind, data)| Auth {
        kind: AuthType::from_number(kind).unwrap(),
        data: if family == Family::Ipv4 { data } else { [0; 8] },
    })
}

/// A valid repr of `family`.
fn arb_repr(family: Family) -> impl Strategy<Value = VrrpRepr> {
    let v2 = (0u16..=255, arb_auth(family)).prop_map(|(i, a)| (Version::V2, i, a));
    let v3 = (0u16..=0x0fff).prop_map(|i| (Version::V3, i, Auth::NONE));
    (
        prop_oneof![v2, v3],
        any::<u8>(),
        any::<u8>(),
        prop::collection::vec(arb_addr(family), 0..12),
    )
        .prop_map(
            |((version, interval, auth), vrid, priority, addresses)| VrrpRepr {
                version,
                kind: Kind::Advertisement,
                vrid,
                priority,
                interval,
                auth,
                addresses,
            },
        )
}

fn arb_case() -> impl Strategy<Value = (Family, VrrpRepr, PseudoHeader, ChecksumForm)> {
    arb_family().prop_flat_map(|f| (Just(f), arb_repr(f), arb_ph(f), arb_form()))
}

fn emit(repr: &VrrpRepr, ph: &PseudoHeader, form: ChecksumForm) -> Vec<u8> {
    let mut buf = vec![0xa5; repr.buffer_len(ph.family())];
    repr.emit(&mut VrrpPacket::new_unchecked(&mut buf), ph, form);
    buf
}

/// Every parser in the layer, on the same bytes; results are dropped.
fn parse_everything(bytes: &[u8]) {
    let _ = advert::decode_advert(bytes, RxFamily::Ipv4);
    let rx6 = RxFamily::Ipv6 {
        src: "fe80::1".parse().unwrap(),
        dst: MCAST_GROUP_V6,
        hop_limit: Some(255),
    };
    let _ = advert::decode_advert(bytes, rx6);
    if let Ok((info, vrrp)) = advert::parse_ip_packet(bytes, RxFamily::Ipv4) {
        let p = VrrpPacket::new_unchecked(vrrp);
        let _ = VrrpRepr::parse(&p, &info.pseudo_header());
        let _ = (p.addresses(Family::Ipv6).count(), p.auth_data(Family::Ipv4));
    }
    for ph in [
        PseudoHeader::V4 {
            src: Ipv4Addr::new(10, 0, 0, 1),
            dst: Ipv4Addr::new(10, 0, 0, 2),
        },
        PseudoHeader::V6 {
            src: Ipv6Addr::LOCALHOST,
            dst: MCAST_GROUP_V6,
        },
    ] {
        let _ = VrrpRepr::parse(&VrrpPacket::new_unchecked(bytes), &ph);
    }
    let _ = Ipv4Packet::new_checked(bytes).and_then(|p| Ipv4Repr::parse(&p));
    let _ = Ipv6Packet::new_checked(bytes).and_then(|p| Ipv6Repr::parse(&p));
    let _ = ArpFrameRepr::parse(bytes);
    let _ = ArpPacket::new_checked(bytes).and_then(|p| ArpRepr::parse(&p));
    let _ = NaFrameRepr::parse(bytes);
    let _ = NaPacket::new_checked(bytes)
        .and_then(|p| NaRepr::parse(&p, &Ipv6Addr::LOCALHOST, &Ipv6Addr::LOCALHOST));
}

proptest! {
    #[test]
    fn vrrp_round_trip((family, repr, ph, form) in arb_case()) {
        prop_assert_eq!(repr.check(family), Ok(()));
        let bytes = emit(&repr, &ph, form);
        let packet = VrrpPacket::new_checked(&bytes[..], family).unwrap();
        prop_assert!(packet.checksum_matches(form, &ph));
        let (parsed, got) = VrrpRepr::parse(&packet, &ph).unwrap();
        prop_assert_eq!(parsed, repr);
        if form == ChecksumForm::Standard {
            prop_assert_eq!(got, ChecksumForm::Standard);
        }
    }

    #[test]
    fn ipv4_advert_round_trip(
        repr in arb_repr(Family::Ipv4),
        (src, dst) in any::<([u8; 4], [u8; 4])>(),
        ttl in any::<u8>(),
        ident in any::<u16>(),
        form in arb_form(),
    ) {
        let header = advert::advert_ipv4_header(src.into(), dst.into(), ttl, ident);
        let mut buf = vec![0xa5; advert::ipv4_advert_len(&repr)];
        advert::emit_ipv4_advert(&header, &repr, form, HeaderChecksum::Compute, &mut buf);
        let got = advert::decode_advert(&buf, RxFamily::Ipv4).unwrap();
        prop_assert_eq!(&got.vrrp, &repr);
        prop_assert_eq!(got.ip.ttl, Some(ttl));
        prop_assert!(got.ip.header_checksum_ok);
        let ip = Ipv4Repr::parse(&Ipv4Packet::new_checked(&buf[..]).unwrap()).unwrap();
        prop_assert_eq!(ip, Ipv4Repr { payload_len: repr.buffer_len(Family::Ipv4), ..header });
    }

    #[test]
    fn priority_patch_equals_recompute((_f, repr, ph, form) in arb_case(), priority in any::<u8>()) {
        let mut patched = emit(&repr, &ph, form);
        VrrpPacket::new_unchecked(&mut patched[..]).update_priority(priority);
        let fresh = emit(&VrrpRepr { priority, ..repr }, &ph, form);
        // One's complement has two zeros: the patch and a recompute may
        // differ only as 0x0000 against 0xffff, both valid.
        prop_assert!(VrrpPacket::new_unchecked(&patched[..]).checksum_matches(form, &ph));
        let zero = |b: &[u8]| b == [0, 0] || b == [0xff, 0xff];
        if !(zero(&patched[6..8]) && zero(&fresh[6..8])) {
            prop_assert_eq!(patched, fresh);
        }
    }

    #[test]
    fn arp_round_trip(
        mac in any::<[u8; 6]>(), tmac in any::<[u8; 6]>(),
        sip in any::<[u8; 4]>(), tip in any::<[u8; 4]>(), op in any::<u16>(),
    ) {
        let repr = ArpFrameRepr {
            eth: EthernetRepr { src: EthernetAddress(mac), dst: EthernetAddress::BROADCAST, ethertype: ethertype::ARP },
            arp: ArpRepr {
                operation: ArpOperation::from(op),
                sender_mac: EthernetAddress(mac),
                sender_ip: sip.into(),
                target_mac: EthernetAddress(tmac),
                target_ip: tip.into(),
            },
        };
        let mut buf = vec![0xa5; repr.buffer_len()];
        repr.emit(&mut buf);
        prop_assert_eq!(ArpFrameRepr::parse(&buf).unwrap(), repr);
    }

    #[test]
    fn na_round_trip(mac in any::<[u8; 6]>(), vip in any::<[u8; 16]>(), router in any::<bool>()) {
        let repr = NaFrameRepr::unsolicited(EthernetAddress(mac), vip.into(), router);
        let mut buf = vec![0xa5; repr.buffer_len()];
        repr.emit(&mut buf);
        prop_assert_eq!(NaFrameRepr::parse(&buf).unwrap(), repr);
    }

    #[test]
    fn no_parser_panics_on_any_bytes(bytes in prop::collection::vec(any::<u8>(), 0..160)) {
        parse_everything(&bytes);
    }

    #[test]
    fn no_parser_panics_on_damaged_packets(
        (_f, repr, ph, form) in arb_case(),
        edits in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 0..4),
        cut in any::<prop::sample::Index>(),
    ) {
        let header = advert::advert_ipv4_header(Ipv4Addr::new(10, 0, 0, 1), MCAST_GROUP_V4, 255, 1);
        let mut packets = vec![emit(&repr, &ph, form)];
        if ph.family() == Family::Ipv4 {
            let mut buf = vec![0; advert::ipv4_advert_len(&repr)];
            advert::emit_ipv4_advert(&header, &repr, form, HeaderChecksum::Compute, &mut buf);
            packets.push(buf);
        }
        let mut frame = vec![0; 86];
        NaFrameRepr::unsolicited(EthernetAddress([2; 6]), Ipv6Addr::LOCALHOST, false).emit(&mut frame);
        packets.push(frame);
        for mut bytes in packets {
            for (at, value) in &edits {
                let i = at.index(bytes.len());
                bytes[i] = *value;
            }
            parse_everything(&bytes);
            parse_everything(&bytes[..cut.index(bytes.len() + 1)]);
        }
    }
}

//! Byte-exact tests against keepalived 2.2.7's own packets: every advert,
//! gratuitous ARP and unsolicited NA of the captures in
//! `../shared/compat/captures` (see its README) is parsed, checked against
//! the capture's configuration, re-emitted from its repr and compared byte for
//! byte with the captured frame. IPv4 adverts are compared with the header
//! checksum the kernel filled, computed here; IPv6 adverts with the VRRP
//! checksum the kernel filled (`IPV6_CHECKSUM`), computed here.

use super::advert::{self, RxFamily};
use super::arp::ArpFrameRepr;
use super::ethernet::{EthernetAddress, EthernetFrame, EthernetRepr, ethertype};
use super::ipv4::{HeaderChecksum, Ipv4Packet, TOS_NETWORK_CONTROL};
use super::ipv6::{Ipv6Packet, Ipv6Repr};
use super::ndisc::{self, NaFrameRepr};
use super::pcap;
use super::vrrp::{
    Auth, ChecksumForm, Kind, MCAST_GROUP_V4, MCAST_GROUP_V6, PROTOCOL_VRRP, TTL, Version,
    VrrpPacket,
};
use std::collections::BTreeMap;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// What a capture's configuration says its packets must carry.
struct Expect {
    file: &'static str,
    version: Version,
    vrid: u8,
    interval: u16,
    auth: Auth,
    addresses: Vec<IpAddr>,
    /// Each advert source and its configured priority.
    priorities: Vec<(IpAddr, u8)>,
    /// The unicast peer the capture saw, or `None` for multicast.
    unicast_dst: Option<IpAddr>,
    counts: Counts,
}

#[derive(Debug, Default, PartialEq, Eq)]
struct Counts {
    adverts: usize,
    garps: usize,
    nas: usize,
    /// ARP traffic of the kernel (resolving unicast peers), not keepalived's.
    other_arps: usize,
}

/// Per advert source: the VRRP messages in order, and the IPv4 IDs.
#[derive(Default)]
struct Source {
    messages: Vec<Vec<u8>>,
    priorities: Vec<u8>,
    idents: Vec<u16>,
}

fn v4(a: [u8; 4]) -> IpAddr {
    IpAddr::V4(Ipv4Addr::from(a))
}

fn v6(s: &str) -> IpAddr {
    IpAddr::V6(s.parse::<Ipv6Addr>().unwrap())
}

fn run(e: &Expect) {
    let Some(cap) = pcap::load(e.file) else {
        return;
    };
    assert_eq!(cap.linktype, pcap::LINKTYPE_ETHERNET, "{}", e.file);
    let mut counts = Counts::default();
    let mut sources: BTreeMap<IpAddr, Source> = BTreeMap::new();
    for (i, rec) in cap.records.iter().enumerate() {
        let ctx = format!("{} frame {}", e.file, i + 1);
        let frame = EthernetFrame::new_checked(&rec.data[..]).expect(&ctx);
        let eth = EthernetRepr::parse(&frame).expect(&ctx);
        let mut header = [0xa5u8; 14];
        eth.emit(&mut EthernetFrame::new_unchecked(&mut header[..]));
        assert_eq!(&header[..], &rec.data[..14], "{ctx}: Ethernet header");
        match eth.ethertype {
            ethertype::ARP => check_arp(e, &eth, &rec.data, &mut counts, &ctx),
            ethertype::IPV4 => check_ipv4(e, &eth, frame.payload(), &mut sources, &ctx),
            ethertype::IPV6 => check_ipv6(e, &eth, &rec.data, &mut sources, &mut counts, &ctx),
            other => panic!("{ctx}: unexpected ethertype {other:#06x}"),
        }
    }
    counts.adverts = sources.values().map(|s| s.messages.len()).sum();
    assert_eq!(counts, e.counts, "{}", e.file);
    for (src, s) in &sources {
        check_source(e, src, s);
    }
}

fn check_arp(e: &Expect, eth: &EthernetRepr, data: &[u8], counts: &mut Counts, ctx: &str) {
    let repr = ArpFrameRepr::parse(data).expect(ctx);
    let mut buf = vec![0xa5; repr.buffer_len()];
    repr.emit(&mut buf);
    assert_eq!(&buf[..], data, "{ctx}: ARP re-emit");
    if !repr.arp.is_gratuitous() {
        counts.other_arps += 1;
        return;
    }
    counts.garps += 1;
    let vip = IpAddr::V4(repr.arp.sender_ip);
    assert!(
        e.addresses.contains(&vip),
        "{ctx}: GARP for {vip}, not a VIP"
    );
    assert_eq!(
        repr,
        ArpFrameRepr::gratuitous(eth.src, repr.arp.sender_ip),
        "{ctx}"
    );
}

fn check_ipv4(
    e: &Expect,
    eth: &EthernetRepr,
    payload: &[u8],
    sources: &mut BTreeMap<IpAddr, Source>,
    ctx: &str,
) {
    let ip = Ipv4Packet::new_checked(payload).expect(ctx);
    assert_eq!(ip.protocol(), PROTOCOL_VRRP, "{ctx}");
    // keepalived's header: IHL 5, TOS 0xc0, no flags, TTL 255.
    assert_eq!(
        (ip.ihl(), ip.tos(), ip.flags_frag_off(), ip.ttl()),
        (5, TOS_NETWORK_CONTROL, 0, TTL),
        "{ctx}"
    );
    assert!(ip.verify_checksum(), "{ctx}");
    let advert = advert::decode_advert(payload, RxFamily::Ipv4).expect(ctx);
    check_vrrp(e, &advert, ctx);
    match e.unicast_dst {
        Some(dst) => assert_eq!(advert.ip.dst, dst, "{ctx}"),
        None => {
            assert_eq!(advert.ip.dst, IpAddr::V4(MCAST_GROUP_V4), "{ctx}");
            assert_eq!(
                eth.dst,
                EthernetAddress::ipv4_multicast(MCAST_GROUP_V4),
                "{ctx}"
            );
        }
    }
    // Re-emit the whole IP packet: with the header checksum computed it is
    // what the kernel sent; left 0 (keepalived's buffer) only that differs.
    let header = advert::advert_ipv4_header(ip.src_addr(), ip.dst_addr(), ip.ttl(), ip.ident());
    let mut buf = vec![0xa5; payload.len()];
    let n = advert::emit_ipv4_advert(
        &header,
        &advert.vrrp,
        advert.checksum,
        HeaderChecksum::Compute,
        &mut buf,
    );
    assert_eq!(n, payload.len(), "{ctx}");
    assert_eq!(&buf[..], payload, "{ctx}: IPv4 advert re-emit");
    advert::emit_ipv4_advert(
        &header,
        &advert.vrrp,
        advert.checksum,
        HeaderChecksum::LeaveZero,
        &mut buf,
    );
    assert_eq!(&buf[10..12], &[0, 0], "{ctx}");
    assert_eq!(
        (&buf[..10], &buf[12..]),
        (&payload[..10], &payload[12..]),
        "{ctx}"
    );

    let s = sources.entry(advert.ip.src).or_default();
    s.messages.push(payload[20..].to_vec());
    s.priorities.push(advert.vrrp.priority);
    s.idents.push(ip.ident());
}

fn check_ipv6(
    e: &Expect,
    eth: &EthernetRepr,
    frame: &[u8],
    sources: &mut BTreeMap<IpAddr, Source>,
    counts: &mut Counts,
    ctx: &str,
) {
    let payload = &frame[14..];
    let ip_packet = Ipv6Packet::new_checked(payload).expect(ctx);
    let ip = Ipv6Repr::parse(&ip_packet).expect(ctx);
    let mut header = [0xa5u8; 40];
    ip.emit(&mut Ipv6Packet::new_unchecked(&mut header[..]));
    assert_eq!(&header[..], &payload[..40], "{ctx}: IPv6 header re-emit");
    match ip.next_header {
        PROTOCOL_VRRP => {
            // The kernel's header: class 0xc0 (IPV6_TCLASS), hop limit 255,
            // from the interface's link-local address to ff02::12.
            assert_eq!((ip.traffic_class, ip.hop_limit), (0xc0, TTL), "{ctx}");
            assert_eq!(ip.dst, MCAST_GROUP_V6, "{ctx}");
            assert_eq!(
                eth.dst,
                EthernetAddress::ipv6_multicast(&MCAST_GROUP_V6),
                "{ctx}"
            );
            assert_eq!(ip.src.segments()[0], 0xfe80, "{ctx}: source is link-local");
            let vrrp = ip_packet.payload();
            let rx = RxFamily::Ipv6 {
                src: ip.src,
                dst: ip.dst,
                hop_limit: Some(ip.hop_limit),
            };
            let advert = advert::decode_advert(vrrp, rx).expect(ctx);
            check_vrrp(e, &advert, ctx);
            let mut buf = vec![0xa5; vrrp.len()];
            let ph = advert.ip.pseudo_header();
            advert.vrrp.emit(
                &mut VrrpPacket::new_unchecked(&mut buf),
                &ph,
                ChecksumForm::Standard,
            );
            assert_eq!(
                &buf[..],
                vrrp,
                "{ctx}: IPv6 advert re-emit (kernel checksum)"
            );
            let s = sources.entry(advert.ip.src).or_default();
            s.messages.push(vrrp.to_vec());
            s.priorities.push(advert.vrrp.priority);
        }
        ndisc::PROTOCOL_ICMPV6 => {
            let na = NaFrameRepr::parse(frame).expect(ctx);
            let vip = IpAddr::V6(na.na.target);
            assert!(e.addresses.contains(&vip), "{ctx}: NA for {vip}, not a VIP");
            assert_eq!(
                na,
                NaFrameRepr::unsolicited(eth.src, na.na.target, false),
                "{ctx}"
            );
            let mut buf = vec![0xa5; na.buffer_len()];
            na.emit(&mut buf);
            assert_eq!(&buf[..], frame, "{ctx}: NA re-emit");
            counts.nas += 1;
        }
        other => panic!("{ctx}: unexpected next header {other}"),
    }
}

fn check_vrrp(e: &Expect, advert: &advert::Advert, ctx: &str) {
    assert_eq!(advert.checksum, ChecksumForm::Standard, "{ctx}");
    let v = &advert.vrrp;
    assert_eq!(v.version, e.version, "{ctx}");
    assert_eq!(v.kind, Kind::Advertisement, "{ctx}");
    assert_eq!(v.vrid, e.vrid, "{ctx}");
    assert_eq!(v.interval, e.interval, "{ctx}");
    assert_eq!(v.auth, e.auth, "{ctx}");
    assert_eq!(v.addresses, e.addresses, "{ctx}");
}

/// Each source sends its configured priority and, at the end (SIGTERM),
/// one priority-0 advert whose checksum is the incremental patch of the
/// normal one. IPv4 IDs count 1, 2, 3, … per instance.
fn check_source(e: &Expect, src: &IpAddr, s: &Source) {
    let (_, prio) = e
        .priorities
        .iter()
        .find(|(a, _)| a == src)
        .unwrap_or_else(|| panic!("{}: source {src}", e.file));
    let (last, rest) = s.priorities.split_last().unwrap();
    assert_eq!(*last, 0, "{}: {src} ends with priority 0", e.file);
    assert!(
        rest.iter().all(|p| p == prio),
        "{}: {src} priorities {:?}",
        e.file,
        s.priorities
    );
    let mut patched = s.messages[0].clone();
    VrrpPacket::new_unchecked(&mut patched[..]).update_priority(0);
    assert_eq!(
        &patched,
        s.messages.last().unwrap(),
        "{}: {src} priority-0 checksum",
        e.file
    );
    if src.is_ipv4() {
        let expected: Vec<u16> = (1..=s.idents.len() as u16).collect();
        assert_eq!(s.idents, expected, "{}: {src} IP IDs", e.file);
    }
}

#[test]
fn v2_pass_failover() {
    run(&Expect {
        file: "v2pass-failover.pcap",
        version: Version::V2,
        vrid: 255,
        interval: 1,
        auth: Auth::pass(b"1111"),
        addresses: vec![v4([10, 99, 0, 140])],
        priorities: vec![(v4([10, 99, 0, 1]), 100), (v4([10, 99, 0, 2]), 50)],
        unicast_dst: None,
        counts: Counts {
            adverts: 10,
            garps: 15,
            nas: 0,
            other_arps: 0,
        },
    });
}

#[test]
fn v3_ipv4() {
    run(&Expect {
        file: "v3-ipv4.pcap",
        version: Version::V3,
        vrid: 33,
        interval: 50,
        auth: Auth::NONE,
        addresses: vec![v4([10, 99, 0, 150]), v4([10, 99, 0, 151])],
        priorities: vec![(v4([10, 99, 0, 1]), 200)],
        unicast_dst: None,
        counts: Counts {
            adverts: 16,
            garps: 20,
            nas: 0,
            other_arps: 0,
        },
    });
}

#[test]
fn v3_ipv6() {
    run(&Expect {
        file: "v3-ipv6.pcap",
        version: Version::V3,
        vrid: 66,
        interval: 100,
        auth: Auth::NONE,
        addresses: vec![v6("fe80::66"), v6("fd00:99::140")],
        priorities: vec![(v6("fe80::40f:beff:fe44:8486"), 150)],
        unicast_dst: None,
        counts: Counts {
            adverts: 7,
            garps: 0,
            nas: 20,
            other_arps: 0,
        },
    });
}

#[test]
fn v2_unicast() {
    run(&Expect {
        file: "v2-unicast.pcap",
        version: Version::V2,
        vrid: 77,
        interval: 1,
        auth: Auth::NONE,
        addresses: vec![v4([10, 99, 0, 177])],
        priorities: vec![(v4([10, 99, 0, 1]), 120)],
        unicast_dst: Some(v4([10, 99, 0, 3])),
        counts: Counts {
            adverts: 7,
            garps: 10,
            nas: 0,
            other_arps: 5,
        },
    });
}

/// Frames of a `tcpdump -e -X` text dump: the EtherType from each header
/// line and the bytes of its hex lines (from the IP or ARP header on; the
/// indented hex of tcpdump's option decoding is skipped).
fn tcpdump_frames(text: &str) -> Vec<(u16, Vec<u8>)> {
    let mut frames: Vec<(u16, Vec<u8>)> = Vec::new();
    for line in text.lines() {
        if !line.starts_with(['\t', ' ']) {
            let et = line
                .split_once("ethertype ")
                .and_then(|(_, r)| r.split_once("(0x"))
                .map(|(_, r)| &r[..4]);
            frames.push((
                u16::from_str_radix(et.expect(line), 16).unwrap(),
                Vec::new(),
            ));
        } else if let Some(rest) = line.strip_prefix("\t0x") {
            let hex = rest
                .split_once(":  ")
                .unwrap()
                .1
                .split("  ")
                .next()
                .unwrap();
            let frame = &mut frames.last_mut().unwrap().1;
            for group in hex.split(' ') {
                frame.extend(
                    (0..group.len())
                        .step_by(2)
                        .map(|i| u8::from_str_radix(&group[i..i + 2], 16).unwrap()),
                );
            }
        }
    }
    frames
}

/// The `tcpdump -X` dumps of evidence/ (two-node v2 with a priority change,
/// v3 IPv4 + IPv6 with priority-0 handover, v2 unicast with PASS): every
/// keepalived frame decodes and re-emits byte for byte; IPv4 IDs count from
/// 1. (`other_arps` counts the kernel's one router solicitation here.)
#[test]
fn evidence_dumps() {
    let dir = pcap::captures_dir().join("../evidence");
    let mut totals = Counts::default();
    for name in ["cap1-tcpdump.txt", "cap2-tcpdump.txt", "cap3-tcpdump.txt"] {
        let path = dir.join(name);
        let Ok(text) = std::fs::read_to_string(&path) else {
            println!("note: skipping {} (absent)", path.display());
            return;
        };
        let mut idents: BTreeMap<IpAddr, Vec<u16>> = BTreeMap::new();
        for (i, (et, bytes)) in tcpdump_frames(&text).iter().enumerate() {
            let ctx = format!("{name} frame {}", i + 1);
            match *et {
                ethertype::IPV4 => {
                    let ip = Ipv4Packet::new_checked(&bytes[..]).expect(&ctx);
                    assert_eq!(
                        (ip.tos(), ip.ttl(), ip.flags_frag_off()),
                        (0xc0, 255, 0),
                        "{ctx}"
                    );
                    let advert = advert::decode_advert(bytes, RxFamily::Ipv4).expect(&ctx);
                    assert_eq!(advert.checksum, ChecksumForm::Standard, "{ctx}");
                    let header = advert::advert_ipv4_header(
                        ip.src_addr(),
                        ip.dst_addr(),
                        ip.ttl(),
                        ip.ident(),
                    );
                    let mut buf = vec![0xa5; bytes.len()];
                    advert::emit_ipv4_advert(
                        &header,
                        &advert.vrrp,
                        advert.checksum,
                        HeaderChecksum::Compute,
                        &mut buf,
                    );
                    assert_eq!(&buf, bytes, "{ctx}");
                    idents.entry(advert.ip.src).or_default().push(ip.ident());
                    totals.adverts += 1;
                }
                ethertype::ARP => {
                    use super::arp::{ArpPacket, ArpRepr};
                    let arp = ArpRepr::parse(&ArpPacket::new_checked(&bytes[..]).expect(&ctx))
                        .expect(&ctx);
                    assert!(arp.is_gratuitous(), "{ctx}");
                    let mut buf = vec![0xa5; arp.buffer_len()];
                    arp.emit(&mut ArpPacket::new_unchecked(&mut buf[..]));
                    assert_eq!(&buf, bytes, "{ctx}");
                    assert_eq!(
                        arp,
                        ArpRepr::gratuitous(arp.sender_mac, arp.sender_ip),
                        "{ctx}"
                    );
                    totals.garps += 1;
                }
                ethertype::IPV6 => {
                    let ip_packet = Ipv6Packet::new_checked(&bytes[..]).expect(&ctx);
                    let ip = Ipv6Repr::parse(&ip_packet).expect(&ctx);
                    let payload = ip_packet.payload();
                    let mut buf = vec![0xa5; bytes.len()];
                    ip.emit(&mut Ipv6Packet::new_unchecked(&mut buf[..]));
                    if ip.next_header == PROTOCOL_VRRP {
                        let rx = RxFamily::Ipv6 {
                            src: ip.src,
                            dst: ip.dst,
                            hop_limit: Some(ip.hop_limit),
                        };
                        let advert = advert::decode_advert(payload, rx).expect(&ctx);
                        let ph = advert.ip.pseudo_header();
                        advert.vrrp.emit(
                            &mut VrrpPacket::new_unchecked(&mut buf[40..]),
                            &ph,
                            ChecksumForm::Standard,
                        );
                        totals.adverts += 1;
                    } else if payload.first() != Some(&ndisc::TYPE_NEIGHBOR_ADVERT) {
                        // The kernel's router solicitation, not keepalived's.
                        totals.other_arps += 1;
                        continue;
                    } else {
                        use super::ndisc::{NaPacket, NaRepr};
                        let na = NaRepr::parse(
                            &NaPacket::new_checked(payload).expect(&ctx),
                            &ip.src,
                            &ip.dst,
                        );
                        let na = na.expect(&ctx);
                        assert_eq!(
                            (na.target, ip.dst, ip.hop_limit),
                            (ip.src, ndisc::ALL_NODES, 255),
                            "{ctx}"
                        );
                        na.emit(
                            &mut NaPacket::new_unchecked(&mut buf[40..]),
                            &ip.src,
                            &ip.dst,
                        );
                        totals.nas += 1;
                    }
                    assert_eq!(&buf, bytes, "{ctx}");
                }
                other => panic!("{ctx}: ethertype {other:#06x}"),
            }
        }
        for (src, ids) in idents {
            let expected: Vec<u16> = (1..=ids.len() as u16).collect();
            assert_eq!(ids, expected, "{name}: IP IDs of {src}");
        }
    }
    assert_eq!(
        totals,
        Counts {
            adverts: 85,
            garps: 68,
            nas: 30,
            other_arps: 1
        }
    );
}

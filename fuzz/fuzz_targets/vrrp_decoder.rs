//! Every wire parser on the same bytes: an IPv4 raw-socket read (header
//! included), an IPv6 read (the VRRP message alone, fixed addresses), the
//! VRRP message read as either family, a gratuitous-ARP frame and an
//! unsolicited-NA frame. Must never panic; whatever parses must re-emit and
//! parse back to the same repr.
#![no_main]

use keepalived_rs::vrrp::wire::advert::{self, RxFamily};
use keepalived_rs::vrrp::wire::arp::ArpFrameRepr;
use keepalived_rs::vrrp::wire::ipv4::HeaderChecksum;
use keepalived_rs::vrrp::wire::ndisc::NaFrameRepr;
use keepalived_rs::vrrp::wire::vrrp::{MCAST_GROUP_V6, PseudoHeader, VrrpPacket, VrrpRepr};
use libfuzzer_sys::fuzz_target;
use std::net::Ipv6Addr;

const SRC6: Ipv6Addr = Ipv6Addr::new(0xfe80, 0, 0, 0, 0, 0, 0, 1);

fn ipv4_read(data: &[u8]) {
    let Ok(got) = advert::decode_advert(data, RxFamily::Ipv4) else {
        return;
    };
    let (src, dst) = match got.ip.pseudo_header() {
        PseudoHeader::V4 { src, dst } => (src, dst),
        PseudoHeader::V6 { .. } => panic!("IPv4 read gave an IPv6 pseudo header"),
    };
    let header = advert::advert_ipv4_header(src, dst, got.ip.ttl.unwrap_or(255), 1);
    let mut buf = vec![0; advert::ipv4_advert_len(&got.vrrp)];
    advert::emit_ipv4_advert(
        &header,
        &got.vrrp,
        got.checksum,
        HeaderChecksum::Compute,
        &mut buf,
    );
    let again = advert::decode_advert(&buf, RxFamily::Ipv4).expect("re-emitted IPv4 advert parses");
    assert_eq!(again.vrrp, got.vrrp);
}

fn ipv6_read(data: &[u8]) {
    let rx = RxFamily::Ipv6 {
        src: SRC6,
        dst: MCAST_GROUP_V6,
        hop_limit: Some(255),
    };
    let Ok(got) = advert::decode_advert(data, rx) else {
        return;
    };
    let ph = got.ip.pseudo_header();
    let mut buf = vec![0; got.vrrp.buffer_len(ph.family())];
    got.vrrp.emit(
        &mut VrrpPacket::new_unchecked(&mut buf[..]),
        &ph,
        got.checksum,
    );
    // Not byte-equal in general: v3 reserved bits are dropped, and a
    // checksum may be either one's-complement zero.
    let again = advert::decode_advert(&buf, rx).expect("re-emitted IPv6 advert parses");
    assert_eq!(again.vrrp, got.vrrp);
}

fn vrrp_message(data: &[u8]) {
    let ph = PseudoHeader::V6 {
        src: SRC6,
        dst: MCAST_GROUP_V6,
    };
    let _ = VrrpRepr::parse(&VrrpPacket::new_unchecked(data), &ph);
    let ph4 = PseudoHeader::V4 {
        src: [10, 0, 0, 1].into(),
        dst: [10, 0, 0, 2].into(),
    };
    let packet = VrrpPacket::new_unchecked(data);
    if let Ok((repr, form)) = VrrpRepr::parse(&packet, &ph4) {
        assert_eq!(repr.check(ph4.family()), Ok(()));
        let mut buf = vec![0; repr.buffer_len(ph4.family())];
        repr.emit(&mut VrrpPacket::new_unchecked(&mut buf[..]), &ph4, form);
        let (again, _) =
            VrrpRepr::parse(&VrrpPacket::new_unchecked(&buf[..]), &ph4).expect("re-parse");
        assert_eq!(again, repr);
    }
}

fn frames(data: &[u8]) {
    if let Ok(arp) = ArpFrameRepr::parse(data) {
        let mut buf = vec![0; arp.buffer_len()];
        arp.emit(&mut buf);
        assert_eq!(ArpFrameRepr::parse(&buf), Ok(arp));
    }
    if let Ok(na) = NaFrameRepr::parse(data) {
        let mut buf = vec![0; na.buffer_len()];
        na.emit(&mut buf);
        let again = NaFrameRepr::parse(&buf).expect("re-emitted NA parses");
        assert_eq!((again.eth, again.na), (na.eth, na.na));
    }
}

fuzz_target!(|data: &[u8]| {
    ipv4_read(data);
    ipv6_read(data);
    vrrp_message(data);
    frames(data);
});

//! Whole adverts at the IP level: splitting a raw-socket read into IP facts
//! and the VRRP message, checking it as far as no configuration is needed,
//! and writing the IPv4 buffer keepalived sends with `IP_HDRINCL`. The
//! message itself is [`super::vrrp`]'s; sockets are `io`'s.
//!
//! keepalived's receive checks (`vrrp_check_packet`, KEEPALIVED.md §5.3), in
//! its order, and who does each here: `W` = this module, `E` = the engine with
//! the instance's configuration, using the [`VrrpPacket`] accessors:
//!
//! | # | check | who | keepalived counter |
//! |---|---|---|---|
//! | 1 | IP header + 8 VRRP bytes present | W [`parse_ip_packet`] [`Error::Truncated`] | — |
//! | 2 | AH present iff auth AH | E ([`IpHeaderInfo::protocol`]) | authtype_mismatch |
//! | 3 | length = 8 + n × addr (+8 v2/IPv4) | W [`VrrpPacket::new_checked`] [`Error::VrrpLength`] | packet_len_err |
//! | 4 | multicast: TTL / hop limit 255 | E ([`IpHeaderInfo::ttl`]) | ip_ttl_err |
//! | 5 | version = configured | E ([`VrrpPacket::version`]; W rejects ≠ 2, 3: [`Error::VrrpVersion`]) | — |
//! | 6 | v2 auth type 0/1/2 | W [`Error::AuthType`] | invalid_authtype |
//! | 7 | v2 auth type = configured, password, AH ICV | E ([`VrrpPacket::auth_type`], [`VrrpPacket::auth_data`]) | authtype_mismatch, auth_failure |
//! | 8 | v2 interval = own | E ([`VrrpPacket::adver_int`]) | — |
//! | 9 | type = 1 | W [`Error::VrrpType`] | invalid_type_rcvd |
//! | 10 | address count = configured | E ([`VrrpPacket::addr_count`]) | addr_list_err |
//! | 11 | IPv4 total length = received | W [`IpHeaderInfo::check_total_len`] [`Error::IpTotalLength`] | packet_len_err |
//! | 12 | checksum | W [`VrrpPacket::verify_checksum`] [`Error::Checksum`] | (chk_err) |
//!
//! [`VrrpPacket::check_fields`] runs 5 (≠ 2, 3), 6 and 9 in that order;
//! [`VrrpRepr::parse`] runs 3, 5, 6, 9, 12; [`decode_advert`] runs all the
//! `W` checks in keepalived's order. An engine that wants keepalived's exact
//! order for packets failing several checks interleaves its `E` checks with
//! these calls.

use super::ipv4::{self, HeaderChecksum, Ipv4Packet, Ipv4Repr};
use super::vrrp::{
    AH_HEADER_LEN, ChecksumForm, Family, HEADER_LEN, PROTOCOL_AH, PROTOCOL_VRRP, PseudoHeader,
    VrrpPacket, VrrpRepr,
};
use super::{Error, Result};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::ops::Range;

/// What a raw socket's read came with: IPv4 reads start with the IP header;
/// IPv6 reads are the VRRP message alone, addresses and hop limit coming from
/// `recvmsg` (source address, `IPV6_PKTINFO`, `IPV6_HOPLIMIT`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RxFamily {
    Ipv4,
    Ipv6 {
        src: Ipv6Addr,
        dst: Ipv6Addr,
        /// `None` when the ancillary data lacked it (keepalived: -1, the TTL
        /// check is then skipped).
        hop_limit: Option<u8>,
    },
}

/// The IP-level facts of a received advert.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IpHeaderInfo {
    pub src: IpAddr,
    pub dst: IpAddr,
    /// IPv4 TTL or IPv6 hop limit (`None`: unknown).
    pub ttl: Option<u8>,
    /// IPv4: the header's total-length field. IPv6: the bytes received.
    pub total_len: usize,
    /// The bytes received (IPv4: with the IP header).
    pub received_len: usize,
    /// 112, or 51 when an AH header precedes the VRRP message.
    pub protocol: u8,
    /// IPv4: the header checksum is right (the kernel drops packets where it
    /// is not, so a raw socket always sees `true`). IPv6: `true`.
    pub header_checksum_ok: bool,
    /// Where the AH header sits in the bytes read, when `protocol` is 51.
    pub ah: Option<Range<usize>>,
}

impl IpHeaderInfo {
    pub fn family(&self) -> Family {
        Family::of(&self.src)
    }

    /// The pseudo header for the VRRP checksum.
    pub fn pseudo_header(&self) -> PseudoHeader {
        match (self.src, self.dst) {
            (IpAddr::V4(src), IpAddr::V4(dst)) => PseudoHeader::V4 { src, dst },
            (IpAddr::V6(src), IpAddr::V6(dst)) => PseudoHeader::V6 { src, dst },
            // parse_ip_packet never mixes families.
            (IpAddr::V4(src), _) => PseudoHeader::V4 {
                src,
                dst: Ipv4Addr::UNSPECIFIED,
            },
            (IpAddr::V6(src), _) => PseudoHeader::V6 {
                src,
                dst: Ipv6Addr::UNSPECIFIED,
            },
        }
    }

    /// keepalived check 11: the IPv4 total length equals the bytes received
    /// ([`Error::IpTotalLength`] -> `packet_len_err`). Always Ok for IPv6.
    pub fn check_total_len(&self) -> Result<()> {
        if self.total_len != self.received_len {
            return Err(Error::IpTotalLength {
                total_len: self.total_len,
                received: self.received_len,
            });
        }
        Ok(())
    }

    /// True when the destination is multicast (keepalived compares this
    /// with the instance's unicast setting: "Expected %sicast packet but
    /// received %sicast packet").
    pub fn is_multicast(&self) -> bool {
        self.dst.is_multicast()
    }
}

/// Splits a raw-socket read into IP facts and the VRRP message, as
/// keepalived's `vrrp_get_header` does: IPv4 needs a sane header (version 4,
/// IHL >= 5) followed by at least 8 VRRP bytes (24 more with AH), else
/// [`Error::Truncated`] ("IPv4 VRRP packet too short"); the VRRP part runs
/// to the end of the bytes read (not to the total length: keepalived's
/// length check compares what was received). IPv6 needs 8 bytes. Never panics.
pub fn parse_ip_packet(bytes: &[u8], rx: RxFamily) -> Result<(IpHeaderInfo, &[u8])> {
    match rx {
        RxFamily::Ipv4 => {
            let packet = Ipv4Packet::new_checked(bytes)?;
            let header_len = packet.header_len();
            let (ah, vrrp_start) = if packet.protocol() == PROTOCOL_AH {
                (
                    Some(header_len..header_len + AH_HEADER_LEN),
                    header_len + AH_HEADER_LEN,
                )
            } else {
                (None, header_len)
            };
            if bytes.len() < vrrp_start + HEADER_LEN {
                return Err(Error::Truncated);
            }
            let info = IpHeaderInfo {
                src: packet.src_addr().into(),
                dst: packet.dst_addr().into(),
                ttl: Some(packet.ttl()),
                total_len: usize::from(packet.total_len()),
                received_len: bytes.len(),
                protocol: packet.protocol(),
                header_checksum_ok: packet.verify_checksum(),
                ah,
            };
            Ok((info, &bytes[vrrp_start..]))
        }
        RxFamily::Ipv6 {
            src,
            dst,
            hop_limit,
        } => {
            if bytes.len() < HEADER_LEN {
                return Err(Error::Truncated);
            }
            let info = IpHeaderInfo {
                src: src.into(),
                dst: dst.into(),
                ttl: hop_limit,
                total_len: bytes.len(),
                received_len: bytes.len(),
                protocol: PROTOCOL_VRRP,
                header_checksum_ok: true,
                ah: None,
            };
            Ok((info, bytes))
        }
    }
}

/// A received advert that passed every check this module can make.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Advert {
    pub ip: IpHeaderInfo,
    pub vrrp: VrrpRepr,
    pub checksum: ChecksumForm,
}

/// Every configuration-free check of a raw-socket read, in keepalived's
/// order (see the module doc): [`parse_ip_packet`], the VRRP length, version,
/// auth type, type, IPv4 total length, checksum. For replay, simulation and
/// fuzzing; the engine may interleave its own checks instead.
pub fn decode_advert(bytes: &[u8], rx: RxFamily) -> Result<Advert> {
    let (ip, vrrp_bytes) = parse_ip_packet(bytes, rx)?;
    let family = ip.family();
    let packet = VrrpPacket::new_checked(vrrp_bytes, family)?;
    packet.check_fields()?;
    ip.check_total_len()?;
    let ph = ip.pseudo_header();
    let checksum = packet.verify_checksum(&ph).ok_or(Error::Checksum)?;
    let vrrp = VrrpRepr::read(&packet, family);
    Ok(Advert { ip, vrrp, checksum })
}

/// The IPv4 header keepalived puts on an advert: TOS 0xc0, protocol 112, no
/// DF, `ttl` (255, or `unicast_ttl`), `ident` from the instance's counter
/// (keepalived: starts at 1, +1 per advert, skips 0; unicast copies of one
/// advert share it). `payload_len` is set by [`emit_ipv4_advert`].
pub fn advert_ipv4_header(src: Ipv4Addr, dst: Ipv4Addr, ttl: u8, ident: u16) -> Ipv4Repr {
    Ipv4Repr {
        src,
        dst,
        protocol: PROTOCOL_VRRP,
        tos: ipv4::TOS_NETWORK_CONTROL,
        ttl,
        ident,
        payload_len: 0,
        dont_frag: false,
    }
}

/// The length of an IPv4 advert: 20 + the VRRP message.
pub fn ipv4_advert_len(vrrp: &VrrpRepr) -> usize {
    ipv4::HEADER_LEN + vrrp.buffer_len(Family::Ipv4)
}

/// Writes an IPv4 advert (the `IP_HDRINCL` buffer) into the start of `buf`
/// and returns its length ([`ipv4_advert_len`]). The pseudo header uses
/// `ip.src`/`ip.dst`; `ip.payload_len` is replaced by the message length.
/// AH is not written (auth type AH gives a plain message). Panics if `buf` is
/// shorter than the advert.
pub fn emit_ipv4_advert(
    ip: &Ipv4Repr,
    vrrp: &VrrpRepr,
    form: ChecksumForm,
    ip_checksum: HeaderChecksum,
    buf: &mut [u8],
) -> usize {
    let vrrp_len = vrrp.buffer_len(Family::Ipv4);
    let len = ipv4::HEADER_LEN + vrrp_len;
    let buf = &mut buf[..len];
    let header = Ipv4Repr {
        payload_len: vrrp_len,
        ..*ip
    };
    header.emit(
        &mut Ipv4Packet::new_unchecked(&mut buf[..ipv4::HEADER_LEN]),
        ip_checksum,
    );
    let ph = PseudoHeader::V4 {
        src: ip.src,
        dst: ip.dst,
    };
    vrrp.emit(
        &mut VrrpPacket::new_unchecked(&mut buf[ipv4::HEADER_LEN..]),
        &ph,
        form,
    );
    len
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vrrp::wire::vrrp::{Auth, Kind, MCAST_GROUP_V4, MCAST_GROUP_V6, Version};

    // keepalived's first v2 advert of evidence/cap1-tcpdump.txt, as the
    // wire (and a raw socket) has it: vrid 51, prio 120, 10.99.0.100.
    static PACKET_BYTES: [u8; 40] = [
        0x45, 0xc0, 0x00, 0x28, 0x00, 0x01, 0x00, 0x00, 0xff, 0x70, 0xd0, 0x2d, 0x0a, 0x63, 0x00,
        0x02, 0xe0, 0x00, 0x00, 0x12, 0x21, 0x33, 0x78, 0x01, 0x00, 0x01, 0x5c, 0x03, 0x0a, 0x63,
        0x00, 0x64, 0, 0, 0, 0, 0, 0, 0, 0,
    ];
    const SRC: Ipv4Addr = Ipv4Addr::new(10, 99, 0, 2);

    fn repr() -> VrrpRepr {
        VrrpRepr {
            version: Version::V2,
            kind: Kind::Advertisement,
            vrid: 51,
            priority: 120,
            interval: 1,
            auth: Auth::NONE,
            addresses: vec![Ipv4Addr::new(10, 99, 0, 100).into()],
        }
    }

    #[test]
    fn test_deconstruct() {
        let (info, vrrp) = parse_ip_packet(&PACKET_BYTES, RxFamily::Ipv4).unwrap();
        assert_eq!(info.src, IpAddr::from(SRC));
        assert_eq!(info.dst, IpAddr::from(MCAST_GROUP_V4));
        assert_eq!(info.ttl, Some(255));
        assert_eq!((info.total_len, info.received_len), (40, 40));
        assert_eq!(info.protocol, PROTOCOL_VRRP);
        assert!(info.header_checksum_ok);
        assert!(info.is_multicast());
        assert_eq!(info.ah, None);
        assert_eq!(vrrp, &PACKET_BYTES[20..]);
    }

    #[test]
    fn test_construct() {
        let mut bytes = vec![0xa5; 40];
        let ip = advert_ipv4_header(SRC, MCAST_GROUP_V4, 255, 1);
        let len = emit_ipv4_advert(
            &ip,
            &repr(),
            ChecksumForm::Standard,
            HeaderChecksum::Compute,
            &mut bytes,
        );
        assert_eq!(len, 40);
        assert_eq!(ipv4_advert_len(&repr()), 40);
        assert_eq!(&bytes[..], &PACKET_BYTES[..]);
    }

    #[test]
    fn test_parse() {
        let advert = decode_advert(&PACKET_BYTES, RxFamily::Ipv4).unwrap();
        assert_eq!(advert.vrrp, repr());
        assert_eq!(advert.checksum, ChecksumForm::Standard);
        assert_eq!(
            advert.ip.pseudo_header(),
            PseudoHeader::V4 {
                src: SRC,
                dst: MCAST_GROUP_V4
            }
        );
    }

    #[test]
    fn test_emit() {
        // What keepalived hands to the kernel: header checksum 0.
        let mut bytes = vec![0xa5; 40];
        let ip = advert_ipv4_header(SRC, MCAST_GROUP_V4, 255, 1);
        emit_ipv4_advert(
            &ip,
            &repr(),
            ChecksumForm::Standard,
            HeaderChecksum::LeaveZero,
            &mut bytes,
        );
        let mut expected = PACKET_BYTES;
        expected[10..12].copy_from_slice(&[0, 0]);
        assert_eq!(&bytes[..], &expected[..]);
        let (info, _) = parse_ip_packet(&bytes, RxFamily::Ipv4).unwrap();
        assert!(!info.header_checksum_ok);
    }

    #[test]
    fn truncated_reads() {
        assert_eq!(
            parse_ip_packet(&PACKET_BYTES[..19], RxFamily::Ipv4).unwrap_err(),
            Error::Truncated
        );
        assert_eq!(
            parse_ip_packet(&PACKET_BYTES[..27], RxFamily::Ipv4).unwrap_err(),
            Error::Truncated
        );
        assert!(parse_ip_packet(&PACKET_BYTES[..28], RxFamily::Ipv4).is_ok());
        let rx6 = RxFamily::Ipv6 {
            src: "fe80::1".parse().unwrap(),
            dst: MCAST_GROUP_V6,
            hop_limit: None,
        };
        assert_eq!(
            parse_ip_packet(&[0x31; 7], rx6).unwrap_err(),
            Error::Truncated
        );
        let (info, vrrp) = parse_ip_packet(&[0x31; 8], rx6).unwrap();
        assert_eq!((info.ttl, vrrp.len(), info.total_len), (None, 8, 8));
    }

    #[test]
    fn ah_header_is_skipped() {
        let mut bytes = PACKET_BYTES[..20].to_vec();
        bytes[9] = PROTOCOL_AH;
        bytes.extend_from_slice(&[0x70; AH_HEADER_LEN]);
        assert_eq!(
            parse_ip_packet(&bytes, RxFamily::Ipv4).unwrap_err(),
            Error::Truncated
        );
        bytes.extend_from_slice(&PACKET_BYTES[20..]);
        let (info, vrrp) = parse_ip_packet(&bytes, RxFamily::Ipv4).unwrap();
        assert_eq!(info.protocol, PROTOCOL_AH);
        assert_eq!(info.ah, Some(20..44));
        assert_eq!(vrrp, &PACKET_BYTES[20..]);
    }

    #[test]
    fn decode_order_matches_keepalived() {
        // Too long (one trailing byte): the VRRP length check comes first…
        let mut long = PACKET_BYTES.to_vec();
        long.push(0);
        assert_eq!(
            decode_advert(&long, RxFamily::Ipv4).unwrap_err(),
            Error::VrrpLength {
                len: 21,
                expected: 20
            }
        );
        // …type before total length, total length before checksum.
        let mut b = PACKET_BYTES;
        b[20] = 0x22;
        b[3] = 0x29;
        assert_eq!(
            decode_advert(&b, RxFamily::Ipv4).unwrap_err(),
            Error::VrrpType(2)
        );
        b[20] = 0x21;
        assert_eq!(
            decode_advert(&b, RxFamily::Ipv4).unwrap_err(),
            Error::IpTotalLength {
                total_len: 41,
                received: 40
            }
        );
        let mut b = PACKET_BYTES;
        b[22] = 121;
        assert_eq!(
            decode_advert(&b, RxFamily::Ipv4).unwrap_err(),
            Error::Checksum
        );
    }

    #[test]
    fn ipv6_decode() {
        let src: Ipv6Addr = "fe80::40f:beff:fe44:8486".parse().unwrap();
        let ph = PseudoHeader::V6 {
            src,
            dst: MCAST_GROUP_V6,
        };
        let repr = VrrpRepr {
            version: Version::V3,
            interval: 100,
            addresses: vec!["fe80::66".parse().unwrap(), "fd00:99::140".parse().unwrap()],
            ..repr()
        };
        let mut bytes = vec![0xa5; repr.buffer_len(Family::Ipv6)];
        repr.emit(
            &mut VrrpPacket::new_unchecked(&mut bytes),
            &ph,
            ChecksumForm::Standard,
        );
        let advert = decode_advert(
            &bytes,
            RxFamily::Ipv6 {
                src,
                dst: MCAST_GROUP_V6,
                hop_limit: Some(255),
            },
        )
        .unwrap();
        assert_eq!(advert.vrrp, repr);
        assert_eq!(advert.ip.ttl, Some(255));
        assert_eq!(advert.ip.family(), Family::Ipv6);
    }
}

//! ICMPv6 Neighbour Advertisement (RFC 4861 §4.4) and the unsolicited NA
//! keepalived sends for each IPv6 VIP (keepalived `vrrp_ndisc.c`,
//! KEEPALIVED.md §6, verified in the captures): Ethernet to
//! 33:33:00:00:00:01; IPv6 from *the VIP itself* to ff02::1, traffic class
//! and flow label 0, hop limit 255; NA with Override (plus Router when IPv6
//! forwarding is on for the interface), target = the VIP, one Target
//! Link-Layer Address option; ICMPv6 checksum over the IPv6 pseudo header.
//! Owns the NA message and the 86-byte frame; sending is `io`'s job.

use super::checksum;
use super::ethernet::{self, EthernetAddress, EthernetFrame, EthernetRepr};
use super::ipv6::{self, Ipv6Packet, Ipv6Repr};
use super::{Error, Result};
use std::net::Ipv6Addr;

/// IPv6 next header / protocol number of ICMPv6.
pub const PROTOCOL_ICMPV6: u8 = 58;
/// ICMPv6 type of a Neighbour Advertisement.
pub const TYPE_NEIGHBOR_ADVERT: u8 = 136;
/// ND option: Target Link-Layer Address.
pub const OPT_TARGET_LLADDR: u8 = 2;
/// Hop limit of every ND message (RFC 4861 §7.1.2).
pub const HOP_LIMIT: u8 = 255;
/// ff02::1, all nodes.
pub const ALL_NODES: Ipv6Addr = Ipv6Addr::new(0xff02, 0, 0, 0, 0, 0, 0, 1);

const FLAG_ROUTER: u8 = 0x80;
const FLAG_SOLICITED: u8 = 0x40;
const FLAG_OVERRIDE: u8 = 0x20;

mod field {
    use std::ops::{Range, RangeFrom};
    pub const TYPE: usize = 0;
    pub const CODE: usize = 1;
    pub const CHECKSUM: Range<usize> = 2..4;
    pub const FLAGS: usize = 4;
    pub const RESERVED: Range<usize> = 5..8;
    pub const TARGET: Range<usize> = 8..24;
    pub const OPTIONS: RangeFrom<usize> = 24..;
}

/// The NA message without options.
pub const HEADER_LEN: usize = field::OPTIONS.start;
/// A Target Link-Layer Address option for Ethernet.
const LLADDR_OPT_LEN: usize = 8;
/// keepalived's whole NA frame: 14 + 40 + 24 + 8.
pub const FRAME_LEN: usize = ethernet::HEADER_LEN + ipv6::HEADER_LEN + HEADER_LEN + LLADDR_OPT_LEN;

/// A read/write view of an ICMPv6 Neighbour Advertisement message.
#[derive(Debug, Clone)]
pub struct NaPacket<T: AsRef<[u8]>> {
    buffer: T,
}

impl<T: AsRef<[u8]>> NaPacket<T> {
    pub const fn new_unchecked(buffer: T) -> NaPacket<T> {
        NaPacket { buffer }
    }

    /// A view holding at least the 24-byte NA header.
    pub fn new_checked(buffer: T) -> Result<NaPacket<T>> {
        let packet = Self::new_unchecked(buffer);
        packet.check_len()?;
        Ok(packet)
    }

    pub fn check_len(&self) -> Result<()> {
        if self.buffer.as_ref().len() < HEADER_LEN {
            Err(Error::Truncated)
        } else {
            Ok(())
        }
    }

    pub fn into_inner(self) -> T {
        self.buffer
    }

    pub fn msg_type(&self) -> u8 {
        self.buffer.as_ref()[field::TYPE]
    }
    pub fn msg_code(&self) -> u8 {
        self.buffer.as_ref()[field::CODE]
    }
    pub fn checksum(&self) -> u16 {
        let b = &self.buffer.as_ref()[field::CHECKSUM];
        u16::from_be_bytes([b[0], b[1]])
    }
    pub fn flags(&self) -> u8 {
        self.buffer.as_ref()[field::FLAGS]
    }
    pub fn router_flag(&self) -> bool {
        self.flags() & FLAG_ROUTER != 0
    }
    pub fn solicited_flag(&self) -> bool {
        self.flags() & FLAG_SOLICITED != 0
    }
    pub fn override_flag(&self) -> bool {
        self.flags() & FLAG_OVERRIDE != 0
    }
    pub fn target_addr(&self) -> Ipv6Addr {
        let mut o = [0u8; 16];
        o.copy_from_slice(&self.buffer.as_ref()[field::TARGET]);
        Ipv6Addr::from(o)
    }
    /// The option bytes (everything after the target address).
    pub fn options(&self) -> &[u8] {
        &self.buffer.as_ref()[field::OPTIONS]
    }

    /// True when the ICMPv6 checksum is right for this source/destination.
    pub fn verify_checksum(&self, src: &Ipv6Addr, dst: &Ipv6Addr) -> bool {
        let msg = self.buffer.as_ref();
        let len = u32::try_from(msg.len()).unwrap_or(u32::MAX);
        let sum = checksum::combine(&[
            checksum::pseudo_header_v6(src, dst, PROTOCOL_ICMPV6, len),
            checksum::data(msg),
        ]);
        checksum::is_valid(sum)
    }

    /// The Ethernet address in the first Target Link-Layer Address option
    /// (RFC 4861 §4.6.1), skipping other options. `Err` for an option of
    /// length 0 or running past the end (RFC 4861 §7.1.2: discard).
    pub fn target_lladdr(&self) -> Result<Option<EthernetAddress>> {
        let mut opts = self.options();
        let mut found = None;
        while !opts.is_empty() {
            let (kind, units) = match opts {
                [kind, units, ..] => (*kind, usize::from(*units)),
                _ => return Err(Error::Unsupported("truncated ND option")),
            };
            let len = units * 8;
            if len == 0 || len > opts.len() {
                return Err(Error::Unsupported("bad ND option length"));
            }
            if kind == OPT_TARGET_LLADDR && found.is_none() {
                found = EthernetAddress::from_bytes(&opts[2..len]);
            }
            opts = &opts[len..];
        }
        Ok(found)
    }
}

impl<T: AsRef<[u8]> + AsMut<[u8]>> NaPacket<T> {
    pub fn set_msg_type(&mut self, v: u8) {
        self.buffer.as_mut()[field::TYPE] = v;
    }
    pub fn set_msg_code(&mut self, v: u8) {
        self.buffer.as_mut()[field::CODE] = v;
    }
    pub fn set_checksum(&mut self, v: u16) {
        self.buffer.as_mut()[field::CHECKSUM].copy_from_slice(&v.to_be_bytes());
    }
    /// Sets the flags byte and zeroes the 24 reserved bits after it.
    pub fn set_flags(&mut self, v: u8) {
        self.buffer.as_mut()[field::FLAGS] = v;
        self.buffer.as_mut()[field::RESERVED].fill(0);
    }
    pub fn set_target_addr(&mut self, a: &Ipv6Addr) {
        self.buffer.as_mut()[field::TARGET].copy_from_slice(&a.octets());
    }
    pub fn options_mut(&mut self) -> &mut [u8] {
        &mut self.buffer.as_mut()[field::OPTIONS]
    }

    /// Computes and writes the ICMPv6 checksum over the whole buffer.
    pub fn fill_checksum(&mut self, src: &Ipv6Addr, dst: &Ipv6Addr) {
        self.set_checksum(0);
        let msg = self.buffer.as_ref();
        let len = u32::try_from(msg.len()).unwrap_or(u32::MAX);
        let sum = checksum::combine(&[
            checksum::pseudo_header_v6(src, dst, PROTOCOL_ICMPV6, len),
            checksum::data(msg),
        ]);
        self.set_checksum(!sum);
    }
}

/// A Neighbour Advertisement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NaRepr {
    pub router: bool,
    pub solicited: bool,
    pub override_flag: bool,
    pub target: Ipv6Addr,
    pub target_lladdr: Option<EthernetAddress>,
}

impl NaRepr {
    /// Reads an NA sent from `src` to `dst`: type 136, code 0, checksum
    /// right, options well formed (unknown ones skipped).
    pub fn parse<T: AsRef<[u8]>>(
        packet: &NaPacket<T>,
        src: &Ipv6Addr,
        dst: &Ipv6Addr,
    ) -> Result<NaRepr> {
        packet.check_len()?;
        if packet.msg_type() != TYPE_NEIGHBOR_ADVERT || packet.msg_code() != 0 {
            return Err(Error::Unsupported(
                "ICMPv6 other than a neighbour advertisement",
            ));
        }
        if !packet.verify_checksum(src, dst) {
            return Err(Error::Checksum);
        }
        Ok(NaRepr {
            router: packet.router_flag(),
            solicited: packet.solicited_flag(),
            override_flag: packet.override_flag(),
            target: packet.target_addr(),
            target_lladdr: packet.target_lladdr()?,
        })
    }

    /// 24 bytes, plus 8 with the link-layer address option.
    pub const fn buffer_len(&self) -> usize {
        HEADER_LEN
            + if self.target_lladdr.is_some() {
                LLADDR_OPT_LEN
            } else {
                0
            }
    }

    /// Writes the message and its checksum; the packet's buffer must be
    /// exactly [`buffer_len`](Self::buffer_len) bytes (the checksum covers it
    /// all).
    pub fn emit<T: AsRef<[u8]> + AsMut<[u8]>>(
        &self,
        packet: &mut NaPacket<T>,
        src: &Ipv6Addr,
        dst: &Ipv6Addr,
    ) {
        packet.set_msg_type(TYPE_NEIGHBOR_ADVERT);
        packet.set_msg_code(0);
        let mut flags = 0;
        if self.router {
            flags |= FLAG_ROUTER;
        }
        if self.solicited {
            flags |= FLAG_SOLICITED;
        }
        if self.override_flag {
            flags |= FLAG_OVERRIDE;
        }
        packet.set_flags(flags);
        packet.set_target_addr(&self.target);
        if let Some(mac) = self.target_lladdr {
            let opt = &mut packet.options_mut()[..LLADDR_OPT_LEN];
            opt[0] = OPT_TARGET_LLADDR;
            opt[1] = 1;
            opt[2..].copy_from_slice(&mac.0);
        }
        packet.fill_checksum(src, dst);
    }
}

/// A whole NA frame: Ethernet, IPv6, NA.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NaFrameRepr {
    pub eth: EthernetRepr,
    /// Its `payload_len` is ignored on emit (the NA's length is written).
    pub ip: Ipv6Repr,
    pub na: NaRepr,
}

impl NaFrameRepr {
    /// keepalived's unsolicited NA for `vip` from an interface (or VMAC)
    /// with address `mac`; `router` when IPv6 forwarding is on for it.
    pub fn unsolicited(mac: EthernetAddress, vip: Ipv6Addr, router: bool) -> NaFrameRepr {
        let na = NaRepr {
            router,
            solicited: false,
            override_flag: true,
            target: vip,
            target_lladdr: Some(mac),
        };
        NaFrameRepr {
            eth: EthernetRepr {
                src: mac,
                dst: EthernetAddress::ALL_NODES,
                ethertype: ethernet::ethertype::IPV6,
            },
            ip: Ipv6Repr {
                src: vip,
                dst: ALL_NODES,
                next_header: PROTOCOL_ICMPV6,
                payload_len: na.buffer_len(),
                hop_limit: HOP_LIMIT,
                traffic_class: 0,
                flow_label: 0,
            },
            na,
        }
    }

    /// Reads a frame: Ethernet type 0x86dd, IPv6 next header 58 (no
    /// extension headers), then [`NaRepr::parse`]. Bytes past the IPv6
    /// payload length (Ethernet padding) are ignored.
    pub fn parse(frame: &[u8]) -> Result<NaFrameRepr> {
        let eth_frame = EthernetFrame::new_checked(frame)?;
        let eth = EthernetRepr::parse(&eth_frame)?;
        if eth.ethertype != ethernet::ethertype::IPV6 {
            return Err(Error::Unsupported("not an IPv6 frame"));
        }
        let ip_packet = Ipv6Packet::new_checked(eth_frame.payload())?;
        let ip = Ipv6Repr::parse(&ip_packet)?;
        if ip.next_header != PROTOCOL_ICMPV6 {
            return Err(Error::Unsupported("not ICMPv6"));
        }
        let na = NaRepr::parse(
            &NaPacket::new_checked(ip_packet.payload())?,
            &ip.src,
            &ip.dst,
        )?;
        Ok(NaFrameRepr { eth, ip, na })
    }

    pub const fn buffer_len(&self) -> usize {
        ethernet::HEADER_LEN + ipv6::HEADER_LEN + self.na.buffer_len()
    }

    /// Writes the frame into the start of `buf` and returns its length.
    /// Panics if `buf` is shorter than [`buffer_len`](Self::buffer_len).
    pub fn emit(&self, buf: &mut [u8]) -> usize {
        let len = self.buffer_len();
        let mut frame = EthernetFrame::new_unchecked(&mut buf[..len]);
        self.eth.emit(&mut frame);
        let mut ip_packet = Ipv6Packet::new_unchecked(frame.payload_mut());
        Ipv6Repr {
            payload_len: self.na.buffer_len(),
            ..self.ip
        }
        .emit(&mut ip_packet);
        self.na.emit(
            &mut NaPacket::new_unchecked(ip_packet.payload_mut()),
            &self.ip.src,
            &self.ip.dst,
        );
        len
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // keepalived 2.2.7's NA for fe80::53 from aa:a4:77:75:7d:be
    // (evidence/cap2-tcpdump.txt): the ICMPv6 part, checksum b91f.
    static NA_BYTES: [u8; 32] = [
        0x88, 0x00, 0xb9, 0x1f, 0x20, 0x00, 0x00, 0x00, 0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        0, 0, 0, 0x53, 0x02, 0x01, 0xaa, 0xa4, 0x77, 0x75, 0x7d, 0xbe,
    ];
    // And its IPv6 header: no class, no flow label, 32 bytes, ICMPv6, 255.
    static IP_BYTES: [u8; 8] = [0x60, 0x00, 0x00, 0x00, 0x00, 0x20, 0x3a, 0xff];
    const MAC: EthernetAddress = EthernetAddress([0xaa, 0xa4, 0x77, 0x75, 0x7d, 0xbe]);

    fn vip() -> Ipv6Addr {
        "fe80::53".parse().unwrap()
    }

    fn repr() -> NaRepr {
        NaRepr {
            router: false,
            solicited: false,
            override_flag: true,
            target: vip(),
            target_lladdr: Some(MAC),
        }
    }

    #[test]
    fn test_deconstruct() {
        let packet = NaPacket::new_checked(&NA_BYTES[..]).unwrap();
        assert_eq!(packet.msg_type(), 136);
        assert_eq!(packet.msg_code(), 0);
        assert_eq!(packet.checksum(), 0xb91f);
        assert!(!packet.router_flag());
        assert!(!packet.solicited_flag());
        assert!(packet.override_flag());
        assert_eq!(packet.target_addr(), vip());
        assert_eq!(packet.target_lladdr().unwrap(), Some(MAC));
        assert!(packet.verify_checksum(&vip(), &ALL_NODES));
    }

    #[test]
    fn test_construct() {
        let mut bytes = vec![0xa5; 32];
        let mut packet = NaPacket::new_unchecked(&mut bytes);
        packet.set_msg_type(136);
        packet.set_msg_code(0);
        packet.set_flags(0x20);
        packet.set_target_addr(&vip());
        packet
            .options_mut()
            .copy_from_slice(&[2, 1, 0xaa, 0xa4, 0x77, 0x75, 0x7d, 0xbe]);
        packet.fill_checksum(&vip(), &ALL_NODES);
        assert_eq!(&bytes[..], &NA_BYTES[..]);
    }

    #[test]
    fn test_parse() {
        let packet = NaPacket::new_checked(&NA_BYTES[..]).unwrap();
        assert_eq!(NaRepr::parse(&packet, &vip(), &ALL_NODES).unwrap(), repr());
        // The same bytes from another source fail the checksum.
        let other: Ipv6Addr = "fe80::54".parse().unwrap();
        assert_eq!(
            NaRepr::parse(&packet, &other, &ALL_NODES).unwrap_err(),
            Error::Checksum
        );
    }

    #[test]
    fn test_emit() {
        let mut bytes = vec![0xa5; 32];
        repr().emit(&mut NaPacket::new_unchecked(&mut bytes), &vip(), &ALL_NODES);
        assert_eq!(&bytes[..], &NA_BYTES[..]);
    }

    #[test]
    fn frame_emit_and_parse() {
        let frame_repr = NaFrameRepr::unsolicited(MAC, vip(), false);
        let mut bytes = vec![0xa5; 100];
        assert_eq!(frame_repr.emit(&mut bytes), FRAME_LEN);
        assert_eq!(&bytes[..6], &[0x33, 0x33, 0, 0, 0, 1]);
        assert_eq!(&bytes[6..12], &MAC.0);
        assert_eq!(&bytes[12..14], &[0x86, 0xdd]);
        assert_eq!(&bytes[14..22], &IP_BYTES[..]);
        assert_eq!(&bytes[22..38], &vip().octets());
        assert_eq!(&bytes[38..54], &ALL_NODES.octets());
        assert_eq!(&bytes[54..86], &NA_BYTES[..]);
        assert!(bytes[86..].iter().all(|&b| b == 0xa5));
        assert_eq!(NaFrameRepr::parse(&bytes).unwrap(), frame_repr);
    }

    #[test]
    fn router_flag() {
        let mut bytes = vec![0u8; FRAME_LEN];
        NaFrameRepr::unsolicited(MAC, vip(), true).emit(&mut bytes);
        assert_eq!(bytes[54 + 4], 0xa0);
        assert!(NaFrameRepr::parse(&bytes).unwrap().na.router);
    }

    #[test]
    fn bad_options_and_types() {
        let mut b = NA_BYTES;
        b[25] = 0; // option length 0
        assert!(NaPacket::new_unchecked(&b[..]).target_lladdr().is_err());
        b[25] = 2; // runs past the end
        assert!(NaPacket::new_unchecked(&b[..]).target_lladdr().is_err());
        assert!(
            NaPacket::new_unchecked(&NA_BYTES[..25])
                .target_lladdr()
                .is_err()
        );
        // No options at all.
        assert_eq!(
            NaPacket::new_unchecked(&NA_BYTES[..24])
                .target_lladdr()
                .unwrap(),
            None
        );
        let mut b = NA_BYTES;
        b[0] = 135;
        assert!(matches!(
            NaRepr::parse(&NaPacket::new_unchecked(&b[..]), &vip(), &ALL_NODES),
            Err(Error::Unsupported(_))
        ));
        assert_eq!(
            NaPacket::new_checked(&NA_BYTES[..23]).unwrap_err(),
            Error::Truncated
        );
    }
}

//! The fixed IPv6 header (RFC 8200 §3), for the unsolicited NA keepalived
//! writes whole through `AF_PACKET`, and for reading captured VRRPv3/IPv6
//! adverts (on send and receive the kernel owns their IPv6 header: the raw
//! socket hands over only the VRRP message, hop limit via ancillary data).
//! Extension headers are not parsed.

use super::{Error, Result};
use std::net::Ipv6Addr;

/// The fixed header length.
pub const HEADER_LEN: usize = 40;

mod field {
    use std::ops::Range;
    pub const VER_TC_FLOW: Range<usize> = 0..4;
    pub const LENGTH: Range<usize> = 4..6;
    pub const NXT_HDR: usize = 6;
    pub const HOP_LIMIT: usize = 7;
    pub const SRC_ADDR: Range<usize> = 8..24;
    pub const DST_ADDR: Range<usize> = 24..40;
}

/// A read/write view of an IPv6 header and its payload.
#[derive(Debug, Clone)]
pub struct Ipv6Packet<T: AsRef<[u8]>> {
    buffer: T,
}

fn addr(b: &[u8]) -> Ipv6Addr {
    let mut o = [0u8; 16];
    o.copy_from_slice(&b[..16]);
    Ipv6Addr::from(o)
}

impl<T: AsRef<[u8]>> Ipv6Packet<T> {
    pub const fn new_unchecked(buffer: T) -> Ipv6Packet<T> {
        Ipv6Packet { buffer }
    }

    /// A view with the fixed header present and version 6.
    pub fn new_checked(buffer: T) -> Result<Ipv6Packet<T>> {
        let packet = Self::new_unchecked(buffer);
        packet.check_len()?;
        Ok(packet)
    }

    pub fn check_len(&self) -> Result<()> {
        if self.buffer.as_ref().len() < HEADER_LEN {
            return Err(Error::Truncated);
        }
        if self.version() != 6 {
            return Err(Error::IpVersion(self.version()));
        }
        Ok(())
    }

    pub fn into_inner(self) -> T {
        self.buffer
    }

    fn word0(&self) -> u32 {
        let b = &self.buffer.as_ref()[field::VER_TC_FLOW];
        u32::from_be_bytes([b[0], b[1], b[2], b[3]])
    }

    pub fn version(&self) -> u8 {
        (self.word0() >> 28) as u8
    }
    pub fn traffic_class(&self) -> u8 {
        (self.word0() >> 20) as u8
    }
    pub fn flow_label(&self) -> u32 {
        self.word0() & 0x000f_ffff
    }
    pub fn payload_len(&self) -> u16 {
        let b = &self.buffer.as_ref()[field::LENGTH];
        u16::from_be_bytes([b[0], b[1]])
    }
    pub fn next_header(&self) -> u8 {
        self.buffer.as_ref()[field::NXT_HDR]
    }
    pub fn hop_limit(&self) -> u8 {
        self.buffer.as_ref()[field::HOP_LIMIT]
    }
    pub fn src_addr(&self) -> Ipv6Addr {
        addr(&self.buffer.as_ref()[field::SRC_ADDR])
    }
    pub fn dst_addr(&self) -> Ipv6Addr {
        addr(&self.buffer.as_ref()[field::DST_ADDR])
    }

    /// The payload up to the payload-length field (clamped to the buffer).
    pub fn payload(&self) -> &[u8] {
        let buf = self.buffer.as_ref();
        let end = (HEADER_LEN + usize::from(self.payload_len())).min(buf.len());
        &buf[HEADER_LEN..end]
    }
}

impl<T: AsRef<[u8]> + AsMut<[u8]>> Ipv6Packet<T> {
    fn set_word0(&mut self, w: u32) {
        self.buffer.as_mut()[field::VER_TC_FLOW].copy_from_slice(&w.to_be_bytes());
    }
    pub fn set_version(&mut self, v: u8) {
        let w = (self.word0() & 0x0fff_ffff) | (u32::from(v & 0x0f) << 28);
        self.set_word0(w);
    }
    pub fn set_traffic_class(&mut self, tc: u8) {
        let w = (self.word0() & 0xf00f_ffff) | (u32::from(tc) << 20);
        self.set_word0(w);
    }
    pub fn set_flow_label(&mut self, label: u32) {
        let w = (self.word0() & 0xfff0_0000) | (label & 0x000f_ffff);
        self.set_word0(w);
    }
    pub fn set_payload_len(&mut self, len: u16) {
        self.buffer.as_mut()[field::LENGTH].copy_from_slice(&len.to_be_bytes());
    }
    pub fn set_next_header(&mut self, v: u8) {
        self.buffer.as_mut()[field::NXT_HDR] = v;
    }
    pub fn set_hop_limit(&mut self, v: u8) {
        self.buffer.as_mut()[field::HOP_LIMIT] = v;
    }
    pub fn set_src_addr(&mut self, a: &Ipv6Addr) {
        self.buffer.as_mut()[field::SRC_ADDR].copy_from_slice(&a.octets());
    }
    pub fn set_dst_addr(&mut self, a: &Ipv6Addr) {
        self.buffer.as_mut()[field::DST_ADDR].copy_from_slice(&a.octets());
    }
    /// The bytes after the fixed header (to the end of the buffer).
    pub fn payload_mut(&mut self) -> &mut [u8] {
        &mut self.buffer.as_mut()[HEADER_LEN..]
    }
}

/// The fixed IPv6 header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ipv6Repr {
    pub src: Ipv6Addr,
    pub dst: Ipv6Addr,
    pub next_header: u8,
    pub payload_len: usize,
    pub hop_limit: u8,
    pub traffic_class: u8,
    /// 20 bits; the kernel sets one on VRRP adverts (auto flow labels),
    /// keepalived's NA has 0.
    pub flow_label: u32,
}

impl Ipv6Repr {
    /// Reads the fixed header; the payload length must fit in the buffer
    /// (trailing bytes beyond it are ignored).
    pub fn parse<T: AsRef<[u8]>>(packet: &Ipv6Packet<T>) -> Result<Ipv6Repr> {
        packet.check_len()?;
        let payload_len = usize::from(packet.payload_len());
        if HEADER_LEN + payload_len > packet.buffer.as_ref().len() {
            return Err(Error::Truncated);
        }
        Ok(Ipv6Repr {
            src: packet.src_addr(),
            dst: packet.dst_addr(),
            next_header: packet.next_header(),
            payload_len,
            hop_limit: packet.hop_limit(),
            traffic_class: packet.traffic_class(),
            flow_label: packet.flow_label(),
        })
    }

    pub const fn buffer_len(&self) -> usize {
        HEADER_LEN
    }

    /// Writes the fixed header (payload length saturating at 65535). Panics
    /// if the buffer is shorter than 40 bytes.
    pub fn emit<T: AsRef<[u8]> + AsMut<[u8]>>(&self, packet: &mut Ipv6Packet<T>) {
        packet.set_word0(0);
        packet.set_version(6);
        packet.set_traffic_class(self.traffic_class);
        packet.set_flow_label(self.flow_label);
        packet.set_payload_len(u16::try_from(self.payload_len).unwrap_or(u16::MAX));
        packet.set_next_header(self.next_header);
        packet.set_hop_limit(self.hop_limit);
        packet.set_src_addr(&self.src);
        packet.set_dst_addr(&self.dst);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // The IPv6 header of a keepalived VRRPv3 advert as the kernel sent it
    // (evidence/cap2-tcpdump.txt): class 0xc0, flow label 0x98b8f, 40 bytes
    // of payload, next header 112, hop limit 255, fe80::a8a4:77ff:fe75:7dbe
    // to ff02::12.
    static HEADER_BYTES: [u8; 40] = [
        0x6c, 0x09, 0x8b, 0x8f, 0x00, 0x28, 0x70, 0xff, 0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0xa8, 0xa4,
        0x77, 0xff, 0xfe, 0x75, 0x7d, 0xbe, 0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        0x12,
    ];

    fn repr() -> Ipv6Repr {
        Ipv6Repr {
            src: "fe80::a8a4:77ff:fe75:7dbe".parse().unwrap(),
            dst: "ff02::12".parse().unwrap(),
            next_header: 112,
            payload_len: 40,
            hop_limit: 255,
            traffic_class: 0xc0,
            flow_label: 0x98b8f,
        }
    }

    fn with_payload() -> Vec<u8> {
        let mut v = HEADER_BYTES.to_vec();
        v.extend_from_slice(&[0x11; 40]);
        v
    }

    #[test]
    fn test_deconstruct() {
        let bytes = with_payload();
        let packet = Ipv6Packet::new_checked(&bytes[..]).unwrap();
        assert_eq!(packet.version(), 6);
        assert_eq!(packet.traffic_class(), 0xc0);
        assert_eq!(packet.flow_label(), 0x98b8f);
        assert_eq!(packet.payload_len(), 40);
        assert_eq!(packet.next_header(), 112);
        assert_eq!(packet.hop_limit(), 255);
        assert_eq!(packet.src_addr(), repr().src);
        assert_eq!(packet.dst_addr(), repr().dst);
        assert_eq!(packet.payload(), &[0x11; 40]);
    }

    #[test]
    fn test_construct() {
        let mut bytes = vec![0xa5; 80];
        let mut packet = Ipv6Packet::new_unchecked(&mut bytes);
        packet.set_version(6);
        packet.set_traffic_class(0xc0);
        packet.set_flow_label(0x98b8f);
        packet.set_payload_len(40);
        packet.set_next_header(112);
        packet.set_hop_limit(255);
        packet.set_src_addr(&repr().src);
        packet.set_dst_addr(&repr().dst);
        packet.payload_mut().copy_from_slice(&[0x11; 40]);
        assert_eq!(bytes, with_payload());
    }

    #[test]
    fn test_parse() {
        let bytes = with_payload();
        assert_eq!(
            Ipv6Repr::parse(&Ipv6Packet::new_checked(&bytes[..]).unwrap()).unwrap(),
            repr()
        );
    }

    #[test]
    fn test_emit() {
        let mut bytes = vec![0xa5; 40];
        repr().emit(&mut Ipv6Packet::new_unchecked(&mut bytes));
        assert_eq!(&bytes[..], &HEADER_BYTES[..]);
    }

    #[test]
    fn parse_errors() {
        assert_eq!(
            Ipv6Packet::new_checked(&HEADER_BYTES[..39]).unwrap_err(),
            Error::Truncated
        );
        // Payload length 40 but no payload.
        let p = Ipv6Packet::new_checked(&HEADER_BYTES[..]).unwrap();
        assert_eq!(Ipv6Repr::parse(&p).unwrap_err(), Error::Truncated);
        let mut b = HEADER_BYTES;
        b[0] = 0x4c;
        assert_eq!(
            Ipv6Packet::new_checked(&b[..]).unwrap_err(),
            Error::IpVersion(4)
        );
    }
}

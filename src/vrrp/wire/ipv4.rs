//! The IPv4 header as keepalived writes it for VRRP adverts (`IP_HDRINCL`:
//! keepalived builds the header, `vrrp_build_ip4`) and as raw sockets deliver
//! it on receive. Owns the 20-byte header; what goes inside is `vrrp`'s.
//!
//! keepalived's header (KEEPALIVED.md §5.2, verified in the captures):
//! version 4, IHL 5, TOS 0xc0, total length, ID from a per-instance counter
//! (1, 2, … skipping 0), no flags, TTL 255 (`unicast_ttl` for unicast),
//! protocol 112 (51 with AH), header checksum left 0 for the kernel to fill.

use super::checksum;
use super::{Error, Result};
use std::net::Ipv4Addr;

/// TOS keepalived sets: precedence "internetwork control" (0xc0).
pub const TOS_NETWORK_CONTROL: u8 = 0xc0;
/// The length of a header without options (IHL 5), the only one emitted.
pub const HEADER_LEN: usize = 20;
/// The "don't fragment" bit in the flags/fragment-offset word.
const FLAG_DF: u16 = 0x4000;

mod field {
    use std::ops::Range;
    pub const VER_IHL: usize = 0;
    pub const TOS: usize = 1;
    pub const LENGTH: Range<usize> = 2..4;
    pub const IDENT: Range<usize> = 4..6;
    pub const FLG_OFF: Range<usize> = 6..8;
    pub const TTL: usize = 8;
    pub const PROTOCOL: usize = 9;
    pub const CHECKSUM: Range<usize> = 10..12;
    pub const SRC_ADDR: Range<usize> = 12..16;
    pub const DST_ADDR: Range<usize> = 16..20;
}

/// Whether [`Ipv4Repr::emit`] computes the header checksum.
///
/// keepalived leaves it 0: with `IP_HDRINCL` the Linux kernel always fills
/// the IPv4 header checksum (and a zero ID) itself (raw(7)). `Compute` gives
/// the bytes that reach the wire, for tests, replays and simulated LANs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HeaderChecksum {
    /// Write the RFC 791 header checksum.
    Compute,
    /// Write 0 and let the kernel fill it (what keepalived does).
    LeaveZero,
}

/// A read/write view of an IPv4 header and its payload.
#[derive(Debug, Clone)]
pub struct Ipv4Packet<T: AsRef<[u8]>> {
    buffer: T,
}

impl<T: AsRef<[u8]>> Ipv4Packet<T> {
    pub const fn new_unchecked(buffer: T) -> Ipv4Packet<T> {
        Ipv4Packet { buffer }
    }

    /// A view whose header is sane: see [`check_len`](Self::check_len).
    pub fn new_checked(buffer: T) -> Result<Ipv4Packet<T>> {
        let packet = Self::new_unchecked(buffer);
        packet.check_len()?;
        Ok(packet)
    }

    /// Checks that the fixed header is there, the version is 4, the IHL is at
    /// least 5 and the whole header (with options) is in the buffer. The
    /// total-length field is *not* checked here: [`Ipv4Repr::parse`] does,
    /// and `vrrp::parse_ip_packet` reports it as keepalived does.
    pub fn check_len(&self) -> Result<()> {
        let len = self.buffer.as_ref().len();
        if len < HEADER_LEN {
            return Err(Error::Truncated);
        }
        if self.version() != 4 {
            return Err(Error::IpVersion(self.version()));
        }
        if self.ihl() < 5 {
            return Err(Error::IpHeaderLength(self.ihl()));
        }
        if len < self.header_len() {
            return Err(Error::Truncated);
        }
        Ok(())
    }

    pub fn into_inner(self) -> T {
        self.buffer
    }

    fn be16(&self, r: std::ops::Range<usize>) -> u16 {
        let b = &self.buffer.as_ref()[r];
        u16::from_be_bytes([b[0], b[1]])
    }

    fn addr(&self, r: std::ops::Range<usize>) -> Ipv4Addr {
        let b = &self.buffer.as_ref()[r];
        Ipv4Addr::new(b[0], b[1], b[2], b[3])
    }

    pub fn version(&self) -> u8 {
        self.buffer.as_ref()[field::VER_IHL] >> 4
    }
    /// Header length in 32-bit words.
    pub fn ihl(&self) -> u8 {
        self.buffer.as_ref()[field::VER_IHL] & 0x0f
    }
    /// Header length in bytes.
    pub fn header_len(&self) -> usize {
        usize::from(self.ihl()) * 4
    }
    pub fn tos(&self) -> u8 {
        self.buffer.as_ref()[field::TOS]
    }
    pub fn total_len(&self) -> u16 {
        self.be16(field::LENGTH)
    }
    pub fn ident(&self) -> u16 {
        self.be16(field::IDENT)
    }
    pub fn dont_frag(&self) -> bool {
        self.be16(field::FLG_OFF) & FLAG_DF != 0
    }
    /// The flags and fragment offset word as is.
    pub fn flags_frag_off(&self) -> u16 {
        self.be16(field::FLG_OFF)
    }
    pub fn ttl(&self) -> u8 {
        self.buffer.as_ref()[field::TTL]
    }
    pub fn protocol(&self) -> u8 {
        self.buffer.as_ref()[field::PROTOCOL]
    }
    pub fn checksum(&self) -> u16 {
        self.be16(field::CHECKSUM)
    }
    pub fn src_addr(&self) -> Ipv4Addr {
        self.addr(field::SRC_ADDR)
    }
    pub fn dst_addr(&self) -> Ipv4Addr {
        self.addr(field::DST_ADDR)
    }

    /// True when the header checksum is right (always true of what the
    /// kernel delivers; false of keepalived's buffer before the kernel fills
    /// it). Needs a checked view.
    pub fn verify_checksum(&self) -> bool {
        checksum::is_valid(checksum::data(&self.buffer.as_ref()[..self.header_len()]))
    }

    /// The bytes after the header, up to the total length (clamped to the
    /// buffer).
    pub fn payload(&self) -> &[u8] {
        let buf = self.buffer.as_ref();
        let end = usize::from(self.total_len()).clamp(self.header_len(), buf.len());
        &buf[self.header_len()..end]
    }
}

impl<T: AsRef<[u8]> + AsMut<[u8]>> Ipv4Packet<T> {
    fn set_be16(&mut self, r: std::ops::Range<usize>, v: u16) {
        self.buffer.as_mut()[r].copy_from_slice(&v.to_be_bytes());
    }

    pub fn set_version(&mut self, v: u8) {
        let b = &mut self.buffer.as_mut()[field::VER_IHL];
        *b = (*b & 0x0f) | (v << 4);
    }
    pub fn set_ihl(&mut self, words: u8) {
        let b = &mut self.buffer.as_mut()[field::VER_IHL];
        *b = (*b & 0xf0) | (words & 0x0f);
    }
    pub fn set_tos(&mut self, v: u8) {
        self.buffer.as_mut()[field::TOS] = v;
    }
    pub fn set_total_len(&mut self, v: u16) {
        self.set_be16(field::LENGTH, v);
    }
    pub fn set_ident(&mut self, v: u16) {
        self.set_be16(field::IDENT, v);
    }
    pub fn set_flags_frag_off(&mut self, v: u16) {
        self.set_be16(field::FLG_OFF, v);
    }
    pub fn set_ttl(&mut self, v: u8) {
        self.buffer.as_mut()[field::TTL] = v;
    }
    pub fn set_protocol(&mut self, v: u8) {
        self.buffer.as_mut()[field::PROTOCOL] = v;
    }
    pub fn set_checksum(&mut self, v: u16) {
        self.set_be16(field::CHECKSUM, v);
    }
    pub fn set_src_addr(&mut self, a: Ipv4Addr) {
        self.buffer.as_mut()[field::SRC_ADDR].copy_from_slice(&a.octets());
    }
    pub fn set_dst_addr(&mut self, a: Ipv4Addr) {
        self.buffer.as_mut()[field::DST_ADDR].copy_from_slice(&a.octets());
    }

    /// Computes and writes the header checksum.
    pub fn fill_checksum(&mut self) {
        self.set_checksum(0);
        let sum = checksum::data(&self.buffer.as_ref()[..self.header_len()]);
        self.set_checksum(!sum);
    }

    /// The bytes after the header (to the end of the buffer).
    pub fn payload_mut(&mut self) -> &mut [u8] {
        let start = self.header_len();
        &mut self.buffer.as_mut()[start..]
    }
}

/// An IPv4 header without options.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ipv4Repr {
    pub src: Ipv4Addr,
    pub dst: Ipv4Addr,
    pub protocol: u8,
    pub tos: u8,
    pub ttl: u8,
    pub ident: u16,
    pub payload_len: usize,
    pub dont_frag: bool,
}

impl Ipv4Repr {
    /// Reads a header: version 4, IHL >= 5 (options skipped), total length
    /// between the header length and the bytes held (trailing bytes beyond
    /// it, such as Ethernet padding, are not payload). The header checksum
    /// is not checked: see [`Ipv4Packet::verify_checksum`].
    pub fn parse<T: AsRef<[u8]>>(packet: &Ipv4Packet<T>) -> Result<Ipv4Repr> {
        packet.check_len()?;
        let total_len = usize::from(packet.total_len());
        let received = packet.buffer.as_ref().len();
        if total_len < packet.header_len() || total_len > received {
            return Err(Error::IpTotalLength {
                total_len,
                received,
            });
        }
        Ok(Ipv4Repr {
            src: packet.src_addr(),
            dst: packet.dst_addr(),
            protocol: packet.protocol(),
            tos: packet.tos(),
            ttl: packet.ttl(),
            ident: packet.ident(),
            payload_len: total_len - packet.header_len(),
            dont_frag: packet.dont_frag(),
        })
    }

    /// The header length (options are never emitted).
    pub const fn buffer_len(&self) -> usize {
        HEADER_LEN
    }

    /// Writes the 20-byte header as keepalived does; the fragment offset is
    /// 0 and only DF may be set. The total length is `20 + payload_len`
    /// (saturating at 65535). Panics if the buffer is shorter than 20 bytes.
    pub fn emit<T: AsRef<[u8]> + AsMut<[u8]>>(
        &self,
        packet: &mut Ipv4Packet<T>,
        checksum: HeaderChecksum,
    ) {
        packet.set_version(4);
        packet.set_ihl(5);
        packet.set_tos(self.tos);
        packet.set_total_len(u16::try_from(HEADER_LEN + self.payload_len).unwrap_or(u16::MAX));
        packet.set_ident(self.ident);
        packet.set_flags_frag_off(if self.dont_frag { FLAG_DF } else { 0 });
        packet.set_ttl(self.ttl);
        packet.set_protocol(self.protocol);
        packet.set_src_addr(self.src);
        packet.set_dst_addr(self.dst);
        match checksum {
            HeaderChecksum::Compute => packet.fill_checksum(),
            HeaderChecksum::LeaveZero => packet.set_checksum(0),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // keepalived's first v2 advert from 10.99.0.2 (evidence/cap1-tcpdump.txt):
    // the header as it reached the wire (checksum d02d filled by the kernel).
    static PACKET_BYTES: [u8; 40] = [
        0x45, 0xc0, 0x00, 0x28, 0x00, 0x01, 0x00, 0x00, 0xff, 0x70, 0xd0, 0x2d, 0x0a, 0x63, 0x00,
        0x02, 0xe0, 0x00, 0x00, 0x12, 0x21, 0x33, 0x78, 0x01, 0x00, 0x01, 0x5c, 0x03, 0x0a, 0x63,
        0x00, 0x64, 0, 0, 0, 0, 0, 0, 0, 0,
    ];

    fn repr() -> Ipv4Repr {
        Ipv4Repr {
            src: Ipv4Addr::new(10, 99, 0, 2),
            dst: Ipv4Addr::new(224, 0, 0, 18),
            protocol: 112,
            tos: TOS_NETWORK_CONTROL,
            ttl: 255,
            ident: 1,
            payload_len: 20,
            dont_frag: false,
        }
    }

    #[test]
    fn test_deconstruct() {
        let packet = Ipv4Packet::new_checked(&PACKET_BYTES[..]).unwrap();
        assert_eq!(packet.version(), 4);
        assert_eq!(packet.ihl(), 5);
        assert_eq!(packet.header_len(), 20);
        assert_eq!(packet.tos(), 0xc0);
        assert_eq!(packet.total_len(), 40);
        assert_eq!(packet.ident(), 1);
        assert!(!packet.dont_frag());
        assert_eq!(packet.flags_frag_off(), 0);
        assert_eq!(packet.ttl(), 255);
        assert_eq!(packet.protocol(), 112);
        assert_eq!(packet.checksum(), 0xd02d);
        assert!(packet.verify_checksum());
        assert_eq!(packet.src_addr(), Ipv4Addr::new(10, 99, 0, 2));
        assert_eq!(packet.dst_addr(), Ipv4Addr::new(224, 0, 0, 18));
        assert_eq!(packet.payload(), &PACKET_BYTES[20..]);
    }

    #[test]
    fn test_construct() {
        let mut bytes = vec![0xa5; 40];
        let mut packet = Ipv4Packet::new_unchecked(&mut bytes);
        packet.set_version(4);
        packet.set_ihl(5);
        packet.set_tos(0xc0);
        packet.set_total_len(40);
        packet.set_ident(1);
        packet.set_flags_frag_off(0);
        packet.set_ttl(255);
        packet.set_protocol(112);
        packet.set_src_addr(Ipv4Addr::new(10, 99, 0, 2));
        packet.set_dst_addr(Ipv4Addr::new(224, 0, 0, 18));
        packet.fill_checksum();
        packet.payload_mut().copy_from_slice(&PACKET_BYTES[20..]);
        assert_eq!(&bytes[..], &PACKET_BYTES[..]);
    }

    #[test]
    fn test_parse() {
        let packet = Ipv4Packet::new_checked(&PACKET_BYTES[..]).unwrap();
        assert_eq!(Ipv4Repr::parse(&packet).unwrap(), repr());
    }

    #[test]
    fn test_emit() {
        let mut bytes = vec![0xa5; 20];
        repr().emit(
            &mut Ipv4Packet::new_unchecked(&mut bytes),
            HeaderChecksum::Compute,
        );
        assert_eq!(&bytes[..], &PACKET_BYTES[..20]);
        repr().emit(
            &mut Ipv4Packet::new_unchecked(&mut bytes),
            HeaderChecksum::LeaveZero,
        );
        assert_eq!(&bytes[10..12], &[0, 0]);
        assert_eq!(&bytes[..10], &PACKET_BYTES[..10]);
        assert_eq!(&bytes[12..], &PACKET_BYTES[12..20]);
    }

    #[test]
    fn emit_dont_frag_and_ah() {
        let mut bytes = vec![0xa5; 20];
        let r = Ipv4Repr {
            dont_frag: true,
            protocol: 51,
            ..repr()
        };
        r.emit(
            &mut Ipv4Packet::new_unchecked(&mut bytes),
            HeaderChecksum::Compute,
        );
        let packet = Ipv4Packet::new_checked(&bytes[..]).unwrap();
        assert_eq!(packet.flags_frag_off(), 0x4000);
        assert!(packet.verify_checksum());
        assert_eq!(packet.protocol(), 51);
    }

    #[test]
    fn parse_errors() {
        assert_eq!(
            Ipv4Packet::new_checked(&PACKET_BYTES[..19]).unwrap_err(),
            Error::Truncated
        );
        let mut b = PACKET_BYTES;
        b[0] = 0x65;
        assert_eq!(
            Ipv4Packet::new_checked(&b[..]).unwrap_err(),
            Error::IpVersion(6)
        );
        b[0] = 0x44;
        assert_eq!(
            Ipv4Packet::new_checked(&b[..]).unwrap_err(),
            Error::IpHeaderLength(4)
        );
        b[0] = 0x4f; // 60-byte header in 40 bytes
        assert_eq!(
            Ipv4Packet::new_checked(&b[..]).unwrap_err(),
            Error::Truncated
        );
        let mut b = PACKET_BYTES;
        b[3] = 41;
        let p = Ipv4Packet::new_checked(&b[..]).unwrap();
        assert_eq!(
            Ipv4Repr::parse(&p).unwrap_err(),
            Error::IpTotalLength {
                total_len: 41,
                received: 40
            }
        );
        b[3] = 19;
        let p = Ipv4Packet::new_checked(&b[..]).unwrap();
        assert_eq!(
            Ipv4Repr::parse(&p).unwrap_err(),
            Error::IpTotalLength {
                total_len: 19,
                received: 40
            }
        );
    }

    #[test]
    fn padding_and_options() {
        // Trailing padding is not payload.
        let mut padded = PACKET_BYTES.to_vec();
        padded.extend_from_slice(&[0; 6]);
        let p = Ipv4Packet::new_checked(&padded[..]).unwrap();
        assert_eq!(Ipv4Repr::parse(&p).unwrap().payload_len, 20);
        assert_eq!(p.payload(), &PACKET_BYTES[20..]);
        // A header with one option word: payload starts after it.
        let mut opt = PACKET_BYTES[..20].to_vec();
        opt[0] = 0x46;
        opt[3] = 44;
        opt.extend_from_slice(&[1, 1, 1, 0]);
        opt.extend_from_slice(&PACKET_BYTES[20..]);
        let p = Ipv4Packet::new_checked(&opt[..]).unwrap();
        assert_eq!(p.payload(), &PACKET_BYTES[20..]);
        assert_eq!(Ipv4Repr::parse(&p).unwrap().payload_len, 20);
    }
}

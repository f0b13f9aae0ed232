//! Ethernet II framing, for the frames keepalived writes itself through
//! `AF_PACKET` (gratuitous ARP, unsolicited NA) and for reading captures.
//! VRRP adverts go through raw IP sockets: the kernel adds their Ethernet
//! header. Owns the 14-byte header only; knows nothing of sockets.

use super::{Error, Result};
use std::fmt;
use std::net::{Ipv4Addr, Ipv6Addr};

/// A 48-bit MAC address.
#[derive(Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct EthernetAddress(pub [u8; 6]);

impl EthernetAddress {
    /// ff:ff:ff:ff:ff:ff, the destination of a gratuitous ARP.
    pub const BROADCAST: EthernetAddress = EthernetAddress([0xff; 6]);
    /// 33:33:00:00:00:01, all-nodes ff02::1 (RFC 2464 §7), the destination of
    /// keepalived's unsolicited NA.
    pub const ALL_NODES: EthernetAddress = EthernetAddress([0x33, 0x33, 0, 0, 0, 1]);

    /// The address from the first six bytes of `bytes`, if there are six.
    pub fn from_bytes(bytes: &[u8]) -> Option<EthernetAddress> {
        bytes
            .get(..6)
            .map(|b| EthernetAddress([b[0], b[1], b[2], b[3], b[4], b[5]]))
    }

    /// The MAC an IPv4 multicast group maps to (RFC 1112 §6.4):
    /// 224.0.0.18 -> 01:00:5e:00:00:12.
    pub fn ipv4_multicast(group: Ipv4Addr) -> EthernetAddress {
        let o = group.octets();
        EthernetAddress([0x01, 0x00, 0x5e, o[1] & 0x7f, o[2], o[3]])
    }

    /// The MAC an IPv6 multicast group maps to (RFC 2464 §7):
    /// ff02::12 -> 33:33:00:00:00:12.
    pub fn ipv6_multicast(group: &Ipv6Addr) -> EthernetAddress {
        let o = group.octets();
        EthernetAddress([0x33, 0x33, o[12], o[13], o[14], o[15]])
    }

    pub fn as_bytes(&self) -> &[u8; 6] {
        &self.0
    }
}

impl fmt::Display for EthernetAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let b = &self.0;
        write!(
            f,
            "{:02x}:{:02x}:{:02x}:{:02x}:{:02x}:{:02x}",
            b[0], b[1], b[2], b[3], b[4], b[5]
        )
    }
}

impl fmt::Debug for EthernetAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

/// EtherType values used here.
pub mod ethertype {
    pub const IPV4: u16 = 0x0800;
    pub const ARP: u16 = 0x0806;
    pub const IPV6: u16 = 0x86dd;
}

mod field {
    use std::ops::{Range, RangeFrom};
    pub const DESTINATION: Range<usize> = 0..6;
    pub const SOURCE: Range<usize> = 6..12;
    pub const ETHERTYPE: Range<usize> = 12..14;
    pub const PAYLOAD: RangeFrom<usize> = 14..;
}

/// Length of the Ethernet II header.
pub const HEADER_LEN: usize = field::PAYLOAD.start;

/// A read/write view of an Ethernet II frame.
#[derive(Debug, Clone)]
pub struct EthernetFrame<T: AsRef<[u8]>> {
    buffer: T,
}

impl<T: AsRef<[u8]>> EthernetFrame<T> {
    /// A view without checks; accessors may panic on a short buffer.
    pub const fn new_unchecked(buffer: T) -> EthernetFrame<T> {
        EthernetFrame { buffer }
    }

    /// A view of a buffer long enough for the header.
    pub fn new_checked(buffer: T) -> Result<EthernetFrame<T>> {
        let frame = Self::new_unchecked(buffer);
        frame.check_len()?;
        Ok(frame)
    }

    /// `Err(Truncated)` if the buffer is shorter than the header.
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

    pub fn dst_addr(&self) -> EthernetAddress {
        EthernetAddress::from_bytes(&self.buffer.as_ref()[field::DESTINATION]).unwrap_or_default()
    }

    pub fn src_addr(&self) -> EthernetAddress {
        EthernetAddress::from_bytes(&self.buffer.as_ref()[field::SOURCE]).unwrap_or_default()
    }

    pub fn ethertype(&self) -> u16 {
        let b = &self.buffer.as_ref()[field::ETHERTYPE];
        u16::from_be_bytes([b[0], b[1]])
    }

    /// The bytes after the header (including any trailing padding).
    pub fn payload(&self) -> &[u8] {
        &self.buffer.as_ref()[field::PAYLOAD]
    }
}

impl<T: AsRef<[u8]> + AsMut<[u8]>> EthernetFrame<T> {
    pub fn set_dst_addr(&mut self, addr: EthernetAddress) {
        self.buffer.as_mut()[field::DESTINATION].copy_from_slice(&addr.0);
    }

    pub fn set_src_addr(&mut self, addr: EthernetAddress) {
        self.buffer.as_mut()[field::SOURCE].copy_from_slice(&addr.0);
    }

    pub fn set_ethertype(&mut self, value: u16) {
        self.buffer.as_mut()[field::ETHERTYPE].copy_from_slice(&value.to_be_bytes());
    }

    pub fn payload_mut(&mut self) -> &mut [u8] {
        &mut self.buffer.as_mut()[field::PAYLOAD]
    }
}

/// An Ethernet II header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EthernetRepr {
    pub src: EthernetAddress,
    pub dst: EthernetAddress,
    pub ethertype: u16,
}

impl EthernetRepr {
    pub fn parse<T: AsRef<[u8]>>(frame: &EthernetFrame<T>) -> Result<EthernetRepr> {
        frame.check_len()?;
        Ok(EthernetRepr {
            src: frame.src_addr(),
            dst: frame.dst_addr(),
            ethertype: frame.ethertype(),
        })
    }

    pub const fn buffer_len(&self) -> usize {
        HEADER_LEN
    }

    /// Writes the header; the frame must hold at least [`HEADER_LEN`] bytes.
    pub fn emit<T: AsRef<[u8]> + AsMut<[u8]>>(&self, frame: &mut EthernetFrame<T>) {
        frame.set_dst_addr(self.dst);
        frame.set_src_addr(self.src);
        frame.set_ethertype(self.ethertype);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // A GARP frame's header from keepalived (v2-unicast capture).
    static FRAME_BYTES: [u8; 16] = [
        0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x06, 0x0f, 0xbe, 0x44, 0x84, 0x86, 0x08, 0x06, 0x00,
        0x01,
    ];
    const SRC: EthernetAddress = EthernetAddress([0x06, 0x0f, 0xbe, 0x44, 0x84, 0x86]);

    fn repr() -> EthernetRepr {
        EthernetRepr {
            src: SRC,
            dst: EthernetAddress::BROADCAST,
            ethertype: ethertype::ARP,
        }
    }

    #[test]
    fn test_deconstruct() {
        let frame = EthernetFrame::new_checked(&FRAME_BYTES[..]).unwrap();
        assert_eq!(frame.dst_addr(), EthernetAddress::BROADCAST);
        assert_eq!(frame.src_addr(), SRC);
        assert_eq!(frame.ethertype(), ethertype::ARP);
        assert_eq!(frame.payload(), &[0x00, 0x01]);
    }

    #[test]
    fn test_construct() {
        let mut bytes = vec![0xa5; 16];
        let mut frame = EthernetFrame::new_unchecked(&mut bytes);
        frame.set_dst_addr(EthernetAddress::BROADCAST);
        frame.set_src_addr(SRC);
        frame.set_ethertype(ethertype::ARP);
        frame.payload_mut().copy_from_slice(&[0x00, 0x01]);
        assert_eq!(&bytes[..], &FRAME_BYTES[..]);
    }

    #[test]
    fn test_parse() {
        let frame = EthernetFrame::new_checked(&FRAME_BYTES[..]).unwrap();
        assert_eq!(EthernetRepr::parse(&frame).unwrap(), repr());
    }

    #[test]
    fn test_emit() {
        let mut bytes = vec![0xa5; 14];
        repr().emit(&mut EthernetFrame::new_unchecked(&mut bytes));
        assert_eq!(&bytes[..], &FRAME_BYTES[..14]);
    }

    #[test]
    fn truncated() {
        assert_eq!(
            EthernetFrame::new_checked(&FRAME_BYTES[..13]).unwrap_err(),
            Error::Truncated
        );
    }

    #[test]
    fn multicast_macs() {
        assert_eq!(
            EthernetAddress::ipv4_multicast(Ipv4Addr::new(224, 0, 0, 18)).to_string(),
            "01:00:5e:00:00:12"
        );
        let g: Ipv6Addr = "ff02::12".parse().unwrap();
        assert_eq!(
            EthernetAddress::ipv6_multicast(&g).to_string(),
            "33:33:00:00:00:12"
        );
    }
}

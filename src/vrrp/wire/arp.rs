//! ARP for Ethernet/IPv4 (RFC 826) and the gratuitous ARP keepalived sends
//! for each VIP: an ARP *request* with sender IP = target IP = the VIP and
//! target MAC ff:ff:ff:ff:ff:ff, broadcast (keepalived `vrrp_arp.c`,
//! KEEPALIVED.md §6, verified in the captures). Owns the 28-byte ARP payload
//! and the 42-byte frame; sending (AF_PACKET) is `io`'s job.

use super::ethernet::{self, EthernetAddress, EthernetFrame, EthernetRepr};
use super::{Error, Result};
use std::net::Ipv4Addr;

/// ARP hardware type Ethernet.
pub const HTYPE_ETHERNET: u16 = 1;

/// ARP operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArpOperation {
    Request,
    Reply,
    Unknown(u16),
}

impl From<u16> for ArpOperation {
    fn from(v: u16) -> Self {
        match v {
            1 => ArpOperation::Request,
            2 => ArpOperation::Reply,
            other => ArpOperation::Unknown(other),
        }
    }
}

impl From<ArpOperation> for u16 {
    fn from(op: ArpOperation) -> u16 {
        match op {
            ArpOperation::Request => 1,
            ArpOperation::Reply => 2,
            ArpOperation::Unknown(v) => v,
        }
    }
}

mod field {
    use std::ops::Range;
    pub const HTYPE: Range<usize> = 0..2;
    pub const PTYPE: Range<usize> = 2..4;
    pub const HLEN: usize = 4;
    pub const PLEN: usize = 5;
    pub const OPER: Range<usize> = 6..8;
    // Offsets below hold for hlen 6 / plen 4, the only layout parsed.
    pub const SHA: Range<usize> = 8..14;
    pub const SPA: Range<usize> = 14..18;
    pub const THA: Range<usize> = 18..24;
    pub const TPA: Range<usize> = 24..28;
}

/// Length of an Ethernet/IPv4 ARP packet.
pub const PACKET_LEN: usize = field::TPA.end;
/// Length of a whole gratuitous-ARP frame (no padding: keepalived sends 42
/// bytes and the captures show 42).
pub const FRAME_LEN: usize = ethernet::HEADER_LEN + PACKET_LEN;

/// A read/write view of an ARP packet (Ethernet/IPv4 layout).
#[derive(Debug, Clone)]
pub struct ArpPacket<T: AsRef<[u8]>> {
    buffer: T,
}

fn be16(b: &[u8]) -> u16 {
    u16::from_be_bytes([b[0], b[1]])
}

fn ipv4(b: &[u8]) -> Ipv4Addr {
    Ipv4Addr::new(b[0], b[1], b[2], b[3])
}

impl<T: AsRef<[u8]>> ArpPacket<T> {
    pub const fn new_unchecked(buffer: T) -> ArpPacket<T> {
        ArpPacket { buffer }
    }

    /// A view of a buffer long enough for an Ethernet/IPv4 ARP packet.
    pub fn new_checked(buffer: T) -> Result<ArpPacket<T>> {
        let packet = Self::new_unchecked(buffer);
        packet.check_len()?;
        Ok(packet)
    }

    pub fn check_len(&self) -> Result<()> {
        if self.buffer.as_ref().len() < PACKET_LEN {
            Err(Error::Truncated)
        } else {
            Ok(())
        }
    }

    pub fn into_inner(self) -> T {
        self.buffer
    }

    pub fn hardware_type(&self) -> u16 {
        be16(&self.buffer.as_ref()[field::HTYPE])
    }
    pub fn protocol_type(&self) -> u16 {
        be16(&self.buffer.as_ref()[field::PTYPE])
    }
    pub fn hardware_len(&self) -> u8 {
        self.buffer.as_ref()[field::HLEN]
    }
    pub fn protocol_len(&self) -> u8 {
        self.buffer.as_ref()[field::PLEN]
    }
    pub fn operation(&self) -> ArpOperation {
        be16(&self.buffer.as_ref()[field::OPER]).into()
    }
    pub fn source_hardware_addr(&self) -> EthernetAddress {
        EthernetAddress::from_bytes(&self.buffer.as_ref()[field::SHA]).unwrap_or_default()
    }
    pub fn source_protocol_addr(&self) -> Ipv4Addr {
        ipv4(&self.buffer.as_ref()[field::SPA])
    }
    pub fn target_hardware_addr(&self) -> EthernetAddress {
        EthernetAddress::from_bytes(&self.buffer.as_ref()[field::THA]).unwrap_or_default()
    }
    pub fn target_protocol_addr(&self) -> Ipv4Addr {
        ipv4(&self.buffer.as_ref()[field::TPA])
    }
}

impl<T: AsRef<[u8]> + AsMut<[u8]>> ArpPacket<T> {
    pub fn set_hardware_type(&mut self, v: u16) {
        self.buffer.as_mut()[field::HTYPE].copy_from_slice(&v.to_be_bytes());
    }
    pub fn set_protocol_type(&mut self, v: u16) {
        self.buffer.as_mut()[field::PTYPE].copy_from_slice(&v.to_be_bytes());
    }
    pub fn set_hardware_len(&mut self, v: u8) {
        self.buffer.as_mut()[field::HLEN] = v;
    }
    pub fn set_protocol_len(&mut self, v: u8) {
        self.buffer.as_mut()[field::PLEN] = v;
    }
    pub fn set_operation(&mut self, op: ArpOperation) {
        self.buffer.as_mut()[field::OPER].copy_from_slice(&u16::from(op).to_be_bytes());
    }
    pub fn set_source_hardware_addr(&mut self, a: EthernetAddress) {
        self.buffer.as_mut()[field::SHA].copy_from_slice(&a.0);
    }
    pub fn set_source_protocol_addr(&mut self, a: Ipv4Addr) {
        self.buffer.as_mut()[field::SPA].copy_from_slice(&a.octets());
    }
    pub fn set_target_hardware_addr(&mut self, a: EthernetAddress) {
        self.buffer.as_mut()[field::THA].copy_from_slice(&a.0);
    }
    pub fn set_target_protocol_addr(&mut self, a: Ipv4Addr) {
        self.buffer.as_mut()[field::TPA].copy_from_slice(&a.octets());
    }
}

/// An Ethernet/IPv4 ARP packet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ArpRepr {
    pub operation: ArpOperation,
    pub sender_mac: EthernetAddress,
    pub sender_ip: Ipv4Addr,
    pub target_mac: EthernetAddress,
    pub target_ip: Ipv4Addr,
}

impl ArpRepr {
    /// keepalived's gratuitous ARP for `vip` from `mac`: a request, sender
    /// and target IP = the VIP, target MAC = broadcast.
    pub fn gratuitous(mac: EthernetAddress, vip: Ipv4Addr) -> ArpRepr {
        ArpRepr {
            operation: ArpOperation::Request,
            sender_mac: mac,
            sender_ip: vip,
            target_mac: EthernetAddress::BROADCAST,
            target_ip: vip,
        }
    }

    /// True for a gratuitous ARP (sender IP = target IP), request or reply.
    pub fn is_gratuitous(&self) -> bool {
        self.sender_ip == self.target_ip
    }

    /// Reads an Ethernet (1) / IPv4 (0x0800) ARP packet with lengths 6 and 4.
    pub fn parse<T: AsRef<[u8]>>(packet: &ArpPacket<T>) -> Result<ArpRepr> {
        packet.check_len()?;
        if packet.hardware_type() != HTYPE_ETHERNET
            || packet.protocol_type() != ethernet::ethertype::IPV4
            || packet.hardware_len() != 6
            || packet.protocol_len() != 4
        {
            return Err(Error::Unsupported("ARP other than Ethernet/IPv4"));
        }
        Ok(ArpRepr {
            operation: packet.operation(),
            sender_mac: packet.source_hardware_addr(),
            sender_ip: packet.source_protocol_addr(),
            target_mac: packet.target_hardware_addr(),
            target_ip: packet.target_protocol_addr(),
        })
    }

    pub const fn buffer_len(&self) -> usize {
        PACKET_LEN
    }

    /// Writes the packet; the buffer must hold [`PACKET_LEN`] bytes.
    pub fn emit<T: AsRef<[u8]> + AsMut<[u8]>>(&self, packet: &mut ArpPacket<T>) {
        packet.set_hardware_type(HTYPE_ETHERNET);
        packet.set_protocol_type(ethernet::ethertype::IPV4);
        packet.set_hardware_len(6);
        packet.set_protocol_len(4);
        packet.set_operation(self.operation);
        packet.set_source_hardware_addr(self.sender_mac);
        packet.set_source_protocol_addr(self.sender_ip);
        packet.set_target_hardware_addr(self.target_mac);
        packet.set_target_protocol_addr(self.target_ip);
    }
}

/// A whole ARP frame: Ethernet header plus ARP packet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ArpFrameRepr {
    pub eth: EthernetRepr,
    pub arp: ArpRepr,
}

impl ArpFrameRepr {
    /// The frame keepalived sends for `vip` on an interface (or VMAC) with
    /// address `mac`: broadcast, Ethernet source = sender MAC = `mac`.
    pub fn gratuitous(mac: EthernetAddress, vip: Ipv4Addr) -> ArpFrameRepr {
        ArpFrameRepr {
            eth: EthernetRepr {
                src: mac,
                dst: EthernetAddress::BROADCAST,
                ethertype: ethernet::ethertype::ARP,
            },
            arp: ArpRepr::gratuitous(mac, vip),
        }
    }

    /// Reads a frame; bytes after the 28 ARP bytes (Ethernet padding) are
    /// ignored.
    pub fn parse(frame: &[u8]) -> Result<ArpFrameRepr> {
        let eth_frame = EthernetFrame::new_checked(frame)?;
        let eth = EthernetRepr::parse(&eth_frame)?;
        if eth.ethertype != ethernet::ethertype::ARP {
            return Err(Error::Unsupported("not an ARP frame"));
        }
        let arp = ArpRepr::parse(&ArpPacket::new_checked(eth_frame.payload())?)?;
        Ok(ArpFrameRepr { eth, arp })
    }

    pub const fn buffer_len(&self) -> usize {
        FRAME_LEN
    }

    /// Writes the frame into `buf[..FRAME_LEN]` and returns [`FRAME_LEN`].
    /// Panics if `buf` is shorter.
    pub fn emit(&self, buf: &mut [u8]) -> usize {
        let buf = &mut buf[..FRAME_LEN];
        let mut frame = EthernetFrame::new_unchecked(&mut *buf);
        self.eth.emit(&mut frame);
        self.arp
            .emit(&mut ArpPacket::new_unchecked(frame.payload_mut()));
        FRAME_LEN
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // keepalived 2.2.7's GARP for 10.99.0.100 from fa:43:b4:73:dc:af
    // (evidence/cap1-tcpdump.txt, ARP part; the frame adds the 14-byte header).
    static PACKET_BYTES: [u8; 28] = [
        0x00, 0x01, 0x08, 0x00, 0x06, 0x04, 0x00, 0x01, 0xfa, 0x43, 0xb4, 0x73, 0xdc, 0xaf, 0x0a,
        0x63, 0x00, 0x64, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x0a, 0x63, 0x00, 0x64,
    ];
    const MAC: EthernetAddress = EthernetAddress([0xfa, 0x43, 0xb4, 0x73, 0xdc, 0xaf]);
    const VIP: Ipv4Addr = Ipv4Addr::new(10, 99, 0, 100);

    #[test]
    fn test_deconstruct() {
        let packet = ArpPacket::new_checked(&PACKET_BYTES[..]).unwrap();
        assert_eq!(packet.hardware_type(), 1);
        assert_eq!(packet.protocol_type(), 0x0800);
        assert_eq!(packet.hardware_len(), 6);
        assert_eq!(packet.protocol_len(), 4);
        assert_eq!(packet.operation(), ArpOperation::Request);
        assert_eq!(packet.source_hardware_addr(), MAC);
        assert_eq!(packet.source_protocol_addr(), VIP);
        assert_eq!(packet.target_hardware_addr(), EthernetAddress::BROADCAST);
        assert_eq!(packet.target_protocol_addr(), VIP);
    }

    #[test]
    fn test_construct() {
        let mut bytes = vec![0xa5; 28];
        let mut packet = ArpPacket::new_unchecked(&mut bytes);
        packet.set_hardware_type(1);
        packet.set_protocol_type(0x0800);
        packet.set_hardware_len(6);
        packet.set_protocol_len(4);
        packet.set_operation(ArpOperation::Request);
        packet.set_source_hardware_addr(MAC);
        packet.set_source_protocol_addr(VIP);
        packet.set_target_hardware_addr(EthernetAddress::BROADCAST);
        packet.set_target_protocol_addr(VIP);
        assert_eq!(&bytes[..], &PACKET_BYTES[..]);
    }

    #[test]
    fn test_parse() {
        let packet = ArpPacket::new_checked(&PACKET_BYTES[..]).unwrap();
        let repr = ArpRepr::parse(&packet).unwrap();
        assert_eq!(repr, ArpRepr::gratuitous(MAC, VIP));
        assert!(repr.is_gratuitous());
    }

    #[test]
    fn test_emit() {
        let mut bytes = vec![0xa5; 28];
        ArpRepr::gratuitous(MAC, VIP).emit(&mut ArpPacket::new_unchecked(&mut bytes));
        assert_eq!(&bytes[..], &PACKET_BYTES[..]);
    }

    #[test]
    fn frame_round_trip() {
        let mut bytes = vec![0xa5; 60];
        let repr = ArpFrameRepr::gratuitous(MAC, VIP);
        assert_eq!(repr.emit(&mut bytes), 42);
        assert_eq!(&bytes[..6], &[0xff; 6]);
        assert_eq!(&bytes[6..12], &MAC.0);
        assert_eq!(&bytes[12..14], &[0x08, 0x06]);
        assert_eq!(&bytes[14..42], &PACKET_BYTES[..]);
        assert_eq!(
            &bytes[42..],
            &[0xa5; 18][..],
            "nothing written past the frame"
        );
        // Padding to the 60-byte minimum is tolerated on parse.
        assert_eq!(ArpFrameRepr::parse(&bytes).unwrap(), repr);
    }

    #[test]
    fn rejects_other_layouts() {
        assert_eq!(
            ArpPacket::new_checked(&PACKET_BYTES[..27]).unwrap_err(),
            Error::Truncated
        );
        let mut bytes = PACKET_BYTES;
        bytes[4] = 8; // hardware length 8
        assert!(matches!(
            ArpRepr::parse(&ArpPacket::new_unchecked(&bytes[..])),
            Err(Error::Unsupported(_))
        ));
        let mut frame = vec![0u8; 42];
        ArpFrameRepr::gratuitous(MAC, VIP).emit(&mut frame);
        frame[13] = 0x00; // ethertype 0x0800
        assert!(matches!(
            ArpFrameRepr::parse(&frame),
            Err(Error::Unsupported(_))
        ));
    }
}

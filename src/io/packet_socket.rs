//! The link-layer socket gratuitous ARPs and unsolicited neighbour
//! advertisements leave through (KEEPALIVED.md §6): one `AF_PACKET` /
//! `SOCK_RAW` socket, non-blocking and close-on-exec, shared by every
//! interface; each frame names its interface by index.
//!
//! The frames come byte for byte from the wire module
//! ([`ArpFrameRepr::gratuitous`], [`NaFrameRepr::unsolicited`]); this module
//! only writes them out.
//!
//! keepalived opens two such sockets (protocol `ETH_P_ARP` and
//! `ETH_P_IPV6`) and attaches a drop-everything filter because it never
//! reads them. This socket is opened with protocol 0 instead: the kernel
//! then hooks it to no protocol at all, so nothing is ever queued on it, and
//! the protocol of each frame is given per send (`sll_protocol`). What goes
//! on the wire is the same.

use super::sys;
use crate::vrrp::wire::arp::{self, ArpFrameRepr};
use crate::vrrp::wire::ethernet::{EthernetAddress, ethertype};
use crate::vrrp::wire::ndisc::{self, NaFrameRepr};
use nix::sys::socket::{AddressFamily, SockFlag, SockType, socket};
use std::io;
use std::net::{Ipv4Addr, Ipv6Addr};
use std::os::fd::{AsFd, BorrowedFd, OwnedFd};

/// A send-only `AF_PACKET` socket for GARPs and unsolicited NAs.
#[derive(Debug)]
pub struct PacketSocket {
    fd: OwnedFd,
}

impl PacketSocket {
    /// Opens the socket (needs `CAP_NET_RAW`) in the calling thread's
    /// network namespace.
    pub fn open() -> io::Result<Self> {
        let fd = socket(
            AddressFamily::Packet,
            SockType::Raw,
            SockFlag::SOCK_NONBLOCK | SockFlag::SOCK_CLOEXEC,
            None,
        )?;
        Ok(PacketSocket { fd })
    }

    /// Sends keepalived's gratuitous ARP for `vip` out of interface
    /// `ifindex` whose (or whose VMAC's) address is `mac`: an ARP request
    /// broadcast to ff:ff:ff:ff:ff:ff, sender and target IP = `vip`.
    ///
    /// Errors, `WouldBlock` included, are returned as they are: the caller
    /// decides whether to log or retry.
    pub fn send_garp(&self, ifindex: u32, mac: [u8; 6], vip: Ipv4Addr) -> io::Result<()> {
        let repr = ArpFrameRepr::gratuitous(EthernetAddress(mac), vip);
        let mut frame = [0u8; arp::FRAME_LEN];
        let len = repr.emit(&mut frame);
        self.send(ifindex, ethertype::ARP, repr.eth.dst, &frame[..len])
    }

    /// Sends keepalived's unsolicited neighbour advertisement for `vip` out
    /// of interface `ifindex` with address `mac`: from `vip` to ff02::1
    /// (33:33:00:00:00:01), hop limit 255, Override set, Router set when
    /// `router` (see [`ipv6_forwarding`]), Target Link-Layer option `mac`.
    ///
    /// Errors are returned as they are, as for [`send_garp`](Self::send_garp).
    pub fn send_na(
        &self,
        ifindex: u32,
        mac: [u8; 6],
        vip: Ipv6Addr,
        router: bool,
    ) -> io::Result<()> {
        let repr = NaFrameRepr::unsolicited(EthernetAddress(mac), vip, router);
        let mut frame = [0u8; ndisc::FRAME_LEN];
        let len = repr.emit(&mut frame);
        self.send(ifindex, ethertype::IPV6, repr.eth.dst, &frame[..len])
    }

    fn send(
        &self,
        ifindex: u32,
        protocol: u16,
        dst: EthernetAddress,
        frame: &[u8],
    ) -> io::Result<()> {
        let sent = sys::packet_send_to(self.fd.as_fd(), ifindex, protocol, dst.0, frame)?;
        if sent == frame.len() {
            Ok(())
        } else {
            Err(io::Error::new(
                io::ErrorKind::WriteZero,
                format!("sent {sent} of {} bytes", frame.len()),
            ))
        }
    }
}

impl AsFd for PacketSocket {
    fn as_fd(&self) -> BorrowedFd<'_> {
        self.fd.as_fd()
    }
}

/// Whether IPv6 forwarding is on for interface `ifname`
/// (`/proc/sys/net/ipv6/conf/IFNAME/forwarding` is not 0), as keepalived
/// decides the NA Router flag. `false` when the file cannot be read (no
/// such interface, IPv6 disabled) or the name could not be an interface
/// name. Read in the calling thread's network namespace.
pub fn ipv6_forwarding(ifname: &str) -> bool {
    // An interface name is one path component: no '/', not "." or "..".
    if ifname.is_empty() || ifname.contains(['/', '\0']) || ifname == "." || ifname == ".." {
        return false;
    }
    std::fs::read_to_string(format!("/proc/sys/net/ipv6/conf/{ifname}/forwarding"))
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .is_some_and(|v| v != 0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::netlink::Rtnl;
    use crate::io::testns::{self, Netns};
    use nix::sys::socket::{LinkAddr, SockProtocol, recvfrom, setsockopt, sockopt};
    use nix::sys::time::TimeVal;
    use std::time::{Duration, Instant};

    /// PACKET_OUTGOING: a frame this host sent, looped back to packet taps.
    const PACKET_OUTGOING: u8 = 4;

    /// Two namespaces joined by a veth: `veth0` in `a`, `veth1` in `b`,
    /// both up. `None` (with a note) when not root.
    fn pair() -> Option<(Netns, Netns)> {
        if !testns::available("packet socket") {
            return None;
        }
        let a = Netns::add("kr-pk-a");
        let b = Netns::add("kr-pk-b");
        a.ip(&[
            "link", "add", "veth0", "type", "veth", "peer", "name", "veth1", "netns", &b.name,
        ]);
        a.ip(&["link", "set", "veth0", "up"]);
        b.ip(&["link", "set", "veth1", "up"]);
        Some((a, b))
    }

    /// Index and MAC of `name` in the namespace the thread is in.
    fn link(name: &str) -> (u32, [u8; 6]) {
        let links = Rtnl::open().unwrap().links().unwrap();
        let l = links.iter().find(|l| l.name == name).expect(name);
        (l.index, l.mac.expect("veth has a MAC"))
    }

    /// A blocking receive-everything packet socket opened in `ns`, with
    /// the index of `ifname` there.
    fn tap(ns: &Netns, ifname: &'static str) -> (OwnedFd, u32) {
        ns.run(move || {
            let fd = socket(
                AddressFamily::Packet,
                SockType::Raw,
                SockFlag::SOCK_CLOEXEC,
                SockProtocol::EthAll,
            )
            .unwrap();
            let tv = TimeVal::new(0, 200_000);
            setsockopt(&fd, sockopt::ReceiveTimeout, &tv).unwrap();
            (fd, link(ifname).0)
        })
    }

    /// The first frame arriving on `ifindex` (not sent by this side) with
    /// EtherType `ethertype` that `pick` accepts, within 5 s.
    fn receive(
        fd: &OwnedFd,
        ifindex: u32,
        ethertype: u16,
        pick: impl Fn(&[u8]) -> bool,
    ) -> Vec<u8> {
        use std::os::fd::AsRawFd;
        let deadline = Instant::now() + Duration::from_secs(5);
        let mut buf = [0u8; 2048];
        while Instant::now() < deadline {
            let Ok((n, from)) = recvfrom::<LinkAddr>(fd.as_raw_fd(), &mut buf) else {
                continue;
            };
            let Some(from) = from else { continue };
            let frame = &buf[..n];
            if from.ifindex() == ifindex as usize
                && from.pkttype() != PACKET_OUTGOING
                && n >= 14
                && u16::from_be_bytes([frame[12], frame[13]]) == ethertype
                && pick(frame)
            {
                return frame.to_vec();
            }
        }
        panic!("no frame of type {ethertype:#06x} on ifindex {ifindex} within 5 s");
    }

    #[test]
    fn forwarding_of_bad_or_missing_names_is_false() {
        assert!(!ipv6_forwarding(""));
        assert!(!ipv6_forwarding("../all"));
        assert!(!ipv6_forwarding(".."));
        assert!(!ipv6_forwarding("no-such-if0"));
    }

    #[test]
    fn garp_reaches_the_peer_byte_exact() {
        let Some((a, b)) = pair() else { return };
        let (rx, rx_index) = tap(&b, "veth1");
        let vip = Ipv4Addr::new(10, 99, 4, 1);
        let mac = a.run(move || {
            let (index, mac) = link("veth0");
            let sock = PacketSocket::open().unwrap();
            sock.send_garp(index, mac, vip).unwrap();
            mac
        });
        let frame = receive(&rx, rx_index, ethertype::ARP, |f| f[28..32] == vip.octets());
        let mut expected = [0xa5u8; arp::FRAME_LEN];
        ArpFrameRepr::gratuitous(EthernetAddress(mac), vip).emit(&mut expected);
        assert_eq!(frame, expected);
        // The fields keepalived's GARP is known by, spelled out.
        assert_eq!(&frame[..6], &[0xff; 6], "broadcast destination");
        assert_eq!(&frame[6..12], &mac, "source MAC");
        assert_eq!(&frame[12..14], &[0x08, 0x06], "EtherType ARP");
        assert_eq!(&frame[20..22], &[0, 1], "ARP request");
        assert_eq!(&frame[22..28], &mac, "sender MAC");
        assert_eq!(&frame[28..32], &vip.octets(), "sender IP");
        assert_eq!(&frame[32..38], &[0xff; 6], "target MAC");
        assert_eq!(&frame[38..42], &vip.octets(), "target IP");
    }

    /// An NA for `vip` sent from `a` (with the Router flag as
    /// [`ipv6_forwarding`] reports it there), as received in `b`; with the
    /// MAC and the flag used.
    fn na_round_trip(a: &Netns, b: &Netns, vip: Ipv6Addr) -> (Vec<u8>, [u8; 6], bool) {
        let (rx, rx_index) = tap(b, "veth1");
        let (mac, router) = a.run(move || {
            let (index, mac) = link("veth0");
            let router = ipv6_forwarding("veth0");
            let sock = PacketSocket::open().unwrap();
            sock.send_na(index, mac, vip, router).unwrap();
            (mac, router)
        });
        // Only our NA: ICMPv6 type 136 for this target (DAD and router
        // solicitations also cross a fresh link).
        let frame = receive(&rx, rx_index, ethertype::IPV6, |f| {
            f.len() >= 78 && f[20] == 58 && f[54] == 136 && f[62..78] == vip.octets()
        });
        (frame, mac, router)
    }

    #[test]
    fn na_reaches_the_peer_byte_exact() {
        let Some((a, b)) = pair() else { return };
        let vip: Ipv6Addr = "fd00:99::4:1".parse().unwrap();
        let (frame, mac, router) = na_round_trip(&a, &b, vip);
        assert!(!router, "forwarding is off in a fresh namespace");
        let mut expected = [0xa5u8; ndisc::FRAME_LEN];
        NaFrameRepr::unsolicited(EthernetAddress(mac), vip, false).emit(&mut expected);
        assert_eq!(frame, expected);
        assert_eq!(&frame[..6], &[0x33, 0x33, 0, 0, 0, 1], "all-nodes MAC");
        assert_eq!(&frame[6..12], &mac, "source MAC");
        assert_eq!(&frame[12..14], &[0x86, 0xdd], "EtherType IPv6");
        assert_eq!(frame[21], 255, "hop limit");
        assert_eq!(&frame[22..38], &vip.octets(), "IPv6 source = VIP");
        assert_eq!(&frame[38..54], &ndisc::ALL_NODES.octets(), "to ff02::1");
        assert_eq!(frame[58], 0x20, "Override only");
        assert_eq!(&frame[78..80], &[2, 1], "Target Link-Layer option");
        assert_eq!(&frame[80..86], &mac);
        let parsed = NaFrameRepr::parse(&frame).expect("checksum and layout valid");
        assert!(parsed.na.override_flag && !parsed.na.router);
    }

    #[test]
    fn na_router_flag_follows_forwarding() {
        let Some((a, b)) = pair() else { return };
        a.run(|| {
            std::fs::write("/proc/sys/net/ipv6/conf/veth0/forwarding", "1").unwrap();
        });
        let vip: Ipv6Addr = "fd00:99::4:2".parse().unwrap();
        let (frame, mac, router) = na_round_trip(&a, &b, vip);
        assert!(router, "forwarding was turned on for veth0");
        let mut expected = [0xa5u8; ndisc::FRAME_LEN];
        NaFrameRepr::unsolicited(EthernetAddress(mac), vip, true).emit(&mut expected);
        assert_eq!(frame, expected);
        assert_eq!(frame[58], 0xa0, "Router and Override");
        // The other side's setting is its own.
        assert!(!b.run(|| ipv6_forwarding("veth1")));
    }

    #[test]
    fn send_on_a_missing_interface_is_an_error() {
        if !testns::available("packet socket") {
            return;
        }
        let ns = Netns::add("kr-pk-err");
        let err = ns.run(|| {
            let sock = PacketSocket::open().unwrap();
            sock.send_garp(9999, [2, 0, 0, 0, 0, 1], Ipv4Addr::new(10, 99, 4, 3))
                .unwrap_err()
        });
        assert_eq!(err.raw_os_error(), Some(nix::libc::ENXIO), "{err}");
    }
}

//! Raw VRRP sockets (KEEPALIVED.md §5.1): one non-blocking socket per
//! (interface, family) that both receives and sends adverts.
//!
//! * IPv4: IP protocol 112, `IP_HDRINCL` (the caller writes the IP header,
//!   see [`advert::emit_ipv4_advert`]), reads start with the IP header
//!   ([`RxFamily::Ipv4`]).
//! * IPv6: the kernel adds the IP header and computes / verifies the VRRP
//!   checksum (`IPV6_CHECKSUM` offset 6); reads are the VRRP message alone,
//!   the addresses and hop limit coming from the source address,
//!   `IPV6_PKTINFO` and `IPV6_HOPLIMIT` ([`RxFamily::Ipv6`]).
//!
//! Both: `SO_BINDTODEVICE` to the interface, multicast loop off, TOS /
//! traffic class 0xc0, multicast sends with `MSG_DONTROUTE`. IPv4 also sets
//! `IP_MULTICAST_ALL` to 0 so only groups joined on this socket arrive.
//!
//! [`advert::emit_ipv4_advert`]: crate::vrrp::wire::advert::emit_ipv4_advert

use super::sys;
use crate::vrrp::wire::advert::RxFamily;
use crate::vrrp::wire::ipv4::TOS_NETWORK_CONTROL;
use crate::vrrp::wire::vrrp::{PROTOCOL_VRRP, TTL};
use nix::errno::Errno;
use nix::libc;
use nix::sys::socket::{
    self, ControlMessageOwned, MsgFlags, SockaddrIn, SockaddrIn6, SockaddrLike, sockopt,
};
use std::ffi::OsString;
use std::io::{self, IoSliceMut};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddrV4, SocketAddrV6};
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, OwnedFd, RawFd};

/// Where the VRRP checksum sits in the message (`IPV6_CHECKSUM`).
const CHECKSUM_OFFSET: i32 = 6;

/// One datagram read by [`VrrpSocket::recv`]: its first `bytes_len` bytes
/// of the caller's buffer, and what to hand the wire module with them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RxPacket {
    pub bytes_len: usize,
    pub rx: RxFamily,
}

/// A raw VRRP socket bound to one interface and one address family.
#[derive(Debug)]
pub struct VrrpSocket {
    fd: OwnedFd,
    ifname: String,
    ifindex: u32,
    ipv6: bool,
}

impl VrrpSocket {
    /// An IPv4 socket on `ifname` (receive set-up plus `IP_HDRINCL`).
    pub fn open_ipv4(ifname: &str) -> io::Result<Self> {
        let s = Self::open(ifname, false)?;
        let fd = s.fd.as_fd();
        sys::set_int_sockopt(fd, libc::IPPROTO_IP, libc::IP_MULTICAST_ALL, 0)?;
        sys::set_int_sockopt(fd, libc::IPPROTO_IP, libc::IP_HDRINCL, 1)?;
        socket::setsockopt(&s.fd, sockopt::IpMulticastLoop, &false)?;
        socket::setsockopt(
            &s.fd,
            sockopt::Ipv4Tos,
            &libc::c_int::from(TOS_NETWORK_CONTROL),
        )?;
        Ok(s)
    }

    /// An IPv6 socket on `ifname`: kernel checksum at offset 6, hop limit
    /// and packet info delivered with each read, multicast hops 255.
    pub fn open_ipv6(ifname: &str) -> io::Result<Self> {
        let s = Self::open(ifname, true)?;
        let fd = s.fd.as_fd();
        sys::set_int_sockopt(fd, libc::IPPROTO_IPV6, libc::IPV6_CHECKSUM, CHECKSUM_OFFSET)?;
        sys::set_int_sockopt(fd, libc::IPPROTO_IPV6, libc::IPV6_MULTICAST_LOOP, 0)?;
        socket::setsockopt(&s.fd, sockopt::Ipv6RecvHopLimit, &true)?;
        socket::setsockopt(&s.fd, sockopt::Ipv6RecvPacketInfo, &true)?;
        socket::setsockopt(&s.fd, sockopt::Ipv6MulticastHops, &libc::c_int::from(TTL))?;
        socket::setsockopt(
            &s.fd,
            sockopt::Ipv6TClass,
            &libc::c_int::from(TOS_NETWORK_CONTROL),
        )?;
        Ok(s)
    }

    fn open(ifname: &str, ipv6: bool) -> io::Result<Self> {
        let ifindex = nix::net::if_::if_nametoindex(ifname)?;
        let fd = sys::raw_ip_socket(ipv6, PROTOCOL_VRRP)?;
        socket::setsockopt(&fd, sockopt::BindToDevice, &OsString::from(ifname))?;
        Ok(VrrpSocket {
            fd,
            ifname: ifname.to_string(),
            ifindex,
            ipv6,
        })
    }

    /// The interface name given to `open_*`.
    pub fn ifname(&self) -> &str {
        &self.ifname
    }

    /// The interface index, looked up when the socket was opened.
    pub fn ifindex(&self) -> u32 {
        self.ifindex
    }

    pub fn is_ipv6(&self) -> bool {
        self.ipv6
    }

    /// Joins multicast `group` (224.0.0.18 / ff02::12) on the interface.
    /// A group of the other family is `InvalidInput`.
    pub fn join(&self, group: IpAddr) -> io::Result<()> {
        match (group, self.ipv6) {
            (IpAddr::V4(g), false) => sys::join_ipv4_group(self.fd.as_fd(), g, self.ifindex),
            (IpAddr::V6(g), true) => sys::join_ipv6_group(self.fd.as_fd(), g, self.ifindex),
            _ => Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "multicast group of the wrong address family",
            )),
        }
    }

    /// Sends one advert to `dst`: for IPv4 `packet` is the whole IP packet
    /// (header included), for IPv6 the VRRP message (the kernel fills the
    /// checksum). Multicast goes out with `MSG_DONTROUTE`.
    pub fn send(&self, dst: IpAddr, packet: &[u8]) -> io::Result<usize> {
        let flags = if dst.is_multicast() {
            // nix has no constant for it.
            MsgFlags::from_bits_retain(libc::MSG_DONTROUTE)
        } else {
            MsgFlags::empty()
        };
        let addr: Box<dyn SockaddrLike> = match (dst, self.ipv6) {
            (IpAddr::V4(d), false) => Box::new(SockaddrIn::from(SocketAddrV4::new(d, 0))),
            (IpAddr::V6(d), true) => {
                let scope = if d.is_multicast() || d.is_unicast_link_local() {
                    self.ifindex
                } else {
                    0
                };
                Box::new(SockaddrIn6::from(SocketAddrV6::new(d, 0, 0, scope)))
            }
            _ => {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidInput,
                    "destination of the wrong address family",
                ));
            }
        };
        Ok(socket::sendto(
            self.fd.as_raw_fd(),
            packet,
            addr.as_ref(),
            flags,
        )?)
    }

    /// The destination address of an advert to `dst` on this socket.
    fn dest(&self, dst: IpAddr) -> io::Result<socket::SockaddrStorage> {
        match (dst, self.ipv6) {
            (IpAddr::V4(d), false) => Ok(SocketAddrV4::new(d, 0).into()),
            (IpAddr::V6(d), true) => {
                let scope = if d.is_multicast() || d.is_unicast_link_local() {
                    self.ifindex
                } else {
                    0
                };
                Ok(SocketAddrV6::new(d, 0, 0, scope).into())
            }
            _ => Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "destination of the wrong address family",
            )),
        }
    }

    /// Sends several adverts (as [`VrrpSocket::send`] each) with one
    /// `sendmmsg(2)` per run of multicast or unicast destinations. Returns
    /// how many were sent from the front of `items` and, when that is not
    /// all, the error of the first one that was not (the caller skips it and
    /// calls again with the rest).
    pub fn send_many(&self, items: &[(IpAddr, &[u8])]) -> (usize, Option<io::Error>) {
        let mut sent = 0;
        while sent < items.len() {
            let multicast = items[sent].0.is_multicast();
            let run = items[sent..]
                .iter()
                .take_while(|(d, _)| d.is_multicast() == multicast)
                .count();
            let batch = &items[sent..sent + run];
            let mut addrs = Vec::with_capacity(batch.len());
            for (dst, _) in batch {
                match self.dest(*dst) {
                    Ok(a) => addrs.push(Some(a)),
                    Err(e) if addrs.is_empty() => return (sent, Some(e)),
                    Err(_) => break,
                }
            }
            let slices: Vec<[io::IoSlice<'_>; 1]> = batch[..addrs.len()]
                .iter()
                .map(|(_, p)| [io::IoSlice::new(p)])
                .collect();
            let flags = if multicast {
                MsgFlags::from_bits_retain(libc::MSG_DONTROUTE)
            } else {
                MsgFlags::empty()
            };
            let mut headers = socket::MultiHeaders::preallocate(slices.len(), None);
            let no_cmsgs: [socket::ControlMessage<'_>; 0] = [];
            match socket::sendmmsg(
                self.fd.as_raw_fd(),
                &mut headers,
                &slices,
                &addrs,
                no_cmsgs,
                flags,
            ) {
                Ok(results) => {
                    let n = results.count();
                    sent += n;
                    if n < slices.len() {
                        // the kernel stopped at this one: its error comes
                        // with the next call
                        if n == 0 {
                            return (sent, Some(io::Error::other("sendmmsg sent nothing")));
                        }
                    }
                }
                Err(e) => return (sent, Some(e.into())),
            }
        }
        (sent, None)
    }

    /// Reads one datagram into `buf`; `None` when nothing is waiting.
    pub fn recv(&self, buf: &mut [u8]) -> io::Result<Option<RxPacket>> {
        let read = if self.ipv6 {
            self.recv_ipv6(buf)
        } else {
            socket::recv(self.fd.as_raw_fd(), buf, MsgFlags::empty()).map(|n| RxPacket {
                bytes_len: n,
                rx: RxFamily::Ipv4,
            })
        };
        match read {
            Ok(p) => Ok(Some(p)),
            Err(Errno::EAGAIN) => Ok(None),
            Err(e) => Err(e.into()),
        }
    }

    fn recv_ipv6(&self, buf: &mut [u8]) -> nix::Result<RxPacket> {
        let mut cmsg = nix::cmsg_space!(libc::in6_pktinfo, libc::c_int);
        let mut iov = [IoSliceMut::new(buf)];
        let msg = socket::recvmsg::<SockaddrIn6>(
            self.fd.as_raw_fd(),
            &mut iov,
            Some(&mut cmsg),
            MsgFlags::empty(),
        )?;
        let src = msg.address.map_or(Ipv6Addr::UNSPECIFIED, |a| a.ip());
        let mut dst = Ipv6Addr::UNSPECIFIED;
        let mut hop_limit = None;
        for c in msg.cmsgs()? {
            match c {
                ControlMessageOwned::Ipv6PacketInfo(info) => {
                    dst = Ipv6Addr::from(info.ipi6_addr.s6_addr);
                }
                ControlMessageOwned::Ipv6HopLimit(h) => hop_limit = u8::try_from(h).ok(),
                _ => {}
            }
        }
        Ok(RxPacket {
            bytes_len: msg.bytes,
            rx: RxFamily::Ipv6 {
                src,
                dst,
                hop_limit,
            },
        })
    }
}

impl AsFd for VrrpSocket {
    fn as_fd(&self) -> BorrowedFd<'_> {
        self.fd.as_fd()
    }
}

impl AsRawFd for VrrpSocket {
    fn as_raw_fd(&self) -> RawFd {
        self.fd.as_raw_fd()
    }
}

/// The IPv4 group, re-exported for callers of [`VrrpSocket::join`].
pub const GROUP_V4: Ipv4Addr = crate::vrrp::wire::vrrp::MCAST_GROUP_V4;
/// The IPv6 group.
pub const GROUP_V6: Ipv6Addr = crate::vrrp::wire::vrrp::MCAST_GROUP_V6;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::testns::{self, Netns};
    use crate::vrrp::wire::advert::{advert_ipv4_header, decode_advert, emit_ipv4_advert};
    use crate::vrrp::wire::ipv4::HeaderChecksum;
    use crate::vrrp::wire::vrrp::{
        Auth, ChecksumForm, Kind, PseudoHeader, Version, VrrpPacket, VrrpRepr,
    };
    use std::time::{Duration, Instant};

    /// Namespaces A and B joined by `veth0` (A: 10.99.8.1, fd00:99:8::1)
    /// and `veth1` (B: 10.99.8.2, fd00:99:8::2), without DAD so link-local
    /// addresses are usable at once. `None` (with a note) when not root or
    /// `ip` is missing.
    fn pair() -> Option<(Netns, Netns)> {
        if !testns::available("vrrp_socket") {
            return None;
        }
        let (a, b) = (Netns::add("kr-sock"), Netns::add("kr-sock"));
        for ns in [&a, &b] {
            ns.run(|| {
                for f in ["all", "default"] {
                    let p = format!("/proc/sys/net/ipv6/conf/{f}/accept_dad");
                    std::fs::write(p, "0").expect("disable DAD");
                }
            });
        }
        a.ip(&[
            "link", "add", "veth0", "type", "veth", "peer", "name", "veth1", "netns", &b.name,
        ]);
        for (ns, dev, v4, v6) in [
            (&a, "veth0", "10.99.8.1/24", "fd00:99:8::1/64"),
            (&b, "veth1", "10.99.8.2/24", "fd00:99:8::2/64"),
        ] {
            ns.ip(&["addr", "add", v4, "dev", dev]);
            ns.ip(&["addr", "add", v6, "dev", dev, "nodad"]);
            ns.ip(&["link", "set", dev, "up"]);
        }
        // The kernel turns the carrier on (and only then starts the queue
        // and adds the link-local address) asynchronously: sends before that
        // are dropped.
        let start = Instant::now();
        let ready = |ns: &Netns, dev: &str| {
            ns.ip(&["link", "show", "dev", dev]).contains("state UP")
                && ns
                    .ip(&["-6", "addr", "show", "dev", dev, "scope", "link"])
                    .contains("fe80::")
        };
        while !(ready(&a, "veth0") && ready(&b, "veth1")) {
            assert!(start.elapsed() < Duration::from_secs(5), "veth pair not up");
            std::thread::sleep(Duration::from_millis(20));
        }
        Some((a, b))
    }

    /// Reads from `s` until a datagram arrives or `limit` passes.
    fn recv_within(s: &VrrpSocket, limit: Duration) -> Option<(Vec<u8>, RxFamily)> {
        let start = Instant::now();
        let mut buf = [0u8; 1500];
        while start.elapsed() < limit {
            if let Some(p) = s.recv(&mut buf).expect("recv") {
                return Some((buf[..p.bytes_len].to_vec(), p.rx));
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        None
    }

    const A_V4: Ipv4Addr = Ipv4Addr::new(10, 99, 8, 1);
    const B_V4: Ipv4Addr = Ipv4Addr::new(10, 99, 8, 2);

    fn v2_repr() -> VrrpRepr {
        VrrpRepr {
            version: Version::V2,
            kind: Kind::Advertisement,
            vrid: 51,
            priority: 120,
            interval: 1,
            auth: Auth::NONE,
            addresses: vec![Ipv4Addr::new(10, 99, 8, 100).into()],
        }
    }

    fn v2_packet(dst: Ipv4Addr) -> Vec<u8> {
        let mut buf = vec![0u8; 64];
        let ip = advert_ipv4_header(A_V4, dst, TTL, 1);
        let n = emit_ipv4_advert(
            &ip,
            &v2_repr(),
            ChecksumForm::Standard,
            HeaderChecksum::LeaveZero,
            &mut buf,
        );
        buf.truncate(n);
        buf
    }

    #[test]
    fn ipv4_multicast_advert() {
        let Some((a, b)) = pair() else { return };
        let sa = a.run(|| {
            let s = VrrpSocket::open_ipv4("veth0").unwrap();
            s.join(GROUP_V4.into()).unwrap();
            s
        });
        let sb = b.run(|| {
            let s = VrrpSocket::open_ipv4("veth1").unwrap();
            s.join(GROUP_V4.into()).unwrap();
            s
        });
        let packet = v2_packet(GROUP_V4);
        assert_eq!(sa.send(GROUP_V4.into(), &packet).unwrap(), packet.len());
        let (bytes, rx) = recv_within(&sb, Duration::from_secs(2)).expect("B receives");
        assert_eq!(rx, RxFamily::Ipv4);
        let advert = decode_advert(&bytes, rx).unwrap();
        assert_eq!(advert.vrrp, v2_repr());
        assert_eq!(advert.ip.src, IpAddr::from(A_V4));
        assert_eq!(advert.ip.dst, IpAddr::from(GROUP_V4));
        assert_eq!(advert.ip.ttl, Some(TTL));
        // Multicast loop is off: A never sees its own advert.
        assert_eq!(recv_within(&sa, Duration::from_millis(300)), None);
    }

    #[test]
    fn ipv4_unicast_advert() {
        let Some((a, b)) = pair() else { return };
        let sa = a.run(|| VrrpSocket::open_ipv4("veth0").unwrap());
        let sb = b.run(|| {
            let s = VrrpSocket::open_ipv4("veth1").unwrap();
            s.join(GROUP_V4.into()).unwrap();
            s
        });
        let packet = v2_packet(B_V4);
        assert_eq!(sa.send(B_V4.into(), &packet).unwrap(), packet.len());
        let (bytes, rx) = recv_within(&sb, Duration::from_secs(2)).expect("B receives");
        let advert = decode_advert(&bytes, rx).unwrap();
        assert_eq!(advert.vrrp, v2_repr());
        assert_eq!(advert.ip.dst, IpAddr::from(B_V4));
    }

    /// The link-local address of `ifname` in the calling thread's namespace.
    fn link_local(ifname: &str) -> Ipv6Addr {
        nix::ifaddrs::getifaddrs()
            .unwrap()
            .filter(|i| i.interface_name == ifname)
            .filter_map(|i| i.address?.as_sockaddr_in6().map(|a| a.ip()))
            .find(Ipv6Addr::is_unicast_link_local)
            .expect("link-local address")
    }

    #[test]
    fn ipv6_multicast_advert() {
        let Some((a, b)) = pair() else { return };
        let (sa, a_ll) = a.run(|| {
            let s = VrrpSocket::open_ipv6("veth0").unwrap();
            s.join(GROUP_V6.into()).unwrap();
            (s, link_local("veth0"))
        });
        let sb = b.run(|| {
            let s = VrrpSocket::open_ipv6("veth1").unwrap();
            s.join(GROUP_V6.into()).unwrap();
            s
        });
        let repr = VrrpRepr {
            version: Version::V3,
            kind: Kind::Advertisement,
            vrid: 52,
            priority: 100,
            interval: 100,
            auth: Auth::NONE,
            addresses: vec!["fd00:99:8::100".parse::<Ipv6Addr>().unwrap().into()],
        };
        let ph = PseudoHeader::V6 {
            src: a_ll,
            dst: GROUP_V6,
        };
        let mut message = vec![0u8; repr.buffer_len(ph.family())];
        repr.emit(
            &mut VrrpPacket::new_unchecked(&mut message[..]),
            &ph,
            ChecksumForm::Standard,
        );
        assert_eq!(sa.send(GROUP_V6.into(), &message).unwrap(), message.len());
        let (bytes, rx) = recv_within(&sb, Duration::from_secs(2)).expect("B receives");
        assert_eq!(
            rx,
            RxFamily::Ipv6 {
                src: a_ll,
                dst: GROUP_V6,
                hop_limit: Some(TTL),
            }
        );
        assert_eq!(bytes, message);
        let advert = decode_advert(&bytes, rx).unwrap();
        assert_eq!(advert.vrrp, repr);
        assert_eq!(recv_within(&sa, Duration::from_millis(300)), None);
    }

    #[test]
    fn wrong_family_is_invalid_input() {
        let Some((a, _b)) = pair() else { return };
        let s = a.run(|| VrrpSocket::open_ipv4("veth0").unwrap());
        assert_eq!(
            s.join(GROUP_V6.into()).unwrap_err().kind(),
            io::ErrorKind::InvalidInput
        );
        assert_eq!(
            s.send(GROUP_V6.into(), &[0; 8]).unwrap_err().kind(),
            io::ErrorKind::InvalidInput
        );
        assert_eq!(s.ifname(), "veth0");
        assert!(!s.is_ipv6() && s.ifindex() > 0);
    }
}

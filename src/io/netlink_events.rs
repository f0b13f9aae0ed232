//! The rtnetlink monitor: a non-blocking `NETLINK_ROUTE` socket subscribed
//! to the link, IPv4 address and IPv6 address groups (keepalived's
//! `nl_kernel` socket for VRRP), read from the mio event loop.
//!
//! [`NetlinkMonitor::drain`] turns what the kernel sent into [`NetEvent`]s.
//! When the socket's receive buffer overflowed the kernel dropped
//! notifications; that comes out as [`NetEvent::Overrun`], after which the
//! caller re-reads links and addresses with [`Rtnl`](super::netlink::Rtnl)
//! and carries on. The buffer is large (4 MiB by default, keepalived's
//! `vrrp_netlink_monitor_rcv_bufs`) to make that rare.

use super::netlink::{Addr, Link, addr_from, for_each_message, link_from};
use netlink_packet_core::NetlinkPayload;
use netlink_packet_route::{AddressFamily, RouteNetlinkMessage};
use netlink_sys::{Socket, protocols::NETLINK_ROUTE};
use nix::libc;
use nix::sys::socket::{setsockopt, sockopt};
use std::io;
use std::ops::ControlFlow;
use std::os::fd::{AsFd, BorrowedFd};

/// Receive buffer of [`NetlinkMonitor::open`].
pub const DEFAULT_RCVBUF: usize = 4 << 20;

/// Initial size of the read buffer; it grows when a datagram was larger.
const INITIAL_READ_BUF: usize = 64 << 10;

/// What changed, from one kernel notification.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NetEvent {
    /// A link appeared or changed (`RTM_NEWLINK`): its state now. `up`
    /// means `IFF_UP` and `IFF_RUNNING`.
    Link(Link),
    /// A link was deleted (`RTM_DELLINK`).
    LinkRemoved { index: u32, name: String },
    /// An address was added or changed (`RTM_NEWADDR`; an IPv6 address
    /// finishing duplicate address detection is reported again).
    AddrAdded(Addr),
    /// An address was removed (`RTM_DELADDR`).
    AddrRemoved(Addr),
    /// Notifications were lost (the receive buffer overflowed, or a
    /// datagram could not be read whole): re-read links and addresses.
    Overrun,
}

/// The monitor socket. Register it with a [`mio::Poll`] for readable
/// events and call [`drain`](Self::drain) whenever its token fires.
pub struct NetlinkMonitor {
    socket: Socket,
    buf: Vec<u8>,
}

impl NetlinkMonitor {
    /// Opens the monitor in the calling thread's network namespace with a
    /// [`DEFAULT_RCVBUF`] receive buffer.
    pub fn open() -> io::Result<NetlinkMonitor> {
        Self::open_with_rcvbuf(DEFAULT_RCVBUF)
    }

    /// Opens the monitor with a receive buffer of `bytes` (keepalived's
    /// `vrrp_netlink_monitor_rcv_bufs`): `SO_RCVBUFFORCE` first, which
    /// needs `CAP_NET_ADMIN`, else `SO_RCVBUF`, which the kernel caps at
    /// `net.core.rmem_max`. Failing both is logged, not fatal. The kernel
    /// doubles the value and enforces a small minimum.
    pub fn open_with_rcvbuf(bytes: usize) -> io::Result<NetlinkMonitor> {
        let mut socket = Socket::new(NETLINK_ROUTE)?;
        socket.set_non_blocking(true)?;
        if let Err(force) = setsockopt(&socket, sockopt::RcvBufForce, &bytes) {
            if let Err(plain) = setsockopt(&socket, sockopt::RcvBuf, &bytes) {
                log::info!(
                    "Netlink: cannot set the monitor receive buffer to {bytes} \
                     (SO_RCVBUFFORCE: {force}, SO_RCVBUF: {plain})"
                );
            }
        }
        socket.bind_auto()?;
        for group in [
            libc::RTNLGRP_LINK,
            libc::RTNLGRP_IPV4_IFADDR,
            libc::RTNLGRP_IPV6_IFADDR,
        ] {
            socket.add_membership(group)?;
        }
        Ok(NetlinkMonitor {
            socket,
            buf: vec![0; INITIAL_READ_BUF],
        })
    }

    /// The receive buffer size the kernel reports (twice what was set).
    pub fn rcvbuf(&self) -> io::Result<usize> {
        self.socket.get_rx_buf_sz()
    }

    /// Reads every pending notification, appending its events to `out`,
    /// until the socket would block. A buffer overrun appends one
    /// [`NetEvent::Overrun`] and reading goes on; other messages (other
    /// families, other types, not from the kernel) are skipped. Errors are
    /// only those of the socket itself.
    pub fn drain(&mut self, out: &mut Vec<NetEvent>) -> io::Result<()> {
        loop {
            let received = {
                let mut chunk = &mut self.buf[..];
                self.socket.recv_from(&mut chunk, libc::MSG_TRUNC)
            };
            let (len, from) = match received {
                Ok(r) => r,
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => return Ok(()),
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) if e.raw_os_error() == Some(libc::ENOBUFS) => {
                    log::info!("Netlink: Receive buffer overrun on monitor socket - ({e})");
                    push_overrun(out);
                    continue;
                }
                Err(e) => return Err(e),
            };
            if len > self.buf.len() {
                log::warn!(
                    "Netlink: {len}-byte message truncated to {} on monitor socket",
                    self.buf.len()
                );
                self.buf.resize(len.next_power_of_two(), 0);
                push_overrun(out);
                continue;
            }
            // Only the kernel (port 0) sends notifications.
            if from.port_number() != 0 {
                continue;
            }
            parse_datagram(&self.buf[..len], out);
        }
    }
}

/// Appends [`NetEvent::Overrun`] unless it is already the last event.
fn push_overrun(out: &mut Vec<NetEvent>) {
    if out.last() != Some(&NetEvent::Overrun) {
        out.push(NetEvent::Overrun);
    }
}

/// The events of one datagram. One that cannot be framed loses what it
/// carried: that is reported as an overrun.
fn parse_datagram(datagram: &[u8], out: &mut Vec<NetEvent>) {
    let framed = for_each_message::<()>(datagram, |msg| {
        if let NetlinkPayload::InnerMessage(m) = msg.payload {
            out.extend(event_from(m));
        }
        ControlFlow::Continue(())
    });
    if let Err(e) = framed {
        log::warn!("Netlink: malformed datagram on monitor socket: {e}");
        push_overrun(out);
    }
}

/// The event a notification stands for, if it is one of ours. Link
/// messages of other families (`AF_BRIDGE` port notifications, whose
/// `RTM_DELLINK` only means "left the bridge") are not.
fn event_from(msg: RouteNetlinkMessage) -> Option<NetEvent> {
    match msg {
        RouteNetlinkMessage::NewLink(l) if l.header.interface_family == AddressFamily::Unspec => {
            Some(NetEvent::Link(link_from(l)))
        }
        RouteNetlinkMessage::DelLink(l) if l.header.interface_family == AddressFamily::Unspec => {
            let link = link_from(l);
            Some(NetEvent::LinkRemoved {
                index: link.index,
                name: link.name,
            })
        }
        RouteNetlinkMessage::NewAddress(a) if is_ip(a.header.family) => {
            addr_from(a).map(NetEvent::AddrAdded)
        }
        RouteNetlinkMessage::DelAddress(a) if is_ip(a.header.family) => {
            addr_from(a).map(NetEvent::AddrRemoved)
        }
        _ => None,
    }
}

fn is_ip(family: AddressFamily) -> bool {
    matches!(family, AddressFamily::Inet | AddressFamily::Inet6)
}

impl AsFd for NetlinkMonitor {
    fn as_fd(&self) -> BorrowedFd<'_> {
        self.socket.as_fd()
    }
}

impl mio::event::Source for NetlinkMonitor {
    fn register(
        &mut self,
        registry: &mio::Registry,
        token: mio::Token,
        interests: mio::Interest,
    ) -> io::Result<()> {
        self.socket.register(registry, token, interests)
    }

    fn reregister(
        &mut self,
        registry: &mio::Registry,
        token: mio::Token,
        interests: mio::Interest,
    ) -> io::Result<()> {
        self.socket.reregister(registry, token, interests)
    }

    fn deregister(&mut self, registry: &mio::Registry) -> io::Result<()> {
        self.socket.deregister(registry)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::netlink::{AddrSpec, Rtnl};
    use crate::io::testns::{self, Netns};
    use mio::{Events, Interest, Poll, Token};
    use netlink_packet_core::{NetlinkHeader, NetlinkMessage};
    use netlink_packet_route::address::{AddressAttribute, AddressMessage};
    use netlink_packet_route::link::{LinkAttribute, LinkFlags, LinkMessage};
    use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
    use std::time::{Duration, Instant};

    const TOKEN: Token = Token(7);

    // ---- parsing, no root needed ----

    fn datagram(msgs: Vec<RouteNetlinkMessage>) -> Vec<u8> {
        let mut out = Vec::new();
        for m in msgs {
            let mut msg =
                NetlinkMessage::new(NetlinkHeader::default(), NetlinkPayload::InnerMessage(m));
            msg.finalize();
            let mut buf = vec![0; msg.buffer_len()];
            msg.serialize(&mut buf);
            buf.resize(buf.len().next_multiple_of(4), 0);
            out.extend(buf);
        }
        out
    }

    fn link_msg(family: AddressFamily, index: u32, name: &str, flags: LinkFlags) -> LinkMessage {
        let mut l = LinkMessage::default();
        l.header.interface_family = family;
        l.header.index = index;
        l.header.flags = flags;
        l.attributes.push(LinkAttribute::IfName(name.into()));
        l.attributes
            .push(LinkAttribute::Address(vec![2, 0, 0, 0, 0, 9]));
        l
    }

    fn addr_msg(index: u32, addr: IpAddr, prefix: u8) -> AddressMessage {
        let mut a = AddressMessage::default();
        a.header.family = match addr {
            IpAddr::V4(_) => AddressFamily::Inet,
            IpAddr::V6(_) => AddressFamily::Inet6,
        };
        a.header.index = index;
        a.header.prefix_len = prefix;
        a.attributes.push(AddressAttribute::Address(addr));
        a
    }

    #[test]
    fn datagram_with_every_kind() {
        let v4: IpAddr = Ipv4Addr::new(10, 99, 5, 1).into();
        let v6: IpAddr = "fd00:99::5:1".parse::<Ipv6Addr>().unwrap().into();
        let up = LinkFlags::Up | LinkFlags::Running | LinkFlags::Multicast;
        let bytes = datagram(vec![
            RouteNetlinkMessage::NewLink(link_msg(AddressFamily::Unspec, 4, "eth9", up)),
            RouteNetlinkMessage::NewLink(link_msg(AddressFamily::Unspec, 4, "eth9", LinkFlags::Up)),
            RouteNetlinkMessage::NewAddress(addr_msg(4, v4, 24)),
            RouteNetlinkMessage::DelAddress(addr_msg(4, v6, 64)),
            RouteNetlinkMessage::DelLink(link_msg(AddressFamily::Unspec, 4, "eth9", up)),
        ]);
        let mut out = Vec::new();
        parse_datagram(&bytes, &mut out);
        let link = |up| Link {
            index: 4,
            name: "eth9".into(),
            up,
            mac: Some([2, 0, 0, 0, 0, 9]),
            multicast: up,
            loopback: false,
            noarp: false,
        };
        let addr = |addr, prefix| Addr {
            index: 4,
            addr,
            prefix,
            label: None,
            scope: 0,
        };
        assert_eq!(
            out,
            vec![
                NetEvent::Link(link(true)),
                NetEvent::Link(link(false)),
                NetEvent::AddrAdded(addr(v4, 24)),
                NetEvent::AddrRemoved(addr(v6, 64)),
                NetEvent::LinkRemoved {
                    index: 4,
                    name: "eth9".into()
                },
            ]
        );
    }

    #[test]
    fn bridge_port_messages_are_ignored() {
        let flags = LinkFlags::Up | LinkFlags::Running;
        let bytes = datagram(vec![
            RouteNetlinkMessage::DelLink(link_msg(AddressFamily::Bridge, 5, "p0", flags)),
            RouteNetlinkMessage::NewLink(link_msg(AddressFamily::Bridge, 5, "p0", flags)),
        ]);
        let mut out = Vec::new();
        parse_datagram(&bytes, &mut out);
        assert_eq!(out, vec![]);
    }

    #[test]
    fn malformed_datagram_is_an_overrun() {
        let v4: IpAddr = Ipv4Addr::new(10, 99, 5, 2).into();
        let mut bytes = datagram(vec![RouteNetlinkMessage::NewAddress(addr_msg(3, v4, 32))]);
        let good = bytes.len();
        // A second header claiming more bytes than the datagram holds.
        bytes.extend_from_slice(&[0xff, 0, 0, 0, 20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        let mut out = Vec::new();
        parse_datagram(&bytes, &mut out);
        assert_eq!(out.len(), 2, "{out:?}");
        assert!(matches!(&out[0], NetEvent::AddrAdded(a) if a.addr == v4));
        assert_eq!(out[1], NetEvent::Overrun);
        // Consecutive overruns collapse into one.
        push_overrun(&mut out);
        assert_eq!(out.len(), 2);
        // The well-formed part alone parses cleanly.
        let mut out = Vec::new();
        parse_datagram(&bytes[..good], &mut out);
        assert_eq!(out.len(), 1);
    }

    // ---- in a network namespace, as root ----

    /// A namespace holding veth0/veth1, both up, plus a monitor opened in
    /// it (with `rcvbuf`) and registered with a fresh poll.
    fn setup(rcvbuf: usize) -> Option<(Netns, NetlinkMonitor, Poll)> {
        if !testns::available("netlink monitor") {
            return None;
        }
        let ns = Netns::add("kr-nlev");
        ns.ip(&[
            "link", "add", "veth0", "type", "veth", "peer", "name", "veth1",
        ]);
        ns.ip(&["link", "set", "veth0", "up"]);
        ns.ip(&["link", "set", "veth1", "up"]);
        let mut mon = ns.run(move || NetlinkMonitor::open_with_rcvbuf(rcvbuf).unwrap());
        let poll = Poll::new().unwrap();
        poll.registry()
            .register(&mut mon, TOKEN, Interest::READABLE)
            .unwrap();
        Some((ns, mon, poll))
    }

    /// Polls and drains until `done` holds for the events gathered so far
    /// (at most 5 s); returns them all.
    fn wait_for(
        poll: &mut Poll,
        mon: &mut NetlinkMonitor,
        done: impl Fn(&[NetEvent]) -> bool,
    ) -> Vec<NetEvent> {
        let deadline = Instant::now() + Duration::from_secs(5);
        let mut events = Events::with_capacity(8);
        let mut out = Vec::new();
        while Instant::now() < deadline {
            poll.poll(&mut events, Some(Duration::from_millis(100)))
                .unwrap();
            if events.iter().any(|e| e.token() == TOKEN) {
                mon.drain(&mut out).unwrap();
            }
            if done(&out) {
                return out;
            }
        }
        panic!("timed out; events so far: {out:?}");
    }

    fn ns_link(ns: &Netns, name: &'static str) -> Link {
        ns.run(move || {
            Rtnl::open()
                .unwrap()
                .links()
                .unwrap()
                .into_iter()
                .find(|l| l.name == name)
                .expect(name)
        })
    }

    fn link_event(ev: &[NetEvent], name: &str, up: bool) -> Option<Link> {
        ev.iter().find_map(|e| match e {
            NetEvent::Link(l) if l.name == name && l.up == up => Some(l.clone()),
            _ => None,
        })
    }

    #[test]
    fn link_down_and_up() {
        let Some((ns, mut mon, mut poll)) = setup(DEFAULT_RCVBUF) else {
            return;
        };
        // Root may force a buffer above rmem_max; the kernel doubles it.
        assert!(mon.rcvbuf().unwrap() >= 2 * DEFAULT_RCVBUF);
        let veth0 = ns_link(&ns, "veth0");

        ns.ip(&["link", "set", "veth0", "down"]);
        let ev = wait_for(&mut poll, &mut mon, |ev| {
            link_event(ev, "veth0", false).is_some()
        });
        let down = link_event(&ev, "veth0", false).unwrap();
        assert_eq!(down.index, veth0.index);
        assert_eq!(down.mac, veth0.mac);
        assert!(down.mac.is_some());

        ns.ip(&["link", "set", "veth0", "up"]);
        // Running follows once the carrier is seen (link watch, async).
        let ev = wait_for(&mut poll, &mut mon, |ev| {
            link_event(ev, "veth0", true).is_some()
        });
        // The snapshot may predate the first carrier (link watch is async):
        // everything but the state must be what it was.
        let want = Link { up: true, ..veth0 };
        assert_eq!(link_event(&ev, "veth0", true).unwrap(), want);
    }

    #[test]
    fn addresses_added_and_removed() {
        let Some((ns, mut mon, mut poll)) = setup(DEFAULT_RCVBUF) else {
            return;
        };
        let index = ns_link(&ns, "veth0").index;
        let v4: IpAddr = Ipv4Addr::new(10, 99, 5, 1).into();
        let v6: IpAddr = "fd00:99::5:1".parse::<Ipv6Addr>().unwrap().into();
        let added = |ev: &[NetEvent], a: IpAddr| {
            ev.iter().find_map(|e| match e {
                NetEvent::AddrAdded(x) if x.addr == a => Some(x.clone()),
                _ => None,
            })
        };
        let removed = |ev: &[NetEvent], a: IpAddr| {
            ev.iter().find_map(|e| match e {
                NetEvent::AddrRemoved(x) if x.addr == a => Some(x.clone()),
                _ => None,
            })
        };

        ns.ip(&["addr", "add", "10.99.5.1/24", "dev", "veth0"]);
        ns.ip(&["addr", "add", "fd00:99::5:1/64", "dev", "veth0", "nodad"]);
        let ev = wait_for(&mut poll, &mut mon, |ev| {
            added(ev, v4).is_some() && added(ev, v6).is_some()
        });
        let a4 = added(&ev, v4).unwrap();
        assert_eq!((a4.index, a4.prefix, a4.scope), (index, 24, 0));
        assert_eq!(a4.label.as_deref(), Some("veth0"));
        let a6 = added(&ev, v6).unwrap();
        assert_eq!((a6.index, a6.prefix), (index, 64));
        assert!(removed(&ev, v4).is_none() && removed(&ev, v6).is_none());

        ns.ip(&["addr", "del", "10.99.5.1/24", "dev", "veth0"]);
        ns.ip(&["addr", "del", "fd00:99::5:1/64", "dev", "veth0"]);
        let ev = wait_for(&mut poll, &mut mon, |ev| {
            removed(ev, v4).is_some() && removed(ev, v6).is_some()
        });
        let r4 = removed(&ev, v4).unwrap();
        assert_eq!((r4.index, r4.prefix), (index, 24));
        let r6 = removed(&ev, v6).unwrap();
        assert_eq!((r6.index, r6.prefix), (index, 64));
        assert!(!ev.contains(&NetEvent::Overrun));
    }

    #[test]
    fn link_deleted() {
        let Some((ns, mut mon, mut poll)) = setup(DEFAULT_RCVBUF) else {
            return;
        };
        let veth0 = ns_link(&ns, "veth0");
        let veth1 = ns_link(&ns, "veth1");
        ns.ip(&["link", "del", "veth0"]);
        let gone = |ev: &[NetEvent], l: &Link| {
            ev.contains(&NetEvent::LinkRemoved {
                index: l.index,
                name: l.name.clone(),
            })
        };
        wait_for(&mut poll, &mut mon, |ev| {
            gone(ev, &veth0) && gone(ev, &veth1)
        });
    }

    #[test]
    fn leaving_a_bridge_is_not_a_removal() {
        let Some((ns, mut mon, mut poll)) = setup(DEFAULT_RCVBUF) else {
            return;
        };
        let veth1 = ns_link(&ns, "veth1");
        ns.ip(&["link", "add", "br0", "type", "bridge"]);
        ns.ip(&["link", "set", "veth1", "master", "br0"]);
        ns.ip(&["link", "set", "veth1", "nomaster"]);
        // A marker after the bridge traffic: everything before it is read.
        ns.ip(&["link", "del", "br0"]);
        let ev = wait_for(&mut poll, &mut mon, |ev| {
            ev.iter()
                .any(|e| matches!(e, NetEvent::LinkRemoved { name, .. } if name == "br0"))
        });
        assert!(
            !ev.iter().any(|e| matches!(
                e,
                NetEvent::LinkRemoved { index, .. } if *index == veth1.index
            )),
            "{ev:?}"
        );
        // veth1 itself is still reported as a link (its master changed).
        assert!(
            ev.iter()
                .any(|e| matches!(e, NetEvent::Link(l) if l.index == veth1.index))
        );
    }

    #[test]
    fn overrun_is_reported_and_reading_goes_on() {
        // The smallest buffer the kernel allows.
        let Some((ns, mut mon, mut poll)) = setup(1) else {
            return;
        };
        const N: u8 = 250;
        let index = ns_link(&ns, "veth0").index;
        // Many notifications, none read while they arrive.
        ns.run(move || {
            let mut rtnl = Rtnl::open().unwrap();
            for i in 1..=N {
                let a = IpAddr::V4(Ipv4Addr::new(10, 99, 6, i));
                rtnl.add_address(index, &AddrSpec::new(a, 32)).unwrap();
            }
        });
        let ev = wait_for(&mut poll, &mut mon, |ev| ev.contains(&NetEvent::Overrun));
        let mut all = ev;
        mon.drain(&mut all).unwrap();
        let added = all
            .iter()
            .filter(|e| matches!(e, NetEvent::AddrAdded(_)))
            .count();
        assert!(added < usize::from(N), "{added} of {N} delivered");
        assert_eq!(
            all.iter().filter(|e| **e == NetEvent::Overrun).count(),
            1,
            "one overrun for one overflow"
        );

        // Drained: new notifications arrive again, without an overrun.
        ns.ip(&["addr", "add", "10.99.6.255/32", "dev", "veth0"]);
        let want = IpAddr::V4(Ipv4Addr::new(10, 99, 6, 255));
        let ev = wait_for(&mut poll, &mut mon, |ev| {
            ev.iter()
                .any(|e| matches!(e, NetEvent::AddrAdded(a) if a.addr == want && a.index == index))
        });
        assert!(!ev.contains(&NetEvent::Overrun), "{ev:?}");
    }
}

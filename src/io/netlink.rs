//! A small synchronous rtnetlink client: list links and addresses, add and
//! delete addresses.
//!
//! Messages are built and parsed with `netlink-packet-route`; the socket is a
//! plain blocking `netlink-sys` socket. Each request waits for its own reply
//! (matched by sequence number), so the API is simple to call from the
//! daemon's single thread at start-up and on state transitions.
//!
//! Error reporting: a kernel NACK becomes an [`io::Error`] carrying the errno,
//! so `EEXIST` on [`Rtnl::add_address`] has kind
//! [`io::ErrorKind::AlreadyExists`] and `EADDRNOTAVAIL` on
//! [`Rtnl::del_address`] has kind [`io::ErrorKind::AddrNotAvailable`].

use std::io;
use std::net::{IpAddr, Ipv4Addr};
use std::ops::ControlFlow;

use netlink_packet_core::{
    NLM_F_ACK, NLM_F_CREATE, NLM_F_DUMP, NLM_F_DUMP_INTR, NLM_F_EXCL, NLM_F_REQUEST, NetlinkBuffer,
    NetlinkHeader, NetlinkMessage, NetlinkPayload,
};
use netlink_packet_route::address::{
    AddressAttribute, AddressFlags, AddressHeaderFlags, AddressMessage, AddressScope, CacheInfo,
};
use netlink_packet_route::link::{LinkAttribute, LinkFlags, LinkMessage};
use netlink_packet_route::{AddressFamily, RouteNetlinkMessage};
use netlink_sys::{Socket, SocketAddr, protocols::NETLINK_ROUTE};

/// Lifetime value meaning "forever" in `IFA_CACHEINFO`.
const INFINITY_LIFE_TIME: u32 = u32::MAX;

/// How many times a dump interrupted by a concurrent change is restarted.
const DUMP_RETRIES: usize = 5;

/// One network interface, from an `RTM_NEWLINK` dump entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub index: u32,
    pub name: String,
    /// `IFF_UP` and `IFF_RUNNING` are both set.
    pub up: bool,
    /// The hardware address, when it is 6 bytes long.
    pub mac: Option<[u8; 6]>,
    pub multicast: bool,
    pub loopback: bool,
    /// `IFF_NOARP`: no gratuitous ARP is sent on it (as keepalived).
    pub noarp: bool,
}

/// One interface address, from an `RTM_NEWADDR` dump entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Addr {
    pub index: u32,
    /// The local address (`IFA_LOCAL`, falling back to `IFA_ADDRESS`).
    pub addr: IpAddr,
    pub prefix: u8,
    pub label: Option<String>,
    /// `RT_SCOPE_*` value.
    pub scope: u8,
}

/// What to add with [`Rtnl::add_address`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AddrSpec {
    pub addr: IpAddr,
    pub prefix: u8,
    /// IPv4 broadcast address; see [`broadcast_for`].
    pub broadcast: Option<Ipv4Addr>,
    /// `RT_SCOPE_*` value (0 = global).
    pub scope: u8,
    /// IPv4 label; the kernel requires it to start with the interface name.
    pub label: Option<String>,
    /// Preferred lifetime in seconds (`Some(0)` marks an IPv6 address
    /// deprecated); the valid lifetime is always infinite.
    pub preferred_lft: Option<u32>,
    /// `IFA_F_NODAD`: skip IPv6 duplicate address detection.
    pub nodad: bool,
    /// `IFA_F_NOPREFIXROUTE`: do not add the prefix route.
    pub noprefixroute: bool,
}

impl AddrSpec {
    /// A plain global address with no options.
    pub fn new(addr: IpAddr, prefix: u8) -> AddrSpec {
        AddrSpec {
            addr,
            prefix,
            broadcast: None,
            scope: 0,
            label: None,
            preferred_lft: None,
            nodad: false,
            noprefixroute: false,
        }
    }
}

/// The directed broadcast address of `addr/prefix`, or `None` for /31 and
/// /32 where there is none (as `ip addr add ... brd +` computes it).
pub fn broadcast_for(addr: Ipv4Addr, prefix: u8) -> Option<Ipv4Addr> {
    if prefix >= 31 {
        return None;
    }
    let host_mask = u32::MAX >> prefix;
    Some(Ipv4Addr::from(u32::from(addr) | host_mask))
}

/// A `NETLINK_ROUTE` socket.
pub struct Rtnl {
    socket: Socket,
    seq: u32,
}

impl Rtnl {
    /// Opens and binds a blocking `NETLINK_ROUTE` socket in the calling
    /// thread's network namespace.
    pub fn open() -> io::Result<Rtnl> {
        let mut socket = Socket::new(NETLINK_ROUTE)?;
        socket.bind_auto()?;
        socket.set_ext_ack(true).ok();
        Ok(Rtnl { socket, seq: 0 })
    }

    /// All interfaces (`RTM_GETLINK` dump).
    pub fn links(&mut self) -> io::Result<Vec<Link>> {
        let replies = self.dump(RouteNetlinkMessage::GetLink(LinkMessage::default()))?;
        Ok(replies
            .into_iter()
            .filter_map(|m| match m {
                RouteNetlinkMessage::NewLink(link) => Some(link_from(link)),
                _ => None,
            })
            .collect())
    }

    /// All IPv4 and IPv6 addresses (`RTM_GETADDR` dump).
    pub fn addresses(&mut self) -> io::Result<Vec<Addr>> {
        let replies = self.dump(RouteNetlinkMessage::GetAddress(AddressMessage::default()))?;
        Ok(replies
            .into_iter()
            .filter_map(|m| match m {
                RouteNetlinkMessage::NewAddress(addr) => addr_from(addr),
                _ => None,
            })
            .collect())
    }

    /// Adds an address to interface `index` (`RTM_NEWADDR`, create-exclusive).
    /// An address that is already there fails with
    /// [`io::ErrorKind::AlreadyExists`].
    pub fn add_address(&mut self, index: u32, spec: &AddrSpec) -> io::Result<()> {
        let mut msg = addr_message(index, spec.addr, spec.prefix);
        msg.header.scope = AddressScope::from(spec.scope);
        let mut flags = AddressFlags::empty();
        if spec.nodad {
            flags |= AddressFlags::Nodad;
        }
        if spec.noprefixroute {
            flags |= AddressFlags::Noprefixroute;
        }
        // The header carries the low 8 bits, IFA_FLAGS all 32.
        msg.header.flags = AddressHeaderFlags::from_bits_retain(flags.bits() as u8);
        if !flags.is_empty() {
            msg.attributes.push(AddressAttribute::Flags(flags));
        }
        if let (IpAddr::V4(_), Some(brd)) = (spec.addr, spec.broadcast) {
            msg.attributes.push(AddressAttribute::Broadcast(brd));
        }
        if let (IpAddr::V4(_), Some(label)) = (spec.addr, &spec.label) {
            msg.attributes.push(AddressAttribute::Label(label.clone()));
        }
        if let Some(preferred) = spec.preferred_lft {
            let mut info = CacheInfo::default();
            info.ifa_preferred = preferred;
            info.ifa_valid = INFINITY_LIFE_TIME;
            msg.attributes.push(AddressAttribute::CacheInfo(info));
        }
        self.request(
            RouteNetlinkMessage::NewAddress(msg),
            NLM_F_CREATE | NLM_F_EXCL,
        )
    }

    /// Removes `addr/prefix` from interface `index` (`RTM_DELADDR`). An
    /// address that is not there fails with
    /// [`io::ErrorKind::AddrNotAvailable`].
    pub fn del_address(&mut self, index: u32, addr: IpAddr, prefix: u8) -> io::Result<()> {
        let msg = addr_message(index, addr, prefix);
        self.request(RouteNetlinkMessage::DelAddress(msg), 0)
    }

    fn next_seq(&mut self) -> u32 {
        self.seq = self.seq.wrapping_add(1);
        self.seq
    }

    fn send(&mut self, payload: RouteNetlinkMessage, flags: u16) -> io::Result<u32> {
        let seq = self.next_seq();
        let mut header = NetlinkHeader::default();
        header.flags = NLM_F_REQUEST | flags;
        header.sequence_number = seq;
        let mut msg = NetlinkMessage::new(header, NetlinkPayload::InnerMessage(payload));
        msg.finalize();
        let mut buf = vec![0; msg.buffer_len()];
        msg.serialize(&mut buf);
        self.socket.send_to(&buf, &SocketAddr::new(0, 0), 0)?;
        Ok(seq)
    }

    /// Receives the messages answering request `seq`, handing each to `f`
    /// until `f` returns `Some`.
    fn receive<T>(
        &mut self,
        seq: u32,
        mut f: impl FnMut(NetlinkMessage<RouteNetlinkMessage>) -> Option<io::Result<T>>,
    ) -> io::Result<T> {
        loop {
            let (buf, _) = self.socket.recv_from_full()?;
            let flow = for_each_message(&buf, |msg| {
                if msg.header.sequence_number != seq {
                    return ControlFlow::Continue(());
                }
                match f(msg) {
                    Some(result) => ControlFlow::Break(result),
                    None => ControlFlow::Continue(()),
                }
            })?;
            if let ControlFlow::Break(result) = flow {
                return result;
            }
        }
    }

    /// Sends a request that expects only an ack.
    fn request(&mut self, payload: RouteNetlinkMessage, flags: u16) -> io::Result<()> {
        let seq = self.send(payload, NLM_F_ACK | flags)?;
        self.receive(seq, |msg| match msg.payload {
            NetlinkPayload::Error(e) if e.code.is_some() => Some(Err(e.to_io())),
            NetlinkPayload::Error(_) => Some(Ok(())),
            _ => None,
        })
    }

    /// Runs a dump, restarting it if the kernel reports it was interrupted
    /// by a concurrent change.
    fn dump(&mut self, payload: RouteNetlinkMessage) -> io::Result<Vec<RouteNetlinkMessage>> {
        for _ in 0..DUMP_RETRIES {
            let seq = self.send(payload.clone(), NLM_F_DUMP)?;
            let mut out = Vec::new();
            let mut interrupted = false;
            self.receive(seq, |msg| {
                interrupted |= msg.header.flags & NLM_F_DUMP_INTR != 0;
                match msg.payload {
                    NetlinkPayload::Done(_) => Some(Ok(())),
                    NetlinkPayload::Error(e) if e.code.is_some() => Some(Err(e.to_io())),
                    NetlinkPayload::InnerMessage(m) => {
                        out.push(m);
                        None
                    }
                    _ => None,
                }
            })?;
            if !interrupted {
                return Ok(out);
            }
        }
        Err(io::Error::new(
            io::ErrorKind::Interrupted,
            "netlink dump kept being interrupted",
        ))
    }
}

/// Hands each message of one netlink datagram to `f`, in order, until `f`
/// breaks. A message `netlink-packet-route` cannot decode is logged and
/// skipped; a header whose length does not fit the datagram ends it with
/// an [`io::ErrorKind::InvalidData`] error (the rest cannot be framed).
pub(crate) fn for_each_message<B>(
    datagram: &[u8],
    mut f: impl FnMut(NetlinkMessage<RouteNetlinkMessage>) -> ControlFlow<B>,
) -> io::Result<ControlFlow<B>> {
    let mut rest = datagram;
    while !rest.is_empty() {
        let len = NetlinkBuffer::new_checked(rest)
            .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e.to_string()))?
            .length() as usize;
        // Messages are padded to 4 bytes within a datagram.
        let step = len.next_multiple_of(4).clamp(len, rest.len());
        let chunk = &rest[..len];
        rest = &rest[step..];
        let msg = match NetlinkMessage::<RouteNetlinkMessage>::deserialize(chunk) {
            Ok(msg) => msg,
            Err(e) => {
                log::warn!("netlink: skipping undecodable message: {e}");
                continue;
            }
        };
        if let ControlFlow::Break(b) = f(msg) {
            return Ok(ControlFlow::Break(b));
        }
    }
    Ok(ControlFlow::Continue(()))
}

/// An address message with the header and `IFA_LOCAL`/`IFA_ADDRESS` set,
/// as `ip addr add/del` sends them.
fn addr_message(index: u32, addr: IpAddr, prefix: u8) -> AddressMessage {
    let mut msg = AddressMessage::default();
    msg.header.family = match addr {
        IpAddr::V4(_) => AddressFamily::Inet,
        IpAddr::V6(_) => AddressFamily::Inet6,
    };
    msg.header.prefix_len = prefix;
    msg.header.index = index;
    msg.attributes.push(AddressAttribute::Local(addr));
    msg.attributes.push(AddressAttribute::Address(addr));
    msg
}

/// A [`Link`] from an `RTM_NEWLINK` (or `RTM_DELLINK`) message.
pub(crate) fn link_from(msg: LinkMessage) -> Link {
    let flags = msg.header.flags;
    let mut link = Link {
        index: msg.header.index,
        name: String::new(),
        up: flags.contains(LinkFlags::Up | LinkFlags::Running),
        mac: None,
        multicast: flags.contains(LinkFlags::Multicast),
        loopback: flags.contains(LinkFlags::Loopback),
        noarp: flags.contains(LinkFlags::Noarp),
    };
    for attr in msg.attributes {
        match attr {
            LinkAttribute::IfName(name) => link.name = name,
            LinkAttribute::Address(hw) => link.mac = hw.try_into().ok(),
            _ => {}
        }
    }
    link
}

/// An [`Addr`] from an `RTM_NEWADDR` (or `RTM_DELADDR`) message; `None`
/// without an address attribute.
pub(crate) fn addr_from(msg: AddressMessage) -> Option<Addr> {
    let mut local = None;
    let mut address = None;
    let mut label = None;
    for attr in msg.attributes {
        match attr {
            AddressAttribute::Local(a) => local = Some(a),
            AddressAttribute::Address(a) => address = Some(a),
            AddressAttribute::Label(l) => label = Some(l),
            _ => {}
        }
    }
    Some(Addr {
        index: msg.header.index,
        addr: local.or(address)?,
        prefix: msg.header.prefix_len,
        label,
        scope: msg.header.scope.into(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::testns::{self, Netns, ip};

    /// A namespace holding a veth pair `veth0`/`veth1`, both up; `None`
    /// (with a note) when not root or `ip` is unavailable.
    fn veth_ns() -> Option<Netns> {
        if !testns::available("netlink") {
            return None;
        }
        let ns = Netns::add("kr-nl");
        ns.ip(&[
            "link", "add", "veth0", "type", "veth", "peer", "name", "veth1",
        ]);
        ns.ip(&["link", "set", "veth0", "up"]);
        ns.ip(&["link", "set", "veth1", "up"]);
        Some(ns)
    }

    fn index_of(links: &[Link], name: &str) -> u32 {
        links.iter().find(|l| l.name == name).expect(name).index
    }

    #[test]
    fn broadcast_computation() {
        let a = Ipv4Addr::new(10, 99, 7, 1);
        assert_eq!(broadcast_for(a, 24), Some(Ipv4Addr::new(10, 99, 7, 255)));
        assert_eq!(broadcast_for(a, 0), Some(Ipv4Addr::BROADCAST));
        assert_eq!(broadcast_for(a, 31), None);
        assert_eq!(broadcast_for(a, 32), None);
    }

    #[test]
    fn links_list_veth_pair() {
        let Some(ns) = veth_ns() else { return };
        let links = ns.run(|| Rtnl::open().unwrap().links().unwrap());
        let show = ns.ip(&["link", "show"]);
        for name in ["veth0", "veth1"] {
            let link = links.iter().find(|l| l.name == name).expect(name);
            let mac = link.mac.expect("veth has a MAC");
            let text = mac.map(|b| format!("{b:02x}")).join(":");
            assert!(show.contains(&format!("link/ether {text}")), "{show}");
            assert!(link.multicast && !link.loopback && link.up, "{link:?}");
        }
        let lo = links.iter().find(|l| l.name == "lo").expect("lo");
        assert!(lo.loopback && !lo.up);
    }

    #[test]
    fn ipv4_address_round_trip() {
        let Some(ns) = veth_ns() else { return };
        let vip = Ipv4Addr::new(10, 99, 7, 1);
        let (before, after_add, again, after_del, del_again) = ns.run(move || {
            let mut rtnl = Rtnl::open().unwrap();
            let index = index_of(&rtnl.links().unwrap(), "veth0");
            let mut spec = AddrSpec::new(vip.into(), 24);
            spec.broadcast = broadcast_for(vip, 24);
            spec.label = Some("veth0:1".into());
            let before = rtnl.addresses().unwrap();
            rtnl.add_address(index, &spec).unwrap();
            let after_add: Vec<_> = rtnl
                .addresses()
                .unwrap()
                .into_iter()
                .filter(|a| a.index == index)
                .collect();
            let again = rtnl.add_address(index, &spec).unwrap_err().kind();
            rtnl.del_address(index, vip.into(), 24).unwrap();
            let after_del = rtnl.addresses().unwrap();
            let del_again = rtnl.del_address(index, vip.into(), 24).unwrap_err().kind();
            (before, after_add, again, after_del, del_again)
        });
        assert!(before.iter().all(|a| a.addr != IpAddr::V4(vip)));
        let added = after_add
            .iter()
            .find(|a| a.addr == IpAddr::V4(vip))
            .expect("address added");
        assert_eq!(added.prefix, 24);
        assert_eq!(added.label.as_deref(), Some("veth0:1"));
        assert_eq!(added.scope, 0);
        assert_eq!(again, io::ErrorKind::AlreadyExists);
        assert!(after_del.iter().all(|a| a.addr != IpAddr::V4(vip)));
        assert_eq!(del_again, io::ErrorKind::AddrNotAvailable);
    }

    #[test]
    fn ipv4_address_visible_to_ip() {
        let Some(ns) = veth_ns() else { return };
        ns.run(|| {
            let mut rtnl = Rtnl::open().unwrap();
            let index = index_of(&rtnl.links().unwrap(), "veth0");
            let vip = Ipv4Addr::new(10, 99, 7, 1);
            let mut spec = AddrSpec::new(vip.into(), 24);
            spec.broadcast = broadcast_for(vip, 24);
            spec.label = Some("veth0:1".into());
            rtnl.add_address(index, &spec).unwrap();
        });
        let show = ns.ip(&["-4", "addr", "show", "dev", "veth0"]);
        assert!(
            show.contains("inet 10.99.7.1/24 brd 10.99.7.255 scope global veth0:1"),
            "{show}"
        );
    }

    #[test]
    fn ipv6_nodad_round_trip() {
        let Some(ns) = veth_ns() else { return };
        let vip: IpAddr = "fd00:99::7".parse().unwrap();
        let name = ns.name.clone();
        let (after_add, show, after_del) = ns.run(move || {
            let mut rtnl = Rtnl::open().unwrap();
            let index = index_of(&rtnl.links().unwrap(), "veth0");
            let mut spec = AddrSpec::new(vip, 64);
            spec.nodad = true;
            rtnl.add_address(index, &spec).unwrap();
            let after_add = rtnl.addresses().unwrap();
            let show = ip(&["-n", &name, "-6", "addr", "show", "dev", "veth0"]);
            rtnl.del_address(index, vip, 64).unwrap();
            (after_add, show, rtnl.addresses().unwrap())
        });
        let added = after_add
            .iter()
            .find(|a| a.addr == vip)
            .expect("address added");
        assert_eq!(added.prefix, 64);
        assert!(
            show.contains("inet6 fd00:99::7/64 scope global nodad"),
            "{show}"
        );
        assert!(after_del.iter().all(|a| a.addr != vip));
    }
}

//! The item syntax of `virtual_routes` / `static_routes` (keepalived
//! `alloc_route`, KEEPALIVED.md §4), and the helpers it shares with the rule
//! syntax (`rule.rs`): keepalived's `parse_route` / `parse_ipaddress`, the
//! iproute2 name tables (`rttables.c`) and the number readers of
//! `vrrp_ip_rule_route_parser.c`.
//!
//! keepalived's index arithmetic is kept, quirks included: a top-level
//! `inet`/`inet6` also swallows the word after it; an unknown `encap` type
//! skips the word after it; an `encap` sub-option that fails hands its key
//! back to the route parser ("unknown route keyword dst").

#[allow(unused_imports)]
use super::*;
pub(super) use crate::config::values::{read_unsigned_base, read_unsigned64, strtoul};

/// RTPROT_KEEPALIVED.
pub(super) const RTPROT_KEEPALIVED: u8 = 18;

// RTAX_* metric numbers, for the `lock` bits.
use crate::config::format::{
    RTAX_ADVMSS, RTAX_CC_ALGO, RTAX_CWND, RTAX_MTU, RTAX_REORDERING, RTAX_RTO_MIN, RTAX_RTT,
    RTAX_RTTVAR, RTAX_SSTHRESH,
};

const WHITE: [char; 6] = [' ', '\t', '\n', '\r', '\x0b', '\x0c'];

/// keepalived `get_u8`/`get_u16`/`get_u32`: a number 0..=max, else its
/// number message and then `errmsg` (with `%s` the word).
pub(super) fn get_u(c: &mut C, s: &str, max: u32, errmsg: &str) -> Option<u32> {
    if let Some(v) = read_unsigned_base(c, s, 10, 0, max) {
        return Some(v);
    }
    c.err(GE, errmsg.replacen("%s", s, 1));
    None
}

/// keepalived `get_u64`.
fn get_u64(c: &mut C, s: &str, errmsg: &str) -> Option<u64> {
    if let Some(v) = read_unsigned64(c, s) {
        return Some(v);
    }
    c.err(GE, errmsg.replacen("%s", s, 1));
    None
}

/// An address as keepalived's `parse_ipaddress` / `parse_route` give it:
/// `family` None is AF_UNSPEC (`default`, `any`, `all`), `addr` None the
/// zero address of the family decided later.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Prefix {
    pub family: Option<Family>,
    pub addr: Option<IpAddr>,
    pub len: u8,
}

impl Prefix {
    /// The address and length once the rule's or route's family is known.
    pub fn resolve(self, fam: Family) -> (IpAddr, u8) {
        let zero = match self.family.unwrap_or(fam) {
            Family::V4 => IpAddr::V4(std::net::Ipv4Addr::UNSPECIFIED),
            Family::V6 => IpAddr::V6(std::net::Ipv6Addr::UNSPECIFIED),
        };
        (self.addr.unwrap_or(zero), self.len)
    }
}

/// keepalived `parse_ipaddress`: the family from a `:` in the text, an
/// optional `/LEN` when `allow_subnet`, inet_pton for the address.
pub(super) fn parse_ipaddress(c: &mut C, s: &str, allow_subnet: bool) -> Option<(IpAddr, u8)> {
    let is6 = s.contains(':');
    let max = if is6 { 128 } else { 32 };
    let mut len = max;
    let mut text = s;
    if allow_subnet {
        if let Some(p) = s.find('/') {
            let pl = &s[p + 1..];
            match read_unsigned(c, pl, 0, max as u64, true) {
                Some(v) => len = v as u8,
                None => {
                    c.err(
                        GE,
                        format!("Invalid address prefix len {pl} for address {s} - using {max}"),
                    );
                }
            }
            text = &s[..p];
        }
    }
    let addr = if is6 {
        text.parse::<std::net::Ipv6Addr>().ok().map(IpAddr::V6)
    } else {
        text.parse::<std::net::Ipv4Addr>().ok().map(IpAddr::V4)
    };
    match addr {
        Some(a) => Some((a, len)),
        None => {
            c.err(GE, format!("VRRP parsed invalid IP {s}. skipping IP..."));
            None
        }
    }
}

/// keepalived `parse_route`: `default`/`any`/`all`, the deprecated
/// `default6`, or ADDR[/LEN].
pub(super) fn parse_route(c: &mut C, s: &str) -> Option<Prefix> {
    match s {
        "default" | "any" | "all" => Some(Prefix {
            family: None,
            addr: None,
            len: 0,
        }),
        "default6" => {
            c.log("'default6' is deprecated - please replace with 'inet6 default'");
            Some(Prefix {
                family: Some(Family::V6),
                addr: None,
                len: 0,
            })
        }
        _ => {
            let (a, len) = parse_ipaddress(c, s, true)?;
            Some(Prefix {
                family: Some(family_of(&a)),
                addr: Some(a),
                len,
            })
        }
    }
}

/// keepalived `get_time_rtt`: a time in kernel units (1/`unit` ms), raw or
/// with `s`/`sec`/`secs`/`ms`/`msec`/`msecs`; clamped to 200ms..120s.
fn time_rtt(c: &mut C, s: &str, unit: u64) -> Option<u32> {
    const RTT_MIN_MS: u64 = 200;
    const RTT_MAX_MS: u64 = 120_000;
    let t = s.trim_start_matches(WHITE);
    let mut raw = true;
    let mut shift = 0;
    let mut body = t;
    if let Some(p) = t.find(['s', 'S']) {
        let suffix = &t[p..];
        if !["s", "sec", "secs"]
            .iter()
            .any(|x| suffix.eq_ignore_ascii_case(x))
        {
            return None;
        }
        raw = false;
        let mut p = p;
        if p > 0 && t.as_bytes()[p - 1].eq_ignore_ascii_case(&b'm') {
            p -= 1;
        } else {
            shift = 3;
        }
        if p == 0 {
            return None;
        }
        body = &t[..p];
    }
    if body.contains(['e', 'E']) {
        c.log(format!(
            "rtt value exponential form {t} no longer supported"
        ));
        return None;
    }
    let max = RTT_MAX_MS * unit;
    let mut v = read_decimal_c(c, body, 0, max, shift)?;
    if !raw {
        v *= unit;
    }
    if v > max {
        c.log(format!(
            "rtt value {t} exceeds maximum {}s, resetting",
            RTT_MAX_MS / 1000
        ));
        v = max;
    } else if v < RTT_MIN_MS * unit {
        c.log(format!(
            "rtt value {t} below minimum {RTT_MIN_MS}ms, resetting"
        ));
        v = RTT_MIN_MS * unit;
    }
    Some(v as u32)
}

/// keepalived `read_decimal_unsigned` with ignore_error false.
fn read_decimal_c(c: &mut C, s: &str, min: u64, max: u64, shift: usize) -> Option<u64> {
    read_decimal(c, s, min, max, shift as u32, false)
}

/// keepalived `parse_mpls_address`: up to two labels `L[/L]`.
fn parse_mpls(s: &str) -> Option<Vec<u32>> {
    let mut s = s.trim_start_matches(WHITE);
    let mut labels = Vec::new();
    for _ in 0..2 {
        if s.starts_with('-') || s.starts_with(WHITE) {
            return None;
        }
        let (v, rest, digits) = strtoul(s, 0);
        if !digits || v > u32::MAX as u64 || v & !0xfffff != 0 {
            return None;
        }
        labels.push(v as u32);
        if rest.is_empty() {
            return Some(labels);
        }
        s = rest.strip_prefix('/')?;
    }
    None
}

/// keepalived `get_addr64`: an ILA locator `H:H:H:H`.
fn parse_addr64(s: &str) -> Option<u64> {
    let mut cp = s.trim_start_matches(WHITE);
    let mut out = 0u64;
    for k in 0..4 {
        if !cp.chars().next().is_some_and(|ch| ch.is_ascii_hexdigit()) {
            return None;
        }
        let (v, rest, digits) = strtoul(cp, 16);
        if v > 0xffff || !digits {
            return None;
        }
        out = out << 16 | v;
        if rest.is_empty() {
            return (k == 3).then_some(out);
        }
        if k == 3 || !rest.starts_with(':') {
            return None;
        }
        cp = &rest[1..];
    }
    Some(out)
}

/// keepalived `parse_encap_ip` / `parse_encap_ip6`: KEY VALUE pairs from
/// `*i`; on return `*i` is where keepalived leaves it (the key that failed,
/// or the first word that is not a key).
fn encap_ip(c: &mut C, item: &[String], i: &mut usize, v6: bool) -> Option<RouteEncap> {
    let n = item.len();
    let (mut id, mut dst, mut src, mut tos, mut ttl, mut flags) =
        (None, None, None, None, None, None);
    let mut j = *i;
    let ok = loop {
        if j + 1 >= n {
            break true;
        }
        let (k, v) = (item[j].as_str(), item[j + 1].as_str());
        match k {
            "id" => {
                let msg = if v6 {
                    "id %s value invalid for IPv6 encapsulation"
                } else {
                    "encap id %s value is invalid"
                };
                match get_u64(c, v, msg) {
                    Some(x) => id = Some(x),
                    None => break false,
                }
            }
            "dst" | "src" => {
                let what = if v6 { "ip6" } else { "ip" };
                let Some((a, _)) = parse_ipaddress(c, v, false) else {
                    c.err(GE, format!("Invalid encap {what} {k} {v}"));
                    break false;
                };
                if a.is_ipv6() != v6 {
                    let msg = if v6 {
                        format!("IPv4 address {v} not valid for ip6 encapsulation")
                    } else {
                        format!("IPv6 address {v} not valid for ip encapsulation")
                    };
                    c.err(GE, msg);
                    if k == "dst" {
                        dst = None;
                    } else {
                        src = None;
                    }
                    break false;
                }
                if k == "dst" {
                    dst = Some(a);
                } else {
                    src = Some(a);
                }
            }
            "tos" if !v6 => match rt_dsfield(v) {
                Some(x) => tos = Some(x),
                None => {
                    c.err(GE, format!("dsfield {v} not valid for ip encapsulation"));
                    break false;
                }
            },
            "tc" if v6 => match rt_dsfield(v) {
                Some(x) => tos = Some(x),
                None => {
                    // keepalived prints the key here, not the value.
                    c.err(GE, format!("tc value {k} is invalid for ip6 encapsulation"));
                    break false;
                }
            },
            "ttl" if !v6 => match get_u(c, v, 255, "ttl %s is not valid for ip encapsulation") {
                Some(x) => ttl = Some(x as u8),
                None => break false,
            },
            "hoplimit" if v6 => match get_u(
                c,
                v,
                255,
                "Invalid hoplimit %s specified for ip6 encapsulation",
            ) {
                Some(x) => ttl = Some(x as u8),
                None => break false,
            },
            "flags" => {
                let msg = if v6 {
                    "flags %s is not valid for ip6 encapsulation"
                } else {
                    "flags %s is not valid for ip encapsulation"
                };
                match get_u(c, v, u16::MAX as u32, msg) {
                    Some(x) => flags = Some(x as u16),
                    None => break false,
                }
            }
            _ => break true,
        }
        j += 2;
    };
    *i = j;
    if !ok {
        return None;
    }
    if dst.is_none() && id.is_none() {
        c.err(
            GE,
            format!(
                "address or id missing for {} encapsulation",
                if v6 { "ip6" } else { "ip" }
            ),
        );
        return None;
    }
    Some(if v6 {
        RouteEncap::Ip6 {
            id,
            dst,
            src,
            tc: tos,
            hoplimit: ttl,
            flags,
        }
    } else {
        RouteEncap::Ip {
            id,
            dst,
            src,
            tos,
            ttl,
            flags,
        }
    })
}

/// keepalived `parse_encap`, entered with `*i` at the word `encap`; leaves
/// `*i` where keepalived does (the caller then steps past it). A failed
/// encapsulation is dropped (keepalived keeps a half-filled one).
fn parse_encap(c: &mut C, item: &[String], i: &mut usize) -> Option<RouteEncap> {
    let n = item.len();
    *i += 1;
    if *i >= n {
        c.err(GE, "Missing encap type");
        return None;
    }
    let t = item[*i].as_str();
    *i += 1;
    let e = match t {
        "ip" => encap_ip(c, item, i, false),
        "ip6" => encap_ip(c, item, i, true),
        "mpls" => {
            if *i >= n {
                c.err(GE, "missing address for MPLS encapsulation");
                None
            } else {
                let s = item[*i].as_str();
                *i += 1;
                let l = parse_mpls(s);
                if l.is_none() {
                    c.err(GE, format!("invalid mpls address {s} for encapsulation"));
                }
                l.map(RouteEncap::Mpls)
            }
        }
        "ila" => {
            if *i >= n {
                c.err(GE, "missing locator for ILA encapsulation");
                None
            } else {
                let s = item[*i].as_str();
                *i += 1;
                let l = parse_addr64(s);
                if l.is_none() {
                    c.err(GE, format!("invalid locator {s} for ila encapsulation"));
                }
                l.map(RouteEncap::Ila)
            }
        }
        _ => {
            c.err(GE, format!("Unknown encap type - {t}"));
            return None;
        }
    };
    *i -= 1;
    e
}

/// Records a family: AF_UNSPEC takes it, a different one is a mix.
fn same_family(fam: &mut Option<Family>, f: Option<Family>) -> bool {
    match (*fam, f) {
        (_, None) => true,
        (None, Some(x)) => {
            *fam = Some(x);
            true
        }
        (Some(a), Some(b)) => a == b,
    }
}

/// keepalived `parse_nexthops` from `i` (at the word `nexthop`). Errors drop
/// the hop being read and the rest of the line, not the route. None: the
/// parse stopped (missing parameter).
fn parse_nexthops(
    c: &mut C,
    item: &[String],
    mut i: usize,
    r: &mut RouteSpec,
    fam: &mut Option<Family>,
) -> Option<()> {
    let n = item.len();
    let mut via_family: Option<Family> = None;
    while i < n && item[i] == "nexthop" {
        i += 1;
        let mut nh = NextHop::default();
        while i < n {
            match item[i].as_str() {
                "via" => {
                    i += 1;
                    let mut s = c.arg(item, i)?;
                    if s == "inet" || s == "inet6" {
                        via_family = Some(if s == "inet" { Family::V4 } else { Family::V6 });
                        i += 1;
                        s = c.arg(item, i)?;
                    }
                    if via_family.is_some() && !same_family(fam, via_family) {
                        c.err(GE, "IPv4/6 mismatch for nexthop");
                        return Some(());
                    }
                    let Some((a, _)) = parse_ipaddress(c, s, false) else {
                        c.err(GE, format!("invalid nexthop address {s}"));
                        return Some(());
                    };
                    if !same_family(fam, Some(family_of(&a))) {
                        c.err(GE, "Address family mismatch for next hop");
                        return Some(());
                    }
                    nh.addr = Some(a);
                }
                "dev" => {
                    i += 1;
                    let s = c.arg(item, i)?;
                    if !interface_known(c, s) {
                        c.err(
                            GE,
                            format!("WARNING - interface {s} for VROUTE nexthop doesn't exist"),
                        );
                        return Some(());
                    }
                    nh.dev = Some(s.to_string());
                }
                "weight" => {
                    i += 1;
                    let s = c.arg(item, i)?;
                    let Some(w) = get_u(c, s, 256, "Invalid weight %s specified for route") else {
                        return Some(());
                    };
                    if w == 0 {
                        c.err(GE, "Invalid weight 0 specified for route");
                        return Some(());
                    }
                    nh.weight = Some(w as u16);
                }
                "onlink" => nh.onlink = true,
                "encap" => nh.encap = parse_encap(c, item, &mut i),
                "realms" => {
                    i += 1;
                    let s = c.arg(item, i)?;
                    let Some(v) = get_realms(s) else {
                        c.err(GE, format!("Invalid realms {s} for route"));
                        return Some(());
                    };
                    nh.realms = Some(v);
                    if !same_family(fam, Some(Family::V4)) {
                        c.err(GE, "realms are only supported for IPv4");
                        return Some(());
                    }
                }
                "as" => {
                    // `as [to] ADDR`: only the word after `as` is required.
                    c.arg(item, i + 1)?;
                    c.err(GE, "'as [to]' (nat) not supported");
                    return Some(());
                }
                _ => break,
            }
            i += 1;
        }
        r.nexthops.push(nh);
    }
    if i < n {
        c.err(
            GE,
            format!("Route has trailing nonsense after nexthops - {}", item[i]),
        );
    }
    Some(())
}

/// A metric that may be preceded by `lock`: returns the value's index.
fn lockable(c: &mut C, item: &[String], i: &mut usize, lock: &mut u32, rtax: u32) -> Option<()> {
    *i += 1;
    if c.arg(item, *i)? == "lock" {
        *lock |= 1 << rtax;
        *i += 1;
    }
    Some(())
}

/// keepalived `alloc_route` for one item of `virtual_routes`
/// (`static_route` false) or `static_routes` (true, which allows
/// `track_group`). None: the item is dropped (or the parse stopped).
pub fn route(c: &mut C, item: &[String], static_route: bool) -> Option<RouteSpec> {
    if c.stopped.is_some() {
        return None;
    }
    let n = item.len();
    let mut r = RouteSpec {
        words: item.to_vec(),
        ..Default::default()
    };
    let mut fam: Option<Family> = None;
    let mut dst: Option<Prefix> = None;
    let mut dest = String::new();
    let mut do_nexthop = false;
    let mut i = 0;
    macro_rules! arg {
        ($k:expr) => {
            c.arg(item, $k)?
        };
    }
    macro_rules! num {
        ($max:expr, $msg:expr) => {{
            i += 1;
            let s = arg!(i);
            get_u(c, s, $max, $msg)?
        }};
    }
    macro_rules! locked_num {
        ($rtax:expr, $msg:expr) => {{
            lockable(c, item, &mut i, &mut r.lock, $rtax)?;
            let s = arg!(i);
            get_u(c, s, u32::MAX, $msg)?
        }};
    }
    macro_rules! locked_rtt {
        ($rtax:expr, $unit:expr, $msg:expr) => {{
            lockable(c, item, &mut i, &mut r.lock, $rtax)?;
            let s = arg!(i);
            match time_rtt(c, s, $unit) {
                Some(v) => v,
                None => {
                    c.err(GE, format!($msg, s));
                    return None;
                }
            }
        }};
    }
    let mismatch = "Cannot mix IPv4 and IPv6 addresses for route";
    while i < n {
        let s = item[i].as_str();
        match s {
            "inet6" | "inet" => {
                let (f, msg) = if s == "inet6" {
                    (Family::V6, "inet6 specified for IPv4 route")
                } else {
                    (Family::V4, "inet specified for IPv6 route")
                };
                if !same_family(&mut fam, Some(f)) {
                    c.err(GE, msg);
                    return None;
                }
                // keepalived steps here and again at the loop's end: the
                // word after `inet`/`inet6` is skipped.
                i += 1;
            }
            "src" => {
                i += 1;
                let a = arg!(i);
                let Some((addr, _)) = parse_ipaddress(c, a, false) else {
                    c.err(GE, format!("invalid route src address {a}"));
                    return None;
                };
                r.pref_src = Some(addr);
                if !same_family(&mut fam, Some(family_of(&addr))) {
                    c.err(GE, mismatch);
                    return None;
                }
            }
            "as" => {
                i += 1;
                if arg!(i) == "to" {
                    i += 1;
                }
                c.err(GE, "\"as to\" for MPLS only - ignoring");
            }
            "via" | "gw" => {
                if s == "gw" {
                    c.err(GE, "\"gw\" for routes is deprecated. Please use \"via\"");
                }
                i += 1;
                let mut a = arg!(i);
                let mut f = fam;
                if a == "inet" || a == "inet6" {
                    f = Some(if a == "inet" { Family::V4 } else { Family::V6 });
                    i += 1;
                    a = arg!(i);
                }
                if !same_family(&mut fam, f) {
                    c.err(GE, mismatch);
                    return None;
                }
                let Some((addr, _)) = parse_ipaddress(c, a, false) else {
                    c.err(GE, format!("invalid route via address {a}"));
                    return None;
                };
                r.via = Some(addr);
                if !same_family(&mut fam, Some(family_of(&addr))) {
                    c.err(GE, mismatch);
                    return None;
                }
            }
            "from" => {
                i += 1;
                let a = arg!(i);
                let Some(p) = parse_route(c, a) else {
                    c.err(GE, format!("invalid route from address {a}"));
                    return None;
                };
                if p.family != Some(Family::V6) {
                    c.err(
                        GE,
                        format!("route from address only supported with IPv6 ({a})"),
                    );
                    return None;
                }
                if !same_family(&mut fam, p.family) {
                    c.err(GE, mismatch);
                    return None;
                }
                r.src = Some(p.resolve(Family::V6));
            }
            "tos" | "dsfield" => {
                i += 1;
                let a = arg!(i);
                let Some(v) = rt_dsfield(a) else {
                    c.err(GE, format!("TOS value {a} is invalid"));
                    return None;
                };
                r.tos = Some(v);
            }
            "table" => {
                i += 1;
                let a = arg!(i);
                let Some(v) = rt_table(a) else {
                    c.err(GE, format!("Routing table {a} not found for route"));
                    return None;
                };
                r.table = v;
            }
            "protocol" => {
                i += 1;
                let a = arg!(i);
                let Some(v) = rt_proto(a) else {
                    c.err(GE, format!("Protocol {a} not found or invalid for route"));
                    return None;
                };
                r.protocol = Some(v);
            }
            "scope" => {
                i += 1;
                let a = arg!(i);
                let Some(v) = rt_scope(a) else {
                    c.err(GE, format!("Scope {a} not found or invalid for route"));
                    return None;
                };
                r.scope = Some(v);
            }
            "metric" | "priority" | "preference" => {
                r.metric = Some(num!(u32::MAX, "Invalid metric %s specified for route"));
            }
            "dev" | "oif" => {
                i += 1;
                let a = arg!(i);
                if !interface_known(c, a) {
                    c.err(
                        GE,
                        format!("WARNING - interface {a} for VROUTE nexthop doesn't exist"),
                    );
                    return None;
                }
                r.dev = Some(a.to_string());
            }
            "onlink" => r.onlink = true,
            "encap" => r.encap = parse_encap(c, item, &mut i),
            "expires" => {
                i += 1;
                if fam == Some(Family::V4) {
                    c.err(GE, "expires is only valid for IPv6");
                    return None;
                }
                fam = Some(Family::V6);
                let a = arg!(i);
                r.expires = Some(get_u(
                    c,
                    a,
                    u32::MAX,
                    "Invalid expires time %s specified for route",
                )?);
            }
            "mtu" => r.mtu = Some(locked_num!(RTAX_MTU, "Invalid MTU %s specified for route")),
            "hoplimit" => {
                r.hoplimit = Some(num!(255, "Invalid hoplimit %s specified for route") as u8)
            }
            "advmss" => {
                r.advmss = Some(locked_num!(
                    RTAX_ADVMSS,
                    "Invalid advmss %s specified for route"
                ))
            }
            "rtt" => r.rtt = Some(locked_rtt!(RTAX_RTT, 8, "Invalid rtt {} for route")),
            "rttvar" => r.rttvar = Some(locked_rtt!(RTAX_RTTVAR, 4, "Invalid rttvar {} for route")),
            "reordering" => {
                r.reordering = Some(locked_num!(
                    RTAX_REORDERING,
                    "Invalid reordering value %s specified for route"
                ))
            }
            "window" => {
                r.window = Some(num!(
                    u32::MAX,
                    "Invalid window value %s specified for route"
                ))
            }
            "cwnd" => {
                r.cwnd = Some(locked_num!(
                    RTAX_CWND,
                    "Invalid cwnd value %s specified for route"
                ))
            }
            "ssthresh" => {
                r.ssthresh = Some(locked_num!(
                    RTAX_SSTHRESH,
                    "Invalid ssthresh value %s specified for route"
                ))
            }
            "realms" => {
                i += 1;
                let a = arg!(i);
                let Some(v) = get_realms(a) else {
                    c.err(GE, format!("Invalid realms {a} for route"));
                    return None;
                };
                r.realms = Some(v);
                if fam == Some(Family::V6) {
                    c.err(GE, "realms are only valid for IPv4");
                    return None;
                }
                fam = Some(Family::V4);
            }
            "rto_min" => {
                r.rto_min = Some(locked_rtt!(
                    RTAX_RTO_MIN,
                    1,
                    "Invalid rto_min value {} specified for route"
                ))
            }
            "initcwnd" => {
                r.initcwnd = Some(num!(
                    u32::MAX,
                    "Invalid initcwnd value %s specified for route"
                ))
            }
            "initrwnd" => {
                r.initrwnd = Some(num!(
                    u32::MAX,
                    "Invalid initrwnd value %s specified for route"
                ))
            }
            "features" => {
                i += 1;
                let a = arg!(i);
                if a == "ecn" {
                    r.features_ecn = true;
                } else {
                    c.err(GE, format!("feature {a} not supported"));
                }
            }
            "quickack" => {
                r.quickack = Some(num!(1, "Invalid quickack value %s specified for route"))
            }
            "congctl" => {
                i += 1;
                if arg!(i) == "lock" {
                    r.lock |= 1 << RTAX_CC_ALGO;
                    i += 1;
                }
                r.congctl = Some(arg!(i).to_string());
            }
            "pref" => {
                i += 1;
                if fam == Some(Family::V4) {
                    c.err(GE, "pref is only valid for IPv6");
                    return None;
                }
                fam = Some(Family::V6);
                let a = arg!(i);
                r.pref = Some(match a {
                    "low" => 3,
                    "medium" => 0,
                    "high" => 1,
                    _ => get_u(c, a, 255, "Invalid pref value %s specified for route")? as u8,
                });
            }
            "ttl-propagate" => {
                i += 1;
                let a = arg!(i);
                r.ttl_propagate = Some(match a {
                    "enabled" => true,
                    "disabled" => false,
                    _ => {
                        c.err(GE, format!("ttl-propagate value {a} not recognised"));
                        r.ttl_propagate.unwrap_or(false)
                    }
                });
            }
            "fastopen_no_cookie" => {
                r.fastopen_no_cookie =
                    Some(num!(1, "Invalid fastopen_no_cookie value %s specified for route") != 0)
            }
            "add" => r.add_mode = RouteAddMode::Add,
            "prepend" => r.add_mode = RouteAddMode::Prepend,
            "append" => r.add_mode = RouteAddMode::Append,
            "or" => {
                c.err(
                    GE,
                    "\"or\" for routes is deprecated. Please use \"nexthop\"",
                );
                if !r.nexthops.is_empty() {
                    c.err(GE, "\"or\" route already specified - ignoring subsequent");
                    i += 2;
                    continue;
                }
                r.nexthops.push(NextHop {
                    addr: r.via.take(),
                    ..Default::default()
                });
                i += 1;
                let a = arg!(i);
                let Some((addr, _)) = parse_ipaddress(c, a, false) else {
                    c.err(GE, format!("Invalid \"or\" address {a}"));
                    return None;
                };
                r.nexthops.push(NextHop {
                    addr: Some(addr),
                    ..Default::default()
                });
            }
            "nexthop" => {
                if !r.nexthops.is_empty() {
                    c.err(GE, "Cannot specify nexthops with \"or\" route");
                } else {
                    do_nexthop = true;
                }
                break;
            }
            "no_track" => r.no_track = true,
            "track_group" if static_route => {
                i += 1;
                let a = arg!(i);
                if r.track_group.is_some() {
                    c.err(GE, format!("track_group {a} is a duplicate"));
                    break;
                }
                if c.state.cfg.track_groups.iter().any(|g| g == a) {
                    r.track_group = Some(a.to_string());
                } else {
                    c.err(GE, format!("track_group {a} not found"));
                }
            }
            "vrf" => {
                i += 1;
                let a = arg!(i);
                // keepalived also refuses an interface that is not a VRF;
                // the host facts here cannot tell, so any interface is taken.
                if c.state.host.interface(a).is_none() {
                    c.err(GE, format!("VRF {a} not found for route"));
                    return None;
                }
                r.vrf = Some(a.to_string());
            }
            _ => {
                if s == "to" {
                    i += 1;
                }
                if let Some(t) = rt_type(s) {
                    r.rtype = Some(t);
                    i += 1;
                }
                let d = arg!(i);
                let Some(p) = parse_route(c, d) else {
                    c.err(GE, format!("unknown route keyword {d}"));
                    return None;
                };
                // Strict here: a `default` destination after the family
                // was set is a mix for keepalived.
                match (fam, p.family) {
                    (None, f) => fam = f,
                    (Some(x), f) if f != Some(x) => {
                        c.err(GE, format!("{mismatch} ({d})"));
                        return None;
                    }
                    _ => {}
                }
                dst = Some(p);
                dest = d.to_string();
            }
        }
        i += 1;
    }

    if do_nexthop {
        parse_nexthops(c, item, i, &mut r, &mut fam)?;
    } else if i < n {
        c.err(GE, format!("Route has trailing nonsense - {}", item[i]));
        return None;
    }

    let Some(dst) = dst else {
        c.err(GE, "Route must have a destination");
        return None;
    };

    if !r.no_track {
        if r.protocol.is_some_and(|p| p != RTPROT_KEEPALIVED) {
            c.err(
                GE,
                format!("Route cannot be tracked if protocol is not RTPROT_KEEPALIVED({RTPROT_KEEPALIVED}), resetting protocol"),
            );
        }
        r.protocol = Some(RTPROT_KEEPALIVED);
        if r.dev.is_none() {
            c.err(
                GE,
                format!(
                    "Warning - cannot track route {dest} with no interface specified, not tracking"
                ),
            );
            r.no_track = true;
        }
    }

    if r.track_group.is_some() && r.dev.is_none() {
        c.err(
            GE,
            "Static route cannot have track group if no oif specified",
        );
        r.track_group = None;
    }

    let fam = fam.unwrap_or(Family::V4);
    r.family = fam;
    (r.dst, r.dst_len) = dst.resolve(fam);
    Some(r)
}

mod tables;
pub(super) use tables::*;

#[cfg(test)]
mod tests;

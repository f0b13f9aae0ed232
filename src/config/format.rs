//! keepalived's one-line text forms of configuration items, as its dumps
//! and JSON output show them: a virtual address (`format_ipaddress`), a
//! virtual route (`format_iproute`), a virtual rule (`format_iprule`) and a
//! script command (`cmd_str`). Written from keepalived 2.2.7's observed and
//! documented output; the item order and words are keepalived's.
//!
//! Must not: do I/O.

use super::model::{IpAddress, NextHop, RouteAddMode, RouteEncap, RouteSpec, RuleAction, RuleSpec};
use std::fmt::Write as _;
use std::net::IpAddr;

// RTAX_* metric numbers (the `lock` bits of a route are 1 << RTAX_*), shared
// with the route keyword parser.
pub(crate) const RTAX_MTU: u32 = 2;
pub(crate) const RTAX_RTT: u32 = 4;
pub(crate) const RTAX_RTTVAR: u32 = 5;
pub(crate) const RTAX_SSTHRESH: u32 = 6;
pub(crate) const RTAX_CWND: u32 = 7;
pub(crate) const RTAX_ADVMSS: u32 = 8;
pub(crate) const RTAX_REORDERING: u32 = 9;
pub(crate) const RTAX_RTO_MIN: u32 = 13;
pub(crate) const RTAX_CC_ALGO: u32 = 16;

/// RTN_UNICAST.
const RTN_UNICAST: u8 = 1;
/// RT_TABLE_MAIN.
const RT_TABLE_MAIN: u32 = 254;

/// keepalived `ipaddresstos`: the address, with `/PREFIX` unless it is a
/// host prefix (/32, /128).
pub fn ipaddresstos(addr: IpAddr, prefix: u8) -> String {
    let host = if addr.is_ipv4() { 32 } else { 128 };
    if prefix == host {
        addr.to_string()
    } else {
        format!("{addr}/{prefix}")
    }
}

/// A scope number by its rt_scopes name (keepalived `get_rttables_scope`
/// with iproute2's stock table); other numbers as digits.
pub fn scope_name(scope: u8) -> String {
    match scope {
        0 => "global".into(),
        200 => "site".into(),
        253 => "link".into(),
        254 => "host".into(),
        255 => "nowhere".into(),
        n => n.to_string(),
    }
}

/// A route type (RTN_*) by name (keepalived `get_rttables_rtntype`).
pub fn rtntype_name(t: u8) -> String {
    match t {
        1 => "unicast".into(),
        2 => "local".into(),
        3 => "broadcast".into(),
        4 => "anycast".into(),
        5 => "multicast".into(),
        6 => "blackhole".into(),
        7 => "unreachable".into(),
        8 => "prohibit".into(),
        9 => "throw".into(),
        10 => "nat".into(),
        11 => "xresolve".into(),
        n => n.to_string(),
    }
}

/// keepalived `format_ipaddress`: `ADDR[/LEN] [brd B] dev DEV[ use_vmac]
/// scope S[ label L][ peer P/LEN][ home][ -nodad][ mngtmpaddr][ noprefixroute]
/// [ autojoin][ no_track]` then, for IPv6, `deprecated` (preferred_lft 0),
/// `preferred_lft forever` or `preferred_lft N`, and ` set` when the address
/// is on the interface. `dev` is the address's interface (its own `dev`, else
/// the instance's).
pub fn format_ipaddress(a: &IpAddress, dev: &str, set: bool) -> String {
    let mut s = ipaddresstos(a.addr, a.prefix);
    if let Some(IpAddr::V4(b)) = a.broadcast {
        if !b.is_unspecified() {
            let _ = write!(s, " brd {b}");
        }
    }
    let _ = write!(s, " dev {dev}");
    if a.use_vmac {
        s.push_str(" use_vmac");
    }
    let _ = write!(s, " scope {}", scope_name(a.scope));
    if let Some(l) = &a.label {
        let _ = write!(s, " label {l}");
    }
    if let Some((p, _)) = a.peer {
        let _ = write!(s, " peer {p}/{}", a.prefix);
    }
    for (on, word) in [
        (a.home, " home"),
        (a.nodad, " -nodad"),
        (a.mngtmpaddr, " mngtmpaddr"),
        (a.noprefixroute, " noprefixroute"),
        (a.autojoin, " autojoin"),
        (a.no_track, " no_track"),
    ] {
        if on {
            s.push_str(word);
        }
    }
    if a.addr.is_ipv6() {
        match a.preferred_lft {
            Some(0) => s.push_str(" deprecated"),
            None | Some(u32::MAX) => s.push_str(" preferred_lft forever"),
            Some(n) => {
                let _ = write!(s, " preferred_lft {n}");
            }
        }
    }
    if set {
        s.push_str(" set");
    }
    s
}

/// keepalived `cmd_str`: the words of a command, each in single quotes,
/// joined by spaces; a first word starting with `<` or `>` (a shell
/// redirection only) stays unquoted.
pub fn cmd_str(argv: &[String]) -> String {
    let mut out = String::new();
    for (i, a) in argv.iter().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        let quote = i > 0 || !(a.starts_with('<') || a.starts_with('>'));
        if quote {
            out.push('\'');
        }
        out.push_str(a);
        if quote {
            out.push('\'');
        }
    }
    out
}

/// C's `%g` (6 significant digits, trailing zeros removed, exponent form
/// below 1e-4 and from 1e6); `None` when `v` is not finite.
pub fn fmt_g(v: f64) -> Option<String> {
    if !v.is_finite() {
        return None;
    }
    if v == 0.0 {
        return Some(if v.is_sign_negative() { "-0" } else { "0" }.into());
    }
    fn trim(s: &str) -> &str {
        if s.contains('.') {
            s.trim_end_matches('0').trim_end_matches('.')
        } else {
            s
        }
    }
    let e = format!("{v:.5e}");
    let (mant, exp) = e.split_once('e')?;
    let x: i32 = exp.parse().ok()?;
    if !(-4..6).contains(&x) {
        let sign = if x < 0 { '-' } else { '+' };
        Some(format!("{}e{sign}{:02}", trim(mant), x.unsigned_abs()))
    } else {
        let prec = usize::try_from(5 - x).unwrap_or(0);
        Some(trim(&format!("{v:.prec$}")).to_string())
    }
}

/// `%g` for a value known to be finite (a ratio of integers).
fn g(v: f64) -> String {
    fmt_g(v).unwrap_or_else(|| "nan".into())
}

fn encap_text(s: &mut String, e: &RouteEncap) {
    match e {
        RouteEncap::Mpls(labels) => {
            s.push_str(" encap mpls");
            // the label stack entry: label << 12, bottom-of-stack bit on the last
            for (i, l) in labels.iter().enumerate() {
                let bos = if i + 1 == labels.len() { 0x100 } else { 0 };
                let _ = write!(s, "{}{:x}", if i > 0 { "/" } else { " " }, (l << 12) | bos);
            }
        }
        RouteEncap::Ip {
            id,
            dst,
            src,
            tos,
            ttl,
            flags,
        } => {
            s.push_str(" encap ip");
            encap_ip_common(s, *id, *dst, *src);
            if let Some(t) = tos {
                let _ = write!(s, " tos {t}");
            }
            if let Some(t) = ttl {
                let _ = write!(s, " ttl {t}");
            }
            if let Some(f) = flags {
                let _ = write!(s, " flags 0x{f:x}");
            }
        }
        RouteEncap::Ip6 {
            id,
            dst,
            src,
            tc,
            hoplimit,
            flags,
        } => {
            s.push_str(" encap ip6");
            encap_ip_common(s, *id, *dst, *src);
            if let Some(t) = tc {
                let _ = write!(s, " tc {t}");
            }
            if let Some(h) = hoplimit {
                let _ = write!(s, " hoplimit {h}");
            }
            if let Some(f) = flags {
                let _ = write!(s, " flags 0x{f:x}");
            }
        }
        RouteEncap::Ila(locator) => {
            let _ = write!(s, " encap ila {locator}");
        }
    }
}

fn encap_ip_common(s: &mut String, id: Option<u64>, dst: Option<IpAddr>, src: Option<IpAddr>) {
    if let Some(id) = id {
        let _ = write!(s, " id {id}");
    }
    if let Some(d) = dst {
        let _ = write!(s, " dst {d}");
    }
    if let Some(a) = src {
        let _ = write!(s, " src {a}");
    }
}

/// ` realms FROM/TO` or ` realm TO`; keepalived picks the form of a next
/// hop's realms from the route's own realms (`route_realms`).
fn realms_text(s: &mut String, realms: u32, route_realms: u32) {
    if route_realms & 0xFFFF_0000 != 0 {
        let _ = write!(s, " realms {}/", realms >> 16);
    } else {
        s.push_str(" realm ");
    }
    let _ = write!(s, "{}", realms & 0xFFFF);
}

fn nexthop_text(s: &mut String, nh: &NextHop, route_realms: u32) {
    s.push_str(" nexthop");
    if let Some(a) = nh.addr {
        let _ = write!(s, " via inet{} {a}", if a.is_ipv4() { "" } else { "6" });
    }
    if let Some(d) = &nh.dev {
        let _ = write!(s, " dev {d}");
    }
    if let Some(w) = nh.weight {
        let _ = write!(s, " weight {w}");
    }
    if nh.onlink {
        s.push_str(" onlink");
    }
    if let Some(r) = nh.realms.filter(|&r| r != 0) {
        realms_text(s, r, route_realms);
    }
    if let Some(e) = &nh.encap {
        encap_text(s, e);
    }
}

/// keepalived `format_iproute`: `prepend|add|append [TYPE ]DST[ from SRC]
/// [ src PREF][ tos T][ encap ...][ via inet[6] GW][ dev IF][ table N]
/// [ proto N][ scope N][ metric N][ onlink]...` with the metrics, next hops,
/// ` no_track` and ` track_group G`.
pub fn format_iproute(r: &RouteSpec) -> String {
    let mut s = String::new();
    s.push_str(match r.add_mode {
        RouteAddMode::Add => "add ",
        RouteAddMode::Append => "append ",
        RouteAddMode::Prepend => "prepend ",
    });
    let rtype = r.rtype.unwrap_or(RTN_UNICAST);
    if rtype != RTN_UNICAST {
        let _ = write!(s, "{} ", rtntype_name(rtype));
    }
    s.push_str(&ipaddresstos(r.dst, r.dst_len));
    if let Some((a, l)) = r.src {
        let _ = write!(s, " from {}", ipaddresstos(a, l));
    }
    if let Some(a) = r.pref_src {
        let _ = write!(s, " src {a}");
    }
    if let Some(t) = r.tos {
        let _ = write!(s, " tos {t}");
    }
    if let Some(e) = &r.encap {
        encap_text(&mut s, e);
    }
    if let Some(v) = r.via {
        let _ = write!(s, " via {} {v}", if v.is_ipv4() { "inet" } else { "inet6" });
    }
    if let Some(d) = &r.dev {
        let _ = write!(s, " dev {d}");
    }
    if r.table != RT_TABLE_MAIN {
        let _ = write!(s, " table {}", r.table);
    }
    if let Some(p) = r.protocol {
        let _ = write!(s, " proto {p}");
    }
    if let Some(sc) = r.scope {
        let _ = write!(s, " scope {sc}");
    }
    if let Some(m) = r.metric {
        let _ = write!(s, " metric {m}");
    }
    if r.onlink && r.family == super::model::Family::V4 {
        s.push_str(" onlink");
    }
    let realms = r.realms.unwrap_or(0);
    if realms != 0 {
        realms_text(&mut s, realms, realms);
    }
    if let Some(e) = r.expires {
        let _ = write!(s, " expires {e}sec");
    }
    let locked = |rtax: u32| r.lock & (1 << rtax) != 0;
    if let Some(c) = &r.congctl {
        let _ = write!(
            s,
            " congctl {c}{}",
            if locked(RTAX_CC_ALGO) { "lock " } else { "" }
        );
    }
    // times in kernel units: rtt 1/8 ms, rttvar 1/4 ms, rto_min ms
    for (v, name, rtax, unit) in [
        (r.rtt, "rtt", RTAX_RTT, 8u32),
        (r.rttvar, "rttvar", RTAX_RTTVAR, 4),
    ] {
        if let Some(v) = v {
            let lock = if locked(rtax) { " lock" } else { "" };
            let _ = write!(s, " {name}{lock} ");
            if v >= 1000 * unit {
                let _ = write!(s, "{}s", g(f64::from(v) / f64::from(1000 * unit)));
            } else {
                let _ = write!(s, "{}ms", g(f64::from(v) / f64::from(unit)));
            }
        }
    }
    if let Some(v) = r.rto_min {
        let lock = if locked(RTAX_RTO_MIN) { " lock" } else { "" };
        let _ = write!(s, " rto_min{lock} ");
        if v >= 1000 {
            let _ = write!(s, "{}s", g(f64::from(v) / 1000.0));
        } else {
            let _ = write!(s, "{v}ms");
        }
    }
    if r.features_ecn {
        s.push_str(" features ecn");
    }
    let lock_word = |rtax: u32| if locked(rtax) { "lock " } else { "" };
    if let Some(v) = r.mtu {
        let _ = write!(s, " mtu {}{v}", lock_word(RTAX_MTU));
    }
    if let Some(v) = r.window {
        let _ = write!(s, " window {v}");
    }
    if let Some(v) = r.ssthresh {
        let _ = write!(s, " ssthresh {}{v}", lock_word(RTAX_SSTHRESH));
    }
    if let Some(v) = r.cwnd {
        let _ = write!(s, " cwnd {}{v}", lock_word(RTAX_CWND));
    }
    if let Some(v) = r.advmss {
        let _ = write!(s, " advmss {}{v}", lock_word(RTAX_ADVMSS));
    }
    if let Some(v) = r.reordering {
        let _ = write!(s, " reordering {}{v}", lock_word(RTAX_REORDERING));
    }
    if let Some(v) = r.hoplimit {
        let _ = write!(s, " hoplimit {v}");
    }
    if let Some(v) = r.initcwnd {
        let _ = write!(s, " initcwnd {v}");
    }
    if let Some(v) = r.initrwnd {
        let _ = write!(s, " initrwnd {v}");
    }
    if let Some(v) = r.quickack {
        let _ = write!(s, " quickack {v}");
    }
    if let Some(p) = r.pref {
        let word = match p {
            3 => "low",
            0 => "medium",
            1 => "high",
            _ => "unknown",
        };
        let _ = write!(s, " pref {word}");
    }
    if let Some(f) = r.fastopen_no_cookie {
        let _ = write!(s, " fastopen_no_cookie {}", u8::from(f));
    }
    if let Some(t) = r.ttl_propagate {
        let _ = write!(s, " ttl-propagate {}abled", if t { "en" } else { "dis" });
    }
    for nh in &r.nexthops {
        nexthop_text(&mut s, nh, realms);
    }
    if r.no_track {
        s.push_str(" no_track");
    }
    if let Some(tg) = &r.track_group {
        let _ = write!(s, " track_group {tg}");
    }
    s
}

/// keepalived `format_iprule`: `[inet6 ][not ]from SRC|all[ to DST]
/// priority N tos 0xT[ fwmark 0xM[/0xMASK]][ iif IF][ oif IF]...` then the
/// action (`lookup N`, `goto N`, `nop`, `type blackhole|...`), ` no_track`
/// and ` track_group G`.
pub fn format_iprule(r: &RuleSpec) -> String {
    let mut s = String::new();
    if r.from.is_none() && r.to.is_none() && r.family == super::model::Family::V6 {
        s.push_str("inet6 ");
    }
    if r.invert {
        s.push_str("not ");
    }
    match r.from {
        Some((a, l)) => {
            let _ = write!(s, "from {}", ipaddresstos(a, l));
        }
        None => s.push_str("from all"),
    }
    if let Some((a, l)) = r.to {
        let _ = write!(s, " to {}", ipaddresstos(a, l));
    }
    // keepalived always has a preference (given, or allocated with a warning)
    let _ = write!(s, " priority {}", r.preference);
    let _ = write!(s, " tos 0x{:x}", r.tos.unwrap_or(0));
    if r.fwmark.is_some() || r.fwmask.is_some() {
        let _ = write!(s, " fwmark 0x{:x}", r.fwmark.unwrap_or(0));
        if let Some(m) = r.fwmask.filter(|&m| m != 0xffff_ffff) {
            let _ = write!(s, "/0x{m:x}");
        }
    }
    if let Some(i) = &r.iif {
        let _ = write!(s, " iif {i}");
    }
    if let Some(o) = &r.oif {
        let _ = write!(s, " oif {o}");
    }
    if let Some(p) = r.suppress_prefixlen.filter(|&p| p != -1) {
        let _ = write!(s, " suppress_prefixlen {p}");
    }
    if let Some(g) = r.suppress_ifgroup {
        let _ = write!(s, " suppress_ifgroup {g}");
    }
    if let Some(t) = r.tunnel_id.filter(|&t| t != 0) {
        let _ = write!(s, " tunnel-id {t}");
    }
    if let Some((a, b)) = r.uid_range {
        let _ = write!(s, " uidrange {a}-{b}");
    }
    if r.l3mdev {
        s.push_str(" l3mdev");
    }
    if let Some(p) = r.protocol {
        let _ = write!(s, " protocol {p}");
    }
    if let Some(p) = r.ip_proto {
        let _ = write!(s, " ipproto {p}");
    }
    if let Some((a, b)) = r.sport {
        let _ = write!(s, " sport {a}-{b}");
    }
    if let Some((a, b)) = r.dport {
        let _ = write!(s, " dport {a}-{b}");
    }
    if let Some(re) = r.realms.filter(|&re| re != 0) {
        let _ = write!(s, " realms {}/{}", re >> 16, re & 0xffff);
    }
    match r.action {
        RuleAction::ToTable => {
            let _ = write!(s, " lookup {}", r.table);
        }
        RuleAction::Goto(t) => {
            let _ = write!(s, " goto {t}");
        }
        RuleAction::Nop => s.push_str(" nop"),
        // FR_ACT_BLACKHOLE/UNREACHABLE/PROHIBIT share the RTN_* numbers
        RuleAction::Blackhole => s.push_str(" type blackhole"),
        RuleAction::Unreachable => s.push_str(" type unreachable"),
        RuleAction::Prohibit => s.push_str(" type prohibit"),
    }
    if r.no_track {
        s.push_str(" no_track");
    }
    if let Some(tg) = &r.track_group {
        let _ = write!(s, " track_group {tg}");
    }
    s
}

#[cfg(test)]
mod tests;

//! The item syntax of `virtual_rules` / `static_rules` (keepalived
//! `alloc_rule`, KEEPALIVED.md §4).
//!
//! A rule without `preference` gets one from keepalived's per-family counter,
//! 16384 downwards in file order over all static and virtual rules (the
//! counter lives in keepalived's process and is never reset, even on reload;
//! here it is recounted from the rules read so far).

use super::route::{
    RTN_BLACKHOLE, RTN_PROHIBIT, RTN_UNREACHABLE, RTPROT_KEEPALIVED, get_realms, parse_route,
    rt_dsfield, rt_group, rt_table, rt_type,
};
#[allow(unused_imports)]
use super::*;
use crate::config::values::{read_unsigned_base, read_unsigned64, strtoul};

/// keepalived's RULE_START_PRIORITY.
const RULE_START_PRIORITY: u32 = 16384;

/// /etc/protocols as netbase installs it (name, number, aliases), for
/// `ipproto NAME` (keepalived uses getprotobyname(3)).
const PROTOCOLS: &[(&str, u32, &[&str])] = &[
    ("ip", 0, &["IP"]),
    ("hopopt", 0, &["HOPOPT"]),
    ("icmp", 1, &["ICMP"]),
    ("igmp", 2, &["IGMP"]),
    ("ggp", 3, &["GGP"]),
    ("ipencap", 4, &["IP-ENCAP"]),
    ("st", 5, &["ST"]),
    ("tcp", 6, &["TCP"]),
    ("egp", 8, &["EGP"]),
    ("igp", 9, &["IGP"]),
    ("pup", 12, &["PUP"]),
    ("udp", 17, &["UDP"]),
    ("hmp", 20, &["HMP"]),
    ("xns-idp", 22, &["XNS-IDP"]),
    ("rdp", 27, &["RDP"]),
    ("iso-tp4", 29, &["ISO-TP4"]),
    ("dccp", 33, &["DCCP"]),
    ("xtp", 36, &["XTP"]),
    ("ddp", 37, &["DDP"]),
    ("idpr-cmtp", 38, &["IDPR-CMTP"]),
    ("ipv6", 41, &["IPv6"]),
    ("ipv6-route", 43, &["IPv6-Route"]),
    ("ipv6-frag", 44, &["IPv6-Frag"]),
    ("idrp", 45, &["IDRP"]),
    ("rsvp", 46, &["RSVP"]),
    ("gre", 47, &["GRE"]),
    ("esp", 50, &["IPSEC-ESP"]),
    ("ah", 51, &["IPSEC-AH"]),
    ("skip", 57, &["SKIP"]),
    ("ipv6-icmp", 58, &["IPv6-ICMP"]),
    ("ipv6-nonxt", 59, &["IPv6-NoNxt"]),
    ("ipv6-opts", 60, &["IPv6-Opts"]),
    ("rspf", 73, &["RSPF", "CPHB"]),
    ("vmtp", 81, &["VMTP"]),
    ("eigrp", 88, &["EIGRP"]),
    ("ospf", 89, &["OSPFIGP"]),
    ("ax.25", 93, &["AX.25"]),
    ("ipip", 94, &["IPIP"]),
    ("etherip", 97, &["ETHERIP"]),
    ("encap", 98, &["ENCAP"]),
    ("pim", 103, &["PIM"]),
    ("ipcomp", 108, &["IPCOMP"]),
    ("vrrp", 112, &["VRRP"]),
    ("l2tp", 115, &["L2TP"]),
    ("isis", 124, &["ISIS"]),
    ("sctp", 132, &["SCTP"]),
    ("fc", 133, &["FC"]),
    ("mobility-header", 135, &["Mobility-Header"]),
    ("udplite", 136, &["UDPLite"]),
    ("mpls-in-ip", 137, &["MPLS-in-IP"]),
    ("manet", 138, &[]),
    ("hip", 139, &["HIP"]),
    ("shim6", 140, &["Shim6"]),
    ("wesp", 141, &["WESP"]),
    ("rohc", 142, &["ROHC"]),
    ("ethernet", 143, &["Ethernet"]),
    ("mptcp", 262, &["MPTCP"]),
];

/// keepalived `inet_proto_a2n`: a number up to 127, or a protocol name.
fn inet_proto(s: &str) -> Option<u32> {
    let t = s.trim_start_matches([' ', '\t', '\n', '\r', '\x0b', '\x0c']);
    if t.is_empty() || t.starts_with('-') {
        return None;
    }
    let (v, rest, _) = strtoul(t, 10);
    if v > i8::MAX as u64 {
        return None;
    }
    if rest.is_empty() {
        return Some(v as u32);
    }
    PROTOCOLS
        .iter()
        .find(|(n, _, aliases)| *n == t || aliases.contains(&t))
        .map(|(_, p, _)| *p)
}

/// One `%u` (`%hu` with `bits` 16) of sscanf: whitespace, a sign, decimal
/// digits; the value truncated to the width as glibc stores it.
fn scan_unsigned(s: &str, bits: u32) -> Option<(u32, &str)> {
    let (v, rest, digits) = strtoul(s, 10);
    if !digits {
        return None;
    }
    let v = if bits == 16 {
        v as u16 as u32
    } else {
        v as u32
    };
    Some((v, rest))
}

/// sscanf(s, "%u-%u") (or `%hu-%hu`): the number of conversions and values.
fn scan_range(s: &str, bits: u32) -> (usize, u32, u32) {
    let Some((a, rest)) = scan_unsigned(s, bits) else {
        return (0, 0, 0);
    };
    let Some(rest) = rest.strip_prefix('-') else {
        return (1, a, 0);
    };
    match scan_unsigned(rest, bits) {
        Some((b, _)) => (2, a, b),
        None => (1, a, 0),
    }
}

/// Rules already given a default preference in this family.
fn auto_preferences(c: &C, fam: Family) -> u32 {
    let cfg = &c.state.cfg;
    let n = cfg
        .static_rules
        .iter()
        .chain(cfg.instances.iter().flat_map(|i| i.vrules.iter()))
        .filter(|r| r.preference_auto && r.family == fam)
        .count();
    n as u32
}

/// keepalived's FR_ACT_* while parsing (`None` = FR_ACT_UNSPEC).
type Action = Option<RuleAction>;

/// keepalived `alloc_rule` for one item of `virtual_rules` (`static_rule`
/// false) or `static_rules` (true, which allows `track_group`). None: the
/// item is dropped (or the parse stopped).
pub fn rule(c: &mut C, item: &[String], static_rule: bool) -> Option<RuleSpec> {
    if c.stopped.is_some() {
        return None;
    }
    let n = item.len();
    let mut r = RuleSpec {
        words: item.to_vec(),
        ..Default::default()
    };
    let mut fam: Option<Family> = None;
    let mut from = None;
    let mut to = None;
    let mut action: Action = None;
    let mut preference: Option<u32> = None;
    let mut table_option = false;
    let mut i = 0;
    macro_rules! arg {
        ($k:expr) => {
            c.arg(item, $k)?
        };
    }
    let mixed = "rule specification has mixed IPv4 and IPv6";
    while i < n {
        let s = item[i].as_str();
        match s {
            "inet6" | "inet" => {
                let (f, msg) = if s == "inet6" {
                    (Family::V6, "inet6 specified for IPv4 rule")
                } else {
                    (Family::V4, "inet specified for IPv6 rule")
                };
                match fam {
                    None => fam = Some(f),
                    Some(x) if x != f => {
                        c.err(GE, msg);
                        return None;
                    }
                    _ => {}
                }
                // keepalived steps here and again at the loop's end: the
                // word after `inet`/`inet6` is skipped.
                i += 1;
            }
            "from" | "to" => {
                i += 1;
                let a = arg!(i);
                let Some(p) = parse_route(c, a) else {
                    c.err(GE, format!("Invalid rule {s} address {a}"));
                    return None;
                };
                match (fam, p.family) {
                    (None, f) => fam = f,
                    (Some(x), f) if f != Some(x) => {
                        c.err(GE, mixed);
                        return None;
                    }
                    _ => {}
                }
                if s == "from" {
                    from = Some(p);
                } else {
                    to = Some(p);
                }
            }
            "table" | "lookup" => {
                i += 1;
                let a = arg!(i);
                let Some(t) = rt_table(a) else {
                    c.err(GE, format!("Routing table {a} not found for rule"));
                    return None;
                };
                if t == 0 {
                    c.err(GE, "Table 0 is not valid");
                    return None;
                }
                r.table = t;
                if action.is_some() {
                    c.err(GE, "Cannot specify more than one of table/nop/goto/blackhole/prohibit/unreachable for rule");
                    return None;
                }
                action = Some(RuleAction::ToTable);
            }
            "not" => r.invert = true,
            "preference" | "order" | "priority" => {
                i += 1;
                let a = arg!(i);
                let Some(v) = read_unsigned_base(c, a, 0, 0, u32::MAX) else {
                    c.err(GE, format!("Invalid rule preference {s} specified"));
                    return None;
                };
                preference = Some(v);
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
            "fwmark" => {
                i += 1;
                let a = arg!(i);
                let Some((mark, mask)) = fwmark(a) else {
                    let t = a.trim_start_matches([' ', '\t', '\n', '\r', '\x0b', '\x0c']);
                    c.err(GE, format!("Invalid rule fwmark {t} specified"));
                    return None;
                };
                r.fwmark = Some(mark);
                r.fwmask = mask;
            }
            "realms" => {
                i += 1;
                let a = arg!(i);
                let Some(v) = get_realms(a) else {
                    c.err(GE, format!("invalid realms {a} for rule"));
                    return None;
                };
                r.realms = Some(v);
                table_option = true;
                match fam {
                    None => fam = Some(Family::V4),
                    Some(Family::V6) => {
                        c.err(GE, "realms is only valid for IPv4");
                        return None;
                    }
                    _ => {}
                }
            }
            "suppress_prefixlength" | "sup_pl" => {
                i += 1;
                let a = arg!(i);
                let Some(v) = read_unsigned_base(c, a, 10, 0, i32::MAX as u32) else {
                    c.err(GE, format!("Invalid suppress_prefixlength {s} specified"));
                    return None;
                };
                r.suppress_prefixlen = Some(v as i32);
                table_option = true;
            }
            "suppress_ifgroup" | "sup_group" => {
                i += 1;
                let a = arg!(i);
                let Some(v) = rt_group(a) else {
                    c.err(GE, format!("suppress_group {a} is invalid"));
                    return None;
                };
                r.suppress_ifgroup = Some(v);
                table_option = true;
            }
            "dev" | "iif" | "oif" => {
                i += 1;
                let a = arg!(i);
                if !interface_known(c, a) {
                    c.err(
                        GE,
                        format!("WARNING - interface {a} for rule doesn't exist"),
                    );
                    return None;
                }
                if s == "oif" {
                    r.oif = Some(a.to_string());
                } else {
                    r.iif = Some(a.to_string());
                }
            }
            "tunnel-id" => {
                i += 1;
                let a = arg!(i);
                let Some(v) = read_unsigned64(c, a) else {
                    c.err(GE, format!("Invalid tunnel-id {s} specified"));
                    return None;
                };
                r.tunnel_id = Some(v);
            }
            "uidrange" => {
                i += 1;
                let a = arg!(i);
                let (k, start, end) = scan_range(a, 32);
                if k != 2 {
                    c.err(GE, format!("Invalid uidrange {s} specified"));
                    return None;
                }
                r.uid_range = Some((start, end));
            }
            "l3mdev" => {
                r.l3mdev = true;
                if action.is_some() {
                    c.err(GE, "Cannot specify l3mdev with other action");
                    return None;
                }
                action = Some(RuleAction::ToTable);
            }
            "protocol" => {
                i += 1;
                let a = arg!(i);
                match read_unsigned_base(c, a, 10, 0, 255) {
                    Some(v) => r.protocol = Some(v as u8),
                    None => {
                        c.err(GE, format!("Invalid protocol {a}"));
                    }
                }
            }
            "ipproto" => {
                i += 1;
                let a = arg!(i);
                match inet_proto(a).filter(|p| *p <= 255) {
                    Some(p) => r.ip_proto = Some(p as u8),
                    None => {
                        c.err(GE, format!("Invalid ipproto {a}"));
                    }
                }
            }
            "sport" | "dport" => {
                i += 1;
                let a = arg!(i);
                // keepalived 2.2.7 takes a single port as a range of one and
                // then still reports it as invalid (kept).
                let (k, start, end) = scan_range(a, 16);
                if k != 2 {
                    c.err(GE, format!("invalid {s} range {a}"));
                } else if s == "sport" {
                    r.sport = Some((start as u16, end as u16));
                } else {
                    r.dport = Some((start as u16, end as u16));
                }
            }
            "no_track" => r.no_track = true,
            "track_group" if static_rule => {
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
            _ => {
                let mut word = s;
                if word == "type" {
                    i += 1;
                    word = arg!(i);
                }
                let act = if word == "goto" {
                    i += 1;
                    let a = arg!(i);
                    let Some(t) = read_unsigned_base(c, a, 10, 0, u32::MAX) else {
                        c.err(GE, format!("Invalid target {word} specified"));
                        return None;
                    };
                    RuleAction::Goto(t)
                } else if word == "nop" {
                    RuleAction::Nop
                } else if let Some(t) = rt_type(word) {
                    match t {
                        RTN_BLACKHOLE => RuleAction::Blackhole,
                        RTN_UNREACHABLE => RuleAction::Unreachable,
                        RTN_PROHIBIT => RuleAction::Prohibit,
                        _ => {
                            c.err(GE, format!("Invalid rule action {word}"));
                            return None;
                        }
                    }
                } else {
                    c.err(GE, format!("Unknown rule option {word}"));
                    return None;
                };
                if action.is_some() {
                    c.err(GE, "Cannot specify more than one of table/nop/goto/blackhole/prohibit/unreachable/l3mdev for rule");
                    return None;
                }
                action = Some(act);
            }
        }
        i += 1;
    }

    if let Some(RuleAction::Goto(target)) = action {
        match preference {
            Some(p) if p >= target => {
                c.err(
                    GE,
                    format!("Invalid rule - preference {p} >= goto target {target}"),
                );
                return None;
            }
            Some(_) => {}
            None => {
                c.err(
                    GE,
                    format!("Invalid rule - goto target {target} specified without preference"),
                );
                return None;
            }
        }
    }

    let Some(action) = action else {
        c.err(GE, "No action specified for rule - ignoring");
        return None;
    };
    r.action = action;

    if action != RuleAction::ToTable && table_option {
        c.err(
            GE,
            "suppressor/realm specified for non table action - skipping",
        );
        return None;
    }

    if r.table != 0 && r.l3mdev {
        c.err(GE, "table cannot be specified for l3mdev rules");
        return None;
    }

    if !r.no_track {
        if r.protocol.is_some_and(|p| p != RTPROT_KEEPALIVED) {
            c.err(
                GE,
                format!("Rule cannot be tracked if protocol is not RTPROT_KEEPALIVED({RTPROT_KEEPALIVED}), resetting protocol"),
            );
        }
        r.protocol = Some(RTPROT_KEEPALIVED);
    }

    if r.track_group.is_some() && r.iif.is_none() {
        c.err(
            GE,
            "Static rule cannot have track_group if dev/iif not specified",
        );
        r.track_group = None;
    }

    let fam = fam.unwrap_or(Family::V4);
    r.family = fam;
    r.from = from.map(|p| p.resolve(fam));
    r.to = to.map(|p| p.resolve(fam));

    match preference {
        Some(p) => r.preference = p,
        None => {
            let p = RULE_START_PRIORITY.wrapping_sub(auto_preferences(c, fam));
            r.preference = p;
            r.preference_auto = true;
            c.err(GE, format!("Rule has no preference specified - setting to {p}. This is probably not what you want."));
        }
    }
    Some(r)
}

/// keepalived's `fwmark MARK[/MASK]` reading (C numbers in any base).
fn fwmark(s: &str) -> Option<(u32, Option<u32>)> {
    let t = s.trim_start_matches([' ', '\t', '\n', '\r', '\x0b', '\x0c']);
    if t.starts_with('-') {
        return None;
    }
    let (mark, mut end, _) = strtoul(t, 0);
    if mark > u32::MAX as u64 {
        return None;
    }
    let mut mask = None;
    if let Some(m) = end.strip_prefix('/') {
        if m.starts_with([' ', '\t', '\n', '\r', '\x0b', '\x0c', '-']) {
            return None;
        }
        let (v, rest, _) = strtoul(m, 0);
        if v > u32::MAX as u64 {
            return None;
        }
        mask = Some(v as u32);
        end = rest;
    }
    if !end.is_empty() {
        return None;
    }
    Some((mark as u32, mask))
}

#[cfg(test)]
mod tests {
    use crate::config::diag::{ErrClass, Level};
    use crate::config::fs::memfs::MemFs;
    use crate::config::host::FakeHost;
    use crate::config::model::*;
    use crate::config::{LoadOptions, Loaded, load};
    use std::net::IpAddr;
    use std::rc::Rc;

    const MAIN: &str = "/etc/keepalived/keepalived.conf";

    fn file(text: &str) -> Loaded {
        let mut fs = MemFs::new();
        fs.add(MAIN, text);
        let opts = LoadOptions {
            config_test: true,
            ..Default::default()
        };
        load(
            &fs,
            Rc::new(FakeHost::with_interfaces(&["eth0", "eth1"])),
            MAIN,
            &opts,
        )
    }

    /// An instance with `virtual_rules { LINES }`.
    fn vr(lines: &str) -> Loaded {
        file(&format!(
            "vrrp_instance VI {{\n interface eth0\n virtual_router_id 1\n virtual_ipaddress {{\n 10.9.9.9\n }}\n virtual_rules {{\n{lines}\n }}\n}}\n"
        ))
    }

    fn msgs(l: &Loaded) -> Vec<&str> {
        l.diags.messages()
    }

    fn rules(l: &Loaded) -> &[RuleSpec] {
        &l.config.instances[0].vrules
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    const NO_PREF: &str =
        "Rule has no preference specified - setting to 16384. This is probably not what you want.";

    #[test]
    fn plain_rule() {
        let l = vr(
            "from 192.168.1.0/24 to 10.0.0.0/8 iif eth0 oif eth1 table 100 preference 100 fwmark 0x10/0xff tos AF11",
        );
        assert!(msgs(&l).is_empty(), "{:?}", msgs(&l));
        let r = &rules(&l)[0];
        assert_eq!(
            (r.from, r.to),
            (Some((ip("192.168.1.0"), 24)), Some((ip("10.0.0.0"), 8)))
        );
        assert_eq!(
            (r.iif.as_deref(), r.oif.as_deref()),
            (Some("eth0"), Some("eth1"))
        );
        assert_eq!(
            (r.table, r.action, r.preference, r.preference_auto),
            (100, RuleAction::ToTable, 100, false)
        );
        assert_eq!(
            (r.fwmark, r.fwmask, r.tos),
            (Some(16), Some(255), Some(0x28))
        );
        assert_eq!((r.protocol, r.family), (Some(18), Family::V4));
    }

    #[test]
    fn default_preferences_count_down_per_family() {
        let l = file(
            "static_rules {\n from 10.0.0.0/8 table 1\n from 2001:db8::/32 table 1\n}\nvrrp_instance VI {\n interface eth0\n virtual_router_id 1\n virtual_ipaddress {\n 10.9.9.9\n }\n virtual_rules {\n to 10.0.0.0/8 table 2\n to 10.1.0.0/16 table 2 preference 7\n to 2001:db9::/32 table 2\n }\n}\n",
        );
        assert_eq!(
            msgs(&l),
            vec![
                NO_PREF,
                NO_PREF,
                "Rule has no preference specified - setting to 16383. This is probably not what you want.",
                "Rule has no preference specified - setting to 16383. This is probably not what you want."
            ]
        );
        let c = ErrClass::GeneralError;
        assert!(l.diags.items.iter().all(|d| d.level == Level::Config(c)));
        let s = &l.config.static_rules;
        assert_eq!(
            (s[0].preference, s[1].preference, s[1].family),
            (16384, 16384, Family::V6)
        );
        let v = rules(&l);
        assert_eq!(
            v.iter().map(|r| r.preference).collect::<Vec<_>>(),
            vec![16383, 7, 16383]
        );
        assert!(v[0].preference_auto && !v[1].preference_auto);
    }

    #[test]
    fn invalid_addresses() {
        let l = vr("to 192.168.200./24 table 2");
        assert_eq!(
            msgs(&l),
            vec![
                "VRRP parsed invalid IP 192.168.200./24. skipping IP...",
                "Invalid rule to address 192.168.200./24"
            ]
        );
        assert!(rules(&l).is_empty());
        let l = vr("from x table 2");
        assert_eq!(
            msgs(&l),
            vec![
                "VRRP parsed invalid IP x. skipping IP...",
                "Invalid rule from address x"
            ]
        );
        let l = vr("from 10.0.0.0/8 to 2001:db8::/32 table 2");
        assert_eq!(msgs(&l), vec!["rule specification has mixed IPv4 and IPv6"]);
        // `all` after the family is known is a mix for keepalived
        let l = vr("from 10.0.0.0/8 to all table 2 preference 1");
        assert_eq!(msgs(&l), vec!["rule specification has mixed IPv4 and IPv6"]);
        let l = vr("from all to 10.0.0.0/8 table 2 preference 1");
        assert!(msgs(&l).is_empty(), "{:?}", msgs(&l));
        assert_eq!(rules(&l)[0].from, Some((ip("0.0.0.0"), 0)));
    }

    #[test]
    fn actions() {
        let l = vr("from 10.0.0.0/8 preference 5");
        assert_eq!(msgs(&l), vec!["No action specified for rule - ignoring"]);
        let l = vr("from 10.0.0.0/8 table unspec");
        assert_eq!(msgs(&l), vec!["Table 0 is not valid"]);
        let l = vr("from 10.0.0.0/8 table nosuch");
        assert_eq!(msgs(&l), vec!["Routing table nosuch not found for rule"]);
        let l = vr("from 10.0.0.0/8 blackhole table 5");
        assert_eq!(
            msgs(&l),
            vec![
                "Cannot specify more than one of table/nop/goto/blackhole/prohibit/unreachable for rule"
            ]
        );
        let l = vr("from 10.0.0.0/8 table 5 type prohibit");
        assert_eq!(
            msgs(&l),
            vec![
                "Cannot specify more than one of table/nop/goto/blackhole/prohibit/unreachable/l3mdev for rule"
            ]
        );
        let l = vr("from 10.0.0.0/8 table 5 l3mdev");
        assert_eq!(msgs(&l), vec!["Cannot specify l3mdev with other action"]);
        let l = vr("from 10.0.0.0/8 unicast");
        assert_eq!(msgs(&l), vec!["Invalid rule action unicast"]);
        let l = vr("from 10.0.0.0/8 bogus");
        assert_eq!(msgs(&l), vec!["Unknown rule option bogus"]);
        let l = vr(
            "from 10.0.0.0/8 unreachable preference 1\n from 10.1.0.0/16 nop preference 2\n from 10.2.0.0/16 6 preference 3",
        );
        assert!(msgs(&l).is_empty(), "{:?}", msgs(&l));
        let a: Vec<_> = rules(&l).iter().map(|r| r.action).collect();
        assert_eq!(
            a,
            vec![
                RuleAction::Unreachable,
                RuleAction::Nop,
                RuleAction::Blackhole
            ]
        );
    }

    #[test]
    fn goto() {
        let l = vr("from 10.0.0.0/8 goto 100");
        assert_eq!(
            msgs(&l),
            vec!["Invalid rule - goto target 100 specified without preference"]
        );
        let l = vr("from 10.0.0.0/8 goto 100 preference 100");
        assert_eq!(
            msgs(&l),
            vec!["Invalid rule - preference 100 >= goto target 100"]
        );
        let l = vr("from 10.0.0.0/8 goto x");
        assert_eq!(
            msgs(&l),
            vec!["invalid number 'x'", "Invalid target goto specified"]
        );
        let l = vr("from 10.0.0.0/8 type goto 100 preference 0x10");
        assert!(msgs(&l).is_empty(), "{:?}", msgs(&l));
        assert_eq!(
            (rules(&l)[0].action, rules(&l)[0].preference),
            (RuleAction::Goto(100), 16)
        );
    }

    #[test]
    fn numbers() {
        let l = vr("from 10.0.0.0/8 table 1 preference -1");
        assert_eq!(
            msgs(&l),
            vec![
                "negative number '-1'",
                "Invalid rule preference preference specified"
            ]
        );
        assert_eq!(
            l.diags.items[0].level,
            Level::Config(ErrClass::InvalidNumber)
        );
        let l = vr("from 10.0.0.0/8 table 1 order 1 fwmark 5/-1");
        assert_eq!(msgs(&l), vec!["Invalid rule fwmark 5/-1 specified"]);
        let l = vr("from 10.0.0.0/8 table 1 order 1 fwmark 0x100000000");
        assert_eq!(msgs(&l), vec!["Invalid rule fwmark 0x100000000 specified"]);
        let l = vr("from 10.0.0.0/8 table 1 order 1 sup_pl 40 tunnel-id x");
        assert_eq!(
            msgs(&l),
            vec![
                "invalid number 'x'",
                "Invalid tunnel-id tunnel-id specified"
            ]
        );
        let l = vr("from 10.0.0.0/8 table 1 order 1 uidrange 100");
        assert_eq!(msgs(&l), vec!["Invalid uidrange uidrange specified"]);
        let l = vr(
            "from 10.0.0.0/8 table 1 order 1 uidrange 100-200 sport 80 dport 1000-2000 ipproto tcp",
        );
        // keepalived 2.2.7 refuses a single port (but keeps the rule)
        assert_eq!(msgs(&l), vec!["invalid sport range 80"]);
        let r = &rules(&l)[0];
        assert_eq!(
            (r.uid_range, r.sport, r.dport, r.ip_proto),
            (Some((100, 200)), None, Some((1000, 2000)), Some(6))
        );
        let l = vr("from 10.0.0.0/8 table 1 order 1 ipproto 200 ipproto mptcp protocol 300");
        assert_eq!(
            msgs(&l),
            vec![
                "Invalid ipproto 200",
                "Invalid ipproto mptcp",
                "number '300' outside range [0, 255]",
                "Invalid protocol 300"
            ]
        );
        assert_eq!(rules(&l).len(), 1);
    }

    #[test]
    fn protocol_is_reset_unless_no_track() {
        let l = vr("from 10.0.0.0/8 table 1 preference 1 protocol 4");
        assert_eq!(
            msgs(&l),
            vec![
                "Rule cannot be tracked if protocol is not RTPROT_KEEPALIVED(18), resetting protocol"
            ]
        );
        assert_eq!(rules(&l)[0].protocol, Some(18));
        let l = vr("from 10.0.0.0/8 table 1 preference 1 protocol 4 no_track");
        assert!(msgs(&l).is_empty());
        assert_eq!(rules(&l)[0].protocol, Some(4));
    }

    #[test]
    fn table_options_need_a_table_action() {
        let l = vr("from 10.0.0.0/8 blackhole preference 1 realms 3");
        assert_eq!(
            msgs(&l),
            vec!["suppressor/realm specified for non table action - skipping"]
        );
        let l = vr("from 2001:db8::/32 table 1 preference 1 realms 3");
        assert_eq!(msgs(&l), vec!["realms is only valid for IPv4"]);
        let l = vr("from 10.0.0.0/8 table 1 preference 1 realms bad/1");
        assert_eq!(msgs(&l), vec!["invalid realms bad/1 for rule"]);
        let l =
            vr("from 10.0.0.0/8 table 1 preference 1 suppress_ifgroup default realms cosmos/20");
        assert!(msgs(&l).is_empty(), "{:?}", msgs(&l));
        assert_eq!(
            (rules(&l)[0].suppress_ifgroup, rules(&l)[0].realms),
            (Some(0), Some(20))
        );
    }

    #[test]
    fn interfaces() {
        let l = vr("from 10.0.0.0/8 table 1 preference 1 iif eth9");
        assert_eq!(
            msgs(&l)[0],
            "WARNING - interface eth9 for rule doesn't exist"
        );
        assert!(l.config.non_existent_interface);
        assert!(rules(&l).is_empty());
    }

    #[test]
    fn inet_swallows_the_next_word() {
        let l = vr("inet6 from 2001:db8::/32 table 1 preference 1");
        assert_eq!(msgs(&l), vec!["Unknown rule option 2001:db8::/32"]);
        let l = vr("from 10.0.0.0/8 inet6 x table 1");
        assert_eq!(msgs(&l), vec!["inet6 specified for IPv4 rule"]);
    }

    #[test]
    fn missing_value_stops_the_parse() {
        let l = vr("from 10.0.0.0/8 table");
        assert_eq!(
            msgs(&l),
            vec![
                "*** Configuration line starting `from` is missing a parameter after keyword `table` at word position 4"
            ]
        );
        assert_eq!(l.config_test_exit_code(), 2);
    }

    #[test]
    fn static_rule_track_group() {
        let l = file(
            "track_group TG {\n group {\n VI\n }\n}\nstatic_rules {\n from 10.0.0.0/8 table 1 preference 1 iif eth0 track_group TG\n from 10.1.0.0/16 table 1 preference 2 track_group TG\n from 10.2.0.0/16 table 1 preference 3 track_group NOPE\n}\nvrrp_instance VI {\n interface eth0\n virtual_router_id 1\n virtual_ipaddress {\n 10.9.9.9\n }\n}\n",
        );
        assert_eq!(
            msgs(&l),
            vec![
                "Static rule cannot have track_group if dev/iif not specified",
                "track_group NOPE not found"
            ]
        );
        let s = &l.config.static_rules;
        assert_eq!(s.len(), 3);
        assert_eq!(s[0].track_group.as_deref(), Some("TG"));
        assert_eq!(s[1].track_group, None);
    }

    #[test]
    fn corpus_005_rules_are_quiet() {
        let l = vr(
            "from 192.168.28.0/24 to 192.168.29.0/26 table default iif eth1 oif eth0 tos 22 fwmark 24/12 preference 39 realms 30/20\n to 1:2:3:4:5:6:7:0/112 from 7:6:5:4:3:2::/96 table 6908 uidrange 10000-19999 preference 16384\n to 1:2:3:4:6:6:7:0/112 from 8:6:5:4:3:2::/96 l3mdev uidrange 10000-19999 preference 16383\n from 1.2.10.0/24 l3mdev preference 16384\n from default to 192.168.31.0/26 table default iif eth1 oif eth0 preference 16382",
        );
        assert!(msgs(&l).is_empty(), "{:?}", msgs(&l));
        let r = rules(&l);
        assert_eq!(r.len(), 5);
        assert_eq!(
            (r[0].table, r[0].realms, r[0].fwmark, r[0].fwmask),
            (253, Some(30 << 16 | 20), Some(24), Some(12))
        );
        assert_eq!(r[1].family, Family::V6);
        assert!(r[2].l3mdev && r[2].table == 0);
        assert_eq!(r[4].from, Some((ip("0.0.0.0"), 0)));
    }
}

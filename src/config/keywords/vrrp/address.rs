//! The address item syntax of `virtual_ipaddress`, `virtual_ipaddress_excluded`
//! and `static_ipaddress` (KEEPALIVED.md §4.1, keepalived `alloc_ipaddress`).

#[allow(unused_imports)]
use super::*;

/// Scope names of /etc/iproute2/rt_scopes (and numbers).
pub(super) fn scope(s: &str) -> Option<u8> {
    Some(match s {
        "global" => 0,
        "site" => 200,
        "link" => 253,
        "host" => 254,
        "nowhere" => 255,
        _ => s.parse::<u8>().ok()?,
    })
}

/// keepalived `alloc_ipaddress` for one item of an address list.
pub fn ip_address(c: &mut C, item: &[String], static_addr: bool) -> Option<IpAddress> {
    let text = item.join(" ");
    let first = item[0].as_str();
    let is6 = first.contains(':');
    let max_prefix = if is6 { 128 } else { 32 };
    let (addr_s, mut prefix) = match first.find('/') {
        Some(p) => {
            let ps = &first[p + 1..];
            let pl = match read_unsigned(c, ps, 0, max_prefix, true) {
                Some(v) => v as u8,
                None => {
                    c.err(GE, format!("Invalid address prefix len {ps} for address {first} - using {max_prefix}"));
                    max_prefix as u8
                }
            };
            (&first[..p], pl)
        }
        None => (first, max_prefix as u8),
    };
    let Some(addr) = (if is6 {
        addr_s.parse().ok().map(IpAddr::V6)
    } else {
        addr_s.parse().ok().map(IpAddr::V4)
    }) else {
        c.err(
            GE,
            format!("VRRP parsed invalid IP {first}. skipping IP..."),
        );
        return None;
    };
    let mut a = IpAddress {
        addr,
        prefix,
        broadcast: None,
        dev: None,
        scope: 0,
        label: None,
        peer: None,
        home: false,
        nodad: false,
        mngtmpaddr: false,
        noprefixroute: false,
        autojoin: false,
        no_track: false,
        preferred_lft: None,
        use_vmac: false,
        text,
    };
    let mut brd: Option<&str> = None;
    let mut preferred_set = false;
    let mut k = 1;
    let mut missing: Option<&str> = None;
    let mut track_group_set = false;
    while k < item.len() {
        let kw = item[k].as_str();
        let avail = item.len() >= k + 2;
        let needs = matches!(
            kw,
            "dev" | "scope" | "broadcast" | "brd" | "label" | "peer" | "preferred_lft"
        ) || (static_addr && kw == "track_group");
        if needs && !avail {
            missing = Some(kw);
            break;
        }
        match kw {
            "dev" => {
                k += 1;
                if a.dev.is_some() {
                    c.err(
                        GE,
                        format!("Cannot specify ipaddress device more than once for {first}"),
                    );
                    return None;
                }
                if !interface_known(c, &item[k]) {
                    c.err(
                        GE,
                        format!(
                            "WARNING - interface {} for ip address {first} doesn't exist",
                            item[k]
                        ),
                    );
                    return None;
                }
                a.dev = Some(item[k].as_str().into());
            }
            "scope" => {
                k += 1;
                match scope(&item[k]) {
                    Some(s) => a.scope = s,
                    None => {
                        c.err(
                            GE,
                            format!(
                                "Invalid scope '{}' specified for {first} - ignoring",
                                item[k]
                            ),
                        )
                        .help("accepted: global, site, link, host, nowhere or a number 0-255");
                    }
                }
            }
            "broadcast" | "brd" => {
                if is6 {
                    c.err(GE, format!("VRRP is trying to assign a broadcast {kw} to the IPv6 address {first} !!?? WTF... skipping VIP..."));
                    return None;
                }
                k += 1;
                let p = item[k].as_str();
                if p != "-" && p != "+" {
                    match p.parse::<std::net::Ipv4Addr>() {
                        Ok(b) => a.broadcast = Some(IpAddr::V4(b)),
                        Err(_) => {
                            c.err(GE, format!("VRRP is trying to assign invalid broadcast {p}. skipping VIP..."));
                            return None;
                        }
                    }
                }
                brd = Some(if p == "-" || p == "+" { p } else { "addr" });
            }
            "label" => {
                k += 1;
                if item[k].len() >= 16 {
                    c.err(
                        GE,
                        format!(
                            "Address label {} is longer than maximum length 15 - removing address",
                            item[k]
                        ),
                    );
                    return None;
                }
                a.label = Some(item[k].as_str().into());
            }
            "peer" => {
                k += 1;
                let p = item[k].as_str();
                if a.peer.is_some() {
                    c.err(
                        GE,
                        format!("Peer {p} - another peer has already been specified"),
                    );
                    // keepalived goes on without stepping over the value,
                    // which is then read as an option of its own.
                    continue;
                }
                // keepalived parses the peer without a prefix (parse_ipaddress
                // with allow_subnet_mask false): `A/24` is an invalid address.
                let pa = if p.contains(':') {
                    p.parse::<std::net::Ipv6Addr>().ok().map(IpAddr::V6)
                } else {
                    p.parse::<std::net::Ipv4Addr>().ok().map(IpAddr::V4)
                };
                match pa {
                    None => {
                        c.err(GE, format!("VRRP parsed invalid IP {p}. skipping IP..."));
                        c.err(GE, format!("Invalid peer address {p}"));
                    }
                    Some(pa) if pa.is_ipv6() != is6 => {
                        c.err(
                            GE,
                            format!("Peer address {p} does not match address family"),
                        );
                    }
                    Some(pa) => {
                        if a.prefix != max_prefix as u8 {
                            c.err(GE, "Cannot specify address prefix when specifying peer address - ignoring");
                        }
                        let pl = max_prefix as u8;
                        a.prefix = pl;
                        prefix = pl;
                        a.peer = Some((pa, pl));
                    }
                }
            }
            "home" => a.home = true,
            "-nodad" => a.nodad = true,
            "mngtmpaddr" => a.mngtmpaddr = true,
            "noprefixroute" => a.noprefixroute = true,
            "autojoin" => a.autojoin = true,
            "no_track" => a.no_track = true,
            "preferred_lft" => {
                k += 1;
                if item[k] == "forever" {
                    a.preferred_lft = None;
                    preferred_set = true;
                } else if let Some(v) = read_unsigned(c, &item[k], 0, u32::MAX as u64, true) {
                    a.preferred_lft = Some(v as u32);
                    preferred_set = true;
                } else {
                    c.err(GE, format!("preferred_lft {} is invalid", item[k]));
                }
            }
            "track_group" if static_addr => {
                k += 1;
                if track_group_set {
                    c.err(GE, format!("track_group {} is a duplicate", item[k]));
                    break;
                }
                track_group_set = c.state.cfg.track_groups.contains(&item[k]);
                if !track_group_set {
                    c.err(GE, format!("track_group {} not found", item[k]));
                }
            }
            "use_vmac" if !static_addr => a.use_vmac = true,
            other => {
                let d = c.err(
                    GE,
                    format!("Unknown configuration entry '{other}' for ip address - ignoring"),
                );
                if parse_ip(other.split('/').next().unwrap_or("")).is_some() {
                    d.help(
                        "a one-line `{ a b }` block is ONE item: put each address on its own line",
                    );
                }
            }
        }
        k += 1;
    }
    if let Some(kw) = missing {
        c.err(GE, format!("No {kw} parameter specified for {first}"));
        return None;
    }
    match brd {
        Some("addr") if a.peer.is_some() => {
            c.err(
                GE,
                "Cannot specify broadcast and peer addresses - ignoring broadcast address",
            );
            a.broadcast = None;
        }
        Some(sign @ ("+" | "-")) => {
            if prefix <= 30 {
                if let IpAddr::V4(v) = a.peer.map(|p| p.0).unwrap_or(a.addr) {
                    let mask = u32::MAX.checked_shr(prefix as u32).unwrap_or(0);
                    let base = u32::from(v);
                    let b = if sign == "+" {
                        base | mask
                    } else {
                        base & !mask
                    };
                    a.broadcast = Some(IpAddr::V4(b.into()));
                }
            } else {
                c.err(
                    GE,
                    format!("Address prefix length {prefix} too long for broadcast"),
                );
            }
        }
        _ => {}
    }
    if static_addr && a.dev.is_none() {
        let default_if = c
            .state
            .cfg
            .global
            .default_interface
            .clone()
            .unwrap_or_else(|| "eth0".into());
        if !interface_known(c, &default_if) {
            c.err(ErrClass::Fatal, format!("Static address {first} requires either an interface or default interface must exist"));
            return None;
        }
        a.dev = Some(default_if.into());
    }
    if is6 {
        if a.scope != 0 {
            c.err(
                GE,
                format!("Cannot specify scope for IPv6 addresses ({first}) - ignoring scope"),
            );
            a.scope = 0;
        }
        if a.label.is_some() {
            c.err(
                GE,
                format!("Cannot specify label for IPv6 addresses ({first}) - ignoring label"),
            );
            a.label = None;
        }
        if !preferred_set {
            a.preferred_lft = if a.prefix == 128 { Some(0) } else { None };
        }
    }
    Some(a)
}

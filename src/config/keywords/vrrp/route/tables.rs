//! The iproute2 name tables keepalived knows (route types, rt_tables, rt_dsfield,
//! rt_realms, rt_protos, rt_scopes, group) and their lookups.

use super::*;

/// RTN_* route types by name (keepalived's `rtntypes`).
pub(crate) const RTN_TYPES: &[(&str, u8)] = &[
    ("local", 2),
    ("nat", 10),
    ("broadcast", 3),
    ("brd", 3),
    ("anycast", 4),
    ("multicast", 5),
    ("prohibit", 8),
    ("unreachable", 7),
    ("blackhole", 6),
    ("xresolve", 11),
    ("unicast", 1),
    ("throw", 9),
];

pub(crate) const RTN_BLACKHOLE: u8 = 6;
pub(crate) const RTN_UNREACHABLE: u8 = 7;
pub(crate) const RTN_PROHIBIT: u8 = 8;

// The name tables keepalived reads from /etc/iproute2 (rt_tables, rt_dsfield,
// rt_realms, rt_protos, rt_scopes, group), as a stock iproute2 installs them
// (Debian's, where the reference answers were recorded), merged with
// keepalived's built-in defaults. Names a site adds to those files are not
// seen here.
pub(crate) const RT_TABLES: &[(u32, &str)] = &[
    (255, "local"),
    (254, "main"),
    (253, "default"),
    (0, "unspec"),
];
pub(crate) const RT_DSFIELD: &[(u32, &str)] = &[
    (0x00, "default"),
    (0x28, "AF11"),
    (0x30, "AF12"),
    (0x38, "AF13"),
    (0x48, "AF21"),
    (0x50, "AF22"),
    (0x58, "AF23"),
    (0x68, "AF31"),
    (0x70, "AF32"),
    (0x78, "AF33"),
    (0x88, "AF41"),
    (0x90, "AF42"),
    (0x98, "AF43"),
    (0x20, "CS1"),
    (0x40, "CS2"),
    (0x60, "CS3"),
    (0x80, "CS4"),
    (0xA0, "CS5"),
    (0xC0, "CS6"),
    (0xE0, "CS7"),
    (0xB8, "EF"),
];
pub(crate) const RT_REALMS: &[(u32, &str)] = &[(0, "cosmos")];
pub(crate) const RT_PROTOS: &[(u32, &str)] = &[
    (0, "unspec"),
    (1, "redirect"),
    (2, "kernel"),
    (3, "boot"),
    (4, "static"),
    (8, "gated"),
    (9, "ra"),
    (10, "mrt"),
    (11, "zebra"),
    (12, "bird"),
    (13, "dnrouted"),
    (14, "xorp"),
    (15, "ntk"),
    (16, "dhcp"),
    (18, "keepalived"),
    (42, "babel"),
    (99, "openr"),
    (186, "bgp"),
    (187, "isis"),
    (188, "ospf"),
    (189, "rip"),
    (192, "eigrp"),
];
pub(crate) const RT_SCOPES: &[(u32, &str)] = &[
    (0, "global"),
    (255, "nowhere"),
    (254, "host"),
    (253, "link"),
    (200, "site"),
];
pub(crate) const RT_GROUPS: &[(u32, &str)] = &[(0, "default")];

/// keepalived `find_entry`: a number (any C base) up to `max`, or a name of
/// the table.
pub(crate) fn find_entry(name: &str, table: &[(u32, &str)], max: u32) -> Option<u32> {
    let (v, rest, digits) = strtoul(name, 0);
    if digits && rest.is_empty() {
        let id = v as u32;
        return (id <= max).then_some(id);
    }
    table.iter().find(|(_, n)| *n == name).map(|(id, _)| *id)
}

pub(crate) fn rt_table(name: &str) -> Option<u32> {
    find_entry(name, RT_TABLES, u32::MAX)
}

pub(crate) fn rt_dsfield(name: &str) -> Option<u8> {
    find_entry(name, RT_DSFIELD, 255).map(|v| v as u8)
}

pub(crate) fn rt_proto(name: &str) -> Option<u8> {
    find_entry(name, RT_PROTOS, 255).map(|v| v as u8)
}

pub(crate) fn rt_scope(name: &str) -> Option<u8> {
    find_entry(name, RT_SCOPES, 255).map(|v| v as u8)
}

pub(crate) fn rt_group(name: &str) -> Option<u32> {
    find_entry(name, RT_GROUPS, i32::MAX as u32)
}

/// keepalived `find_rttables_rtntype`.
pub(crate) fn rt_type(s: &str) -> Option<u8> {
    if let Some((_, t)) = RTN_TYPES.iter().find(|(n, _)| *n == s) {
        return Some(*t);
    }
    let (v, rest, _) = strtoul(s, 0);
    (rest.is_empty() && v <= 255 && !s.starts_with('-')).then_some(v as u8)
}

/// keepalived `get_realms`: `[FROM/]TO`, each a number 0..255 or an
/// rt_realms name; FROM goes in the high 16 bits.
pub(crate) fn get_realms(s: &str) -> Option<u32> {
    match s.split_once('/') {
        None => find_entry(s, RT_REALMS, 255),
        Some((a, b)) => {
            let hi = find_entry(a, RT_REALMS, 255)?;
            let lo = find_entry(b, RT_REALMS, 255)?;
            Some(hi << 16 | lo)
        }
    }
}

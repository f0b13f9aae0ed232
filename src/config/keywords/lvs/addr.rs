//! Socket addresses as keepalived's checker reads and prints them
//! (`inet_stosockaddr`, `inet_stor`, `inet_sockaddrtotrio`), and the C
//! number parsing some LVS keywords rely on.

use super::C;
use crate::config::diag::ErrClass;
use crate::config::values;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// Address family.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Fam {
    V4,
    V6,
}

/// An address with its port (keepalived `sockaddr_t`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct SockAddr {
    pub ip: IpAddr,
    pub port: u16,
}

impl SockAddr {
    pub fn fam(&self) -> Fam {
        if self.ip.is_ipv4() { Fam::V4 } else { Fam::V6 }
    }
    /// keepalived `inet_sockaddrtotrio`: `[ADDR]:PROTO:PORT`.
    pub fn trio(&self, proto: &str) -> String {
        format!("[{}]:{proto}:{}", self.ip, self.port)
    }
    /// An IPv6 link-local address (a checker then needs `bind_if`).
    pub fn is_link_local(&self) -> bool {
        matches!(self.ip, IpAddr::V6(a) if a.segments()[0] & 0xffc0 == 0xfe80)
    }
}

/// keepalived `inet_stosockaddr`: the family comes from a ':' in `ip`, the
/// port is read first (its errors reported), anything from the first '-'
/// (else '/') is ignored. `None` when invalid.
pub(super) fn stosockaddr(c: &mut C, ip: &str, port: Option<&str>) -> Option<SockAddr> {
    let v6 = ip.contains(':');
    let mut p = 0;
    if let Some(ps) = port {
        p = values::read_unsigned(c, ps, 1, 65535, true)? as u16;
    }
    let cut = ip.find('-').or_else(|| ip.find('/')).unwrap_or(ip.len());
    let text = &ip[..cut];
    let addr = if v6 {
        text.parse::<Ipv6Addr>().ok().map(IpAddr::V6)
    } else {
        text.parse::<Ipv4Addr>().ok().map(IpAddr::V4)
    };
    addr.map(|ip| SockAddr { ip, port: p })
}

/// The address as one number (for range comparisons).
pub(super) fn ip_bits(ip: IpAddr) -> u128 {
    match ip {
        IpAddr::V4(a) => u32::from(a) as u128,
        IpAddr::V6(a) => u128::from(a),
    }
}

/// The last address of `ip/mask`, or `None` when `ip` has host bits set.
/// (keepalived treats an IPv4 `/32` like an IPv6 prefix, which passes.)
pub(super) fn mask_range(ip: IpAddr, mask: u32) -> Option<IpAddr> {
    match ip {
        IpAddr::V4(a) if mask < 32 => {
            let host = u32::MAX >> mask;
            let v = u32::from(a);
            (v & host == 0).then(|| IpAddr::V4(Ipv4Addr::from(v | host)))
        }
        IpAddr::V4(_) => Some(ip),
        IpAddr::V6(a) if mask < 128 => {
            let host = u128::MAX >> mask;
            let v = u128::from(a);
            (v & host == 0).then(|| IpAddr::V6(Ipv6Addr::from(v | host)))
        }
        IpAddr::V6(_) => Some(ip),
    }
}

/// `ip` with its last octet (IPv4) or 16-bit group (IPv6) replaced by
/// `last`, and the original last part.
pub(super) fn with_last_part(ip: IpAddr, last: u32) -> (IpAddr, u32) {
    match ip {
        IpAddr::V4(a) => {
            let o = a.octets();
            (
                IpAddr::V4(Ipv4Addr::new(o[0], o[1], o[2], last as u8)),
                o[3] as u32,
            )
        }
        IpAddr::V6(a) => {
            let mut s = a.segments();
            let first = s[7] as u32;
            s[7] = last as u16;
            (IpAddr::V6(Ipv6Addr::from(s)), first)
        }
    }
}

/// keepalived `inet_stor`: the `-END` of a group range. `Ok(None)` without
/// a range; `Err` when the entry is dropped (the reason reported).
pub(super) fn inet_stor(c: &mut C, addr: &str) -> Result<Option<u32>, ()> {
    let Some(dash) = addr.find('-') else {
        return Ok(None);
    };
    let v6 = addr.contains(':');
    let tail = &addr[dash + 1..];
    let (range, rest, _) = crate::config::values::strtoul(tail, if v6 { 16 } else { 10 });
    let warn = if c.config_test { "" } else { "WARNING - " };
    if !rest.is_empty() {
        c.err(
            ErrClass::InvalidNumber,
            format!(
                "{warn}Virtual server group range '{addr}' has extra characters at end '{rest}'"
            ),
        );
        return if c.config_test {
            Err(())
        } else {
            Ok(Some(range as u32))
        };
    }
    if (v6 && range > 0xffff) || (!v6 && range > 255) {
        c.err(
            ErrClass::InvalidNumber,
            format!("Virtual server group range '{addr}' end '{tail}' too large"),
        );
        return Err(());
    }
    Ok(Some(range as u32))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strtoul_like_c() {
        assert_eq!(crate::config::values::strtoul("25x", 10), (25, "x", true));
        assert_eq!(crate::config::values::strtoul("x", 10), (0, "x", false));
        assert_eq!(crate::config::values::strtoul("ff", 16), (255, "", true));
        assert_eq!(
            crate::config::values::strtoul("-1", 10),
            (u64::MAX, "", true)
        );
    }

    #[test]
    fn inet_aton_forms() {
        assert_eq!(
            crate::config::values::inet_aton("255.255.255.0"),
            Some(0xffff_ff00)
        );
        assert_eq!(
            crate::config::values::inet_aton("255.255.65280"),
            Some(0xffff_ff00)
        );
        assert_eq!(
            crate::config::values::inet_aton("0xffffff00"),
            Some(0xffff_ff00)
        );
        assert_eq!(crate::config::values::inet_aton("1.2.3.256"), None);
        assert_eq!(crate::config::values::inet_aton("1..2"), None);
        assert_eq!(crate::config::values::inet_aton("abc"), None);
    }

    #[test]
    fn masks() {
        let ip: IpAddr = "10.0.0.0".parse().unwrap();
        assert_eq!(mask_range(ip, 24), Some("10.0.0.255".parse().unwrap()));
        assert_eq!(mask_range("10.0.0.1".parse().unwrap(), 24), None);
        assert_eq!(
            mask_range("10.0.0.1".parse().unwrap(), 32),
            Some("10.0.0.1".parse().unwrap())
        );
        assert_eq!(
            mask_range("2001:db8::".parse().unwrap(), 64),
            Some("2001:db8::ffff:ffff:ffff:ffff".parse().unwrap())
        );
    }
}

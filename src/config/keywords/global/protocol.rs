//! VRRP protocol defaults, interfaces, firewall and socket buffers.

#[allow(unused_imports)]
use super::*;

// Interfaces

pub(super) fn dynamic_interfaces(c: &mut C<'_, '_>, w: &[String]) {
    g(c).dynamic_interfaces = true;
    if let Some(opt) = w.get(1) {
        if opt == "allow_if_changes" {
            g(c).allow_if_changes = true;
        } else {
            general(c, format!("Unknown dynamic_interfaces option '{opt}'"));
        }
    }
}

pub(super) fn default_interface(c: &mut C<'_, '_>, w: &[String]) {
    match w.get(1) {
        Some(v) => g(c).default_interface = Some(v.clone()),
        None => general(c, "default_interface requires interface name".into()),
    }
}

pub(super) fn disable_local_igmp(c: &mut C<'_, '_>, _w: &[String]) {
    // keepalived: access(path, W_OK); we run as root, so existence decides.
    if c.state
        .host
        .owner(Path::new(IGMP_LINK_LOCAL_MCAST_REPORTS), true)
        .is_err()
    {
        general(
            c,
            format!("kernel does not support {IGMP_LINK_LOCAL_MCAST_REPORTS}"),
        );
        return;
    }
    g(c).disable_local_igmp = true;
}

// VRRP protocol defaults

/// `v3_checksum_as_v2`: a keepalived 2.2.8+ keyword (2.2.7 reports it as
/// unknown). keepalived reads no argument: even `off` sets it.
pub(super) fn v3_checksum_as_v2(c: &mut C<'_, '_>, _w: &[String]) {
    g(c).v3_checksum_as_v2 = true;
}

pub(super) fn mcast_group(c: &mut C<'_, '_>, w: &[String], v6: bool) {
    let Some(v) = c.arg(w, 1) else { return };
    let kw = if v6 {
        "vrrp_mcast_group6"
    } else {
        "vrrp_mcast_group4"
    };
    let Some(addr) = inet_pton_ka(v) else {
        general(c, format!("Can't parse {kw} [{v}]. Skipping"));
        return;
    };
    if addr.is_ipv6() != v6 {
        general(
            c,
            format!(
                "{kw} [{v}] is not {}. Skipping",
                if v6 { "IPv6" } else { "IPv4" }
            ),
        );
        return;
    }
    if !addr.is_multicast() {
        general(c, format!("{kw} [{v}] is not multicast. Skipping"));
        return;
    }
    if let IpAddr::V6(a) = addr {
        // An IPv6 multicast group should be link-local (ff02::/16 scope).
        if a.octets()[1] & 0x0f != 0x02 {
            c.err(
                ErrClass::Warning,
                format!("{kw} [{v}] should be link-local multicast."),
            );
        }
        g(c).mcast_group6 = addr;
    } else {
        g(c).mcast_group4 = addr;
    }
}

pub(super) fn garp_master_delay(c: &mut C<'_, '_>, w: &[String]) {
    let Some(v) = c.arg(w, 1) else { return };
    match read_unsigned(c, v, 0, MAX_SECS, true) {
        Some(n) => g(c).garp.master_delay = n as u32,
        None => general(
            c,
            format!("vrrp_garp_master_delay '{v}' invalid - ignoring"),
        ),
    }
}

pub(super) fn garp_master_repeat(c: &mut C<'_, '_>, w: &[String]) {
    let Some(v) = c.arg(w, 1) else { return };
    let Some(mut n) = read_unsigned(c, v, 0, u32::MAX as u64, true) else {
        general(
            c,
            format!("vrrp_garp_master_repeat '{v}' invalid - ignoring"),
        );
        return;
    };
    if n == 0 {
        general(
            c,
            "vrrp_garp_master_repeat must be greater than 0, setting to 1".into(),
        );
        n = 1;
    }
    g(c).garp.master_repeat = n as u32;
}

pub(super) fn garp_master_refresh(c: &mut C<'_, '_>, w: &[String]) {
    let Some(v) = c.arg(w, 1) else { return };
    match read_unsigned(c, v, 0, u32::MAX as u64, true) {
        Some(n) => g(c).garp.master_refresh = n as u32,
        None => {
            general(
                c,
                format!("Invalid vrrp_garp_master_refresh '{v}' - ignoring"),
            );
            // keepalived turns refreshing off despite "ignoring".
            g(c).garp.master_refresh = 0;
        }
    }
}

pub(super) fn garp_master_refresh_repeat(c: &mut C<'_, '_>, w: &[String]) {
    let Some(v) = c.arg(w, 1) else { return };
    let Some(mut n) = read_unsigned(c, v, 0, u32::MAX as u64, true) else {
        general(
            c,
            format!("vrrp_garp_master_refresh_repeat '{v}' invalid - ignoring"),
        );
        return;
    };
    if n == 0 {
        general(
            c,
            "vrrp_garp_master_refresh_repeat must be greater than 0, setting to 1".into(),
        );
        n = 1;
    }
    g(c).garp.master_refresh_repeat = n as u32;
}

pub(super) fn garp_lower_prio_delay(c: &mut C<'_, '_>, w: &[String]) {
    let Some(v) = c.arg(w, 1) else { return };
    match read_unsigned(c, v, 0, MAX_SECS, true) {
        Some(n) => g(c).garp.lower_prio_delay = Some(n as u32),
        None => general(
            c,
            format!("vrrp_garp_lower_prio_delay '{v}' invalid - ignoring"),
        ),
    }
}

pub(super) fn garp_lower_prio_repeat(c: &mut C<'_, '_>, w: &[String]) {
    let Some(v) = c.arg(w, 1) else { return };
    match read_unsigned(c, v, 0, i32::MAX as u64, true) {
        Some(n) => g(c).garp.lower_prio_repeat = Some(n as u32),
        None => general(c, format!("Invalid vrrp_garp_lower_prio_repeat '{v}'")),
    }
}

pub(super) fn down_timer_adverts(c: &mut C<'_, '_>, w: &[String]) {
    let Some(v) = c.arg(w, 1) else { return };
    match read_unsigned(c, v, 1, 100, true) {
        Some(n) => g(c).down_timer_adverts = n as u32,
        None => general(c, format!("Invalid vrrp_down_timer_adverts [1:100] '{v}'")),
    }
}

pub(super) fn garp_gna_interval(c: &mut C<'_, '_>, w: &[String], gna: bool) {
    let Some(v) = c.arg(w, 1) else { return };
    let kw = if gna {
        "vrrp_gna_interval"
    } else {
        "vrrp_garp_interval"
    };
    match read_decimal(c, v, 1, u32::MAX as u64, 6, true) {
        Some(us) if gna => g(c).gna_interval_us = us,
        Some(us) => g(c).garp_interval_us = us,
        None => {
            c.err(ErrClass::GeneralError, format!("{kw} '{v}' is invalid"))
                .help("give a time in seconds from 0.000001 to 4294.967295, or leave the keyword out for no minimum gap");
        }
    }
    // keepalived checks the value in force, so an invalid value after a
    // large one repeats the warning.
    let now = if gna {
        g(c).gna_interval_us
    } else {
        g(c).garp_interval_us
    };
    if now >= TIMER_HZ {
        c.log(format!("The {kw} is very large - {v} seconds"));
    }
}

pub(super) fn min_garp(c: &mut C<'_, '_>, w: &[String]) {
    if let Some(v) = w.get(1) {
        match check_true_false(v) {
            None => {
                general(c, "Invalid value for vrrp_min_garp specified".into());
                return;
            }
            Some(false) => return,
            Some(true) => {}
        }
    }
    // One gratuitous ARP/NA and no repeats, but only where the values are
    // still keepalived's defaults (compared by value, as keepalived does).
    let t = &mut g(c).garp;
    if t.master_repeat == 5 {
        t.master_repeat = 1;
    }
    // (keepalived also resets master_refresh when it is still 0: a no-op.)
    if t.master_refresh_repeat == 1 {
        t.master_refresh_repeat = 0;
    }
    if t.master_delay == 5 {
        t.master_delay = 0;
    }
}

pub(super) fn garp_extra_if(c: &mut C<'_, '_>, w: &[String]) {
    let cmd = w[0].as_str();
    if cmd == "vrrp_vmac_garp_intvl" {
        // Deprecated after v2.2.2.
        c.err(
            ErrClass::Deprecated,
            "Keyword \"vrrp_vmac_garp_intvl\" is deprecated - please use \"vrrp_garp_extra_if\"",
        );
    }
    let mut delay = 0;
    for v in &w[1..] {
        if v == "all" {
            g(c).garp_extra_if_all = true;
        } else {
            match read_unsigned(c, v, 1, 86400, true) {
                Some(n) => delay = n as u32,
                None => {
                    general(c, format!("{cmd} '{v}' invalid - ignoring"));
                    return;
                }
            }
        }
    }
    if delay == 0 {
        general(c, format!("{cmd} specified without time - ignoring"));
        return;
    }
    g(c).garp_extra_if_s = delay;
}

pub(super) fn vrrp_version(c: &mut C<'_, '_>, w: &[String]) {
    let Some(v) = c.arg(w, 1) else { return };
    match read_int(c, v, 2, 3, true) {
        Some(n) => g(c).vrrp_version = n as u8,
        None => general(c, "VRRP Error: Version must be either 2 or 3".into()),
    }
}

pub(super) fn startup_delay(c: &mut C<'_, '_>, w: &[String]) {
    let Some(v) = c.arg(w, 1) else { return };
    match read_decimal(c, v, TIMER_HZ / 1000, u32::MAX as u64, 6, true) {
        Some(us) => g(c).startup_delay_us = us,
        None => general(c, format!("vrrp_startup_delay '{v}' is invalid")),
    }
    if g(c).startup_delay_us >= 60 * TIMER_HZ {
        c.log(format!(
            "The vrrp_startup_delay is very large - {v} seconds"
        ));
    }
}

pub(super) fn vmac_prefix(c: &mut C<'_, '_>, w: &[String], addr: bool) {
    let Some(v) = c.arg(w, 1) else { return };
    let g = g(c);
    let slot = if addr {
        &mut g.vmac_addr_prefix
    } else {
        &mut g.vmac_prefix
    };
    if slot.is_none() {
        *slot = Some(v.to_string());
        return;
    }
    let what = if addr {
        "vmac_addr prefix"
    } else {
        "vmac prefix"
    };
    general(
        c,
        format!("{what} has already been specified - ignoring {v}"),
    );
}

// Firewall (this build: nftables only)

pub(super) fn vrrp_iptables(c: &mut C<'_, '_>, _w: &[String]) {
    general(
        c,
        "iptables not supported, using nftables instead. Please replace 'vrrp_iptables and 'vrrp_ipsets' with 'nftables' config option"
            .into(),
    );
    let g = g(c);
    g.nftables = Some(DEFAULT_NFTABLES_TABLE.into());
    g.nftables_priority = -1;
}

pub(super) fn nftables(c: &mut C<'_, '_>, w: &[String], ipvs: bool) {
    let pre = if ipvs { "ipvs " } else { "" };
    let set = if ipvs {
        g(c).nftables_ipvs.is_some()
    } else {
        g(c).nftables.is_some()
    };
    if set {
        general(c, format!("{pre}nftables already specified - ignoring"));
        return;
    }
    let name = match w.get(1) {
        Some(n) if n.len() >= NFT_TABLE_MAXNAMELEN => {
            general(c, format!("{pre}nftables table name too long - ignoring"));
            return;
        }
        Some(n) => n.clone(),
        None if ipvs => DEFAULT_NFTABLES_IPVS_TABLE.into(),
        None => DEFAULT_NFTABLES_TABLE.into(),
    };
    let g = g(c);
    if ipvs {
        g.nftables_ipvs = Some(name);
        g.nftables_ipvs_priority = -1;
        g.nftables_ipvs_start_fwmark = DEFAULT_IPVS_NF_START_FWMARK;
    } else {
        g.nftables = Some(name);
        g.nftables_priority = -1;
    }
}

pub(super) fn nftables_priority(c: &mut C<'_, '_>, w: &[String], ipvs: bool) {
    let Some(v) = c.arg(w, 1) else { return };
    match read_int(c, v, i32::MIN as i64, i32::MAX as i64, false) {
        Some(p) if ipvs => g(c).nftables_ipvs_priority = p as i32,
        Some(p) => g(c).nftables_priority = p as i32,
        None => {
            let pre = if ipvs { "ipvs " } else { "" };
            c.err(
                ErrClass::InvalidNumber,
                format!("invalid {pre}nftables chain priority '{v}'"),
            );
        }
    }
}

pub(super) fn nftables_ipvs_start_fwmark(c: &mut C<'_, '_>, w: &[String]) {
    let Some(v) = c.arg(w, 1) else { return };
    match read_unsigned(c, v, 1, u32::MAX as u64, false) {
        Some(n) => g(c).nftables_ipvs_start_fwmark = n as u32,
        None => {
            c.err(
                ErrClass::InvalidNumber,
                format!("invalid ipvs nftables start_fwmark priority '{v}'"),
            );
        }
    }
}

// Socket buffers

/// keepalived `get_netlink_rcv_bufs_size`: `None` when missing, invalid or 0.
pub(super) fn rcv_bufs(c: &mut C<'_, '_>, w: &[String], ty: &str) -> Option<u32> {
    let Some(v) = w.get(1) else {
        general(c, format!("{ty}_rcv_bufs size missing"));
        return None;
    };
    let Some(n) = read_unsigned(c, v, 0, u32::MAX as u64, false) else {
        general(c, format!("{ty}_rcv_bufs size ({v}) invalid"));
        return None;
    };
    (n != 0).then_some(n as u32)
}

pub(super) fn rx_bufs_policy(c: &mut C<'_, '_>, w: &[String]) {
    if w.len() < 2 {
        general(c, "vrrp_rx_bufs_policy missing".into());
        return;
    }
    for v in &w[1..] {
        if v.eq_ignore_ascii_case("MTU") {
            g(c).rx_bufs_policy |= RX_BUFS_MTU;
        } else if v.eq_ignore_ascii_case("ADVERT") {
            g(c).rx_bufs_policy |= RX_BUFS_ADVERT;
        } else {
            // keepalived always reads the size from the first word.
            match read_unsigned(c, &w[1], 0, u32::MAX as u64, false) {
                None => general(c, format!("Invalid vrrp_rx_bufs_policy {v}")),
                Some(n) => {
                    let g = g(c);
                    g.rx_bufs_size = n as u32;
                    g.rx_bufs_policy |= RX_BUFS_SIZE;
                }
            }
        }
    }
    let p = g(c).rx_bufs_policy;
    if p & RX_BUFS_SIZE != 0 && p & (RX_BUFS_MTU | RX_BUFS_ADVERT) != 0 {
        general(
            c,
            "Cannot set vrrp_rx_bufs_policy size and policy, ignoring policy".into(),
        );
        g(c).rx_bufs_policy &= !(RX_BUFS_MTU | RX_BUFS_ADVERT);
    } else if p & RX_BUFS_MTU != 0 && p & RX_BUFS_ADVERT != 0 {
        general(
            c,
            "Cannot set both vrrp_rx_bufs_policy MTU and ADVERT, ignoring ADVERT".into(),
        );
        g(c).rx_bufs_policy &= !RX_BUFS_ADVERT;
    }
}

pub(super) fn rx_bufs_multiplier(c: &mut C<'_, '_>, w: &[String]) {
    if w.len() != 2 {
        general(c, "Invalid vrrp_rx_bufs_multiplier".into());
        return;
    }
    let v = &w[1];
    match read_unsigned(c, v, 1, u32::MAX as u64, false) {
        Some(n) => g(c).rx_bufs_multiplier = n as u32,
        None => general(c, format!("Invalid vrrp_rx_bufs_multiplier {v}")),
    }
}

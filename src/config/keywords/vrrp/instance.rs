//! `vrrp_instance` keywords and the address item syntax (KEEPALIVED.md §4, §4.1).

#[allow(unused_imports)]
use super::*;

// ---------------------------------------------------------------- vrrp_instance

pub(super) fn instance(c: &mut C, w: &[String]) {
    if w.len() != 2 {
        c.err(GE, "vrrp_instance must have a name");
        c.skip_block(true);
        return;
    }
    if c.state.instance_index.contains_key(&w[1]) {
        c.err(GE, format!("vrrp instance {} already defined", w[1]));
        c.skip_block(true);
        return;
    }
    let mut i = VrrpInstance::new(w[1].clone());
    i.loc = c.loc;
    if c.state.cfg.global.skip_check_adv_addr {
        i.skip_check_adv_addr = Some(true);
    }
    // keepalived (2.2.8+) alloc_vrrp copies the global flag into each new
    // instance: a later global_defs does not reach earlier instances.
    if c.state.cfg.global.v3_checksum_as_v2 {
        i.v3_checksum_as_v2 = Some(true);
    }
    c.state.cfg.instances.push(i);
    let idx = c.state.cfg.instances.len() - 1;
    c.state.instance_index.insert(w[1].clone(), idx);
}

pub(super) fn instance_end(c: &mut C) {
    let name = iname(c);
    let i = inst(c);
    let vmac = i.use_vmac.is_some() || i.use_ipvlan;
    if i.unicast_configured && vmac {
        if i.interface.is_none() {
            i.use_vmac = None;
            i.use_ipvlan = false;
            c.err(GE, format!("({name}): Cannot use VMAC/ipvlan with unicast and no interface - clearing use_vmac"));
        } else if !i.vmac_xmit_base {
            i.vmac_xmit_base = true;
            c.err(
                GE,
                format!("({name}) unicast with use_vmac requires vmac_xmit_base - setting"),
            );
        }
    }
    let i = inst(c);
    if i.unicast_peers.is_empty() && i.unicast_ttl.is_some() {
        i.unicast_ttl = None;
        c.err(
            GE,
            format!("({name}): Cannot use unicast_ttl without unicast peers - resetting"),
        );
    }
}

/// Flags without a value (or whose value keepalived ignores).
pub(super) fn flag(c: &mut C, w: &[String]) {
    let i = inst(c);
    match w[0].as_str() {
        "use_vmac_addr" => i.use_vmac_addr = true,
        "vmac_xmit_base" => i.vmac_xmit_base = true,
        "unicast_fault_no_peer" => {
            i.unicast_configured = true;
            i.unicast_fault_no_peer = true;
        }
        "check_unicast_src" => {
            i.unicast_configured = true;
            i.check_unicast_src = Some(true);
        }
        "dont_track_primary" => i.dont_track_primary = true,
        "track_src_ip" => i.track_src_ip = true,
        "promote_secondaries" => i.promote_secondaries = true,
        "accept" => i.accept = Some(true),
        "no_accept" => i.accept = Some(false),
        "preempt" => i.nopreempt = false,
        "nopreempt" => i.nopreempt = true,
        _ => {}
    }
}

/// `KEYWORD [BOOL]`: no value means true.
pub(super) fn bool_opt(c: &mut C, w: &[String]) {
    let name = iname(c);
    let kw = w[0].as_str();
    let v = match w.get(1) {
        None => true,
        Some(a) => match check_true_false(a) {
            Some(b) => b,
            None => {
                let msg = match kw {
                    "notify_priority_changes" => format!(
                        "({name}) Invalid value '{a}' for notify_priority_changes specified"
                    ),
                    _ => format!("({name}) invalid {kw} {a} specified"),
                };
                c.err(GE, msg)
                    .help("accepted: on|off|true|false|yes|no (lower case)");
                return;
            }
        },
    };
    let i = inst(c);
    match kw {
        // keepalived 2.2.7 bug kept for compatibility: any valid BOOL, even
        // `off`, turns skip_check_adv_addr on (KEEPALIVED.md trip-up 12).
        "skip_check_adv_addr" => i.skip_check_adv_addr = Some(true),
        "strict_mode" => i.strict_mode = Some(v),
        "lower_prio_no_advert" => i.lower_prio_no_advert = Some(v),
        "higher_prio_send_advert" => i.higher_prio_send_advert = Some(v),
        "notify_priority_changes" => i.notify_priority_changes = Some(v),
        "v3_checksum_as_v2" => i.v3_checksum_as_v2 = Some(v),
        _ => {}
    }
}

pub(super) fn dev_name_valid(name: &str) -> bool {
    !name.is_empty()
        && name.len() < 16
        && name != "."
        && name != ".."
        && !name
            .chars()
            .any(|ch| ch == '/' || ch == ':' || ch.is_whitespace())
}

pub(super) fn parse_mac(s: &str) -> Option<[u8; 6]> {
    let parts: Vec<&str> = s.split(':').collect();
    if !(5..=6).contains(&parts.len()) {
        return None;
    }
    let mut mac = [0u8; 6];
    for (k, p) in parts.iter().enumerate() {
        if p.is_empty() && k == 5 {
            continue;
        }
        if p.is_empty() || p.len() > 2 {
            return None;
        }
        mac[k] = u8::from_str_radix(p, 16).ok()?;
    }
    Some(mac)
}

pub(super) fn use_vmac(c: &mut C, w: &[String]) {
    let name = iname(c);
    let (mut ifname, mut mac) = inst(c).use_vmac.clone().unwrap_or((None, None));
    for a in w.iter().skip(1).take(2) {
        if a.contains(':') {
            if mac.is_some() {
                c.err(GE, "VMAC interface address already specified");
                continue;
            }
            if a.chars().any(|ch| !(ch.is_ascii_hexdigit() || ch == ':')) {
                c.err(GE, format!("VMAC invalid MAC address {a}"));
                continue;
            }
            match parse_mac(a) {
                None => {
                    c.err(GE, format!("VMAC invalid MAC address {a} - ignored"));
                }
                Some(m) if m[0] & 1 != 0 => {
                    c.err(GE, format!("VMAC MAC address is multicast {a} - ignoring"));
                }
                Some(m) if m[..4] == [0, 0, 0x5e, 0] && (m[4] == 1 || m[4] == 2) => {
                    c.err(
                        GE,
                        format!(
                            "VMAC MAC address not allowed to be RFC5798 address ({a}) - ignoring"
                        ),
                    );
                }
                Some(m) => mac = Some(m),
            }
        } else {
            if ifname.is_some() {
                c.err(GE, "VMAC interface name already specified");
                continue;
            }
            if !dev_name_valid(a) {
                c.err(
                    GE,
                    format!("VMAC interface name '{a}' too long or invalid characters - ignoring"),
                );
                continue;
            }
            let other = c
                .state
                .cfg
                .instances
                .iter()
                .find(|o| o.use_vmac.as_ref().and_then(|v| v.0.as_deref()) == Some(a.as_str()));
            if let Some(o) = other {
                let oname = o.name.clone();
                c.err(
                    GE,
                    format!("({name}) VRRP instance {oname} is already using {a} - ignoring name"),
                );
                continue;
            }
            ifname = Some(a.clone());
        }
    }
    inst(c).use_vmac = Some((ifname, mac));
}

pub(super) fn use_ipvlan(c: &mut C, w: &[String]) {
    let name = iname(c);
    if inst(c).use_ipvlan {
        c.err(GE, format!("({name}) use_ipvlan already specified"));
        return;
    }
    inst(c).use_ipvlan = true;
    let mut had_type = false;
    for a in &w[1..] {
        if matches!(a.as_str(), "bridge" | "private" | "vepa") {
            if had_type {
                c.err(
                    GE,
                    format!("({name}) ipvlan type already specified - ignoring '{a}'"),
                );
            }
            had_type = true;
        } else if a.len() >= 16 && parse_ip(a.split('/').next().unwrap_or("")).is_none() {
            c.err(
                GE,
                format!("({name}) IPVLAN interface name '{a}' too long - ignoring"),
            );
        }
    }
}

pub(super) fn unicast_peer(c: &mut C, w: &[String]) {
    let name = iname(c);
    inst(c).unicast_configured = true;
    for item in c.value_block(w) {
        c.at(&item);
        let Some(addr) = sockaddr(&item[0]) else {
            c.err(GE, format!("Configuration error: VRRP instance[{name}] malformed unicast peer address[{}]. Skipping...", item[0]));
            continue;
        };
        if !set_family(c, family_of(&addr)) {
            c.err(
                GE,
                format!("Configuration error: VRRP instance[{name}] and unicast peer address[{}] MUST be of the same family !!! Skipping...", item[0]),
            );
            continue;
        }
        let mut peer = UnicastPeer {
            addr,
            min_ttl: None,
            max_ttl: None,
        };
        let mut k = 1;
        while k < item.len() {
            if k + 1 >= item.len() {
                c.err(GE, format!("({name}) {} is missing a value", item[k]));
                break;
            }
            if let Some(ttl) = read_unsigned(c, &item[k + 1], 0, 255, false) {
                match item[k].as_str() {
                    "min_ttl" => peer.min_ttl = Some(ttl as u8),
                    "max_ttl" => peer.max_ttl = Some(ttl as u8),
                    other => {
                        c.err(GE, format!("({name}) unknown unicast_peer option {other}"));
                        break;
                    }
                }
                inst(c).check_unicast_src = Some(true);
            }
            k += 2;
        }
        let (lo, hi) = (peer.min_ttl.unwrap_or(0), peer.max_ttl.unwrap_or(255));
        if lo > hi {
            c.err(
                GE,
                format!("({name}) min_ttl {lo} > max_ttl {hi} - all packets will be discarded"),
            );
        }
        inst(c).unicast_peers.push(peer);
    }
}

pub(super) fn old_unicast_checksum(c: &mut C, w: &[String]) {
    let name = iname(c);
    inst(c).unicast_configured = true;
    match w.get(1) {
        Some(a) if a == "never" => inst(c).old_unicast_checksum = Some(false),
        Some(a) => {
            c.err(
                GE,
                format!("({name}) Unknown old_unicast_chksum mode {a} - ignoring"),
            );
        }
        None => inst(c).old_unicast_checksum = Some(true),
    }
}

pub(super) fn native_ipv6(c: &mut C, _w: &[String]) {
    let name = iname(c);
    let i = inst(c);
    if i.family == Some(Family::V4) {
        c.err(
            GE,
            format!("({name}) Cannot specify native_ipv6 with IPv4 addresses"),
        );
        return;
    }
    i.family = Some(Family::V6);
    i.native_ipv6 = true;
    i.version = Some(3);
}

pub(super) fn state(c: &mut C, w: &[String]) {
    let Some(a) = c.arg(w, 1) else { return };
    let name = iname(c);
    match a {
        "MASTER" => inst(c).state = Some(InitialState::Master),
        "BACKUP" => {
            if inst(c).state == Some(InitialState::Master) {
                c.err(
                    GE,
                    format!("({name}) state previously set as MASTER - ignoring BACKUP"),
                );
            } else {
                inst(c).state = Some(InitialState::Backup);
            }
        }
        _ => {
            c.err(
                GE,
                format!("({name}) unknown state '{a}', defaulting to BACKUP"),
            )
            .help("accepted: MASTER or BACKUP (upper case)");
            inst(c).state = Some(InitialState::Backup);
        }
    }
}

pub(super) fn interface(c: &mut C, w: &[String]) {
    let Some(a) = c.arg(w, 1) else { return };
    let name = iname(c);
    if a.len() >= 16 {
        c.err(GE, format!("Interface name '{a}' too long - ignoring"));
        return;
    }
    inst(c).interface_configured = Some(a.to_string());
    inst(c).interface = None;
    if !interface_known(c, a) {
        c.err(
            GE,
            format!("WARNING - interface {a} for vrrp_instance {name} doesn't exist"),
        );
        return;
    }
    if c.state.host.interface(a).is_some_and(|i| i.loopback) {
        c.err(
            GE,
            format!("({name}) cannot use a loopback interface ({a}) for vrrp - ignoring"),
        );
        return;
    }
    inst(c).interface = Some(a.to_string());
}

pub(super) fn vrf(c: &mut C, w: &[String]) {
    let Some(a) = c.arg(w, 1) else { return };
    let name = iname(c);
    let msg = if a.len() >= 16 {
        format!("({name}) VRF interface name '{a}' too long - ignoring")
    } else if inst(c).interface.is_some() {
        format!("({name}) Cannot specify VRF interface and interface - ignoring")
    } else if let Some(v) = inst(c).vrf.as_ref().cloned() {
        format!("({name}) VRF interface already specified as '{v}' - ignoring")
    } else if !interface_known(c, a) {
        format!("({name}) WARNING - VRF interface {a} doesn't exist")
    } else if c.state.host.interface(a).is_some_and(|i| i.loopback) {
        format!("({name}) cannot use a loopback interface ({a}) for VRF - ignoring")
    } else {
        *inst(c).vrf = Some(a.to_string());
        return;
    };
    c.err(GE, msg);
}

pub(super) fn linkbeat_use_polling(c: &mut C, _w: &[String]) {
    let name = iname(c);
    c.err(GE, format!("({name}) 'linkbeat_use_polling' in vrrp instance deprecated - use linkbeat_interfaces block"));
}

pub(super) fn src_ip(c: &mut C, w: &[String]) {
    if w[0] == "unicast_src_ip" {
        inst(c).unicast_configured = true;
    }
    let Some(a) = c.arg(w, 1) else { return };
    let name = iname(c);
    let Some(addr) = sockaddr(a) else {
        c.err(
            GE,
            format!(
                "Configuration error: VRRP instance[{name}] malformed src address[{a}]. Skipping..."
            ),
        );
        return;
    };
    if !set_family(c, family_of(&addr)) {
        c.err(GE, format!("Configuration error: VRRP instance[{name}] and src address[{a}] MUST be of the same family !!! Skipping..."));
        let i = inst(c);
        i.unicast_src_ip = None;
        i.mcast_src_ip = None;
        return;
    }
    let i = inst(c);
    if w[0] == "unicast_src_ip" {
        i.unicast_src_ip = Some(addr);
    } else {
        i.mcast_src_ip = Some(addr);
    }
}

pub(super) fn mcast_dst_ip(c: &mut C, w: &[String]) {
    let Some(a) = c.arg(w, 1) else { return };
    let name = iname(c);
    let Some(addr) = sockaddr(a) else {
        c.err(
            GE,
            format!("({name}) malformed mcast dest address {a}. Skipping..."),
        );
        return;
    };
    if !set_family(c, family_of(&addr)) {
        c.err(
            GE,
            format!("({name}) mcast dest address {a} MUST match VRRP instance family. Skipping..."),
        );
        return;
    }
    let ok = match addr {
        IpAddr::V4(v) => v.is_multicast(),
        IpAddr::V6(v) => v.segments()[0] & 0xff0f == 0xff02,
    };
    if !ok {
        let ll = if addr.is_ipv6() { " link-local" } else { "" };
        c.err(
            GE,
            format!("({name}) mcast_dst_ip {a} not{ll} multicast. Skipping..."),
        );
        return;
    }
    inst(c).mcast_dst_ip = Some(addr);
}

pub(super) fn vrid(c: &mut C, w: &[String]) {
    let Some(a) = c.arg(w, 1) else { return };
    let name = iname(c);
    match read_unsigned(c, a, 1, 255, false) {
        Some(v) => inst(c).vrid = Some(v as u8),
        None => {
            c.err(
                GE,
                format!("({name}): VRID '{a}' not valid - must be between 1 & 255"),
            );
        }
    }
}

pub(super) fn unicast_ttl(c: &mut C, w: &[String]) {
    let Some(a) = c.arg(w, 1) else { return };
    let name = iname(c);
    match read_unsigned(c, a, 0, 255, false) {
        Some(v) => inst(c).unicast_ttl = Some(v as u8),
        None => {
            c.err(
                GE,
                format!("({name}): TTL '{a}' not valid - must be between 0 & 255"),
            );
        }
    }
}

pub(super) fn version(c: &mut C, w: &[String]) {
    let Some(a) = c.arg(w, 1) else { return };
    let name = iname(c);
    let Some(v) = read_int(c, a, 2, 3, true) else {
        c.err(GE, format!("({name}): Version must be either 2 or 3"));
        return;
    };
    let i = inst(c);
    let current = i.version.unwrap_or(0);
    if (current != 0 && i64::from(current) != v) || (v == 2 && i.family == Some(Family::V6)) {
        c.err(
            GE,
            format!("({name}) vrrp_version {v} conflicts with configured or deduced version {current}; ignoring."),
        );
        return;
    }
    inst(c).version = Some(v as u8);
}

pub(super) fn priority(c: &mut C, w: &[String]) {
    let Some(a) = c.arg(w, 1) else { return };
    let name = iname(c);
    match read_unsigned(c, a, 1, 255, false) {
        Some(v) => inst(c).priority = Some(v as u8),
        None => {
            c.err(
                GE,
                format!("({name}) Priority not valid! must be between 1 & 255. Using default 100"),
            );
            inst(c).priority = Some(100);
        }
    }
}

pub(super) fn advert_int(c: &mut C, w: &[String]) {
    let Some(a) = c.arg(w, 1) else { return };
    let name = iname(c);
    match read_decimal(c, a, HZ / 100, 255 * HZ, 6, true) {
        Some(v) if v > 0 => inst(c).advert_int_us = v,
        _ => {
            c.err(
                GE,
                format!("({name}) Advert interval ({a}) not valid! Must be > 0 - ignoring"),
            )
            .help("accepted: 0.01 to 255 seconds (VRRPv2: whole seconds)");
        }
    }
}

pub(super) fn preempt_delay(c: &mut C, w: &[String]) {
    let Some(a) = c.arg(w, 1) else { return };
    let name = iname(c);
    match read_decimal(c, a, 0, 1000 * HZ, 6, true) {
        Some(v) => inst(c).preempt_delay_us = v,
        None => {
            c.err(
                GE,
                format!("({name}) Preempt_delay not valid! must be between 0-1000"),
            );
            inst(c).preempt_delay_us = 0;
        }
    }
}

pub(super) fn debug(c: &mut C, w: &[String]) {
    let Some(a) = c.arg(w, 1) else { return };
    let name = iname(c);
    match read_unsigned(c, a, 0, 4, true) {
        Some(v) => inst(c).debug = Some(v as u8),
        None => {
            c.err(
                GE,
                format!("({name}) Debug value '{a}' not valid; must be between 0-4"),
            );
        }
    }
}

pub(super) fn notify(c: &mut C, w: &[String]) {
    let name = iname(c);
    let kw = w[0].clone();
    let already = {
        let n = &inst(c).notify;
        match kw.as_str() {
            "notify_backup" => n.backup.is_some(),
            "notify_master" => n.master.is_some(),
            "notify_fault" => n.fault.is_some(),
            "notify_stop" => n.stop.is_some(),
            "notify_master_rx_lower_pri" => n.master_rx_lower_pri.is_some(),
            _ => n.generic.is_some(),
        }
    };
    if already {
        // keepalived reads word 1 for this message: without it, the
        // parameter is missing (exit 2).
        let Some(arg) = c.arg(w, 1) else { return };
        c.err(
            GE,
            format!("({name}) {kw} script already specified - ignoring {arg}"),
        );
        return;
    }
    if w.len() < 2 {
        // keepalived reads word 1 unconditionally: a missing parameter
        c.arg(w, 1);
        return;
    }
    let Some(s) = super::super::global::notify_script_init(c, "notify") else {
        return;
    };
    let n = &mut inst(c).notify;
    match kw.as_str() {
        "notify_backup" => n.backup = Some(s),
        "notify_master" => n.master = Some(s),
        "notify_fault" => n.fault = Some(s),
        "notify_stop" => n.stop = Some(s),
        "notify_master_rx_lower_pri" => n.master_rx_lower_pri = Some(s),
        _ => n.generic = Some(s),
    }
}

pub(super) fn notify_deleted(c: &mut C, w: &[String]) {
    let name = iname(c);
    if inst(c).notify.deleted.is_some() || inst(c).notify_deleted_flag() {
        let arg = w.get(1).cloned().unwrap_or_default();
        c.err(
            GE,
            format!("({name}) notify_deleted already specified - ignoring {arg}"),
        );
        return;
    }
    if w.len() > 1 {
        if let Some(s) = super::super::global::notify_script_init(c, "notify") {
            inst(c).notify.deleted = Some(s);
        }
    }
    inst(c).notify_deleted = true;
}

pub(super) fn smtp_alert(c: &mut C, w: &[String]) {
    let mut v = true;
    if let Some(a) = w.get(1) {
        match check_true_false(a) {
            Some(b) => v = b,
            None => {
                c.err(
                    GE,
                    format!("Invalid vrrp_instance smtp_alert parameter {a}"),
                );
                return;
            }
        }
    }
    inst(c).smtp_alert = Some(v);
}

pub(super) fn lvs_sync_daemon_interface(c: &mut C, _w: &[String]) {
    let name = iname(c);
    c.err(
        GE,
        format!("({name}) Specifying lvs_sync_daemon_interface against a vrrp is deprecated."),
    );
    let pad = " ".repeat(name.len().saturating_sub(2));
    c.err(GE, format!("      {pad}Please use global lvs_sync_daemon"));
}

/// garp_* and down_timer_adverts overrides.
pub(super) fn garp_setting(c: &mut C, w: &[String]) {
    let Some(a) = c.arg(w, 1) else { return };
    let name = iname(c);
    let kw = w[0].as_str();
    let max = u32::MAX as u64;
    match kw {
        "garp_master_delay" | "garp_lower_prio_delay" => {
            let Some(v) = read_unsigned(c, a, 0, max / HZ, true) else {
                c.err(GE, format!("({name}): {kw} '{a}' invalid - ignoring"));
                return;
            };
            if kw == "garp_master_delay" {
                inst(c).garp.master_delay = Some(v as u32);
            } else {
                inst(c).garp.lower_prio_delay = Some(v as u32);
            }
        }
        "garp_master_refresh" => match read_unsigned(c, a, 0, max, true) {
            Some(v) => inst(c).garp.master_refresh = Some(v as u32),
            None => {
                c.err(
                    GE,
                    format!("({name}): Invalid garp_master_refresh '{a}' - ignoring"),
                );
                inst(c).garp.master_refresh = Some(0);
            }
        },
        "garp_master_repeat" | "garp_master_refresh_repeat" => {
            let Some(mut v) = read_unsigned(c, a, 0, max, true) else {
                c.err(GE, format!("({name}): {kw} '{a}' invalid - ignoring"));
                return;
            };
            if v == 0 {
                c.err(
                    GE,
                    format!("({name}): {kw} must be greater than 0, setting to 1"),
                );
                v = 1;
            }
            if kw == "garp_master_repeat" {
                inst(c).garp.master_repeat = Some(v as u32);
            } else {
                inst(c).garp.master_refresh_repeat = Some(v as u32);
            }
        }
        "garp_lower_prio_repeat" => match read_unsigned(c, a, 0, i32::MAX as u64, true) {
            Some(v) => inst(c).garp.lower_prio_repeat = Some(v as u32),
            None => {
                c.err(
                    GE,
                    format!("({name}): Invalid garp_lower_prio_repeat '{a}'"),
                );
            }
        },
        _ => match read_unsigned(c, a, 1, 100, true) {
            Some(v) => inst(c).down_timer_adverts = Some(v as u32),
            None => {
                c.err(
                    GE,
                    format!("({name}): Invalid down_timer_adverts [1:100] '{a}'"),
                );
            }
        },
    }
}

pub(super) fn garp_extra_if(c: &mut C, w: &[String]) {
    let name = iname(c);
    let kw = w[0].clone();
    if kw == "vmac_garp_intvl" {
        c.err(
            ErrClass::Deprecated,
            "Keyword \"vmac_garp_intvl\" is deprecated - please use \"garp_extra_if\"",
        );
    }
    let mut delay = None;
    for a in &w[1..] {
        if a == "all" {
            continue;
        }
        match read_unsigned(c, a, 0, 86400, true) {
            Some(v) => delay = Some(v as u32),
            None => {
                c.err(GE, format!("({name}): {kw} '{a}' invalid - ignoring"));
                return;
            }
        }
    }
    match delay {
        Some(d) => inst(c).garp.extra_if = Some(d),
        None => {
            c.err(
                GE,
                format!("({name}): {kw} specified without time - ignoring"),
            );
        }
    }
}

pub(super) fn kernel_rx_buf_size(c: &mut C, w: &[String]) {
    let name = iname(c);
    if w.len() == 2 {
        if let Some(v) = read_unsigned(c, &w[1], 0, u32::MAX as u64, false) {
            *inst(c).kernel_rx_buf_size = Some(v);
            return;
        }
    }
    c.err(GE, format!("({name}) invalid kernel_rx_buf_size specified"));
}

pub(super) fn auth_type(c: &mut C, w: &[String]) {
    let Some(a) = c.arg(w, 1) else { return };
    let name = iname(c);
    let i = inst(c);
    let data = match &i.auth {
        Auth::Pass(d) | Auth::Ah(d) => *d,
        Auth::None => [0; 8],
    };
    match a {
        "AH" => i.auth = Auth::Ah(data),
        "PASS" => i.auth = Auth::Pass(data),
        _ => {
            c.err(GE, format!("({name}) unknown authentication type '{a}'"))
                .help("accepted: PASS or AH");
        }
    }
}

pub(super) fn auth_pass(c: &mut C, w: &[String]) {
    let Some(a) = c.arg(w, 1) else { return };
    let bytes = a.as_bytes();
    if bytes.len() > 8 {
        c.err(GE, "Truncating auth_pass to 8 characters")
            .help(format!(
                "only the first 8 bytes of the password are used: \"{}\"",
                String::from_utf8_lossy(&bytes[..8])
            ));
    }
    let mut data = [0u8; 8];
    let n = bytes.len().min(8);
    data[..n].copy_from_slice(&bytes[..n]);
    let i = inst(c);
    i.auth_pass = Some(data);
    i.auth = match i.auth {
        Auth::Ah(_) => Auth::Ah(data),
        Auth::Pass(_) => Auth::Pass(data),
        Auth::None => Auth::None,
    };
}

pub(super) fn vips(c: &mut C, w: &[String]) {
    let name = iname(c);
    let excluded = w[0] == "virtual_ipaddress_excluded";
    let items = c.value_block(w);
    // room for the block at once: a list grown by pushes starts at 4
    // addresses, and shrinking it later leaves a hole in the heap
    if excluded {
        inst(c).evips.reserve_exact(items.len());
    } else {
        inst(c).vips.reserve_exact(items.len());
    }
    for item in items {
        c.at(&item);
        let Some(a) = ip_address(c, &item, false) else {
            continue;
        };
        if excluded {
            inst(c).evips.push(a);
            continue;
        }
        if !set_family(c, family_of(&a.addr)) {
            c.err(
                GE,
                format!(
                    "({name}): address family must match VRRP instance [{}] - ignoring",
                    item[0]
                ),
            );
            continue;
        }
        inst(c).vips.push(a);
    }
}

pub(super) fn vroutes(c: &mut C, w: &[String]) {
    for item in c.value_block(w) {
        c.at(&item);
        if let Some(r) = route::route(c, &item, false) {
            inst(c).vroutes.push(r);
        }
    }
}

pub(super) fn vrules(c: &mut C, w: &[String]) {
    for item in c.value_block(w) {
        c.at(&item);
        if let Some(r) = rule::rule(c, &item, false) {
            inst(c).vrules.push(r);
        }
    }
}

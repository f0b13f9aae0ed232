//! VRRP blocks: `vrrp_instance`, `vrrp_sync_group`, `vrrp_script`,
//! `track_file`, `vrrp_track_process`, `garp_group`, `static_*`,
//! `track_group`, `linkbeat_interfaces`, `interface_up_down_delays`.
//!
//! Each handler stores what the line says and reports what keepalived 2.2.7
//! reports for that line (texts from its vrrp_parser.c, vrrp_data.c,
//! vrrp_track.c, track_file.c and vrrp_ipaddress.c). Checks that need the
//! whole file are in `validate`.

use super::super::diag::ErrClass;
use super::super::model::*;
use super::super::parser::Kw;
use super::super::values::{check_true_false, read_decimal, read_int, read_timer, read_unsigned};
use super::{C, K};
use std::net::IpAddr;
use std::sync::LazyLock;

const GE: ErrClass = ErrClass::GeneralError;

/// keepalived TIMER_HZ: microseconds per second.
const HZ: u64 = 1_000_000;

pub fn root_keywords() -> Vec<K> {
    vec![
        Kw::block("track_group", Some(track_group), TRACK_GROUP.as_slice(), None),
        Kw::new("static_ipaddress", static_ipaddress),
        Kw::new("static_routes", static_routes),
        Kw::new("static_rules", static_rules),
        Kw::block("vrrp_sync_group", Some(sync_group), SYNC_GROUP.as_slice(), None),
        Kw::block("garp_group", Some(garp_group), GARP_GROUP.as_slice(), Some(garp_group_end)),
        Kw::new("linkbeat_interfaces", linkbeat_interfaces),
        Kw::block("vrrp_instance", Some(instance), INSTANCE.as_slice(), Some(instance_end)),
        Kw::block("vrrp_script", Some(script), SCRIPT.as_slice(), Some(script_end)),
        Kw::block("vrrp_track_process", Some(tprocess), TPROCESS.as_slice(), Some(tprocess_end)),
        Kw::new("interface_up_down_delays", up_down_delays),
        Kw::block("track_file", Some(track_file), TRACK_FILE.as_slice(), Some(track_file_end)),
        Kw::block("vrrp_track_file", Some(vrrp_track_file), TRACK_FILE.as_slice(), Some(track_file_end)),
    ]
}

static TRACK_GROUP: LazyLock<Vec<K>> = LazyLock::new(|| vec![Kw::new("group", track_group_group)]);

static SYNC_GROUP: LazyLock<Vec<K>> = LazyLock::new(|| {
    vec![
        Kw::new("group", group_members),
        Kw::new("track_interface", group_track_if),
        Kw::new("track_script", group_track_script),
        Kw::new("track_file", group_track_file),
        Kw::new("track_process", group_track_process),
        Kw::new("track_bfd", group_track_bfd),
        Kw::new("notify_backup", group_notify),
        Kw::new("notify_master", group_notify),
        Kw::new("notify_fault", group_notify),
        Kw::new("notify_stop", group_notify),
        Kw::new("notify", group_notify),
        Kw::new("smtp_alert", group_smtp),
        Kw::new("global_tracking", group_global_tracking),
        Kw::new("sync_group_tracking_weight", group_tracking_weight),
        Kw::new("notify_priority_changes", group_notify_prio),
    ]
});

static GARP_GROUP: LazyLock<Vec<K>> = LazyLock::new(|| {
    vec![
        Kw::new("garp_interval", garp_interval),
        Kw::new("gna_interval", garp_interval),
        Kw::new("interface", garp_interface),
        Kw::new("interfaces", garp_interfaces),
    ]
});

static AUTH: LazyLock<Vec<K>> = LazyLock::new(|| vec![Kw::new("auth_type", auth_type), Kw::new("auth_pass", auth_pass)]);

static INSTANCE: LazyLock<Vec<K>> = LazyLock::new(|| {
    vec![
        Kw::new("use_vmac", use_vmac),
        Kw::new("use_vmac_addr", flag),
        Kw::new("vmac_xmit_base", flag),
        Kw::new("use_ipvlan", use_ipvlan),
        Kw::new("unicast_peer", unicast_peer),
        Kw::new("unicast_fault_no_peer", flag),
        Kw::new("check_unicast_src", flag),
        Kw::new("old_unicast_checksum", old_unicast_checksum),
        Kw::new("native_ipv6", native_ipv6),
        Kw::new("state", state),
        Kw::new("interface", interface),
        Kw::new("vrf", vrf),
        Kw::new("dont_track_primary", flag),
        Kw::new("track_interface", track_interface),
        Kw::new("track_script", track_script),
        Kw::new("track_file", track_file_ref),
        Kw::new("track_process", track_process_ref),
        Kw::new("track_bfd", track_bfd_ref),
        Kw::new("mcast_src_ip", src_ip),
        Kw::new("unicast_src_ip", src_ip),
        Kw::new("mcast_dst_ip", mcast_dst_ip),
        Kw::new("track_src_ip", flag),
        Kw::new("virtual_router_id", vrid),
        Kw::new("unicast_ttl", unicast_ttl),
        Kw::new("version", version),
        Kw::new("priority", priority),
        Kw::new("advert_int", advert_int),
        Kw::new("virtual_ipaddress", vips),
        Kw::new("virtual_ipaddress_excluded", vips),
        Kw::new("promote_secondaries", flag),
        Kw::new("linkbeat_use_polling", linkbeat_use_polling),
        Kw::new("virtual_routes", vroutes),
        Kw::new("virtual_rules", vrules),
        Kw::new("accept", flag),
        Kw::new("no_accept", flag),
        Kw::new("skip_check_adv_addr", bool_opt),
        Kw::new("strict_mode", bool_opt),
        Kw::new("preempt", flag),
        Kw::new("nopreempt", flag),
        Kw::new("preempt_delay", preempt_delay),
        Kw::new("debug", debug),
        Kw::new("notify_backup", notify),
        Kw::new("notify_master", notify),
        Kw::new("notify_fault", notify),
        Kw::new("notify_stop", notify),
        Kw::new("notify_deleted", notify_deleted),
        Kw::new("notify", notify),
        Kw::new("notify_master_rx_lower_pri", notify),
        Kw::new("smtp_alert", smtp_alert),
        Kw::new("notify_priority_changes", bool_opt),
        Kw::new("lvs_sync_daemon_interface", lvs_sync_daemon_interface),
        Kw::new("garp_master_delay", garp_setting),
        Kw::new("garp_master_refresh", garp_setting),
        Kw::new("garp_master_repeat", garp_setting),
        Kw::new("garp_master_refresh_repeat", garp_setting),
        Kw::new("garp_lower_prio_delay", garp_setting),
        Kw::new("garp_lower_prio_repeat", garp_setting),
        Kw::new("down_timer_adverts", garp_setting),
        Kw::new("garp_extra_if", garp_extra_if),
        Kw::new("vmac_garp_intvl", garp_extra_if),
        Kw::new("lower_prio_no_advert", bool_opt),
        Kw::new("higher_prio_send_advert", bool_opt),
        Kw::new("kernel_rx_buf_size", kernel_rx_buf_size),
        Kw::block("authentication", None, AUTH.as_slice(), None),
    ]
});

static SCRIPT: LazyLock<Vec<K>> = LazyLock::new(|| {
    vec![
        Kw::new("script", script_script),
        Kw::new("interval", script_number),
        Kw::new("timeout", script_number),
        Kw::new("weight", script_weight),
        Kw::new("rise", script_number),
        Kw::new("fall", script_number),
        Kw::new("user", script_user),
        Kw::new("init_fail", script_init_fail),
    ]
});

static TPROCESS: LazyLock<Vec<K>> = LazyLock::new(|| {
    vec![
        Kw::new("process", tprocess_process),
        Kw::new("param_match", tprocess_match),
        Kw::new("weight", tprocess_weight),
        Kw::new("quorum", tprocess_quorum),
        Kw::new("quorum_max", tprocess_quorum),
        Kw::new("delay", tprocess_delay),
        Kw::new("terminate_delay", tprocess_delay),
        Kw::new("fork_delay", tprocess_delay),
        Kw::new("full_command", tprocess_full),
    ]
});

static TRACK_FILE: LazyLock<Vec<K>> = LazyLock::new(|| {
    vec![Kw::new("file", tfile_file), Kw::new("weight", tfile_weight), Kw::new("init_file", tfile_init)]
});

// ---------------------------------------------------------------- helpers

fn inst<'a>(c: &'a mut C) -> &'a mut VrrpInstance {
    let i = c.state.cur_instance.expect("instance keywords only run inside vrrp_instance");
    &mut c.state.cfg.instances[i]
}

fn iname(c: &C) -> String {
    c.state.cur_instance.map(|i| c.state.cfg.instances[i].name.clone()).unwrap_or_default()
}

fn group<'a>(c: &'a mut C) -> &'a mut SyncGroup {
    let i = c.state.cur_group.expect("group keywords only run inside vrrp_sync_group");
    &mut c.state.cfg.sync_groups[i]
}

/// An interface exists (or may appear later with `dynamic_interfaces`).
fn interface_known(c: &C, name: &str) -> bool {
    c.state.cfg.global.dynamic_interfaces || c.state.host.interface(name).is_some()
}

/// Parse an IPv4/IPv6 address as inet_pton would (strict dotted quad).
pub fn parse_ip(s: &str) -> Option<IpAddr> {
    if s.contains(':') {
        s.parse::<std::net::Ipv6Addr>().ok().map(IpAddr::V6)
    } else {
        s.parse::<std::net::Ipv4Addr>().ok().map(IpAddr::V4)
    }
}

/// keepalived `inet_stosockaddr`: an address, optionally with `:port` for
/// IPv4 or `[addr]:port` for IPv6 — we accept the address forms used here.
fn sockaddr(s: &str) -> Option<IpAddr> {
    let t = s.trim_start_matches('[');
    let t = match t.find(']') {
        Some(i) => &t[..i],
        None => t,
    };
    parse_ip(t)
}

fn set_family(c: &mut C, f: Family) -> bool {
    let i = inst(c);
    match i.family {
        None => {
            i.family = Some(f);
            true
        }
        Some(cur) => cur == f,
    }
}

fn family_of(a: &IpAddr) -> Family {
    if a.is_ipv4() { Family::V4 } else { Family::V6 }
}

// ---------------------------------------------------------------- root blocks

fn track_group(c: &mut C, w: &[String]) {
    if w.len() != 2 {
        c.err(GE, "track_group must have a name - skipping");
        c.skip_block(true);
        return;
    }
    if c.state.cfg.track_groups.contains(&w[1]) {
        c.err(GE, format!("track_group {} already defined", w[1]));
        c.skip_block(true);
        return;
    }
    c.state.cfg.track_groups.push(w[1].clone());
}

fn track_group_group(c: &mut C, w: &[String]) {
    let items = c.value_block(w);
    if items.is_empty() {
        let g = c.state.cfg.track_groups.last().cloned().unwrap_or_default();
        c.err(GE, format!("Warning - track group {g} has empty group block"));
    }
}

fn static_ipaddress(c: &mut C, w: &[String]) {
    for item in c.value_block(w) {
        if let Some(a) = ip_address(c, &item, true) {
            c.state.cfg.static_addresses.push(a);
        }
    }
}

fn static_routes(c: &mut C, w: &[String]) {
    for item in c.value_block(w) {
        c.state.cfg.static_routes.push(RouteSpec { words: item });
    }
}

fn static_rules(c: &mut C, w: &[String]) {
    for item in c.value_block(w) {
        c.state.cfg.static_rules.push(RuleSpec { words: item });
    }
}

fn linkbeat_interfaces(c: &mut C, w: &[String]) {
    for item in c.value_block(w) {
        if !interface_known(c, &item[0]) {
            c.err(ErrClass::Fatal, format!("unknown interface {} specified for linkbeat interface", item[0]));
            continue;
        }
        if item.len() > 1 && (!matches!(item[1].as_str(), "MII" | "ETHTOOL" | "IOCTL") || item.len() > 2) {
            c.err(GE, format!("extra characters {} in linkbeat interface", item[1]));
        }
        c.state.cfg.linkbeat_interfaces.push(item[0].clone());
    }
}

fn up_down_delays(c: &mut C, w: &[String]) {
    for item in c.value_block(w) {
        if !interface_known(c, &item[0]) {
            c.err(ErrClass::Fatal, format!("unknown interface {} specified for up/down delay", item[0]));
            continue;
        }
        if item.len() < 2 {
            c.log(format!("No timeouts specified for {} up/down delays", item[0]));
            continue;
        }
        if item.len() > 3 {
            c.log(format!("Too many parameters for {} up/down delays", item[0]));
        }
        let Some(down) = read_timer(c, &item[1], 0, 255 * HZ, true) else {
            c.log(format!("Invalid down delay {} for {}", item[1], item[0]));
            continue;
        };
        let up = if item.len() == 2 {
            0
        } else {
            match read_timer(c, &item[2], 0, 255 * HZ, true) {
                Some(u) => u,
                None => {
                    c.log(format!("Invalid up delay {} for {}", item[2], item[0]));
                    continue;
                }
            }
        };
        c.state.cfg.interface_delays.push((item[0].clone(), down, up));
    }
}

// ---------------------------------------------------------------- sync group

fn sync_group(c: &mut C, w: &[String]) {
    if w.len() != 2 {
        c.err(GE, "vrrp_sync_group must have a name - skipping");
        c.skip_block(true);
        return;
    }
    if c.state.cfg.sync_groups.iter().any(|g| g.name == w[1]) {
        c.err(GE, format!("vrrp sync group {} already defined", w[1]));
        c.skip_block(true);
        return;
    }
    c.state.cfg.sync_groups.push(SyncGroup { name: w[1].clone(), ..Default::default() });
    c.state.cur_group = Some(c.state.cfg.sync_groups.len() - 1);
}

fn group_members(c: &mut C, w: &[String]) {
    if !group(c).members.is_empty() {
        let g = group(c).name.clone();
        c.err(GE, format!("Group list already specified for sync group {g}"));
        c.skip_block(true);
        return;
    }
    let items: Vec<String> = c.value_block(w).into_iter().flatten().collect();
    if items.is_empty() {
        let g = group(c).name.clone();
        c.err(GE, format!("Warning - sync group {g} has empty group block"));
    }
    group(c).members = items;
}

fn group_track_if(c: &mut C, w: &[String]) {
    let name = group(c).name.clone();
    for item in c.value_block(w) {
        let existing = group(c).track_interfaces.clone();
        if let Some(t) = track_if_item(c, &name, &existing, &item) {
            group(c).track_interfaces.push(t);
        }
    }
}

fn group_track_script(c: &mut C, w: &[String]) {
    let name = group(c).name.clone();
    for item in c.value_block(w) {
        let existing = group(c).track_scripts.clone();
        if let Some(t) = track_script_item(c, &name, &existing, &item) {
            group(c).track_scripts.push(t);
        }
    }
}

fn group_track_file(c: &mut C, w: &[String]) {
    let name = group(c).name.clone();
    for item in c.value_block(w) {
        let existing = group(c).track_files.clone();
        if let Some(t) = track_file_item(c, &name, &existing, &item) {
            group(c).track_files.push(t);
        }
    }
}

fn group_track_process(c: &mut C, w: &[String]) {
    let name = group(c).name.clone();
    for item in c.value_block(w) {
        let existing = group(c).track_processes.clone();
        if let Some(t) = track_process_item(c, &name, &existing, &item) {
            group(c).track_processes.push(t);
        }
    }
}

fn group_track_bfd(c: &mut C, w: &[String]) {
    let name = group(c).name.clone();
    for item in c.value_block(w) {
        let existing = group(c).track_bfds.clone();
        if let Some(t) = track_bfd_item(c, &name, &existing, &item) {
            group(c).track_bfds.push(t);
        }
    }
}

fn group_notify(c: &mut C, w: &[String]) {
    let g = group(c).name.clone();
    let kw = w[0].as_str();
    let already = {
        let n = &group(c).notify;
        match kw {
            "notify_backup" => n.backup.is_some(),
            "notify_master" => n.master.is_some(),
            "notify_fault" => n.fault.is_some(),
            "notify_stop" => n.stop.is_some(),
            _ => n.generic.is_some(),
        }
    };
    if already {
        let what = if kw == "notify" { "notify".to_string() } else { kw.to_string() };
        let arg = w.get(1).cloned().unwrap_or_default();
        c.err(GE, format!("vrrp group {g}: {what} script already specified - ignoring {arg}"));
        return;
    }
    let Some(s) = notify_script(c) else { return };
    let n = &mut group(c).notify;
    match kw {
        "notify_backup" => n.backup = Some(s),
        "notify_master" => n.master = Some(s),
        "notify_fault" => n.fault = Some(s),
        "notify_stop" => n.stop = Some(s),
        _ => n.generic = Some(s),
    }
}

fn group_smtp(c: &mut C, w: &[String]) {
    let mut v = true;
    if let Some(a) = w.get(1) {
        match check_true_false(a) {
            Some(b) => v = b,
            None => {
                c.err(GE, format!("Invalid vrrp_group smtp_alert parameter {a}"));
                return;
            }
        }
    }
    group(c).smtp_alert = Some(v);
}

fn group_global_tracking(c: &mut C, _w: &[String]) {
    let g = group(c).name.clone();
    c.err(GE, format!("({g}) global_tracking is deprecated. Use track_interface/script/file on the sync group"));
    group(c).tracking_weight = true;
}

fn group_tracking_weight(c: &mut C, _w: &[String]) {
    group(c).tracking_weight = true;
}

fn group_notify_prio(c: &mut C, w: &[String]) {
    let mut v = true;
    if let Some(a) = w.get(1) {
        match check_true_false(a) {
            Some(b) => v = b,
            None => {
                let g = group(c).name.clone();
                c.err(GE, format!("({g}) Invalid value '{a}' for sync group notify_priority_changes specified"));
                return;
            }
        }
    }
    group(c).notify_priority_changes = Some(v);
}

// ---------------------------------------------------------------- garp_group

fn garp_group(c: &mut C, _w: &[String]) {
    c.state.cfg.garp_groups.push(GarpGroup::default());
    c.state.cur_garp_group = Some(c.state.cfg.garp_groups.len() - 1);
}

fn cur_garp<'a>(c: &'a mut C) -> &'a mut GarpGroup {
    let i = c.state.cur_garp_group.expect("inside garp_group");
    &mut c.state.cfg.garp_groups[i]
}

fn garp_interval(c: &mut C, w: &[String]) {
    let Some(a) = c.arg(w, 1) else { return };
    let kw = w[0].clone();
    let Some(v) = read_decimal(c, a, 0, i32::MAX as u64, 6, true) else {
        c.err(GE, format!("garp_group {kw} '{a}' invalid"));
        return;
    };
    if v >= HZ {
        c.log(format!("The {kw} is very large - {a} seconds"));
    }
    let g = cur_garp(c);
    if kw == "garp_interval" {
        g.garp_interval_us = Some(v);
    } else {
        g.gna_interval_us = Some(v);
    }
}

fn garp_interface_one(c: &mut C, name: &str, report: bool) {
    if !interface_known(c, name) {
        let msg = format!("WARNING - interface {name} specified for garp_group doesn't exist");
        if report {
            c.err(GE, msg);
        } else {
            c.log(msg);
        }
        return;
    }
    if c.state.cfg.garp_groups.iter().any(|g| g.interfaces.iter().any(|i| i == name)) {
        c.err(GE, format!("garp_group already specified for {name} - ignoring"));
        return;
    }
    cur_garp(c).interfaces.push(name.to_string());
}

fn garp_interface(c: &mut C, w: &[String]) {
    let Some(a) = c.arg(w, 1) else { return };
    garp_interface_one(c, a, true);
}

fn garp_interfaces(c: &mut C, w: &[String]) {
    let items: Vec<String> = c.value_block(w).into_iter().flatten().collect();
    if items.is_empty() {
        c.err(GE, "Warning - empty garp_group interfaces block");
        return;
    }
    let report = !c.state.cfg.global.dynamic_interfaces;
    for i in items {
        garp_interface_one(c, &i, report);
    }
}

fn garp_group_end(c: &mut C) {
    let g = cur_garp(c);
    if g.garp_interval_us.is_none() && g.gna_interval_us.is_none() {
        let n = c.state.cfg.garp_groups.iter().filter(|g| !g.interfaces.is_empty()).count();
        c.err(GE, format!("garp group {n} does not have any delay set - removing"));
        c.state.cfg.garp_groups.pop();
    }
    c.state.cur_garp_group = None;
}

// ---------------------------------------------------------------- vrrp_instance

fn instance(c: &mut C, w: &[String]) {
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
    c.state.cfg.instances.push(i);
    let idx = c.state.cfg.instances.len() - 1;
    c.state.instance_index.insert(w[1].clone(), idx);
    c.state.cur_instance = Some(idx);
}

fn instance_end(c: &mut C) {
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
            c.err(GE, format!("({name}) unicast with use_vmac requires vmac_xmit_base - setting"));
        }
    }
    let i = inst(c);
    if i.unicast_peers.is_empty() && i.unicast_ttl.is_some() {
        i.unicast_ttl = None;
        c.err(GE, format!("({name}): Cannot use unicast_ttl without unicast peers - resetting"));
    }
    c.state.cur_instance = None;
}

/// Flags without a value (or whose value keepalived ignores).
fn flag(c: &mut C, w: &[String]) {
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
fn bool_opt(c: &mut C, w: &[String]) {
    let name = iname(c);
    let kw = w[0].as_str();
    let v = match w.get(1) {
        None => true,
        Some(a) => match check_true_false(a) {
            Some(b) => b,
            None => {
                let msg = match kw {
                    "notify_priority_changes" => format!("({name}) Invalid value '{a}' for notify_priority_changes specified"),
                    _ => format!("({name}) invalid {kw} {a} specified"),
                };
                c.err(GE, msg).help("accepted: on|off|true|false|yes|no (lower case)");
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
        _ => {}
    }
}

fn dev_name_valid(name: &str) -> bool {
    !name.is_empty()
        && name.len() < 16
        && name != "."
        && name != ".."
        && !name.chars().any(|ch| ch == '/' || ch == ':' || ch.is_whitespace())
}

fn parse_mac(s: &str) -> Option<[u8; 6]> {
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

fn use_vmac(c: &mut C, w: &[String]) {
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
                    c.err(GE, format!("VMAC MAC address not allowed to be RFC5798 address ({a}) - ignoring"));
                }
                Some(m) => mac = Some(m),
            }
        } else {
            if ifname.is_some() {
                c.err(GE, "VMAC interface name already specified");
                continue;
            }
            if !dev_name_valid(a) {
                c.err(GE, format!("VMAC interface name '{a}' too long or invalid characters - ignoring"));
                continue;
            }
            let other = c.state.cfg.instances.iter().find(|o| o.use_vmac.as_ref().and_then(|v| v.0.as_deref()) == Some(a.as_str()));
            if let Some(o) = other {
                let oname = o.name.clone();
                c.err(GE, format!("({name}) VRRP instance {oname} is already using {a} - ignoring name"));
                continue;
            }
            ifname = Some(a.clone());
        }
    }
    inst(c).use_vmac = Some((ifname, mac));
}

fn use_ipvlan(c: &mut C, w: &[String]) {
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
                c.err(GE, format!("({name}) ipvlan type already specified - ignoring '{a}'"));
            }
            had_type = true;
        } else if a.len() >= 16 && parse_ip(a.split('/').next().unwrap_or("")).is_none() {
            c.err(GE, format!("({name}) IPVLAN interface name '{a}' too long - ignoring"));
        }
    }
}

fn unicast_peer(c: &mut C, w: &[String]) {
    let name = iname(c);
    inst(c).unicast_configured = true;
    for item in c.value_block(w) {
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
        let mut peer = UnicastPeer { addr, min_ttl: None, max_ttl: None };
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
            c.err(GE, format!("({name}) min_ttl {lo} > max_ttl {hi} - all packets will be discarded"));
        }
        inst(c).unicast_peers.push(peer);
    }
}

fn old_unicast_checksum(c: &mut C, w: &[String]) {
    let name = iname(c);
    inst(c).unicast_configured = true;
    match w.get(1) {
        Some(a) if a == "never" => inst(c).old_unicast_checksum = Some(false),
        Some(a) => {
            c.err(GE, format!("({name}) Unknown old_unicast_chksum mode {a} - ignoring"));
        }
        None => inst(c).old_unicast_checksum = Some(true),
    }
}

fn native_ipv6(c: &mut C, _w: &[String]) {
    let name = iname(c);
    let i = inst(c);
    if i.family == Some(Family::V4) {
        c.err(GE, format!("({name}) Cannot specify native_ipv6 with IPv4 addresses"));
        return;
    }
    i.family = Some(Family::V6);
    i.native_ipv6 = true;
    i.version = Some(3);
}

fn state(c: &mut C, w: &[String]) {
    let Some(a) = c.arg(w, 1) else { return };
    let name = iname(c);
    match a {
        "MASTER" => inst(c).state = Some(InitialState::Master),
        "BACKUP" => {
            if inst(c).state == Some(InitialState::Master) {
                c.err(GE, format!("({name}) state previously set as MASTER - ignoring BACKUP"));
            } else {
                inst(c).state = Some(InitialState::Backup);
            }
        }
        _ => {
            c.err(GE, format!("({name}) unknown state '{a}', defaulting to BACKUP")).help("accepted: MASTER or BACKUP (upper case)");
            inst(c).state = Some(InitialState::Backup);
        }
    }
}

fn interface(c: &mut C, w: &[String]) {
    let Some(a) = c.arg(w, 1) else { return };
    let name = iname(c);
    if a.len() >= 16 {
        c.err(GE, format!("Interface name '{a}' too long - ignoring"));
        return;
    }
    inst(c).interface_configured = Some(a.to_string());
    inst(c).interface = None;
    if !interface_known(c, a) {
        c.err(GE, format!("WARNING - interface {a} for vrrp_instance {name} doesn't exist"));
        return;
    }
    if c.state.host.interface(a).is_some_and(|i| i.loopback) {
        c.err(GE, format!("({name}) cannot use a loopback interface ({a}) for vrrp - ignoring"));
        return;
    }
    inst(c).interface = Some(a.to_string());
}

fn vrf(c: &mut C, w: &[String]) {
    let Some(a) = c.arg(w, 1) else { return };
    let name = iname(c);
    if a.len() >= 16 {
        c.err(GE, format!("({name}) VRF interface name '{a}' too long - ignoring"));
    } else if inst(c).interface.is_some() {
        c.err(GE, format!("({name}) Cannot specify VRF interface and interface - ignoring"));
    } else if !interface_known(c, a) {
        c.err(GE, format!("({name}) WARNING - VRF interface {a} doesn't exist"));
    }
}

fn linkbeat_use_polling(c: &mut C, _w: &[String]) {
    let name = iname(c);
    c.err(GE, format!("({name}) 'linkbeat_use_polling' in vrrp instance deprecated - use linkbeat_interfaces block"));
}

fn src_ip(c: &mut C, w: &[String]) {
    if w[0] == "unicast_src_ip" {
        inst(c).unicast_configured = true;
    }
    let Some(a) = c.arg(w, 1) else { return };
    let name = iname(c);
    let Some(addr) = sockaddr(a) else {
        c.err(GE, format!("Configuration error: VRRP instance[{name}] malformed src address[{a}]. Skipping..."));
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

fn mcast_dst_ip(c: &mut C, w: &[String]) {
    let Some(a) = c.arg(w, 1) else { return };
    let name = iname(c);
    let Some(addr) = sockaddr(a) else {
        c.err(GE, format!("({name}) malformed mcast dest address {a}. Skipping..."));
        return;
    };
    if !set_family(c, family_of(&addr)) {
        c.err(GE, format!("({name}) mcast dest address {a} MUST match VRRP instance family. Skipping..."));
        return;
    }
    let ok = match addr {
        IpAddr::V4(v) => v.is_multicast(),
        IpAddr::V6(v) => v.segments()[0] & 0xff0f == 0xff02,
    };
    if !ok {
        let ll = if addr.is_ipv6() { " link-local" } else { "" };
        c.err(GE, format!("({name}) mcast_dst_ip {a} not{ll} multicast. Skipping..."));
        return;
    }
    inst(c).mcast_dst_ip = Some(addr);
}

fn vrid(c: &mut C, w: &[String]) {
    let Some(a) = c.arg(w, 1) else { return };
    let name = iname(c);
    match read_unsigned(c, a, 1, 255, false) {
        Some(v) => inst(c).vrid = Some(v as u8),
        None => {
            c.err(GE, format!("({name}): VRID '{a}' not valid - must be between 1 & 255"));
        }
    }
}

fn unicast_ttl(c: &mut C, w: &[String]) {
    let Some(a) = c.arg(w, 1) else { return };
    let name = iname(c);
    match read_unsigned(c, a, 0, 255, false) {
        Some(v) => inst(c).unicast_ttl = Some(v as u8),
        None => {
            c.err(GE, format!("({name}): TTL '{a}' not valid - must be between 0 & 255"));
        }
    }
}

fn version(c: &mut C, w: &[String]) {
    let Some(a) = c.arg(w, 1) else { return };
    let name = iname(c);
    let Some(v) = read_unsigned(c, a, 2, 3, false) else {
        c.err(GE, format!("({name}): Version must be either 2 or 3"));
        return;
    };
    let i = inst(c);
    if i.family == Some(Family::V6) && v == 2 {
        c.err(GE, format!("({name}) vrrp_version {v} conflicts with configured IPv6 address family - ignoring"));
        return;
    }
    inst(c).version = Some(v as u8);
}

fn priority(c: &mut C, w: &[String]) {
    let Some(a) = c.arg(w, 1) else { return };
    let name = iname(c);
    match read_unsigned(c, a, 1, 255, false) {
        Some(v) => inst(c).priority = Some(v as u8),
        None => {
            c.err(GE, format!("({name}) Priority not valid! must be between 1 & 255. Using default 100"));
            inst(c).priority = Some(100);
        }
    }
}

fn advert_int(c: &mut C, w: &[String]) {
    let Some(a) = c.arg(w, 1) else { return };
    let name = iname(c);
    match read_decimal(c, a, HZ / 100, 255 * HZ, 6, true) {
        Some(v) if v > 0 => inst(c).advert_int_us = v,
        _ => {
            c.err(GE, format!("({name}) Advert interval ({a}) not valid! Must be > 0 - ignoring"))
                .help("accepted: 0.01 to 255 seconds (VRRPv2: whole seconds)");
        }
    }
}

fn preempt_delay(c: &mut C, w: &[String]) {
    let Some(a) = c.arg(w, 1) else { return };
    let name = iname(c);
    match read_decimal(c, a, 0, 1000 * HZ, 6, true) {
        Some(v) => inst(c).preempt_delay_us = v,
        None => {
            c.err(GE, format!("({name}) Preempt_delay not valid! must be between 0-1000"));
            inst(c).preempt_delay_us = 0;
        }
    }
}

fn debug(c: &mut C, w: &[String]) {
    let Some(a) = c.arg(w, 1) else { return };
    let name = iname(c);
    match read_unsigned(c, a, 0, 4, true) {
        Some(v) => inst(c).debug = Some(v as u8),
        None => {
            c.err(GE, format!("({name}) Debug value '{a}' not valid; must be between 0-4"));
        }
    }
}

/// keepalived `notify_script_init`: re-split the raw line shell-like; the
/// command is word 1 (split again into argv), then `[user [group]]`.
pub fn notify_script(c: &mut C) -> Option<Script> {
    let words = c.shell_words()?;
    let cmd = words.get(1)?.clone();
    let argv = c.shell_split(&cmd)?;
    if argv.is_empty() {
        c.log(format!("Unable to parse script '{cmd}' - ignoring"));
        return None;
    }
    Some(Script { cmd, argv, user: words.get(2).cloned(), group: words.get(3).cloned() })
}

fn notify(c: &mut C, w: &[String]) {
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
        let arg = w.get(1).cloned().unwrap_or_default();
        c.err(GE, format!("({name}) {kw} script already specified - ignoring {arg}"));
        return;
    }
    if w.len() < 2 {
        // keepalived reads word 1 unconditionally: a missing parameter
        c.arg(w, 1);
        return;
    }
    let Some(s) = notify_script(c) else { return };
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

fn notify_deleted(c: &mut C, w: &[String]) {
    let name = iname(c);
    if inst(c).notify.deleted.is_some() || inst(c).notify_deleted_flag() {
        let arg = w.get(1).cloned().unwrap_or_default();
        c.err(GE, format!("({name}) notify_deleted already specified - ignoring {arg}"));
        return;
    }
    if w.len() > 1 {
        if let Some(s) = notify_script(c) {
            inst(c).notify.deleted = Some(s);
        }
    }
    inst(c).notify_deleted = true;
}

fn smtp_alert(c: &mut C, w: &[String]) {
    let mut v = true;
    if let Some(a) = w.get(1) {
        match check_true_false(a) {
            Some(b) => v = b,
            None => {
                c.err(GE, format!("Invalid vrrp_instance smtp_alert parameter {a}"));
                return;
            }
        }
    }
    inst(c).smtp_alert = Some(v);
}

fn lvs_sync_daemon_interface(c: &mut C, _w: &[String]) {
    let name = iname(c);
    c.err(GE, format!("({name}) Specifying lvs_sync_daemon_interface against a vrrp is deprecated."));
    let pad = " ".repeat(name.len().saturating_sub(2));
    c.err(GE, format!("      {pad}Please use global lvs_sync_daemon"));
}

/// garp_* and down_timer_adverts overrides.
fn garp_setting(c: &mut C, w: &[String]) {
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
                c.err(GE, format!("({name}): Invalid garp_master_refresh '{a}' - ignoring"));
                inst(c).garp.master_refresh = Some(0);
            }
        },
        "garp_master_repeat" | "garp_master_refresh_repeat" => {
            let Some(mut v) = read_unsigned(c, a, 0, max, true) else {
                c.err(GE, format!("({name}): {kw} '{a}' invalid - ignoring"));
                return;
            };
            if v == 0 {
                c.err(GE, format!("({name}): {kw} must be greater than 0, setting to 1"));
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
                c.err(GE, format!("({name}): Invalid garp_lower_prio_repeat '{a}'"));
            }
        },
        _ => match read_unsigned(c, a, 1, 100, true) {
            Some(v) => inst(c).down_timer_adverts = Some(v as u32),
            None => {
                c.err(GE, format!("({name}): Invalid down_timer_adverts [1:100] '{a}'"));
            }
        },
    }
}

fn garp_extra_if(c: &mut C, w: &[String]) {
    let name = iname(c);
    let kw = w[0].clone();
    if kw == "vmac_garp_intvl" {
        c.err(ErrClass::Deprecated, "Keyword \"vmac_garp_intvl\" is deprecated - please use \"garp_extra_if\"");
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
            c.err(GE, format!("({name}): {kw} specified without time - ignoring"));
        }
    }
}

fn kernel_rx_buf_size(c: &mut C, w: &[String]) {
    let name = iname(c);
    if w.len() == 2 {
        if let Some(v) = read_unsigned(c, &w[1], 0, u32::MAX as u64, false) {
            inst(c).kernel_rx_buf_size = Some(v);
            return;
        }
    }
    c.err(GE, format!("({name}) invalid kernel_rx_buf_size specified"));
}

fn auth_type(c: &mut C, w: &[String]) {
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
            c.err(GE, format!("({name}) unknown authentication type '{a}'")).help("accepted: PASS or AH");
        }
    }
}

fn auth_pass(c: &mut C, w: &[String]) {
    let Some(a) = c.arg(w, 1) else { return };
    let bytes = a.as_bytes();
    if bytes.len() > 8 {
        c.err(GE, "Truncating auth_pass to 8 characters").help(format!("only the first 8 bytes of the password are used: \"{}\"", String::from_utf8_lossy(&bytes[..8])));
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

/// Scope names of /etc/iproute2/rt_scopes (and numbers).
fn scope(s: &str) -> Option<u8> {
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
    let Some(addr) = (if is6 { addr_s.parse().ok().map(IpAddr::V6) } else { addr_s.parse().ok().map(IpAddr::V4) }) else {
        c.err(GE, format!("VRRP parsed invalid IP {first}. skipping IP..."));
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
    while k < item.len() {
        let kw = item[k].as_str();
        let avail = item.len() >= k + 2;
        let needs = matches!(kw, "dev" | "scope" | "broadcast" | "brd" | "label" | "peer" | "preferred_lft")
            || (static_addr && kw == "track_group");
        if needs && !avail {
            missing = Some(kw);
            break;
        }
        match kw {
            "dev" => {
                k += 1;
                if a.dev.is_some() {
                    c.err(GE, format!("Cannot specify ipaddress device more than once for {first}"));
                    return None;
                }
                if !interface_known(c, &item[k]) {
                    c.err(GE, format!("WARNING - interface {} for ip address {first} doesn't exist", item[k]));
                    return None;
                }
                a.dev = Some(item[k].clone());
            }
            "scope" => {
                k += 1;
                match scope(&item[k]) {
                    Some(s) => a.scope = s,
                    None => {
                        c.err(GE, format!("Invalid scope '{}' specified for {first} - ignoring", item[k]))
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
                    c.err(GE, format!("Address label {} is longer than maximum length 15 - removing address", item[k]));
                    return None;
                }
                a.label = Some(item[k].clone());
            }
            "peer" => {
                k += 1;
                let p = item[k].as_str();
                if a.peer.is_some() {
                    c.err(GE, format!("Peer {p} - another peer has already been specified"));
                } else {
                    let (ps, pl) = match p.find('/') {
                        Some(x) => (&p[..x], p[x + 1..].parse::<u8>().ok()),
                        None => (p, None),
                    };
                    match parse_ip(ps) {
                        None => {
                            c.err(GE, format!("Invalid peer address {p}"));
                        }
                        Some(pa) if pa.is_ipv6() != is6 => {
                            c.err(GE, format!("Peer address {p} does not match address family"));
                        }
                        Some(pa) => {
                            if a.prefix != max_prefix as u8 {
                                c.err(GE, "Cannot specify address prefix when specifying peer address - ignoring");
                            }
                            let pl = pl.unwrap_or(max_prefix as u8);
                            a.prefix = pl;
                            prefix = pl;
                            a.peer = Some((pa, pl));
                        }
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
                if !c.state.cfg.track_groups.contains(&item[k]) {
                    c.err(GE, format!("track_group {} not found", item[k]));
                }
            }
            "use_vmac" if !static_addr => a.use_vmac = true,
            other => {
                let d = c.err(GE, format!("Unknown configuration entry '{other}' for ip address - ignoring"));
                if parse_ip(other.split('/').next().unwrap_or("")).is_some() {
                    d.help("a one-line `{ a b }` block is ONE item: put each address on its own line");
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
            c.err(GE, "Cannot specify broadcast and peer addresses - ignoring broadcast address");
            a.broadcast = None;
        }
        Some(sign @ ("+" | "-")) => {
            if prefix <= 30 {
                if let IpAddr::V4(v) = a.peer.map(|p| p.0).unwrap_or(a.addr) {
                    let mask = u32::MAX.checked_shr(prefix as u32).unwrap_or(0);
                    let base = u32::from(v);
                    let b = if sign == "+" { base | mask } else { base & !mask };
                    a.broadcast = Some(IpAddr::V4(b.into()));
                }
            } else {
                c.err(GE, format!("Address prefix length {prefix} too long for broadcast"));
            }
        }
        _ => {}
    }
    if static_addr && a.dev.is_none() {
        let default_if = c.state.cfg.global.default_interface.clone().unwrap_or_else(|| "eth0".into());
        if c.state.host.interface(&default_if).is_none() && !c.state.cfg.global.dynamic_interfaces {
            c.err(ErrClass::Fatal, format!("Static address {first} requires either an interface or default interface must exist"));
            return None;
        }
        a.dev = Some(default_if);
    }
    if is6 {
        if a.scope != 0 {
            c.err(GE, format!("Cannot specify scope for IPv6 addresses ({first}) - ignoring scope"));
            a.scope = 0;
        }
        if a.label.is_some() {
            c.err(GE, format!("Cannot specify label for IPv6 addresses ({first}) - ignoring label"));
            a.label = None;
        }
        if !preferred_set {
            a.preferred_lft = if a.prefix == 128 { Some(0) } else { None };
        }
    }
    Some(a)
}

fn vips(c: &mut C, w: &[String]) {
    let name = iname(c);
    let excluded = w[0] == "virtual_ipaddress_excluded";
    for item in c.value_block(w) {
        let Some(a) = ip_address(c, &item, false) else { continue };
        if excluded {
            inst(c).evips.push(a);
            continue;
        }
        if !set_family(c, family_of(&a.addr)) {
            c.err(GE, format!("({name}): address family must match VRRP instance [{}] - ignoring", item[0]));
            continue;
        }
        inst(c).vips.push(a);
    }
}

fn vroutes(c: &mut C, w: &[String]) {
    for item in c.value_block(w) {
        inst(c).vroutes.push(RouteSpec { words: item });
    }
}

fn vrules(c: &mut C, w: &[String]) {
    for item in c.value_block(w) {
        inst(c).vrules.push(RuleSpec { words: item });
    }
}

// ---------------------------------------------------------------- tracking references

/// `IF [weight W [reverse]]` (keepalived `alloc_track_if`).
fn track_if_item(c: &mut C, owner: &str, existing: &[TrackIf], item: &[String]) -> Option<TrackIf> {
    let tracked = item[0].clone();
    if !interface_known(c, &tracked) {
        c.err(GE, format!("({owner}) tracked interface {tracked} doesn't exist"));
        return None;
    }
    if existing.iter().any(|t| t.ifname == tracked) {
        c.err(GE, format!("({owner}) duplicate track_interface {tracked} - ignoring"));
        return None;
    }
    let mut weight = 0;
    let mut reverse = false;
    if item.len() >= 2 {
        if item[1] != "weight" {
            c.err(GE, format!("({owner}) unknown track_interface {tracked} option {} - ignoring", item[1]));
            return None;
        }
        if item.len() == 2 {
            c.err(GE, format!("({owner}) weight without value specified for track_interface {tracked} - ignoring"));
            return None;
        }
        weight = match read_int(c, &item[2], -254, 254, true) {
            Some(v) => v as i32,
            None => {
                c.err(GE, format!("({owner}) weight {} for {tracked} must be between [-253..253] inclusive. Ignoring...", item[2]));
                0
            }
        };
        if weight.abs() == 254 {
            c.err(GE, format!("({owner}) weight for {tracked} cannot be +/-254. Setting to +/-253"));
            weight = weight.signum() * 253;
        }
        if item.len() >= 4 {
            if item[3] == "reverse" {
                reverse = true;
            } else {
                c.err(GE, format!("({owner}) unknown track_interace {tracked} weight option {} - ignoring", item[3]));
            }
        }
    }
    Some(TrackIf { ifname: tracked, weight, reverse })
}

/// `weight W [reverse|noreverse]` part shared by script/file/process/bfd refs.
struct RefTexts {
    what: &'static str,
    unknown_opt: fn(&str, &str, &str) -> String,
    no_value: fn(&str, &str) -> String,
    bad_weight: fn(&str, &str, &str) -> String,
    bad_rev: fn(&str, &str, &str) -> String,
    clamp_254: bool,
    bad_rev_rejects: bool,
}

fn track_ref(c: &mut C, owner: &str, existing: &[TrackRef], item: &[String], found: Option<(i32, bool)>, t: &RefTexts) -> Option<TrackRef> {
    let tracked = item[0].clone();
    let Some((dw, drev)) = found else {
        c.err(GE, format!("({owner}) {} {tracked} not found, ignoring...", t.what));
        return None;
    };
    if existing.iter().any(|e| e.name == tracked) {
        let kw = t.what.replace(' ', "_");
        c.err(GE, format!("({owner}) duplicate {kw} {tracked} - ignoring"));
        return None;
    }
    let (mut weight, mut reverse) = (dw, drev);
    if item.len() >= 2 {
        if item[1] != "weight" {
            c.err(GE, (t.unknown_opt)(owner, &tracked, &item[1]));
            return None;
        }
        if item.len() == 2 {
            c.err(GE, (t.no_value)(owner, &tracked));
            return None;
        }
        match read_int(c, &item[2], -254, 254, true) {
            Some(v) => weight = v as i32,
            None => {
                c.err(GE, (t.bad_weight)(owner, &tracked, &item[2]));
                weight = dw;
            }
        }
        if t.clamp_254 && weight.abs() == 254 {
            c.err(GE, format!("({owner}) weight for {tracked} cannot be +/-254. Setting to +/-253"));
            weight = weight.signum() * 253;
        }
        if item.len() >= 4 {
            match item[3].as_str() {
                "reverse" => reverse = true,
                "noreverse" => reverse = false,
                other => {
                    c.err(GE, (t.bad_rev)(owner, &tracked, other));
                    if t.bad_rev_rejects {
                        return None;
                    }
                }
            }
        }
    }
    Some(TrackRef { name: tracked, weight, reverse })
}

const SCRIPT_TEXTS: RefTexts = RefTexts {
    what: "track script",
    unknown_opt: |o, _t, opt| format!("({o}) unknown track script option {opt} - ignoring"),
    no_value: |o, t| format!("({o}) weight without value specified for track script {t} - ignoring"),
    bad_weight: |o, t, _w| format!("({o}) track script {t}: weight must be between [-253..253] inclusive, ignoring..."),
    bad_rev: |o, t, opt| format!("({o}) unknown track_script {t} weight option {opt} - ignoring"),
    clamp_254: true,
    bad_rev_rejects: false,
};

const FILE_TEXTS: RefTexts = RefTexts {
    what: "track file",
    unknown_opt: |o, _t, opt| format!("({o}) unknown track file option {opt} - ignoring"),
    no_value: |o, t| format!("({o}) weight without value specified for track file {t} - ignoring"),
    bad_weight: |o, t, _w| format!("({o}) weight for track file {t} must be in [-254..254] inclusive. Ignoring..."),
    bad_rev: |o, t, opt| format!("({o}) unknown track file {t} weight option {opt} - ignoring"),
    clamp_254: false,
    bad_rev_rejects: true,
};

const PROCESS_TEXTS: RefTexts = RefTexts {
    what: "track process",
    unknown_opt: |o, _t, opt| format!("({o}) unknown track process option {opt} - ignoring"),
    no_value: |o, t| format!("({o}) weight without value specified for track process {t} - ignoring"),
    bad_weight: |o, t, _w| format!("({o}) weight for track process {t} must be in [-254..254] inclusive. Ignoring..."),
    bad_rev: |o, t, opt| format!("({o}) unknown track_process {t} weight option {opt} - ignoring"),
    clamp_254: false,
    bad_rev_rejects: true,
};

const BFD_TEXTS: RefTexts = RefTexts {
    what: "track bfd",
    unknown_opt: |o, t, opt| format!("({o}) unknown track bfd {t} option {opt} - ignoring"),
    no_value: |o, t| format!("({o}) weight without value specified for track bfd {t} - ignoring"),
    bad_weight: |o, t, _w| format!("({o}) weight for track bfd {t} must be in [-254..254] inclusive. Ignoring..."),
    bad_rev: |o, t, opt| format!("({o}) unknown track bfd {t} weight option {opt} - ignoring"),
    clamp_254: false,
    bad_rev_rejects: true,
};

fn track_script_item(c: &mut C, owner: &str, existing: &[TrackRef], item: &[String]) -> Option<TrackRef> {
    let found = c.state.cfg.scripts.iter().find(|s| s.name == item[0]).map(|s| (s.weight, s.weight_reverse));
    let r = track_ref(c, owner, existing, item, found, &SCRIPT_TEXTS)?;
    if let Some(s) = c.state.cfg.scripts.iter_mut().find(|s| s.name == r.name) {
        s.used = true;
    }
    Some(r)
}

fn track_file_item(c: &mut C, owner: &str, existing: &[TrackRef], item: &[String]) -> Option<TrackRef> {
    let found = c.state.cfg.track_files.iter().find(|s| s.name == item[0]).map(|s| (s.weight, s.weight_reverse));
    track_ref(c, owner, existing, item, found, &FILE_TEXTS)
}

fn track_process_item(c: &mut C, owner: &str, existing: &[TrackRef], item: &[String]) -> Option<TrackRef> {
    let found = c.state.cfg.track_processes.iter().find(|s| s.name == item[0]).map(|s| (s.weight, s.weight_reverse));
    track_ref(c, owner, existing, item, found, &PROCESS_TEXTS)
}

fn track_bfd_item(c: &mut C, owner: &str, existing: &[TrackRef], item: &[String]) -> Option<TrackRef> {
    let found = c.state.bfd_names.iter().any(|n| *n == item[0]).then_some((0, false));
    track_ref(c, owner, existing, item, found, &BFD_TEXTS)
}

fn track_interface(c: &mut C, w: &[String]) {
    let name = iname(c);
    for item in c.value_block(w) {
        let existing = inst(c).track_interfaces.clone();
        if let Some(t) = track_if_item(c, &name, &existing, &item) {
            inst(c).track_interfaces.push(t);
        }
    }
}

fn track_script(c: &mut C, w: &[String]) {
    let name = iname(c);
    for item in c.value_block(w) {
        let existing = inst(c).track_scripts.clone();
        if let Some(t) = track_script_item(c, &name, &existing, &item) {
            inst(c).track_scripts.push(t);
        }
    }
}

fn track_file_ref(c: &mut C, w: &[String]) {
    let name = iname(c);
    for item in c.value_block(w) {
        let existing = inst(c).track_files.clone();
        if let Some(t) = track_file_item(c, &name, &existing, &item) {
            inst(c).track_files.push(t);
        }
    }
}

fn track_process_ref(c: &mut C, w: &[String]) {
    let name = iname(c);
    for item in c.value_block(w) {
        let existing = inst(c).track_processes.clone();
        if let Some(t) = track_process_item(c, &name, &existing, &item) {
            inst(c).track_processes.push(t);
        }
    }
}

fn track_bfd_ref(c: &mut C, w: &[String]) {
    let name = iname(c);
    for item in c.value_block(w) {
        let existing = inst(c).track_bfds.clone();
        if let Some(t) = track_bfd_item(c, &name, &existing, &item) {
            inst(c).track_bfds.push(t);
        }
    }
}

// ---------------------------------------------------------------- vrrp_script

fn script(c: &mut C, w: &[String]) {
    let Some(a) = c.arg(w, 1) else { return };
    c.state.cfg.scripts.push(VrrpScript {
        name: a.to_string(),
        script: None,
        interval_s: 1,
        timeout_s: 0,
        weight: 0,
        weight_reverse: false,
        rise: 1,
        fall: 1,
        init_fail: false,
        user: None,
        user_set: false,
        used: false,
    });
    c.state.cur_script = Some(c.state.cfg.scripts.len() - 1);
    c.state.script_user_set = false;
    c.state.remove_script = false;
}

fn vscript<'a>(c: &'a mut C) -> &'a mut VrrpScript {
    let i = c.state.cur_script.expect("inside vrrp_script");
    &mut c.state.cfg.scripts[i]
}

fn script_script(c: &mut C, _w: &[String]) {
    let Some(words) = c.shell_words() else { return };
    let Some(cmd) = words.get(1).cloned() else { return };
    let Some(argv) = c.shell_split(&cmd) else { return };
    vscript(c).script = Some(Script { cmd, argv, user: None, group: None });
}

fn script_number(c: &mut C, w: &[String]) {
    let Some(a) = c.arg(w, 1) else { return };
    let sname = vscript(c).name.clone();
    let kw = w[0].as_str();
    let max = u32::MAX as u64 / HZ;
    match kw {
        "interval" | "timeout" => {
            let Some(mut v) = read_unsigned(c, a, 0, max, true) else {
                let msg = if kw == "interval" {
                    format!("({sname}): vrrp script interval '{a}' must be between 1 and {max} - ignoring")
                } else {
                    format!("({sname}): vrrp script timeout '{a}' invalid - ignoring")
                };
                c.err(GE, msg).help("keepalived 2.2.7 takes whole seconds here");
                return;
            };
            if v == 0 {
                c.err(GE, format!("({sname}): vrrp script {kw} must be greater than 0, setting to 1"));
                v = 1;
            }
            if kw == "interval" {
                vscript(c).interval_s = v as u32;
            } else {
                vscript(c).timeout_s = v as u32;
            }
        }
        _ => {
            let v = match read_unsigned(c, a, 1, i32::MAX as u64, true) {
                Some(v) => v as u32,
                None => {
                    c.err(GE, format!("({sname}): vrrp script {kw} value '{a}' invalid, defaulting to 1"));
                    1
                }
            };
            if kw == "rise" {
                vscript(c).rise = v;
            } else {
                vscript(c).fall = v;
            }
        }
    }
}

fn script_weight(c: &mut C, w: &[String]) {
    let Some(a) = c.arg(w, 1) else { return };
    let sname = vscript(c).name.clone();
    let v = read_int(c, a, -253, 253, true);
    if v.is_none() {
        c.err(GE, format!("vrrp_script {sname} weight {a} must be in [-253, 253]"));
    }
    // keepalived stores whatever strtol produced, even when out of range
    let raw = v.unwrap_or_else(|| {
        let t = a.trim_start();
        let n: String = t.chars().take_while(|ch| ch.is_ascii_digit() || *ch == '-' || *ch == '+').collect();
        n.parse::<i64>().unwrap_or(0).clamp(i32::MIN as i64, i32::MAX as i64)
    });
    vscript(c).weight = raw as i32;
    if let Some(opt) = w.get(2) {
        if opt == "reverse" {
            vscript(c).weight_reverse = true;
        } else {
            c.err(GE, format!("vrrp_script {sname} unknown weight option {opt}"));
        }
    }
}

fn script_user(c: &mut C, w: &[String]) {
    let Some(u) = c.arg(w, 1) else { return };
    let g = w.get(2).cloned();
    let ok = c.state.host.user(u).is_some() && g.as_ref().is_none_or(|g| c.state.host.group(g).is_some());
    if !ok {
        let cmd = vscript(c).script.as_ref().map(|s| s.cmd.clone()).unwrap_or_default();
        c.err(GE, format!("Unable to set uid/gid for script {cmd}"));
        c.state.remove_script = true;
    } else {
        c.state.remove_script = false;
        c.state.script_user_set = true;
        vscript(c).user = Some((u.to_string(), g));
    }
}

fn script_init_fail(c: &mut C, _w: &[String]) {
    vscript(c).init_fail = true;
}

fn script_end(c: &mut C) {
    let s = vscript(c);
    let sname = s.name.clone();
    let has_script = s.script.as_ref().is_some_and(|s| !s.argv.is_empty());
    let mut remove = c.state.remove_script;
    if !has_script {
        c.err_noloc(GE, format!("No script set for vrrp_script {sname} - removing"));
        remove = true;
    }
    if remove {
        c.state.cfg.scripts.pop();
    } else {
        vscript(c).user_set = c.state.script_user_set;
    }
    c.state.cur_script = None;
}

// ---------------------------------------------------------------- vrrp_track_process

fn tprocess(c: &mut C, w: &[String]) {
    let Some(a) = c.arg(w, 1) else { return };
    c.state.cfg.track_processes.push(TrackProcess {
        name: a.to_string(),
        process: Vec::new(),
        weight: 0,
        weight_reverse: false,
        quorum: 1,
        quorum_max: u32::MAX,
    });
    c.state.cur_track_process = Some(c.state.cfg.track_processes.len() - 1);
}

fn tproc<'a>(c: &'a mut C) -> &'a mut TrackProcess {
    let i = c.state.cur_track_process.expect("inside vrrp_track_process");
    &mut c.state.cfg.track_processes[i]
}

fn tprocess_process(c: &mut C, w: &[String]) {
    let name = tproc(c).name.clone();
    if !tproc(c).process.is_empty() {
        c.err(GE, format!("Process already set for track process {name} - ignoring"));
        return;
    }
    let words = c.shell_words().unwrap_or_default();
    tproc(c).process = if words.len() > 1 { words[1..].to_vec() } else { w[1..].to_vec() };
}

fn tprocess_match(c: &mut C, w: &[String]) {
    let Some(a) = c.arg(w, 1) else { return };
    if a != "initial" && a != "partial" {
        c.err(GE, format!("Invalid param_match type {a} - ignoring"));
    }
}

fn tprocess_weight(c: &mut C, w: &[String]) {
    let name = tproc(c).name.clone();
    let Some(a) = w.get(1) else {
        c.err(GE, format!("No weight specified for track process {name} - ignoring"));
        return;
    };
    if tproc(c).weight != 0 {
        c.err(GE, format!("Weight already set for track process {name} - ignoring {a}"));
        return;
    }
    let v = match read_int(c, a, -254, 254, true) {
        Some(v) => v as i32,
        None => {
            c.err(GE, format!("Weight ({a}) for vrrp_track_process {name} must be between [-254..254] inclusive. Ignoring..."));
            0
        }
    };
    tproc(c).weight = v;
    if let Some(opt) = w.get(2) {
        if opt == "reverse" {
            tproc(c).weight_reverse = true;
        } else {
            c.err(GE, format!("vrrp_track_process {name} unknown weight option {opt}"));
        }
    }
}

fn tprocess_quorum(c: &mut C, w: &[String]) {
    let Some(a) = c.arg(w, 1) else { return };
    let name = tproc(c).name.clone();
    let kw = w[0].as_str();
    let Some(v) = read_unsigned(c, a, if kw == "quorum" { 1 } else { 0 }, 65535, true) else {
        let label = if kw == "quorum" { "Quorum" } else { "quorum_max" };
        c.err(GE, format!("{label} ({a}) for vrrp_track_process {name} must be between [1..65535] inclusive. Ignoring..."));
        return;
    };
    let v = v as u32;
    if kw == "quorum" {
        if v > tproc(c).quorum_max {
            c.err(GE, "Quorum is greater than quorum_max - ignoring");
            return;
        }
        tproc(c).quorum = v;
    } else {
        if v < tproc(c).quorum {
            c.err(GE, "quorum_max is less than quorum - ignoring");
            return;
        }
        tproc(c).quorum_max = v;
    }
}

fn tprocess_delay(c: &mut C, w: &[String]) {
    let Some(a) = c.arg(w, 1) else { return };
    let name = tproc(c).name.clone();
    if read_decimal(c, a, 0, 3600 * HZ, 6, true).is_none() {
        let prefix = w[0].strip_suffix("delay").unwrap_or("");
        c.err(GE, format!("{prefix}delay ({a}) for vrrp_track_process {name} must be between [0..3600] inclusive. Ignoring..."));
    }
}

fn tprocess_full(_c: &mut C, _w: &[String]) {}

fn tprocess_end(c: &mut C) {
    if tproc(c).process.is_empty() {
        let name = tproc(c).name.clone();
        c.err(GE, format!("track process '{name}' process name not specified"));
        c.state.cfg.track_processes.pop();
    }
    c.state.cur_track_process = None;
}

// ---------------------------------------------------------------- track_file

fn track_file(c: &mut C, w: &[String]) {
    let Some(a) = c.arg(w, 1) else { return };
    c.state.cfg.track_files.push(TrackFile { name: a.to_string(), file: None, weight: 1, weight_reverse: false, init_file: None });
    c.state.cur_track_file = Some(c.state.cfg.track_files.len() - 1);
}

fn vrrp_track_file(c: &mut C, w: &[String]) {
    c.log("\"vrrp_track_file\" is deprecated, please use \"track_file\"");
    track_file(c, w);
}

fn tf<'a>(c: &'a mut C) -> Option<&'a mut TrackFile> {
    let i = c.state.cur_track_file?;
    c.state.cfg.track_files.get_mut(i)
}

fn tfile_file(c: &mut C, w: &[String]) {
    let Some(a) = w.get(1) else {
        c.err(GE, "track file file name missing");
        return;
    };
    let Some(t) = tf(c) else { return };
    if t.file.is_some() {
        let n = t.name.clone();
        c.err(GE, format!("File already set for track file {n} - ignoring {a}"));
        return;
    }
    t.file = Some(a.clone());
}

fn tfile_weight(c: &mut C, w: &[String]) {
    let Some(name) = tf(c).map(|t| t.name.clone()) else { return };
    let Some(a) = w.get(1) else {
        c.err(GE, format!("No weight specified for track file {name} - ignoring"));
        return;
    };
    if tf(c).is_some_and(|t| t.weight != 1) {
        c.err(GE, format!("Weight already set for track file {name} - ignoring {a}"));
        return;
    }
    let v = match read_int(c, a, -254, 254, true) {
        Some(v) => v as i32,
        None => {
            c.err(GE, format!("Weight ({a}) for track_file {name} must be between [-254..254] inclusive. Ignoring..."));
            1
        }
    };
    if let Some(t) = tf(c) {
        t.weight = v;
    }
    if let Some(opt) = w.get(2) {
        if opt == "reverse" {
            if let Some(t) = tf(c) {
                t.weight_reverse = true;
            }
        } else {
            c.err(GE, format!("track_file {name} unknown weight option {opt}"));
        }
    }
}

fn tfile_init(c: &mut C, w: &[String]) {
    let Some(name) = tf(c).map(|t| t.name.clone()) else { return };
    let mut value = 0i64;
    let mut overwrite = false;
    for word in &w[1..] {
        let t = word.trim_start();
        if t.starts_with(|ch: char| ch.is_ascii_digit() || ch == '-') {
            match read_int(c, word, i32::MIN as i64, i32::MAX as i64, false) {
                Some(v) => {
                    if !(-254..=254).contains(&v) {
                        c.err(GE, format!("Track file {name} init value {v} is outside sensible range [-254, 254]"));
                    }
                    value = v;
                }
                None => {
                    c.err(GE, format!("Track file {name} init value {t} is invalid"));
                    value = 0;
                }
            }
        } else if t == "overwrite" {
            overwrite = true;
        } else {
            c.err(GE, format!("Unknown track file init option {t}"));
        }
    }
    if let Some(t) = tf(c) {
        t.init_file = Some((value, overwrite));
    }
}

fn track_file_end(c: &mut C) {
    let Some(t) = tf(c) else { return };
    if t.file.is_none() {
        let n = t.name.clone();
        c.err(GE, format!("No file set for track_file {n} - ignoring"));
        c.state.cfg.track_files.pop();
    }
    c.state.cur_track_file = None;
}

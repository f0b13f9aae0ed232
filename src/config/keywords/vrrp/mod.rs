//! VRRP blocks: `vrrp_instance`, `vrrp_sync_group`, `vrrp_script`,
//! `track_file`, `vrrp_track_process`, `garp_group`, `static_*`,
//! `track_group`, `linkbeat_interfaces`, `interface_up_down_delays`.
//!
//! Each handler stores what the line says and reports what keepalived 2.2.7
//! reports for that line (texts from its vrrp_parser.c, vrrp_data.c,
//! vrrp_track.c, track_file.c and vrrp_ipaddress.c). Checks that need the
//! whole file are in `validate`.

pub(super) use super::super::diag::ErrClass;
pub(super) use super::super::model::*;
use super::super::parser::Kw;
pub(super) use super::super::values::{
    check_true_false, read_decimal, read_int, read_timer, read_unsigned,
};
pub(super) use super::{C, K};
pub(super) use std::net::IpAddr;
use std::sync::LazyLock;

mod address;
mod blocks;
mod instance;
mod route;
mod rule;
mod script;
#[cfg(test)]
mod tests;
mod track;

pub use address::ip_address;
use blocks::*;
use instance::*;
use script::*;
use track::*;

pub(super) const GE: ErrClass = ErrClass::GeneralError;

/// keepalived TIMER_HZ: microseconds per second.
pub(super) const HZ: u64 = 1_000_000;

pub fn root_keywords() -> Vec<K> {
    vec![
        Kw::block(
            "track_group",
            Some(track_group),
            TRACK_GROUP.as_slice(),
            None,
        ),
        Kw::new("static_ipaddress", static_ipaddress),
        Kw::new("static_routes", static_routes),
        Kw::new("static_rules", static_rules),
        Kw::block(
            "vrrp_sync_group",
            Some(sync_group),
            SYNC_GROUP.as_slice(),
            None,
        ),
        Kw::block(
            "garp_group",
            Some(garp_group),
            GARP_GROUP.as_slice(),
            Some(garp_group_end),
        ),
        Kw::new("linkbeat_interfaces", linkbeat_interfaces),
        Kw::block(
            "vrrp_instance",
            Some(instance),
            INSTANCE.as_slice(),
            Some(instance_end),
        ),
        Kw::block(
            "vrrp_script",
            Some(script),
            SCRIPT.as_slice(),
            Some(script_end),
        ),
        Kw::block(
            "vrrp_track_process",
            Some(tprocess),
            TPROCESS.as_slice(),
            Some(tprocess_end),
        ),
        Kw::new("interface_up_down_delays", up_down_delays),
        Kw::block(
            "track_file",
            Some(track_file),
            TRACK_FILE.as_slice(),
            Some(track_file_end),
        ),
        Kw::block(
            "vrrp_track_file",
            Some(vrrp_track_file),
            TRACK_FILE.as_slice(),
            Some(track_file_end),
        ),
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

static AUTH: LazyLock<Vec<K>> = LazyLock::new(|| {
    vec![
        Kw::new("auth_type", auth_type),
        Kw::new("auth_pass", auth_pass),
    ]
});

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
        Kw::new("v3_checksum_as_v2", bool_opt),
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
    vec![
        Kw::new("file", tfile_file),
        Kw::new("weight", tfile_weight),
        Kw::new("init_file", tfile_init),
    ]
});

// ---------------------------------------------------------------- helpers

/// The instance keywords apply to: the last one declared, as keepalived's
/// `list_last_entry` (see [`super::Orphans`] when there is none).
pub(super) fn inst<'a>(c: &'a mut C) -> &'a mut VrrpInstance {
    let st = &mut c.state;
    match st.cfg.instances.last_mut() {
        Some(i) => i,
        None => &mut st.orphans.instance,
    }
}

pub(super) fn iname(c: &C) -> String {
    c.state
        .cfg
        .instances
        .last()
        .map(|i| i.name.clone())
        .unwrap_or_default()
}

/// The sync group keywords apply to (the last one declared).
pub(super) fn group<'a>(c: &'a mut C) -> &'a mut SyncGroup {
    let st = &mut c.state;
    match st.cfg.sync_groups.last_mut() {
        Some(g) => g,
        None => &mut st.orphans.group,
    }
}

/// An interface exists (or may appear later with `dynamic_interfaces`).
/// keepalived's `if_get_by_ifname(.., dynamic_interfaces)` (linkbeat and
/// up/down delays): the lookup alone, nothing remembered.
pub(super) fn interface_exists(c: &C, name: &str) -> bool {
    c.state.cfg.global.dynamic_interfaces || c.state.host.interface(name).is_some()
}

/// keepalived's `if_get_by_ifname(.., IF_CREATE_IF_DYNAMIC)`: a missing
/// interface is also remembered, so that the configuration is refused with
/// "Non-existent interface specified in configuration".
pub(super) fn interface_known(c: &mut C, name: &str) -> bool {
    let known = c.state.cfg.global.dynamic_interfaces || c.state.host.interface(name).is_some();
    if !known {
        c.state.cfg.non_existent_interface = true;
    }
    known
}

/// Parse an IPv4/IPv6 address as inet_pton would (strict dotted quad).
pub fn parse_ip(s: &str) -> Option<IpAddr> {
    if s.contains(':') {
        s.parse::<std::net::Ipv6Addr>().ok().map(IpAddr::V6)
    } else {
        s.parse::<std::net::Ipv4Addr>().ok().map(IpAddr::V4)
    }
}

/// keepalived `inet_stosockaddr`: the family is IPv6 when the text has a
/// `:`; a range (`A-B`) or a mask (`A/24`) after the address is cut off;
/// no brackets.
pub(super) fn sockaddr(s: &str) -> Option<IpAddr> {
    let cut = s.find('-').or_else(|| s.find('/')).unwrap_or(s.len());
    let t = &s[..cut];
    if s.contains(':') {
        t.parse::<std::net::Ipv6Addr>().ok().map(IpAddr::V6)
    } else {
        t.parse::<std::net::Ipv4Addr>().ok().map(IpAddr::V4)
    }
}

pub(super) fn set_family(c: &mut C, f: Family) -> bool {
    let i = inst(c);
    match i.family {
        None => {
            i.family = Some(f);
            true
        }
        Some(cur) => cur == f,
    }
}

pub(super) fn family_of(a: &IpAddr) -> Family {
    if a.is_ipv4() { Family::V4 } else { Family::V6 }
}

//! `global_defs` and the top-level global keywords (keepalived 2.2.7
//! `init_global_keywords`, Debian build: VRRP, VRRP_VMAC, LVS, BFD, SNMP,
//! DBUS, NFTABLES without IPTABLES, LINKBEAT, TRACK_PROCESS).
//!
//! Every handler validates as keepalived does, with its message texts and
//! error classes, and stores the result in `State::cfg.global` (or, for
//! `net_namespace`, `instance`, `use_pid_dir`, `child_wait_time`, in
//! `State::cfg`). Keywords this build does not act on (SMTP, SNMP, DBus, LVS,
//! BFD, scheduling, ...) are still validated, because `keepalived -t`'s exit
//! code depends on their messages; `grammar/global-keywords.md` lists them.
//!
//! Where keepalived reads `strvec_slot(strvec, 1)` without checking the
//! number of words first, a missing value stops the parse (`Ctx::arg`,
//! keepalived's fatal "missing a parameter"); where it checks first, the
//! keyword's own message is given instead.
//!
//! Beyond keepalived: `metrics_file PATH` (path of our Prometheus textfile).
//!
//! Also here, for the VRRP keywords: keepalived's script-user logic
//! ([`lookup_uid_gid`], [`default_script_user`]) and notify script parsing
//! ([`notify_script_init`]).

use super::super::diag::ErrClass;
use super::super::model::{
    DefaultScriptUser, FifoSpec, GlobalDefs, LvsFlushOnStop, LvsSyncDaemon, ProcessSched,
    RX_BUFS_ADVERT, RX_BUFS_MTU, RX_BUFS_SIZE, Script,
};
use super::super::reader::include;
use super::super::values::{check_true_false, read_decimal, read_int, read_unsigned};
use super::{C, K};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::path::Path;
use std::sync::LazyLock;

/// keepalived's TIMER_HZ: values are kept in microseconds.
const TIMER_HZ: u64 = 1_000_000;
/// `UINT_MAX / TIMER_HZ`: the largest number of seconds keepalived accepts
/// where it stores a time in microseconds in an `unsigned`.
const MAX_SECS: u64 = u32::MAX as u64 / TIMER_HZ;
/// `sched_get_priority_max(SCHED_RR)` / `_min` on Linux.
const RR_PRIO_MAX: i64 = 99;
const RR_PRIO_MIN: i64 = 1;
/// Linux TASK_COMM_LEN: process names are cut to 15 bytes.
const TASK_COMM_LEN: usize = 16;
/// keepalived's LVS_MAX_TIMEOUT (31 days).
const LVS_MAX_TIMEOUT: u64 = 86400 * 31;
/// IP_VS_IFNAME_MAXLEN.
const IP_VS_IFNAME_MAXLEN: usize = 16;
/// NFT_TABLE_MAXNAMELEN (NFT_NAME_MAXLEN of the kernel headers keepalived was built with).
const NFT_TABLE_MAXNAMELEN: usize = 256;
/// PATH_MAX.
const PATH_MAX: usize = 4096;
/// The sysctl `disable_local_igmp` needs.
const IGMP_LINK_LOCAL_MCAST_REPORTS: &str = "/proc/sys/net/ipv4/igmp_link_local_mcast_reports";
/// keepalived's default nftables tables.
const DEFAULT_NFTABLES_TABLE: &str = "keepalived";
const DEFAULT_NFTABLES_IPVS_TABLE: &str = "keepalived_ipvs";
const DEFAULT_IPVS_NF_START_FWMARK: u32 = 1000;
/// The user scripts run as when none is configured (if it exists).
const DEFAULT_SCRIPT_USER: &str = "keepalived_script";

/// Table entry that records the line in `GlobalDefs::other` before running
/// the handler.
macro_rules! kw {
    ($name:literal, $h:expr) => {
        K::new($name, |c: &mut C<'_, '_>, w: &[String]| {
            seen(c, w);
            ($h)(c, w)
        })
    };
}

/// The keywords of the `global_defs` block.
pub static GLOBAL_TABLE: LazyLock<Vec<K>> = LazyLock::new(|| {
    vec![
        kw!("process_names", process_names),
        kw!("process_name", |c: &mut C<'_, '_>, w: &[String]| {
            process_name(c, w, Which::Parent)
        }),
        kw!("vrrp_process_name", |c: &mut C<'_, '_>, w: &[String]| {
            process_name(c, w, Which::Vrrp)
        }),
        kw!("checker_process_name", |c: &mut C<'_, '_>, w: &[String]| {
            process_name(c, w, Which::Checker)
        }),
        kw!("lvs_process_name", lvs_process_name),
        kw!("bfd_process_name", |c: &mut C<'_, '_>, w: &[String]| {
            process_name(c, w, Which::Bfd)
        }),
        kw!("router_id", router_id),
        kw!("notification_email_from", notification_email_from),
        kw!("smtp_server", smtp_server),
        kw!("smtp_helo_name", smtp_helo_name),
        kw!("smtp_connect_timeout", smtp_connect_timeout),
        kw!("notification_email", notification_email),
        kw!("smtp_alert", |c: &mut C<'_, '_>, w: &[String]| {
            if let Some(v) = bool_named(c, w) {
                g(c).smtp_alert = Some(v);
            }
        }),
        kw!("startup_script", |c: &mut C<'_, '_>, w: &[String]| {
            start_stop_script(c, w, true)
        }),
        kw!(
            "startup_script_timeout",
            |c: &mut C<'_, '_>, w: &[String]| start_stop_timeout(c, w, true)
        ),
        kw!("shutdown_script", |c: &mut C<'_, '_>, w: &[String]| {
            start_stop_script(c, w, false)
        }),
        kw!(
            "shutdown_script_timeout",
            |c: &mut C<'_, '_>, w: &[String]| start_stop_timeout(c, w, false)
        ),
        kw!("max_auto_priority", max_auto_priority),
        kw!("min_auto_priority_delay", min_auto_priority_delay),
        kw!("smtp_alert_vrrp", |c: &mut C<'_, '_>, w: &[String]| {
            if let Some(v) = bool_named(c, w) {
                g(c).smtp_alert_vrrp = Some(v);
            }
        }),
        kw!("smtp_alert_checker", |c: &mut C<'_, '_>, w: &[String]| {
            if let Some(v) = bool_named(c, w) {
                g(c).smtp_alert_checker = Some(v);
            }
        }),
        kw!(
            "checker_log_all_failures",
            |c: &mut C<'_, '_>, w: &[String]| {
                if let Some(v) = bool_unnamed(c, w, true, "checker_log_all_failures") {
                    g(c).checker_log_all_failures = v;
                }
            }
        ),
        kw!("dynamic_interfaces", dynamic_interfaces),
        kw!("no_email_faults", |c: &mut C<'_, '_>, _w: &[String]| g(c)
            .no_email_faults =
            true),
        kw!("default_interface", default_interface),
        kw!("disable_local_igmp", disable_local_igmp),
        kw!("lvs_timeouts", lvs_timeouts),
        kw!("lvs_flush", |c: &mut C<'_, '_>, _w: &[String]| g(c)
            .lvs_flush =
            true),
        kw!("lvs_flush_on_stop", lvs_flush_on_stop),
        kw!("lvs_flush_onstop", lvs_flush_on_stop),
        kw!("lvs_sync_daemon", lvs_sync_daemon),
        kw!("vrrp_mcast_group4", |c: &mut C<'_, '_>, w: &[String]| {
            mcast_group(c, w, false)
        }),
        kw!("vrrp_mcast_group6", |c: &mut C<'_, '_>, w: &[String]| {
            mcast_group(c, w, true)
        }),
        kw!("vrrp_garp_master_delay", garp_master_delay),
        kw!("vrrp_garp_master_repeat", garp_master_repeat),
        kw!("vrrp_garp_master_refresh", garp_master_refresh),
        kw!(
            "vrrp_garp_master_refresh_repeat",
            garp_master_refresh_repeat
        ),
        kw!("vrrp_garp_lower_prio_delay", garp_lower_prio_delay),
        kw!("vrrp_garp_lower_prio_repeat", garp_lower_prio_repeat),
        kw!("vrrp_down_timer_adverts", down_timer_adverts),
        kw!("vrrp_garp_interval", |c: &mut C<'_, '_>, w: &[String]| {
            garp_gna_interval(c, w, false)
        }),
        kw!("vrrp_gna_interval", |c: &mut C<'_, '_>, w: &[String]| {
            garp_gna_interval(c, w, true)
        }),
        kw!("vrrp_min_garp", min_garp),
        kw!("vrrp_garp_extra_if", garp_extra_if),
        kw!("vrrp_vmac_garp_intvl", garp_extra_if),
        kw!(
            "vrrp_lower_prio_no_advert",
            |c: &mut C<'_, '_>, w: &[String]| {
                if let Some(v) = bool_unnamed(c, w, true, "vrrp_lower_prio_no_advert") {
                    g(c).lower_prio_no_advert = v;
                }
            }
        ),
        kw!(
            "vrrp_higher_prio_send_advert",
            |c: &mut C<'_, '_>, w: &[String]| {
                if let Some(v) = bool_unnamed(c, w, true, "vrrp_higher_prio_send_advert") {
                    g(c).higher_prio_send_advert = v;
                }
            }
        ),
        kw!("vrrp_version", vrrp_version),
        kw!("vrrp_iptables", vrrp_iptables),
        kw!("nftables", |c: &mut C<'_, '_>, w: &[String]| nftables(
            c, w, false
        )),
        kw!("nftables_priority", |c: &mut C<'_, '_>, w: &[String]| {
            nftables_priority(c, w, false)
        }),
        kw!("nftables_ifindex", |c: &mut C<'_, '_>, _w: &[String]| g(
            c
        )
        .nftables_ifindex =
            true),
        kw!("nftables_ipvs", |c: &mut C<'_, '_>, w: &[String]| nftables(
            c, w, true
        )),
        kw!(
            "nftables_ipvs_priority",
            |c: &mut C<'_, '_>, w: &[String]| nftables_priority(c, w, true)
        ),
        kw!("nftables_ipvs_start_fwmark", nftables_ipvs_start_fwmark),
        kw!("nftables_counters", |c: &mut C<'_, '_>, _w: &[String]| g(
            c
        )
        .nftables_counters =
            true),
        kw!(
            "vrrp_check_unicast_src",
            |c: &mut C<'_, '_>, _w: &[String]| g(c).check_unicast_src = true
        ),
        kw!(
            "vrrp_skip_check_adv_addr",
            |c: &mut C<'_, '_>, _w: &[String]| g(c).skip_check_adv_addr = true
        ),
        kw!("vrrp_strict", |c: &mut C<'_, '_>, _w: &[String]| g(c)
            .vrrp_strict =
            true),
        kw!("vrrp_priority", |c: &mut C<'_, '_>, w: &[String]| {
            sched_priority(c, w, Proc::Vrrp)
        }),
        kw!("vrrp_no_swap", |c: &mut C<'_, '_>, _w: &[String]| sched(
            c,
            Proc::Vrrp
        )
        .no_swap =
            true),
        kw!("vrrp_rt_priority", |c: &mut C<'_, '_>, w: &[String]| {
            sched_rt_priority(c, w, Proc::Vrrp)
        }),
        kw!("vrrp_cpu_affinity", |c: &mut C<'_, '_>, w: &[String]| {
            sched_cpu_affinity(c, w, Proc::Vrrp)
        }),
        kw!("vrrp_rlimit_rttime", |c: &mut C<'_, '_>, w: &[String]| {
            sched_rlimit(c, w, Proc::Vrrp)
        }),
        kw!("vrrp_rlimit_rtime", |c: &mut C<'_, '_>, w: &[String]| {
            sched_rlimit(c, w, Proc::Vrrp)
        }),
        kw!(
            "notify_fifo",
            |c: &mut C<'_, '_>, w: &[String]| notify_fifo(c, w, Fifo::Global)
        ),
        kw!("notify_fifo_script", |c: &mut C<'_, '_>, w: &[String]| {
            notify_fifo_script(c, w, Fifo::Global)
        }),
        kw!("vrrp_notify_fifo", |c: &mut C<'_, '_>, w: &[String]| {
            notify_fifo(c, w, Fifo::Vrrp)
        }),
        kw!(
            "vrrp_notify_fifo_script",
            |c: &mut C<'_, '_>, w: &[String]| notify_fifo_script(c, w, Fifo::Vrrp)
        ),
        kw!(
            "vrrp_notify_priority_changes",
            |c: &mut C<'_, '_>, w: &[String]| {
                if let Some(v) = bool_named(c, w) {
                    g(c).notify_priority_changes = v;
                }
            }
        ),
        kw!(
            "fifo_write_vrrp_states_on_reload",
            |c: &mut C<'_, '_>, _w: &[String]| {
                g(c).fifo_write_vrrp_states_on_reload = true;
            }
        ),
        kw!("lvs_notify_fifo", |c: &mut C<'_, '_>, w: &[String]| {
            notify_fifo(c, w, Fifo::Lvs)
        }),
        kw!(
            "lvs_notify_fifo_script",
            |c: &mut C<'_, '_>, w: &[String]| notify_fifo_script(c, w, Fifo::Lvs)
        ),
        kw!("checker_priority", |c: &mut C<'_, '_>, w: &[String]| {
            sched_priority(c, w, Proc::Checker)
        }),
        kw!("checker_no_swap", |c: &mut C<'_, '_>, _w: &[String]| {
            sched(c, Proc::Checker).no_swap = true
        }),
        kw!("checker_rt_priority", |c: &mut C<'_, '_>, w: &[String]| {
            sched_rt_priority(c, w, Proc::Checker)
        }),
        kw!("checker_cpu_affinity", |c: &mut C<'_, '_>, w: &[String]| {
            sched_cpu_affinity(c, w, Proc::Checker)
        }),
        kw!(
            "checker_rlimit_rttime",
            |c: &mut C<'_, '_>, w: &[String]| sched_rlimit(c, w, Proc::Checker)
        ),
        kw!("checker_rlimit_rtime", |c: &mut C<'_, '_>, w: &[String]| {
            sched_rlimit(c, w, Proc::Checker)
        }),
        kw!("bfd_priority", |c: &mut C<'_, '_>, w: &[String]| {
            sched_priority(c, w, Proc::Bfd)
        }),
        kw!("bfd_no_swap", |c: &mut C<'_, '_>, _w: &[String]| sched(
            c,
            Proc::Bfd
        )
        .no_swap =
            true),
        kw!("bfd_rt_priority", |c: &mut C<'_, '_>, w: &[String]| {
            sched_rt_priority(c, w, Proc::Bfd)
        }),
        kw!("bfd_cpu_affinity", |c: &mut C<'_, '_>, w: &[String]| {
            sched_cpu_affinity(c, w, Proc::Bfd)
        }),
        kw!("bfd_rlimit_rttime", |c: &mut C<'_, '_>, w: &[String]| {
            sched_rlimit(c, w, Proc::Bfd)
        }),
        kw!("bfd_rlimit_rtime", |c: &mut C<'_, '_>, w: &[String]| {
            sched_rlimit(c, w, Proc::Bfd)
        }),
        kw!("snmp_socket", snmp_socket),
        kw!("enable_traps", |c: &mut C<'_, '_>, _w: &[String]| g(c)
            .enable_traps =
            true),
        kw!("enable_snmp_vrrp", |c: &mut C<'_, '_>, _w: &[String]| g(
            c
        )
        .enable_snmp_vrrp =
            true),
        // Deprecated since v2.0.0; keepalived says nothing about it.
        kw!(
            "enable_snmp_keepalived",
            |c: &mut C<'_, '_>, _w: &[String]| g(c).enable_snmp_vrrp = true
        ),
        kw!("enable_snmp_rfc", |c: &mut C<'_, '_>, _w: &[String]| {
            let g = g(c);
            g.enable_snmp_rfcv2 = true;
            g.enable_snmp_rfcv3 = true;
        }),
        kw!("enable_snmp_rfcv2", |c: &mut C<'_, '_>, _w: &[String]| g(
            c
        )
        .enable_snmp_rfcv2 =
            true),
        kw!("enable_snmp_rfcv3", |c: &mut C<'_, '_>, _w: &[String]| g(
            c
        )
        .enable_snmp_rfcv3 =
            true),
        kw!("enable_snmp_checker", |c: &mut C<'_, '_>, _w: &[String]| {
            g(c).enable_snmp_checker = true
        }),
        kw!("enable_dbus", |c: &mut C<'_, '_>, _w: &[String]| g(c)
            .enable_dbus =
            true),
        kw!("dbus_service_name", dbus_service_name),
        kw!("script_user", script_user),
        kw!(
            "enable_script_security",
            |c: &mut C<'_, '_>, _w: &[String]| g(c).enable_script_security = true
        ),
        kw!(
            "vrrp_netlink_cmd_rcv_bufs",
            |c: &mut C<'_, '_>, w: &[String]| {
                if let Some(v) = rcv_bufs(c, w, "vrrp_netlink_cmd") {
                    g(c).vrrp_netlink_cmd_rcv_bufs = Some(v);
                }
            }
        ),
        kw!(
            "vrrp_netlink_cmd_rcv_bufs_force",
            |c: &mut C<'_, '_>, w: &[String]| {
                if let Some(v) = bool_named(c, w) {
                    g(c).vrrp_netlink_cmd_rcv_bufs_force = v;
                }
            }
        ),
        kw!(
            "vrrp_netlink_monitor_rcv_bufs",
            |c: &mut C<'_, '_>, w: &[String]| {
                if let Some(v) = rcv_bufs(c, w, "vrrp_netlink_monitor") {
                    g(c).vrrp_netlink_monitor_rcv_bufs = Some(v);
                }
            }
        ),
        kw!(
            "vrrp_netlink_monitor_rcv_bufs_force",
            |c: &mut C<'_, '_>, w: &[String]| {
                if let Some(v) = bool_named(c, w) {
                    g(c).vrrp_netlink_monitor_rcv_bufs_force = v;
                }
            }
        ),
        kw!(
            "process_monitor_rcv_bufs",
            |c: &mut C<'_, '_>, w: &[String]| {
                if let Some(v) = rcv_bufs(c, w, "process_monitor") {
                    g(c).process_monitor_rcv_bufs = Some(v);
                }
            }
        ),
        kw!(
            "process_monitor_rcv_bufs_force",
            |c: &mut C<'_, '_>, w: &[String]| {
                if let Some(v) = bool_named(c, w) {
                    g(c).process_monitor_rcv_bufs_force = v;
                }
            }
        ),
        kw!(
            "lvs_netlink_cmd_rcv_bufs",
            |c: &mut C<'_, '_>, w: &[String]| {
                if let Some(v) = rcv_bufs(c, w, "lvs_netlink_cmd") {
                    g(c).lvs_netlink_cmd_rcv_bufs = Some(v);
                }
            }
        ),
        kw!(
            "lvs_netlink_cmd_rcv_bufs_force",
            |c: &mut C<'_, '_>, w: &[String]| {
                if let Some(v) = bool_named(c, w) {
                    g(c).lvs_netlink_cmd_rcv_bufs_force = v;
                }
            }
        ),
        kw!(
            "lvs_netlink_monitor_rcv_bufs",
            |c: &mut C<'_, '_>, w: &[String]| {
                if let Some(v) = rcv_bufs(c, w, "lvs_netlink_monitor") {
                    g(c).lvs_netlink_monitor_rcv_bufs = Some(v);
                }
            }
        ),
        kw!(
            "lvs_netlink_monitor_rcv_bufs_force",
            |c: &mut C<'_, '_>, w: &[String]| {
                if let Some(v) = bool_named(c, w) {
                    g(c).lvs_netlink_monitor_rcv_bufs_force = v;
                }
            }
        ),
        kw!("rs_init_notifies", |c: &mut C<'_, '_>, w: &[String]| {
            if let Some(v) = bool_named(c, w) {
                g(c).rs_init_notifies = v;
            }
        }),
        kw!("no_checker_emails", |c: &mut C<'_, '_>, w: &[String]| {
            if let Some(v) = bool_named(c, w) {
                g(c).no_checker_emails = v;
            }
        }),
        kw!("vrrp_rx_bufs_policy", rx_bufs_policy),
        kw!("vrrp_rx_bufs_multiplier", rx_bufs_multiplier),
        kw!("vrrp_startup_delay", startup_delay),
        kw!("log_unknown_vrids", |c: &mut C<'_, '_>, _w: &[String]| g(
            c
        )
        .log_unknown_vrids =
            true),
        kw!(
            "vmac_prefix",
            |c: &mut C<'_, '_>, w: &[String]| vmac_prefix(c, w, false)
        ),
        kw!("vmac_addr_prefix", |c: &mut C<'_, '_>, w: &[String]| {
            vmac_prefix(c, w, true)
        }),
        kw!("umask", umask),
        kw!("random_seed", random_seed),
        kw!("reload_check_config", |c: &mut C<'_, '_>, w: &[String]| {
            g(c).reload_check_config =
                Some(w.get(1).cloned().unwrap_or_else(|| "/dev/null".into()));
        }),
        kw!("reload_time_file", reload_time_file),
        kw!("reload_repeat", |c: &mut C<'_, '_>, _w: &[String]| g(c)
            .reload_repeat =
            true),
        kw!("reload_file", |c: &mut C<'_, '_>, w: &[String]| g(c)
            .reload_file =
            Some(w.get(1).cloned())),
        kw!("include_check", include_check),
        kw!("config_save_dir", config_save_dir),
        kw!("tmp_config_directory", tmp_config_directory),
        kw!("data_use_instance", data_use_instance),
        // Ours: the Prometheus textfile the daemon keeps up to date.
        kw!("metrics_file", metrics_file),
    ]
});

/// The top-level keywords this module owns, `global_defs` included.
pub fn root_keywords() -> Vec<K> {
    vec![
        kw!(
            "linkbeat_use_polling",
            |c: &mut C<'_, '_>, _w: &[String]| g(c).linkbeat_use_polling = true
        ),
        kw!("net_namespace", net_namespace),
        kw!("net_namespace_ipvs", net_namespace_ipvs),
        kw!(
            "namespace_with_ipsets",
            |c: &mut C<'_, '_>, _w: &[String]| g(c).namespace_with_ipsets = true
        ),
        kw!("use_pid_dir", |c: &mut C<'_, '_>, _w: &[String]| c
            .state
            .cfg
            .use_pid_dir =
            true),
        kw!("instance", instance),
        kw!("child_wait_time", child_wait_time),
        K::block("global_defs", None, GLOBAL_TABLE.as_slice(), None),
    ]
}

// ---------------------------------------------------------------------------
// Helpers

fn g<'a>(c: &'a mut C<'_, '_>) -> &'a mut GlobalDefs {
    &mut c.state.cfg.global
}

/// Record the line for the dump.
fn seen(c: &mut C<'_, '_>, w: &[String]) {
    if let Some((k, rest)) = w.split_first() {
        g(c).other.push((k.clone(), rest.to_vec()));
    }
}

fn general(c: &mut C<'_, '_>, msg: String) {
    c.err(ErrClass::GeneralError, msg);
}

/// `KEYWORD [BOOL]` (no value = true) with keepalived's
/// "Invalid value '%s' for global KEYWORD specified".
fn bool_named(c: &mut C<'_, '_>, w: &[String]) -> Option<bool> {
    let Some(v) = w.get(1) else { return Some(true) };
    let r = check_true_false(v);
    if r.is_none() {
        general(
            c,
            format!("Invalid value '{v}' for global {} specified", w[0]),
        );
    }
    r
}

/// `KEYWORD [BOOL]` with keepalived's "Invalid value for NAME specified"
/// (no value = `default`).
fn bool_unnamed(c: &mut C<'_, '_>, w: &[String], default: bool, name: &str) -> Option<bool> {
    let Some(v) = w.get(1) else {
        return Some(default);
    };
    let r = check_true_false(v);
    if r.is_none() {
        general(c, format!("Invalid value for {name} specified"));
    }
    r
}

/// C `strtol(s, &end, base)` of the leading part of `s` (value only),
/// truncated to `int` as keepalived's `read_int` stores it before checking.
fn strtol_prefix_int(s: &str) -> i32 {
    let t = s.trim_start_matches([' ', '\t', '\n', '\r', '\x0b', '\x0c']);
    let (neg, d) = match t.as_bytes().first() {
        Some(b'-') => (true, &t[1..]),
        Some(b'+') => (false, &t[1..]),
        _ => (false, t),
    };
    let n = d.bytes().take_while(u8::is_ascii_digit).count();
    let v: i128 = d[..n]
        .parse::<i128>()
        .unwrap_or(if n == 0 { 0 } else { i128::MAX });
    let v = if neg { -v } else { v };
    v.clamp(i64::MIN as i128, i64::MAX as i128) as i64 as i32
}

/// C `strtol(s, &end, 0)` for a string starting with a digit: (value,
/// whole string used). `0x` = hex, a leading `0` = octal.
fn strtol_base0(s: &str) -> (u64, bool) {
    let b = s.as_bytes();
    let (radix, start) =
        if b.len() > 2 && b[0] == b'0' && (b[1] | 0x20) == b'x' && b[2].is_ascii_hexdigit() {
            (16, 2)
        } else if b.first() == Some(&b'0') {
            (8, 0)
        } else {
            (10, 0)
        };
    let digits = &s[start..];
    let n = digits
        .bytes()
        .take_while(|c| (*c as char).is_digit(radix))
        .count();
    let v = if n == 0 {
        0
    } else {
        u64::from_str_radix(&digits[..n], radix).unwrap_or(u64::MAX)
    };
    (v, n > 0 && start + n == s.len())
}

/// keepalived `inet_stosockaddr` without a port: the family is chosen by the
/// presence of ':', anything from the first '-' (else '/') is ignored, then
/// inet_pton.
fn inet_pton_ka(s: &str) -> Option<IpAddr> {
    let v6 = s.contains(':');
    let cut = s.find('-').or_else(|| s.find('/')).unwrap_or(s.len());
    let a = &s[..cut];
    if v6 {
        a.parse::<Ipv6Addr>().ok().map(IpAddr::V6)
    } else {
        a.parse::<Ipv4Addr>().ok().map(IpAddr::V4)
    }
}

/// Whether getaddrinfo(3) finds `name` (keepalived `domain_stosockaddr`).
///
/// This is a host fact that belongs behind the `Host` trait; until it has a
/// resolver method the lookup is made here (std uses getaddrinfo, so numeric
/// forms like `127.1` are accepted as keepalived accepts them). Tests use a
/// fixed answer: numeric addresses and `localhost` resolve, nothing else.
fn host_resolves(name: &str) -> bool {
    #[cfg(not(test))]
    {
        use std::net::ToSocketAddrs;
        (name, 0u16)
            .to_socket_addrs()
            .map(|mut a| a.next().is_some())
            .unwrap_or(false)
    }
    #[cfg(test)]
    {
        name == "localhost" || name.parse::<IpAddr>().is_ok() || inet_aton(name).is_some()
    }
}

/// inet_aton(3): 1 to 4 parts, each decimal, octal (0...) or hex (0x...).
#[cfg(test)]
fn inet_aton(s: &str) -> Option<u32> {
    let parts: Vec<&str> = s.split('.').collect();
    if parts.is_empty() || parts.len() > 4 {
        return None;
    }
    let mut vals = Vec::new();
    for p in &parts {
        if p.is_empty() || !p.as_bytes()[0].is_ascii_digit() {
            return None;
        }
        let (v, all) = strtol_base0(p);
        if !all || v > u32::MAX as u64 {
            return None;
        }
        vals.push(v as u32);
    }
    let last = *vals.last()?;
    let head = &vals[..vals.len() - 1];
    if head.iter().any(|v| *v > 255) || (last as u64) >= 1u64 << (8 * (4 - head.len())) {
        return None;
    }
    Some(
        head.iter()
            .enumerate()
            .fold(last, |acc, (i, v)| acc | (v << (24 - 8 * i))),
    )
}

/// Number of online CPUs (`sysconf(_SC_NPROCESSORS_ONLN)`). A host fact
/// that belongs behind `Host`; std's answer is used until it has one.
fn online_cpus() -> i64 {
    std::thread::available_parallelism()
        .map(|n| n.get() as i64)
        .unwrap_or(1)
}

// ---------------------------------------------------------------------------
// Script users and scripts (lib/notify.c), shared with the VRRP keywords.

/// keepalived `set_uid_gid`: uid and gid of `user` (and `group`), logging
/// "Script user '%s' does not exist" / "Script group '%s' does not exist".
pub fn lookup_uid_gid(c: &mut C<'_, '_>, user: &str, group: Option<&str>) -> Option<(u32, u32)> {
    let Some((uid, mut gid)) = c.state.host.user(user) else {
        c.log(format!("Script user '{user}' does not exist"));
        return None;
    };
    if let Some(gn) = group {
        let Some(gr) = c.state.host.group(gn) else {
            c.log(format!("Script group '{gn}' does not exist"));
            return None;
        };
        gid = gr;
    }
    Some((uid, gid))
}

/// keepalived `set_default_script_user` (the `script_user` keyword).
/// Returns true when the default user has failed (now or before: sticky).
fn set_default_script_user(c: &mut C<'_, '_>, user: &str, group: Option<&str>) -> bool {
    let ids = lookup_uid_gid(c, user, group);
    let g = g(c);
    match (ids, g.default_script_user) {
        (_, DefaultScriptUser::Failed) | (None, _) => {
            g.default_script_user = DefaultScriptUser::Failed;
            true
        }
        (Some((u, gid)), _) => {
            g.default_script_user = DefaultScriptUser::Ids(u, gid);
            false
        }
    }
}

/// keepalived `get_default_script_user`: the uid/gid of scripts with no user
/// of their own. The first call looks up `keepalived_script`, falling back
/// to keepalived's own ids; under `enable_script_security` (as set so far)
/// a missing `keepalived_script` is an error and every later call fails.
pub fn default_script_user(c: &mut C<'_, '_>) -> Option<(u32, u32)> {
    match g(c).default_script_user {
        DefaultScriptUser::Failed => None,
        DefaultScriptUser::Ids(u, gid) => Some((u, gid)),
        DefaultScriptUser::Unresolved => {
            let ours = c.state.host.ids();
            match lookup_uid_gid(c, DEFAULT_SCRIPT_USER, None) {
                Some(ids) => {
                    g(c).default_script_user = DefaultScriptUser::Ids(ids.0, ids.1);
                    Some(ids)
                }
                None if g(c).enable_script_security => {
                    general(
                        c,
                        format!("Unable to set default user {DEFAULT_SCRIPT_USER} for script"),
                    );
                    g(c).default_script_user = DefaultScriptUser::Failed;
                    None
                }
                None => {
                    g(c).default_script_user = DefaultScriptUser::Ids(ours.0, ours.1);
                    Some(ours)
                }
            }
        }
    }
}

/// keepalived `notify_script_init`: the current line re-read with the
/// shell-like tokeniser; word 1 is the command (split again into argv),
/// words 2 and 3 the optional user and group. `ty` names the script in the
/// log messages ("Invalid user/group for %s script %s - ignoring").
/// `None` when keepalived drops the script (all reasons are log-only).
pub fn notify_script_init(c: &mut C<'_, '_>, ty: &str) -> Option<Script> {
    let Some(qe) = c.shell_words() else {
        c.log("Unable to parse notify script");
        return None;
    };
    let cmd = c.arg(&qe, 1)?.to_string();
    let Some(argv) = c.shell_split(&cmd) else {
        c.log(format!("Unable to parse script '{cmd}' - ignoring"));
        return None;
    };
    let arg0 = argv.first().map_or("(null)", String::as_str).to_string();
    let (user, group) = (qe.get(2).cloned(), qe.get(3).cloned());
    if let Some(u) = &user {
        if lookup_uid_gid(c, u, group.as_deref()).is_none() {
            c.log(format!(
                "Invalid user/group for {ty} script {arg0} - ignoring"
            ));
            return None;
        }
    } else if default_script_user(c).is_none() {
        c.log(format!(
            "Failed to set default user for {ty} script {arg0} - ignoring"
        ));
        return None;
    }
    Some(Script {
        cmd,
        argv,
        user,
        group,
    })
}

// ---------------------------------------------------------------------------
// Top-level keywords

fn net_namespace(c: &mut C<'_, '_>, w: &[String]) {
    let Some(name) = w.get(1) else {
        general(c, "net_namespace name missing - ignoring".into());
        return;
    };
    if c.state.cfg.net_namespace.is_none() {
        c.state.cfg.net_namespace = Some(name.clone());
        c.state.cfg.use_pid_dir = true;
    } else {
        general(
            c,
            format!("Duplicate net_namespace definition {name} - ignoring"),
        );
    }
}

fn net_namespace_ipvs(c: &mut C<'_, '_>, w: &[String]) {
    if g(c).net_namespace_ipvs.is_some() {
        // keepalived names the duplicate without checking it was given.
        let Some(name) = c.arg(w, 1) else { return };
        general(
            c,
            format!("Duplicate net_namespace_ipvs definition {name} - ignoring"),
        );
        return;
    }
    // No name: the default namespace.
    g(c).net_namespace_ipvs = Some(w.get(1).cloned().unwrap_or_default());
}

fn instance(c: &mut C<'_, '_>, w: &[String]) {
    let Some(name) = w.get(1) else {
        general(c, "instance name missing - ignoring".into());
        return;
    };
    if c.state.cfg.instance_name.is_none() {
        c.state.cfg.instance_name = Some(name.clone());
        c.state.cfg.use_pid_dir = true;
    } else {
        general(
            c,
            format!("Duplicate instance definition {name} - ignoring"),
        );
    }
}

fn child_wait_time(c: &mut C<'_, '_>, w: &[String]) {
    let Some(v) = c.arg(w, 1) else { return };
    match read_unsigned(c, v, 0, u32::MAX as u64, false) {
        Some(n) => c.state.cfg.child_wait_time = Some(n),
        None => general(c, format!("Invalid child_wait_time {v}")),
    }
}

// ---------------------------------------------------------------------------
// Process names

#[derive(Clone, Copy)]
enum Which {
    Parent,
    Vrrp,
    Checker,
    Bfd,
}

fn process_names(c: &mut C<'_, '_>, _w: &[String]) {
    let g = g(c);
    g.vrrp_process_name = Some("keepalived_vrrp".into());
    g.checker_process_name = Some("keepalived_lvs".into());
    g.bfd_process_name = Some("keepalived_bfd".into());
}

fn process_name(c: &mut C<'_, '_>, w: &[String], which: Which) {
    let Some(src) = c.arg(w, 1) else { return };
    let mut name = src.to_string();
    if name.len() >= TASK_COMM_LEN {
        general(
            c,
            format!(
                "Process name {src} more than {} characters, truncating",
                TASK_COMM_LEN - 1
            ),
        );
        let mut end = TASK_COMM_LEN - 1;
        while !name.is_char_boundary(end) {
            end -= 1;
        }
        name.truncate(end);
    }
    let g = g(c);
    let slot = match which {
        Which::Parent => &mut g.process_name,
        Which::Vrrp => &mut g.vrrp_process_name,
        Which::Checker => &mut g.checker_process_name,
        Which::Bfd => &mut g.bfd_process_name,
    };
    *slot = Some(name);
}

fn lvs_process_name(c: &mut C<'_, '_>, w: &[String]) {
    // Deprecated since 12/07/20.
    c.log("'lvs_process_name' is deprecated - please use 'checker_process_name'");
    process_name(c, w, Which::Checker);
}

// ---------------------------------------------------------------------------
// SMTP

fn router_id(c: &mut C<'_, '_>, w: &[String]) {
    match w.get(1) {
        Some(v) => g(c).router_id = Some(v.clone()),
        None => general(c, "routerid name missing - ignoring".into()),
    }
}

fn notification_email_from(c: &mut C<'_, '_>, w: &[String]) {
    match w.get(1) {
        Some(v) => g(c).notification_email_from = Some(v.clone()),
        None => general(c, "emailfrom missing - ignoring".into()),
    }
}

fn smtp_server(c: &mut C<'_, '_>, w: &[String]) {
    let Some(host) = c.arg(w, 1) else { return };
    let port_str = w.get(2).map_or("25", String::as_str);
    let mut port = None;
    let mut ok = false;
    // It can't be an IP address if it contains '-' or '/'.
    let try_domain = if host.contains(['-', '/']) {
        true
    } else {
        // inet_stosockaddr reads the port first, then the address.
        port = read_unsigned(c, port_str, 1, 65535, true);
        ok = port.is_some() && inet_pton_ka(host).is_some();
        !ok
    };
    if try_domain {
        port = read_unsigned(c, port_str, 1, 65535, true);
        ok = port.is_some() && host_resolves(host);
    }
    if ok {
        let g = g(c);
        g.smtp_server = Some(host.to_string());
        g.smtp_port = port.unwrap_or(25) as u16;
    } else {
        g(c).smtp_server = None;
        c.err(ErrClass::GeneralError, format!("Invalid smtp server {host} {port_str}"))
            .help("the server must be an IP address or a name this host can resolve now, and the port 1..65535");
    }
}

fn smtp_helo_name(c: &mut C<'_, '_>, w: &[String]) {
    if let Some(v) = w.get(1) {
        g(c).smtp_helo_name = Some(v.clone());
    }
}

fn smtp_connect_timeout(c: &mut C<'_, '_>, w: &[String]) {
    let Some(v) = c.arg(w, 1) else { return };
    // The minimum should be 1, but keepalived allows 0 for compatibility.
    let Some(mut t) = read_unsigned(c, v, 0, MAX_SECS, true) else {
        general(
            c,
            format!("smtp_connect_timeout '{v}' must be in [0, {MAX_SECS}] - ignoring"),
        );
        return;
    };
    if t == 0 {
        // keepalived's spelling.
        general(
            c,
            "smtp_conect_timeout must be greater than 0, setting to 1".into(),
        );
        t = 1;
    }
    g(c).smtp_connect_timeout_s = Some(t as u32);
}

fn notification_email(c: &mut C<'_, '_>, w: &[String]) {
    // Every word of every line of the block is one address.
    let addrs: Vec<String> = c.value_block(w).into_iter().flatten().collect();
    if addrs.is_empty() {
        general(c, "Warning - empty notification_email block".into());
        return;
    }
    g(c).notification_email.extend(addrs);
}

// ---------------------------------------------------------------------------
// Start-up / shut-down scripts, auto priority

fn start_stop_script(c: &mut C<'_, '_>, w: &[String], startup: bool) {
    let ty = if startup { "startup" } else { "shutdown" };
    let set = if startup {
        g(c).startup_script.is_some()
    } else {
        g(c).shutdown_script.is_some()
    };
    if set {
        general(c, format!("{ty} script already specified"));
        return;
    }
    if w.len() < 2 {
        general(c, format!("{ty} script missing"));
        return;
    }
    let Some(script) = notify_script_init(c, ty) else {
        if c.stopped.is_none() {
            general(c, format!("Invalid {ty} script"));
        }
        return;
    };
    let g = g(c);
    if startup {
        g.startup_script = Some(script);
        if g.startup_script_timeout_s == 0 {
            g.startup_script_timeout_s = 10;
        }
    } else {
        g.shutdown_script = Some(script);
        if g.shutdown_script_timeout_s == 0 {
            g.shutdown_script_timeout_s = 10;
        }
    }
}

fn start_stop_timeout(c: &mut C<'_, '_>, w: &[String], startup: bool) {
    let ty = if startup { "startup" } else { "shutdown" };
    let Some(v) = w.get(1) else {
        general(c, format!("{ty}_script_timeout requires value"));
        return;
    };
    let Some(d) = read_unsigned(c, v, 1, 1000, true) else {
        general(
            c,
            format!("{ty}_script_timeout '{v}' must be in [1, 1000] - ignoring"),
        );
        return;
    };
    if startup {
        g(c).startup_script_timeout_s = d as u32;
    } else {
        g(c).shutdown_script_timeout_s = d as u32;
    }
}

fn max_auto_priority(c: &mut C<'_, '_>, w: &[String]) {
    let Some(v) = w.get(1) else {
        g(c).max_auto_priority = Some(RR_PRIO_MAX as i32);
        return;
    };
    match read_int(c, v, -1, RR_PRIO_MAX, true) {
        Some(p) => g(c).max_auto_priority = Some(p as i32),
        None => general(
            c,
            format!(
                "max_auto_priority '{v}' must be in [0, {RR_PRIO_MAX}] (or -1 to disable) - ignoring"
            ),
        ),
    }
}

fn min_auto_priority_delay(c: &mut C<'_, '_>, w: &[String]) {
    let Some(v) = w.get(1) else {
        general(c, "min_auto_priority_delay requires delay time".into());
        return;
    };
    match read_int(c, v, 1, 10_000_000, true) {
        Some(d) => g(c).min_auto_priority_delay_us = d as u32,
        None => general(
            c,
            format!("min_auto_priority_delay '{v}' must be in [1, 10000000] - ignoring"),
        ),
    }
}

// ---------------------------------------------------------------------------
// Interfaces

fn dynamic_interfaces(c: &mut C<'_, '_>, w: &[String]) {
    g(c).dynamic_interfaces = true;
    if let Some(opt) = w.get(1) {
        if opt == "allow_if_changes" {
            g(c).allow_if_changes = true;
        } else {
            general(c, format!("Unknown dynamic_interfaces option '{opt}'"));
        }
    }
}

fn default_interface(c: &mut C<'_, '_>, w: &[String]) {
    match w.get(1) {
        Some(v) => g(c).default_interface = Some(v.clone()),
        None => general(c, "default_interface requires interface name".into()),
    }
}

fn disable_local_igmp(c: &mut C<'_, '_>, _w: &[String]) {
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

// ---------------------------------------------------------------------------
// LVS (parsed only)

fn lvs_timeouts(c: &mut C<'_, '_>, w: &[String]) {
    if w.len() < 3 {
        general(c, "lvs_timeouts requires at least one option".into());
        return;
    }
    let mut i = 1;
    while i < w.len() {
        let opt = w[i].as_str();
        if matches!(opt, "tcp" | "tcpfin" | "udp") {
            if i == w.len() - 1 {
                general(
                    c,
                    format!("No value specified for lvs_timeout {opt} - ignoring"),
                );
                i += 1;
                continue;
            }
            let v = &w[i + 1];
            match read_unsigned(c, v, 0, LVS_MAX_TIMEOUT, false) {
                None => general(c, format!("Invalid lvs_timeout {opt} ({v}) - ignoring")),
                Some(n) => {
                    let t = &mut g(c).lvs_timeouts;
                    let slot = match opt {
                        "tcp" => &mut t.tcp,
                        "tcpfin" => &mut t.tcpfin,
                        _ => &mut t.udp,
                    };
                    *slot = Some(n as u32);
                }
            }
            i += 2;
            continue;
        }
        general(
            c,
            format!("Unknown option {opt} specified for lvs_timeouts"),
        );
        i += 1;
    }
}

fn lvs_flush_on_stop(c: &mut C<'_, '_>, w: &[String]) {
    match w.get(1).map(String::as_str) {
        None => g(c).lvs_flush_on_stop = LvsFlushOnStop::Full,
        Some("VS") => g(c).lvs_flush_on_stop = LvsFlushOnStop::Vs,
        Some(t) => general(c, format!("Unknown lvs_flush_on_stop type {t}")),
    }
}

fn lvs_sync_daemon(c: &mut C<'_, '_>, w: &[String]) {
    if let Some(s) = &g(c).lvs_sync_daemon {
        let msg = format!(
            "lvs_sync_daemon has already been specified as {} {} - ignoring",
            s.ifname,
            s.vrrp_instance.as_deref().unwrap_or("")
        );
        general(c, msg);
        return;
    }
    let Some(ifname) = w.get(1) else {
        general(c, "lvs_sync_daemon requires interface".into());
        return;
    };
    if ifname.len() >= IP_VS_IFNAME_MAXLEN {
        general(
            c,
            format!("lvs_sync_daemon interface name '{ifname}' too long - ignoring"),
        );
        return;
    }
    let mut sd = LvsSyncDaemon {
        ifname: ifname.clone(),
        ..Default::default()
    };
    let last = w.len() - 1;
    let mut i = 2;
    while i < w.len() {
        let opt = w[i].as_str();
        match opt {
            "inst" => {
                if let Some(name) = &sd.vrrp_instance {
                    let msg = format!(
                        "lvs_sync_daemon vrrp instance has already been specified as {name} - ignoring"
                    );
                    general(c, msg);
                } else {
                    // keepalived takes the next word without checking it exists.
                    let Some(v) = c.arg(w, i + 1) else { return };
                    sd.vrrp_instance = Some(v.to_string());
                }
                i += 2;
                continue;
            }
            "id" | "maxlen" | "port" | "ttl" | "group" => {
                if i == last {
                    let msg = if opt == "id" {
                        "No value specified for lvs_sync_daemon id, defaulting to vrid".to_string()
                    } else {
                        format!("No value specified for lvs_sync_daemon {opt} - ignoring")
                    };
                    general(c, msg);
                    i += 1;
                    continue;
                }
                let v = &w[i + 1];
                match opt {
                    "id" => match read_unsigned(c, v, 0, 255, false) {
                        Some(n) => sd.syncid = Some(n as u8),
                        None => general(c, format!("Invalid syncid ({v}) - defaulting to vrid")),
                    },
                    "maxlen" => match read_unsigned(c, v, 1, 65535 - 20 - 8, false) {
                        Some(n) => sd.maxlen = Some(n as u16),
                        None => general(
                            c,
                            format!("Invalid lvs_sync_daemon maxlen ({v}) - ignoring"),
                        ),
                    },
                    "port" => match read_unsigned(c, v, 1, 65535, false) {
                        Some(n) => sd.port = Some(n as u16),
                        None => {
                            general(c, format!("Invalid lvs_sync_daemon port ({v}) - ignoring"))
                        }
                    },
                    "ttl" => match read_unsigned(c, v, 1, 255, false) {
                        Some(n) => sd.ttl = Some(n as u8),
                        None => general(c, format!("Invalid lvs_sync_daemon ttl ({v}) - ignoring")),
                    },
                    _ => {
                        sd.group = inet_pton_ka(v);
                        if sd.group.is_none() {
                            general(c, format!("Invalid lvs_sync_daemon group ({v}) - ignoring"));
                        }
                        if sd.group.is_some_and(|a| !a.is_multicast()) {
                            general(
                                c,
                                format!(
                                    "lvs_sync_daemon group address {v} is not multicast - ignoring"
                                ),
                            );
                            sd.group = None;
                        }
                    }
                }
                i += 2;
                continue;
            }
            _ => {}
        }
        // Backward compatibility: `lvs_sync_daemon IF VRRP_INSTANCE [SYNC_ID]`.
        if i == 2 {
            sd.vrrp_instance = Some(opt.to_string());
        } else if i == 3 {
            match read_unsigned(c, opt, 0, 255, false) {
                None => general(c, format!("Invalid syncid ({opt}) - defaulting to vrid")),
                Some(n) => {
                    general(
                        c,
                        "Please use keyword \"id\" before lvs_sync_daemon SYNCID".into(),
                    );
                    sd.syncid = Some(n as u8);
                }
            }
        } else {
            general(
                c,
                format!("Unknown option {opt} specified for lvs_sync_daemon"),
            );
        }
        i += 1;
    }
    g(c).lvs_sync_daemon = Some(sd);
}

// ---------------------------------------------------------------------------
// VRRP protocol defaults

fn mcast_group(c: &mut C<'_, '_>, w: &[String], v6: bool) {
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

fn garp_master_delay(c: &mut C<'_, '_>, w: &[String]) {
    let Some(v) = c.arg(w, 1) else { return };
    match read_unsigned(c, v, 0, MAX_SECS, true) {
        Some(n) => g(c).garp.master_delay = n as u32,
        None => general(
            c,
            format!("vrrp_garp_master_delay '{v}' invalid - ignoring"),
        ),
    }
}

fn garp_master_repeat(c: &mut C<'_, '_>, w: &[String]) {
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

fn garp_master_refresh(c: &mut C<'_, '_>, w: &[String]) {
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

fn garp_master_refresh_repeat(c: &mut C<'_, '_>, w: &[String]) {
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

fn garp_lower_prio_delay(c: &mut C<'_, '_>, w: &[String]) {
    let Some(v) = c.arg(w, 1) else { return };
    match read_unsigned(c, v, 0, MAX_SECS, true) {
        Some(n) => g(c).garp.lower_prio_delay = Some(n as u32),
        None => general(
            c,
            format!("vrrp_garp_lower_prio_delay '{v}' invalid - ignoring"),
        ),
    }
}

fn garp_lower_prio_repeat(c: &mut C<'_, '_>, w: &[String]) {
    let Some(v) = c.arg(w, 1) else { return };
    match read_unsigned(c, v, 0, i32::MAX as u64, true) {
        Some(n) => g(c).garp.lower_prio_repeat = Some(n as u32),
        None => general(c, format!("Invalid vrrp_garp_lower_prio_repeat '{v}'")),
    }
}

fn down_timer_adverts(c: &mut C<'_, '_>, w: &[String]) {
    let Some(v) = c.arg(w, 1) else { return };
    match read_unsigned(c, v, 1, 100, true) {
        Some(n) => g(c).down_timer_adverts = n as u32,
        None => general(c, format!("Invalid vrrp_down_timer_adverts [1:100] '{v}'")),
    }
}

fn garp_gna_interval(c: &mut C<'_, '_>, w: &[String], gna: bool) {
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

fn min_garp(c: &mut C<'_, '_>, w: &[String]) {
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

fn garp_extra_if(c: &mut C<'_, '_>, w: &[String]) {
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

fn vrrp_version(c: &mut C<'_, '_>, w: &[String]) {
    let Some(v) = c.arg(w, 1) else { return };
    match read_int(c, v, 2, 3, true) {
        Some(n) => g(c).vrrp_version = n as u8,
        None => general(c, "VRRP Error: Version must be either 2 or 3".into()),
    }
}

fn startup_delay(c: &mut C<'_, '_>, w: &[String]) {
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

fn vmac_prefix(c: &mut C<'_, '_>, w: &[String], addr: bool) {
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

// ---------------------------------------------------------------------------
// Firewall (this build: nftables only)

fn vrrp_iptables(c: &mut C<'_, '_>, _w: &[String]) {
    general(
        c,
        "iptables not supported, using nftables instead. Please replace 'vrrp_iptables and 'vrrp_ipsets' with 'nftables' config option"
            .into(),
    );
    let g = g(c);
    g.nftables = Some(DEFAULT_NFTABLES_TABLE.into());
    g.nftables_priority = -1;
}

fn nftables(c: &mut C<'_, '_>, w: &[String], ipvs: bool) {
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

fn nftables_priority(c: &mut C<'_, '_>, w: &[String], ipvs: bool) {
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

fn nftables_ipvs_start_fwmark(c: &mut C<'_, '_>, w: &[String]) {
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

// ---------------------------------------------------------------------------
// Process scheduling (parsed; applied by whoever starts the process)

#[derive(Clone, Copy)]
enum Proc {
    Vrrp,
    Checker,
    Bfd,
}

impl Proc {
    fn name(self) -> &'static str {
        match self {
            Proc::Vrrp => "vrrp",
            Proc::Checker => "checker",
            Proc::Bfd => "bfd",
        }
    }
}

fn sched<'a>(c: &'a mut C<'_, '_>, p: Proc) -> &'a mut ProcessSched {
    let g = g(c);
    match p {
        Proc::Vrrp => &mut g.vrrp_sched,
        Proc::Checker => &mut g.checker_sched,
        Proc::Bfd => &mut g.bfd_sched,
    }
}

fn sched_priority(c: &mut C<'_, '_>, w: &[String], p: Proc) {
    let name = p.name();
    // keepalived sets the priority to 0 on any error.
    let prio = match w.get(1) {
        None => {
            general(c, format!("No {name} process priority specified"));
            0
        }
        Some(v) => match read_int(c, v, -20, 19, true) {
            Some(n) => n as i8,
            None => {
                general(c, format!("Invalid {name} process priority specified"));
                0
            }
        },
    };
    sched(c, p).priority = prio;
}

fn sched_rt_priority(c: &mut C<'_, '_>, w: &[String], p: Proc) {
    let name = p.name();
    let Some(v) = w.get(1) else {
        general(c, format!("No {name} process real-time priority specified"));
        return;
    };
    let Some(mut prio) = read_int(c, v, i32::MIN as i64, i32::MAX as i64, true) else {
        general(
            c,
            format!("{name} process real-time priority '{v}' invalid"),
        );
        return;
    };
    if prio < RR_PRIO_MIN {
        general(
            c,
            format!(
                "{name} process real-time priority {prio} less than minimum {RR_PRIO_MIN} - setting to minimum"
            ),
        );
        prio = RR_PRIO_MIN;
    } else if prio > RR_PRIO_MAX {
        general(
            c,
            format!(
                "{name} process real-time priority {prio} greater than maximum {RR_PRIO_MAX} - setting to maximum"
            ),
        );
        prio = RR_PRIO_MAX;
    }
    sched(c, p).rt_priority = Some(prio as i32);
}

fn sched_cpu_affinity(c: &mut C<'_, '_>, w: &[String], p: Proc) {
    let name = p.name();
    if w.len() < 2 {
        general(c, format!("No {name} cpu_id set specified"));
        return;
    }
    let max = online_cpus() - 1;
    let mut set = Vec::new();
    for v in &w[1..] {
        match read_int(c, v, 0, max, true) {
            Some(n) => set.push(n as u32),
            None => {
                // keepalived prints what strtol made of the word.
                general(
                    c,
                    format!(
                        "Invalid cpu_id:{} specified for {name} process",
                        strtol_prefix_int(v)
                    ),
                );
                sched(c, p).cpu_affinity.clear();
                return;
            }
        }
    }
    set.sort_unstable();
    set.dedup();
    sched(c, p).cpu_affinity = set;
}

fn sched_rlimit(c: &mut C<'_, '_>, w: &[String], p: Proc) {
    let kw = w[0].as_str();
    // `*_rlimit_rtime` is deprecated since 02/02/2020.
    if let Some(prefix) = kw.strip_suffix("rtime").filter(|_| !kw.ends_with("rttime")) {
        c.log(format!(
            "Keyword '{kw}' is deprecated - please use '{prefix}rttime'"
        ));
    }
    let Some(v) = c.arg(w, 1) else { return };
    let limit = match read_unsigned(c, v, 1, u32::MAX as u64, true) {
        // The limit is halved elsewhere and must stay non-zero.
        Some(1) => 2,
        Some(n) => n,
        None => {
            general(c, format!("Invalid {} real-time limit - {v}", p.name()));
            0
        }
    };
    sched(c, p).rlimit_rttime_us = limit;
}

// ---------------------------------------------------------------------------
// Notify FIFOs

#[derive(Clone, Copy)]
enum Fifo {
    Global,
    Vrrp,
    Lvs,
}

impl Fifo {
    fn prefix(self) -> &'static str {
        match self {
            Fifo::Global => "",
            Fifo::Vrrp => "vrrp_",
            Fifo::Lvs => "lvs_",
        }
    }
    fn spec(self, g: &mut GlobalDefs) -> &mut Option<FifoSpec> {
        match self {
            Fifo::Global => &mut g.notify_fifo,
            Fifo::Vrrp => &mut g.vrrp_notify_fifo,
            Fifo::Lvs => &mut g.lvs_notify_fifo,
        }
    }
    fn script(self, g: &mut GlobalDefs) -> &mut Option<Script> {
        match self {
            Fifo::Global => &mut g.notify_fifo_script,
            Fifo::Vrrp => &mut g.vrrp_notify_fifo_script,
            Fifo::Lvs => &mut g.lvs_notify_fifo_script,
        }
    }
}

fn notify_fifo(c: &mut C<'_, '_>, w: &[String], f: Fifo) {
    let ty = f.prefix();
    let Some(path) = w.get(1) else {
        general(c, format!("No {ty}notify_fifo name specified"));
        return;
    };
    if f.spec(g(c)).is_some() {
        general(
            c,
            format!("{ty}notify_fifo already specified - ignoring {path}"),
        );
        return;
    }
    // keepalived names the FIFO in these messages before it has stored the
    // name, so they read "(null)".
    let (user, group) = (w.get(2).cloned(), w.get(3).cloned());
    let ids = if let Some(u) = &user {
        let r = lookup_uid_gid(c, u, group.as_deref());
        if r.is_none() {
            c.log(format!(
                "Invalid user/group for {ty} fifo (null) - ignoring"
            ));
        }
        r
    } else {
        let r = default_script_user(c);
        if r.is_none() {
            c.log(format!(
                "Failed to set default user for {ty} fifo (null) - ignoring"
            ));
        }
        r
    };
    let Some((uid, gid)) = ids else { return };
    *f.spec(g(c)) = Some(FifoSpec {
        path: path.clone(),
        user,
        group,
        uid,
        gid,
    });
}

fn notify_fifo_script(c: &mut C<'_, '_>, w: &[String], f: Fifo) {
    let ty = f.prefix();
    let Some(cmd) = w.get(1) else {
        general(c, format!("No {ty}notify_fifo_script specified"));
        return;
    };
    if f.script(g(c)).is_some() {
        general(
            c,
            format!("{ty}notify_fifo_script already specified - ignoring {cmd}"),
        );
        return;
    }
    let script = notify_script_init(c, &format!("{ty}notify_fifo"));
    *f.script(g(c)) = script;
}

// ---------------------------------------------------------------------------
// SNMP, DBus, scripts

fn snmp_socket(c: &mut C<'_, '_>, w: &[String]) {
    if w.len() > 2 {
        general(
            c,
            "Too many parameters specified for snmp_socket - ignoring".into(),
        );
        return;
    }
    let Some(v) = w.get(1) else {
        general(c, "SNMP error : snmp socket name missing".into());
        return;
    };
    if v.len() > PATH_MAX - 1 {
        general(c, "SNMP error : snmp socket name too long - ignored".into());
        return;
    }
    if let Some(old) = g(c).snmp_socket.clone() {
        general(c, format!("SNMP socket already set to {old} - ignoring"));
        return;
    }
    g(c).snmp_socket = Some(v.clone());
}

fn dbus_service_name(c: &mut C<'_, '_>, w: &[String]) {
    match w.get(1) {
        Some(v) => g(c).dbus_service_name = Some(v.clone()),
        None => general(c, "dbus_service_name missing - ignoring".into()),
    }
}

fn script_user(c: &mut C<'_, '_>, w: &[String]) {
    let Some(user) = w.get(1) else {
        general(c, "No script username specified".into());
        return;
    };
    let group = w.get(2);
    g(c).script_user = Some((user.clone(), group.cloned()));
    if set_default_script_user(c, user, group.map(String::as_str)) {
        c.err(ErrClass::GeneralError, "Error setting global script uid/gid")
            .help("the user (and group) must exist on this host; scripts without a user of their own will not run");
    }
}

// ---------------------------------------------------------------------------
// Socket buffers

/// keepalived `get_netlink_rcv_bufs_size`: `None` when missing, invalid or 0.
fn rcv_bufs(c: &mut C<'_, '_>, w: &[String], ty: &str) -> Option<u32> {
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

fn rx_bufs_policy(c: &mut C<'_, '_>, w: &[String]) {
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

fn rx_bufs_multiplier(c: &mut C<'_, '_>, w: &[String]) {
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

// ---------------------------------------------------------------------------
// umask, random seed, include checks, reload and config copies

fn umask(c: &mut C<'_, '_>, w: &[String]) {
    // The `-u` command line option takes precedence; the caller applies it
    // after the parse (keepalived logs "umask command line option
    // specified, ignoring config option" here).
    let Some(mask) = c.arg(w, 1) else { return };
    const ALL: u64 = 0o777;
    let bits: u32;
    if mask.as_bytes().first().is_some_and(u8::is_ascii_digit) {
        if w.len() != 2 {
            general(c, "Extra parameter(s) to umask option".into());
            return;
        }
        let (v, whole) = strtol_base0(mask);
        if !whole || v & !ALL != 0 {
            general(c, format!("invalid umask value {mask}"));
            return;
        }
        bits = v as u32;
    } else {
        const NAMES: [(&str, u32); 9] = [
            ("IRUSR", 0o400),
            ("IWUSR", 0o200),
            ("IXUSR", 0o100),
            ("IRGRP", 0o040),
            ("IWGRP", 0o020),
            ("IXGRP", 0o010),
            ("IROTH", 0o004),
            ("IWOTH", 0o002),
            ("IXOTH", 0o001),
        ];
        let mut acc = 0;
        let mut need_or = false;
        for word in &w[1..] {
            let mut p = word.as_str();
            while !p.is_empty() {
                if need_or {
                    if let Some(rest) = p.strip_prefix('|') {
                        need_or = false;
                        p = rest;
                        continue;
                    }
                    general(c, format!("Invalid umask syntax {word}"));
                    return;
                }
                let Some((name, bit)) = NAMES.iter().find(|(n, _)| p.starts_with(n)) else {
                    general(c, format!("Unknown umask bit {p}"));
                    return;
                };
                acc |= bit;
                p = &p[name.len()..];
                need_or = true;
            }
        }
        if !need_or {
            general(c, "umask missing bit value".into());
            return;
        }
        bits = acc;
    }
    g(c).umask = Some(bits);
}

fn random_seed(c: &mut C<'_, '_>, w: &[String]) {
    let Some(v) = c.arg(w, 1) else { return };
    match read_unsigned(c, v, 0, u32::MAX as u64, false) {
        Some(n) => {
            g(c).random_seed = Some(n);
            c.reader.set_random_seed(n);
        }
        None => general(c, format!("random_seed {v} invalid")),
    }
}

/// keepalived `include_check_set`: no words = every check; a first word
/// without `+`/`-` replaces the checks (always keeping `read`), later ones
/// add (`+`) or remove (`-`).
fn include_check(c: &mut C<'_, '_>, w: &[String]) {
    if w.len() < 2 {
        c.reader.set_include_check(include::ALL);
        return;
    }
    let mut check = c.reader.include_check();
    for (i, word) in w.iter().enumerate().skip(1) {
        let (mode, name) = match word.as_bytes().first() {
            Some(b'-') => (-1, &word[1..]),
            Some(b'+') => (1, &word[1..]),
            _ => (0, word.as_str()),
        };
        if mode == 0 {
            if i == 1 {
                check = 0;
            } else {
                general(
                    c,
                    format!("Duplicate include_check '{word}' specified - ignoring"),
                );
                continue;
            }
        }
        let flag = match name {
            "read" => include::R,
            "match" => include::M,
            "wildcard_match" => include::W,
            "brace_match" => include::B,
            _ => {
                general(c, format!("Unknown include_check type '{name}' - ignoring"));
                0
            }
        };
        if flag != 0 {
            match mode {
                0 => check = include::R | flag,
                1 => check |= flag,
                _ => check &= !flag,
            }
        }
    }
    c.reader.set_include_check(check);
}

fn reload_time_file(c: &mut C<'_, '_>, w: &[String]) {
    if w.len() != 2 {
        general(c, "reload_time_file invalid".into());
        return;
    }
    g(c).reload_time_file = Some(w[1].clone());
}

fn config_save_dir(c: &mut C<'_, '_>, w: &[String]) {
    let Some(dir) = c.arg(w, 1) else { return };
    let save = dir.strip_suffix('/').unwrap_or(dir).to_string();
    match c.state.host.owner(Path::new(dir), true) {
        // keepalived tests the S_IFDIR bit, not the file type.
        Ok(o) if o.mode & 0o040000 != 0 => g(c).config_save_dir = Some(save),
        Ok(_) => general(
            c,
            format!("config_save_dir {dir} exists and is not a directory"),
        ),
        // keepalived (the parent) creates the directory, mode 0700, here;
        // we record it and leave the creation to whoever saves a config.
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => g(c).config_save_dir = Some(save),
        Err(e) => {
            let errno = e.raw_os_error().unwrap_or(0);
            let text = e.to_string();
            let text = text.split(" (os error").next().unwrap_or(&text).to_string();
            general(c, format!("config_save_dir {dir} error {errno} - {text}"));
        }
    }
}

fn tmp_config_directory(c: &mut C<'_, '_>, w: &[String]) {
    if g(c).tmp_config_directory.is_some() {
        general(c, format!("{} already specified - ignoring", w[0]));
        return;
    }
    match w.get(1) {
        Some(d) => g(c).tmp_config_directory = Some(d.clone()),
        None => general(c, format!("{} missing directory name", w[0])),
    }
}

fn data_use_instance(c: &mut C<'_, '_>, w: &[String]) {
    let v = match w.get(1) {
        None => true,
        Some(v) => match check_true_false(v) {
            Some(b) => b,
            None => {
                // keepalived's spelling.
                general(
                    c,
                    format!("Invalid value '{v}' for global date_use_instance specified"),
                );
                return;
            }
        },
    };
    g(c).data_use_instance = v;
}

/// Ours: `metrics_file PATH`, the Prometheus textfile the daemon rewrites.
fn metrics_file(c: &mut C<'_, '_>, w: &[String]) {
    match w.get(1) {
        Some(p) => g(c).metrics_file = Some(p.clone()),
        None => general(c, "metrics_file requires a file name - ignoring".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::online_cpus;
    use crate::config::diag::{ErrClass, Level};
    use crate::config::fs::memfs::MemFs;
    use crate::config::host::{FakeHost, Owner};
    use crate::config::model::{
        DefaultScriptUser, GarpTiming, GlobalDefs, LvsFlushOnStop, RX_BUFS_MTU, RX_BUFS_SIZE,
    };
    use crate::config::{LoadOptions, Loaded, load};
    use std::net::IpAddr;
    use std::path::PathBuf;
    use std::rc::Rc;

    const MAIN: &str = "/etc/keepalived/keepalived.conf";

    fn host() -> FakeHost {
        FakeHost::with_interfaces(&["eth0"])
    }

    fn load_with(text: &str, host: FakeHost, config_test: bool) -> Loaded {
        let mut fs = MemFs::new();
        fs.add(MAIN, text);
        let opts = LoadOptions {
            config_test,
            ..Default::default()
        };
        load(&fs, Rc::new(host), MAIN, &opts)
    }

    /// A whole file, read as `keepalived -t` reads it.
    fn file(text: &str) -> Loaded {
        load_with(text, host(), true)
    }

    /// `global_defs { LINES }`.
    fn gd(lines: &str) -> Loaded {
        file(&format!("global_defs {{\n{lines}\n}}\n"))
    }

    fn msgs(l: &Loaded) -> Vec<&str> {
        l.diags.messages()
    }

    fn logs(l: &Loaded) -> Vec<&str> {
        l.diags
            .items
            .iter()
            .filter(|d| d.level == Level::Log)
            .map(|d| d.message.as_str())
            .collect()
    }

    fn class_of(l: &Loaded, msg: &str) -> ErrClass {
        match l
            .diags
            .items
            .iter()
            .find(|d| d.message == msg)
            .map(|d| d.level)
        {
            Some(Level::Config(c)) => c,
            other => panic!("{msg:?}: {other:?}"),
        }
    }

    fn missing(kw: &str, pos: usize) -> String {
        format!(
            "*** Configuration line starting `{kw}` is missing a parameter after keyword `{kw}` at word position {pos}"
        )
    }

    #[test]
    fn defaults() {
        let l = file("global_defs {\n}\n");
        assert!(msgs(&l).is_empty(), "{:?}", msgs(&l));
        assert_eq!(l.config_test_exit_code(), 0);
        let g = &l.config.global;
        let d = GlobalDefs::default();
        assert_eq!(g.vrrp_version, 2);
        assert_eq!(g.mcast_group4, "224.0.0.18".parse::<IpAddr>().unwrap());
        assert_eq!(g.mcast_group6, "ff02::12".parse::<IpAddr>().unwrap());
        assert_eq!(g.garp.master_delay, 5);
        assert_eq!(g.garp.master_repeat, 5);
        assert_eq!(g.garp.master_refresh, 0);
        assert_eq!(g.garp.master_refresh_repeat, 1);
        assert_eq!(
            (g.garp_interval_us, g.gna_interval_us, g.down_timer_adverts),
            (0, 0, 3)
        );
        assert!(!g.vrrp_strict && !g.lower_prio_no_advert && !g.higher_prio_send_advert);
        assert_eq!(g.nftables, None);
        assert_eq!(g.nftables_priority, -1);
        assert_eq!(g.rx_bufs_multiplier, 3);
        assert_eq!(g.min_auto_priority_delay_us, 1_000_000);
        assert_eq!(g.vrrp_sched.rlimit_rttime_us, 10_000);
        assert_eq!(g.smtp_port, 25);
        assert_eq!(g.other, vec![]);
        assert_eq!(d.default_script_user, DefaultScriptUser::Unresolved);
        assert_eq!(l.config.net_namespace, None);
        assert!(!l.config.use_pid_dir);
    }

    #[test]
    fn top_level_keywords() {
        let l = file(
            "net_namespace blue\nnet_namespace red\ninstance one\ninstance two\nchild_wait_time 7\n\
             net_namespace_ipvs\nnamespace_with_ipsets\nlinkbeat_use_polling\n",
        );
        assert_eq!(
            msgs(&l),
            vec![
                "Duplicate net_namespace definition red - ignoring",
                "Duplicate instance definition two - ignoring"
            ]
        );
        assert_eq!(l.config.net_namespace.as_deref(), Some("blue"));
        assert_eq!(l.config.instance_name.as_deref(), Some("one"));
        assert!(l.config.use_pid_dir);
        assert_eq!(l.config.child_wait_time, Some(7));
        assert_eq!(l.config.global.net_namespace_ipvs.as_deref(), Some(""));
        assert!(l.config.global.namespace_with_ipsets && l.config.global.linkbeat_use_polling);

        let l = file(
            "use_pid_dir\nnet_namespace\ninstance\nchild_wait_time -1\nchild_wait_time x\nnet_namespace_ipvs a\nnet_namespace_ipvs b\n",
        );
        assert_eq!(
            msgs(&l),
            vec![
                "net_namespace name missing - ignoring",
                "instance name missing - ignoring",
                "negative number '-1'",
                "Invalid child_wait_time -1",
                "invalid number 'x'",
                "Invalid child_wait_time x",
                "Duplicate net_namespace_ipvs definition b - ignoring",
            ]
        );
        assert!(l.config.use_pid_dir);
        assert_eq!(l.config.child_wait_time, None);
        assert_eq!(l.config.global.net_namespace_ipvs.as_deref(), Some("a"));
        assert_eq!(l.config_test_exit_code(), 5);

        // A second net_namespace_ipvs is named even when it has no name.
        let l = file("net_namespace_ipvs\nnet_namespace_ipvs\n");
        assert!(l.missing_parameter);
        assert_eq!(msgs(&l), vec![missing("net_namespace_ipvs", 2)]);
        assert_eq!(l.config_test_exit_code(), 2);
    }

    #[test]
    fn missing_parameters_stop_the_parse() {
        for kw in [
            "process_name",
            "vrrp_process_name",
            "checker_process_name",
            "lvs_process_name",
            "bfd_process_name",
            "smtp_server",
            "smtp_connect_timeout",
            "vrrp_mcast_group4",
            "vrrp_mcast_group6",
            "vrrp_garp_master_delay",
            "vrrp_garp_master_repeat",
            "vrrp_garp_master_refresh",
            "vrrp_garp_master_refresh_repeat",
            "vrrp_garp_lower_prio_delay",
            "vrrp_garp_lower_prio_repeat",
            "vrrp_down_timer_adverts",
            "vrrp_garp_interval",
            "vrrp_gna_interval",
            "vrrp_version",
            "nftables_priority",
            "nftables_ipvs_priority",
            "nftables_ipvs_start_fwmark",
            "vrrp_rlimit_rttime",
            "checker_rlimit_rtime",
            "bfd_rlimit_rttime",
            "vrrp_startup_delay",
            "vmac_prefix",
            "vmac_addr_prefix",
            "umask",
            "random_seed",
            "config_save_dir",
        ] {
            let l = gd(&format!("{kw}\nvrrp_strict"));
            assert!(l.missing_parameter, "{kw}");
            assert_eq!(msgs(&l), vec![missing(kw, 2)], "{kw}");
            assert!(
                !l.config.global.vrrp_strict,
                "{kw}: the parse goes no further"
            );
        }
        let l = file("child_wait_time\n");
        assert_eq!(msgs(&l), vec![missing("child_wait_time", 2)]);
        // Keywords that check for their value give their own message.
        let l = gd(
            "router_id\nnotification_email_from\nsmtp_helo_name\nstartup_script\nstartup_script_timeout\n\
             min_auto_priority_delay\ndefault_interface\nlvs_timeouts\nlvs_sync_daemon\nvrrp_garp_extra_if\n\
             vrrp_priority\nvrrp_rt_priority\nvrrp_cpu_affinity\nnotify_fifo\nnotify_fifo_script\n\
             vrrp_notify_fifo\nsnmp_socket\ndbus_service_name\nscript_user\nvrrp_netlink_cmd_rcv_bufs\n\
             vrrp_rx_bufs_policy\nvrrp_rx_bufs_multiplier\nreload_time_file\ntmp_config_directory\nmetrics_file",
        );
        assert!(!l.missing_parameter);
        assert_eq!(
            msgs(&l),
            vec![
                "routerid name missing - ignoring",
                "emailfrom missing - ignoring",
                "startup script missing",
                "startup_script_timeout requires value",
                "min_auto_priority_delay requires delay time",
                "default_interface requires interface name",
                "lvs_timeouts requires at least one option",
                "lvs_sync_daemon requires interface",
                "vrrp_garp_extra_if specified without time - ignoring",
                "No vrrp process priority specified",
                "No vrrp process real-time priority specified",
                "No vrrp cpu_id set specified",
                "No notify_fifo name specified",
                "No notify_fifo_script specified",
                "No vrrp_notify_fifo name specified",
                "SNMP error : snmp socket name missing",
                "dbus_service_name missing - ignoring",
                "No script username specified",
                "vrrp_netlink_cmd_rcv_bufs size missing",
                "vrrp_rx_bufs_policy missing",
                "Invalid vrrp_rx_bufs_multiplier",
                "reload_time_file invalid",
                "tmp_config_directory missing directory name",
                "metrics_file requires a file name - ignoring",
            ]
        );
        assert_eq!(l.config_test_exit_code(), 5);
    }

    #[test]
    fn process_names() {
        let l = gd(
            "process_names\nprocess_name ka\nbfd_process_name abcdefghijklmnopqrst\nlvs_process_name chk",
        );
        assert_eq!(
            msgs(&l),
            vec!["Process name abcdefghijklmnopqrst more than 15 characters, truncating"]
        );
        assert_eq!(
            logs(&l),
            vec!["'lvs_process_name' is deprecated - please use 'checker_process_name'"]
        );
        let g = &l.config.global;
        assert_eq!(g.process_name.as_deref(), Some("ka"));
        assert_eq!(g.vrrp_process_name.as_deref(), Some("keepalived_vrrp"));
        assert_eq!(g.checker_process_name.as_deref(), Some("chk"));
        assert_eq!(g.bfd_process_name.as_deref(), Some("abcdefghijklmno"));
    }

    #[test]
    fn smtp_and_email() {
        let l = gd(
            "router_id LVS_1\nnotification_email_from ka@example.com\nsmtp_server 10.0.0.1 2525\n\
             smtp_helo_name helo\nsmtp_connect_timeout 30\nnotification_email {\n a@example.com\n b@x c@x\n}\n\
             smtp_alert\nsmtp_alert_vrrp off\nsmtp_alert_checker yes\nno_email_faults",
        );
        assert!(msgs(&l).is_empty(), "{:?}", msgs(&l));
        let g = &l.config.global;
        assert_eq!(g.router_id.as_deref(), Some("LVS_1"));
        assert_eq!(g.notification_email_from.as_deref(), Some("ka@example.com"));
        assert_eq!(
            (g.smtp_server.as_deref(), g.smtp_port),
            (Some("10.0.0.1"), 2525)
        );
        assert_eq!(g.smtp_helo_name.as_deref(), Some("helo"));
        assert_eq!(g.smtp_connect_timeout_s, Some(30));
        assert_eq!(g.notification_email, vec!["a@example.com", "b@x", "c@x"]);
        assert_eq!(
            (g.smtp_alert, g.smtp_alert_vrrp, g.smtp_alert_checker),
            (Some(true), Some(false), Some(true))
        );
        assert!(g.no_email_faults);

        // One-line block, localhost, numeric forms getaddrinfo accepts.
        let l = gd("notification_email { x@y }\nsmtp_server localhost\nsmtp_server 127.1");
        assert!(msgs(&l).is_empty(), "{:?}", msgs(&l));
        assert_eq!(l.config.global.notification_email, vec!["x@y"]);
        assert_eq!(l.config.global.smtp_server.as_deref(), Some("127.1"));

        let l = gd(
            "notification_email {\n}\nsmtp_server 1.2.3.4 99999\nsmtp_server 10.1.1.1\nsmtp_server a-b\n\
             smtp_server smtp.example.com\nsmtp_connect_timeout 0\nsmtp_connect_timeout 5000\nsmtp_alert x",
        );
        assert_eq!(
            msgs(&l),
            vec![
                "Warning - empty notification_email block",
                "number '99999' outside range [1, 65535]",
                "number '99999' outside range [1, 65535]",
                "Invalid smtp server 1.2.3.4 99999",
                "Invalid smtp server a-b 25",
                "Invalid smtp server smtp.example.com 25",
                "smtp_conect_timeout must be greater than 0, setting to 1",
                "number '5000' outside range [0, 4294]",
                "smtp_connect_timeout '5000' must be in [0, 4294] - ignoring",
                "Invalid value 'x' for global smtp_alert specified",
            ]
        );
        assert_eq!(
            class_of(&l, "Warning - empty notification_email block"),
            ErrClass::GeneralError
        );
        assert_eq!(
            class_of(&l, "number '5000' outside range [0, 4294]"),
            ErrClass::InvalidNumber
        );
        // A failing smtp_server clears an earlier good one, as keepalived does.
        assert_eq!(l.config.global.smtp_server, None);
        assert_eq!(l.config.global.smtp_connect_timeout_s, Some(1));
        assert_eq!(l.config.global.smtp_alert, None);
    }

    #[test]
    fn garp_timing() {
        let l = gd(
            "vrrp_garp_master_delay 10\nvrrp_garp_master_repeat 3\nvrrp_garp_master_refresh 60\n\
             vrrp_garp_master_refresh_repeat 2\nvrrp_garp_lower_prio_delay 7\nvrrp_garp_lower_prio_repeat 4\n\
             vrrp_garp_interval 0.001\nvrrp_gna_interval 0.000002\nvrrp_garp_extra_if all 30",
        );
        assert!(msgs(&l).is_empty(), "{:?}", msgs(&l));
        let g = &l.config.global;
        assert_eq!(
            g.garp,
            GarpTiming {
                master_delay: 10,
                master_repeat: 3,
                master_refresh: 60,
                master_refresh_repeat: 2,
                lower_prio_delay: Some(7),
                lower_prio_repeat: Some(4)
            }
        );
        assert_eq!((g.garp_interval_us, g.gna_interval_us), (1000, 2));
        assert_eq!((g.garp_extra_if_s, g.garp_extra_if_all), (30, true));

        // The fixtures' most common global error.
        let l = gd("vrrp_garp_interval 0\nvrrp_gna_interval 0");
        assert_eq!(
            msgs(&l),
            vec![
                "number '0' outside range [0.000001, 4294.967295]",
                "vrrp_garp_interval '0' is invalid",
                "number '0' outside range [0.000001, 4294.967295]",
                "vrrp_gna_interval '0' is invalid",
            ]
        );
        assert_eq!(
            class_of(&l, "vrrp_garp_interval '0' is invalid"),
            ErrClass::GeneralError
        );
        assert_eq!(l.config_test_exit_code(), 5);

        let l = gd(
            "vrrp_garp_master_delay 5000\nvrrp_garp_master_repeat 0\nvrrp_garp_master_refresh 30\n\
             vrrp_garp_master_refresh x\nvrrp_garp_master_refresh_repeat 0\nvrrp_garp_lower_prio_delay -1\n\
             vrrp_garp_lower_prio_repeat 3000000000\nvrrp_garp_interval 2\nvrrp_garp_interval 0.0000001\n\
             vrrp_garp_extra_if 0\nvrrp_garp_extra_if all\nvrrp_vmac_garp_intvl 5",
        );
        assert_eq!(
            msgs(&l),
            vec![
                "number '5000' outside range [0, 4294]",
                "vrrp_garp_master_delay '5000' invalid - ignoring",
                "vrrp_garp_master_repeat must be greater than 0, setting to 1",
                "invalid number 'x'",
                "Invalid vrrp_garp_master_refresh 'x' - ignoring",
                "vrrp_garp_master_refresh_repeat must be greater than 0, setting to 1",
                "negative number '-1'",
                "vrrp_garp_lower_prio_delay '-1' invalid - ignoring",
                "number '3000000000' outside range [0, 2147483647]",
                "Invalid vrrp_garp_lower_prio_repeat '3000000000'",
                "number '0.0000001' has too many decimal places",
                "number '0.0000001' outside range [0.000001, 4294.967295]",
                "vrrp_garp_interval '0.0000001' is invalid",
                "number '0' outside range [1, 86400]",
                "vrrp_garp_extra_if '0' invalid - ignoring",
                "vrrp_garp_extra_if specified without time - ignoring",
                "Keyword \"vrrp_vmac_garp_intvl\" is deprecated - please use \"vrrp_garp_extra_if\"",
            ]
        );
        assert_eq!(
            class_of(
                &l,
                "Keyword \"vrrp_vmac_garp_intvl\" is deprecated - please use \"vrrp_garp_extra_if\""
            ),
            ErrClass::Deprecated
        );
        // "Large" is judged on the value in force, so the invalid value repeats it.
        assert_eq!(
            logs(&l),
            vec![
                "The vrrp_garp_interval is very large - 2 seconds",
                "The vrrp_garp_interval is very large - 0.0000001 seconds"
            ]
        );
        let g = &l.config.global;
        assert_eq!(
            (
                g.garp.master_delay,
                g.garp.master_repeat,
                g.garp.master_refresh,
                g.garp.master_refresh_repeat
            ),
            (5, 1, 0, 1)
        );
        assert_eq!(g.garp_interval_us, 2_000_000);
        assert_eq!((g.garp_extra_if_s, g.garp_extra_if_all), (5, true));
    }

    #[test]
    fn min_garp_only_touches_defaults() {
        let l = gd("vrrp_garp_master_repeat 3\nvrrp_min_garp");
        let t = l.config.global.garp;
        assert_eq!(
            (
                t.master_delay,
                t.master_repeat,
                t.master_refresh,
                t.master_refresh_repeat
            ),
            (0, 3, 0, 0)
        );
        let l = gd("vrrp_min_garp false\nvrrp_min_garp x");
        assert_eq!(msgs(&l), vec!["Invalid value for vrrp_min_garp specified"]);
        assert_eq!(l.config.global.garp.master_repeat, 5);
        let l = gd("vrrp_min_garp on");
        assert_eq!(l.config.global.garp.master_repeat, 1);
    }

    #[test]
    fn vrrp_protocol_defaults() {
        let l = gd(
            "vrrp_version 3\nvrrp_mcast_group4 224.0.0.100\nvrrp_mcast_group6 ff02::101\nvrrp_strict\n\
             vrrp_check_unicast_src\nvrrp_skip_check_adv_addr\nvrrp_lower_prio_no_advert\n\
             vrrp_higher_prio_send_advert false\nvrrp_down_timer_adverts 10\nvrrp_startup_delay 5.5\n\
             log_unknown_vrids\ndynamic_interfaces allow_if_changes\ndefault_interface eth0\n\
             vrrp_notify_priority_changes\nfifo_write_vrrp_states_on_reload\nvmac_prefix vm\nvmac_addr_prefix va",
        );
        assert!(msgs(&l).is_empty(), "{:?}", msgs(&l));
        let g = &l.config.global;
        assert_eq!(g.vrrp_version, 3);
        assert_eq!(g.mcast_group4, "224.0.0.100".parse::<IpAddr>().unwrap());
        assert_eq!(g.mcast_group6, "ff02::101".parse::<IpAddr>().unwrap());
        assert!(g.vrrp_strict && g.check_unicast_src && g.skip_check_adv_addr);
        assert!(g.lower_prio_no_advert && !g.higher_prio_send_advert);
        assert_eq!((g.down_timer_adverts, g.startup_delay_us), (10, 5_500_000));
        assert!(g.log_unknown_vrids && g.dynamic_interfaces && g.allow_if_changes);
        assert!(g.notify_priority_changes && g.fifo_write_vrrp_states_on_reload);
        assert_eq!(g.default_interface.as_deref(), Some("eth0"));
        assert_eq!(
            (g.vmac_prefix.as_deref(), g.vmac_addr_prefix.as_deref()),
            (Some("vm"), Some("va"))
        );

        let l = gd(
            "vrrp_version 4\nvrrp_version 3x\nvrrp_mcast_group4 ff02::1\nvrrp_mcast_group4 1.2.3.4\n\
             vrrp_mcast_group4 x\nvrrp_mcast_group4 224.1.1.1/24\nvrrp_mcast_group6 ff05::1\n\
             vrrp_mcast_group6 1.2.3.4\nvrrp_mcast_group6 fe80::1\nvrrp_lower_prio_no_advert x\n\
             vrrp_higher_prio_send_advert x\nvrrp_down_timer_adverts 0\nvrrp_startup_delay 0\n\
             vrrp_startup_delay 100\ndynamic_interfaces x\nvmac_prefix again\nvmac_prefix a\nvmac_prefix b\n\
             vrrp_notify_priority_changes maybe",
        );
        assert_eq!(
            msgs(&l),
            vec![
                "number '4' outside range [2, 3]",
                "VRRP Error: Version must be either 2 or 3",
                "invalid number '3x'",
                "VRRP Error: Version must be either 2 or 3",
                "vrrp_mcast_group4 [ff02::1] is not IPv4. Skipping",
                "vrrp_mcast_group4 [1.2.3.4] is not multicast. Skipping",
                "Can't parse vrrp_mcast_group4 [x]. Skipping",
                "vrrp_mcast_group6 [ff05::1] should be link-local multicast.",
                "vrrp_mcast_group6 [1.2.3.4] is not IPv6. Skipping",
                "vrrp_mcast_group6 [fe80::1] is not multicast. Skipping",
                "Invalid value for vrrp_lower_prio_no_advert specified",
                "Invalid value for vrrp_higher_prio_send_advert specified",
                "number '0' outside range [1, 100]",
                "Invalid vrrp_down_timer_adverts [1:100] '0'",
                "number '0' outside range [0.001000, 4294.967295]",
                "vrrp_startup_delay '0' is invalid",
                "Unknown dynamic_interfaces option 'x'",
                "vmac prefix has already been specified - ignoring a",
                "vmac prefix has already been specified - ignoring b",
                "Invalid value 'maybe' for global vrrp_notify_priority_changes specified",
            ]
        );
        assert_eq!(
            class_of(
                &l,
                "vrrp_mcast_group6 [ff05::1] should be link-local multicast."
            ),
            ErrClass::Warning
        );
        assert_eq!(
            logs(&l),
            vec!["The vrrp_startup_delay is very large - 100 seconds"]
        );
        let g = &l.config.global;
        assert_eq!(g.vrrp_version, 2);
        assert_eq!(
            g.mcast_group4,
            "224.1.1.1".parse::<IpAddr>().unwrap(),
            "mask stripped as keepalived does"
        );
        assert_eq!(
            g.mcast_group6,
            "ff05::1".parse::<IpAddr>().unwrap(),
            "a warning only"
        );
        assert_eq!(g.vmac_prefix.as_deref(), Some("again"));
    }

    #[test]
    fn trailing_junk_is_a_warning_outside_config_test() {
        let l = load_with("global_defs {\n vrrp_version 3x\n}\n", host(), false);
        assert_eq!(msgs(&l), vec!["WARNING - invalid number '3x'"]);
        assert_eq!(l.config.global.vrrp_version, 3);
    }

    #[test]
    fn firewall_nftables_only() {
        let l = gd(
            "vrrp_iptables TESTIN TESTOUT\nnftables\nnftables_priority 5\nnftables_ifindex\nnftables_counters",
        );
        let msg = "iptables not supported, using nftables instead. Please replace 'vrrp_iptables and 'vrrp_ipsets' with 'nftables' config option";
        assert_eq!(msgs(&l), vec![msg, "nftables already specified - ignoring"]);
        assert_eq!(class_of(&l, msg), ErrClass::GeneralError);
        let g = &l.config.global;
        assert_eq!(
            (g.nftables.as_deref(), g.nftables_priority),
            (Some("keepalived"), 5)
        );
        assert!(g.nftables_ifindex && g.nftables_counters);

        // The Debian build has no ipset support: vrrp_ipsets is unknown.
        let l = gd("vrrp_ipsets SET");
        assert_eq!(msgs(&l), vec!["Unknown keyword 'vrrp_ipsets'"]);

        let long = "a".repeat(256);
        let l = gd(&format!(
            "nftables {long}\nnftables mytable\nnftables_priority x\nnftables_ipvs\nnftables_ipvs_priority 3\n\
             nftables_ipvs_start_fwmark 0\nnftables_ipvs other"
        ));
        assert_eq!(
            msgs(&l),
            vec![
                "nftables table name too long - ignoring",
                "invalid number 'x'",
                "invalid nftables chain priority 'x'",
                "number '0' outside range [1, 4294967295]",
                "invalid ipvs nftables start_fwmark priority '0'",
                "ipvs nftables already specified - ignoring",
            ]
        );
        assert_eq!(
            class_of(&l, "invalid nftables chain priority 'x'"),
            ErrClass::InvalidNumber
        );
        let g = &l.config.global;
        assert_eq!(
            (g.nftables.as_deref(), g.nftables_priority),
            (Some("mytable"), -1)
        );
        assert_eq!(
            (
                g.nftables_ipvs.as_deref(),
                g.nftables_ipvs_priority,
                g.nftables_ipvs_start_fwmark
            ),
            (Some("keepalived_ipvs"), 3, 1000)
        );
    }

    #[test]
    fn scheduling() {
        let l = gd(
            "vrrp_priority -5\nvrrp_no_swap\nvrrp_rt_priority 50\nvrrp_cpu_affinity 0\nvrrp_rlimit_rttime 1\n\
             checker_priority 19\nbfd_rt_priority 0\nbfd_rlimit_rtime 5000\nmax_auto_priority\nmin_auto_priority_delay 500",
        );
        assert_eq!(
            msgs(&l),
            vec!["bfd process real-time priority 0 less than minimum 1 - setting to minimum"]
        );
        assert_eq!(
            logs(&l),
            vec!["Keyword 'bfd_rlimit_rtime' is deprecated - please use 'bfd_rlimit_rttime'"]
        );
        let g = &l.config.global;
        assert_eq!(g.vrrp_sched.priority, -5);
        assert!(g.vrrp_sched.no_swap);
        assert_eq!(g.vrrp_sched.rt_priority, Some(50));
        assert_eq!(g.vrrp_sched.cpu_affinity, vec![0]);
        assert_eq!(g.vrrp_sched.rlimit_rttime_us, 2, "1 is raised to 2");
        assert_eq!(g.checker_sched.priority, 19);
        assert_eq!(
            (g.bfd_sched.rt_priority, g.bfd_sched.rlimit_rttime_us),
            (Some(1), 5000)
        );
        assert_eq!(
            (g.max_auto_priority, g.min_auto_priority_delay_us),
            (Some(99), 500)
        );

        let cpus = online_cpus();
        let l = gd(
            "vrrp_priority 20\nvrrp_priority x\nvrrp_rt_priority 100\nvrrp_rt_priority x\nvrrp_cpu_affinity x\n\
             checker_cpu_affinity 0 99999\nvrrp_rlimit_rttime 0\nmax_auto_priority 100\nmax_auto_priority -2\n\
             min_auto_priority_delay 0",
        );
        assert_eq!(
            msgs(&l),
            vec![
                "number '20' outside range [-20, 19]".to_string(),
                "Invalid vrrp process priority specified".into(),
                "invalid number 'x'".into(),
                "Invalid vrrp process priority specified".into(),
                "vrrp process real-time priority 100 greater than maximum 99 - setting to maximum"
                    .into(),
                "invalid number 'x'".into(),
                "vrrp process real-time priority 'x' invalid".into(),
                "invalid number 'x'".into(),
                "Invalid cpu_id:0 specified for vrrp process".into(),
                format!("number '99999' outside range [0, {}]", cpus - 1),
                "Invalid cpu_id:99999 specified for checker process".into(),
                "number '0' outside range [1, 4294967295]".into(),
                "Invalid vrrp real-time limit - 0".into(),
                "number '100' outside range [-1, 99]".into(),
                "max_auto_priority '100' must be in [0, 99] (or -1 to disable) - ignoring".into(),
                "number '-2' outside range [-1, 99]".into(),
                "max_auto_priority '-2' must be in [0, 99] (or -1 to disable) - ignoring".into(),
                "number '0' outside range [1, 10000000]".into(),
                "min_auto_priority_delay '0' must be in [1, 10000000] - ignoring".into(),
            ]
        );
        let g = &l.config.global;
        assert_eq!(
            g.vrrp_sched.priority, 0,
            "an invalid priority resets it to 0"
        );
        assert_eq!(g.vrrp_sched.rt_priority, Some(99));
        assert_eq!(g.vrrp_sched.rlimit_rttime_us, 0);
        assert!(g.checker_sched.cpu_affinity.is_empty());
        assert_eq!(g.max_auto_priority, None);
    }

    fn host_with_script_user() -> FakeHost {
        let mut h = host();
        h.users.push(("keepalived_script".into(), 900, 901));
        h.users.push(("nobody".into(), 65534, 65534));
        h.groups.push(("nogroup".into(), 65534));
        h
    }

    #[test]
    fn script_user_and_default_user() {
        let l = load_with(
            "global_defs {\n script_user nobody nogroup\n}\n",
            host(),
            true,
        );
        assert_eq!(msgs(&l), vec!["Error setting global script uid/gid"]);
        assert_eq!(logs(&l), vec!["Script user 'nobody' does not exist"]);
        assert_eq!(
            l.config.global.default_script_user,
            DefaultScriptUser::Failed
        );
        assert_eq!(
            l.config.global.script_user,
            Some(("nobody".into(), Some("nogroup".into())))
        );

        let l = load_with(
            "global_defs {\n script_user nobody nogroup\n}\n",
            host_with_script_user(),
            true,
        );
        assert!(msgs(&l).is_empty());
        assert_eq!(
            l.config.global.default_script_user,
            DefaultScriptUser::Ids(65534, 65534)
        );

        // A failure is sticky: a later good script_user still reports it.
        let l = load_with(
            "global_defs {\n script_user root nosuch\n script_user root\n}\n",
            host(),
            true,
        );
        assert_eq!(
            msgs(&l),
            vec![
                "Error setting global script uid/gid",
                "Error setting global script uid/gid"
            ]
        );
        assert_eq!(logs(&l), vec!["Script group 'nosuch' does not exist"]);

        // The default user is looked up by the first script that needs it.
        let l = load_with(
            "global_defs {\n vrrp_notify_fifo /run/f\n}\n",
            host_with_script_user(),
            true,
        );
        assert_eq!(
            l.config.global.default_script_user,
            DefaultScriptUser::Ids(900, 901)
        );
        let f = l.config.global.vrrp_notify_fifo.as_ref().unwrap();
        assert_eq!((f.path.as_str(), f.uid, f.gid), ("/run/f", 900, 901));
        let l = load_with("global_defs {\n vrrp_notify_fifo /run/f\n}\n", host(), true);
        assert_eq!(
            l.config.global.default_script_user,
            DefaultScriptUser::Ids(0, 0)
        );
        assert!(msgs(&l).is_empty());

        // ... and under enable_script_security a missing keepalived_script fails.
        let l = gd(
            "enable_script_security\nvrrp_notify_fifo /run/f\nnotify_fifo_script \"/bin/echo a\"\nstartup_script /bin/true",
        );
        assert_eq!(
            msgs(&l),
            vec![
                "Unable to set default user keepalived_script for script",
                "Invalid startup script"
            ]
        );
        assert_eq!(
            logs(&l),
            vec![
                "Script user 'keepalived_script' does not exist",
                "Failed to set default user for vrrp_ fifo (null) - ignoring",
                "Failed to set default user for notify_fifo script /bin/echo - ignoring",
                "Failed to set default user for startup script /bin/true - ignoring",
            ]
        );
        let g = &l.config.global;
        assert!(g.enable_script_security);
        assert_eq!(g.default_script_user, DefaultScriptUser::Failed);
        assert!(
            g.vrrp_notify_fifo.is_none()
                && g.notify_fifo_script.is_none()
                && g.startup_script.is_none()
        );
    }

    #[test]
    fn fifos_and_parent_scripts() {
        let l = load_with(
            "global_defs {\n notify_fifo /run/n root\n notify_fifo /run/m\n vrrp_notify_fifo /run/v nobody nogroup\n\
             vrrp_notify_fifo_script \"/usr/bin/logger -t 'ka fifo'\" nobody\n vrrp_notify_fifo_script /bin/y\n\
             lvs_notify_fifo /run/l nosuch\n lvs_notify_fifo_script /bin/l\n startup_script /bin/true\n\
             startup_script /bin/false\n shutdown_script \"/bin/echo bye\" root root\n shutdown_script_timeout 20\n\
             startup_script_timeout 0\n}\n",
            host_with_script_user(),
            true,
        );
        assert_eq!(
            msgs(&l),
            vec![
                "notify_fifo already specified - ignoring /run/m",
                "vrrp_notify_fifo_script already specified - ignoring /bin/y",
                "startup script already specified",
                "number '0' outside range [1, 1000]",
                "startup_script_timeout '0' must be in [1, 1000] - ignoring",
            ]
        );
        assert_eq!(
            logs(&l),
            vec![
                "Script user 'nosuch' does not exist",
                "Invalid user/group for lvs_ fifo (null) - ignoring"
            ]
        );
        let g = &l.config.global;
        let n = g.notify_fifo.as_ref().unwrap();
        assert_eq!(
            (n.path.as_str(), n.user.as_deref(), n.uid),
            ("/run/n", Some("root"), 0)
        );
        let v = g.vrrp_notify_fifo.as_ref().unwrap();
        assert_eq!(
            (v.uid, v.gid, v.group.as_deref()),
            (65534, 65534, Some("nogroup"))
        );
        assert!(g.lvs_notify_fifo.is_none());
        let s = g.vrrp_notify_fifo_script.as_ref().unwrap();
        assert_eq!(s.cmd, "/usr/bin/logger -t 'ka fifo'");
        // (validation appends the FIFO path, as keepalived does)
        assert_eq!(s.argv, vec!["/usr/bin/logger", "-t", "ka fifo", "/run/v"]);
        assert_eq!(s.user.as_deref(), Some("nobody"));
        assert_eq!(
            g.lvs_notify_fifo_script.as_ref().unwrap().argv,
            vec!["/bin/l"]
        );
        assert_eq!(g.startup_script.as_ref().unwrap().argv, vec!["/bin/true"]);
        assert_eq!(g.startup_script_timeout_s, 10);
        let s = g.shutdown_script.as_ref().unwrap();
        assert_eq!(
            (s.argv.len(), s.user.as_deref(), s.group.as_deref()),
            (2, Some("root"), Some("root"))
        );
        assert_eq!(g.shutdown_script_timeout_s, 20);

        let l = gd("vrrp_notify_fifo_script /bin/x nosuch\nvrrp_notify_fifo_script \"/bin/x 'a\"");
        assert_eq!(
            logs(&l),
            vec![
                "Script user 'nosuch' does not exist",
                "Invalid user/group for vrrp_notify_fifo script /bin/x - ignoring",
                "Unable to parse script '/bin/x 'a' - ignoring",
            ]
        );
        // The first one failed, so the second is read (and its inner quote fails).
        assert_eq!(msgs(&l), vec!["String '/bin/x 'a': missing terminating '"]);
        assert!(l.config.global.vrrp_notify_fifo_script.is_none());
    }

    #[test]
    fn snmp_dbus_and_flags() {
        let l = gd(
            "snmp_socket tcp:localhost:705\nenable_traps\nenable_snmp_keepalived\nenable_snmp_rfc\nenable_snmp_checker\n\
             enable_dbus\ndbus_service_name org.ka\nsnmp_socket a b\nsnmp_socket other",
        );
        assert_eq!(
            msgs(&l),
            vec![
                "Too many parameters specified for snmp_socket - ignoring",
                "SNMP socket already set to tcp:localhost:705 - ignoring"
            ]
        );
        let g = &l.config.global;
        assert_eq!(g.snmp_socket.as_deref(), Some("tcp:localhost:705"));
        assert!(
            g.enable_traps
                && g.enable_snmp_vrrp
                && g.enable_snmp_rfcv2
                && g.enable_snmp_rfcv3
                && g.enable_snmp_checker
        );
        assert!(g.enable_dbus);
        assert_eq!(g.dbus_service_name.as_deref(), Some("org.ka"));
        // keepalived's PATH_MAX check on the name cannot trigger: a line is
        // at most 1023 bytes.
        let l = gd("snmp_socket");
        assert_eq!(msgs(&l), vec!["SNMP error : snmp socket name missing"]);
    }

    #[test]
    fn lvs_keywords() {
        let l = gd(
            "lvs_timeouts tcp 900 tcpfin 120 udp 300\nlvs_flush\nlvs_flush_onstop VS\n\
             lvs_sync_daemon eth0 inst VI_1 id 5 maxlen 1400 port 8848 ttl 2 group 224.0.0.81\n\
             rs_init_notifies off\nno_checker_emails\nchecker_log_all_failures",
        );
        assert!(msgs(&l).is_empty(), "{:?}", msgs(&l));
        let g = &l.config.global;
        assert_eq!(
            (
                g.lvs_timeouts.tcp,
                g.lvs_timeouts.tcpfin,
                g.lvs_timeouts.udp
            ),
            (Some(900), Some(120), Some(300))
        );
        assert!(
            g.lvs_flush && g.no_checker_emails && g.checker_log_all_failures && !g.rs_init_notifies
        );
        assert_eq!(g.lvs_flush_on_stop, LvsFlushOnStop::Vs);
        let sd = g.lvs_sync_daemon.as_ref().unwrap();
        assert_eq!(
            (sd.ifname.as_str(), sd.vrrp_instance.as_deref(), sd.syncid),
            ("eth0", Some("VI_1"), Some(5))
        );
        assert_eq!(
            (sd.maxlen, sd.port, sd.ttl),
            (Some(1400), Some(8848), Some(2))
        );
        assert_eq!(sd.group, Some("224.0.0.81".parse().unwrap()));

        let l = gd(
            "lvs_timeouts tcp\nlvs_timeouts tcp 5 udp\nlvs_timeouts tcp x tcpfin 99999999 foo\nlvs_flush_on_stop x\n\
             lvs_sync_daemon eth0 VI_1 5 x\nlvs_sync_daemon eth1\nchecker_log_all_failures x",
        );
        assert_eq!(
            msgs(&l),
            vec![
                "lvs_timeouts requires at least one option",
                "No value specified for lvs_timeout udp - ignoring",
                "invalid number 'x'",
                "Invalid lvs_timeout tcp (x) - ignoring",
                "number '99999999' outside range [0, 2678400]",
                "Invalid lvs_timeout tcpfin (99999999) - ignoring",
                "Unknown option foo specified for lvs_timeouts",
                "Unknown lvs_flush_on_stop type x",
                "Please use keyword \"id\" before lvs_sync_daemon SYNCID",
                "Unknown option x specified for lvs_sync_daemon",
                "lvs_sync_daemon has already been specified as eth0 VI_1 - ignoring",
                "Invalid value for checker_log_all_failures specified",
            ]
        );
        assert_eq!(l.config.global.lvs_timeouts.tcp, Some(5));

        let l =
            gd("lvs_sync_daemon abcdefghijklmnop\nlvs_sync_daemon eth0 id\nlvs_sync_daemon eth1");
        assert_eq!(
            msgs(&l),
            vec![
                "lvs_sync_daemon interface name 'abcdefghijklmnop' too long - ignoring",
                "No value specified for lvs_sync_daemon id, defaulting to vrid",
                "lvs_sync_daemon has already been specified as eth0  - ignoring",
            ]
        );
        let l = gd(
            "lvs_sync_daemon eth0 id 300 maxlen 0 port 0 ttl 0 group 1.2.3.4 group x inst a inst b",
        );
        assert_eq!(
            msgs(&l),
            vec![
                "number '300' outside range [0, 255]",
                "Invalid syncid (300) - defaulting to vrid",
                "number '0' outside range [1, 65507]",
                "Invalid lvs_sync_daemon maxlen (0) - ignoring",
                "number '0' outside range [1, 65535]",
                "Invalid lvs_sync_daemon port (0) - ignoring",
                "number '0' outside range [1, 255]",
                "Invalid lvs_sync_daemon ttl (0) - ignoring",
                "lvs_sync_daemon group address 1.2.3.4 is not multicast - ignoring",
                "Invalid lvs_sync_daemon group (x) - ignoring",
                "lvs_sync_daemon vrrp instance has already been specified as a - ignoring",
            ]
        );
        let l = gd("lvs_sync_daemon eth0 inst");
        assert!(l.missing_parameter);
        assert_eq!(
            msgs(&l),
            vec![
                "*** Configuration line starting `lvs_sync_daemon` is missing a parameter after keyword `inst` at word position 4"
            ]
        );
    }

    #[test]
    fn buffers() {
        let l = gd(
            "vrrp_netlink_cmd_rcv_bufs 1048576\nvrrp_netlink_cmd_rcv_bufs_force\nvrrp_netlink_monitor_rcv_bufs 0\n\
             process_monitor_rcv_bufs 4096\nlvs_netlink_monitor_rcv_bufs_force off\nvrrp_rx_bufs_policy mtu\n\
             vrrp_rx_bufs_multiplier 4",
        );
        assert!(msgs(&l).is_empty(), "{:?}", msgs(&l));
        let g = &l.config.global;
        assert_eq!(
            (
                g.vrrp_netlink_cmd_rcv_bufs,
                g.vrrp_netlink_cmd_rcv_bufs_force
            ),
            (Some(1_048_576), true)
        );
        assert_eq!(
            g.vrrp_netlink_monitor_rcv_bufs, None,
            "0 leaves the default"
        );
        assert_eq!(g.process_monitor_rcv_bufs, Some(4096));
        assert!(!g.lvs_netlink_monitor_rcv_bufs_force);
        assert_eq!((g.rx_bufs_policy, g.rx_bufs_multiplier), (RX_BUFS_MTU, 4));

        let l = gd(
            "vrrp_netlink_cmd_rcv_bufs x\nvrrp_netlink_cmd_rcv_bufs_force x\nvrrp_rx_bufs_policy MTU 1000\n\
             vrrp_rx_bufs_policy mtu advert\nvrrp_rx_bufs_multiplier 3 4\nvrrp_rx_bufs_multiplier 0",
        );
        assert_eq!(
            msgs(&l),
            vec![
                "invalid number 'x'",
                "vrrp_netlink_cmd_rcv_bufs size (x) invalid",
                "Invalid value 'x' for global vrrp_netlink_cmd_rcv_bufs_force specified",
                // keepalived reads the size from the first word, whatever the word.
                "invalid number 'MTU'",
                "Invalid vrrp_rx_bufs_policy 1000",
                "Cannot set both vrrp_rx_bufs_policy MTU and ADVERT, ignoring ADVERT",
                "Invalid vrrp_rx_bufs_multiplier",
                "number '0' outside range [1, 4294967295]",
                "Invalid vrrp_rx_bufs_multiplier 0",
            ]
        );
        let l = gd("vrrp_rx_bufs_policy 2000 MTU");
        assert_eq!(
            msgs(&l),
            vec!["Cannot set vrrp_rx_bufs_policy size and policy, ignoring policy"]
        );
        assert_eq!(
            (l.config.global.rx_bufs_policy, l.config.global.rx_bufs_size),
            (RX_BUFS_SIZE, 2000)
        );
    }

    #[test]
    fn umask_forms() {
        for (v, bits) in [
            ("022", 0o22),
            ("0x12", 0o22),
            ("18", 0o22),
            ("0", 0),
            ("IWGRP|IWOTH", 0o22),
            ("IWGRP | IWOTH", 0o22),
        ] {
            let l = gd(&format!("umask {v}"));
            assert!(msgs(&l).is_empty(), "{v}: {:?}", msgs(&l));
            assert_eq!(l.config.global.umask, Some(bits), "{v}");
        }
        let l = gd(
            "umask 022 x\numask 0999\numask 1000\numask 08\numask IWGRP |\numask IWGRP IWOTH\numask IWGRPX\n\
             umask -1\numask |IWGRP\numask iwgrp\numask IWGRP||IWOTH",
        );
        assert_eq!(
            msgs(&l),
            vec![
                "Extra parameter(s) to umask option",
                "invalid umask value 0999",
                "invalid umask value 1000",
                "invalid umask value 08",
                "umask missing bit value",
                "Invalid umask syntax IWOTH",
                "Invalid umask syntax IWGRPX",
                "Unknown umask bit -1",
                "Unknown umask bit |IWGRP",
                "Unknown umask bit iwgrp",
                "Unknown umask bit |IWOTH",
            ]
        );
        assert_eq!(l.config.global.umask, None);
    }

    #[test]
    fn include_check_sets_the_reader_checks() {
        // A plain include of a missing file is not an error...
        let l = file("include /nope.conf\n");
        assert_eq!(l.config_test_exit_code(), 0);
        // ... until include_check asks for it ("match" is in every set below).
        for set in ["", "match", "wildcard_match +match", "+match"] {
            let l = file(&format!(
                "global_defs {{\n include_check {set}\n}}\ninclude /nope.conf\n"
            ));
            assert_eq!(l.config_test_exit_code(), 4, "include_check {set}");
        }
        for set in ["read", "wildcard_match", "-match", "bogus"] {
            let l = file(&format!(
                "global_defs {{\n include_check\n include_check {set}\n}}\ninclude /nope.conf\n"
            ));
            assert_ne!(l.config_test_exit_code(), 4, "include_check {set}");
        }
        let l = gd(
            "include_check read match\ninclude_check +foo\ninclude_check -match bar\ninclude_check readx",
        );
        assert_eq!(
            msgs(&l),
            vec![
                "Duplicate include_check 'match' specified - ignoring",
                "Unknown include_check type 'foo' - ignoring",
                "Duplicate include_check 'bar' specified - ignoring",
                "Unknown include_check type 'readx' - ignoring",
            ]
        );
    }

    #[test]
    fn random_seed_feeds_the_reader() {
        let text = |seed: &str| {
            format!("global_defs {{\n random_seed {seed}\n router_id ${{_RANDOM 0 1000000}}\n}}\n")
        };
        let a = file(&text("5"));
        let b = file(&text("5"));
        assert_eq!(a.config.global.random_seed, Some(5));
        assert_eq!(a.config.global.router_id, b.config.global.router_id);
        let l = gd("random_seed -1\nrandom_seed x");
        assert_eq!(
            msgs(&l),
            vec![
                "negative number '-1'",
                "random_seed -1 invalid",
                "invalid number 'x'",
                "random_seed x invalid"
            ]
        );
        assert_eq!(l.config.global.random_seed, None);
    }

    #[test]
    fn reload_and_directories() {
        let mut h = host();
        h.files.push((
            PathBuf::from("/var/save/x"),
            Owner {
                uid: 0,
                gid: 0,
                mode: 0o100644,
            },
        ));
        h.files.push((
            PathBuf::from(super::IGMP_LINK_LOCAL_MCAST_REPORTS),
            Owner {
                uid: 0,
                gid: 0,
                mode: 0o100644,
            },
        ));
        let text = "global_defs {\n reload_check_config\n reload_time_file /run/t\n reload_repeat\n reload_file\n\
                    config_save_dir /var/save/\n config_save_dir /var/save/x\n config_save_dir /new/dir\n\
                    tmp_config_directory /tmp/ka\n tmp_config_directory /tmp/kb\n data_use_instance no\n\
                    data_use_instance x\n disable_local_igmp\n metrics_file /run/ka.prom\n}\n";
        let l = load_with(text, h, true);
        assert_eq!(
            msgs(&l),
            vec![
                "config_save_dir /var/save/x exists and is not a directory",
                "tmp_config_directory already specified - ignoring",
                "Invalid value 'x' for global date_use_instance specified",
            ]
        );
        let g = &l.config.global;
        assert_eq!(g.reload_check_config.as_deref(), Some("/dev/null"));
        assert_eq!(g.reload_time_file.as_deref(), Some("/run/t"));
        assert!(g.reload_repeat);
        assert_eq!(g.reload_file, Some(None));
        assert_eq!(g.config_save_dir.as_deref(), Some("/new/dir"));
        assert_eq!(g.tmp_config_directory.as_deref(), Some("/tmp/ka"));
        assert!(!g.data_use_instance);
        assert!(g.disable_local_igmp);
        assert_eq!(g.metrics_file.as_deref(), Some("/run/ka.prom"));

        let l = gd("disable_local_igmp\nreload_time_file a b");
        assert_eq!(
            msgs(&l),
            vec![
                "kernel does not support /proc/sys/net/ipv4/igmp_link_local_mcast_reports",
                "reload_time_file invalid"
            ]
        );
        assert!(!l.config.global.disable_local_igmp);
    }

    #[test]
    fn every_line_is_recorded() {
        let l = file("instance x\nglobal_defs {\n router_id r1\n vrrp_strict\n}\n");
        assert_eq!(
            l.config.global.other,
            vec![
                ("instance".to_string(), vec!["x".to_string()]),
                ("router_id".into(), vec!["r1".into()]),
                ("vrrp_strict".into(), vec![])
            ]
        );
    }

    #[test]
    fn helpers() {
        assert_eq!(super::strtol_prefix_int("12x"), 12);
        assert_eq!(super::strtol_prefix_int("x"), 0);
        assert_eq!(super::strtol_prefix_int("-3"), -3);
        assert_eq!(super::strtol_base0("0x1f"), (31, true));
        assert_eq!(super::strtol_base0("017"), (15, true));
        assert_eq!(super::strtol_base0("0x"), (0, false));
        assert_eq!(super::inet_aton("127.1"), Some(0x7f00_0001));
        assert_eq!(super::inet_aton("0x7f000001"), Some(0x7f00_0001));
        assert_eq!(super::inet_aton("256.1.1.1"), None);
        assert_eq!(
            super::inet_pton_ka("224.0.0.1-5"),
            Some("224.0.0.1".parse().unwrap())
        );
    }
}

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
        kw!("v3_checksum_as_v2", v3_checksum_as_v2),
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

mod fifo;
mod lvs;
mod misc;
mod process;
mod protocol;
pub mod scripts;
mod smtp;
#[allow(unused_imports)]
use fifo::*;
#[allow(unused_imports)]
use lvs::*;
#[allow(unused_imports)]
use misc::*;
#[allow(unused_imports)]
use process::*;
#[allow(unused_imports)]
use protocol::*;
#[allow(unused_imports)]
pub use scripts::*;
#[allow(unused_imports)]
use smtp::*;

// ---------------------------------------------------------------------------
// Helpers

pub(super) fn g<'a>(c: &'a mut C<'_, '_>) -> &'a mut GlobalDefs {
    &mut c.state.cfg.global
}

/// Record the line for the dump.
pub(super) fn seen(c: &mut C<'_, '_>, w: &[String]) {
    if let Some((k, rest)) = w.split_first() {
        g(c).other.push((k.clone(), rest.to_vec()));
    }
}

pub(super) fn general(c: &mut C<'_, '_>, msg: String) {
    c.err(ErrClass::GeneralError, msg);
}

/// `KEYWORD [BOOL]` (no value = true) with keepalived's
/// "Invalid value '%s' for global KEYWORD specified".
pub(super) fn bool_named(c: &mut C<'_, '_>, w: &[String]) -> Option<bool> {
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
pub(super) fn bool_unnamed(
    c: &mut C<'_, '_>,
    w: &[String],
    default: bool,
    name: &str,
) -> Option<bool> {
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
pub(super) fn strtol_prefix_int(s: &str) -> i32 {
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
pub(super) fn strtol_base0(s: &str) -> (u64, bool) {
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
pub(super) fn inet_pton_ka(s: &str) -> Option<IpAddr> {
    let v6 = s.contains(':');
    let cut = s.find('-').or_else(|| s.find('/')).unwrap_or(s.len());
    let a = &s[..cut];
    if v6 {
        a.parse::<Ipv6Addr>().ok().map(IpAddr::V6)
    } else {
        a.parse::<Ipv4Addr>().ok().map(IpAddr::V4)
    }
}

#[cfg(test)]
mod tests;

//! The typed configuration: plain data with keepalived's defaults.
//!
//! Built by `keywords/`, checked by `validate`, read by the engine. Times are
//! microseconds unless a field says otherwise. Must not: do I/O.

use std::net::IpAddr;

/// The whole configuration (the VRRP side, plus what was recognised of the rest).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Config {
    pub global: GlobalDefs,
    pub scripts: Vec<VrrpScript>,
    pub track_files: Vec<TrackFile>,
    pub track_processes: Vec<TrackProcess>,
    pub instances: Vec<VrrpInstance>,
    pub sync_groups: Vec<SyncGroup>,
    pub garp_groups: Vec<GarpGroup>,
    pub static_addresses: Vec<IpAddress>,
    pub static_routes: Vec<RouteSpec>,
    pub static_rules: Vec<RuleSpec>,
    pub track_groups: Vec<String>,
    /// `linkbeat_interfaces { ... }` (deprecated in keepalived; recorded).
    pub linkbeat_interfaces: Vec<String>,
    /// `interface_up_down_delays { IF down [up] }` in microseconds.
    pub interface_delays: Vec<(String, u64, u64)>,
    /// Top level `net_namespace`, `instance`, `use_pid_dir`, `child_wait_time`.
    pub net_namespace: Option<String>,
    pub instance_name: Option<String>,
    pub use_pid_dir: bool,
    pub child_wait_time: Option<u64>,
    /// LVS / BFD blocks were present (this build does not run them).
    pub lvs_blocks: usize,
    pub bfd_blocks: usize,
    /// Set by the handlers when a named interface does not exist and
    /// `dynamic_interfaces` is off (keepalived's
    /// `non_existent_interface_specified`): the VRRP process stops after the
    /// parse with "Non-existent interface specified in configuration".
    pub non_existent_interface: bool,
    /// Set by `validate` when keepalived's VRRP process would stop after
    /// reading this configuration (exit KEEPALIVED_EXIT_CONFIG; the parent
    /// then terminates): the message that made it stop.
    pub vrrp_exit: Option<String>,
}

/// `global_defs` (and the top-level `net_namespace_ipvs`,
/// `namespace_with_ipsets`, `linkbeat_use_polling`), with keepalived 2.2.7's
/// defaults. Fields marked "parsed only" are validated and kept but have no
/// effect in this build (SMTP, SNMP, DBus, LVS, BFD, scheduling, ...).
#[derive(Clone, Debug, PartialEq)]
pub struct GlobalDefs {
    /// `router_id`; `None` = the host name (resolved at start-up).
    pub router_id: Option<String>,
    /// `script_user USER [GROUP]` as written (even when the lookup failed).
    pub script_user: Option<(String, Option<String>)>,
    /// keepalived's default script user state (lib/notify.c): set by
    /// `script_user` or on first need (see `keywords::global::default_script_user`).
    pub default_script_user: DefaultScriptUser,
    /// `enable_script_security`.
    pub enable_script_security: bool,
    pub vrrp_strict: bool,
    /// `vrrp_skip_check_adv_addr`.
    pub skip_check_adv_addr: bool,
    /// `vrrp_check_unicast_src`.
    pub check_unicast_src: bool,
    /// `v3_checksum_as_v2` (keepalived 2.2.8+; 2.2.7 rejects it as unknown):
    /// the default of every instance declared after it.
    pub v3_checksum_as_v2: bool,
    /// `vrrp_version` (2 or 3), default 2.
    pub vrrp_version: u8,
    /// `vrrp_mcast_group4`, default 224.0.0.18.
    pub mcast_group4: IpAddr,
    /// `vrrp_mcast_group6`, default ff02::12.
    pub mcast_group6: IpAddr,
    /// `vrrp_garp_master_*` / `vrrp_garp_lower_prio_*` / `vrrp_min_garp`.
    pub garp: GarpTiming,
    /// `vrrp_garp_interval`, microseconds (0 = none).
    pub garp_interval_us: u64,
    /// `vrrp_gna_interval`, microseconds (0 = none).
    pub gna_interval_us: u64,
    /// `vrrp_garp_extra_if [all] SECS` seconds (0 = off).
    pub garp_extra_if_s: u32,
    /// `vrrp_garp_extra_if all`.
    pub garp_extra_if_all: bool,
    /// `vrrp_down_timer_adverts` (1..100), default 3.
    pub down_timer_adverts: u32,
    pub lower_prio_no_advert: bool,
    pub higher_prio_send_advert: bool,
    /// `vrrp_startup_delay`, microseconds (0 = none).
    pub startup_delay_us: u64,
    /// `dynamic_interfaces`.
    pub dynamic_interfaces: bool,
    /// `dynamic_interfaces allow_if_changes`.
    pub allow_if_changes: bool,
    /// `default_interface`; `None` = eth0.
    pub default_interface: Option<String>,
    /// `disable_local_igmp` (accepted only when the kernel has the sysctl).
    pub disable_local_igmp: bool,
    /// `notify_fifo PATH [USER [GROUP]]` (shared with the checker).
    pub notify_fifo: Option<FifoSpec>,
    /// `vrrp_notify_fifo PATH [USER [GROUP]]`.
    pub vrrp_notify_fifo: Option<FifoSpec>,
    /// `lvs_notify_fifo` (parsed only).
    pub lvs_notify_fifo: Option<FifoSpec>,
    /// `notify_fifo_script CMD [USER [GROUP]]`.
    pub notify_fifo_script: Option<Script>,
    /// `vrrp_notify_fifo_script CMD [USER [GROUP]]`.
    pub vrrp_notify_fifo_script: Option<Script>,
    /// `lvs_notify_fifo_script` (parsed only).
    pub lvs_notify_fifo_script: Option<Script>,
    /// `vrrp_notify_priority_changes [BOOL]`.
    pub notify_priority_changes: bool,
    pub fifo_write_vrrp_states_on_reload: bool,
    /// `log_unknown_vrids`.
    pub log_unknown_vrids: bool,
    /// `smtp_alert [BOOL]` (`None` = not given). Parsed only.
    pub smtp_alert: Option<bool>,
    /// `smtp_alert_vrrp [BOOL]`. Parsed only.
    pub smtp_alert_vrrp: Option<bool>,
    /// `smtp_alert_checker [BOOL]`. Parsed only.
    pub smtp_alert_checker: Option<bool>,
    /// `notification_email { ... }` addresses. Parsed only.
    pub notification_email: Vec<String>,
    pub notification_email_from: Option<String>,
    /// `smtp_server HOST [PORT]` host as written; `None` when unset or invalid.
    pub smtp_server: Option<String>,
    /// Port of `smtp_server` (default 25).
    pub smtp_port: u16,
    pub smtp_helo_name: Option<String>,
    /// `smtp_connect_timeout`, seconds (`None` = 30 when a server is set).
    pub smtp_connect_timeout_s: Option<u32>,
    /// `no_email_faults`.
    pub no_email_faults: bool,
    /// `checker_log_all_failures [BOOL]` (parsed only).
    pub checker_log_all_failures: bool,
    /// `max_auto_priority [PRIO]` (-1..99; no value = 99). `None` = 0 (off).
    pub max_auto_priority: Option<i32>,
    /// `min_auto_priority_delay` microseconds, default 1000000.
    pub min_auto_priority_delay_us: u32,
    /// `umask` bits; `None` = keepalived's default 0177.
    pub umask: Option<u32>,
    /// `random_seed` (also handed to the reader for `${_RANDOM}`).
    pub random_seed: Option<u64>,
    /// `data_use_instance [BOOL]`.
    pub data_use_instance: bool,
    /// Our metrics textfile (beyond keepalived): `metrics_file PATH`.
    pub metrics_file: Option<String>,
    /// `process_name` / `vrrp_process_name` / `checker_process_name`
    /// (`lvs_process_name`) / `bfd_process_name` (at most 15 bytes), and
    /// `process_names` (sets the three child names).
    pub process_name: Option<String>,
    pub vrrp_process_name: Option<String>,
    pub checker_process_name: Option<String>,
    pub bfd_process_name: Option<String>,
    /// `startup_script` / `shutdown_script` (run by the parent).
    pub startup_script: Option<Script>,
    pub shutdown_script: Option<Script>,
    /// `startup_script_timeout` / `shutdown_script_timeout` seconds
    /// (1..1000; 10 once the script is set).
    pub startup_script_timeout_s: u32,
    pub shutdown_script_timeout_s: u32,
    /// Scheduling of the VRRP, checker and BFD processes.
    pub vrrp_sched: ProcessSched,
    pub checker_sched: ProcessSched,
    pub bfd_sched: ProcessSched,
    /// nftables table for VRRP (`nftables [TABLE]`, or `vrrp_iptables` in
    /// this nftables-only build): `None` = no firewall rules.
    pub nftables: Option<String>,
    /// `nftables_priority`, default -1.
    pub nftables_priority: i32,
    pub nftables_ifindex: bool,
    pub nftables_counters: bool,
    /// `nftables_ipvs [TABLE]` (parsed only).
    pub nftables_ipvs: Option<String>,
    pub nftables_ipvs_priority: i32,
    /// `nftables_ipvs_start_fwmark`, default 1000 once `nftables_ipvs` is set.
    pub nftables_ipvs_start_fwmark: u32,
    /// `vrrp_rx_bufs_policy` bits ([`RX_BUFS_MTU`], [`RX_BUFS_ADVERT`],
    /// [`RX_BUFS_SIZE`]) and the size.
    pub rx_bufs_policy: u8,
    pub rx_bufs_size: u32,
    /// `vrrp_rx_bufs_multiplier`, default 3.
    pub rx_bufs_multiplier: u32,
    /// `vrrp_netlink_cmd_rcv_bufs[_force]`, `vrrp_netlink_monitor_rcv_bufs[_force]`,
    /// `process_monitor_rcv_bufs[_force]`, `lvs_netlink_*` (bytes; `None` = kernel default).
    pub vrrp_netlink_cmd_rcv_bufs: Option<u32>,
    pub vrrp_netlink_cmd_rcv_bufs_force: bool,
    pub vrrp_netlink_monitor_rcv_bufs: Option<u32>,
    pub vrrp_netlink_monitor_rcv_bufs_force: bool,
    pub process_monitor_rcv_bufs: Option<u32>,
    pub process_monitor_rcv_bufs_force: bool,
    pub lvs_netlink_cmd_rcv_bufs: Option<u32>,
    pub lvs_netlink_cmd_rcv_bufs_force: bool,
    pub lvs_netlink_monitor_rcv_bufs: Option<u32>,
    pub lvs_netlink_monitor_rcv_bufs_force: bool,
    /// `vmac_prefix` (default "vrrp") and `vmac_addr_prefix`.
    pub vmac_prefix: Option<String>,
    pub vmac_addr_prefix: Option<String>,
    /// SNMP (parsed only): `snmp_socket`, `enable_traps`, `enable_snmp_vrrp`
    /// (`enable_snmp_keepalived`), `enable_snmp_rfc[v2|v3]`, `enable_snmp_checker`.
    pub snmp_socket: Option<String>,
    pub enable_traps: bool,
    pub enable_snmp_vrrp: bool,
    pub enable_snmp_rfcv2: bool,
    pub enable_snmp_rfcv3: bool,
    pub enable_snmp_checker: bool,
    /// DBus (parsed only): `enable_dbus`, `dbus_service_name`.
    pub enable_dbus: bool,
    pub dbus_service_name: Option<String>,
    /// LVS (parsed only).
    pub lvs_timeouts: LvsTimeouts,
    pub lvs_flush: bool,
    pub lvs_flush_on_stop: LvsFlushOnStop,
    pub lvs_sync_daemon: Option<LvsSyncDaemon>,
    pub rs_init_notifies: bool,
    pub no_checker_emails: bool,
    /// `reload_check_config [FILE]` (no file = /dev/null).
    pub reload_check_config: Option<String>,
    pub reload_time_file: Option<String>,
    pub reload_repeat: bool,
    /// `reload_file [FILE]`: `Some(None)` = keepalived's default path.
    pub reload_file: Option<Option<String>>,
    /// `config_save_dir` (trailing '/' removed).
    pub config_save_dir: Option<String>,
    /// `tmp_config_directory`.
    pub tmp_config_directory: Option<String>,
    /// Top-level `net_namespace_ipvs [NAME]` (empty = default namespace).
    pub net_namespace_ipvs: Option<String>,
    /// Top-level `namespace_with_ipsets`.
    pub namespace_with_ipsets: bool,
    /// Top-level `linkbeat_use_polling`.
    pub linkbeat_use_polling: bool,
    /// Every global keyword seen, for the dump (`keyword` → raw words).
    pub other: Vec<(String, Vec<String>)>,
}

impl Config {
    /// Give back the spare capacity of the lists that grow with the number
    /// of instances (a `Vec` doubles as it is pushed to: the instances' own
    /// list, and each instance's addresses, which start at 4 slots).
    pub fn shrink_to_fit(&mut self) {
        self.instances.shrink_to_fit();
        for i in &mut self.instances {
            i.shrink_to_fit();
        }
        self.sync_groups.shrink_to_fit();
        for g in &mut self.sync_groups {
            g.members.shrink_to_fit();
        }
        self.scripts.shrink_to_fit();
        self.static_addresses.shrink_to_fit();
        self.static_routes.shrink_to_fit();
        self.static_rules.shrink_to_fit();
    }
}

impl Default for GlobalDefs {
    fn default() -> Self {
        GlobalDefs {
            router_id: None,
            script_user: None,
            default_script_user: DefaultScriptUser::Unresolved,
            enable_script_security: false,
            vrrp_strict: false,
            skip_check_adv_addr: false,
            check_unicast_src: false,
            v3_checksum_as_v2: false,
            vrrp_version: 2,
            mcast_group4: IpAddr::V4([224, 0, 0, 18].into()),
            mcast_group6: IpAddr::V6("ff02::12".parse().expect("valid")),
            garp: GarpTiming::default(),
            garp_interval_us: 0,
            gna_interval_us: 0,
            garp_extra_if_s: 0,
            garp_extra_if_all: false,
            down_timer_adverts: 3,
            lower_prio_no_advert: false,
            higher_prio_send_advert: false,
            startup_delay_us: 0,
            dynamic_interfaces: false,
            allow_if_changes: false,
            default_interface: None,
            disable_local_igmp: false,
            notify_fifo: None,
            vrrp_notify_fifo: None,
            lvs_notify_fifo: None,
            notify_fifo_script: None,
            vrrp_notify_fifo_script: None,
            lvs_notify_fifo_script: None,
            notify_priority_changes: false,
            fifo_write_vrrp_states_on_reload: false,
            log_unknown_vrids: false,
            smtp_alert: None,
            smtp_alert_vrrp: None,
            smtp_alert_checker: None,
            notification_email: Vec::new(),
            notification_email_from: None,
            smtp_server: None,
            smtp_port: 25,
            smtp_helo_name: None,
            smtp_connect_timeout_s: None,
            no_email_faults: false,
            checker_log_all_failures: false,
            max_auto_priority: None,
            min_auto_priority_delay_us: 1_000_000,
            umask: None,
            random_seed: None,
            data_use_instance: false,
            metrics_file: None,
            process_name: None,
            vrrp_process_name: None,
            checker_process_name: None,
            bfd_process_name: None,
            startup_script: None,
            shutdown_script: None,
            startup_script_timeout_s: 0,
            shutdown_script_timeout_s: 0,
            vrrp_sched: ProcessSched::default(),
            checker_sched: ProcessSched::default(),
            bfd_sched: ProcessSched::default(),
            nftables: None,
            nftables_priority: -1,
            nftables_ifindex: false,
            nftables_counters: false,
            nftables_ipvs: None,
            nftables_ipvs_priority: -1,
            nftables_ipvs_start_fwmark: 0,
            rx_bufs_policy: 0,
            rx_bufs_size: 0,
            rx_bufs_multiplier: 3,
            vrrp_netlink_cmd_rcv_bufs: None,
            vrrp_netlink_cmd_rcv_bufs_force: false,
            vrrp_netlink_monitor_rcv_bufs: None,
            vrrp_netlink_monitor_rcv_bufs_force: false,
            process_monitor_rcv_bufs: None,
            process_monitor_rcv_bufs_force: false,
            lvs_netlink_cmd_rcv_bufs: None,
            lvs_netlink_cmd_rcv_bufs_force: false,
            lvs_netlink_monitor_rcv_bufs: None,
            lvs_netlink_monitor_rcv_bufs_force: false,
            vmac_prefix: None,
            vmac_addr_prefix: None,
            snmp_socket: None,
            enable_traps: false,
            enable_snmp_vrrp: false,
            enable_snmp_rfcv2: false,
            enable_snmp_rfcv3: false,
            enable_snmp_checker: false,
            enable_dbus: false,
            dbus_service_name: None,
            lvs_timeouts: LvsTimeouts::default(),
            lvs_flush: false,
            lvs_flush_on_stop: LvsFlushOnStop::None,
            lvs_sync_daemon: None,
            rs_init_notifies: false,
            no_checker_emails: false,
            reload_check_config: None,
            reload_time_file: None,
            reload_repeat: false,
            reload_file: None,
            config_save_dir: None,
            tmp_config_directory: None,
            net_namespace_ipvs: None,
            namespace_with_ipsets: false,
            linkbeat_use_polling: false,
            other: Vec::new(),
        }
    }
}

/// keepalived's default script user (lib/notify.c `default_script_uid_set`,
/// `default_user_fail`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum DefaultScriptUser {
    /// Not looked up yet: the first script without a user looks up
    /// `keepalived_script`, falling back to keepalived's own uid/gid.
    #[default]
    Unresolved,
    /// uid, gid.
    Ids(u32, u32),
    /// `script_user` named an unknown user/group, or `keepalived_script` is
    /// missing under `enable_script_security`: scripts with no user of their
    /// own cannot run. Sticky, as in keepalived.
    Failed,
}

/// `vrrp_rx_bufs_policy MTU`.
pub const RX_BUFS_MTU: u8 = 0x01;
/// `vrrp_rx_bufs_policy ADVERT`.
pub const RX_BUFS_ADVERT: u8 = 0x02;
/// `vrrp_rx_bufs_policy SIZE`.
pub const RX_BUFS_SIZE: u8 = 0x04;

/// Scheduling keywords of one process (`vrrp_priority`, `vrrp_no_swap`,
/// `vrrp_rt_priority`, `vrrp_cpu_affinity`, `vrrp_rlimit_rttime`, and the
/// `checker_` / `bfd_` equivalents).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProcessSched {
    /// nice value -20..19 (0 = unchanged).
    pub priority: i8,
    pub no_swap: bool,
    /// SCHED_RR priority 1..99 (`None` = not real-time).
    pub rt_priority: Option<i32>,
    /// CPUs to run on (empty = no affinity set).
    pub cpu_affinity: Vec<u32>,
    /// RLIMIT_RTTIME in microseconds (default 10000; 0 after an invalid value).
    pub rlimit_rttime_us: u64,
}

impl Default for ProcessSched {
    fn default() -> Self {
        ProcessSched {
            priority: 0,
            no_swap: false,
            rt_priority: None,
            cpu_affinity: Vec::new(),
            rlimit_rttime_us: 10_000,
        }
    }
}

/// `lvs_timeouts [tcp N] [tcpfin N] [udp N]` seconds (parsed only).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LvsTimeouts {
    pub tcp: Option<u32>,
    pub tcpfin: Option<u32>,
    pub udp: Option<u32>,
}

/// `lvs_flush_on_stop [VS]` (parsed only).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum LvsFlushOnStop {
    #[default]
    None,
    Full,
    Vs,
}

/// `lvs_sync_daemon IF [inst VRRP] [id N] [maxlen N] [port N] [ttl N] [group ADDR]` (parsed only).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LvsSyncDaemon {
    pub ifname: String,
    pub vrrp_instance: Option<String>,
    pub syncid: Option<u8>,
    pub maxlen: Option<u16>,
    pub port: Option<u16>,
    pub ttl: Option<u8>,
    pub group: Option<IpAddr>,
}

/// Gratuitous ARP / NA timing (global defaults, per-instance overrides).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct GarpTiming {
    /// `garp_master_delay`, seconds (0 = no second burst). Default 5.
    pub master_delay: u32,
    /// `garp_master_repeat`. Default 5.
    pub master_repeat: u32,
    /// `garp_master_refresh`, seconds (0 = off).
    pub master_refresh: u32,
    /// `garp_master_refresh_repeat`. Default 1 (global `vrrp_min_garp` sets 0).
    pub master_refresh_repeat: u32,
    /// `garp_lower_prio_delay`, seconds; `None` = master_delay.
    pub lower_prio_delay: Option<u32>,
    /// `garp_lower_prio_repeat`; `None` = master_repeat.
    pub lower_prio_repeat: Option<u32>,
}

impl Default for GarpTiming {
    fn default() -> Self {
        GarpTiming {
            master_delay: 5,
            master_repeat: 5,
            master_refresh: 0,
            master_refresh_repeat: 1,
            lower_prio_delay: None,
            lower_prio_repeat: None,
        }
    }
}

/// A command with its user (scripts, notify scripts, FIFO scripts).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Script {
    /// The command as written (for logs: keepalived prints it).
    pub cmd: String,
    /// Argument vector after shell-like splitting (`argv[0]` may be resolved later).
    pub argv: Vec<String>,
    pub user: Option<String>,
    pub group: Option<String>,
}

/// `vrrp_notify_fifo PATH [USER [GROUP]]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FifoSpec {
    pub path: String,
    pub user: Option<String>,
    pub group: Option<String>,
    /// Owner given to a FIFO keepalived creates (the user/group above, or
    /// the default script user).
    pub uid: u32,
    pub gid: u32,
}

/// `vrrp_script NAME { ... }`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct VrrpScript {
    pub name: String,
    pub script: Option<Script>,
    /// Seconds (2.2.7: integer).
    pub interval_s: u32,
    /// Seconds; 0 = interval.
    pub timeout_s: u32,
    pub weight: i32,
    pub weight_reverse: bool,
    pub rise: u32,
    pub fall: u32,
    pub init_fail: bool,
    pub user: Option<(String, Option<String>)>,
    /// A `user` line was given and resolved (else the default script user applies).
    pub user_set: bool,
    /// Tracked by some instance or group.
    pub used: bool,
}

/// `track_file NAME { ... }`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TrackFile {
    pub name: String,
    pub file: Option<String>,
    pub weight: i32,
    pub weight_reverse: bool,
    pub init_file: Option<(i64, bool)>,
}

/// `vrrp_track_process NAME { ... }` (parsed; not run by this build yet).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TrackProcess {
    pub name: String,
    pub process: Vec<String>,
    pub weight: i32,
    pub weight_reverse: bool,
    pub quorum: u32,
    pub quorum_max: u32,
}

/// A reference from an instance or group to a tracked object.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TrackRef {
    pub name: String,
    pub weight: i32,
    pub reverse: bool,
}

/// `track_interface` item.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TrackIf {
    pub ifname: String,
    pub weight: i32,
    pub reverse: bool,
}

/// An address in `virtual_ipaddress`, `virtual_ipaddress_excluded` or
/// `static_ipaddress` (KEEPALIVED.md §4.1).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IpAddress {
    pub addr: IpAddr,
    pub prefix: u8,
    pub broadcast: Option<IpAddr>,
    pub dev: Option<Box<str>>,
    /// rt scope number (0 global, 200 site, 253 link, 254 host, 255 nowhere).
    pub scope: u8,
    pub label: Option<Box<str>>,
    pub peer: Option<(IpAddr, u8)>,
    pub home: bool,
    pub nodad: bool,
    pub mngtmpaddr: bool,
    pub noprefixroute: bool,
    pub autojoin: bool,
    pub no_track: bool,
    /// IPv6 preferred lifetime: `None` = forever.
    pub preferred_lft: Option<u32>,
    pub use_vmac: bool,
    /// The line's words, for the dump and reload comparison.
    pub text: String,
}

/// `virtual_routes` / `static_routes` item: keepalived's `ip_route_t` as
/// `alloc_route` fills it (`keywords::vrrp::route`). `None` = not given
/// (keepalived's mask bit clear).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RouteSpec {
    /// The item's words as written.
    pub words: Vec<String>,
    /// Address family (IPv4 when nothing said otherwise).
    pub family: Family,
    /// Route type (RTN_*) when given (`unicast`, `blackhole`, ...); default unicast.
    pub rtype: Option<u8>,
    /// Destination prefix (`default`/`any`/`all` = the family's zero address /0).
    pub dst: IpAddr,
    pub dst_len: u8,
    /// `from PREFIX` (IPv6 source routing).
    pub src: Option<(IpAddr, u8)>,
    /// `src ADDR` (preferred source).
    pub pref_src: Option<IpAddr>,
    /// `via ADDR` (or deprecated `gw`).
    pub via: Option<IpAddr>,
    /// `dev IF` / `oif IF`.
    pub dev: Option<String>,
    /// `vrf IF` (keepalived uses that VRF's table).
    pub vrf: Option<String>,
    /// Routing table (default RT_TABLE_MAIN 254).
    pub table: u32,
    /// `scope` (RT_SCOPE_*).
    pub scope: Option<u8>,
    /// `metric` / `priority` / `preference`.
    pub metric: Option<u32>,
    /// `protocol`; forced to RTPROT_KEEPALIVED (18) unless `no_track`.
    pub protocol: Option<u8>,
    /// `tos` / `dsfield`.
    pub tos: Option<u8>,
    /// `onlink` (RTNH_F_ONLINK).
    pub onlink: bool,
    pub no_track: bool,
    /// `track_group NAME` (static routes only).
    pub track_group: Option<String>,
    /// `realms [FROM/]TO` as the kernel's u32 (FROM << 16 | TO).
    pub realms: Option<u32>,
    pub encap: Option<RouteEncap>,
    /// `nexthop ...` hops, or the two hops of the deprecated `via A or B`.
    pub nexthops: Vec<NextHop>,
    /// `expires` seconds (IPv6).
    pub expires: Option<u32>,
    /// RTAX metrics (`rtt`, `rttvar`, `rto_min` in kernel units).
    pub mtu: Option<u32>,
    pub hoplimit: Option<u8>,
    pub advmss: Option<u32>,
    pub rtt: Option<u32>,
    pub rttvar: Option<u32>,
    pub reordering: Option<u32>,
    pub window: Option<u32>,
    pub cwnd: Option<u32>,
    pub ssthresh: Option<u32>,
    pub rto_min: Option<u32>,
    pub initcwnd: Option<u32>,
    pub initrwnd: Option<u32>,
    pub quickack: Option<u32>,
    pub fastopen_no_cookie: Option<bool>,
    pub congctl: Option<String>,
    /// `features ecn`.
    pub features_ecn: bool,
    /// `lock` bits: 1 << RTAX_* (RTAX_LOCK).
    pub lock: u32,
    /// `pref low|medium|high|N` (ICMPV6_ROUTER_PREF_*; IPv6).
    pub pref: Option<u8>,
    /// `ttl-propagate enabled|disabled`.
    pub ttl_propagate: Option<bool>,
    pub add_mode: RouteAddMode,
}

impl Default for RouteSpec {
    fn default() -> Self {
        RouteSpec {
            words: Vec::new(),
            family: Family::V4,
            rtype: None,
            dst: IpAddr::V4(std::net::Ipv4Addr::UNSPECIFIED),
            dst_len: 0,
            src: None,
            pref_src: None,
            via: None,
            dev: None,
            vrf: None,
            table: 254,
            scope: None,
            metric: None,
            protocol: None,
            tos: None,
            onlink: false,
            no_track: false,
            track_group: None,
            realms: None,
            encap: None,
            nexthops: Vec::new(),
            expires: None,
            mtu: None,
            hoplimit: None,
            advmss: None,
            rtt: None,
            rttvar: None,
            reordering: None,
            window: None,
            cwnd: None,
            ssthresh: None,
            rto_min: None,
            initcwnd: None,
            initrwnd: None,
            quickack: None,
            fastopen_no_cookie: None,
            congctl: None,
            features_ecn: false,
            lock: 0,
            pref: None,
            ttl_propagate: None,
            add_mode: RouteAddMode::Prepend,
        }
    }
}

/// How a route is installed: `prepend` (keepalived's default: NLM_F_CREATE
/// only), `add` (NLM_F_EXCL) or `append` (NLM_F_APPEND).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum RouteAddMode {
    #[default]
    Prepend,
    Add,
    Append,
}

/// One `nexthop` of a multipath route.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NextHop {
    pub addr: Option<IpAddr>,
    pub dev: Option<String>,
    /// `weight` as written (1..=256; the kernel's rtnh_hops is weight - 1).
    pub weight: Option<u16>,
    pub onlink: bool,
    pub realms: Option<u32>,
    pub encap: Option<RouteEncap>,
}

/// `encap` of a route or next hop (lightweight tunnel).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RouteEncap {
    /// Up to two labels.
    Mpls(Vec<u32>),
    Ip {
        id: Option<u64>,
        dst: Option<IpAddr>,
        src: Option<IpAddr>,
        tos: Option<u8>,
        ttl: Option<u8>,
        flags: Option<u16>,
    },
    Ip6 {
        id: Option<u64>,
        dst: Option<IpAddr>,
        src: Option<IpAddr>,
        tc: Option<u8>,
        hoplimit: Option<u8>,
        flags: Option<u16>,
    },
    /// Locator, the four 16-bit groups in order (most significant first).
    Ila(u64),
}

/// `virtual_rules` / `static_rules` item: keepalived's `ip_rule_t` as
/// `alloc_rule` fills it (`keywords::vrrp::rule`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuleSpec {
    /// The item's words as written.
    pub words: Vec<String>,
    pub family: Family,
    /// `from PREFIX` (`all`/`default` = zero address /0).
    pub from: Option<(IpAddr, u8)>,
    pub to: Option<(IpAddr, u8)>,
    /// `not`.
    pub invert: bool,
    /// `iif IF` / `dev IF`.
    pub iif: Option<String>,
    pub oif: Option<String>,
    /// `table`/`lookup` (0 = none).
    pub table: u32,
    pub action: RuleAction,
    pub l3mdev: bool,
    /// `preference`/`order`/`priority`, or the one keepalived picked.
    pub preference: u32,
    /// No preference was given: keepalived allocated one (16384 downwards
    /// per family, in file order).
    pub preference_auto: bool,
    /// `tos`/`dsfield`.
    pub tos: Option<u8>,
    /// `fwmark MARK[/MASK]`.
    pub fwmark: Option<u32>,
    pub fwmask: Option<u32>,
    /// `realms [FROM/]TO`.
    pub realms: Option<u32>,
    pub suppress_prefixlen: Option<i32>,
    pub suppress_ifgroup: Option<u32>,
    pub tunnel_id: Option<u64>,
    pub uid_range: Option<(u32, u32)>,
    /// `protocol`; forced to RTPROT_KEEPALIVED (18) unless `no_track`.
    pub protocol: Option<u8>,
    pub ip_proto: Option<u8>,
    pub sport: Option<(u16, u16)>,
    pub dport: Option<(u16, u16)>,
    pub no_track: bool,
    /// `track_group NAME` (static rules only).
    pub track_group: Option<String>,
}

impl Default for RuleSpec {
    fn default() -> Self {
        RuleSpec {
            words: Vec::new(),
            family: Family::V4,
            from: None,
            to: None,
            invert: false,
            iif: None,
            oif: None,
            table: 0,
            action: RuleAction::ToTable,
            l3mdev: false,
            preference: 0,
            preference_auto: false,
            tos: None,
            fwmark: None,
            fwmask: None,
            realms: None,
            suppress_prefixlen: None,
            suppress_ifgroup: None,
            tunnel_id: None,
            uid_range: None,
            protocol: None,
            ip_proto: None,
            sport: None,
            dport: None,
            no_track: false,
            track_group: None,
        }
    }
}

/// What a rule does (FR_ACT_*).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum RuleAction {
    /// `table N` or `l3mdev`.
    #[default]
    ToTable,
    /// `goto PREF`.
    Goto(u32),
    Nop,
    Blackhole,
    Unreachable,
    Prohibit,
}

/// `unicast_peer` item.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnicastPeer {
    pub addr: IpAddr,
    pub min_ttl: Option<u8>,
    pub max_ttl: Option<u8>,
}

/// Configured initial state.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InitialState {
    Backup,
    Master,
}

/// Authentication (VRRPv2 over IPv4 only).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Auth {
    None,
    /// The 8 bytes sent (password truncated / zero padded).
    Pass([u8; 8]),
    Ah([u8; 8]),
}

/// Notify scripts of an instance or a group.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Notify {
    pub master: Option<Script>,
    pub backup: Option<Script>,
    pub fault: Option<Script>,
    pub stop: Option<Script>,
    pub deleted: Option<Script>,
    pub generic: Option<Script>,
    pub master_rx_lower_pri: Option<Script>,
}

/// No notify script at all (what an unset [`Rare<Notify>`] reads as).
static NO_NOTIFY: Notify = Notify {
    master: None,
    backup: None,
    fault: None,
    stop: None,
    deleted: None,
    generic: None,
    master_rx_lower_pri: None,
};

impl Unset for Notify {
    fn unset() -> &'static Notify {
        &NO_NOTIFY
    }
}

/// A value whose unset state can be read without building one
/// (see [`Rare`]).
pub trait Unset: Clone + 'static {
    /// The value as it is when nothing was configured.
    fn unset() -> &'static Self;
}

/// A part of the configuration that most instances leave unset (notify
/// scripts, eVIPs, virtual routes and rules, file / process / BFD
/// trackers, a VRF, a sync group): one pointer in the instance and no heap
/// until it is first written. Reading an unset one reads [`Unset::unset`]; writing
/// (through `DerefMut`) builds it, so code that edits every instance's
/// list in place (retain, shrink) goes through [`Rare::as_set_mut`].
/// Compares, clones and prints as the value it reads as.
#[derive(Clone)]
pub struct Rare<T: Unset>(Option<Box<T>>);

impl<T: Unset> Default for Rare<T> {
    fn default() -> Self {
        Rare(None)
    }
}

impl<T: Unset> Rare<T> {
    /// Something was written to it (it may still read as unset).
    pub fn is_set(&self) -> bool {
        self.0.is_some()
    }

    /// Back to unset (what was written is dropped).
    pub fn reset(&mut self) {
        self.0 = None;
    }

    /// The value to change in place, if it was written (without building
    /// one as `DerefMut` does).
    pub fn as_set_mut(&mut self) -> Option<&mut T> {
        self.0.as_deref_mut()
    }
}

/// The empty values of the types kept [`Rare`].
macro_rules! unset_statics {
    ($($t:ty = $v:expr;)*) => {$(
        impl Unset for $t {
            fn unset() -> &'static $t {
                static UNSET: $t = $v;
                &UNSET
            }
        }
    )*};
}

unset_statics! {
    Vec<IpAddress> = Vec::new();
    Vec<RouteSpec> = Vec::new();
    Vec<RuleSpec> = Vec::new();
    Vec<TrackRef> = Vec::new();
    Option<String> = None;
    Option<u64> = None;
}

impl<T> Rare<Vec<T>>
where
    Vec<T>: Unset,
{
    /// The list, taken out (empty when unset).
    pub fn into_vec(self) -> Vec<T> {
        self.0.map(|b| *b).unwrap_or_default()
    }
}

impl<'a, T> IntoIterator for &'a Rare<Vec<T>>
where
    Vec<T>: Unset,
{
    type Item = &'a T;
    type IntoIter = std::slice::Iter<'a, T>;
    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

impl<'a, T> IntoIterator for &'a mut Rare<Vec<T>>
where
    Vec<T>: Unset,
{
    type Item = &'a mut T;
    type IntoIter = std::slice::IterMut<'a, T>;
    fn into_iter(self) -> Self::IntoIter {
        self.iter_mut()
    }
}

impl<T> IntoIterator for Rare<Vec<T>>
where
    Vec<T>: Unset,
{
    type Item = T;
    type IntoIter = std::vec::IntoIter<T>;
    fn into_iter(self) -> Self::IntoIter {
        self.into_vec().into_iter()
    }
}

impl<T: Unset> std::ops::Deref for Rare<T> {
    type Target = T;
    fn deref(&self) -> &T {
        self.0.as_deref().unwrap_or(T::unset())
    }
}

impl<T: Unset> std::ops::DerefMut for Rare<T> {
    fn deref_mut(&mut self) -> &mut T {
        self.0.get_or_insert_with(|| Box::new(T::unset().clone()))
    }
}

impl<T: Unset> From<T> for Rare<T> {
    fn from(v: T) -> Self {
        Rare(Some(Box::new(v)))
    }
}

impl<T: Unset + std::fmt::Debug> std::fmt::Debug for Rare<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        (**self).fmt(f)
    }
}

impl<T: Unset + PartialEq> PartialEq for Rare<T> {
    fn eq(&self, other: &Self) -> bool {
        **self == **other
    }
}

impl<T: Unset + Eq> Eq for Rare<T> {}

impl<T: Unset + PartialEq> PartialEq<T> for Rare<T> {
    fn eq(&self, other: &T) -> bool {
        **self == *other
    }
}

/// Address family of an instance.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Family {
    V4,
    V6,
}

/// `vrrp_instance NAME { ... }`.
#[derive(Clone, Debug, PartialEq)]
pub struct VrrpInstance {
    pub name: String,
    pub state: Option<InitialState>,
    /// The interface, when it exists and is usable (not loopback).
    pub interface: Option<String>,
    /// `vrf IF` (unicast instances only; cleared with a message otherwise).
    pub vrf: Rare<Option<String>>,
    /// The `interface` as written, even when it does not exist (keepalived
    /// then reports "Non-existent interface specified in configuration").
    pub interface_configured: Option<String>,
    pub vrid: Option<u8>,
    /// Configured priority (1..255); `None` = default (255 with state MASTER, else 100).
    pub priority: Option<u8>,
    /// Advert interval in microseconds (default 1 s).
    pub advert_int_us: u64,
    /// `version`; `None` = global default (IPv6: 3).
    pub version: Option<u8>,
    pub family: Option<Family>,
    pub native_ipv6: bool,
    pub auth: Auth,
    /// The `auth_pass` bytes, kept even when `auth_type` comes later or never.
    pub auth_pass: Option<[u8; 8]>,
    pub vips: Vec<IpAddress>,
    pub evips: Rare<Vec<IpAddress>>,
    pub vroutes: Rare<Vec<RouteSpec>>,
    pub vrules: Rare<Vec<RuleSpec>>,
    pub unicast_peers: Vec<UnicastPeer>,
    pub unicast_src_ip: Option<IpAddr>,
    pub mcast_src_ip: Option<IpAddr>,
    pub mcast_dst_ip: Option<IpAddr>,
    pub unicast_ttl: Option<u8>,
    pub unicast_configured: bool,
    pub unicast_fault_no_peer: bool,
    pub check_unicast_src: Option<bool>,
    pub track_src_ip: bool,
    pub dont_track_primary: bool,
    pub track_interfaces: Vec<TrackIf>,
    pub track_scripts: Vec<TrackRef>,
    pub track_files: Rare<Vec<TrackRef>>,
    pub track_processes: Rare<Vec<TrackRef>>,
    pub track_bfds: Rare<Vec<TrackRef>>,
    pub nopreempt: bool,
    /// microseconds
    pub preempt_delay_us: u64,
    pub accept: Option<bool>,
    pub skip_check_adv_addr: Option<bool>,
    pub strict_mode: Option<bool>,
    pub promote_secondaries: bool,
    pub use_vmac: Option<(Option<String>, Option<[u8; 6]>)>,
    pub use_vmac_addr: bool,
    pub vmac_xmit_base: bool,
    pub use_ipvlan: bool,
    pub garp: GarpOverrides,
    pub down_timer_adverts: Option<u32>,
    pub lower_prio_no_advert: Option<bool>,
    pub higher_prio_send_advert: Option<bool>,
    pub notify: Rare<Notify>,
    /// `notify_deleted` given: removed instances notify DELETED, not FAULT.
    pub notify_deleted: bool,
    pub smtp_alert: Option<bool>,
    pub notify_priority_changes: Option<bool>,
    pub old_unicast_checksum: Option<bool>,
    /// `v3_checksum_as_v2 [BOOL]` (keepalived 2.2.8+): VRRPv3/IPv4 adverts
    /// are sent with the checksum computed without the pseudo header (as
    /// VRRPv2). `Some(true)` also when global `v3_checksum_as_v2` preceded
    /// the instance (keepalived copies it into each new instance).
    pub v3_checksum_as_v2: Option<bool>,
    pub kernel_rx_buf_size: Rare<Option<u64>>,
    pub debug: Option<u8>,
    /// Set when keepalived would drop the instance (config fault).
    pub disabled: Rare<Option<String>>,
    /// Where the instance was declared.
    pub loc: Option<super::source::Loc>,
    /// The sync group this instance belongs to (set by `validate`).
    pub sync_group: Rare<Option<String>>,
}

/// Per-instance GARP overrides (`None` = global).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct GarpOverrides {
    pub master_delay: Option<u32>,
    pub master_repeat: Option<u32>,
    pub master_refresh: Option<u32>,
    pub master_refresh_repeat: Option<u32>,
    pub lower_prio_delay: Option<u32>,
    pub lower_prio_repeat: Option<u32>,
    pub extra_if: Option<u32>,
}

impl VrrpInstance {
    pub fn new(name: String) -> Self {
        VrrpInstance {
            name,
            state: None,
            interface: None,
            interface_configured: None,
            vrf: Rare::default(),
            vrid: None,
            priority: None,
            advert_int_us: 1_000_000,
            version: None,
            family: None,
            native_ipv6: false,
            auth: Auth::None,
            auth_pass: None,
            vips: Vec::new(),
            evips: Rare::default(),
            vroutes: Rare::default(),
            vrules: Rare::default(),
            unicast_peers: Vec::new(),
            unicast_src_ip: None,
            mcast_src_ip: None,
            mcast_dst_ip: None,
            unicast_ttl: None,
            unicast_configured: false,
            unicast_fault_no_peer: false,
            check_unicast_src: None,
            track_src_ip: false,
            dont_track_primary: false,
            track_interfaces: Vec::new(),
            track_scripts: Vec::new(),
            track_files: Rare::default(),
            track_processes: Rare::default(),
            track_bfds: Rare::default(),
            nopreempt: false,
            preempt_delay_us: 0,
            accept: None,
            skip_check_adv_addr: None,
            strict_mode: None,
            promote_secondaries: false,
            use_vmac: None,
            use_vmac_addr: false,
            vmac_xmit_base: false,
            use_ipvlan: false,
            garp: GarpOverrides::default(),
            down_timer_adverts: None,
            lower_prio_no_advert: None,
            higher_prio_send_advert: None,
            notify: Rare::default(),
            notify_deleted: false,
            smtp_alert: None,
            notify_priority_changes: None,
            old_unicast_checksum: None,
            v3_checksum_as_v2: None,
            kernel_rx_buf_size: Rare::default(),
            debug: None,
            disabled: Rare::default(),
            loc: None,
            sync_group: Rare::default(),
        }
    }

    /// The priority in effect at start: 255 under `state MASTER` when none
    /// was given, else 100 (KEEPALIVED.md §4, trip-up 1).
    pub fn base_priority(&self) -> u8 {
        self.priority
            .unwrap_or(if self.state == Some(InitialState::Master) {
                255
            } else {
                100
            })
    }

    /// `notify_deleted` was already given.
    pub fn notify_deleted_flag(&self) -> bool {
        self.notify_deleted
    }

    /// The protocol version in effect (IPv6 is always 3).
    pub fn effective_version(&self, global: &GlobalDefs) -> u8 {
        if self.family == Some(Family::V6) {
            3
        } else {
            self.version.unwrap_or(global.vrrp_version)
        }
    }

    /// Give back the spare capacity its lists grew while being parsed.
    pub fn shrink_to_fit(&mut self) {
        for a in &mut self.vips {
            a.text.shrink_to_fit();
        }
        if let Some(evips) = self.evips.as_set_mut() {
            for a in evips.iter_mut() {
                a.text.shrink_to_fit();
            }
            evips.shrink_to_fit();
        }
        self.vips.shrink_to_fit();
        self.unicast_peers.shrink_to_fit();
        self.track_interfaces.shrink_to_fit();
        self.track_scripts.shrink_to_fit();
        if let Some(l) = self.vroutes.as_set_mut() {
            l.shrink_to_fit();
        }
        if let Some(l) = self.vrules.as_set_mut() {
            l.shrink_to_fit();
        }
        for l in [
            &mut self.track_files,
            &mut self.track_processes,
            &mut self.track_bfds,
        ] {
            if let Some(l) = l.as_set_mut() {
                l.shrink_to_fit();
            }
        }
    }
}

/// `vrrp_sync_group NAME { ... }`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SyncGroup {
    pub name: String,
    pub members: Vec<String>,
    pub track_interfaces: Vec<TrackIf>,
    pub track_scripts: Vec<TrackRef>,
    pub track_files: Vec<TrackRef>,
    pub track_processes: Vec<TrackRef>,
    pub track_bfds: Vec<TrackRef>,
    pub notify: Rare<Notify>,
    pub smtp_alert: Option<bool>,
    pub tracking_weight: bool,
    pub notify_priority_changes: Option<bool>,
}

/// `garp_group { ... }`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct GarpGroup {
    /// keepalived's aggregation group number: 0 unless an `interfaces`
    /// block set it (1 + the earlier groups that have one).
    pub aggregation_group: u32,
    pub garp_interval_us: Option<u64>,
    pub gna_interval_us: Option<u64>,
    pub interfaces: Vec<String>,
}

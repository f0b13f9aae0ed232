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
}

/// `global_defs`.
#[derive(Clone, Debug, PartialEq)]
pub struct GlobalDefs {
    pub router_id: Option<String>,
    pub script_user: Option<(String, Option<String>)>,
    pub enable_script_security: bool,
    pub vrrp_strict: bool,
    pub skip_check_adv_addr: bool,
    pub check_unicast_src: bool,
    pub vrrp_version: u8,
    pub mcast_group4: IpAddr,
    pub mcast_group6: IpAddr,
    pub garp: GarpTiming,
    pub garp_interval_us: u64,
    pub gna_interval_us: u64,
    pub down_timer_adverts: u32,
    pub lower_prio_no_advert: bool,
    pub higher_prio_send_advert: bool,
    pub startup_delay_us: u64,
    pub dynamic_interfaces: bool,
    pub default_interface: Option<String>,
    pub notify_fifo: Option<FifoSpec>,
    pub vrrp_notify_fifo: Option<FifoSpec>,
    pub notify_fifo_script: Option<Script>,
    pub vrrp_notify_fifo_script: Option<Script>,
    pub notify_priority_changes: bool,
    pub fifo_write_vrrp_states_on_reload: bool,
    pub log_unknown_vrids: bool,
    pub smtp_alert: Option<bool>,
    pub smtp_alert_vrrp: Option<bool>,
    pub notification_email: Vec<String>,
    pub notification_email_from: Option<String>,
    pub smtp_server: Option<String>,
    pub max_auto_priority: Option<i32>,
    pub umask: Option<u32>,
    pub random_seed: Option<u64>,
    pub data_use_instance: bool,
    /// Our metrics textfile (beyond keepalived): `metrics_file PATH`.
    pub metrics_file: Option<String>,
    /// Every global keyword seen, for the dump (`keyword` → raw words).
    pub other: Vec<(String, Vec<String>)>,
}

impl Default for GlobalDefs {
    fn default() -> Self {
        GlobalDefs {
            router_id: None,
            script_user: None,
            enable_script_security: false,
            vrrp_strict: false,
            skip_check_adv_addr: false,
            check_unicast_src: false,
            vrrp_version: 2,
            mcast_group4: IpAddr::V4([224, 0, 0, 18].into()),
            mcast_group6: IpAddr::V6("ff02::12".parse().expect("valid")),
            garp: GarpTiming::default(),
            garp_interval_us: 0,
            gna_interval_us: 0,
            down_timer_adverts: 3,
            lower_prio_no_advert: false,
            higher_prio_send_advert: false,
            startup_delay_us: 0,
            dynamic_interfaces: false,
            default_interface: None,
            notify_fifo: None,
            vrrp_notify_fifo: None,
            notify_fifo_script: None,
            vrrp_notify_fifo_script: None,
            notify_priority_changes: false,
            fifo_write_vrrp_states_on_reload: false,
            log_unknown_vrids: false,
            smtp_alert: None,
            smtp_alert_vrrp: None,
            notification_email: Vec::new(),
            notification_email_from: None,
            smtp_server: None,
            max_auto_priority: None,
            umask: None,
            random_seed: None,
            data_use_instance: false,
            metrics_file: None,
            other: Vec::new(),
        }
    }
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
    /// `garp_master_refresh_repeat`. Default 1.
    pub master_refresh_repeat: u32,
    /// `garp_lower_prio_delay`, seconds; `None` = master_delay.
    pub lower_prio_delay: Option<u32>,
    /// `garp_lower_prio_repeat`; `None` = master_repeat.
    pub lower_prio_repeat: Option<u32>,
}

impl Default for GarpTiming {
    fn default() -> Self {
        GarpTiming { master_delay: 5, master_repeat: 5, master_refresh: 0, master_refresh_repeat: 1, lower_prio_delay: None, lower_prio_repeat: None }
    }
}

/// A command with its user (scripts, notify scripts, FIFO scripts).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Script {
    /// The command as written (for logs: keepalived prints it).
    pub cmd: String,
    /// Argument vector after shell-like splitting (argv[0] may be resolved later).
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
}

/// `vrrp_script NAME { ... }`.
#[derive(Clone, Debug, PartialEq, Eq)]
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
#[derive(Clone, Debug, PartialEq, Eq)]
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
    pub dev: Option<String>,
    /// rt scope number (0 global, 200 site, 253 link, 254 host, 255 nowhere).
    pub scope: u8,
    pub label: Option<String>,
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

/// `virtual_routes` / `static_routes` item (kept as text; parsed later).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RouteSpec {
    pub words: Vec<String>,
}

/// `virtual_rules` / `static_rules` item.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuleSpec {
    pub words: Vec<String>,
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

/// Address family of an instance.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
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
    pub evips: Vec<IpAddress>,
    pub vroutes: Vec<RouteSpec>,
    pub vrules: Vec<RuleSpec>,
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
    pub track_files: Vec<TrackRef>,
    pub track_processes: Vec<TrackRef>,
    pub track_bfds: Vec<TrackRef>,
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
    pub notify: Notify,
    /// `notify_deleted` given: removed instances notify DELETED, not FAULT.
    pub notify_deleted: bool,
    pub smtp_alert: Option<bool>,
    pub notify_priority_changes: Option<bool>,
    pub old_unicast_checksum: Option<bool>,
    pub kernel_rx_buf_size: Option<u64>,
    pub debug: Option<u8>,
    /// Set when keepalived would drop the instance (config fault).
    pub disabled: Option<String>,
    /// Where the instance was declared.
    pub loc: Option<super::source::Loc>,
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
            vrid: None,
            priority: None,
            advert_int_us: 1_000_000,
            version: None,
            family: None,
            native_ipv6: false,
            auth: Auth::None,
            auth_pass: None,
            vips: Vec::new(),
            evips: Vec::new(),
            vroutes: Vec::new(),
            vrules: Vec::new(),
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
            track_files: Vec::new(),
            track_processes: Vec::new(),
            track_bfds: Vec::new(),
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
            notify: Notify::default(),
            notify_deleted: false,
            smtp_alert: None,
            notify_priority_changes: None,
            old_unicast_checksum: None,
            kernel_rx_buf_size: None,
            debug: None,
            disabled: None,
            loc: None,
        }
    }

    /// The priority in effect at start: 255 under `state MASTER` when none
    /// was given, else 100 (KEEPALIVED.md §4, trip-up 1).
    pub fn base_priority(&self) -> u8 {
        self.priority.unwrap_or(if self.state == Some(InitialState::Master) { 255 } else { 100 })
    }

    /// `notify_deleted` was already given.
    pub fn notify_deleted_flag(&self) -> bool {
        self.notify_deleted
    }

    /// The protocol version in effect (IPv6 is always 3).
    pub fn effective_version(&self, global: &GlobalDefs) -> u8 {
        if self.family == Some(Family::V6) { 3 } else { self.version.unwrap_or(global.vrrp_version) }
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
    pub notify: Notify,
    pub smtp_alert: Option<bool>,
    pub tracking_weight: bool,
    pub notify_priority_changes: Option<bool>,
}

/// `garp_group { ... }`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct GarpGroup {
    pub garp_interval_us: Option<u64>,
    pub gna_interval_us: Option<u64>,
    pub interfaces: Vec<String>,
}

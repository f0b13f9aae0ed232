//! Tests of the post-parse checks, one per keepalived rule. The model is
//! built directly (as the keyword handlers leave it) and completed with
//! [`complete_config`]; messages and the `-t` exit code are checked.

use super::complete_config;
use crate::config::diag::{Diagnostics, ErrClass, Level};
use crate::config::host::{FakeHost, IfInfo, Owner};
use crate::config::model::*;
use std::path::PathBuf;

fn vip(s: &str) -> IpAddress {
    let (a, p) = match s.split_once('/') {
        Some((a, p)) => (a, Some(p.parse().expect("prefix"))),
        None => (s, None),
    };
    let addr: std::net::IpAddr = a.parse().expect("address");
    IpAddress {
        addr,
        prefix: p.unwrap_or(if addr.is_ipv4() { 32 } else { 128 }),
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
        text: s.to_string(),
    }
}

fn inst(name: &str, vrid: u8, ifname: &str) -> VrrpInstance {
    let mut i = VrrpInstance::new(name.to_string());
    i.vrid = Some(vrid);
    i.interface = Some(ifname.to_string());
    i.interface_configured = Some(ifname.to_string());
    i.vips.push(vip("10.0.0.1"));
    i
}

fn script(cmd: &str) -> Script {
    Script {
        cmd: cmd.to_string(),
        argv: cmd.split_whitespace().map(str::to_string).collect(),
        user: None,
        group: None,
    }
}

fn vscript(name: &str, cmd: &str) -> VrrpScript {
    VrrpScript {
        name: name.to_string(),
        script: Some(script(cmd)),
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
    }
}

fn track(name: &str, weight: i32) -> TrackRef {
    TrackRef {
        name: name.to_string(),
        weight,
        reverse: false,
    }
}

fn host() -> FakeHost {
    FakeHost::with_interfaces(&["eth0", "eth1"])
}

/// A root-owned executable file.
fn exe(h: &mut FakeHost, path: &str) {
    h.files.push((
        PathBuf::from(path),
        Owner {
            uid: 0,
            gid: 0,
            mode: 0o100755,
        },
    ));
}

/// `enable_script_security` with `script_user root`.
fn secure(c: &mut Config) {
    c.global.enable_script_security = true;
    c.global.script_user = Some(("root".into(), None));
    c.global.default_script_user = DefaultScriptUser::Ids(0, 0);
}

fn cfg1(i: VrrpInstance) -> Config {
    let mut c = Config::default();
    c.instances.push(i);
    c
}

struct Out {
    cfg: Config,
    d: Diagnostics,
}

impl Out {
    fn msgs(&self) -> Vec<&str> {
        self.d.messages()
    }
    fn logs(&self) -> Vec<&str> {
        self.d
            .items
            .iter()
            .filter(|d| d.level == Level::Log)
            .map(|d| d.message.as_str())
            .collect()
    }
    fn rc(&self) -> i32 {
        ErrClass::config_test_exit_code(self.d.status())
    }
    fn help_of(&self, msg: &str) -> Vec<String> {
        self.d
            .items
            .iter()
            .find(|d| d.message == msg)
            .map(|d| d.help.clone())
            .unwrap_or_default()
    }
}

fn check_with(mut cfg: Config, h: &FakeHost, config_test: bool) -> Out {
    let mut d = Diagnostics::new();
    complete_config(&mut cfg, h, &mut d, config_test);
    Out { cfg, d }
}

fn check(cfg: Config) -> Out {
    check_with(cfg, &host(), true)
}

#[test]
fn clean_instance_gives_no_message_and_effective_values() {
    let o = check(cfg1(inst("VI_1", 51, "eth0")));
    assert!(o.msgs().is_empty(), "{:?}", o.msgs());
    assert_eq!(o.rc(), 0);
    let i = &o.cfg.instances[0];
    assert_eq!(i.priority, Some(100));
    assert_eq!(i.state, Some(InitialState::Backup));
    assert_eq!(i.version, Some(2));
    assert_eq!(i.family, Some(Family::V4));
    assert_eq!(i.strict_mode, Some(false));
    assert_eq!(i.accept, Some(true));
    assert_eq!(i.mcast_dst_ip, Some("224.0.0.18".parse().unwrap()));
    assert_eq!(i.garp.lower_prio_repeat, Some(5));
    assert_eq!(i.garp.lower_prio_delay, Some(5));
    assert_eq!(i.down_timer_adverts, Some(3));
    assert_eq!(i.smtp_alert, Some(false));
    assert!(i.disabled.is_none());
    assert!(o.cfg.vrrp_exit.is_none());
}

#[test]
fn priority_255_under_state_master_when_unset() {
    let mut i = inst("VI_1", 51, "eth0");
    i.state = Some(InitialState::Master);
    let o = check(cfg1(i));
    assert_eq!(o.cfg.instances[0].priority, Some(255));
    assert_eq!(o.cfg.instances[0].state, Some(InitialState::Master));
}

#[test]
fn state_master_when_priority_255() {
    let mut i = inst("VI_1", 51, "eth0");
    i.priority = Some(255);
    let o = check(cfg1(i));
    assert_eq!(o.cfg.instances[0].state, Some(InitialState::Master));
}

#[test]
fn nopreempt_with_state_master_is_cleared() {
    let mut i = inst("VI_1", 51, "eth0");
    i.state = Some(InitialState::Master);
    i.priority = Some(150);
    i.nopreempt = true;
    let o = check(cfg1(i));
    assert_eq!(
        o.msgs(),
        vec!["(VI_1) Warning - nopreempt will not work with initial state MASTER - clearing"]
    );
    assert!(!o.cfg.instances[0].nopreempt);
    assert_eq!(o.rc(), 5);
}

#[test]
fn nopreempt_with_address_owner_is_reset() {
    let mut i = inst("VI_1", 51, "eth0");
    i.priority = Some(255);
    i.nopreempt = true;
    let o = check(cfg1(i));
    assert_eq!(
        o.msgs(),
        vec!["(VI_1) nopreempt is incompatible with priority 255. resetting nopreempt"]
    );
}

#[test]
fn preempt_delay_with_state_master_is_cleared() {
    let mut i = inst("servers", 51, "eth0");
    i.state = Some(InitialState::Master);
    i.priority = Some(150);
    i.preempt_delay_us = 5_000_000;
    let o = check(cfg1(i));
    assert_eq!(
        o.msgs(),
        vec![
            "(servers) Warning - preempt delay will not work with initial state MASTER - clearing"
        ]
    );
    assert_eq!(o.cfg.instances[0].preempt_delay_us, 0);
}

#[test]
fn preempt_delay_with_nopreempt_is_reset() {
    let mut i = inst("VI_1", 51, "eth0");
    i.nopreempt = true;
    i.preempt_delay_us = 5_000_000;
    let o = check(cfg1(i));
    assert_eq!(
        o.msgs(),
        vec!["(VI_1) preempt_delay is incompatible with nopreempt mode - resetting"]
    );
}

/// compat/evidence/conf-st.conf: the strict-mode messages in keepalived's order.
#[test]
fn strict_mode_rules_in_keepalived_order() {
    let mut st = inst("ST", 60, "eth0");
    st.strict_mode = Some(true);
    st.state = Some(InitialState::Master);
    st.priority = Some(150);
    st.auth = Auth::Pass(*b"secret\0\0");
    st.preempt_delay_us = 2_000_000;
    st.garp.lower_prio_repeat = Some(3);
    let mut v3 = inst("V3AUTH", 61, "eth0");
    v3.version = Some(3);
    v3.auth = Auth::Pass(*b"secret\0\0");
    let mut c = cfg1(st);
    c.instances.push(v3);
    let o = check(c);
    assert_eq!(
        o.msgs(),
        vec![
            "(ST) State MASTER must match being address owner",
            "(ST) Strict mode does not support authentication. Ignoring.",
            "(ST) preempt_delay is incompatible with strict mode - resetting",
            "(ST) Strict mode requires no repeat garps. resetting",
            "(V3AUTH) VRRP version 3 does not support authentication. Ignoring.",
        ]
    );
    let st = &o.cfg.instances[0];
    assert_eq!(st.state, Some(InitialState::Backup));
    assert_eq!(st.auth, Auth::None);
    assert_eq!(st.accept, Some(false));
    assert_eq!(st.lower_prio_no_advert, Some(true));
    assert_eq!(st.garp.lower_prio_repeat, Some(0));
    assert_eq!(o.cfg.instances[1].auth, Auth::None);
    assert_eq!(o.rc(), 5);
}

#[test]
fn strict_mode_v2_accept_is_reset() {
    let mut i = inst("VI_1", 51, "eth0");
    i.strict_mode = Some(true);
    i.accept = Some(true);
    let o = check(cfg1(i));
    assert_eq!(
        o.msgs(),
        vec![
            "(VI_1) warning - accept mode for VRRP version 2 does not comply with RFC3768 - resetting"
        ]
    );
    assert_eq!(o.cfg.instances[0].accept, Some(false));
    assert!(o.logs().contains(
        &"use_vmac or no_accept/strict specified, but no firewall configured - using nftables"
    ));
}

#[test]
fn auth_without_password_is_ignored() {
    let mut i = inst("VI_1", 51, "eth0");
    i.auth = Auth::Pass([0; 8]);
    let o = check(cfg1(i));
    assert_eq!(
        o.msgs(),
        vec!["(VI_1) Authentication specified but no password given. Ignoring"]
    );
}

#[test]
fn ah_with_initial_state_master_goes_backup() {
    let mut i = inst("VI_1", 51, "eth0");
    i.auth = Auth::Ah(*b"pw\0\0\0\0\0\0");
    i.state = Some(InitialState::Master);
    i.priority = Some(100);
    let o = check(cfg1(i));
    assert_eq!(
        o.msgs(),
        vec!["(VI_1) Initial state master is incompatible with AH authentication - clearing"]
    );
    assert_eq!(o.cfg.instances[0].state, Some(InitialState::Backup));
}

#[test]
fn v2_advert_int_rounding() {
    let mut i = inst("VI_1", 51, "eth0");
    i.advert_int_us = 1_500_000;
    let mut j = inst("VI_2", 52, "eth0");
    j.advert_int_us = 300_000;
    let mut c = cfg1(i);
    c.instances.push(j);
    let o = check(c);
    assert_eq!(
        o.msgs(),
        vec![
            "(VI_1) VRRPv2 advertisement interval 1.500000s must be an integer. rounding",
            "(VI_2) VRRPv2 advertisement interval 0.300000s must be an integer. rounding",
        ]
    );
    assert_eq!(o.cfg.instances[0].advert_int_us, 2_000_000);
    assert_eq!(o.cfg.instances[1].advert_int_us, 1_000_000);
}

#[test]
fn v3_advert_int_rounding_to_10ms() {
    let mut i = inst("VI_1", 51, "eth0");
    i.version = Some(3);
    i.advert_int_us = 1_234_000;
    let o = check(cfg1(i));
    assert_eq!(
        o.msgs(),
        vec!["(VI_1) VRRPv3 advertisement interval 1.234000s must be in units of 10ms - rounding"]
    );
    assert_eq!(o.cfg.instances[0].advert_int_us, 1_230_000);
}

/// corpus 111: the v2 warning comes twice (keepalived checks twice, with two classes).
#[test]
fn no_vip_sensible_reported_twice() {
    let mut i = inst("VI_1", 51, "eth0");
    i.vips.clear();
    let o = check(cfg1(i));
    assert_eq!(
        o.msgs(),
        vec![
            "(VI_1) No VIP specified; at least one is sensible",
            "(VI_1) No VIP specified; at least one is sensible"
        ]
    );
    assert_eq!(o.d.status(), Some(ErrClass::Warning));
    assert_eq!(o.rc(), 5);
}

#[test]
fn no_vip_required_v3_stops_vrrp() {
    let mut i = inst("VI_1", 51, "eth0");
    i.vips.clear();
    i.version = Some(3);
    i.nopreempt = true;
    i.state = Some(InitialState::Master);
    let mut c = cfg1(i);
    c.instances.push(inst("VI_2", 51, "eth0"));
    let o = check(c);
    // Nothing after the stop: neither this instance's later checks, nor the
    // next instance, nor the duplicate VRID.
    assert_eq!(
        o.msgs(),
        vec!["(VI_1) No VIP specified; at least one is required"]
    );
    assert!(o.cfg.instances[0].disabled.is_some());
    assert_eq!(
        o.cfg.vrrp_exit.as_deref(),
        Some("(VI_1) No VIP specified; at least one is required")
    );
}

#[test]
fn unicast_without_peers_is_deprecated() {
    let mut i = inst("VI_1", 51, "eth0");
    i.unicast_configured = true;
    let o = check(cfg1(i));
    assert_eq!(
        o.msgs(),
        vec![
            "(VI_1) A unicast keyword has been specified without any unicast peers. Defaulting to multicast. This usage is deprecated - please update your configuration."
        ]
    );
    assert_eq!(o.d.status(), Some(ErrClass::Deprecated));
    assert_eq!(o.rc(), 5);
    assert!(o.cfg.instances[0].mcast_dst_ip.is_some());
}

#[test]
fn unicast_fault_no_peer_holds_instance_in_fault() {
    let mut i = inst("VI_1", 51, "eth0");
    i.unicast_configured = true;
    i.unicast_fault_no_peer = true;
    let o = check(cfg1(i));
    assert!(o.msgs().is_empty());
    assert!(o.cfg.instances[0].disabled.is_some());
    assert!(
        o.logs()
            .contains(&"(VI_1) Cannot use unicast without any peers - going to fault state")
    );
}

#[test]
fn unicast_with_mcast_dst_ignores_it() {
    let mut i = inst("VI_1", 51, "eth0");
    i.unicast_configured = true;
    i.unicast_peers.push(UnicastPeer {
        addr: "10.0.0.2".parse().unwrap(),
        min_ttl: None,
        max_ttl: None,
    });
    i.mcast_dst_ip = Some("224.0.0.19".parse().unwrap());
    let o = check(cfg1(i));
    assert_eq!(
        o.msgs(),
        vec!["(VI_1) multicast destination specified with unicast - ignoring"]
    );
    assert_eq!(o.cfg.instances[0].mcast_dst_ip, None);
}

#[test]
fn track_interface_own_is_ignored() {
    let mut i = inst("VI_1", 51, "eth0");
    i.track_interfaces.push(TrackIf {
        ifname: "eth0".into(),
        weight: 0,
        reverse: false,
    });
    i.track_interfaces.push(TrackIf {
        ifname: "eth1".into(),
        weight: 0,
        reverse: false,
    });
    let o = check(cfg1(i));
    assert_eq!(
        o.msgs(),
        vec!["(VI_1) Ignoring track_interface eth0 since own interface"]
    );
    assert_eq!(o.cfg.instances[0].track_interfaces.len(), 1);
    assert_eq!(o.cfg.instances[0].track_interfaces[0].ifname, "eth1");
}

fn synced_pair() -> Config {
    let mut c = Config::default();
    c.instances.push(inst("VI_1", 51, "eth0"));
    c.instances.push(inst("VI_2", 52, "eth1"));
    c.sync_groups.push(SyncGroup {
        name: "G1".into(),
        members: vec!["VI_1".into(), "VI_2".into()],
        ..Default::default()
    });
    c
}

/// corpus 021: weighted track scripts of sync-group members are dropped.
#[test]
fn sync_group_member_weighted_script_is_ignored() {
    let mut c = synced_pair();
    c.scripts
        .push(vscript("chkhaproxy", "/usr/bin/killall -0 haproxy"));
    c.instances[0].track_scripts.push(track("chkhaproxy", 2));
    c.instances[0].track_interfaces.push(TrackIf {
        ifname: "eth1".into(),
        weight: 10,
        reverse: false,
    });
    let mut h = host();
    exe(&mut h, "/usr/bin/killall");
    let o = check_with(c, &h, true);
    assert_eq!(
        o.msgs(),
        vec![
            "SECURITY VIOLATION - scripts are being executed but script_security not enabled.",
            "(VI_1) ignoring eth1 tracked interface weight due to SYNC group",
            "(VI_1) ignoring tracked script chkhaproxy with weights due to SYNC group",
        ]
    );
    assert!(o.cfg.instances[0].track_scripts.is_empty());
    assert_eq!(o.cfg.instances[0].track_interfaces[0].weight, 0);
    assert_eq!(o.cfg.instances[0].sync_group.as_deref(), Some("G1"));
    assert!(!o.cfg.scripts[0].used);
    assert_eq!(o.rc(), 6);
}

#[test]
fn sync_group_tracking_weight_keeps_weights() {
    let mut c = synced_pair();
    c.sync_groups[0].tracking_weight = true;
    c.instances[0].track_interfaces.push(TrackIf {
        ifname: "eth1".into(),
        weight: 10,
        reverse: false,
    });
    let o = check(c);
    assert!(o.msgs().is_empty(), "{:?}", o.msgs());
    assert_eq!(o.cfg.instances[0].track_interfaces[0].weight, 10);
}

#[test]
fn address_owner_weighted_trackers_are_refused() {
    let mut i = inst("VI_1", 51, "eth0");
    i.priority = Some(255);
    i.track_interfaces.push(TrackIf {
        ifname: "eth1".into(),
        weight: 10,
        reverse: false,
    });
    i.track_files.push(track("tf1", 1));
    i.track_files.push(track("tf2", 5));
    let mut c = cfg1(i);
    c.track_files.push(TrackFile {
        name: "tf1".into(),
        file: Some("/tmp/a".into()),
        weight: 1,
        weight_reverse: false,
        init_file: None,
    });
    let o = check(c);
    assert_eq!(
        o.msgs(),
        vec![
            "(VI_1) ignoring eth1 tracked interface due to address owner",
            "(VI_1) ignoring weight from tracked file tf1 due to address_owner. specify weight 0",
            "(VI_1) ignoring tracked file tf2 with weight 5 due to address_owner",
        ]
    );
    let i = &o.cfg.instances[0];
    assert!(i.track_interfaces.is_empty());
    assert_eq!(i.track_files, vec![track("tf1", 0)]);
}

#[test]
fn sync_group_owner_member_clears_group_weights() {
    let mut c = synced_pair();
    c.instances[0].priority = Some(255);
    c.sync_groups[0].track_interfaces.push(TrackIf {
        ifname: "eth1".into(),
        weight: 5,
        reverse: false,
    });
    let o = check(c);
    assert_eq!(
        o.msgs(),
        vec![
            "(G1) Cannot have weighted track interface 'eth1' with member having priority 255 - clearing weight",
            "(VI_2) track_interface eth1 is configured on VRRP instance and sync group. Remove vrrp instance or sync group config",
        ]
    );
    assert_eq!(o.cfg.sync_groups[0].track_interfaces[0].weight, 0);
    assert_eq!(o.cfg.sync_groups[0].smtp_alert, Some(false));
}

#[test]
fn too_many_vips_are_moved_to_evips() {
    let mut i = inst("VI6", 51, "eth0");
    i.family = Some(Family::V6);
    i.vips = (0..95)
        .map(|n| vip(&format!("fe80::{:x}", n + 1)))
        .collect();
    let o = check(cfg1(i));
    assert_eq!(
        o.msgs(),
        vec![
            "(VI6) Number of VIPs (95) exceeds maximum/space available in packet (max 89 addresses) - excess moved to eVIPs"
        ]
    );
    assert_eq!(o.cfg.instances[0].vips.len(), 89);
    assert_eq!(o.cfg.instances[0].evips.len(), 6);
    assert_eq!(o.cfg.instances[0].version, Some(3));
}

#[test]
fn ipv6_first_vip_should_be_link_local() {
    let mut i = inst("VI6", 51, "eth0");
    i.family = Some(Family::V6);
    i.vips = vec![vip("2001:db8::1/64")];
    let o = check(cfg1(i.clone()));
    assert!(o.msgs().is_empty());
    assert!(
        o.logs()
            .contains(&"(VI6) the first IPv6 VIP address should be link local")
    );
    i.strict_mode = Some(true);
    let o = check(cfg1(i));
    assert_eq!(
        o.msgs(),
        vec!["(VI6) the first IPv6 VIP address must be link local"]
    );
}

#[test]
fn interface_without_multicast_disables_instance() {
    let mut h = host();
    h.interfaces.push((
        "tun0".into(),
        IfInfo {
            index: 9,
            loopback: false,
            multicast: false,
        },
    ));
    let o = check_with(cfg1(inst("VI_1", 51, "tun0")), &h, true);
    assert_eq!(
        o.msgs(),
        vec!["(VI_1) interface tun0 does not support multicast, specify unicast peers - disabling"]
    );
    assert!(o.cfg.instances[0].disabled.is_some());
    assert!(o.cfg.vrrp_exit.is_none());
}

#[test]
fn duplicate_vrid_on_same_interface_stops_vrrp() {
    let mut c = cfg1(inst("VI_1", 51, "eth0"));
    c.instances.push(inst("VI_2", 51, "eth0"));
    c.instances.push(inst("VI_3", 51, "eth1"));
    let mut other_group = inst("VI_4", 51, "eth0");
    other_group.mcast_dst_ip = Some("224.0.0.19".parse().unwrap());
    c.instances.push(other_group);
    c.sync_groups.push(SyncGroup {
        name: "G".into(),
        members: vec!["VI_1".into()],
        ..Default::default()
    });
    let o = check(c);
    // The sync group tracking that would follow is not reached.
    assert_eq!(
        o.msgs(),
        vec![
            "Sync group G has only 1 virtual router(s) - this probably isn't what you want",
            "VI_1 and VI_2 both use VRID 51 with IPv4 on interface eth0",
        ]
    );
    assert!(o.cfg.vrrp_exit.is_some());
    assert_eq!(o.rc(), 5);
}

#[test]
fn unicast_duplicate_vrid_with_same_peer_and_source() {
    let mut a = inst("VI_1", 51, "eth0");
    let mut b = inst("VI_2", 51, "eth0");
    for i in [&mut a, &mut b] {
        i.unicast_configured = true;
        i.unicast_src_ip = Some("10.0.0.1".parse().unwrap());
        i.unicast_peers.push(UnicastPeer {
            addr: "10.0.0.2".parse().unwrap(),
            min_ttl: None,
            max_ttl: None,
        });
    }
    let mut c = cfg1(a);
    c.instances.push(b);
    let o = check(c);
    assert_eq!(
        o.msgs(),
        vec!["(VI_1) duplicate VRID conflict with VI_2 VRID 51"]
    );
}

#[test]
fn missing_vrid_stops_vrrp() {
    let mut i = inst("VI_1", 51, "eth0");
    i.vrid = None;
    let mut c = cfg1(i);
    c.instances.push(inst("VI_2", 0, "nope"));
    let o = check(c);
    assert_eq!(o.msgs(), vec!["(VI_1) the virtual router id must be set"]);
    assert!(o.cfg.instances[0].disabled.is_some());
}

#[test]
fn missing_interface_is_unknown_even_with_unicast() {
    let mut i = inst("VI_1", 51, "eth0");
    i.interface = None;
    i.interface_configured = None;
    i.unicast_configured = true;
    i.unicast_src_ip = Some("10.0.0.1".parse().unwrap());
    i.unicast_peers.push(UnicastPeer {
        addr: "10.0.0.2".parse().unwrap(),
        min_ttl: None,
        max_ttl: None,
    });
    let o = check(cfg1(i));
    assert_eq!(o.msgs(), vec!["(VI_1) Unknown interface!"]);
}

#[test]
fn non_existent_interface_is_bad_if() {
    let mut i = inst("VI_1", 51, "eth0");
    i.interface = None;
    i.interface_configured = Some("eth9".into());
    let mut c = cfg1(i);
    c.scripts.push(vscript("s", "/bin/true"));
    let o = check(c);
    assert_eq!(
        o.msgs(),
        vec!["Non-existent interface specified in configuration"]
    );
    assert_eq!(o.d.status(), Some(ErrClass::BadIf));
    assert_eq!(o.rc(), 4);
    assert!(o.cfg.vrrp_exit.is_some());

    // The handlers' flag (track_interface, VIP dev, ...) does the same.
    let mut c = cfg1(inst("VI_1", 51, "eth0"));
    c.non_existent_interface = true;
    assert_eq!(check(c).rc(), 4);
}

#[test]
fn dynamic_interfaces_allow_missing_interface() {
    let mut i = inst("VI_1", 51, "eth0");
    i.interface = None;
    i.interface_configured = Some("eth9".into());
    let mut c = cfg1(i);
    c.global.dynamic_interfaces = true;
    let o = check(c);
    assert!(o.msgs().is_empty(), "{:?}", o.msgs());
}

#[test]
fn sync_group_member_that_does_not_exist() {
    let mut c = synced_pair();
    c.sync_groups[0].members.push("VI_X".into());
    let o = check(c);
    assert_eq!(
        o.msgs(),
        vec!["Virtual router VI_X specified in sync group G1 doesn't exist - ignoring"]
    );
    assert_eq!(o.cfg.sync_groups[0].members, vec!["VI_1", "VI_2"]);
}

#[test]
fn sync_group_with_one_member() {
    let mut c = synced_pair();
    c.sync_groups[0].members.pop();
    let o = check(c);
    assert_eq!(
        o.msgs(),
        vec!["Sync group G1 has only 1 virtual router(s) - this probably isn't what you want"]
    );
}

/// corpus 020.
#[test]
fn sync_group_without_members_is_removed() {
    let mut c = synced_pair();
    c.sync_groups[0].members.clear();
    let o = check(c);
    assert_eq!(
        o.msgs(),
        vec!["Sync group G1 has no virtual router(s). removing"]
    );
    assert!(o.cfg.sync_groups.is_empty());
}

#[test]
fn sync_group_without_existing_members_is_removed() {
    let mut c = synced_pair();
    c.sync_groups[0].members = vec!["A".into()];
    let o = check(c);
    assert_eq!(
        o.msgs(),
        vec![
            "Virtual router A specified in sync group G1 doesn't exist - ignoring",
            "Sync group G1, no matching virtual router found in group declaration - removing",
        ]
    );
    assert!(o.cfg.sync_groups.is_empty());
}

#[test]
fn sync_group_member_of_two_groups() {
    let mut c = synced_pair();
    c.sync_groups.push(SyncGroup {
        name: "G2".into(),
        members: vec!["VI_2".into()],
        ..Default::default()
    });
    let o = check(c);
    assert_eq!(
        o.msgs(),
        vec![
            "Virtual router VI_2 cannot exist in more than one sync group; ignoring G2",
            "Sync group G2, no matching virtual router found in group declaration - removing",
        ]
    );
    assert_eq!(o.cfg.instances[1].sync_group.as_deref(), Some("G1"));
}

#[test]
fn sync_group_mixed_owner_members_warning() {
    let mut c = synced_pair();
    c.instances[0].state = Some(InitialState::Master);
    c.instances[0].priority = Some(255);
    c.instances[1].state = Some(InitialState::Backup);
    let o = check(c);
    assert_eq!(
        o.msgs(),
        vec![
            "Sync group G1 has some member(s) as address owner and some not as address owner. This won't work."
        ]
    );
}

#[test]
fn sync_group_members_start_backup_unless_all_owners() {
    let mut c = synced_pair();
    c.instances[0].state = Some(InitialState::Master);
    c.instances[0].priority = Some(200);
    let o = check(c);
    assert_eq!(o.cfg.instances[0].state, Some(InitialState::Backup));
}

#[test]
fn unused_script_warning_only_on_a_real_start() {
    let mut h = host();
    exe(&mut h, "/usr/bin/true");
    let mut c = cfg1(inst("VI_1", 51, "eth0"));
    c.scripts.push(vscript("spare", "/usr/bin/true"));
    secure(&mut c);
    let o = check_with(c.clone(), &h, true);
    assert!(o.msgs().is_empty(), "{:?}", o.msgs());
    assert_eq!(o.cfg.scripts.len(), 1);
    let o = check_with(c, &h, false);
    assert_eq!(o.msgs(), vec!["Warning - script spare is not used"]);
    assert!(o.cfg.scripts.is_empty());
}

#[test]
fn used_scripts_are_marked() {
    let mut h = host();
    exe(&mut h, "/usr/bin/true");
    let mut c = cfg1(inst("VI_1", 51, "eth0"));
    secure(&mut c);
    c.scripts.push(vscript("chk", "/usr/bin/true"));
    c.instances[0].track_scripts.push(track("chk", -20));
    let o = check_with(c, &h, false);
    assert!(o.msgs().is_empty(), "{:?}", o.msgs());
    assert!(o.cfg.scripts[0].used);
}

/// corpus 006 / 071: a script that is missing is dropped and its tracking removed.
#[test]
fn track_script_not_found_is_disabled() {
    let mut c = cfg1(inst("VI_1", 51, "eth0"));
    c.scripts
        .push(vscript("chk_probe_north", "ping -c5 10.0.0.254"));
    c.scripts.push(vscript(
        "chk_mesos_master",
        "/usr/local/bin/check_mesos_master.py",
    ));
    c.instances[0]
        .track_scripts
        .push(track("chk_probe_north", 0));
    let o = check(c);
    assert_eq!(
        o.msgs(),
        vec![
            "Disabling track script chk_probe_north since not found/accessible",
            "Disabling track script chk_mesos_master since not found/accessible",
        ]
    );
    assert!(
        o.logs()
            .contains(&"Cannot find script ping in path - disabling")
    );
    assert!(o.logs().contains(&"Script /usr/local/bin/check_mesos_master.py cannot be accessed - No such file or directory"));
    assert_eq!(
        o.help_of("Disabling track script chk_mesos_master since not found/accessible"),
        vec!["/usr/local/bin/check_mesos_master.py: No such file or directory"]
    );
    assert!(o.cfg.scripts.is_empty());
    assert!(o.cfg.instances[0].track_scripts.is_empty());
    assert_eq!(o.rc(), 5);
}

/// samples keepalived.conf.vrrp.localcheck: a safe root script still gives the summary.
#[test]
fn security_violation_without_script_security() {
    let mut h = host();
    exe(&mut h, "/usr/bin/killall");
    let mut c = cfg1(inst("VI_1", 51, "eth0"));
    c.scripts
        .push(vscript("chk", "/usr/bin/killall -0 haproxy"));
    c.instances[0].track_scripts.push(track("chk", 0));
    let o = check_with(c, &h, true);
    assert_eq!(
        o.msgs(),
        vec!["SECURITY VIOLATION - scripts are being executed but script_security not enabled."]
    );
    assert_eq!(o.d.status(), Some(ErrClass::SecurityError));
    assert_eq!(o.rc(), 6);
    assert_eq!(o.cfg.instances[0].track_scripts.len(), 1);
}

fn insecure_host() -> FakeHost {
    let mut h = host();
    h.files.push((
        PathBuf::from("/etc/keepalived"),
        Owner {
            uid: 0,
            gid: 0,
            mode: 0o040755,
        },
    ));
    h.files.push((
        PathBuf::from("/etc/keepalived/scripts"),
        Owner {
            uid: 0,
            gid: 1000,
            mode: 0o040775,
        },
    ));
    exe(&mut h, "/etc/keepalived/scripts/chk.sh");
    h
}

#[test]
fn security_violation_with_insecure_scripts_names_the_component() {
    let h = insecure_host();
    let mut c = cfg1(inst("VI_1", 51, "eth0"));
    c.scripts
        .push(vscript("chk", "/etc/keepalived/scripts/chk.sh"));
    c.instances[0].track_scripts.push(track("chk", 0));
    let o = check_with(c, &h, true);
    let summary = "SECURITY VIOLATION - scripts are being executed but script_security not enabled. There are insecure scripts.";
    assert_eq!(o.msgs(), vec![summary]);
    let help = o.help_of(summary);
    assert_eq!(
        help[0],
        "vrrp_script chk: /etc/keepalived/scripts is group-writable (mode 0775, owner 0:1000)"
    );
    assert!(
        o.logs()
            .contains(&"Unsafe permissions found for script '/etc/keepalived/scripts/chk.sh'.")
    );
    assert_eq!(o.cfg.instances[0].track_scripts.len(), 1);
    assert_eq!(o.rc(), 6);
}

#[test]
fn script_security_disables_insecure_track_script() {
    let h = insecure_host();
    let mut c = cfg1(inst("VI_1", 51, "eth0"));
    secure(&mut c);
    c.scripts
        .push(vscript("chk", "/etc/keepalived/scripts/chk.sh"));
    c.instances[0].track_scripts.push(track("chk", 0));
    c.instances[0].notify.master = Some(script("/etc/keepalived/scripts/chk.sh master"));
    let o = check_with(c, &h, true);
    assert_eq!(o.msgs(), vec!["Disabling track script chk due to insecure"]);
    assert_eq!(
        o.help_of("Disabling track script chk due to insecure"),
        vec!["/etc/keepalived/scripts is group-writable (mode 0775, owner 0:1000)"]
    );
    assert!(o.cfg.scripts.is_empty());
    assert!(o.cfg.instances[0].track_scripts.is_empty());
    assert!(o.cfg.instances[0].notify.master.is_none());
    assert!(o.logs().contains(
        &"Unsafe permissions found for script '/etc/keepalived/scripts/chk.sh' - disabling."
    ));
}

#[test]
fn world_writable_file_and_non_root_owner_are_unsafe() {
    let mut h = host();
    h.files.push((
        PathBuf::from("/opt/a.sh"),
        Owner {
            uid: 0,
            gid: 0,
            mode: 0o100777,
        },
    ));
    h.files.push((
        PathBuf::from("/home/u/b.sh"),
        Owner {
            uid: 1000,
            gid: 1000,
            mode: 0o100755,
        },
    ));
    let mut c = cfg1(inst("VI_1", 51, "eth0"));
    secure(&mut c);
    c.scripts.push(vscript("a", "/opt/a.sh"));
    c.scripts.push(vscript("b", "/home/u/b.sh"));
    let o = check_with(c, &h, true);
    assert_eq!(
        o.help_of("Disabling track script a due to insecure"),
        vec!["/opt/a.sh is world-writable (mode 0777, owner 0:0)"]
    );
    assert_eq!(
        o.help_of("Disabling track script b due to insecure"),
        vec!["/home/u/b.sh is owned by uid 1000, not root (mode 0755, owner 1000:1000)"]
    );
}

#[test]
fn sticky_world_writable_directory_is_safe() {
    let mut h = host();
    h.files.push((
        PathBuf::from("/tmp"),
        Owner {
            uid: 0,
            gid: 0,
            mode: 0o041777,
        },
    ));
    exe(&mut h, "/tmp/x.sh");
    let mut c = cfg1(inst("VI_1", 51, "eth0"));
    secure(&mut c);
    c.scripts.push(vscript("x", "/tmp/x.sh"));
    c.instances[0].track_scripts.push(track("x", 0));
    let o = check_with(c, &h, true);
    assert!(o.msgs().is_empty(), "{:?}", o.msgs());
}

#[test]
fn bare_script_name_is_resolved_by_path_search() {
    let mut h = host();
    exe(&mut h, "/usr/bin/pkill");
    let mut c = cfg1(inst("VI_1", 51, "eth0"));
    secure(&mut c);
    c.scripts.push(vscript("chk_sshd", "pkill -0 sshd"));
    c.instances[0].track_scripts.push(track("chk_sshd", 0));
    let o = check_with(c, &h, true);
    assert!(o.msgs().is_empty(), "{:?}", o.msgs());
    assert!(
        o.logs()
            .contains(&"WARNING - script `pkill` resolved by path search to `/usr/bin/pkill`. Please specify full path.")
    );
    assert_eq!(
        o.cfg.scripts[0].script.as_ref().unwrap().argv,
        vec!["/usr/bin/pkill", "-0", "sshd"]
    );
}

#[test]
fn script_not_executable_is_dropped_silently() {
    let mut h = host();
    h.files.push((
        PathBuf::from("/usr/local/bin/chk"),
        Owner {
            uid: 0,
            gid: 0,
            mode: 0o100644,
        },
    ));
    let mut c = cfg1(inst("VI_1", 51, "eth0"));
    c.scripts.push(vscript("chk", "/usr/local/bin/chk"));
    c.instances[0].track_scripts.push(track("chk", 0));
    let o = check_with(c, &h, true);
    // Found, so it still counts as a script for the summary.
    assert_eq!(
        o.msgs(),
        vec!["SECURITY VIOLATION - scripts are being executed but script_security not enabled."]
    );
    assert!(o.logs().contains(
        &"WARNING - script '/usr/local/bin/chk' is not executable for uid:gid 0:0 - disabling."
    ));
    assert!(o.cfg.scripts.is_empty());
    assert!(o.cfg.instances[0].track_scripts.is_empty());
}

#[test]
fn file_test_script_is_not_a_script() {
    let mut c = cfg1(inst("VI_1", 51, "eth0"));
    c.scripts.push(vscript("f", "</etc/keepalived/flag"));
    c.instances[0].track_scripts.push(track("f", 0));
    let o = check(c);
    assert!(o.msgs().is_empty(), "{:?}", o.msgs());
    assert_eq!(o.cfg.instances[0].track_scripts.len(), 1);
}

#[test]
fn notify_script_not_found_is_dropped_silently() {
    let mut c = synced_pair();
    c.instances[0].notify.backup = Some(script("/etc/keepalived/notify.sh backup"));
    c.sync_groups[0].notify.generic = Some(script("/etc/keepalived/group.sh"));
    let o = check(c);
    assert!(o.msgs().is_empty(), "{:?}", o.msgs());
    assert!(o.cfg.instances[0].notify.backup.is_none());
    assert!(o.cfg.sync_groups[0].notify.generic.is_none());
}

#[test]
fn no_instances_no_script_checks() {
    let mut c = Config::default();
    c.scripts.push(vscript("s", "/nonexistent"));
    let o = check(c);
    assert!(o.msgs().is_empty(), "{:?}", o.msgs());
}

#[test]
fn default_script_user_keepalived_script_runs_unprotected() {
    let mut h = insecure_host();
    h.users.push(("keepalived_script".into(), 990, 990));
    let mut c = cfg1(inst("VI_1", 51, "eth0"));
    c.scripts
        .push(vscript("chk", "/etc/keepalived/scripts/chk.sh"));
    c.instances[0].track_scripts.push(track("chk", 0));
    let o = check_with(c, &h, true);
    // Not root: no path check, but a script is still being executed.
    assert_eq!(
        o.msgs(),
        vec!["SECURITY VIOLATION - scripts are being executed but script_security not enabled."]
    );
}

#[test]
fn default_script_user_missing_under_script_security_drops_script() {
    let mut c = cfg1(inst("VI_1", 51, "eth0"));
    secure(&mut c);
    c.global.default_script_user = DefaultScriptUser::Failed;
    c.instances[0].notify.master = Some(script("/bin/true"));
    let o = check(c);
    assert!(o.cfg.instances[0].notify.master.is_none());
    let h = host();
    assert_eq!(super::default_script_ids(&c_global(true), &h), None);
    assert_eq!(
        super::default_script_ids(&c_global(false), &h),
        Some((0, 0))
    );
}

fn c_global(script_security: bool) -> GlobalDefs {
    GlobalDefs {
        enable_script_security: script_security,
        ..GlobalDefs::default()
    }
}

#[test]
fn fifo_script_gets_fifo_path_argument() {
    let mut h = host();
    exe(&mut h, "/usr/bin/reader");
    let mut c = cfg1(inst("VI_1", 51, "eth0"));
    secure(&mut c);
    c.global.vrrp_notify_fifo = Some(FifoSpec {
        path: "/run/vrrp.fifo".into(),
        user: None,
        group: None,
        uid: 0,
        gid: 0,
    });
    c.global.vrrp_notify_fifo_script = Some(script("/usr/bin/reader -x"));
    let o = check_with(c, &h, true);
    assert_eq!(
        o.cfg.global.vrrp_notify_fifo_script.unwrap().argv,
        vec!["/usr/bin/reader", "-x", "/run/vrrp.fifo"]
    );
}

#[test]
fn track_file_directory_missing_is_removed_on_start() {
    let mut h = host();
    h.files.push((
        PathBuf::from("/var/run/keepalived"),
        Owner {
            uid: 0,
            gid: 0,
            mode: 0o040755,
        },
    ));
    let mut c = cfg1(inst("VI_1", 51, "eth0"));
    for (n, f) in [
        ("ok", "/var/run/keepalived/prio"),
        ("bad", "/nonexistent/dir/prio"),
        ("spare", "/x"),
    ] {
        c.track_files.push(TrackFile {
            name: n.into(),
            file: Some(f.into()),
            weight: 0,
            weight_reverse: false,
            init_file: None,
        });
    }
    c.instances[0].track_files.push(track("ok", 0));
    c.instances[0].track_files.push(track("bad", 0));
    let o = check_with(c.clone(), &h, true);
    assert!(o.msgs().is_empty(), "{:?}", o.msgs());
    let o = check_with(c, &h, false);
    assert_eq!(
        o.msgs(),
        vec!["Track file directory for bad does not exist - removing"]
    );
    assert_eq!(o.cfg.track_files.len(), 1);
    assert_eq!(
        o.cfg.track_files[0].file.as_deref(),
        Some("/var/run/keepalived/prio")
    );
    assert_eq!(o.cfg.instances[0].track_files, vec![track("ok", 0)]);
}

#[test]
fn vmac_xmit_base_without_vmac_is_cleared() {
    let mut i = inst("VI_1", 51, "eth0");
    i.vmac_xmit_base = true;
    let o = check(cfg1(i));
    assert_eq!(
        o.msgs(),
        vec!["(VI_1) vmac_xmit_base is only valid with a vmac"]
    );
}

#[test]
fn strict_vmac_mac_address_is_cleared() {
    let mut i = inst("VI_1", 51, "eth0");
    i.strict_mode = Some(true);
    i.priority = Some(255);
    i.use_vmac = Some((None, Some([0, 0, 0x5e, 0, 1, 51])));
    let o = check(cfg1(i));
    assert_eq!(
        o.msgs(),
        vec!["(VI_1): cannot specify MAC address with strict mode - clearing"]
    );
    assert_eq!(o.cfg.instances[0].use_vmac, Some((None, None)));
}

#[test]
fn use_vmac_on_vip_with_instance_vmac() {
    let mut i = inst("VI_1", 51, "eth0");
    i.use_vmac = Some((None, None));
    i.vips[0].use_vmac = true;
    i.vips[0].prefix = 24;
    let o = check(cfg1(i));
    assert_eq!(
        o.msgs(),
        vec!["(VI_1) use_vmac specified for VIP/eVIP 10.0.0.1/24 and vrrp instance"]
    );
}

/// The same rules through the whole front end (`load`), as `-t` sees them.
mod via_load {
    use super::*;
    use crate::config::fs::memfs::MemFs;
    use crate::config::{LoadOptions, Loaded, load};
    use std::rc::Rc;

    fn run(h: FakeHost, text: &str) -> Loaded {
        let mut fs = MemFs::new();
        fs.add("/etc/keepalived/keepalived.conf", text);
        let opts = LoadOptions {
            config_test: true,
            ..Default::default()
        };
        load(&fs, Rc::new(h), "/etc/keepalived/keepalived.conf", &opts)
    }

    fn conf(body: &str) -> String {
        format!(
            "vrrp_instance VI_1 {{\n interface eth0\n virtual_router_id 51\n{body}\n virtual_ipaddress {{\n  10.0.0.1\n }}\n}}\n"
        )
    }

    fn noloc(l: &Loaded) -> Vec<&str> {
        l.diags
            .items
            .iter()
            .filter(|d| d.loc.is_none() && matches!(d.level, Level::Config(_)))
            .map(|d| d.message.as_str())
            .collect()
    }

    #[test]
    fn load_nopreempt_with_state_master_is_cleared() {
        let l = run(host(), &conf(" state MASTER\n priority 100\n nopreempt"));
        assert_eq!(
            noloc(&l),
            vec!["(VI_1) Warning - nopreempt will not work with initial state MASTER - clearing"]
        );
        assert_eq!(l.config_test_exit_code(), 5);
        assert!(!l.config.instances[0].nopreempt);
    }

    #[test]
    fn load_state_master_defaults_priority_255() {
        let l = run(host(), &conf(" state MASTER"));
        assert!(noloc(&l).is_empty(), "{:?}", noloc(&l));
        assert_eq!(l.config.instances[0].priority, Some(255));
        assert_eq!(l.config_test_exit_code(), 0);
    }

    #[test]
    fn load_security_violation_summary_exits_6() {
        let mut h = host();
        exe(&mut h, "/usr/bin/killall");
        let text = format!(
            "vrrp_script chk {{\n script \"/usr/bin/killall -0 haproxy\"\n}}\n{}",
            conf(" track_script {\n  chk\n }")
        );
        let l = run(h, &text);
        assert_eq!(
            noloc(&l),
            vec![
                "SECURITY VIOLATION - scripts are being executed but script_security not enabled."
            ]
        );
        assert_eq!(l.config_test_exit_code(), 6);
        assert!(l.config.scripts[0].used);
    }

    #[test]
    fn load_track_script_not_found_is_disabled() {
        let text = format!(
            "vrrp_script chk {{\n script \"/usr/local/bin/chk.sh\"\n weight -10\n}}\n{}",
            conf(" track_script {\n  chk\n }")
        );
        let l = run(host(), &text);
        assert_eq!(
            noloc(&l),
            vec!["Disabling track script chk since not found/accessible"]
        );
        assert_eq!(l.config_test_exit_code(), 5);
        assert!(l.config.scripts.is_empty());
        assert!(l.config.instances[0].track_scripts.is_empty());
    }

    #[test]
    fn load_insecure_script_with_script_security() {
        let mut h = insecure_host();
        h.users.push(("keepalived_script".into(), 0, 0));
        let text = format!(
            "global_defs {{\n enable_script_security\n}}\nvrrp_script chk {{\n script /etc/keepalived/scripts/chk.sh\n}}\n{}",
            conf(" track_script {\n  chk\n }")
        );
        let l = run(h, &text);
        assert_eq!(
            noloc(&l),
            vec!["Disabling track script chk due to insecure"]
        );
        let d = l
            .diags
            .items
            .iter()
            .find(|d| d.message == "Disabling track script chk due to insecure")
            .unwrap();
        assert_eq!(
            d.help,
            vec!["/etc/keepalived/scripts is group-writable (mode 0775, owner 0:1000)"]
        );
    }

    #[test]
    fn load_sync_group_rules() {
        let text = format!(
            "vrrp_sync_group G1 {{\n group {{\n  VI_1\n  VI_X\n }}\n}}\nvrrp_sync_group G2 {{\n}}\n{}",
            conf("")
        );
        let l = run(host(), &text);
        assert_eq!(
            noloc(&l),
            vec![
                "Virtual router VI_X specified in sync group G1 doesn't exist - ignoring",
                "Sync group G1 has only 1 virtual router(s) - this probably isn't what you want",
                "Sync group G2 has no virtual router(s). removing",
            ]
        );
        assert_eq!(l.config.sync_groups.len(), 1);
    }

    #[test]
    fn load_duplicate_vrid() {
        let text = format!("{}{}", conf(""), conf("").replace("VI_1", "VI_2"));
        let l = run(host(), &text);
        assert_eq!(
            noloc(&l),
            vec!["VI_1 and VI_2 both use VRID 51 with IPv4 on interface eth0"]
        );
        assert!(l.config.vrrp_exit.is_some());
    }

    #[test]
    fn load_non_existent_interface() {
        let l = run(host(), &conf("").replace("eth0", "eth9"));
        // The handler's "WARNING - interface ... doesn't exist" (a general
        // error) outranks CONFIG_BAD_IF: keepalived -t exits 5 here too.
        assert_eq!(
            noloc(&l),
            vec!["Non-existent interface specified in configuration"]
        );
        assert_eq!(l.config_test_exit_code(), 5);
        assert!(l.config.vrrp_exit.is_some());
    }

    #[test]
    fn load_unicast_without_peers() {
        let l = run(host(), &conf(" unicast_src_ip 10.0.0.2"));
        assert_eq!(
            noloc(&l),
            vec![
                "(VI_1) A unicast keyword has been specified without any unicast peers. Defaulting to multicast. This usage is deprecated - please update your configuration."
            ]
        );
    }
}

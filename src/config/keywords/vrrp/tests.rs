//! Tests of the VRRP-side keywords (vrrp_instance and its authentication
//! block, vrrp_sync_group, vrrp_script, track_file / vrrp_track_file,
//! vrrp_track_process, garp_group, static_ipaddress/routes/rules, track_group,
//! linkbeat_interfaces, interface_up_down_delays) against keepalived 2.2.7.
//!
//! Every expected message list was produced by the real keepalived 2.2.7
//! (`keepalived -t -f FILE`, in a network namespace holding `eth0` and
//! `eth1`) on the same configuration, with the same `global_defs` prelude
//! (`enable_script_security`, `script_user root`, so scripts do not add the
//! SECURITY VIOLATION line). Tests where we still differ from keepalived are
//! `#[ignore]`d with the reason, and keep keepalived's answer.

use crate::config::diag::{ErrClass, Level};
use crate::config::fs::memfs::MemFs;
use crate::config::host::{FakeHost, Owner};
use crate::config::model::*;
use crate::config::{LoadOptions, Loaded, load};
use std::net::IpAddr;
use std::path::PathBuf;
use std::rc::Rc;

const MAIN: &str = "/etc/keepalived/keepalived.conf";

/// Scripts run as root and are checked: no SECURITY VIOLATION line.
const PRELUDE: &str = "global_defs {\n enable_script_security\n script_user root\n}\n";

/// A host with `eth0`, `eth1` (and the loopback `lo`) and root-owned
/// executables `/usr/bin/true`, `/usr/bin/false`, `/usr/bin/logger`.
fn host() -> FakeHost {
    let mut h = FakeHost::with_interfaces(&["eth0", "eth1"]);
    for p in ["/usr/bin/true", "/usr/bin/false", "/usr/bin/logger"] {
        h.files.push((
            PathBuf::from(p),
            Owner {
                uid: 0,
                gid: 0,
                mode: 0o100755,
            },
        ));
    }
    h
}

fn load_with(text: &str, host: FakeHost) -> Loaded {
    let mut fs = MemFs::new();
    fs.add(MAIN, text);
    let opts = LoadOptions {
        config_test: true,
        ..Default::default()
    };
    load(&fs, Rc::new(host), MAIN, &opts)
}

/// The file as written (no prelude).
fn raw(text: &str) -> Loaded {
    load_with(text, host())
}

/// The prelude, then `text`.
fn file(text: &str) -> Loaded {
    raw(&format!("{PRELUDE}{text}\n"))
}

/// A valid instance VI_1 (eth0, VRID 1, VIP 10.0.0.1), then `lines`.
fn inst(lines: &str) -> Loaded {
    file(&format!(
        "vrrp_instance VI_1 {{\n interface eth0\n virtual_router_id 1\n virtual_ipaddress {{\n  10.0.0.1\n }}\n{lines}\n}}"
    ))
}

/// Instance VI_1 with only `interface eth0` and VRID 1, then `lines`.
fn bare(lines: &str) -> Loaded {
    file(&format!(
        "vrrp_instance VI_1 {{\n interface eth0\n virtual_router_id 1\n{lines}\n}}"
    ))
}

/// Two valid instances VI_1 (VRID 1) and VI_2 (VRID 2).
const TWO: &str = "vrrp_instance VI_1 {\n interface eth0\n virtual_router_id 1\n virtual_ipaddress {\n 10.0.0.1\n }\n}\n\
                   vrrp_instance VI_2 {\n interface eth0\n virtual_router_id 2\n virtual_ipaddress {\n 10.0.0.2\n }\n}\n";

/// A vrrp_script `chk` (weight 10), a track_file `tf1` and a track process `tp1`.
const TRACKERS: &str = "vrrp_script chk {\n script /usr/bin/true\n weight 10\n}\n\
                        track_file tf1 {\n file /tmp/a\n weight 3\n}\n\
                        vrrp_track_process tp1 {\n process sshd\n}\n";

/// `TRACKERS`, then VI_1 with `lines`.
fn tracked(lines: &str) -> Loaded {
    file(&format!(
        "{TRACKERS}vrrp_instance VI_1 {{\n interface eth0\n virtual_router_id 1\n virtual_ipaddress {{\n  10.0.0.1\n }}\n{lines}\n}}"
    ))
}

fn vi(l: &Loaded) -> &VrrpInstance {
    &l.config.instances[0]
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

/// No message at all, `-t` exits 0.
fn clean(l: &Loaded) {
    assert!(msgs(l).is_empty(), "{:?}", msgs(l));
    assert_eq!(l.config_test_exit_code(), 0);
}

fn missing(kw: &str) -> String {
    format!(
        "*** Configuration line starting `{kw}` is missing a parameter after keyword `{kw}` at word position 2"
    )
}

fn ip(s: &str) -> IpAddr {
    s.parse().expect("address")
}

const NON_EXISTENT: &str = "Non-existent interface specified in configuration";
const NO_PEERS: &str = "(VI_1) A unicast keyword has been specified without any unicast peers. Defaulting to multicast. This usage is deprecated - please update your configuration.";

// ------------------------------------------------------------ vrrp_instance NAME

#[test]
fn instance_name_may_be_quoted() {
    let l = file(
        "vrrp_instance \"VI Q\" {\n interface eth0\n virtual_router_id 1\n virtual_ipaddress {\n 10.0.0.1\n }\n}",
    );
    clean(&l);
    assert_eq!(vi(&l).name, "VI Q");
    assert!(vi(&l).loc.is_some());
}

#[test]
fn instance_without_exactly_one_name_is_skipped() {
    for head in ["vrrp_instance {", "vrrp_instance A B {"] {
        let l = file(&format!(
            "{head}\n interface eth0\n}}\nvrrp_instance VI_1 {{\n interface eth0\n virtual_router_id 1\n virtual_ipaddress {{\n 10.0.0.1\n }}\n}}"
        ));
        assert_eq!(msgs(&l), vec!["vrrp_instance must have a name"], "{head}");
        assert_eq!(l.config.instances.len(), 1);
        assert_eq!(vi(&l).name, "VI_1");
        assert_eq!(l.config_test_exit_code(), 5);
    }
}

#[test]
fn instance_duplicate_name_block_skipped() {
    let l = file(
        "vrrp_instance VI_1 {\n interface eth0\n virtual_router_id 1\n virtual_ipaddress {\n 10.0.0.1\n }\n}\n\
         vrrp_instance VI_1 {\n interface eth0\n virtual_router_id 2\n}",
    );
    assert_eq!(msgs(&l), vec!["vrrp instance VI_1 already defined"]);
    assert_eq!(l.config.instances.len(), 1);
    assert_eq!(vi(&l).vrid, Some(1));
    assert_eq!(l.config_test_exit_code(), 5);
}

// ------------------------------------------------------------ priority / state

#[test]
fn priority_valid_stored() {
    let l = inst(" priority 150");
    clean(&l);
    assert_eq!(vi(&l).priority, Some(150));
    assert_eq!(vi(&l).state, Some(InitialState::Backup));
}

#[test]
fn priority_out_of_range_uses_default_100() {
    for (v, first) in [
        ("300", "number '300' outside range [1, 255]"),
        ("0", "number '0' outside range [1, 255]"),
        ("abc", "invalid number 'abc'"),
    ] {
        let l = inst(&format!(" priority 200\n priority {v}"));
        assert_eq!(
            msgs(&l),
            vec![
                first,
                "(VI_1) Priority not valid! must be between 1 & 255. Using default 100"
            ],
            "{v}"
        );
        assert_eq!(vi(&l).priority, Some(100), "{v}");
        assert_eq!(class_of(&l, first), ErrClass::InvalidNumber);
        assert_eq!(l.config_test_exit_code(), 5);
    }
}

#[test]
fn priority_missing_parameter_stops_the_parse() {
    let l = inst(" priority");
    assert!(l.missing_parameter);
    assert_eq!(msgs(&l), vec![missing("priority")]);
    assert_eq!(l.config_test_exit_code(), 2);
}

#[test]
fn state_master_without_priority_is_owner_255() {
    let l = inst(" state MASTER");
    clean(&l);
    assert_eq!(vi(&l).state, Some(InitialState::Master));
    assert_eq!(vi(&l).priority, Some(255));
}

#[test]
fn state_master_with_priority_keeps_it() {
    let l = inst(" state MASTER\n priority 200");
    clean(&l);
    assert_eq!(vi(&l).state, Some(InitialState::Master));
    assert_eq!(vi(&l).priority, Some(200));
}

#[test]
fn state_backup_with_priority_255_stays_backup() {
    let l = inst(" state BACKUP\n priority 255");
    clean(&l);
    assert_eq!(vi(&l).state, Some(InitialState::Backup));
    assert_eq!(vi(&l).priority, Some(255));
}

#[test]
fn state_no_state_priority_255_is_master() {
    let l = inst(" priority 255");
    clean(&l);
    assert_eq!(vi(&l).state, Some(InitialState::Master));
}

#[test]
fn state_backup_after_master_ignored() {
    let l = inst(" state MASTER\n state BACKUP");
    assert_eq!(
        msgs(&l),
        vec!["(VI_1) state previously set as MASTER - ignoring BACKUP"]
    );
    assert_eq!(vi(&l).state, Some(InitialState::Master));
    assert_eq!(l.config_test_exit_code(), 5);
}

#[test]
fn state_unknown_value_defaults_to_backup() {
    let l = inst(" state master");
    assert_eq!(
        msgs(&l),
        vec!["(VI_1) unknown state 'master', defaulting to BACKUP"]
    );
    assert_eq!(vi(&l).state, Some(InitialState::Backup));
    assert_eq!(vi(&l).priority, Some(100));
}

#[test]
fn state_master_under_strict_mode_must_be_owner() {
    let l = inst(" strict_mode\n state MASTER\n priority 100");
    assert_eq!(
        msgs(&l),
        vec!["(VI_1) State MASTER must match being address owner"]
    );
    assert_eq!(vi(&l).state, Some(InitialState::Backup));
}

// ------------------------------------------------------------ interface / vrf

#[test]
fn interface_stored() {
    let l = inst("");
    clean(&l);
    assert_eq!(vi(&l).interface.as_deref(), Some("eth0"));
    assert_eq!(vi(&l).interface_configured.as_deref(), Some("eth0"));
}

#[test]
fn interface_loopback_rejected() {
    let l = inst(" interface lo");
    assert_eq!(
        msgs(&l),
        vec![
            "(VI_1) cannot use a loopback interface (lo) for vrrp - ignoring",
            "(VI_1) Unknown interface!"
        ]
    );
    assert_eq!(vi(&l).interface, None);
    assert!(vi(&l).disabled.is_some());
    assert_eq!(l.config_test_exit_code(), 5);
}

#[test]
fn interface_name_too_long_ignored() {
    let l = inst(" interface abcdefghijklmnopq");
    assert_eq!(
        msgs(&l),
        vec!["Interface name 'abcdefghijklmnopq' too long - ignoring"]
    );
    assert_eq!(vi(&l).interface.as_deref(), Some("eth0"));
    assert_eq!(l.config_test_exit_code(), 5);
}

#[test]
fn interface_nonexistent_stops_vrrp() {
    let l = inst(" interface eth9");
    assert_eq!(
        msgs(&l),
        vec![
            "WARNING - interface eth9 for vrrp_instance VI_1 doesn't exist",
            NON_EXISTENT
        ]
    );
    assert_eq!(class_of(&l, NON_EXISTENT), ErrClass::BadIf);
    assert_eq!(vi(&l).interface, None);
    assert_eq!(vi(&l).interface_configured.as_deref(), Some("eth9"));
    assert!(l.config.vrrp_exit.is_some());
    assert_eq!(l.config_test_exit_code(), 5);
}

#[test]
fn interface_missing_parameter_stops_the_parse() {
    let l = inst(" interface");
    assert_eq!(msgs(&l), vec![missing("interface")]);
    assert_eq!(l.config_test_exit_code(), 2);
}

#[test]
fn vrf_with_interface_or_too_long_ignored() {
    let l = inst(" vrf eth1");
    assert_eq!(
        msgs(&l),
        vec!["(VI_1) Cannot specify VRF interface and interface - ignoring"]
    );
    assert_eq!(vi(&l).interface.as_deref(), Some("eth0"));
    let l = inst(" vrf abcdefghijklmnopq");
    assert_eq!(
        msgs(&l),
        vec!["(VI_1) VRF interface name 'abcdefghijklmnopq' too long - ignoring"]
    );
    assert_eq!(l.config_test_exit_code(), 5);
}

// ------------------------------------------------------------ virtual_router_id / version

#[test]
fn virtual_router_id_stored() {
    let l = inst(" virtual_router_id 255");
    clean(&l);
    assert_eq!(vi(&l).vrid, Some(255));
}

#[test]
fn virtual_router_id_out_of_range_ignored() {
    for (v, first) in [
        ("0", "number '0' outside range [1, 255]"),
        ("256", "number '256' outside range [1, 255]"),
        ("1x", "invalid number '1x'"),
    ] {
        let l = inst(&format!(" virtual_router_id {v}"));
        assert_eq!(
            msgs(&l),
            vec![
                first.to_string(),
                format!("(VI_1): VRID '{v}' not valid - must be between 1 & 255")
            ],
            "{v}"
        );
        assert_eq!(vi(&l).vrid, Some(1), "{v}");
        assert_eq!(l.config_test_exit_code(), 5);
    }
}

#[test]
fn virtual_router_id_absent_must_be_set() {
    let l = file("vrrp_instance VI_1 {\n interface eth0\n virtual_ipaddress {\n 10.0.0.1\n }\n}");
    assert_eq!(msgs(&l), vec!["(VI_1) the virtual router id must be set"]);
    assert_eq!(vi(&l).vrid, None);
    assert!(l.config.vrrp_exit.is_some());
    assert_eq!(l.config_test_exit_code(), 5);
}

#[test]
fn version_3_stored() {
    let l = inst(" version 3");
    clean(&l);
    assert_eq!(vi(&l).version, Some(3));
}

#[test]
fn version_out_of_range_ignored() {
    let l = inst(" version 4");
    assert_eq!(
        msgs(&l),
        vec![
            "number '4' outside range [2, 3]",
            "(VI_1): Version must be either 2 or 3"
        ]
    );
    assert_eq!(vi(&l).version, Some(2));
    assert_eq!(l.config_test_exit_code(), 5);
}

#[test]
fn version_2_after_ipv6_vip_conflicts() {
    let l = bare(" virtual_ipaddress {\n fe80::1\n }\n version 2");
    assert_eq!(
        msgs(&l),
        vec!["(VI_1) vrrp_version 2 conflicts with configured or deduced version 0; ignoring."]
    );
    assert_eq!(vi(&l).family, Some(Family::V6));
    assert_eq!(vi(&l).version, Some(3));
}

#[test]
fn version_conflicting_second_version_ignored() {
    let l = inst(" version 3\n version 2");
    assert_eq!(
        msgs(&l),
        vec!["(VI_1) vrrp_version 2 conflicts with configured or deduced version 3; ignoring."]
    );
    assert_eq!(vi(&l).version, Some(3));
}

#[test]
fn native_ipv6_sets_family_and_version_3() {
    let l = bare(" native_ipv6\n virtual_ipaddress {\n fe80::1\n }");
    clean(&l);
    assert!(vi(&l).native_ipv6);
    assert_eq!(vi(&l).family, Some(Family::V6));
    assert_eq!(vi(&l).version, Some(3));
}

#[test]
fn native_ipv6_after_ipv4_address_rejected() {
    let l = inst(" native_ipv6");
    assert_eq!(
        msgs(&l),
        vec!["(VI_1) Cannot specify native_ipv6 with IPv4 addresses"]
    );
    assert!(!vi(&l).native_ipv6);
    assert_eq!(vi(&l).family, Some(Family::V4));
    assert_eq!(l.config_test_exit_code(), 5);
}

// ------------------------------------------------------------ advert_int

#[test]
fn advert_int_integer_stored() {
    let l = inst(" advert_int 2");
    clean(&l);
    assert_eq!(vi(&l).advert_int_us, 2_000_000);
}

#[test]
fn advert_int_v2_non_integer_rounded() {
    for (v, shown, us) in [
        ("1.5", "1.500000", 2_000_000),
        ("0.3", "0.300000", 1_000_000),
    ] {
        let l = inst(&format!(" advert_int {v}"));
        assert_eq!(
            msgs(&l),
            vec![format!(
                "(VI_1) VRRPv2 advertisement interval {shown}s must be an integer. rounding"
            )],
            "{v}"
        );
        assert_eq!(vi(&l).advert_int_us, us, "{v}");
        assert_eq!(l.config_test_exit_code(), 5);
    }
}

#[test]
fn advert_int_out_of_range_ignored() {
    for (v, first) in [
        ("0", "number '0' outside range [0.010000, 255.000000]"),
        ("300", "number '300' outside range [0.010000, 255.000000]"),
        ("x", "invalid number 'x'"),
    ] {
        let l = inst(&format!(" advert_int 3\n advert_int {v}"));
        assert_eq!(
            msgs(&l),
            vec![
                first.to_string(),
                format!("(VI_1) Advert interval ({v}) not valid! Must be > 0 - ignoring")
            ],
            "{v}"
        );
        assert_eq!(vi(&l).advert_int_us, 3_000_000, "{v}");
    }
}

#[test]
fn advert_int_too_many_decimals_rounded() {
    let l = inst(" advert_int 1.1234567");
    assert_eq!(
        msgs(&l),
        vec![
            "number '1.1234567' has too many decimal places",
            "(VI_1) VRRPv2 advertisement interval 1.123457s must be an integer. rounding"
        ]
    );
    assert_eq!(vi(&l).advert_int_us, 1_000_000);
}

#[test]
fn advert_int_v3_rounded_to_10ms() {
    let l = inst(" version 3\n advert_int 0.123");
    assert_eq!(
        msgs(&l),
        vec!["(VI_1) VRRPv3 advertisement interval 0.123000s must be in units of 10ms - rounding"]
    );
    assert_eq!(vi(&l).advert_int_us, 120_000);
}

#[test]
fn advert_int_v3_above_40_95_clamped() {
    let l = inst(" version 3\n advert_int 50");
    assert_eq!(
        msgs(&l),
        vec![
            "(VI_1) VRRPv3 advertisement interval 50.00s is out of range. Must be less than 40.96s. Setting to 40.95s"
        ]
    );
    assert_eq!(vi(&l).advert_int_us, 40_950_000);
}

// ------------------------------------------------------------ virtual_ipaddress (§4.1)

#[test]
fn virtual_ipaddress_item_stored_with_defaults() {
    let l = bare(" virtual_ipaddress {\n 10.0.0.1\n 10.0.0.2/24\n }");
    clean(&l);
    let v = &vi(&l).vips;
    assert_eq!(v.len(), 2);
    assert_eq!((v[0].addr, v[0].prefix), (ip("10.0.0.1"), 32));
    assert_eq!((v[1].addr, v[1].prefix), (ip("10.0.0.2"), 24));
    assert_eq!(v[0].broadcast, None);
    assert_eq!(v[0].dev, None);
    assert_eq!(v[0].scope, 0);
    assert_eq!(v[1].text, "10.0.0.2/24");
    assert_eq!(vi(&l).family, Some(Family::V4));
}

#[test]
fn virtual_ipaddress_one_line_block_is_one_item() {
    let l = bare(" virtual_ipaddress { 10.0.0.1 10.0.0.2 }");
    assert_eq!(
        msgs(&l),
        vec!["Unknown configuration entry '10.0.0.2' for ip address - ignoring"]
    );
    assert_eq!(vi(&l).vips.len(), 1);
    assert_eq!(vi(&l).vips[0].addr, ip("10.0.0.1"));
    assert_eq!(l.config_test_exit_code(), 5);
}

#[test]
fn virtual_ipaddress_blocks_accumulate() {
    let l = bare(" virtual_ipaddress {\n 10.0.0.1\n }\n virtual_ipaddress {\n 10.0.0.2\n }");
    clean(&l);
    let a: Vec<IpAddr> = vi(&l).vips.iter().map(|v| v.addr).collect();
    assert_eq!(a, vec![ip("10.0.0.1"), ip("10.0.0.2")]);
}

#[test]
fn virtual_ipaddress_block_extra_parameters_reported() {
    let l = inst(" virtual_ipaddress extra {\n 10.0.0.2\n }");
    assert_eq!(
        msgs(&l),
        vec!["Block virtual_ipaddress has extra parameters extra ..."]
    );
    assert_eq!(vi(&l).vips.len(), 2);
}

#[test]
fn vip_family_mismatch_ignored() {
    let l = bare(" virtual_ipaddress {\n 10.0.0.1\n fe80::1\n 10.0.0.2/24\n }");
    assert_eq!(
        msgs(&l),
        vec!["(VI_1): address family must match VRRP instance [fe80::1] - ignoring"]
    );
    let a: Vec<IpAddr> = vi(&l).vips.iter().map(|v| v.addr).collect();
    assert_eq!(a, vec![ip("10.0.0.1"), ip("10.0.0.2")]);
    assert_eq!(l.config_test_exit_code(), 5);
}

#[test]
fn vip_brd_plus_computes_broadcast() {
    let l = bare(
        " virtual_ipaddress {\n 10.0.0.93/24 brd + dev eth0 scope link label eth0:93\n 10.0.1.1/24 broadcast -\n\
         10.0.2.1/24 brd 10.0.2.127\n 10.0.3.1/31 brd +\n 10.0.4.1 brd x\n }",
    );
    assert_eq!(
        msgs(&l),
        vec![
            "Address prefix length 31 too long for broadcast",
            "VRRP is trying to assign invalid broadcast x. skipping VIP..."
        ]
    );
    let v = &vi(&l).vips;
    assert_eq!(v.len(), 4);
    assert_eq!(v[0].broadcast, Some(ip("10.0.0.255")));
    assert_eq!(v[0].dev.as_deref(), Some("eth0"));
    assert_eq!(v[0].scope, 253);
    assert_eq!(v[0].label.as_deref(), Some("eth0:93"));
    assert_eq!(v[1].broadcast, Some(ip("10.0.1.0")));
    assert_eq!(v[2].broadcast, Some(ip("10.0.2.127")));
    assert_eq!((v[3].prefix, v[3].broadcast), (31, None));
}

#[test]
fn vip_ipv6_label_rejected() {
    let l = bare(
        " virtual_ipaddress {\n fe80::1/64 label eth0:1\n fe80::2 scope link\n fe80::3 brd +\n }",
    );
    assert_eq!(
        msgs(&l),
        vec![
            "Cannot specify label for IPv6 addresses (fe80::1/64) - ignoring label",
            "Cannot specify scope for IPv6 addresses (fe80::2) - ignoring scope",
            "VRRP is trying to assign a broadcast brd to the IPv6 address fe80::3 !!?? WTF... skipping VIP..."
        ]
    );
    let v = &vi(&l).vips;
    assert_eq!(v.len(), 2);
    assert_eq!((v[0].label.as_deref(), v[1].scope), (None, 0));
    assert_eq!(vi(&l).family, Some(Family::V6));
}

#[test]
fn vip_invalid_items() {
    let l = bare(
        " virtual_ipaddress {\n 10.0.0.300\n 10.0.0.1/33\n 10.0.0.3 dev\n 10.0.0.4 foo\n\
         10.0.0.5 label abcdefghijklmnop\n 10.0.0.6 scope bogus\n }",
    );
    assert_eq!(
        msgs(&l),
        vec![
            "VRRP parsed invalid IP 10.0.0.300. skipping IP...",
            "number '33' outside range [0, 32]",
            "Invalid address prefix len 33 for address 10.0.0.1/33 - using 32",
            "No dev parameter specified for 10.0.0.3",
            "Unknown configuration entry 'foo' for ip address - ignoring",
            "Address label abcdefghijklmnop is longer than maximum length 15 - removing address",
            "Invalid scope 'bogus' specified for 10.0.0.6 - ignoring",
        ]
    );
    let v: Vec<(IpAddr, u8)> = vi(&l).vips.iter().map(|v| (v.addr, v.prefix)).collect();
    assert_eq!(
        v,
        vec![
            (ip("10.0.0.1"), 32),
            (ip("10.0.0.4"), 32),
            (ip("10.0.0.6"), 32)
        ]
    );
    assert_eq!(l.config_test_exit_code(), 5);
}

#[test]
fn vip_dev_nonexistent_stops_vrrp() {
    let l = inst(" virtual_ipaddress {\n 10.0.0.2 dev eth9\n }");
    assert_eq!(
        msgs(&l),
        vec![
            "WARNING - interface eth9 for ip address 10.0.0.2 doesn't exist",
            NON_EXISTENT
        ]
    );
    assert_eq!(vi(&l).vips.len(), 1);
    assert!(l.config.non_existent_interface);
    assert!(l.config.vrrp_exit.is_some());
}

#[test]
fn vip_dev_nonexistent_allowed_with_dynamic_interfaces() {
    let l = raw(
        "global_defs {\n dynamic_interfaces\n}\nvrrp_instance VI_1 {\n interface eth0\n virtual_router_id 1\n\
         virtual_ipaddress {\n 10.0.0.1\n 10.0.0.2 dev eth9\n }\n}\n",
    );
    clean(&l);
    assert_eq!(vi(&l).vips[1].dev.as_deref(), Some("eth9"));
}

#[test]
fn vip_dev_given_twice_drops_address() {
    let l = bare(" virtual_ipaddress {\n 10.0.0.1 dev eth0 dev eth1\n 10.0.0.2\n }");
    assert_eq!(
        msgs(&l),
        vec!["Cannot specify ipaddress device more than once for 10.0.0.1"]
    );
    assert_eq!(vi(&l).vips.len(), 1);
    assert_eq!(vi(&l).vips[0].addr, ip("10.0.0.2"));
}

#[test]
fn vip_flags_stored() {
    let l = bare(
        " virtual_ipaddress {\n 10.0.0.1/24 dev eth1 home -nodad mngtmpaddr noprefixroute autojoin no_track use_vmac\n }",
    );
    clean(&l);
    let v = &vi(&l).vips[0];
    assert_eq!(v.dev.as_deref(), Some("eth1"));
    assert!(v.home && v.nodad && v.mngtmpaddr && v.noprefixroute && v.autojoin);
    assert!(v.no_track && v.use_vmac);
}

#[test]
fn vip_ipv6_preferred_lft() {
    let l = bare(
        " virtual_ipaddress {\n fe80::9/64 preferred_lft 10\n fe80::a preferred_lft forever\n fe80::b preferred_lft x\n fe80::c/64\n fe80::d\n }",
    );
    assert_eq!(
        msgs(&l),
        vec!["invalid number 'x'", "preferred_lft x is invalid"]
    );
    let v: Vec<Option<u32>> = vi(&l).vips.iter().map(|v| v.preferred_lft).collect();
    // forever is None; a /128 without preferred_lft gets 0 (deprecated).
    assert_eq!(v, vec![Some(10), None, Some(0), None, Some(0)]);
}

#[test]
fn vip_scope_names_and_numbers() {
    let l = bare(
        " virtual_ipaddress {\n 10.0.0.1 scope 200\n 10.0.0.2 scope host\n 10.0.0.3 scope nowhere\n 10.0.0.4 scope 256\n }",
    );
    assert_eq!(
        msgs(&l),
        vec!["Invalid scope '256' specified for 10.0.0.4 - ignoring"]
    );
    let s: Vec<u8> = vi(&l).vips.iter().map(|v| v.scope).collect();
    assert_eq!(s, vec![200, 254, 255, 0]);
}

#[test]
fn vip_peer_address() {
    let l = bare(
        " virtual_ipaddress {\n 10.0.0.3/24 peer 10.0.0.4\n 10.0.0.5 peer fe80::1\n 10.0.0.9 peer 10.0.0.10 brd 10.0.0.255\n }",
    );
    assert_eq!(
        msgs(&l),
        vec![
            "Cannot specify address prefix when specifying peer address - ignoring",
            "Peer address fe80::1 does not match address family",
            "Cannot specify broadcast and peer addresses - ignoring broadcast address",
        ]
    );
    let v = &vi(&l).vips;
    assert_eq!(v.len(), 3);
    assert_eq!((v[0].prefix, v[0].peer), (32, Some((ip("10.0.0.4"), 32))));
    assert_eq!(v[1].peer, None);
    assert_eq!((v[2].peer.is_some(), v[2].broadcast), (true, None));
}

#[test]
fn vip_peer_with_prefix_is_invalid() {
    let l = bare(
        " virtual_ipaddress {\n 10.0.0.1 peer 10.0.0.2/24\n 10.0.1.9 peer 10.0.1.10/24 brd +\n }",
    );
    assert_eq!(
        msgs(&l),
        vec![
            "VRRP parsed invalid IP 10.0.0.2/24. skipping IP...",
            "Invalid peer address 10.0.0.2/24",
            "VRRP parsed invalid IP 10.0.1.10/24. skipping IP...",
            "Invalid peer address 10.0.1.10/24",
            "Address prefix length 32 too long for broadcast",
        ]
    );
    let v = &vi(&l).vips;
    assert_eq!((v[0].prefix, v[0].peer), (32, None));
    assert_eq!((v[1].peer, v[1].broadcast), (None, None));
}

#[test]
fn vip_peer_invalid_address_two_messages() {
    let l = bare(" virtual_ipaddress {\n 10.0.0.11 peer bogus\n }");
    assert_eq!(
        msgs(&l),
        vec![
            "VRRP parsed invalid IP bogus. skipping IP...",
            "Invalid peer address bogus"
        ]
    );
    assert_eq!(vi(&l).vips[0].peer, None);
}

#[test]
fn vip_second_peer_value_read_as_option() {
    let l = bare(" virtual_ipaddress {\n 10.0.0.6 peer 10.0.0.7 peer 10.0.0.8\n }");
    assert_eq!(
        msgs(&l),
        vec![
            "Peer 10.0.0.8 - another peer has already been specified",
            "Unknown configuration entry '10.0.0.8' for ip address - ignoring"
        ]
    );
    assert_eq!(vi(&l).vips[0].peer, Some((ip("10.0.0.7"), 32)));
}

#[test]
fn virtual_ipaddress_excluded_any_family() {
    let l = inst(" virtual_ipaddress_excluded {\n 10.1.0.1/16\n fe80::5\n 10.1.0.300\n }");
    assert_eq!(
        msgs(&l),
        vec!["VRRP parsed invalid IP 10.1.0.300. skipping IP..."]
    );
    let e: Vec<IpAddr> = vi(&l).evips.iter().map(|v| v.addr).collect();
    assert_eq!(e, vec![ip("10.1.0.1"), ip("fe80::5")]);
    assert_eq!(vi(&l).vips.len(), 1);
    assert_eq!(vi(&l).family, Some(Family::V4));
}

#[test]
fn no_vip_v2_sensible_warning_twice() {
    let l = bare("");
    assert_eq!(
        msgs(&l),
        vec![
            "(VI_1) No VIP specified; at least one is sensible",
            "(VI_1) No VIP specified; at least one is sensible"
        ]
    );
    assert_eq!(l.config_test_exit_code(), 5);
}

#[test]
fn no_vip_v3_required() {
    let l = bare(" version 3");
    assert_eq!(
        msgs(&l),
        vec!["(VI_1) No VIP specified; at least one is required"]
    );
    assert!(vi(&l).disabled.is_some());
}

// ------------------------------------------------------------ unicast

#[test]
fn unicast_peer_min_ttl_max_ttl() {
    let l = inst(
        " unicast_src_ip 10.0.0.10\n unicast_peer {\n 10.0.0.11\n 10.0.0.12 min_ttl 10 max_ttl 200\n }\n unicast_ttl 10",
    );
    clean(&l);
    let i = vi(&l);
    assert_eq!(
        i.unicast_peers,
        vec![
            UnicastPeer {
                addr: ip("10.0.0.11"),
                min_ttl: None,
                max_ttl: None
            },
            UnicastPeer {
                addr: ip("10.0.0.12"),
                min_ttl: Some(10),
                max_ttl: Some(200)
            },
        ]
    );
    assert!(i.unicast_configured);
    assert_eq!(i.check_unicast_src, Some(true));
    assert_eq!(i.unicast_src_ip, Some(ip("10.0.0.10")));
    assert_eq!(i.unicast_ttl, Some(10));
}

#[test]
fn unicast_peer_without_ttl_leaves_check_unicast_src() {
    let l = inst(" unicast_peer {\n 10.0.0.11\n }");
    clean(&l);
    assert_ne!(vi(&l).check_unicast_src, Some(true));
}

#[test]
fn unicast_peer_invalid_items() {
    let l = inst(
        " unicast_peer {\n 10.0.0.300\n fe80::1\n 10.0.0.12 min_ttl\n 10.0.0.13 foo 3\n 10.0.0.14 min_ttl 300\n 10.0.0.15 min_ttl 100 max_ttl 50\n }",
    );
    assert_eq!(
        msgs(&l),
        vec![
            "Configuration error: VRRP instance[VI_1] malformed unicast peer address[10.0.0.300]. Skipping...",
            "Configuration error: VRRP instance[VI_1] and unicast peer address[fe80::1] MUST be of the same family !!! Skipping...",
            "(VI_1) min_ttl is missing a value",
            "(VI_1) unknown unicast_peer option foo",
            "number '300' outside range [0, 255]",
            "(VI_1) min_ttl 100 > max_ttl 50 - all packets will be discarded",
        ]
    );
    let p: Vec<IpAddr> = vi(&l).unicast_peers.iter().map(|p| p.addr).collect();
    assert_eq!(
        p,
        vec![
            ip("10.0.0.12"),
            ip("10.0.0.13"),
            ip("10.0.0.14"),
            ip("10.0.0.15")
        ]
    );
    assert_eq!(vi(&l).unicast_peers[2].min_ttl, None);
    assert_eq!(l.config_test_exit_code(), 5);
}

#[test]
fn unicast_peer_with_port_malformed() {
    let l = inst(" unicast_peer {\n 10.0.0.11:1000\n [10.0.0.12]:80\n }");
    assert_eq!(
        msgs(&l),
        vec![
            "Configuration error: VRRP instance[VI_1] malformed unicast peer address[10.0.0.11:1000]. Skipping...",
            "Configuration error: VRRP instance[VI_1] malformed unicast peer address[[10.0.0.12]:80]. Skipping...",
            NO_PEERS,
        ]
    );
    assert!(vi(&l).unicast_peers.is_empty());
}

#[test]
fn unicast_addresses_prefix_and_range_suffix_stripped() {
    let l = inst(
        " unicast_peer {\n 10.0.0.11/24\n 10.0.0.12-15\n }\n unicast_src_ip 10.0.0.10/24\n mcast_dst_ip 224.0.0.19/4",
    );
    assert_eq!(
        msgs(&l),
        vec!["(VI_1) multicast destination specified with unicast - ignoring"]
    );
    let p: Vec<IpAddr> = vi(&l).unicast_peers.iter().map(|p| p.addr).collect();
    assert_eq!(p, vec![ip("10.0.0.11"), ip("10.0.0.12")]);
    assert_eq!(vi(&l).unicast_src_ip, Some(ip("10.0.0.10")));
}

#[test]
fn src_ip_in_brackets_malformed() {
    let l = inst(" unicast_src_ip [10.0.0.10]\n mcast_src_ip [10.0.0.9]");
    assert_eq!(
        msgs(&l),
        vec![
            "Configuration error: VRRP instance[VI_1] malformed src address[[10.0.0.10]]. Skipping...",
            "Configuration error: VRRP instance[VI_1] malformed src address[[10.0.0.9]]. Skipping...",
            NO_PEERS,
        ]
    );
    assert_eq!(vi(&l).unicast_src_ip, None);
    assert_eq!(vi(&l).mcast_src_ip, None);
}

#[test]
fn unicast_peer_other_family_than_vips() {
    let l = inst(" unicast_peer {\n fe80::2\n }");
    assert_eq!(
        msgs(&l),
        vec![
            "Configuration error: VRRP instance[VI_1] and unicast peer address[fe80::2] MUST be of the same family !!! Skipping...",
            NO_PEERS,
        ]
    );
    let l = bare(" unicast_peer {\n fe80::2\n }\n virtual_ipaddress {\n fe80::1\n }");
    clean(&l);
    assert_eq!(vi(&l).family, Some(Family::V6));
}

#[test]
fn unicast_ttl_without_peers_reset() {
    let l = inst(" unicast_ttl 5");
    assert_eq!(
        msgs(&l),
        vec!["(VI_1): Cannot use unicast_ttl without unicast peers - resetting"]
    );
    // (validation then gives the IPv4 default)
    assert_eq!(vi(&l).unicast_ttl, Some(255));
}

#[test]
fn unicast_ttl_out_of_range() {
    let l = inst(" unicast_ttl 256\n unicast_peer {\n 10.0.0.11\n }");
    assert_eq!(
        msgs(&l),
        vec![
            "number '256' outside range [0, 255]",
            "(VI_1): TTL '256' not valid - must be between 0 & 255"
        ]
    );
    // (validation then gives the IPv4 default)
    assert_eq!(vi(&l).unicast_ttl, Some(255));
}

#[test]
fn unicast_src_ip_without_peers_is_deprecated_multicast() {
    let l = inst(" unicast_src_ip 10.0.0.10");
    assert_eq!(msgs(&l), vec![NO_PEERS]);
    assert!(vi(&l).unicast_configured);
    assert_eq!(vi(&l).unicast_src_ip, Some(ip("10.0.0.10")));
}

#[test]
fn unicast_fault_no_peer_flag() {
    let l = inst(" unicast_fault_no_peer");
    clean(&l);
    assert!(vi(&l).unicast_fault_no_peer && vi(&l).unicast_configured);
}

#[test]
fn check_unicast_src_flag() {
    let l = inst(" check_unicast_src\n unicast_peer {\n 10.0.0.11\n }");
    clean(&l);
    assert_eq!(vi(&l).check_unicast_src, Some(true));
}

#[test]
fn old_unicast_checksum_modes() {
    let l = inst(" old_unicast_checksum\n unicast_peer {\n 10.0.0.11\n }");
    clean(&l);
    assert_eq!(vi(&l).old_unicast_checksum, Some(true));
    let l = inst(" old_unicast_checksum never\n unicast_peer {\n 10.0.0.11\n }");
    clean(&l);
    assert_eq!(vi(&l).old_unicast_checksum, Some(false));
    let l = inst(" old_unicast_checksum sometimes\n unicast_peer {\n 10.0.0.11\n }");
    assert_eq!(
        msgs(&l),
        vec!["(VI_1) Unknown old_unicast_chksum mode sometimes - ignoring"]
    );
    assert_eq!(vi(&l).old_unicast_checksum, None);
}

#[test]
fn mcast_src_ip_stored() {
    let l = inst(" mcast_src_ip 10.0.0.10");
    clean(&l);
    assert_eq!(vi(&l).mcast_src_ip, Some(ip("10.0.0.10")));
    assert!(!vi(&l).unicast_configured);
}

#[test]
fn mcast_src_ip_malformed_or_other_family() {
    let l = inst(" mcast_src_ip 10.0.0.300");
    assert_eq!(
        msgs(&l),
        vec![
            "Configuration error: VRRP instance[VI_1] malformed src address[10.0.0.300]. Skipping..."
        ]
    );
    let l = inst(" mcast_src_ip fe80::1");
    assert_eq!(
        msgs(&l),
        vec![
            "Configuration error: VRRP instance[VI_1] and src address[fe80::1] MUST be of the same family !!! Skipping..."
        ]
    );
    assert_eq!(vi(&l).mcast_src_ip, None);
    let l = bare(" virtual_ipaddress {\n fe80::1\n }\n mcast_src_ip 10.0.0.1");
    assert_eq!(
        msgs(&l),
        vec![
            "Configuration error: VRRP instance[VI_1] and src address[10.0.0.1] MUST be of the same family !!! Skipping..."
        ]
    );
}

#[test]
fn mcast_dst_ip_stored() {
    let l = inst(" mcast_dst_ip 224.0.0.19");
    clean(&l);
    assert_eq!(vi(&l).mcast_dst_ip, Some(ip("224.0.0.19")));
    let l = bare(" mcast_dst_ip ff02::13\n virtual_ipaddress {\n fe80::1\n }");
    clean(&l);
    assert_eq!(vi(&l).mcast_dst_ip, Some(ip("ff02::13")));
}

#[test]
fn mcast_dst_ip_invalid() {
    for (line, msg) in [
        (
            " mcast_dst_ip 10.0.0.1",
            "(VI_1) mcast_dst_ip 10.0.0.1 not multicast. Skipping...",
        ),
        (
            " mcast_dst_ip foo",
            "(VI_1) malformed mcast dest address foo. Skipping...",
        ),
        (
            " mcast_dst_ip ff02::13",
            "(VI_1) mcast dest address ff02::13 MUST match VRRP instance family. Skipping...",
        ),
    ] {
        let l = inst(line);
        assert_eq!(msgs(&l), vec![msg], "{line}");
        assert_eq!(vi(&l).mcast_dst_ip, Some(ip("224.0.0.18")), "{line}");
    }
    let l = bare(" mcast_dst_ip ff05::13\n virtual_ipaddress {\n fe80::1\n }");
    assert_eq!(
        msgs(&l),
        vec!["(VI_1) mcast_dst_ip ff05::13 not link-local multicast. Skipping..."]
    );
}

#[test]
fn track_src_ip_flag() {
    let l = inst(" track_src_ip\n mcast_src_ip 10.0.0.10");
    clean(&l);
    assert!(vi(&l).track_src_ip);
}

// ------------------------------------------------------------ use_vmac / use_ipvlan

#[test]
fn use_vmac_name_and_mac_stored() {
    let l = inst(" use_vmac vrrp.1 02:11:22:33:44:55");
    clean(&l);
    assert_eq!(
        vi(&l).use_vmac,
        Some((
            Some("vrrp.1".to_string()),
            Some([0x02, 0x11, 0x22, 0x33, 0x44, 0x55])
        ))
    );
    let l = inst(" use_vmac");
    clean(&l);
    assert_eq!(vi(&l).use_vmac, Some((None, None)));
}

#[test]
fn use_vmac_invalid_values() {
    for (arg, msg) in [
        (
            "01:11:22:33:44:55",
            "VMAC MAC address is multicast 01:11:22:33:44:55 - ignoring",
        ),
        (
            "00:00:5e:00:01:01",
            "VMAC MAC address not allowed to be RFC5798 address (00:00:5e:00:01:01) - ignoring",
        ),
        (
            "0g:11:22:33:44:55",
            "VMAC invalid MAC address 0g:11:22:33:44:55",
        ),
        (
            "00:11:22:33",
            "VMAC invalid MAC address 00:11:22:33 - ignored",
        ),
        (
            "abcdefghijklmnopq",
            "VMAC interface name 'abcdefghijklmnopq' too long or invalid characters - ignoring",
        ),
        ("a1 b1", "VMAC interface name already specified"),
    ] {
        let l = inst(&format!(" use_vmac {arg}"));
        assert_eq!(msgs(&l), vec![msg], "{arg}");
        assert_eq!(l.config_test_exit_code(), 5);
    }
    let l = inst(" use_vmac a1 b1");
    assert_eq!(vi(&l).use_vmac, Some((Some("a1".to_string()), None)));
}

#[test]
fn use_vmac_name_already_used_by_other_instance() {
    let l = file(
        "vrrp_instance A {\n interface eth0\n virtual_router_id 1\n use_vmac vm1\n virtual_ipaddress {\n 10.0.0.1\n }\n}\n\
         vrrp_instance B {\n interface eth0\n virtual_router_id 2\n use_vmac vm1\n virtual_ipaddress {\n 10.0.0.2\n }\n}",
    );
    assert_eq!(
        msgs(&l),
        vec!["(B) VRRP instance A is already using vm1 - ignoring name"]
    );
    assert_eq!(l.config.instances[1].use_vmac, Some((None, None)));
}

#[test]
fn use_vmac_addr_and_vmac_xmit_base_flags() {
    let l = inst(" use_vmac\n use_vmac_addr\n vmac_xmit_base");
    clean(&l);
    assert!(vi(&l).use_vmac_addr && vi(&l).vmac_xmit_base);
}

#[test]
fn unicast_with_use_vmac_sets_vmac_xmit_base() {
    let l = inst(" use_vmac\n unicast_peer {\n 10.0.0.11\n }");
    assert_eq!(
        msgs(&l),
        vec!["(VI_1) unicast with use_vmac requires vmac_xmit_base - setting"]
    );
    assert!(vi(&l).vmac_xmit_base);
}

#[test]
fn use_ipvlan_with_address_stored() {
    let l = inst(" use_ipvlan ipv1 10.0.0.5/24 bridge");
    clean(&l);
    assert!(vi(&l).use_ipvlan);
}

#[test]
#[ignore = "keepalived (vrrp_complete_instance) faults an IPv4 ipvlan instance without an address; we have no such check"]
fn use_ipvlan_ipv4_without_address_faults() {
    let l = inst(" use_ipvlan");
    assert_eq!(
        msgs(&l),
        vec![
            "(VI_1) IPv4 ipvlan requires a source ip address to be configured. setting instance to fault state"
        ]
    );
    assert!(vi(&l).disabled.is_some());
}

#[test]
#[ignore = "after its parse messages keepalived also faults an IPv4 ipvlan without address (see use_ipvlan_ipv4_without_address_faults)"]
fn use_ipvlan_twice_and_bad_words() {
    let l = inst(" use_ipvlan\n use_ipvlan");
    assert_eq!(
        msgs(&l),
        vec![
            "(VI_1) use_ipvlan already specified",
            "(VI_1) IPv4 ipvlan requires a source ip address to be configured. setting instance to fault state"
        ]
    );
    let l = inst(" use_ipvlan abcdefghijklmnopq bridge vepa");
    assert_eq!(
        msgs(&l),
        vec![
            "(VI_1) IPVLAN interface name 'abcdefghijklmnopq' too long - ignoring",
            "(VI_1) ipvlan type already specified - ignoring 'vepa'",
            "(VI_1) IPv4 ipvlan requires a source ip address to be configured. setting instance to fault state"
        ]
    );
}

#[test]
fn use_ipvlan_parse_messages() {
    // The parse-time part of use_ipvlan_twice_and_bad_words (with an address,
    // so keepalived's completion check stays quiet).
    let l = inst(" use_ipvlan 10.0.0.5/24\n use_ipvlan");
    assert_eq!(msgs(&l), vec!["(VI_1) use_ipvlan already specified"]);
    let l = inst(" use_ipvlan abcdefghijklmnopq bridge vepa 10.0.0.5/24");
    assert_eq!(
        msgs(&l),
        vec![
            "(VI_1) IPVLAN interface name 'abcdefghijklmnopq' too long - ignoring",
            "(VI_1) ipvlan type already specified - ignoring 'vepa'",
        ]
    );
}

// ------------------------------------------------------------ flags and booleans

#[test]
fn accept_and_no_accept() {
    let l = inst(" accept");
    clean(&l);
    assert_eq!(vi(&l).accept, Some(true));
    let l = inst(" no_accept");
    clean(&l);
    assert_eq!(vi(&l).accept, Some(false));
}

#[test]
fn nopreempt_then_preempt_last_wins() {
    let l = inst(" nopreempt");
    clean(&l);
    assert!(vi(&l).nopreempt);
    let l = inst(" nopreempt\n preempt");
    clean(&l);
    assert!(!vi(&l).nopreempt);
}

#[test]
fn preempt_delay_decimal_stored() {
    let l = inst(" preempt_delay 10.5");
    clean(&l);
    assert_eq!(vi(&l).preempt_delay_us, 10_500_000);
}

#[test]
fn preempt_delay_out_of_range_reset_to_0() {
    let l = inst(" preempt_delay 5\n preempt_delay 1001");
    assert_eq!(
        msgs(&l),
        vec![
            "number '1001' outside range [0.000000, 1000.000000]",
            "(VI_1) Preempt_delay not valid! must be between 0-1000"
        ]
    );
    assert_eq!(vi(&l).preempt_delay_us, 0);
    // keepalived's read_decimal lets a non-number through with only its
    // "invalid number" message.
    let l = inst(" preempt_delay x");
    assert_eq!(msgs(&l), vec!["invalid number 'x'"]);
    assert_eq!(l.config_test_exit_code(), 5);
}

#[test]
fn skip_check_adv_addr_off_still_enables() {
    // keepalived 2.2.7 bug kept (KEEPALIVED.md trip-up 12).
    for line in [
        " skip_check_adv_addr off",
        " skip_check_adv_addr",
        " skip_check_adv_addr on",
    ] {
        let l = inst(line);
        clean(&l);
        assert_eq!(vi(&l).skip_check_adv_addr, Some(true), "{line}");
    }
    let l = inst(" skip_check_adv_addr maybe");
    assert_eq!(
        msgs(&l),
        vec!["(VI_1) invalid skip_check_adv_addr maybe specified"]
    );
    assert_ne!(vi(&l).skip_check_adv_addr, Some(true));
}

#[test]
fn skip_check_adv_addr_default_from_global() {
    let l = raw(
        "global_defs {\n vrrp_skip_check_adv_addr\n}\nvrrp_instance VI_1 {\n interface eth0\n virtual_router_id 1\n virtual_ipaddress {\n 10.0.0.1\n }\n}\n",
    );
    clean(&l);
    assert_eq!(vi(&l).skip_check_adv_addr, Some(true));
}

/// `v3_checksum_as_v2` is a keepalived 2.2.8+ keyword (2.2.7 says "Unknown
/// keyword"): values and wording from keepalived's vrrp_parser.c (HEAD).
#[test]
fn v3_checksum_as_v2_values() {
    for (line, want) in [
        (" v3_checksum_as_v2", Some(true)),
        (" v3_checksum_as_v2 on", Some(true)),
        (" v3_checksum_as_v2 yes", Some(true)),
        (" v3_checksum_as_v2 true", Some(true)),
        (" v3_checksum_as_v2 off", Some(false)),
        (" v3_checksum_as_v2 no", Some(false)),
        (" v3_checksum_as_v2 false", Some(false)),
        ("", None),
    ] {
        let l = inst(line);
        clean(&l);
        assert_eq!(vi(&l).v3_checksum_as_v2, want, "{line}");
    }
    let l = inst(" v3_checksum_as_v2 maybe");
    assert_eq!(
        msgs(&l),
        vec!["(VI_1) invalid v3_checksum_as_v2 maybe specified"]
    );
    assert_eq!(l.config_test_exit_code(), 5);
    assert_eq!(vi(&l).v3_checksum_as_v2, None);
}

#[test]
fn v3_checksum_as_v2_default_from_global_for_later_instances_only() {
    // keepalived copies the global flag into each instance as it is created
    let l = raw(
        "global_defs {\n v3_checksum_as_v2\n}\nvrrp_instance VI_1 {\n interface eth0\n virtual_router_id 1\n virtual_ipaddress {\n 10.0.0.1\n }\n}\n\
         vrrp_instance VI_2 {\n interface eth0\n virtual_router_id 2\n v3_checksum_as_v2 off\n virtual_ipaddress {\n 10.0.0.2\n }\n}\n",
    );
    clean(&l);
    assert_eq!(l.config.instances[0].v3_checksum_as_v2, Some(true));
    assert_eq!(l.config.instances[1].v3_checksum_as_v2, Some(false));
    let l = raw(&format!("{TWO}global_defs {{\n v3_checksum_as_v2\n}}\n"));
    clean(&l);
    assert!(l.config.global.v3_checksum_as_v2);
    assert_eq!(l.config.instances[0].v3_checksum_as_v2, None);
}

#[test]
fn strict_mode_values() {
    let l = inst(" strict_mode");
    clean(&l);
    assert_eq!(vi(&l).strict_mode, Some(true));
    let l = inst(" strict_mode off");
    clean(&l);
    assert_eq!(vi(&l).strict_mode, Some(false));
    let l = inst(" strict_mode maybe");
    assert_eq!(msgs(&l), vec!["(VI_1) invalid strict_mode maybe specified"]);
    assert_eq!(vi(&l).strict_mode, Some(false));
}

#[test]
fn lower_prio_no_advert_and_higher_prio_send_advert() {
    let l = inst(" lower_prio_no_advert\n higher_prio_send_advert false");
    clean(&l);
    assert_eq!(vi(&l).lower_prio_no_advert, Some(true));
    assert_eq!(vi(&l).higher_prio_send_advert, Some(false));
    let l = inst(" lower_prio_no_advert 2\n higher_prio_send_advert x");
    assert_eq!(
        msgs(&l),
        vec![
            "(VI_1) invalid lower_prio_no_advert 2 specified",
            "(VI_1) invalid higher_prio_send_advert x specified"
        ]
    );
}

#[test]
fn notify_priority_changes_values() {
    let l = inst(" notify_priority_changes yes");
    clean(&l);
    assert_eq!(vi(&l).notify_priority_changes, Some(true));
    let l = inst(" notify_priority_changes");
    clean(&l);
    assert_eq!(vi(&l).notify_priority_changes, Some(true));
    let l = inst(" notify_priority_changes 1");
    assert_eq!(
        msgs(&l),
        vec!["(VI_1) Invalid value '1' for notify_priority_changes specified"]
    );
}

#[test]
fn debug_accepted_0_to_4() {
    let l = inst(" debug 3");
    clean(&l);
    assert_eq!(vi(&l).debug, Some(3));
    for (v, first) in [
        ("5", "number '5' outside range [0, 4]"),
        ("x", "invalid number 'x'"),
    ] {
        let l = inst(&format!(" debug {v}"));
        assert_eq!(
            msgs(&l),
            vec![
                first.to_string(),
                format!("(VI_1) Debug value '{v}' not valid; must be between 0-4")
            ]
        );
        assert_eq!(vi(&l).debug, None);
    }
}

#[test]
fn promote_secondaries_and_dont_track_primary_flags() {
    let l = inst(" promote_secondaries\n dont_track_primary");
    clean(&l);
    assert!(vi(&l).promote_secondaries && vi(&l).dont_track_primary);
}

#[test]
fn linkbeat_use_polling_in_instance_deprecated() {
    let l = inst(" linkbeat_use_polling");
    assert_eq!(
        msgs(&l),
        vec![
            "(VI_1) 'linkbeat_use_polling' in vrrp instance deprecated - use linkbeat_interfaces block"
        ]
    );
    assert_eq!(l.config_test_exit_code(), 5);
}

#[test]
fn lvs_sync_daemon_interface_deprecated() {
    let l = inst(" lvs_sync_daemon_interface eth0");
    assert_eq!(
        msgs(&l),
        vec![
            "(VI_1) Specifying lvs_sync_daemon_interface against a vrrp is deprecated.",
            "        Please use global lvs_sync_daemon"
        ]
    );
}

#[test]
fn kernel_rx_buf_size_values() {
    let l = inst(" kernel_rx_buf_size 65536");
    clean(&l);
    assert_eq!(vi(&l).kernel_rx_buf_size, Some(65536));
    let l = inst(" kernel_rx_buf_size x");
    assert_eq!(
        msgs(&l),
        vec![
            "invalid number 'x'",
            "(VI_1) invalid kernel_rx_buf_size specified"
        ]
    );
    for line in [" kernel_rx_buf_size 1 2", " kernel_rx_buf_size"] {
        let l = inst(line);
        assert_eq!(
            msgs(&l),
            vec!["(VI_1) invalid kernel_rx_buf_size specified"],
            "{line}"
        );
        assert_eq!(vi(&l).kernel_rx_buf_size, None);
    }
}

#[test]
fn smtp_alert_values() {
    let l = inst(" smtp_alert");
    clean(&l);
    assert_eq!(vi(&l).smtp_alert, Some(true));
    let l = inst(" smtp_alert off");
    clean(&l);
    assert_eq!(vi(&l).smtp_alert, Some(false));
    let l = inst(" smtp_alert 7");
    assert_eq!(
        msgs(&l),
        vec!["Invalid vrrp_instance smtp_alert parameter 7"]
    );
}

#[test]
fn unknown_keyword_in_instance_skipped() {
    let l = inst(" bogus 1\n priority 120");
    assert_eq!(msgs(&l), vec!["Unknown keyword 'bogus'"]);
    assert_eq!(
        class_of(&l, "Unknown keyword 'bogus'"),
        ErrClass::UnknownKeyword
    );
    assert_eq!(vi(&l).priority, Some(120));
}

#[test]
fn unknown_block_in_instance_closes_it() {
    // KEEPALIVED.md §1.3: the '}' of the unknown block ends the instance.
    let l = inst(" bogus_block {\n x 1\n }\n priority 120\n virtual_ipaddress {\n 10.0.0.2\n }");
    let ka: Vec<&str> = msgs(&l)
        .into_iter()
        .filter(|m| !m.starts_with("NOTE: "))
        .collect();
    assert_eq!(
        ka,
        vec![
            "Unknown keyword 'bogus_block'",
            "Unexpected '{' - ignoring",
            "Unknown keyword 'x'",
            "Unknown keyword 'priority'",
            "Unknown keyword 'virtual_ipaddress'",
            "Unexpected '{' - ignoring",
            "Unknown keyword '10.0.0.2'",
            "Unknown keyword '}'",
            "Unknown keyword '}'",
        ]
    );
    // Our extra note is class Ok: it changes no exit code.
    let note = msgs(&l)
        .into_iter()
        .find(|m| m.starts_with("NOTE: "))
        .expect("note");
    assert_eq!(class_of(&l, note), ErrClass::Ok);
    assert_eq!(vi(&l).priority, Some(100));
    assert_eq!(vi(&l).vips.len(), 1);
    assert_eq!(l.config_test_exit_code(), 5);
}

// ------------------------------------------------------------ notify scripts

#[test]
fn notify_argv_quoted_and_user() {
    let l = inst(
        " notify_master \"/usr/bin/logger -t 'ka m' x\\x41\" root root\n notify_backup /usr/bin/true\n\
         notify_fault /usr/bin/true\n notify_stop /usr/bin/true\n notify /usr/bin/true\n\
         notify_master_rx_lower_pri /usr/bin/true\n notify_deleted /usr/bin/false",
    );
    clean(&l);
    let n = &vi(&l).notify;
    let m = n.master.as_ref().unwrap();
    assert_eq!(m.argv, vec!["/usr/bin/logger", "-t", "ka m", "xA"]);
    assert_eq!(
        (m.user.as_deref(), m.group.as_deref()),
        (Some("root"), Some("root"))
    );
    for s in [
        &n.backup,
        &n.fault,
        &n.stop,
        &n.generic,
        &n.master_rx_lower_pri,
    ] {
        assert_eq!(s.as_ref().unwrap().argv, vec!["/usr/bin/true"]);
    }
    assert_eq!(n.deleted.as_ref().unwrap().argv, vec!["/usr/bin/false"]);
    assert!(vi(&l).notify_deleted);
}

#[test]
fn notify_script_already_specified() {
    let l = inst(" notify_master /usr/bin/true\n notify_master /usr/bin/false");
    assert_eq!(
        msgs(&l),
        vec!["(VI_1) notify_master script already specified - ignoring /usr/bin/false"]
    );
    assert_eq!(
        vi(&l).notify.master.as_ref().unwrap().argv,
        vec!["/usr/bin/true"]
    );
    assert_eq!(l.config_test_exit_code(), 5);
}

#[test]
fn notify_missing_parameter_stops_the_parse() {
    let l = inst(" notify_master");
    assert_eq!(msgs(&l), vec![missing("notify_master")]);
    assert_eq!(l.config_test_exit_code(), 2);
}

#[test]
fn notify_unterminated_quote() {
    let l = inst(" notify_master \"/usr/bin/logger 'a\"");
    assert_eq!(
        msgs(&l),
        vec!["String '/usr/bin/logger 'a': missing terminating '"]
    );
    assert_eq!(vi(&l).notify.master, None);
}

#[test]
fn notify_unknown_user_is_only_logged() {
    let l = inst(" notify_master /usr/bin/true nosuchuser");
    clean(&l);
    assert_eq!(vi(&l).notify.master, None);
    assert_eq!(
        logs(&l),
        vec![
            "Script user 'nosuchuser' does not exist",
            "Invalid user/group for notify script /usr/bin/true - ignoring"
        ]
    );
}

#[test]
fn notify_nonexistent_script_is_only_logged() {
    let l = inst(" notify_master /usr/bin/nosuchscript");
    clean(&l);
    assert!(!logs(&l).is_empty());
}

#[test]
fn notify_deleted_already_specified() {
    // keepalived prints an empty word after "ignoring " when there is none.
    for lines in [
        " notify_deleted\n notify_deleted",
        " notify_deleted /usr/bin/true\n notify_deleted",
    ] {
        let l = inst(lines);
        assert_eq!(
            msgs(&l),
            vec!["(VI_1) notify_deleted already specified - ignoring "],
            "{lines}"
        );
        assert!(vi(&l).notify_deleted);
    }
    let l = inst(" notify_deleted\n notify_deleted /usr/bin/true");
    assert_eq!(
        msgs(&l),
        vec!["(VI_1) notify_deleted already specified - ignoring /usr/bin/true"]
    );
    assert_eq!(vi(&l).notify.deleted, None);
}

// ------------------------------------------------------------ garp_* / down_timer_adverts

#[test]
fn garp_overrides_stored() {
    let l = inst(
        " garp_master_delay 3\n garp_master_repeat 2\n garp_master_refresh 60\n garp_master_refresh_repeat 4\n\
         garp_lower_prio_delay 7\n garp_lower_prio_repeat 0\n down_timer_adverts 10\n garp_extra_if 30",
    );
    clean(&l);
    let g = &vi(&l).garp;
    assert_eq!(
        (
            g.master_delay,
            g.master_repeat,
            g.master_refresh,
            g.master_refresh_repeat
        ),
        (Some(3), Some(2), Some(60), Some(4))
    );
    assert_eq!(
        (g.lower_prio_delay, g.lower_prio_repeat, g.extra_if),
        (Some(7), Some(0), Some(30))
    );
    assert_eq!(vi(&l).down_timer_adverts, Some(10));
}

#[test]
fn garp_master_repeat_zero_becomes_1() {
    let l = inst(" garp_master_repeat 0\n garp_master_refresh_repeat 0");
    assert_eq!(
        msgs(&l),
        vec![
            "(VI_1): garp_master_repeat must be greater than 0, setting to 1",
            "(VI_1): garp_master_refresh_repeat must be greater than 0, setting to 1"
        ]
    );
    let g = &vi(&l).garp;
    assert_eq!(
        (g.master_repeat, g.master_refresh_repeat),
        (Some(1), Some(1))
    );
    assert_eq!(l.config_test_exit_code(), 5);
}

#[test]
fn garp_invalid_values_ignored() {
    let l = inst(
        " garp_master_delay x\n garp_master_repeat -1\n garp_master_refresh y\n garp_lower_prio_delay z\n\
         garp_lower_prio_repeat q\n down_timer_adverts 101\n garp_extra_if 86401\n garp_lower_prio_repeat 2147483648",
    );
    assert_eq!(
        msgs(&l),
        vec![
            "invalid number 'x'",
            "(VI_1): garp_master_delay 'x' invalid - ignoring",
            "negative number '-1'",
            "(VI_1): garp_master_repeat '-1' invalid - ignoring",
            "invalid number 'y'",
            "(VI_1): Invalid garp_master_refresh 'y' - ignoring",
            "invalid number 'z'",
            "(VI_1): garp_lower_prio_delay 'z' invalid - ignoring",
            "invalid number 'q'",
            "(VI_1): Invalid garp_lower_prio_repeat 'q'",
            "number '101' outside range [1, 100]",
            "(VI_1): Invalid down_timer_adverts [1:100] '101'",
            "number '86401' outside range [0, 86400]",
            "(VI_1): garp_extra_if '86401' invalid - ignoring",
            "number '2147483648' outside range [0, 2147483647]",
            "(VI_1): Invalid garp_lower_prio_repeat '2147483648'",
        ]
    );
    let g = &vi(&l).garp;
    assert_eq!((g.master_delay, g.extra_if), (None, None));
    assert_eq!(g.master_repeat, None);
}

#[test]
fn garp_extra_if_all_and_without_time() {
    let l = inst(" garp_extra_if all 20");
    clean(&l);
    assert_eq!(vi(&l).garp.extra_if, Some(20));
    let l = inst(" garp_extra_if all");
    assert_eq!(
        msgs(&l),
        vec!["(VI_1): garp_extra_if specified without time - ignoring"]
    );
    assert_eq!(vi(&l).garp.extra_if, None);
}

#[test]
fn vmac_garp_intvl_deprecated_synonym() {
    let l = inst(" vmac_garp_intvl 20");
    assert_eq!(
        msgs(&l),
        vec!["Keyword \"vmac_garp_intvl\" is deprecated - please use \"garp_extra_if\""]
    );
    assert_eq!(vi(&l).garp.extra_if, Some(20));
    assert_eq!(l.config_test_exit_code(), 5);
}

// ------------------------------------------------------------ authentication

#[test]
fn auth_pass_stored_zero_padded() {
    let l = inst(" authentication {\n auth_type PASS\n auth_pass secret\n }");
    clean(&l);
    assert_eq!(vi(&l).auth, Auth::Pass(*b"secret\0\0"));
}

#[test]
fn auth_pass_truncated_to_8_bytes() {
    let l = inst(" authentication {\n auth_type PASS\n auth_pass 0123456789abc\n }");
    assert_eq!(msgs(&l), vec!["Truncating auth_pass to 8 characters"]);
    assert_eq!(vi(&l).auth, Auth::Pass(*b"01234567"));
    assert_eq!(l.config_test_exit_code(), 5);
}

#[test]
fn auth_type_ah() {
    let l = inst(" authentication {\n auth_type AH\n auth_pass pw\n }");
    clean(&l);
    assert_eq!(vi(&l).auth, Auth::Ah(*b"pw\0\0\0\0\0\0"));
}

#[test]
fn auth_type_unknown() {
    let l = inst(" authentication {\n auth_type MD5\n auth_pass pw\n }");
    assert_eq!(msgs(&l), vec!["(VI_1) unknown authentication type 'MD5'"]);
    assert_eq!(vi(&l).auth, Auth::None);
}

#[test]
fn auth_pass_without_type_is_no_auth() {
    let l = inst(" authentication {\n auth_pass pw\n }");
    clean(&l);
    assert_eq!(vi(&l).auth, Auth::None);
}

#[test]
fn auth_without_password_ignored() {
    let l = inst(" authentication {\n auth_type PASS\n }");
    assert_eq!(
        msgs(&l),
        vec!["(VI_1) Authentication specified but no password given. Ignoring"]
    );
    assert_eq!(vi(&l).auth, Auth::None);
}

#[test]
fn auth_ignored_in_v3_ipv6_and_strict_mode() {
    let v3 = "(VI_1) VRRP version 3 does not support authentication. Ignoring.";
    for (l, msg) in [
        (
            inst(" version 3\n authentication {\n auth_type PASS\n auth_pass pw\n }"),
            v3,
        ),
        (
            bare(
                " authentication {\n auth_type AH\n auth_pass pw\n }\n virtual_ipaddress {\n fe80::1\n }",
            ),
            v3,
        ),
        (
            inst(" strict_mode\n authentication {\n auth_type PASS\n auth_pass pw\n }"),
            "(VI_1) Strict mode does not support authentication. Ignoring.",
        ),
    ] {
        assert_eq!(msgs(&l), vec![msg]);
        assert_eq!(vi(&l).auth, Auth::None);
    }
}

#[test]
fn auth_ah_with_state_master_goes_backup() {
    let l =
        inst(" state MASTER\n priority 100\n authentication {\n auth_type AH\n auth_pass pw\n }");
    assert_eq!(
        msgs(&l),
        vec!["(VI_1) Initial state master is incompatible with AH authentication - clearing"]
    );
    assert_eq!(vi(&l).state, Some(InitialState::Backup));
}

// ------------------------------------------------------------ track_script (§3.3)

#[test]
fn track_script_uses_script_weight_by_default() {
    let l = tracked(" track_script {\n chk\n }");
    clean(&l);
    assert_eq!(
        vi(&l).track_scripts,
        vec![TrackRef {
            name: "chk".into(),
            weight: 10,
            reverse: false
        }]
    );
    assert!(l.config.scripts[0].used);
}

#[test]
fn track_script_weight_and_reverse_override() {
    let l = tracked(" track_script {\n chk weight -20 reverse\n }");
    clean(&l);
    assert_eq!(
        (
            vi(&l).track_scripts[0].weight,
            vi(&l).track_scripts[0].reverse
        ),
        (-20, true)
    );
    let l = tracked(" track_script {\n chk weight 5 noreverse\n }");
    clean(&l);
    assert!(!vi(&l).track_scripts[0].reverse);
}

#[test]
fn track_script_weight_254_clamped() {
    for (w, to) in [("254", 253), ("-254", -253)] {
        let l = tracked(&format!(" track_script {{\n chk weight {w}\n }}"));
        assert_eq!(
            msgs(&l),
            vec!["(VI_1) weight for chk cannot be +/-254. Setting to +/-253"]
        );
        assert_eq!(vi(&l).track_scripts[0].weight, to);
    }
}

#[test]
fn track_script_weight_out_of_range_keeps_script_weight() {
    let l = tracked(" track_script {\n chk weight 255\n }");
    assert_eq!(
        msgs(&l),
        vec![
            "number '255' outside range [-254, 254]",
            "(VI_1) track script chk: weight must be between [-253..253] inclusive, ignoring..."
        ]
    );
    assert_eq!(vi(&l).track_scripts[0].weight, 10);
}

#[test]
fn track_script_item_errors() {
    let l = tracked(" track_script {\n nosuch\n chk foo\n chk weight\n }");
    assert_eq!(
        msgs(&l),
        vec![
            "(VI_1) track script nosuch not found, ignoring...",
            "(VI_1) unknown track script option foo - ignoring",
            "(VI_1) weight without value specified for track script chk - ignoring",
        ]
    );
    assert!(vi(&l).track_scripts.is_empty());
    assert_eq!(l.config_test_exit_code(), 5);
}

#[test]
fn track_script_unknown_weight_option_kept() {
    let l = tracked(" track_script {\n chk weight 5 sideways\n }");
    assert_eq!(
        msgs(&l),
        vec!["(VI_1) unknown track_script chk weight option sideways - ignoring"]
    );
    assert_eq!(
        (
            vi(&l).track_scripts[0].weight,
            vi(&l).track_scripts[0].reverse
        ),
        (5, false)
    );
}

#[test]
fn track_script_duplicate_ignored() {
    let l = tracked(" track_script {\n chk\n chk weight 3\n }");
    assert_eq!(
        msgs(&l),
        vec!["(VI_1) duplicate track_script chk - ignoring"]
    );
    assert_eq!(vi(&l).track_scripts.len(), 1);
    assert_eq!(vi(&l).track_scripts[0].weight, 10);
}

#[test]
fn track_script_defined_after_use_not_found() {
    let l = file(
        "vrrp_instance VI_1 {\n interface eth0\n virtual_router_id 1\n virtual_ipaddress {\n 10.0.0.1\n }\n\
         track_script {\n chk\n }\n}\nvrrp_script chk {\n script /usr/bin/true\n}",
    );
    assert_eq!(
        msgs(&l),
        vec!["(VI_1) track script chk not found, ignoring..."]
    );
    assert!(vi(&l).track_scripts.is_empty());
    assert_eq!(l.config.scripts.len(), 1);
    assert!(!l.config.scripts[0].used);
}

// ------------------------------------------------------------ track_interface (§3.4)

#[test]
fn track_interface_stored() {
    let l = tracked(" track_interface {\n eth1 weight -10 reverse\n }");
    clean(&l);
    assert_eq!(
        vi(&l).track_interfaces,
        vec![TrackIf {
            ifname: "eth1".into(),
            weight: -10,
            reverse: true
        }]
    );
}

#[test]
fn track_interface_duplicate_ignored() {
    let l = tracked(" track_interface {\n eth1\n eth1 weight 5\n }");
    assert_eq!(
        msgs(&l),
        vec!["(VI_1) duplicate track_interface eth1 - ignoring"]
    );
    assert_eq!(vi(&l).track_interfaces.len(), 1);
    assert_eq!(vi(&l).track_interfaces[0].weight, 0);
}

#[test]
fn track_interface_item_errors() {
    let l = tracked(" track_interface {\n eth1 foo\n }");
    assert_eq!(
        msgs(&l),
        vec!["(VI_1) unknown track_interface eth1 option foo - ignoring"]
    );
    assert!(vi(&l).track_interfaces.is_empty());
    let l = tracked(" track_interface {\n eth1 weight\n }");
    assert_eq!(
        msgs(&l),
        vec!["(VI_1) weight without value specified for track_interface eth1 - ignoring"]
    );
    assert!(vi(&l).track_interfaces.is_empty());
}

#[test]
fn track_interface_bad_weight_becomes_0() {
    let l = tracked(" track_interface {\n eth1 weight 300\n }");
    assert_eq!(
        msgs(&l),
        vec![
            "number '300' outside range [-254, 254]",
            "(VI_1) weight 300 for eth1 must be between [-253..253] inclusive. Ignoring..."
        ]
    );
    assert_eq!(vi(&l).track_interfaces[0].weight, 0);
}

#[test]
fn track_interface_weight_254_clamped_and_bad_option() {
    let l = tracked(" track_interface {\n eth1 weight 254 up\n }");
    assert_eq!(
        msgs(&l),
        vec![
            "(VI_1) weight for eth1 cannot be +/-254. Setting to +/-253",
            "(VI_1) unknown track_interace eth1 weight option up - ignoring"
        ]
    );
    assert_eq!(
        vi(&l).track_interfaces[0],
        TrackIf {
            ifname: "eth1".into(),
            weight: 253,
            reverse: false
        }
    );
}

#[test]
fn track_interface_own_interface_ignored() {
    let l = tracked(" track_interface {\n eth0\n }");
    assert_eq!(
        msgs(&l),
        vec!["(VI_1) Ignoring track_interface eth0 since own interface"]
    );
    assert!(vi(&l).track_interfaces.is_empty());
}

#[test]
fn track_interface_nonexistent_stops_vrrp() {
    let l = tracked(" track_interface {\n eth9\n }");
    assert_eq!(
        msgs(&l),
        vec!["(VI_1) tracked interface eth9 doesn't exist", NON_EXISTENT]
    );
    assert!(l.config.vrrp_exit.is_some());
}

// ------------------------------------------------------------ track_file / track_process / track_bfd refs

#[test]
fn track_file_ref_stored_with_file_weight_by_default() {
    let l = tracked(" track_file {\n tf1\n }");
    clean(&l);
    assert_eq!(
        vi(&l).track_files,
        vec![TrackRef {
            name: "tf1".into(),
            weight: 3,
            reverse: false
        }]
    );
    let l = tracked(" track_file {\n tf1 weight 10 reverse\n }");
    clean(&l);
    assert_eq!(
        (vi(&l).track_files[0].weight, vi(&l).track_files[0].reverse),
        (10, true)
    );
}

#[test]
fn track_file_ref_weight_254_accepted_and_duplicate() {
    let l = tracked(" track_file {\n tf1 weight -254 reverse\n tf1 weight\n }");
    assert_eq!(msgs(&l), vec!["(VI_1) duplicate track_file tf1 - ignoring"]);
    assert_eq!(
        (vi(&l).track_files[0].weight, vi(&l).track_files[0].reverse),
        (-254, true)
    );
    // The duplicate check comes before the options.
    let l = tracked(" track_file {\n tf1\n tf1 foo\n }");
    assert_eq!(msgs(&l), vec!["(VI_1) duplicate track_file tf1 - ignoring"]);
}

#[test]
fn track_file_ref_bad_weight_keeps_file_weight() {
    let l = tracked(" track_file {\n tf1 weight 300\n }");
    assert_eq!(
        msgs(&l),
        vec![
            "number '300' outside range [-254, 254]",
            "(VI_1) weight for track file tf1 must be in [-254..254] inclusive. Ignoring..."
        ]
    );
    assert_eq!(vi(&l).track_files[0].weight, 3);
}

#[test]
fn track_file_ref_unknown_weight_option_rejects_item() {
    let l = tracked(" track_file {\n tf1 weight 254 sideways\n }");
    assert_eq!(
        msgs(&l),
        vec!["(VI_1) unknown track file tf1 weight option sideways - ignoring"]
    );
    assert!(vi(&l).track_files.is_empty());
}

#[test]
fn track_file_ref_not_found() {
    // keepalived 2.2.7 itself hangs or crashes later on this file (checked:
    // `-t` looped until killed); the text is its track_file.c's.
    let l = tracked(" track_file {\n tf2\n }");
    assert_eq!(
        msgs(&l),
        vec!["(VI_1) track file tf2 not found, ignoring..."]
    );
    assert!(vi(&l).track_files.is_empty());
}

#[test]
fn track_process_ref() {
    let l = tracked(" track_process {\n tp1\n tp1\n tpx\n tp1 weight\n }");
    assert_eq!(
        msgs(&l),
        vec![
            "(VI_1) duplicate track_process tp1 - ignoring",
            "(VI_1) track process tpx not found, ignoring...",
            "(VI_1) duplicate track_process tp1 - ignoring",
        ]
    );
    assert_eq!(
        vi(&l).track_processes,
        vec![TrackRef {
            name: "tp1".into(),
            weight: 0,
            reverse: false
        }]
    );
}

#[test]
fn track_bfd_not_found() {
    let l = tracked(" track_bfd {\n b1\n }");
    assert_eq!(msgs(&l), vec!["(VI_1) track bfd b1 not found, ignoring..."]);
    assert!(vi(&l).track_bfds.is_empty());
}

// ------------------------------------------------------------ vrrp_script (§3.1)

#[test]
fn vrrp_script_all_keywords_stored() {
    let l = file(
        "vrrp_script chk {\n script \"/usr/bin/logger -t 'a b' c\"\n interval 5\n timeout 3\n weight -20 reverse\n\
         rise 2\n fall 3\n user root root\n init_fail\n}",
    );
    clean(&l);
    let s = &l.config.scripts[0];
    assert_eq!(s.name, "chk");
    let sc = s.script.as_ref().unwrap();
    assert_eq!(sc.argv, vec!["/usr/bin/logger", "-t", "a b", "c"]);
    assert_eq!((s.interval_s, s.timeout_s), (5, 3));
    assert_eq!((s.weight, s.weight_reverse), (-20, true));
    assert_eq!((s.rise, s.fall), (2, 3));
    assert_eq!(s.user, Some(("root".into(), Some("root".into()))));
    assert!(s.user_set && s.init_fail);
    // Not tracked: under -t keepalived says nothing about it.
    assert!(!s.used);
}

#[test]
fn vrrp_script_defaults() {
    let l = file("vrrp_script chk {\n script /usr/bin/true\n}");
    clean(&l);
    let s = &l.config.scripts[0];
    assert_eq!((s.interval_s, s.timeout_s, s.weight), (1, 0, 0));
    assert_eq!((s.rise, s.fall, s.weight_reverse), (1, 1, false));
}

#[test]
fn vrrp_script_without_script_removed() {
    let l = file("vrrp_script chk {\n interval 5\n}");
    assert_eq!(
        msgs(&l),
        vec!["No script set for vrrp_script chk - removing"]
    );
    assert!(l.config.scripts.is_empty());
    assert_eq!(l.config_test_exit_code(), 5);
}

#[test]
fn vrrp_script_missing_name_stops_the_parse() {
    let l = file("vrrp_script {\n script /usr/bin/true\n}");
    assert_eq!(msgs(&l), vec![missing("vrrp_script")]);
    assert_eq!(l.config_test_exit_code(), 2);
}

#[test]
fn vrrp_script_unterminated_quote_removed() {
    let l = file("vrrp_script chk {\n script \"/usr/bin/logger 'a\"\n}");
    assert_eq!(
        msgs(&l),
        vec![
            "String '/usr/bin/logger 'a': missing terminating '",
            "No script set for vrrp_script chk - removing"
        ]
    );
    assert!(l.config.scripts.is_empty());
}

#[test]
fn vrrp_script_interval_timeout_zero_become_1() {
    let l = file("vrrp_script chk {\n script /usr/bin/true\n interval 0\n timeout 0\n}");
    assert_eq!(
        msgs(&l),
        vec![
            "(chk): vrrp script interval must be greater than 0, setting to 1",
            "(chk): vrrp script timeout must be greater than 0, setting to 1"
        ]
    );
    let s = &l.config.scripts[0];
    assert_eq!((s.interval_s, s.timeout_s), (1, 1));
}

#[test]
fn vrrp_script_invalid_numbers() {
    let l = file(
        "vrrp_script chk {\n script /usr/bin/true\n interval 1.5\n timeout x\n weight 254\n rise 0\n fall y\n}",
    );
    assert_eq!(
        msgs(&l),
        vec![
            "invalid number '1.5'",
            "(chk): vrrp script interval '1.5' must be between 1 and 4294 - ignoring",
            "invalid number 'x'",
            "(chk): vrrp script timeout 'x' invalid - ignoring",
            "number '254' outside range [-253, 253]",
            "vrrp_script chk weight 254 must be in [-253, 253]",
            "number '0' outside range [1, 2147483647]",
            "(chk): vrrp script rise value '0' invalid, defaulting to 1",
            "invalid number 'y'",
            "(chk): vrrp script fall value 'y' invalid, defaulting to 1",
        ]
    );
    let s = &l.config.scripts[0];
    assert_eq!((s.interval_s, s.timeout_s, s.rise, s.fall), (1, 0, 1, 1));
    // keepalived stores what strtol read, even out of range.
    assert_eq!(s.weight, 254);
}

#[test]
fn vrrp_script_unknown_weight_option() {
    let l = file("vrrp_script chk {\n script /usr/bin/true\n weight 5 sideways\n}");
    assert_eq!(
        msgs(&l),
        vec!["vrrp_script chk unknown weight option sideways"]
    );
    assert_eq!(
        (
            l.config.scripts[0].weight,
            l.config.scripts[0].weight_reverse
        ),
        (5, false)
    );
}

#[test]
fn vrrp_script_weight_repeated_keeps_reverse() {
    let l = file("vrrp_script chk {\n script /usr/bin/true\n weight 5 reverse\n weight 6\n}");
    clean(&l);
    let s = &l.config.scripts[0];
    assert_eq!((s.weight, s.weight_reverse), (6, true));
}

#[test]
fn vrrp_script_unknown_user_removes_script() {
    let l = file("vrrp_script chk {\n script /usr/bin/true\n user nosuchuser\n}");
    assert_eq!(
        msgs(&l),
        vec!["Unable to set uid/gid for script '/usr/bin/true'"]
    );
    assert!(l.config.scripts.is_empty());
}

#[test]
fn vrrp_script_unknown_user_then_good_user_keeps_script() {
    let l = file("vrrp_script chk {\n script /usr/bin/true\n user nosuchuser\n user root\n}");
    assert_eq!(msgs(&l).len(), 1);
    assert_eq!(l.config.scripts.len(), 1);
    assert_eq!(l.config.scripts[0].user, Some(("root".into(), None)));
}

#[test]
fn vrrp_script_without_default_user_removed_under_security() {
    let l = raw(
        "global_defs {\n enable_script_security\n}\nvrrp_script chk {\n script /usr/bin/true\n}\n",
    );
    assert_eq!(
        msgs(&l),
        vec![
            "Unable to set default user keepalived_script for script",
            "Unable to set default user for vrrp script chk - removing"
        ]
    );
    assert!(l.config.scripts.is_empty());
    assert_eq!(l.config_test_exit_code(), 5);
}

#[test]
fn vrrp_script_without_script_security_is_quiet_when_unused() {
    let l = raw("vrrp_script chk {\n script /usr/bin/true\n}\n");
    clean(&l);
    assert_eq!(l.config.scripts.len(), 1);
}

// ------------------------------------------------------------ track_file / vrrp_track_file (§3.5)

#[test]
fn track_file_init_file_overwrite() {
    let l = file("track_file tf1 {\n file /tmp/tf1\n weight -5 reverse\n init_file 7 overwrite\n}");
    clean(&l);
    let t = &l.config.track_files[0];
    assert_eq!(t.name, "tf1");
    assert_eq!(t.file.as_deref(), Some("/tmp/tf1"));
    assert_eq!((t.weight, t.weight_reverse), (-5, true));
    assert_eq!(t.init_file, Some((7, true)));
    let l = file("track_file tf1 {\n file /tmp/tf1\n init_file\n}");
    clean(&l);
    assert_eq!(l.config.track_files[0].init_file, Some((0, false)));
    assert_eq!(l.config.track_files[0].weight, 1);
}

#[test]
fn vrrp_track_file_deprecated_synonym_logged() {
    let l = file("vrrp_track_file tf1 {\n file /tmp/tf1\n}");
    clean(&l);
    assert_eq!(
        logs(&l),
        vec!["\"vrrp_track_file\" is deprecated, please use \"track_file\""]
    );
    assert_eq!(l.config.track_files[0].file.as_deref(), Some("/tmp/tf1"));
}

#[test]
fn track_file_missing_name_stops_the_parse() {
    let l = file("track_file {\n file /tmp/a\n}");
    assert_eq!(msgs(&l), vec![missing("track_file")]);
    assert_eq!(l.config_test_exit_code(), 2);
}

// keepalived -t also reads track_file blocks in its checker pass, so it prints
// every message of a track_file block twice (see
// track_file_block_messages_repeated_by_checker_pass); the tests below check
// the messages of one pass.

#[test]
fn track_file_without_file_removed() {
    let l = file("track_file tf1 {\n weight 3\n}");
    assert_eq!(msgs(&l), vec!["No file set for track_file tf1 - ignoring"]);
    assert!(l.config.track_files.is_empty());
    assert_eq!(l.config_test_exit_code(), 5);
}

#[test]
fn track_file_invalid_values() {
    let l = file(
        "track_file tf1 {\n file /tmp/a\n file /tmp/b\n weight 255\n weight 3\n init_file 300 x overwrite\n}",
    );
    assert_eq!(
        msgs(&l),
        vec![
            "File already set for track file tf1 - ignoring /tmp/b",
            "number '255' outside range [-254, 254]",
            "Weight (255) for track_file tf1 must be between [-254..254] inclusive. Ignoring...",
            "Track file tf1 init value 300 is outside sensible range [-254, 254]",
            "Unknown track file init option x",
        ]
    );
    let t = &l.config.track_files[0];
    assert_eq!(t.file.as_deref(), Some("/tmp/a"));
    // weight 255 left it at 1, so `weight 3` was taken.
    assert_eq!(t.weight, 3);
    assert_eq!(t.init_file, Some((300, true)));
}

#[test]
fn track_file_missing_values() {
    let l = file("track_file tf1 {\n file\n weight\n weight 3 sideways\n init_file 12a\n}");
    assert_eq!(
        msgs(&l),
        vec![
            "track file file name missing",
            "No weight specified for track file tf1 - ignoring",
            "track_file tf1 unknown weight option sideways",
            "invalid number '12a'",
            "Track file tf1 init value 12a is invalid",
            "No file set for track_file tf1 - ignoring",
        ]
    );
    assert!(l.config.track_files.is_empty());
}

#[test]
fn track_file_weight_already_set() {
    let l = file("track_file tf1 {\n file /tmp/a\n weight 3\n weight 4\n}");
    assert_eq!(
        msgs(&l),
        vec!["Weight already set for track file tf1 - ignoring 4"]
    );
    assert_eq!(l.config.track_files[0].weight, 3);
}

#[test]
#[ignore = "keepalived -t parses the file in its checker pass too, where track_file is also a keyword: each track_file block message is printed twice (checker pass first); we read the file once"]
fn track_file_block_messages_repeated_by_checker_pass() {
    let l = file("track_file tf1 {\n file /tmp/a\n weight 3\n weight 4\n}");
    assert_eq!(
        msgs(&l),
        vec![
            "Weight already set for track file tf1 - ignoring 4",
            "Weight already set for track file tf1 - ignoring 4"
        ]
    );
    let l = file("track_file tf1 {\n weight 3\n}");
    assert_eq!(
        msgs(&l),
        vec![
            "No file set for track_file tf1 - ignoring",
            "No file set for track_file tf1 - ignoring"
        ]
    );
}

// ------------------------------------------------------------ vrrp_track_process (§3.6)

#[test]
fn vrrp_track_process_all_keywords_stored() {
    let l = file(
        "vrrp_track_process tp1 {\n process sshd -D\n param_match partial\n weight 10 reverse\n quorum 2\n\
         quorum_max 4\n delay 1.5\n terminate_delay 2\n fork_delay 0.5\n full_command\n}",
    );
    clean(&l);
    let p = &l.config.track_processes[0];
    assert_eq!(p.name, "tp1");
    assert_eq!(p.process, vec!["sshd", "-D"]);
    assert_eq!((p.weight, p.weight_reverse), (10, true));
    assert_eq!((p.quorum, p.quorum_max), (2, 4));
}

#[test]
fn vrrp_track_process_quoted_process_name() {
    let l = file("vrrp_track_process tp1 {\n process \"/usr/sbin/sshd -D\" -x\n}");
    clean(&l);
    assert_eq!(
        l.config.track_processes[0].process,
        vec!["/usr/sbin/sshd -D", "-x"]
    );
}

#[test]
fn vrrp_track_process_without_process_removed() {
    let l = file("vrrp_track_process tp1 {\n weight 3\n}");
    assert_eq!(
        msgs(&l),
        vec!["track process 'tp1' process name not specified"]
    );
    assert!(l.config.track_processes.is_empty());
}

#[test]
fn vrrp_track_process_process_already_set() {
    let l = file("vrrp_track_process tp1 {\n process sshd\n process nginx\n}");
    assert_eq!(
        msgs(&l),
        vec!["Process already set for track process tp1 - ignoring nginx"]
    );
    assert_eq!(l.config.track_processes[0].process, vec!["sshd"]);
}

#[test]
fn vrrp_track_process_invalid_values() {
    let l = file(
        "vrrp_track_process tp1 {\n process sshd\n param_match sometimes\n weight 300\n weight 5\n quorum 0\n}",
    );
    assert_eq!(
        msgs(&l),
        vec![
            "Invalid param_match type sometimes - ignoring",
            "number '300' outside range [-254, 254]",
            "Weight (300) for vrrp_track_process tp1 must be between [-254..254] inclusive. Ignoring...",
            "number '0' outside range [1, 65535]",
            "Quorum (0) for vrrp_track_process tp1 must be between [1..65535] inclusive. Ignoring...",
        ]
    );
    let p = &l.config.track_processes[0];
    // weight 300 left it at 0, so `weight 5` was taken.
    assert_eq!((p.weight, p.quorum), (5, 1));
}

#[test]
fn vrrp_track_process_quorum_max_out_of_range() {
    let l = file("vrrp_track_process tp1 {\n process sshd\n quorum_max 70000\n}");
    assert_eq!(
        msgs(&l),
        vec![
            "number '70000' outside range [0, 65535]",
            "quorum_max (70000) for vrrp_track_process tp1 must be between [0..65535] inclusive. Ignoring...",
        ]
    );
}

#[test]
fn vrrp_track_process_delays_out_of_range() {
    let l = file(
        "vrrp_track_process tp1 {\n process sshd\n delay 4000\n terminate_delay x\n fork_delay -1\n}",
    );
    assert_eq!(
        msgs(&l),
        vec![
            "number '4000' outside range [0.000001, 3600.000000]",
            "delay (4000) for vrrp_track_process tp1 must be between [0.000001..3600] inclusive. Ignoring...",
            "invalid number 'x'",
            "terminate_delay (x) for vrrp_track_process tp1 must be between [0.000001..3600] inclusive. Ignoring...",
            "negative number '-1'",
            "fork_delay (-1) for vrrp_track_process tp1 must be between [0.000001..3600] inclusive. Ignoring...",
        ]
    );
}

#[test]
fn vrrp_track_process_quorum_against_quorum_max() {
    let l = file(
        "vrrp_track_process tp1 {\n process sshd\n quorum_max 2\n quorum 3\n}\n\
         vrrp_track_process tp2 {\n process sshd\n quorum 3\n quorum_max 2\n}",
    );
    assert_eq!(
        msgs(&l),
        vec![
            "Quorum is greater than quorum_max - ignoring",
            "quorum_max is less than quorum - ignoring"
        ]
    );
    let p = &l.config.track_processes;
    assert_eq!((p[0].quorum, p[0].quorum_max), (1, 2));
    assert_eq!((p[1].quorum, p[1].quorum_max), (3, u32::MAX));
}

#[test]
fn vrrp_track_process_weight_errors() {
    let l = file("vrrp_track_process tp1 {\n process sshd\n weight\n weight 5 sideways\n}");
    assert_eq!(
        msgs(&l),
        vec![
            "No weight specified for track process tp1 - ignoring",
            "vrrp_track_process tp1 unknown weight option sideways"
        ]
    );
    assert_eq!(l.config.track_processes[0].weight, 5);
}

// ------------------------------------------------------------ vrrp_sync_group (§4.2)

fn group(l: &Loaded) -> &SyncGroup {
    &l.config.sync_groups[0]
}

#[test]
fn sync_group_all_keywords_stored() {
    let l = file(&format!(
        "{TRACKERS}{TWO}vrrp_sync_group G1 {{\n group {{\n VI_1\n VI_2\n }}\n track_interface {{\n eth1 weight 5\n }}\n\
         track_script {{\n chk weight 20\n }}\n track_file {{\n tf1 weight 2\n }}\n track_process {{\n tp1\n }}\n\
         notify_master /usr/bin/true\n notify_backup /usr/bin/true\n notify_fault /usr/bin/true\n notify_stop /usr/bin/true\n\
         notify \"/usr/bin/logger -t ka\"\n smtp_alert off\n sync_group_tracking_weight\n notify_priority_changes\n}}"
    ));
    clean(&l);
    let g = group(&l);
    assert_eq!(g.name, "G1");
    assert_eq!(g.members, vec!["VI_1", "VI_2"]);
    assert_eq!(g.track_interfaces[0].weight, 5);
    assert_eq!(
        (g.track_scripts[0].name.as_str(), g.track_scripts[0].weight),
        ("chk", 20)
    );
    assert_eq!(g.track_files[0].weight, 2);
    assert_eq!(g.track_processes[0].name, "tp1");
    assert!(g.notify.master.is_some() && g.notify.backup.is_some());
    assert!(g.notify.fault.is_some() && g.notify.stop.is_some());
    assert_eq!(
        g.notify.generic.as_ref().unwrap().argv,
        vec!["/usr/bin/logger", "-t", "ka"]
    );
    assert_eq!(g.smtp_alert, Some(false));
    assert!(g.tracking_weight);
    assert_eq!(g.notify_priority_changes, Some(true));
    assert_eq!(l.config.instances[0].sync_group.as_deref(), Some("G1"));
}

#[test]
fn sync_group_one_member_warning() {
    let l = file(&format!(
        "{TWO}vrrp_sync_group G1 {{\n group {{\n VI_1\n }}\n}}"
    ));
    assert_eq!(
        msgs(&l),
        vec!["Sync group G1 has only 1 virtual router(s) - this probably isn't what you want"]
    );
    assert_eq!(group(&l).members, vec!["VI_1"]);
    assert_eq!(l.config_test_exit_code(), 5);
}

#[test]
fn sync_group_unknown_member_ignored() {
    let l = file(&format!(
        "{TWO}vrrp_sync_group G1 {{\n group {{\n VI_1\n VI_9\n VI_2\n }}\n}}"
    ));
    assert_eq!(
        msgs(&l),
        vec!["Virtual router VI_9 specified in sync group G1 doesn't exist - ignoring"]
    );
    assert_eq!(group(&l).members, vec!["VI_1", "VI_2"]);
}

#[test]
fn sync_group_defined_before_its_instances() {
    let l = file(&format!(
        "vrrp_sync_group G1 {{\n group {{\n VI_1\n VI_2\n }}\n}}\n{TWO}"
    ));
    clean(&l);
    assert_eq!(group(&l).members.len(), 2);
}

#[test]
fn sync_group_one_line_group_block() {
    let l = file(&format!(
        "{TWO}vrrp_sync_group G1 {{\n group {{ VI_1 VI_2 }}\n}}"
    ));
    clean(&l);
    assert_eq!(group(&l).members, vec!["VI_1", "VI_2"]);
}

#[test]
fn sync_group_without_name_skipped() {
    let l = file(&format!(
        "{TWO}vrrp_sync_group {{\n group {{\n VI_1\n VI_2\n }}\n}}"
    ));
    assert_eq!(
        msgs(&l),
        vec!["vrrp_sync_group must have a name - skipping"]
    );
    assert!(l.config.sync_groups.is_empty());
}

#[test]
fn sync_group_duplicate_name_skipped() {
    let l = file(&format!(
        "{TWO}vrrp_sync_group G1 {{\n group {{\n VI_1\n VI_2\n }}\n}}\nvrrp_sync_group G1 {{\n group {{\n VI_1\n }}\n}}"
    ));
    assert_eq!(msgs(&l), vec!["vrrp sync group G1 already defined"]);
    assert_eq!(l.config.sync_groups.len(), 1);
    assert_eq!(group(&l).members.len(), 2);
}

#[test]
fn sync_group_member_of_two_groups() {
    let l = file(&format!(
        "{TWO}vrrp_sync_group G1 {{\n group {{\n VI_1\n VI_2\n }}\n}}\nvrrp_sync_group G2 {{\n group {{\n VI_1\n VI_2\n }}\n}}"
    ));
    assert_eq!(
        msgs(&l),
        vec![
            "Virtual router VI_1 cannot exist in more than one sync group; ignoring G2",
            "Virtual router VI_2 cannot exist in more than one sync group; ignoring G2",
            "Sync group G2, no matching virtual router found in group declaration - removing",
        ]
    );
    assert_eq!(l.config.sync_groups.len(), 1);
}

#[test]
fn sync_group_group_given_twice_skips_the_rest() {
    let l = file(&format!(
        "{TWO}vrrp_sync_group G1 {{\n group {{\n VI_1\n VI_2\n }}\n group {{\n VI_1\n }}\n smtp_alert\n}}"
    ));
    assert_eq!(
        msgs(&l),
        vec![
            "Group list already specified for sync group G1",
            "Unknown keyword 'smtp_alert'",
            "Unknown keyword '}'",
        ]
    );
    assert_eq!(group(&l).members.len(), 2);
    // (smtp_alert was read at top level; the default applies)
    assert_eq!(group(&l).smtp_alert, Some(false));
}

#[test]
fn sync_group_empty_group_removed() {
    let l = file(&format!("{TWO}vrrp_sync_group G1 {{\n group {{\n }}\n}}"));
    assert_eq!(
        msgs(&l),
        vec![
            "Warning - sync group G1 has empty group block",
            "Sync group G1 has no virtual router(s). removing"
        ]
    );
    assert!(l.config.sync_groups.is_empty());
}

#[test]
fn sync_group_invalid_values() {
    let l = file(&format!(
        "{TWO}vrrp_sync_group G1 {{\n group {{\n VI_1\n VI_2\n }}\n smtp_alert maybe\n notify_priority_changes 3\n\
         global_tracking\n notify_master /usr/bin/true\n notify_master /usr/bin/false\n notify /usr/bin/true\n\
         notify /usr/bin/false\n track_script {{\n nosuch\n }}\n}}"
    ));
    assert_eq!(
        msgs(&l),
        vec![
            "Invalid vrrp_group smtp_alert parameter maybe",
            "(G1) Invalid value '3' for sync group notify_priority_changes specified",
            "(G1) global_tracking is deprecated. Use track_interface/script/file on the sync group",
            "vrrp group G1: notify_master script already specified - ignoring /usr/bin/false",
            "vrrp group G1: notify script already specified - ignoring /usr/bin/false",
            "(G1) track script nosuch not found, ignoring...",
        ]
    );
    let g = group(&l);
    // the defaults apply
    assert_eq!(
        (g.smtp_alert, g.notify_priority_changes),
        (Some(false), None)
    );
    assert!(g.tracking_weight);
    assert_eq!(
        g.notify.master.as_ref().unwrap().argv,
        vec!["/usr/bin/true"]
    );
    assert!(g.track_scripts.is_empty());
}

#[test]
fn sync_group_track_interface_nonexistent_stops_vrrp() {
    let l = file(&format!(
        "{TWO}vrrp_sync_group G1 {{\n group {{\n VI_1\n VI_2\n }}\n track_interface {{\n eth9\n }}\n}}"
    ));
    assert_eq!(
        msgs(&l),
        vec!["(G1) tracked interface eth9 doesn't exist", NON_EXISTENT]
    );
}

#[test]
fn sync_group_member_tracker_weights_ignored() {
    let l = file(&format!(
        "{TRACKERS}vrrp_instance VI_1 {{\n interface eth0\n virtual_router_id 1\n virtual_ipaddress {{\n 10.0.0.1\n }}\n\
         track_script {{\n chk\n }}\n track_interface {{\n eth1 weight 5\n }}\n}}\n\
         vrrp_instance VI_2 {{\n interface eth0\n virtual_router_id 2\n virtual_ipaddress {{\n 10.0.0.2\n }}\n}}\n\
         vrrp_sync_group G1 {{\n group {{\n VI_1\n VI_2\n }}\n}}"
    ));
    assert_eq!(
        msgs(&l),
        vec![
            "(VI_1) ignoring eth1 tracked interface weight due to SYNC group",
            "(VI_1) ignoring tracked script chk with weights due to SYNC group",
        ]
    );
    assert_eq!(vi(&l).track_interfaces[0].weight, 0);
    // the weighted script is dropped from the member
    assert!(vi(&l).track_scripts.is_empty());
}

// ------------------------------------------------------------ garp_group

#[test]
fn garp_group_intervals_and_interfaces() {
    let l = file(
        "garp_group {\n garp_interval 0.5\n gna_interval 2\n interface eth0\n}\n\
         garp_group {\n garp_interval 1\n interfaces {\n eth1\n }\n}",
    );
    clean(&l);
    // (>= 1 s: "The gna_interval is very large" is logged only)
    assert_eq!(
        logs(&l),
        vec![
            "The gna_interval is very large - 2 seconds",
            "The garp_interval is very large - 1 seconds"
        ]
    );
    let g = &l.config.garp_groups;
    assert_eq!(g.len(), 2);
    assert_eq!(
        (g[0].garp_interval_us, g[0].gna_interval_us),
        (Some(500_000), Some(2_000_000))
    );
    assert_eq!(g[0].interfaces, vec!["eth0"]);
    assert_eq!(g[1].interfaces, vec!["eth1"]);
}

#[test]
fn garp_group_without_delay_removed() {
    // The number is keepalived's aggregation group: set only by an
    // `interfaces` block, 1 + the groups that already have one.
    let l = file(
        "garp_group {\n garp_interval 0.1\n interfaces {\n eth0\n }\n}\ngarp_group {\n interfaces {\n eth1\n }\n}",
    );
    assert_eq!(
        msgs(&l),
        vec!["garp group 2 does not have any delay set - removing"]
    );
    assert_eq!(l.config.garp_groups.len(), 1);
    assert_eq!(l.config_test_exit_code(), 5);
}

#[test]
fn garp_group_without_delay_aggregation_number() {
    let l = file("garp_group {\n interface eth0\n}");
    assert_eq!(
        msgs(&l),
        vec!["garp group 0 does not have any delay set - removing"]
    );
    let l = file(
        "garp_group {\n garp_interval 0.1\n interface eth0\n}\ngarp_group {\n interfaces {\n eth1\n }\n}",
    );
    assert_eq!(
        msgs(&l),
        vec!["garp group 1 does not have any delay set - removing"]
    );
}

#[test]
fn garp_group_invalid_intervals() {
    let l = file("garp_group {\n garp_interval x\n gna_interval -1\n interface eth0\n}");
    assert_eq!(
        msgs(&l),
        vec![
            "invalid number 'x'",
            "negative number '-1'",
            "garp_group gna_interval '-1' invalid",
        ]
    );
}

#[test]
fn garp_group_interface_nonexistent_stops_vrrp() {
    let l = file("garp_group {\n garp_interval 0.1\n interface eth9\n}");
    assert_eq!(
        msgs(&l),
        vec![
            "WARNING - interface eth9 specified for garp_group doesn't exist",
            NON_EXISTENT
        ]
    );
    let l = file("garp_group {\n garp_interval 0.1\n interfaces {\n eth9\n eth0\n }\n}");
    assert_eq!(
        msgs(&l),
        vec![
            "WARNING - interface eth9 specified for garp_group doesn't exist",
            NON_EXISTENT
        ]
    );
}

#[test]
fn garp_group_interface_already_in_a_group() {
    let l = file(
        "garp_group {\n garp_interval 0.1\n interface eth0\n}\ngarp_group {\n garp_interval 0.2\n interface eth0\n}",
    );
    assert_eq!(
        msgs(&l),
        vec!["garp_group already specified for eth0 - ignoring"]
    );
    assert!(l.config.garp_groups[1].interfaces.is_empty());
}

#[test]
fn garp_group_interfaces_already_in_a_group_names_second_word() {
    let l = file(
        "garp_group {\n garp_interval 0.1\n interface eth0\n}\ngarp_group {\n garp_interval 0.2\n interfaces {\n eth0\n eth1\n }\n}",
    );
    assert_eq!(
        msgs(&l),
        vec!["garp_group already specified for eth1 - ignoring"]
    );
}

#[test]
fn garp_group_empty_interfaces_block() {
    let l = file("garp_group {\n garp_interval 0.1\n interfaces {\n }\n}");
    assert_eq!(
        msgs(&l),
        vec!["Warning - empty garp_group interfaces block"]
    );
}

// ------------------------------------------------------------ static_ipaddress / routes / rules

#[test]
fn static_ipaddress_stored_with_default_interface() {
    let l = file(
        "static_ipaddress {\n 192.168.5.1/24 dev eth1 scope link\n 192.168.5.2/24\n 192.168.5.300\n}",
    );
    assert_eq!(
        msgs(&l),
        vec!["VRRP parsed invalid IP 192.168.5.300. skipping IP..."]
    );
    let s = &l.config.static_addresses;
    assert_eq!(s.len(), 2);
    assert_eq!((s[0].dev.as_deref(), s[0].scope), (Some("eth1"), 253));
    assert_eq!((s[1].addr, s[1].prefix), (ip("192.168.5.2"), 24));
    assert_eq!(s[1].dev.as_deref(), Some("eth0"));
    let l =
        file("global_defs {\n default_interface eth1\n}\nstatic_ipaddress {\n 192.168.5.2/24\n}");
    clean(&l);
    assert_eq!(l.config.static_addresses[0].dev.as_deref(), Some("eth1"));
}

#[test]
fn static_ipaddress_without_default_interface_fatal() {
    let l =
        file("global_defs {\n default_interface eth5\n}\nstatic_ipaddress {\n 192.168.5.2/24\n}");
    assert_eq!(
        msgs(&l),
        vec![
            "Static address 192.168.5.2/24 requires either an interface or default interface must exist",
            NON_EXISTENT
        ]
    );
    assert!(l.config.static_addresses.is_empty());
    assert_eq!(l.config_test_exit_code(), 4);
}

#[test]
fn static_ipaddress_without_default_interface_is_fatal_class() {
    // The part of the test above we give.
    let l =
        file("global_defs {\n default_interface eth5\n}\nstatic_ipaddress {\n 192.168.5.2/24\n}");
    let m = "Static address 192.168.5.2/24 requires either an interface or default interface must exist";
    assert_eq!(msgs(&l)[0], m);
    assert_eq!(class_of(&l, m), ErrClass::Fatal);
    assert!(l.config.static_addresses.is_empty());
    assert_eq!(l.config_test_exit_code(), 4);
}

#[test]
fn static_ipaddress_dev_nonexistent_stops_vrrp() {
    let l = file("static_ipaddress {\n 192.168.5.3 dev eth9\n}");
    assert_eq!(
        msgs(&l),
        vec![
            "WARNING - interface eth9 for ip address 192.168.5.3 doesn't exist",
            NON_EXISTENT
        ]
    );
}

#[test]
fn static_ipaddress_track_group() {
    let l = file(
        "track_group TG {\n group {\n VI_1\n }\n}\nstatic_ipaddress {\n 192.168.5.1/24 dev eth0 track_group TG\n\
         192.168.5.2/24 dev eth0 track_group TX\n 192.168.5.4/24 track_group\n}",
    );
    assert_eq!(
        msgs(&l),
        vec![
            "track_group TX not found",
            "No track_group parameter specified for 192.168.5.4/24"
        ]
    );
    assert_eq!(l.config.static_addresses.len(), 2);
}

#[test]
fn static_ipaddress_track_group_duplicate() {
    let l = file(
        "track_group TG {\n group {\n VI_1\n }\n}\nstatic_ipaddress {\n 192.168.5.3/24 dev eth0 track_group TG track_group TG\n}",
    );
    assert_eq!(msgs(&l), vec!["track_group TG is a duplicate"]);
    assert_eq!(l.config.static_addresses.len(), 1);
}

#[test]
fn static_routes_stored_and_nonexistent_dev() {
    let l = file("static_routes {\n 192.168.6.0/24 via 10.0.0.254 dev eth0\n}");
    clean(&l);
    let r = &l.config.static_routes[0];
    assert_eq!((r.dst, r.dst_len), (ip("192.168.6.0"), 24));
    assert_eq!(r.via, Some(ip("10.0.0.254")));
    assert_eq!(r.dev.as_deref(), Some("eth0"));
    let l = file("static_routes {\n 192.168.7.0/24 dev eth9\n}");
    assert_eq!(
        msgs(&l),
        vec![
            "WARNING - interface eth9 for VROUTE nexthop doesn't exist",
            NON_EXISTENT
        ]
    );
}

#[test]
fn static_rules_stored_and_messages() {
    let l = file("static_rules {\n from 192.168.8.0/24 table 100\n to bogus table 100\n}");
    assert_eq!(
        msgs(&l),
        vec![
            "Rule has no preference specified - setting to 16384. This is probably not what you want.",
            "VRRP parsed invalid IP bogus. skipping IP...",
            "Invalid rule to address bogus",
        ]
    );
    let r = &l.config.static_rules;
    assert_eq!(r.len(), 1);
    assert_eq!(r[0].from, Some((ip("192.168.8.0"), 24)));
    assert_eq!((r[0].table, r[0].preference), (100, 16384));
}

#[test]
fn virtual_routes_and_rules_in_instance() {
    let l = inst(
        " virtual_routes {\n 192.168.6.0/24 via 10.0.0.254 dev eth0\n }\n virtual_rules {\n from 192.168.8.0/24 table 100 priority 100\n }",
    );
    clean(&l);
    assert_eq!(vi(&l).vroutes.len(), 1);
    assert_eq!(vi(&l).vrules.len(), 1);
    assert_eq!(vi(&l).vrules[0].preference, 100);
}

// ------------------------------------------------------------ track_group

#[test]
fn track_group_stored() {
    let l = file("track_group TG {\n group {\n VI_1\n VI_2\n }\n}");
    clean(&l);
    assert_eq!(l.config.track_groups, vec!["TG"]);
}

#[test]
fn track_group_errors() {
    let l = file(
        "track_group {\n group {\n VI_1\n }\n}\ntrack_group TG {\n group {\n }\n}\ntrack_group TG {\n group {\n VI_1\n }\n}",
    );
    assert_eq!(
        msgs(&l),
        vec![
            "track_group must have a name - skipping",
            "Warning - track group TG has empty group block",
            "track_group TG already defined",
        ]
    );
    assert_eq!(l.config.track_groups, vec!["TG"]);
}

// ------------------------------------------------------------ linkbeat_interfaces

#[test]
fn linkbeat_interfaces_stored() {
    let l = file("linkbeat_interfaces {\n eth0\n eth1 MII\n}");
    clean(&l);
    assert_eq!(l.config.linkbeat_interfaces, vec!["eth0", "eth1"]);
}

#[test]
fn linkbeat_interfaces_errors() {
    let l = file("linkbeat_interfaces {\n eth9\n eth0 FOO\n eth1 MII x\n}");
    assert_eq!(
        msgs(&l),
        vec![
            "unknown interface eth9 specified for linkbeat interface",
            "extra characters FOO in linkbeat interface",
            "extra characters MII in linkbeat interface",
        ]
    );
    assert_eq!(
        class_of(
            &l,
            "unknown interface eth9 specified for linkbeat interface"
        ),
        ErrClass::Fatal
    );
    assert_eq!(l.config.linkbeat_interfaces, vec!["eth0", "eth1"]);
    assert_eq!(l.config_test_exit_code(), 5);
}

// ------------------------------------------------------------ interface_up_down_delays

#[test]
fn interface_up_down_delays_stored() {
    let l = file("interface_up_down_delays {\n eth0 2\n eth1 1.5 3\n}");
    clean(&l);
    assert_eq!(
        l.config.interface_delays,
        vec![
            ("eth0".to_string(), 2_000_000, 0),
            ("eth1".to_string(), 1_500_000, 3_000_000)
        ]
    );
}

#[test]
fn interface_up_down_delays_errors() {
    let l =
        file("interface_up_down_delays {\n eth9 1\n eth0\n eth1 300\n eth0 1 x\n eth1 1 2 3\n}");
    assert_eq!(
        msgs(&l),
        vec![
            "unknown interface eth9 specified for up/down delay",
            "number '300' outside range [0.000000, 255.000000]",
            "invalid number 'x'",
        ]
    );
    assert_eq!(
        logs(&l),
        vec![
            "No timeouts specified for eth0 up/down delays",
            "Invalid down delay 300 for eth1",
            "Too many parameters for eth1 up/down delays",
        ]
    );
    // keepalived's read_decimal accepts a non-number as 0 when 0 is in range
    // (after its "invalid number" message): `eth0 1 x` is a 0 up delay.
    assert_eq!(
        l.config.interface_delays,
        vec![
            ("eth0".to_string(), 1_000_000, 0),
            ("eth1".to_string(), 1_000_000, 2_000_000)
        ]
    );
}

// ------------------------------------------------------------ more notify / vrf / group cases

#[test]
fn notify_other_scripts_already_specified() {
    let l = inst(
        " notify /usr/bin/true\n notify /usr/bin/false\n notify_master_rx_lower_pri /usr/bin/true\n\
         notify_master_rx_lower_pri /usr/bin/false\n notify_stop /usr/bin/true\n notify_stop /usr/bin/false",
    );
    assert_eq!(
        msgs(&l),
        vec![
            "(VI_1) notify script already specified - ignoring /usr/bin/false",
            "(VI_1) notify_master_rx_lower_pri script already specified - ignoring /usr/bin/false",
            "(VI_1) notify_stop script already specified - ignoring /usr/bin/false",
        ]
    );
}

#[test]
fn notify_repeated_without_script_is_missing_parameter() {
    let l = inst(" notify_master /usr/bin/true\n notify_master");
    assert_eq!(msgs(&l), vec![missing("notify_master")]);
    assert_eq!(l.config_test_exit_code(), 2);
    let l = file(&format!(
        "{TWO}vrrp_sync_group G1 {{\n group {{\n VI_1\n VI_2\n }}\n notify /usr/bin/true\n notify\n}}"
    ));
    assert_eq!(msgs(&l), vec![missing("notify")]);
    assert_eq!(l.config_test_exit_code(), 2);
}

#[test]
fn notify_script_without_script_security_is_a_violation() {
    let l = raw(
        "vrrp_instance VI_1 {\n interface eth0\n virtual_router_id 1\n virtual_ipaddress {\n 10.0.0.1\n }\n notify_master /usr/bin/true\n}\n",
    );
    assert_eq!(
        msgs(&l),
        vec!["SECURITY VIOLATION - scripts are being executed but script_security not enabled."]
    );
    assert!(vi(&l).notify.master.is_some());
    assert_eq!(l.config_test_exit_code(), 6);
}

#[test]
fn sync_group_track_bfd_not_found() {
    let l = file(&format!(
        "{TWO}vrrp_sync_group G1 {{\n group {{\n VI_1\n VI_2\n }}\n track_bfd {{\n b1\n }}\n}}"
    ));
    assert_eq!(msgs(&l), vec!["(G1) track bfd b1 not found, ignoring..."]);
    assert!(group(&l).track_bfds.is_empty());
}

/// VI_1 without `interface`, then `lines`.
fn no_if(lines: &str) -> Loaded {
    file(&format!(
        "vrrp_instance VI_1 {{\n virtual_router_id 1\n virtual_ipaddress {{\n 10.0.0.1\n }}\n{lines}\n}}"
    ))
}

#[test]
fn vrf_then_interface_cleared() {
    let l = no_if(" vrf eth1\n interface eth0");
    assert_eq!(
        msgs(&l),
        vec!["(VI_1) vrf can only be specified without interface - clearing"]
    );
}

#[test]
fn vrf_already_specified() {
    let l = no_if(" vrf eth1\n vrf eth0\n interface eth0");
    assert_eq!(
        msgs(&l),
        vec![
            "(VI_1) VRF interface already specified as 'eth1' - ignoring",
            "(VI_1) vrf can only be specified without interface - clearing"
        ]
    );
}

#[test]
fn vrf_loopback_rejected() {
    let l = no_if(" vrf lo\n interface eth0");
    assert_eq!(
        msgs(&l),
        vec!["(VI_1) cannot use a loopback interface (lo) for VRF - ignoring"]
    );
}

#[test]
fn vrf_nonexistent_stops_vrrp() {
    let l = no_if(" vrf eth9\n interface eth0");
    assert_eq!(
        msgs(&l),
        vec![
            "(VI_1) WARNING - VRF interface eth9 doesn't exist",
            NON_EXISTENT
        ]
    );
}

#[test]
fn vrf_nonexistent_warning() {
    // The part of vrf_nonexistent_stops_vrrp we give.
    let l = no_if(" vrf eth9\n interface eth0");
    assert_eq!(
        msgs(&l)[0],
        "(VI_1) WARNING - VRF interface eth9 doesn't exist"
    );
}

#[test]
#[ignore = "keepalived -t reads the file in passes: global_defs (first, once), the checker pass (track_file only, on the VRRP side), then the VRRP pass; messages come pass by pass. We read once, in file order"]
fn messages_come_in_keepalived_pass_order() {
    let l = file(
        "vrrp_instance VI_1 {\n interface eth0\n virtual_router_id 1\n priority 0\n virtual_ipaddress {\n 10.0.0.1\n }\n}\n\
         track_file tf1 {\n weight 3\n}\nglobal_defs {\n vrrp_garp_master_repeat x\n}",
    );
    assert_eq!(
        msgs(&l),
        vec![
            "invalid number 'x'",
            "vrrp_garp_master_repeat 'x' invalid - ignoring",
            "No file set for track_file tf1 - ignoring",
            "number '0' outside range [1, 255]",
            "(VI_1) Priority not valid! must be between 1 & 255. Using default 100",
            "No file set for track_file tf1 - ignoring",
        ]
    );
}

#[test]
fn lists_not_configured_take_no_room() {
    // the lists kept Rare (and the notify scripts) stay unset through the
    // parse and validation, sync group merges included
    let l = file(
        "vrrp_track_file tf {\n file /tmp/tf\n}\n\
         vrrp_sync_group G {\n group {\n  VI_1\n  VI_2\n }\n track_file {\n  tf\n }\n}\n\
         vrrp_instance VI_1 {\n interface eth0\n virtual_router_id 1\n virtual_ipaddress {\n  10.0.0.1\n }\n}\n\
         vrrp_instance VI_2 {\n interface eth0\n virtual_router_id 2\n virtual_ipaddress {\n  10.0.0.2\n }\n}\n",
    );
    assert_eq!(l.config.instances.len(), 2);
    for i in &l.config.instances {
        assert!(!i.notify.is_set(), "{}", i.name);
        assert!(!i.evips.is_set(), "{}", i.name);
        assert!(!i.vroutes.is_set(), "{}", i.name);
        assert!(!i.vrules.is_set(), "{}", i.name);
        assert!(!i.track_files.is_set(), "{}", i.name);
        assert!(!i.track_processes.is_set(), "{}", i.name);
        assert!(!i.track_bfds.is_set(), "{}", i.name);
        assert!(!i.vrf.is_set(), "{}", i.name);
        assert!(!i.disabled.is_set(), "{}", i.name);
        assert!(!i.kernel_rx_buf_size.is_set(), "{}", i.name);
    }
}

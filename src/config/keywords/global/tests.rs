//! Tests of the global_defs keywords against keepalived 2.2.7's texts.
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
fn v3_checksum_as_v2_global_ignores_its_arguments() {
    // keepalived 2.2.8+ global_parser.c: no argument is read, even `off` sets it
    assert!(!gd("").config.global.v3_checksum_as_v2);
    for line in [
        "v3_checksum_as_v2",
        "v3_checksum_as_v2 off",
        "v3_checksum_as_v2 x y",
    ] {
        let l = gd(line);
        assert!(msgs(&l).is_empty(), "{line}: {:?}", msgs(&l));
        assert!(l.config.global.v3_checksum_as_v2, "{line}");
    }
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

    let cpus = i64::from(crate::config::host::Host::online_cpus(
        &crate::config::host::FakeHost::default(),
    ));
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

    let l = gd("lvs_sync_daemon abcdefghijklmnop\nlvs_sync_daemon eth0 id\nlvs_sync_daemon eth1");
    assert_eq!(
        msgs(&l),
        vec![
            "lvs_sync_daemon interface name 'abcdefghijklmnop' too long - ignoring",
            "No value specified for lvs_sync_daemon id, defaulting to vrid",
            "lvs_sync_daemon has already been specified as eth0  - ignoring",
        ]
    );
    let l =
        gd("lvs_sync_daemon eth0 id 300 maxlen 0 port 0 ttl 0 group 1.2.3.4 group x inst a inst b");
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
        // keepalived stops after the parse when an include check failed:
        // `-t` exits 6 (verified with includea on keepalived 2.2.7).
        assert_eq!(l.config_test_exit_code(), 6, "include_check {set}");
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
    assert_eq!(crate::config::values::inet_aton("127.1"), Some(0x7f00_0001));
    assert_eq!(
        crate::config::values::inet_aton("0x7f000001"),
        Some(0x7f00_0001)
    );
    assert_eq!(crate::config::values::inet_aton("256.1.1.1"), None);
    assert_eq!(
        super::inet_pton_ka("224.0.0.1-5"),
        Some("224.0.0.1".parse().unwrap())
    );
}

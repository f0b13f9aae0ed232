//! The dump against keepalived 2.2.7's own (shared evidence
//! `keepalived.json`, written for `conf-a3.conf` just after start-up), and
//! the writer's escaping. The output is read back with serde_json, a parser
//! independent of the writer.

use super::*;
use crate::config::fs::memfs::MemFs;
use crate::config::host::FakeHost;
use crate::config::{LoadOptions, load};
use crate::time::Instant;
use crate::vrrp::engine::StaticInterfaces;
use serde_json::Value;
use std::rc::Rc;

/// The shared evidence's `conf-a3.conf` (node A of the v3 pair).
const CONF_A3: &str = "global_defs {
   router_id nodeA
   vrrp_version 3
}
vrrp_instance VI_3 {
    interface kv0
    virtual_router_id 52
    priority 200
    advert_int 0.5
    virtual_ipaddress {
        10.99.0.200/24
        10.99.0.201/32
    }
    virtual_ipaddress_excluded {
        10.99.0.202
    }
}
vrrp_instance VI_6 {
    interface kv0
    virtual_router_id 53
    priority 200
    advert_int 0.5
    virtual_ipaddress {
        fe80::53
        2001:db8::53/64
    }
}
";

/// keepalived 2.2.7's `keepalived.json` for `CONF_A3`, both instances in
/// BACKUP after start-up (shared evidence, byte for byte).
const EVIDENCE: &str = concat!(
    r#"[{"data":{"iname":"VI_3","dont_track_primary":0,"skip_check_adv_addr":0,"strict_mode":0,"vmac_ifname":"","ifp_ifname":"kv0","master_priority":0,"last_transition":1795592897.328047,"garp_delay":5,"garp_refresh":0,"garp_rep":5,"garp_refresh_rep":1,"garp_lower_prio_delay":5,"garp_lower_prio_rep":5,"lower_prio_no_advert":0,"higher_prio_send_advert":0,"vrid":52,"base_priority":200,"effective_priority":200,"vipset":false,"promote_secondaries":false,"adver_int":0.5,"master_adver_int":0.5,"accept":1,"nopreempt":false,"preempt_delay":0,"state":1,"wantstate":1,"version":3,"smtp_alert":false,"notify_deleted":false,"vips":["10.99.0.200\/24 dev kv0 scope global","10.99.0.201 dev kv0 scope global"],"evips":["10.99.0.202 dev kv0 scope global"],"auth_type":0},"stats":{"advert_rcvd":0,"advert_sent":0,"become_master":0,"release_master":0,"packet_len_err":0,"advert_interval_err":0,"ip_ttl_err":0,"invalid_type_rcvd":0,"addr_list_err":0,"invalid_authtype":0,"authtype_mismatch":0,"auth_failure":0,"pri_zero_rcvd":0,"pri_zero_sent":0}},"#,
    r#"{"data":{"iname":"VI_6","dont_track_primary":0,"skip_check_adv_addr":0,"strict_mode":0,"vmac_ifname":"","ifp_ifname":"kv0","master_priority":0,"last_transition":1795592897.328224,"garp_delay":5,"garp_refresh":0,"garp_rep":5,"garp_refresh_rep":1,"garp_lower_prio_delay":5,"garp_lower_prio_rep":5,"lower_prio_no_advert":0,"higher_prio_send_advert":0,"vrid":53,"base_priority":200,"effective_priority":200,"vipset":false,"promote_secondaries":false,"adver_int":0.5,"master_adver_int":0.5,"accept":1,"nopreempt":false,"preempt_delay":0,"state":1,"wantstate":1,"version":3,"smtp_alert":false,"notify_deleted":false,"vips":["fe80::53 dev kv0 scope global deprecated","2001:db8::53\/64 dev kv0 scope global preferred_lft forever"],"auth_type":0},"stats":{"advert_rcvd":0,"advert_sent":0,"become_master":0,"release_master":0,"packet_len_err":0,"advert_interval_err":0,"ip_ttl_err":0,"invalid_type_rcvd":0,"addr_list_err":0,"invalid_authtype":0,"authtype_mismatch":0,"auth_failure":0,"pri_zero_rcvd":0,"pri_zero_sent":0}}]"#,
    "\n"
);

/// keepalived 2.2.7's `data` keys in its order (vrrp_json.c); the optional
/// ones (scripts, lists, auth_data) only when set.
const DATA_KEYS: &[&str] = &[
    "iname",
    "dont_track_primary",
    "skip_check_adv_addr",
    "strict_mode",
    "vmac_ifname",
    "ifp_ifname",
    "master_priority",
    "last_transition",
    "garp_delay",
    "garp_refresh",
    "garp_rep",
    "garp_refresh_rep",
    "garp_lower_prio_delay",
    "garp_lower_prio_rep",
    "lower_prio_no_advert",
    "higher_prio_send_advert",
    "vrid",
    "base_priority",
    "effective_priority",
    "vipset",
    "promote_secondaries",
    "adver_int",
    "master_adver_int",
    "accept",
    "nopreempt",
    "preempt_delay",
    "state",
    "wantstate",
    "version",
    "smtp_alert",
    "notify_deleted",
    "script_backup",
    "script_master",
    "script_fault",
    "script_stop",
    "script_deleted",
    "script",
    "script_master_rx_lower_pri",
    "vips",
    "evips",
    "vroutes",
    "vrules",
    "track_ifp",
    "track_script",
    "auth_type",
    "auth_data",
];

fn config(text: &str) -> Config {
    let mut fs = MemFs::new();
    fs.add("/k.conf", text);
    let mut host = FakeHost::with_interfaces(&["kv0", "kv1"]);
    for exe in ["/bin/notify", "/bin/check"] {
        host.files.push((
            exe.into(),
            crate::config::host::Owner {
                uid: 0,
                gid: 0,
                mode: 0o100755,
            },
        ));
    }
    let loaded = load(&fs, Rc::new(host), "/k.conf", &LoadOptions::default());
    loaded.config
}

/// The engine for `cfg` on kv0 (10.99.0.1, fe80::1), started, its actions drained.
fn started(cfg: &Config) -> (Engine, Vec<usize>) {
    let ifs = StaticInterfaces(vec![
        ("kv0".into(), "10.99.0.1".parse().expect("a")),
        ("kv0".into(), "fe80::1".parse().expect("a")),
    ]);
    let mut e = Engine::new(cfg, &ifs);
    e.start(Instant::ZERO);
    while e.poll_action().is_some() {}
    let cfg_of = e
        .instances()
        .iter()
        .map(|i| {
            cfg.instances
                .iter()
                .position(|c| c.name == i.p.name)
                .expect("configured")
        })
        .collect();
    (e, cfg_of)
}

fn parse(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("not JSON ({e}):\n{text}"))
}

fn keys(v: &Value) -> Vec<&str> {
    v.as_object()
        .expect("an object")
        .keys()
        .map(String::as_str)
        .collect()
}

/// `keys` is in keepalived's order (a subsequence of `DATA_KEYS`).
fn assert_keepalived_order(keys: &[&str]) {
    let mut at = 0;
    for k in keys {
        match DATA_KEYS[at..].iter().position(|d| d == k) {
            Some(p) => at += p + 1,
            None => panic!("key {k} unknown or out of keepalived's order: {keys:?}"),
        }
    }
}

#[test]
fn equals_keepalived_for_the_evidence_configuration() {
    let cfg = config(CONF_A3);
    let (e, cfg_of) = started(&cfg);
    assert!(e.instances().iter().all(|i| i.state == State::Backup));
    let observed = [
        Observed {
            last_transition: 1_795_592_897.328_047,
            vipset: false,
        },
        Observed {
            last_transition: 1_795_592_897.328_224,
            vipset: false,
        },
    ];
    let ours = render(&cfg, &e, &cfg_of, &observed);
    // field by field, as parsed JSON: names, order, types and values
    let (a, b) = (parse(&ours), parse(EVIDENCE));
    let (a, b) = (a.as_array().expect("array"), b.as_array().expect("array"));
    assert_eq!(a.len(), b.len());
    for (x, y) in a.iter().zip(b) {
        assert_eq!(keys(x), ["data", "stats"]);
        for part in ["data", "stats"] {
            assert_eq!(keys(&x[part]), keys(&y[part]), "{part} keys");
            for k in keys(&y[part]) {
                assert_eq!(x[part][k], y[part][k], "{part}.{k}");
            }
        }
        assert_keepalived_order(&keys(&x["data"]));
    }
    // and byte for byte, `\/` and the final newline included
    assert_eq!(ours, EVIDENCE);
}

#[test]
fn a_master_shows_its_addresses_set() {
    let cfg = config(CONF_A3);
    let (mut e, cfg_of) = started(&cfg);
    for _ in 0..20 {
        if e.instances().iter().all(|i| i.state == State::Master) {
            break;
        }
        let t = e.poll_timeout().expect("a deadline");
        e.handle_timeout(t);
        while e.poll_action().is_some() {}
    }
    let observed = [Observed {
        last_transition: 1_700_000_000.5,
        vipset: true,
    }; 2];
    let v = parse(&render(&cfg, &e, &cfg_of, &observed));
    let d = &v[0]["data"];
    assert_eq!(d["state"], 2);
    assert_eq!(d["wantstate"], 2);
    assert_eq!(d["vipset"], true);
    assert_eq!(d["last_transition"].as_f64(), Some(1_700_000_000.5));
    assert_eq!(
        d["vips"],
        serde_json::json!([
            "10.99.0.200/24 dev kv0 scope global set",
            "10.99.0.201 dev kv0 scope global set"
        ])
    );
    assert_eq!(d["evips"][0], "10.99.0.202 dev kv0 scope global set");
    assert_eq!(v[0]["stats"]["become_master"], 1);
    assert!(v[0]["stats"]["advert_sent"].as_u64() > Some(0));
    // observations missing for an instance: never changed, nothing set
    let v = parse(&render(&cfg, &e, &cfg_of, &[]));
    assert_eq!(v[1]["data"]["last_transition"].as_f64(), Some(0.0));
    assert_eq!(v[1]["data"]["vipset"], false);
}

#[test]
fn every_optional_field_in_keepalived_order_and_type() {
    let cfg = config(
        r#"global_defs {
    script_user root
}
vrrp_script chk {
    script "/bin/check --quiet"
    interval 1
}
vrrp_instance VI_1 {
    interface kv0
    virtual_router_id 7
    priority 150
    advert_int 2
    preempt_delay 3
    garp_master_refresh 60
    garp_master_refresh_repeat 2
    authentication {
        auth_type PASS
        auth_pass se/cret
    }
    notify_backup "/bin/notify backup"
    notify_master "/bin/notify master"
    notify_fault /bin/notify
    notify_stop /bin/notify
    notify_deleted /bin/notify
    notify /bin/notify
    notify_master_rx_lower_pri /bin/notify
    track_interface {
        kv1 weight -10
    }
    track_script {
        chk
    }
    virtual_ipaddress {
        10.99.0.50/24 dev kv1
    }
    virtual_routes {
        10.50.0.0/16 via 10.99.0.254 dev kv0
    }
    virtual_rules {
        from 10.99.0.50 table 100 priority 100
    }
}
"#,
    );
    let (e, cfg_of) = started(&cfg);
    let text = render(&cfg, &e, &cfg_of, &[]);
    let v = parse(&text);
    let d = &v[0]["data"];
    let k = keys(d);
    assert_keepalived_order(&k);
    for want in DATA_KEYS {
        // no eVIPs here: the one list left out
        assert_eq!(k.contains(want), *want != "evips", "{want} in {k:?}");
    }
    assert_eq!(d["script_backup"], "'/bin/notify' 'backup'");
    assert_eq!(d["script_deleted"], "'/bin/notify'");
    assert_eq!(
        d["track_script"],
        serde_json::json!(["'/bin/check' '--quiet'"])
    );
    assert_eq!(d["track_ifp"], serde_json::json!(["kv1"]));
    assert_eq!(d["vips"][0], "10.99.0.50/24 dev kv1 scope global");
    assert_eq!(
        d["vroutes"][0],
        "prepend 10.50.0.0/16 via inet 10.99.0.254 dev kv0 proto 18"
    );
    assert_eq!(
        d["vrules"][0],
        "from 10.99.0.50 priority 100 tos 0x0 protocol 18 lookup 100"
    );
    assert_eq!(d["auth_type"], 1);
    assert_eq!(d["auth_data"], "se/cret");
    assert!(text.contains(r#""auth_data":"se\/cret""#), "{text}");
    assert_eq!(d["nopreempt"], false);
    assert_eq!(d["preempt_delay"], 3);
    assert_eq!(d["adver_int"], 2);
    assert!(
        text.contains(r#""adver_int":2,"master_adver_int":2,"#),
        "{text}"
    );
    assert_eq!(d["garp_refresh"], 60);
    assert_eq!(d["garp_refresh_rep"], 2);
    assert_eq!(d["version"], 2);
    assert_eq!(d["notify_deleted"], true);
    // types as keepalived's: numbers, booleans, strings
    for key in [
        "dont_track_primary",
        "accept",
        "state",
        "garp_lower_prio_delay",
    ] {
        assert!(d[key].is_u64(), "{key}");
    }
    for key in ["vipset", "promote_secondaries", "nopreempt", "smtp_alert"] {
        assert!(d[key].is_boolean(), "{key}");
    }
    assert_eq!(keys(&v[0]["stats"]).len(), 14);
}

#[test]
fn strings_are_escaped_into_valid_json() {
    let mut all: String = (0u8..0x20).map(char::from).collect();
    all.push_str("\"\\/ é ☃ \u{7f}");
    let mut w = JsonWriter::new();
    w.start_object();
    w.string_field(&all, &all);
    w.name("list");
    w.start_array();
    w.string("a/b");
    w.string("");
    w.end_array();
    w.end_object();
    let text = w.finish();
    assert!(text.ends_with("}\n"));
    // no raw control character left
    assert!(
        !text.trim_end().chars().any(|c| (c as u32) < 0x20),
        "{text:?}"
    );
    let v = parse(&text);
    assert_eq!(v[all.as_str()], Value::String(all.clone()));
    assert_eq!(v["list"], serde_json::json!(["a/b", ""]));
    let mut w = JsonWriter::new();
    w.string("\"\\/\u{8}\u{c}\n\r\t\u{1}\u{1f}");
    assert_eq!(w.finish(), "\"\\\"\\\\\\/\\b\\f\\n\\r\\t\\u0001\\u001f\"\n");
}

#[test]
fn numbers_as_keepalived_prints_them_and_non_finite_as_null() {
    let mut w = JsonWriter::new();
    w.start_array();
    w.float_g(0.5);
    w.float_g(5.0);
    w.float_g(40.95);
    w.float_fixed6(1_795_592_897.328_047);
    w.float_fixed6(0.0);
    w.uint(u64::MAX);
    w.bool(true);
    w.float_g(f64::NAN);
    w.float_g(f64::INFINITY);
    w.float_fixed6(f64::NEG_INFINITY);
    w.end_array();
    let text = w.finish();
    assert_eq!(
        text,
        "[0.5,5,40.95,1795592897.328047,0.000000,18446744073709551615,true,null,null,null]\n"
    );
    parse(&text);
}

#[test]
fn empty_and_nested_containers() {
    let mut w = JsonWriter::new();
    w.start_array();
    w.start_object();
    w.end_object();
    w.start_array();
    w.end_array();
    w.start_object();
    w.name("a");
    w.start_object();
    w.uint_field("b", 1);
    w.end_object();
    w.bool_field("c", false);
    w.end_object();
    w.end_array();
    assert_eq!(w.finish(), "[{},[],{\"a\":{\"b\":1},\"c\":false}]\n");
}

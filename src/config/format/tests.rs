//! The text forms against keepalived 2.2.7's: the evidence's address
//! strings byte for byte, and the forms keepalived's format functions give
//! for routes and rules (`compat-tests/test_daemon.py` compares them with a
//! running keepalived).

use super::*;
use crate::config::fs::memfs::MemFs;
use crate::config::host::FakeHost;
use crate::config::model::{Config, Family};
use crate::config::{LoadOptions, load};
use std::rc::Rc;

/// One instance on kv0 with `body` added; the configuration, whatever the
/// messages (some items here are warned about by design).
fn config(body: &str) -> Config {
    let text = format!(
        "vrrp_instance VI_1 {{\n interface kv0\n virtual_router_id 1\n virtual_ipaddress {{\n  10.99.0.1\n }}\n{body}\n}}\n"
    );
    let mut fs = MemFs::new();
    fs.add("/k.conf", &text);
    let host = FakeHost::with_interfaces(&["kv0", "kv1"]);
    load(&fs, Rc::new(host), "/k.conf", &LoadOptions::default()).config
}

fn vips(lines: &str) -> Vec<String> {
    let c = config(&format!(" virtual_ipaddress_excluded {{\n{lines}\n }}"));
    let i = &c.instances[0];
    i.evips
        .iter()
        .map(|a| format_ipaddress(a, a.dev.as_deref().unwrap_or("kv0"), false))
        .collect()
}

#[test]
fn addresses_of_the_evidence() {
    // keepalived.json of conf-a3.conf (VI_3 and VI_6), byte for byte
    assert_eq!(
        vips("10.99.0.200/24\n10.99.0.201/32\n10.99.0.202\nfe80::53\n2001:db8::53/64"),
        [
            "10.99.0.200/24 dev kv0 scope global",
            "10.99.0.201 dev kv0 scope global",
            "10.99.0.202 dev kv0 scope global",
            "fe80::53 dev kv0 scope global deprecated",
            "2001:db8::53/64 dev kv0 scope global preferred_lft forever",
        ]
    );
}

#[test]
fn address_options_in_keepalived_order() {
    assert_eq!(
        vips(
            "10.1.2.3/24 no_track label kv1:v scope link dev kv1 brd +\n\
             10.1.2.4 peer 10.1.2.5 home\n\
             2001:db8::9/64 noprefixroute preferred_lft 30 -nodad\n\
             2001:db8::a preferred_lft forever autojoin mngtmpaddr\n\
             10.1.2.6/24 scope 7"
        ),
        [
            "10.1.2.3/24 brd 10.1.2.255 dev kv1 scope link label kv1:v no_track",
            "10.1.2.4 dev kv0 scope global peer 10.1.2.5/32 home",
            "2001:db8::9/64 dev kv0 scope global -nodad noprefixroute preferred_lft 30",
            "2001:db8::a dev kv0 scope global mngtmpaddr autojoin preferred_lft forever",
            "10.1.2.6/24 dev kv0 scope 7",
        ]
    );
    let c = config("");
    assert_eq!(
        format_ipaddress(&c.instances[0].vips[0], "kv0", true),
        "10.99.0.1 dev kv0 scope global set"
    );
}

fn routes(lines: &str) -> Vec<String> {
    let c = config(&format!(" virtual_routes {{\n{lines}\n }}"));
    c.instances[0].vroutes.iter().map(format_iproute).collect()
}

#[test]
fn routes_as_keepalived_formats_them() {
    assert_eq!(
        routes(
            "10.0.0.0/8 via 10.99.0.254 dev kv0\n\
             192.168.5.0/24 via 10.99.0.254\n\
             blackhole 10.8.0.0/16 table 100 metric 5 no_track\n\
             ::/0 via fe80::1 dev kv0\n\
             10.9.0.0/16 src 10.99.0.1 dev kv0 scope 253 onlink append\n\
             10.6.0.0/16 nexthop via 10.99.0.1 dev kv0 weight 2 nexthop via 10.99.0.2 dev kv1"
        ),
        [
            "prepend 10.0.0.0/8 via inet 10.99.0.254 dev kv0 proto 18",
            "prepend 192.168.5.0/24 via inet 10.99.0.254 proto 18 no_track",
            "prepend blackhole 10.8.0.0/16 table 100 metric 5 no_track",
            "prepend ::/0 via inet6 fe80::1 dev kv0 proto 18",
            "append 10.9.0.0/16 src 10.99.0.1 dev kv0 proto 18 scope 253 onlink",
            "prepend 10.6.0.0/16 proto 18 nexthop via inet 10.99.0.1 dev kv0 weight 2 nexthop via inet 10.99.0.2 dev kv1 no_track",
        ]
    );
}

#[test]
fn route_metrics_times_and_locks() {
    let r = RouteSpec {
        dst: "10.5.0.0".parse().expect("a"),
        dst_len: 16,
        dev: Some("kv0".into()),
        protocol: Some(18),
        add_mode: RouteAddMode::Add,
        // kernel units: rtt 1/8 ms, rttvar 1/4 ms, rto_min ms
        rtt: Some(800),
        rttvar: Some(8000),
        rto_min: Some(1500),
        mtu: Some(1400),
        window: Some(10),
        ssthresh: Some(3),
        cwnd: Some(4),
        advmss: Some(1360),
        reordering: Some(5),
        hoplimit: Some(64),
        initcwnd: Some(6),
        initrwnd: Some(7),
        quickack: Some(1),
        congctl: Some("cubic".into()),
        features_ecn: true,
        expires: Some(30),
        realms: Some((2 << 16) | 3),
        lock: (1 << RTAX_RTTVAR) | (1 << RTAX_MTU) | (1 << RTAX_CC_ALGO) | (1 << RTAX_CWND),
        ..RouteSpec::default()
    };
    assert_eq!(
        format_iproute(&r),
        "add 10.5.0.0/16 dev kv0 proto 18 realms 2/3 expires 30sec congctl cubiclock  rtt 100ms \
         rttvar lock 2s rto_min 1.5s features ecn mtu lock 1400 window 10 ssthresh 3 \
         cwnd lock 4 advmss 1360 reordering 5 hoplimit 64 initcwnd 6 initrwnd 7 quickack 1"
    );
    let r6 = RouteSpec {
        family: Family::V6,
        dst: "2001:db8::".parse().expect("a"),
        dst_len: 32,
        rtt: Some(12),
        rto_min: Some(200),
        pref: Some(3),
        ttl_propagate: Some(false),
        fastopen_no_cookie: Some(true),
        realms: Some(4),
        tos: Some(16),
        encap: Some(RouteEncap::Mpls(vec![100, 200])),
        ..RouteSpec::default()
    };
    assert_eq!(
        format_iproute(&r6),
        "prepend 2001:db8::/32 tos 16 encap mpls 64000/c8100 realm 4 rtt 1.5ms rto_min 200ms \
         pref low fastopen_no_cookie 1 ttl-propagate disabled"
    );
}

#[test]
fn route_encaps() {
    let mut r = RouteSpec {
        dst: "10.7.0.0".parse().expect("a"),
        dst_len: 16,
        encap: Some(RouteEncap::Ip {
            id: Some(9),
            dst: Some("10.0.0.1".parse().expect("a")),
            src: None,
            tos: Some(4),
            ttl: Some(20),
            flags: Some(0x1f),
        }),
        ..RouteSpec::default()
    };
    assert_eq!(
        format_iproute(&r),
        "prepend 10.7.0.0/16 encap ip id 9 dst 10.0.0.1 tos 4 ttl 20 flags 0x1f"
    );
    r.encap = Some(RouteEncap::Ip6 {
        id: None,
        dst: Some("2001:db8::1".parse().expect("a")),
        src: Some("2001:db8::2".parse().expect("a")),
        tc: Some(1),
        hoplimit: Some(9),
        flags: None,
    });
    assert_eq!(
        format_iproute(&r),
        "prepend 10.7.0.0/16 encap ip6 dst 2001:db8::1 src 2001:db8::2 tc 1 hoplimit 9"
    );
    r.encap = Some(RouteEncap::Ila(0x0001_0002_0003_0004));
    assert_eq!(
        format_iproute(&r),
        "prepend 10.7.0.0/16 encap ila 281483566841860"
    );
    // a next hop's realms take their form from the route's realms
    r.encap = None;
    r.nexthops = vec![NextHop {
        addr: Some("10.99.0.1".parse().expect("a")),
        realms: Some((1 << 16) | 2),
        onlink: true,
        ..NextHop::default()
    }];
    assert_eq!(
        format_iproute(&r),
        "prepend 10.7.0.0/16 nexthop via inet 10.99.0.1 onlink realm 2"
    );
}

fn rules(lines: &str) -> Vec<String> {
    let c = config(&format!(" virtual_rules {{\n{lines}\n }}"));
    c.instances[0].vrules.iter().map(format_iprule).collect()
}

#[test]
fn rules_as_keepalived_formats_them() {
    assert_eq!(
        rules(
            "from 10.99.0.0/24 table 100 priority 100\n\
             to 10.1.0.0/16 fwmark 0x10/0xff iif kv0 preference 200 goto 300 no_track\n\
             from all table 5 preference 10 no_track\n\
             not from 10.2.0.0/16 fwmark 7 oif kv1 priority 60 nop no_track"
        ),
        [
            "from 10.99.0.0/24 priority 100 tos 0x0 protocol 18 lookup 100",
            "from all to 10.1.0.0/16 priority 200 tos 0x0 fwmark 0x10/0xff iif kv0 goto 300 no_track",
            "from 0.0.0.0/0 priority 10 tos 0x0 lookup 5 no_track",
            "not from 10.2.0.0/16 priority 60 tos 0x0 fwmark 0x7 oif kv1 nop no_track",
        ]
    );
}

#[test]
fn an_ipv6_rule_from_and_to_all() {
    // (keepalived's parser steps over the word after `inet6`, so this one
    // is built here rather than read)
    let r = RuleSpec {
        family: Family::V6,
        preference: 50,
        action: RuleAction::Blackhole,
        no_track: true,
        suppress_prefixlen: Some(-1),
        ..RuleSpec::default()
    };
    assert_eq!(
        format_iprule(&r),
        "inet6 from all priority 50 tos 0x0 type blackhole no_track"
    );
    let r = RuleSpec {
        family: Family::V6,
        to: Some(("2001:db8::".parse().expect("a"), 32)),
        preference: 51,
        action: RuleAction::Unreachable,
        suppress_prefixlen: Some(8),
        suppress_ifgroup: Some(3),
        tunnel_id: Some(77),
        uid_range: Some((1000, 2000)),
        l3mdev: true,
        protocol: Some(18),
        ip_proto: Some(6),
        sport: Some((1, 2)),
        dport: Some((80, 80)),
        realms: Some((1 << 16) | 9),
        fwmask: Some(0xffff_ffff),
        track_group: Some("TG".into()),
        ..RuleSpec::default()
    };
    assert_eq!(
        format_iprule(&r),
        "from all to 2001:db8::/32 priority 51 tos 0x0 fwmark 0x0 suppress_prefixlen 8 \
         suppress_ifgroup 3 tunnel-id 77 uidrange 1000-2000 l3mdev protocol 18 ipproto 6 \
         sport 1-2 dport 80-80 realms 1/9 type unreachable track_group TG"
    );
}

#[test]
fn cmd_str_quotes_every_word_but_a_leading_redirection() {
    let v = |w: &[&str]| w.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    assert_eq!(cmd_str(&v(&["/bin/true"])), "'/bin/true'");
    assert_eq!(
        cmd_str(&v(&["/usr/bin/notify", "a b", "c"])),
        "'/usr/bin/notify' 'a b' 'c'"
    );
    assert_eq!(cmd_str(&v(&["</dev/null"])), "</dev/null");
    assert_eq!(cmd_str(&v(&[">x", ">y"])), ">x '>y'");
    assert_eq!(cmd_str(&[]), "");
}

#[test]
fn percent_g_as_c_prints_it() {
    let cases: &[(f64, &str)] = &[
        (0.0, "0"),
        (0.5, "0.5"),
        (1.0, "1"),
        (5.0, "5"),
        (0.01, "0.01"),
        (40.95, "40.95"),
        (255.0, "255"),
        (-3.5, "-3.5"),
        (123_456.7, "123457"),
        (999_999.0, "999999"),
        (1e6, "1e+06"),
        (1_234_567.0, "1.23457e+06"),
        (0.0001, "0.0001"),
        (0.00001, "1e-05"),
        (2.5e-5, "2.5e-05"),
        (1e100, "1e+100"),
    ];
    for (v, want) in cases {
        assert_eq!(fmt_g(*v).as_deref(), Some(*want), "{v}");
    }
    assert_eq!(fmt_g(f64::NAN), None);
    assert_eq!(fmt_g(f64::INFINITY), None);
    assert_eq!(fmt_g(f64::NEG_INFINITY), None);
}
